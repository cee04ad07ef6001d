"""The six classrooms' reminders (notifications.reminders.education_rules): a session tomorrow,
and a unit with no 第一议题 recorded in the month's last working days."""

from __future__ import annotations

import datetime

import pytest

from education import services
from notifications.constants import Kind
from notifications.models import Notification
from notifications.reminders import reminders_run

from .conftest import make_session

pytestmark = pytest.mark.django_db


def test_a_session_tomorrow_reminds_the_expected_and_the_secretary_once(edu, county):
    make_session(edu, county, day=datetime.date(2026, 3, 11))
    reminders_run(day=datetime.date(2026, 3, 10))
    reminded = set(
        Notification.objects.filter(kind=Kind.STUDY_TOMORROW).values_list("recipient", flat=True)
    )
    assert reminded == {edu.member_user.pk, county.secretary.pk}
    assert reminders_run(day=datetime.date(2026, 3, 10)) == 0  # a second run adds nothing
    assert not Notification.objects.filter(
        kind=Kind.STUDY_TOMORROW, recipient=county.other_secretary
    ).exists()


def test_a_unit_without_a_first_topic_is_reminded_at_the_months_end(edu, county):
    services.meeting_record(
        unit=county.member_unit,
        held_on=datetime.date(2026, 3, 3),
        title="3月党组会",
        by=county.secretary,
        first_topic={"topic": "学习", "summary": "交流体会。"},
    )
    reminders_run(day=datetime.date(2026, 3, 10))  # not the month's end yet
    assert not Notification.objects.filter(kind=Kind.FIRST_TOPIC_MISSING).exists()
    reminders_run(day=datetime.date(2026, 3, 27))
    reminded = set(
        Notification.objects.filter(kind=Kind.FIRST_TOPIC_MISSING).values_list(
            "recipient", flat=True
        )
    )
    assert county.secretary.pk not in reminded  # its unit recorded one
    assert county.other_secretary.pk in reminded
