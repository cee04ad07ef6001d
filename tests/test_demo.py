"""`load_demo` builds a county like Shiquan's, once, and only on a development machine."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from portal.demo import DEMO_PASSWORD
from zones.constants import Grade, MembershipRole
from zones.models import Membership, Unit, Zone
from zones.selectors import today, unit_grade_on, zone_lead_on, zone_leader_on, zone_members_on


def table_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)


def test_demo_county_has_ten_zones_with_first_class_leads(demo):
    day = today()
    zones = list(Zone.objects.all())
    assert len(zones) == 10
    for zone in zones:
        lead = zone_lead_on(zone=zone, day=day)
        assert lead is not None, zone
        assert unit_grade_on(unit=lead, day=day) == Grade.FIRST
        assert zone_leader_on(zone=zone, day=day) is not None
        assert zone_members_on(zone=zone, day=day).count() >= 5
    assert 85 <= Unit.objects.filter(kind="organ").count() <= 100
    assert Unit.objects.exclude(kind="organ").count() >= 3


def test_demo_zones_follow_the_article(demo):
    day = today()
    assert zone_lead_on(zone=Zone.objects.get(number=8), day=day).name == "县农业农村局"
    assert zone_lead_on(zone=Zone.objects.get(number=5), day=day).name == "县教育和体育局"
    zone5 = {u.name for u in zone_members_on(zone=Zone.objects.get(number=5), day=day)}
    assert {"团县委", "县妇联"} <= zone5
    zone10 = {u.name for u in zone_members_on(zone=Zone.objects.get(number=10), day=day)}
    assert {"石泉经开区", "县经济贸易局", "县司法局"} <= zone10


def test_demo_has_history_and_a_realistic_class_mix(demo):
    assert Membership.objects.filter(effective_to__isnull=False).count() >= 4
    assert Membership.objects.filter(role=MembershipRole.LEAD, effective_to__isnull=False).exists()
    grades = [unit_grade_on(unit=u, day=today()) for u in Unit.objects.filter(kind="organ")]
    assert {Grade.FIRST, Grade.SECOND, Grade.THIRD} <= set(grades)


def test_demo_accounts_sign_in_and_have_their_roles(demo):
    for username in ("admin", "staff", "leader", "lead", "secretary"):
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    zone10 = Zone.objects.get(number=10)
    leader = authenticate(username="leader", password=DEMO_PASSWORD)
    assert zone_leader_on(zone=zone10, day=today()) == leader
    lead = authenticate(username="lead", password=DEMO_PASSWORD)
    assert lead.unit_posts.get().unit == zone_lead_on(zone=zone10, day=today())
    secretary = authenticate(username="secretary", password=DEMO_PASSWORD)
    unit = secretary.unit_posts.get().unit
    assert unit in zone_members_on(zone=zone10, day=today()) and unit != zone_lead_on(
        zone=zone10, day=today()
    )


def test_running_load_demo_twice_changes_nothing(demo):
    before = table_counts()
    call_command("load_demo", verbosity=0)
    assert table_counts() == before


def test_load_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", verbosity=0)
    assert Zone.objects.count() == 0
