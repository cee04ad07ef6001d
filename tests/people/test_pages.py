"""The register's pages: who reads whom, filters, masking everywhere but the audited look, the
cadre profile's edit, and the unit page's secretary and member count from the register."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.constants import Event
from audit.models import AuditEvent
from core.constants import Role
from counties.models import County
from people import services
from people.constants import Category, PostKind, Strength
from people.models import CadreProfile
from tests.factories import CityFactory, UnitFactory, UnitPostFactory, UserFactory
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db
PHONE = "13856785678"


@pytest.fixture
def people(county):
    number = id_number()
    mine = person_in(county.member_unit, name="张伟", id_number=number, mobile=PHONE)
    services.post_assign(
        person=mine,
        unit=county.member_unit,
        kind=PostKind.SECRETARY,
        on=datetime.date(2025, 2, 1),
        actor=None,
    )
    theirs = person_in(
        county.other_unit, name="李娜", category=Category.PROBATIONARY, mobile="13900001111"
    )
    services.cadre_profile_update(person=theirs, actor=None, available=True)
    return {"mine": mine, "theirs": theirs, "number": number}


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _names(response) -> set[str]:
    return set(re.findall(r'href="/people/\d+/">([^<]+)</a>', response.content.decode()))


def test_staff_read_the_county_and_a_secretary_their_unit(client, county, people):
    url = reverse("people:register")
    assert _names(_get(client, county.staff, url)) == {"张伟", "李娜"}
    assert _names(_get(client, county.secretary, url)) == {"张伟"}
    assert _names(_get(client, county.other_secretary, url)) == {"李娜"}


def test_another_countys_staff_get_404_on_a_person(client, county, people):
    ziyang = County.objects.create(city=CityFactory(), code="610924", name="紫阳县")
    zy_staff = UserFactory(username="zy", role=Role.STAFF, county=ziyang)
    response = _get(client, zy_staff, reverse("people:detail", args=[people["mine"].pk]))
    assert response.status_code == 404
    assert _names(_get(client, zy_staff, reverse("people:register"))) == set()


def test_the_filters(client, county, people):
    url = reverse("people:register")
    staff = county.staff
    assert _names(_get(client, staff, url, unit=county.other_unit.pk)) == {"李娜"}
    assert _names(_get(client, staff, url, zone=county.zone_a.pk)) == {"张伟"}
    assert _names(_get(client, staff, url, post=PostKind.SECRETARY)) == {"张伟"}
    assert _names(_get(client, staff, url, category=Category.PROBATIONARY)) == {"李娜"}
    assert _names(_get(client, staff, url, available="yes")) == {"李娜"}
    assert _names(_get(client, staff, url, available="no")) == {"张伟"}
    assert _names(_get(client, staff, url, q="zw")) == {"张伟"}
    assert _names(_get(client, staff, url, q="李")) == {"李娜"}


def test_search_never_finds_by_id_or_phone_number(client, county, people):
    url = reverse("people:register")
    for query in (people["number"], people["number"][-6:], PHONE, PHONE[-4:]):
        assert _names(_get(client, county.staff, url, q=query)) == set()


def test_a_bad_filter_is_ignored_not_an_error(client, county, people):
    response = _get(client, county.staff, reverse("people:register"), unit="x", page="999")
    assert response.status_code == 200


def _has_full(content: str, person_number: str) -> bool:
    return person_number in content or PHONE in content


def test_no_page_shows_a_full_id_or_phone_number_but_the_audited_one(client, county, people):
    person = people["mine"]
    pages = [
        reverse("people:register"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:profile", args=[person.pk]),
        reverse("unit_detail", args=[county.member_unit.pk]),
        # the pages that change the register by hand (issue 16), and who left
        reverse("people:create"),
        reverse("people:edit", args=[person.pk]),
        reverse("people:transfer", args=[person.pk]),
        reverse("people:post_assign", args=[person.pk]),
        reverse("people:register") + "?status=all",
    ]
    for user in (county.staff, county.secretary):
        for url in pages:
            content = _get(client, user, url).content.decode()
            assert not _has_full(content, people["number"]), (user, url)
    leave = _get(client, county.staff, reverse("people:leave", args=[person.pk])).content.decode()
    assert not _has_full(leave, people["number"])
    detail = _get(client, county.staff, pages[1]).content.decode()
    assert people["number"][:6] + "********" + people["number"][-4:] in detail
    assert "138****5678" in detail


def test_the_show_action_shows_the_numbers_and_is_audited(client, county, people):
    person = people["mine"]
    client.force_login(county.secretary)
    url = reverse("people:numbers", args=[person.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert people["number"] in content and PHONE in content
    event = AuditEvent.objects.get(event=Event.PERSONAL_DATA)
    assert event.username == county.secretary.username
    assert people["number"] not in event.detail and PHONE not in event.detail


def test_a_leader_may_read_a_person_but_not_see_the_numbers(client, county, people):
    client.force_login(county.leader)
    detail = client.get(reverse("people:detail", args=[people["mine"].pk]))
    assert detail.status_code == 200
    assert 'id="person-show-numbers"' not in detail.content.decode()
    assert client.post(reverse("people:numbers", args=[people["mine"].pk])).status_code == 403
    assert not AuditEvent.objects.filter(event=Event.PERSONAL_DATA).exists()


def test_the_secretary_edits_their_members_cadre_profile(client, county, people):
    client.force_login(county.secretary)
    url = reverse("people:profile", args=[people["mine"].pk])
    response = client.post(
        url,
        {
            "years_of_party_work": "6",
            "strengths": [Strength.PUBLICITY, Strength.PARTY_AFFAIRS],
            "training": "2025年党务干部培训班",
            "available": "on",
        },
    )
    assert response.status_code == 302
    profile = CadreProfile.objects.get(person=people["mine"])
    assert profile.strengths == [Strength.PARTY_AFFAIRS, Strength.PUBLICITY]
    assert profile.available and profile.updated_by == county.secretary


def test_a_bad_profile_is_refused_and_nothing_changes(client, county, people):
    client.force_login(county.staff)
    url = reverse("people:profile", args=[people["theirs"].pk])
    response = client.post(url, {"years_of_party_work": "-3", "strengths": ["cooking"]})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert CadreProfile.objects.get(person=people["theirs"]).years_of_party_work == 0


def test_a_leader_may_not_edit_a_profile(client, county, people):
    client.force_login(county.leader)
    url = reverse("people:profile", args=[people["mine"].pk])
    assert client.post(url, {"years_of_party_work": "6"}).status_code == 403
    assert not CadreProfile.objects.filter(person=people["mine"]).exists()


def test_the_unit_page_shows_the_registers_secretary_and_count(client, county, people):
    county.member_unit.secretary_name = "旧书记"
    county.member_unit.member_count = 12
    county.member_unit.save()
    client.force_login(county.staff)
    content = client.get(reverse("unit_detail", args=[county.member_unit.pk])).content.decode()
    secretary = re.search(r'id="unit-secretary">(.*?)</dd>', content, re.S).group(1)
    assert "张伟" in secretary and "旧书记" not in secretary
    count = re.search(r'id="unit-member-count">(.*?)</dd>', content, re.S).group(1)
    count = re.sub(r"<[^>]+>", "", count).strip()
    assert count.startswith("1") and "12" in count  # derived 1, stated 12 beside it


def test_a_unit_without_register_shows_the_stated_values(client, county):
    county.member_unit_2.secretary_name = "王书记"
    county.member_unit_2.member_count = 9
    county.member_unit_2.save()
    client.force_login(county.staff)
    content = client.get(reverse("unit_detail", args=[county.member_unit_2.pk])).content.decode()
    assert "王书记" in content
    assert 'id="unit-stated-count"' not in content


def test_a_person_who_left_is_off_the_register_list(client, county, people, fixed_today):
    fixed_today(datetime.date(2026, 11, 1))
    services.person_leave(
        person=people["theirs"],
        reason="deceased",
        on=datetime.date(2026, 10, 1),
        actor=None,
    )
    assert _names(_get(client, county.staff, reverse("people:register"))) == {"张伟"}
    response = _get(client, county.staff, reverse("people:detail", args=[people["theirs"].pk]))
    assert response.status_code == 200 and 'id="person-left"' in response.content.decode()


@pytest.fixture
def english():
    with translation.override("en"):
        yield
    translation.deactivate()  # back to LANGUAGE_CODE, not to no translation at all


def test_an_account_is_linked_to_one_person_of_its_county(county, english):
    person = person_in(county.lead_unit, name="赵强")
    account = UserFactory(username="zhao")
    UnitPostFactory(user=account, unit=county.lead_unit)
    services.person_link_account(person=person, user=account)
    assert account.person == person
    other = person_in(county.lead_unit, name="钱亮")
    with pytest.raises(ValidationError, match="already belongs"):
        services.person_link_account(person=other, user=account)
    ziyang = County.objects.create(city=CityFactory(), code="610924", name="紫阳县")
    far = person_in(UnitFactory(county=ziyang), name="孙丽")
    with pytest.raises(ValidationError, match="another county"):
        services.person_link_account(person=far, user=UserFactory(username="sun"))


def test_the_navigation_search_finds_people_by_name_or_initials_only(client, county, people):
    client.force_login(county.secretary)
    found = client.get(reverse("search"), {"q": "zw"}).content.decode()
    assert 'id="search-people"' in found and "张伟" in found and "李娜" not in found
    by_number = client.get(reverse("search"), {"q": people["number"][-4:]}).content.decode()
    assert 'id="search-people"' not in by_number
    assert not _has_full(found, people["number"])
