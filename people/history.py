"""What a person's change history keeps (django-simple-history, registered by audit.history).

The history row copies the record, so it is personal data too: the ID number is in it as the
record holds it (its Fernet token and keyed digest: never in plain), and the mobile phone is
written masked (138****5678), so the audit administrator sees that and when it changed, never
the number. The retention erasure erases both from the history as from the record
(people.retention.person_erase).
"""

from __future__ import annotations

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from .masking import mask_phone
from .models import Person


@receiver(pre_create_historical_record, dispatch_uid="people_history_masks_the_phone")
def _mask_personal_numbers(sender, instance, history_instance, **kwargs):
    if isinstance(instance, Person):
        history_instance.mobile = mask_phone(instance.mobile) if instance.mobile else ""
