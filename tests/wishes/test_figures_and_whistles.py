"""The figures on a hand-computed example, each rate with its denominator; the whistle's
deadlines and its no-bounce rule; claims."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.people.factories import person_in
from wishes import selectors, services
from wishes.constants import Channel, Satisfaction, State
from wishes.models import Wish

from .conftest import MONDAY

TUE = MONDAY + datetime.timedelta(days=1)
WED = MONDAY + datetime.timedelta(days=2)
THU = MONDAY + datetime.timedelta(days=3)


def _new(w, phone, **kw):
    return services.wish_receive(group=w.group, text="路灯不亮", phone=phone, on=MONDAY, **kw)


def _through(wish, w, c, *, signed=MONDAY, visit=None, caused=True):
    services.wish_dispatch(wish=wish, category=w.roads, by=c.staff, on=MONDAY)
    services.wish_sign(wish=wish, by=c.secretary, on=signed)
    services.wish_answer(wish=wish, answer="已修好", by=c.secretary, on=signed)
    if visit:
        services.wish_visit(wish=wish, satisfaction=visit, handler_caused=caused, on=THU)


def test_the_figures_of_a_hand_computed_example(w, county):
    c = county
    a = w.wish
    _through(a, w, c, visit=Satisfaction.SATISFIED)  # closed, signed on time
    b = _new(w, "13900000002")
    _through(b, w, c, signed=WED, visit=Satisfaction.UNSATISFIED)  # signed late, redone
    d = _new(w, "13900000003")
    services.wish_dispatch(wish=d, category=w.roads, by=c.staff, on=MONDAY)
    services.wish_return(wish=d, reason="不属本单位", by=c.secretary, on=MONDAY)
    services.wish_return_decide(wish=d, accept=False, by=c.staff, on=TUE)  # returned once
    _new(w, "13900000004", channel=Channel.COURTYARD, by=c.staff)  # awaiting dispatch
    _through(_new(w, "13900000005"), w, c, visit=Satisfaction.UNREACHED)  # not evaluated
    _through(_new(w, "13900000006"), w, c, visit=Satisfaction.BASIC)

    f = selectors.figures(Wish.objects.all(), start=MONDAY, end=THU, day=THU)
    assert (f.collected, f.resolved, f.pending) == (6, 3, 3)
    assert f.by_channel == {Channel.LINK: 5, Channel.COURTYARD: 1, Channel.VISIT: 0}
    assert (f.resolution.numerator, f.resolution.denominator, str(f.resolution)) == (3, 6, "50.00%")
    assert (f.on_time_sign.numerator, f.on_time_sign.denominator) == (3, 4)
    assert (f.returned.numerator, f.returned.denominator, str(f.returned)) == (1, 5, "20.00%")
    assert (f.redone.numerator, f.redone.denominator, str(f.redone)) == (1, 4, "25.00%")
    assert (f.satisfaction.numerator, f.satisfaction.denominator) == (2, 3)
    assert str(f.satisfaction) == "66.67%"
    assert f.breaches == 0 and f.unassigned == 1
    # one pending wish has no unit yet: the sentence does not claim they all have one
    assert selectors.narrative(f, year=2026) == (
        "2026年，全县累积收集民情民意6条，办结3条，剩余3条诉求，满意率达到66.67%。"
    )


def test_the_sentence_claims_units_and_deadlines_only_when_all_have_them(w, county):
    services.wish_dispatch(wish=w.wish, category=w.roads, by=county.staff, on=MONDAY)
    f = selectors.figures(Wish.objects.all(), start=MONDAY, end=THU, day=THU)
    assert selectors.narrative(f, year=2026) == (
        "2026年，全县累积收集民情民意1条，办结0条，剩余1条诉求均已明确责任单位和办结时限。"
    )


def test_a_rate_without_a_denominator_is_a_dash():
    assert str(selectors.Rate(0, 0)) == "—" and selectors.Rate(0, 0).percent is None


def _whistle(w, c, **kw):
    args = {
        "town": w.town,
        "wishes": [w.wish],
        "reason": "需县交通局协调",
        "department": c.member_unit_2,
        "approved_by": "张书记",
        "by": c.staff,
        "on": MONDAY,
    }
    return services.whistle_blow(**{**args, **kw})


def test_a_whistle_summons_a_department_which_reports_within_the_days(w, county):
    whistle = _whistle(w, county)
    assert whistle.report_due == WED  # two working days (the county's default)
    w.wish.refresh_from_db()
    assert w.wish.handler == county.member_unit_2 and w.wish.state == State.DISPATCHED
    assert w.wish.due is not None  # the invariant holds for a whistled wish too


def test_a_summoned_department_cannot_hand_the_wish_back(w, county):
    _whistle(w, county)
    w.wish.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot hand the wish back"):
        services.wish_return(wish=w.wish, reason="不归我们管", by=county.staff)
    w.wish.refresh_from_db()
    assert w.wish.state == State.DISPATCHED and w.wish.returns == 0


def test_report_then_solve_answers_every_wish_of_the_batch(w, county):
    other = services.wish_receive(group=w.group_2, text="同样的路", phone="13900000009")
    whistle = _whistle(w, county, wishes=[w.wish, other])
    with pytest.raises(ValidationError, match="reports for duty before"):
        services.whistle_solve(whistle=whistle, visit_note="走访", solution="修路", by=county.staff)
    services.whistle_report(whistle=whistle, reporter="刘工", by=county.staff, on=TUE)
    services.whistle_solve(
        whistle=whistle, visit_note="联合走访", solution="已修复道路", by=county.staff, on=THU
    )
    for wish in (w.wish, other):
        wish.refresh_from_db()
        assert wish.state == State.RESOLVED and wish.answer == "已修复道路"
    league = selectors.whistle_league(start=MONDAY, end=THU)
    (department,) = league["departments"]
    assert department["whistles"] == 1 and department["on_time"] == 1
    assert department["report_avg"] == 1.0 and department["solve_avg"] == 3.0


def test_a_whistle_is_refused_without_approval_or_a_county_department(w, county):
    from zones.constants import UnitKind

    with pytest.raises(ValidationError, match="principal leader"):
        _whistle(w, county, approved_by=" ")
    county.member_unit_2.kind = UnitKind.TOWN
    county.member_unit_2.save()
    with pytest.raises(ValidationError, match="county department"):
        _whistle(w, county)
    w.wish.refresh_from_db()
    assert w.wish.state == State.NEW and not w.wish.whistles.exists()


def test_a_member_claims_and_fulfils_a_wish(w, county):
    member = person_in(county.member_unit_2, name="周林业")
    claim = services.wish_claim(
        wish=w.wish, person=member, unit=county.member_unit_2, by=county.staff, on=MONDAY
    )
    w.wish.refresh_from_db()
    assert w.wish.state == State.HANDLING and w.wish.handler == county.member_unit_2
    with pytest.raises(ValidationError, match="claimed already|awaiting dispatch"):
        services.wish_claim(wish=w.wish, person=member, unit=county.member_unit_2, by=None)
    services.claim_fulfil(claim=claim, note="已上门帮忙", by=county.staff, on=TUE)
    w.wish.refresh_from_db()
    assert w.wish.state == State.RESOLVED and claim.fulfilled_on == TUE
