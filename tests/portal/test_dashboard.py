"""The county dashboard (committee) and "my work" (secretaries)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.constants import ActivityForm, ActivityState
from activities.models import Activity, HostSlot
from core.cache import bump_data_version
from tests.activities.factories import make_activity
from tests.factories import UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone
from tests.helpers import plan_with_only_index

D = datetime.date


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_committee_lands_on_the_dashboard(client, county, persona):
    client.force_login(getattr(county, persona))
    response = client.get(reverse("home"))
    assert "portal/dashboard.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("persona", ["lead_secretary", "secretary", "other_secretary", "outsider"])
def test_secretaries_land_on_my_work_and_cannot_open_the_dashboard(client, county, persona):
    client.force_login(getattr(county, persona))
    assert client.get(reverse("home")).templates[0].name == "portal/my_work.html"
    assert client.get(reverse("dashboard")).status_code == 404


def test_dashboard_counts_this_years_activities_and_findings(client, county, finding, fixed_today):
    fixed_today(D(2026, 11, 28))
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        photos=1,
    )
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 9, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        form=ActivityForm.TRAINING,
    )
    client.force_login(county.staff)
    d = client.get(reverse("dashboard")).context["d"]
    forms = {value: n for value, _label, n in d.by_form}
    assert forms[ActivityForm.THEME_PARTY_DAY] == 1 and forms[ActivityForm.TRAINING] == 1
    assert d.by_month[8] == 1 and d.by_month[9] == 1
    assert d.findings["open"] == 1 and d.findings["raised"] == 1 and d.findings["rectified"] == 0
    assert d.checks_by_quarter == [0, 0, 0, 1]
    assert d.ranking[0][0] == county.zone_a.name and d.ranking[0][2] == 2
    assert d.recent[0]["photo"]


def test_the_dashboards_statement_is_written_once_and_still_counts_a_write(
    client, county, fixed_today, monkeypatch
):
    """Issue 20: the county's statement is written once per process and inputs
    (portal.dashboard._STATEMENTS: its SQL depends on the county, the year, the day and the
    tiles, never on the rows); a dashboard after a write runs it again and counts the write."""
    from portal import dashboard

    fixed_today(D(2026, 11, 28))
    dashboard._STATEMENTS.clear()
    written = []
    write = dashboard._dashboard_parts
    monkeypatch.setattr(
        dashboard, "_dashboard_parts", lambda *a, **k: written.append(1) or write(*a, **k)
    )
    client.force_login(county.staff)
    assert sum(client.get(reverse("dashboard")).context["d"].by_month) == 0
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    assert client.get(reverse("dashboard")).context["d"].by_month[9] == 1
    assert written == [1]


def test_dashboard_charts_get_their_data_without_inline_script(client, county):
    client.force_login(county.staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="dashboard-data" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html and "portal/dashboard.js" in html
    for chart in ("chart-forms", "chart-months", "chart-ranking", "chart-grades"):
        assert f'id="{chart}"' in html


def test_dashboard_warns_staff_when_next_years_calendar_is_missing(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    client.force_login(county.staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="calendar-warning"' in html and "2027" in html


def test_my_work_shows_hosting_returned_drafts_and_findings(client, county, finding, fixed_today):
    fixed_today(D(2026, 11, 28))
    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 11, 1), unit=county.member_unit)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.RETURNED,
        reviewer=county.lead_secretary,
    )
    make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 11, 9), title="草稿活动"
    )
    client.force_login(county.secretary)
    response = client.get(reverse("my_work"))
    work = response.context["work"]
    assert [s.month for s in work.hosting] == [D(2026, 11, 1)] and not work.hosting[0].logged
    assert len(work.returned) == 1 and len(work.drafts) == 1
    assert [f.pk for f in work.findings] == [finding.pk]
    html = response.content.decode()
    assert reverse("activities:submit", args=[work.drafts[0].pk]) in html
    assert reverse("supervision:finding_detail", args=[finding.pk]) in html


def test_my_work_says_which_hosting_month_is_logged(client, county, fixed_today):
    """A slot is logged when its zone has a submitted or confirmed activity of its month (the
    rule the page read as a set of (zone, month) pairs before issue 20): a draft, or another
    zone's activity, does not log it."""
    fixed_today(D(2026, 12, 10))
    for month in (D(2026, 12, 1), D(2027, 1, 1)):
        HostSlot.objects.create(zone=county.zone_a, month=month, unit=county.member_unit)
    make_activity(unit=county.member_unit, by=county.secretary, date=D(2026, 12, 2))
    make_activity(
        unit=county.other_unit,
        by=county.other_secretary,
        date=D(2026, 12, 3),
        state=ActivityState.CONFIRMED,
        reviewer=county.staff,
    )
    client.force_login(county.secretary)

    def read():
        pairs = set(
            Activity.objects.filter(
                state__in=[ActivityState.SUBMITTED, ActivityState.CONFIRMED]
            ).values_list("zone_id", "month")
        )
        hosting = client.get(reverse("my_work")).context["work"].hosting
        assert [s.logged for s in hosting] == [(s.zone_id, s.month) in pairs for s in hosting]
        return [(s.month, s.logged) for s in hosting]

    assert read() == [(D(2026, 12, 1), False), (D(2027, 1, 1), False)]
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 12, 9),
        state=ActivityState.SUBMITTED,
    )
    assert read() == [(D(2026, 12, 1), True), (D(2027, 1, 1), False)]


