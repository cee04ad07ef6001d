"""The six classrooms' reminders of a member's own record, for the daily beat
(notifications.reminders.education_rules calls these per county in scope):

- **Below pace at a quarter's end**: in the quarter's last five working days, each member of a
  unit (of a county running education) whose hours of the year are below the share of their
  requirement due by the quarter's last day (hours.PersonYear.on_pace) is told, and the unit's
  secretaries get one summary naming them. Key: the person (or the unit) and the quarter.
- **Two consecutive absences**: a person whose last two recorded sessions (present, late,
  excused or absent; ended, the later within the past ABSENCE_WINDOW_DAYS) were both absences;
  their unit's secretaries are told once per such pair (key: the person and the later session).

Recipients are looked up in bulk: the number of queries does not grow with the people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from core.periods import quarter_bounds, quarter_of
from counties.calendar import add_workdays
from counties.constants import Mechanism
from counties.selectors import counties_running
from notifications.constants import Kind
from notifications.services import Message
from people.models import Membership, Person
from zones.models import in_force_on

from . import constants as c
from . import hours
from .models import Attendance
from .selectors import person_years

QUARTER_LAST_WORKDAYS = 5
ABSENCE_WINDOW_DAYS = 30
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
