"""Synthetic load for benchmarks (`manage.py generate_load`): a city of N counties, each like the
demo county, built from scratch in an empty database with bulk inserts.

At scale N the city (安康市 610900) has N counties (石泉县 610922 first, then Ankang's other
counties and districts by their GB/T 2260 codes; past ten, numbered copies under the city's free
codes, so at most 99), each running the zones mechanism with ten zones numbered 1…10 of nine
organ units each (N×10 zones, N×90 units), its own staff account (`gen_staff_<code>`), five
committee leaders guiding two of its zones each and a secretary account per unit; one city staff
account (`gen_city`) reads them all. Every county has `years` years (five by default) of
history: monthly host slots and joint activities with their events, participants and attachment
records, quarterly mutual checks and its own half-year patrol rounds, its zones patrolling one
another, with score sheets and lines, findings in every rectification state (some overdue),
its monthly roll-up reports, and notifications.

Deterministic for a seed: every choice comes from one `random.Random(seed)` and "today" is
`zones.selectors.today()`. Attachment rows point at a few small shared files, written once.
`bulk_create` skips `save()`, so the derived pinyin columns of units and zones are computed here.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.constants import (
    ActivityForm,
    ActivityState,
    AttachmentKind,
    EventAction,
    JointTag,
)
from activities.demo import TITLES
from activities.models import Activity, ActivityEvent, Attachment, HostSlot, Outcome
from core.constants import Role
from core.demo import DEMO_PASSWORD
from core.periods import half_bounds, month_end, month_start, months_between, quarter_bounds
from core.pinyin import name_initials, name_pinyin
from counties.constants import (
    DEFAULT_CITY_CODE,
    DEFAULT_CITY_NAME,
    DEFAULT_CITY_SHORT_NAME,
    Mechanism,
)
from counties.models import City, County, CountyMechanism
from notifications.constants import Kind
from notifications.models import Notification
from people.constants import PostKind as RegisterPost
from people.idnumber import compose
from people.models import Membership as PersonMembership
from people.models import Person
from people.models import Post as PersonPost
from reports.constants import PeriodKind, ReportState
from reports.models import RollupReport
from supervision.constants import (
    CheckState,
    FindingState,
    RoundState,
    Severity,
    SheetState,
    Source,
)
from supervision.models import (
    ChecklistTemplate,
    Criterion,
    Finding,
    FindingEvent,
    MutualCheck,
    PatrolRound,
    PatrolTeam,
    ScoreLine,
    ScoreSheet,
)
from supervision.services import active_template
from zones.constants import Grade, MembershipRole, OrgType, PostKind, UnitKind
from zones.demo import GIVEN, SECRETARY_NAMES, THIRD_CLASS, ZONES
from zones.models import Membership, Unit, UnitGrade, UnitPost, Zone, ZoneLeadership
from zones.selectors import today as portal_today

from . import loadgen_more

USERNAME_PREFIX = "gen_"
BATCH = 2000

# Ankang's counties and districts (code, name, short name), GB/T 2260; the demo county first.
COUNTIES = [
    ("610922", "石泉县", "石泉"),
    ("610921", "汉阴县", "汉阴"),
    ("610923", "宁陕县", "宁陕"),
    ("610924", "紫阳县", "紫阳"),
    ("610925", "岚皋县", "岚皋"),
    ("610926", "平利县", "平利"),
    ("610927", "镇坪县", "镇坪"),
    ("610981", "旬阳市", "旬阳"),
    ("610929", "白河县", "白河"),
    ("610902", "汉滨区", "汉滨"),
]
# Past ten, the counties repeat with a number, under the city's codes not yet taken.
SPARE_CODES = [
    f"{DEFAULT_CITY_CODE[:4]}{n:02d}"
    for n in range(1, 100)
    if f"{DEFAULT_CITY_CODE[:4]}{n:02d}" not in {code for code, _n, _s in COUNTIES}
]
MAX_SCALE = len(COUNTIES) + len(SPARE_CODES)  # 99: every two-digit county code of one city
FIRST_COUNTY_CODE = COUNTIES[0][0]
CITY_USERNAME = f"{USERNAME_PREFIX}city"
ZONES_PER_COUNTY = len(ZONES)


def staff_username(code: str, n: int = 1) -> str:
    """The generated staff account of the county with GB/T 2260 `code` (its `n`th: the
    first, whose pages `make bench` measures, or the second, which the mix signs in too)."""
    return f"{USERNAME_PREFIX}staff_{code}" + (f"_{n}" if n > 1 else "")


# The staff of county 1, whose pages `make bench` measures.
STAFF_USERNAME = staff_username(FIRST_COUNTY_CODE)


def county_spec(index: int) -> tuple[str, str, str]:
    """(code, name, short name) of county `index` (0 is county 1)."""
    if index < len(COUNTIES):
        return COUNTIES[index]
    code, name, short = COUNTIES[index % len(COUNTIES)]
    copy = index // len(COUNTIES) + 1
    return SPARE_CODES[index - len(COUNTIES)], f"{short}{copy}{name[-1]}", f"{short}{copy}"


PLACES = ["县委党校", "经开区党群服务中心", "江南社区", "后柳古镇", "青泥洞村", "单位会议室"]
PROBLEMS = [
    ("“三会一课”记录不完整，部分支委会未记录议题", Severity.GENERAL),
    ("主题党日活动签到表缺失", Severity.GENERAL),
    ("党费收缴台账与实际不一致", Severity.MAJOR),
    ("发展党员档案材料不齐全", Severity.MAJOR),
    ("党建工作责任清单未细化到班子成员", Severity.SERIOUS),
    ("宣传栏内容超过半年未更新", Severity.GENERAL),
]
# Calendar days standing in for the working days to rectify, by severity.
DEADLINE_DAYS = {Severity.GENERAL: 28, Severity.MAJOR: 14, Severity.SERIOUS: 7}
SHARED_FILES = [
    ("loadgen/photo-1.jpg", "image/jpeg", AttachmentKind.PHOTO),
    ("loadgen/photo-2.jpg", "image/jpeg", AttachmentKind.PHOTO),
    ("loadgen/sign-in.pdf", "application/pdf", AttachmentKind.SHEET),
]
NOTIFICATION_KINDS = {
    Kind.HOST_UPCOMING: "下月轮值提醒",
    Kind.CONFIRMATION_WAITING: "活动待确认",
    Kind.FINDING_DUE_SOON: "整改即将到期",
    Kind.CHECK_PUBLISHED: "督导结果已公布",
}


class DatabaseNotEmpty(Exception):
    """The generator builds from scratch: it refuses a database that already has zones."""


@dataclass
class LoadResult:
    """What was built: row counts per model and the personas a benchmark signs in as."""

    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds of bulk insert per model
    staff_username: str = STAFF_USERNAME  # county 1's staff
    city_username: str = CITY_USERNAME
    county_codes: list[str] = field(default_factory=list)  # county 1 first
    secretary_username: str = ""  # the secretary of county 1's zone 1's lead unit
    zone_id: int = 0  # county 1's zone 1
    unit_id: int = 0  # county 1's zone 1's lead unit


def database_is_empty() -> bool:
    return not Zone.objects.exists()


def _counties(scale: int, *, since: datetime.date) -> list[County]:
    """The city and its first `scale` counties, each running the zones mechanism since `since`.
    A county (or the city) that already exists under its code is reused as it is: a database
    whose organization was reset keeps the counties its accounts belong to."""
    city, _created = City.objects.get_or_create(
        code=DEFAULT_CITY_CODE,
        defaults={"name": DEFAULT_CITY_NAME, "short_name": DEFAULT_CITY_SHORT_NAME},
    )
    counties = []
    for index in range(scale):
        code, name, short_name = county_spec(index)
        county, _created = County.objects.get_or_create(
            code=code, defaults={"city": city, "name": name, "short_name": short_name}
        )
        counties.append(county)
    running = set(
        CountyMechanism.objects.filter(
            county__in=counties, mechanism=Mechanism.ZONES, until__isnull=True
        ).values_list("county_id", flat=True)
    )
    _bulk(
        CountyMechanism,
        [
            CountyMechanism(county=county, mechanism=Mechanism.ZONES, since=since)
            for county in counties
            if county.pk not in running
        ],
    )
    return counties


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


_timings: dict[str, float] = {}


def _bulk(model, rows: list) -> list:
    started = time.perf_counter()
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    name = model._meta.label
    _timings[name] = _timings.get(name, 0.0) + time.perf_counter() - started
    return created


# Members of the register per unit (the secretary among them): the register's pages are
# measured on a small and a larger county.
REGISTER_MEMBERS_PER_UNIT = 6


def _register(units, secretaries, *, start: datetime.date, rng) -> dict[int, list[Person]]:
    """People of the register: each unit's members (its secretary holding the 书记 post) with
    generated ID numbers of the unit's county, encrypted as the services store them. Returns
    each unit's people, its secretary first."""
    people: list[Person] = []
    for n, (unit, user) in enumerate(zip(units, secretaries, strict=True)):
        tenant = unit.county
        for m in range(REGISTER_MEMBERS_PER_UNIT):
            name = user.full_name if m == 0 else rng.choice(SECRETARY_NAMES) + rng.choice(GIVEN)
            born = datetime.date(1965 + (n + m) % 35, 1 + m, 1 + n % 28)
            person = Person(
                county=tenant,
                name=name,
                date_of_birth=born,
                mobile=f"137{n:05d}{m:03d}",
                joined_on=datetime.date(born.year + 25, 7, 1),
                user=user if m == 0 else None,
                name_pinyin=name_pinyin(name)[:300],
                name_initials=name_initials(name)[:60],
            )
            person.set_id_number(compose(region=tenant.code, born=born, sequence=n * 10 + m))
            people.append(person)
    _bulk(Person, people)
    _bulk(
        PersonMembership,
        [
            PersonMembership(person=person, unit=unit, effective_from=start)
            for person, unit in zip(
                people,
                [u for u in units for _m in range(REGISTER_MEMBERS_PER_UNIT)],
                strict=True,
            )
        ],
    )
    _bulk(
        PersonPost,
        [
            PersonPost(
                person=people[i * REGISTER_MEMBERS_PER_UNIT],
                unit=unit,
                kind=RegisterPost.SECRETARY,
                effective_from=start,
            )
            for i, unit in enumerate(units)
        ],
    )
    size = REGISTER_MEMBERS_PER_UNIT
    return {unit.pk: people[i * size : (i + 1) * size] for i, unit in enumerate(units)}


