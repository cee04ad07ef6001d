"""A contact refused by its form says which field each error is about (three "这个字段是必须的"
told apart by their labels) and records nothing."""

import pytest
from django.urls import reverse

from teams.models import Contact

pytestmark = pytest.mark.django_db


def test_an_empty_contact_names_each_missing_field_and_records_nothing(client, teams):
    client.force_login(teams.member)
    response = client.post(
        reverse("teams:contact_create", args=[teams.team_a.pk]),
        {"unit": "", "contacted_on": "", "way": "", "what": ""},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert sorted(s.split("：")[0] for s in said) == sorted(
        ["组织", "联系日期", "联系方式", "联系内容"]
    )
    assert not Contact.objects.exists()
