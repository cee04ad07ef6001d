"""The six classrooms' reminders (notifications.reminders.education_rules): a session tomorrow,
and a unit with no 第一议题 recorded in the month's last working days."""

from __future__ import annotations

import datetime

import pytest

from education import services
from notifications.constants import Kind
from notifications.models import Notification
from notifications.reminders import reminders_run

from .conftest import at, make_session

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


def test_members_behind_pace_at_the_quarters_end_are_told_and_their_secretary_gets_a_summary(
    edu, county
):
    on_pace = make_session(edu, county, day=datetime.date(2026, 3, 2), hours="1", unit="days")
    mark = {a.pk: ("present", 0) for a in on_pace.attendances.filter(person=edu.second)}
    services.roster_mark(session=on_pace, marks=mark, by=county.staff)
    reminders_run(day=datetime.date(2026, 3, 20))  # not yet the quarter's last working days
    assert not Notification.objects.filter(kind=Kind.STUDY_BEHIND_PACE).exists()

    reminders_run(day=datetime.date(2026, 3, 27))
    behind = Notification.objects.filter(kind=Kind.STUDY_BEHIND_PACE)
    assert set(behind.values_list("recipient", flat=True)) >= {
        edu.member_user.pk,
        county.secretary.pk,
    }
    summary = behind.get(recipient=county.secretary)
    assert "王芳" in summary.body and "李强" not in summary.body  # 8 of 7.9 due: on pace
    assert "赵敏" not in summary.body  # another unit's member, in its own secretary's summary
    assert reminders_run(day=datetime.date(2026, 3, 30)) == 0  # once a quarter


def _absent(edu, county, day):
    session = make_session(edu, county, day=day)
    marks = {a.pk: ("absent", 0) for a in session.attendances.filter(person=edu.member)}
    services.roster_mark(session=session, marks=marks, by=county.staff, now=at(day, 12))
    return session


def test_two_absences_in_a_row_tell_the_members_secretary_once(edu, county):
    _absent(edu, county, datetime.date(2026, 5, 4))
    reminders_run(day=datetime.date(2026, 5, 6))
    assert not Notification.objects.filter(kind=Kind.STUDY_ABSENT_TWICE).exists()  # one only

    _absent(edu, county, datetime.date(2026, 5, 11))
    reminders_run(day=datetime.date(2026, 5, 12))
    told = Notification.objects.filter(kind=Kind.STUDY_ABSENT_TWICE)
    assert set(told.values_list("recipient", flat=True)) == {county.secretary.pk}
    assert "王芳" in told.get().title
    assert reminders_run(day=datetime.date(2026, 5, 13)) == 0


def test_an_attended_session_between_breaks_the_streak(edu, county):
    _absent(edu, county, datetime.date(2026, 5, 4))
    between = make_session(edu, county, day=datetime.date(2026, 5, 6))
    marks = {a.pk: ("excused", 0) for a in between.attendances.filter(person=edu.member)}
    services.roster_mark(session=between, marks=marks, by=county.staff)
    _absent(edu, county, datetime.date(2026, 5, 11))
    reminders_run(day=datetime.date(2026, 5, 12))
    assert not Notification.objects.filter(kind=Kind.STUDY_ABSENT_TWICE).exists()


def _community_service(edu, county, *, registered_on, done_on):
    account = county.lead_secretary
    community = services.community_save(county=edu.county, name="东城社区", accounts=[account])
    registration = services.registration_create(
        unit=county.member_unit,
        person=edu.member,
        community=community,
        registered_on=registered_on,
        by=county.secretary,
    )
    service = services.service_log(
        registration=registration,
        done_on=done_on,
        description="政策宣讲",
        hours=2,
        by=county.secretary,
    )
    services.community_confirm(
        community=community,
        by=account,
        registration_ids=[registration.pk],
        service_ids=[service.pk],
    )
    return registration


def test_a_registration_falling_due_tells_the_member_and_the_secretary_once(edu, county):
    _community_service(
        edu, county, registered_on=datetime.date(2026, 1, 5), done_on=datetime.date(2026, 2, 1)
    )  # due on 2026-07-01 (six months, from the month's first day)
    reminders_run(day=datetime.date(2026, 6, 10))
    assert not Notification.objects.filter(kind=Kind.COMMUNITY_REREGISTER).exists()
    reminders_run(day=datetime.date(2026, 6, 20))
    told = Notification.objects.filter(kind=Kind.COMMUNITY_REREGISTER)
    assert set(told.values_list("recipient", flat=True)) == {
        edu.member_user.pk,
        county.secretary.pk,
    }
    assert reminders_run(day=datetime.date(2026, 6, 21)) == 0


def test_a_unit_gets_its_members_service_of_last_quarter(edu, county):
    _community_service(
        edu, county, registered_on=datetime.date(2026, 1, 5), done_on=datetime.date(2026, 3, 10)
    )
    reminders_run(day=datetime.date(2026, 3, 31))  # still the quarter
    assert not Notification.objects.filter(kind=Kind.COMMUNITY_FEEDBACK).exists()
    reminders_run(day=datetime.date(2026, 4, 2))
    feedback = Notification.objects.get(kind=Kind.COMMUNITY_FEEDBACK)
    assert feedback.recipient == county.secretary
    assert "王芳" in feedback.body
    assert reminders_run(day=datetime.date(2026, 4, 3)) == 0