def _shared_files() -> None:
    """A few tiny files every attachment row points at, written once."""
    from PIL import Image

    for name, mime, _kind in SHARED_FILES:
        if default_storage.exists(name):
            continue
        if mime == "application/pdf":
            data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        else:
            out = io.BytesIO()
            Image.new("RGB", (64, 48), (180, 60, 40)).save(out, format="JPEG", quality=60)
            data = out.getvalue()
        default_storage.save(name, ContentFile(data))


@transaction.atomic
def reset() -> None:
    """Delete everything the generator builds (leaves first, so each delete is one statement),
    and the accounts it made."""
    User = get_user_model()
    loadgen_more.reset()
    for model in (
        Notification,
        RollupReport,
        FindingEvent,
        ScoreLine,
    ):
        model.objects.all().delete()
    Finding.objects.filter(corrects__isnull=False).delete()
    for model in (
        Finding,
        ScoreSheet,
        PatrolTeam.members.through,
        PatrolTeam,
        PatrolRound,
        MutualCheck,
        ActivityEvent,
        Attachment,
        Outcome,
        Activity.participants.through,
        Activity,
        HostSlot,
    ):
        model.objects.all().delete()
    # the counties' copies of the city's checklist (their checks are gone); the city's stays
    ChecklistTemplate.objects.filter(county__isnull=False).delete()
    from activities.models import RotationOrder

    for model in (
        RotationOrder,
        PersonPost,
        PersonMembership,
        Person,
        UnitPost,
        UnitGrade,
        Membership,
        ZoneLeadership,
    ):
        model.objects.all().delete()
    Unit.objects.all().delete()
    Zone.objects.all().delete()
    User.objects.filter(username__startswith=USERNAME_PREFIX).delete()
    # The counties no account belongs to any more go too (with the mechanisms they ran), unless
    # a record the generator does not build still refers to one; then the city if it is empty.
    for county in County.objects.filter(people__isnull=True):
        try:
            with transaction.atomic():
                county.delete()
        except (ProtectedError, RestrictedError):
            continue
    City.objects.filter(counties__isnull=True).delete()


