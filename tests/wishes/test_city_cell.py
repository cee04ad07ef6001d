"""The micro-wishes' cell of the city dashboard (市级概览): resolved / collected and satisfied /
evaluated return visits, counted as the county's own figures page counts them, linking to it;
未开展 in a county that does not run the mechanism."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.constants import Role
from counties.constants import Mechanism
from counties.scoping import county_scope
from portal import city
from tests.factories import CountyFactory, UserFactory
from wishes import selectors, services
from wishes.constants import Satisfaction
from wishes.models import Wish

from .conftest import MONDAY, build

TODAY = datetime.date(2026, 11, 30)


def _answered(w, county, *, satisfaction):
    wish = services.wish_receive(group=w.group, text="路灯坏了", phone="13911112222", on=MONDAY)
    services.wish_dispatch(wish=wish, category=w.roads, by=county.staff, on=MONDAY)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已修好", by=county.secretary, on=MONDAY)
    services.wish_visit(wish=wish, satisfaction=satisfaction, by=county.staff, on=MONDAY)
    return wish


def test_the_city_cell_counts_the_wishes_as_the_county_figures_do(client, county, fixed_today):
    fixed_today(TODAY)
    cache.clear()
    w = build(county)  # one wish waiting for dispatch
    _answered(w, county, satisfaction=Satisfaction.SATISFIED)
    _answered(w, county, satisfaction=Satisfaction.UNREACHED)  # closed, not evaluated
    CountyFactory(code="610925", name="岚皋县", short_name="岚皋", mechanisms=())
    reader = UserFactory(username="city", role=Role.CITY_STAFF)
    client.force_login(reader)

    response = client.get(reverse("portal:city_dashboard"), {"period": "2026-11"})

    assert response.status_code == 200
    wishes = list(Mechanism.values).index(Mechanism.WISHES)
    cells = {row.county.name: row.cells[wishes] for row in response.context["d"].rows}
    own = selectors.figures(
        Wish.objects.filter(county=county.lead_unit.county),
        start=datetime.date(2026, 11, 1),
        end=TODAY,
        day=TODAY,
    )
    assert cells["石泉县"].figures == {
        "wishes_resolved": [2, 3],
        "wishes_satisfied": [1, 1],
    }
    assert cells["石泉县"].figures["wishes_resolved"] == [
        own.resolution.numerator,
        own.resolution.denominator,
    ]
    assert cells["岚皋县"].figures is None  # 未开展
    total = response.context["d"].totals[wishes].figures
    assert total == {"wishes_resolved": [2, 3], "wishes_satisfied": [1, 1]}
    page = response.content.decode()
    assert f"{reverse('wishes:figures')}?county={county.lead_unit.county.code}" in page


def test_the_city_figures_of_the_wishes_cost_one_query_at_any_number_of_counties(
    county, django_assert_num_queries, fixed_today
):
    fixed_today(TODAY)
    build(county)
    period = city.period_from_key("2026-11")
    counties = [county.lead_unit.county]
    with django_assert_num_queries(1):
        city.wishes_figures(counties=counties, period=period, day=TODAY)
    more = [*counties, CountyFactory(code="610925", name="岚皋县", short_name="岚皋")]
    with django_assert_num_queries(1):
        found = city.wishes_figures(counties=more, period=period, day=TODAY)
    assert found[more[1].pk] == {"wishes_resolved": [0, 0], "wishes_satisfied": [0, 0]}


def test_a_new_wish_shows_on_the_next_city_dashboard_and_leaves_the_county_dashboard_cached(
    client, county, fixed_today
):
    """The city dashboard's body is cached under the city's data version: a wish received
    moves it (the micro-wishes' records are watched, area "wishes"), so the next city page
    counts it, and the county dashboard's wishes tile too; the county dashboard's body, which
    reads the zones' areas only, stays cached."""
    fixed_today(TODAY)
    cache.clear()
    w = build(county)  # one wish waiting for dispatch
    CountyFactory(code="610925", name="岚皋县", short_name="岚皋", mechanisms=())  # a city
    wishes = list(Mechanism.values).index(Mechanism.WISHES)
    reader = UserFactory(username="city", role=Role.CITY_STAFF)

    def city_cell():
        client.force_login(reader)
        response = client.get(reverse("portal:city_dashboard"), {"period": "2026-11"})
        return response.context["d"].rows[0].cells[wishes].figures["wishes_resolved"]

    assert city_cell() == [0, 1]
    client.force_login(county.staff)
    page = client.get(reverse("dashboard"))
    body = page.context["body"]
    assert page.context["wishes"]["f"].collected == 1  # the tile, cached by its own area
    with county_scope(county.lead_unit.county_id):  # as the villagers' page receives it
        services.wish_receive(group=w.group, text="水管漏了", phone="13911113333", on=MONDAY)
    assert city_cell() == [0, 2]
    client.force_login(county.staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard"))
    assert page.context["body"] == body
    assert page.context["wishes"]["f"].collected == 2
    assert not [q for q in queries.captured_queries if "activities_hostslot" in q["sql"]]
