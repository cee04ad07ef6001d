"""Reads of member education, scoped to the reader.

- `sessions_visible_to(user)`: county staff and leaders (and city staff) every session of
  the scope; a unit's secretary the sessions their units organize or expect their members
  at; a member the sessions they are expected at. Outside it: 404.
- `person_of(user)`: the register's person of a signed-in account (Person.user), or None.
- `rules_for(year)`: the rules in force in a year (hours.Rules).
- `person_years(people, year)`: each person's hours of the year by classroom against their
  requirement — a constant number of queries for any number of people (the ledger's pin).
- `members_totals(year, county_id=...)`: every current member's requirement and total of the
  year, summed per person in one SQL statement (the county page's on-pace figure).
- `county_counts(year, county_id=...)`: the county page's other counts (classrooms, 第一议题
  meetings, 双报到), one SQL statement for one county on PostgreSQL, the querysets otherwise.
- `unit_balance(unit, year)`, `first_topic_compliance(units, year)`, `county_figures(year)`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core import prepared
from core.display import choice_labels, label_of, number_text, pk_url
from core.periods import add_months
from counties.selectors import reads_every_county
from people.constants import PRACTICAL_CATEGORIES, PostKind
from people.models import CadreProfile, Membership, Person, Post
from people.selectors import counted_matters
from zones.models import Unit, in_force_on
from zones.selectors import user_scope

from . import constants as c
from . import hours
from .models import (
    Attendance,
    Classroom,
    Community,
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    ExternalStudy,
    Meeting,
    MentorPair,
    NeedClaim,
    Session,
    StudyRules,
)

OFFICER_POSTS = frozenset(PostKind.values) - {PostKind.WORKER}


def today() -> datetime.date:
    return timezone.localdate()


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_education_person", False)
    if cached is not False:
        return cached
    person = Person.objects.filter(user=user, left_on__isnull=True).first()
    user._education_person = person
    return person


def reads_county(user) -> bool:
    """County staff and leaders read their county's education; city staff every county's."""
    return reads_every_county(user) or (
        bool(getattr(user, "is_committee", False)) and user.county_id is not None
    )


def current_unit_ids(unit_ids) -> QuerySet:
    return Membership.objects.filter(in_force_on(today()), unit_id__in=unit_ids).values("person_id")


def sessions_visible_to(user) -> QuerySet[Session]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Session.objects.none()
    if reads_county(user):
        return Session.objects.all()
    unit_ids = user_scope(user).unit_ids
    person = person_of(user)
    found = Q(pk__in=[])
    if unit_ids:
        found |= Q(pk__in=Session.objects.filter(units__in=unit_ids).values("pk")) | Q(
            pk__in=Attendance.objects.filter(person_id__in=current_unit_ids(unit_ids)).values(
                "session_id"
            )
        )
    if person is not None:
        found |= Q(pk__in=Attendance.objects.filter(person=person).values("session_id"))
    return Session.objects.filter(found)


def session_rows(sessions: QuerySet[Session], *, year: int | None = None) -> QuerySet[Session]:
    """The session list's rows with their classroom and counts, in one query: the columns the
    table prints only (`session_table`), so the grouping reads none of the sessions' texts."""
    rows = (
        sessions.select_related("classroom")
        .only("starts_at", "kind", "topic", "classroom__name")
        .annotate(
            expected_count=Count("attendances", distinct=True),
            attended_count=Count(
                "attendances", filter=Q(attendances__status__in=c.ATTENDED), distinct=True
            ),
        )
    )
    if year is not None:
        rows = rows.filter(starts_at__year__lte=year, ends_at__year__gte=year)
    return rows.order_by("-starts_at", "-pk")


_SESSION_ROW = (
    '\n<tr><td class="text-nowrap">{}</td><td>{}</td><td>{}</td>\n'
    '<td><a href="{}">{}</a></td><td class="text-end">{}</td></tr>\n'
)


def session_table(rows) -> list[Session]:
    """The session table's rows (`_session_rows.html`) with each row's markup written once
    (`html`): the day (`date:"Y-m-d"` of the local start), the classroom's name, the kind's
    label, the link and the attended/expected counts, computed here once per page
    (core.display) instead of a filter, a `get_kind_display`, a `{% url %}`, two localized
    numbers and six template variables per row."""
    kinds = choice_labels(Session, "kind")
    link = pk_url("education:session")
    number = number_text()
    found = list(rows)
    for row in found:
        row.html = format_html(
            _SESSION_ROW,
            timezone.localtime(row.starts_at).date().isoformat(),
            row.classroom.name,
            label_of(kinds, row.kind),
            link(row.pk),
            row.topic,
            f"{number(row.attended_count)}/{number(row.expected_count)}",
        )
    return found