@transaction.atomic
def generate(*, scale: int, seed: int, years: int = 5, extras: bool = False) -> LoadResult:
    """Build a city of `scale` counties, each like the demo county, with `years` years of
    history ending today. With `extras` (what `generate_load` does unless told not to) also the
    audit events, history rows and the three new mechanisms' records (bench.loadgen_more);
    without them county 1 runs the zones only, as the query-budget tests measure it."""
    if scale < 1 or years < 1:
        raise ValueError(_("Scale and years must be at least 1."))
    if scale > MAX_SCALE:
        raise ValueError(
            _("A city has at most %(max)d counties (two digits of GB/T 2260).") % {"max": MAX_SCALE}
        )
    if not database_is_empty():
        raise DatabaseNotEmpty(
            _("The database already has zones; generate_load builds from scratch (use --reset).")
        )
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    day = portal_today()
    start = datetime.date(day.year - years + 1, 1, 1)
    grading_day = start - datetime.timedelta(days=31)
    this_month = month_start(day)
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    # Where the password policy records when a password was set, record it now: the accounts
    # are for signing in to a benchmark, not for a forced change at the first sign-in.
    fields = {f.name for f in User._meta.get_fields()}
    extra = {"password_changed_at": timezone.now()} if "password_changed_at" in fields else {}
    result = LoadResult()
    _timings.clear()
    counts = result.counts

    # --- the city, its counties, people and organization ----------------------------------------
    counties = _counties(scale, since=start)
    county_of_zone = [county for county in counties for _z in range(ZONES_PER_COUNTY)]
    admin = User(
        username=f"{USERNAME_PREFIX}admin",
        full_name="系统管理员",
        role=Role.STAFF,
        is_staff=True,
        is_superuser=True,
        password=password,
        **extra,
    )
    city_staff = User(
        username=CITY_USERNAME,
        full_name="安康市委组织部",
        role=Role.CITY_STAFF,
        password=password,
        **extra,
    )

    def staff(county, n: int = 1) -> User:
        suffix = "" if n == 1 else "（二）"
        return User(
            username=staff_username(county.code, n),
            full_name=f"{county.short_name}工委{suffix}",
            role=Role.STAFF,
            county=county,
            is_staff=True,
            password=password,
            **extra,
        )

    staff_of = {county.pk: staff(county) for county in counties}
    # A county's second staff account (a committee office has a handful of staff): the
    # business-hours mix signs in both of every county (bench.measure.mix_personas).
    second_staff = [staff(county, 2) for county in counties]
    # Five leaders per county, each guiding two of its zones.
    leaders = [
        User(
            username=f"{USERNAME_PREFIX}leader_{county.code}_{n + 1}",
            full_name=rng.choice(SECRETARY_NAMES) + rng.choice(GIVEN),
            role=Role.LEADER,
            county=county,
            password=password,
            **extra,
        )
        for county in counties
        for n in range(ZONES_PER_COUNTY // 2)
    ]
    _bulk(User, [admin, city_staff, *staff_of.values(), *second_staff, *leaders])

    zones: list[Zone] = []
    # (zone index, position, name, demo name, starred)
    unit_specs: list[tuple[int, int, str, str, bool]] = []
    for county in counties:
        for number, zone_name, focus, _category, names in ZONES:
            zones.append(
                Zone(
                    county=county,
                    number=number,
                    name=zone_name,
                    focus=focus,
                    name_initials=name_initials(zone_name),
                )
            )
            for position, raw in enumerate(names):
                base = raw.lstrip("*")
                unit_specs.append(
                    (
                        len(zones) - 1,
                        position,
                        base.replace("石泉", county.short_name),
                        base,
                        raw.startswith("*"),
                    )
                )
    _bulk(Zone, zones)
    categories = {number: category for number, _n, _f, category, _u in ZONES}

    units: list[Unit] = []
    for n, (zone_index, position, name, _base, _starred) in enumerate(unit_specs, start=1):
        short = name[len(name) - 8 :] if len(name) > 8 else name
        county = county_of_zone[zone_index]
        units.append(
            Unit(
                county=county,
                name=name,
                short_name=short,
                kind=UnitKind.ORGAN,
                org_type=OrgType.COMMITTEE
                if position == 0
                else (OrgType.GENERAL_BRANCH if n % 4 == 0 else OrgType.BRANCH),
                work_category=categories[zones[zone_index].number],
                location=f"{county.name}城关镇{['江南', '江北', '古堰', '西城', '东坝'][n % 5]}路{n * 3}号",
                member_count=12 + (n * 7) % 40,
                secretary_name=rng.choice(SECRETARY_NAMES) + rng.choice(GIVEN),
                secretary_phone=f"139{n:08d}",
                name_pinyin=name_pinyin(name),
                name_initials=name_initials(f"{name}{short}"),
            )
        )
    _bulk(Unit, units)

    # A secretary account per unit, numbered within its county.
    secretaries = []
    for index, unit in enumerate(units):
        county = county_of_zone[unit_specs[index][0]]
        number = index % (len(units) // len(counties)) + 1
        secretaries.append(
            User(
                username=f"{USERNAME_PREFIX}sec_{county.code}_{number:02d}",
                full_name=unit.secretary_name,
                role=Role.SECRETARY,
                county=county,
                password=password,
                **extra,
            )
        )
    _bulk(User, secretaries)
    _bulk(
        UnitPost,
        [
            UnitPost(user=user, unit=unit, kind=PostKind.SECRETARY)
            for user, unit in zip(secretaries, units, strict=True)
        ],
    )
    secretary_of = {unit.pk: user for unit, user in zip(units, secretaries, strict=True)}
    people_of = _register(units, secretaries, start=start, rng=rng)

    # Class grades: lead and starred units first class, a few third, the rest second; then a
    # few movements at each year's end.
    grades: list[UnitGrade] = []
    current_grade: dict[int, int] = {}
    for unit, (_z, _position, _name, base, starred) in zip(units, unit_specs, strict=True):
        grade = Grade.FIRST if starred else (Grade.THIRD if base in THIRD_CLASS else Grade.SECOND)
        current_grade[unit.pk] = grade
        grades.append(
            UnitGrade(
                unit=unit,
                grade=grade,
                effective_from=grading_day,
                reason="年度分类定级",
                set_by=admin,
            )
        )
    for year in range(start.year, day.year):
        review = datetime.date(year, 12, 31)
        for unit, (_z, position, _name, _b, _s) in zip(units, unit_specs, strict=True):
            if position == 0 or rng.random() > 0.05:
                continue
            before = current_grade[unit.pk]
            after = max(1, min(3, before + rng.choice([-1, 1])))
            if after == before:
                continue
            current_grade[unit.pk] = after
            grades.append(
                UnitGrade(
                    unit=unit,
                    grade=after,
                    effective_from=review,
                    reason="年度考核进位" if after < before else "整改不到位降类",
                    set_by=admin,
                )
            )
    _bulk(UnitGrade, grades)

    # Memberships: every unit from the start; a few member units move to the next zone of
    # their county on 1 January of a later year.
    memberships: list[Membership] = []
    periods: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
    for unit, (zone_index, position, _name, _b, _s) in zip(units, unit_specs, strict=True):
        zone = zones[zone_index]
        role = MembershipRole.LEAD if position == 0 else MembershipRole.MEMBER
        moved_on = None
        if position > 0 and years > 1 and rng.random() < 0.03:
            moved_on = datetime.date(start.year + rng.randint(1, years - 1), 1, 1)
        memberships.append(
            Membership(
                unit=unit,
                zone=zone,
                role=role,
                effective_from=start,
                effective_to=moved_on,
                reason="片区划分",
                created_by=admin,
            )
        )
        periods.setdefault(zone.pk, []).append((unit.pk, start, moved_on))
        if moved_on:
            county_first = zone_index - zone_index % 10
            target = zones[county_first + (zone_index % 10 + 1) % 10]
            memberships.append(
                Membership(
                    unit=unit,
                    zone=target,
                    role=MembershipRole.MEMBER,
                    effective_from=moved_on,
                    reason="工作归口调整",
                    created_by=admin,
                )
            )
            periods.setdefault(target.pk, []).append((unit.pk, moved_on, None))
    _bulk(Membership, memberships)
    lead_of = {zones[spec[0]].pk: units[i].pk for i, spec in enumerate(unit_specs) if spec[1] == 0}
    unit_by_pk = {unit.pk: unit for unit in units}

    def members_on(zone_id: int, when: datetime.date) -> list[int]:
        return [
            pk
            for pk, first, last in periods[zone_id]
            if first <= when and (last is None or last > when)
        ]

    _bulk(
        ZoneLeadership,
        [
            ZoneLeadership(
                zone=zone,
                leader=leaders[index // 2],
                effective_from=start,
                reason="工委领导联片指导",
                created_by=admin,
            )
            for index, zone in enumerate(zones)
        ],
    )
    guide_of = {zone.pk: leaders[index // 2] for index, zone in enumerate(zones)}

    # --- monthly host slots and joint activities ----------------------------------------------
    months = months_between(start, datetime.date(day.year, 12, 1))
    slots: list[HostSlot] = []
    host_of: dict[tuple[int, datetime.date], int] = {}
    for zone in zones:
        for index, month in enumerate(months):
            members = members_on(zone.pk, month)
            host = members[index % len(members)]
            host_of[(zone.pk, month)] = host
            slots.append(HostSlot(zone=zone, month=month, unit_id=host))
    _bulk(HostSlot, slots)

    forms = list(ActivityForm)
    activities: list[Activity] = []
    plans: list[tuple[str, list[int]]] = []  # (fate, participants) per activity
    for month in (m for m in months if m <= this_month):
        for zone in zones:
            roll = rng.random()
            if month == this_month:
                fate = ["confirmed", "submitted", "none"][zone.number % 3]
            elif roll < 0.05:
                fate = "none"  # a gap in the grid
            elif roll < 0.09:
                fate = "returned"
            elif roll < 0.11:
                fate = "draft"
            elif (this_month - month).days <= 62 and roll < 0.3:
                fate = "submitted"
            else:
                fate = "confirmed"
            if fate == "none":
                continue
            host = host_of[(zone.pk, month)]
            last_day = day.day if month == this_month else 28
            date = month.replace(day=rng.randint(1, last_day))
            form = forms[rng.randrange(len(forms))]
            members = [pk for pk in members_on(zone.pk, date) if pk != host]
            participants = rng.sample(members, min(len(members), rng.randint(2, 4)))
            tags = rng.sample(list(JointTag.values), rng.randint(1, 3))
            title = rng.choice(TITLES[form])
            activities.append(
                Activity(
                    zone=zone,
                    month=month,
                    host_unit_id=host,
                    form=form.value,
                    tags=Activity.encode_tags(tags),
                    title=title[:200],
                    date=date,
                    place=rng.choice(PLACES),
                    participant_count=rng.randint(12, 60),
                    summary=f"{zone.name}{unit_by_pk[host].name}牵头组织，{len(participants) + 1}家单位党员参加。",
                    state={
                        "confirmed": ActivityState.CONFIRMED,
                        "submitted": ActivityState.SUBMITTED,
                        "returned": ActivityState.RETURNED,
                        "draft": ActivityState.DRAFT,
                    }[fate],
                    return_reason="缺少签到表，请补充后重新提交。" if fate == "returned" else "",
                    created_by=secretary_of[host],
                )
            )
            plans.append((fate, participants))
    _bulk(Activity, activities)
    through = Activity.participants.through
    _bulk(
        through,
        [
            through(activity_id=activity.pk, unit_id=pk)
            for activity, (_f, participants) in zip(activities, plans, strict=True)
            for pk in participants
        ],
    )
    events: list[ActivityEvent] = []
    attachments: list[Attachment] = []
    outcomes: list[Outcome] = []
    for activity, (fate, _p) in zip(activities, plans, strict=True):
        author = secretary_of[activity.host_unit_id]
        reviewer = secretary_of[lead_of[activity.zone_id]]
        steps = [(author, EventAction.CREATED, "", ActivityState.DRAFT)]
        if fate != "draft":
            steps.append(
                (author, EventAction.SUBMITTED, ActivityState.DRAFT, ActivityState.SUBMITTED)
            )
        if fate == "confirmed":
            steps.append(
                (reviewer, EventAction.CONFIRMED, ActivityState.SUBMITTED, ActivityState.CONFIRMED)
            )
        if fate == "returned":
            steps.append(
                (reviewer, EventAction.RETURNED, ActivityState.SUBMITTED, ActivityState.RETURNED)
            )
        events.extend(
            ActivityEvent(
                activity_id=activity.pk, actor_id=actor.pk, action=action, from_state=a, to_state=b
            )
            for actor, action, a, b in steps
        )
        for _n in range(rng.choices([0, 1, 2], weights=[5, 4, 1])[0]):
            name, mime, kind = SHARED_FILES[rng.randrange(len(SHARED_FILES))]
            attachments.append(
                Attachment(
                    activity=activity,
                    file=name,
                    kind=kind,
                    mime=mime,
                    original_name=name.rsplit("/", 1)[1],
                    size=2048,
                    uploaded_by=author,
                )
            )
        if activity.form in (ActivityForm.JOINT_TACKLING, ActivityForm.MUTUAL_CHECK):
            outcomes.append(
                Outcome(
                    activity=activity,
                    description="解决问题",
                    quantity=Decimal(rng.randint(1, 5)),
                    measure="个",
                )
            )
    _bulk(ActivityEvent, events)
    _bulk(Attachment, attachments)
    _bulk(Outcome, outcomes)
    _shared_files()

    # --- quarterly mutual checks and half-year patrols -----------------------------------------
    template = active_template()
    criteria = list(
        Criterion.objects.filter(group__template=template)
        .select_related("group")
        .order_by("group__position", "position", "pk")
    )
    max_total = sum((c.max_score for c in criteria), Decimal("0"))
    quality = {unit.pk: rng.uniform(0.62, 0.98) for unit in units}
    checks: list[MutualCheck] = []
    for year in range(start.year, day.year + 1):
        for quarter in (1, 2, 3, 4):
            first, last = quarter_bounds(year, quarter)
            if first > day:
                continue
            published = last + datetime.timedelta(days=10)
            is_published = published <= day
            for zone in zones:
                lead_secretary = secretary_of[lead_of[zone.pk]]
                checks.append(
                    MutualCheck(
                        zone=zone,
                        year=year,
                        quarter=quarter,
                        template=template,
                        state=CheckState.PUBLISHED if is_published else CheckState.DRAFT,
                        organized_by=lead_secretary,
                        published_at=_aware(published) if is_published else None,
                        published_by=lead_secretary if is_published else None,
                    )
                )
    _bulk(MutualCheck, checks)
    sheets: list[ScoreSheet] = []
    # (raised on, zone id, year) per sheet
    sheet_meta: list[tuple[datetime.date | None, int, int]] = []
    for check in checks:
        first, last = quarter_bounds(check.year, check.quarter)
        members = members_on(check.zone_id, last if last <= day else day)
        shift = 1 + (check.year * 4 + check.quarter) % max(1, len(members) - 1)
        raised = (check.published_at and last + datetime.timedelta(days=10)) or None
        for index, checked in enumerate(members):
            checker = members[(index + shift) % len(members)]
            if checker == checked:
                continue
            done = raised is not None or rng.random() < 0.6
            sheets.append(
                ScoreSheet(
                    mutual_check=check,
                    checker_unit_id=checker,
                    checked_unit_id=checked,
                    template=template,
                    state=SheetState.SUBMITTED if done else SheetState.OPEN,
                    max_total=max_total,
                    submitted_by=secretary_of[checker] if done else None,
                    submitted_at=_aware(min(last, day)) if done else None,
                )
            )
            sheet_meta.append((raised, check.zone_id, check.year))

    # Each county's own patrol round every half-year, its zones patrolling one another.
    rounds: list[PatrolRound] = []
    for county in counties:
        for year in range(start.year, day.year + 1):
            for half in (1, 2):
                first, last = half_bounds(year, half)
                if first > day:
                    continue
                closed = last + datetime.timedelta(days=15)
                rounds.append(
                    PatrolRound(
                        county=county,
                        year=year,
                        half=half,
                        template=template,
                        state=RoundState.CLOSED if closed <= day else RoundState.PUBLISHED,
                        plan_note="交叉巡回督导方案",
                        opened_by=staff_of[county.pk],
                        published_at=_aware(first + datetime.timedelta(days=30)),
                        closed_at=_aware(closed) if closed <= day else None,
                    )
                )
    _bulk(PatrolRound, rounds)
    county_zones = {
        county.pk: zones[n * ZONES_PER_COUNTY : (n + 1) * ZONES_PER_COUNTY]
        for n, county in enumerate(counties)
    }
    teams: list[PatrolTeam] = []
    for round_ in rounds:
        first, last = half_bounds(round_.year, round_.half)
        shift = 1 + (round_.year * 2 + round_.half) % 9
        its_zones = county_zones[round_.county_id]
        for index, zone in enumerate(its_zones):
            from_zone = its_zones[(index + shift) % ZONES_PER_COUNTY]
            visited = round_.state == RoundState.CLOSED or rng.random() < 0.6
            teams.append(
                PatrolTeam(
                    round=round_,
                    visited_zone=zone,
                    from_zone=from_zone,
                    leader=guide_of[from_zone.pk],
                    visit_date=min(last - datetime.timedelta(days=rng.randint(20, 60)), day)
                    if visited
                    else None,
                    heard_secretary="书记汇报了党建工作责任落实和片区联建情况" if visited else "",
                    heard_members="党员希望增加现场教学和业务培训" if visited else "",
                    heard_recipients="服务对象希望窗口服务延时办理" if visited else "",
                )
            )
    _bulk(PatrolTeam, teams)
    team_members = PatrolTeam.members.through
    member_rows = []
    round_of = {round_.pk: round_ for round_ in rounds}
    for team in teams:
        round_ = round_of[team.round_id]
        first, last = half_bounds(round_.year, round_.half)
        visitors = members_on(team.from_zone_id, first)
        member_rows.extend(
            team_members(patrolteam_id=team.pk, user_id=secretary_of[pk].pk) for pk in visitors[:2]
        )
        raised = last + datetime.timedelta(days=15) if round_.state == RoundState.CLOSED else None
        for checked in members_on(team.visited_zone_id, first):
            done = team.visit_date is not None
            sheets.append(
                ScoreSheet(
                    team=team,
                    checked_unit_id=checked,
                    template=template,
                    state=SheetState.SUBMITTED if done else SheetState.OPEN,
                    max_total=max_total,
                    submitted_by=team.leader if done else None,
                    submitted_at=_aware(team.visit_date) if done else None,
                )
            )
            sheet_meta.append((raised, team.visited_zone_id, round_.year))
    _bulk(team_members, member_rows)

    # Scores: each unit around its quality, line by line; totals on the sheet.
    sheet_scores: list[list[Decimal | None]] = []
    for sheet, meta in zip(sheets, sheet_meta, strict=True):
        if sheet.state == SheetState.OPEN:
            sheet_scores.append([None] * len(criteria))
            continue
        q = quality[sheet.checked_unit_id]
        if meta[2] < day.year - 1:  # totals only (see below)
            factor = Decimal(str(round(min(1.0, max(0.4, q + rng.uniform(-0.1, 0.06))), 2)))
            sheet.total = (max_total * factor * 2).quantize(Decimal("1")) / 2
            sheet_scores.append([])
            continue
        scores = [
            (
                c.max_score * Decimal(str(min(1.0, max(0.4, q + rng.uniform(-0.12, 0.08))))) * 2
            ).quantize(Decimal("1"))
            / 2
            for c in criteria
        ]
        sheet.total = sum(scores, Decimal("0"))
        sheet_scores.append(scores)
    _bulk(ScoreSheet, sheets)
    # Line by line scores are kept for the sheets of this year and last; older sheets keep
    # their totals only (what every page and report reads), which keeps a large scale quick.
    # Lines go in chunks, so that hundreds of thousands never sit in memory at once.
    lined = [
        (sheet, scores)
        for sheet, scores, meta in zip(sheets, sheet_scores, sheet_meta, strict=True)
        if meta[2] >= day.year - 1
    ]
    line_count = 0
    chunk = max(1, 20_000 // max(1, len(criteria)))
    for offset in range(0, len(lined), chunk):
        lines = [
            ScoreLine(
                sheet_id=sheet.pk,
                criterion_id=criterion.pk,
                group_title=criterion.group.title,
                text=criterion.text,
                max_score=criterion.max_score,
                score=score,
                position=position,
            )
            for sheet, scores in lined[offset : offset + chunk]
            for position, (criterion, score) in enumerate(
                zip(criteria, scores, strict=True), start=1
            )
        ]
        _bulk(ScoreLine, lines)
        line_count += len(lines)

    # --- findings and their rectification ------------------------------------------------------
    findings: list[Finding] = []
    for sheet, (raised, zone_id, _year) in zip(sheets, sheet_meta, strict=True):
        if sheet.state == SheetState.OPEN:
            continue
        q = quality[sheet.checked_unit_id]
        for _n in range(rng.choices([0, 1, 2], weights=[q * 20, 4, 2 * (1 - q) * 10])[0]):
            text, severity = rng.choice(PROBLEMS)
            finding = Finding(
                sheet=sheet,
                source=Source.MUTUAL_CHECK if sheet.mutual_check_id else Source.PATROL,
                responsible_unit_id=sheet.checked_unit_id,
                zone_id=zone_id,
                description=text,
                suggestion="限期整改并报送佐证材料",
                severity=severity,
                created_by=sheet.submitted_by,
            )
            if raised is not None:
                finding.raised_on = raised
                finding.deadline = raised + datetime.timedelta(days=DEADLINE_DAYS[severity])
                roll = rng.random()
                if finding.deadline >= day:  # still running
                    finding.state = rng.choice(
                        [
                            FindingState.OPEN,
                            FindingState.IN_PROGRESS,
                            FindingState.SUBMITTED,
                            FindingState.RETURNED,
                        ]
                    )
                elif roll < 0.03:
                    finding.state = FindingState.OPEN  # overdue, untouched
                elif roll < 0.06:
                    finding.state = FindingState.IN_PROGRESS  # overdue
                elif roll < 0.08:
                    finding.state = FindingState.RETURNED  # overdue
                elif roll < 0.09:
                    finding.state = FindingState.SUBMITTED
                else:
                    finding.state = FindingState.CLOSED
                    late = rng.random() < 0.15
                    finding.closed_on = min(
                        day,
                        finding.deadline
                        + datetime.timedelta(
                            days=rng.randint(1, 12) if late else -rng.randint(0, 6)
                        ),
                    )
                    finding.closed_on = max(finding.closed_on, raised)
            findings.append(finding)
    # Whatever the dice said, the latest raised findings show every state, one each.
    raised_findings = [f for f in findings if f.raised_on is not None]
    for finding, state in zip(reversed(raised_findings), list(FindingState), strict=False):
        finding.state = state
        finding.closed_on = finding.raised_on if state == FindingState.CLOSED else None
    _bulk(Finding, findings)
    path = {
        FindingState.OPEN: [],
        FindingState.IN_PROGRESS: [("open", "in_progress")],
        FindingState.SUBMITTED: [("open", "in_progress"), ("in_progress", "submitted")],
        FindingState.RETURNED: [
            ("open", "in_progress"),
            ("in_progress", "submitted"),
            ("submitted", "returned"),
        ],
        FindingState.CLOSED: [
            ("open", "in_progress"),
            ("in_progress", "submitted"),
            ("submitted", "closed"),
        ],
    }
    _bulk(
        FindingEvent,
        [
            FindingEvent(
                finding_id=finding.pk,
                from_state=a,
                to_state=b,
                by_id=admin.pk
                if b in ("closed", "returned")
                else secretary_of[finding.responsible_unit_id].pk,
            )
            for finding in findings
            for a, b in path[finding.state]
        ],
    )

    # --- roll-up reports and notifications -----------------------------------------------------
    # Each county's monthly reports, requested (and filed) by its staff.
    reports: list[RollupReport] = []
    for county in counties:
        staff = staff_of[county.pk]
        for month in (m for m in months if m < this_month):
            end = month_end(month)
            filed = (this_month - month).days > 92
            reports.append(
                RollupReport(
                    county=county,
                    kind=PeriodKind.MONTH,
                    period_start=month,
                    period_end=end,
                    state=ReportState.FILED if filed else ReportState.READY,
                    progress=100,
                    figures={},
                    narrative=f"{county.name}{month:%Y年%m月}联建活动开展情况汇总。",
                    requested_by=staff,
                    generated_at=_aware(end + datetime.timedelta(days=1), 3),
                    filed_by=staff if filed else None,
                    filed_at=_aware(end + datetime.timedelta(days=5)) if filed else None,
                )
            )
    _bulk(RollupReport, reports)

    notifications: list[Notification] = []
    recent = [m for m in months if m <= this_month][-3:]
    for unit in units:
        user = secretary_of[unit.pk]
        for month in recent:
            for kind in rng.sample(list(NOTIFICATION_KINDS), 2):
                notifications.append(
                    Notification(
                        recipient=user,
                        kind=kind,
                        subject=f"unit:{unit.pk}",
                        period=f"{month:%Y-%m}",
                        title=f"{unit.display_name}：{NOTIFICATION_KINDS[kind]}",
                        url=f"/units/{unit.pk}/",
                        read_at=_aware(month) if month != this_month else None,
                    )
                )
    _bulk(Notification, notifications)

    counts.update(
        {
            "users": 2 + len(staff_of) + len(leaders) + len(secretaries),
            "counties": len(counties),
            "zones": len(zones),
            "units": len(units),
            "memberships": len(memberships),
            "class grades": len(grades),
            "host slots": len(slots),
            "activities": len(activities),
            "activity events": len(events),
            "attachments": len(attachments),
            "mutual checks": len(checks),
            "patrol rounds": len(rounds),
            "patrol teams": len(teams),
            "score sheets": len(sheets),
            "score lines": line_count,
            "findings": len(findings),
            "finding events": sum(len(path[f.state]) for f in findings),
            "reports": len(reports),
            "notifications": len(notifications),
        }
    )
    # Audit events, history rows and the three new mechanisms (issue 20; bench.loadgen_more).
    users_of: dict[int, list] = {county.pk: [staff_of[county.pk]] for county in counties}
    for user in [*leaders, *secretaries]:
        users_of[user.county_id].append(user)
    started = time.perf_counter()
    counts.update(
        {}
        if not extras
        else loadgen_more.extend(
            counties=counties,
            units=units,
            staff_of=staff_of,
            users_of=users_of,
            people_of=people_of,
            activities=activities,
            findings=findings,
            admin=admin,
            start=start,
            day=day,
            rng=rng,
        )
    )
    _timings["issue 20 extras"] = time.perf_counter() - started
    result.timings = dict(_timings)
    result.county_codes = [county.code for county in counties]
    result.secretary_username = secretary_of[lead_of[zones[0].pk]].username
    result.zone_id = zones[0].pk
    result.unit_id = lead_of[zones[0].pk]
    return result
