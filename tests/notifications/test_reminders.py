"""The schedule logic with a frozen clock: month ends, the National Day week (1–7 October 2026
off, 10 October worked), overdue escalation each week, and a second tick that sends nothing."""

from __future__ import annotations

import datetime

import pytest

from activities.constants import ActivityState
from activities.models import HostSlot
from notifications.constants import Kind
from notifications.digest import digest_run
from notifications.models import Notification, ReminderSettings
from notifications.reminders import due_messages, reminders_run
from supervision.models import Finding
from tests.activities.factories import make_activity
from tests.supervision.conftest import fill

D = datetime.date


def kinds_for(user, prefix: str = "") -> list[str]:
    kinds = Notification.objects.filter(recipient=user, kind__startswith=prefix)
    return sorted(kinds.values_list("kind", flat=True))


@pytest.fixture
def slots(county):
    """Zone A's member unit hosts October 2026; zone B's lead unit hosts October too."""
    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 10, 1), unit=county.member_unit)
    HostSlot.objects.create(zone=county.zone_b, month=D(2026, 10, 1), unit=county.other_lead_unit)
    return county


def test_host_is_reminded_within_five_working_days_before_its_month(slots):
    # 23 Sept: the fifth working day after it (with the Mid-Autumn day and the weekend off) is
    # 8 October, inside the month: remind. 22 Sept: the fifth lands on 30 Sept: too early.
    assert not [m for m in due_messages(D(2026, 9, 22)) if m.kind == Kind.HOST_UPCOMING]
    reminders_run(day=D(2026, 9, 23))
    assert kinds_for(slots.secretary) == [Kind.HOST_UPCOMING]
    reminders_run(day=D(2026, 9, 24))
    reminders_run(day=D(2026, 9, 24))
    assert kinds_for(slots.secretary) == [Kind.HOST_UPCOMING]


def test_host_with_nothing_logged_is_reminded_in_the_months_last_working_days(slots):
    # October 2026 ends on a Saturday; its last three working days are 28, 29 and 30 October.
    assert not [m for m in due_messages(D(2026, 10, 27)) if m.kind == Kind.HOST_NOTHING_LOGGED]
    reminders_run(day=D(2026, 10, 28))
    assert Kind.HOST_NOTHING_LOGGED in kinds_for(slots.secretary)
    # Only the host unit is reminded, not the zone's other units.
    assert Kind.HOST_NOTHING_LOGGED not in kinds_for(slots.lead_secretary)


def test_a_logged_activity_silences_the_end_of_month_reminder(slots):
    make_activity(
        unit=slots.member_unit,
        by=slots.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.SUBMITTED,
    )
    reminders_run(day=D(2026, 10, 29))
    assert Kind.HOST_NOTHING_LOGGED not in kinds_for(slots.secretary)


def test_a_gap_escalates_to_the_lead_unit_and_the_guiding_leader(slots):
    make_activity(
        unit=slots.member_unit,
        by=slots.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=slots.lead_secretary,
    )
    reminders_run(day=D(2026, 11, 2))
    # Zone A confirmed its October activity: no gap for its lead unit and leader. Zone B did
    # not: the message about it is due (its lead unit has no account here to receive it).
    assert Kind.ZONE_GAP not in kinds_for(slots.lead_secretary)
    assert Kind.ZONE_GAP not in kinds_for(slots.leader)
    gaps = [m.subject for m in due_messages(D(2026, 11, 2)) if m.kind == Kind.ZONE_GAP]
    assert gaps == []  # zone B's lead unit has no secretary account and it has no leader
    from tests.factories import UnitPostFactory, UserFactory

    UnitPostFactory(user=UserFactory(username="lead_b"), unit=slots.other_lead_unit)
    gaps = [m.subject for m in due_messages(D(2026, 11, 2)) if m.kind == Kind.ZONE_GAP]
    assert gaps == [f"zone:{slots.zone_b.pk}"]


def test_zone_gap_reaches_lead_secretary_and_leader(county):
    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 10, 1), unit=county.member_unit)
    reminders_run(day=D(2026, 11, 3))
    assert kinds_for(county.lead_secretary) == [Kind.ZONE_GAP]
    assert kinds_for(county.leader) == [Kind.ZONE_GAP]
    reminders_run(day=D(2026, 11, 20))
    assert Notification.objects.filter(kind=Kind.ZONE_GAP).count() == 2