COMMUNITY_COLUMNS = ("members", "services", "hours", "matters")
_COMMUNITY_ROW = (
    '<tr><td><a href="{}">{}</a></td>' + '<td class="text-end">{}</td>' * len(COMMUNITY_COLUMNS)
) + "</tr>"


def community_table(rows: list[dict]) -> SafeString:
    """The county page's 双报到 table's rows (`unit_community_figures`' rows), written once
    here: what `{% for row in community_units %}` gave for each, `<tr><td><a href="{{ row.url
    }}">{{ row.unit }}</a></td>` and a `<td class="text-end">{{ row.members }}</td>` for each
    figure, then a line's end; each number localized with the formats read once per page
    (core.display.number_text). Four `formats.localize`, six template variables and a loop's
    turn for each of 90 rows were most of the page's template time."""
    number = number_text()
    return SafeString(
        "".join(
            format_html(
                _COMMUNITY_ROW,
                row["url"],
                row["unit"],
                *(number(row[column]) for column in COMMUNITY_COLUMNS),
            )
            + "\n"
            for row in rows
        )
    )


def roster(session: Session) -> list[Attendance]:
    return list(session.attendances.select_related("person").order_by("person__name_pinyin", "pk"))


def _in(queryset, county_id, field="county_id"):
    return queryset.filter(**{field: county_id}) if county_id is not None else queryset


def served_matters(county_id: int | None = None) -> QuerySet:
    """双报到's records of service: the confirmed records (people.PracticalMatter, by whichever
    mechanism they were logged — a 双报到 service, a service team's matter, a fulfilled wish
    claim) of members registered with a community, each with the unit it counts for
    (`served_unit`): a service's registration's unit, otherwise that of the person's latest
    confirmed registration on the day it was done. One row per deed: a deed is never logged
    twice and never counted twice."""
    return _served_or_not(county_id).filter(served_unit__isnull=False)


def _served_or_not(county_id: int | None) -> QuerySet:
    """The confirmed records of the county's people, each with `served_unit` (None for a
    deed of someone registered nowhere): `served_matters` before its filter. A grouping by
    `served_unit` reads it from here and drops the None group itself, so the statement holds
    the registration subquery once (SELECT, grouped by its position) instead of three times
    (SELECT, WHERE and GROUP BY), each compiled and the WHERE's run for every record."""
    registered = CommunityRegistration.objects.filter(
        person_id=OuterRef("person_id"), confirmed=True, registered_on__lte=OuterRef("done_on")
    ).order_by("-registered_on", "-pk")
    matters = counted_matters().annotate(
        served_unit=Coalesce(
            "community_service__registration__unit_id",
            Subquery(registered.values("unit_id")[:1]),
            output_field=IntegerField(),
        )
    )
    return _in(matters, county_id, "person__county_id")


def practical_count() -> Count:
    """The count of the practical matters among records of service (a plain service is
    none)."""
    return Count("pk", filter=Q(category__in=PRACTICAL_CATEGORIES))


def rules_for(year: int, *, county_id: int | None = None) -> hours.Rules:
    """The rules of the county (the active scope's unless given) in force in `year` (the
    latest from that year or before), or the defaults."""
    row = _in(StudyRules.objects.filter(year__lte=year), county_id).order_by("-year").first()
    return hours.Rules.of(row)


def classrooms(*, county_id: int | None = None) -> list[Classroom]:
    return list(_in(Classroom.objects.all(), county_id).order_by("order", "pk"))


def _officer_posts(year: int) -> Q:
    """Posts that make an officer of `year`: an officer's post held on any day of it."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (Q(effective_to__isnull=True) | Q(effective_to__gt=first)) & Q(
        kind__in=OFFICER_POSTS, effective_from__lte=last
    )


def _role(*, cadre: bool, officer: bool) -> str:
    """The requirement's role: the highest that applies (cadre, officer, member)."""
    if cadre:
        return c.RequirementRole.CADRE
    if officer:
        return c.RequirementRole.OFFICER
    return c.RequirementRole.MEMBER


