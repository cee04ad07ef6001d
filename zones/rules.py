"""Predicates every app's rules are built from: who a person is in the mechanism, from
`user_scope` (cached per request)."""

from __future__ import annotations

import rules

from .selectors import user_scope


@rules.predicate
def is_committee_staff(user) -> bool:
    return bool(getattr(user, "is_committee_staff", False))  # as user_scope's, without a query


@rules.predicate
def is_committee(user) -> bool:
    """Staff and leaders of the work committee."""
    return bool(getattr(user, "is_committee", False))


@rules.predicate
def serves_a_unit(user) -> bool:
    """Secretary (or party-affairs officer) of a unit."""
    return bool(user_scope(user).unit_ids)


@rules.predicate
def leads_a_zone(user) -> bool:
    """Secretary of a zone's lead unit."""
    return bool(user_scope(user).led_zone_ids)


@rules.predicate
def leads_the_zone(user, zone) -> bool:
    return zone is not None and zone.pk in user_scope(user).led_zone_ids


rules.add_perm("zones.see_phone_numbers", is_committee)
