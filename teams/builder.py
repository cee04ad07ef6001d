"""The team builder's rules (组建服务队), pure: no database, so property tests can check them on
any pool (tests/teams/test_builder_rules.py).

From the cadre pool (干部动态信息库) and the size staff choose, `propose` forms
⌈pool ÷ size⌉ teams (at most one per committee cadre who may captain) where

1. `captain`: each team has a captain from the committee (a committee leader or member);
2. `anchor`: each team is anchored "一类+": one of its people works in a first-class
   organization (the team's anchor organization);
3. `size`: no team has more than `size` people (the captain included), and the teams' sizes
   differ by at most one (where the pool does not divide, some teams are one short);
4. `strengths`: the strengths (organization, discipline inspection, publicity, finance …) are
   spread evenly: for each strength, the teams' counts differ by at most one;
5. `own_unit`: the organizations to guide are matched to the teams (teams.rotation's matching,
   loads balanced) so that no team guides a unit where one of its people works.

Rules 1–3 hold whenever the pool has the cadres for them; rule 5 is never broken (an
organization no team may take is left unplaced and named); rule 4 is a greedy spread, kept as
far as the pool allows. `check` explains any arrangement — the proposal or what staff made of it
— rule by rule: kept or not, and where not, which teams, strengths or organizations.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from . import rotation

RULES = ("captain", "anchor", "size", "strengths", "own_unit")


@dataclass(frozen=True)
class Cadre:
    key: Hashable
    unit: Hashable  # where they work
    strengths: frozenset = frozenset()
    first_class: bool = False  # their organization is first class (一类)
    committee: bool = False  # a committee leader or member: may captain


@dataclass
class Draft:
    """One team of a proposal: its captain and its people (the captain among them)."""

    captain: Hashable | None = None
    people: list = field(default_factory=list)


@dataclass
class Check:
    rule: str
    kept: bool
    teams: list = field(default_factory=list)  # indexes of the teams breaking it
    strengths: list = field(default_factory=list)  # strengths spread unevenly
    units: list = field(default_factory=list)  # organizations guided wrongly or not at all


@dataclass
class Build:
    teams: list  # of Draft
    guided: dict  # unit → team index
    left: list  # cadres of the pool on no team
    checks: list  # of Check, in RULES order

    @property
    def all_rules_kept(self) -> bool:
        return all(c.kept for c in self.checks)


def _spread(teams: Sequence[Draft], by_key: Mapping) -> dict:
    """strength → the count of people with it on each team."""
    counts: dict = {}
    for i, draft in enumerate(teams):
        for key in draft.people:
            for s in by_key[key].strengths:
                counts.setdefault(s, [0] * len(teams))[i] += 1
    return counts


def check(
    *,
    cadres: Sequence[Cadre],
    teams: Sequence[Draft],
    size: int,
    units: Sequence[Hashable] = (),
    guided: Mapping[Hashable, int] | None = None,
) -> list[Check]:
    """Each rule of RULES, kept or not, on this arrangement."""
    by_key = {c.key: c for c in cadres}
    guided = guided or {}
    no_captain = [
        i
        for i, d in enumerate(teams)
        if d.captain is None or d.captain not in d.people or not by_key[d.captain].committee
    ]
    no_anchor = [i for i, d in enumerate(teams) if not any(by_key[k].first_class for k in d.people)]
    sizes = [len(d.people) for d in teams]
    smallest = max(sizes, default=0) - 1  # every team within one of the largest …
    off_size = [i for i, n in enumerate(sizes) if n > size or n < smallest]
    uneven = sorted(
        s for s, row in _spread(teams, by_key).items() if row and max(row) - min(row) > 1
    )
    wrong = []
    for unit in units:
        i = guided.get(unit)
        if (
            i is None
            or not 0 <= i < len(teams)
            or any(by_key[k].unit == unit for k in teams[i].people)
        ):
            wrong.append(unit)
    return [
        Check("captain", not no_captain and bool(teams), teams=no_captain),
        Check("anchor", not no_anchor and bool(teams), teams=no_anchor),
        Check("size", not off_size and bool(teams), teams=off_size),
        Check("strengths", not uneven, strengths=uneven),
        Check("own_unit", not wrong, units=wrong),
    ]


def propose(
    *,
    cadres: Sequence[Cadre],
    size: int,
    units: Sequence[Hashable] = (),
    rng: random.Random | None = None,
) -> Build:
    rng = rng or random.Random(0)  # noqa: S311 - a proposal, not a secret
    pool = list(cadres)
    rng.shuffle(pool)
    n = -(-len(pool) // size) if size > 0 else 0
    captains = [c for c in pool if c.committee]
    # a first-class captain anchors their team too: they go first, sparing the anchors
    captains.sort(key=lambda c: not c.first_class)
    if captains:  # no captain at all: the teams are formed and the check says so
        n = min(n, len(captains))
    teams = [Draft() for _ in range(n)]
    total = min(len(pool), n * size)
    caps = [total // n + (1 if i < total % n else 0) for i in range(n)] if n else []
    taken: set = set()
    for draft, captain in zip(teams, captains, strict=False):
        draft.captain = captain.key
        draft.people.append(captain.key)
        taken.add(captain.key)
    anchors = [c for c in pool if c.first_class and c.key not in taken and not c.committee]
    anchors += [c for c in pool if c.first_class and c.key not in taken and c.committee]
    by_key = {c.key: c for c in pool}
    for i, draft in enumerate(teams):
        if any(by_key[k].first_class for k in draft.people) or len(draft.people) >= caps[i]:
            continue
        if anchors:
            anchor = anchors.pop(0)
            draft.people.append(anchor.key)
            taken.add(anchor.key)
    # the rest, rarest strengths first, each to the team with room holding fewest of theirs
    rest = [c for c in pool if c.key not in taken]
    frequency: dict = {}
    for c in pool:
        for s in c.strengths:
            frequency[s] = frequency.get(s, 0) + 1
    rest.sort(key=lambda c: min((frequency[s] for s in c.strengths), default=len(pool) + 1))
    counts = [{} for _ in teams]
    for i, draft in enumerate(teams):
        for key in draft.people:
            for s in by_key[key].strengths:
                counts[i][s] = counts[i].get(s, 0) + 1
    left = []
    for cadre in rest:
        room = [i for i, d in enumerate(teams) if len(d.people) < caps[i]]
        if not room:
            left.append(cadre.key)
            continue
        best = min(
            room,
            key=lambda i: (
                sum(counts[i].get(s, 0) for s in cadre.strengths),
                len(teams[i].people),
                i,
            ),
        )
        teams[best].people.append(cadre.key)
        for s in cadre.strengths:
            counts[best][s] = counts[best].get(s, 0) + 1
    guided: dict = {}
    if teams and units:
        own = {i: {by_key[k].unit for k in d.people} for i, d in enumerate(teams)}
        matched = rotation.propose(
            units=list(units), teams=list(range(len(teams))), current={}, own_units=own, rng=rng
        )
        guided = dict(matched.assignment)
    return Build(
        teams=teams,
        guided=guided,
        left=left,
        checks=check(cadres=pool, teams=teams, size=size, units=units, guided=guided),
    )
