"""Notifications belong to a county (issue 15): each gets the county of its subject (the one in
scope when it is written, else its recipient's), the notifications are scoped like every county
record, and the reminders and the weekly digest run once per county that runs the zones
mechanism, in its scope, with its own lead times."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_scopes import ScopeError

from activities.constants import ActivityState
from core.constants import Role
from counties.scoping import county_scope, scoped_county_id
from notifications import reminders, tasks
from notifications.constants import Kind
from notifications.models import Notification, ReminderSettings
from notifications.services import Message, notifications_send
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UserFactory

D = datetime.date


@pytest.fixture
def shiquan(county):
    return county.zone_a.county


@pytest.fixture
def ziyang(db):
    """Another county, running no mechanism yet."""
    return CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])


@pytest.fixture
def langao(db):
    """Another county, running the zones mechanism."""
    return CountyFactory(code="610925", name="岚皋县", short_name="岚皋")


def _send(user, subject="finding:1", **fields):
    return notifications_send(
        [Message(user.pk, Kind.FINDING_DUE_SOON, subject, "p", "t", **fields)]
    )


def test_a_notification_takes_the_county_of_its_subject(county, shiquan, langao, administrators):
    theirs = UserFactory(role=Role.STAFF, county=langao)
    with county_scope(langao):  # written in a pass over 岚皋县: its subject is 岚皋县's
        (n,) = _send(theirs)
    assert n.county == langao
    (named,) = _send(county.secretary, subject="finding:2", county_id=langao.pk)
    assert named.county == langao  # a message that names its subject's county
    (own,) = _send(county.secretary, subject="finding:3")  # no scope: the recipient's county
    assert own.county == shiquan
    (deployment,) = _send(administrators.security, subject="lockout:x")
    assert deployment.county is None  # a deployment's matter to a deployment's person


def test_notifications_are_scoped(county, shiquan, langao):
    _send(county.secretary)
    with county_scope(langao):
        assert not Notification.objects.exists()
    with county_scope(shiquan):
        assert Notification.objects.count() == 1


@pytest.mark.scoped
def test_a_query_of_notifications_without_a_county_raises(db):
    with pytest.raises(ScopeError):
        list(Notification.objects.all())


def test_a_reader_lists_their_own_countys_notifications(client, county, langao):
    _send(county.secretary)
    client.force_login(county.secretary)
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200 and len(page.context["page"]) == 1


def test_the_reminders_run_once_per_county_that_runs_a_mechanism(
    county, shiquan, ziyang, langao, monkeypatch
):
    seen = []
    monkeypatch.setattr(
        reminders, "reminders_run", lambda *, day: seen.append(scoped_county_id()) or 0
    )
    tasks.daily_reminders(day="2026-10-28", unscheduled=True)
    assert seen == [shiquan.pk, langao.pk]  # 紫阳县 runs no mechanism: no pass over it


def test_each_countys_pass_runs_the_rules_of_the_mechanisms_it_runs(
    county, shiquan, ziyang, monkeypatch
):
    """A county running only the classrooms got no pass at all (the beat went over the zones'
    counties only), so its reminders never went out; a teams county gets its findings'."""
    from counties.constants import Mechanism
    from counties.models import CountyMechanism

    day = datetime.date(2026, 10, 28)
    assert reminders.rules_for(ziyang.pk, day) == []
    CountyMechanism.objects.create(
        county=ziyang, mechanism=Mechanism.EDUCATION, since=datetime.date(2026, 1, 1)
    )
    assert reminders.rules_for(ziyang.pk, day) == [reminders.education_rules]
    CountyMechanism.objects.create(
        county=ziyang, mechanism=Mechanism.TEAMS, since=datetime.date(2026, 1, 1)
    )
    assert reminders.rules_for(ziyang.pk, day) == [
        reminders.finding_rules,
        reminders.teams_rules,
        reminders.education_rules,
    ]
    assert reminders.rules_for(shiquan.pk, day) == [
        reminders.host_rules,
        reminders.confirmation_rules,
        reminders.supervision_rules,
        reminders.finding_rules,
    ]
    seen = []
    real = reminders.reminders_run
    monkeypatch.setattr(
        reminders, "reminders_run", lambda *, day: seen.append(scoped_county_id()) or real(day=day)
    )
    tasks.daily_reminders(day="2026-10-28", unscheduled=True)
    assert ziyang.pk in seen


def test_the_weekly_digest_runs_per_county_to_its_own_staff_with_its_figures(
    county, shiquan, ziyang, langao
):
    make_activity(unit=county.member_unit, by=county.secretary, state=ActivityState.SUBMITTED)
    theirs = UserFactory(username="lg_staff", role=Role.STAFF, county=langao)
    UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    ReminderSettings.objects.create(county=langao, digest_weekday=1)  # 岚皋县: on Tuesdays
    assert tasks.weekly_digest(day="2026-11-02") == 1  # a Monday: 石泉县's digest only
    (ours,) = Notification.objects.filter(kind=Kind.WEEKLY_DIGEST)
    assert ours.recipient == county.staff and ours.county == shiquan
    assert "待确认活动：1项" in ours.body
    assert tasks.weekly_digest(day="2026-11-03") == 1  # Tuesday: 岚皋县's, of its own figures
    theirs_digest = Notification.objects.get(kind=Kind.WEEKLY_DIGEST, recipient=theirs)
    assert theirs_digest.county == langao and "待确认活动：0项" in theirs_digest.body
    assert not Notification.objects.filter(recipient__username="zy_staff").exists()


def test_the_digest_ticks_daily_so_that_each_county_meets_its_weekday(db):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from notifications.schedule import DEFAULT_SCHEDULE

    (entry,) = [e for e in DEFAULT_SCHEDULE if e.task == "notifications.weekly_digest"]
    assert entry.crontab.get("day_of_week", "*") == "*"
    # an installation of before counties: its Monday tick becomes daily
    monday = CrontabSchedule.objects.create(
        minute="0", hour="9", day_of_week="1", timezone="Asia/Shanghai"
    )
    task = PeriodicTask.objects.create(
        name="Weekly digest for staff", task="notifications.weekly_digest", crontab=monday
    )
    migration = importlib.import_module("notifications.migrations.0005_daily_digest_tick")
    migration.daily_tick(apps, None)
    task.refresh_from_db()
    assert (task.crontab.day_of_week, task.crontab.hour, str(task.crontab.timezone)) == (
        "*",
        "9",
        "Asia/Shanghai",
    )


def test_the_notifications_admin_counts_no_whole_table_and_scans_no_dates(client, county):
    """Issue 20: the sent notifications' list in the staff's admin (thousands a month) reads a
    page of the county's rows; no count of the whole table, no distinct dates of every row
    for a date hierarchy. The sent-at filter bounds it by a range instead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        _send(county.secretary, subject=f"finding:{i}")
    client.force_login(county.staff)
    url = reverse("admin:notifications_notification_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "DISTINCT" not in sql  # the date hierarchy's years of every row
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "recipient_id" not in q["sql"]  # the menu's unread
    ]
    assert len(counts) == 1, counts  # the filtered list's own count; not the whole table's too
    html = response.content.decode()
    assert "created_at__year" not in html
    filtered = client.get(url, {"created_at__gte": "2000-01-01"})
    assert filtered.status_code == 200 and "created_at__gte" in filtered.request["QUERY_STRING"]