def test_lead_secretary_sees_the_review_count(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 11, 9),
        state=ActivityState.SUBMITTED,
    )
    client.force_login(county.lead_secretary)
    assert client.get(reverse("my_work")).context["work"].to_review == 1
    client.force_login(county.secretary)
    assert client.get(reverse("my_work")).context["work"].to_review == 0


def test_my_work_of_another_unit_shows_nothing_of_mine(client, county, finding):
    client.force_login(county.other_secretary)
    work = client.get(reverse("my_work")).context["work"]
    assert work.findings == [] and work.returned == []


def _grow(county, n_zones=6, per_zone=8):
    for number in range(10, 10 + n_zones):
        zone = ZoneFactory(number=number)
        lead = unit_in_zone(zone, lead=True)
        UnitPostFactory(user=UserFactory(), unit=lead)
        units = [unit_in_zone(zone) for _ in range(per_zone)]
        for month in range(1, 11):
            HostSlot.objects.create(
                zone=zone, month=D(2026, month, 1), unit=units[month % per_zone]
            )
        make_activity(
            unit=units[0],
            by=county.staff,
            date=D(2026, 10, 3),
            state=ActivityState.CONFIRMED,
            reviewer=county.staff,
            photos=1,
        )
        make_activity(
            unit=units[1], by=county.staff, date=D(2026, 9, 3), state=ActivityState.SUBMITTED
        )


def test_dashboard_and_my_work_query_counts_do_not_grow_with_data(
    client, county, fixed_today, django_assert_num_queries
):
    fixed_today(D(2026, 11, 28))
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        photos=1,
    )
    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 11, 1), unit=county.member_unit)
    client.force_login(county.staff)
    client.get(reverse("dashboard"))  # the first request reads the calendar's completed years
    bump_data_version()  # a record saved: the dashboard's figures are read afresh
    # session, user, the dashboard's one statement for the county (the grid's zones, host slots
    # and activity aggregate, the counts, the rounds, the recent activities with their first
    # photos: portal.dashboard._dashboard_sql), unread count
    with django_assert_num_queries(4) as small:
        client.get(reverse("dashboard"))
    client.force_login(county.secretary)
    # my work, the reader's first request: session, user, the reader's scope (their units, their
    # units' zones, the zones they guide), its one statement, unread count, the zones
    # (portal.dashboard._my_work_sql: units, hosting with whether logged, returned, drafts,
    # sheets to fill, findings; issue 20)
    with django_assert_num_queries(8) as small_work:
        client.get(reverse("my_work"))
    _grow(county)
    client.force_login(county.staff)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboard"))
    client.force_login(county.secretary)
    with django_assert_num_queries(len(small_work.captured_queries)):
        client.get(reverse("my_work"))


