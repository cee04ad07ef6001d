"""Issue 20: the team figures, one team's member figures and the county headline are
hand-written SQL (teams.figures_sql). Every figure equals the querysets' own count of the same
rule (teams.selectors' `_team_figure_sets` and `_member_figure_sets`, the headline's querysets
as they were), in the reader's county scope, in
every county's and with scopes disabled, on data where the figures are not zero; another
county's rows count for nobody in the first county's scope."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django_scopes import ScopeError, scope

from counties.scoping import county_scope, every_county
from supervision.constants import FindingState, Source
from supervision.models import Finding
from teams.models import Assignment, GuidanceVisit, TeamMember
from teams.selectors import (
    PAGE_FIGURES,
    _member_figure_sets,
    _members_of_year,
    _team_figure_sets,
    _team_on,
    county_headline,
    credited_matters,
    team_figures,
    team_page_counts,
)
from tests.factories import CountyFactory
from tests.teams.conftest import START, TODAY
from tests.teams.test_cold_path import _alone
from tests.teams.test_pages import _grow
from zones.selectors import grade_changes


def _orm_figures(year: int, day: datetime.date) -> dict:
    return {
        name: _alone(qs, key) for name, (qs, key) in _team_figure_sets(year=year, day=day).items()
    }


def _orm_headline(start: datetime.date, end: datetime.date) -> dict:
    on_end = Q(effective_to__isnull=True) | Q(effective_to__gt=end)
    members = TeamMember.objects.filter(on_end, effective_from__lte=end)
    guidance = Finding.objects.filter(source=Source.GUIDANCE, corrects__isnull=True)
    moved = (
        grade_changes()
        .filter(effective_from__range=(start, end), grade__lt=F("previous_grade"))
        .annotate(credited=_team_on("unit_id", "effective_from"))
        .filter(credited__isnull=False)
    )
    return {
        "teams": members.aggregate(n=Count("team_id", distinct=True))["n"],
        "members": members.aggregate(n=Count("person_id", distinct=True))["n"],
        "guided": Assignment.objects.filter(on_end, effective_from__lte=end).count(),
        "visits": GuidanceVisit.objects.filter(visited_on__range=(start, end)).count(),
        "raised": guidance.filter(raised_on__range=(start, end)).count(),
        "rectified": guidance.filter(
            state=FindingState.CLOSED, closed_on__range=(start, end)
        ).count(),
        "promoted": moved.count(),
        "matters": credited_matters()
        .filter(done_on__range=(start, end), credited__isnull=False)
        .count(),
    }


def test_every_team_figure_equals_the_querysets_count(county, teams):
    _grow(county, teams, 6)
    figures = team_figures(year=2026, day=TODAY)  # scopes disabled, as in the tests
    assert figures == _orm_figures(2026, TODAY)
    for name in ("visits", "raised", "brands", "units", "members", "trainings"):
        assert figures[name], name
    with county_scope(county.staff.county_id):
        assert team_figures(year=2026, day=TODAY) == _orm_figures(2026, TODAY) == figures
    with every_county():
        assert team_figures(year=2026, day=TODAY) == figures
    with scope(county=[]):
        assert team_figures(year=2026, day=TODAY) == _orm_figures(2026, TODAY)
    with scope(county=[county.staff.county_id]):
        assert team_figures(year=2026, day=TODAY) == figures
    with scope(county=county.staff.county_id + 1000):  # another county reads none of these
        assert not any(team_figures(year=2026, day=TODAY).values())


def test_the_headline_equals_the_querysets_counts(county, teams):
    _grow(county, teams, 6)
    with county_scope(county.staff.county_id):
        headline = county_headline(start=START, end=TODAY)
        assert headline == _orm_headline(START, TODAY)
        assert headline == county_headline(start=START, end=TODAY)
        later = datetime.date(2026, 6, 1)
        assert county_headline(start=later, end=TODAY) == _orm_headline(later, TODAY)
    for name in ("teams", "members", "guided", "visits", "raised"):
        assert headline[name], name
    with scope(county=county.staff.county_id + 1000):
        assert not any(county_headline(start=START, end=TODAY).values())


def test_the_sql_refuses_to_run_without_a_county_scope(county, teams):
    with scope(), pytest.raises(ScopeError):
        team_figures(year=2026, day=TODAY)


def _member_data(county, teams):
    """Data where every member figure of team A is not zero: visits with problems (_grow), one
    problem rectified, a confirmed matter of the member, the member at a contest with a prize;
    and team B's rows, which count for team B only."""
    from supervision import services as supervision_services
    from teams import services

    _grow(county, teams, 6)
    finding = Finding.objects.filter(sheet__guidance_visit__team=teams.team_a).first()
    supervision_services.finding_submit(finding=finding, note="已改", by=county.secretary)
    supervision_services.finding_verify(finding=finding, by=county.staff)
    matter = services.matter_log(
        person=teams.member_person,
        by=teams.member,
        description="帮助销售滞销农产品",
        category="sales",
        done_on=datetime.date(2026, 5, 10),
        hours=3,
        people_served=5,
    )
    services.matter_confirm(matter=matter, by=teams.captain)
    contest = services.training_record(
        kind="contest", title="知识竞赛", held_on=datetime.date(2026, 4, 1), by=county.staff
    )
    for person in (teams.member_person, teams.captain_person):
        services.training_entry_add(training=contest, person=person, by=county.staff, prize="first")


