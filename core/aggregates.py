"""Several aggregates in one SQL statement (issue 20): a dashboard's figures are many counts
over different tables, and each `.count()` or `.aggregate()` of its own costs a round trip and
Django's compiling of a query around it. `totals(queryset, n=Count(...), ...)` states one
aggregate without running it; `at_once(a=totals(...), b=totals(...))` runs them all in one
statement, a cross join of one-row derived tables, and gives each its figures, exactly what
`queryset.aggregate(...)` would have given (the scope's filters included: the querysets are
built as usual). `grouped_counts` does the same for counts grouped by a key (a scorecard per
team or member): UNION ALL of the grouped counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, IntegerField, QuerySet, Value

from .prepared import execute as run_prepared


def totals(queryset: QuerySet, **aggregates) -> QuerySet:
    """`queryset.aggregate(**aggregates)` as a one-row queryset, not yet run: grouped by a
    constant, which Django leaves out of GROUP BY, so the aggregates span every row (one row,
    zeros, even when there are none)."""
    return (
        queryset.order_by()
        .annotate(_one=Value(1, output_field=IntegerField()))
        .values("_one")
        .annotate(**aggregates)
        .values(*aggregates)
    )


def at_once(**parts: QuerySet) -> dict[str, dict]:
    """Each part's figures ({name: {aggregate: value}}) from one query: the parts are
    `totals(...)` querysets of the same database."""
    if not parts:
        return {}
    sql, params, names = [], [], []
    using = None
    for i, (name, part) in enumerate(parts.items()):
        fields = list(part._fields)  # the aggregates' names, in their SELECT order
        using = using or part.db
        part_sql, part_params = part.query.get_compiler(using=part.db).as_sql()
        sql.append(f"({part_sql}) AS part{i}")
        params.extend(part_params)
        names.append((name, fields))
    with connections[using].cursor() as cursor:
        # the parts are compiled querysets, their values in params: nothing is spliced in
        cursor.execute("SELECT * FROM " + " CROSS JOIN ".join(sql), params)  # noqa: S608
        row = list(cursor.fetchone())
    found, at = {}, 0
    for name, fields in names:
        found[name] = dict(zip(fields, row[at : at + len(fields)], strict=True))
        at += len(fields)
    return found


def grouped_counts(figures: dict[str, tuple[QuerySet, str | tuple[str, str]]]) -> dict[str, dict]:
    """Each figure's distinct rows counted by its one or two keys, all in one query (UNION ALL
    of the grouped counts): name → {key: n} (one key) or {(first, second): n} (two keys); rows
    whose key is None are left out, as each count by itself would. The same SQL per figure as
    a query of its own, in one round trip (issue 20: the query count no longer grows with the
    figures)."""
    if not figures:
        return {}
    db = next(iter(figures.values()))[0].db
    parts, params = grouped_parts(figures)
    two_keys = {name for name, (_qs, key) in figures.items() if not isinstance(key, str)}
    return run_grouped(list(figures), parts, params, two_keys=two_keys, using=db)


def grouped_parts(figures: dict, *, at: int = 0) -> tuple[list[str], list]:
    """Each figure (queryset, key or keys) grouped and counted, as the parts of a UNION ALL
    numbered from `at` (SELECT f, k1, k2, n): what `grouped_counts` runs, for a statement that
    adds parts of its own (teams.figures_sql). A figure with no rows to count is left out."""
    parts, params = [], []
    for i, (qs, key) in enumerate(figures.values(), start=at):
        q = connections[qs.db].ops.quote_name
        keys = (key,) if isinstance(key, str) else key
        grouped = qs.values(*keys).annotate(n=Count("pk", distinct=True)).order_by()
        try:
            sql, sub_params = grouped.query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:  # e.g. the trainings of no members: no rows to count
            continue
        second = f"s.{q(keys[1])}" if len(keys) > 1 else "CAST(NULL AS INTEGER)"
        # names from the code and Django's compiled SQL; every value is a bound parameter
        select = f"SELECT {i} AS f, s.{q(keys[0])} AS k1, {second} AS k2, s.{q('n')} AS n"
        parts.append(f"{select} FROM ({sql}) s")  # noqa: S608
        params.extend(sub_params)
    return parts, params


def union_of(parts: list[tuple[str, list]], *, using: str = "default") -> list:
    """The rows of the UNION ALL of `parts`, each (its SQL, its parameters): a statement of
    parts written by hand (the county dashboard's), in one round trip."""
    return _union_rows(using, [sql for sql, _p in parts], [p for _s, ps in parts for p in ps])


def _union_rows(using: str, parts: list[str], params: list, *, prepared: bool = False):
    """The rows of the UNION ALL of `parts`, run in one round trip (`prepared`: as a statement
    prepared on the connection, core.prepared, where a pair measured it faster)."""
    with connections[using].cursor() as cursor:
        if prepared:
            run_prepared(cursor, " UNION ALL ".join(parts), params)
        else:
            cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def run_grouped(
    names: Sequence[str | tuple[str, ...]],
    parts: list[str],
    params: list,
    *,
    two_keys: set,
    using: str = "default",
    prepared: bool = False,
) -> dict[str, dict]:
    """The UNION ALL of `parts` (f, k1, k2, n0 …; f the index of the part in `names`) run:
    name → {k1: n}, or {(k1, k2): n} for the names in `two_keys`; rows whose key is None are
    left out. A part counts one figure (`names[f]` a name, n0 its count) or several side by
    side (a tuple of names, n0 … theirs: one pass over rows that several figures read), where
    a figure's zero (none of the key's rows is its) is left out, as its count by itself
    would give no row."""
    figures = [(name,) if isinstance(name, str) else name for name in names]
    out: dict[str, dict] = {name: {} for group in figures for name in group}
    if not parts:
        return out
    for i, first, second, *counts in _union_rows(using, parts, params, prepared=prepared):
        if first is None:
            continue
        several = len(figures[i]) > 1
        for name, n in zip(figures[i], counts, strict=False):
            if several and not n:
                continue
            if name not in two_keys:
                out[name][first] = n
            elif second is not None:
                out[name][(first, second)] = n
    return out


def _aggregate_names(qs) -> list[str]:
    """A part's aggregates' names: a queryset's, or the names themselves (a `Statement`'s
    shapes)."""
    if isinstance(qs, (list, tuple)):
        return list(qs)
    return list(qs.query.annotation_select)


@dataclass(frozen=True)
class Statement:
    """`grouped_aggregates`' statement compiled, not yet run: its SQL and parameters, the
    parts' names in their order, each part's aggregates' names, the `raw` parts' names. A
    page that asks the same counts of the same inputs again may keep it and run it with
    `run_statement`, without building or compiling its querysets again (the city dashboard,
    portal.city: the SQL and its parameters are a function of the code and the inputs, not of
    the rows)."""

    sql: str
    params: tuple
    names: tuple
    shapes: dict
    raw: frozenset
    using: str


def grouped_statement(
    parts: dict[str, QuerySet], *, raw: dict[str, tuple[str, list]] | None = None
) -> Statement:
    """`grouped_aggregates`' one statement for `parts` and `raw`, compiled."""
    raw = raw or {}
    names = [*parts, *raw]
    db = next(iter(parts.values())).db if parts else "default"
    width = max([len(_aggregate_names(qs)) for qs in parts.values()] + [1])
    null = "CAST(NULL AS INTEGER)"
    sql, params, shapes = [], [], {}
    for i, (name, qs) in enumerate(parts.items()):
        q = connections[qs.db].ops.quote_name
        keys, aggregates = list(qs.query.values_select), _aggregate_names(qs)
        shapes[name] = aggregates
        try:
            part_sql, part_params = qs.order_by().query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:  # no rows to count: the part gives none
            continue
        counts = [f"s.{q(a)}" for a in aggregates] + [null] * (width - len(aggregates))
        columns = ", ".join(f"{c} AS n{j}" for j, c in enumerate(counts))
        # names from the code and Django's compiled SQL; every value is a bound parameter
        select = f"SELECT {i} AS f, s.{q(keys[0])} AS k1, {null} AS k2, {columns}"
        sql.append(f"{select} FROM ({part_sql}) s")  # noqa: S608
        params.extend(part_params)
    for i, (part_sql, part_params) in enumerate(raw.values(), start=len(parts)):
        padding = "".join(f", {null} AS n{j}" for j in range(1, width))
        sql.append(f"SELECT {i} AS f, s.k1, s.k2, s.n AS n0{padding} FROM ({part_sql}) s")  # noqa: S608
        params.extend(part_params)
    return Statement(
        sql=" UNION ALL ".join(sql),
        params=tuple(params),
        names=tuple(names),
        shapes=shapes,
        raw=frozenset(raw),
        using=db,
    )


def run_statement(statement: Statement) -> dict[str, dict]:
    """`statement` run: name → {key: {aggregate: value}}, and {(k1, k2): n} for a raw part."""
    out: dict[str, dict] = {name: {} for name in statement.names}
    if not statement.sql:
        return out
    with connections[statement.using].cursor() as cursor:
        cursor.execute(statement.sql, list(statement.params))
        rows = cursor.fetchall()
    for f, k1, k2, *values in rows:
        name = statement.names[f]
        if name in statement.raw:
            out[name][(k1, k2)] = values[0]
        elif k1 is not None:
            out[name][k1] = dict(zip(statement.shapes[name], values, strict=False))
    return out


def grouped_aggregates(
    parts: dict[str, QuerySet], *, raw: dict[str, tuple[str, list]] | None = None
) -> dict[str, dict]:
    """Several grouped aggregates in one statement: each part a `.values(key).annotate(...)`
    queryset (its aggregates counted per key, the table read once however many counts it
    gives), run as a UNION ALL of rows (f, k1, k2, n1 … nW) padded with NULLs; name → {key:
    {aggregate: value}}, exactly what iterating each queryset would give. `raw` parts are the
    code's own SQL of (k1, k2, n) rows: name → {(k1, k2): n}. The city dashboard's figures
    of every mechanism and county in one round trip (issue 20); `grouped_statement` and
    `run_statement` are its two halves."""
    if not parts and not raw:
        return {}
    return run_statement(grouped_statement(parts, raw=raw))


def merged_by_key(found: dict[str, dict], parts: dict, keys) -> dict:
    """`grouped_aggregates`' answer for `parts` merged per key (each part's aggregates under
    their names, 0 where a key has no rows): key → {aggregate: value}. `parts`' values are
    the querysets, or their aggregates' names (`Statement.shapes`)."""
    zero = {a: 0 for qs in parts.values() for a in _aggregate_names(qs)}
    out = {key: dict(zero) for key in keys}
    for name in parts:
        for key, values in found.get(name, {}).items():
            if key in out:
                out[key].update(values)
    return out
