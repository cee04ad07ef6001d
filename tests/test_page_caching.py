"""Issue 8: the dashboard's and the grid's figures are cached, and a change shows on the next
load; the grid shows ten zones a page with its filter kept; the ledger matches units by text."""

from __future__ import annotations

import datetime

from django.urls import reverse

from activities import services as activity_services
from activities.constants import ActivityState
from core.cache import data_version
from supervision import services as supervision_services
from tests.activities.factories import make_activity
from tests.factories import ZoneFactory

D = datetime.date


def _dashboard(client):
    return client.get(reverse("dashboard")).context["d"]


def test_a_confirmation_shows_on_the_next_dashboard_load(
    client, county, fixed_today, django_assert_max_num_queries
):
    fixed_today(D(2026, 11, 28))
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.SUBMITTED,
    )
    client.force_login(county.staff)
    before = _dashboard(client)
    assert before.grid.state_totals.get("done", 0) == 0 and before.by_month[9] == 0
    with django_assert_max_num_queries(6):  # the figures come from the cache
        assert _dashboard(client).by_month[9] == 0
    activity_services.activity_confirm(activity=activity, by=county.lead_secretary)
    after = _dashboard(client)
    assert after.by_month[9] == 1 and after.grid.state_totals["done"] == 1
    assert dict((v, n) for v, _l, n in after.by_form)["theme_party_day"] == 1


def test_a_closed_finding_shows_on_the_next_dashboard_load(client, county, finding):
    client.force_login(county.staff)
    before = _dashboard(client)
    assert before.findings["open"] == 1 and before.findings["rectified"] == 0
    supervision_services.finding_submit(finding=finding, note="done", by=county.secretary)
    supervision_services.finding_verify(finding=finding, by=county.staff)
    after = _dashboard(client)
    assert after.findings["open"] == 0 and after.findings["rectified"] == 1
    assert after.findings["rate"] == 100.0


def test_saving_a_watched_record_changes_the_data_version(county):
    version = data_version()
    county.zone_a.name = "第一片区（新）"
    county.zone_a.save()
    assert data_version() != version


def test_the_dashboard_is_cached_per_language(client, county):
    client.force_login(county.staff)
    chinese = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    labels = {label for _v, label, _n in english.context["d"].by_form}
    assert labels != {label for _v, label, _n in chinese.context["d"].by_form}


def _many_zones(n: int):
    return [ZoneFactory(number=100 + i, name=f"测试{i:02d}片区") for i in range(n)]


def test_the_grid_shows_ten_zones_a_page_and_page_two_the_next(client, county):
    zones = _many_zones(12)  # with the county's two: 14 zones, two pages
    client.force_login(county.staff)
    url = reverse("activities:grid")
    first = client.get(url, {"year": 2026}).content.decode()
    assert first.count('class="grid-cell') == 10 * 12
    assert county.zone_a.name in first and zones[8].name not in first
    assert "page=2" in first
    second = client.get(url, {"year": 2026, "page": 2}).content.decode()
    assert second.count('class="grid-cell') == 4 * 12
    assert zones[8].name in second and county.zone_a.name not in second
    assert client.get(url, {"year": 2026, "page": 99}).status_code == 200  # the last page


def test_the_grid_filter_is_kept_in_page_and_year_links(client, county):
    _many_zones(25)
    client.force_login(county.staff)
    url = reverse("activities:grid")
    page = client.get(url, {"year": 2026, "q": "测试"})
    html = page.content.decode()
    assert html.count('class="grid-cell') == 10 * 12
    assert county.zone_a.name not in html
    assert "?year=2026&amp;q=%E6%B5%8B%E8%AF%95&amp;page=2" in html
    assert "?year=2025&amp;q=%E6%B5%8B%E8%AF%95" in html
    assert 'value="测试"' in html
    third = client.get(url, {"year": 2026, "q": "测试", "page": 3}).content.decode()
    assert third.count('class="grid-cell') == 5 * 12


def test_the_grid_filter_matches_number_and_pinyin_initials(client, county):
    client.force_login(county.staff)
    url = reverse("activities:grid")
    by_number = client.get(url, {"year": 2026, "q": str(county.zone_b.number)})
    assert [r.zone.pk for r in by_number.context["grid"].rows] == [county.zone_b.pk]
    by_initials = client.get(url, {"year": 2026, "q": "dypq"})  # 第一片区
    assert [r.zone.pk for r in by_initials.context["grid"].rows] == [county.zone_a.pk]
    nothing = client.get(url, {"year": 2026, "q": "不存在"}).content.decode()
    assert 'class="grid-cell' not in nothing