def test_activities_waiting_for_confirmation_remind_the_lead_unit(county, fixed_today):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 11, 2),
        state=ActivityState.SUBMITTED,
    )
    submitted = activity.events.get(action="submitted")
    submitted.at = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)
    submitted.save()
    # (October, with nothing logged, is a gap of zone A's: only the confirmation kind counts.)
    reminders_run(day=D(2026, 11, 4))  # two working days: not yet
    assert kinds_for(county.lead_secretary, "confirmation") == []
    reminders_run(day=D(2026, 11, 5))  # three
    assert kinds_for(county.lead_secretary, "confirmation") == [Kind.CONFIRMATION_WAITING]
    reminders_run(day=D(2026, 11, 6))
    assert kinds_for(county.lead_secretary, "confirmation") == [Kind.CONFIRMATION_WAITING]


def test_finding_deadline_around_national_day(county, finding):
    # Due Saturday 10 October 2026, a working day (调休). Three working days before it:
    # 30 September counts 8, 9, 10 October (1–7 October are holidays).
    Finding.objects.filter(pk=finding.pk).update(deadline=D(2026, 10, 10), raised_on=D(2026, 9, 1))
    assert not [m for m in due_messages(D(2026, 9, 29)) if m.kind == Kind.FINDING_DUE_SOON]
    reminders_run(day=D(2026, 9, 30))
    assert kinds_for(county.secretary, "finding") == [Kind.FINDING_DUE_SOON]
    reminders_run(day=D(2026, 10, 10))
    assert kinds_for(county.secretary, "finding") == [Kind.FINDING_DUE_SOON, Kind.FINDING_DUE_TODAY]
    reminders_run(day=D(2026, 10, 12))
    assert Kind.FINDING_OVERDUE in kinds_for(county.secretary)
    assert Kind.FINDING_OVERDUE in kinds_for(county.lead_secretary)
    assert Kind.FINDING_OVERDUE in kinds_for(county.staff)
    # Again each week while overdue, once a week.
    reminders_run(day=D(2026, 10, 13))
    reminders_run(day=D(2026, 10, 19))
    assert (
        Notification.objects.filter(recipient=county.secretary, kind=Kind.FINDING_OVERDUE).count()
        == 2
    )


def test_lead_times_are_settings(county, finding):
    settings = ReminderSettings.for_county(county.zone_a.county_id)
    settings.finding_days_before_deadline = 1
    settings.save()
    Finding.objects.filter(pk=finding.pk).update(deadline=D(2026, 10, 10), raised_on=D(2026, 9, 1))
    reminders_run(day=D(2026, 9, 30))
    assert kinds_for(county.secretary, "finding") == []
    reminders_run(day=D(2026, 10, 9))
    assert kinds_for(county.secretary, "finding") == [Kind.FINDING_DUE_SOON]


def test_a_tick_run_twice_sends_nothing_twice(slots):
    first = reminders_run(day=D(2026, 10, 28))
    assert first > 0
    assert reminders_run(day=D(2026, 10, 28)) == 0


def test_weekly_digest_goes_to_staff_on_mondays_only(county):
    HostSlot.objects.create(zone=county.zone_a, month=D(2026, 10, 1), unit=county.member_unit)
    assert digest_run(day=D(2026, 11, 3)) == 0
    assert digest_run(day=D(2026, 11, 2)) == 1
    n = Notification.objects.get(kind=Kind.WEEKLY_DIGEST)
    assert n.recipient == county.staff
    # Both zones logged nothing in October: two gaps, host slot or not (month_state's rule).
    assert "上月空档：2个" in n.body
    assert digest_run(day=D(2026, 11, 2)) == 0


def test_digest_warns_when_next_years_calendar_is_missing(county):
    digest_run(day=D(2026, 11, 2))
    assert "2027" in Notification.objects.get(kind=Kind.WEEKLY_DIGEST).body


def test_checkers_are_told_whom_they_check_and_checked_units_when_results_are_published(
    county, check_a, fixed_today
):
    reminders_run(day=D(2026, 11, 28))
    assert Kind.CHECK_PUBLISHED in kinds_for(county.secretary)
    from supervision import services as supervision_services

    for sheet in check_a.sheets.all():
        fill(sheet, county.staff, fraction=0.9)
    supervision_services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    reminders_run(day=D(2026, 11, 28))
    titles = list(
        Notification.objects.filter(
            recipient=county.secretary, kind=Kind.CHECK_PUBLISHED
        ).values_list("period", flat=True)
    )
    assert sorted(titles) == ["assigned", "results"]


def test_every_scheduled_task_exists_and_next_years_rotation_is_scheduled():
    from config.celery_app import app
    from notifications.schedule import DEFAULT_SCHEDULE

    app.loader.import_default_modules()
    assert [e.task for e in DEFAULT_SCHEDULE if e.task not in app.tasks] == []
    assert any(e.task == "activities.tasks.generate_next_year_rotation" for e in DEFAULT_SCHEDULE)
