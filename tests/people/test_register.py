"""The register's model and services: ID numbers encrypted at rest and unique by digest,
membership over time (one unit at a time, transfers keep history), posts, leaving, the cadre
profile, and who sees whom."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from core.constants import Role
from counties.models import County
from people import crypto, services
from people.constants import Category, LeavingReason, PostKind, Strength
from people.masking import mask_id, mask_phone
from people.models import CadreProfile, Membership, Person, Post
from people.selectors import (
    current_unit,
    find_by_id_number,
    people_visible_to,
    person_match,
    unit_secretary,
)
from tests.factories import CityFactory, UnitFactory, UserFactory
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _english():
    """The messages are read in English (a page rendered before may leave Chinese active)."""
    with translation.override("en"):
        yield


def _raw_row(person: Person) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        return cursor.fetchone()


def test_the_database_column_never_holds_the_plain_id_number(county):
    number = id_number()
    person = person_in(county.member_unit, id_number=number)
    row = _raw_row(person)
    assert not any(number in str(value) for value in row)
    assert not any(number[:14] in str(value) for value in row)  # nor its first 14 characters
    person.refresh_from_db()
    assert person.id_number == number
    assert person.id_number_digest == crypto.digest(number)


def test_the_same_number_encrypts_differently_each_time():
    assert crypto.encrypt("11010519491231002X") != crypto.encrypt("11010519491231002X")


def test_a_person_is_found_by_the_exact_number_only(county):
    number = id_number()
    person = person_in(county.member_unit, id_number=number)
    assert find_by_id_number(number.lower()) == person
    assert find_by_id_number(number[:-1]) is None
    assert find_by_id_number("") is None


def test_a_duplicate_id_number_is_refused_and_nothing_is_created(county):
    number = id_number()
    person_in(county.member_unit, id_number=number)
    with pytest.raises(ValidationError) as exc:
        person_in(county.member_unit_2, name="李娜", id_number=number)
    assert "already registered" in str(exc.value)
    assert Person.objects.count() == 1
    assert Membership.objects.count() == 1


def test_the_database_refuses_a_duplicate_digest_too(county):
    person = person_in(county.member_unit)
    other = person_in(county.member_unit, name="李娜", with_id=False)
    other.id_number_digest = person.id_number_digest
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_a_wrong_checksum_is_refused_with_a_message_and_nothing_is_created(county):
    number = id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        person_in(county.member_unit, id_number=wrong)
    assert "check digit" in str(exc.value)
    assert wrong not in str(exc.value)
    assert not Person.objects.exists()


def test_a_date_of_birth_that_disagrees_with_the_number_is_refused(county):
    number = id_number(born=datetime.date(1985, 3, 14))
    with pytest.raises(ValidationError) as exc:
        person_in(county.member_unit, id_number=number, date_of_birth=datetime.date(1985, 3, 15))
    assert "does not agree" in str(exc.value)
    assert not Person.objects.exists()


def test_the_id_number_is_optional_and_gives_the_birth_and_sex_when_present(county):
    without = person_in(county.member_unit, with_id=False)
    assert without.id_number == "" and without.id_number_digest == ""
    number = id_number(born=datetime.date(1979, 2, 28))
    person = person_in(county.member_unit, name="王芳", id_number=number)
    assert person.date_of_birth == datetime.date(1979, 2, 28)
    assert person.sex in {"male", "female"}


def test_a_probationary_member_has_no_full_membership_date(county):
    with pytest.raises(ValidationError) as exc:
        person_in(
            county.member_unit,
            category=Category.PROBATIONARY,
            full_member_on=datetime.date(2020, 1, 1),
        )
    assert "full_member_on" in exc.value.message_dict
    assert not Person.objects.exists()


def test_a_person_takes_the_county_of_their_unit(county):
    person = person_in(county.member_unit)
    assert person.county_id == county.member_unit.county_id
    assert current_unit(person) == county.member_unit


def test_a_transfer_keeps_the_history_and_one_unit_at_a_time(county):
    person = person_in(county.member_unit, since=datetime.date(2024, 1, 1))
    services.post_assign(
        person=person, unit=county.member_unit, kind=PostKind.SECRETARY, on=DAY, actor=None
    )
    services.person_transfer(
        person=person, to_unit=county.other_unit, on=datetime.date(2025, 9, 1), actor=None
    )
    rows = list(person.memberships.order_by("effective_from"))
    assert [(r.unit, r.effective_from, r.effective_to) for r in rows] == [
        (county.member_unit, datetime.date(2024, 1, 1), datetime.date(2025, 9, 1)),
        (county.other_unit, datetime.date(2025, 9, 1), None),
    ]
    assert current_unit(person) == county.other_unit
    # The post in the old unit ended with the transfer.
    assert Post.objects.get(person=person).effective_to == datetime.date(2025, 9, 1)
    assert unit_secretary(county.member_unit) is None


def test_a_transfer_on_or_before_the_current_start_is_refused(county):
    person = person_in(county.member_unit, since=DAY)
    with pytest.raises(ValidationError):
        services.person_transfer(person=person, to_unit=county.other_unit, on=DAY, actor=None)
    assert person.memberships.count() == 1


def test_a_transfer_to_another_county_is_refused(county):
    other_county = County.objects.create(city=CityFactory(), code="610924", name="紫阳县")
    person = person_in(county.member_unit)
    elsewhere = UnitFactory(county=other_county)
    with pytest.raises(ValidationError) as exc:
        services.person_transfer(person=person, to_unit=elsewhere, on=DAY, actor=None)
    assert "another county" in str(exc.value)
    assert current_unit(person) == county.member_unit


def test_the_database_refuses_two_open_memberships(county):
    person = person_in(county.member_unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, unit=county.other_unit, effective_from=DAY)


def test_a_new_secretary_ends_the_previous_one(county):
    first = person_in(county.member_unit)
    second = person_in(county.member_unit, name="李娜")
    services.post_assign(
        person=first, unit=county.member_unit, kind=PostKind.SECRETARY, on=DAY, actor=None
    )
    services.post_assign(
        person=second,
        unit=county.member_unit,
        kind=PostKind.SECRETARY,
        on=datetime.date(2025, 8, 1),
        actor=None,
    )
    assert unit_secretary(county.member_unit) == second
    assert unit_secretary(county.member_unit, datetime.date(2025, 7, 1)) == first


def test_a_post_needs_membership_of_the_unit(county):
    person = person_in(county.member_unit)
    with pytest.raises(ValidationError) as exc:
        services.post_assign(
            person=person,
            unit=county.other_unit,
            kind=PostKind.DEPUTY_SECRETARY,
            on=DAY,
            actor=None,
        )
    assert "not a member" in str(exc.value)
    assert not Post.objects.exists()


def test_leaving_closes_membership_and_posts_and_keeps_the_person(county, fixed_today):
    fixed_today(datetime.date(2025, 12, 1))
    person = person_in(county.member_unit)
    services.post_assign(
        person=person, unit=county.member_unit, kind=PostKind.WORKER, on=DAY, actor=None
    )
    services.person_leave(
        person=person, reason=LeavingReason.DECEASED, on=datetime.date(2025, 10, 1), actor=None
    )
    person.refresh_from_db()
    assert person.left_on == datetime.date(2025, 10, 1)
    assert current_unit(person) is None
    assert not Post.objects.filter(effective_to__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.person_leave(
            person=person, reason=LeavingReason.DECEASED, on=datetime.date(2025, 11, 1), actor=None
        )


def test_an_unknown_leaving_reason_is_refused(county):
    person = person_in(county.member_unit)
    with pytest.raises(ValidationError):
        services.person_leave(person=person, reason="bored", on=DAY, actor=None)
    person.refresh_from_db()
    assert person.left_on is None


def test_the_cadre_profile_keeps_strengths_in_the_list_order(county):
    person = person_in(county.member_unit)
    profile = services.cadre_profile_update(
        person=person,
        actor=county.staff,
        strengths=[Strength.BUSINESS, Strength.PARTY_AFFAIRS],
        years_of_party_work=8,
        available=True,
    )
    assert profile.strengths == [Strength.PARTY_AFFAIRS, Strength.BUSINESS]
    with pytest.raises(ValidationError):
        services.cadre_profile_update(person=person, actor=county.staff, strengths=["cooking"])
    assert CadreProfile.objects.get().strengths == [Strength.PARTY_AFFAIRS, Strength.BUSINESS]


def test_who_sees_whom(county):
    mine = person_in(county.member_unit)
    theirs = person_in(county.other_unit, name="李娜")
    other_county = County.objects.create(city=CityFactory(), code="610924", name="紫阳县")
    far = person_in(UnitFactory(county=other_county), name="赵强")
    assert set(people_visible_to(county.staff)) == {mine, theirs}
    assert set(people_visible_to(county.leader)) == {mine, theirs}
    assert set(people_visible_to(county.secretary)) == {mine}
    assert set(people_visible_to(county.other_secretary)) == {theirs}
    assert set(people_visible_to(county.outsider)) == set()
    city = UserFactory(username="city", role=Role.CITY_STAFF)
    assert set(people_visible_to(city)) == {mine, theirs, far}


def test_search_by_name_or_initials_never_by_number(county):
    number = id_number()
    person = person_in(county.member_unit, name="张伟", id_number=number, mobile="13856785678")
    found = lambda q: list(Person.objects.filter(person_match(q)))  # noqa: E731
    assert found("张") == [person]
    assert found("zw") == [person]
    assert found(number) == []
    assert found(number[-4:]) == []
    assert found("5678") == []


def test_masking():
    assert mask_id("110105199001011234") == "110105********1234"
    assert mask_phone("13856785678") == "138****5678"
    assert mask_id("") == ""
