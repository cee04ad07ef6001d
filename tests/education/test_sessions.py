"""Sessions, rosters, the QR sign-in and the hours they move."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from education import selectors, services
from education.constants import Audience, ClassroomKind, Proof, SessionKind, Status
from education.models import Attendance, Meeting, Session
from people import services as people_services
from people.constants import PostKind
from tests.people.factories import person_in

from .conftest import at, make_session

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def test_the_six_classrooms_are_seeded_once_per_county(edu):
    rooms = services.classrooms_ensure(county=edu.county)
    assert [r.kind for r in rooms] == [
        "theory",
        "red",
        "cloud",
        "practice",
        "party_affairs",
        "integrity",
    ]
    assert services.classrooms_ensure(county=edu.county) == rooms


def test_a_classroom_is_renamed_and_a_clash_refused(edu):
    room = edu.rooms[ClassroomKind.RED]
    services.classroom_save(county=edu.county, classroom=room, name="红色教育课堂")
    room.refresh_from_db()
    assert room.name == "红色教育课堂"
    with pytest.raises(ValidationError, match="同名课堂"):
        services.classroom_save(county=edu.county, name="红色教育课堂")


def test_the_roster_is_the_units_members_on_the_day(edu, county):
    session = make_session(edu, county, day=DAY)
    assert {a.person for a in session.attendances.all()} == {edu.member, edu.second}


def test_nobody_is_expected_before_joining_the_unit(edu, county):
    newcomer = person_in(county.member_unit, name="孙新", since=datetime.date(2026, 6, 1))
    session = make_session(edu, county, day=DAY)
    assert not session.attendances.filter(person=newcomer).exists()
    with pytest.raises(ValidationError, match="尚未编入任何单位"):
        make_session(edu, county, day=DAY, audience=Audience.LIST, people=[newcomer])
    assert Session.objects.count() == 1


def test_a_post_audience_expects_its_holders(edu, county):
    people_services.post_assign(
        person=edu.third,
        unit=county.member_unit_2,
        kind=PostKind.SECRETARY,
        on=datetime.date(2025, 1, 1),
        actor=None,
    )
    session = make_session(
        edu, county, day=DAY, units=[], audience=Audience.POST, post=PostKind.SECRETARY
    )
    assert [a.person for a in session.attendances.all()] == [edu.third]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"topic": " "}, "活动主题"),
        ({"kind": SessionKind.FIRST_TOPIC}, "第一议题须记录"),
        ({"units": []}, "组织单位"),
        ({"audience": Audience.POST}, "职务"),
    ],
)
def test_bad_sessions_are_refused_and_nothing_saved(edu, county, change, message):
    with pytest.raises(ValidationError, match=message):
        make_session(edu, county, day=DAY, **change)
    assert Session.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_hours_move_with_attendance_and_excused_is_no_absence(edu, county):
    session = make_session(edu, county, day=DAY, hours="1", unit="half_days")
    mine, other = (
        session.attendances.get(person=edu.member),
        session.attendances.get(person=edu.second),
    )
    services.roster_mark(
        session=session,
        marks={mine.pk: (Status.PRESENT, 0), other.pk: (Status.EXCUSED, 0)},
        by=county.secretary,
        now=at(DAY, 10),
    )
    years = selectors.person_years([edu.member, edu.second], 2026, day=datetime.date(2026, 3, 31))
    assert years[edu.member.pk].total == 4
    assert years[edu.member.pk].by_classroom == {edu.rooms[ClassroomKind.THEORY].pk: 4}
    assert years[edu.second.pk].total == 0
    assert years[edu.second.pk].absences == 0


def test_a_training_course_over_new_year_with_leave(edu, county):
    session = make_session(
        edu,
        county,
        day=datetime.date(2025, 12, 29),
        last=datetime.date(2026, 1, 2),
        hours="5",
        unit="days",
        kind=SessionKind.TRAINING,
        room=ClassroomKind.PARTY_AFFAIRS,
    )
    mine = session.attendances.get(person=edu.member)
    services.roster_mark(
        session=session,
        marks={mine.pk: (Status.PRESENT, Decimal(10))},
        by=county.staff,
        now=at(datetime.date(2026, 1, 2), 12),
    )
    y2025 = selectors.person_years([edu.member], 2025)[edu.member.pk]
    y2026 = selectors.person_years([edu.member], 2026)[edu.member.pk]
    # 40 hours less 10 of leave = 30, split 3 days : 2 days
    assert (y2025.total, y2026.total) == (18, 12)
    assert y2026.flagged == 1  # 10 hours of leave is beyond 40 / 7


def test_absent_cannot_be_marked_before_the_session_and_nothing_changes(edu, county):
    session = make_session(edu, county, day=DAY)
    mine = session.attendances.get(person=edu.member)
    other = session.attendances.get(person=edu.second)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.roster_mark(
            session=session,
            marks={other.pk: (Status.EXCUSED, 0), mine.pk: (Status.ABSENT, 0)},
            by=county.staff,
            now=at(DAY - datetime.timedelta(days=1)),
        )
    assert set(session.attendances.values_list("status", flat=True)) == {Status.EXPECTED}


def test_rules_of_a_year_hold_until_a_later_version(edu, county):
    services.rules_save(
        county=edu.county,
        year=2025,
        by=county.staff,
        hours_per_day=6,
        hours_per_half_day=3,
        hours_per_hour=1,
        member_hours=40,
        officer_hours=56,
        cadre_hours=90,
    )
    assert selectors.rules_for(2026, county_id=edu.county.pk).member_hours == 40
    assert selectors.rules_for(2024, county_id=edu.county.pk).member_hours == 32
    assert selectors.person_years([edu.member], 2026)[edu.member.pk].required == 40


# --- the QR sign-in -------------------------------------------------------------------------


def _running(edu, county):
    now = timezone.now()
    return services.session_create(
        county=edu.county,
        by=county.secretary,
        classroom=edu.rooms[ClassroomKind.THEORY],
        kind=SessionKind.PARTY_LECTURE,
        topic="专题党课",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
        duration=Decimal(1),
        units=[county.member_unit],
    )


def test_a_signed_in_member_signs_once(edu, county):
    session = _running(edu, county)
    token = services.qr_token(session)
    attendance, signed = services.qr_sign_in(token=token, person=edu.member)
    assert signed and attendance.status == Status.PRESENT and attendance.proof == Proof.QR
    first = attendance.signed_at
    again, signed = services.qr_sign_in(token=token, person=edu.member)
    assert not signed and again.signed_at == first


def test_an_expired_code_is_refused(edu, county, monkeypatch):
    session = _running(edu, county)
    real = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 120)
    token = services.qr_token(session)
    monkeypatch.setattr(signing.time, "time", real)
    with pytest.raises(ValidationError, match="已过期"):
        services.qr_sign_in(token=token, person=edu.member)
    assert session.attendances.get(person=edu.member).status == Status.EXPECTED


def test_a_code_outside_its_session_is_refused(edu, county):
    session = make_session(edu, county, day=DAY)  # in March: over
    token = services.qr_token(session)
    with pytest.raises(ValidationError, match="活动进行期间"):
        services.qr_sign_in(token=token, person=edu.member)
    with pytest.raises(ValidationError, match="无效"):
        services.qr_sign_in(token=token[:-2] + "xx", person=edu.member)


def test_a_person_not_expected_is_refused(edu, county):
    session = _running(edu, county)
    with pytest.raises(ValidationError, match="不是本次活动的参加对象"):
        services.qr_sign_in(token=services.qr_token(session), person=edu.third)


def test_signing_with_name_and_phone_digits(edu, county):
    session = _running(edu, county)
    token = services.qr_token(session)
    with pytest.raises(ValidationError, match="没有该姓名"):
        services.qr_sign_in(token=token, name="李强", phone_digits="0000")
    attendance, signed = services.qr_sign_in(token=token, name="李强", phone_digits="5678")
    assert signed and attendance.person == edu.second and attendance.proof == Proof.QR_PHONE


# --- 第一议题 ----------------------------------------------------------------------------------


def test_first_topic_compliance_counts_meetings_with_a_recorded_item(edu, county):
    unit = county.member_unit
    services.meeting_record(
        unit=unit,
        held_on=datetime.date(2026, 2, 3),
        title="2月党组会",
        by=county.secretary,
        first_topic={"topic": "学习习近平总书记重要讲话", "summary": "逐段学习，交流体会。"},
    )
    services.meeting_record(
        unit=unit, held_on=datetime.date(2026, 3, 3), title="3月党组会", by=county.secretary
    )
    assert selectors.first_topic_compliance(2026, units=[unit]) == (1, 2)
    first = Meeting.objects.get(title="2月党组会").first_topic
    assert first.kind == SessionKind.FIRST_TOPIC and first.summary
    assert first.classroom.kind == ClassroomKind.THEORY
    with pytest.raises(ValidationError, match="第一议题须记录"):
        services.meeting_record(
            unit=unit,
            held_on=datetime.date(2026, 3, 4),
            title="临时党组会",
            by=county.secretary,
            first_topic={"topic": "学习", "summary": ""},
        )
    assert Meeting.objects.count() == 2
