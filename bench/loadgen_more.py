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
# The audit administrator who reads them (bench.pages' "auditor"), with an authenticator app.
AUDITOR_USERNAME = "gen_audit"
TEAMS_PER_COUNTY = 16
TEAM_SIZE = 4
MATTERS_PER_TEAM = 12
SESSIONS_PER_MONTH = 2
SESSION_MONTHS = 24
MEETING_EVERY_MONTHS = 3  # a unit's party-group meeting a quarter (党组（党委）会议)
FIRST_TOPIC_SHARE = 3 / 4  # of them with theory study as the first item (第一议题)
TOWNS, VILLAGES, GROUPS = 10, 5, 3
WISHES_PER_COUNTY = 1_500
# 双报到 (平利: 107 organizations, 1,828 members report to communities): most serving members of
# each unit registered with one of the county's communities, each doing a few services a year.
COMMUNITIES_PER_COUNTY = 8
REGISTERED_SHARE = 2 / 3
SERVICES_PER_REGISTRATION = 3
BATCH = 2000
# the teams' rules (teams.constants: a visit every 30 days, a contact every 7); one visit in
# five raises a problem; four trainings a year
VISIT_EVERY_DAYS = 30
GUIDANCE_PROBLEM_EVERY = 5
TRAININGS_PER_YEAR = 4


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


