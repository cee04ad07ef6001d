"""Forms fuzzed with hypothesis: random text, huge strings, odd Unicode, wrong types and missing
fields. No response is a server error, and a refused submission changes nothing."""

from __future__ import annotations

import datetime
import re

from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.constants import ActivityState
from tests.activities.factories import make_activity

# Text of every kind: control characters, surrogate-free Unicode, huge strings, numbers-as-text.
WILD = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
    st.just("x" * 20000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "2026-13-45",
            "NaN",
            "<script>",
            "'; DROP TABLE x;--",
            "\x00",
            "𠀀",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in ("audit", "sessions", "axes")
    }


def post_and_check(client, url, data):
    before = row_counts()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)
    if response.status_code != 302:  # refused: the form re-rendered, or 4xx
        assert row_counts() == before, (url, data)
    return response


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "host_unit": WILD,
            "date": WILD,
            "form": WILD,
            "tags": WILD,
            "title": WILD,
            "place": WILD,
            "participant_count": WILD,
            "summary": WILD,
            "participants": WILD,
            "outcomes-TOTAL_FORMS": WILD,
            "outcomes-INITIAL_FORMS": WILD,
            "outcomes-0-description": WILD,
            "outcomes-0-quantity": WILD,
            "outcomes-0-measure": WILD,
        },
    )
)
def test_activity_form(client, county, data):
    client.force_login(county.secretary)
    post_and_check(client, reverse("activities:create"), data)


@FUZZ
@given(reason=WILD)
def test_return_reason(client, county, reason):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        state=ActivityState.SUBMITTED,
        date=datetime.date(2026, 10, 9),
    )
    client.force_login(county.lead_secretary)
    response = post_and_check(
        client, reverse("activities:return", args=[activity.pk]), {"reason": reason}
    )
    activity.refresh_from_db()
    if not reason.strip():
        assert activity.state == ActivityState.SUBMITTED
    assert response.status_code in (200, 302, 400)


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={"kind": WILD, "day": WILD, "zone": WILD}))
def test_report_request(staff_client, data):
    post_and_check(staff_client, reverse("reports:request"), data)


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={"zone": WILD, "year": WILD, "quarter": WILD}))
def test_mutual_check_form(client, county, data):
    client.force_login(county.lead_secretary)
    post_and_check(client, reverse("supervision:check_create"), data)


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={"year": WILD, "half": WILD}))
def test_patrol_round_form(staff_client, data):
    post_and_check(staff_client, reverse("supervision:round_create"), data)


@FUZZ
@given(q=WILD)
def test_search(staff_client, q):
    # A control character in the address is refused for every page (core.middleware).
    expected = 400 if re.search(r"[\x00-\x1f\x7f]", q) else 200
    assert staff_client.get(reverse("search"), {"q": q}).status_code == expected


@FUZZ
@given(
    data=st.fixed_dictionaries({}, optional={"zone": WILD, "effective_on": WILD, "reason": WILD})
)
def test_admin_reassignment_form(staff_client, county, data):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    payload = {
        "action": "reassign_units",
        ACTION_CHECKBOX_NAME: [county.member_unit.pk],
        "apply": "1",
        **data,
    }
    post_and_check(staff_client, reverse("admin:zones_unit_changelist"), payload)


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={"username": WILD, "password": WILD}))
def test_login_form(client, db, data):
    post_and_check(client, reverse("login"), data)
