"""core.prepared: a hand-written statement prepared once per PostgreSQL connection, then
executed by name; the same rows and one query each time, whatever ran before."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core import prepared
from zones.models import Unit


@pytest.fixture
def units(county) -> int:
    """How many units the county fixture made (all of them match SQL's pattern)."""
    return Unit.objects.count()


SQL = "SELECT COUNT(*) FROM zones_unit WHERE name LIKE %s AND id > %s"


def _prepared_on_server() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def _run(sql=SQL, params=("%%", 0)):
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        return cursor.fetchall()


def _plain(sql=SQL, params=("%%", 0)):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db
def test_the_same_rows_as_the_plain_statement_every_time(units):
    expected = _plain(params=("%", 0))
    assert expected == [(units,)] and units > 1
    assert _run(params=("%", 0)) == expected
    assert _run(params=("%", 0)) == expected
    last = Unit.objects.order_by("pk").last().pk
    assert _run(params=("%", last - 1)) == [(1,)]
    assert _run(params=("%", last)) == [(0,)]


@pytest.mark.postgres
@pytest.mark.django_db
def test_prepared_once_on_postgresql_then_executed_by_name(units):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set DATABASE_URL); CI runs it")
    sql = SQL + " AND id < %s"  # a text no other test prepares
    with CaptureQueriesContext(connection) as first:
        assert _run(sql, ("%", 0, 10**9)) == [(units,)]
    assert [q["sql"].split(" AS ")[0] for q in first.captured_queries][0].startswith("PREPARE")
    names = {n for n in _prepared_on_server() if n.startswith("portal_")}
    assert len(names) >= 1
    with CaptureQueriesContext(connection) as second:
        assert _run(sql, ("%", 0, 10**9)) == [(units,)]
    assert len(first.captured_queries) == len(second.captured_queries) == 1
    assert second.captured_queries[0]["sql"].startswith("EXECUTE portal_")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_literal_percent_sign_and_a_new_connection(units):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set DATABASE_URL); CI runs it")
    sql = "SELECT COUNT(*) FROM zones_unit WHERE name NOT LIKE '%%@%%' AND id >= %s"
    assert _run(sql, (0,)) == _plain(sql, (0,)) == [(units,)]
    # a new connection has no statement prepared: it prepares anew instead of failing
    connection.close()
    assert _run(sql, (0,)) == [(units,)]
    assert _run(sql, (0,)) == [(units,)]


@pytest.mark.django_db
def test_placeholders_and_parameters_must_agree():
    with connection.cursor() as cursor, pytest.raises(ValueError, match="2 placeholders"):
        prepared.execute(cursor, "SELECT %s, %s", [1])


@pytest.mark.postgres
@pytest.mark.django_db
def test_past_the_cap_plain_statements(units, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set DATABASE_URL); CI runs it")
    monkeypatch.setattr(prepared, "MAX_PREPARED", 0)
    sql = SQL + " AND id <> %s"
    with CaptureQueriesContext(connection) as queries:
        assert _run(sql, ("%", 0, -1)) == [(units,)]
    assert queries.captured_queries[0]["sql"].startswith("SELECT COUNT(*)")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_failed_first_run_leaves_the_plain_statement(units):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set DATABASE_URL); CI runs it")
    sql = "SELECT COUNT(*) / %s FROM zones_unit WHERE id > %s"
    with pytest.raises(DatabaseError), transaction.atomic():
        _run(sql, (0, 0))  # division by zero, after PREPARE took
    # not prepared again ("already exists"), nor executed by a name it may lack
    with CaptureQueriesContext(connection) as queries:
        assert _run(sql, (1, 0)) == [(units,)]
    assert queries.captured_queries[0]["sql"].startswith("SELECT COUNT(*)")


def test_named_parameters_become_positional_in_order():
    sql, values = prepared.positional(
        "SELECT %(a)s WHERE x IN %(names)s AND y = %(a)s AND z LIKE '%%'",
        {"a": 1, "names": ("p", "q")},
    )
    assert sql == "SELECT %s WHERE x IN (%s, %s) AND y = %s AND z LIKE '%%'"
    assert values == [1, "p", "q", 1]
    with pytest.raises(ValueError):
        prepared.positional("SELECT 1 WHERE x IN %(names)s", {"names": ()})


@pytest.mark.django_db
def test_named_parameters_give_the_plain_statement_s_rows(units):
    sql = "SELECT COUNT(*) FROM zones_unit WHERE name LIKE %(like)s AND id NOT IN %(ids)s AND id > %(id)s"
    params = {"like": "%", "ids": (-1, -2), "id": 0}
    # psycopg2 writes a tuple as a list itself; SQLite's driver does not
    expected = _plain(sql, params) if connection.vendor == "postgresql" else [(units,)]
    assert expected == [(units,)]
    assert _run(sql, params) == expected
    assert _run(sql, params) == expected
