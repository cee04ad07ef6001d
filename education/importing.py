"""The import of outside study (学习强国, the online cadre college): the platform's Excel export
(or a CSV), first row the headings, one row a person and their study hours of the year, credited
to the county's cloud classroom (education.models.ExternalStudy). All or nothing, as the member
register's import (people.importing, whose sheet reader and stash this shares): every row is
checked and written in one transaction that is rolled back unless every row went in and `commit`
is set, so the preview (`commit=False`) runs exactly what the confirmation will.

A person is found by their ID number (身份证号码) in the county's register, or, without one, by
name and unit (姓名 + 所在单位: the one member of that name in that unit today). A row is refused,
with its line and reason, for:

- no name and no ID number; hours (学时) empty, not a number, or below 0;
- an ID number of the wrong shape or check digit (never repeated in the message), or of no one
  in the county's register, or of a person who left it;
- a unit that is none of the county's, no member of that name in the unit, or two of them (the
  ID number is then needed);
- the same person twice in the sheet.

A row replaces the hours stored for the person, platform and year (a later export of the year is
the newer total); the engine caps the year's imported hours (StudyRules.external_cap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import widgets

from people import crypto, masking
from people.idnumber import validate_id_number
from people.importing import MAX_ROWS, SheetError, UploadStash, read_sheet
from people.models import Membership, Person
from people.resources import _text
from zones.models import Unit, in_force_on

from . import constants as c
from .models import ExternalStudy
from .services import classrooms_ensure

__all__ = ["MAX_ROWS", "SheetError", "external_import", "read_sheet", "stash", "unstash"]

# The headings read (others are ignored): the platforms' exports name them a few ways.
COLUMNS = {
    "姓名": "name",
    "身份证号码": "id_number",
    "身份证号": "id_number",
    "公民身份号码": "id_number",
    "所在单位": "unit",
    "单位": "unit",
    "所在党支部": "unit",
    "学时": "hours",
    "学习时长": "hours",
    "完成学时": "hours",
}
HEADING = {"name": "姓名", "id_number": "身份证号码", "unit": "所在单位", "hours": "学时"}


@dataclass(frozen=True)
class RowProblem:
    line: int
    messages: tuple[str, ...]


@dataclass(frozen=True)
class RowOutcome:
    line: int
    name: str
    id_number: str  # masked, or empty when found by name and unit
    unit: str
    hours: Decimal
    previous: Decimal | None  # the hours it replaces


@dataclass
class ImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> Decimal:
        return sum((o.hours for o in self.outcomes), Decimal(0))


def _columns(headers) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, heading in enumerate(headers or []):
        attribute = COLUMNS.get(_text(heading).replace(" ", ""))
        if attribute is not None and attribute not in found:
            found[attribute] = index
    missing = [HEADING[a] for a in ("name", "hours") if a not in found]
    if missing:
        raise SheetError(
            _("The sheet has no column %(headings)s: the first row holds the headings.")
            % {"headings": "、".join(missing)}
        )
    return found


def _hours(raw) -> Decimal:
    try:
        value = widgets.DecimalWidget().clean(raw)
    except (ValueError, InvalidOperation):
        value = None
    if value is None:
        raise ValueError(_("%(heading)s is no number.") % {"heading": HEADING["hours"]})
    value = Decimal(value)
    if value < 0:
        raise ValueError(_("%(heading)s is below 0.") % {"heading": HEADING["hours"]})
    return value.quantize(Decimal("0.1"))


def _find(cells: dict, *, county, units: dict[str, Unit]) -> tuple[Person | None, str, list[str]]:
    """The row's person, the masked number it was found by, or the reasons it was not."""
    number = cells.get("id_number")
    if number:
        try:
            number = validate_id_number(number)
        except ValidationError as exc:
            return None, "", [f"{HEADING['id_number']}：{m}" for m in exc.messages]
        person = Person.objects.filter(
            county=county, id_number_digest=crypto.digest(number)
        ).first()
        if person is None:
            return None, "", [_("No one with this ID number is in the county's register.")]
        return person, masking.mask_id(number), []
    name, unit_name = cells.get("name"), cells.get("unit")
    if not unit_name:
        return None, "", [_("Give the ID number, or the name and the unit.")]
    unit = units.get(unit_name)
    if unit is None:
        return (
            None,
            "",
            [_("%(unit)s is not a unit of %(county)s.") % {"unit": unit_name, "county": county}],
        )
    found = list(
        Person.objects.filter(
            pk__in=Membership.objects.filter(in_force_on(timezone.localdate()), unit=unit).values(
                "person_id"
            ),
            name=name,
        )[:2]
    )
    if not found:
        return (
            None,
            "",
            [_("%(unit)s has no member named %(name)s.") % {"unit": unit, "name": name}],
        )
    if len(found) > 1:
        return (
            None,
            "",
            [
                _("%(unit)s has two members named %(name)s: give the ID number.")
                % {"unit": unit, "name": name}
            ],
        )
    return found[0], "", []


