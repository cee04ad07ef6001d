"""The audit trail misses nothing an administrator does and no attempt to reach what lies outside
one's scope: every admin action (with its objects and reason) and every out-of-scope 404."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from audit.constants import Event, Outcome
from audit.models import AuditEvent
from tests.activities.factories import make_activity
from zones.models import Membership


@pytest.fixture(autouse=True)
def _today(fixed_today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fixed_today(datetime.date(2026, 11, 28))


def _admin_events():
    return list(AuditEvent.objects.filter(event=Event.ADMIN_ACTION).order_by("id"))


def _reassign(client, county, **data):
    return client.post(
        reverse("admin:zones_unit_changelist"),
        {
            "action": "reassign_units",
            ACTION_CHECKBOX_NAME: [county.member_unit.pk, county.member_unit_2.pk],
            **data,
        },
    )


def test_reassigning_units_through_the_admin_action_is_audited_with_objects_and_reason(
    client, county
):
    client.force_login(county.staff)
    _reassign(client, county)  # the intermediate page: nothing done, nothing recorded
    assert _admin_events() == []

    response = _reassign(
        client,
        county,
        apply="1",
        zone=county.zone_b.pk,
        effective_on="2026-11-01",
        confirm_past="2026-11-01",
        reason="机构改革调整",
    )

    assert response.status_code == 302
    [event] = _admin_events()
    assert event.username == "staff" and event.outcome == Outcome.SUCCESS
    assert "reassign_units" in event.detail and "机构改革调整" in event.detail
    assert "县司法局" in event.detail and "县财政局" in event.detail
    assert event.ip == "127.0.0.1"
    # Django's own admin history shows the action on each unit's page too.
    assert LogEntry.objects.filter(object_id=str(county.member_unit.pk)).count() == 1


def test_a_refused_admin_action_is_audited_as_a_failure_with_the_reason_of_the_refusal(
    client, county
):
    client.force_login(county.staff)
    response = _reassign(
        client,
        county,
        apply="1",
        zone=county.zone_a.pk,  # the zone they are already in
        effective_on="2026-11-01",
        confirm_past="2026-11-01",
        reason="误操作",
    )

    assert response.status_code == 200
    [event] = _admin_events()
    assert event.outcome == Outcome.FAILURE and "refused" in event.detail
    assert Membership.objects.filter(unit=county.member_unit, zone=county.zone_b).count() == 0


def test_deleting_several_records_with_the_admin_action_is_audited(client, county):
    from core.models import CalendarDay

    days = [
        CalendarDay.objects.create(date=datetime.date(2027, 1, d), is_workday=False) for d in (1, 2)
    ]
    client.force_login(county.staff)
    url = reverse("admin:core_calendarday_changelist")
    payload = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [d.pk for d in days]}
    client.post(url, payload)
    assert _admin_events() == []  # the confirmation page

    client.post(url, {**payload, "post": "yes"})

    assert CalendarDay.objects.count() == 0
    [event] = _admin_events()
    assert "delete_selected" in event.detail and "[2]" in event.detail
    assert event.username == "staff"


def test_lifting_lockouts_with_an_action_on_the_security_site_is_audited(client, administrators):
    from axes.models import AccessAttempt

    attempts = [
        AccessAttempt.objects.create(
            username=name, ip_address="10.0.0.9", user_agent="x", failures_since_start=5
        )
        for name in ("sec001", "sec002")
    ]
    client.force_login(administrators.security)
    url = reverse("security_admin:axes_accessattempt_changelist")
    payload = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [a.pk for a in attempts]}

    client.post(url, {**payload, "post": "yes"})

    assert AccessAttempt.objects.count() == 0
    [event] = _admin_events()
    assert event.username == "secadmin" and "security_admin" in event.detail
    assert all(f"#{a.pk} " in event.detail for a in attempts)


def test_a_secretary_asking_for_another_zones_activity_gets_404_and_the_attempt_is_audited(
    client, county
):
    activity = make_activity(unit=county.other_unit, by=county.other_secretary)
    client.force_login(county.secretary)

    page = client.get(reverse("activities:detail", args=[activity.pk]))
    post = client.post(reverse("activities:submit", args=[activity.pk]))

    assert page.status_code == 404 and post.status_code == 404
    denials = AuditEvent.objects.filter(event=Event.PERMISSION_DENIED, username="secretary")
    assert denials.count() == 2
    assert {e.outcome for e in denials} == {Outcome.DENIED}
    assert all(f"pk={activity.pk}" in e.detail and "404" in e.detail for e in denials)
    assert {e.path for e in denials} == {
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:submit", args=[activity.pk]),
    }


def test_a_missing_object_is_a_plain_404_and_not_audited(client, county):
    client.force_login(county.secretary)

    response = client.get(reverse("activities:detail", args=[999_999]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event=Event.PERMISSION_DENIED).exists()


def test_an_out_of_scope_404_reads_exactly_like_a_missing_object(client, county):
    activity = make_activity(unit=county.other_unit, by=county.other_secretary)
    client.force_login(county.secretary)

    hidden = client.get(reverse("activities:detail", args=[activity.pk]))
    missing = client.get(reverse("activities:detail", args=[999_999]))

    assert hidden.status_code == missing.status_code == 404
    # The page differs only where every page differs: its own address (the language switch's
    # "next") and the per-render CSRF mask.
    assert _without_address_and_token(hidden, activity.pk) == _without_address_and_token(
        missing, 999_999
    )


def _without_address_and_token(response, pk) -> str:
    import re

    text = response.content.decode().replace(f"/activities/{pk}/", "/activities/<pk>/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text)


def test_the_secretary_reading_their_own_activity_writes_no_denial(client, county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    client.force_login(county.secretary)

    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
    assert not AuditEvent.objects.filter(event=Event.PERMISSION_DENIED).exists()


def test_another_zones_unit_page_is_an_audited_404_too(client, county):
    client.force_login(county.secretary)
    response = client.get(reverse("unit_detail", args=[county.other_unit.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event=Event.PERMISSION_DENIED).count() == 1
