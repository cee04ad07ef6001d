"""Key rotation (manage.py rotate_id_keys) and the refusal to run without keys."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from people import crypto
from people.checks import check_id_keys
from people.models import Person
from people.selectors import find_by_id_number
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db


def test_rotation_reencrypts_with_the_new_key_and_the_old_one_can_go(county, settings):
    number = id_number()
    person = person_in(county.member_unit, id_number=number)
    old = settings.PORTAL_ID_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.PORTAL_ID_KEYS = [new, old]
    settings.PORTAL_ID_HMAC_KEY = "a-new-digest-key-of-at-least-32-characters"
    call_command("rotate_id_keys", verbosity=0)
    settings.PORTAL_ID_KEYS = [new]
    person = Person.objects.get(pk=person.pk)
    assert person.id_number == number
    assert find_by_id_number(number) == person


def test_a_token_of_a_removed_key_says_so(county, settings):
    person = person_in(county.member_unit)
    settings.PORTAL_ID_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="no longer in PORTAL_ID_KEYS"):
        Person.objects.get(pk=person.pk).id_number  # noqa: B018


def test_the_checks_refuse_missing_or_bad_keys(settings):
    assert check_id_keys(None) == []
    settings.PORTAL_ID_KEYS = []
    settings.PORTAL_ID_HMAC_KEY = ""
    assert {e.id for e in check_id_keys(None)} == {"people.E001", "people.E003"}
    settings.PORTAL_ID_KEYS = ["not-a-key"]
    assert "people.E002" in {e.id for e in check_id_keys(None)}
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
