"""The application cannot erase its own audit trail: the web, worker and beat connect as a
runtime role that owns nothing and may only SELECT and INSERT on the audit tables
(`manage.py runtime_grants`). Connected as that role, TRUNCATE, DISABLE TRIGGER, UPDATE and
DELETE on the audit table are refused, while the portal's own writes still work."""

from __future__ import annotations

import datetime
import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.constants import Event, Outcome
from audit.models import AuditEvent
from audit.services import audit_record
from zones import services as zone_services
from zones.models import Membership

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def runtime_role():
    if connection.vendor != "postgresql":
        pytest.skip("the runtime role exists on PostgreSQL (set DATABASE_URL); CI runs it")
    role = f"h7_runtime_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    yield role
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')  # its privileges here (and on the database)
        cursor.execute(f'DROP ROLE "{role}"')


def _connect_as(role):
    params = connection.settings_dict
    conn = psycopg2.connect(
        dbname=params["NAME"],
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=role,
    )
    conn.autocommit = True
    return conn


def _refused(conn, statement) -> str:
    with pytest.raises(psycopg2.Error) as refusal, conn.cursor() as cursor:
        cursor.execute(statement)
    return str(refusal.value)


def test_the_runtime_role_cannot_truncate_disable_the_trigger_update_or_delete_the_trail(
    runtime_role,
):
    event = audit_record(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="staff")
    call_command("runtime_grants", runtime_role, apply=True)

    conn = _connect_as(runtime_role)
    try:
        assert "permission denied" in _refused(conn, "TRUNCATE audit_auditevent")
        assert "must be owner" in _refused(
            conn, "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only"
        )
        assert "permission denied" in _refused(conn, "UPDATE audit_auditevent SET username = 'x'")
        assert "permission denied" in _refused(conn, "DELETE FROM audit_auditevent")
        assert "permission denied" in _refused(conn, "DELETE FROM audit_zones_membership")
        assert "must be owner" in _refused(conn, "DROP TABLE audit_auditevent")
        with conn.cursor() as cursor:  # reading and appending remain
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            assert cursor.fetchone()[0] == 1
    finally:
        conn.close()
    assert AuditEvent.objects.get(pk=event.pk).username == "staff"


def test_the_portal_writes_as_usual_when_connected_as_the_runtime_role(runtime_role, county):
    call_command("runtime_grants", runtime_role, apply=True)
    connection.close()
    owner = connection.settings_dict.get("USER")
    connection.settings_dict["USER"] = runtime_role
    try:
        membership = zone_services.unit_reassign(
            unit=county.member_unit,
            zone=county.zone_b,
            effective_on=datetime.date(2026, 3, 1),
            reason="机构调整",
        )
        audit_record(event=Event.EXPORT, outcome=Outcome.SUCCESS, username="staff")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == runtime_role
        assert membership.history.count() == 1  # the history was appended
        assert Membership.objects.filter(unit=county.member_unit, zone=county.zone_b).exists()
        assert AuditEvent.objects.filter(event=Event.EXPORT).count() == 1
    finally:
        connection.close()
        connection.settings_dict["USER"] = owner


def test_without_apply_the_command_prints_the_grants_and_changes_nothing(runtime_role, capsys):
    call_command("runtime_grants", runtime_role)

    out = capsys.readouterr().out
    assert f'GRANT SELECT, INSERT ON TABLE "audit_auditevent" TO "{runtime_role}";' in out
    assert f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "zones_unit" TO "{runtime_role}";' in out
    assert "TRUNCATE" not in out
    conn = _connect_as(runtime_role)
    try:
        assert "permission denied" in _refused(conn, "SELECT 1 FROM zones_unit")
    finally:
        conn.close()


def test_the_command_refuses_a_superuser_or_a_missing_role(runtime_role):
    with pytest.raises(CommandError, match="superuser"):
        call_command("runtime_grants", "postgres")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("runtime_grants", "h7_runtime_nobody")


def test_the_runtime_role_erases_a_persons_history_but_deletes_none(runtime_role, county):
    """The retention erasure blanks a person's personal fields in their history too (issue 16):
    the runtime role may UPDATE the histories of personal data, and DELETE no history row."""
    from people import services
    from people.models import Person
    from people.retention import ERASED_NAME, person_erase
    from tests.people.factories import person_in

    person = person_in(county.member_unit, name="王芳", mobile="13912345678")
    services.person_leave(
        person=person, reason="deceased", on=datetime.date(2025, 6, 30), actor=None
    )
    call_command("runtime_grants", runtime_role, apply=True)
    connection.close()
    owner = connection.settings_dict.get("USER")
    connection.settings_dict["USER"] = runtime_role
    try:
        assert person_erase(person=Person._base_manager.get(pk=person.pk))
        assert set(Person.history.filter(id=person.pk).values_list("name", flat=True)) == {
            ERASED_NAME
        }
    finally:
        connection.close()
        connection.settings_dict["USER"] = owner
    conn = _connect_as(runtime_role)
    try:
        assert "permission denied" in _refused(conn, "DELETE FROM audit_people_person")
        assert "permission denied" in _refused(conn, "UPDATE audit_auditevent SET username = 'x'")
    finally:
        conn.close()
