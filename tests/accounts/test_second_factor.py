"""The optional second factor (TOTP, django-otp): anyone may set one up; the security
administrator can require one of administrators; a lost phone is the security administrator's
to clear."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityPolicy
from audit.constants import Event, Outcome
from audit.models import AuditEvent
from tests.helpers import sign_in


def code(device: TOTPDevice, ahead: int = 0) -> str:
    """The code the phone shows now (`ahead` steps later: a code not used yet)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, ahead):06d}"


def set_up(client, user) -> TOTPDevice:
    client.force_login(user)
    assert client.get(reverse("otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("otp_setup"), {"token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_a_secretary_sets_up_an_authenticator_and_is_asked_for_a_code_at_sign_in(client, county):
    client.force_login(county.secretary)
    page = client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=county.secretary)
    assert page.context["key"] and page.context["key"] in page.content.decode()
    qr = client.get(reverse("otp_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    client.post(reverse("otp_setup"), {"token": code(device)})
    client.logout()

    sign_in(client, "secretary")
    response = client.get(reverse("my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    response = client.post(
        reverse("otp_verify"), {"token": code(device, ahead=1), "next": reverse("my_work")}
    )
    assert response["Location"] == reverse("my_work")
    assert client.get(reverse("my_work")).status_code == 200
    assert AuditEvent.objects.filter(
        event=Event.SECOND_FACTOR, outcome=Outcome.SUCCESS, username="secretary"
    ).exists()


def test_people_without_an_authenticator_are_not_asked(client, county):
    sign_in(client, "secretary")
    assert client.get(reverse("my_work")).status_code == 200


@pytest.mark.parametrize("token", ["000000", "12345", "abcdef", "１２３４５６", "1" * 9])
def test_a_wrong_code_is_refused_with_a_message_and_lets_nothing_through(client, county, token):
    device = set_up(client, county.secretary)
    sign_in(client, "secretary")
    if token == code(device, ahead=1):  # pragma: no cover - one in a million
        token = "999999"
    response = client.post(reverse("otp_verify"), {"token": token})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("my_work"))["Location"].startswith(reverse("otp_verify"))


def test_a_failed_code_is_on_the_audit_trail(client, county):
    device = set_up(client, county.secretary)
    sign_in(client, "secretary")
    wrong = "000000" if code(device, ahead=1) != "000000" else "111111"
    client.post(reverse("otp_verify"), {"token": wrong})
    assert AuditEvent.objects.filter(
        event=Event.SECOND_FACTOR, outcome=Outcome.FAILURE, username="secretary"
    ).exists()


def test_a_wrong_first_code_leaves_the_authenticator_unconfirmed(client, county):
    client.force_login(county.secretary)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=county.secretary)
    wrong = "000000" if code(device) != "000000" else "111111"
    response = client.post(reverse("otp_setup"), {"token": wrong})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed


def test_a_second_authenticator_cannot_replace_the_first(client, county):
    set_up(client, county.secretary)
    client.force_login(county.secretary)
    assert client.get(reverse("otp_setup"))["Location"] == reverse("home")
    assert client.get(reverse("otp_qr")).status_code == 404
    assert TOTPDevice.objects.filter(user=county.secretary).count() == 1


def test_the_policy_requires_administrators_to_set_up_an_authenticator(
    client, county, administrators
):
    SecurityPolicy.objects.create(pk=1, require_second_factor=True)
    sign_in(client, "auditor")
    response = client.get(reverse("audit_admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("otp_setup")
    client.logout()
    sign_in(client, "staff")  # committee staff with admin access count as administrators
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("otp_verify"))
    client.logout()
    sign_in(client, "secretary")  # not an administrator: not required
    assert client.get(reverse("my_work")).status_code == 200


def test_a_required_administrator_gets_in_after_setting_up(client, county, administrators):
    SecurityPolicy.objects.create(pk=1, require_second_factor=True)
    sign_in(client, "auditor")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=administrators.audit)
    client.post(reverse("otp_setup"), {"token": code(device)})
    assert client.get(reverse("audit_admin:index")).status_code == 200


def test_the_security_administrator_removes_a_lost_authenticator(client, county, administrators):
    device = set_up(client, county.secretary)
    client.force_login(administrators.security)
    listing = client.get(reverse("security_admin:accounts_authenticator_changelist"))
    assert listing.status_code == 200
    assert device.key not in listing.content.decode()  # the secret stays on the phone
    url = reverse("security_admin:accounts_authenticator_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()
    sign_in(client, "secretary")
    assert client.get(reverse("my_work")).status_code == 200


@pytest.mark.parametrize("who", ["system", "audit"])
def test_no_other_administrator_removes_an_authenticator(client, county, administrators, who):
    device = set_up(client, county.secretary)
    client.force_login(getattr(administrators, who))
    url = reverse("security_admin:accounts_authenticator_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
