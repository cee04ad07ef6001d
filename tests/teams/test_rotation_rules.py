"""The yearly rotation: its rules as properties (hypothesis) of the pure proposal, and the
service that proposes, shows the difference and confirms on a date without rewriting the past."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from teams import services
from teams.constants import RotationState
from teams.models import Assignment
from teams.rotation import propose


@st.composite
def instances(draw, *, own=True):
    t = draw(st.integers(min_value=2 if not own else 3, max_value=8))
    n = draw(st.integers(min_value=t, max_value=6 * t))
    seed = draw(st.integers(min_value=0, max_value=10**6))
    rng = random.Random(seed)
    teams = list(range(t))
    units = [f"u{i}" for i in range(n)]
    order = list(units)
    rng.shuffle(order)
    current = {u: teams[i % t] for i, u in enumerate(order)}  # this year's, balanced
    own_units = {team: set() for team in teams}
    if own:
        for team in teams:
            for u in rng.sample(units, k=min(len(units), rng.randint(0, 2))):
                own_units[team].add(u)
    kinds = {u: rng.choice("abcd") for u in units}
    guided = {team: {kinds[u] for u in units if current[u] == team} for team in teams}
    kept = set(rng.sample(units, k=rng.randint(0, 2))) if own else set()
    return dict(
        units=units,
        teams=teams,
        current=current,
        own_units=own_units,
        kinds=kinds,
        guided_kinds=guided,
        kept=kept,
        rng=rng,
    )


def _loads(assignment, teams):
    return [list(assignment.values()).count(t) for t in teams]


@settings(max_examples=200, deadline=None)
@given(instances())
def test_no_organization_keeps_its_team_nor_meets_its_own_members(case):
    p = propose(**case)
    for unit, team in p.assignment.items():
        if unit in case["kept"]:
            assert team == case["current"][unit]
            continue
        assert team != case["current"][unit]
        assert unit not in case["own_units"][team]
    # every unit is placed or named as unplaceable
    assert set(p.assignment) | set(p.unplaced) == set(case["units"])
    for unit in p.unplaced:
        assert all(
            t == case["current"][unit] or unit in case["own_units"][t] for t in case["teams"]
        )


@settings(max_examples=200, deadline=None)
@given(instances())
def test_loads_are_balanced_unless_the_proposal_says_they_are_not(case):
    p = propose(**case)
    if p.balanced:
        loads = _loads(p.assignment, case["teams"])
        assert max(loads) - min(loads) <= 1


@settings(max_examples=200, deadline=None)
@given(instances(own=False))
def test_without_own_units_every_rule_is_always_kept(case):
    """Balanced this year and only "no repeat" to keep: a balanced map always exists (shift each
    team's organizations to the next team), and the proposal finds one."""
    p = propose(**case)
    assert p.all_rules_kept
    loads = _loads(p.assignment, case["teams"])
    assert max(loads) - min(loads) <= 1


def test_teams_meet_kinds_they_have_not_guided_when_they_can():
    units = ["a1", "a2", "b1", "b2"]
    kinds = {"a1": "a", "a2": "a", "b1": "b", "b2": "b"}
    current = {"a1": 0, "a2": 0, "b1": 1, "b2": 1}
    p = propose(
        units=units,
        teams=[0, 1],
        current=current,
        own_units={},
        kinds=kinds,
        guided_kinds={0: {"a"}, 1: {"b"}},
    )
    assert p.assignment == {"a1": 1, "a2": 1, "b1": 0, "b2": 0}
    assert p.new_kind == 4


# --- the service ---------------------------------------------------------------------------


def test_staff_propose_review_and_confirm_without_rewriting_the_past(county, teams):
    before = set(Assignment.objects.values_list("unit_id", "team_id"))
    rotation = services.rotation_propose(
        year=2027, effective_on=datetime.date(2027, 1, 1), by=county.staff
    )
    assert rotation.state == RotationState.PROPOSED
    lines = list(rotation.lines.all())
    assert len(lines) == 5
    assert all(line.team_id != line.previous_team_id for line in lines)
    # nothing changes until confirmed
    assert set(Assignment.objects.values_list("unit_id", "team_id")) == before
    services.rotation_confirm(rotation=rotation, by=county.staff)
    day = datetime.date(2026, 12, 31)
    for line in lines:
        assert services.team_on(line.unit, day).pk == line.previous_team_id  # the past holds
        assert services.team_on(line.unit, datetime.date(2027, 1, 1)).pk == line.team_id
    with pytest.raises(ValidationError, match="already confirmed"):
        services.rotation_confirm(rotation=rotation, by=county.staff)
    with pytest.raises(ValidationError, match="confirmed"):
        services.rotation_propose(
            year=2027, effective_on=datetime.date(2027, 1, 1), by=county.staff
        )


def test_an_organization_in_rectification_keeps_its_team_when_ticked(county, teams):
    rotation = services.rotation_propose(
        year=2027,
        effective_on=datetime.date(2027, 1, 1),
        kept=[county.member_unit.pk],
        by=county.staff,
    )
    line = rotation.lines.get(unit=county.member_unit)
    assert line.kept and line.team_id == teams.team_a.pk
    services.rotation_confirm(rotation=rotation, by=county.staff)
    # kept: the same row goes on, no new one
    assert Assignment.objects.filter(unit=county.member_unit).count() == 1


def test_proposing_again_replaces_the_proposal(county, teams):
    first = services.rotation_propose(
        year=2027, effective_on=datetime.date(2027, 1, 1), by=county.staff
    )
    second = services.rotation_propose(
        year=2027, effective_on=datetime.date(2027, 2, 1), by=county.staff
    )
    assert first.pk != second.pk
    assert second.effective_on == datetime.date(2027, 2, 1)


def test_a_rotation_refuses_a_unit_that_changed_team_since(county, teams):
    rotation = services.rotation_propose(
        year=2027, effective_on=datetime.date(2027, 1, 1), by=county.staff
    )
    line = rotation.lines.get(unit=county.member_unit)
    other = teams.team_b if line.previous_team_id == teams.team_a.pk else teams.team_a
    services.assign(
        team=other, unit=county.member_unit, on=datetime.date(2026, 11, 1), by=county.staff
    )
    with pytest.raises(ValidationError, match="propose the rotation again"):
        services.rotation_confirm(rotation=rotation, by=county.staff)
    rotation.refresh_from_db()
    assert rotation.state == RotationState.PROPOSED
