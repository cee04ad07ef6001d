"""The database itself keeps the organization's invariants, even when the services are bypassed
(raw ORM writes, a buggy script, two administrators at once)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.factories import MembershipFactory, UnitFactory, ZoneLeadershipFactory
from zones.constants import MembershipRole

D = datetime.date


def test_a_unit_cannot_have_two_open_memberships(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(unit=county.member_unit, zone=county.zone_b, effective_from=D(2026, 1, 1))


def test_a_zone_cannot_have_two_open_leads(county):
    unit = UnitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(unit=unit, zone=county.zone_a, role=MembershipRole.LEAD)


def test_closed_memberships_may_repeat(county):
    MembershipFactory(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_from=D(2024, 1, 1),
        effective_to=D(2024, 6, 1),
    )
    MembershipFactory(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_from=D(2024, 6, 1),
        effective_to=D(2024, 12, 1),
    )


def test_a_membership_cannot_end_before_it_begins(county):
    unit = UnitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            unit=unit, zone=county.zone_b, effective_from=D(2026, 1, 1), effective_to=D(2025, 1, 1)
        )


def test_a_zone_cannot_have_two_open_guiding_leaders(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneLeadershipFactory(zone=county.zone_a)


def test_active_unit_names_are_unique_but_a_dissolved_name_may_be_reused(db):
    old = UnitFactory(name="县旅游局", is_active=False)
    UnitFactory(name="县旅游局")
    assert old.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(name="县旅游局")


@pytest.mark.postgres
def test_constraints_are_partial_unique_indexes_on_postgresql(county):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (set DATABASE_URL); CI does")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname IN "
            "('zones_membership_one_open_per_unit', 'zones_membership_one_open_lead_per_zone')"
        )
        defs = sorted(row[0] for row in cursor.fetchall())
    assert len(defs) == 2
    assert all("UNIQUE" in d and "WHERE" in d and "effective_to IS NULL" in d for d in defs)
