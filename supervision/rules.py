"""Who may do what in checks, patrols and findings (core.access)."""

from __future__ import annotations

import rules

from zones.rules import is_committee, is_committee_staff, leads_a_zone

from . import selectors


@rules.predicate
def organizes(user, check) -> bool:
    return selectors.can_organize_check(user, check)


@rules.predicate
def fills(user, sheet) -> bool:
    return selectors.can_fill_sheet(user, sheet)


@rules.predicate
def records_visit(user, team) -> bool:
    return selectors.can_record_visit(user, team)


@rules.predicate
def answers(user, finding) -> bool:
    return selectors.can_answer_finding(user, finding)


@rules.predicate
def verifies(user, finding) -> bool:
    return selectors.can_verify_finding(user, finding)


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
