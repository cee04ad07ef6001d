"""The life of a joint activity: logged as a draft, submitted, confirmed by the zone's lead
unit or returned with a reason, and every refusal on the way."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from activities import services
from activities.constants import ActivityState, EventAction
from activities.models import Activity, ActivityEvent
from tests.activities.factories import make_activity
from zones import services as zone_services


def snapshot(activity):
    activity = Activity.objects.get(pk=activity.pk)
    return (activity.state, activity.title, activity.return_reason, activity.events.count())


def test_an_activity_takes_its_zone_from_the_host_units_membership_on_its_date(county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    assert activity.zone == county.zone_a
    assert activity.month == datetime.date(2026, 10, 1)
    assert activity.state == ActivityState.DRAFT
    assert list(activity.events.values_list("action", flat=True)) == [EventAction.CREATED]


def test_the_zone_stays_when_the_unit_later_moves(county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    zone_services.unit_reassign(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_on=datetime.date(2026, 11, 1),
        reason="工作需要",
    )
    activity.refresh_from_db()
    assert activity.zone == county.zone_a
    later = make_activity(
        unit=county.member_unit, by=county.secretary, date=datetime.date(2026, 11, 5)
    )
    assert later.zone == county.zone_b


def test_an_activity_in_the_future_is_refused(county):
    with translation.override("en"), pytest.raises(ValidationError, match="in the future"):
        make_activity(unit=county.member_unit, by=county.secretary, date=datetime.date(2026, 12, 2))
    assert not Activity.objects.exists()


def test_a_unit_in_no_zone_on_the_date_is_refused(county):
    with translation.override("en"), pytest.raises(ValidationError, match="no zone"):
        make_activity(unit=county.member_unit, by=county.secretary, date=datetime.date(2024, 6, 1))
    assert not Activity.objects.exists()


def test_submit_confirm_records_who_and_when(county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    services.activity_submit(activity=activity, by=county.secretary)
    services.activity_confirm(activity=activity, by=county.lead_secretary)
    events = list(activity.events.order_by("pk"))
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events] == [
        (EventAction.CREATED, "", ActivityState.DRAFT, county.secretary),
        (EventAction.SUBMITTED, ActivityState.DRAFT, ActivityState.SUBMITTED, county.secretary),
        (
            EventAction.CONFIRMED,
            ActivityState.SUBMITTED,
            ActivityState.CONFIRMED,
            county.lead_secretary,
        ),
    ]
    assert all(e.at is not None for e in events)


def test_returned_then_edited_then_resubmitted(county):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        state=ActivityState.RETURNED,
        reviewer=county.lead_secretary,
    )
    assert activity.return_reason == "缺签到表"
    services.activity_update(activity=activity, by=county.secretary, title="补充签到表后重新提交")
    services.activity_submit(activity=activity, by=county.secretary)
    activity.refresh_from_db()
    assert activity.state == ActivityState.SUBMITTED
    actions = list(activity.events.values_list("action", flat=True))
    assert actions[-3:] == [EventAction.RETURNED, EventAction.EDITED, EventAction.SUBMITTED]


@pytest.mark.parametrize(
    "state, call, message",
    [
        (ActivityState.DRAFT, "confirm", "Only a submitted activity can be confirmed"),
        (ActivityState.CONFIRMED, "confirm", "Only a submitted activity can be confirmed"),
        (ActivityState.DRAFT, "return", "Only a submitted activity can be returned"),
        (ActivityState.CONFIRMED, "submit", "Only a draft or a returned activity"),
        (ActivityState.SUBMITTED, "submit", "Only a draft or a returned activity"),
        (ActivityState.CONFIRMED, "edit", "can no longer be edited"),
        (ActivityState.SUBMITTED, "edit", "can no longer be edited"),
    ],
)
def test_each_wrong_step_is_refused_and_changes_nothing(county, state, call, message):
    activity = make_activity(
        unit=county.member_unit, by=county.secretary, state=state, reviewer=county.lead_secretary
    )
    before = snapshot(activity)
    calls = {
        "confirm": lambda: services.activity_confirm(activity=activity, by=county.lead_secretary),
        "return": lambda: services.activity_return(
            activity=activity, by=county.lead_secretary, reason="不合格"
        ),
        "submit": lambda: services.activity_submit(activity=activity, by=county.secretary),
        "edit": lambda: services.activity_update(
            activity=activity, by=county.secretary, title="改"
        ),
    }
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        calls[call]()
    assert snapshot(activity) == before


def test_returning_without_a_reason_is_refused(county):
    activity = make_activity(unit=county.member_unit, by=county.secretary, state="submitted")
    before = snapshot(activity)
    with translation.override("en"), pytest.raises(ValidationError, match="Say why"):
        services.activity_return(activity=activity, by=county.lead_secretary, reason="  ")
    assert snapshot(activity) == before


def test_staff_correct_a_confirmed_activity_and_the_change_is_recorded(county):
    activity = make_activity(
        unit=county.member_unit, by=county.secretary, state="confirmed", reviewer=county.staff
    )
    services.activity_update(
        activity=activity, by=county.staff, title="更正后的标题", participant_count=45
    )
    activity.refresh_from_db()
    assert activity.state == ActivityState.CONFIRMED
    event = activity.events.latest("pk")
    assert event.action == EventAction.CORRECTED and event.actor == county.staff
    assert "更正后的标题" in event.note and "45" in event.note and "30" in event.note


def test_an_edit_that_changes_nothing_records_nothing(county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    services.activity_update(activity=activity, by=county.secretary, title=activity.title)
    assert ActivityEvent.objects.filter(activity=activity).count() == 1


def test_outcomes_keep_their_quantities(county):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        outcomes=[
            services.OutcomeData("清理淤泥", 500, "m³"),
            services.OutcomeData("解决问题", 3, "个"),
            services.OutcomeData("走访企业"),
        ],
    )
    assert [str(o) for o in activity.outcomes.all()] == [
        "清理淤泥 500m³",
        "解决问题 3个",
        "走访企业",
    ]
