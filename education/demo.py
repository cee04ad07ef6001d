"""平利县's six classrooms (the loader shape of core/demo.py), after the register's demo, which
gave 平利县's organs their members:

- the county switches the education mechanism on; its six classrooms are seeded;
- `pl_secretary` is the secretary of its first organ (a person of the register, the unit's
  书记), `pl_member` a member of that unit with an account;
- this year, month by month, each organ holds sessions in five of the six classrooms (one
  organ never uses the integrity classroom: its balance shows it), with attendance — most
  present, some late, excused or absent, and two members of the first organ often absent, so
  behind pace;
- a party-affairs training class of three days (党务工作者培训班), monthly party-group meetings
  with their 第一议题 (one organ missing three months), 双报到 registrations with services;
- a session running today, for the sign-in screen's QR code.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from core.constants import Role
from core.demo import DemoContext
from counties.constants import Mechanism
from counties.models import County
from counties.scoping import county_scope
from counties.services import mechanism_switch_on
from people import services as people_services
from people.constants import PostKind
from people.idnumber import compose
from people.models import Person
from zones.constants import UnitKind
from zones.models import Unit, UnitPost, in_force_on

from . import services
from .constants import Audience, ClassroomKind, DurationUnit, SessionKind, Status

PINGLI = "610926"
TOPICS = {
    ClassroomKind.THEORY: ("集中学习党的二十届四中全会精神", SessionKind.GROUP_STUDY),
    ClassroomKind.RED: ("蒋家坪革命旧址现场教学", SessionKind.SITE_VISIT),
    ClassroomKind.CLOUD: ("学习强国专题网课", SessionKind.ONLINE),
    ClassroomKind.PRACTICE: ("“我为群众办实事”专题研讨", SessionKind.SEMINAR),
    ClassroomKind.PARTY_AFFAIRS: ("支部书记讲党课", SessionKind.PARTY_LECTURE),
    ClassroomKind.INTEGRITY: ("以案促改警示教育", SessionKind.WARNING),
}
HALF_DAYS = {ClassroomKind.THEORY, ClassroomKind.RED}
COMMUNITIES = ["城关镇东城社区", "城关镇西城社区", "城关镇药妇沟社区"]
SERVICES = ["政策宣讲", "环境卫生整治", "走访慰问困难群众", "文明交通劝导", "垃圾分类宣传"]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _members(unit: Unit, day: datetime.date) -> list[Person]:
    return list(
        Person.objects.filter(in_force_on(day, "memberships__"), memberships__unit=unit).order_by(
            "pk"
        )
    )


def _mark(session, rng, *, by, behind: set[int]) -> None:
    marks = {}
    for attendance in session.attendances.all():
        if attendance.person_id in behind:
            status = rng.choice([Status.ABSENT, Status.ABSENT, Status.EXCUSED, Status.PRESENT])
        else:
            status = rng.choices(
                [Status.PRESENT, Status.LATE, Status.EXCUSED, Status.ABSENT], [86, 5, 6, 3]
            )[0]
        marks[attendance.pk] = (status, Decimal(0))
    services.roster_mark(session=session, marks=marks, by=by, now=session.ends_at)


def _accounts(ctx: DemoContext, county, unit: Unit) -> tuple:
    secretary_user = ctx.user(
        "pl_secretary", full_name="陈平安", role=Role.SECRETARY, county=county
    )
    UnitPost.objects.create(user=secretary_user, unit=unit, kind=PostKind.SECRETARY)
    secretary = people_services.person_create(
        unit=unit,
        actor=ctx.admin,
        since=ctx.start,
        name="陈平安",
        id_number=compose(region="610926", born=datetime.date(1976, 4, 18), sequence=162),
        mobile="13800926001",
        joined_on=datetime.date(2003, 7, 1),
    )
    people_services.person_link_account(person=secretary, user=secretary_user)
    people_services.post_assign(
        person=secretary, unit=unit, kind=PostKind.SECRETARY, on=ctx.start, actor=ctx.admin
    )
    member = _members(unit, ctx.today)[0]
    member_user = ctx.user("pl_member", full_name=member.name, role=Role.MEMBER, county=county)
    people_services.person_link_account(person=member, user=member_user)
    return secretary_user, member


def load(*, ctx: DemoContext) -> None:
    county = County.objects.get(code=PINGLI)
    mechanism_switch_on(county=county, mechanism=Mechanism.EDUCATION, since=ctx.start)
    rng = random.Random(19)  # noqa: S311 - demo data, not secrets
    with county_scope(county):
        rooms = {room.kind: room for room in services.classrooms_ensure(county=county)}
        organs = list(Unit.objects.filter(county=county, kind=UnitKind.ORGAN).order_by("pk"))[:8]
        if not organs:
            return
        staff = ctx.accounts.get("pl_staff", ctx.admin)
        secretary_user, member = _accounts(ctx, county, organs[0])
        first_members = _members(organs[0], ctx.today)
        behind = {p.pk for p in first_members[-2:] if p.pk != member.pk}
        year = ctx.today.year
        for month in range(1, ctx.today.month + 1):
            for n, unit in enumerate(organs):
                kinds = list(TOPICS)
                if n == 1:
                    kinds.remove(ClassroomKind.INTEGRITY)  # this organ never uses it
                kind = kinds[(month + n) % len(kinds)]
                day = datetime.date(year, month, 8 + n)
                if day >= ctx.today:
                    continue
                topic, session_kind = TOPICS[kind]
                session = services.session_create(
                    county=county,
                    by=secretary_user if n == 0 else staff,
                    classroom=rooms[kind],
                    kind=session_kind,
                    topic=f"{topic}（{month}月）",
                    starts_at=_at(day, 14, 30),
                    ends_at=_at(day, 17, 0),
                    # half a day (4 学时) of group study or on-site teaching, else 2 hours
                    duration=Decimal(1) if kind in HALF_DAYS else Decimal(2),
                    duration_unit=DurationUnit.HALF_DAYS
                    if kind in HALF_DAYS
                    else DurationUnit.HOURS,
                    place="机关三楼会议室" if kind != ClassroomKind.RED else "蒋家坪革命旧址",
                    speaker="党组书记" if kind == ClassroomKind.PARTY_AFFAIRS else "",
                    units=[unit],
                    summary="结合工作实际交流学习体会。",
                )
                _mark(session, rng, by=secretary_user if n == 0 else staff, behind=behind)
                # 第一议题: one organ misses three months
                if not (n == 2 and month in (3, 4, 5)):
                    meeting = services.meeting_record(
                        unit=unit,
                        held_on=day,
                        title=f"{month}月党组会议",
                        by=staff,
                        first_topic={
                            "topic": "学习习近平总书记最新重要讲话精神",
                            "summary": "党组书记领学，班子成员逐一交流发言，研究贯彻落实措施。",
                        },
                    )
                    _mark(meeting.first_topic, rng, by=staff, behind=behind)
                else:
                    services.meeting_record(
                        unit=unit, held_on=day, title=f"{month}月党组会议", by=staff
                    )
        # a party-affairs training class of three days in May
        may = datetime.date(year, 5, 20)
        if may + datetime.timedelta(days=2) < ctx.today:
            trainees = [p for unit in organs for p in _members(unit, may)[:2]]
            training = services.session_create(
                county=county,
                by=staff,
                classroom=rooms[ClassroomKind.PARTY_AFFAIRS],
                kind=SessionKind.TRAINING,
                topic="全县党务工作者培训班",
                starts_at=_at(may, 8, 30),
                ends_at=_at(may + datetime.timedelta(days=2), 17, 30),
                duration=Decimal(3),
                duration_unit=DurationUnit.DAYS,
                place="县委党校",
                speaker="县委组织部",
                audience=Audience.LIST,
                people=trainees,
            )
            _mark(training, rng, by=staff, behind=set())
        # 双报到: members of the first three organs registered with communities, re-registered
        # each half-year; `pl_community` is the first community's secretary, with a need
        # published and the latest registrations and a few services waiting for it
        community_user = ctx.user(
            "pl_community", full_name="刘秀兰", role=Role.SECRETARY, county=county
        )
        communities = [
            services.community_save(county=county, name=name, accounts=[community_user] * (i == 0))
            for i, name in enumerate(COMMUNITIES)
        ]
        services.need_publish(
            community=communities[0],
            title="周末社区环境卫生整治志愿者",
            description="清理楼道杂物、宣传垃圾分类。",
            wanted=6,
            by=community_user,
        )
        halves = sorted(
            {ctx.start} | {d for d in [datetime.date(year, 7, 1)] if ctx.start < d <= ctx.today}
        )
        for n, unit in enumerate(organs[:3]):
            for m, person in enumerate(_members(unit, ctx.start)[:4]):
                community = communities[(n + m) % len(communities)]
                registrations = []
                for h, day in enumerate(halves):
                    registration = services.registration_create(
                        unit=unit, person=person, community=community, registered_on=day, by=staff
                    )
                    if h < len(halves) - 1 or community != communities[0]:
                        registration.confirmed = True
                        registration.save(update_fields=["confirmed"])
                    registrations.append(registration)
                for k in range(3):
                    done = ctx.today - datetime.timedelta(days=20 + 37 * k + m)
                    held = [r for r in registrations if r.registered_on <= done]
                    if not held:
                        continue
                    registration = held[-1]
                    services.service_log(
                        registration=registration,
                        done_on=done,
                        description=SERVICES[(m + k) % len(SERVICES)],
                        hours=Decimal(2),
                        by=staff,
                        practical_matter=k == 0,
                        confirmed=k > 0 or community != communities[0],
                    )
        # a session running today: the sign-in screen's QR code works in the demo
        now = timezone.localtime()
        services.session_create(
            county=county,
            by=secretary_user,
            classroom=rooms[ClassroomKind.THEORY],
            kind=SessionKind.PARTY_LECTURE,
            topic="专题党课：以学铸魂 以学增智",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=8),
            duration=Decimal(2),
            place="机关三楼会议室",
            speaker="陈平安",
            units=[organs[0]],
        )
