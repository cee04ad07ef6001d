"""双报到, the community's side: its account confirms registrations and services (all or
nothing), publishes needs members sign up to, re-registration after the county's period; the
per-unit figures; who may."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from education import selectors, services
from education.models import CommunityRegistration, CommunityService, NeedClaim
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def place(edu):
    account = UserFactory(username="community", county=edu.county)
    community = services.community_save(county=edu.county, name="东城社区", accounts=[account])
    other = services.community_save(county=edu.county, name="西城社区")
    return community, other, account


def _registered(edu, county, community, *, person=None, on=None, confirmed=True):
    registration = services.registration_create(
        unit=county.member_unit,
        person=person or edu.member,
        community=community,
        registered_on=on or timezone.localdate() - datetime.timedelta(days=10),
        by=county.secretary,
    )
    if confirmed:
        services.community_confirm(
            community=community,
            by=community.accounts.get(),
            registration_ids=[registration.pk],
        )
        registration.refresh_from_db()
    return registration


def test_the_community_confirms_registrations_and_services(edu, county, place):
    community, _other, account = place
    registration = _registered(edu, county, community, confirmed=False)
    service = services.service_log(
        registration=registration,
        done_on=timezone.localdate(),
        description="环境整治",
        hours=Decimal(2),
        by=county.secretary,
        practical_matter=True,
    )
    done = services.community_confirm(
        community=community,
        by=account,
        registration_ids=[registration.pk],
        service_ids=[service.pk],
    )
    assert done == 2
    registration.refresh_from_db()
    assert registration.confirmed and registration.confirmed_by == account
    year = timezone.localdate().year
    (row,) = selectors.unit_community_figures(year, units=[county.member_unit])
    assert (row["members"], row["services"], row["hours"], row["matters"]) == (1, 1, 2, 1)


def test_only_the_communitys_account_confirms_and_all_or_nothing(edu, county, place):
    community, other, account = place
    mine = _registered(edu, county, community, confirmed=False)
    theirs = _registered(edu, county, other, person=edu.second, confirmed=False)
    with pytest.raises(ValidationError, match="Only the community's own account"):
        services.community_confirm(community=community, by=county.staff, registration_ids=[mine.pk])
    with pytest.raises(ValidationError, match="not registered with this community"):
        services.community_confirm(
            community=community, by=account, registration_ids=[mine.pk, theirs.pk]
        )
    with pytest.raises(ValidationError, match="Choose what to confirm"):
        services.community_confirm(community=community, by=account)
    assert not CommunityRegistration.objects.filter(confirmed=True).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"person": "third"}, "was not a member of"),
        ({"registered_on": "future"}, "once it is made"),
        ({"community": "elsewhere"}, "the county's communities"),
    ],
)
def test_bad_registrations_are_refused(edu, county, place, change, message):
    community = place[0]
    values = {
        "unit": county.member_unit,
        "person": edu.member,
        "community": community,
        "registered_on": timezone.localdate(),
        "by": county.secretary,
    }
    if change.get("person"):
        values["person"] = edu.third
    if change.get("registered_on"):
        values["registered_on"] = timezone.localdate() + datetime.timedelta(days=1)
    if change.get("community"):
        elsewhere = CountyFactory(code="610926", name="平利县", short_name="平利")
        values["community"] = services.community_save(county=elsewhere, name="外县社区")
    with pytest.raises(ValidationError, match=message):
        services.registration_create(**values)
    assert not CommunityRegistration.objects.exists()


def test_a_registration_twice_on_a_day_is_refused(edu, county, place):
    registration = _registered(edu, county, place[0])
    with pytest.raises(ValidationError, match="already recorded"):
        services.registration_create(
            unit=county.member_unit,
            person=edu.member,
            community=place[0],
            registered_on=registration.registered_on,
            by=county.secretary,
        )


def test_a_member_signs_up_to_a_need_once_while_it_has_room(edu, county, place):
    community, _other, account = place
    need = services.need_publish(community=community, title="周末环境整治", wanted=1, by=account)
    with pytest.raises(ValidationError, match="Only members registered"):
        services.need_claim(need=need, person=edu.member)  # not registered
    _registered(edu, county, community, confirmed=False)
    with pytest.raises(ValidationError, match="Only members registered"):
        services.need_claim(need=need, person=edu.member)  # not confirmed yet
    services.community_confirm(
        community=community,
        by=account,
        registration_ids=list(CommunityRegistration.objects.values_list("pk", flat=True)),
    )
    services.need_claim(need=need, person=edu.member)
    with pytest.raises(ValidationError, match="already signed up"):
        services.need_claim(need=need, person=edu.member)
    _registered(edu, county, community, person=edu.second)
    with pytest.raises(ValidationError, match="all the people it wants"):
        services.need_claim(need=need, person=edu.second)
    need.closed = True
    need.save()
    with pytest.raises(ValidationError, match="closed"):
        services.need_claim(need=need, person=edu.second)
    assert NeedClaim.objects.count() == 1


def test_a_registration_due_for_re_registration_signs_up_to_nothing(edu, county, place):
    community, _other, account = place
    old = _registered(
        edu, county, community, on=timezone.localdate() - datetime.timedelta(days=200)
    )
    need = services.need_publish(community=community, title="文明劝导", by=account)
    with pytest.raises(ValidationError, match="not due for re-registration"):
        services.need_claim(need=need, person=edu.member)
    (shown,) = selectors.person_community(edu.member)["registrations"]
    assert shown.expired
    renewed = services.registration_renew(
        registration=old, on=timezone.localdate(), by=edu.member_user
    )
    assert not renewed.confirmed
    services.community_confirm(community=community, by=account, registration_ids=[renewed.pk])
    services.need_claim(need=need, person=edu.member)
    with pytest.raises(ValidationError, match="after the registration it renews"):
        services.registration_renew(registration=renewed, on=renewed.registered_on, by=county.staff)


def test_bad_needs_and_services_are_refused(edu, county, place):
    community, other, account = place
    with pytest.raises(ValidationError, match="Only the community's own account"):
        services.need_publish(community=community, title="x", by=county.secretary)
    with pytest.raises(ValidationError, match="Say what the community needs"):
        services.need_publish(community=community, title=" ", by=account)
    with pytest.raises(ValidationError, match="At least one"):
        services.need_publish(community=community, title="x", wanted=0, by=account)
    registration = _registered(edu, county, community)
    other.accounts.add(account)
    elsewhere = services.need_publish(community=other, title="y", by=account)
    with pytest.raises(ValidationError, match="another community's"):
        services.service_log(
            registration=registration,
            done_on=timezone.localdate(),
            description="z",
            hours=Decimal(1),
            by=county.secretary,
            need=elsewhere,
        )
    assert not CommunityService.objects.exists()


def test_the_pages_of_the_community_the_unit_and_the_member(client, edu, county, place):
    community, other, account = place
    registration = _registered(edu, county, community, confirmed=False)
    client.force_login(account)
    assert client.get(reverse("education:index")).url == reverse(
        "education:community", args=[community.pk]
    )
    page = client.get(reverse("education:community", args=[community.pk]))
    assert "王芳" in page.content.decode()
    assert client.get(reverse("education:community", args=[other.pk])).status_code == 404
    client.post(
        reverse("education:community_confirm", args=[community.pk]),
        {"registration": [registration.pk]},
    )
    registration.refresh_from_db()
    assert registration.confirmed
    client.post(
        reverse("education:need_create", args=[community.pk]), {"title": "助老服务", "wanted": 2}
    )
    need = community.needs.get()

    client.force_login(edu.member_user)
    mine = client.get(reverse("education:mine")).content.decode()
    assert "助老服务" in mine and "东城社区" in mine
    client.post(reverse("education:need_claim", args=[need.pk]))
    assert need.claims.count() == 1
    logged = client.post(
        reverse("education:service_create", args=[registration.pk]),
        {
            "done_on": timezone.localdate().isoformat(),
            "description": "助老服务",
            "hours": "2",
            "need": need.pk,
        },
    )
    assert logged.status_code == 302
    assert CommunityService.objects.get().need == need

    client.force_login(county.secretary)
    unit_page = client.get(reverse("education:unit", args=[county.member_unit.pk]))
    assert b"unit-community-figures" in unit_page.content
    client.post(
        reverse("education:registration_create", args=[county.member_unit.pk]),
        {
            "person": edu.second.pk,
            "community": community.pk,
            "registered_on": timezone.localdate().isoformat(),
        },
    )
    assert CommunityRegistration.objects.filter(person=edu.second).exists()
    client.force_login(county.other_secretary)
    assert (
        client.get(reverse("education:service_create", args=[registration.pk])).status_code == 404
    )
