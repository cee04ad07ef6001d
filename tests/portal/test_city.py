"""The city's pages (issue 15): the city dashboard (市级概览) — counties × mechanisms, each figure
with its denominator, 未开展 where a county does not run a mechanism, the city's totals pooled
— who may open it, and the county switch its links go through."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.constants import ActivityState
from core.constants import Role
from counties.constants import Mechanism
from counties.scoping import county_scope
from portal import city
from supervision import services as supervision_services
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UserFactory, ZoneFactory
from tests.helpers import plan_with_only_index
from zones.models import Unit, Zone

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _fresh(fixed_today):
    fixed_today(TODAY)
    cache.clear()


@pytest.fixture
def city_staff(db):
    return UserFactory(username="city", role=Role.CITY_STAFF)


@pytest.fixture
def four_counties(county):
    """石泉县 (the county of tests/conftest.py, zones mechanism on, two zones) and three more
    of 安康市: 紫阳县 running the zones mechanism with one zone, 平利县 and 岚皋县 running
    none."""
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    zy_zone = ZoneFactory(county=ziyang, number=1, name="紫阳第一片区")
    CountyFactory(code="610926", name="平利县", short_name="平利", mechanisms=())
    CountyFactory(code="610925", name="岚皋县", short_name="岚皋", mechanisms=())
    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    return {"ziyang": ziyang, "zy_zone": zy_zone, "zy_staff": zy_staff}


def _open(client, user, **params):
    client.force_login(user)
    return client.get(reverse("portal:city_dashboard"), params)


def test_city_staff_see_every_county_and_未开展_where_a_county_runs_no_mechanism(
    client, county, four_counties, city_staff
):
    response = _open(client, city_staff)

    assert response.status_code == 200
    data = response.context["d"]
    assert [row.county.name for row in data.rows] == ["石泉县", "紫阳县", "岚皋县", "平利县"]
    zones = list(Mechanism.values).index(Mechanism.ZONES)
    runs = {row.county.name: row.cells[zones].runs for row in data.rows}
    assert runs == {"石泉县": True, "紫阳县": True, "岚皋县": False, "平利县": False}
    # none runs the mechanisms of the next issues: 未开展 in every county's cell, and the city's
    assert not any(row.cells[1].runs or row.cells[2].runs or row.cells[3].runs for row in data.rows)
    page = response.content.decode()
    # 4 counties × 3 mechanisms, 2 counties' zones mechanism, the city's 3
    assert (
        page.count('<span class="text-body-secondary text-nowrap not-run">未开展</span>')
        == 4 * 3 + 2 + 3
    )
    assert data.period.key == "2026-H2"  # the current half-year by default
    assert "2026年下半年" in page


def test_a_figure_counts_out_of_its_denominator_and_the_city_pools_the_counts(
    client, county, four_counties, city_staff
):
    # 石泉县: two zones; zone A covered October and November; 紫阳县: one zone, none covered
    for day in (datetime.date(2026, 10, 15), datetime.date(2026, 11, 10)):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=day,
            state=ActivityState.CONFIRMED,
            reviewer=county.lead_secretary,
        )

    data = _open(client, city_staff).context["d"]

    shiquan, ziyang = data.rows[0].cells[0], data.rows[1].cells[0]
    # July–November have begun: 2 zones × 5 months, 1 zone × 5 months
    assert shiquan.figures["zone_months"] == [2, 10]
    assert ziyang.figures["zone_months"] == [0, 5]
    assert shiquan.figures["checks"] == [0, 2 * 2]  # Q3 and Q4 for each zone
    assert shiquan.figures["rounds"] == [0, 1]  # one round a half-year
    # the city's: Σ numerators / Σ denominators = 2/15 (13.3%), not the mean of 20% and 0%
    total = data.totals[0]
    assert total.figures["zone_months"] == [2, 15]
    assert {r["key"]: r["rate"] for r in total.rows()}["zone_months"] == city.rate(2, 15)
    assert str(city.rate(2, 15)) == "13.3"


def test_every_hosted_figure_links_to_the_county_page_behind_it(
    client, county, four_counties, city_staff
):
    response = _open(client, city_staff)
    rows = response.context["d"].rows[0].cells[0].rows()
    links = {r["key"]: r["url"] for r in rows}
    assert links["zone_months"] == f"{reverse('activities:grid')}?county=610922&year=2026"
    assert links["checks"] == f"{reverse('supervision:check_list')}?county=610922"
    assert links["rounds"] == f"{reverse('supervision:round_list')}?county=610922"
    assert links["findings"] == f"{reverse('supervision:finding_list')}?county=610922"
    assert 'href="/activities/grid/?county=610922&amp;year=2026"' in response.content.decode()
    # and the city reads that page
    assert client.get(links["zone_months"]).status_code == 200


@pytest.mark.parametrize(
    "kind, key", [("month", "2026-10"), ("quarter", "2026-Q3"), ("year", "2026")]
)
def test_the_city_chooses_the_period(client, county, four_counties, city_staff, kind, key):
    data = _open(client, city_staff, period=key).context["d"]
    assert data.period.kind == kind and data.period.key == key


def test_a_period_the_city_does_not_read_falls_back_to_the_current_half_year(
    client, county, four_counties, city_staff
):
    assert _open(client, city_staff, period="2026-H3").context["d"].period.key == "2026-H2"


def test_county_staff_do_not_see_the_city_dashboard(client, county, four_counties):
    assert _open(client, county.staff).status_code == 404
    assert _open(client, four_counties["zy_staff"]).status_code == 404
    assert 'id="nav-city"' not in client.get(reverse("my_work")).content.decode()


def test_the_administrators_do_not_read_the_city_dashboard(client, four_counties, administrators):
    for admin in (administrators.system, administrators.security, administrators.audit):
        assert _open(client, admin).status_code in (403, 404)


def test_a_county_only_installation_shows_no_city_pages(client, county, city_staff):
    assert _open(client, city_staff).status_code == 404
    client.force_login(city_staff)
    assert client.get(reverse("portal:snapshots")).status_code == 404
    assert 'id="nav-city"' not in client.get(reverse("my_work")).content.decode()


def test_city_staff_have_the_navigation_link_and_land_on_the_city_dashboard(
    client, county, four_counties, city_staff
):
    client.force_login(city_staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("portal:city_dashboard")
    assert 'id="nav-city"' in client.get(reverse("portal:city_dashboard")).content.decode()


def test_a_write_in_a_county_shows_on_the_next_city_dashboard(
    client, county, four_counties, city_staff
):
    assert _open(client, city_staff).context["d"].rows[0].cells[0].figures["zone_months"][0] == 0
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 11, 10),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    assert _open(client, city_staff).context["d"].rows[0].cells[0].figures["zone_months"][0] == 1


# --- the county switch (`?county=`) ----------------------------------------------------------


def test_county_staff_asking_another_county_get_404(client, county, four_counties):
    client.force_login(four_counties["zy_staff"])
    assert client.get(reverse("activities:grid"), {"county": "610922"}).status_code == 404
    assert client.get(reverse("activities:grid"), {"county": "610924"}).status_code == 200


def test_city_staff_read_any_county_and_an_unknown_code_is_404(
    client, county, four_counties, city_staff
):
    client.force_login(city_staff)
    assert client.get(reverse("activities:grid"), {"county": "610924"}).status_code == 200
    assert client.get(reverse("activities:grid"), {"county": "619999"}).status_code == 404
    assert client.get(reverse("activities:grid"), {"county": ""}).status_code == 404


def test_checks_rounds_and_findings_count_by_the_reports_rules(
    client, county, four_counties, city_staff, published_check
):
    opened = supervision_services.patrol_round_open(
        year=2026, half=2, by=county.staff, rng=random.Random(2)
    )
    supervision_services.patrol_round_publish(round_=opened, by=county.staff)

    data = _open(client, city_staff).context["d"]

    shiquan, ziyang = data.rows[0].cells[0].figures, data.rows[1].cells[0].figures
    assert shiquan["checks"] == [1, 4]  # zone A's Q4 check, of 2 zones × 2 quarters
    assert shiquan["rounds"] == [1, 1]  # the H2 round, published
    assert shiquan["findings"] == [0, 1]  # one raised on zone A's check, not yet rectified
    assert ziyang["checks"] == [0, 2] and ziyang["rounds"] == [0, 1]
    assert data.totals[0].figures["checks"] == [1, 6]
    # a quarter: zone A's check of Q4 is held there, none in Q3
    q3 = _open(client, city_staff, period="2026-Q3").context["d"].rows[0].cells[0].figures
    assert q3["checks"] == [0, 2]


def test_each_county_shows_its_units_and_zones_each_linked_to_the_page_listing_them(
    client, county, four_counties, city_staff
):
    response = _open(client, city_staff)
    rows = {row.county.code: row for row in response.context["d"].rows}
    shiquan, pingli = rows["610922"], rows["610926"]
    with county_scope(county.staff.county):
        assert shiquan.units == Unit.objects.count() > 0
        assert shiquan.zones == Zone.objects.count() == 2
    assert (rows["610924"].units, rows["610924"].zones) == (0, 1)
    assert (pingli.units, pingli.zones) == (0, 0)
    assert shiquan.links == {
        "units": f"{reverse('people:register')}?county=610922",
        "zones": f"{reverse('activities:grid')}?county=610922&year=2026",
    }
    page = response.content.decode()
    row = page[page.index('id="county-610922"') : page.index('id="county-610924"')]
    assert f'<a href="{reverse("people:register")}?county=610922">{shiquan.units} 个单位</a>' in row
    assert '<a href="/activities/grid/?county=610922&amp;year=2026">2 个片区</a>' in row
    # a county with no zone: the zero is written, with nothing to follow
    row = page[page.index('id="county-610926"') :]
    assert "0 个片区" in row[: row.index("</th>")] and "<a" not in row[: row.index("</th>")]
    # the city reads the pages behind them
    assert client.get(shiquan.links["units"]).status_code == 200
    assert client.get(shiquan.links["zones"]).status_code == 200


# The city table's figures as the template wrote them before `city.figure_items` (issue 20):
# a county's cell (linked) and the city's line.
_OLD_COUNTY_ITEMS = """{% for f in cell.rows %}
        <dt class="fw-normal text-body-secondary">{{ f.label }}</dt>
        <dd class="mb-1 figure figure-{{ f.key }}">{% if f.url %}<a href="{{ f.url }}">{% endif %}<strong>{{ f.numerator }}</strong> / {{ f.denominator|default:"—" }}{% if f.rate is not None %} <span class="text-body-secondary">（{{ f.rate }}%）</span>{% endif %}{% if f.url %}</a>{% endif %}</dd>
      {% endfor %}"""  # noqa: E501
_OLD_TOTAL_ITEMS = """{% for f in cell.rows %}
      <dt class="fw-normal text-body-secondary">{{ f.label }}</dt>
      <dd class="mb-1 figure figure-{{ f.key }}"><strong>{{ f.numerator }}</strong> / {{ f.denominator|default:"—" }}{% if f.rate is not None %} <span class="text-body-secondary">（{{ f.rate }}%）</span>{% endif %}</dd>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_city_tables_figures_are_the_markup_the_template_wrote(language):
    from django.template import engines
    from django.utils import translation

    figures = {
        "zone_months": [7, 12],  # a rate to one decimal
        "checks": [0, 0],  # no denominator: —, no rate
        "rounds": [12345, 20000],  # a large count
        "findings": [3, 4],
        "attendance": [1, 3],
    }
    links = {
        "zone_months": "/activities/grid/?county=X%26Y&year=2026",  # escaped in the href
        "checks": "/supervision/checks/?county=A",
    }
    engine = engines["django"]
    with translation.override(language):
        for cell in (city.Cell(figures, links), city.Cell({"findings": [0, 2]}), city.Cell({})):
            assert str(cell.items) == engine.from_string(_OLD_COUNTY_ITEMS).render({"cell": cell})
            assert str(cell.total_items) == engine.from_string(_OLD_TOTAL_ITEMS).render(
                {"cell": cell}
            )
        assert "&amp;year=2026" in city.Cell(figures, links).items


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner (CI runs it)")
def test_the_city_reads_a_periods_findings_through_their_raising_index(
    client, county, four_counties, city_staff
):
    """Issue 20: the city's findings roll-up reads the period's uncorrected findings through
    the partial index on their raising day, not a scan of every year's findings (with the
    sequential scan priced out, the plan must find the index: it fits the query's shape)."""
    client.force_login(city_staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:city_dashboard")).status_code == 200
    (sql,) = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "supervision_finding"' in q["sql"] and '"raised_on" BETWEEN' in q["sql"]
    ]
    plan = plan_with_only_index("supervision_finding", "finding_raised_uncorrected", sql)
    assert "finding_raised_uncorrected" in plan


