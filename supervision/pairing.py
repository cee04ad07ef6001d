"""Who checks whom: pure functions, no database, property-tested with hypothesis.

- Intra-zone (季度互督): a pairing checker → checked among a zone's units in which nobody checks
  itself, every unit checks once and is checked once, and as few pairs as possible repeat last
  quarter's (none, wherever the zone's size allows).
- Cross-zone (半年交叉巡回督导): for each zone, the zone whose secretaries staff the team that
  visits it. No zone visits itself, every zone visits exactly one, no pair repeats the previous
  round's and, with three zones or more, no two zones visit each other in the same round. With
  two zones the only plan is that they visit each other: allowed, with a message.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A unit's or a zone's id: any hashable value (ints in the portal, anything in the tests).
Id = Any
Pair = tuple[Id, Id]
_FORBIDDEN = 10**6


def _min_cost_assignment(cost: list[list[int]]) -> list[int]:
    """Hungarian algorithm: for a square cost matrix, the column of each row in a perfect
    assignment of least total cost. O(n³); n is a zone's size (at most a few dozen)."""
    n = len(cost)
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    result = [0] * n
    for j in range(1, n + 1):
        result[p[j] - 1] = j - 1
    return result


# --- intra-zone -----------------------------------------------------------------------------


def _check_zone_size(units: Sequence) -> None:
    if len(units) < 2:
        raise ValidationError(
            _(
                "A zone needs at least two units for a mutual check; this zone has %(n)d. "
                "Add units to the zone or let the work committee check it directly."
            )
            % {"n": len(units)}
        )


def propose_intra_zone(
    units: Sequence[Id], previous: Iterable[Pair] = (), rng: random.Random | None = None
) -> dict[Id, Id]:
    """A pairing checker → checked for `units`, repeating as few of `previous`'s
    (checker, checked) pairs as possible. Raises ValidationError for a zone of one unit."""
    units = list(dict.fromkeys(units))
    _check_zone_size(units)
    rng = rng or random.Random()  # noqa: S311 - not for security
    order = units[:]
    rng.shuffle(order)
    previous = set(previous)
    cost = [
        [
            _FORBIDDEN if a == b else (1 if (a, b) in previous else 0)
            for b in order  # columns: the checked
        ]
        for a in order  # rows: the checkers
    ]
    columns = _min_cost_assignment(cost)
    return {order[i]: order[j] for i, j in enumerate(columns)}


def validate_intra_zone(
    units: Sequence[Id], pairing: dict[Id, Id], previous: Iterable[Pair] = ()
) -> None:
    """Refuse a pairing that breaks the rules (used when the lead unit adjusts it)."""
    units = list(dict.fromkeys(units))
    _check_zone_size(units)
    members = set(units)
    if set(pairing) != members:
        raise ValidationError(_("Every unit of the zone must check exactly one unit."))
    if set(pairing.values()) != members or len(set(pairing.values())) != len(units):
        raise ValidationError(_("Every unit of the zone must be checked exactly once."))
    if any(a == b for a, b in pairing.items()):
        raise ValidationError(_("A unit cannot check itself."))
    previous = set(previous)
    repeats = repeated_pairs(pairing, previous)
    if repeats:
        best = propose_intra_zone(units, previous, random.Random(0))  # noqa: S311
        if len(repeated_pairs(best, previous)) < len(repeats):
            raise ValidationError(
                _(
                    "%(n)d pair(s) repeat last quarter's pairing although the zone's size "
                    "allows a pairing without repeats."
                )
                % {"n": len(repeats)}
            )


def repeated_pairs(pairing: dict[Id, Id], previous: Iterable[Pair]) -> set[Pair]:
    previous = set(previous)
    return {(a, b) for a, b in pairing.items() if (a, b) in previous}


# --- cross-zone -----------------------------------------------------------------------------


@dataclass
class CrossZonePlan:
    """`visitors[zone]` is the zone whose secretaries visit `zone`; `messages` explain any rule
    the number of zones did not allow to keep."""

    visitors: dict[Id, Id]
    messages: list[str] = field(default_factory=list)

    def pairs(self) -> set[Pair]:
        """(visiting zone, visited zone) pairs."""
        return {(v, z) for z, v in self.visitors.items()}


