"""The weekly digest of every county that runs a mechanism (notifications.digest): a county
running only the micro-wishes or only the classrooms gets its digest with its own mechanism's
figures, and a county's digest carries a sentence for each mechanism it runs, never another's."""

from __future__ import annotations

import datetime

from counties.constants import Mechanism
from counties.models import CountyMechanism
from notifications import tasks
from notifications.constants import Kind
from notifications.models import Notification
from tests.education.conftest import edu, make_session  # noqa: F401, F811 (the fixture)
from tests.wishes.conftest import build as build_wishes

D = datetime.date
DIGEST_MONDAY = "2026-11-30"


def _only(county_obj, mechanism):
    CountyMechanism.objects.filter(county=county_obj).exclude(mechanism=mechanism).delete()
    CountyMechanism.objects.get_or_create(
        county=county_obj, mechanism=mechanism, until=None, defaults={"since": D(2024, 1, 1)}
    )


def _digest_of(user) -> str:
    return Notification.objects.get(kind=Kind.WEEKLY_DIGEST, recipient=user).body


def test_a_county_running_only_the_micro_wishes_gets_their_digest(county):
    build_wishes(county)  # one wish through a group's link on 2026-11-23, not yet dispatched
    _only(county.lead_unit.county, Mechanism.WISHES)
    assert tasks.weekly_digest(day=DIGEST_MONDAY) == 1
    body = _digest_of(county.staff)
    # received Monday 23rd, its dispatch was due within one working day: past it a week later
    assert "群众微心愿：今年收集1条，办结0条；超期1条，待派单1条。" in body
    assert "待确认活动" not in body and "六大课堂" not in body


def test_a_county_running_only_the_classrooms_gets_their_digest(county, edu):  # noqa: F811
    make_session(edu, county, day=D(2026, 11, 10))
    make_session(edu, county, day=D(2026, 11, 17))
    _only(edu.county, Mechanism.EDUCATION)
    assert tasks.weekly_digest(day=DIGEST_MONDAY) == 1
    body = _digest_of(county.staff)
    assert "六大课堂：今年学习教育活动2场；" in body
    assert "第一议题：党组（党委）会议0次，记录0次。" in body
    assert "待确认活动" not in body and "群众微心愿" not in body


def test_a_county_running_two_mechanisms_gets_both_sentences_in_order(county):
    build_wishes(county)  # the county runs the zones and now the micro-wishes
    assert tasks.weekly_digest(day=DIGEST_MONDAY) == 1
    body = _digest_of(county.staff)
    zones, wishes = body.index("待确认活动"), body.index("群众微心愿")
    assert zones < wishes
    assert "服务队" not in body  # a mechanism the county does not run says nothing


def test_the_service_teams_sentence_counts_the_teams_figures(county):
    CountyMechanism.objects.get_or_create(
        county=county.lead_unit.county,
        mechanism=Mechanism.TEAMS,
        until=None,
        defaults={"since": D(2024, 1, 1)},
    )
    assert tasks.weekly_digest(day=DIGEST_MONDAY) == 1
    assert "服务队：今年下沉指导0次；问题整改0/0项，逾期0项；未按时走访的组织：0个。" in _digest_of(
        county.staff
    )


def test_no_digest_off_the_county_weekday(county):
    build_wishes(county)
    _only(county.lead_unit.county, Mechanism.WISHES)
    assert tasks.weekly_digest(day="2026-12-01") == 0  # a Tuesday: the default weekday is Monday
