"""Who may do what with the micro-wishes (core.access). Seeing a wish at all is
`selectors.wishes_visible_to` (404 otherwise); these rules say who acts on one (403)."""

from __future__ import annotations

import rules

from zones.rules import is_committee, is_committee_staff
from zones.selectors import user_scope

from .selectors import reads_all_wishes

reads_all = rules.predicate(reads_all_wishes, name="reads_all_wishes")


@rules.predicate
def dispatches(user, wish) -> bool:
    """County staff, or a secretary or officer of the wish's town office (the dispatcher)."""
    if getattr(user, "is_committee_staff", False):
        return True
    office = wish.town.office_id if wish is not None else None
    return office is not None and office in user_scope(user).unit_ids


@rules.predicate
def dispatches_somewhere(user) -> bool:
    if getattr(user, "is_committee_staff", False):
        return True
    from .models import Town

    return Town.objects.filter(office_id__in=user_scope(user).unit_ids).exists()


@rules.predicate
def records_meeting(user, meeting) -> bool:
    """Who may record a courtyard meeting of its village may correct it: county staff, or a
    secretary or officer of the village's town office."""
    if getattr(user, "is_committee_staff", False):
        return True
    office = meeting.village.town.office_id if meeting is not None else None
    return office is not None and office in user_scope(user).unit_ids


@rules.predicate
def handles(user, wish) -> bool:
    """A secretary or officer of the wish's handler unit."""
    return wish is not None and wish.handler_id in user_scope(user).unit_ids


@rules.predicate
def reads_wishes(user) -> bool:
    """The committee and city staff read the county's wishes; dispatchers and handlers theirs."""
    return reads_all_wishes(user) or bool(user_scope(user).unit_ids)


@rules.predicate
def is_member(user) -> bool:
    """A party member of the register with an account (双报到 claims)."""
    return getattr(user, "is_authenticated", False) and hasattr(user, "person")


@rules.predicate
def whistle_reports(user, whistle) -> bool:
    """The summoned department (or county staff) reports for duty and records the solution."""
    if getattr(user, "is_committee_staff", False):
        return True
    return whistle is not None and whistle.department_id in user_scope(user).unit_ids


rules.add_perm("wishes.read", reads_wishes | is_member)
rules.add_perm("wishes.read_list", reads_wishes)
rules.add_perm("wishes.read_figures", is_committee | reads_all)
rules.add_perm("wishes.manage_places", is_committee_staff)
rules.add_perm("wishes.enter", dispatches_somewhere)
# Courtyard meetings (院落会): the dispatchers record them, the committee and city staff read.
rules.add_perm("wishes.read_meetings", dispatches_somewhere | reads_all)
rules.add_perm("wishes.edit_meeting", records_meeting)
rules.add_perm("wishes.dispatch", dispatches)
rules.add_perm("wishes.handle", handles)
# The full name and phone: the dispatcher and the handler, each look audited.
rules.add_perm("wishes.reveal", dispatches | handles)
rules.add_perm("wishes.whistle", dispatches)
rules.add_perm("wishes.report_for_duty", whistle_reports)
rules.add_perm("wishes.claim", is_member)
