"""Zone and unit pages, and the navigation bar's search: each shown to who may see it, 404 to
who may not, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.constants import ActivityState
from tests.activities.factories import make_activity
from tests.factories import UnitFactory, ZoneFactory, unit_in_zone
from zones import services
from zones.models import Membership
from zones.selectors import units_with_state

D = datetime.date


@pytest.mark.parametrize("persona", ["staff", "leader", "lead_secretary", "secretary"])
def test_zone_page_is_shown_to_the_committee_and_the_zones_units(client, county, persona):
    client.force_login(getattr(county, persona))
    response = client.get(reverse("zone_detail", args=[county.zone_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert county.lead_unit.name in html and county.member_unit.name in html
    assert county.leader.full_name in html


@pytest.mark.parametrize("persona", ["other_secretary", "outsider"])
def test_zone_page_is_404_for_secretaries_of_other_zones(client, county, persona):
    client.force_login(getattr(county, persona))
    assert client.get(reverse("zone_detail", args=[county.zone_a.pk])).status_code == 404


def test_zone_and_unit_pages_need_login(client, county):
    for url in (
        reverse("zone_detail", args=[county.zone_a.pk]),
        reverse("unit_detail", args=[county.lead_unit.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_zone_page_shows_members_with_class_and_membership_changes(client, county):
    services.unit_reassign(
        unit=county.other_unit, zone=county.zone_a, effective_on=D(2026, 3, 1), reason="调整"
    )
    client.force_login(county.staff)
    response = client.get(reverse("zone_detail", args=[county.zone_a.pk]))
    members = {m.unit.name: m for m in response.context["members"]}
    assert county.other_unit.name in members
    assert members[county.lead_unit.name].grade == 1
    assert any(m.unit == county.other_unit for m in response.context["changes"])


def test_unit_page_shows_both_memberships_and_class_history(client, county):
    services.unit_reassign(
        unit=county.member_unit, zone=county.zone_b, effective_on=D(2026, 3, 1), reason="工作需要"
    )
    client.force_login(county.staff)
    response = client.get(reverse("unit_detail", args=[county.member_unit.pk]))
    assert [m.zone for m in response.context["memberships"]] == [county.zone_b, county.zone_a]
    assert len(response.context["grades"]) == 1
    # The zone today ("state") is read off the memberships: what units_with_state says.
    state = response.context["state"]
    expected = units_with_state().get(pk=county.member_unit.pk)
    assert (state.zone_id_on, state.zone_name_on) == (expected.zone_id_on, expected.zone_name_on)
    assert state.zone_id_on == county.zone_b.pk
    html = response.content.decode()
    assert f'href="{reverse("zone_detail", args=[county.zone_b.pk])}">{county.zone_b.name}' in html


def test_unit_page_of_a_unit_in_no_zone_today(client, county):
    services.unit_reassign(
        unit=county.member_unit, zone=county.zone_b, effective_on=D(2026, 3, 1), reason="工作需要"
    )
    Membership.objects.filter(unit=county.member_unit, effective_to__isnull=True).update(
        effective_to=D(2026, 4, 1)
    )
    client.force_login(county.staff)
    response = client.get(reverse("unit_detail", args=[county.member_unit.pk]))
    assert units_with_state().get(pk=county.member_unit.pk).zone_id_on is None
    assert response.context["state"].zone_id_on is None
    assert 'id="unit-zone">—</dd>' in response.content.decode()


def test_unit_page_masks_the_phone_for_everyone(client, county):
    county.member_unit.secretary_phone = "13891500001"
    county.member_unit.save()
    for persona in ("secretary", "staff"):
        client.force_login(getattr(county, persona))
        html = client.get(reverse("unit_detail", args=[county.member_unit.pk])).content.decode()
        assert "138****0001" in html and "13891500001" not in html
        assert (reverse("unit_phone", args=[county.member_unit.pk]) in html) == (persona == "staff")


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_the_committee_sees_the_full_number_and_the_look_is_audited(client, county, persona):
    from audit.constants import Event
    from audit.models import AuditEvent

    county.member_unit.secretary_phone = "13891500001"
    county.member_unit.save()
    client.force_login(getattr(county, persona))
    response = client.get(reverse("unit_phone", args=[county.member_unit.pk]))
    assert response.status_code == 200 and "13891500001" in response.content.decode()
    event = AuditEvent.objects.get(event=Event.PERSONAL_DATA)
    assert event.username == persona and str(county.member_unit.pk) in event.detail


@pytest.mark.parametrize(("persona", "status"), [("secretary", 403), ("other_secretary", 404)])
def test_secretaries_do_not_see_full_numbers_and_nothing_is_recorded(
    client, county, persona, status
):
    from audit.constants import Event
    from audit.models import AuditEvent

    county.member_unit.secretary_phone = "13891500001"
    county.member_unit.save()
    client.force_login(getattr(county, persona))
    response = client.get(reverse("unit_phone", args=[county.member_unit.pk]))
    assert response.status_code == status
    assert "13891500001" not in response.content.decode()
    assert not AuditEvent.objects.filter(event=Event.PERSONAL_DATA).exists()


def test_unit_page_is_404_outside_the_zone(client, county):
    client.force_login(county.other_secretary)
    assert client.get(reverse("unit_detail", args=[county.member_unit.pk])).status_code == 404
    client.force_login(county.outsider)
    assert client.get(reverse("unit_detail", args=[county.member_unit.pk])).status_code == 404


def test_search_finds_a_unit_by_pinyin_initials(client, county):
    unit = UnitFactory(name="县农业农村局测试", short_name="农业农村局")
    client.force_login(county.staff)
    response = client.get(reverse("search"), {"q": "nyj"})
    assert unit in response.context["units"]
    assert county.member_unit not in response.context["units"]
    response = client.get(reverse("search"), {"q": "司法"})
    assert county.member_unit in response.context["units"]


def test_search_only_finds_what_the_user_may_see(client, county):
    client.force_login(county.secretary)
    response = client.get(reverse("search"), {"q": "县"})
    names = {u.name for u in response.context["units"]}
    assert county.member_unit.name in names and county.other_unit.name not in names
    assert list(response.context["zones"]) == [] or set(response.context["zones"]) <= {
        county.zone_a
    }


def test_home_lists_only_visible_zones_for_a_secretary(client, county):
    client.force_login(county.secretary)
    zones = list(client.get(reverse("home")).context["zones"])
    # The rows carry only what the page prints (issue 20): the zone, its name and lead unit.
    assert [z["pk"] for z in zones] == [county.zone_a.pk]
    assert zones[0]["name"] == county.zone_a.name


def test_zone_and_unit_page_queries_do_not_grow_with_data(
    client, county, django_assert_num_queries
):
    client.force_login(county.staff)
    zone_url = reverse("zone_detail", args=[county.zone_a.pk])
    unit_url = reverse("unit_detail", args=[county.member_unit.pk])
    # session, user, zone, scope (posts, leaderships), one statement of its members (with
    # class), changes, leaderships, rotation, activities, checks and findings
    # (portal.selectors._zone_records_sql), unread count
    with django_assert_num_queries(7):
        client.get(zone_url)
    # session, user, unit (with the register's member count and its 书记 post, issue 16, as
    # subqueries: issue 20), one statement of its memberships (the zone today, the page's
    # "state", is the one in force), grades, posts, activities and findings
    # (portal.selectors._unit_records_sql), unread count; the reader's scope is the one the
    # zone page computed (cached per reader and day, core.cache's reader version)
    with django_assert_num_queries(5):
        client.get(unit_url)
    for _ in range(15):
        unit_in_zone(county.zone_a)
    for n in range(3, 8):
        unit_in_zone(ZoneFactory(number=n), lead=True)
    for day in range(1, 6):
        make_activity(
            unit=county.member_unit,
            by=county.secretary,
            date=D(2026, 10, day),
            state=ActivityState.CONFIRMED,
            reviewer=county.lead_secretary,
            photos=1,
        )
    services.unit_reassign(
        unit=county.member_unit, zone=county.zone_b, effective_on=D(2026, 11, 1), reason="工作需要"
    )
    # the reassignment moved the reader version: the zone page computes the scope afresh
    with django_assert_num_queries(7):
        client.get(zone_url)
    with django_assert_num_queries(5):
        client.get(unit_url)


def test_zone_and_unit_pages_show_activities_and_findings_to_who_may_read_them(
    client, county, finding
):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
        title="十月主题党日",
    )
    client.force_login(county.staff)
    zone = client.get(reverse("zone_detail", args=[county.zone_a.pk])).context
    assert [a.title for a in zone["activities"]] == ["十月主题党日"]
    assert [f.pk for f in zone["findings"]] == [finding.pk]
    assert len(zone["checks"]) == 1
    unit = client.get(reverse("unit_detail", args=[county.member_unit.pk])).context
    assert [f.pk for f in unit["findings"]] == [finding.pk] and len(unit["activities"]) == 1
    # A member unit's secretary sees the zone page but not another unit's finding.
    client.force_login(county.secretary)
    unit = client.get(reverse("unit_detail", args=[county.member_unit_2.pk])).context
    assert unit["findings"] == []


def test_search_finds_activities_by_title(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 10, 9), title="防汛清淤突击"
    )
    client.force_login(county.secretary)
    assert [
        a.title for a in client.get(reverse("search"), {"q": "清淤"}).context["activities"]
    ] == ["防汛清淤突击"]
    client.force_login(county.other_secretary)
    assert client.get(reverse("search"), {"q": "清淤"}).context["activities"] == []


def test_search_finds_activities_by_pinyin_initials(client, county, fixed_today):
    fixed_today(D(2026, 11, 28))
    make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 10, 9), title="防汛清淤突击"
    )
    client.force_login(county.secretary)
    found = client.get(reverse("search"), {"q": "fxqy"}).context["activities"]
    assert [a.title for a in found] == ["防汛清淤突击"]
