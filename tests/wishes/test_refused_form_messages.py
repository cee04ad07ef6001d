"""A wish's step refused by its form names the field (原因: the reason of a return) and
changes nothing."""

import pytest
from django.urls import reverse

from wishes.constants import State

pytestmark = pytest.mark.django_db


def test_a_return_without_a_reason_names_the_field_and_changes_nothing(client, w, county):
    wish = w.wish
    client.force_login(county.lead_secretary)  # the town's dispatcher
    client.post(reverse("wishes:act", args=[wish.pk, "dispatch"]), {"category": w.roads.pk})
    wish.refresh_from_db()
    assert wish.state == State.DISPATCHED
    client.force_login(county.secretary)  # the handler
    response = client.post(
        reverse("wishes:act", args=[wish.pk, "return"]), {"reason": ""}, follow=True
    )
    said = [str(m) for m in response.context["messages"]]
    assert any(s.startswith("原因：") for s in said)
    wish.refresh_from_db()
    assert wish.state == State.DISPATCHED
