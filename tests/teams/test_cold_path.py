"""Issue 20, the service teams' pages on a cold cache: a year's figures and the members'
scorecards are each read in one query (grouped_counts: the same grouped counts, UNION ALL), the
team page reads its organizations, history and members once; what the pages show is what each
figure and list read by itself gives, and the query counts stay put as the data grows."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.aggregates import grouped_counts
from teams import services
from teams.models import Assignment
from teams.selectors import (
    PAGE_FIGURES,
    _member_figure_sets,
    _members_of_year,
    _team_figure_sets,
    league,
    member_cards,
    team_cards,
)
from teams.services import policy_for
from tests.factories import unit_in_zone
from tests.teams.conftest import START, TODAY
from tests.teams.test_pages import _count, _grow
from zones.models import in_force_on


def _alone(qs, key) -> dict:
    """The figure counted by a query of its own (what each figure was before)."""
    keys = (key,) if isinstance(key, str) else key
    out = {}
    for row in qs.values(*keys).annotate(n=Count("pk", distinct=True)).order_by():
        values = tuple(row[k] for k in keys)
        if None in values:
            continue
        out[values[0] if isinstance(key, str) else values] = row["n"]
    return out


def test_every_figure_in_one_query_equals_the_figure_counted_alone(county, teams):
    _grow(county, teams, 6)
    sets = {
        **{f"team:{k}": v for k, v in _team_figure_sets(year=2026, day=TODAY).items()},
        **_member_figure_sets(year=2026, team=None, members=[]),
    }
    with CaptureQueriesContext(connection) as ctx:
        together = grouped_counts(sets)
    assert len(ctx.captured_queries) == 1
    alone = {name: _alone(qs, key) for name, (qs, key) in sets.items()}
    assert together == alone
    # the data exercise them: visits, problems raised, brands, units, members, trainings
    for name in ("team:visits", "team:raised", "team:brands", "team:units", "team:members"):
        assert together[name], name
    assert together["visits"] and together["trainings"]


def test_the_team_page_cards_equal_the_league_and_the_member_cards(county, teams):
    _grow(county, teams, 6)
    policy = policy_for(county.staff.county_id)
    team = teams.team_a
    card, cards = team_cards(team=team, year=2026, policy=policy)
    (alone,) = league(year=2026, policy=policy, teams=[team], day=TODAY)
    # the card's figures are the league's but the three the page does not show, not counted
    shown = (*PAGE_FIGURES, "score", "rate")
    assert {k: getattr(card, k) for k in shown} == {k: getattr(alone, k) for k in shown}
    assert (card.units, card.members, card.overdue) == (None, None, None)
    assert alone.units and alone.members
    assert cards == member_cards(year=2026, policy=policy, team=team)
    assert [c.member for c in cards] == _members_of_year(year=2026, team=team)


def _page_context(client, user, team):
    client.force_login(user)
    response = client.get(reverse("teams:team_detail", args=[team.pk]))
    assert response.status_code == 200
    return response.context


def test_the_team_page_lists_what_each_list_read_alone_gives(client, county, teams):
    team = teams.team_a
    # history: an organization moved to the other team, one left; a member who left the team
    services.assign(
        team=teams.team_b, unit=teams.extra_units[1], on=START.replace(month=6), by=county.staff
    )
    later = unit_in_zone(county.zone_a, name="县审计测试单位")
    services.assign(team=team, unit=later, on=START.replace(month=3), by=county.staff)
    context = _page_context(client, county.staff, team)
    day = TODAY
    assert list(context["assignments"]) == list(
        Assignment.objects.filter(in_force_on(day), team=team)
        .select_related("unit")
        .order_by("unit__name_pinyin")
    )
    assert list(context["history"]) == list(
        Assignment.objects.filter(team=team, effective_to__isnull=False)
        .select_related("unit")
        .order_by("-effective_to")[:20]
    )
    assert context["history"], "the moved organization is in the history"
    assert list(context["members"]) == list(services.team_members_on(team, day))
    # a guided organization's secretary: their own organization only, no history
    own = _page_context(client, county.secretary, team)
    assert [a.unit_id for a in own["assignments"]] == [county.member_unit.pk]
    assert own["history"] == []
    assert list(own["members"]) == list(services.team_members_on(team, day))


def test_the_members_of_another_year_are_read_for_today(client, county, teams):
    """The scorecards of 2025 hold 2025's members: today's are read by themselves."""
    client.force_login(county.staff)
    response = client.get(reverse("teams:team_detail", args=[teams.team_a.pk]) + "?year=2025")
    assert list(response.context["members"]) == list(services.team_members_on(teams.team_a, TODAY))


def test_the_league_and_the_team_page_stay_within_issue_20s_budget(client, county, teams):
    """Twelve figures and six member figures were a query each (20 and 39 queries)."""
    urls = [reverse("teams:index"), reverse("teams:team_detail", args=[teams.team_a.pk])]
    small = [_count(client, county.staff, url) for url in urls]
    _grow(county, teams, 9)
    large = [_count(client, county.staff, url) for url in urls]
    assert small == large
    # the league: the session, the user, the county's policy, the figures' one statement,
    # the teams with their anchors' names, the unread count
    assert small[0] == 6
    assert small[1] <= 19
