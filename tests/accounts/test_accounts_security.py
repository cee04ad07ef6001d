"""Account protection: lockout after failed logins (django-axes), the password policy (strength,
age, forced change) and how long a session lives."""

from __future__ import annotations

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from core.middleware import client_ip
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sign_in, signed_in

User = get_user_model()
CHANGE = "/accounts/password/change/"
NEW_PASSWORD = "Xin-Mima-2026"


# --- Lockout ------------------------------------------------------------------------------------


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client, county):
    for _ in range(4):
        assert sign_in(client, "secretary", "wrong").status_code == 200
    response = sign_in(client, "secretary", "wrong")
    assert response.status_code == 429
    response = sign_in(client, "secretary")
    assert response.status_code == 429
    assert not signed_in(client)
    assert "registration/locked.html" in [t.name for t in response.templates]
    with translation.override("en"):
        response = sign_in(client, "secretary", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert 'id="lockout-message"' in body and "30 minutes" in body


def test_four_failures_then_success_signs_in_and_clears_the_count(client, county):
    for _ in range(4):
        sign_in(client, "secretary", "wrong")
    assert sign_in(client, "secretary").status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username="secretary").exists()


def test_a_lockout_ends_after_thirty_minutes(client, county):
    for _ in range(5):
        sign_in(client, "secretary", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert sign_in(client, "secretary").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, "secretary").status_code == 302
    assert signed_in(client)


def test_one_address_trying_many_accounts_is_locked_out(client, county, settings):
    settings.ADDRESS_LOCKOUT_FAILURES = 20
    for n in range(20):
        sign_in(client, f"a{n}", "wrong")
    assert sign_in(client, "staff").status_code == 429


