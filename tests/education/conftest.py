"""The six classrooms' world: the tests' county (tests/conftest.py) running the education
mechanism, three members of the member unit (persona `secretary`), one with an account."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from core.constants import Role
from counties.constants import Mechanism
from counties.models import CountyMechanism
from education import services
from education.constants import Audience, ClassroomKind, SessionKind
from people import services as people_services
from tests.factories import UserFactory
from tests.people.factories import person_in


@dataclass
class Edu:
    county: object
    rooms: dict
    member: object  # a person with an account
    member_user: object
    second: object
    third: object


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def edu(county) -> Edu:
    the_county = county.member_unit.county
    CountyMechanism.objects.get_or_create(
        county=the_county,
        mechanism=Mechanism.EDUCATION,
        until=None,
        defaults={"since": datetime.date(2024, 1, 1)},
    )
    rooms = {r.kind: r for r in services.classrooms_ensure(county=the_county)}
    member = person_in(county.member_unit, name="王芳", mobile="13800001234")
    second = person_in(county.member_unit, name="李强", mobile="13800005678")
    third = person_in(county.member_unit_2, name="赵敏", mobile="13800009999")
    # a member with an account of their own: the member role, no unit post (core.constants)
    user = UserFactory(username="member", role=Role.MEMBER, county=the_county)
    people_services.person_link_account(person=member, user=user)
    return Edu(the_county, rooms, member, user, second, third)


def make_session(
    edu: Edu,
    county,
    *,
    day: datetime.date,
    hours: str = "2",
    unit: str = "hours",
    kind: str = SessionKind.GROUP_STUDY,
    room: str = ClassroomKind.THEORY,
    last: datetime.date | None = None,
    units=None,
    by=None,
    **extra,
):
    return services.session_create(
        county=edu.county,
        by=by or county.staff,
        classroom=edu.rooms[room],
        kind=kind,
        topic=extra.pop("topic", "学习党的二十届四中全会精神"),
        starts_at=at(day),
        ends_at=at(last or day, 17 if last else 11),
        duration=Decimal(hours),
        duration_unit=unit,
        units=units if units is not None else [county.member_unit],
        audience=extra.pop("audience", Audience.UNITS),
        **extra,
    )
