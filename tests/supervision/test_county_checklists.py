"""Checklists and class thresholds per county (issue 15): the city has a default checklist (no
county); a county copies it with one action and edits its own copy, which its checks use; a
county that opens its first check with none of its own gets the copy. The class review applies
each unit's county's thresholds."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from core.constants import Role
from counties.scoping import county_scope
from supervision import services
from supervision.models import ChecklistTemplate, ClassReviewThreshold, Criterion
from supervision.selectors import class_review
from tests.factories import CountyFactory, UserFactory, ZoneFactory, unit_in_zone
from tests.supervision.conftest import fill
from zones.constants import Grade


@pytest.fixture
def shiquan(county):
    return county.zone_a.county


@pytest.fixture
def langao(db):
    return CountyFactory(code="610925", name="岚皋县", short_name="岚皋")


@pytest.fixture
def city_default(db):
    """The city's default checklist (the migrations make it; a flushed database makes it
    here, as a first check would)."""
    found = ChecklistTemplate.city_defaults().filter(is_active=True).first()
    return found or services._create_default_template()


def _texts(template) -> list[str]:
    return list(
        Criterion.objects.filter(group__template=template)
        .order_by("group__position", "position", "pk")
        .values_list("text", flat=True)
    )


def test_a_countys_first_check_uses_its_own_copy_of_the_citys_default(
    county, shiquan, city_default, today
):
    check = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=4, by=county.lead_secretary, rng=random.Random(1)
    )
    own = check.template
    assert own.county == shiquan and own.based_on == city_default and own.is_active
    assert _texts(own) == _texts(city_default)
    city_default.refresh_from_db()
    assert city_default.is_active  # the city's default stays, for the other counties


def test_a_countys_edits_are_its_own_and_its_checks_use_them(
    county, shiquan, langao, city_default, today
):
    own = services.checklist_copy_default(county_id=shiquan.pk)
    Criterion.objects.filter(group__template=own).update(text="石泉县的要求")
    check = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=4, by=county.lead_secretary, rng=random.Random(1)
    )
    assert check.template == own
    assert {line.text for line in check.sheets.first().lines.all()} == {"石泉县的要求"}
    # 岚皋县's first check gets its own copy of the city's default, untouched by 石泉县's edits
    zone = ZoneFactory(county=langao, number=1, name="岚皋第一片区")
    for name in ("岚皋县委办", "岚皋县司法局", "岚皋县财政局"):
        unit_in_zone(zone, county=langao, name=name, lead=name == "岚皋县委办")
    theirs = services.mutual_check_create(
        zone=zone, year=2026, quarter=4, by=county.staff, rng=random.Random(1)
    ).template
    assert theirs.county == langao and _texts(theirs) == _texts(city_default)
    with county_scope(langao):  # scoped: 岚皋县 sees its own templates only
        assert list(ChecklistTemplate.objects.all()) == [theirs]


def test_copying_again_starts_afresh_and_retires_the_countys_other_templates(shiquan, city_default):
    first = services.checklist_copy_default(county_id=shiquan.pk)
    second = services.checklist_copy_default(county_id=shiquan.pk)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert not first.is_active and second.is_active and second.county == shiquan
    assert services.active_template(county=shiquan.pk) == second


def test_a_new_version_stays_in_its_county(shiquan, city_default):
    own = services.checklist_copy_default(county_id=shiquan.pk)
    new = services.template_new_version(template=own)
    assert new.county == shiquan and new.version == 2
    city_default.refresh_from_db()
    assert city_default.is_active  # the city's default is not the county's to retire


# --- the admin ------------------------------------------------------------------------------


def _admin(name, *args):
    return reverse(f"admin:supervision_checklisttemplate_{name}", args=args)


def test_county_staff_copy_the_citys_default_with_one_action_and_edit_only_their_own(
    client, county, shiquan, city_default
):
    client.force_login(county.staff)
    listed = client.get(_admin("changelist"))
    assert listed.status_code == 200 and city_default in listed.context["cl"].result_list
    done = client.post(
        _admin("changelist"),
        {"action": "copy_into_my_county", "_selected_action": [city_default.pk]},
    )
    assert done.status_code == 302
    own = ChecklistTemplate.objects.get(county=shiquan)
    assert own.based_on == city_default and _texts(own) == _texts(city_default)
    assert client.get(_admin("change", own.pk)).status_code == 200
    # the city's default: read, not changed
    assert client.get(_admin("change", city_default.pk)).status_code == 200
    assert client.post(_admin("change", city_default.pk), {"name": "改"}).status_code == 403
    city_default.refresh_from_db()
    assert city_default.name != "改"


def test_another_countys_staff_get_404_for_a_countys_checklist(
    client, shiquan, langao, city_default
):
    own = services.checklist_copy_default(county_id=shiquan.pk)
    client.force_login(UserFactory(role=Role.STAFF, is_staff=True, county=langao))
    assert client.get(_admin("change", own.pk)).status_code == 404
    assert client.post(_admin("change", own.pk), {"name": "改"}).status_code == 404
    listed = client.get(_admin("changelist")).context["cl"].result_list
    assert own not in listed and city_default in listed


# --- class thresholds -----------------------------------------------------------------------


def test_the_class_review_applies_the_units_countys_thresholds(county, shiquan, published_check):
    rows = {r.unit.pk: r for r in class_review(year=2026, half=2)}
    assert rows[county.member_unit.pk].score_percent == Decimal("80.0")
    assert rows[county.member_unit.pk].suggested == Grade.SECOND  # the defaults: first at 90
    ClassReviewThreshold.objects.create(county=shiquan, first_min_score=80, first_max_overdue=1)
    rows = {r.unit.pk: r for r in class_review(year=2026, half=2)}
    assert rows[county.member_unit.pk].suggested == Grade.FIRST


# --- a county's own working days --------------------------------------------------------------


def test_a_findings_deadline_counts_its_countys_own_days_off(county, shiquan, check_a):
    import datetime

    from core import workdays
    from counties.models import CalendarOverride

    sheet = check_a.sheets.get(checked_unit=county.member_unit)
    finding = services.finding_record(
        sheet=sheet, description="三会一课记录不全", severity="general", by=county.staff
    )
    for s in check_a.sheets.all():
        fill(s, county.staff, fraction=0.8)
    # Tuesday 2026-12-01: a day off in 石泉县 only
    CalendarOverride.objects.create(
        county=shiquan, date=datetime.date(2026, 12, 1), is_workday=False
    )
    with county_scope(shiquan):  # as on the lead secretary's page
        services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    finding.refresh_from_db()
    shared = workdays.add_workdays(finding.raised_on, finding.workdays_allowed)
    assert finding.deadline == workdays.add_workdays(shared, 1)  # one working day later
