"""The micro-wishes' reminders on the daily beat (notifications.wish_reminders): unsigned after
its working day, due in one working day, overdue, the return visit due. Each fires when due, not
before, and not twice."""

from __future__ import annotations

import datetime

import pytest

from notifications import tasks
from notifications.constants import Kind
from notifications.models import Notification
from notifications.wish_reminders import wish_reminders_run
from wishes import services

from .conftest import MONDAY

pytestmark = pytest.mark.django_db

TUE, WED, THU, FRI = (MONDAY + datetime.timedelta(days=n) for n in (1, 2, 3, 4))
NEXT_MON, NEXT_TUE = MONDAY + datetime.timedelta(days=7), MONDAY + datetime.timedelta(days=8)


def _told(kind) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def _dispatched(w, c):
    return services.wish_dispatch(wish=w.wish, category=w.roads, by=c.staff, on=MONDAY)


def test_a_wish_not_signed_for_after_its_working_day_reminds_the_handler_once(w, county):
    wish = _dispatched(w, county)
    assert wish.sign_due == TUE
    wish_reminders_run(day=TUE)  # its working day is not over
    assert not _told(Kind.WISH_UNSIGNED)
    assert wish_reminders_run(day=WED) == 1
    assert _told(Kind.WISH_UNSIGNED) == {county.secretary.pk}
    assert wish_reminders_run(day=WED) == 0  # not twice
    assert wish_reminders_run(day=THU) == 0  # nor the next day
    services.wish_sign(wish=wish, by=county.secretary, on=THU)
    wish_reminders_run(day=FRI)
    assert Notification.objects.filter(kind=Kind.WISH_UNSIGNED).count() == 1


def test_a_deadline_in_one_working_day_reminds_the_handler_once(w, county):
    wish = _dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    assert wish.due == NEXT_MON  # 5 working days
    wish_reminders_run(day=THU)  # two working days ahead: not yet
    assert not _told(Kind.WISH_DUE_SOON)
    wish_reminders_run(day=FRI)  # the next working day is Monday
    assert _told(Kind.WISH_DUE_SOON) == {county.secretary.pk}
    before = Notification.objects.count()
    wish_reminders_run(day=FRI)
    wish_reminders_run(day=FRI + datetime.timedelta(days=1))  # Saturday: same deadline
    assert Notification.objects.filter(kind=Kind.WISH_DUE_SOON).count() == 1
    assert Notification.objects.count() == before


def test_an_overdue_wish_reminds_the_handler_and_the_staff_weekly(w, county):
    wish = _dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    wish_reminders_run(day=NEXT_MON)  # due today: not overdue
    assert not _told(Kind.WISH_OVERDUE)
    wish_reminders_run(day=NEXT_TUE)
    assert _told(Kind.WISH_OVERDUE) == {county.secretary.pk, county.staff.pk}
    assert county.lead_secretary.pk not in _told(Kind.WISH_OVERDUE)
    assert wish_reminders_run(day=NEXT_TUE) == 0
    assert wish_reminders_run(day=NEXT_TUE + datetime.timedelta(days=1)) == 0  # same week
    assert wish_reminders_run(day=NEXT_TUE + datetime.timedelta(days=7)) == 2  # a week later


def test_an_approved_extension_moves_the_reminders(w, county):
    wish = _dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_extension_request(
        wish=wish,
        to=NEXT_MON + datetime.timedelta(days=7),
        reason="等材料",
        by=county.secretary,
        on=MONDAY,
    )
    services.wish_extension_decide(wish=wish, approve=True, by=county.staff, on=MONDAY)
    wish_reminders_run(day=NEXT_TUE)
    assert not _told(Kind.WISH_OVERDUE) and not _told(Kind.WISH_DUE_SOON)


def test_the_return_visit_due_reminds_the_towns_dispatchers_once(w, county):
    wish = _dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已修复", by=county.secretary, on=MONDAY)
    assert wish.visit_due == TUE
    wish_reminders_run(day=MONDAY)
    assert not _told(Kind.WISH_VISIT_DUE)
    wish_reminders_run(day=TUE)
    assert _told(Kind.WISH_VISIT_DUE) == {county.lead_secretary.pk}  # 滔河镇's office
    assert wish_reminders_run(day=TUE) == 0
    assert wish_reminders_run(day=WED) == 0
    services.wish_visit(wish=wish, satisfaction="satisfied", by=county.lead_secretary, on=WED)
    assert wish_reminders_run(day=THU) == 0  # visited: nothing more


def test_the_daily_task_writes_them_for_each_county_running_the_mechanism(w, county):
    _dispatched(w, county)
    tasks.daily_reminders(day=WED.isoformat(), unscheduled=True)
    assert _told(Kind.WISH_UNSIGNED) == {county.secretary.pk}
    n = Notification.objects.get(kind=Kind.WISH_UNSIGNED)
    assert w.wish.ticket in n.title and n.county_id == w.town.county_id


def test_the_reminders_cost_the_same_queries_for_one_wish_and_many(w, county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(day):
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            wish_reminders_run(day=day)
        return len(queries)

    _dispatched(w, county)
    one = cost(WED)
    for n in range(4):
        wish = services.wish_receive(group=w.group, text="修路", phone=f"1390000001{n}", on=MONDAY)
        services.wish_dispatch(wish=wish, category=w.roads, by=county.staff, on=MONDAY)
    assert Notification.objects.count() == 1
    assert cost(WED) == one and Notification.objects.count() == 5
