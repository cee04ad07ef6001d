"""The six classrooms' Excel files as units file them (core.excel): a unit's study-hours ledger
(学时台账) and a member's yearly study record (学时登记表), Chinese headings whatever the page's
language."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.excel import ISO_DATE_FORMAT, Column, Sheet

from . import hours
from .constants import ATTENDED


def unit_ledger_sheet(*, unit, year: int, rooms, rows) -> Sheet:
    """`rows`: (person, PersonYear) of the unit's members."""
    with translation.override("zh-hans"):
        columns = [
            Column(_("Name"), 10),
            *(Column(room.name, 9) for room in rooms),
            Column(_("Total"), 8),
            Column(_("Required"), 8),
            Column(_("Status"), 10),
        ]
        body = (
            (
                person.name,
                *(float(entry.by_classroom.get(room.pk, 0)) for room in rooms),
                float(entry.total),
                float(entry.required),
                str(_("On pace") if entry.on_pace else _("Behind pace")),
            )
            for person, entry in rows
        )
        return Sheet(unit_ledger_name(unit, year), columns, body)


def unit_ledger_name(unit, year: int) -> str:
    with translation.override("zh-hans"):
        return str(_("%(unit)s study hours %(year)s") % {"unit": unit.name, "year": year})


def person_record_sheet(*, person, year: int, attendances, rules: hours.Rules) -> Sheet:
    """A member's 学时登记表: each session of the year with the hours it earned."""
    with translation.override("zh-hans"):
        columns = [
            Column(_("Date"), 11, ISO_DATE_FORMAT),
            Column(_("Classroom"), 10),
            Column(_("Kind"), 10),
            Column(_("Topic"), 36),
            Column(_("Status"), 8),
            Column(_("Study hours"), 8),
        ]
        body = []
        for attendance in attendances:
            session = attendance.session
            total = hours.session_hours(
                duration=session.duration, unit=session.duration_unit, rules=rules
            )
            earned = hours.credited(
                status=attendance.status,
                leave_hours=attendance.leave_hours,
                total=total,
                first=session.first_day,
                last=session.last_day,
                year=year,
            )
            body.append(
                (
                    timezone.localtime(session.starts_at).date(),
                    session.classroom.name,
                    str(session.get_kind_display()),
                    session.topic,
                    str(attendance.get_status_display()),
                    float(earned) if attendance.status in ATTENDED else 0.0,
                )
            )
        return Sheet(person_record_name(person, year), columns, body)


def person_record_name(person, year: int) -> str:
    with translation.override("zh-hans"):
        return str(_("%(name)s study record %(year)s") % {"name": person.name, "year": year})
