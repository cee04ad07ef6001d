"""Issue 20, the team page cold (second pass): the contact form's organizations are the
assignments the page has already read (no query of their own) and offer exactly what the
query of the team's guided organizations gives; the page's query count stays within the
budget and equal as the data grow."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import services
from teams.models import Assignment
from tests.factories import unit_in_zone
from tests.teams.conftest import START, TODAY
from tests.teams.test_pages import _grow
from zones.models import Unit, in_force_on


def _page(client, user, team):
    client.force_login(user)
    response = client.get(reverse("teams:team_detail", args=[team.pk]))
    assert response.status_code == 200
    return response


def test_the_contact_form_offers_the_organizations_the_team_guides_today(client, county, teams):
    team = teams.team_a
    later = unit_in_zone(county.zone_a, name="县审计测试单位")
    services.assign(team=team, unit=later, on=START.replace(month=3), by=county.staff)
    # an organization moved away: no longer offered
    services.assign(
        team=teams.team_b, unit=teams.extra_units[1], on=START.replace(month=6), by=county.staff
    )
    form = _page(client, county.staff, team).context["contact_form"]
    guided = Unit.objects.filter(
        pk__in=Assignment.objects.filter(in_force_on(TODAY), team=team).values("unit_id")
    ).order_by("name_pinyin")
    expected = [("", "---------"), *((u.pk, str(u)) for u in guided)]
    assert [(value, label) for value, label in form.fields["unit"].choices] == expected
    assert len(expected) > 2


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_team_page_costs_at_most_fifteen_queries_at_any_size(client, county, teams):
    url = reverse("teams:team_detail", args=[teams.team_a.pk])
    small = _count(client, county.staff, url)
    _grow(county, teams, 9)
    large = _count(client, county.staff, url)
    assert small == large
    assert small <= 14
