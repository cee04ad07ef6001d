"""Links across counties are refused (issue 15), in the model and in the services, with a
clear message and nothing changed: a zone of county A takes no unit of county B, a leader or a
secretary of B works on no record of A, and a county organ of B joins no activity of A, while a
partner organization (链上联建) may join an activity of any county of the city."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity
from core.constants import Role
from tests.activities.factories import make_activity
from tests.factories import (
    CountyFactory,
    UnitFactory,
    UserFactory,
    ZoneFactory,
    unit_in_zone,
)
from zones import services as zone_services
from zones.constants import UnitKind
from zones.models import Membership, UnitPost, ZoneLeadership

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def ziyang(db):
    return CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])


def test_a_zone_takes_no_unit_of_another_county(county, ziyang):
    theirs = UnitFactory(county=ziyang, name="紫阳县财政局")
    with pytest.raises(ValidationError, match="不属于同一县（区）"):
        zone_services.unit_reassign(
            unit=theirs, zone=county.zone_a, effective_on=DAY, reason="调整"
        )
    assert not Membership.objects.filter(unit=theirs).exists()
    with pytest.raises(ValidationError):
        Membership(unit=theirs, zone=county.zone_a, effective_from=DAY).full_clean()


def test_a_leader_of_another_county_guides_no_zone_of_this_one(county, ziyang):
    theirs = UserFactory(role=Role.LEADER, county=ziyang)
    before = list(ZoneLeadership.objects.values_list("pk", "leader_id", "effective_to"))
    with pytest.raises(ValidationError):
        zone_services.zone_set_leader(zone=county.zone_a, leader=theirs, effective_on=DAY)
    assert list(ZoneLeadership.objects.values_list("pk", "leader_id", "effective_to")) == before
    with pytest.raises(ValidationError):
        ZoneLeadership(zone=county.zone_a, leader=theirs, effective_from=DAY).full_clean()


def test_a_secretary_of_another_county_serves_no_unit_of_this_one(county, ziyang):
    theirs = UserFactory(role=Role.SECRETARY, county=ziyang)
    with pytest.raises(ValidationError):
        UnitPost(user=theirs, unit=county.member_unit).full_clean()


def test_a_county_organ_of_another_county_joins_no_activity(county, ziyang):
    zone_b = ZoneFactory(county=ziyang, number=1, name="紫阳第一片区")
    organ = unit_in_zone(zone_b, name="紫阳县司法局", county=ziyang)
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_activity(unit=county.member_unit, by=county.secretary, participants=[organ])
    assert "紫阳县司法局" in str(refused.value)
    assert Activity.objects.count() == before


def test_a_partner_organization_of_any_county_of_the_city_joins(county, ziyang):
    partner = UnitFactory(county=ziyang, name="紫阳县蒿坪镇党委", kind=UnitKind.TOWN)
    activity = make_activity(unit=county.member_unit, by=county.secretary, participants=[partner])
    assert list(activity.participants.all()) == [partner]
