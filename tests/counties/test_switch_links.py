"""Drilling down keeps the county (issue 15): a city reader who follows a figure of the city
dashboard into a county's grid, dashboard or ledger stays in that county — every link, GET
form and redirect of the page they read keeps `?county=<code>` (counties.switch.keep_county),
and the links out of the county's pages (the city's, the accounts', static files) are left as
they are."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse

from activities.constants import ActivityState
from core.constants import Role
from counties.switch import in_county, keep_county
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UserFactory

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _fresh(fixed_today):
    fixed_today(TODAY)
    cache.clear()


@pytest.fixture
def city_staff(county):
    CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=())
    return UserFactory(username="city", role=Role.CITY_STAFF)


def _links(page: str) -> list[str]:
    return re.findall(r'\bhref="([^"]*)"', page)


def _county_links(page: str) -> list[str]:
    """The links of the page to the county's own pages (not the city's, the accounts' or
    static files, nor fragments and other sites)."""
    outside = ("/city/", "/reports/city/", "/accounts/", "/i18n/", "/static/", "/media/", "/admin/")
    return [
        link
        for link in _links(page)
        if link[:1] in ("/", "?") and not link.startswith("//") and not link.startswith(outside)
    ]


@pytest.mark.parametrize(
    "name, params",
    [
        ("activities:grid", {"year": "2026"}),
        ("activities:ledger", {}),
        ("dashboard", {}),
        ("supervision:finding_list", {}),
        ("supervision:check_list", {}),
    ],
)
def test_every_link_of_a_county_page_the_city_reads_keeps_the_county(
    client, county, city_staff, name, params
):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 15),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    client.force_login(city_staff)
    response = client.get(reverse(name), {"county": "610922", **params})

    assert response.status_code == 200
    page = response.content.decode()
    links = _county_links(page)
    assert links, "the page has links to the county's pages"
    lost = [link for link in links if "county=610922" not in link]
    assert not lost
    # the city's own pages are left as they are: back to the city dashboard reads every county
    assert 'href="/city/"' in page
    # every GET form (filters, search) sends the county with it
    forms = re.findall(r'<form\b[^>]*method="get"[^>]*>\s*<input type="hidden" name="county"', page)
    assert len(forms) == len(re.findall(r'<form\b[^>]*method="get"', page))


def test_the_grid_cells_the_years_and_the_pages_keep_the_county(client, county, city_staff):
    client.force_login(city_staff)
    page = client.get(reverse("activities:grid"), {"county": "610922", "year": "2026"})
    text = page.content.decode()
    zone = county.zone_a.pk
    # a zone-month cell opens the zone's month in 石泉县
    assert f"?zone={zone}&amp;month=2026-10&amp;county=610922" in text
    # the previous and next year
    assert 'href="?year=2025&amp;county=610922"' in text
    assert 'href="?year=2027&amp;county=610922"' in text
    # following a cell stays in 石泉县 (the banner says whose pages they are)
    cell = re.search(rf'href="([^"]*\?zone={zone}&amp;month=2026-10[^"]*)"', text).group(1)
    followed = client.get(cell.replace("&amp;", "&"))
    assert followed.status_code == 200
    assert followed.wsgi_request.county_read.code == "610922"
    assert 'id="county-read"' in followed.content.decode()


def test_a_county_page_without_the_switch_adds_nothing(client, county):
    client.force_login(county.staff)
    page = client.get(reverse("activities:grid"), {"year": "2026"}).content.decode()
    assert "county=" not in page


def test_a_cached_body_read_through_the_switch_is_not_served_with_it_to_the_county(
    client, county, city_staff
):
    """The county's staff and the city reader share the cached page body of the county's
    dashboard; the switch is added to the page sent, never to what is cached."""
    client.force_login(city_staff)
    assert (
        "county=610922" in client.get(reverse("dashboard"), {"county": "610922"}).content.decode()
    )
    client.force_login(county.staff)
    assert "county=610922" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    "url, kept",
    [
        ("/activities/grid/?year=2026", "/activities/grid/?year=2026&amp;county=610922"),
        ("?year=2026&amp;page=2", "?year=2026&amp;page=2&amp;county=610922"),
        ("?", "?county=610922"),
        ("/activities/1/#photos", "/activities/1/?county=610922#photos"),
        ("/activities/?county=610922", "/activities/?county=610922"),  # named already
        ("/city/", "/city/"),  # the city's pages read every county
        ("/reports/city/3/", "/reports/city/3/"),
        ("/static/css/portal.css", "/static/css/portal.css"),
        ("/accounts/password/change/", "/accounts/password/change/"),
        ("https://example.org/", "https://example.org/"),
        ("//example.org/", "//example.org/"),
        ("#top", "#top"),
        ("mailto:a@example.org", "mailto:a@example.org"),
    ],
)
def test_in_county_adds_the_switch_to_the_countys_pages_only(db, url, kept):
    assert in_county(url, "610922") == kept


def test_a_redirect_from_a_county_page_keeps_the_county(db):
    kept = keep_county(HttpResponseRedirect("/activities/grid/?year=2026&q=a"), "610922")
    assert kept["Location"] == "/activities/grid/?year=2026&q=a&county=610922"
    city = keep_county(HttpResponseRedirect("/city/"), "610922")
    assert city["Location"] == "/city/"
