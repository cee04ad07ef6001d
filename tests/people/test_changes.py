"""Changes to the register by hand (issue 16): registering a person, editing their details,
the transfer of their membership (组织关系转接), their posts and their leaving — who may, each
refusal (with nothing changed), and the register's current / left / all filter."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from counties.models import County
from people import services
from people.constants import LeavingReason, PostKind
from people.idnumber import compose
from people.models import Membership, Person, Post
from tests.factories import CityFactory, UnitFactory
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
PHONE = "13856785678"


@pytest.fixture(autouse=True)
def _today(fixed_today):
    fixed_today(TODAY)


def _form_errors(response) -> dict:
    assert response.status_code == 200, response.get("Location")
    return response.context["form"].errors


def _new(in_unit, **over) -> dict:
    data = {
        "unit": in_unit.pk,
        "since": "2026-03-01",
        "name": "刘洋",
        "id_number": compose(region="610922", born=datetime.date(1988, 5, 20), sequence=31),
        "date_of_birth": "1988-05-20",
        "mobile": PHONE,
        "category": "full",
        "joined_on": "2012-07-01",
        "full_member_on": "2013-07-01",
        "job_title": "科员",
        "ethnicity": "01",
        "education": "bachelor",
    }
    data.update(over)
    return data


# --- registering by hand --------------------------------------------------------------------


def test_staff_register_a_person_in_a_unit_from_a_day(client, county):
    client.force_login(county.staff)
    response = client.post(reverse("people:create"), _new(county.member_unit))
    person = Person.objects.get(name="刘洋")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    membership = Membership.objects.get(person=person)
    assert membership.unit == county.member_unit
    assert membership.effective_from == datetime.date(2026, 3, 1)
    assert membership.created_by == county.staff
    assert person.sex == "male" and person.date_of_birth == datetime.date(1988, 5, 20)
    assert person.id_number_token and person.mobile == PHONE


def test_the_create_form_lists_a_secretarys_own_unit_only(client, county):
    client.force_login(county.secretary)
    form = client.get(reverse("people:create")).context["form"]
    assert list(form.fields["unit"].queryset) == [county.member_unit]
    response = client.post(reverse("people:create"), _new(county.other_unit))
    assert "unit" in _form_errors(response)
    client.post(reverse("people:create"), _new(county.member_unit))
    assert Membership.objects.get(person__name="刘洋").unit == county.member_unit


def test_a_leader_may_not_register_anyone(client, county):
    client.force_login(county.leader)
    assert client.get(reverse("people:create")).status_code == 403
    assert client.post(reverse("people:create"), _new(county.member_unit)).status_code == 403
    assert not Person.objects.exists()


def _refused(client, county, **over) -> dict:
    client.force_login(county.staff)
    before = Person.objects.count()
    errors = _form_errors(client.post(reverse("people:create"), _new(county.member_unit, **over)))
    assert (
        Person.objects.count() == before
        and not Membership.objects.filter(person__name="刘洋").exists()
    )
    return errors


def test_a_wrong_check_digit_is_refused(client, county):
    good = _new(county.member_unit)["id_number"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "id_number" in _refused(client, county, id_number=bad)


def test_a_date_of_birth_that_disagrees_with_the_id_number_is_refused(client, county):
    assert "id_number" in _refused(client, county, date_of_birth="1988-05-21")


def test_a_registered_id_number_is_refused(client, county):
    number = id_number()
    person_in(county.other_unit, name="李娜", id_number=number)
    errors = _refused(client, county, id_number=number, date_of_birth="1985-03-14")
    assert "id_number" in errors
    assert number not in str(errors)  # the message never repeats the number


@pytest.mark.parametrize("field", ["since", "date_of_birth", "joined_on", "full_member_on"])
def test_a_date_in_the_future_is_refused(client, county, field):
    assert field in _refused(client, county, **{field: "2026-12-01"})


def test_a_unit_of_another_county_is_refused(client, county):
    ziyang = County.objects.create(city=CityFactory(), code="610924", name="紫阳县")
    far = UnitFactory(county=ziyang, name="紫阳县教育局")
    assert "unit" in _refused(client, county, unit=far.pk)


def test_a_bad_mobile_number_is_refused(client, county):
    assert "mobile" in _refused(client, county, mobile="12345")


# --- editing --------------------------------------------------------------------------------


@pytest.fixture
def member(county):
    number = id_number()
    person = person_in(county.member_unit, name="张伟", id_number=number, mobile=PHONE)
    person.plain_number = number
    return person


def test_the_edit_form_never_shows_the_full_numbers(client, county, member):
    for user in (county.staff, county.secretary):
        client.force_login(user)
        content = client.get(reverse("people:edit", args=[member.pk])).content.decode()
        assert member.plain_number not in content and PHONE not in content
        assert "138****5678" in content  # the stored value, masked, as the help text


def test_the_secretary_edits_a_member_and_empty_numbers_keep_the_stored_ones(
    client, county, member
):
    client.force_login(county.secretary)
    response = client.post(
        reverse("people:edit", args=[member.pk]),
        {"name": "张伟", "category": "full", "joined_on": "2010-07-01", "job_title": "副科长"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.job_title == "副科长"
    assert member.id_number == member.plain_number and member.mobile == PHONE


def test_an_edit_with_a_duplicate_id_number_changes_nothing(client, county, member):
    other = id_number(born=datetime.date(1990, 1, 2))
    person_in(county.other_unit, name="李娜", id_number=other)
    client.force_login(county.staff)
    response = client.post(
        reverse("people:edit", args=[member.pk]),
        {"name": "张三", "category": "full", "id_number": other, "joined_on": "2010-07-01"},
    )
    assert "id_number" in _form_errors(response)
    member.refresh_from_db()
    assert member.name == "张伟" and member.id_number == member.plain_number


def test_an_edit_with_a_future_date_changes_nothing(client, county, member):
    client.force_login(county.staff)
    response = client.post(
        reverse("people:edit", args=[member.pk]),
        {"name": "张伟", "category": "full", "joined_on": "2027-01-01"},
    )
    assert "joined_on" in _form_errors(response)
    member.refresh_from_db()
    assert member.joined_on == datetime.date(2010, 7, 1)


def test_a_date_of_birth_that_disagrees_with_the_stored_id_number_is_refused(
    client, county, member
):
    client.force_login(county.staff)
    response = client.post(
        reverse("people:edit", args=[member.pk]),
        {"name": "张伟", "category": "full", "date_of_birth": "1985-03-15"},
    )
    assert "date_of_birth" in _form_errors(response)
    member.refresh_from_db()
    assert member.date_of_birth == datetime.date(1985, 3, 14)


def test_a_secretary_may_not_edit_another_units_member(client, county, member):
    client.force_login(county.other_secretary)
    response = client.post(reverse("people:edit", args=[member.pk]), {"name": "x"})
    assert response.status_code == 404
    client.force_login(county.leader)
    response = client.post(reverse("people:edit", args=[member.pk]), {"name": "x"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name == "张伟"


# --- transfer (组织关系转接) -------------------------------------------------------------------


def test_staff_transfer_a_member_and_the_history_is_kept(client, county, member):
    services.post_assign(
        person=member,
        unit=county.member_unit,
        kind=PostKind.ORGANIZATION,
        on=datetime.date(2025, 6, 1),
        actor=None,
    )
    client.force_login(county.staff)
    response = client.post(
        reverse("people:transfer", args=[member.pk]),
        {"to_unit": county.other_unit.pk, "on": "2026-09-01", "reason": "组织关系介绍信第12号"},
    )
    assert response["Location"] == reverse("people:detail", args=[member.pk])
    rows = list(Membership.objects.filter(person=member).order_by("effective_from"))
    assert [(m.unit, m.effective_from, m.effective_to) for m in rows] == [
        (county.member_unit, datetime.date(2025, 1, 1), datetime.date(2026, 9, 1)),
        (county.other_unit, datetime.date(2026, 9, 1), None),
    ]
    assert rows[1].reason == "组织关系介绍信第12号"
    assert Post.objects.get(person=member).effective_to == datetime.date(2026, 9, 1)
    page = client.get(reverse("people:detail", args=[member.pk])).content.decode()
    table = re.search(r'id="person-memberships">(.*?)</table>', page, re.S).group(1)
    assert county.member_unit.name in table and county.other_unit.name in table


def test_a_secretary_transfers_their_member_out_and_no_longer_reads_them(client, county, member):
    client.force_login(county.secretary)
    response = client.post(
        reverse("people:transfer", args=[member.pk]),
        {"to_unit": county.other_unit.pk, "on": "2026-11-20"},
    )
    assert response["Location"] == reverse("people:register")
    assert client.get(reverse("people:detail", args=[member.pk])).status_code == 404


@pytest.mark.parametrize(
    "data, field",
    [
        ({"on": "2026-12-01"}, "on"),  # in the future
        ({"on": "2025-01-01"}, None),  # not after the current membership began
    ],
)
def test_a_bad_transfer_date_is_refused_and_nothing_changes(client, county, member, data, field):
    client.force_login(county.staff)
    response = client.post(
        reverse("people:transfer", args=[member.pk]), {"to_unit": county.other_unit.pk, **data}
    )
    errors = _form_errors(response)
    assert (field or "__all__") in errors
    assert Membership.objects.get(person=member).unit == county.member_unit


def test_nobody_transfers_a_member_into_another_county(client, county, member):
    ziyang = County.objects.create(city=CityFactory(), code="610924", name="紫阳县")
    far = UnitFactory(county=ziyang, name="紫阳县教育局")
    for user in (county.staff, county.secretary):
        client.force_login(user)
        response = client.post(
            reverse("people:transfer", args=[member.pk]), {"to_unit": far.pk, "on": "2026-10-01"}
        )
        assert "to_unit" in _form_errors(response)
    assert Membership.objects.get(person=member).unit == county.member_unit


def test_the_transfer_form_offers_only_other_units_of_the_county(client, county, member):
    client.force_login(county.staff)
    form = client.get(reverse("people:transfer", args=[member.pk])).context["form"]
    units = set(form.fields["to_unit"].queryset)
    assert county.member_unit not in units and county.other_unit in units


# --- posts ----------------------------------------------------------------------------------


def test_the_secretary_records_a_post_and_ends_it(client, county, member):
    client.force_login(county.secretary)
    response = client.post(
        reverse("people:post_assign", args=[member.pk]),
        {"kind": PostKind.PUBLICITY, "on": "2026-02-01"},
    )
    assert response.status_code == 302
    post = Post.objects.get(person=member)
    assert (post.unit, post.kind, post.effective_from) == (
        county.member_unit,
        PostKind.PUBLICITY,
        datetime.date(2026, 2, 1),
    )
    url = reverse("people:post_end", args=[member.pk, post.pk])
    assert client.post(url, {"on": "2026-11-01"}).status_code == 302
    post.refresh_from_db()
    assert post.effective_to == datetime.date(2026, 11, 1)
    # a second click changes nothing
    assert client.post(url, {"on": "2026-11-10"}).status_code == 302
    post.refresh_from_db()
    assert post.effective_to == datetime.date(2026, 11, 1)


def test_a_new_secretary_ends_the_previous_ones_post(client, county, member):
    before = person_in(county.member_unit, name="王芳", since=datetime.date(2024, 1, 1))
    services.post_assign(
        person=before,
        unit=county.member_unit,
        kind=PostKind.SECRETARY,
        on=datetime.date(2024, 2, 1),
        actor=None,
    )
    client.force_login(county.staff)
    client.post(
        reverse("people:post_assign", args=[member.pk]),
        {"kind": PostKind.SECRETARY, "on": "2026-10-08"},
    )
    assert Post.objects.get(person=before).effective_to == datetime.date(2026, 10, 8)
    assert Post.objects.get(person=member).effective_to is None


@pytest.mark.parametrize("day", ["2026-12-01", "2024-06-01"])  # future; before the membership
def test_a_bad_post_date_is_refused_and_nothing_changes(client, county, member, day):
    client.force_login(county.staff)
    response = client.post(
        reverse("people:post_assign", args=[member.pk]), {"kind": PostKind.PUBLICITY, "on": day}
    )
    assert _form_errors(response)
    assert not Post.objects.filter(person=member).exists()


def test_a_post_cannot_end_in_the_future_or_before_it_began(client, county, member):
    post = services.post_assign(
        person=member,
        unit=county.member_unit,
        kind=PostKind.WORKER,
        on=datetime.date(2026, 3, 1),
        actor=None,
    )
    client.force_login(county.staff)
    url = reverse("people:post_end", args=[member.pk, post.pk])
    for day in ("2026-12-01", "2026-03-01"):
        assert client.post(url, {"on": day}).status_code == 302
        post.refresh_from_db()
        assert post.effective_to is None


# --- leaving --------------------------------------------------------------------------------


def test_staff_record_a_leaving_and_the_register_filters_by_status(client, county, member):
    stays = person_in(county.member_unit, name="李娜")
    client.force_login(county.staff)
    response = client.post(
        reverse("people:leave", args=[member.pk]),
        {"reason": LeavingReason.TRANSFERRED_OUT, "on": "2026-10-31"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2026, 10, 31)
    assert Membership.objects.get(person=member).effective_to == datetime.date(2026, 10, 31)

    def names(status=None):
        params = {"status": status} if status else {}
        content = client.get(reverse("people:register"), params).content.decode()
        return set(re.findall(r'href="/people/\d+/">([^<]+)</a>', content)), content

    assert names()[0] == {stays.name}
    left, content = names("left")
    assert left == {"张伟"}
    cell = re.search(r'class="person-left-on">(.*?)</td>', content, re.S).group(1)
    assert "2026" in cell and str(LeavingReason.TRANSFERRED_OUT.label) in cell
    assert names("all")[0] == {"张伟", "李娜"}


def test_a_secretary_may_not_record_a_leaving(client, county, member):
    client.force_login(county.secretary)
    response = client.post(
        reverse("people:leave", args=[member.pk]),
        {"reason": LeavingReason.DECEASED, "on": "2026-10-31"},
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.left_on is None


def test_a_leaving_in_the_future_is_refused(client, county, member):
    client.force_login(county.staff)
    response = client.post(
        reverse("people:leave", args=[member.pk]),
        {"reason": LeavingReason.DECEASED, "on": "2026-12-01"},
    )
    assert "on" in _form_errors(response)
    member.refresh_from_db()
    assert member.left_on is None


def test_who_left_is_changed_by_nobody(client, county, member):
    services.person_leave(
        person=member, reason=LeavingReason.DECEASED, on=datetime.date(2026, 10, 1), actor=None
    )
    client.force_login(county.staff)
    for name in ("people:edit", "people:transfer", "people:post_assign", "people:leave"):
        assert client.get(reverse(name, args=[member.pk])).status_code == 403, name
    page = client.get(reverse("people:detail", args=[member.pk])).content.decode()
    assert 'id="person-actions"' not in page


# --- the person page and the unit page link up ----------------------------------------------


def test_the_unit_page_links_to_its_secretary_and_members_for_who_reads_them(
    client, county, member
):
    services.post_assign(
        person=member,
        unit=county.member_unit,
        kind=PostKind.SECRETARY,
        on=datetime.date(2025, 2, 1),
        actor=None,
    )
    url = reverse("unit_detail", args=[county.member_unit.pk])
    for user in (county.staff, county.secretary):
        client.force_login(user)
        content = client.get(url).content.decode()
        assert reverse("people:detail", args=[member.pk]) in content
        assert f"{reverse('people:register')}?unit={county.member_unit.pk}" in content
    client.force_login(county.lead_secretary)  # reads the unit, not its people
    content = client.get(url).content.decode()
    assert reverse("people:detail", args=[member.pk]) not in content
    assert 'id="unit-register-link"' not in content
    client.force_login(county.secretary)
    page = client.get(reverse("people:detail", args=[member.pk])).content.decode()
    assert reverse("unit_detail", args=[county.member_unit.pk]) in page
