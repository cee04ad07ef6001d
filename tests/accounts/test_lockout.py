"""A lockout that cannot be turned against others: the account limit counts one username's
failures from one address, an address alone is locked only after many failures over any
accounts, and the owner and the security administrator hear of a lockout."""

from __future__ import annotations

import datetime

from axes.models import AccessFailureLog
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityPolicy
from notifications.constants import Kind
from notifications.models import Notification
from tests.helpers import sign_in, signed_in

ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.10"
HOME = "192.0.2.7"


def test_an_attacker_cannot_lock_out_the_owner_from_another_address(client, county):
    for _ in range(10):
        sign_in(client, "secretary", "guess", ip=ATTACKER)
    assert sign_in(client, "secretary", ip=ATTACKER).status_code == 429

    response = sign_in(client, "secretary", ip=HOME)

    assert response.status_code == 302 and signed_in(client)


def test_a_colleague_on_the_same_address_is_not_locked_out_by_someone_elses_typos(client, county):
    for _ in range(5):
        sign_in(client, "lead", "typo", ip=OFFICE)
    assert sign_in(client, "lead", ip=OFFICE).status_code == 429  # their own account, here

    response = sign_in(client, "secretary", ip=OFFICE)

    assert response.status_code == 302 and signed_in(client)


def test_five_failures_lock_that_username_at_that_address(client, county):
    for _ in range(4):
        assert sign_in(client, "secretary", "wrong", ip=ATTACKER).status_code == 200
    assert sign_in(client, "secretary", "wrong", ip=ATTACKER).status_code == 429
    assert sign_in(client, "secretary", ip=ATTACKER).status_code == 429
    assert not signed_in(client)


def test_an_address_spraying_many_accounts_is_locked_after_fifty_failures(client, county):
    for n in range(49):
        sign_in(client, f"user{n}", "wrong", ip=ATTACKER)
    assert sign_in(client, "staff", ip=ATTACKER).status_code == 302  # 49: still open
    client.logout()
    sign_in(client, "user49", "wrong", ip=ATTACKER)

    response = sign_in(client, "staff", ip=ATTACKER)

    assert response.status_code == 429 and not signed_in(client)
    assert "network address" in response.content.decode() or "网络地址" in response.content.decode()
    assert sign_in(client, "staff", ip=OFFICE).status_code == 302  # other addresses unaffected


def test_the_address_limit_counts_only_the_window(client, county):
    for n in range(50):
        sign_in(client, f"user{n}", "wrong", ip=ATTACKER)
    assert sign_in(client, "staff", ip=ATTACKER).status_code == 429
    AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert sign_in(client, "staff", ip=ATTACKER).status_code == 302


def test_the_address_limit_follows_the_security_policy(client, county):
    SecurityPolicy.objects.create(pk=1, address_lockout_failures=20, address_lockout_minutes=60)
    for n in range(20):
        sign_in(client, f"user{n}", "wrong", ip=ATTACKER)

    assert sign_in(client, "staff", ip=ATTACKER).status_code == 429


def test_the_owner_and_the_security_administrator_are_notified_of_a_lockout(
    client, county, administrators
):
    for _ in range(7):  # two more after the lockout: still one notification each
        sign_in(client, "secretary", "guess", ip=ATTACKER)

    to_owner = Notification.objects.get(recipient=county.secretary, kind=Kind.SIGN_IN_LOCKOUT)
    to_security = Notification.objects.get(
        recipient=administrators.security, kind=Kind.SIGN_IN_LOCKOUT
    )
    assert ATTACKER in to_owner.title
    assert "secretary" in to_security.title and ATTACKER in to_security.title
    assert to_security.url == reverse("security_admin:axes_accessattempt_changelist")
    assert not Notification.objects.filter(recipient=county.lead_secretary).exists()


def test_failures_below_the_limit_notify_nobody(client, county, administrators):
    for _ in range(4):
        sign_in(client, "secretary", "guess", ip=ATTACKER)
    assert not Notification.objects.filter(kind=Kind.SIGN_IN_LOCKOUT).exists()


def test_the_security_administrator_sets_the_address_limit_and_a_weak_one_is_refused(
    client, administrators
):
    client.force_login(administrators.security)
    url = reverse("security_admin:accounts_securitypolicy_change", args=[1])
    client.get(reverse("security_admin:accounts_securitypolicy_changelist"))
    form = {
        "min_length": 8,
        "min_classes": 3,
        "max_age_days": 90,
        "lockout_failures": 5,
        "lockout_minutes": 30,
        "address_lockout_failures": 5,
        "address_lockout_minutes": 15,
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert SecurityPolicy.objects.get().address_lockout_failures == 50

    assert client.post(url, {**form, "address_lockout_failures": 80}).status_code == 302
    assert SecurityPolicy.objects.get().address_lockout_failures == 80
