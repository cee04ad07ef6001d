"""What the data migrations share."""

from __future__ import annotations


def deferred_checks_now(schema_editor) -> None:
    """Run the foreign keys' deferred checks now (PostgreSQL; nothing elsewhere). PostgreSQL
    defers them to the end of a migration's transaction, and a column cannot be altered or
    removed while checks on its table are pending ("pending trigger events"): a data migration
    that moves rows and then alters the tables it moved them between calls this in between."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
