"""The team builder's rules as properties (hypothesis) of the pure proposal (teams.builder):
captains from the committee, "一类+" anchors, the size staff chose, no team guiding its people's
own units, strengths spread, and an explanation that tells the truth about every arrangement."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from teams.builder import RULES, Cadre, Draft, check, propose

STRENGTHS = ("organization", "discipline", "publicity", "finance", "law")


@st.composite
def pools(draw, *, enough=True):
    size = draw(st.integers(min_value=2, max_value=6))
    t = draw(st.integers(min_value=1, max_value=8))
    short = draw(st.integers(min_value=0, max_value=min(t, size, t * size - 2 * t + 1) - 1))
    seed = draw(st.integers(min_value=0, max_value=10**6))
    rng = random.Random(seed)
    n = t * size - short  # ⌈n ÷ size⌉ = t teams, `short` of them one person short
    units = [f"u{i}" for i in range(max(t * 2, n // 2))]
    cadres = []
    for i in range(n):
        cadres.append(
            Cadre(
                key=i,
                unit=rng.choice(units),
                strengths=frozenset(rng.sample(STRENGTHS, k=rng.randint(0, 2))),
                first_class=rng.random() < 0.3,
                committee=rng.random() < 0.3,
            )
        )
    if enough:  # at least t committee cadres and t first-class cadres besides them
        cadres = [Cadre(c.key, c.unit, c.strengths, c.first_class, False) for c in cadres]
        for i in range(t):
            cadres[i] = Cadre(i, cadres[i].unit, cadres[i].strengths, False, True)
            j = t + i
            cadres[j] = Cadre(j, cadres[j].unit, cadres[j].strengths, True, False)
    to_guide = [u for u in units if rng.random() < 0.8]
    return dict(cadres=cadres, size=size, units=to_guide, rng=rng), t


@settings(max_examples=200, deadline=None)
@given(pools())
def test_with_the_cadres_for_it_every_team_has_a_committee_captain_an_anchor_and_the_size(case):
    case, t = case
    build = propose(**case)
    by_key = {c.key: c for c in case["cadres"]}
    assert len(build.teams) == t
    placed = [k for d in build.teams for k in d.people]
    assert len(placed) == len(set(placed)), "nobody is on two teams"
    assert set(placed) | set(build.left) == set(by_key)
    sizes = [len(d.people) for d in build.teams]
    assert max(sizes) <= case["size"] and max(sizes) - min(sizes) <= 1
    assert not build.left, "everyone of a pool that fills the teams is placed"
    for draft in build.teams:
        assert draft.captain in draft.people and by_key[draft.captain].committee
        assert any(by_key[k].first_class for k in draft.people)
    kept = {c.rule: c.kept for c in build.checks}
    assert kept["captain"] and kept["anchor"] and kept["size"]


@settings(max_examples=200, deadline=None)
@given(pools(enough=False))
def test_no_team_ever_guides_a_unit_where_one_of_its_people_works(case):
    case, _t = case
    build = propose(**case)
    by_key = {c.key: c for c in case["cadres"]}
    for unit, i in build.guided.items():
        assert all(by_key[k].unit != unit for k in build.teams[i].people)
    own_unit = next(c for c in build.checks if c.rule == "own_unit")
    # an organization left out is named, never silently dropped
    assert set(own_unit.units) == set(case["units"]) - set(build.guided)


@settings(max_examples=200, deadline=None)
@given(pools(enough=False))
def test_the_explanation_tells_the_truth_rule_by_rule(case):
    case, _t = case
    build = propose(**case)
    by_key = {c.key: c for c in case["cadres"]}
    checks = {c.rule: c for c in build.checks}
    assert list(checks) == list(RULES)
    for i, draft in enumerate(build.teams):
        has_captain = draft.captain is not None and by_key[draft.captain].committee
        assert (i in checks["captain"].teams) == (not has_captain)
        has_anchor = any(by_key[k].first_class for k in draft.people)
        assert (i in checks["anchor"].teams) == (not has_anchor)
    for strength in STRENGTHS:
        row = [sum(strength in by_key[k].strengths for k in d.people) for d in build.teams]
        uneven = bool(row) and max(row) - min(row) > 1
        assert (strength in checks["strengths"].strengths) == uneven


def test_single_strength_cadres_are_spread_evenly():
    """Eight finance and four discipline cadres over four teams of three: two and one each."""
    cadres = [Cadre(i, f"u{i}", frozenset({"finance"}), i < 4, False) for i in range(8)]
    cadres += [Cadre(8 + i, f"u{8 + i}", frozenset({"discipline"}), False, True) for i in range(4)]
    build = propose(cadres=cadres, size=3, rng=random.Random(1))
    assert build.all_rules_kept
    for draft in build.teams:
        kinds = sorted(next(iter(cadres[k].strengths)) for k in draft.people)
        assert kinds == ["discipline", "finance", "finance"]


def test_a_pool_without_committee_cadres_or_first_class_ones_is_explained():
    cadres = [Cadre(i, f"u{i}") for i in range(6)]
    build = propose(cadres=cadres, size=3, units=["u0", "x"])
    checks = {c.rule: c for c in build.checks}
    assert not checks["captain"].kept and checks["captain"].teams == [0, 1]
    assert not checks["anchor"].kept
    assert checks["size"].kept


def test_an_adjusted_arrangement_is_checked_too():
    """Staff move the anchor out and put a member on the team guiding their own unit."""
    cadres = [
        Cadre("cap", "u1", frozenset(), False, True),
        Cadre("anchor", "u2", frozenset(), True, False),
        Cadre("m", "u3", frozenset(), False, False),
    ]
    teams = [Draft(captain="cap", people=["cap", "m"])]
    checks = {
        c.rule: c
        for c in check(cadres=cadres, teams=teams, size=1, units=["u3", "u9"], guided={"u3": 0})
    }
    assert checks["anchor"].teams == [0]
    assert checks["size"].teams == [0]  # two people where one was chosen
    assert checks["own_unit"].units == ["u3", "u9"]
    assert checks["captain"].kept
