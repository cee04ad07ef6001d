"""The three separated administrators (三员分立): each works on their own admin site, none does
another's work or grants themselves a role, and the installation superuser's use is audited."""

from __future__ import annotations

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import SecurityPolicy
from audit.constants import Event
from audit.models import AuditEvent
from core.constants import Role
from tests.factories import PASSWORD, UserFactory
from tests.helpers import file_body, sign_in
from zones.models import Unit

User = get_user_model()
SITES = {"system": "admin", "security": "security_admin", "audit": "audit_admin"}


@pytest.mark.parametrize("who", sorted(SITES))
def test_each_administrator_opens_only_their_own_site(client, administrators, who):
    client.force_login(getattr(administrators, who))
    for other, namespace in SITES.items():
        response = client.get(reverse(f"{namespace}:index"))
        assert response.status_code == (200 if other == who else 403), namespace


@pytest.mark.parametrize("who", sorted(SITES))
def test_administrators_are_sent_home_to_their_site_and_kept_off_the_portal(
    client, county, administrators, who
):
    client.force_login(getattr(administrators, who))
    assert client.get("/")["Location"] == reverse(f"{SITES[who]}:index")
    for url in (
        reverse("dashboard"),
        reverse("zone_detail", args=[county.zone_a.pk]),
        reverse("activities:ledger"),
        reverse("supervision:finding_list"),
        reverse("reports:list"),
        reverse("notifications:list"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("password_change")).status_code == 200  # their own account


@pytest.mark.parametrize("persona", ["staff", "leader", "secretary"])
def test_the_mechanisms_people_open_neither_security_nor_audit_site(client, county, persona):
    client.force_login(getattr(county, persona))
    for namespace in ("security_admin", "audit_admin"):
        assert client.get(reverse(f"{namespace}:index")).status_code == 403


def test_staff_manage_the_mechanisms_records_but_not_accounts(client, county):
    client.force_login(county.staff)
    assert client.get(reverse("admin:zones_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:core_calendarday_changelist")).status_code == 200
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403
    response = client.post(
        reverse("admin:core_user_change", args=[county.secretary.pk]),
        {"username": "secretary", "is_active": ""},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=county.secretary.pk).is_active


# --- System administrator -------------------------------------------------------------------


def test_the_system_administrator_manages_accounts_units_and_zones(client, county, administrators):
    client.force_login(administrators.system)
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200
    assert client.get(reverse("admin:zones_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:zones_zone_changelist")).status_code == 200
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "newsec",
            "full_name": "新书记",
            "role": Role.SECURITY_ADMIN,  # not a field of this form: ignored
            "password1": "First-Mima-2026",
            "password2": "First-Mima-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="newsec")
    assert created.role == Role.SECRETARY and not created.is_staff and not created.is_superuser


def test_the_system_administrators_user_form_has_no_role_or_permission_field(
    client, county, administrators
):
    client.force_login(administrators.system)
    body = client.get(reverse("admin:core_user_change", args=[county.secretary.pk])).content
    for field in ("role", "is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"'.encode() not in body, field


def test_the_system_administrator_cannot_grant_a_role_by_posting_it(client, county, administrators):
    client.force_login(administrators.system)
    secretary = county.secretary
    response = client.post(
        reverse("admin:core_user_change", args=[secretary.pk]),
        {
            "username": "secretary",
            "full_name": "改名",
            "is_active": "on",
            "role": Role.STAFF,
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.full_name == "改名"  # the form did save…
    assert secretary.role == Role.SECRETARY  # …but nothing it may not touch
    assert not secretary.is_staff and not secretary.is_superuser


@pytest.mark.parametrize("target", ["system", "security", "audit"])
def test_the_system_administrator_cannot_touch_administrators_accounts(
    client, administrators, target
):
    """Resetting an administrator's password would be taking over their role."""
    client.force_login(administrators.system)
    account = getattr(administrators, target)
    before = account.password
    response = client.post(
        reverse("admin:auth_user_password_change", args=[account.pk]),
        {"password1": "Taken-Over-2026", "password2": "Taken-Over-2026", "usable_password": "true"},
    )
    assert response.status_code in (302, 404)
    account.refresh_from_db()
    assert account.password == before
    changelist = client.get(reverse("admin:core_user_changelist")).content.decode()
    assert reverse("admin:core_user_change", args=[account.pk]) not in changelist


# --- Security administrator -----------------------------------------------------------------


def role_form(user, **changes):
    data = {
        "role": user.role,
        "is_staff": "on" if user.is_staff else "",
        "is_active": "on" if user.is_active else "",
        "must_change_password": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_security_administrator_gives_a_role(client, county, administrators):
    client.force_login(administrators.security)
    url = reverse("security_admin:core_user_change", args=[county.secretary.pk])
    response = client.post(url, role_form(county.secretary, role=Role.STAFF, is_staff="on"))
    assert response.status_code == 302
    county.secretary.refresh_from_db()
    assert county.secretary.role == Role.STAFF and county.secretary.is_staff


def test_admin_access_for_a_secretary_is_refused_with_a_message(client, county, administrators):
    client.force_login(administrators.security)
    url = reverse("security_admin:core_user_change", args=[county.secretary.pk])
    response = client.post(url, role_form(county.secretary, is_staff="on"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["is_staff"] and errors["is_staff"][0]
    county.secretary.refresh_from_db()
    assert not county.secretary.is_staff


def test_the_security_administrator_cannot_change_their_own_role(client, administrators):
    me = administrators.security
    client.force_login(me)
    url = reverse("security_admin:core_user_change", args=[me.pk])
    response = client.post(url, role_form(me, role=Role.AUDIT_ADMIN))
    assert response.status_code == 403
    me.refresh_from_db()
    assert me.role == Role.SECURITY_ADMIN


def test_the_security_administrator_cannot_touch_the_superuser_or_add_accounts(
    client, administrators
):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(administrators.security)
    url = reverse("security_admin:core_user_change", args=[root.pk])
    assert client.post(url, role_form(root, role=Role.SECRETARY)).status_code == 403
    root.refresh_from_db()
    assert root.is_superuser
    assert client.get(reverse("security_admin:core_user_add")).status_code == 403
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403


def test_the_security_administrator_sets_the_password_policy(client, county, administrators):
    client.force_login(administrators.security)
    opened = client.get(reverse("security_admin:accounts_securitypolicy_changelist"))
    assert opened["Location"] == reverse("security_admin:accounts_securitypolicy_change", args=[1])
    policy = {
        "min_length": 12,
        "min_classes": 4,
        "max_age_days": 60,
        "lockout_failures": 3,
        "lockout_minutes": 45,
        "address_lockout_failures": 50,
        "address_lockout_minutes": 15,
    }
    response = client.post(opened["Location"], policy)
    assert response.status_code == 302
    saved = SecurityPolicy.objects.get(pk=1)
    assert (saved.min_length, saved.lockout_failures) == (12, 3)

    # A password the default policy accepts is now too short.
    client.force_login(county.secretary)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Ab1-Ab1-x", "new_password2": "Ab1-Ab1-x"},
    )
    assert response.status_code == 200
    codes = {e.code for e in response.context["form"].errors.as_data()["new_password2"]}
    assert "password_too_short" in codes

    # Three failures lock now, not five.
    client.logout()
    for _ in range(3):
        sign_in(client, "other", "wrong")
    assert sign_in(client, "other").status_code == 429


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_length", 4),
        ("min_classes", 1),
        ("max_age_days", 0),
        ("lockout_failures", 50),
        ("address_lockout_failures", 5),
    ],
)
def test_a_weaker_policy_than_the_floor_is_refused(client, administrators, field, value):
    client.force_login(administrators.security)
    url = reverse("security_admin:accounts_securitypolicy_change", args=[1])
    client.get(reverse("security_admin:accounts_securitypolicy_changelist"))
    policy = {
        "min_length": 8,
        "min_classes": 3,
        "max_age_days": 90,
        "lockout_failures": 5,
        "lockout_minutes": 30,
        "address_lockout_failures": 50,
        "address_lockout_minutes": 15,
    }
    before = SecurityPolicy.objects.values().get(pk=1)
    response = client.post(url, {**policy, field: value})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert SecurityPolicy.objects.values().get(pk=1) == before


@pytest.mark.parametrize("who", ["system", "audit"])
def test_other_administrators_cannot_change_the_policy_or_lift_lockouts(
    client, administrators, who
):
    sign_in(client, "secadmin", "wrong")
    client.force_login(getattr(administrators, who))
    url = reverse("security_admin:accounts_securitypolicy_changelist")
    assert client.get(url).status_code == 403
    attempt = AccessAttempt.objects.get(username="secadmin")
    delete = reverse("security_admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not SecurityPolicy.objects.exists()


# --- Audit administrator --------------------------------------------------------------------


def test_the_audit_administrator_reads_and_exports_record_history(client, county, auditor):
    unit = county.member_unit
    unit.name = "县司法局（改）"
    unit.save()
    client.force_login(auditor)
    changelist = reverse("audit_admin:audit_historicalunit_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    assert "县司法局（改）" in response.content.decode()
    rows = list(unit.history.values_list("history_id", flat=True))
    response = client.post(changelist, {"action": "export_csv", "_selected_action": rows})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "县司法局（改）" in file_body(response).decode("utf-8-sig")
    assert AuditEvent.objects.filter(event=Event.EXPORT, username="auditor").exists()


def test_the_audit_administrator_cannot_change_history(client, county, auditor):
    record = county.member_unit.history.first()
    client.force_login(auditor)
    url = reverse("audit_admin:audit_historicalunit_delete", args=[record.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert county.member_unit.history.filter(pk=record.pk).exists()
    assert client.get(reverse("admin:zones_unit_changelist")).status_code == 403
    assert Unit.objects.filter(pk=county.member_unit.pk).exists()


# --- The installation superuser -------------------------------------------------------------


def test_every_request_of_the_superuser_is_audited(client, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    for namespace in SITES.values():
        assert client.get(reverse(f"{namespace}:index")).status_code == 200
    events = AuditEvent.objects.filter(event=Event.SUPERUSER, username="root")
    assert events.count() == 3
    assert {e.path for e in events} == {reverse(f"{ns}:index") for ns in SITES.values()}


def test_other_peoples_requests_are_not_logged_as_superuser_use(client, county):
    client.force_login(county.staff)
    client.get(reverse("admin:index"))
    assert not AuditEvent.objects.filter(event=Event.SUPERUSER).exists()


def test_installation_creates_the_three_administrators_with_one_time_passwords(db):
    out = StringIO()
    call_command("create_administrators", stdout=out)
    lines = {line.split()[1]: line.split()[2] for line in out.getvalue().splitlines()[:3]}
    for username, role in (
        ("sysadmin", Role.SYSTEM_ADMIN),
        ("secadmin", Role.SECURITY_ADMIN),
        ("auditor", Role.AUDIT_ADMIN),
    ):
        user = User.objects.get(username=username)
        assert user.role == role and user.must_change_password and not user.is_superuser
        assert user.check_password(lines[username])


def test_installation_refuses_a_taken_username_and_creates_none(db):
    UserFactory(username="auditor")
    with pytest.raises(CommandError, match="auditor"):
        call_command("create_administrators", stdout=StringIO())
    assert not User.objects.filter(username__in=["sysadmin", "secadmin"]).exists()


def test_installation_refuses_one_name_for_two_administrators(db):
    with pytest.raises(CommandError):
        call_command(
            "create_administrators", "--sysadmin=root", "--secadmin=root", stdout=StringIO()
        )
    assert not User.objects.filter(username__in=["root", "auditor"]).exists()
