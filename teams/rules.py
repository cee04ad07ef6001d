"""Who may do what with service teams (core.access). Each rule is written here once; views and
templates ask it by name (`may`/`require`).

- County staff build teams, assign organizations, propose and confirm rotations, record
  reminder talks and read everything; city staff read.
- A team's captain records its visits and confirms its members' small practical matters.
- A team's members read their team and scorecard, log their own matters and the team's
  contacts with the organizations it guides (the weekly contact rule).
- The secretary of an organization a team guides reads that team and its visits of their
  organization (and answers its findings on the supervision pages).
Everyone else gets 404.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from zones.models import in_force_on
from zones.rules import is_committee_staff
from zones.selectors import today, user_scope

from .constants import TeamRole
from .models import Team, TeamMember


def _memberships(user) -> list[tuple[int, str]]:
    """(team id, role) of the user's open team memberships, cached on the user for the request."""
    cached = getattr(user, "_scope_teams", None)
    if cached is None:
        cached = (
            list(
                TeamMember.objects.filter(in_force_on(today()), person__user=user).values_list(
                    "team_id", "role"
                )
            )
            if user.is_authenticated
            else []
        )
        user._scope_teams = cached  # `_scope_`: forgotten with the access scope
    return cached


def captained_team_ids(user) -> set[int]:
    return {team for team, role in _memberships(user) if role == TeamRole.CAPTAIN}


def member_team_ids(user) -> set[int]:
    return {team for team, _role in _memberships(user)}


def teams_readable_by(user) -> QuerySet[Team]:
    """The queryset twin of `reads_team`."""
    scope = user_scope(user)
    if scope.reads_all:
        return Team.objects.all()
    if not user.is_authenticated:
        return Team.objects.none()
    guided = Q(assignments__unit_id__in=scope.unit_ids, assignments__effective_to__isnull=True)
    return Team.objects.filter(Q(pk__in=member_team_ids(user)) | guided).distinct()


@rules.predicate
def reads_team(user, team) -> bool:
    scope = user_scope(user)
    if scope.reads_all or team.pk in member_team_ids(user):
        return True
    return (
        bool(scope.unit_ids)
        and team.assignments.filter(unit_id__in=scope.unit_ids, effective_to__isnull=True).exists()
    )


@rules.predicate
def captains(user, team) -> bool:
    """Staff, or the team's captain today."""
    return user_scope(user).is_staff or team.pk in captained_team_ids(user)


@rules.predicate
def on_the_team(user, team) -> bool:
    return user_scope(user).is_staff or team.pk in member_team_ids(user)


@rules.predicate
def on_a_team(user) -> bool:
    return bool(member_team_ids(user))


@rules.predicate
def reads_scorecards(user, team=None) -> bool:
    """Staff and city staff read every scorecard; a team's people their team's."""
    scope = user_scope(user)
    return scope.reads_all or (team is not None and team.pk in member_team_ids(user))


@rules.predicate
def is_reader_of_all(user) -> bool:
    return user_scope(user).reads_all


rules.add_perm("teams.manage", is_committee_staff)
rules.add_perm("teams.read_team", reads_team)
rules.add_perm("teams.record_visit", captains)
rules.add_perm("teams.confirm_matter", captains)
rules.add_perm("teams.log_matter", on_a_team)
# The weekly contact (每周联系): the captain or a member of the team (or staff) logs one.
rules.add_perm("teams.record_contact", on_the_team)
rules.add_perm("teams.read_scorecard", reads_scorecards)
rules.add_perm("teams.read_league", is_reader_of_all)


def visits_readable_by(user):
    """The visits `user` reads: every one for staff and city staff, their team's for its
    people, their own organization's for a guided organization's secretary."""
    from .models import GuidanceVisit

    scope = user_scope(user)
    qs = GuidanceVisit.objects.select_related("team", "unit")
    if scope.reads_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(team_id__in=member_team_ids(user)) | Q(unit_id__in=scope.unit_ids))
