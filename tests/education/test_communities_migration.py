"""education 0003: the community of a 双报到 registration was a name; each county's names
become its communities, and every registration points at its own."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("education", "0002_external_study_and_cap")]
AFTER = [("education", "0003_communities")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_names_become_communities(county):
    user = UserFactory(username="recorder")
    first = person_in(county.member_unit, name="王芳")
    second = person_in(county.member_unit, name="李强")
    try:
        old = _migrate(BEFORE)
        registration = old.get_model("education", "CommunityRegistration")
        for person in (first, second):
            registration._base_manager.create(
                unit_id=county.member_unit.pk,
                person_id=person.pk,
                community="东城社区",
                registered_on=datetime.date(2026, 1, 5),
                created_by_id=user.pk,
            )
        new = _migrate(AFTER)
        community = new.get_model("education", "Community")
        registration = new.get_model("education", "CommunityRegistration")
        (made,) = community._base_manager.all()
        assert made.name == "东城社区" and made.county_id == county.member_unit.county_id
        assert set(registration._base_manager.values_list("community_id", flat=True)) == {made.pk}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
