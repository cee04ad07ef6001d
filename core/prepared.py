"""Hand-written statements run as prepared statements of their PostgreSQL connection (issue 20).

A large statement of many parts (the team page's figures, a dashboard's) costs PostgreSQL more
to plan than to run: 6 ms of planning for 1 ms of work at 20 counties. Prepared once per
connection (`CONN_MAX_AGE` keeps connections), its plan is reused: PostgreSQL plans the first
five executions with their values and then keeps a generic plan when that is no dearer by its
estimates. Use it only where a pair measured it faster (`python -m bench.profile_page`): for a
statement whose best plan depends on its values, the generic plan can be slower.

`execute(cursor, sql, params)` runs like `cursor.execute(sql, params)`, in one round trip and as
one query (the first time `PREPARE …; EXECUTE …`, then `EXECUTE …`), so query counts do not
depend on what ran before on the connection. Elsewhere than PostgreSQL it is `cursor.execute`.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import re
from collections.abc import Mapping, Sequence

# A connection keeps at most this many statements prepared; past it, plain execution (the
# portal's statements are a handful; a statement whose text varies, e.g. with the length of
# an IN list, must not fill a long-lived connection).
MAX_PREPARED = 64

_PLACEHOLDER = re.compile(r"%%|%s")


def _numbered(sql: str) -> tuple[str, int]:
    """`sql`'s %s placeholders as $1, $2 … (%% kept, as the whole text is still formatted by
    the driver), and how many there are."""
    n = 0

    def number(match: re.Match) -> str:
        nonlocal n
        if match.group(0) == "%%":
            return "%%"
        n += 1
        return f"${n}"

    return _PLACEHOLDER.sub(number, sql), n


_NAMED = re.compile(r"%%|%\(([A-Za-z_][A-Za-z0-9_]*)\)s")


def positional(sql: str, params: Mapping) -> tuple[str, list]:
    """`sql` written with named %(name)s parameters as `execute` takes it: each name a %s and
    its value in the list, in the order they stand (a name used twice, twice); a tuple (an
    `IN %(names)s` list, which psycopg2 writes as a parenthesized list) as a %s per item."""
    values: list = []

    def place(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%%"
        value = params[match.group(1)]
        if isinstance(value, tuple):
            if not value:
                raise ValueError(f"an empty list for {match.group(1)}")
            values.extend(value)
            return "(" + ", ".join(["%s"] * len(value)) + ")"
        values.append(value)
        return "%s"

    return _NAMED.sub(place, sql), values


def _type_of(value) -> str:
    """The type a parameter is declared with, as psycopg2 would have written its literal: a
    date as a date, a number as a number, a text (or NULL) left for PostgreSQL to infer from
    where it stands, as it does for the driver's quoted literal."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer" if -(2**31) <= value < 2**31 else "bigint"
    if isinstance(value, float):
        return "double precision"
    if isinstance(value, decimal.Decimal):
        return "numeric"
    if isinstance(value, datetime.datetime):
        return "timestamptz" if value.tzinfo else "timestamp"
    if isinstance(value, datetime.date):
        return "date"
    return "unknown"


def _prepared_names(db) -> tuple[set[str], set[str]]:
    """The names prepared on `db`'s current connection, and those whose preparing failed (a
    new connection prepares anew)."""
    raw = db.connection
    known = getattr(db, "_portal_prepared", None)
    if known is None or known[0] is not raw:
        known = (raw, set(), set())
        db._portal_prepared = known
    return known[1], known[2]


def execute(cursor, sql: str, params: Sequence | Mapping = ()) -> None:
    """`cursor.execute(sql, params)`, as a statement prepared on the connection on PostgreSQL.
    `sql` is one statement whose values are all %s parameters, or all named %(name)s ones
    with `params` a mapping (see `positional`)."""
    if isinstance(params, Mapping):
        sql, params = positional(sql, params)
    numbered, n = _numbered(sql)
    if n != len(params):
        raise ValueError(f"{n} placeholders for {len(params)} parameters")
    db = cursor.db
    if db.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    types = ", ".join(_type_of(value) for value in params)
    name = "portal_" + hashlib.blake2b(f"{types}|{sql}".encode(), digest_size=8).hexdigest()
    declared = f"{name} ({types})" if n else name
    run = f"EXECUTE {name} ({', '.join(['%s'] * n)})" if n else f"EXECUTE {name}"
    names, doubtful = _prepared_names(db)
    if name in names:
        cursor.execute(run, params)
    elif name in doubtful or len(names) >= MAX_PREPARED:
        cursor.execute(sql, params)
    else:
        try:
            # the statement is the code's own; every value is a bound parameter
            cursor.execute(f"PREPARE {declared} AS {numbered}; {run}", params)  # noqa: S608
        except Exception:
            # whether PREPARE took is unknown (it outlives a rollback): not again on this
            # connection, the plain statement from now on
            doubtful.add(name)
            raise
        names.add(name)
