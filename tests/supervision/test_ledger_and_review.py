"""The rectification ledger (filters, Excel export, query counts) and the class review."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.excel import safe_cell
from supervision import services
from supervision.models import ClassReviewThreshold, Finding
from supervision.selectors import class_review, suggest_grade
from tests.factories import UnitPostFactory, ZoneFactory, unit_in_zone
from tests.helpers import file_body
from tests.supervision.conftest import fill
from zones.constants import Grade
from zones.models import UnitGrade

LEDGER = reverse("supervision:finding_list")
EXPORT = reverse("supervision:finding_export")


def test_staff_filter_the_ledger_by_overdue(client, county, finding, fixed_today):
    client.force_login(county.staff)
    assert client.get(LEDGER, {"overdue": "true"}).context["page"].paginator.count == 0
    fixed_today(finding.deadline + datetime.timedelta(days=1))
    assert client.get(LEDGER, {"overdue": "true"}).context["page"].paginator.count == 1
    assert client.get(LEDGER, {"zone": county.zone_b.pk}).context["page"].paginator.count == 0


def test_a_unit_secretary_sees_only_their_units_findings_in_the_ledger(client, county, finding):
    client.force_login(county.other_secretary)
    assert client.get(LEDGER).context["page"].paginator.count == 0
    client.force_login(county.secretary)
    assert client.get(LEDGER).context["page"].paginator.count == 1


def test_export_has_chinese_headings_and_escapes_formulas(client, county, finding):
    Finding.objects.filter(pk=finding.pk).update(description='=HYPERLINK("http://x")')
    client.force_login(county.staff)
    response = client.get(EXPORT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(file_body(response))).active
    headings = [c.value for c in sheet[1]]
    assert headings[0] == "片区"  # Chinese headings although the request asked for English
    assert sheet.cell(row=2, column=5).value.startswith("'=")
    assert sheet.max_row == 2


def test_safe_cell_escapes_every_formula_start():
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "ok", 3)] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "ok",
        3,
    ]


def test_export_for_another_zones_secretary_holds_no_rows(client, county, finding):
    client.force_login(county.other_secretary)
    sheet = load_workbook(io.BytesIO(file_body(client.get(EXPORT)))).active
    assert sheet.max_row == 1


def _ledger_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LEDGER).status_code == 200
    return len(ctx.captured_queries)


def test_ledger_query_count_does_not_grow_with_findings(client, county, finding, today):
    small = _ledger_queries(client, county.staff)
    zone = ZoneFactory(number=9)
    lead = unit_in_zone(zone, lead=True)
    UnitPostFactory(unit=lead)
    for _ in range(5):
        unit_in_zone(zone)
    check = services.mutual_check_create(
        zone=zone, year=2026, quarter=4, by=county.staff, rng=random.Random(1)
    )
    for sheet in check.sheets.all():
        for n in range(4):
            services.finding_record(
                sheet=sheet, description=f"问题{n}", severity="general", by=county.staff
            )
        fill(sheet, county.staff)
    services.mutual_check_publish(check=check, by=county.staff)
    assert Finding.objects.count() == 25
    # session, user, the scope (unit posts, guided zones), the page of findings (with unit and
    # zone) counting the whole list in the same query, and the scope's membership read for
    # staff: 6, equal (7 while the count was a query of its own). (The zone and unit filters
    # are texts since issue 20: no choices read.)
    large = _ledger_queries(client, county.staff)
    assert (small, large) == (6, 6)


def test_suggestion_thresholds(db):
    t = ClassReviewThreshold.for_county(None)  # the defaults
    t.first_min_score, t.first_max_overdue, t.second_min_score, t.second_max_overdue = 90, 0, 75, 2
    assert suggest_grade(Decimal("95"), 0, t) == Grade.FIRST
    assert suggest_grade(Decimal("95"), 1, t) == Grade.SECOND  # one overdue keeps it out of first
    assert suggest_grade(Decimal("89.9"), 0, t) == Grade.SECOND
    assert suggest_grade(Decimal("80"), 3, t) == Grade.THIRD
    assert suggest_grade(Decimal("74.9"), 0, t) == Grade.THIRD
    assert suggest_grade(None, 0, t) is None
    t.first_min_score = 80
    assert suggest_grade(Decimal("85"), 0, t) == Grade.FIRST


def test_review_suggests_from_the_half_years_released_scores(county, published_check):
    rows = {r.unit.pk: r for r in class_review(year=2026, half=2)}
    member = rows[county.member_unit.pk]
    assert member.score_percent == Decimal("80.0") and member.findings == 1
    assert member.suggested == Grade.SECOND
    assert rows[county.other_unit.pk].suggested is None  # zone B was not checked


def test_staff_confirm_a_class_and_it_enters_the_history(client, county, published_check):
    client.force_login(county.staff)
    client.post(
        reverse("supervision:class_review_confirm"),
        {
            "unit": county.member_unit.pk,
            "suggested": 2,
            "grade": 1,
            "effective_on": "2026-11-28",
            "reason": "整改到位",
        },
    )
    assert UnitGrade.objects.filter(unit=county.member_unit, grade=1, reason="整改到位").exists()
    response = client.get(reverse("supervision:class_movements"))
    assert county.member_unit.name in response.content.decode()


def test_override_without_a_reason_is_refused(client, county, published_check):
    client.force_login(county.staff)
    before = UnitGrade.objects.count()
    client.post(
        reverse("supervision:class_review_confirm"),
        {"unit": county.member_unit.pk, "suggested": 3, "grade": 1, "effective_on": "2026-11-28"},
    )
    assert UnitGrade.objects.count() == before


def test_a_refusal_of_unit_set_grade_is_shown_and_nothing_changes(client, county, published_check):
    client.force_login(county.staff)
    before = UnitGrade.objects.count()
    response = client.post(
        reverse("supervision:class_review_confirm"),
        {"unit": county.lead_unit.pk, "suggested": 2, "grade": 2, "effective_on": "2026-11-28"},
        follow=True,
    )
    assert UnitGrade.objects.count() == before  # a lead unit must stay first class
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_class_review_is_for_staff_and_movements_for_the_committee(client, county):
    client.force_login(county.leader)
    assert client.get(reverse("supervision:class_review")).status_code == 404
    assert client.post(reverse("supervision:class_review_confirm"), {}).status_code == 403
    assert client.get(reverse("supervision:class_movements")).status_code == 200
    client.force_login(county.lead_secretary)
    assert client.get(reverse("supervision:class_movements")).status_code == 404
    client.force_login(county.staff)
    assert client.get(reverse("supervision:class_review")).status_code == 200
    assert client.get(reverse("supervision:class_review_confirm")).status_code == 405


def test_the_ledger_lists_only_findings_handed_over_for_rectification(client, county, check_a):
    from django.urls import reverse

    from supervision import services as supervision_services

    sheet = check_a.sheets.get(checked_unit=county.member_unit)
    supervision_services.finding_record(
        sheet=sheet, description="尚未通报的问题", severity="general", by=county.staff
    )
    client.force_login(county.staff)
    page = client.get(reverse("supervision:finding_list")).context["page"]
    assert [f.description for f in page] == []


def test_the_export_rows_read_as_values_equal_each_findings_own_texts(
    client, county, finding, fixed_today
):
    """Issue 20: the export reads plain values (no model instance per row); every cell is what
    the finding's own fields give, in Chinese whatever the request's language, the overdue
    flag included."""
    from supervision.selectors import with_overdue

    fixed_today(finding.deadline + datetime.timedelta(days=1))  # overdue now
    client.force_login(county.staff)
    response = client.get(EXPORT, HTTP_ACCEPT_LANGUAGE="en")
    rows = [tuple(r) for r in load_workbook(io.BytesIO(file_body(response))).active.values][1:]
    with translation.override("zh-hans"):
        expected = [
            (
                f.zone.name if f.zone else "",
                f.responsible_unit.name,
                str(f.get_source_display()),
                str(f.get_severity_display()),
                str(f.get_state_display()),
                "是" if f.is_overdue else "否",
                f.workdays_allowed,
            )
            for f in with_overdue(Finding.objects.filter(raised_on__isnull=False))
        ]
    assert [(r[0], r[1], r[2], r[3], r[6], r[10], r[9]) for r in rows] == expected
    assert [r[10] for r in rows] == ["是"]  # the one finding, overdue: in Chinese