def test_a_new_activity_shows_in_the_cached_grid(client, county):
    client.force_login(county.staff)
    url = reverse("activities:grid")
    client.get(url, {"year": 2026})
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 3, 10),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    grid = client.get(url, {"year": 2026}).context["grid"]
    assert grid.rows[0].cells[2].state == "done"


def test_the_ledger_matches_units_by_name_or_initials_and_lists_none(client, county):
    make_activity(
        unit=county.other_unit,
        by=county.other_secretary,
        date=D(2026, 3, 2),
        title="林业局主题党日",
    )
    make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 3, 3), title="司法局学习"
    )
    client.force_login(county.staff)
    url = reverse("activities:ledger")
    for text in ("林业", "xlyj", str(county.other_unit.pk)):
        response = client.get(url, {"unit": text})
        assert [a.title for a in response.context["page"]] == ["林业局主题党日"], text
    html = client.get(url).content.decode()
    assert 'name="unit"' in html and county.other_unit.name not in html.split("ledger-table")[0]


def test_a_confirmation_shows_on_the_next_ledger_load(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.SUBMITTED,
        title="十月主题党日",
    )
    client.force_login(county.staff)
    url = reverse("activities:ledger")
    first = client.get(url, {"state": "confirmed"}).content.decode()
    assert "十月主题党日" not in first
    again = client.get(url, {"state": "confirmed"}).content.decode()
    table = first[first.index('id="ledger-table"') :]
    assert again[again.index('id="ledger-table"') :] == table  # from the cache
    activity_services.activity_confirm(activity=activity, by=county.lead_secretary)
    assert "十月主题党日" in client.get(url, {"state": "confirmed"}).content.decode()


# --- per county (issue 15) --------------------------------------------------------------------


def _two_counties():
    from core.constants import Role
    from tests.factories import CountyFactory, UserFactory

    shiquan = CountyFactory()
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    zone_b = ZoneFactory(county=ziyang, number=1, name="紫阳第一片区")
    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    return shiquan, ziyang, zone_b, zy_staff


def test_a_write_in_one_county_leaves_another_countys_versions_and_values(county):
    from core.cache import cached
    from counties.scoping import county_scope

    shiquan, ziyang, _zone_b, _ = _two_counties()
    computed = []

    def figures_of(name):
        def compute():
            computed.append(name)
            return name

        return compute

    assert cached("figures", figures_of("B"), county=ziyang.pk) == "B"
    assert cached("figures", figures_of("A"), county=shiquan.pk) == "A"  # its own value
    before = {c: data_version(c) for c in (shiquan.pk, ziyang.pk, "city")}
    with county_scope(shiquan):  # a write in county A, as its staff's request makes it
        county.zone_a.name = "第一片区（新）"
        county.zone_a.save()
    assert data_version(ziyang.pk) == before[ziyang.pk]
    assert data_version(shiquan.pk) != before[shiquan.pk]
    assert data_version("city") != before["city"]  # the city's pages read every county
    assert cached("figures", figures_of("B again"), county=ziyang.pk) == "B"
    assert cached("figures", figures_of("A again"), county=shiquan.pk) == "A again"
    assert computed == ["B", "A", "A again"]


def test_a_write_in_county_a_leaves_county_bs_cached_dashboard_valid(
    client, county, django_assert_max_num_queries
):
    from counties.scoping import county_scope

    _shiquan, _ziyang, _zone_b, zy_staff = _two_counties()
    client.force_login(zy_staff)
    first = _dashboard(client)
    with county_scope(county.zone_a.county_id):
        county.zone_a.name = "第一片区（新）"
        county.zone_a.save()
    with django_assert_max_num_queries(6):  # B's figures still come from the cache
        again = _dashboard(client)
    assert again.by_month == first.by_month
    # and county A's staff see county A's own figures, not B's cached ones
    client.force_login(county.staff)
    assert _dashboard(client) is not None


def test_a_write_across_every_county_invalidates_all(county):
    shiquan, ziyang, _zone_b, _ = _two_counties()
    before = {c: data_version(c) for c in (shiquan.pk, ziyang.pk, "city")}
    county.zone_a.save()  # no one county in scope (scopes disabled: as a job over all)
    assert all(data_version(c) != v for c, v in before.items())
