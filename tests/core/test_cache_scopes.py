"""A value cached in a scope of every county (city staff without the county switch, a job of
the whole deployment) is computed afresh after any county's write, as the city's pages are; a
value cached in a scope of no county (an account of no county) is never served to a reader of
every county, nor theirs to it."""

from __future__ import annotations

from django_scopes import scope

from core.cache import cached, county_in_scope, data_version
from counties.scoping import NO_COUNTY, county_scope, every_county
from tests.core.test_cache_areas import _counter
from tests.factories import UnitFactory


def test_a_value_of_every_county_is_computed_afresh_after_a_countys_write(county):
    computed, compute = _counter()
    with every_county():
        assert cached("test:every", compute) == 1
        assert cached("test:every", compute) == 1  # a hit
    with county_scope(county.zone_a.county_id):
        UnitFactory(name="新单位")  # a county's write
    with every_county():
        assert cached("test:every", compute) == 2
    assert len(computed) == 2


def test_a_value_of_every_county_is_computed_afresh_after_an_areas_write(county):
    computed, compute = _counter()
    with every_county():
        before = data_version(areas=("zones",))
        assert cached("test:every-zones", compute, areas=("zones",)) == 1
    with county_scope(county.zone_a.county_id):
        UnitFactory(name="新单位")  # a write in the zones area
    with every_county():
        assert data_version(areas=("zones",)) != before
        assert cached("test:every-zones", compute, areas=("zones",)) == 2


def test_no_county_and_every_county_are_kept_apart(county):
    with scope(county=NO_COUNTY):
        assert county_in_scope() == "none"
        assert cached("test:apart", lambda: "nothing") == "nothing"
    with every_county():
        assert county_in_scope() == "all"
        assert cached("test:apart", lambda: "every county") == "every county"
    with scope(county=NO_COUNTY):
        assert cached("test:apart", lambda: "again") == "nothing"


def test_a_scope_of_several_counties_is_its_own_key_and_a_write_in_it_moves_them(county):
    first = county.zone_a.county_id
    with scope(county=[first, first + 1000]):
        assert county_in_scope() == f"{first}-{first + 1000}"
    with county_scope(first):
        before = data_version()
    with scope(county=[first, first + 1000]):
        UnitFactory(name="新单位")  # a write seen by several counties' scope
    with county_scope(first):
        assert data_version() != before
