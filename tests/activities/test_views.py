"""Who may see and do what: each page and action tried by the persona who may and by the one
who may not (404 for what they may not see, 403 for what they may see but not change, 405 for
the wrong method, login for the anonymous)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.constants import ActivityState
from activities.models import Activity
from tests.activities.factories import form_data, make_activity, photo


@pytest.fixture
def draft(county):
    return make_activity(unit=county.member_unit, by=county.secretary, photos=1)


@pytest.fixture
def submitted(county):
    return make_activity(unit=county.member_unit, by=county.secretary, state="submitted")


def state_of(activity):
    return Activity.objects.get(pk=activity.pk).state


@pytest.mark.parametrize(
    "persona, status",
    [
        ("secretary", 200),
        ("lead_secretary", 200),
        ("leader", 200),
        ("staff", 200),
        ("other_secretary", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_an_activity(client, county, draft, persona, status):
    client.force_login(getattr(county, persona))
    response = client.get(reverse("activities:detail", args=[draft.pk]))
    assert response.status_code == status
    if status == 200:
        assert draft.title in response.content.decode()


def test_a_participating_unit_sees_the_activity(client, county):
    activity = make_activity(
        unit=county.member_unit, by=county.secretary, participants=[county.other_unit]
    )
    client.force_login(county.other_secretary)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, county, draft):
    for name, args in [
        ("detail", [draft.pk]),
        ("mine", []),
        ("zone", []),
        ("grid", []),
        ("ledger", []),
        ("create", []),
    ]:
        response = client.get(reverse(f"activities:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response.url, name


@pytest.mark.parametrize(
    "persona, status",
    [("secretary", 200), ("staff", 200), ("lead_secretary", 403), ("other_secretary", 404)],
)
def test_who_may_edit_a_draft(client, county, draft, persona, status):
    client.force_login(getattr(county, persona))
    assert client.get(reverse("activities:edit", args=[draft.pk])).status_code == status


def test_the_secretary_cannot_edit_a_submitted_activity_but_staff_can(client, county, submitted):
    client.force_login(county.secretary)
    assert client.get(reverse("activities:edit", args=[submitted.pk])).status_code == 403
    client.force_login(county.staff)
    assert client.get(reverse("activities:edit", args=[submitted.pk])).status_code == 200


def test_secretary_submits_and_a_double_click_does_nothing_more(client, county, draft):
    client.force_login(county.secretary)
    url = reverse("activities:submit", args=[draft.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert state_of(draft) == ActivityState.SUBMITTED
    assert draft.events.filter(action="submitted").count() == 1


@pytest.mark.parametrize("persona, status", [("lead_secretary", 403), ("other_secretary", 404)])
def test_who_may_not_submit(client, county, draft, persona, status):
    client.force_login(getattr(county, persona))
    assert client.post(reverse("activities:submit", args=[draft.pk])).status_code == status
    assert state_of(draft) == ActivityState.DRAFT


@pytest.mark.parametrize("name", ["submit", "confirm", "return"])
def test_actions_refuse_get(client, county, draft, name):
    client.force_login(county.staff)
    assert client.get(reverse(f"activities:{name}", args=[draft.pk])).status_code == 405


@pytest.mark.parametrize("persona", ["lead_secretary", "staff"])
def test_the_lead_unit_or_staff_confirm(client, county, submitted, persona):
    client.force_login(getattr(county, persona))
    response = client.post(reverse("activities:confirm", args=[submitted.pk]))
    assert response.status_code == 302
    assert state_of(submitted) == ActivityState.CONFIRMED


@pytest.mark.parametrize(
    "persona, status", [("secretary", 403), ("leader", 403), ("other_secretary", 404)]
)
def test_who_may_not_confirm(client, county, submitted, persona, status):
    client.force_login(getattr(county, persona))
    assert client.post(reverse("activities:confirm", args=[submitted.pk])).status_code == status
    assert (
        client.post(reverse("activities:return", args=[submitted.pk]), {"reason": "x"}).status_code
        == status
    )
    assert state_of(submitted) == ActivityState.SUBMITTED


def test_the_lead_unit_secretary_of_another_zone_cannot_confirm(client, county, submitted):
    from tests.factories import UnitPostFactory, UserFactory

    other_lead = UserFactory(username="otherlead")
    UnitPostFactory(user=other_lead, unit=county.other_lead_unit)
    client.force_login(other_lead)
    assert client.post(reverse("activities:confirm", args=[submitted.pk])).status_code == 404


def test_confirming_a_draft_is_refused_with_a_message(client, county, draft):
    client.force_login(county.lead_secretary)
    response = client.post(
        reverse("activities:confirm", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert state_of(draft) == ActivityState.DRAFT
    assert "alert-danger" in response.content.decode()


def test_the_lead_unit_returns_with_a_reason(client, county, submitted):
    client.force_login(county.lead_secretary)
    client.post(reverse("activities:return", args=[submitted.pk]), {"reason": "请补充照片"})
    activity = Activity.objects.get(pk=submitted.pk)
    assert activity.state == ActivityState.RETURNED and activity.return_reason == "请补充照片"
    client.force_login(county.secretary)
    page = client.get(reverse("activities:detail", args=[submitted.pk])).content.decode()
    assert "请补充照片" in page


def test_returning_without_a_reason_changes_nothing(client, county, submitted):
    client.force_login(county.lead_secretary)
    client.post(reverse("activities:return", args=[submitted.pk]), {"reason": ""})
    assert state_of(submitted) == ActivityState.SUBMITTED


@pytest.mark.parametrize(
    "persona, status",
    [("lead_secretary", 200), ("staff", 200), ("secretary", 404), ("leader", 404)],
)
def test_who_sees_the_review_queue(client, county, submitted, persona, status):
    client.force_login(getattr(county, persona))
    response = client.get(reverse("activities:queue"))
    assert response.status_code == status
    if status == 200:
        assert submitted.title in response.content.decode()


def test_the_queue_holds_only_the_lead_units_zone(client, county, submitted):
    other = make_activity(
        unit=county.other_unit, by=county.other_secretary, state="submitted", title="第二片区活动"
    )
    client.force_login(county.lead_secretary)
    page = client.get(reverse("activities:queue")).content.decode()
    assert submitted.title in page and other.title not in page


def test_my_units_and_my_zones_lists(client, county, draft):
    other = make_activity(unit=county.other_unit, by=county.other_secretary, title="林业局活动")
    client.force_login(county.secretary)
    page = client.get(reverse("activities:mine")).content.decode()
    assert draft.title in page and other.title not in page
    client.force_login(county.leader)
    page = client.get(reverse("activities:zone")).content.decode()
    assert draft.title in page and other.title not in page


@pytest.mark.parametrize(
    "persona, status", [("secretary", 200), ("staff", 200), ("leader", 403), ("outsider", 403)]
)
def test_who_may_log_an_activity(client, county, persona, status):
    client.force_login(getattr(county, persona))
    assert client.get(reverse("activities:create")).status_code == status


def test_the_secretary_logs_an_activity_with_two_photos(client, county):
    client.force_login(county.secretary)
    response = client.post(
        reverse("activities:create"),
        {**form_data(county), "photos": [photo("a.jpg"), photo("b.jpg")]},
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "activities:detail", args=[activity.pk]
    )
    assert activity.host_unit == county.member_unit and activity.zone == county.zone_a
    assert activity.tag_values == ["study", "action"]
    assert set(activity.participants.all()) == {county.member_unit_2, county.other_unit}
    assert activity.attachments.filter(kind="photo").count() == 2
    assert str(activity.outcomes.get()) == "走访家庭 12户"


def test_a_secretary_cannot_log_for_another_unit(client, county):
    client.force_login(county.secretary)
    response = client.post(
        reverse("activities:create"), form_data(county, host_unit=county.other_unit.pk)
    )
    assert response.status_code == 200 and not Activity.objects.exists()


def test_a_future_date_is_refused_by_the_form(client, county):
    client.force_login(county.secretary)
    response = client.post(reverse("activities:create"), form_data(county, date="2026-12-20"))
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_a_quantity_without_an_outcome_is_refused(client, county):
    client.force_login(county.secretary)
    data = form_data(county, **{"outcomes-1-quantity": "5"})
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 200 and not Activity.objects.exists()


def test_the_secretary_edits_a_returned_activity(client, county):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        state="returned",
        reviewer=county.lead_secretary,
    )
    client.force_login(county.secretary)
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(county, title="补充后", date="2026-10-15"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "补充后" and activity.state == ActivityState.RETURNED


def test_staff_correct_a_confirmed_activity_through_the_page(client, county):
    activity = make_activity(
        unit=county.member_unit, by=county.secretary, state="confirmed", reviewer=county.staff
    )
    client.force_login(county.staff)
    client.post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(county, title="工委更正", date="2026-10-15"),
    )
    activity.refresh_from_db()
    assert activity.title == "工委更正" and activity.state == ActivityState.CONFIRMED
    assert activity.events.latest("pk").action == "corrected"
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "工委更正" in page and 'id="history"' in page


def test_the_activity_page_shows_photos_and_history(client, county, draft):
    client.force_login(county.secretary)
    page = client.get(reverse("activities:detail", args=[draft.pk])).content.decode()
    attachment = draft.attachments.get()
    assert reverse("activities:attachment", args=[draft.pk, attachment.pk]) in page
    assert county.secretary.get_full_name() in page


def test_dates_before_2000_are_not_a_year(client, county):
    client.force_login(county.staff)
    assert client.get(reverse("activities:grid"), {"year": "abc"}).status_code == 404
    assert (
        client.get(reverse("activities:grid"), {"year": datetime.date.today().year}).status_code
        == 200
    )


def test_the_lists_cost_the_same_queries_at_any_size(client, county, django_assert_num_queries):
    from tests.activities.test_grid import grow

    def counts():
        result = {}
        for persona, name in [
            ("secretary", "mine"),
            ("lead_secretary", "zone"),
            ("lead_secretary", "queue"),
        ]:
            client.force_login(getattr(county, persona))
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            client.get(reverse(f"activities:{name}"))  # the reader's cached scope and menu
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(f"activities:{name}")).status_code == 200
            result[name] = len(ctx)
        return result

    for n in range(3):
        make_activity(
            unit=county.member_unit, by=county.secretary, state="submitted", title=f"活动{n}"
        )
    small = counts()
    grow(county, zones=2, per_zone=6)
    for n in range(30):
        make_activity(
            unit=county.member_unit, by=county.secretary, state="submitted", title=f"更多{n}"
        )
    large = counts()
    assert small == large
    # session, user, page (count, rows), the navbar's notifications count (the reader's scope
    # and menu cached per reader and day, issue 20); the zone list adds its filter form's zones
    assert small == {"mine": 5, "zone": 6, "queue": 5}