def test_the_security_administrator_sees_a_lockout_and_lifts_it(client, county, administrators):
    for _ in range(5):
        sign_in(client, "secretary", "wrong")
    attempt = AccessAttempt.objects.get(username="secretary")
    client.force_login(administrators.security)
    changelist = client.get(reverse("security_admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "secretary" in changelist.content.decode()
    delete_url = reverse("security_admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    client.logout()
    assert sign_in(client, "secretary").status_code == 302


@pytest.mark.parametrize("persona", ["secretary", "staff"])
def test_only_the_security_administrator_opens_the_lockouts(client, county, persona):
    sign_in(client, "other", "wrong")
    client.force_login(getattr(county, persona))
    response = client.get(reverse("security_admin:axes_accessattempt_changelist"))
    assert response.status_code == 403
    attempt = AccessAttempt.objects.get(username="other")
    url = reverse("security_admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left entry may be forged
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: not from our proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_is_read_behind_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_failed_logins_are_recorded_with_the_address_behind_the_proxy(client, county, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(
        client,
        "secretary",
        "wrong",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert AccessAttempt.objects.get(username="secretary").ip_address == "203.0.113.9"


# --- Password strength --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!", "password_too_short"),
        ("abcdefghij", "password_too_simple"),  # one class
        ("abcdefgh12", "password_too_simple"),  # two classes
        ("Password1", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(db, password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="someone"))
    assert code in {error.code for error in refused.value.error_list}


@pytest.mark.parametrize(
    "password", ["Shiquan2026", "shiquan#2026", "SHIQUAN-zone", "石泉Zone2026"]
)
def test_passwords_of_three_classes_are_accepted(db, password):
    validate_password(password, User(username="someone"))


def test_the_policy_is_configurable(db, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "accounts.passwords.PasswordPolicyValidator",
            "OPTIONS": {"min_length": 12, "min_classes": 4},
        }
    ]
    with pytest.raises(ValidationError):
        validate_password("Shiquan2026")
    validate_password("Shiquan#2026")


# --- Password age and forced change -------------------------------------------------------------


def test_setting_a_password_records_when(db):
    user = UserFactory(username="fresh")
    user.refresh_from_db()
    assert user.password_changed_at is not None
    assert timezone.now() - user.password_changed_at < datetime.timedelta(minutes=1)
    assert not user.must_change_password


def test_the_password_change_page_renders_with_crispy_forms(client, county):
    client.force_login(county.secretary)
    response = client.get(CHANGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="password-change-form"' in body and 'name="new_password2"' in body
    assert "registration/password_change_form.html" in [t.name for t in response.templates]


def test_a_weak_new_password_is_refused_and_nothing_changes(client, county):
    client.force_login(county.secretary)
    before = User.objects.get(pk=county.secretary.pk)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "abcdefghij", "new_password2": "abcdefghij"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    after = User.objects.get(pk=county.secretary.pk)
    assert (after.password, after.password_changed_at) == (
        before.password,
        before.password_changed_at,
    )


def test_a_user_who_must_change_is_sent_to_the_change_page_first(client, county):
    User.objects.filter(pk=county.secretary.pk).update(must_change_password=True)
    client.force_login(county.secretary)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert client.get(reverse("activities:grid"))["Location"] == CHANGE
    assert client.get(CHANGE).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.get("/static/css/portal.css").status_code != 302
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    user = User.objects.get(pk=county.secretary.pk)
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_a_user_who_must_change_can_still_log_out(client, county):
    User.objects.filter(pk=county.secretary.pk).update(must_change_password=True)
    client.force_login(county.secretary)
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert not signed_in(client)


@pytest.mark.parametrize(("age_days", "forced"), [(89, False), (91, True)])
def test_a_password_expires_after_ninety_days(client, county, age_days, forced):
    changed = timezone.now() - datetime.timedelta(days=age_days)
    User.objects.filter(pk=county.secretary.pk).update(password_changed_at=changed)
    client.force_login(county.secretary)
    response = client.get(reverse("home"))
    assert (response.status_code == 302 and response["Location"] == CHANGE) is forced


def test_password_age_is_configurable(client, county, settings):
    changed = timezone.now() - datetime.timedelta(days=400)
    User.objects.filter(pk=county.secretary.pk).update(password_changed_at=changed)
    client.force_login(county.secretary)
    settings.PASSWORD_MAX_AGE_DAYS = 0  # never expires
    assert client.get(reverse("home")).status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 30
    User.objects.filter(pk=county.secretary.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert client.get(reverse("home"))["Location"] == CHANGE


@pytest.mark.parametrize(("debug", "forced"), [(True, False), (False, True)])
def test_demo_accounts_are_exempt_only_while_debug_is_on(client, county, settings, debug, forced):
    # The demo loader writes its shared password hash straight into the column: no change is
    # recorded for its accounts.
    User.objects.filter(pk=county.secretary.pk).update(password_changed_at=None)
    settings.DEBUG = debug
    client.force_login(county.secretary)
    response = client.get(reverse("home"))
    assert (response.status_code == 302 and response["Location"] == CHANGE) is forced


@pytest.mark.parametrize(("admin", "site"), [("system", "admin"), ("security", "security_admin")])
def test_an_administrators_reset_forces_a_change_at_next_login(
    client, county, administrators, admin, site
):
    client.force_login(getattr(administrators, admin))
    url = reverse(f"{site}:auth_user_password_change", args=[county.secretary.pk])
    response = client.post(
        url,
        {"password1": "Reset-Mima-2026", "password2": "Reset-Mima-2026", "usable_password": "true"},
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(pk=county.secretary.pk)
    assert user.must_change_password and user.check_password("Reset-Mima-2026")
    client.logout()
    assert sign_in(client, "secretary", "Reset-Mima-2026")["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == CHANGE


def test_an_account_created_in_the_admin_changes_its_password_at_first_login(
    client, county, administrators
):
    client.force_login(administrators.system)
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "newsec",
            "full_name": "新书记",
            "role": "secretary",
            "password1": "First-Mima-2026",
            "password2": "First-Mima-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newsec").must_change_password
    client.logout()
    sign_in(client, "newsec", "First-Mima-2026")
    assert client.get(reverse("home"))["Location"] == CHANGE


def test_the_user_admin_shows_the_password_policy_fields(client, county, administrators):
    client.force_login(administrators.system)
    body = client.get(reverse("admin:core_user_change", args=[county.secretary.pk])).content
    assert b'name="must_change_password"' in body


# --- Sessions -----------------------------------------------------------------------------------


def session_row(client) -> Session | None:
    return Session.objects.filter(session_key=client.cookies["sessionid"].value).first()


def shift_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_signing_in_records_the_login_and_a_thirty_minute_idle_expiry(client, county, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    sign_in(client, "secretary")
    session = client.session
    assert abs(session[LOGIN_AT_KEY] - time.time()) < 60
    assert abs(session[SEEN_AT_KEY] - time.time()) < 60
    remaining = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_activity_moves_the_idle_expiry_forward(client, county):
    sign_in(client, "secretary")
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=20))
    shift_session(client, core_seen_at=10 * 60)
    assert client.get(reverse("home")).status_code == 200
    remaining = session_row(client).expire_date - timezone.now()
    assert remaining > datetime.timedelta(minutes=29)
    assert abs(client.session[SEEN_AT_KEY] - time.time()) < 60


def test_a_session_idle_for_thirty_minutes_has_ended(client, county):
    sign_in(client, "secretary")
    shift_session(client, core_seen_at=31 * 60)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


def test_an_expired_session_row_signs_nobody_in(client, county):
    sign_in(client, "secretary")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_an_active_session_ends_after_its_absolute_lifetime(client, county):
    sign_in(client, "secretary")
    shift_session(client, core_login_at=11 * 3600, core_seen_at=60)
    assert client.get(reverse("home")).status_code == 200
    shift_session(client, core_login_at=12 * 3600 + 60, core_seen_at=60)
    old_key = client.cookies["sessionid"].value
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=old_key).exists()


def test_the_absolute_lifetime_is_configurable(client, county, settings):
    settings.SESSION_ABSOLUTE_MAX_AGE = 3600
    sign_in(client, "secretary")
    shift_session(client, core_login_at=3600 + 60, core_seen_at=60)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_session_without_a_recorded_login_counts_from_last_login(client, county):
    User.objects.filter(pk=county.secretary.pk).update(
        last_login=timezone.now() - datetime.timedelta(hours=13)
    )
    client.force_login(county.secretary)  # sets last_login to now
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=county.secretary.pk).update(
        last_login=timezone.now() - datetime.timedelta(hours=13)
    )
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_logging_out_ends_the_session_on_the_server(client, county):
    sign_in(client, "secretary")
    old_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=old_key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=old_key).exists()
    client.cookies["sessionid"] = old_key  # replaying the old cookie
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
