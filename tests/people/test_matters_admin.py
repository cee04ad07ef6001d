"""The records of service (PracticalMatter) in the admin site: the county's committee staff
find a person's records there, by name, pinyin initials or words, filtered by confirmation,
mechanism and category; only their own county's; nothing is added, changed or deleted there
(each record belongs to the mechanism's page it came through)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.constants import Role
from people.constants import MatterCategory, MatterSource
from people.models import PracticalMatter
from tests.factories import CountyFactory, UserFactory, ZoneFactory, unit_in_zone
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db
LIST = "admin:people_practicalmatter_changelist"


def _matter(person, description, *, confirmed=True, source=MatterSource.TEAMS):
    return PracticalMatter.objects.create(
        person=person,
        done_on=datetime.date(2026, 3, 2),
        category=MatterCategory.REPAIR,
        hours=Decimal("1.5"),
        description=description,
        source=source,
        confirmed_at=timezone.now() if confirmed else None,
    )


@pytest.fixture
def matters(county):
    zhang = person_in(county.member_unit, name="张伟")
    li = person_in(county.member_unit_2, name="李娜")
    other = CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])
    zone = ZoneFactory(county=other, number=1)
    far = person_in(unit_in_zone(zone, county=other), name="王芳")
    return {
        "confirmed": _matter(zhang, "帮助修理水管"),
        "awaiting": _matter(li, "陪同就医", confirmed=False, source=MatterSource.COMMUNITY),
        "elsewhere": _matter(far, "清扫街道"),
        "other_county": other,
    }


def _listed(client, **params) -> set[str]:
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return {matter.description for matter in response.context["cl"].result_list}


def test_the_county_staff_find_their_countys_records_by_name_initials_and_words(
    client, county, matters
):
    client.force_login(county.staff)
    assert _listed(client) == {"帮助修理水管", "陪同就医"}  # not the other county's
    assert _listed(client, q="zw") == {"帮助修理水管"}
    assert _listed(client, q="李娜") == {"陪同就医"}
    assert _listed(client, q="就医") == {"陪同就医"}
    assert _listed(client, q="清扫") == set()


def test_the_records_filter_by_confirmation_and_mechanism(client, county, matters):
    client.force_login(county.staff)
    assert _listed(client, confirmed="yes") == {"帮助修理水管"}
    assert _listed(client, confirmed="no") == {"陪同就医"}
    assert _listed(client, source=MatterSource.COMMUNITY) == {"陪同就医"}


def test_another_countys_staff_never_open_a_record(client, county, matters):
    staff = UserFactory(
        username="zy_admin", role=Role.STAFF, county=matters["other_county"], is_staff=True
    )
    client.force_login(staff)
    assert _listed(client) == {"清扫街道"}
    url = reverse("admin:people_practicalmatter_change", args=[matters["confirmed"].pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect
    assert "帮助修理水管" not in client.get(url, follow=True).content.decode()


def test_nobody_adds_changes_or_deletes_a_record_in_the_admin(client, county, matters):
    client.force_login(county.staff)
    matter = matters["confirmed"]
    assert client.get(reverse("admin:people_practicalmatter_add")).status_code == 403
    change = reverse("admin:people_practicalmatter_change", args=[matter.pk])
    page = client.get(change)
    assert page.status_code == 200 and "帮助修理水管" in page.content.decode()
    assert client.post(change, {"description": "改过"}).status_code == 403
    delete = reverse("admin:people_practicalmatter_delete", args=[matter.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    matter.refresh_from_db()
    assert matter.description == "帮助修理水管"