def external_import(
    *, county, dataset, source: str, year: int, actor, commit: bool
) -> ImportReport:
    """Import the platform's sheet into `county` for `year`: every row or none (see the
    module). `commit=False` is the preview: everything is checked and written, then rolled
    back."""
    if source not in c.ExternalSource.values:
        raise SheetError(_("Choose the platform the sheet comes from."))
    columns = _columns(dataset.headers)
    units = {u.name: u for u in Unit.objects.filter(county=county, is_active=True)}
    rooms = classrooms_ensure(county=county)
    cloud = next((r for r in rooms if r.kind == c.ClassroomKind.CLOUD), None)
    if cloud is None:  # pragma: no cover - the six are seeded; a county may rename, not delete
        raise SheetError(_("The county has no cloud classroom to credit the hours to."))
    seen: dict[int, int] = {}
    report = ImportReport()
    with transaction.atomic():
        for line, values in enumerate(dataset, start=2):
            if not any(_text(value) for value in values):
                continue
            cells = {a: _text(values[i]) if i < len(values) else "" for a, i in columns.items()}
            problems: list[str] = []
            if not cells.get("name") and not cells.get("id_number"):
                problems.append(_("Give the ID number, or the name and the unit."))
            hours = None
            if not cells.get("hours"):
                problems.append(_("%(heading)s is empty.") % {"heading": HEADING["hours"]})
            else:
                try:
                    hours = _hours(values[columns["hours"]])
                except ValueError as exc:
                    problems.append(str(exc))
            person, masked = None, ""
            if cells.get("name") or cells.get("id_number"):
                person, masked, found_problems = _find(cells, county=county, units=units)
                problems += found_problems
            if person is not None:
                if person.has_left:
                    problems.append(
                        _("%(person)s left the register; their study is not imported.")
                        % {"person": person}
                    )
                elif person.pk in seen:
                    problems.append(
                        _("The same person as line %(line)s: a person is listed once.")
                        % {"line": seen[person.pk]}
                    )
                else:
                    seen[person.pk] = line
            if problems:
                report.problems.append(RowProblem(line, tuple(dict.fromkeys(problems))))
                continue
            previous = ExternalStudy.objects.filter(person=person, source=source, year=year).first()
            ExternalStudy.objects.update_or_create(
                person=person,
                source=source,
                year=year,
                defaults={
                    "county": county,
                    "classroom": cloud,
                    "hours": hours,
                    "imported_by": actor,
                },
            )
            unit = Membership.objects.filter(
                in_force_on(timezone.localdate()), person=person
            ).first()
            report.outcomes.append(
                RowOutcome(
                    line=line,
                    name=person.name,
                    id_number=masked,
                    unit=unit.unit.name if unit else "",
                    hours=hours,
                    previous=previous.hours if previous else None,
                )
            )
        if not report.outcomes and not report.problems:
            report.problems.append(RowProblem(2, (_("The sheet has no rows below its headings."),)))
        report.committed = commit and report.ok
        if not report.committed:
            transaction.set_rollback(True)
    return report


STUDY_STASH = UploadStash("education")


def stash(*, content: bytes, file_format: str, source: str, year: int, user) -> str:
    """Keep the uploaded file for its confirmation, encrypted (it may hold ID numbers)."""
    return STUDY_STASH.put(
        content=content, file_format=file_format, user=user, meta=(source, str(year))
    )


def unstash(*, token: str, user) -> tuple[bytes, str, str, int] | None:
    """(content, format, platform, year) that `user` stashed under `token`, or None."""
    found = STUDY_STASH.get(token=token, user=user, meta=2)
    if found is None:
        return None
    content, file_format, source, year = found
    return content, file_format, source, int(year)


def unstash_done(*, token: str, user) -> None:
    STUDY_STASH.done(token=token, user=user)
