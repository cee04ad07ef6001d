"""`manage.py rotate_id_keys`: re-encrypt every ID number with the first key of PORTAL_ID_KEYS
and recompute its digest with PORTAL_ID_HMAC_KEY (README, "The member register": rotation)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from counties.scoping import every_county
from people import crypto
from people.models import Person


class Command(BaseCommand):
    help = "Re-encrypt the register's ID numbers with the first key and recompute their digests."

    def handle(self, *args, **options) -> None:
        done = 0
        with every_county(), transaction.atomic():
            for person in Person.objects.exclude(id_number_token="").select_for_update():
                plain = crypto.decrypt(person.id_number_token)
                person.id_number_token = crypto.rotate(person.id_number_token)
                person.id_number_digest = crypto.digest(plain)
                person.save(update_fields=["id_number_token", "id_number_digest"])
                done += 1
        self.stdout.write(f"{done} ID numbers re-encrypted with the first key.")
