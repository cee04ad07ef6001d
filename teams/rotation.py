"""The yearly rotation's rules (每年轮换一次), pure: no database, so property tests can check
them on any instance (tests/teams/test_rotation_rules.py).

Given this year's map (organization → team), each team's own units (where its members work),
the kinds of organization each team has guided, and the organizations staff let keep their
team (in the middle of a rectification), propose next year's map where

1. no organization keeps its team (unless kept),
2. no team guides its members' own units,
3. loads are balanced: every team guides ⌊n/t⌋ or ⌈n/t⌉ organizations,
4. as far as it goes, a team meets kinds of organization it has not guided.

Rules 1 and 2 are never broken: an organization no team may take is left out and named. Rule
3 is kept whenever a balanced map exists (a matching over the teams' slots, Kuhn's augmenting
paths: first every team's ⌊n/t⌋ slots, then one more slot each for the remainder); where none
exists the organization goes to the least loaded team it may have, and the note says so. Rule
4 is a preference: each organization tries the teams of a new kind first.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

Unit = Hashable
Team = Hashable


@dataclass
class Proposal:
    assignment: dict  # unit → team
    unplaced: list = field(default_factory=list)  # units no team may take (rules 1 and 2)
    overloaded: list = field(default_factory=list)  # units placed beyond the balance (rule 3)
    new_kind: int = 0  # units placed with a team that had not guided their kind (rule 4)
    balanced: bool = True  # every team guides ⌊n/t⌋ or ⌈n/t⌉ (rule 3)

    @property
    def all_rules_kept(self) -> bool:
        return not self.unplaced and self.balanced


def propose(
    *,
    units: Sequence[Unit],
    teams: Sequence[Team],
    current: Mapping[Unit, Team],
    own_units: Mapping[Team, set],
    kinds: Mapping[Unit, str] | None = None,
    guided_kinds: Mapping[Team, set] | None = None,
    kept: set | frozenset = frozenset(),
    rng: random.Random | None = None,
) -> Proposal:
    rng = rng or random.Random(0)  # noqa: S311 - a proposal, not a secret
    kinds = kinds or {}
    guided_kinds = guided_kinds or {}
    teams = list(teams)
    units = list(units)
    n, t = len(units), len(teams)
    if not t:
        return Proposal(assignment={}, unplaced=list(units))
    floor, remainder = divmod(n, t)

    def allowed(unit) -> list:
        if unit in kept and current.get(unit) in teams:
            return [current[unit]]
        options = [
            team
            for team in teams
            if team != current.get(unit) and unit not in own_units.get(team, set())
        ]
        rng.shuffle(options)
        # rule 4: teams that have not guided this kind first
        kind = kinds.get(unit)
        options.sort(key=lambda team: kind in guided_kinds.get(team, set()))
        return options

    options = {unit: allowed(unit) for unit in units}
    # slots: (team, k); the first `floor` of each team are primary, the next one extra
    slot_of: dict = {}  # slot → unit
    unit_slot: dict = {}

    def try_place(unit, slots_of_team, seen) -> bool:
        for team in options[unit]:
            for slot in slots_of_team(team):
                if slot in seen:
                    continue
                seen.add(slot)
                holder = slot_of.get(slot)
                if holder is None or try_place(holder, slots_of_team, seen):
                    slot_of[slot] = unit
                    unit_slot[unit] = slot
                    return True
        return False

    def primary(team):
        return [(team, k) for k in range(floor)]

    def with_extra(team):
        return [(team, k) for k in range(floor + (1 if remainder else 0))]

    # kept units first, so their one team's slot is theirs
    order = sorted(units, key=lambda u: u not in kept)
    for unit in order:
        try_place(unit, primary, set())
    for unit in order:
        if unit not in unit_slot:
            try_place(unit, with_extra, set())

    assignment = {unit: slot[0] for unit, slot in unit_slot.items()}
    proposal = Proposal(assignment=assignment)
    loads = {team: 0 for team in teams}
    for team in assignment.values():
        loads[team] += 1
    for unit in units:
        if unit in assignment:
            continue
        if not options[unit]:
            proposal.unplaced.append(unit)
            continue
        team = min(options[unit], key=lambda tm: loads[tm])
        assignment[unit] = team
        loads[team] += 1
        proposal.overloaded.append(unit)
    placed = len(assignment)
    low, high = divmod(placed, t)[0], -(-placed // t)
    proposal.balanced = all(low <= load <= high for load in loads.values())
    proposal.new_kind = sum(
        1
        for unit, team in assignment.items()
        if kinds.get(unit) is not None and kinds[unit] not in guided_kinds.get(team, set())
    )
    return proposal
