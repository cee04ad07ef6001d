"""The data migration that moves each unit's free-text secretary into the register (people
0003), run on the current models."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from people.models import Person, Post
from people.selectors import current_unit, unit_secretary
from tests.factories import UnitFactory, UnitPostFactory, UserFactory

migration = importlib.import_module("people.migrations.0003_secretaries_from_units")
pytestmark = pytest.mark.django_db


def test_each_units_secretary_becomes_a_person_with_the_post_and_their_account():
    named = UnitFactory(name="县司法局", secretary_name="王建国")
    account = UserFactory(username="wjg", full_name="王建国")
    UnitPostFactory(user=account, unit=named)
    unnamed = UnitFactory(name="县财政局", secretary_name="")
    stranger = UnitFactory(name="县林业局", secretary_name="李红")
    UnitPostFactory(user=UserFactory(username="other", full_name="别人"), unit=stranger)

    migration.forwards(apps, None)

    person = unit_secretary(named)
    assert person.name == "王建国" and person.name_initials == "wjg"
    assert person.id_number == "" and person.county_id == named.county_id
    assert current_unit(person) == named
    assert person.user == account
    assert unit_secretary(unnamed) is None
    assert unit_secretary(stranger).user is None  # no account of that name: none linked

    migration.forwards(apps, None)  # again: nothing twice
    assert Person.objects.count() == 2 and Post.objects.count() == 2

    migration.backwards(apps, None)
    assert not Person.objects.exists()
