"""No export the portal offers hands a spreadsheet a formula or a control character. A text
somebody typed (`=HYPERLINK(...)`, `+…`, `-…`, `@…`, a tab or carriage return before a formula, a
control character pasted from Word) in an activity, a finding, a unit's secretary, an audit event, a
reason for a move or a class change is written into every Excel and CSV export as text with a
leading quote and without the control character (core.excel.safe_cell, the one rule), never as a
formula Excel would run; and a unit workbook the portal exported imports back unchanged.

Every export is listed in one registry (core.excel.EXPORTS); this module drives each one, and fails
on an export it does not drive, on an export view or admin action left out of the registry, on an
import-export admin whose resource skips the rule, and on a module that writes a spreadsheet
itself instead of through the export layer."""

from __future__ import annotations

import ast
import csv
import datetime
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.sites import all_sites
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from import_export.mixins import BaseExportMixin
from openpyxl import load_workbook

from activities.constants import ActivityState
from activities.models import Activity
from audit.constants import Event, Outcome
from audit.models import AuditEvent
from core.excel import EXPORTS, FORMULA_STARTS, ExportAdmin, SafeCellsResource, safe_cell
from people.models import Person
from reports import services as report_services
from supervision.models import Finding
from tests.activities.factories import make_activity
from zones import services as zone_services
from zones.constants import Grade
from zones.models import Membership, Unit, UnitGrade
from zones.resources import UnitResource

EVIL = '=HYPERLINK("http://evil.example","x")'
# What somebody may type, or may have been stored before control characters were refused.
TYPED = [
    EVIL,
    "+cmd|' /C calc'!A0",
    "-1+2",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    '\x01=HYPERLINK("http://x","y")',
    "主题\x0b党日\x1f学习",
]
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TODAY = datetime.date(2026, 11, 28)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def typed_in(county, finding, fixed_today):
    """The records each export writes, through the services."""
    fixed_today(TODAY)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    zone_services.unit_set_grade(
        unit=county.member_unit_2,
        grade=Grade.FIRST,
        effective_on=TODAY.replace(day=1),
        reason="评定",
    )
    zone_services.unit_reassign(
        unit=county.other_unit,
        zone=county.zone_a,
        effective_on=TODAY,
        reason="调整",
        by=county.staff,
    )
    return county


def type_in(county, text: str) -> None:
    """`text` stored as is in the text fields each export writes (update() and bulk_create() skip
    the control-character rule on save, as rows stored before it did)."""
    Activity.objects.update(title=text, summary=text)
    Finding.objects.update(description=text, suggestion=text)
    Unit.objects.filter(pk=county.member_unit.pk).update(secretary_name=text, location=text)
    _register_person(county)
    Person.objects.update(job_title=text)
    _education_session(county, text)
    _wishes(county, text)
    _service_team(county, text)
    UnitGrade.objects.filter(unit=county.member_unit_2).update(reason=text)
    AuditEvent.objects.bulk_create(
        [AuditEvent(event=Event.LOGIN, outcome=Outcome.FAILURE, username="x", detail=text)]
    )
    history = Membership.history.order_by("-history_id").first()
    history.pk = None
    history.history_id = None
    history.reason = text
    Membership.history.model.objects.bulk_create([history])


def activity_ledger(client, county, auditor):
    client.force_login(county.staff)
    return client.get(reverse("activities:ledger_export"))


def rectification_ledger(client, county, auditor):
    client.force_login(county.staff)
    return client.get(reverse("supervision:finding_export"))


def report_workbook(client, county, auditor):
    report = report_services.report_request(kind="month", day=TODAY, by=county.staff)
    report.version += 1  # a new file for each text typed in
    report.save(update_fields=["version"])
    assert report_services.report_generate(report_id=report.pk, today=TODAY)
    client.force_login(county.staff)
    return client.get(reverse("reports:download", args=[report.pk]))


