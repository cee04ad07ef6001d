"""The unit page's activities (hosted or joined) after the rewrite of issue 20: the joined ones
come from an id subquery of the participants, so an activity the unit hosts and also lists as a
participant, or one with several participants, is shown once, newest first."""

from __future__ import annotations

import datetime

import pytest

from portal.selectors import unit_sections
from tests.activities.factories import make_activity

pytestmark = pytest.mark.django_db


def test_the_unit_page_lists_hosted_and_joined_activities_once_each_newest_first(county):
    unit, other = county.member_unit, county.member_unit_2
    hosted = make_activity(unit=unit, by=county.secretary, date=datetime.date(2026, 10, 3))
    joined = make_activity(unit=county.lead_unit, by=county.staff, date=datetime.date(2026, 10, 9))
    joined.participants.set([unit, other])  # two participant rows: one activity
    hosted.participants.set([unit, other])  # hosted and joined: once
    elsewhere = make_activity(unit=other, by=county.staff, date=datetime.date(2026, 10, 20))
    shown = [a.pk for a in unit_sections(county.staff, unit)["activities"]]
    assert shown == [joined.pk, hosted.pk]
    assert elsewhere.pk not in shown
