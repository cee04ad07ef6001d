"""Issue 20, the team page cold (second pass): the contact form's organizations are the
assignments the page has already read (no query of their own) and offer exactly what the
query of the team's guided organizations gives; the page's query count stays within the
budget and equal as the data grow."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counties.scoping import county_scope
from teams import services
from teams.models import Assignment, Brand, TeamMember, TrainingEntry
from teams.selectors import _team_figure_sets, team_figures, team_guiding_on
from tests.factories import unit_in_zone
from tests.teams.conftest import START, TODAY
from tests.teams.test_pages import _count, _grow
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


def test_the_team_page_costs_at_most_fifteen_queries_at_any_size(client, county, teams):
    url = reverse("teams:team_detail", args=[teams.team_a.pk])
    small = _count(client, county.staff, url)
    _grow(county, teams, 9)
    large = _count(client, county.staff, url)
    assert small == large
    # session, user, the team (with its county's policy), the lists (teams.page), the
    # figures' statement, the unread count
    assert small == 6


def test_the_credited_figures_equal_a_straightforward_count(county, teams):
    """Brands credited to the team that guided the organization that day, trainings to the
    team the person was on: as each record's own look-up gives."""
    _grow(county, teams, 6)
    moved = teams.extra_units[1]  # guided by team_b from June: a brand before and after
    services.assign(team=teams.team_b, unit=moved, on=START.replace(month=6), by=county.staff)
    for month in (4, 8):
        services.brand_record(
            unit=moved, name=f"品牌月{month}", recognized_on=START.replace(month=month),
            by=county.staff,
        )  # fmt: skip
    figures = team_figures(year=2026, day=TODAY)
    brands: Counter = Counter()
    for brand in Brand.objects.filter(recognized_on__year=2026):
        team = team_guiding_on(brand.unit_id, brand.recognized_on)
        if team is not None:
            brands[team.pk] += 1
    trainings: Counter = Counter()
    for entry in TrainingEntry.objects.filter(training__held_on__year=2026).select_related(
        "training"
    ):
        on = TeamMember.objects.filter(in_force_on(entry.training.held_on), person=entry.person)
        if (member := on.first()) is not None:
            trainings[member.team_id] += 1
    assert figures["brands"] == dict(brands) and len(brands) >= 2
    assert figures["trainings"] == dict(trainings) and trainings


def test_the_team_credited_on_a_day_is_read_without_a_join_per_row(county, teams):
    """The assignment correlated with an organization of the outer query's county: no join
    to the teams for a scope per row counted."""
    with county_scope(county.staff.county_id):  # as a request reads them
        sets = _team_figure_sets(year=2026, day=TODAY)
        for name in ("activities", "brands", "rectified", "promoted"):
            qs, key = sets[name]
            assert '"teams_team"' not in str(qs.values(key).query), name


def test_the_matter_form_is_offered_to_the_teams_members_of_today(client, county, teams):
    """A small practical matter is logged by a member of the team today (teams.log_matter, on
    the team): its captain and members, in any year the page shows; not staff, another
    guided organization's secretary, nor a member who has left (staff who were on it)."""
    from tests.teams.conftest import pooled

    def offered(user, year="") -> bool:
        client.force_login(user)
        url = reverse("teams:team_detail", args=[teams.team_a.pk])
        response = client.get(url + (f"?year={year}" if year else ""))
        assert response.status_code == 200
        return "matter_form" in response.context and b'id="matter-form"' in response.content

    assert offered(teams.captain) and offered(teams.member) and offered(teams.member, 2025)
    assert not offered(county.staff) and not offered(county.secretary)
    on_team = pooled(county.member_unit_2, "孙队员", user=county.staff)
    services.team_member_add(
        team=teams.team_a, person=on_team, role="member", on=START, by=county.staff
    )
    assert offered(county.staff) and offered(county.staff, 2025)
    member = TeamMember.objects.get(team=teams.team_a, person=on_team)
    services.team_member_leave(member=member, on=TODAY, by=county.staff)
    assert not offered(county.staff) and not offered(county.staff, 2025)


def test_staff_reading_the_team_page_read_no_teams_of_their_own(client, county, teams):
    """Whether staff are on the team is read from today's members, which the page shows: no
    query of the reader's memberships."""
    client.force_login(county.staff)
    url = reverse("teams:team_detail", args=[teams.team_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    memberships = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "teams_teammember"."team_id" AS "team_id"')
    ]
    assert not memberships


def test_the_page_reads_the_countys_policy_with_the_team(client, county, teams):
    """The county's team policy is read with the team (Team.county.team_policy), not by a
    query of its own: the saved policy, its threshold flagging the members; created with the
    defaults on the first view, as services.policy_for does."""
    from teams.models import TeamPolicy

    assert not TeamPolicy.objects.exists()
    first = _page(client, county.staff, teams.team_a).context["policy"]
    assert first.pk is not None and first.county_id == county.staff.county_id
    TeamPolicy.objects.filter(pk=first.pk).update(threshold=10_000)
    with CaptureQueriesContext(connection) as ctx:
        context = _page(client, county.staff, teams.team_a).context
    assert context["policy"].pk == first.pk and context["policy"].threshold == 10_000
    assert all(card.flagged for card in context["member_cards"])
    assert not [q for q in ctx.captured_queries if 'FROM "teams_teampolicy"' in q["sql"]]
