"""The benchmark data generator (`generate_load`, bench.loadgen): deterministic for a seed,
every rectification state, and it refuses a database that already has an organization."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from activities.models import Activity, Attachment, HostSlot
from bench import loadgen
from notifications.models import Notification
from supervision.constants import FindingState
from supervision.models import Finding, MutualCheck, PatrolRound, ScoreLine
from tests.factories import ZoneFactory
from zones.models import Membership, Unit, UnitPost, Zone

DAY = datetime.date(2026, 11, 28)


def _snapshot() -> dict:
    return {
        "units": list(Unit.objects.order_by("name").values_list("name", "name_initials")),
        "zones": list(Zone.objects.order_by("number").values_list("number", "name")),
        "secretaries": list(
            UnitPost.objects.order_by("user__username").values_list(
                "user__username", "user__full_name", "unit__name"
            )
        ),
        "activities": list(
            Activity.objects.order_by("zone__number", "month").values_list(
                "zone__number", "month", "date", "title", "state", "host_unit__name"
            )
        ),
        "findings": list(
            Finding.objects.order_by(
                "raised_on", "description", "state", "responsible_unit__name", "deadline"
            ).values_list("responsible_unit__name", "raised_on", "deadline", "state")
        ),
    }


@pytest.mark.django_db
def test_same_seed_gives_the_same_data(fixed_today):
    fixed_today(DAY)
    first = loadgen.generate(scale=1, seed=7, years=1)
    snapshot = _snapshot()
    loadgen.reset()
    assert not Zone.objects.exists() and not Activity.objects.exists()
    second = loadgen.generate(scale=1, seed=7, years=1)
    assert first.counts == second.counts
    assert _snapshot() == snapshot
    loadgen.reset()
    loadgen.generate(scale=1, seed=8, years=1)
    assert _snapshot()["activities"] != snapshot["activities"]


@pytest.mark.django_db
def test_scale_multiplies_the_demo_county(fixed_today):
    fixed_today(DAY)
    result = loadgen.generate(scale=2, seed=1, years=1)
    assert Zone.objects.count() == 20
    assert Unit.objects.count() == 180
    assert UnitPost.objects.count() == 180
    assert Membership.objects.filter(effective_to__isnull=True).count() == 180
    # a host for every zone-month of the year, an activity for most months so far
    assert HostSlot.objects.count() == 20 * 12
    assert 20 * 8 < Activity.objects.count() <= 20 * 11
    assert Attachment.objects.exists() and ScoreLine.objects.exists()
    assert MutualCheck.objects.count() == 20 * 4
    assert PatrolRound.objects.count() == 2
    assert Notification.objects.count() == result.counts["notifications"] > 0
    assert result.counts["units"] == 180


@pytest.mark.django_db
def test_findings_in_every_state_and_some_overdue(fixed_today):
    fixed_today(DAY)
    loadgen.generate(scale=1, seed=3, years=1)
    states = set(Finding.objects.values_list("state", flat=True))
    assert states == set(FindingState.values)
    overdue = Finding.objects.filter(deadline__lt=DAY).exclude(state=FindingState.CLOSED)
    assert overdue.exists()
    assert not Finding.objects.filter(raised_on__isnull=False, deadline__isnull=True).exists()


@pytest.mark.django_db
def test_refuses_a_database_with_zones_and_changes_nothing(fixed_today):
    fixed_today(DAY)
    ZoneFactory(number=1, name="第一片区")
    with pytest.raises(loadgen.DatabaseNotEmpty):
        loadgen.generate(scale=1, seed=1, years=1)
    with pytest.raises(CommandError, match="already has zones"):
        call_command("generate_load", "--scale", "1", "--years", "1")
    assert Zone.objects.count() == 1
    assert not Unit.objects.exists() and not Activity.objects.exists()


@pytest.mark.django_db
def test_reset_replaces_the_existing_organization(fixed_today):
    fixed_today(DAY)
    ZoneFactory(number=1, name="第一片区")
    call_command("generate_load", "--scale", "1", "--years", "1", "--reset", stdout=io.StringIO())
    assert Zone.objects.count() == 10
    assert not Zone.objects.filter(name="第一片区").exists()


@pytest.mark.django_db
def test_refuses_a_scale_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_load", "--scale", "0")
    assert not Zone.objects.exists()
