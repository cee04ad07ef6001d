"""Print, or with --apply run, the grants of the portal's runtime PostgreSQL role (audit.grants).
Run it as the owner role, after every `migrate`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.grants import runtime_grant_statements, runtime_grants_apply, runtime_role_problems


class Command(BaseCommand):
    help = (
        "Print (or apply with --apply) the privileges of the runtime database role: read and "
        "write on the portal's tables, only SELECT and INSERT on the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the runtime role the web, worker and beat connect as")
        parser.add_argument("--apply", action="store_true", help="run the statements now")

    def handle(self, *args, role: str, apply: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The runtime role exists on PostgreSQL only.")
        problems = runtime_role_problems(role)
        if problems:
            raise CommandError("; ".join(problems) + ". Nothing was granted.")
        if not apply:
            for statement in runtime_grant_statements(role):
                self.stdout.write(statement + ";")
            return
        with transaction.atomic():
            statements = runtime_grants_apply(role)
        self.stdout.write(
            self.style.SUCCESS(f"{len(statements)} statements applied for role {role}.")
        )
