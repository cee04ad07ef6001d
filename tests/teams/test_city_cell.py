"""The service teams' cell of the city dashboard (市级概览): organizations visited / guided, and
guidance problems rectified / raised, counted by the teams app's rule, linking to the league."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.urls import reverse

from core.constants import Role
from counties.constants import Mechanism
from portal import city
from supervision import services as supervision_services
from tests.factories import CountyFactory, UserFactory

from .test_visits import _visit

DAY = datetime.date(2026, 11, 20)


def test_the_city_cell_counts_visited_organizations_and_rectified_problems(client, county, teams):
    cache.clear()
    first = _visit(county, teams)  # the member unit, one problem: rectified below
    _visit(county, teams, visited_on=DAY - datetime.timedelta(days=1))  # same unit again
    finding = first.sheet.findings.get()
    supervision_services.finding_start(finding=finding, by=county.secretary)
    supervision_services.finding_submit(finding=finding, note="已整改", by=county.secretary)
    supervision_services.finding_verify(finding=finding, by=county.staff)
    CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=())
    client.force_login(UserFactory(username="city", role=Role.CITY_STAFF))

    response = client.get(reverse("portal:city_dashboard"), {"period": "2026-11"})

    index = list(Mechanism.values).index(Mechanism.TEAMS)
    cells = {row.county.name: row.cells[index] for row in response.context["d"].rows}
    # five organizations are guided (the fixture's assignments); one was visited (twice);
    # two problems raised, one rectified
    assert cells["石泉县"].figures == {"teams_visited": [1, 5], "teams_rectified": [1, 2]}
    assert cells["紫阳县"].figures is None  # 未开展
    assert response.context["d"].totals[index].figures == cells["石泉县"].figures
    assert f"{reverse('teams:index')}?county={county.lead_unit.county.code}" in (
        response.content.decode()
    )


def test_the_teams_figures_cost_one_query_at_any_number_of_counties(
    county, teams, django_assert_num_queries
):
    period = city.period_from_key("2026-11")
    one = [county.lead_unit.county]
    with django_assert_num_queries(1):
        city.teams_figures(counties=one, period=period, day=DAY)
    two = [*one, CountyFactory(code="610924", name="紫阳县", short_name="紫阳")]
    with django_assert_num_queries(1):
        found = city.teams_figures(counties=two, period=period, day=DAY)
    assert found[two[1].pk] == {"teams_visited": [0, 0], "teams_rectified": [0, 0]}


def test_a_visit_shows_on_the_next_city_dashboard(client, county, teams):
    """The city dashboard's body is cached under the city's data version: a guidance visit
    with no problem (no supervision finding to move it) moves it too (the teams' records are
    watched, area "teams"), so the next city page counts the organization visited, and the
    county dashboard's teams tile the visit."""
    from counties.scoping import county_scope

    cache.clear()
    CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=())
    reader = UserFactory(username="city", role=Role.CITY_STAFF)
    index = list(Mechanism.values).index(Mechanism.TEAMS)

    def visited():
        client.force_login(reader)
        response = client.get(reverse("portal:city_dashboard"), {"period": "2026-11"})
        return response.context["d"].rows[0].cells[index].figures["teams_visited"]

    def tile_visits():
        client.force_login(county.staff)
        return client.get(reverse("dashboard")).context["teams_tile"]["visits"]

    assert visited() == [0, 5]
    assert tile_visits() == 0
    with county_scope(county.lead_unit.county_id):  # as the captain's page records it
        _visit(county, teams, problems=[])
    assert visited() == [1, 5]
    assert tile_visits() == 1  # the county dashboard's teams tile, cached by its areas