def _search_cross(
    zones: list, previous: set[Pair], *, avoid_previous: bool, avoid_mutual: bool, budget: int
) -> dict | None:
    visitors: dict = {}
    used: set = set()
    nodes = [0]

    def ok(visited, visitor) -> bool:
        if visitor == visited or visitor in used:
            return False
        if avoid_previous and (visitor, visited) in previous:
            return False
        return not (avoid_mutual and visitors.get(visitor) == visited)

    def place(i: int) -> bool:
        if i == len(zones):
            return True
        nodes[0] += 1
        if nodes[0] > budget:
            return False
        visited = zones[i]
        for visitor in zones:
            if ok(visited, visitor):
                visitors[visited] = visitor
                used.add(visitor)
                if place(i + 1):
                    return True
                del visitors[visited]
                used.discard(visitor)
        return False

    return dict(visitors) if place(0) else None


def propose_cross_zone(
    zones: Sequence[Id], previous: Iterable[Pair] = (), rng: random.Random | None = None
) -> CrossZonePlan:
    """A cross-zone plan for `zones`; `previous` holds the last round's (visitor, visited)
    pairs. Raises ValidationError with fewer than two zones."""
    zones = list(dict.fromkeys(zones))
    if len(zones) < 2:
        raise ValidationError(
            _("Cross-zone patrols need at least two zones; there are %(n)d.") % {"n": len(zones)}
        )
    rng = rng or random.Random()  # noqa: S311 - not for security
    order = zones[:]
    rng.shuffle(order)
    previous = set(previous)
    messages: list[str] = []
    mutual_possible = len(zones) >= 3
    for avoid_previous, avoid_mutual in (
        (True, mutual_possible),
        (False, mutual_possible),
        (True, False),
        (False, False),
    ):
        # A shuffled candidate order for each zone varies the plan from seed to seed.
        found = _search_cross(
            order,
            previous,
            avoid_previous=avoid_previous,
            avoid_mutual=avoid_mutual,
            budget=50_000,
        )
        if found is not None:
            break
    else:  # pragma: no cover - the last level always finds a derangement
        raise AssertionError("no derangement found")
    plan = CrossZonePlan(visitors=found)
    if not mutual_possible:
        messages.append(_("With only two zones, the two zones can only supervise each other."))
    repeats = plan.pairs() & previous
    if repeats:
        messages.append(
            _(
                "%(n)d pair(s) repeat the previous round's: the number of zones allows no other plan."
            )
            % {"n": len(repeats)}
        )
    plan.messages = messages
    return plan


def mutual_pairs(visitors: dict[Id, Id]) -> set[frozenset]:
    return {frozenset((z, v)) for z, v in visitors.items() if visitors.get(v) == z and v != z}


def validate_cross_zone(
    zones: Sequence[Id], visitors: dict[Id, Id], previous: Iterable[Pair] = ()
) -> list[str]:
    """Refuse a plan that breaks the rules (used when staff adjust it); return the messages
    for the rules the number of zones does not allow to keep."""
    zones = list(dict.fromkeys(zones))
    if set(visitors) != set(zones):
        raise ValidationError(_("Every zone must be visited by exactly one team."))
    if any(z == v for z, v in visitors.items()):
        raise ValidationError(_("A zone cannot supervise itself."))
    if len(set(visitors.values())) != len(zones) or not set(visitors.values()) <= set(zones):
        raise ValidationError(_("Every zone must staff exactly one team."))
    previous = set(previous)
    best = propose_cross_zone(zones, previous, random.Random(0))  # noqa: S311
    plan = CrossZonePlan(visitors=dict(visitors))
    repeats = plan.pairs() & previous
    if repeats and len(repeats) > len(best.pairs() & previous):
        raise ValidationError(
            _(
                "%(n)d pair(s) repeat the previous round's although the number of zones "
                "allows a plan without repeats."
            )
            % {"n": len(repeats)}
        )
    if mutual_pairs(visitors) and not mutual_pairs(best.visitors):
        raise ValidationError(
            _(
                "Two zones would supervise each other in the same round; with three zones or more they must not."
            )
        )
    return best.messages if len(zones) == 2 else []
