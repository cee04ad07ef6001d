"""Issue 20: data versions per county and per area. A value cached for some areas (the grid:
activities and zones) stays valid through a write in another area (a finding's update) and is
computed afresh after a write in one of its areas or a write under no area (a county's)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.constants import ActivityState
from core import cache as data_cache
from core.cache import AREAS, cached, data_version, declare_area, watch
from counties.scoping import county_scope
from tests.activities.factories import make_activity

D = datetime.date


def _counter():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    return computed, compute


def test_the_apps_declare_their_areas():
    assert {"activities", "supervision", "zones"} <= AREAS


def test_a_finding_update_leaves_a_value_of_activities_and_zones_cached(county, finding):
    computed, compute = _counter()
    areas = ("activities", "zones")
    with county_scope(county.zone_a.county_id):
        assert cached("figures", compute, areas=areas) == 1
        finding.description = "三会一课记录不全（补）"
        finding.save()
        assert cached("figures", compute, areas=areas) == 1  # still the cached value
        assert cached("everything", compute) == 2
        finding.save()
        assert cached("everything", compute) == 3  # a value of every area is not kept
    assert computed == [1, 1, 1]


@pytest.mark.parametrize("write", ["activity", "zone", "county"])
def test_a_write_in_one_of_its_areas_or_under_none_invalidates_it(county, write):
    computed, compute = _counter()
    areas = ("activities", "zones")
    with county_scope(county.zone_a.county_id):
        assert cached("figures", compute, areas=areas) == 1
        if write == "activity":
            make_activity(unit=county.member_unit, by=county.secretary, date=D(2026, 10, 9))
        elif write == "zone":
            county.zone_a.name = "第一片区（新）"
            county.zone_a.save()
        else:  # a county's own record is under no area: every value of the county goes
            county.zone_a.county.save()
        assert cached("figures", compute, areas=areas) == 2


def test_an_area_write_moves_the_city_version_of_that_area_only(county, finding):
    county_id = county.zone_a.county_id
    grid_before = data_version("city", ("activities", "zones"))
    supervision_before = data_version("city", ("supervision",))
    with county_scope(county_id):
        finding.save()
    assert data_version("city", ("activities", "zones")) == grid_before
    assert data_version("city", ("supervision",)) != supervision_before


def test_a_value_keyed_by_an_undeclared_area_is_refused(county):
    with pytest.raises(ValueError, match="undeclared"):
        cached("figures", lambda: 1, areas=("wishes_typo",))
    with pytest.raises(ValueError):
        declare_area("not an area!")


def test_a_mechanism_app_declares_its_own_area_with_watch(county):
    """The hook a new mechanism's AppConfig.ready uses: watch its models under its area."""
    from zones.models import Zone

    label = Zone._meta.label_lower
    try:
        watch(Zone, area="trial_area")
        assert "trial_area" in AREAS
        computed, compute = _counter()
        with county_scope(county.zone_a.county_id):
            cached("figures", compute, areas=("activities",))
            cached("trial", compute, areas=("trial_area",))
            county.zone_a.save()
            cached("figures", compute, areas=("activities",))
            cached("trial", compute, areas=("trial_area",))
        assert len(computed) == 3  # only the trial area's value was computed again
    finally:
        watch(Zone, area="zones")
        AREAS.discard("trial_area")
        assert data_cache._AREA_OF[label] == "zones"


def _grid(client):
    return client.get(reverse("activities:grid"), {"year": 2026})


def test_a_supervision_write_leaves_the_cached_grid_valid_and_an_activity_write_does_not(
    client, county, finding, django_assert_num_queries
):
    client.force_login(county.staff)
    _grid(client)
    with CaptureQueriesContext(connection) as hit:  # the cached grid: session, user, navigation
        _grid(client)
    with county_scope(county.zone_a.county_id):  # as the staff's request writes it
        finding.description = "三会一课记录不全（补）"
        finding.save()
    with django_assert_num_queries(len(hit)):  # still a cache hit
        _grid(client)
    with county_scope(county.zone_a.county_id):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=D(2026, 3, 10),
            state=ActivityState.CONFIRMED,
            reviewer=county.lead_secretary,
        )
    with CaptureQueriesContext(connection) as miss:
        grid = _grid(client).context["grid"]
    assert len(miss) > len(hit)
    assert grid.rows[0].cells[2].state == "done"


def test_values_cached_together_are_those_cached_one_by_one_and_only_the_missing_are_computed(
    county, finding
):
    """`cached_many` (issue 20: the county dashboard's body and tiles read together) keys each
    value as `cached` does, so each finds the other's; a write in one value's areas leaves the
    others cached, and only the missing values are computed, at once; a None is not kept."""
    asked = []

    def compute(missing):
        asked.append(sorted(missing))
        return {name: None if name == "none" else f"{name}{len(asked)}" for name in missing}

    entries = {
        "grid": ("grid", ("activities", "zones")),
        "findings": ("findings", ("supervision",)),
        "none": ("none", ("zones",)),
    }
    with county_scope(county.zone_a.county_id):
        assert data_cache.cached_many(entries, compute) == {
            "grid": "grid1",
            "findings": "findings1",
            "none": None,
        }
        assert cached("grid", lambda: "computed", areas=("zones", "activities")) == "grid1"
        finding.description = "三会一课记录不全（补）"
        finding.save()
        again = data_cache.cached_many(entries, compute)
        assert again == {"grid": "grid1", "findings": "findings2", "none": None}
        assert cached("findings", lambda: "computed", areas=("supervision",)) == "findings2"
    assert asked == [["findings", "grid", "none"], ["findings", "none"]]


def test_values_cached_together_are_computed_when_the_cache_does_not_answer(county, monkeypatch):
    def unavailable(*args, **kwargs):
        raise data_cache._Unavailable

    monkeypatch.setattr(data_cache, "_ask", unavailable)
    with county_scope(county.zone_a.county_id):
        found = data_cache.cached_many(
            {"a": ("a", ("zones",)), "b": ("b", None)}, lambda missing: dict.fromkeys(missing, 1)
        )
    assert found == {"a": 1, "b": 1}
