"""The micro-wishes' world on the tests' county (tests/conftest.py), which runs the mechanism:
滔河镇, whose office is zone A's lead unit (persona `lead_secretary` dispatches), with 同心村 and
its 一组 and 二组; categories 道路交通 (5 working days, handled by default by the member unit:
persona `secretary` handles) and 其他; and a wish through 一组's link, awaiting dispatch."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from counties.constants import Mechanism
from counties.models import CountyMechanism
from wishes import services
from wishes.models import Category, Group, Route, Town, Village

# A Monday with working days all around (2026-11-23 … 2026-11-27).
MONDAY = datetime.date(2026, 11, 23)


@dataclass
class Wishes:
    town: object
    village: object
    group: object
    group_2: object
    roads: object
    other: object
    wish: object


def build(county) -> Wishes:
    c = county
    CountyMechanism.objects.get_or_create(
        county=c.lead_unit.county,
        mechanism=Mechanism.WISHES,
        until=None,
        defaults={"since": datetime.date(2024, 1, 1)},
    )
    town = Town.objects.create(county=c.lead_unit.county, name="滔河镇", office=c.lead_unit)
    village = Village.objects.create(town=town, name="同心村")
    group = Group.objects.create(village=village, name="一组")
    group_2 = Group.objects.create(village=village, name="二组")
    roads = Category.objects.create(county=town.county, name="道路交通", days=5, order=1)
    other = Category.objects.create(county=town.county, name="其他", days=10, order=9)
    Route.objects.create(category=roads, town=town, handler=c.member_unit)
    wish = services.wish_receive(
        group=group, text="村道被冲毁，希望能修复", phone="13912345678", name="王大山", on=MONDAY
    )
    return Wishes(town, village, group, group_2, roads, other, wish)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' refusals are matched in English here (the pages answer in the site's
    language all the same: a request activates its own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def w(county) -> Wishes:
    return build(county)
