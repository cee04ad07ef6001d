"""The audit trail is append-only on PostgreSQL, for every table of it, the ones added after
the first migration included: a trigger refuses UPDATE and DELETE on the audit events and every
record's history. The histories of personal data (`audit.history.ERASABLE`) refuse DELETE only:
the retention erasure blanks a person's personal fields in them (PIPL), and when what changed
stays. (TRUNCATE, which only a database administrator can run, is not a row change and stays
possible for test databases.)

Installed after every `migrate` (post_migrate), so a history table a later migration creates is
covered without anyone remembering to add it; re-installing is harmless."""

from __future__ import annotations

from django.apps import apps

from .history import erasable_tables

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = "audit_append_only"


def statements(tables: list[str], erasable: set[str]) -> list[str]:
    """The statements that put the trigger on each table (DELETE only on the erasable ones)."""
    out = [FUNCTION]
    for table in tables:
        refused = "DELETE" if table in erasable else "UPDATE OR DELETE"
        out.append(
            f'CREATE OR REPLACE TRIGGER {TRIGGER} BEFORE {refused} ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
        )
    return out


def install(*, using: str = "default") -> int:
    """Puts the trigger on every audit table that exists; the number of tables covered."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        tables = sorted(
            m._meta.db_table
            for m in apps.get_app_config("audit").get_models()
            if m._meta.db_table in existing
        )
        for sql in statements(tables, erasable_tables()):
            cursor.execute(sql)
    return len(tables)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    install(using=using)