def _roles(person_ids, year: int) -> dict[int, str]:
    officers = set(
        Post.objects.filter(_officer_posts(year), person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
    cadres = set(
        CadreProfile.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    )
    return {pk: _role(cadre=pk in cadres, officer=pk in officers) for pk in person_ids}


def person_years(
    people, year: int, *, day: datetime.date | None = None
) -> dict[int, hours.PersonYear]:
    """Each person's hours of `year` (see hours): five queries whatever the number of people
    (rules, posts and cadre profiles, first memberships, attendances, imported hours)."""
    day = day or today()
    person_ids = [p.pk for p in people]
    rules = rules_for(year, county_id=people[0].county_id if people else None)
    roles = _roles(person_ids, year)
    joined = dict(
        Membership.objects.filter(person_id__in=person_ids)
        .values_list("person_id")
        .annotate(first=Min("effective_from"))
        .values_list("person_id", "first")
    )
    standing = {pk: (roles[pk], joined.get(pk)) for pk in person_ids}
    return _years(standing, Q(person_id__in=person_ids), year=year, rules=rules, day=day)


def members_years(
    members: QuerySet[Person], year: int, *, day: datetime.date | None = None
) -> dict[int, hours.PersonYear]:
    """`person_years` of every person of the queryset `members` (in the register's order), in
    four queries however many they are: the people with their role and first membership (one
    query), the rules, their attendances and their imported hours."""
    day = day or today()
    first_membership = Membership.objects.filter(person=OuterRef("pk")).order_by("effective_from")
    rows = list(
        members.annotate(
            is_cadre=Exists(CadreProfile.objects.filter(person=OuterRef("pk"))),
            is_officer=Exists(Post.objects.filter(_officer_posts(year), person=OuterRef("pk"))),
            joined=Subquery(first_membership.values("effective_from")[:1]),
        )
        .order_by("name_pinyin", "pk")
        .values_list("pk", "county_id", "is_cadre", "is_officer", "joined")
    )
    rules = rules_for(year, county_id=rows[0][1] if rows else None)
    standing = {
        pk: (_role(cadre=cadre, officer=officer), joined)
        for pk, _county, cadre, officer, joined in rows
    }
    return _years(standing, Q(person_id__in=members.values("pk")), year=year, rules=rules, day=day)


def _years(
    standing: dict, people: Q, *, year: int, rules: hours.Rules, day: datetime.date
) -> dict[int, hours.PersonYear]:
    """The hours of `year` of the people in `standing` (person id → (role, first day in a
    unit)), from their attendances and imported hours (`people`: the rows' filter)."""
    found = {
        pk: hours.PersonYear(
            person_id=pk,
            year=year,
            required=hours.requirement(role=role, rules=rules, year=year, joined=joined),
            today=day,
        )
        for pk, (role, joined) in standing.items()
    }
    attendances = (
        Attendance.objects.filter(
            people, session__starts_at__year__lte=year, session__ends_at__year__gte=year
        )
        .order_by()  # summed: no order (the default one joins the people for their names)
        .values_list(
            "person_id",
            "status",
            "leave_hours",
            "session__classroom_id",
            "session__kind",
            "session__duration",
            "session__duration_unit",
            "session__starts_at",
            "session__ends_at",
        )
    )
    for pk, status, leave, classroom_id, kind, duration, unit, starts, ends in attendances:
        entry = found[pk]
        total = hours.session_hours(duration=duration, unit=unit, rules=rules)
        first, last = timezone.localtime(starts).date(), timezone.localtime(ends).date()
        earned = hours.credited(
            status=status, leave_hours=leave, total=total, first=first, last=last, year=year
        )
        if earned:
            entry.by_classroom[classroom_id] = entry.by_classroom.get(classroom_id, 0) + earned
        if status in c.ATTENDED and hours.leave_flagged(kind=kind, leave_hours=leave, total=total):
            entry.flagged += 1
        if status == c.Status.ABSENT:
            entry.absences += 1
    imported: dict[tuple[int, int], Decimal] = {}
    for pk, classroom_id, value in ExternalStudy.objects.filter(people, year=year).values_list(
        "person_id", "classroom_id", "hours"
    ):
        imported[pk, classroom_id] = imported.get((pk, classroom_id), Decimal(0)) + value
    for (pk, classroom_id), value in imported.items():
        entry = found[pk]
        entry.external = hours.external_credit(value, rules)
        entry.by_classroom[classroom_id] = entry.by_classroom.get(classroom_id, 0) + entry.external
    return found


def current_members(county_id: int | None, day: datetime.date) -> QuerySet[Person]:
    """The members of the county (or the active scope) on `day`: a membership in force, not
    left."""
    return _in(
        Person.objects.filter(
            Exists(Membership.objects.filter(in_force_on(day), person=OuterRef("pk"))),
            left_on__isnull=True,
        ),
        county_id,
    )


# The members' credited hours of a year, summed per person in the database: the rules of
# `hours` (session_hours, year_share, credited, external_credit) as SQL over every attendance
# and import of the county's members. PostgreSQL's round(numeric, 1) rounds half away from
# zero, as ROUND_HALF_UP does (every value here is >= 0). Raw SQL bypasses django-scopes: each
# table is filtered by the county explicitly. tests/education/test_county_page.py compares
# every person's figures with `members_years` on data where each rule applies.
_MEMBERS_TOTALS_SQL = """
WITH rules AS MATERIALIZED (  -- `rules_for`: the county's latest row of `year` or before, or
    -- the defaults (hours.Rules()) where it has none
    SELECT COALESCE(r.hours_per_day, %(per_day)s) AS per_day,
           COALESCE(r.hours_per_half_day, %(per_half_day)s) AS per_half_day,
           COALESCE(r.hours_per_hour, %(per_hour)s) AS per_hour,
           COALESCE(r.member_hours, %(member_hours)s) AS member_hours,
           COALESCE(r.officer_hours, %(officer_hours)s) AS officer_hours,
           COALESCE(r.cadre_hours, %(cadre_hours)s) AS cadre_hours,
           COALESCE(r.external_cap, %(cap)s) AS cap,
           COALESCE(r.reregister_months, %(reregister_months)s) AS reregister_months
    FROM (SELECT 1) one
    LEFT JOIN (SELECT * FROM education_studyrules
               WHERE county_id = %(county)s AND year <= %(year)s
               ORDER BY year DESC LIMIT 1) r ON true
), members AS (  -- in a unit on `day`, not left; with their first day in a unit
    -- (each of the county's people's memberships read by person: no scan of every county's)
    SELECT p.id, m.joined
    FROM people_person p
    CROSS JOIN LATERAL (
        SELECT MIN(m.effective_from) AS joined,
               bool_or(m.effective_from <= %(day)s
                       AND (m.effective_to IS NULL OR m.effective_to > %(day)s)) AS current
        FROM people_membership m WHERE m.person_id = p.id) m
    WHERE p.county_id = %(county)s AND p.left_on IS NULL AND m.current
), sessions AS MATERIALIZED (  -- once per session (the zone conversion is dear)
    SELECT s.id, round(s.duration * CASE s.duration_unit
                 WHEN %(days)s THEN rules.per_day
                 WHEN %(half_days)s THEN rules.per_half_day
                 ELSE rules.per_hour END, 1) AS total,
           (LEAST(d.last_day, %(last)s) - GREATEST(d.first_day, %(first)s) + 1)::numeric
           / (d.last_day - d.first_day + 1) AS share
    FROM education_session s
    CROSS JOIN rules
    CROSS JOIN LATERAL (SELECT (s.starts_at AT TIME ZONE %(tz)s)::date AS first_day,
                               (s.ends_at AT TIME ZONE %(tz)s)::date AS last_day) d
    WHERE s.county_id = %(county)s AND s.starts_at <= %(until)s AND s.ends_at >= %(since)s
), attended AS (
    SELECT a.person_id,
           SUM(round(GREATEST(sessions.total - a.leave_hours, 0) * sessions.share, 1)) AS credited
    FROM education_attendance a
    JOIN sessions ON sessions.id = a.session_id
    JOIN members ON members.id = a.person_id
    WHERE a.status IN %(attended)s
    GROUP BY a.person_id
), imported AS (
    SELECT person_id, SUM(CASE WHEN rules.cap > 0 AND hours > rules.cap THEN round(rules.cap, 1)
                               ELSE round(hours, 1) END) AS credited
    FROM rules CROSS JOIN (SELECT e.person_id, e.classroom_id, SUM(e.hours) AS hours
          FROM education_externalstudy e JOIN members ON members.id = e.person_id
          WHERE e.county_id = %(county)s AND e.year = %(year)s
          GROUP BY e.person_id, e.classroom_id) by_classroom
    GROUP BY person_id
)
-- the rules once, then the members counted by what their requirement and pace depend on:
-- their role, the day they joined when it falls in the year (`hours.requirement` holds anyone
-- who joined before it to the whole year's requirement, so they are one group) and their
-- total (a few dozen rows, not 540 rows read and 540 PersonYears built in Python)
SELECT rules.*, NULL, NULL, NULL, NULL, NULL FROM rules
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, cadre, officer, joined, total, COUNT(*)
FROM (
    SELECT EXISTS (SELECT 1 FROM people_cadreprofile cp WHERE cp.person_id = members.id) AS cadre,
           EXISTS (SELECT 1 FROM people_post po WHERE po.person_id = members.id
                   AND po.kind IN %(officer_posts)s AND po.effective_from <= %(last)s
                   AND (po.effective_to IS NULL OR po.effective_to > %(first)s)) AS officer,
           CASE WHEN members.joined >= %(first)s THEN members.joined END AS joined,
           COALESCE(attended.credited, 0) + COALESCE(imported.credited, 0) AS total
    FROM members
    LEFT JOIN attended ON attended.person_id = members.id
    LEFT JOIN imported ON imported.person_id = members.id
) standing
GROUP BY cadre, officer, joined, total
"""


# The columns of `rules` in _MEMBERS_TOTALS_SQL, as the fields of hours.Rules.
_RULES_COLUMNS = (
    "hours_per_day",
    "hours_per_half_day",
    "hours_per_hour",
    "member_hours",
    "officer_hours",
    "cadre_hours",
    "external_cap",
    "reregister_months",
)


def members_totals(
    year: int, *, county_id: int | None, day: datetime.date | None = None
) -> Counter[tuple[Decimal, Decimal]]:
    """How many current members have each (requirement, total hours) of `year`: what the
    county page counts on pace (`hours.on_pace` of each pair). On PostgreSQL one statement
    (`_MEMBERS_TOTALS_SQL`: the county's rules of the year, read as `rules_for` reads them,
    every member's credited hours summed under them and the members counted by role, day
    joined in the year and total) instead of building 540 members' hours row by row in
    Python; elsewhere, or for several counties, from `members_years`."""
    day = day or today()
    if county_id is None or connection.vendor != "postgresql":
        years = members_years(current_members(county_id, day), year, day=day)
        return Counter((entry.required, entry.total) for entry in years.values())
    defaults = hours.Rules()
    zone = timezone.get_current_timezone()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params = {
        "county": county_id,
        "day": day,
        "year": year,
        "first": first,
        "last": last,
        # the bounds `starts_at__year__lte` / `ends_at__year__gte` give, in the local zone
        "since": datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        "until": datetime.datetime.combine(last, datetime.time.max, tzinfo=zone),
        "tz": timezone.get_current_timezone_name(),
        "attended": tuple(sorted(c.ATTENDED)),
        "officer_posts": tuple(sorted(OFFICER_POSTS)),
        "days": c.DurationUnit.DAYS.value,
        "half_days": c.DurationUnit.HALF_DAYS.value,
        "per_day": defaults.hours_per_day,
        "per_half_day": defaults.hours_per_half_day,
        "per_hour": defaults.hours_per_hour,
        "member_hours": defaults.member_hours,
        "officer_hours": defaults.officer_hours,
        "cadre_hours": defaults.cadre_hours,
        "cap": defaults.external_cap,
        "reregister_months": defaults.reregister_months,
    }
    with connection.cursor() as cursor:
        # prepared once per connection (core.prepared): 0.5-0.8 ms of planning less a page,
        # its generic plan measured as fast as the values' at s1 and s20
        prepared.execute(cursor, _MEMBERS_TOTALS_SQL, params)
        rows = cursor.fetchall()
    width = len(_RULES_COLUMNS)
    (rules_row,) = (row for row in rows if row[width] is None)
    rules = hours.Rules(**dict(zip(_RULES_COLUMNS, rules_row[:width], strict=True)))
    found: Counter[tuple[Decimal, Decimal]] = Counter()
    for row in rows:
        cadre, officer, joined, total, n = row[width:]
        if cadre is None:  # the rules' row
            continue
        role = _role(cadre=cadre, officer=officer)
        required = hours.requirement(role=role, rules=rules, year=year, joined=joined)
        found[required, total] += n
    return found


def session_hours_of(session: Session) -> Decimal:
    return hours.session_hours(
        duration=session.duration,
        unit=session.duration_unit,
        rules=rules_for(session.first_day.year, county_id=session.county_id),
    )


def person_attendances(person: Person, year: int) -> list[Attendance]:
    return list(
        Attendance.objects.filter(
            person=person, session__starts_at__year__lte=year, session__ends_at__year__gte=year
        )
        .select_related("session__classroom")
        .order_by("-session__starts_at")
    )


def unit_people(unit: Unit, day: datetime.date | None = None) -> list[Person]:
    return list(
        Person.objects.filter(
            in_force_on(day or today(), "memberships__"), memberships__unit=unit
        ).order_by("name_pinyin", "pk")
    )


def unit_balance(unit: Unit, year: int) -> list[tuple[Classroom, int]]:
    """The unit's six-classroom balance: sessions it organized this year per classroom
    (a classroom with 0 it never used)."""
    counts = dict(
        Session.objects.filter(units=unit, starts_at__year=year)
        .values_list("classroom_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("classroom_id", "n")
    )
    rooms = Classroom.objects.filter(active=True, county_id=unit.county_id)
    return [(room, counts.get(room.pk, 0)) for room in rooms]


def first_topic_compliance(
    year: int, *, units=None, county_id: int | None = None
) -> tuple[int, int]:
    """(meetings with a recorded 第一议题, meetings held) in `year`, of `units` or all."""
    meetings = _in(Meeting.objects.filter(held_on__year=year), county_id, "unit__county_id")
    if units is not None:
        meetings = meetings.filter(unit__in=units)
    counted = meetings.aggregate(
        held=Count("pk"), recorded=Count("pk", filter=Q(first_topic__isnull=False))
    )
    return counted["recorded"], counted["held"]


# The county page's counts of a year but the members' hours, in one statement on PostgreSQL:
# what `_county_counts_orm` reads with four querysets (the classrooms with their sessions and
# training person-times, the 第一议题 meetings, the confirmed 双报到 registrations, the records
# of service by the unit they count for, `_served_or_not`'s rule), whose building was most of
# their time. Each part one kind of row (part, id, n, m, k, total, label, label_2, flag). Raw
# SQL bypasses django-scopes: every table is filtered by the county explicitly, as the scoped
# querysets are (a registration's unit, a meeting's unit, a record's person in the county).
# Each part starts from the county's rows (its classrooms' sessions read by classroom, its
# units' meetings and registrations by unit, its people's records of service by person;
# `OFFSET 0` keeps the planner from flattening them into a scan of every county's rows), so it
# reads as many rows at any number of counties.
# tests/education/test_county_page.py holds the two equal on data with every part non-zero.
# It runs prepared (core.prepared), so it is planned once per connection, not on every page
# (0.7 ms). Its generic plan, blind to the year's dates, read the records of service through
# the index of their days as well as the person's (a bitmap AND over the whole year's records
# for each person, 2.4x slower at s1: `done_on + 0` hides the day from that index), and the
# year's sessions of every county before their classrooms' (the LATERAL: by classroom).
_COUNTY_COUNTS_SQL = """
SELECT 'room', r.id, COUNT(DISTINCT s.id),
       COUNT(a.id) FILTER (WHERE a.status IN %(attended)s AND s.kind = %(training)s),
       r."order", NULL::numeric, r.name, r.kind, r.active
FROM education_classroom r
LEFT JOIN LATERAL (SELECT s.id, s.kind FROM education_session s
                   WHERE s.classroom_id = r.id AND s.starts_at BETWEEN %(since)s AND %(until)s
                   OFFSET 0) s ON true  -- read by classroom, as the records by person
LEFT JOIN education_attendance a ON a.session_id = s.id
WHERE r.county_id = %(county)s
GROUP BY r.id
UNION ALL
SELECT 'meetings', NULL::integer, COUNT(m.id),
       COUNT(m.id) FILTER (WHERE m.first_topic_id IS NOT NULL), NULL::integer, NULL::numeric,
       NULL::text, NULL::text, NULL::boolean
FROM zones_unit u
CROSS JOIN LATERAL (SELECT m.id, m.first_topic_id FROM education_meeting m
                    WHERE m.unit_id = u.id AND m.held_on BETWEEN %(first)s AND %(last)s
                    OFFSET 0) m  -- read by unit, as the registrations
WHERE u.county_id = %(county)s
UNION ALL
SELECT DISTINCT 'registered', g.unit_id, NULL::bigint, g.person_id::bigint, NULL::integer,
       NULL::numeric, u.name, NULL::text, NULL::boolean
FROM zones_unit u
CROSS JOIN LATERAL (SELECT g.unit_id, g.person_id FROM education_communityregistration g
                    WHERE g.unit_id = u.id AND g.confirmed OFFSET 0) g
WHERE u.county_id = %(county)s
UNION ALL
SELECT 'served', served.unit_id, COUNT(*), COUNT(*) FILTER (WHERE served.category IN %(practical)s),
       NULL::integer, SUM(served.hours), NULL::text, NULL::text, NULL::boolean
FROM (
    SELECT pm.category, pm.hours,
           COALESCE(sg.unit_id, (
               SELECT g.unit_id FROM education_communityregistration g
               JOIN zones_unit u ON u.id = g.unit_id
               WHERE u.county_id = %(county)s AND g.confirmed AND g.person_id = pm.person_id
                     AND g.registered_on <= pm.done_on
               ORDER BY g.registered_on DESC, g.id DESC LIMIT 1)) AS unit_id
    FROM people_person p
    CROSS JOIN LATERAL (
        SELECT m.id, m.person_id, m.done_on, m.category, m.hours FROM people_practicalmatter m
        WHERE m.person_id = p.id AND m.confirmed_at IS NOT NULL
              AND m.done_on + 0 BETWEEN %(first)s AND %(last)s  -- not by the days' index
        OFFSET 0) pm  -- read by person (not flattened into a scan of every county's)
    LEFT JOIN education_communityservice cs ON cs.matter_id = pm.id
    LEFT JOIN education_communityregistration sg ON sg.id = cs.registration_id
    WHERE p.county_id = %(county)s
) served
GROUP BY served.unit_id  -- the None group (people registered nowhere) dropped after it
"""


@dataclass
class _Counts:
    """The county page's counts but the members' hours: the classrooms (in their order, each
    with `n` sessions of the year and `training` person-times), (meetings with a recorded
    第一议题, meetings held), and 双报到."""

    rooms: list[Classroom]
    first_topic: tuple[int, int]
    community: _Community


def _county_counts_orm(year: int, *, county_id: int | None) -> _Counts:
    """`_Counts` from the querysets (the definition): one query for the classrooms, one for the
    meetings, two for 双报到."""
    # The year's sessions joined on the year (not every year's, filtered after the join: the
    # rows read grow with the year shown, not with the classrooms' history).
    rooms = list(
        _in(Classroom.objects.all(), county_id)
        .annotate(of_year=FilteredRelation("sessions", condition=Q(sessions__starts_at__year=year)))
        .annotate(
            n=Count("of_year", distinct=True),
            training=Count(
                "of_year__attendances",
                filter=Q(
                    of_year__kind=c.SessionKind.TRAINING,
                    of_year__attendances__status__in=c.ATTENDED,
                ),
            ),
        )
        .order_by("order", "pk")
    )
    return _Counts(
        rooms=rooms,
        first_topic=first_topic_compliance(year, county_id=county_id),
        community=_community(year, county_id=county_id),
    )


def _county_counts_sql(year: int, *, county_id: int) -> _Counts:
    """`_Counts` of one county in one statement (`_COUNTY_COUNTS_SQL`)."""
    zone = timezone.get_current_timezone()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params = {
        "county": county_id,
        "first": first,
        "last": last,
        # the bounds `starts_at__year=year` gives, in the local zone
        "since": datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        "until": datetime.datetime.combine(last, datetime.time.max, tzinfo=zone),
        "attended": tuple(sorted(c.ATTENDED)),
        "training": c.SessionKind.TRAINING.value,
        "practical": tuple(sorted(PRACTICAL_CATEGORIES)),
    }
    with connection.cursor() as cursor:
        prepared.execute(cursor, _COUNTY_COUNTS_SQL, params)  # its planning, 0.7 ms, once
        rows = cursor.fetchall()
    rooms, registered, served = [], [], []
    first_topic = (0, 0)
    for part, pk, n, m, k, total, label, label_2, flag in rows:
        if part == "room":
            room = Classroom(id=pk, county_id=county_id, kind=label_2, name=label, order=k)
            room.active, room.n, room.training = flag, n, m
            room._state.adding, room._state.db = False, "default"
            rooms.append(room)
        elif part == "meetings":
            first_topic = (m, n)
        elif part == "registered":
            registered.append((pk, label, m))
        elif pk is not None:  # the deeds of people registered nowhere
            served.append((pk, n, total, m))
    rooms.sort(key=lambda room: (room.order, room.pk))
    return _Counts(rooms=rooms, first_topic=first_topic, community=_Community(registered, served))


def county_counts(year: int, *, county_id: int | None = None) -> _Counts:
    """The county page's counts but the members' hours: one statement for one county on
    PostgreSQL, the querysets otherwise (several counties, SQLite)."""
    if county_id is None or connection.vendor != "postgresql":
        return _county_counts_orm(year, county_id=county_id)
    return _county_counts_sql(year, county_id=county_id)


def county_figures(
    year: int, *, county_id: int | None = None, day: datetime.date | None = None
) -> dict:
    """The county page's headline figures of `year` (of the county, or the active scope): two
    statements for one county on PostgreSQL (`county_counts`, `members_totals`), a query per
    figure or fewer otherwise (the classrooms with their sessions and training person-times;
    the members with their totals; the 第一议题 meetings; the 双报到 registrations; the
    records of service by unit) — the same number for any county's size."""
    day = day or today()
    counts = county_counts(year, county_id=county_id)
    rooms, (recorded, held), community = counts.rooms, counts.first_topic, counts.community
    standing = members_totals(year, county_id=county_id, day=day)
    members = sum(standing.values())
    on_pace = sum(
        n
        for (required, total), n in standing.items()
        if hours.on_pace(total=total, required=required, year=year, day=day)
    )
    return {
        "year": year,
        "classrooms": [(room, room.n) for room in rooms],
        "sessions": sum(room.n for room in rooms),
        "members": members,
        "on_pace": on_pace,
        "behind": members - on_pace,
        "first_topic_recorded": recorded,
        "meetings_held": held,
        "training_person_times": sum(room.training for room in rooms),
        "registered_members": len({person for _unit, _name, person in community.registered}),
        "registered_units": len({unit for unit, _name, _person in community.registered}),
        "services": sum(n for _unit, n, _hours, _matters in community.served),
        "service_hours": sum(
            (total or Decimal(0) for _unit, _n, total, _matters in community.served), Decimal(0)
        ),
        "community_units": community.by_unit(),
    }


def unit_meetings(unit: Unit, year: int) -> list[Meeting]:
    return list(
        Meeting.objects.filter(unit=unit, held_on__year=year)
        .select_related("first_topic")
        .order_by("-held_on", "-pk")
    )


# --- 双报到 ----------------------------------------------------------------------------------


def communities_visible_to(user) -> QuerySet[Community]:
    """The communities a reader sees: the county's committee (and city staff) every one of
    the scope, a community's account its own; none for anyone else (404)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Community.objects.none()
    if reads_county(user):
        return Community.objects.all()
    return Community.objects.filter(accounts=user)


def registrations_expiry(registrations, *, county_id: int, day: datetime.date | None = None):
    """Each registration with `expires_on` (the day it is to be renewed by) and `expired`."""
    day = day or today()
    months = rules_for(day.year, county_id=county_id).reregister_months
    for registration in registrations:
        registration.expires_on = add_months(registration.registered_on, months)
        registration.expired = registration.expires_on <= day
    return registrations


def latest_registrations(registrations: QuerySet[CommunityRegistration]) -> list:
    """The latest registration of each person with each community (the one in force)."""
    seen: set[tuple[int, int]] = set()
    found = []
    for registration in registrations.select_related("person", "community", "unit").order_by(
        "-registered_on", "-pk"
    ):
        key = (registration.person_id, registration.community_id)
        if key not in seen:
            seen.add(key)
            found.append(registration)
    return found


def community_page(community: Community, *, day: datetime.date | None = None) -> dict:
    """A community's page: what waits for its confirmation, its needs with their sign-ups, and
    its members with the day each must re-register by."""
    registrations = community.registrations.all()
    return {
        "waiting_registrations": list(
            registrations.filter(confirmed=False).select_related("person", "unit")
        ),
        "waiting_services": list(
            CommunityService.objects.filter(
                registration__community=community, matter__confirmed_at__isnull=True
            )
            .select_related("registration__person", "registration__unit", "need", "matter")
            .order_by("-matter__done_on", "-pk")
        ),
        "needs": list(
            community.needs.annotate(claimed=Count("claims")).prefetch_related(
                "claims__registration__person"
            )
        ),
        "members": registrations_expiry(
            latest_registrations(registrations), county_id=community.county_id, day=day
        ),
    }


@dataclass
class _Community:
    """双报到 of a year: the confirmed registrations as distinct (unit id, unit name, person id)
    and the records of service by the unit they count for (unit id, count, hours, practical
    matters)."""

    registered: list[tuple[int, str, int]]
    served: list[tuple[int, int, Decimal | None, int]]

    def by_unit(self) -> list[dict]:
        rows: dict[int, dict] = {}
        link = pk_url("education:unit")
        for unit_id, name, _person in self.registered:
            row = rows.setdefault(
                unit_id,
                {
                    "unit_id": unit_id,
                    "url": link(unit_id),
                    "unit": name,
                    "members": 0,
                    "services": 0,
                    "hours": Decimal(0),
                    "matters": 0,
                },
            )
            row["members"] += 1
        for unit_id, n, total, matters in self.served:
            if unit_id in rows:
                rows[unit_id].update(services=n, hours=total or Decimal(0), matters=matters)
        return sorted(rows.values(), key=lambda row: row["unit"])


def _community(year: int, *, units=None, county_id: int | None = None) -> _Community:
    registrations = _in(
        CommunityRegistration.objects.filter(confirmed=True), county_id, "unit__county_id"
    )
    services = _served_or_not(county_id).filter(done_on__year=year)
    if units is not None:
        registrations = registrations.filter(unit__in=units)
        services = services.filter(
            served_unit__in=units.values("pk")
            if isinstance(units, QuerySet)
            else [getattr(u, "pk", u) for u in units]
        )
    return _Community(
        registered=list(
            registrations.order_by().values_list("unit_id", "unit__name", "person_id").distinct()
        ),
        served=[
            row
            for row in services.values_list("served_unit")
            .annotate(n=Count("pk"), total=Sum("hours"), matters=practical_count())
            .values_list("served_unit", "n", "total", "matters")
            if row[0] is not None  # the deeds of people registered nowhere
        ],
    )


def unit_community_figures(year: int, *, units=None, county_id: int | None = None) -> list[dict]:
    """双报到 per unit of `year`: members registered (confirmed), services confirmed, their
    hours and practical matters done — two queries for any number of units."""
    return _community(year, units=units, county_id=county_id).by_unit()


def person_community(person: Person, *, day: datetime.date | None = None) -> dict:
    """A member's 双报到: their latest registration with each community, and the open needs of
    the communities they are registered with (with what they signed up to)."""
    registrations = registrations_expiry(
        latest_registrations(person.community_registrations.all()),
        county_id=person.county_id,
        day=day,
    )
    claimed = set(
        NeedClaim.objects.filter(registration__person=person).values_list("need_id", flat=True)
    )
    needs = list(
        CommunityNeed.objects.filter(
            closed=False, community__in=[r.community_id for r in registrations]
        )
        .select_related("community")
        .annotate(claimed=Count("claims"))
    )
    for need in needs:
        need.mine = need.pk in claimed
    return {"registrations": registrations, "needs": needs}


# --- 老带新 / 一帮一 pairs ----------------------------------------------------------------------


def pairs_visible_to(user) -> QuerySet[MentorPair]:
    """The county's committee (and city staff) every pair; a person the pairs they are in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return MentorPair.objects.none()
    if reads_county(user):
        return MentorPair.objects.all()
    person = person_of(user)
    if person is None:
        return MentorPair.objects.none()
    return MentorPair.objects.filter(Q(mentor=person) | Q(mentee=person))


def pair_rows(pairs: QuerySet[MentorPair]) -> QuerySet[MentorPair]:
    return pairs.select_related("mentor", "mentee").annotate(meeting_count=Count("meetings"))
