"""Scoped queries, enforced (issue 15): every model that belongs to a county has a default
manager that refuses a query with no county scope (django-scopes), a query in a county's scope
sees that county only, and the pages run in the reader's scope."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django_scopes import ScopeError

from core.constants import Role
from counties.models import County
from counties.scoping import (
    county_scope,
    each_county,
    every_county,
    implied_county_id,
    in_scope,
    over_each_county,
    scope_of,
)
from tests.factories import CountyFactory, UnitFactory, UserFactory, ZoneFactory
from zones.models import Unit, Zone

# Models that point at a county (or at what belongs to one) and are, on purpose, not scoped.
NOT_SCOPED = {
    "core.User": "accounts are the deployment's; a person's county is read from the account",
    "counties.CountyMechanism": "the mechanisms of every county, read by the city's pages",
    "counties.County": "the tenants themselves",
}


def _points_at_a_county(model, seen=None) -> bool:
    seen = seen or set()
    if model is County:
        return True
    if model in seen:
        return False
    seen.add(model)
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey) and not field.auto_created:
            target = field.related_model
            if target is County or (
                target._meta.label not in NOT_SCOPED and _points_at_a_county(target, seen)
            ):
                return True
    return False


def _is_scoped(model) -> bool:
    manager = model._default_manager
    return any(cls.__module__ == "django_scopes.manager" for cls in type(manager).__mro__)


def test_every_model_that_belongs_to_a_county_is_scoped():
    unscoped = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.label not in NOT_SCOPED
        and not model._meta.auto_created
        and not model.__name__.startswith("Historical")  # the audit's copies (simple_history)
        and _points_at_a_county(model)
        and not _is_scoped(model)
    ]
    assert unscoped == [], "give these `objects = ScopedManager(county=...)` (counties.scoping)"


def test_the_scoped_models_are_found():
    found = {m._meta.label for m in apps.get_models() if _is_scoped(m)}
    assert {
        "zones.Unit",
        "zones.Zone",
        "zones.Membership",
        "activities.Activity",
        "supervision.Finding",
        "supervision.PatrolRound",
        "reports.RollupReport",
    } <= found


@pytest.fixture
def two_counties(db):
    with every_county():
        shiquan = CountyFactory()
        ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
        zone_a = ZoneFactory(county=shiquan, number=1, name="第一片区")
        zone_b = ZoneFactory(county=ziyang, number=1, name="紫阳第一片区")
        UnitFactory(county=shiquan, name="县司法局")
        UnitFactory(county=ziyang, name="县司法局")
    return shiquan, ziyang, zone_a, zone_b


@pytest.mark.scoped
def test_a_query_with_no_county_scope_raises(two_counties):
    with pytest.raises(ScopeError):
        list(Zone.objects.all())
    with pytest.raises(ScopeError):
        Unit.objects.filter(name="县司法局").count()
    with pytest.raises(ScopeError):
        Zone.objects.get(number=1)


@pytest.mark.scoped
def test_a_county_scope_sees_that_county_only(two_counties):
    shiquan, ziyang, zone_a, zone_b = two_counties
    with county_scope(shiquan):
        assert list(Zone.objects.all()) == [zone_a]
        assert Unit.objects.get(name="县司法局").county == shiquan
        assert not Zone.objects.filter(pk=zone_b.pk).exists()
    with county_scope(ziyang.pk):
        assert list(Zone.objects.all()) == [zone_b]
    with every_county():
        assert set(Zone.objects.all()) == {zone_a, zone_b}
    assert [c.code for c in each_county()] == ["610922", "610924"]


@pytest.mark.scoped
def test_a_job_per_county_runs_once_in_each(two_counties):
    def count_zones():
        return Zone.objects.count()

    assert over_each_county(count_zones) == 2
    seen = []
    over_each_county(lambda: seen.append(list(Zone.objects.values_list("name", flat=True))))
    assert seen == [["第一片区"], ["紫阳第一片区"]]


def test_who_reads_which_county(two_counties):
    shiquan, ziyang, *_ = two_counties
    assert scope_of(UserFactory(role=Role.STAFF, county=ziyang)) == ziyang.pk
    assert scope_of(UserFactory(role=Role.SECRETARY)) == shiquan.pk
    assert scope_of(UserFactory(role=Role.CITY_STAFF)) is None
    assert scope_of(UserFactory(role=Role.SYSTEM_ADMIN)) is None
    assert scope_of(UserFactory(role=Role.SECRETARY, county=None)) == []

    class Anonymous:
        is_authenticated = False

    assert scope_of(Anonymous()) == []


@pytest.mark.scoped
def test_accounts_are_filtered_by_the_scope_where_asked(two_counties):
    shiquan, ziyang, *_ = two_counties
    from django.contrib.auth import get_user_model

    with every_county():
        mine = UserFactory(role=Role.STAFF)
        theirs = UserFactory(role=Role.STAFF, county=ziyang)
    staff = get_user_model().objects.filter(role=Role.STAFF)
    with county_scope(shiquan):
        assert list(staff.filter(in_scope())) == [mine]
        assert implied_county_id() == shiquan.pk
    with every_county():
        assert set(staff.filter(in_scope())) == {mine, theirs}
        assert implied_county_id() is None  # several counties: none implied
        assert implied_county_id(by=theirs) == ziyang.pk


def test_pages_run_in_the_readers_county_scope_even_when_the_test_disables_it(client, two_counties):
    """The test itself runs with scopes disabled; the request does not."""
    shiquan, ziyang, zone_a, zone_b = two_counties
    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    client.force_login(zy_staff)
    assert client.get(reverse("zone_detail", kwargs={"pk": zone_a.pk})).status_code == 404
    assert client.get(reverse("zone_detail", kwargs={"pk": zone_b.pk})).status_code == 200
    staff = UserFactory(username="sq_staff", role=Role.STAFF)
    client.force_login(staff)
    assert client.get(reverse("zone_detail", kwargs={"pk": zone_b.pk})).status_code == 404
    city = UserFactory(username="city", role=Role.CITY_STAFF)
    client.force_login(city)
    for zone in (zone_a, zone_b):
        assert client.get(reverse("zone_detail", kwargs={"pk": zone.pk})).status_code == 200