def audit_csv(client, county, auditor):
    client.force_login(auditor)
    return client.post(
        reverse("audit_admin:audit_auditevent_changelist"),
        {
            "action": "export_csv",
            ACTION_CHECKBOX_NAME: list(AuditEvent.objects.values_list("pk", flat=True)),
        },
    )


def history_csv(client, county, auditor):
    client.force_login(auditor)
    return client.post(
        reverse("audit_admin:audit_historicalmembership_changelist"),
        {
            "action": "export_csv",
            ACTION_CHECKBOX_NAME: list(Membership.history.values_list("history_id", flat=True)),
        },
    )


def _unit_export(client, county, file_format: str):
    client.force_login(county.staff)
    formats = [f().get_title() for f in admin.site.get_model_admin(Unit).get_export_formats()]
    fields = {f"unitresource_{name}": "on" for name in UnitResource().get_export_order()}
    return client.post(
        reverse("admin:zones_unit_export"),
        {"format": formats.index(file_format), "resource": "0", **fields},
    )


def unit_workbook(client, county, auditor):
    return _unit_export(client, county, "xlsx")


def unit_csv(client, county, auditor):
    return _unit_export(client, county, "csv")


def _register_person(county):
    from tests.people.factories import person_in

    if not Person.objects.exists():
        person_in(county.member_unit, name="王芳")


def _education_session(county, text: str | None = None) -> None:
    """六大课堂: the county runs education; a session of the member unit attended by its
    member, its topic and one classroom's name typed in."""
    from counties.constants import Mechanism
    from counties.models import CountyMechanism
    from education import services as education_services
    from education.models import Classroom
    from education.models import Session as StudySession

    if not StudySession.objects.exists():
        CountyMechanism.objects.get_or_create(
            county=county.member_unit.county,
            mechanism=Mechanism.EDUCATION,
            until=None,
            defaults={"since": datetime.date(2024, 1, 1)},
        )
        rooms = education_services.classrooms_ensure(county=county.member_unit.county)
        starts = datetime.datetime(2026, 10, 9, 1, 0, tzinfo=datetime.UTC)
        session = education_services.session_create(
            county=county.member_unit.county,
            by=county.secretary,
            classroom=rooms[0],
            kind="group_study",
            topic="集中学习",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            duration=2,
            units=[county.member_unit],
        )
        session.attendances.update(status="present")
    if text is not None:
        StudySession.objects.update(topic=text)
        Classroom.objects.filter(pk=Classroom.objects.order_by("pk")[0].pk).update(name=text)


def member_study_record(client, county, auditor):
    _register_person(county)
    _education_session(county)
    client.force_login(county.staff)
    return client.get(reverse("education:person_export", args=[Person.objects.get().pk]))


def unit_study_ledger(client, county, auditor):
    _register_person(county)
    _education_session(county)
    client.force_login(county.staff)
    return client.get(reverse("education:unit_export", args=[county.member_unit.pk]))


def _wishes(county, text: str | None = None) -> None:
    """群众微心愿: the micro-wishes' world (tests/wishes/conftest.py), a wish's text and a
    category's name typed in."""
    from wishes.models import Category, Wish

    if not Wish.objects.exists():
        from tests.wishes.conftest import build

        w = build(county)
        Wish.objects.update(category=w.roads)
    if text is not None:
        Wish.objects.update(text=text)
        Category.objects.filter(pk__in=Wish.objects.values("category")).update(name=text)


def micro_wishes_list(client, county, auditor):
    _wishes(county)
    client.force_login(county.staff)
    return client.get(reverse("wishes:export"))


def micro_wishes_figures(client, county, auditor):
    _wishes(county)
    client.force_login(county.staff)
    return client.get(reverse("wishes:figures_export"))


