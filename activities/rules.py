"""Who may do what with activities and the host rotation (core.access).

Each rule is written once, here. Where a list must show exactly the rows a rule allows, the rule
has a queryset twin beside it (`confirmable_by`, the twin of `may_confirm`) and the selectors
filter by the twin; `tests/activities/test_confirm_rule.py` holds the two to agreement.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from counties.rules import is_city_staff
from zones.rules import is_committee_staff, leads_a_zone, leads_the_zone, serves_a_unit
from zones.selectors import user_scope


@rules.predicate
def hosts(user, activity) -> bool:
    """A secretary of the activity's host unit."""
    return activity.host_unit_id in user_scope(user).unit_ids


@rules.predicate
def may_confirm(user, activity) -> bool:
    """Who may confirm (or return) an activity: staff, and the secretaries of its zone's lead
    unit. Whether the activity is waiting for that (submitted) is the service's question.
    Queryset twin: `confirmable_by`."""
    scope = user_scope(user)
    return scope.is_staff or activity.zone_id in scope.led_zone_ids


def confirmable_by(user) -> Q:
    """The queryset twin of `may_confirm`: the activities `user` may confirm, as a filter for
    lists (the review queue, the count on "my work"). Nothing for one who confirms nothing."""
    scope = user_scope(user)
    if scope.is_staff:
        return Q()
    return Q(zone_id__in=scope.led_zone_ids)


@rules.predicate
def may_edit(user, activity) -> bool:
    """Staff at any time; the host unit's secretary while it is a draft or returned."""
    if user_scope(user).is_staff:
        return True
    return hosts(user, activity) and activity.is_editable_state


@rules.predicate
def may_submit(user, activity) -> bool:
    return user_scope(user).is_staff or hosts(user, activity)


rules.add_perm("activities.log_activity", is_committee_staff | serves_a_unit)
rules.add_perm("activities.edit_activity", may_edit)
rules.add_perm("activities.submit_activity", may_submit)
rules.add_perm("activities.review_activity", may_confirm)
rules.add_perm("activities.open_review_queue", is_committee_staff | leads_a_zone)
rules.add_perm("activities.read_ledger", is_committee_staff | is_city_staff)
rules.add_perm("activities.plan_rotation", is_committee_staff | leads_the_zone)
rules.add_perm("activities.generate_rotation", is_committee_staff)
