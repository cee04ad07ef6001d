"""people 0005 and the mechanisms' migrations after it: the service teams' matters, the 双报到
services and the fulfilled wish claims become the people's records of service
(PracticalMatter), each mechanism's row pointing at its own; the way back restores them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import UserFactory
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("people", "0004_retention_policy"),
    ("teams", "0002_trainings_brands_weights"),
    ("education", "0004_mentoring_pairs"),
    ("wishes", "0002_courtyard_meetings"),
]
AFTER = [
    ("teams", "0003_matters_in_the_register"),
    ("education", "0005_services_in_the_register"),
    ("wishes", "0003_claims_in_the_register"),
]
DAY = datetime.date(2026, 3, 2)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_rows(old, county, user, person):
    county_id = county.member_unit.county_id
    team = old.get_model("teams", "Team")._base_manager.create(
        name="第一服务队",
        formed_on=DAY,
        anchor_unit_id=county.lead_unit.pk,
        county_id=county_id,
        created_by_id=user.pk,
    )
    micro = old.get_model("teams", "MicroMatter")
    confirmed = micro._base_manager.create(
        team=team,
        person_id=person.pk,
        unit_id=county.member_unit.pk,
        category="repair",
        done_on=DAY,
        hours=Decimal("2.5"),
        people_served=4,
        description="修理路灯",
        confirmed_by_id=user.pk,
        confirmed_at=timezone.now(),
        recorded_by_id=user.pk,
    )
    waiting = micro._base_manager.create(
        team=team,
        person_id=person.pk,
        category="sales",
        done_on=DAY,
        description="助销木耳",
        recorded_by_id=user.pk,
    )
    community = old.get_model("education", "Community")._base_manager.create(
        county_id=county_id, name="东城社区"
    )
    registration = old.get_model("education", "CommunityRegistration")._base_manager.create(
        unit_id=county.member_unit.pk,
        person_id=person.pk,
        community=community,
        registered_on=DAY,
        confirmed=True,
        created_by_id=user.pk,
    )
    service = old.get_model("education", "CommunityService")._base_manager.create(
        registration=registration,
        done_on=DAY,
        description="社区值守",
        hours=Decimal(3),
        practical_matter=False,
        confirmed=True,
        confirmed_by_id=user.pk,
        created_by_id=user.pk,
    )
    town = old.get_model("wishes", "Town")._base_manager.create(county_id=county_id, name="滔河镇")
    village = old.get_model("wishes", "Village")._base_manager.create(town=town, name="同心村")
    wish_model = old.get_model("wishes", "Wish")
    claim_model = old.get_model("wishes", "Claim")
    claims = []
    for n, fulfilled in enumerate((DAY, None)):
        wish = wish_model._base_manager.create(
            ticket=f"T{n}",
            channel="link",
            text="村道被冲毁",
            phone_tail="5678",
            received_on=DAY,
            dispatch_due=DAY,
            county_id=county_id,
            town=town,
            village=village,
        )
        claims.append(
            claim_model._base_manager.create(
                wish=wish,
                person_id=person.pk,
                claimed_on=DAY,
                fulfilled_on=fulfilled,
                note="已修复" if fulfilled else "",
            )
        )
    return confirmed, waiting, service, claims


def test_the_mechanisms_records_become_records_of_service(county):
    user = UserFactory(username="recorder")
    person = person_in(county.member_unit, name="王芳")
    try:
        old = _migrate(BEFORE)
        confirmed, waiting, service, (fulfilled, open_claim) = _old_rows(old, county, user, person)
        new = _migrate(AFTER)
        record = new.get_model("people", "PracticalMatter")._base_manager
        assert record.count() == 4  # two matters, one service, one fulfilled claim
        micro = new.get_model("teams", "MicroMatter")._base_manager
        one = record.get(pk=micro.get(pk=confirmed.pk).matter_id)
        assert (one.person_id, one.category, one.hours, one.people_served) == (
            person.pk,
            "repair",
            Decimal("2.5"),
            4,
        )
        assert (one.source, one.confirmed_via, one.unit_id) == (
            "teams",
            "captain",
            county.member_unit.pk,
        )
        two = record.get(pk=micro.get(pk=waiting.pk).matter_id)
        assert two.confirmed_at is None and two.confirmed_via == ""
        services = new.get_model("education", "CommunityService")._base_manager
        three = record.get(pk=services.get(pk=service.pk).matter_id)
        assert (three.source, three.category, three.hours, three.confirmed_via) == (
            "community",
            "service",
            Decimal(3),
            "community",
        )
        assert three.place == "东城社区" and three.confirmed_at is not None
        claims = new.get_model("wishes", "Claim")._base_manager
        four = record.get(pk=claims.get(pk=fulfilled.pk).matter_id)
        assert (four.source, four.category, four.done_on, four.description) == (
            "wish",
            "wish",
            DAY,
            "已修复",
        )
        assert claims.get(pk=open_claim.pk).matter_id is None
        # and back: the mechanisms' own fields again
        back = _migrate(BEFORE)
        again = back.get_model("teams", "MicroMatter")._base_manager.get(pk=confirmed.pk)
        assert (again.description, again.hours, again.confirmed_at is not None) == (
            "修理路灯",
            Decimal("2.5"),
            True,
        )
        service_back = back.get_model("education", "CommunityService")._base_manager.get(
            pk=service.pk
        )
        assert service_back.confirmed and not service_back.practical_matter
        claim_back = back.get_model("wishes", "Claim")._base_manager.get(pk=fulfilled.pk)
        assert (claim_back.fulfilled_on, claim_back.note) == (DAY, "已修复")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