def _service_team(county, text: str | None = None) -> None:
    """双带服务队: the county runs the teams; a team whose captain had a reminder talk, the
    team's name typed in."""
    from counties.constants import Mechanism
    from counties.models import CountyMechanism
    from people.services import person_link_account
    from teams import services as team_services
    from teams.models import ReminderTalk, Team

    if not ReminderTalk.objects.exists():
        CountyMechanism.objects.get_or_create(
            county=county.member_unit.county,
            mechanism=Mechanism.TEAMS,
            until=None,
            defaults={"since": datetime.date(2024, 1, 1)},
        )
        _register_person(county)
        captain = Person.objects.get()  # the register's one person captains the team
        if captain.user_id is None:
            person_link_account(person=captain, user=county.lead_secretary)
        team = team_services.team_create(
            name="第一服务队",
            anchor_unit=county.lead_unit,
            captain=captain,
            members=[],
            formed_on=datetime.date(2026, 1, 1),
            by=county.staff,
        )
        team_services.talk_record(
            person=captain,
            team=team,
            year=2026,
            held_on=datetime.date(2026, 10, 9),
            outcome="已谈话",
            by=county.staff,
        )
    if text is not None:
        Team.objects.update(name=text)


def service_team_scorecards(client, county, auditor):
    _service_team(county)
    client.force_login(county.staff)
    return client.get(reverse("teams:scorecards_export"), {"year": "2026"})


def register_workbook(client, county, auditor):
    _register_person(county)
    client.force_login(county.staff)
    return client.get(reverse("people_import:export"), {"full": "1"})


def unit_members_csv(client, county, auditor):
    _register_person(county)
    client.force_login(county.staff)
    return client.get(
        reverse("people_import:unit_export", args=[county.member_unit.pk]), {"format": "csv"}
    )


# The driver of each export in the registry (core.excel.EXPORTS), by its name there.
DRIVERS = {
    "service team scorecards": service_team_scorecards,
    "activity ledger": activity_ledger,
    "rectification ledger": rectification_ledger,
    "report workbook": report_workbook,
    "audit trail CSV": audit_csv,
    "record history CSV": history_csv,
    "unit list": [unit_workbook, unit_csv],
    "member register": register_workbook,
    "unit members": unit_members_csv,
    "member study record": member_study_record,  # 六大课堂 (issue 19)
    "unit study ledger": unit_study_ledger,
    "micro-wishes list": micro_wishes_list,  # 群众微心愿 (issue 17)
    "micro-wishes figures": micro_wishes_figures,
}
EXPORTS_DRIVEN = [
    driver for d in DRIVERS.values() for driver in (d if isinstance(d, list) else [d])
]


