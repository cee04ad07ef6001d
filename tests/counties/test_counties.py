"""The city and its counties (issue 15): division codes, the mechanisms a county runs and their
history, whose county a person is and which counties they read, and the numbers and names that
are unique within a county rather than across the city."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.access import may
from core.constants import Role
from counties import rules as county_rules
from counties.constants import Mechanism
from counties.models import City, County, CountyMechanism
from counties.selectors import counties_running, counties_visible_to, county_of
from counties.services import default_county, mechanism_switch_off, mechanism_switch_on
from tests.factories import CityFactory, CountyFactory, UnitFactory, UserFactory, ZoneFactory
from zones.models import Unit, Zone

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def ziyang(db):
    return CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])


# --- division codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("61092", "六位行政区划代码"),
        ("61092a", "六位行政区划代码"),
        ("061092", "六位行政区划代码"),
        ("610900", "属于市"),
        ("620922", "前四位（6109）"),
    ],
)
def test_a_county_code_is_refused_with_the_reason(db, code, message):
    county = County(city=CityFactory(), name="某县", code=code)
    with pytest.raises(ValidationError) as refused:
        county.full_clean()
    assert message in " ".join(refused.value.message_dict["code"])


def test_a_county_code_of_its_city_is_accepted(db):
    County(city=CityFactory(), name="汉滨区", code="610902").full_clean()


def test_a_city_code_ends_in_00(db):
    with pytest.raises(ValidationError) as refused:
        City(name="某市", code="610901").full_clean()
    assert "00" in " ".join(refused.value.message_dict["code"])
    City(name="汉中市", code="610700").full_clean()


def test_a_county_code_is_unique(db):
    CountyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        County.objects.create(city=CityFactory(), name="另一个县", code="610922")


# --- mechanisms -------------------------------------------------------------------------------


def test_a_county_runs_the_mechanisms_switched_on_and_keeps_the_history_when_off(ziyang):
    assert not ziyang.runs(Mechanism.TEAMS, day=DAY)
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.TEAMS, since=DAY)
    assert ziyang.runs(Mechanism.TEAMS, day=DAY)
    assert not ziyang.runs(Mechanism.TEAMS, day=DAY - datetime.timedelta(days=1))
    assert not ziyang.runs(Mechanism.ZONES, day=DAY)
    mechanism_switch_off(county=ziyang, mechanism=Mechanism.TEAMS, until=datetime.date(2026, 7, 1))
    assert not ziyang.runs(Mechanism.TEAMS, day=datetime.date(2026, 7, 1))
    assert ziyang.runs(Mechanism.TEAMS, day=datetime.date(2026, 6, 30))  # history kept
    assert CountyMechanism.objects.filter(county=ziyang).count() == 1
    # Switched on again: a second period, the first one kept.
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.TEAMS, since=datetime.date(2026, 9, 1))
    assert ziyang.runs(Mechanism.TEAMS, day=datetime.date(2026, 9, 1))
    assert CountyMechanism.objects.filter(county=ziyang).count() == 2


def test_runs_reads_the_prefetched_mechanisms_without_a_query(ziyang, django_assert_num_queries):
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.WISHES, since=DAY)
    county = County.objects.prefetch_related("mechanisms").get(pk=ziyang.pk)
    with django_assert_num_queries(0):
        assert county.runs(Mechanism.WISHES, day=DAY)
        assert not county.runs(Mechanism.ZONES, day=DAY)
        assert county.mechanisms_run(day=DAY) == [Mechanism.WISHES]


def test_switching_on_twice_is_refused_and_changes_nothing(ziyang):
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.EDUCATION, since=DAY)
    with pytest.raises(ValidationError, match="已启用此工作机制"):
        mechanism_switch_on(county=ziyang, mechanism=Mechanism.EDUCATION, since=DAY)
    assert CountyMechanism.objects.filter(county=ziyang).count() == 1


def test_switching_off_what_is_not_on_or_before_it_began_is_refused(ziyang):
    with pytest.raises(ValidationError, match="未启用此工作机制"):
        mechanism_switch_off(county=ziyang, mechanism=Mechanism.ZONES, until=DAY)
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.ZONES, since=DAY)
    with pytest.raises(ValidationError, match="须晚于启用日期"):
        mechanism_switch_off(county=ziyang, mechanism=Mechanism.ZONES, until=DAY)
    assert CountyMechanism.objects.get(county=ziyang).until is None


def test_counties_running_a_mechanism(ziyang):
    shiquan = CountyFactory()  # zones on since 2024
    assert list(counties_running(Mechanism.ZONES, day=DAY)) == [shiquan]
    assert list(counties_running(Mechanism.TEAMS, day=DAY)) == []
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.ZONES, since=DAY)
    assert set(counties_running(Mechanism.ZONES, day=DAY)) == {shiquan, ziyang}
    assert list(counties_running(Mechanism.ZONES, day=datetime.date(2026, 2, 28))) == [shiquan]


# --- people and their county ------------------------------------------------------------------


def test_the_county_of_a_person_and_the_counties_they_read(ziyang):
    shiquan = CountyFactory()
    staff = UserFactory(role=Role.STAFF)
    zy_staff = UserFactory(role=Role.STAFF, county=ziyang)
    city = UserFactory(role=Role.CITY_STAFF)
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    assert county_of(staff) == shiquan and county_of(zy_staff) == ziyang
    assert county_of(city) is None and county_of(admin) is None
    assert list(counties_visible_to(staff)) == [shiquan]
    assert list(counties_visible_to(zy_staff)) == [ziyang]
    assert set(counties_visible_to(city)) == {shiquan, ziyang}
    assert list(counties_visible_to(admin)) == []


def test_the_county_rules(ziyang):
    shiquan = CountyFactory()
    secretary = UserFactory(role=Role.SECRETARY)
    city = UserFactory(role=Role.CITY_STAFF)
    assert county_rules.is_city_staff(city) and not county_rules.is_city_staff(secretary)
    assert may(secretary, "counties.read_county", shiquan)
    assert not may(secretary, "counties.read_county", ziyang)
    assert may(city, "counties.read_county", shiquan) and may(city, "counties.read_county", ziyang)
    assert not may(UserFactory(role=Role.AUDIT_ADMIN), "counties.read_county", shiquan)


# --- unique within a county -------------------------------------------------------------------


def test_zone_numbers_are_unique_within_a_county_not_across_the_city(ziyang):
    ZoneFactory(number=1)
    Zone.objects.create(county=ziyang, number=1, name="紫阳第一片区")
    with pytest.raises(ValidationError) as refused:
        Zone(county=ziyang, number=1, name="又一个").validate_constraints()
    assert "本县（区）已有该编号的片区" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Zone.objects.create(county=ziyang, number=1, name="又一个")
    assert Zone.objects.filter(number=1).count() == 2


def test_active_unit_names_are_unique_within_a_county_not_across_the_city(ziyang):
    UnitFactory(name="县财政局")
    Unit.objects.create(county=ziyang, name="县财政局")
    with pytest.raises(ValidationError) as refused:
        Unit(county=ziyang, name="县财政局").validate_constraints()
    assert "本县（区）已存在同名的在册单位" in str(refused.value)
    assert Unit.objects.filter(name="县财政局").count() == 2


def test_the_default_county_is_made_from_the_settings_once(db, settings):
    settings.PORTAL_DEFAULT_COUNTY_CODE = "610925"
    settings.PORTAL_DEFAULT_COUNTY_NAME = "岚皋县"
    county = default_county()
    assert (county.code, county.name, county.short_name) == ("610925", "岚皋县", "岚皋")
    assert (county.city.code, county.city.name) == ("610900", "安康市")
    assert county.runs(Mechanism.ZONES)
    assert default_county() == county and County.objects.count() == 1


# --- mechanisms on the pages ------------------------------------------------------------------


def test_the_pages_of_a_mechanism_the_county_does_not_run_answer_404(client, ziyang):
    from django.urls import reverse

    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    client.force_login(zy_staff)
    grid = reverse("activities:grid")
    assert client.get(grid).status_code == 404
    assert client.get(reverse("supervision:finding_list")).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert 'id="nav-grid"' not in home and 'id="nav-findings"' not in home
    mechanism_switch_on(county=ziyang, mechanism=Mechanism.ZONES, since=DAY)
    assert client.get(grid).status_code == 200
    assert 'id="nav-grid"' in client.get(reverse("home")).content.decode()
    mechanism_switch_off(
        county=ziyang, mechanism=Mechanism.ZONES, until=DAY + datetime.timedelta(days=1)
    )
    assert client.get(grid).status_code == 404  # switched off: hidden again
    assert ziyang.runs(Mechanism.ZONES, day=DAY)  # the history is kept


def test_city_staff_reach_every_mechanisms_pages(client, ziyang):
    from django.urls import reverse

    client.force_login(UserFactory(username="city", role=Role.CITY_STAFF))
    assert client.get(reverse("activities:grid")).status_code == 200
    assert 'id="nav-grid"' in client.get(reverse("home")).content.decode()
