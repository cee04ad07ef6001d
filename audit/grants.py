"""The two PostgreSQL roles the portal runs with, so that the application itself cannot erase
its audit trail:

- the **owner** role runs `migrate` and owns every table (it can do anything to them, so
  nothing but migrations and this command runs as it);
- the **runtime** role (web, worker, beat) owns nothing and may only SELECT and INSERT on the
  audit tables (the audit log and every record's history): no UPDATE, DELETE or TRUNCATE, and
  without ownership no ALTER TABLE … DISABLE TRIGGER either. The one exception: the histories
  of personal data (`audit.history.ERASABLE`: the register's people and cadre profiles) may also
  be UPDATEd, by the retention erasure that blanks a person's personal fields in them (never
  DELETEd: when what changed stays). On every other table it reads and writes as the
  application needs.

`runtime_grants` prints (and with --apply runs, as the owner) the statements; run it after every
`migrate`, since new tables get no privileges until then."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from .history import erasable_tables

AUDIT_APP = "audit"


def audit_tables() -> list[str]:
    """The tables of the audit trail (the events and the historical tables)."""
    return sorted(m._meta.db_table for m in apps.get_app_config(AUDIT_APP).get_models())


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def runtime_grant_statements(role: str) -> list[str]:
    """The statements that give `role` what the portal needs at run time and no more, on the
    tables of the current database and schema."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
    audit = set(audit_tables())
    erasable = erasable_tables()
    who = _quote(role)
    statements = [
        f"GRANT CONNECT ON DATABASE {_quote(database)} TO {who}",
        f"GRANT USAGE ON SCHEMA {_quote(schema)} TO {who}",
    ]
    for table in sorted(tables):
        statements.append(f"REVOKE ALL ON TABLE {_quote(table)} FROM {who}")
        if table in erasable:
            statements.append(f"GRANT SELECT, INSERT, UPDATE ON TABLE {_quote(table)} TO {who}")
        elif table in audit:
            statements.append(f"GRANT SELECT, INSERT ON TABLE {_quote(table)} TO {who}")
        elif table == "django_migrations":
            statements.append(f"GRANT SELECT ON TABLE {_quote(table)} TO {who}")
        else:
            statements.append(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {_quote(table)} TO {who}"
            )
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_quote(schema)} TO {who}")
    return statements


def runtime_role_problems(role: str) -> list[str]:
    """Why `role` cannot serve as the runtime role: it does not exist, it is a superuser, it is
    the role this command runs as (the owner), or it owns tables."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            return [f'role "{role}" does not exist (CREATE ROLE {role} LOGIN PASSWORD …)']
        problems = []
        if row[0] or row[1]:
            problems.append(f'role "{role}" is a superuser or bypasses row security')
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            problems.append(f'role "{role}" is the role running this command (the owner)')
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE tableowner = %s ORDER BY 1 LIMIT 5", [role]
        )
        owned = [r[0] for r in cursor.fetchall()]
        if owned:
            problems.append(f'role "{role}" owns tables ({", ".join(owned)} …)')
    return problems


def runtime_grants_apply(role: str) -> list[str]:
    statements = runtime_grant_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