def cells(response) -> list:
    """Every cell of the download: (formula?, value) for a workbook, (False, field) for a CSV."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
        return [(False, field) for row in rows for field in row]
    book = load_workbook(io.BytesIO(body))
    return [
        (cell.data_type == "f", cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def _line_ends(text: str) -> str:
    # A workbook is XML, whose reader reads a carriage return as a line feed.
    return text.replace("\r", "\n")


@pytest.mark.parametrize("export", EXPORTS_DRIVEN, ids=lambda e: e.__name__)
def test_no_export_hands_a_spreadsheet_a_formula(client, typed_in, auditor, export):
    for text in TYPED:
        type_in(typed_in, text)
        response = export(client, typed_in, auditor)
        assert response.status_code == 200
        written = cells(response)
        assert not [value for formula, value in written if formula]
        texts = [value for _formula, value in written if isinstance(value, str)]
        assert not [t for t in texts if t.startswith(FORMULA_STARTS)], repr(text)
        assert not [t for t in texts if CONTROLS.search(t)], repr(text)
        # The typed text is there, quoted and cleaned, rather than dropped.
        assert _line_ends(safe_cell(text)) in [_line_ends(t) for t in texts], repr(text)


@pytest.mark.parametrize("export", EXPORTS_DRIVEN, ids=lambda e: e.__name__)
def test_every_export_is_named_in_chinese(client, typed_in, auditor, export):
    disposition = export(client, typed_in, auditor)["Content-Disposition"]
    assert disposition.lower().startswith("attachment; filename*=utf-8''")
    name = unquote(disposition.split("''", 1)[1])
    assert re.search(r"[\u4e00-\u9fff]", name), name


def _import_urls():
    """Import every view module, and so the exports they register."""
    assert get_resolver().url_patterns


def test_every_export_in_the_registry_is_driven_here():
    """A new export is registered (core.excel.export) and driven above, with the typed texts."""
    _import_urls()
    assert set(EXPORTS) == set(DRIVERS)


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name or "", pattern.callback


def test_every_export_view_and_admin_action_is_in_the_registry(rf: RequestFactory, county):
    _import_urls()
    registered = set(map(id, EXPORTS.values()))
    views = [
        (route, name)
        for route, name, view in _views(get_resolver().url_patterns)
        if "export" in name
        and "admin" not in route
        and id(view) not in registered
        # A large export's job page and file (core.exportjobs): the file is what a registered
        # export's builder wrote (tests/core/test_export_jobs.py).
        and not name.startswith("export_job")
    ]
    assert not views, "export views outside core.excel.EXPORTS"
    request = rf.get("/")
    request.user = county.staff
    actions = []
    importers = []
    for site in all_sites:
        for model, model_admin in site._registry.items():
            for action in model_admin.actions or ():
                function = getattr(type(model_admin), action, action)
                name = getattr(function, "__name__", str(action))
                if "export" in name and id(function) not in registered:
                    actions.append((site.name, model.__name__, action))
            if isinstance(model_admin, BaseExportMixin):
                for resource in model_admin.get_export_resource_classes(request):
                    if not (
                        issubclass(resource, SafeCellsResource)
                        and id(resource) in registered
                        and isinstance(model_admin, ExportAdmin)
                    ):
                        importers.append((site.name, model.__name__, resource.__name__))
    assert not actions, "export actions outside core.excel.EXPORTS"
    assert not importers, "import-export admins outside the rule (SafeCellsResource, ExportAdmin)"


SPREADSHEET_WRITERS = {"csv", "openpyxl", "tablib", "xlsxwriter", "xlwt"}
APPS = ("activities", "audit", "core", "notifications", "portal", "reports", "supervision", "zones")


def test_no_module_writes_a_spreadsheet_but_the_export_layer():
    """Only core/excel.py builds workbooks and CSV files; every other module asks it."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path == ROOT / "core" / "excel.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules = [node.module]
                else:
                    continue
                found += [
                    f"{path.relative_to(ROOT)}: {m}"
                    for m in modules
                    if m.split(".")[0] in SPREADSHEET_WRITERS
                ]
    assert not found


def test_an_exported_unit_workbook_imports_back_unchanged(client, county):
    Unit.objects.filter(pk=county.member_unit.pk).update(name=EVIL, secretary_name="+86 123")
    before = list(Unit.objects.order_by("pk").values())
    response = _unit_export(client, county, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "'" + EVIL in [c.value for c in sheet["A"]]
    buffer = io.BytesIO(response.content)
    buffer.name = "units.xlsx"
    formats = [f().get_title() for f in admin.site.get_model_admin(Unit).get_import_formats()]
    response = client.post(
        reverse("admin:zones_unit_import"),
        {"import_file": buffer, "format": formats.index("xlsx")},
    )
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["form"].errors
    response = client.post(reverse("admin:zones_unit_process_import"), confirm.initial)
    assert response.status_code == 302
    assert list(Unit.objects.order_by("pk").values()) == before


def test_the_unit_workbook_keeps_numbers_numbers(client, county):
    """The library's own formula guard (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) would write every
    cell as text; the portal's rule quotes only formula-like text."""
    Unit.objects.filter(pk=county.member_unit.pk).update(member_count=23)
    sheet = load_workbook(io.BytesIO(_unit_export(client, county, "xlsx").content)).active
    counts = {row[0].value: row[6] for row in sheet.iter_rows(min_row=2)}
    assert counts[county.member_unit.name].value == 23
    assert counts[county.member_unit.name].data_type == "n"
