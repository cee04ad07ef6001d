"""core.aggregates.run_grouped: a part of one figure gives its count of a key as it comes (a
count of everything keyed by a constant is 0 when there is nothing, the county dashboard's
`_whole`); a part of several figures side by side (the team page's one pass over rows that
several figures read) leaves out a figure's zero, which its count by itself would not give."""

from __future__ import annotations

import pytest

from core.aggregates import run_grouped

pytestmark = pytest.mark.django_db

NULL = "CAST(NULL AS INTEGER)"


def test_one_figure_a_part_keeps_its_count_and_several_leave_out_their_zeros():
    parts = [
        f"SELECT 0 AS f, 1 AS k1, {NULL} AS k2, 0 AS n0, {NULL} AS n1",
        "SELECT 1 AS f, 5 AS k1, 7 AS k2, 2 AS n0, 0 AS n1",
        "SELECT 1 AS f, 5 AS k1, 8 AS k2, 0 AS n0, 3 AS n1",
        f"SELECT 1 AS f, {NULL} AS k1, 9 AS k2, 4 AS n0, 4 AS n1",  # no key: left out
        f"SELECT 2 AS f, 6 AS k1, {NULL} AS k2, 1 AS n0, {NULL} AS n1",
    ]
    counts = run_grouped(["whole", ("a", "b"), "by_one"], parts, [], two_keys={"a", "b"})
    assert counts == {
        "whole": {1: 0},
        "a": {(5, 7): 2},
        "b": {(5, 8): 3},
        "by_one": {6: 1},
    }


def test_no_parts_give_every_figure_empty():
    assert run_grouped([("a", "b"), "c"], [], [], two_keys=set()) == {"a": {}, "b": {}, "c": {}}
