"""The host rotation in the database: generated per year, replanned after reassignments
without touching the past or the current month, swapped by hand only when fair."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from activities import services
from activities.models import HostSlot
from activities.rotation import fairness_problems
from activities.services import _members_by_month
from tests.activities.factories import hosts
from zones import services as zone_services


def assert_fair(zone):
    months = sorted(hosts(zone))
    members = _members_by_month(zone, months)
    plan = hosts(zone)
    assert fairness_problems([members[m] for m in months], [plan[m] for m in months]) == []


def test_a_year_gets_one_host_a_month_rotating_through_the_members(county):
    services.rotation_generate_year(zone=county.zone_a, year=2026)
    plan = hosts(county.zone_a, 2026)
    assert len(plan) == 12
    units = [county.lead_unit.pk, county.member_unit.pk, county.member_unit_2.pk]
    assert set(plan.values()) == set(units)
    values = list(plan.values())
    assert all(values[i] != values[i + 1] for i in range(11))
    assert_fair(county.zone_a)


def test_the_rotation_carries_across_the_year_boundary(county):
    services.rotation_generate_year(zone=county.zone_a, year=2026)
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    values = list(hosts(county.zone_a).values())
    # three members: every run of three consecutive months has three different hosts
    assert all(len(set(values[i : i + 3])) == 3 for i in range(len(values) - 2))


def test_generating_twice_changes_nothing(county):
    assert services.rotation_generate_next_year(year=2027)
    before = hosts(county.zone_a)
    assert services.rotation_generate_next_year(year=2027) == 0
    assert hosts(county.zone_a) == before


def test_a_reassignment_replans_only_months_after_the_current_one(county):
    services.rotation_generate_year(zone=county.zone_a, year=2026)
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    # zone B's forestry bureau joins zone A from December
    zone_services.unit_reassign(
        unit=county.other_unit,
        zone=county.zone_a,
        effective_on=datetime.date(2026, 12, 1),
        reason="工作需要",
    )
    after = hosts(county.zone_a)
    for month, unit in before.items():
        if month <= datetime.date(2026, 11, 1):
            assert after[month] == unit, month  # the past and the current month stay
    future = [after[m] for m in sorted(after) if m > datetime.date(2026, 11, 1)]
    assert future[0] == county.other_unit.pk  # the newcomer hosts before anyone hosts twice
    assert_fair(county.zone_a)
    # and it leaves zone B's future
    assert county.other_unit.pk not in hosts(county.zone_b).values()


def test_a_unit_leaving_is_taken_out_of_future_months(county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    zone_services.unit_reassign(
        unit=county.member_unit_2,
        zone=county.zone_b,
        effective_on=datetime.date(2027, 1, 1),
        reason="工作需要",
    )
    plan = hosts(county.zone_a, 2027)
    assert county.member_unit_2.pk not in plan.values()
    assert_fair(county.zone_a)


def test_the_order_decides_who_goes_first(county):
    order = [county.member_unit_2.pk, county.lead_unit.pk, county.member_unit.pk]
    services.rotation_set_order(zone=county.zone_a, unit_ids=order)
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    assert list(hosts(county.zone_a, 2027).values())[:3] == order


def test_an_order_missing_a_member_is_refused(county):
    with translation.override("en"), pytest.raises(ValidationError, match="every current member"):
        services.rotation_set_order(zone=county.zone_a, unit_ids=[county.lead_unit.pk])


def swap(zone, a, b):
    return services.rotation_swap(zone=zone, first=a, second=b)


def test_two_months_of_the_same_round_swap(county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    jan, feb = datetime.date(2027, 1, 1), datetime.date(2027, 2, 1)
    swap(county.zone_a, jan, feb)
    after = hosts(county.zone_a)
    assert (after[jan], after[feb]) == (before[feb], before[jan])
    assert HostSlot.objects.get(zone=county.zone_a, month=jan).swapped
    assert_fair(county.zone_a)


@pytest.mark.parametrize(
    "a, b, message",
    [
        ((2026, 11), (2027, 1), "has begun or is over"),
        ((2026, 3), (2027, 1), "has begun or is over"),
        ((2027, 1), (2027, 1), "two different months"),
        ((2027, 1), (2027, 4), "Both months have the same host"),
        ((2027, 1), (2029, 1), "has no host yet"),
        ((2027, 3), (2027, 4), "every member hosts once before any hosts twice"),
    ],
)
def test_unfair_or_impossible_swaps_are_refused_and_change_nothing(county, a, b, message):
    for year in (2026, 2027):
        services.rotation_generate_year(zone=county.zone_a, year=year)
    before = hosts(county.zone_a)
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        swap(county.zone_a, datetime.date(*a, 1), datetime.date(*b, 1))
    assert hosts(county.zone_a) == before


def test_a_swap_with_a_unit_that_is_no_longer_a_member_is_refused(county):
    order = [county.member_unit.pk, county.lead_unit.pk, county.member_unit_2.pk]
    services.rotation_set_order(zone=county.zone_a, unit_ids=order)
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    assert hosts(county.zone_a)[datetime.date(2027, 1, 1)] == county.member_unit.pk
    zone_services.unit_reassign(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_on=datetime.date(2027, 6, 1),
        reason="工作需要",
    )
    before = hosts(county.zone_a)
    with translation.override("en"), pytest.raises(ValidationError, match="not a member"):
        swap(county.zone_a, datetime.date(2027, 1, 1), datetime.date(2027, 7, 1))
    assert hosts(county.zone_a) == before


# ---- pages


@pytest.mark.parametrize("persona", ["lead_secretary", "staff"])
def test_the_lead_unit_or_staff_swap_through_the_page(client, county, persona):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    client.force_login(getattr(county, persona))
    url = reverse("activities:rotation_swap", args=[county.zone_a.pk])
    assert client.post(url, {"first": "2027-01-01", "second": "2027-02-01"}).status_code == 302
    assert hosts(county.zone_a)[datetime.date(2027, 1, 1)] == before[datetime.date(2027, 2, 1)]


@pytest.mark.parametrize(
    "persona, status", [("secretary", 403), ("leader", 403), ("other_secretary", 403)]
)
def test_others_may_not_change_the_rotation(client, county, persona, status):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    client.force_login(getattr(county, persona))
    swap_url = reverse("activities:rotation_swap", args=[county.zone_a.pk])
    order_url = reverse("activities:rotation_order", args=[county.zone_a.pk])
    assert (
        client.post(swap_url, {"first": "2027-01-01", "second": "2027-02-01"}).status_code == status
    )
    assert client.post(order_url, {}).status_code == status
    assert client.post(reverse("activities:rotation_generate")).status_code == 403
    assert hosts(county.zone_a) == before


def test_a_refused_swap_shows_the_reason(client, county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    client.force_login(county.lead_secretary)
    response = client.post(
        reverse("activities:rotation_swap", args=[county.zone_a.pk]),
        {"first": "2027-03-01", "second": "2027-04-01"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "every member hosts once before any hosts twice" in response.content.decode()


def test_the_lead_unit_sets_the_order_through_the_page(client, county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    client.force_login(county.lead_secretary)
    page = client.get(reverse("activities:rotation", args=[county.zone_a.pk]), {"year": 2027})
    assert page.status_code == 200 and 'id="order-form"' in page.content.decode()
    client.post(
        reverse("activities:rotation_order", args=[county.zone_a.pk]),
        {
            f"unit_{county.member_unit_2.pk}": 1,
            f"unit_{county.member_unit.pk}": 2,
            f"unit_{county.lead_unit.pk}": 3,
        },
    )
    assert hosts(county.zone_a)[datetime.date(2027, 1, 1)] == county.member_unit_2.pk
    assert_fair(county.zone_a)


def test_staff_generate_next_year_from_the_grid(client, county):
    client.force_login(county.staff)
    response = client.post(reverse("activities:rotation_generate"))
    assert response.status_code == 302
    assert len(hosts(county.zone_a, 2027)) == 12 and len(hosts(county.zone_b, 2027)) == 12


def test_the_rotation_page_is_read_only_for_a_member_secretary(client, county):
    services.rotation_generate_year(zone=county.zone_a, year=2026)
    client.force_login(county.secretary)
    page = client.get(reverse("activities:rotation", args=[county.zone_a.pk]), {"year": 2026})
    assert page.status_code == 200
    assert county.lead_unit.name in page.content.decode()
    assert 'id="swap-form"' not in page.content.decode()
    assert client.get(reverse("activities:rotation", args=[999])).status_code == 404
    assert (
        client.get(reverse("activities:rotation_swap", args=[county.zone_a.pk])).status_code == 405
    )


def test_the_background_task_generates_next_year_once(county):
    from activities.tasks import generate_next_year_rotation

    assert generate_next_year_rotation(2027) == 24
    assert generate_next_year_rotation(2027) == 0
    assert len(hosts(county.zone_b, 2027)) == 12


def test_a_refused_swap_keeps_the_two_months_as_typed(client, county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    client.force_login(county.lead_secretary)
    response = client.post(
        reverse("activities:rotation_swap", args=[county.zone_a.pk]),
        {"first": "2027-03-01", "second": "2027-04-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="2027-03-01"' in page and 'value="2027-04-01"' in page
    rotation_url = reverse("activities:rotation", args=[county.zone_a.pk])
    assert f'href="{rotation_url}?year=2028"' in page  # not the swap address, which only posts
    assert hosts(county.zone_a) == before


def test_a_swap_without_two_months_comes_back_with_the_form(client, county):
    services.rotation_generate_year(zone=county.zone_a, year=2027)
    before = hosts(county.zone_a)
    client.force_login(county.lead_secretary)
    response = client.post(
        reverse("activities:rotation_swap", args=[county.zone_a.pk]),
        {"first": "2027-03-01", "second": "in March"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and 'value="2027-03-01"' in response.content.decode()
    assert hosts(county.zone_a) == before
