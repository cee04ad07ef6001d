"""Two people acting on the same record at once, on two real PostgreSQL connections: one wins,
the other gets a clear refusal, and the record is consistent."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django_scopes import scopes_disabled

from activities import services as activity_services
from activities.constants import ActivityState
from activities.models import Activity
from tests.activities.factories import make_activity
from zones import services as zone_services
from zones.models import Membership

D = datetime.date

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run each call in its own thread (its own database connection), released together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            # A new thread starts with no county scope (django-scopes' state is per thread);
            # the services under test run across counties as the test set them up.
            with scopes_disabled():
                outcomes[index] = ("ok", call())
        except ValidationError as exc:
            outcomes[index] = ("refused", " ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (set DATABASE_URL); CI runs it")


def test_two_people_confirming_the_same_activity(county):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.SUBMITTED,
    )
    outcomes = race(
        lambda: activity_services.activity_confirm(activity=activity, by=county.lead_secretary),
        lambda: activity_services.activity_confirm(activity=activity, by=county.staff),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Activity.objects.get(pk=activity.pk).state == ActivityState.CONFIRMED
    assert activity.events.filter(action="confirmed").count() == 1


def test_two_administrators_reassigning_the_same_unit(county):
    outcomes = race(
        lambda: zone_services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=D(2026, 3, 1),
            reason="工作需要",
        ),
        lambda: zone_services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=D(2026, 3, 1),
            reason="工作需要",
        ),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert (
        Membership.objects.filter(unit=county.member_unit, effective_to__isnull=True).count() == 1
    )
    assert Membership.objects.filter(unit=county.member_unit).count() == 2


def test_two_people_closing_the_same_finding(county, finding):
    from supervision import services as supervision_services
    from supervision.constants import FindingState

    supervision_services.finding_start(finding=finding, by=county.secretary)
    supervision_services.finding_submit(finding=finding, note="已整改", by=county.secretary)
    outcomes = race(
        lambda: supervision_services.finding_verify(finding=finding, by=county.staff),
        lambda: supervision_services.finding_verify(finding=finding, by=county.leader),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED
    assert finding.events.filter(to_state=FindingState.CLOSED).count() == 1


def test_the_activity_form_sent_twice_at_once_creates_one_draft(county):
    """A double tap: two sendings of one rendered form reach two workers at the same moment."""
    from django.test import Client
    from django.urls import reverse

    from tests.activities.test_views import form_data
    from tests.once import token_in

    clients = [Client(), Client()]
    clients[0].force_login(county.secretary)
    clients[1].cookies = clients[0].cookies  # the same browser session, sending twice
    token = token_in(clients[0].get(reverse("activities:create")))
    data = form_data(county, once=token)

    def send(client):
        return lambda: client.post(reverse("activities:create"), data)

    outcomes = race(send(clients[0]), send(clients[1]))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    activity = Activity.objects.get()
    target = reverse("activities:detail", args=[activity.pk])
    assert [(r.status_code, r.url) for _, r in outcomes] == [(302, target), (302, target)]
