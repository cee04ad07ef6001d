"""Roll-up reports: figures against hand-counted data, the Excel file read back, the drafted
narrative, reports kept as generated, and who may see and do what."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from activities.constants import ActivityForm, ActivityState
from core.periods import period_of
from reports import services
from reports.constants import ReportState
from reports.models import RollupReport
from reports.narrative import approx
from tests.activities.factories import make_activity
from zones import services as zone_services
from zones.constants import Grade

D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture
def october(county, fixed_today):
    """Hand-counted: zone A confirms 2 theme party days and 1 on-site teaching in October 2026,
    has one activity still submitted, and one confirmed in September; zone B logs nothing."""
    fixed_today(TODAY)
    by, lead = county.secretary, county.lead_secretary
    make_activity(
        unit=county.member_unit,
        by=by,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=lead,
        tags=["study", "action"],
    )
    make_activity(
        unit=county.member_unit,
        by=by,
        date=D(2026, 10, 20),
        state=ActivityState.CONFIRMED,
        reviewer=lead,
        tags=["study"],
    )
    make_activity(
        unit=county.member_unit,
        by=by,
        date=D(2026, 10, 22),
        state=ActivityState.CONFIRMED,
        reviewer=lead,
        form=ActivityForm.ONSITE_TEACHING,
    )
    make_activity(
        unit=county.member_unit, by=by, date=D(2026, 10, 25), state=ActivityState.SUBMITTED
    )
    make_activity(
        unit=county.member_unit,
        by=by,
        date=D(2026, 9, 12),
        state=ActivityState.CONFIRMED,
        reviewer=lead,
    )
    zone_services.unit_set_grade(
        unit=county.member_unit_2,
        grade=Grade.FIRST,
        effective_on=D(2026, 10, 15),
        reason="考评进位",
    )
    return county


OCTOBER = D(2026, 10, 1)


def generate(kind="month", day=OCTOBER, zone=None, by=None):
    report = services.report_request(kind=kind, day=day, zone=zone, by=by)
    assert services.report_generate(report_id=report.pk, today=TODAY)
    report.refresh_from_db()
    return report


def test_monthly_county_figures_match_the_hand_count(october):
    f = generate().figures
    assert f["activities"] == 3
    assert dict(f["by_form"])[str(ActivityForm.THEME_PARTY_DAY.label)] == 2
    assert dict(f["by_form"])[str(ActivityForm.ONSITE_TEACHING.label)] == 1
    assert f["activities_to_date"] == 4
    assert f["zone_months"] == 2 and f["zone_months_covered"] == 1
    assert f["gaps"] == [[october.zone_b.name, "2026-10"]]
    assert f["moved_up"] == 1 and f["class_moves"][0]["unit"] == october.member_unit_2.name


def test_five_joint_tags_are_counted(october):
    tags = dict(generate().figures["by_tag"])
    from activities.constants import JointTag

    assert tags[str(JointTag.STUDY.label)] == 2 and tags[str(JointTag.ACTION.label)] == 1
    assert sum(tags.values()) == 3


def test_zone_report_counts_only_that_zone(october):
    f = generate(zone=october.zone_b).figures
    assert f["activities"] == 0 and f["gaps"] == [[october.zone_b.name, "2026-10"]]


def test_quarterly_report_of_an_unfinished_quarter_shows_the_open_month(october):
    f = generate(kind="quarter", day=D(2026, 10, 1)).figures
    assert f["months"] == ["2026-10", "2026-11"]
    assert f["coverage"][0][1:] == ["done", "open"]


def test_excel_file_reads_back_with_the_figures(october):
    report = generate()
    book = openpyxl.load_workbook(io.BytesIO(report.excel.read()))
    assert len(book.sheetnames) == 6
    summary = book[book.sheetnames[0]]
    assert summary.freeze_panes == "A2"
    values = {row[0].value: row[1].value for row in summary.iter_rows(min_row=2)}
    assert 3 in values.values() and "1/2" in values.values()
    by_form = book[book.sheetnames[1]]
    rows = {r[0].value: (r[1].value, r[2].value) for r in by_form.iter_rows(min_row=2)}
    assert rows[str(ActivityForm.THEME_PARTY_DAY.label)] == (2, 3) or (2, 3) in rows.values()


def test_narrative_contains_the_figures(october):
    report = generate()
    assert "3" in report.narrative and "2" in report.narrative
    from reports.narrative import draft_narrative

    english = draft_narrative(report.figures, period_label="October 2026", language="en")
    assert "3 confirmed joint activities" in english
    assert "Of 2 zone-months, 1 had an activity" in english
    assert "4 joint activities have been held in all" in english


def test_counts_are_written_as_the_committee_writes_them():
    with translation.override("en"):
        assert [approx(7), approx(36), approx(100), approx(113), approx(180)] == [
            "7",
            "36",
            "100",
            "110+",
            "180",
        ]
    with translation.override("zh-hans"):
        assert approx(113) == "110余"


def test_a_generated_report_is_not_rewritten_by_a_later_correction(october):
    report = generate()
    make_activity(
        unit=october.member_unit,
        by=october.secretary,
        date=D(2026, 10, 28),
        state=ActivityState.CONFIRMED,
        reviewer=october.lead_secretary,
    )
    report.refresh_from_db()
    assert report.figures["activities"] == 3
    again = generate()
    assert again.version == 2 and again.figures["activities"] == 4
    assert RollupReport.objects.get(pk=report.pk).figures["activities"] == 3


def test_generation_runs_once_even_if_the_task_is_delivered_twice(october):
    report = services.report_request(kind="month", day=D(2026, 10, 1))
    assert services.report_generate(report_id=report.pk, today=TODAY) is True
    assert services.report_generate(report_id=report.pk, today=TODAY) is False


def test_closed_periods_are_requested_once(october):
    created = services.reports_due(today=TODAY)
    # month (Oct), quarter (Q3), half (H1), year (2025): county and two zones each
    assert len(created) == 4 * 3
    assert services.reports_due(today=TODAY) == []
    assert {r.period_start for r in created if r.kind == "quarter"} == {
        period_of("quarter", D(2026, 7, 1)).start
    }


def test_a_future_period_is_refused(county, fixed_today):
    fixed_today(TODAY)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.report_request(kind="month", day=D(2027, 1, 1))
    assert RollupReport.objects.count() == 0


def test_staff_edits_the_narrative_then_files_and_it_is_read_only(client, october):
    report = generate()
    client.force_login(october.staff)
    client.post(
        reverse("reports:narrative", args=[report.pk]),
        {"narrative": "截至目前，累计开展联建活动4次。"},
    )
    report.refresh_from_db()
    assert report.narrative == "截至目前，累计开展联建活动4次。"
    client.post(reverse("reports:file", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == ReportState.FILED
    client.post(reverse("reports:narrative", args=[report.pk]), {"narrative": "改写"})
    report.refresh_from_db()
    assert report.narrative == "截至目前，累计开展联建活动4次。"


def test_an_empty_narrative_is_refused(client, october):
    report = generate()
    client.force_login(october.staff)
    before = report.narrative
    client.post(reverse("reports:narrative", args=[report.pk]), {"narrative": "  "})
    report.refresh_from_db()
    assert report.narrative == before


def test_staff_requests_a_report_from_the_page(client, october):
    client.force_login(october.staff)
    response = client.post(
        reverse("reports:request"), {"kind": "month", "day": "2026-10-01", "zone": ""}
    )
    report = RollupReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:detail", args=[report.pk]
    )
    assert report.state == ReportState.REQUESTED
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="report-progress"' in page and "reports/report.js" in page
    assert client.get(reverse("reports:status", args=[report.pk])).json()["state"] == "requested"


def test_a_bad_request_changes_nothing(client, october):
    client.force_login(october.staff)
    client.post(reverse("reports:request"), {"kind": "decade", "day": "2026-10-01"})
    client.post(reverse("reports:request"), {"kind": "month", "day": "not a date"})
    assert RollupReport.objects.count() == 0


def test_leader_reads_reports_but_cannot_request_edit_or_file(client, october):
    report = generate()
    client.force_login(october.leader)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200
    assert (
        client.post(reverse("reports:request"), {"kind": "month", "day": "2026-10-01"}).status_code
        == 403
    )
    assert (
        client.post(reverse("reports:narrative", args=[report.pk]), {"narrative": "x"}).status_code
        == 403
    )
    assert client.post(reverse("reports:file", args=[report.pk])).status_code == 403
    assert RollupReport.objects.count() == 1


def test_lead_secretary_reads_their_zones_report_only(client, october):
    own = generate(zone=october.zone_a)
    other = generate(zone=october.zone_b)
    county_report = generate()
    client.force_login(october.lead_secretary)
    assert client.get(reverse("reports:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[county_report.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["secretary", "other_secretary", "outsider"])
def test_secretaries_do_not_see_reports(client, october, persona):
    report = generate()
    client.force_login(getattr(october, persona))
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 404
    assert list(client.get(reverse("reports:list")).context["page"]) == []


def test_report_actions_need_post_and_login(client, october):
    report = generate()
    client.force_login(october.staff)
    assert client.get(reverse("reports:file", args=[report.pk])).status_code == 405
    assert client.get(reverse("reports:request")).status_code == 405
    client.logout()
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_report_list_query_count_is_fixed(client, october, django_assert_num_queries):
    client.force_login(october.staff)
    generate()
    # session, user, unread count, page count, page rows (zone joined), zones of the request form
    with django_assert_num_queries(6):
        client.get(reverse("reports:list"))
    for month in range(1, 10):
        generate(day=D(2026, month, 1))
    with django_assert_num_queries(6):
        client.get(reverse("reports:list"))


def test_a_monthly_report_counts_the_checks_published_in_that_month(county, published_check):
    from supervision.models import MutualCheck

    MutualCheck.objects.filter(pk=published_check.pk).update(
        published_at=datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)
    )
    november = generate(day=D(2026, 11, 1)).figures
    october = generate(day=D(2026, 10, 1)).figures
    assert (november["checks_held"], october["checks_held"]) == (1, 0)
    assert generate(kind="quarter", day=D(2026, 10, 1)).figures["checks_held"] == 1
