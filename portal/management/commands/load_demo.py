from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Build the demo county (ten zones, ~90 units, demo accounts, two years of each "
        "mechanism's records; portal/demo.py names each app's part). Only with DEBUG on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo refuses to run with DEBUG off: it would add demo accounts."
            )
        counts = load_demo()
        if counts is None:
            self.stdout.write("The database already holds zones; load_demo changed nothing.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Demo county loaded: {zones} zones, {units} units, {users} accounts "
                "(password {password}).".format(password=DEMO_PASSWORD, **counts)
            )
        )
