"""The host rotation at its heart: pure functions over plain values, no database.

A zone's timeline is a list of months. For each month we know the members in rotation order,
and perhaps a host that is already fixed (a past month, the current month, a month swapped by
hand). Every other month gets the member who has waited longest since hosting (never hosted
counts as longest), ties broken by the rotation order. That is what "every member hosts once
before any member hosts twice" means once members come and go: if X hosts in month i and
again in month j, every unit that was a member throughout i..j has hosted in between. The rule
carries across years because the timeline does.

Fairness itself is checked in rounds (`fairness_problems`): nobody hosts a second time while a
member of that month has not hosted once in the current round. The planner above always keeps
it; swaps by hand are allowed when they keep it too, e.g. two months of the same round.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

U = TypeVar("U", bound=Hashable)


@dataclass(frozen=True)
class Month:
    """One month of a zone's timeline: its members in rotation order, and a fixed host if any."""

    members: tuple
    fixed: Hashable | None = None


def plan_hosts(timeline: Sequence[Month]) -> list:
    """Hosts for every month of `timeline`, oldest first. Fixed months keep their host; the
    others get the member who hosted least recently (never first), ties by rotation order.
    A month without members gets None."""
    last_hosted: dict = {}
    hosts: list = []
    for index, month in enumerate(timeline):
        if month.fixed is not None:
            host = month.fixed
        elif not month.members:
            host = None
        else:
            position = {unit: p for p, unit in enumerate(month.members)}
            host = min(month.members, key=lambda u: (last_hosted.get(u, -1), position[u]))
        hosts.append(host)
        if host is not None:
            last_hosted[host] = index
    return hosts


@dataclass(frozen=True)
class Unfairness:
    """Unit `unit` hosts in month `second` again (it last hosted in `first`) while `waiting`,
    members that month, have not hosted once in the current round."""

    unit: Hashable
    first: int
    second: int
    waiting: tuple


def fairness_problems(
    members: Sequence[Sequence], hosts: Sequence, *, from_index: int = 0
) -> list[Unfairness]:
    """Replay the timeline in rounds: a round lasts until every member has hosted once; a unit
    hosting a second time while a member of that month has not hosted in the round is a
    problem. Only problems in months at or after `from_index` are reported (the past is what
    it is). Empty when the rotation is fair."""
    problems: list[Unfairness] = []
    in_round: set = set()
    last: dict = {}
    for j, host in enumerate(hosts):
        if host is None:
            continue
        if host in in_round:
            waiting = tuple(u for u in members[j] if u not in in_round)
            if waiting and j >= from_index:
                problems.append(Unfairness(host, last[host], j, waiting))
            in_round = set()
        in_round.add(host)
        last[host] = j
    return problems


class SwapRefused(ValueError):
    """A swap that would break the rotation's rules; `reason` says which and `detail` holds
    the values to name in a message."""

    def __init__(self, reason: str, **detail):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def plan_swap(timeline: Sequence[Month], hosts: Sequence, a: int, b: int, *, first_open: int):
    """Swap the hosts of months `a` and `b` (both at or after `first_open`, the first month that
    may change), keep the months before the later of them, and replan those after it.
    Returns the new hosts, or raises SwapRefused."""
    if a == b:
        raise SwapRefused("same")
    a, b = sorted((a, b))
    if a < first_open:
        raise SwapRefused("closed", index=a)
    host_a, host_b = hosts[a], hosts[b]
    if host_a == host_b:
        raise SwapRefused("same_host", unit=host_a)
    if host_b not in timeline[a].members:
        raise SwapRefused("not_member", unit=host_b, index=a)
    if host_a not in timeline[b].members:
        raise SwapRefused("not_member", unit=host_a, index=b)
    fixed = [Month(m.members, hosts[k] if k <= b else None) for k, m in enumerate(timeline)]
    fixed[a] = Month(timeline[a].members, host_b)
    fixed[b] = Month(timeline[b].members, host_a)
    new_hosts = plan_hosts(fixed)
    problems = fairness_problems([m.members for m in timeline], new_hosts, from_index=first_open)
    if problems:
        problem = problems[0]
        raise SwapRefused(
            "unfair",
            unit=problem.unit,
            first=problem.first,
            second=problem.second,
            waiting=problem.waiting,
        )
    return new_hosts
