"""The system administrator adds a county to the city (issue 15): the county, the mechanisms
it runs and its first staff account with a one-time password that must be changed — and the
new staff sign in and see their new county only, empty, with no error."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from counties.constants import Mechanism
from counties.models import County, CountyMechanism
from tests.helpers import sign_in

User = get_user_model()
ADD = "admin:counties_county_add"


def _form(county, **changes):
    data = {
        "city": county.staff.county.city_id,
        "name": "汉滨区",
        "short_name": "汉滨",
        "code": "610902",
        "mechanisms": [Mechanism.ZONES],
        "staff_username": "hb_staff",
        "staff_full_name": "钱工委",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_system_administrator_adds_a_county_and_its_first_staff_who_sign_in_to_it(
    client, county, administrators
):
    client.force_login(administrators.system)
    page = client.get(reverse(ADD))
    assert page.status_code == 200
    assert 'name="staff_username"' in page.content.decode()

    response = client.post(reverse(ADD), _form(county), follow=True)

    assert response.status_code == 200
    new = County.objects.get(code="610902")
    assert (new.name, new.short_name, new.city_id) == (
        "汉滨区",
        "汉滨",
        county.staff.county.city_id,
    )
    assert list(new.mechanisms.values_list("mechanism", flat=True)) == [Mechanism.ZONES]
    staff = User.objects.get(username="hb_staff")
    assert (staff.county_id, staff.role, staff.full_name) == (new.pk, "staff", "钱工委")
    assert staff.must_change_password
    # the one-time password is shown once, in the message after saving
    (password,) = re.findall(r"一次性密码[：:]\s*(\S+?)(?:\s|—)", response.content.decode())
    assert staff.check_password(password)

    # the new staff sign in with it and must choose their own before anything else
    client.logout()
    signed = sign_in(client, "hb_staff", password)
    assert signed.status_code == 302
    assert client.get(reverse("dashboard")).url.startswith(reverse("password_change"))
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Hanbin@2026x",
            "new_password2": "Hanbin@2026x",
        },
    )
    assert changed.status_code == 302
    staff.refresh_from_db()
    assert not staff.must_change_password

    # their county, empty: every page of theirs opens, with none of 石泉县's records
    for name in ("home", "dashboard", "activities:grid", "activities:ledger", "reports:list"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        text = response.content.decode()
        assert "石泉" not in text and county.zone_a.name not in text, name
    assert "汉滨区机关党建工作平台" in client.get(reverse("dashboard")).content.decode()
    # and another county's records answer 404
    assert client.get(reverse("zone_detail", args=[county.zone_a.pk])).status_code == 404


def test_a_county_without_mechanisms_has_its_staff_and_none_of_the_zones_pages(
    client, county, administrators
):
    client.force_login(administrators.system)
    client.post(reverse(ADD), _form(county, mechanisms=[]))
    new = County.objects.get(code="610902")
    assert not CountyMechanism.objects.filter(county=new).exists()
    staff = User.objects.get(username="hb_staff")
    User.objects.filter(pk=staff.pk).update(must_change_password=False)  # changed already
    client.force_login(staff)
    assert client.get(reverse("activities:grid")).status_code == 404
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"staff_username": "staff"}, "staff_username"),  # 石泉县's staff has it
        ({"staff_username": "STAFF"}, "staff_username"),  # case aside
        ({"staff_username": ""}, "staff_username"),
        ({"code": "610922"}, "code"),  # 石泉县's code
        ({"code": "61092"}, "code"),
        ({"mechanisms": ["nonsense"]}, "mechanisms"),
    ],
)
def test_a_bad_county_is_refused_with_the_reason_and_nothing_is_created(
    client, county, administrators, changes, field
):
    client.force_login(administrators.system)
    counties, users = County.objects.count(), User.objects.count()
    response = client.post(reverse(ADD), _form(county, **changes))
    assert response.status_code == 200  # the form again, with its errors
    assert field in response.context["adminform"].form.errors
    assert (County.objects.count(), User.objects.count()) == (counties, users)


def test_the_service_refuses_a_taken_username_creating_nothing(county):
    from django.core.exceptions import ValidationError

    from counties.services import county_create

    counties = County.objects.count()
    with pytest.raises(ValidationError) as refused:
        county_create(
            county=County(city=county.staff.county.city, name="汉滨区", code="610902"),
            mechanisms=[Mechanism.ZONES],
            staff_username="staff",
        )
    assert "staff_username" in refused.value.message_dict
    assert County.objects.count() == counties


@pytest.mark.parametrize("persona", ["staff", "secretary"])
def test_a_countys_people_cannot_add_a_county(client, county, persona):
    user = getattr(county, persona)
    client.force_login(user)
    response = client.post(reverse(ADD), _form(county))
    assert response.status_code in (302, 403)
    assert not County.objects.filter(code="610902").exists()
