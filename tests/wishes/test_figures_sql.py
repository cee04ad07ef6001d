"""The county tile's figures as one hand-written statement (wishes.selectors.county_figures_sql,
issue 20) equal the queryset rule (`figures`) on wishes where every figure the data can hold
differs from zero (a breach, an assigned wish without unit or deadline, the database refuses:
it is 0 in both), in the county's scope and not in another county's."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from counties.models import County
from counties.scoping import county_scope
from wishes import selectors, services
from wishes.constants import Channel, Satisfaction
from wishes.models import Wish

from .conftest import MONDAY

pytestmark = pytest.mark.django_db

TUE = MONDAY + datetime.timedelta(days=1)
WED = MONDAY + datetime.timedelta(days=2)
THU = MONDAY + datetime.timedelta(days=3)
LATER = MONDAY + datetime.timedelta(days=40)  # every deadline of the example passed


def _new(w, phone, **kw):
    return services.wish_receive(group=w.group, text="路灯不亮", phone=phone, on=MONDAY, **kw)


def _through(wish, w, c, *, signed=MONDAY, visit=None):
    services.wish_dispatch(wish=wish, category=w.roads, by=c.staff, on=MONDAY)
    services.wish_sign(wish=wish, by=c.secretary, on=signed)
    services.wish_answer(wish=wish, answer="已修好", by=c.secretary, on=signed)
    if visit:
        services.wish_visit(wish=wish, satisfaction=visit, handler_caused=True, on=THU)


def _example(w, c) -> None:
    _through(w.wish, w, c, visit=Satisfaction.SATISFIED)  # closed, signed on time
    _through(_new(w, "13900000002"), w, c, signed=WED, visit=Satisfaction.UNSATISFIED)  # redone
    returned = _new(w, "13900000003")
    services.wish_dispatch(wish=returned, category=w.roads, by=c.staff, on=MONDAY)
    services.wish_return(wish=returned, reason="不属本单位", by=c.secretary, on=MONDAY)
    services.wish_return_decide(wish=returned, accept=False, by=c.staff, on=TUE)
    _new(w, "13900000004", channel=Channel.COURTYARD, by=c.staff)  # awaiting dispatch
    _new(w, "13900000005", channel=Channel.VISIT, by=c.staff)
    _through(_new(w, "13900000006"), w, c, visit=Satisfaction.UNREACHED)  # not evaluated
    _through(_new(w, "13900000007"), w, c, visit=Satisfaction.BASIC)
    handling = _new(w, "13900000008")
    services.wish_dispatch(wish=handling, category=w.roads, by=c.staff, on=MONDAY)
    services.wish_sign(wish=handling, by=c.secretary, on=MONDAY)  # overdue by LATER
    # a duplicate merged into another wish, and a wish of another period: not counted
    services.wish_merge(wish=_new(w, "13900000009"), into=handling, by=c.staff, on=MONDAY)
    outside = _new(w, "13900000010")
    Wish.objects.filter(pk=outside.pk).update(received_on=MONDAY - datetime.timedelta(days=400))


def test_the_statement_equals_the_queryset_rule(w, county):
    _example(w, county)
    county_id = w.wish.county_id
    for day in (THU, LATER):
        expected = selectors.figures(
            Wish.objects.filter(county_id=county_id), start=MONDAY, end=LATER, day=day
        )
        found = selectors.county_figures_sql(county_id, start=MONDAY, end=LATER, day=day)
        assert found == expected
    # every figure the data can hold differs from zero
    values = dataclasses.asdict(expected)
    counts = {k: v for k, v in values.items() if isinstance(v, int) and k != "breaches"}
    assert all(counts.values()), counts
    assert all(values["by_channel"].values())
    for name in ("resolution", "on_time_sign", "returned", "redone", "satisfaction"):
        rate = getattr(expected, name)
        assert 0 < rate.numerator < rate.denominator or name == "on_time_sign", name
        assert rate.numerator and rate.denominator, name
    assert expected.collected == 8  # the merged duplicate and the earlier wish left out


def test_another_countys_figures_are_its_own(w, county):
    _example(w, county)
    mine = County.objects.get(pk=w.wish.county_id)
    other = County.objects.create(city=mine.city, name="另一县", code="610999")
    Wish.objects.filter(pk=w.wish.pk).update(county=other)
    for county_id in (w.wish.county_id, other.pk):
        expected = selectors.figures(
            Wish.objects.filter(county_id=county_id), start=MONDAY, end=LATER, day=LATER
        )
        found = selectors.county_figures_sql(county_id, start=MONDAY, end=LATER, day=LATER)
        assert found == expected
    assert found.collected == 1


def test_the_tile_in_a_countys_scope_reads_the_statement(w, county, monkeypatch):
    _example(w, county)
    c = County.objects.get(pk=w.wish.county_id)
    expected = selectors.figures(
        Wish.objects.filter(county=c), start=datetime.date(LATER.year, 1, 1), end=LATER, day=LATER
    )
    asked = []
    real = selectors.county_figures_sql
    monkeypatch.setattr(
        selectors, "county_figures_sql", lambda *a, **kw: asked.append(a) or real(*a, **kw)
    )
    with county_scope(c):
        tile = selectors.dashboard_tile(day=LATER)
    assert asked == [(c.pk,)] and tile["f"] == expected
