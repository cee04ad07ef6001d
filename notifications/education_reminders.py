"""The six classrooms' reminders of a member's own record, for the daily beat
(notifications.reminders.education_rules calls these per county in scope):

- **Below pace at a quarter's end**: in the quarter's last five working days, each member of a
  unit (of a county running education) whose hours of the year are below the share of their
  requirement due by the quarter's last day (hours.PersonYear.on_pace) is told, and the unit's
  secretaries get one summary naming them. Key: the person (or the unit) and the quarter.
- **Two consecutive absences**: a person whose last two recorded sessions (present, late,
  excused or absent; ended, the later within the past ABSENCE_WINDOW_DAYS) were both absences;
  their unit's secretaries are told once per such pair (key: the person and the later session).

- **Re-registration due** (双报到): a member's latest confirmed registration falls due within
  REREGISTER_NOTICE_DAYS (or fell due within 30 days and was not renewed): the member and their
  unit's secretaries, once per registration.
- **The quarter's feedback** (双报到): in a quarter's first five working days, each unit whose
  members' services were confirmed last quarter gets how many, their hours and who served.

Recipients are looked up in bulk: the number of queries does not grow with the people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from core.periods import add_months, previous_quarter, quarter_bounds, quarter_of
from counties.calendar import add_workdays, workdays_between
from counties.constants import Mechanism
from counties.selectors import counties_running
from education import constants as c
from education import hours
from education.models import Attendance, CommunityRegistration
from education.selectors import latest_registrations, person_years, rules_for, served_matters
from people.models import Membership, Person
from zones.models import in_force_on

from .constants import Kind
from .services import Message

QUARTER_LAST_WORKDAYS = 5
ABSENCE_WINDOW_DAYS = 30
QUARTER_FIRST_WORKDAYS = 5
REREGISTER_NOTICE_DAYS = 14
RECORDED = (c.Status.PRESENT, c.Status.LATE, c.Status.EXCUSED, c.Status.ABSENT)


def _members_today(day: datetime.date) -> dict[int, int]:
    """Person id → their unit today, of the counties running education."""
    running = counties_running(Mechanism.EDUCATION, day=day)
    return dict(
        Membership.objects.filter(
            in_force_on(day),
            unit__county__in=running,
            person__left_on__isnull=True,
        ).values_list("person_id", "unit_id")
    )


def pace_messages(day: datetime.date, secretaries_of) -> list[Message]:
    """Members below pace in the quarter's last working days (see the module)."""
    year, quarter = day.year, quarter_of(day)
    _first, last = quarter_bounds(year, quarter)
    if add_workdays(day, QUARTER_LAST_WORKDAYS) <= last:
        return []
    units = _members_today(day)
    if not units:
        return []
    people = list(Person.objects.filter(pk__in=units).order_by("name_pinyin", "pk"))
    years = person_years(people, year, day=last)
    period = f"{year}-Q{quarter}"
    out: list[Message] = []
    behind_by_unit: dict[int, list[str]] = defaultdict(list)
    for person in people:
        entry = years[person.pk]
        if entry.on_pace:
            continue
        behind_by_unit[units[person.pk]].append(person.name)
        if person.user_id:
            out.append(
                Message(
                    person.user_id,
                    Kind.STUDY_BEHIND_PACE,
                    f"study_pace:{person.pk}",
                    period,
                    _("Your study hours are behind pace: %(total)s of %(required)s this year")
                    % {"total": entry.total, "required": entry.required},
                    _("By the quarter's end a member should have %(due)s study hours.")
                    % {"due": hours.due_by(entry.required, year, last)},
                    reverse("education:mine"),
                )
            )
    for unit_id, names in behind_by_unit.items():
        for user_id in dict.fromkeys(secretaries_of(unit_id)):
            out.append(
                Message(
                    user_id,
                    Kind.STUDY_BEHIND_PACE,
                    f"study_pace_unit:{unit_id}",
                    period,
                    _("%(count)d members of your unit are behind pace in study hours")
                    % {"count": len(names)},
                    "、".join(names),
                    reverse("education:unit", args=[unit_id]),
                )
            )
    return out


