"""The admin site, as the administrator uses it to reassign units, appoint lead units and
grade units; refusals come back on the intermediate page and change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import UnitGradeFactory
from tests.helpers import post_unit_action as post_action
from zones.constants import Grade
from zones.models import Membership, UnitGrade

D = datetime.date
CHANGELIST = reverse("admin:zones_unit_changelist")


def test_staff_reassigns_two_units_through_the_intermediate_page(client, county):
    client.force_login(county.staff)
    page = post_action(client, "reassign_units", [county.member_unit, county.member_unit_2])
    assert page.status_code == 200
    assert "Target zone" in page.content.decode() or "目标片区" in page.content.decode()

    response = post_action(
        client,
        "reassign_units",
        [county.member_unit, county.member_unit_2],
        confirm_past="2026-03-01",  # a date in the past, confirmed (see test_admin_moves.py)
        zone=county.zone_b.pk,
        effective_on="2026-03-01",
        reason="工作调整",
    )
    assert response.status_code == 302
    for unit in (county.member_unit, county.member_unit_2):
        assert Membership.objects.get(unit=unit, effective_to__isnull=True).zone == county.zone_b


def test_units_page_shows_both_memberships_with_dates_after_a_reassignment(client, county):
    client.force_login(county.staff)
    post_action(
        client,
        "reassign_units",
        [county.member_unit],
        confirm_past="2026-03-01",
        zone=county.zone_b.pk,
        effective_on="2026-03-01",
        reason="工作调整",
    )
    page = client.get(reverse("admin:zones_unit_change", args=[county.member_unit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count(county.zone_a.name) >= 1 and html.count(county.zone_b.name) >= 1
    assert "2026" in html and "2025" in html
    assert Membership.objects.filter(unit=county.member_unit).count() == 2


def test_refused_reassignment_shows_the_reason_and_changes_nothing(client, county):
    client.force_login(county.staff)
    before = list(Membership.objects.values_list("id", "effective_to"))
    response = post_action(
        client,
        "reassign_units",
        [county.member_unit, county.lead_unit],
        apply="1",
        zone=county.zone_b.pk,
        effective_on="2026-03-01",
        reason="工作调整",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "refusal" in html and county.lead_unit.name in html
    assert list(Membership.objects.values_list("id", "effective_to")) == before


def test_reassignment_form_requires_a_date(client, county):
    client.force_login(county.staff)
    before = Membership.objects.count()
    response = post_action(
        client,
        "reassign_units",
        [county.member_unit],
        apply="1",
        zone=county.zone_b.pk,
        effective_on="",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_on"]
    assert Membership.objects.count() == before


def test_appointing_a_lead_that_is_not_first_class_is_refused_on_the_page(client, county):
    client.force_login(county.staff)
    response = post_action(
        client,
        "appoint_as_lead",
        [county.member_unit],
        apply="1",
        effective_on="2026-03-01",
        reason="轮换",
    )
    assert response.status_code == 200
    assert "first class" in response.content.decode() or "一类" in response.content.decode()
    assert Membership.objects.get(unit=county.lead_unit, effective_to__isnull=True).role == "lead"


def test_appointing_a_first_class_member_as_lead(client, county):
    UnitGradeFactory(unit=county.member_unit, grade=Grade.FIRST, effective_from=D(2026, 1, 1))
    client.force_login(county.staff)
    response = post_action(
        client,
        "appoint_as_lead",
        [county.member_unit],
        confirm_past="2026-03-01",
        effective_on="2026-03-01",
        reason="轮换",
    )
    assert response.status_code == 302
    assert Membership.objects.get(unit=county.member_unit, effective_to__isnull=True).role == "lead"


def test_setting_the_class_of_units(client, county):
    client.force_login(county.staff)
    response = post_action(
        client,
        "set_grade",
        [county.member_unit],
        confirm_past="2026-03-01",
        grade="1",
        effective_on="2026-03-01",
        reason="半年考评进位",
    )
    assert response.status_code == 302
    assert UnitGrade.objects.filter(unit=county.member_unit, grade=Grade.FIRST).exists()


def test_changing_a_zones_guiding_leader_refuses_a_non_leader(client, county):
    client.force_login(county.staff)
    response = client.post(
        reverse("admin:zones_zone_changelist"),
        {
            "action": "change_leader",
            ACTION_CHECKBOX_NAME: [county.zone_a.pk],
            "apply": "1",
            "leader": county.secretary.pk,
            "effective_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["leader"]


def test_unit_list_filters_by_zone_and_class(client, county):
    client.force_login(county.staff)
    page = client.get(CHANGELIST, {"zone": county.zone_b.pk})
    names = [u.name for u in page.context["cl"].result_list]
    assert sorted(names) == sorted([county.other_lead_unit.name, county.other_unit.name])
    page = client.get(CHANGELIST, {"grade": Grade.FIRST})
    names = [u.name for u in page.context["cl"].result_list]
    assert sorted(names) == sorted([county.lead_unit.name, county.other_lead_unit.name])


def test_history_cannot_be_edited_by_hand_in_the_admin(client, county):
    client.force_login(county.staff)
    membership = Membership.objects.first()
    assert (
        client.get(reverse("admin:zones_membership_change", args=[membership.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("admin:zones_membership_change", args=[membership.pk]),
        {"effective_from": "2020-01-01"},
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:zones_membership_add")).status_code == 403


@pytest.mark.parametrize("persona", ["secretary", "lead_secretary", "leader", "outsider"])
def test_the_admin_is_closed_to_everyone_but_staff(client, county, persona):
    client.force_login(getattr(county, persona))
    response = client.get(CHANGELIST)
    assert response.status_code == 403
    response = post_action(
        client,
        "reassign_units",
        [county.member_unit],
        apply="1",
        zone=county.zone_b.pk,
        effective_on="2026-03-01",
    )
    assert response.status_code == 403
    assert Membership.objects.filter(unit=county.member_unit).count() == 1


def test_the_admin_index_lists_the_mechanisms_records_first_and_the_scheduler_last(client, county):
    client.force_login(county.staff)
    response = client.get(reverse("admin:index"))
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[:3] == ["zones", "activities", "supervision"]
    assert labels[-1] == "django_celery_beat"
    html = response.content.decode()
    assert "定时任务（系统）" in html
    # The sidebar of every admin page follows the same order.
    page = client.get(CHANGELIST).content.decode()
    assert page.index('"app-zones ') < page.index('"app-django_celery_beat ')
    assert page.index('"app-activities ') < page.index('"app-django_celery_beat ')