# --- the figures' statement, compiled once per process and inputs (issue 20) -----------------


def _compiles(monkeypatch) -> list:
    """The querysets compiled from now on (each SQLCompiler.as_sql call)."""
    from django.db.models.sql.compiler import SQLCompiler

    calls: list = []
    as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return calls


def test_the_city_figures_statement_is_compiled_once_and_counts_the_rows_as_they_are_now(
    client, county, four_counties, city_staff, monkeypatch
):
    """The second page after a write runs the statement the first compiled (no queryset of
    the figures compiled again), and counts the write: the statement is kept by its inputs,
    never its answer."""
    city._STATEMENTS.clear()
    first = _open(client, city_staff).context["d"]
    assert first.rows[0].cells[0].figures["zone_months"][0] == 0
    assert (first.rows[0].units, first.rows[0].zones) == (Unit.objects.count(), 2)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 11, 10),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    ZoneFactory(county=four_counties["ziyang"], number=2, name="紫阳第二片区")
    compiled = _compiles(monkeypatch)
    again = _open(client, city_staff).context["d"]
    assert again.rows[0].cells[0].figures["zone_months"][0] == 1
    ziyang = again.rows[1]
    assert ziyang.zones == 2 and ziyang.cells[0].figures["zone_months"][1] == 2 * 5
    # the page's own queries (session, user, counties, mechanisms, notifications) compile;
    # none of the figures' parts (zones, checks, rounds, findings, units) does
    assert Zone not in compiled and Unit not in compiled, compiled
    assert len(city._STATEMENTS) == 1


