"""City roll-up reports (issue 15): each county's figures exactly as its county report counts
them, the city's rates pooled (Σ numerator / Σ denominator, never averaged), "未开展" for a county
that does not run a mechanism, the workbook's sheets, the narrative that names the counties, the
Word document, generation under the county reports' claim, and who may see them (city staff
only). And the county reports' own county: figures of that county only, 404 across counties."""

from __future__ import annotations

import datetime
import io

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.constants import ActivityState
from core.constants import Role
from counties.constants import Mechanism
from reports import services
from reports.constants import ReportState
from reports.figures import zones_totals
from reports.models import CityReport, RollupReport
from reports.narrative import draft_city_narrative
from tests.activities.factories import make_activity
from tests.education.conftest import edu  # noqa: F401 - the classrooms' world, a fixture
from tests.factories import (
    CountyFactory,
    UnitPostFactory,
    UserFactory,
    ZoneFactory,
    unit_in_zone,
)

D = datetime.date
TODAY = D(2026, 11, 28)
OCTOBER = D(2026, 10, 1)


def confirmed(unit, by, reviewer, day):
    return make_activity(
        unit=unit, by=by, date=day, state=ActivityState.CONFIRMED, reviewer=reviewer
    )


@pytest.fixture
def city(county, fixed_today):
    """安康市 of three counties of different sizes, hand-counted for October 2026:

    - 石泉县 (the personas' county, zones mechanism): two zones, zone A with 2 confirmed
      activities in October (and 1 in September), zone B none: 1 of 2 zone-months covered;
    - 紫阳县 (zones mechanism): four zones, each with 1 confirmed activity: 4 of 4 covered;
    - 平利县: runs no mechanism (未开展).

    Pooled coverage 5/6 = 83.3 %; the average of the counties' rates would be 75.0 %."""
    fixed_today(TODAY)
    c = county
    for day in (D(2026, 10, 9), D(2026, 10, 20), D(2026, 9, 12)):
        confirmed(c.member_unit, c.secretary, c.lead_secretary, day)
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang, is_staff=True)
    for number in range(1, 5):
        zone = ZoneFactory(county=ziyang, number=number, name=f"紫阳第{number}片区")
        lead = unit_in_zone(zone, lead=True, county=ziyang, name=f"紫阳牵头单位{number}")
        member = unit_in_zone(zone, county=ziyang, name=f"紫阳成员单位{number}")
        lead_secretary = UserFactory(username=f"zy_lead{number}", county=ziyang)
        UnitPostFactory(user=lead_secretary, unit=lead)
        secretary = UserFactory(username=f"zy_sec{number}", county=ziyang)
        UnitPostFactory(user=secretary, unit=member)
        confirmed(member, secretary, lead_secretary, D(2026, 10, 10 + number))
    pingli = CountyFactory(code="610926", name="平利县", short_name="平利", mechanisms=[])
    ZoneFactory(county=pingli, number=1, name="平利第1片区")
    city_staff = UserFactory(username="city", role=Role.CITY_STAFF)
    c.shiquan = c.staff.county
    c.ziyang, c.pingli, c.zy_staff, c.city_staff = ziyang, pingli, zy_staff, city_staff
    return c


def generate_city(kind="month", day=OCTOBER, by=None) -> CityReport:
    report = services.city_report_request(kind=kind, day=day, by=by)
    assert services.city_report_generate(report_id=report.pk, today=TODAY)
    report.refresh_from_db()
    return report


def generate_county(county, kind="month", day=OCTOBER) -> RollupReport:
    report = services.report_request(kind=kind, day=day, county=county)
    assert services.report_generate(report_id=report.pk, today=TODAY)
    report.refresh_from_db()
    return report


def of(report: CityReport, name: str) -> dict:
    (row,) = [c for c in report.figures["counties"] if c["name"] == name]
    return row


# --- the county reports' own county -------------------------------------------------------------


def test_a_county_report_counts_its_own_county_only(city):
    shiquan = generate_county(city.shiquan).figures
    ziyang = generate_county(city.ziyang).figures
    assert (shiquan["activities"], shiquan["zone_months"], shiquan["zone_months_covered"]) == (
        2,
        2,
        1,
    )
    assert (ziyang["activities"], ziyang["zone_months"], ziyang["zone_months_covered"]) == (4, 4, 4)
    assert [name for name, _n in ziyang["by_zone"]] == [f"紫阳第{n}片区" for n in range(1, 5)]