def test_a_city_dashboard_shows_the_ten_zones_to_chase(client, county, fixed_today):
    """Beyond ten zones the mini-grid and the ranking keep the ten with the fewest months
    covered; the compliance grid has them all."""
    fixed_today(D(2026, 11, 28))
    covered = []
    for number in range(3, 13):  # ten more zones, each with an activity this year
        zone = ZoneFactory(number=number, name=f"片区{number:02d}")
        unit = unit_in_zone(zone, lead=True, name=f"单位{number:02d}")
        secretary = UserFactory(username=f"sec{number:02d}")
        UnitPostFactory(user=secretary, unit=unit)
        make_activity(
            unit=unit,
            by=secretary,
            date=D(2026, 10, 9),
            state=ActivityState.CONFIRMED,
            reviewer=secretary,
        )
        covered.append(zone)
    client.force_login(county.staff)
    response = client.get(reverse("dashboard"))
    d = response.context["d"]
    assert (d.grid.zones_total, d.grid.zones_shown) == (12, 10)
    html = response.content.decode()
    assert 'id="mini-grid-note"' in html
    # Zones A and B logged nothing: they are to be chased, so they are shown.
    ranked = [name for name, _pk, _done, _elapsed in d.ranking]
    assert len(ranked) == 10 and county.zone_a.name in ranked and county.zone_b.name in ranked
    shown = {pk for pk, *_row in d.grid.mini_grid}
    assert len(shown) == 10 and {county.zone_a.pk, county.zone_b.pk} <= shown
    mini_grid = html[
        html.index('id="mini-grid"') : html.index("</table>", html.index('id="mini-grid"'))
    ]
    assert (
        mini_grid.count('<th class="text-start text-nowrap">') == 10
        and county.zone_a.name in mini_grid
    )


def test_a_county_dashboard_shows_every_zone(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    client.force_login(county.staff)
    response = client.get(reverse("dashboard"))
    d = response.context["d"]
    assert d.grid.zones_total == d.grid.zones_shown == 2
    assert 'id="mini-grid-note"' not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_mini_grid_and_recent_tiles_print_what_the_template_printed(
    client, county, fixed_today, language
):
    """Issue 20: the mini-grid's cells, its zone links and the recent activities' links and
    dates are written in the selector, as `{% url %}`, the cells' loop and `|date` wrote them."""
    from django.template import engines
    from django.utils import translation

    fixed_today(D(2026, 11, 28))
    county.member_unit.short_name = 'A&B "<x>"'  # escaped in the cells' titles
    county.member_unit.save()
    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 10, 1), unit=county.member_unit)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    client.force_login(county.staff)
    d = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language).context["d"]
    cells = engines["django"].from_string(
        '{% for css, host, label in cells %}<td class="{{ css }}" title="{{ host }} · '
        '{{ label }}"></td>{% endfor %}'
    )
    date = engines["django"].from_string('{{ day|date:"DATE_FORMAT" }}')
    with translation.override(language):
        assert d.grid.mini_grid
        for pk, _name, row, url, markup in d.grid.mini_grid:
            assert markup == cells.render({"cells": row})
            assert url == reverse("zone_detail", args=[pk])
        assert "A&amp;B &quot;&lt;x&gt;&quot;" in d.grid.mini_grid[0][4]
        assert d.recent
        for a in d.recent:
            assert a["url"] == reverse("activities:detail", args=[a["pk"]])
            assert a["date_text"] == date.render({"day": a["date"]})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner (CI runs it)")
def test_the_dashboard_reads_its_countys_raised_findings_through_their_units(
    client, county, finding
):
    """Issue 20: the county dashboard's raised and rectified counts read the county's units'
    findings of the year through the (unit, raising day) index, not every county's findings
    of the year by date joined to the county's units afterwards (a cost that grew with the
    city: 4 ms of its 8 at 20 counties)."""
    client.force_login(county.staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    (sql,) = [
        q["sql"] for q in queries.captured_queries if "FROM supervision_finding x" in q["sql"]
    ]
    # the raised and rectified parts, the statement as it ran (values inlined)
    parts = [p for p in sql.split(" UNION ALL ") if "x.raised_on BETWEEN" in p]
    assert parts
    for part in parts:
        plan = plan_with_only_index("supervision_finding", "finding_unit_raised", part)
        assert "finding_unit_raised" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner (CI runs it)")
def test_the_dashboard_reads_its_countys_open_findings_through_the_open_index(
    client, county, finding
):
    """Issue 20: the county dashboard's open and overdue counts read its units' findings not
    closed through their (unit, deadline) index of open findings, not every finding its units
    were ever given (a cost that grew with the years of findings)."""
    client.force_login(county.staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    (sql,) = [
        q["sql"] for q in queries.captured_queries if "FROM supervision_finding x" in q["sql"]
    ]
    parts = [p for p in sql.split(" UNION ALL ") if "x.state <> " in p]
    assert len(parts) == 2  # open, overdue
    for part in parts:
        plan = plan_with_only_index("supervision_finding", "finding_unit_open", part)
        assert "finding_unit_open" in plan, plan
