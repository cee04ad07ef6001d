"""征集 → 派单 → 签收 → 办理 → 反馈 → 回访, in working days, and every refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wishes import services
from wishes.constants import ExtensionState, Satisfaction, State
from wishes.models import Wish

from .conftest import MONDAY

TUESDAY = MONDAY + datetime.timedelta(days=1)


def dispatched(w, county, on=MONDAY):
    return services.wish_dispatch(wish=w.wish, category=w.roads, by=county.staff, on=on)


def test_a_new_wish_awaits_dispatch_within_one_working_day(w):
    assert w.wish.state == State.NEW
    assert w.wish.dispatch_due == TUESDAY
    assert w.wish.town == w.town and w.wish.village == w.village and w.wish.group == w.group
    assert w.wish.phone_tail == "5678"
    assert len(w.wish.ticket) == 10


def test_tickets_are_not_sequential(w):
    tickets = {services.new_ticket() for _ in range(50)}
    assert len(tickets) == 50
    assert all(t.isalnum() and t.isupper() or any(ch.isdigit() for ch in t) for t in tickets)


def test_dispatch_goes_to_the_default_handler_with_working_day_clocks(w, county):
    wish = dispatched(w, county, on=datetime.date(2026, 11, 27))  # a Friday
    assert wish.state == State.DISPATCHED
    assert wish.handler == county.member_unit
    assert wish.sign_due == datetime.date(2026, 11, 30)  # the Monday after
    assert wish.due == datetime.date(2026, 12, 4)  # 5 working days


def test_dispatch_without_a_handler_is_refused(w, county):
    with pytest.raises(ValidationError, match="handler"):
        services.wish_dispatch(wish=w.wish, category=w.other, by=county.staff, on=MONDAY)
    w.wish.refresh_from_db()
    assert w.wish.state == State.NEW and w.wish.handler is None


def test_dispatch_without_a_category_is_refused(w, county):
    with pytest.raises(ValidationError, match="category"):
        services.wish_dispatch(wish=w.wish, category=None, by=county.staff)


def test_sign_then_answer_then_return_visit_closes(w, county):
    wish = dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已协调修复村道", by=county.secretary, on=TUESDAY)
    assert wish.state == State.RESOLVED
    assert wish.visit_due == TUESDAY + datetime.timedelta(days=1)
    services.wish_visit(wish=wish, satisfaction=Satisfaction.SATISFIED, by=county.staff)
    wish.refresh_from_db()
    assert wish.state == State.CLOSED and wish.satisfaction == Satisfaction.SATISFIED


def test_a_return_visit_before_resolution_is_refused(w, county):
    wish = dispatched(w, county)
    with pytest.raises(ValidationError, match="after the wish is resolved"):
        services.wish_visit(wish=wish, satisfaction=Satisfaction.SATISFIED, by=county.staff)
    wish.refresh_from_db()
    assert wish.satisfaction == ""


def test_unsatisfied_by_the_handler_reopens_for_a_redo(w, county):
    wish = dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已处理", by=county.secretary, on=MONDAY)
    services.wish_visit(
        wish=wish, satisfaction=Satisfaction.UNSATISFIED, by=county.staff, on=TUESDAY
    )
    wish.refresh_from_db()
    assert wish.state == State.HANDLING and wish.redos == 1 and wish.resolved_on is None
    assert wish.due == datetime.date(2026, 12, 1)  # 5 working days from the visit


def test_partly_satisfied_not_caused_by_the_handler_closes(w, county):
    wish = dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已处理", by=county.secretary, on=MONDAY)
    services.wish_visit(
        wish=wish, satisfaction=Satisfaction.PARTIAL, handler_caused=False, by=county.staff
    )
    assert wish.state == State.CLOSED and wish.redos == 0


def test_a_wish_may_be_returned_once_and_keeps_its_clock(w, county):
    wish = dispatched(w, county)
    due = wish.due
    services.wish_return(wish=wish, reason="不属本单位职责", by=county.secretary, on=MONDAY)
    assert wish.state == State.RETURNED and wish.returns == 1
    assert wish.handler == county.member_unit and wish.due == due  # the invariant holds
    services.wish_return_decide(wish=wish, accept=False, by=county.staff, on=TUESDAY)
    assert wish.state == State.DISPATCHED and wish.due == due
    with pytest.raises(ValidationError, match="once already"):
        services.wish_return(wish=wish, reason="再次退回", by=county.secretary)
    wish.refresh_from_db()
    assert wish.state == State.DISPATCHED and wish.returns == 1


def test_a_return_needs_a_reason(w, county):
    wish = dispatched(w, county)
    with pytest.raises(ValidationError, match="why"):
        services.wish_return(wish=wish, reason=" ", by=county.secretary)
    wish.refresh_from_db()
    assert wish.state == State.DISPATCHED


def test_an_accepted_return_goes_to_another_unit(w, county):
    wish = dispatched(w, county)
    services.wish_return(wish=wish, reason="应由财政局办理", by=county.secretary)
    with pytest.raises(ValidationError, match="another handler"):
        services.wish_return_decide(
            wish=wish, accept=True, handler=county.member_unit, by=county.staff
        )
    services.wish_return_decide(
        wish=wish, accept=True, handler=county.member_unit_2, by=county.staff
    )
    assert wish.handler == county.member_unit_2 and wish.state == State.DISPATCHED


def test_an_extension_before_the_deadline_moves_it_once_approved(w, county):
    wish = dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    new = wish.due + datetime.timedelta(days=7)
    services.wish_extension_request(
        wish=wish, to=new, reason="需等待材料", by=county.secretary, on=MONDAY
    )
    assert wish.extension == ExtensionState.REQUESTED and wish.deadline != new
    services.wish_extension_decide(wish=wish, approve=True, by=county.staff)
    assert wish.deadline == new


def test_an_extension_after_the_deadline_is_refused(w, county):
    wish = dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    late = wish.due + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="has passed"):
        services.wish_extension_request(
            wish=wish, to=late + datetime.timedelta(days=5), reason="太忙", by=county.secretary,
            on=late,
        )  # fmt: skip
    wish.refresh_from_db()
    assert wish.extension == ""


def test_the_invariant_is_kept_by_the_database(w):
    wish = w.wish
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(state=State.HANDLING)


def test_duplicates_are_shown_and_merged_only_by_hand(w, county):
    second = services.wish_receive(group=w.group_2, text="村道坏了", phone="13800001111", on=MONDAY)
    from wishes.selectors import duplicates_of

    assert w.wish in list(duplicates_of(second))
    assert second.state == State.NEW  # never merged automatically
    services.wish_merge(wish=second, into=w.wish, by=county.staff)
    w.wish.refresh_from_db()
    assert second.state == State.MERGED and w.wish.households == 2
    with pytest.raises(ValidationError):
        services.wish_merge(wish=w.wish, into=w.wish, by=county.staff)


def test_intake_refuses_a_bad_phone_and_an_empty_text(w):
    with pytest.raises(ValidationError, match="11-digit"):
        services.wish_receive(group=w.group, text="x", phone="12345")
    with pytest.raises(ValidationError, match="Write"):
        services.wish_receive(group=w.group, text=" ", phone="13912345678")
    assert Wish.objects.count() == 1


def test_erasure_after_retention_keeps_the_phone_tail(w, county):
    wish = dispatched(w, county)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已处理", by=county.secretary, on=MONDAY)
    services.wish_visit(wish=wish, satisfaction=Satisfaction.SATISFIED, on=MONDAY)
    county_ = w.town.county
    assert (
        services.wishes_erase_expired(county=county_, today=MONDAY + datetime.timedelta(180)) == 0
    )
    assert (
        services.wishes_erase_expired(county=county_, today=MONDAY + datetime.timedelta(181)) == 1
    )
    wish.refresh_from_db()
    assert wish.name == "" and wish.phone == "" and wish.phone_tail == "5678"
    assert wish.text and wish.satisfaction == Satisfaction.SATISFIED
