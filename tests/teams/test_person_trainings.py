"""A person's trainings and contests on their page of the register: the portal serves the
register's page (people.views.person_detail, its rules) with the teams' section added, so
`people` imports nothing above it; a county that does not run the teams shows no section."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from counties.models import CountyMechanism
from teams import services

pytestmark = pytest.mark.django_db


def test_the_register_page_lists_the_persons_trainings(client, county, teams):
    contest = services.training_record(
        kind="contest", title="党建知识竞赛", held_on=datetime.date(2026, 6, 1), by=county.staff
    )
    services.training_entry_add(
        training=contest, person=teams.member_person, prize="first", result="95分", by=county.staff
    )
    url = reverse("people:detail", args=[teams.member_person.pk])
    client.force_login(county.staff)
    page = client.get(url).content.decode()
    assert 'id="person-trainings"' in page and "党建知识竞赛" in page and "95分" in page
    assert reverse("teams:training_detail", args=[contest.pk]) in page
    # the register's own 404 still answers for whoever may not see the person
    client.force_login(county.other_secretary)
    assert client.get(url).status_code == 404
    # a county that stops running the teams: no section
    CountyMechanism.objects.filter(county=county.zone_a.county, mechanism="teams").delete()
    client.force_login(county.staff)
    assert 'id="person-trainings"' not in client.get(url).content.decode()