def _member_sql(team, members) -> dict:
    """The members' figures of the team page's statement (teams.selectors.team_page_counts)."""
    return team_page_counts(team=team, year=2026, members=members)[1]


def _member_orm(team, members) -> dict:
    sets = _member_figure_sets(year=2026, team=team, members=members)
    return {name: _alone(qs, key) for name, (qs, key) in sets.items()}


def test_every_member_figure_equals_the_querysets_count(county, teams):
    _member_data(county, teams)
    for team in (teams.team_a, teams.team_b):
        members = _members_of_year(year=2026, team=team)
        figures = _member_sql(team, members)
        assert figures == _member_orm(team, members), team
        with county_scope(county.staff.county_id):
            assert _member_sql(team, members) == _member_orm(team, members) == figures
        with scope(county=[county.staff.county_id]):
            assert _member_sql(team, members) == figures
        with scope(county=county.staff.county_id + 1000):  # another county reads none
            assert not any(_member_sql(team, members).values())
    figures = _member_sql(teams.team_a, _members_of_year(year=2026, team=teams.team_a))
    for name, counted in figures.items():
        assert counted, name
    assert figures["prizes"] == {teams.member_person.pk: 1, teams.captain_person.pk: 1}
    assert _member_sql(teams.team_a, []) == _member_orm(teams.team_a, [])


def test_the_member_sql_refuses_to_run_without_a_county_scope(county, teams):
    with scope(), pytest.raises(ScopeError):
        _member_sql(teams.team_a, [])


def _team_page_sql(team) -> dict:
    """The team's figures of the team page's statement (teams.selectors.team_cards)."""
    members = _members_of_year(year=2026, team=team)
    return team_page_counts(team=team, year=2026, members=members)[0]


def _one_team(figures: dict, team) -> dict:
    """The figures the team page shows of `team`, from every team's."""
    return {name: figures[name].get(team.pk, 0) for name in PAGE_FIGURES}


def test_the_team_pages_figures_are_the_teams_own(county, teams):
    """The team page counts one team's rows alone (each credited look-up run on the rows of its
    units and members only): the same figures as the county's statement and the querysets
    give that team, and no other team's."""
    from activities.constants import ActivityState
    from tests.activities.factories import make_activity
    from zones.models import UnitGrade

    _member_data(county, teams)
    # team A's unit hosts a confirmed activity and moves up a class
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    UnitGrade.objects.create(unit=county.member_unit, grade=3, effective_from=START)
    UnitGrade.objects.create(
        unit=county.member_unit, grade=2, effective_from=datetime.date(2026, 6, 1)
    )
    # team A's member moves to team B in June and goes to a training in August: a training of
    # the member on team A's page (the year's), credited to team B
    from teams import services

    moved = TeamMember.objects.get(team=teams.team_a, person=teams.member_person)
    services.team_member_leave(member=moved, on=datetime.date(2026, 6, 1), by=county.staff)
    services.team_member_add(
        team=teams.team_b,
        person=teams.member_person,
        role="member",
        on=datetime.date(2026, 6, 1),
        by=county.staff,
    )
    august = services.training_record(
        kind="class", title="八月培训", held_on=datetime.date(2026, 8, 3), by=county.staff
    )
    services.training_entry_add(training=august, person=teams.member_person, by=county.staff)
    for team in (teams.team_a, teams.team_b):
        members = _members_of_year(year=2026, team=team)
        assert teams.member_person.pk in {m.person_id for m in members}
        assert _member_sql(team, members) == _member_orm(team, members), team
        orm = _one_team(_orm_figures(2026, TODAY), team)
        assert _team_page_sql(team) == orm == _one_team(team_figures(year=2026, day=TODAY), team)
        with county_scope(county.staff.county_id):
            assert _team_page_sql(team) == orm
        with scope(county=[county.staff.county_id]):
            assert _team_page_sql(team) == orm
        with scope(county=county.staff.county_id + 1000):  # another county reads none
            assert not any(_team_page_sql(team).values())
    figures = _team_page_sql(teams.team_a)
    for name, counted in figures.items():
        assert counted, name
    assert figures != _team_page_sql(teams.team_b)


