"""Notifications: written once per key, delivered through the channels each person chose,
emailed exactly once, and readable only by their recipient."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.constants import Kind
from notifications.models import Notification, Preference
from notifications.services import Message, notifications_send


def message(
    user, kind=Kind.FINDING_DUE_SOON, subject="finding:1", period="2026-10-10", title="整改即将到期"
):
    return Message(user.pk, kind, subject, period, title, "请按期完成整改。", "/supervision/")


def test_the_same_key_twice_writes_one_notification(county):
    first = notifications_send([message(county.secretary)])
    second = notifications_send([message(county.secretary)])
    assert len(first) == 1 and second == []
    assert Notification.objects.filter(recipient=county.secretary).count() == 1


def test_another_period_or_subject_is_a_new_notification(county):
    notifications_send([message(county.secretary), message(county.secretary, period="2026-10-17")])
    notifications_send([message(county.secretary, subject="finding:2")])
    assert Notification.objects.filter(recipient=county.secretary).count() == 3


def test_fan_out_costs_a_fixed_number_of_queries(county, django_assert_max_num_queries):
    from tests.factories import UserFactory

    users = [UserFactory() for _ in range(60)]
    # preferences, insert, read back the new rows (inside a savepoint pair)
    with django_assert_max_num_queries(6):
        created = notifications_send([message(u) for u in users])
    assert len(created) == 60


def test_default_channel_is_in_app_without_email(county):
    county.secretary.email = "sec@example.org"
    county.secretary.save()
    n = services.notification_send(
        recipient=county.secretary,
        kind=Kind.ZONE_GAP,
        subject="zone:1",
        period="2026-10",
        title="t",
    )
    assert n.in_app and not n.email_wanted


def test_a_user_who_wants_email_gets_exactly_one_email_even_if_the_task_runs_twice(county):
    county.secretary.email = "sec@example.org"
    county.secretary.save()
    Preference.objects.create(
        user=county.secretary, kind=Kind.FINDING_OVERDUE, in_app=False, email=True
    )
    n = services.notification_send(
        recipient=county.secretary,
        kind=Kind.FINDING_OVERDUE,
        subject="finding:3",
        period="2026-W44",
        title="整改已逾期",
    )
    assert n.email_wanted and not n.in_app
    assert services.notification_email(notification_id=n.pk) is True
    assert services.notification_email(notification_id=n.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "整改已逾期"
    # Not shown in the centre: the user chose email only.
    assert Notification.objects.get(pk=n.pk).emailed_at is not None


def test_a_user_who_wants_nothing_gets_nothing(county):
    Preference.objects.create(user=county.secretary, kind=Kind.ZONE_GAP, in_app=False, email=False)
    assert (
        services.notification_send(
            recipient=county.secretary, kind=Kind.ZONE_GAP, subject="z", period="p", title="t"
        )
        is None
    )
    assert not Notification.objects.exists()


def test_a_failed_email_is_released_for_the_sweep(county, monkeypatch):
    county.secretary.email = "sec@example.org"
    county.secretary.save()
    Preference.objects.create(user=county.secretary, kind=Kind.ZONE_GAP, email=True)
    n = services.notification_send(
        recipient=county.secretary, kind=Kind.ZONE_GAP, subject="z", period="p", title="t"
    )

    def broken(**kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("notifications.services.send_mail", broken)
    with pytest.raises(OSError):
        services.notification_email(notification_id=n.pk)
    assert Notification.objects.get(pk=n.pk).emailed_at is None
    published = []
    monkeypatch.setattr(
        "notifications.services.publish", lambda task, *args: published.append(args) or True
    )
    Notification.objects.filter(pk=n.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.outbox_sweep() == 1
    assert published == [(n.pk,)]


def test_notification_centre_lists_only_my_notifications(client, county):
    notifications_send(
        [message(county.secretary, title="给书记"), message(county.other_secretary, title="给别人")]
    )
    client.force_login(county.secretary)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "给书记" in html and "给别人" not in html


def test_unread_count_shows_in_the_navigation_bar_and_clears_when_read(client, county):
    notifications_send([message(county.secretary), message(county.secretary, subject="finding:2")])
    client.force_login(county.secretary)
    html = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">2<' in html
    n = Notification.objects.filter(recipient=county.secretary).first()
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/supervision/"
    assert 'id="unread-count">1<' in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert 'id="unread-count"' not in client.get(reverse("home")).content.decode()


def test_someone_elses_notification_is_404(client, county):
    notifications_send([message(county.other_secretary)])
    n = Notification.objects.get()
    client.force_login(county.secretary)
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_marking_read_needs_post(client, county):
    notifications_send([message(county.secretary)])
    client.force_login(county.secretary)
    n = Notification.objects.get()
    assert client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_notification_pages_need_login(client, db):
    for name in ("notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_notification_link_to_another_host_is_not_followed(client, county):
    services.notification_send(
        recipient=county.secretary,
        kind=Kind.ZONE_GAP,
        subject="z",
        period="p",
        title="t",
        url="https://evil.example/",
    )
    client.force_login(county.secretary)
    n = Notification.objects.get()
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_preferences_are_saved_per_kind(client, county):
    client.force_login(county.secretary)
    data = {f"{k}__in_app": "on" for k in Kind.values}
    data[f"{Kind.FINDING_OVERDUE}__email"] = "on"
    del data[f"{Kind.WEEKLY_DIGEST}__in_app"]
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    pref = Preference.objects.get(user=county.secretary, kind=Kind.FINDING_OVERDUE)
    assert pref.in_app and pref.email
    digest = Preference.objects.get(user=county.secretary, kind=Kind.WEEKLY_DIGEST)
    assert not digest.in_app and not digest.email


def test_notification_list_query_count_is_fixed(client, county, django_assert_num_queries):
    client.force_login(county.secretary)
    notifications_send([message(county.secretary, subject=f"s{i}") for i in range(3)])
    client.get(reverse("notifications:list"))  # the reader's scope and menu, once (core.cache)
    # session, user, unread count, page count, page rows: the navigation's scope (does a
    # secretary read the member register?) is the reader's cached one
    with django_assert_num_queries(5):
        client.get(reverse("notifications:list"))
    notifications_send([message(county.secretary, subject=f"t{i}") for i in range(40)])
    with django_assert_num_queries(5):
        client.get(reverse("notifications:list"))
