"""Who may confirm an activity is one rule (activities.rules.may_confirm), and every list of
activities to confirm — the review queue, the count on "my work" — filters by its queryset twin
(activities.rules.confirmable_by): for each persona the list and the rule agree."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.constants import ActivityState
from activities.models import Activity
from activities.selectors import review_queue
from core.access import may
from tests.activities.factories import make_activity

D = datetime.date


@pytest.fixture
def waiting(county, fixed_today):
    """One submitted activity in each zone, and a draft that is not waiting for anyone."""
    fixed_today(D(2026, 11, 28))
    zone_a = make_activity(
        unit=county.member_unit, by=county.secretary, state=ActivityState.SUBMITTED
    )
    zone_b = make_activity(
        unit=county.other_unit, by=county.other_secretary, state=ActivityState.SUBMITTED
    )
    make_activity(unit=county.member_unit_2, by=county.staff)
    return {"zone_a": zone_a, "zone_b": zone_b}


@pytest.mark.parametrize(
    ("persona", "confirms"),
    [
        ("staff", {"zone_a", "zone_b"}),
        ("lead_secretary", {"zone_a"}),
        ("leader", set()),
        ("secretary", set()),
        ("other_secretary", set()),
    ],
)
def test_the_review_queue_holds_exactly_what_the_rule_lets_each_persona_confirm(
    client, county, waiting, persona, confirms
):
    user = getattr(county, persona)
    by_rule = {
        name
        for name, activity in waiting.items()
        if may(user, "activities.review_activity", activity)
    }
    assert by_rule == confirms
    queue = set(review_queue(user).values_list("pk", flat=True))
    assert queue == {waiting[name].pk for name in confirms}
    # and every submitted activity the rule allows is in the list
    submitted = Activity.objects.filter(state=ActivityState.SUBMITTED)
    assert {a.pk for a in submitted if may(user, "activities.review_activity", a)} == queue

    client.force_login(user)
    assert client.get(reverse("my_work")).context["work"].to_review == len(confirms)


def test_staff_see_on_my_work_what_waits_for_their_confirmation(client, county, waiting):
    """The "my work" count once knew only the lead-unit secretary; staff confirm too."""
    client.force_login(county.staff)
    response = client.get(reverse("my_work"))
    assert response.context["work"].to_review == 2
    assert reverse("activities:queue") in response.content.decode()
