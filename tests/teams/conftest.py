"""Service-team fixtures on top of the county personas (tests/conftest.py): the county runs the
teams mechanism, two teams anchored by the two lead units (first class), the member unit
(persona `secretary`) guided by team A since 2026-01-01, today pinned on 2026-11-28."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from core.constants import Role
from counties.constants import Mechanism
from counties.models import CountyMechanism
from people import services as people_services
from teams import services
from tests.factories import UserFactory, unit_in_zone
from tests.people.factories import person_in

TODAY = datetime.date(2026, 11, 28)
START = datetime.date(2026, 1, 1)


def pooled(unit, name, *, user=None, strengths=("party_affairs",)):
    """A person of `unit` in the cadre pool (available), with an account if `user`."""
    person = person_in(unit, name=name, since=datetime.date(2020, 1, 1))
    people_services.cadre_profile_update(
        person=person, actor=None, available=True, strengths=list(strengths)
    )
    if user is not None:
        people_services.person_link_account(person=person, user=user)
    return person


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' refusals are matched in English here (the site's language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@dataclass
class Teams:
    team_a: object
    team_b: object
    captain: object  # the user captaining team A
    captain_b: object
    member: object  # a user on team A
    captain_person: object
    member_person: object
    extra_units: list


@pytest.fixture
def teams(county, fixed_today) -> Teams:
    fixed_today(TODAY)
    CountyMechanism.objects.get_or_create(
        county=county.zone_a.county,
        mechanism=Mechanism.TEAMS,
        until=None,
        defaults={"since": datetime.date(2024, 1, 1)},
    )
    captain = UserFactory(username="captain", role=Role.LEADER, full_name="王队长")
    captain_b = UserFactory(username="captain_b", role=Role.LEADER, full_name="李队长")
    member = UserFactory(username="member", role=Role.SECRETARY, full_name="赵队员")
    c = county
    captain_person = pooled(c.lead_unit, "王队长", user=captain)
    member_person = pooled(c.other_lead_unit, "赵队员", user=member)
    captain_b_person = pooled(c.other_lead_unit, "李队长", user=captain_b)
    member_b_person = pooled(c.lead_unit, "钱队员")
    team_a = services.team_create(
        name="第一服务队",
        anchor_unit=c.lead_unit,
        captain=captain_person,
        members=[member_person],
        formed_on=START,
        by=c.staff,
    )
    team_b = services.team_create(
        name="第二服务队",
        anchor_unit=c.other_lead_unit,
        captain=captain_b_person,
        members=[member_b_person],
        formed_on=START,
        by=c.staff,
    )
    extra = [
        unit_in_zone(c.zone_a, name="县教育局"),
        unit_in_zone(c.zone_b, name="县卫健局"),
    ]
    services.assign(team=team_a, unit=c.member_unit, on=START, by=c.staff)
    services.assign(team=team_a, unit=extra[1], on=START, by=c.staff)
    services.assign(team=team_b, unit=c.member_unit_2, on=START, by=c.staff)
    services.assign(team=team_b, unit=c.other_unit, on=START, by=c.staff)
    services.assign(team=team_b, unit=extra[0], on=START, by=c.staff)
    return Teams(
        team_a=team_a,
        team_b=team_b,
        captain=captain,
        captain_b=captain_b,
        member=member,
        captain_person=captain_person,
        member_person=member_person,
        extra_units=extra,
    )
