"""The pairings, as pure functions: every rule, for every zone size and across rounds."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision.pairing import (
    mutual_pairs,
    propose_cross_zone,
    propose_intra_zone,
    repeated_pairs,
    validate_cross_zone,
    validate_intra_zone,
)


def assert_valid_intra(units, pairing):
    assert set(pairing) == set(units)  # every unit checks one
    assert sorted(pairing.values()) == sorted(units)  # every unit is checked exactly once
    assert all(a != b for a, b in pairing.items())  # nobody checks itself


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 20), seed=st.integers(0, 10_000), rounds=st.integers(2, 4))
def test_intra_zone_pairing_keeps_the_rules_across_consecutive_quarters(size, seed, rounds):
    units = list(range(100, 100 + size))
    rng = random.Random(seed)
    previous: set = set()
    for _quarter in range(rounds):
        pairing = propose_intra_zone(units, previous, rng)
        assert_valid_intra(units, pairing)
        if size >= 3:
            # With three units or more a fresh derangement always exists.
            assert repeated_pairs(pairing, previous) == set()
        validate_intra_zone(units, pairing, previous)
        previous = set(pairing.items())


def test_two_units_can_only_check_each_other_every_quarter():
    pairing = propose_intra_zone([1, 2], {(1, 2), (2, 1)}, random.Random(1))
    assert pairing == {1: 2, 2: 1}
    validate_intra_zone([1, 2], pairing, {(1, 2), (2, 1)})  # allowed: nothing else is possible


def test_a_zone_of_one_unit_gets_a_clear_message():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        propose_intra_zone([7])
    assert "at least two units" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("pairing", "message"),
    [
        ({1: 1, 2: 3, 3: 2}, "cannot check itself"),
        ({1: 2, 2: 1, 3: 1}, "checked exactly once"),
        ({1: 2, 2: 3}, "check exactly one"),
    ],
)
def test_adjusted_intra_zone_pairing_that_breaks_a_rule_is_refused(pairing, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_intra_zone([1, 2, 3], pairing)
    assert message in exc.value.messages[0]


def test_adjusted_pairing_repeating_last_quarter_is_refused_when_avoidable():
    previous = {(1, 2), (2, 3), (3, 1)}
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_intra_zone([1, 2, 3], {1: 2, 2: 3, 3: 1}, previous)
    assert "repeat last quarter" in exc.value.messages[0]
    validate_intra_zone([1, 2, 3], {1: 3, 3: 2, 2: 1}, previous)


def assert_valid_cross(zones, plan):
    visitors = plan.visitors
    assert set(visitors) == set(zones)  # every zone is visited
    assert sorted(visitors.values()) == sorted(zones)  # every zone staffs one team
    assert all(z != v for z, v in visitors.items())  # no zone supervises itself


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 12), seed=st.integers(0, 10_000), rounds=st.integers(2, 5))
def test_cross_zone_plan_keeps_the_rules_across_consecutive_rounds(size, seed, rounds):
    zones = list(range(1, size + 1))
    rng = random.Random(seed)
    previous: set = set()
    for _round in range(rounds):
        plan = propose_cross_zone(zones, previous, rng)
        assert_valid_cross(zones, plan)
        if size >= 3:
            assert plan.pairs() & previous == set()  # no pair repeats last round's
            assert mutual_pairs(plan.visitors) == set()  # no A <-> B in one round
            assert plan.messages == []
        validate_cross_zone(zones, plan.visitors, previous)
        previous = plan.pairs()


def test_two_zones_swap_with_a_message():
    with translation.override("en"):
        plan = propose_cross_zone([1, 2], {(1, 2), (2, 1)}, random.Random(3))
        assert plan.visitors == {1: 2, 2: 1}
        assert any("only supervise each other" in m for m in plan.messages)
        assert validate_cross_zone([1, 2], plan.visitors, {(1, 2), (2, 1)})


def test_fewer_than_two_zones_is_answered_with_a_message():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        propose_cross_zone([1])
    assert "at least two zones" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("visitors", "previous", "message"),
    [
        ({1: 1, 2: 3, 3: 2}, set(), "cannot supervise itself"),
        ({1: 2, 2: 1, 3: 1}, set(), "staff exactly one"),
        ({1: 2, 2: 3}, set(), "visited by exactly one"),
        ({1: 2, 2: 1, 3: 4, 4: 3}, set(), "supervise each other"),
        ({1: 2, 2: 3, 3: 4, 4: 1}, {(2, 1)}, "repeat the previous round"),
    ],
)
def test_adjusted_cross_zone_plan_that_breaks_a_rule_is_refused(visitors, previous, message):
    zones = sorted(visitors) if len(visitors) > 2 else [1, 2, 3]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_cross_zone(zones, visitors, previous)
    assert message in exc.value.messages[0]
