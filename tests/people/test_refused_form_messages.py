"""A post's end refused by its form names the field (结束日期) and changes nothing."""

import datetime

import pytest
from django.urls import reverse

from people import services
from people.constants import PostKind
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db


def test_an_end_without_a_day_names_the_field_and_changes_nothing(client, county):
    member = person_in(county.member_unit, name="张伟")
    post = services.post_assign(
        person=member,
        unit=county.member_unit,
        kind=PostKind.WORKER,
        on=datetime.date(2026, 3, 1),
        actor=None,
    )
    client.force_login(county.staff)
    response = client.post(
        reverse("people:post_end", args=[member.pk, post.pk]), {"on": ""}, follow=True
    )
    (said,) = [str(m) for m in response.context["messages"]]
    assert said.startswith("结束日期：")
    post.refresh_from_db()
    assert post.effective_to is None