def test_another_countys_report_answers_404(client, city):
    report = generate_county(city.shiquan)
    client.force_login(city.zy_staff)
    for name in ("reports:detail", "reports:download", "reports:document", "reports:status"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name
    assert report.period_label not in client.get(reverse("reports:list")).content.decode()
    client.force_login(city.staff)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


# --- figures ------------------------------------------------------------------------------------


def test_each_countys_figures_are_its_county_reports(city):
    report = generate_city()
    assert of(report, "石泉县")["zones"] == generate_county(city.shiquan).figures
    assert of(report, "紫阳县")["zones"] == generate_county(city.ziyang).figures


def test_a_county_that_does_not_run_the_mechanism_has_no_figures_not_zeros(city):
    report = generate_city()
    pingli = of(report, "平利县")
    assert pingli["zones"] is None and pingli["runs"] == []
    assert [m for m, _label in of(report, "石泉县")["runs"]] == [Mechanism.ZONES]
    assert report.figures["totals"]["zones"]["counties"] == 2


def test_city_rates_are_pooled_over_counties_of_different_sizes(city):
    totals = generate_city().figures["totals"]["zones"]
    assert (totals["zone_months_covered"], totals["zone_months"]) == (5, 6)
    assert totals["coverage_rate"] == "83.3"  # 5/6, not (50 % + 100 %) / 2 = 75 %
    assert totals["activities"] == 6 and totals["activities_to_date"] == 7


def test_the_rectification_rate_is_pooled_not_averaged():
    def county(raised, rectified):
        return {
            **dict.fromkeys(
                [
                    "activities",
                    "activities_to_date",
                    "zone_months",
                    "zone_months_covered",
                    "checks_held",
                    "checks_expected",
                    "rounds_held",
                    "findings_overdue",
                    "findings_closed_in_period",
                    "moved_up",
                    "moved_down",
                ],
                0,
            ),
            "findings_raised": raised,
            "findings_rectified": rectified,
            "by_form": [],
            "by_form_to_date": [],
            "by_tag": [],
        }

    totals = zones_totals([county(raised=1, rectified=1), county(raised=9, rectified=0)])
    assert totals["rectification_rate"] == "10.0"  # 1/10; the average would be 50 %
    assert totals["coverage_rate"] is None  # no zone-months: no rate, not 0 %


def test_switching_the_mechanism_off_before_the_period_leaves_it_not_run(city):
    from counties.services import mechanism_switch_off

    mechanism_switch_off(county=city.ziyang, mechanism=Mechanism.ZONES, until=D(2026, 9, 1))
    report = generate_city()
    assert of(report, "紫阳县")["zones"] is None
    assert report.figures["totals"]["zones"]["zone_months"] == 2


# --- the workbook, the narrative, the Word document ---------------------------------------------


def test_the_workbook_has_a_sheet_for_the_city_and_one_per_county(city):
    report = generate_city()
    book = openpyxl.load_workbook(io.BytesIO(report.excel.read()))
    assert book.sheetnames == ["全市", "石泉县", "紫阳县", "平利县"]
    rows = {r[0].value: [c.value for c in r] for r in book["全市"].iter_rows(min_row=2)}
    headings = [c.value for c in book["全市"][1]]
    covered, months = headings.index("已开展活动的片区月数"), headings.index("片区月数")
    assert (rows["石泉县"][covered], rows["石泉县"][months]) == (1, 2)
    assert (rows["全市合计"][covered], rows["全市合计"][months]) == (5, 6)
    assert rows["全市合计"][headings.index("覆盖率（%）")] == "83.3"
    assert set(rows["平利县"][2:]) == {"未开展"}  # never a zero
    pingli = {r[0].value: r[1].value for r in book["平利县"].iter_rows(min_row=2)}
    assert pingli["片区联建巡回督导"] == "未开展"
    shiquan = {r[0].value: r[1].value for r in book["石泉县"].iter_rows(min_row=2)}
    assert shiquan["联建活动"] == 2 and shiquan["第一片区"] == 2


def test_the_narrative_names_each_county_and_its_mechanism(city):
    narrative = generate_city().narrative
    assert "石泉县片区联建累计开展联建活动3次，本期开展2次" in narrative
    assert "紫阳县片区联建累计开展联建活动4次" in narrative
    assert "平利县暂未开展片区联建" in narrative
    assert "83.3%" in narrative


def test_the_narrative_rounds_counts_as_the_committee_does(city):
    figures = generate_city().figures
    of_shiquan = [c for c in figures["counties"] if c["name"] == "石泉县"][0]["zones"]
    of_shiquan["activities_to_date"] = 113
    text = draft_city_narrative(figures, period_label="2026年10月")
    assert "石泉县片区联建累计开展联建活动110余次" in text


def test_the_word_document_is_the_citys_with_the_tables(client, city):
    report = generate_city()
    client.force_login(city.city_staff)
    response = client.get(reverse("reports:city_document", args=[report.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "中共安康市委直属机关工作委员会" in text and "安康市" in text
    assert "石泉县片区联建累计开展联建活动" in text
    assert len(document.tables) == 2
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[-1][0] == "全市合计" and cells[-1][3] == "5/6"
    assert ["平利县", "未开展", "未开展", "未开展", "未开展"] in cells


# --- generation ---------------------------------------------------------------------------------


def test_generation_runs_once_even_if_the_task_is_delivered_twice(city):
    report = services.city_report_request(kind="month", day=OCTOBER)
    assert services.city_report_generate(report_id=report.pk, today=TODAY) is True
    assert services.city_report_generate(report_id=report.pk, today=TODAY) is False
    assert services.city_report_lease_left(report_id=report.pk) is None


def test_a_generated_report_stays_as_generated_and_a_new_one_is_a_new_version(city):
    first = generate_city()
    confirmed(city.member_unit, city.secretary, city.lead_secretary, D(2026, 10, 28))
    second = generate_city()
    assert second.version == 2
    assert of(second, "石泉县")["zones"]["activities"] == 3
    first.refresh_from_db()
    assert of(first, "石泉县")["zones"]["activities"] == 2


def test_a_city_generation_whose_lease_expired_is_claimed_again(city, settings):
    from django.utils import timezone

    settings.BACKGROUND_LEASE_SECONDS = 60
    report = services.city_report_request(kind="month", day=OCTOBER)
    CityReport.objects.filter(pk=report.pk).update(
        state=ReportState.GENERATING,
        claimed_at=timezone.now() - datetime.timedelta(seconds=10),
        attempts=1,
    )
    assert services.city_report_generate(report_id=report.pk, today=TODAY) is False
    assert services.reports_sweep(older_than=datetime.timedelta(0)) == 0
    CityReport.objects.filter(pk=report.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert services.city_report_generate(report_id=report.pk, today=TODAY) is True
    report.refresh_from_db()
    assert report.state == ReportState.READY and report.attempts == 2


def test_a_future_period_and_an_unknown_one_are_refused(city):
    with pytest.raises(ValidationError, match="尚未开始"):
        services.city_report_request(kind="month", day=D(2027, 1, 1))
    with pytest.raises(ValidationError, match="未知的报表周期"):
        services.city_report_request(kind="week", day=OCTOBER)
    assert CityReport.objects.count() == 0


# --- who may ------------------------------------------------------------------------------------


def test_city_staff_request_and_read_a_city_report(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city.city_staff)
    assert client.get(reverse("reports:city_list")).status_code == 200
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("reports:city_request"), {"kind": "month", "day": "2026-10-05"}
        )
    report = CityReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:city_detail", args=[report.pk]
    )
    assert report.requested_by == city.city_staff and report.period_start == OCTOBER
    services.city_report_generate(report_id=report.pk, today=TODAY)
    page = client.get(reverse("reports:city_detail", args=[report.pk])).content.decode()
    assert "石泉县片区联建累计开展联建活动" in page and "未开展" in page
    assert client.get(reverse("reports:city_download", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:city_status", args=[report.pk])).json()["state"] == "ready"
    assert 'id="nav-city-reports"' in client.get(reverse("reports:city_list")).content.decode()


def test_a_bad_request_says_why_and_makes_nothing(client, city):
    client.force_login(city.city_staff)
    response = client.post(
        reverse("reports:city_request"), {"kind": "week", "day": "2026-10-05"}, follow=True
    )
    assert "week" in response.content.decode()
    response = client.post(
        reverse("reports:city_request"), {"kind": "month", "day": "2027-01-05"}, follow=True
    )
    assert "该周期尚未开始。" in response.content.decode()
    assert CityReport.objects.count() == 0


@pytest.mark.parametrize("persona", ["staff", "zy_staff", "leader", "secretary"])
def test_nobody_but_city_staff_sees_a_city_report(client, city, persona):
    report = generate_city()
    client.force_login(getattr(city, persona))
    for name in ("city_detail", "city_status", "city_download", "city_document"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404, name
    assert client.get(reverse("reports:city_list")).status_code == 404
    response = client.post(reverse("reports:city_request"), {"kind": "month", "day": "2026-10-05"})
    assert response.status_code == 404
    assert CityReport.objects.count() == 1
    assert 'id="nav-city-reports"' not in client.get(reverse("home"), follow=True).content.decode()


def test_a_county_only_installation_has_no_city_reports(client, county):
    """A city of one county shows no city pages: 404, and no link."""
    city_staff = UserFactory(username="city", role=Role.CITY_STAFF)
    client.force_login(city_staff)
    assert client.get(reverse("reports:city_list")).status_code == 404
    response = client.post(reverse("reports:city_request"), {"kind": "month", "day": "2026-10-05"})
    assert response.status_code == 404 and CityReport.objects.count() == 0
    CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    assert client.get(reverse("reports:city_list")).status_code == 200


def test_the_city_report_list_costs_the_same_whatever_its_length(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(city.city_staff)
    generate_city()
    client.get(reverse("reports:city_list"))  # the reader's cached menu (issue 20)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("reports:city_list")).status_code == 200
    for month in range(1, 10):
        generate_city(day=D(2026, month, 1))
    client.get(reverse("reports:city_list"))
    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse("reports:city_list")).status_code == 200
    assert len(ten) == len(one) <= 8


# --- the narrative edited by city staff until they file it (as a county report's) -------------


def test_city_staff_edit_the_narrative_then_file_the_report(client, city):
    report = generate_city()
    client.force_login(city.city_staff)
    page = client.get(reverse("reports:city_detail", args=[report.pk])).content.decode()
    assert 'id="narrative-form"' in page and 'id="report-file"' in page

    edited = "全市机关党建工作稳步推进。\n石泉县片区联建成效明显。"
    response = client.post(
        reverse("reports:city_narrative", args=[report.pk]), {"narrative": edited}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:city_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.narrative == edited
    # the Word document carries the edited narrative
    document = docx.Document(
        io.BytesIO(client.get(reverse("reports:city_document", args=[report.pk])).content)
    )
    assert "石泉县片区联建成效明显。" in "\n".join(p.text for p in document.paragraphs)

    client.post(reverse("reports:city_file", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == ReportState.FILED
    assert report.filed_by == city.city_staff and report.filed_at is not None
    # final: the page reads it, with no form; the document still downloads
    page = client.get(reverse("reports:city_detail", args=[report.pk])).content.decode()
    assert 'id="narrative-form"' not in page and "石泉县片区联建成效明显。" in page
    assert client.get(reverse("reports:city_document", args=[report.pk])).status_code == 200


def test_a_filed_city_report_refuses_an_edit_and_changes_nothing(client, city):
    report = generate_city()
    services.report_file(report=report, by=city.city_staff)
    client.force_login(city.city_staff)
    response = client.post(
        reverse("reports:city_narrative", args=[report.pk]), {"narrative": "改写"}, follow=True
    )
    assert "只有已生成且未归档的报表可以修改。" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative != "改写"
    # filing again changes nothing
    filed_at = report.filed_at
    client.post(reverse("reports:city_file", args=[report.pk]))
    report.refresh_from_db()
    assert report.filed_at == filed_at


def test_an_empty_city_narrative_is_refused_and_changes_nothing(client, city):
    report = generate_city()
    before = report.narrative
    client.force_login(city.city_staff)
    response = client.post(
        reverse("reports:city_narrative", args=[report.pk]), {"narrative": "  "}, follow=True
    )
    assert "综述不能为空。" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative == before


def test_a_city_report_still_generating_cannot_be_edited_or_filed(client, city):
    report = services.city_report_request(kind="month", day=OCTOBER, by=None)
    client.force_login(city.city_staff)
    client.post(reverse("reports:city_narrative", args=[report.pk]), {"narrative": "草稿"})
    client.post(reverse("reports:city_file", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == ReportState.REQUESTED and report.narrative == ""


@pytest.mark.parametrize("persona", ["staff", "zy_staff"])
def test_a_countys_staff_cannot_edit_or_file_a_city_report(client, city, persona):
    report = generate_city()
    before = report.narrative
    client.force_login(city.staff if persona == "staff" else city.zy_staff)
    narrative = client.post(reverse("reports:city_narrative", args=[report.pk]), {"narrative": "x"})
    filing = client.post(reverse("reports:city_file", args=[report.pk]))
    assert narrative.status_code == filing.status_code == 404
    report.refresh_from_db()
    assert report.narrative == before and report.state == ReportState.READY


# --- requested by the beat after the period ends --------------------------------------------


def test_the_daily_run_requests_the_city_report_of_each_period_just_closed_once(city):
    from counties.scoping import every_county
    from reports.tasks import _due

    with every_county():
        assert not CityReport.objects.exists()
    made = _due(D(2026, 11, 1))  # October, Q3 … have closed
    with every_county():
        reports = {(r.kind, r.period_start) for r in CityReport.objects.all()}
        # the month, the quarter, the half-year and the year before the one containing the day
        assert reports == {
            ("month", D(2026, 10, 1)),
            ("quarter", D(2026, 7, 1)),
            ("half", D(2026, 1, 1)),
            ("year", D(2025, 1, 1)),
        }
        county_reports = RollupReport.objects.count()
    assert made == county_reports + 4
    # a second run (a tick delivered twice, the next day) requests nothing again
    assert _due(D(2026, 11, 1)) == 0
    assert _due(D(2026, 11, 2)) == 0
    with every_county():
        assert CityReport.objects.count() == 4


def test_a_city_report_city_staff_asked_for_already_is_not_requested_again(city):
    from counties.scoping import every_county

    with every_county():
        generate_city(kind="month", day=OCTOBER, by=city.city_staff)
        made = services.city_reports_due(today=D(2026, 11, 1))
        assert ("month", OCTOBER) not in {(r.kind, r.period_start) for r in made}
        assert CityReport.objects.filter(kind="month", period_start=OCTOBER).count() == 1


def test_a_county_only_installation_gets_no_city_report_from_the_beat(county, fixed_today):
    from counties.scoping import every_county

    fixed_today(TODAY)
    with every_county():
        assert services.city_reports_due(today=D(2026, 11, 1)) == []
        assert not CityReport.objects.exists()


# --- the other mechanisms in the city report ---------------------------------------------------


def test_the_city_report_carries_the_classrooms_where_a_county_ran_them(client, city, edu):  # noqa: F811
    """石泉县 runs the classrooms too (tests/education/conftest.py): one October session, its
    member unit's two members expected, one present. The city report carries the classrooms'
    figures (as the city dashboard counts them) — 1/2 for 石泉县, 未开展 for the two others, the
    city's pooled total — in its table, its sheet and its paragraph; the service teams and the
    micro-wishes, which no county ran, are not carried."""
    from decimal import Decimal

    from education.constants import Status
    from tests.education.conftest import make_session

    session = make_session(edu, city, day=D(2026, 10, 15))
    rows = list(session.attendances.order_by("person__name"))
    assert len(rows) == 2
    marks = {rows[0].pk: (Status.PRESENT, Decimal(0)), rows[1].pk: (Status.ABSENT, Decimal(0))}
    from education import services as education_services

    education_services.roster_mark(session=session, marks=marks, by=city.staff)
    report = generate_city()
    figures = report.figures
    assert [m for m, _label in figures["mechanisms"]] == ["zones", "education"]
    assert of(report, "石泉县")["education"]["attendance"] == [1, 2]
    assert of(report, "紫阳县")["education"] is None and of(report, "平利县")["education"] is None
    assert figures["totals"]["education"]["attendance"] == [1, 2]
    assert "teams" not in figures["totals"] and "wishes" not in figures["totals"]
    assert "六大课堂" in report.narrative and "1/2（50.0%）" in report.narrative

    book = openpyxl.load_workbook(io.BytesIO(report.excel.read()))
    (sheet,) = [name for name in book.sheetnames if "六大课堂" in name]
    cells = {r[0].value: [c.value for c in r][1:] for r in book[sheet].iter_rows(min_row=2)}
    assert cells["石泉县"][0] == "1/2（50.0%）"
    assert cells["紫阳县"] == ["未开展", "未开展"] and cells["全市合计"][0] == "1/2（50.0%）"

    client.force_login(city.city_staff)
    document = docx.Document(
        io.BytesIO(client.get(reverse("reports:city_document", args=[report.pk])).content)
    )
    assert len(document.tables) == 3
    last = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert ["平利县", "未开展", "未开展"] in last
    page = client.get(reverse("reports:city_detail", args=[report.pk])).content.decode()
    assert 'id="city-table-3"' in page and "1/2（50.0%）" in page
