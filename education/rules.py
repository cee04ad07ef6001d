"""Who may do what in member education (core.access asks these by name). Reading is
education.selectors.sessions_visible_to (404 outside it); these are the 403s and the pages
reserved to some."""

from __future__ import annotations

import rules

from people.selectors import current_unit
from zones.rules import is_committee_staff
from zones.selectors import user_scope

from .selectors import person_of, reads_county


def _county_staff(user, county_id=None) -> bool:
    if not is_committee_staff(user):
        return False
    return user.is_superuser or (
        user.county_id is not None and (county_id is None or user.county_id == county_id)
    )


@rules.predicate
def may_manage_classrooms(user) -> bool:
    """Classrooms and the study rules: the county's staff."""
    return _county_staff(user)


@rules.predicate
def may_open_county_page(user) -> bool:
    """The county's education page: its staff and leaders, and city staff (read only)."""
    return reads_county(user)


@rules.predicate
def may_create_session(user) -> bool:
    """A session: county staff (county-wide or any unit's) and a unit's secretary (their
    units')."""
    return _county_staff(user) or bool(user_scope(user).unit_ids)


@rules.predicate
def may_manage_session(user, session) -> bool:
    """Roster, sign-ins and files of a session: the county's staff, and the secretary of one
    of its organizing units."""
    if session is None:
        return False
    if _county_staff(user, session.county_id):
        return True
    unit_ids = user_scope(user).unit_ids
    return bool(unit_ids) and session.units.filter(pk__in=unit_ids).exists()


@rules.predicate
def may_read_unit(user, unit) -> bool:
    """A unit's ledger and 第一议题 meetings: the committee of its county (and city staff),
    and the unit's secretary."""
    if unit is None:
        return False
    return reads_county(user) or unit.pk in user_scope(user).unit_ids


@rules.predicate
def may_manage_unit(user, unit) -> bool:
    """Record a unit's meetings and 双报到: the county's staff and the unit's secretary."""
    if unit is None:
        return False
    return _county_staff(user, unit.county_id) or unit.pk in user_scope(user).unit_ids


@rules.predicate
def may_read_person_hours(user, person) -> bool:
    """A person's study hours: the person themselves, the county's committee, and the
    secretary of their unit today."""
    if person is None:
        return False
    if reads_county(user):
        return True
    own = person_of(user)
    if own is not None and own.pk == person.pk:
        return True
    unit = current_unit(person)
    return unit is not None and unit.pk in user_scope(user).unit_ids


@rules.predicate
def has_own_hours(user) -> bool:
    """ "My study hours": a signed-in account of a person of the register."""
    return person_of(user) is not None


rules.add_perm("education.manage_classrooms", may_manage_classrooms)
# 双报到's communities in the portal (their list, create, edit, deactivate): the county's staff.
rules.add_perm("education.manage_communities", may_manage_classrooms)
rules.add_perm("education.open_county_page", may_open_county_page)
rules.add_perm("education.create_session", may_create_session)
rules.add_perm("education.manage_session", may_manage_session)
rules.add_perm("education.read_unit", may_read_unit)
rules.add_perm("education.manage_unit", may_manage_unit)
rules.add_perm("education.read_person_hours", may_read_person_hours)
rules.add_perm("education.own_hours", has_own_hours)


@rules.predicate
def is_community_account(user, community) -> bool:
    """Confirm registrations and services, publish needs: the community's own accounts."""
    if community is None or not getattr(user, "is_authenticated", False):
        return False
    return community.accounts.filter(pk=user.pk).exists()


@rules.predicate
def may_log_service(user, registration) -> bool:
    """Log a service of a registration, or renew it: the registered member, the secretary of
    the unit they registered from, and the county's staff."""
    if registration is None:
        return False
    own = person_of(user)
    if own is not None and own.pk == registration.person_id:
        return True
    return _county_staff(user, registration.unit.county_id) or (
        registration.unit_id in user_scope(user).unit_ids
    )


rules.add_perm("education.confirm_for_community", is_community_account)
rules.add_perm("education.log_service", may_log_service)


@rules.predicate
def may_log_pair_meeting(user, pair) -> bool:
    """A pair's meetings: the county's staff and the two of the pair."""
    if pair is None:
        return False
    own = person_of(user)
    return _county_staff(user, pair.county_id) or (
        own is not None and own.pk in (pair.mentor_id, pair.mentee_id)
    )


rules.add_perm("education.log_pair_meeting", may_log_pair_meeting)
