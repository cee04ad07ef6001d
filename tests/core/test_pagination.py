"""core.pagination.CountedPaginator (issue 20): the page Django's Paginator gives for any page
number asked — a page that exists, past the last, below 1, not a number, of an empty list —
with the same count, number of pages and rows; one query for a page that exists (the count
read with its rows), and the count only as Django reads it otherwise."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User
from core.pagination import TOTAL, CountedPaginator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NUMBERS = [None, "", "1", 1, "2", 3, "3", "4", "99", 0, "0", "-1", "x", "2.0", 2.0, 2.5, "1e3"]


def _users(n: int):
    for i in range(n):
        UserFactory(username=f"page{i:02d}")
    return User.objects.filter(username__startswith="page").order_by("username")


def _shown(page) -> tuple:
    paginator = page.paginator
    return (
        page.number,
        paginator.count,
        paginator.num_pages,
        list(paginator.page_range),
        page.has_previous(),
        page.has_next(),
        page.start_index(),
        page.end_index(),
        len(page),
    )


@pytest.mark.parametrize("n", [0, 1, 3, 7, 9])
def test_every_page_asked_is_djangos(n):
    rows = _users(n)
    for number in NUMBERS:
        django_page = Paginator(rows, 3).get_page(number)
        page = CountedPaginator(rows, 3).get_page(number)
        assert _shown(page) == _shown(django_page), (n, number)
        assert [u.pk for u in page.object_list] == [u.pk for u in django_page.object_list]
        assert all(getattr(u, TOTAL) == n for u in page.object_list)


def test_a_page_that_exists_is_one_query_and_its_rows_are_read_as_asked():
    rows = _users(7)
    with CaptureQueriesContext(connection) as ctx:
        page = CountedPaginator(
            rows, 3, read=lambda counted: list(counted.values("username", TOTAL))
        ).get_page("2")
        shown = _shown(page)
    assert len(ctx.captured_queries) == 1
    assert "OVER ()" in ctx.captured_queries[0]["sql"]
    assert shown == (2, 7, 3, [1, 2, 3], True, True, 4, 6, 3)
    assert page.object_list == [{"username": f"page0{i}", TOTAL: 7} for i in (3, 4, 5)]


# past the end: the read that finds no row, the count, the last page; below 1: the count and
# the last page, as Django; not a number: page 1, which exists
@pytest.mark.parametrize(("number", "queries"), [("9", 3), ("0", 2), ("x", 1)])
def test_a_page_that_does_not_exist_is_counted_as_django_does(number, queries):
    rows = _users(7)
    with CaptureQueriesContext(connection) as ctx:
        page = CountedPaginator(rows, 3).get_page(number)
    assert len(ctx.captured_queries) == queries
    assert page.number == (1 if number == "x" else 3)


def test_an_empty_list_is_counted_once():
    with CaptureQueriesContext(connection) as ctx:
        page = CountedPaginator(_users(0), 3).get_page(None)
    # the empty read of page 1, then the count: no page to read again
    assert len(ctx.captured_queries) == 2
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])
