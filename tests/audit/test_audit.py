"""The audit trail: logins, failures, denials, exports and admin actions on record; every change
of a domain record kept with who and from where; lines that cannot be forged; append-only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit.constants import Event, Outcome
from audit.models import AuditEvent
from audit.services import audit_record, escape_line
from tests.factories import PASSWORD
from tests.helpers import file_body
from zones import services as zone_services
from zones.models import Membership

D = datetime.date


def test_a_login_and_a_logout_are_recorded_with_the_address(client, county):
    client.post(
        reverse("login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    events = list(
        AuditEvent.objects.order_by("id").values_list("event", "username", "ip", "outcome")
    )
    assert (Event.LOGIN, "staff", "10.1.2.3", Outcome.SUCCESS) in events
    assert (Event.LOGOUT, "staff", "10.1.2.3", Outcome.SUCCESS) in events


def test_a_failed_login_is_recorded(client, county):
    client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    event = AuditEvent.objects.get(event=Event.LOGIN_FAILED)
    assert event.username == "staff" and event.outcome == Outcome.FAILURE


def test_a_permission_denial_is_recorded(client, county):
    client.force_login(county.leader)
    response = client.post(reverse("reports:request"), {"kind": "month", "day": "2026-10-01"})
    assert response.status_code == 403
    event = AuditEvent.objects.get(event=Event.PERMISSION_DENIED)
    assert event.username == "leader" and "/reports/request/" in event.path


def test_an_export_is_recorded(client, county):
    client.force_login(county.staff)
    response = client.get(reverse("supervision:finding_export"))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(event=Event.EXPORT, username="staff").exists()


def test_an_admin_action_is_recorded(client, county):
    client.force_login(county.staff)
    client.post(
        reverse("admin:zones_zone_change", args=[county.zone_a.pk]),
        {
            "number": 1,
            "name": "第一片区（改）",
            "focus": "",
            "leaderships-TOTAL_FORMS": 0,
            "leaderships-INITIAL_FORMS": 0,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    event = AuditEvent.objects.filter(event=Event.ADMIN_ACTION).last()
    assert event is not None and event.username == "staff" and "第一片区（改）" in event.detail


def test_every_change_of_a_domain_record_is_kept_with_who_and_from_where(client, county):
    from audit.services import client_ip  # noqa: F401

    zone_services.unit_reassign(
        unit=county.member_unit,
        zone=county.zone_b,
        effective_on=D(2026, 3, 1),
        by=county.staff,
        reason="工作需要",
    )
    history = Membership.history.filter(unit_id=county.member_unit.pk).order_by("history_id")
    kinds = [h.history_type for h in history]
    assert kinds[-2:] == ["~", "+"] or kinds.count("+") >= 2
    closed = history.filter(history_type="~").last()
    assert closed.effective_to == D(2026, 3, 1)


def test_history_records_the_user_and_address_of_a_web_request(client, county):
    client.force_login(county.staff)
    client.post(
        reverse("admin:zones_zone_change", args=[county.zone_a.pk]),
        {
            "number": 1,
            "name": "第一片区（改）",
            "focus": "新重点",
            "leaderships-TOTAL_FORMS": 0,
            "leaderships-INITIAL_FORMS": 0,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
        REMOTE_ADDR="10.9.8.7",
    )
    change = county.zone_a.history.filter(history_type="~").last()
    assert change is not None
    assert change.history_user_id == county.staff.pk and change.ip_address == "10.9.8.7"
    assert change.focus == "新重点"


def test_text_cannot_forge_audit_lines():
    assert escape_line("bad\nINFO login ok\r\x07") == "bad\\nINFO login ok\\r\\x07"
    assert "\n" not in escape_line("a\u2028b")


def test_a_forged_username_is_stored_on_one_line(client, db):
    client.post(
        reverse("login"), {"username": "x\n2026-01-01 admin login success", "password": "x"}
    )
    event = AuditEvent.objects.get(event=Event.LOGIN_FAILED)
    assert "\n" not in event.username and "\\n" in event.username


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_update_or_delete_audit_rows(county):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL (set DATABASE_URL); CI runs it")
    event = audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="staff")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    zone_services.unit_reassign(
        unit=county.member_unit, zone=county.zone_b, effective_on=D(2026, 3, 1), reason="工作需要"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        Membership.history.all().update(reason="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).username == "staff"


@pytest.mark.parametrize("persona", ["staff", "leader", "secretary"])
def test_the_audit_trail_is_not_open_to_staff_or_secretaries(client, county, persona):
    client.force_login(getattr(county, persona))
    response = client.get(reverse("audit_admin:audit_auditevent_changelist"))
    assert response.status_code == 403


def test_the_audit_administrator_reads_and_exports_but_cannot_change(client, county, auditor):
    event = audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="staff")
    client.force_login(auditor)
    assert client.get(reverse("audit_admin:audit_auditevent_changelist")).status_code == 200
    response = client.post(
        reverse("audit_admin:audit_auditevent_changelist"),
        {"action": "export_csv", "_selected_action": [event.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "staff" in file_body(response).decode("utf-8-sig")
    assert (
        client.post(
            reverse("audit_admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_audit_table_is_append_only_the_later_ones_included(county):
    """The trigger of audit/migrations/0002 covered only the tables of that day; the histories
    added since (the register's, the counties' settings …) had none. Every audit table has it
    now; the histories of personal data refuse DELETE but let the retention erasure UPDATE."""
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL (set DATABASE_URL); CI runs it")
    from django.apps import apps

    from audit.history import erasable_tables
    from people.models import Person
    from tests.people.factories import person_in

    tables = {m._meta.db_table for m in apps.get_app_config("audit").get_models()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'audit_append_only'"
        )
        covered = {row[0] for row in cursor.fetchall()}
    assert tables - covered == set()
    assert "audit_people_person" in tables and erasable_tables() <= tables

    person = person_in(county.member_unit, name="张三")
    person.name = "李四"
    person.save()
    history = Person.history.filter(id=person.pk)
    assert history.count() >= 2
    rows = history.count()
    history.update(name="已删除")  # the retention erasure may blank personal fields
    with pytest.raises(DatabaseError), transaction.atomic():
        history.delete()
    assert Person.history.filter(id=person.pk).count() == rows
    from notifications.models import ReminderSettings

    ReminderSettings.objects.update_or_create(
        county=county.zone_a.county, defaults={"digest_weekday": 2}
    )
    assert ReminderSettings.history.exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        ReminderSettings.history.all().update(digest_weekday=3)