def test_other_inputs_compile_their_own_statement(client, county, four_counties, city_staff):
    """Another period, or a county that starts a mechanism, is another statement: a kept
    statement never counts the wrong counties or days."""
    city._STATEMENTS.clear()
    _open(client, city_staff)
    _open(client, city_staff, period="2026-Q3")
    assert len(city._STATEMENTS) == 2
    pingli = next(c for c in city.County.objects.all() if c.code == "610926")
    pingli.mechanisms.create(mechanism=Mechanism.ZONES, since=datetime.date(2026, 1, 1))
    cache.clear()
    data = _open(client, city_staff).context["d"]
    assert len(city._STATEMENTS) == 3
    row = next(r for r in data.rows if r.county.code == "610926")
    assert row.cells[0].figures == {
        "zone_months": [0, 0],
        "checks": [0, 0],
        "rounds": [0, 1],  # the half-year's one round due
        "findings": [0, 0],
    }


def test_the_kept_statements_are_bounded(client, county, four_counties, city_staff, monkeypatch):
    city._STATEMENTS.clear()
    monkeypatch.setattr(city, "STATEMENTS_KEPT", 3)
    for month in range(1, 8):
        _open(client, city_staff, period=f"2026-{month:02d}")
        assert 0 < len(city._STATEMENTS) <= 3


