"""Who may do what in checks, patrols and findings (core.access). Each rule is written here
once; views and templates ask it by name (`may`/`require`)."""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from zones.models import Zone
from zones.rules import is_committee, is_committee_staff, leads_a_zone
from zones.selectors import user_scope


def _on_team(user, team) -> bool:
    return team.leader_id == user.pk or team.members.filter(pk=user.pk).exists()


@rules.predicate
def organizes(user, check) -> bool:
    """Staff, or the secretary of the check's zone's lead unit. Queryset twin:
    `zones_organized_by` (the zones offered when opening a check)."""
    scope = user_scope(user)
    return scope.is_staff or check.zone_id in scope.led_zone_ids


def zones_organized_by(user) -> QuerySet[Zone]:
    """The queryset twin of `organizes`: the zones whose checks `user` organizes."""
    scope = user_scope(user)
    return Zone.objects.all() if scope.is_staff else Zone.objects.filter(pk__in=scope.led_zone_ids)


@rules.predicate
def fills(user, sheet) -> bool:
    """Whether `user` is one of the sheet's checkers (or staff). Whether the sheet still takes
    scores is a separate question (`services.sheet_is_fillable`)."""
    scope = user_scope(user)
    if scope.is_staff:
        return True
    if sheet.mutual_check_id:
        return sheet.checker_unit_id in scope.unit_ids
    if sheet.team_id is None:
        return False  # a guidance visit's sheet: recorded through the teams app's pages
    team = sheet.team
    assert team is not None  # a sheet belongs to a mutual check or a patrol team
    return _on_team(user, team)


@rules.predicate
def records_visit(user, team) -> bool:
    """Staff, the team's leader and its members."""
    return user_scope(user).is_staff or _on_team(user, team)


@rules.predicate
def answers(user, finding) -> bool:
    """The responsible unit's secretaries answer a finding (start, submit rectification)."""
    return finding.responsible_unit_id in user_scope(user).unit_ids


@rules.predicate
def verifies(user, finding) -> bool:
    """Staff, the zone's guiding leader and, for a mutual check's findings, the zone's lead
    unit verify or return a rectification, never one of their own unit."""
    scope = user_scope(user)
    if scope.is_staff:
        return True
    if finding.responsible_unit_id in scope.unit_ids:
        return False
    if finding.zone_id in scope.guided_zone_ids:
        return True
    return finding.source == "mutual" and finding.zone_id in scope.led_zone_ids


rules.add_perm("supervision.create_check", is_committee_staff | leads_a_zone)
rules.add_perm("supervision.organize_check", organizes)
rules.add_perm("supervision.fill_sheet", fills)
rules.add_perm("supervision.record_visit", records_visit)
rules.add_perm("supervision.answer_finding", answers)
rules.add_perm("supervision.verify_finding", verifies)
rules.add_perm("supervision.correct_finding", is_committee_staff)
rules.add_perm("supervision.manage_rounds", is_committee_staff)
rules.add_perm("supervision.review_classes", is_committee_staff)
rules.add_perm("supervision.read_class_movements", is_committee)