def test_the_countys_matters_read_per_person_equal_the_querysets(county, teams):
    """Without a team (the league, the headline), a county's matters are read per person of the
    county on PostgreSQL (teams.figures_sql.rows_matters: a LATERAL join, its own statement;
    the portable form on SQLite): the same counts as the querysets on matters in every state:
    logged for a team, credited by the member's team of the day, a person on no team, not
    confirmed, not practical, out of the year, and another county's person's matter logged for
    team A, which counts in that county's scope only."""
    from django.utils import timezone

    from people.constants import MatterCategory, MatterSource
    from people.models import PracticalMatter
    from teams.models import MicroMatter
    from tests.factories import UnitFactory
    from tests.people.factories import person_in

    _member_data(county, teams)  # the member's confirmed matter, logged for team A
    now = timezone.now()

    def matter(person, *, done_on=datetime.date(2026, 7, 1), confirmed=True, **fields):
        return PracticalMatter.objects.create(
            person=person,
            done_on=done_on,
            category=fields.pop("category", MatterCategory.CARE),
            hours=1,
            description="帮扶",
            source=fields.pop("source", MatterSource.COMMUNITY),
            confirmed_at=now if confirmed else None,
            **fields,
        )

    matter(teams.captain_person)  # credited to team A, the captain's team that day
    matter(teams.captain_person, confirmed=False)
    matter(teams.captain_person, category=MatterCategory.SERVICE)
    matter(teams.captain_person, done_on=datetime.date(2025, 7, 1))
    matter(person_in(county.member_unit, name="无队员"))  # on no team: credited to none
    with every_county():
        other = CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])
        stranger = person_in(UnitFactory(county=other, name="紫阳单位"), name="外县人")
    MicroMatter.objects.create(
        team=teams.team_a, matter=matter(stranger, source=MatterSource.TEAMS)
    )
    mine = county.staff.county_id
    for current in ({"county": mine}, {"county": [mine]}, {"county": other.pk}):
        with scope(**current):
            figures = team_figures(year=2026, day=TODAY)
            assert figures["matters"] == _orm_figures(2026, TODAY)["matters"], current
            headline = county_headline(start=START, end=TODAY)
            assert headline["matters"] == _orm_headline(START, TODAY)["matters"], current
            if current["county"] == other.pk:
                assert figures["matters"] == {teams.team_a.pk: 1}
                assert headline["matters"] == 1
            else:
                assert figures["matters"] == {teams.team_a.pk: 2}
                assert headline["matters"] == 2
    # scopes disabled: every county's, the portable form
    assert team_figures(year=2026, day=TODAY)["matters"] == {teams.team_a.pk: 3}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_countys_matters_are_read_through_its_people(county, teams):
    """The county's matters are read per person of the county (the person index, the
    subquery kept as written), not a scan of every county's matters hashed against them."""
    from teams.figures_sql import counted, rows_matters

    with county_scope(county.staff.county_id):
        sql, params = counted(rows_matters(START, TODAY), credited=True)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # the matters' subquery runs per person (the LATERAL join's parameter p.id), not pulled up
    assert "Subquery Scan on pm" in plan, plan
    assert "person_id = p.id" in plan.split("Subquery Scan on pm")[1], plan
    assert "Hash Cond: (pm.person_id = p.id)" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_leagues_statement_cannot_read_the_findings_by_their_state(county, teams):
    """The league's statement runs prepared: a generic plan, estimating a year of closing days
    at 0.5% of the findings, read every closed finding of the city through the (state,
    deadline) index to count one county's rectified. The state is hidden from that index, so
    the county's units drive it, as a custom plan does; kept alone, the index goes unused."""
    from teams.figures_sql import league_sources, page_parts
    from tests.helpers import plan_with_only_index

    _grow(county, teams, 3)
    with county_scope(county.staff.county_id):
        _names, parts, params = page_parts(league_sources(year=2026, day=TODAY))
    with connection.cursor() as cursor:
        sql = cursor.mogrify(" UNION ALL ".join(parts), params).decode()
    plan = plan_with_only_index("supervision_finding", "supervision_state_57a680_idx", sql)
    assert "supervision_finding" in plan, plan
    assert "supervision_state_57a680_idx" not in plan, plan
