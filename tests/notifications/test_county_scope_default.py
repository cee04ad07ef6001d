"""A notification written without a county takes its recipient's, so the recipient sees it in
their county's scope (the unread count beside the menu button, the list)."""

from __future__ import annotations

from django_scopes import scope

from notifications.constants import Kind
from notifications.models import Notification
from notifications.selectors import unread_count


def test_a_notification_written_without_a_county_is_seen_in_the_recipients_county(county):
    made = Notification.objects.create(
        recipient=county.secretary,
        kind=Kind.ACTIVITY_RETURNED,
        subject="activity:1",
        period="2026-11",
        title="活动被退回",
    )
    assert made.county_id == county.secretary.county_id is not None
    with scope(county=county.secretary.county_id):
        assert unread_count(county.secretary) == 1
