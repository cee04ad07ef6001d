from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import ADMINISTRATOR_ROLES, administrators_create


class Command(BaseCommand):
    help = (
        "Create the three separated administrators (system, security, audit) at installation, "
        "each with a one-time password to change at the first sign-in."
    )

    def add_arguments(self, parser):
        for default, role in ADMINISTRATOR_ROLES:
            parser.add_argument(f"--{role}", default=default, help=f"username (default {default})")

    def handle(self, *args, **options):
        names = {role: options[role] for _default, role in ADMINISTRATOR_ROLES}
        try:
            passwords = administrators_create(names=names)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for role, username in names.items():
            self.stdout.write(f"{role:10} {username:20} {passwords[username]}")
        self.stdout.write(
            self.style.SUCCESS(
                "Hand each password over in person; it must be changed at the first sign-in."
            )
        )
