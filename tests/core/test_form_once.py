"""A create form sent twice creates once (core.once): the second sending of the same form — a
double tap, a phone resending on a weak connection — answers with the first one's result."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from activities.models import Activity
from core.models import FormSubmission
from reports.models import RollupReport
from tests.activities.factories import form_data
from tests.once import token_in


def test_the_activity_form_carries_a_fresh_token_each_time_it_is_rendered(client, county):
    client.force_login(county.secretary)
    first = token_in(client.get(reverse("activities:create")))
    second = token_in(client.get(reverse("activities:create")))
    assert len(first) >= 40 and first != second
    assert not FormSubmission.objects.exists()  # rendering stores nothing


def test_the_activity_form_sent_twice_creates_one_draft(client, county):
    client.force_login(county.secretary)
    token = token_in(client.get(reverse("activities:create")))
    first = client.post(reverse("activities:create"), form_data(county, once=token))
    second = client.post(reverse("activities:create"), form_data(county, once=token))
    activity = Activity.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("activities:detail", args=[activity.pk])
    notes = [str(m) for m in get_messages(second.wsgi_request)]
    assert "此表单已提交过，以下是上次提交的结果。" in notes  # the portal speaks Chinese


def test_two_renderings_of_the_form_log_two_activities(client, county):
    client.force_login(county.secretary)
    for _ in range(2):
        token = token_in(client.get(reverse("activities:create")))
        client.post(reverse("activities:create"), form_data(county, once=token))
    assert Activity.objects.count() == 2


def test_a_refused_sending_does_not_use_up_the_token(client, county):
    client.force_login(county.secretary)
    token = token_in(client.get(reverse("activities:create")))
    refused = client.post(
        reverse("activities:create"), form_data(county, once=token, date="2026-12-20")
    )
    assert refused.status_code == 200 and token_in(refused) == token
    assert not Activity.objects.exists() and not FormSubmission.objects.exists()
    corrected = client.post(reverse("activities:create"), form_data(county, once=token))
    assert corrected.status_code == 302 and Activity.objects.count() == 1


def test_a_token_of_another_person_is_refused_and_creates_nothing(client, county):
    client.force_login(county.secretary)
    token = token_in(client.get(reverse("activities:create")))
    client.post(reverse("activities:create"), form_data(county, once=token))
    client.force_login(county.staff)
    response = client.post(reverse("activities:create"), form_data(county, once=token))
    assert response.status_code == 200
    assert "此表单已被使用，请刷新页面后重新提交。" in response.content.decode()
    assert Activity.objects.count() == 1


def test_a_token_older_than_a_week_is_forgotten_at_the_next_sending(client, county):
    client.force_login(county.secretary)
    old = FormSubmission.objects.create(token="old", user=county.secretary, path="/x/")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=old.created_at - datetime.timedelta(days=8)
    )
    token = token_in(client.get(reverse("activities:create")))
    client.post(reverse("activities:create"), form_data(county, once=token))
    assert list(FormSubmission.objects.values_list("token", flat=True)) == [token]


@pytest.fixture
def report_page(client, county):
    client.force_login(county.staff)
    return client.get(reverse("reports:list"))


def test_a_report_requested_twice_with_one_form_is_one_report(client, county, report_page):
    token = token_in(report_page)
    data = {"kind": "month", "day": "2026-10-01", "zone": "", "once": token}
    first = client.post(reverse("reports:request"), data)
    second = client.post(reverse("reports:request"), data)
    report = RollupReport.objects.get()
    assert first.url == second.url == reverse("reports:detail", args=[report.pk])
    assert report.version == 1
