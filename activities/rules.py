"""Who may do what with activities and the host rotation (core.access)."""

from __future__ import annotations

import rules

from zones.rules import is_committee_staff, leads_a_zone, leads_the_zone, serves_a_unit
from zones.selectors import user_scope


@rules.predicate
def may_edit(user, activity) -> bool:
    return activity.may_edit(user_scope(user))


@rules.predicate
def may_submit(user, activity) -> bool:
    return activity.may_submit(user_scope(user))


@rules.predicate
def reviews(user, activity) -> bool:
    return activity.is_reviewer(user_scope(user))


rules.add_perm("activities.log_activity", is_committee_staff | serves_a_unit)
rules.add_perm("activities.edit_activity", may_edit)
rules.add_perm("activities.submit_activity", may_submit)
rules.add_perm("activities.review_activity", reviews)
rules.add_perm("activities.open_review_queue", is_committee_staff | leads_a_zone)
rules.add_perm("activities.read_ledger", is_committee_staff)
rules.add_perm("activities.plan_rotation", is_committee_staff | leads_the_zone)
rules.add_perm("activities.generate_rotation", is_committee_staff)
