"""Who may read and change the member register (core.access asks these by name).

Reading is people.selectors.people_visible_to (404 outside it); these rules are the 403s for
what a reader may see but not do, and who sees a full ID or phone number (audited).
"""

from __future__ import annotations

import rules

from counties.selectors import reads_every_county
from zones.rules import is_committee, is_committee_staff
from zones.selectors import user_scope

from .selectors import current_unit


def _county_staff_of(user, person) -> bool:
    return bool(is_committee_staff(user)) and (
        user.is_superuser or (person is not None and user.county_id == person.county_id)
    )


def _secretary_of(user, person) -> bool:
    """The secretary (or officer) of the person's unit today."""
    if person is None:
        return False
    unit = current_unit(person)
    return unit is not None and unit.pk in user_scope(user).unit_ids


@rules.predicate
def may_read_register(user) -> bool:
    """The register's page: the committee of a county, city staff, a unit's secretary."""
    return bool(is_committee(user)) or reads_every_county(user) or bool(user_scope(user).unit_ids)


@rules.predicate
def may_read_unit_members(user, unit) -> bool:
    """A unit's people in the register (the links from the unit's page to its secretary and
    its members), as people_visible_to reads them, without a query: the committee of the
    unit's county, city staff, and the unit's own secretary."""
    if unit is None:
        return False
    if reads_every_county(user):
        return True
    if is_committee(user):
        return user.county_id == unit.county_id
    return unit.pk in user_scope(user).unit_ids


@rules.predicate
def may_manage_people(user, person=None) -> bool:
    """Register, edit, transfer and record the leaving of people: the county's staff."""
    if person is None:
        return bool(is_committee_staff(user)) and (user.is_superuser or user.county_id is not None)
    return _county_staff_of(user, person)


@rules.predicate
def may_register_person(user, unit=None) -> bool:
    """Register a person by hand: the county's staff in any unit of their county, a unit's
    secretary in their own unit (a new member joining it). Without a unit: whether the page
    opens at all."""
    if unit is None:
        return may_manage_people(user) or bool(user_scope(user).unit_ids)
    if is_committee_staff(user):
        return user.is_superuser or user.county_id == unit.county_id
    return unit.pk in user_scope(user).unit_ids


@rules.predicate
def may_change_person(user, person) -> bool:
    """Edit a person's details, transfer them to another unit of the county (组织关系转接: the
    sending organization starts it) and record their posts: the county's staff, and the
    secretary of the unit the person belongs to today. Nobody changes a person who left."""
    if person is None or person.has_left:
        return False
    return _county_staff_of(user, person) or _secretary_of(user, person)


@rules.predicate
def may_record_leaving(user, person) -> bool:
    """Record that a person left (transferred out of the county, deceased, membership ended):
    the county's staff alone, who keep the county's register (a secretary asks them)."""
    return person is not None and not person.has_left and _county_staff_of(user, person)


@rules.predicate
def may_edit_cadre_profile(user, person) -> bool:
    """The cadre profile: the county's staff and the person's unit secretary."""
    return _county_staff_of(user, person) or _secretary_of(user, person)


@rules.predicate
def may_see_personal_numbers(user, person) -> bool:
    """The full ID and phone number on the person's page (each look audited): the county's
    staff and the person's unit secretary."""
    return _county_staff_of(user, person) or _secretary_of(user, person)


rules.add_perm("people.read_register", may_read_register)
rules.add_perm("people.manage_people", may_manage_people)
rules.add_perm("people.read_unit_members", may_read_unit_members)
rules.add_perm("people.register_person", may_register_person)
rules.add_perm("people.change_person", may_change_person)
rules.add_perm("people.record_leaving", may_record_leaving)
rules.add_perm("people.edit_cadre_profile", may_edit_cadre_profile)
rules.add_perm("people.see_personal_numbers", may_see_personal_numbers)
