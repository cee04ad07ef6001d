"""The account-protection forms fuzzed with hypothesis (issue 7): the one-time code pages, the
security administrator's role form and security policy, and the system administrator's account
form, each as the administrator who uses it. No server error; a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import SecurityPolicy
from tests.test_fuzz_more_forms import (
    FEW,
    FUZZ,
    VALUE,
    admin_baseline,
    fuzz_admin,
    optional,
    post_and_check,
)


@FUZZ
@given(data=optional(token=VALUE, next=VALUE))
def test_one_time_code_setup(client, county, data):
    client.force_login(county.secretary)
    client.get(reverse("otp_setup"))
    response = post_and_check(
        client,
        reverse("otp_setup"),
        data,
        # the pending authenticator is made on the first visit, before any code is checked
        may_change_on_refusal={"otp_totp.TOTPDevice", "accounts.Authenticator"},  # one table
    )
    if response.status_code != 302:
        assert not TOTPDevice.objects.filter(user=county.secretary, confirmed=True).exists()


@FUZZ
@given(data=optional(token=VALUE, next=VALUE))
def test_one_time_code_at_sign_in(client, county, data):
    TOTPDevice.objects.get_or_create(
        user=county.secretary, name="authenticator", defaults={"confirmed": True}
    )
    client.force_login(county.secretary)
    response = post_and_check(
        client,
        reverse("otp_verify"),
        data,
        # a wrong code counts against the device (django-otp's throttling)
        may_change_on_refusal={"otp_totp.TOTPDevice", "accounts.Authenticator"},  # one table
    )
    if response.status_code == 302:  # a code is six random digits: a guess is all but never right
        location = response["Location"]
        assert not location.startswith(("http:", "https:", "//")), location


@pytest.fixture
def security_client(client, administrators):
    client.force_login(administrators.security)
    return client


@pytest.fixture
def role_page(security_client, county):
    """(url, a valid POST of it), read once: every example draws from the same fields."""
    url = reverse("security_admin:core_user_change", args=[county.secretary.pk])
    return url, admin_baseline(security_client, url)


@FUZZ
@given(data=st.data())
def test_the_security_administrators_role_form(security_client, role_page, data):
    url, baseline = role_page
    fuzz_admin(security_client, url, data.draw, baseline)


@pytest.fixture
def policy_page(security_client):
    security_client.get(reverse("security_admin:accounts_securitypolicy_changelist"))
    url = reverse("security_admin:accounts_securitypolicy_change", args=[1])
    return url, admin_baseline(security_client, url)


@FUZZ
@given(data=st.data())
def test_the_security_policy(security_client, policy_page, data):
    url, baseline = policy_page
    fuzz_admin(security_client, url, data.draw, baseline)
    policy = SecurityPolicy.objects.get(pk=1)
    assert 8 <= policy.min_length <= 64 and 3 <= policy.min_classes <= 4
    assert 3 <= policy.lockout_failures <= 10


@pytest.fixture
def system_client(client, administrators):
    client.force_login(administrators.system)
    return client


@pytest.fixture
def account_page(system_client, county):
    url = reverse("admin:core_user_change", args=[county.secretary.pk])
    return url, admin_baseline(system_client, url)


@FEW
@given(data=st.data())
def test_the_system_administrators_account_form(system_client, account_page, county, data):
    url, baseline = account_page
    fuzz_admin(system_client, url, data.draw, baseline)
    county.secretary.refresh_from_db()
    assert county.secretary.role == "secretary" and not county.secretary.is_superuser
