"""双报到's communities managed by the county's staff in the portal (until now in the admin only):
the list with each community's registrations, create and edit (name, town or street, its
confirming accounts among the county's), a removal that deactivates a community people
registered with and deletes one nobody did; a deactivated community is offered for no new
registration. Staff only (404 for the others); the community's account keeps its page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from education import services
from education.models import Community
from tests.factories import UserFactory
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English here (the site's language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_staff_add_a_community_with_its_accounts_and_correct_it(client, county, edu):
    account = UserFactory(username="dongcheng", county=county.zone_a.county)
    client.force_login(county.staff)
    url = reverse("education:communities")
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "东城社区", "town": "城关镇", "accounts": [account.pk]})
    assert response.status_code == 302
    community = Community.objects.get()
    assert (community.town, list(community.accounts.all())) == ("城关镇", [account])
    edit = reverse("education:community_edit", args=[community.pk])
    client.post(edit, {"name": "东城社区居委会", "town": "城关镇", "active": "on"})
    community.refresh_from_db()
    assert community.name == "东城社区居委会" and not community.accounts.exists()
    assert "东城社区居委会" in client.get(url).content.decode()


def test_a_taken_name_or_another_countys_account_is_refused_and_nothing_changes(county, edu):
    c = county.zone_a.county
    services.community_create(county=c, name="东城社区")
    with pytest.raises(ValidationError, match="already has a community"):
        services.community_create(county=c, name=" 东城社区 ")
    from tests.factories import CountyFactory

    other = CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])
    stranger = UserFactory(username="zy_account", county=other)
    with pytest.raises(ValidationError, match="not an active account"):
        services.community_create(county=c, name="西城社区", accounts=[stranger])
    assert list(Community.objects.values_list("name", flat=True)) == ["东城社区"]


def test_removing_deactivates_a_community_with_registrations_and_deletes_an_empty_one(
    client, county, edu, fixed_today
):
    fixed_today(datetime.date(2026, 11, 28))
    c = county.zone_a.county
    used = services.community_create(county=c, name="东城社区")
    empty = services.community_create(county=c, name="西城社区")
    person = person_in(county.member_unit, name="吴书记")
    services.registration_create(
        unit=county.member_unit,
        person=person,
        community=used,
        registered_on=datetime.date(2026, 10, 8),
        by=county.secretary,
    )
    client.force_login(county.staff)
    client.post(reverse("education:community_remove", args=[used.pk]))
    client.post(reverse("education:community_remove", args=[empty.pk]))
    used.refresh_from_db()
    assert not used.active and used.registrations.count() == 1
    assert not Community.objects.filter(pk=empty.pk).exists()
    with translation.override("en"), pytest.raises(ValidationError, match="no longer active"):
        services.registration_create(
            unit=county.member_unit,
            person=person,
            community=used,
            registered_on=datetime.date(2026, 11, 8),
            by=county.secretary,
        )
    assert used.registrations.count() == 1


def test_only_staff_manage_and_the_communitys_account_keeps_its_page(client, county, edu):
    account = UserFactory(username="dongcheng", county=county.zone_a.county)
    community = services.community_create(
        county=county.zone_a.county, name="东城社区", accounts=[account]
    )
    urls = [
        reverse("education:communities"),
        reverse("education:community_edit", args=[community.pk]),
    ]
    for user in (county.leader, county.secretary, account):
        client.force_login(user)
        assert [client.get(u).status_code for u in urls] == [404, 404]
        assert (
            client.post(reverse("education:community_remove", args=[community.pk])).status_code
            == 404
        )
    client.force_login(account)
    assert client.get(reverse("education:community", args=[community.pk])).status_code == 200
    assert Community.objects.get().active


def test_the_list_costs_the_same_queries_at_small_and_large_data(client, county, edu):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = county.zone_a.county
    client.force_login(county.staff)
    url = reverse("education:communities")

    def count() -> int:
        client.get(url)  # warm the per-session caches and the reader's cached scope and menu
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.community_create(county=c, name="社区0")
    small = count()
    for i in range(1, 8):
        services.community_create(
            county=c, name=f"社区{i}", accounts=[UserFactory(username=f"acct{i}", county=c)]
        )
    assert count() == small
