"""The generator's second half (issue 20): what a city of N counties also holds after five years
of use, written with bulk inserts after `bench.loadgen.generate` built the organization.

- **Audit events** in the issue's proportion: `AUDIT_PER_COUNTY_YEAR` (3,000) a year per county,
  so 300,000 at 20 counties in the default five years: sign-ins and sign-outs of its accounts over the years, failed
  sign-ins, exports, personal data viewed, permission denials.
- **History rows** (django-simple-history) of the activities and findings, one "created" row
  each and a "changed" row per finding that moved, as the services leave them.
- **The three new mechanisms**: county 1 runs all three besides the zones (so their pages are
  measured at scale 1 and 20); of the others, one in three runs the service teams, one in
  three the six classrooms, one in three the micro-wishes. Teams: 16 per county with four
  members from the register, every unit assigned to one, small practical matters. Classrooms:
  the six, two sessions a month for two years, each with three units' members expected and
  most present. Wishes: ten towns of five villages of three groups, five categories, about
  1,500 wishes over the years in every state with their steps.

Deterministic for a seed (the caller's `random.Random`)."""

from __future__ import annotations

import contextlib
import datetime
import random
from decimal import Decimal

from django.utils import timezone

from audit.constants import Event, Outcome
from audit.models import AuditEvent
from core.periods import add_months
from counties.constants import Mechanism
from counties.models import CountyMechanism

AUDIT_PER_COUNTY_YEAR = 3_000  # 15,000 a county in five years: 300,000 at 20 counties
TEAMS_PER_COUNTY = 16
TEAM_SIZE = 4
MATTERS_PER_TEAM = 12
SESSIONS_PER_MONTH = 2
SESSION_MONTHS = 24
TOWNS, VILLAGES, GROUPS = 10, 5, 3
WISHES_PER_COUNTY = 1_500
# 双报到 (平利: 107 organizations, 1,828 members report to communities): most serving members of
# each unit registered with one of the county's communities, each doing a few services a year.
COMMUNITIES_PER_COUNTY = 8
REGISTERED_SHARE = 2 / 3
SERVICES_PER_REGISTRATION = 3
BATCH = 2000


