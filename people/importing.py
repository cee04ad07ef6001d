"""The import of the national system's member sheet (people.resources: its headings and words),
all or nothing.

`people_import(county=..., dataset=..., actor=..., commit=...)` reads every row through the
resource's widgets and writes it through people.services (person_create, person_update), each
row in its own savepoint, inside one transaction that is rolled back unless every row went in
and `commit` is set. So the preview (`commit=False`) runs exactly what the confirmation will, and
either every row is written or none, with each bad row's line number and reasons:

- a missing name, ID number or unit (所在党支部), a cell that is no date or none of the choices;
- an ID number of the wrong shape, with a wrong check digit, or whose date of birth disagrees
  with the sheet's 出生日期 (people.idnumber, which never repeats the number in a message);
- a unit that is not one of the importer's county (another county's units are unknown here);
- an ID number twice in the sheet, or of a person still in another county's register (not
  transferred out there), who left this county's register, or who belongs to another unit of
  this county (组织关系转接 is recorded on the
  person's page first, so an import never moves people silently);
- whatever people.services refuse (a probationary member with a full-membership date …).

A row whose ID number is registered updates that person: the cells it has replace the stored
values, an empty cell leaves the stored value (so a sheet of a few columns changes only those).
A new person is a member of the row's unit from the day of the import.

Between the preview and the confirmation the uploaded file waits in the cache, encrypted with the
register's key (people.crypto: it holds ID numbers), for an hour, under a key only its uploader's
session knows (`stash`, `unstash`).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from tablib import Dataset

from zones.models import Unit

from . import crypto, masking, services
from .idnumber import validate_id_number
from .models import Person
from .resources import COLUMNS, HEADING, REQUIRED, PersonResource, _text
from .selectors import current_unit

FORMATS = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}
MAX_ROWS = 5000
STASH_SECONDS = 3600

NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


class SheetError(Exception):
    """The file as a whole cannot be imported (unreadable, headings missing, too long)."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    messages: tuple[str, ...]


@dataclass(frozen=True)
class RowOutcome:
    line: int
    action: str  # NEW, UPDATE or UNCHANGED
    name: str
    id_number: str  # masked
    unit: str
    changed: tuple[str, ...] = ()  # the headings of the cells that changed a registered person


@dataclass
class ImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


def read_sheet(content: bytes, *, file_format: str) -> Dataset:
    """The sheet's rows (the first worksheet of a workbook, or a UTF-8 CSV)."""
    if file_format not in FORMATS:
        raise SheetError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
    try:
        if file_format == "csv":
            dataset = FORMATS["csv"](encoding="utf-8-sig").create_dataset(content)
        else:
            dataset = FORMATS["xlsx"]().create_dataset(content)
    except Exception:  # noqa: BLE001  (openpyxl and tablib raise many kinds on a bad file)
        raise SheetError(_("The file could not be read as a sheet.")) from None
    if dataset.height > MAX_ROWS:
        raise SheetError(
            _("The sheet has more than %(limit)s rows: split it.") % {"limit": MAX_ROWS}
        )
    return dataset


def _columns(headers) -> dict[str, int]:
    """The attribute of each known heading → its column; the sheet's other columns are ignored."""
    found: dict[str, int] = {}
    for index, heading in enumerate(headers or []):
        attribute = COLUMNS.get(_text(heading).replace(" ", ""))
        if attribute is not None and attribute not in found:
            found[attribute] = index
    missing = [HEADING[attribute] for attribute in REQUIRED if attribute not in found]
    if missing:
        raise SheetError(
            _("The sheet has no column %(headings)s: the first row holds the headings.")
            % {"headings": "、".join(missing)}
        )
    return found


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{HEADING.get(name, '')}：{message}" if name in HEADING else message
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


@dataclass
class _Row:
    line: int
    cells: dict[str, object]  # attribute → cleaned value, for the cells that are not empty
    unit: Unit | None = None
    person: Person | None = None
    number: str = ""


def _read_row(
    line: int, values, columns: dict[str, int], resource: PersonResource
) -> tuple[_Row, list[str]]:
    cells: dict[str, object] = {}
    problems: list[str] = []
    unreadable: set[str] = set()
    for attribute, index in columns.items():
        raw = values[index] if index < len(values) else None
        if not _text(raw):
            continue
        try:
            cells[attribute] = resource.fields[attribute].widget.clean(raw)
        except ValueError as exc:
            problems.append(f"{HEADING[attribute]}：{exc}")
            unreadable.add(attribute)
    for attribute in REQUIRED:
        if attribute not in cells and attribute not in unreadable:
            problems.append(_("%(heading)s is empty.") % {"heading": HEADING[attribute]})
    return _Row(line=line, cells=cells), problems


