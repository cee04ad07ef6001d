"""Properties of the host rotation's pure core (activities.rotation), over any membership
history hypothesis can think of."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from activities.rotation import Month, SwapRefused, fairness_problems, plan_hosts, plan_swap

UNITS = list("ABCDEFGH")


@st.composite
def membership_histories(draw, min_months=1, max_months=40):
    """Months of a zone whose members come and go: each month keeps, drops or adds a few
    units; the rotation order is a fixed permutation of all units."""
    order = draw(st.permutations(UNITS))
    months = draw(st.integers(min_months, max_months))
    current = set(draw(st.sets(st.sampled_from(UNITS), min_size=1, max_size=6)))
    history = []
    for _ in range(months):
        if draw(st.integers(0, 5)) == 0:  # now and then, a reassignment
            current ^= set(draw(st.sets(st.sampled_from(UNITS), max_size=2)))
        history.append(tuple(u for u in order if u in current))
    return history


def strongly_fair(members, hosts, start=0):
    """The planner's own guarantee, written out plainly: when X hosts again in month j after
    month i, every unit that was a member in every month from i to j has hosted in between."""
    for j, host in enumerate(hosts):
        previous = [i for i in range(j) if hosts[i] == host]
        if host is None or not previous or j < start:
            continue
        i = previous[-1]
        steady = set.intersection(*(set(members[k]) for k in range(i, j + 1)))
        for unit in steady - {host}:
            if unit not in hosts[i + 1 : j]:
                return False
    return True


def hosts_once_before_twice(members, hosts, start=0):
    """The issue's rule: count hostings per unit from the start of each round; nobody reaches
    two while a member of that month is still at zero."""
    counts: dict = {}
    for j, host in enumerate(hosts):
        if host is None:
            continue
        if counts.get(host, 0) >= 1:
            if j >= start and any(counts.get(u, 0) == 0 for u in members[j]):
                return False
            counts = {}
        counts[host] = counts.get(host, 0) + 1
    return True


@given(membership_histories())
def test_every_month_with_members_gets_one_of_them(members):
    hosts = plan_hosts([Month(m) for m in members])
    for month_members, host in zip(members, hosts, strict=True):
        assert (host in month_members) if month_members else host is None


@given(membership_histories())
def test_every_member_hosts_once_before_any_hosts_twice(members):
    hosts = plan_hosts([Month(m) for m in members])
    assert strongly_fair(members, hosts)
    assert hosts_once_before_twice(members, hosts)
    assert fairness_problems(members, hosts) == []


@given(st.permutations(UNITS[:5]), st.integers(1, 40))
def test_a_steady_zone_rotates_in_its_order_across_years(order, months):
    hosts = plan_hosts([Month(tuple(order))] * months)
    assert hosts == [order[i % 5] for i in range(months)]


@given(membership_histories(min_months=2), st.data())
def test_fixed_past_months_never_change_and_the_rest_stays_fair(members, data):
    """A reassignment replans from a month on: months before it keep their hosts, whatever
    the past was, and every month planned after it is fair."""
    hosts = plan_hosts([Month(m) for m in members])
    cut = data.draw(st.integers(1, len(members) - 1))
    changed = list(members[:cut]) + [
        tuple(u for u in m if u != data.draw(st.sampled_from(UNITS))) for m in members[cut:]
    ]
    replanned = plan_hosts([Month(m, hosts[k] if k < cut else None) for k, m in enumerate(changed)])
    assert replanned[:cut] == hosts[:cut]
    assert strongly_fair(changed, replanned, start=cut)
    assert hosts_once_before_twice(changed, replanned, start=cut)


@settings(max_examples=200)
@given(membership_histories(min_months=3), st.data())
def test_a_swap_keeps_the_rules_or_is_refused(members, data):
    hosts = plan_hosts([Month(m) for m in members])
    first_open = data.draw(st.integers(0, len(members) - 1))
    a = data.draw(st.integers(0, len(members) - 1))
    b = data.draw(st.integers(0, len(members) - 1))
    timeline = [Month(m) for m in members]
    try:
        swapped = plan_swap(timeline, hosts, a, b, first_open=first_open)
    except SwapRefused as refusal:
        assert refusal.reason in {"same", "closed", "same_host", "not_member", "unfair"}
        return
    low, high = sorted((a, b))
    assert swapped[low] == hosts[high] and swapped[high] == hosts[low]
    assert swapped[:first_open] == hosts[:first_open]
    assert all(h in m for m, h in zip(members, swapped, strict=True) if h is not None)
    assert hosts_once_before_twice(members, swapped, start=first_open)


def test_a_swap_that_lets_a_unit_host_twice_in_a_row_is_refused():
    members = [("A", "B", "C")] * 6
    hosts = plan_hosts([Month(m) for m in members])  # A B C A B C
    # Months 3 (A) and 2 (C): A would host in 0 and 2, before C hosted once.
    try:
        plan_swap([Month(m) for m in members], hosts, 2, 3, first_open=2)
    except SwapRefused as refusal:
        assert refusal.reason == "unfair"
        assert refusal.detail["unit"] == "A"
        assert refusal.detail["waiting"] == ("C",)
    else:
        raise AssertionError("the swap should have been refused")


def test_a_newcomer_hosts_before_anyone_hosts_twice():
    members = [("A", "B", "C")] * 2 + [("A", "B", "C", "D")] * 4
    assert plan_hosts([Month(m) for m in members]) == ["A", "B", "C", "D", "A", "B"]


def test_two_months_of_the_same_round_can_be_swapped():
    members = [("A", "B", "C")] * 9
    hosts = plan_hosts([Month(m) for m in members])  # A B C A B C A B C
    swapped = plan_swap([Month(m) for m in members], hosts, 3, 4, first_open=3)
    assert swapped == ["A", "B", "C", "B", "A", "C", "B", "A", "C"]


def test_months_without_members_have_no_host():
    assert plan_hosts([Month(()), Month(("A",))]) == [None, "A"]