@contextlib.contextmanager
def dated(model, *names):
    """`auto_now_add` off for `names` while the generator sets the times itself (bulk_create
    would stamp them all now; the audit tables refuse the UPDATE that would fix it)."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now_add, f.auto_now) for f in fields]
    for f in fields:
        f.auto_now_add = f.auto_now = False
    try:
        yield
    finally:
        for f, (add, now) in zip(fields, saved, strict=True):
            f.auto_now_add, f.auto_now = add, now


def _aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def runs(index: int) -> set[str]:
    """The mechanisms county `index` (0 is county 1) runs besides the zones."""
    if index == 0:
        return {Mechanism.TEAMS, Mechanism.EDUCATION, Mechanism.WISHES}
    return {[Mechanism.WISHES, Mechanism.TEAMS, Mechanism.EDUCATION][index % 3]}


def audit_events(counties, users_of, *, start, day, rng: random.Random) -> int:
    """AUDIT_PER_COUNTY_YEAR events a year per county over the years, oldest first."""
    span = (day - start).days + 1
    each = AUDIT_PER_COUNTY_YEAR * (day.year - start.year + 1)
    kinds = [
        (Event.LOGIN, Outcome.SUCCESS, 40),
        (Event.LOGOUT, Outcome.SUCCESS, 30),
        (Event.LOGIN_FAILED, Outcome.FAILURE, 6),
        (Event.PERSONAL_DATA, Outcome.SUCCESS, 12),
        (Event.EXPORT, Outcome.SUCCESS, 6),
        (Event.PERMISSION_DENIED, Outcome.DENIED, 4),
        (Event.ADMIN_ACTION, Outcome.SUCCESS, 2),
    ]
    paths = {
        Event.LOGIN: "/accounts/login/",
        Event.LOGOUT: "/accounts/logout/",
        Event.LOGIN_FAILED: "/accounts/login/",
        Event.PERSONAL_DATA: "/people/",
        Event.EXPORT: "/activities/ledger.xlsx",
        Event.PERMISSION_DENIED: "/supervision/findings/",
        Event.ADMIN_ACTION: "/admin/",
    }
    weights = [w for _e, _o, w in kinds]
    total = 0
    with dated(AuditEvent, "at"):
        for county in counties:
            users = users_of[county.pk]
            offsets = sorted(rng.randrange(span * 600) for _n in range(each))
            rows = []
            for offset in offsets:
                event, outcome, _w = rng.choices(kinds, weights)[0]
                user = rng.choice(users)
                when = _aware(start + datetime.timedelta(days=offset // 600), 8) + (
                    datetime.timedelta(minutes=offset % 600)
                )
                rows.append(
                    AuditEvent(
                        at=when,
                        user_id=user.pk,
                        username=user.username,
                        ip=f"10.{county.pk % 250}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                        event=event,
                        outcome=outcome,
                        path=paths[event],
                        detail="" if event in (Event.LOGIN, Event.LOGOUT) else "bench",
                    )
                )
            AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
            total += len(rows)
    return total


def history_rows(activities, findings, *, by) -> int:
    """Each activity's and finding's "created" row, and a "changed" row for a finding that
    moved on (what the services' saves leave in the history tables)."""
    from activities.models import Activity
    from supervision.models import Finding

    total = 0
    for model, objs, moved in (
        (Activity, activities, []),
        (Finding, findings, [f for f in findings if f.state != "open"]),
    ):
        history = model.history
        for rows, kind in ((objs, "+"), (moved, "~")):
            for offset in range(0, len(rows), BATCH):
                chunk = rows[offset : offset + BATCH]
                history.bulk_history_create(
                    chunk, batch_size=BATCH, default_user=by, update=kind == "~"
                )
                total += len(chunk)
    return total


def switch_on(counties, *, since) -> dict[int, set[str]]:
    running = {county.pk: runs(index) for index, county in enumerate(counties)}
    CountyMechanism.objects.bulk_create(
        [
            CountyMechanism(county_id=pk, mechanism=m, since=since)
            for pk, ms in running.items()
            for m in sorted(ms)
        ]
    )
    return running


def teams(county, units, people_of, staff, *, day, rng) -> dict[str, int]:
    from people.constants import ConfirmedVia, MatterCategory, MatterSource
    from people.models import PracticalMatter
    from teams.constants import TeamRole
    from teams.models import Assignment, MicroMatter, Team, TeamMember

    formed = datetime.date(day.year, 1, 1)
    made = Team.objects.bulk_create(
        [
            Team(
                county=county,
                name=f"第{n + 1}服务队",
                anchor_unit=units[(n * 5) % len(units)],
                formed_on=formed,
                created_by=staff,
            )
            for n in range(TEAMS_PER_COUNTY)
        ]
    )
    pool = [p for unit in units for p in people_of[unit.pk][1:3]]
    rng.shuffle(pool)
    members = []
    for n, team in enumerate(made):
        for m in range(TEAM_SIZE):
            person = pool[(n * TEAM_SIZE + m) % len(pool)]
            members.append(
                TeamMember(
                    team=team,
                    person=person,
                    role=TeamRole.CAPTAIN if m == 0 else TeamRole.MEMBER,
                    effective_from=formed,
                )
            )
    TeamMember.objects.bulk_create(members)
    assignments = [
        Assignment(team=made[i % len(made)], unit=unit, effective_from=formed)
        for i, unit in enumerate(units)
    ]
    Assignment.objects.bulk_create(assignments)
    # the teams' matters are records of service in the register (people.PracticalMatter) with
    # the team credited beside them (teams.MicroMatter), as teams.services.matter_log writes them
    kinds = [k for k in MatterCategory if k not in (MatterCategory.WISH, MatterCategory.SERVICE)]
    records, credited = [], []
    for n, team in enumerate(made):
        crew = members[n * TEAM_SIZE : (n + 1) * TEAM_SIZE]
        for _m in range(MATTERS_PER_TEAM):
            done = formed + datetime.timedelta(days=rng.randrange(max(1, (day - formed).days)))
            confirmed = rng.random() < 0.8
            records.append(
                PracticalMatter(
                    person=rng.choice(crew).person,
                    unit=rng.choice(units),
                    category=rng.choice(kinds),
                    done_on=done,
                    hours=Decimal(rng.choice(["1.0", "2.0", "3.5"])),
                    people_served=rng.randint(1, 30),
                    description="帮助群众解决实际困难",
                    source=MatterSource.TEAMS,
                    recorded_by=staff,
                    confirmed_by=staff if confirmed else None,
                    confirmed_at=_aware(done) if confirmed else None,
                    confirmed_via=ConfirmedVia.CAPTAIN if confirmed else "",
                )
            )
            credited.append(team)
    PracticalMatter.objects.bulk_create(records, batch_size=BATCH)
    matters = [
        MicroMatter(team=team, matter=record)
        for team, record in zip(credited, records, strict=True)
    ]
    MicroMatter.objects.bulk_create(matters, batch_size=BATCH)
    return {"service teams": len(made), "team members": len(members),
            "team assignments": len(assignments), "micro matters": len(matters)}  # fmt: skip


def education(county, units, people_of, staff, *, day, rng) -> dict[str, int]:
    from education import constants as c
    from education.models import Attendance, Classroom, Session

    rooms = Classroom.objects.bulk_create(
        [
            Classroom(county=county, kind=kind, name=str(kind.label)[:40], order=n)
            for n, kind in enumerate(c.ClassroomKind)
        ]
    )
    sessions, chosen = [], []
    first = add_months(day, 1 - SESSION_MONTHS)  # the months up to this one (core.periods)
    for m in range(SESSION_MONTHS):
        month = add_months(first, m)
        for s in range(SESSIONS_PER_MONTH):
            when = month + datetime.timedelta(days=3 + s * 12)
            if when > day:
                continue
            its_units = rng.sample(units, 3)
            sessions.append(
                Session(
                    county=county,
                    classroom=rng.choice(rooms),
                    kind=rng.choice(list(c.SessionKind)),
                    topic=f"{when:%Y年%m月}专题学习",
                    starts_at=_aware(when, 9),
                    ends_at=_aware(when, 11),
                    duration=Decimal("2"),
                    duration_unit=c.DurationUnit.HOURS,
                    place="县委党校",
                    speaker="县委党校教师",
                    audience=c.Audience.UNITS,
                    created_by=staff,
                )
            )
            chosen.append(its_units)
    with dated(Session, "created_at"):
        for session in sessions:
            session.created_at = session.starts_at
        Session.objects.bulk_create(sessions)
    Session.units.through.objects.bulk_create(
        [
            Session.units.through(session_id=session.pk, unit_id=unit.pk)
            for session, its_units in zip(sessions, chosen, strict=True)
            for unit in its_units
        ]
    )
    rows = []
    for session, its_units in zip(sessions, chosen, strict=True):
        for unit in its_units:
            for person in people_of[unit.pk]:
                present = rng.random() < 0.85
                rows.append(
                    Attendance(
                        session=session,
                        person=person,
                        status=c.Status.PRESENT if present else c.Status.EXPECTED,
                        proof=c.Proof.ROSTER if present else "",
                        signed_at=session.starts_at if present else None,
                        recorded_by=staff if present else None,
                    )
                )
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    counts = {"classrooms": len(rooms), "study sessions": len(sessions), "attendance": len(rows)}
    counts.update(communities(county, units, people_of, staff, day=day, rng=rng))
    return counts


def communities(county, units, people_of, staff, *, day, rng) -> dict[str, int]:
    """双报到: the county's communities, registrations of most units' members (registered in
    the last year, most confirmed) and their services (each a record of service,
    people.PracticalMatter, with its CommunityService), most confirmed by the community."""
    from education.models import Community, CommunityRegistration, CommunityService
    from people.constants import ConfirmedVia, MatterCategory, MatterSource
    from people.models import PracticalMatter

    places = Community.objects.bulk_create(
        [
            Community(county=county, name=f"城关镇第{n + 1}社区", town="城关镇")
            for n in range(COMMUNITIES_PER_COUNTY)
        ]
    )
    registrations = []
    for unit in units:
        members = people_of[unit.pk]
        for person in members[: round(len(members) * REGISTERED_SHARE)]:
            registrations.append(
                CommunityRegistration(
                    unit=unit,
                    person=person,
                    community=rng.choice(places),
                    registered_on=day - datetime.timedelta(days=rng.randrange(30, 365)),
                    confirmed=rng.random() < 0.9,
                    confirmed_by=staff,
                    created_by=staff,
                )
            )
    CommunityRegistration.objects.bulk_create(registrations, batch_size=BATCH)
    matters, contexts = [], []
    for registration in registrations:
        span = (day - registration.registered_on).days
        for _s in range(SERVICES_PER_REGISTRATION):
            done = registration.registered_on + datetime.timedelta(days=rng.randrange(1, span))
            confirmed = registration.confirmed and rng.random() < 0.85
            matters.append(
                PracticalMatter(
                    person=registration.person,
                    done_on=done,
                    category=MatterCategory.SERVICE,
                    hours=Decimal("2"),
                    people_served=rng.randrange(1, 20),
                    description="社区志愿服务",
                    place=registration.community.name,
                    source=MatterSource.COMMUNITY,
                    recorded_by=staff,
                    recorded_at=_aware(done, 18),
                    confirmed_at=_aware(done, 20) if confirmed else None,
                    confirmed_by=staff if confirmed else None,
                    confirmed_via=ConfirmedVia.COMMUNITY if confirmed else "",
                )
            )
            contexts.append(registration)
    with dated(PracticalMatter, "recorded_at"):
        PracticalMatter.objects.bulk_create(matters, batch_size=BATCH)
    CommunityService.objects.bulk_create(
        [
            CommunityService(registration=registration, matter=matter)
            for registration, matter in zip(contexts, matters, strict=True)
        ],
        batch_size=BATCH,
    )
    return {"communities": len(places), "community registrations": len(registrations),
            "community services": len(matters)}  # fmt: skip


def wishes(county, units, staff, *, start, day, rng) -> dict[str, int]:
    from wishes.constants import Channel, State
    from wishes.models import Category, Group, Route, Step, Town, Village, Wish
    from wishes.services import TICKET_ALPHABET, TICKET_LENGTH

    towns = Town.objects.bulk_create(
        [Town(county=county, name=f"第{n + 1}镇", office=units[n * 9]) for n in range(TOWNS)]
    )
    villages = Village.objects.bulk_create(
        [Village(town=t, name=f"{t.name}{v + 1}村") for t in towns for v in range(VILLAGES)]
    )
    groups = Group.objects.bulk_create(
        [Group(village=v, name=f"{g + 1}组") for v in villages for g in range(GROUPS)]
    )
    categories = Category.objects.bulk_create(
        [
            Category(county=county, name=name, days=days, order=n)
            for n, (name, days) in enumerate(
                [
                    ("道路交通", 15),
                    ("饮水用电", 10),
                    ("就业增收", 20),
                    ("邻里纠纷", 5),
                    ("其他", 10),
                ]  # fmt: skip
            )
        ]
    )
    Route.objects.bulk_create(
        [
            Route(category=cat, town=town, handler=units[(n * 9 + k + 1) % len(units)])
            for n, town in enumerate(towns)
            for k, cat in enumerate(categories)
        ]
    )
    span = (day - start).days
    rows, steps = [], []
    for n in range(WISHES_PER_COUNTY):
        group = rng.choice(groups)
        village = villages[(group.village_id - villages[0].pk)]
        received = start + datetime.timedelta(days=int(span * (n / WISHES_PER_COUNTY) ** 0.7))
        age = (day - received).days
        if age > 60:
            state = rng.choices([State.CLOSED, State.RESOLVED, State.MERGED], [90, 6, 4])[0]
        elif age > 20:
            state = rng.choice([State.HANDLING, State.RESOLVED, State.CLOSED])
        else:
            state = rng.choice(list(State.__members__.values())[:4])
        category = rng.choice(categories)
        assigned = state not in (State.NEW, State.MERGED)
        ticket = "".join(rng.choice(TICKET_ALPHABET) for _c in range(TICKET_LENGTH))
        wish = Wish(
            county=county,
            ticket=ticket,
            channel=rng.choice(list(Channel)),
            town=towns[(village.town_id - towns[0].pk)],
            village=village,
            group=group,
            category=category,
            text="村口道路破损，雨天出行困难，希望尽快修复",
            phone=f"138{n:08d}",
            phone_tail=f"{n:08d}"[-4:],
            state=state,
            received_on=received,
            dispatch_due=received + datetime.timedelta(days=2),
            handler=rng.choice(units) if assigned else None,
            dispatched_on=received + datetime.timedelta(days=1) if assigned else None,
            due=received + datetime.timedelta(days=category.days + 10) if assigned else None,
            signed_on=received + datetime.timedelta(days=2) if assigned else None,
            answer="已协调相关部门处理完毕" if state in (State.RESOLVED, State.CLOSED) else "",
            resolved_on=min(day, received + datetime.timedelta(days=12))
            if state in (State.RESOLVED, State.CLOSED)
            else None,
            created_by=staff,
        )
        rows.append(wish)
    Wish.objects.bulk_create(rows, batch_size=BATCH)
    kinds = {State.DISPATCHED: ["dispatched"], State.RETURNED: ["dispatched", "returned"],
             State.HANDLING: ["dispatched", "signed"],
             State.RESOLVED: ["dispatched", "signed", "answered"],
             State.CLOSED: ["dispatched", "signed", "answered", "visited"]}  # fmt: skip
    with dated(Step, "at"):
        for wish in rows:
            for k, kind in enumerate(kinds.get(wish.state, [])):
                on = min(day, wish.received_on + datetime.timedelta(days=1 + k * 3))
                steps.append(Step(wish=wish, kind=kind, by=staff, unit=wish.handler, on=on,
                                  at=_aware(on)))  # fmt: skip
        Step.objects.bulk_create(steps, batch_size=BATCH)
    return {"towns": len(towns), "villages": len(villages), "villagers' groups": len(groups),
            "wishes": len(rows), "wish steps": len(steps)}  # fmt: skip


def extend(*, counties, units, staff_of, users_of, people_of, activities, findings, admin,
           start, day, rng) -> dict[str, int]:  # fmt: skip
    """Everything above; the row counts to add to the generator's."""
    counts: dict[str, int] = {}

    def add(part: dict[str, int]) -> None:
        for k, v in part.items():
            counts[k] = counts.get(k, 0) + v

    counts["audit events"] = audit_events(counties, users_of, start=start, day=day, rng=rng)
    counts["history rows"] = history_rows(activities, findings, by=admin)
    running = switch_on(counties, since=start)
    units_of: dict[int, list] = {}
    for unit in units:
        units_of.setdefault(unit.county_id, []).append(unit)
    for county in counties:
        its, staff = units_of[county.pk], staff_of[county.pk]
        if Mechanism.TEAMS in running[county.pk]:
            add(teams(county, its, people_of, staff, day=day, rng=rng))
        if Mechanism.EDUCATION in running[county.pk]:
            add(education(county, its, people_of, staff, day=day, rng=rng))
        if Mechanism.WISHES in running[county.pk]:
            add(wishes(county, its, staff, start=start, day=day, rng=rng))
    return counts


def reset() -> None:
    """Delete the new mechanisms' generated records and the mechanisms switched on besides the
    zones (the audit events and history rows stay: they are append-only)."""
    from education.models import (
        Attendance,
        Classroom,
        Community,
        CommunityRegistration,
        CommunityService,
        Session,
    )
    from people.models import PracticalMatter
    from teams.models import Assignment, MicroMatter, Team, TeamMember
    from wishes.models import Category, Group, Route, Step, Town, Village, Wish

    for model in (Step, Wish, Route, Group, Village, Town, Category, Attendance,
                  Session.units.through, Session, Classroom, CommunityService,
                  CommunityRegistration, Community, MicroMatter, PracticalMatter,
                  Assignment, TeamMember, Team):  # fmt: skip
        model.objects.all().delete()
    CountyMechanism.objects.exclude(mechanism=Mechanism.ZONES).delete()