def _check_row(row: _Row, *, county, units: dict[str, Unit], seen: dict[str, int]) -> list[str]:
    problems: list[str] = []
    unit_name = row.cells.get("unit")
    if unit_name:
        row.unit = units.get(str(unit_name))
        if row.unit is None:
            problems.append(
                f"{HEADING['unit']}："
                + _("%(unit)s is not a unit of %(county)s.")
                % {"unit": unit_name, "county": county.name}
            )
    number = row.cells.get("id_number")
    if not number:
        return problems
    try:
        row.number = validate_id_number(str(number), date_of_birth=row.cells.get("date_of_birth"))
    except ValidationError as exc:
        problems.extend(f"{HEADING['id_number']}：{message}" for message in exc.messages)
        return problems
    digest = crypto.digest(row.number)
    if digest in seen:
        problems.append(
            _("The same ID number as line %(line)s: a person is listed once.")
            % {"line": seen[digest]}
        )
        return problems
    seen[digest] = row.line
    # Unscoped on purpose: a number is unique per county, and a person still in another
    # county's register (not transferred out there) is not registered here too. Nothing of that
    # county is said.
    people = Person._base_manager.filter(id_number_digest=digest)
    row.person = people.filter(county=county).first()
    if row.person is None:
        if people.exclude(county=county).filter(left_on__isnull=True).exists():
            problems.append(
                _(
                    "A person with this ID number is in another county's register: that county "
                    "records them as transferred out, then they can be registered here."
                )
            )
        return problems
    if row.person.has_left:
        problems.append(
            _("%(person)s left the register; a person who left is not registered again.")
            % {"person": row.person}
        )
    elif row.unit is not None:
        unit = current_unit(row.person)
        if unit is not None and unit.pk != row.unit.pk:
            problems.append(
                _(
                    "%(person)s belongs to %(unit)s: record the transfer (组织关系转接) on their "
                    "page first."
                )
                % {"person": row.person, "unit": unit}
            )
    return problems


def _write_row(row: _Row, *, actor) -> RowOutcome:
    fields = {name: value for name, value in row.cells.items() if name in services.PERSON_FIELDS}
    fields["id_number"] = row.number
    assert row.unit is not None
    if row.person is None:
        person = services.person_create(unit=row.unit, actor=actor, **fields)
        action, changed = NEW, ()
    else:
        person = row.person
        del fields["id_number"]  # the number it was found by
        changes = {name: value for name, value in fields.items() if getattr(person, name) != value}
        if changes:
            person = services.person_update(person=person, actor=actor, **changes)
        action = UPDATE if changes else UNCHANGED
        changed = tuple(HEADING[name] for name in COLUMNS.values() if name in changes)
    return RowOutcome(
        line=row.line,
        action=action,
        name=person.name,
        id_number=masking.mask_id(row.number),
        unit=row.unit.name,
        changed=changed,
    )


def people_import(*, county, dataset: Dataset, actor, commit: bool) -> ImportReport:
    """Import the sheet into `county`'s register: every row or none (see the module docstring).
    `commit=False` is the preview: everything is checked and written, then rolled back."""
    columns = _columns(dataset.headers)
    resource = PersonResource()
    units = {unit.name: unit for unit in Unit.objects.filter(county=county, is_active=True)}
    seen: dict[str, int] = {}
    report = ImportReport()
    with transaction.atomic():
        for line, values in enumerate(dataset, start=2):
            if not any(_text(value) for value in values):
                continue
            row, problems = _read_row(line, values, columns, resource)
            problems += _check_row(row, county=county, units=units, seen=seen)
            if problems:
                report.problems.append(RowProblem(line, tuple(problems)))
                continue
            try:
                with transaction.atomic():
                    report.outcomes.append(_write_row(row, actor=actor))
            except ValidationError as exc:
                report.problems.append(RowProblem(line, tuple(_messages(exc))))
        if not report.outcomes and not report.problems:
            report.problems.append(RowProblem(2, (_("The sheet has no rows below its headings."),)))
        report.committed = commit and report.ok
        if not report.committed:
            transaction.set_rollback(True)
    return report


class UploadStash:
    """An uploaded sheet kept between its preview and its confirmation: encrypted (it may hold
    ID numbers), in the cache for STASH_SECONDS, found by a random token and only by the person
    who uploaded it. One per import (`namespace`); `meta` are short strings kept with it (the
    education import's platform and year)."""

    def __init__(self, namespace: str):
        self.namespace = namespace

    def _key(self, user, token: str) -> str:
        return f"{self.namespace}:import:{user.pk}:{str(token)[:64]}"

    def put(self, *, content: bytes, file_format: str, user, meta: tuple[str, ...] = ()) -> str:
        token = secrets.token_urlsafe(18)
        fields = (file_format, *meta, base64.b64encode(content).decode())
        cache.set(self._key(user, token), crypto.encrypt(":".join(fields)), STASH_SECONDS)
        return token

    def get(self, *, token: str, user, meta: int = 0) -> tuple | None:
        """(content, format, *meta) stashed by `user` under `token`; None once expired (or
        another's)."""
        payload = cache.get(self._key(user, token))
        if payload is None:
            return None
        *fields, encoded = crypto.decrypt(payload).split(":", 1 + meta)
        return (base64.b64decode(encoded), *fields)

    def done(self, *, token: str, user) -> None:
        cache.delete(self._key(user, token))


REGISTER_STASH = UploadStash("people")


def stash(*, content: bytes, file_format: str, user) -> str:
    """Keep the uploaded file for its confirmation, encrypted; the token that finds it."""
    return REGISTER_STASH.put(content=content, file_format=file_format, user=user)


def unstash(*, token: str, user) -> tuple[bytes, str] | None:
    """The file `user` stashed under `token` (content, format), or None once expired (or
    another's)."""
    return REGISTER_STASH.get(token=token, user=user)


def unstash_done(*, token: str, user) -> None:
    REGISTER_STASH.done(token=token, user=user)