def absence_messages(day: datetime.date, secretaries_of) -> list[Message]:
    """Two consecutive absences, to the person's unit's secretaries (see the module)."""
    units = _members_today(day)
    if not units:
        return []
    since = day - datetime.timedelta(days=ABSENCE_WINDOW_DAYS)
    rows = (
        Attendance.objects.filter(
            person_id__in=list(units),
            status__in=RECORDED,
            session__ends_at__date__lt=day,
        )
        .order_by("person_id", "-session__starts_at", "-session_id")
        .values_list(
            "person_id",
            "person__name",
            "status",
            "session_id",
            "session__topic",
            "session__ends_at",
        )
    )
    last_two: dict[int, list[tuple]] = defaultdict(list)
    for row in rows.iterator():
        if len(last_two[row[0]]) < 2:
            last_two[row[0]].append(row)
    out: list[Message] = []
    for person_id, latest in last_two.items():
        if len(latest) < 2 or any(row[2] != c.Status.ABSENT for row in latest):
            continue
        _pk, name, _status, session_id, topic, ends_at = latest[0]
        if ends_at.date() < since:
            continue
        for user_id in dict.fromkeys(secretaries_of(units[person_id])):
            out.append(
                Message(
                    user_id,
                    Kind.STUDY_ABSENT_TWICE,
                    f"study_absent:{person_id}",
                    f"session:{session_id}",
                    _("%(person)s was absent from two study sessions in a row") % {"person": name},
                    _("The latest: %(topic)s.") % {"topic": topic},
                    reverse("education:person", args=[person_id]),
                )
            )
    return out


def reregistration_messages(day: datetime.date, secretaries_of) -> list[Message]:
    """双报到: a member's latest confirmed registration with a community falls due for
    re-registration within REREGISTER_NOTICE_DAYS (or has fallen due): the member and their
    unit's secretaries are told once per registration."""
    running = counties_running(Mechanism.EDUCATION, day=day)
    registrations = CommunityRegistration.objects.filter(
        unit__county__in=running, person__left_on__isnull=True
    )
    latest = latest_registrations(registrations)
    out: list[Message] = []
    months_of: dict[int, int] = {}
    for registration in latest:
        if not registration.confirmed:
            continue
        county_id = registration.unit.county_id
        if county_id not in months_of:
            months_of[county_id] = rules_for(day.year, county_id=county_id).reregister_months
        due = add_months(registration.registered_on, months_of[county_id])
        if (due - day).days > REREGISTER_NOTICE_DAYS or (day - due).days > 30:
            continue
        users = list(secretaries_of(registration.unit_id))
        if registration.person.user_id:
            users.insert(0, registration.person.user_id)
        for user_id in dict.fromkeys(users):
            out.append(
                Message(
                    user_id,
                    Kind.COMMUNITY_REREGISTER,
                    f"community_registration:{registration.pk}",
                    due.isoformat(),
                    _("%(person)s re-registers with %(community)s by %(date)s")
                    % {
                        "person": registration.person.name,
                        "community": registration.community.name,
                        "date": due.isoformat(),
                    },
                    "",
                    reverse("education:unit", args=[registration.unit_id])
                    if user_id != registration.person.user_id
                    else reverse("education:mine"),
                )
            )
    return out


def service_feedback_messages(day: datetime.date, secretaries_of) -> list[Message]:
    """双报到: in a quarter's first five working days, each unit whose members' services were
    confirmed last quarter gets their feedback — how many, their hours, who served."""
    year, quarter = day.year, quarter_of(day)
    first, _last = quarter_bounds(year, quarter)
    if workdays_between(first, day) >= QUARTER_FIRST_WORKDAYS:
        return []
    year, quarter = previous_quarter(year, quarter)
    start, end = quarter_bounds(year, quarter)
    running = counties_running(Mechanism.EDUCATION, day=day)
    rows = (
        served_matters()
        .filter(person__county__in=running, done_on__gte=start, done_on__lte=end)
        .values_list("served_unit", "person__name")
        .annotate(n=Count("pk"), total=Sum("hours"))
        .order_by("served_unit", "person__name")
    )
    by_unit: dict[int, list[tuple[str, int, Decimal]]] = defaultdict(list)
    for unit_id, name, n, total in rows:
        by_unit[unit_id].append((name, n, total or Decimal(0)))
    out: list[Message] = []
    period = f"{year}-Q{quarter}"
    for unit_id, served in by_unit.items():
        services = sum(n for _name, n, _h in served)
        total = sum((h for _name, _n, h in served), Decimal(0))
        body = "、".join(
            _("%(name)s %(n)d services, %(hours)s hours")
            % {"name": name, "n": n, "hours": hours.quantize(Decimal("0.1"))}
            for name, n, hours in served
        )
        for user_id in dict.fromkeys(secretaries_of(unit_id)):
            out.append(
                Message(
                    user_id,
                    Kind.COMMUNITY_FEEDBACK,
                    f"community_feedback:{unit_id}",
                    period,
                    _(
                        "Your members' community service last quarter: %(n)d services, "
                        "%(hours)s hours"
                    )
                    % {"n": services, "hours": total.quantize(Decimal("0.1"))},
                    body,
                    reverse("education:unit", args=[unit_id]),
                )
            )
    return out
