"""The six classrooms' records in the admin: a county's staff reach them (they were not among
the staff's admin apps, so only the superuser could), see and add only their county's, and a
duplicate within the county is refused with a message, not an error page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.constants import Role
from education.models import Classroom, Community
from tests.factories import CountyFactory, UserFactory


@pytest.fixture
def pingli(db):
    return CountyFactory(code="610926", name="平利县", short_name="平利", mechanisms=["education"])


@pytest.fixture
def pl_staff(pingli):
    return UserFactory(username="pl_staff", role=Role.STAFF, is_staff=True, county=pingli)


def test_a_countys_staff_keep_their_classrooms_and_communities_in_the_admin(
    client, county, pingli, pl_staff
):
    shiquan = county.zone_a.county
    theirs = Classroom.objects.create(county=shiquan, name="理论课堂", kind="theory")
    client.force_login(pl_staff)
    assert client.get(reverse("admin:education_classroom_changelist")).status_code == 200
    added = client.post(
        reverse("admin:education_classroom_add"),
        {"name": "理论课堂", "kind": "theory", "order": 1, "active": "on"},
    )
    assert added.status_code == 302
    ours = Classroom.objects.get(county=pingli)
    assert ours.name == "理论课堂"  # the same name as 石泉县's: another county's is no matter
    # a second 理论课堂 in 平利县: refused with a message, nothing added
    again = client.post(
        reverse("admin:education_classroom_add"),
        {"name": "理论课堂", "kind": "theory", "order": 2, "active": "on"},
    )
    assert again.status_code == 200
    assert "本县已有同名课堂" in again.context["adminform"].form.errors.as_text()
    assert Classroom.objects.filter(county=pingli).count() == 1
    # 石泉县's classroom is not found
    change = reverse("admin:education_classroom_change", args=[theirs.pk])
    assert client.get(change).status_code == 404
    # a community's accounts are chosen among 平利县's people only
    other = UserFactory(username="sq_person", role=Role.SECRETARY, county=shiquan)
    form = client.get(reverse("admin:education_community_add")).context["adminform"].form
    choices = set(form.fields["accounts"].queryset.values_list("pk", flat=True))
    assert pl_staff.pk in choices and other.pk not in choices
    refused = client.post(
        reverse("admin:education_community_add"), {"name": "城关社区", "accounts": [other.pk]}
    )
    assert refused.status_code == 200 and not Community.objects.exists()