def audit_administrator(*, like) -> int:
    """The audit administrator (审计管理员) who reads the trail, signed in as `like` (the
    generated system administrator: the same password) and with a confirmed authenticator app,
    so that every sign-in asks for a code (accounts.security.second_factor_required): the
    audit lists are measured behind the second factor, as `bench.pages.clients_of` passes it."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.constants import Role

    user = get_user_model().objects.create(
        username=AUDITOR_USERNAME,
        full_name="审计管理员",
        role=Role.AUDIT_ADMIN,
        password=like.password,
        password_changed_at=like.password_changed_at,
    )
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return 1


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
    counts = {
        "service teams": len(made),
        "team members": len(members),
        "team assignments": len(assignments),
        "micro matters": len(matters),
    }
    counts.update(team_work(county, assignments, members, staff, formed=formed, day=day, rng=rng))
    return counts


def team_work(county, assignments, members, staff, *, formed, day, rng) -> dict[str, int]:
    """What the teams did since they were formed, as the county's rules ask (teams.constants):
    a guidance visit of each organization about every `VISIT_EVERY_DAYS`, two or three members
    going, on a guidance sheet (totals only, as the generator's older sheets), one in
    `GUIDANCE_PROBLEM_EVERY` raising a problem that goes through rectification; a contact about
    every week between the visits; the year's trainings with half the members taking part, a
    few prizes; a reminder talk for one member in four teams."""
    from supervision.constants import FindingState, Source
    from supervision.models import ChecklistTemplate, Finding, ScoreSheet
    from teams.constants import ContactWay, Prize, TrainingKind
    from teams.models import Contact, GuidanceVisit, ReminderTalk, Training, TrainingEntry
    from zones.models import Membership

    from .loadgen import DEADLINE_DAYS, PROBLEMS

    template = (
        ChecklistTemplate.objects.filter(county=county).order_by("-pk").first()
        or ChecklistTemplate.objects.filter(county__isnull=True).order_by("-pk").first()
    )
    zone_of = dict(
        Membership.objects.filter(unit__county=county, effective_to__isnull=True).values_list(
            "unit_id", "zone_id"
        )
    )
    crew_of: dict[int, list] = {}
    for m in members:
        crew_of.setdefault(m.team_id, []).append(m.person_id)
    visits, sheets, contacts = [], [], []
    for a in assignments:
        on = formed + datetime.timedelta(days=rng.randrange(VISIT_EVERY_DAYS))
        while on <= day:
            sheets.append(ScoreSheet(template=template, checked_unit=a.unit, max_total=0))
            visits.append(
                GuidanceVisit(
                    team=a.team,
                    unit=a.unit,
                    visited_on=on,
                    recorded_by=staff,
                    looked="查阅会议记录、台账资料，察看活动阵地",
                    suggestions="规范“三会一课”记录",
                )
            )
            seen = on + datetime.timedelta(days=rng.randint(5, 9))
            on += datetime.timedelta(days=rng.randint(VISIT_EVERY_DAYS - 5, VISIT_EVERY_DAYS + 5))
            while seen < min(on, day):
                contacts.append(
                    Contact(
                        team=a.team,
                        unit=a.unit,
                        contacted_on=seen,
                        way=rng.choice(list(ContactWay)),
                        what="了解近期组织生活开展情况",
                        recorded_by=staff,
                    )
                )
                seen += datetime.timedelta(days=rng.randint(5, 9))
    ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
    for sheet, visit in zip(sheets, visits, strict=True):
        visit.sheet = sheet
    GuidanceVisit.objects.bulk_create(visits, batch_size=BATCH)
    went = GuidanceVisit.went.through
    went_rows = [
        went(guidancevisit_id=v.pk, person_id=p)
        for v in visits
        for p in rng.sample(crew_of[v.team_id], rng.randint(2, 3))
    ]
    went.objects.bulk_create(went_rows, batch_size=BATCH)
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    problems = []
    for visit in visits:
        if rng.randrange(GUIDANCE_PROBLEM_EVERY):
            continue
        text, severity = rng.choice(PROBLEMS)
        deadline = visit.visited_on + datetime.timedelta(days=DEADLINE_DAYS[severity])
        closed = deadline < day and rng.random() < 0.85
        state = (
            FindingState.CLOSED
            if closed
            else rng.choice([FindingState.OPEN, FindingState.IN_PROGRESS, FindingState.SUBMITTED])
        )
        problems.append(
            Finding(
                sheet=visit.sheet,
                source=Source.GUIDANCE,
                responsible_unit=visit.unit,
                zone_id=zone_of.get(visit.unit.pk),
                description=text,
                suggestion="限期整改并报送佐证材料",
                severity=severity,
                created_by=staff,
                raised_on=visit.visited_on,
                deadline=deadline,
                state=state,
                closed_on=min(day, deadline - datetime.timedelta(days=rng.randint(0, 6)))
                if closed
                else None,
            )
        )
    for f in problems:
        if f.closed_on is not None:
            f.closed_on = max(f.closed_on, f.raised_on)
    Finding.objects.bulk_create(problems, batch_size=BATCH)
    trainings = Training.objects.bulk_create(
        [
            Training(
                county=county,
                kind=rng.choice(list(TrainingKind)),
                title=f"服务队培训第{n + 1}期",
                held_on=formed + datetime.timedelta(days=min(30 + 70 * n, (day - formed).days)),
                recorded_by=staff,
            )
            for n in range(TRAININGS_PER_YEAR)
        ]
    )
    people = sorted({m.person_id for m in members})
    entries = [
        TrainingEntry(
            training=t,
            person_id=p,
            result="合格",
            prize=rng.choice([Prize.FIRST, Prize.SECOND, Prize.THIRD])
            if t.kind == TrainingKind.CONTEST and rng.random() < 0.1
            else Prize.NONE,
        )
        for t in trainings
        for p in rng.sample(people, len(people) // 2)
    ]
    TrainingEntry.objects.bulk_create(entries, batch_size=BATCH)
    talks = [
        ReminderTalk(
            person_id=crew_of[team_id][-1],
            team_id=team_id,
            year=day.year,
            held_on=day - datetime.timedelta(days=10),
            outcome="已谈话提醒，限期改进",
            recorded_by=staff,
        )
        for team_id in sorted(crew_of)[:4]
    ]
    ReminderTalk.objects.bulk_create(talks)
    return {
        "guidance visits": len(visits),
        "team contacts": len(contacts),
        "guidance problems": len(problems),
        "trainings": len(trainings),
        "training entries": len(entries),
        "reminder talks": len(talks),
    }


def education(county, units, people_of, staff, *, day, rng) -> dict[str, int]:
    from education import constants as c
    from education.models import Attendance, Classroom, Meeting, Session

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
    # every unit's party-group meetings, most with a 第一议题 recorded as a session of the
    # theory classroom for the unit's members (as education.services.meeting_record does)
    theory = next(r for r in rooms if r.kind == c.ClassroomKind.THEORY)
    meetings, topics = [], []
    for m in range(0, SESSION_MONTHS, MEETING_EVERY_MONTHS):
        month = add_months(first, m)
        for n, unit in enumerate(units):
            held = month + datetime.timedelta(days=5 + n % 20)
            if held > day:
                continue
            meetings.append(Meeting(unit=unit, held_on=held, title=f"{held:%Y年%m月}党组会议",
                                    created_by=staff))  # fmt: skip
            topics.append(
                Session(
                    county=county,
                    classroom=theory,
                    kind=c.SessionKind.FIRST_TOPIC,
                    topic="学习习近平总书记重要讲话精神",
                    starts_at=_aware(held, 9),
                    ends_at=_aware(held, 10),
                    duration=Decimal("1"),
                    duration_unit=c.DurationUnit.HOURS,
                    place="单位会议室",
                    audience=c.Audience.UNITS,
                    created_by=staff,
                )
                if rng.random() < FIRST_TOPIC_SHARE
                else None
            )
    held_topics = [t for t in topics if t is not None]
    with dated(Session, "created_at"):
        for session in held_topics:
            session.created_at = session.starts_at
        Session.objects.bulk_create(held_topics)
    for meeting, topic in zip(meetings, topics, strict=True):
        meeting.first_topic = topic
    Session.units.through.objects.bulk_create(
        [
            Session.units.through(session_id=topic.pk, unit_id=meeting.unit_id)
            for meeting, topic in zip(meetings, topics, strict=True)
            if topic is not None
        ]
    )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    for meeting, topic in zip(meetings, topics, strict=True):
        for person in people_of[meeting.unit_id] if topic is not None else ():
            present = rng.random() < 0.9
            rows.append(
                Attendance(
                    session=topic,
                    person=person,
                    status=c.Status.PRESENT if present else c.Status.EXPECTED,
                    proof=c.Proof.ROSTER if present else "",
                    signed_at=topic.starts_at if present else None,
                    recorded_by=staff if present else None,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    counts = {
        "classrooms": len(rooms),
        "study sessions": len(sessions) + len(held_topics),
        "attendance": len(rows),
        "party-group meetings": len(meetings),
    }
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
    counts["authenticators"] = audit_administrator(like=admin)
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
        Meeting,
        Session,
    )
    from people.models import PracticalMatter
    from teams.models import (
        Assignment,
        Contact,
        GuidanceVisit,
        MicroMatter,
        ReminderTalk,
        Team,
        TeamMember,
        Training,
        TrainingEntry,
    )
    from wishes.models import Category, Group, Route, Step, Town, Village, Wish

    for model in (Step, Wish, Route, Group, Village, Town, Category, Attendance,
                  Meeting, Session.units.through, Session, Classroom, CommunityService,
                  CommunityRegistration, Community, MicroMatter, PracticalMatter,
                  GuidanceVisit.went.through, GuidanceVisit, Contact, TrainingEntry, Training,
                  ReminderTalk, Assignment, TeamMember, Team):  # fmt: skip
        model.objects.all().delete()
    CountyMechanism.objects.exclude(mechanism=Mechanism.ZONES).delete()