# The cells of a county's row and the city's line as the template's loops wrote them before
# `city.cells_html` and `city.totals_html` (issue 20).
_OLD_ROW_CELLS = """{% for cell in row.cells %}
    <td class="city-cell">{% if row.awaiting %}<span class="text-body-secondary">—</span>{% elif not cell.runs %}<span class="text-body-secondary text-nowrap not-run">未开展</span>{% else %}
      <dl class="mb-0 small">{% with items=cell.items %}{% if items %}{{ items }}{% else %}<dd class="mb-0 text-body-secondary">{% translate "Running; its figures come with its own issue." %}</dd>{% endif %}{% endwith %}</dl>
    {% endif %}</td>
    {% endfor %}"""  # noqa: E501
_OLD_ORGANIZATION = """{% if row.units is not None %}<div class="small fw-normal county-organization"><span class="county-units">{% if row.units %}<a href="{{ row.links.units }}">{% endif %}{% blocktranslate count counter=row.units trimmed %}{{ counter }} unit{% plural %}{{ counter }} units{% endblocktranslate %}{% if row.units %}</a>{% endif %}</span> · <span class="county-zones">{% if row.zones %}<a href="{{ row.links.zones }}">{% endif %}{% blocktranslate count counter=row.zones trimmed %}{{ counter }} zone{% plural %}{{ counter }} zones{% endblocktranslate %}{% if row.zones %}</a>{% endif %}</span></div>{% endif %}"""  # noqa: E501
_OLD_TOTAL_CELLS = """{% for cell in d.totals %}<td class="city-cell">{% if not cell.runs %}<span class="text-body-secondary text-nowrap not-run">未开展</span>{% else %}<dl class="mb-0 small">{{ cell.total_items }}</dl>{% endif %}</td>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("thousands", [False, True])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_city_tables_cells_are_the_markup_the_template_wrote(language, thousands, settings, db):
    """Every kind of cell: figures (linked, escaped, a large count, no denominator), a
    mechanism run without figures defined, one not run, a self-hosted county awaited; with and
    without thousands grouping."""
    settings.USE_THOUSAND_SEPARATOR = thousands
    from django.template import engines
    from django.utils import translation

    figures = {"zone_months": [7, 999], "checks": [0, 0], "rounds": [12345, 1000]}
    links = {"zone_months": "/activities/grid/?county=X%26Y&year=2026"}
    cells = [city.Cell(figures, links), city.Cell({}), city.Cell(None), city.Cell({"x": [1, 2]})]
    cells[3] = city.Cell({"attendance": [1, 3], "first_topic": [0, 4]})
    links = {"units": "/people/?county=610922", "zones": "/activities/grid/?county=6&year=2026"}
    rows = [
        city.CountyRow(city.County(code="610922"), cells, units=1, zones=12345, links=links),
        city.CountyRow(city.County(code="610924"), cells, self_hosted=True),
        city.CountyRow(city.County(code="610926"), cells, units=0, zones=0, links=links),
        city.CountyRow(city.County(code="610925"), cells, units=2, zones=1, links=links),
    ]
    totals = [city.Cell(figures), city.Cell(None), city.Cell({"findings": [0, 2]})]
    engine = engines["django"]
    old_row = engine.from_string("{% load i18n %}" + _OLD_ROW_CELLS)
    old_organization = engine.from_string("{% load i18n %}" + _OLD_ORGANIZATION)
    old_totals = engine.from_string(_OLD_TOTAL_CELLS)
    with translation.override(language):
        d = city.CityDashboard(
            period=city.default_period(TODAY), day=TODAY, rows=rows, totals=totals, mechanisms=[]
        )
        lines = d.lines()
        assert [row for row, *_html in lines] == rows and rows[1].awaiting
        for row, organization_html, cells_html in lines:
            assert str(cells_html) == old_row.render({"row": row})
            assert str(organization_html) == old_organization.render({"row": row})
        assert "&amp;year=2026" in lines[0][1] and lines[1][1] == ""
        assert str(d.totals_html()) == old_totals.render({"d": d})
        assert "&amp;year=2026" in lines[0][2] and "未开展" in lines[0][2]


def test_the_cached_city_page_is_its_body_alone(client, county, four_counties, city_staff):
    """A hit serves the body as it was rendered, without the figures it was made of (issue
    20: they were pickled with every body and unpickled with every hit)."""
    first = _open(client, city_staff)
    again = _open(client, city_staff)
    assert first.context["d"] is not None and again.context["d"] is None
    assert again.context["body"] == first.context["body"]
    assert 'id="county-610924"' in again.context["body"]


def test_the_counties_with_their_mechanisms_are_what_the_prefetch_gave_in_one_query(
    county, four_counties
):
    """`city.counties_with_mechanisms` (one query, the mechanisms joined) gives the counties
    in their order, each with exactly the mechanism rows `prefetch_related("mechanisms")`
    gives (one switched off and on again: two rows; a county running none: no row), and what
    `County.runs` answers from them without a query."""
    from counties.models import County, CountyMechanism

    ziyang = four_counties["ziyang"]
    CountyMechanism.objects.filter(county=ziyang).update(until=datetime.date(2026, 3, 1))
    CountyMechanism.objects.create(
        county=ziyang, mechanism=Mechanism.ZONES, since=datetime.date(2026, 6, 1)
    )
    CountyMechanism.objects.create(
        county=ziyang, mechanism=Mechanism.WISHES, since=datetime.date(2026, 1, 1)
    )
    with CaptureQueriesContext(connection) as queries:
        mine = city.counties_with_mechanisms()
    assert len(queries) == 1
    prefetched = list(County.objects.select_related("city").prefetch_related("mechanisms"))

    def shown(counties):
        return [
            (
                c.pk,
                c.city.name,
                [(m.pk, m.county_id, m.mechanism, m.since, m.until) for m in c.mechanisms.all()],
            )
            for c in counties
        ]

    assert shown(mine) == shown(prefetched)
    assert len(mine[1].mechanisms.all()) == 3 and list(mine[2].mechanisms.all()) == []
    days = [datetime.date(2026, 2, 1), datetime.date(2026, 4, 1), TODAY]
    with CaptureQueriesContext(connection) as queries:
        answers = [[c.mechanisms_run(day=d) for d in days] for c in mine]
    assert len(queries) == 0
    assert answers == [[c.mechanisms_run(day=d) for d in days] for c in prefetched]
