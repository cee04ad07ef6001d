"""The city's figures (市级概览): each county's headline figures per mechanism for a period, and
the city's totals pooled from them.

One structure serves the city dashboard and the snapshot a self-hosted county sends
(portal.snapshots): `{mechanism: {figure: [numerator, denominator]}}` for the mechanisms the
county ran, a mechanism it did not run absent (the page writes 未开展, never a zero). The
figures follow the one rule of each that exists: a zone-month is covered when
`activities.selectors.month_state` says done (through `zone_month_states`), mutual checks and
patrol rounds are counted as `reports.figures.supervision_figures` counts them, and findings
rectified / raised as `supervision.selectors.rectification_rate` reads them. Every count is one
aggregate over all the counties asked, so the page costs the same queries for one county or
twenty.
"""

from __future__ import annotations

import datetime
import html
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import numberformat, timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from activities.constants import CellState
from activities.selectors import zone_month_state_counts, zone_month_state_sql
from core.aggregates import (
    Statement,
    grouped_aggregates,
    grouped_statement,
    merged_by_key,
    run_statement,
)
from core.periods import HALF, MONTH, QUARTER, YEAR, Period, half_of, period_of, quarter_of
from counties.constants import Mechanism
from counties.models import County, CountyMechanism
from reports.headlines import (
    EDUCATION_FIGURES,
    HEADLINE_LABELS,
    HEADLINE_ROWS,
    TEAMS_FIGURES,
    WISHES_FIGURES,
    education_figures,  # noqa: F401 - each mechanism counted alone, offered here as before
    pooled,
    teams_figures,  # noqa: F401
    wishes_figures,  # noqa: F401
)
from supervision.constants import CheckState, FindingState, RoundState
from supervision.models import Finding, MutualCheck, PatrolRound
from supervision.selectors import rectification_rate
from zones.models import Unit, Zone

PERIOD_KINDS = (MONTH, QUARTER, HALF, YEAR)

# The zones mechanism's headline figures, in the order the page shows them, each a pair
# [numerator, denominator].
ZONES_FIGURES = ("zone_months", "checks", "rounds", "findings")
FIGURE_LABELS = {
    "zone_months": _("Months covered / zone-months"),  # 月月有活动
    "checks": _("Mutual checks held / due"),  # 季季有自检
    "rounds": _("Patrols held / due"),  # 半年有督导
    "findings": _("Findings rectified / raised"),
}
# The same figures as rates, for the chart's legend.
RATE_LABELS = {
    "zone_months": _("Months covered"),  # 活动覆盖率
    "checks": _("Mutual checks held"),
    "rounds": _("Patrols held"),
    "findings": _("Rectification rate"),
}


FIGURE_LABELS.update(HEADLINE_LABELS)
ALL_FIGURES = (*ZONES_FIGURES, *EDUCATION_FIGURES, *WISHES_FIGURES, *TEAMS_FIGURES)


def period_from_key(key: str) -> Period | None:
    """The period a key names as the committee writes it in files and URLs: 2026-10, 2026-Q4,
    2026-H2, 2026. None for anything else."""
    key = (key or "").strip()
    try:
        if len(key) == 4 and key.isdigit():
            return period_of(YEAR, datetime.date(int(key), 1, 1))
        year_text, _dash, rest = key.partition("-")
        if len(year_text) != 4 or not year_text.isdigit() or not rest:
            return None
        year = int(year_text)
        if rest[0] == "Q" and rest[1:] in ("1", "2", "3", "4"):
            return period_of(QUARTER, datetime.date(year, int(rest[1:]) * 3 - 2, 1))
        if rest[0] == "H" and rest[1:] in ("1", "2"):
            return period_of(HALF, datetime.date(year, int(rest[1:]) * 6 - 5, 1))
        if len(rest) == 2 and rest.isdigit() and 1 <= int(rest) <= 12:
            return period_of(MONTH, datetime.date(year, int(rest), 1))
    except ValueError:
        return None
    return None


def _pairs(period: Period):
    """The quarters and halves whose mutual checks and patrol rounds the period holds, as the
    reports count them (a month holds none: what was published in it is counted)."""
    quarters = {(m.year, quarter_of(m)) for m in period.months()}
    halves = {(m.year, half_of(m)) for m in period.months()}
    return quarters, halves


def zones_rows(*, county_ids: list[int], period: Period, day: datetime.date) -> dict:
    """The counts the zones mechanism's figures are made of, as grouped aggregates per county
    (`grouped_aggregates`): the counties' zones, their published mutual checks and the patrol
    rounds held in the period (a month: those published in it), and the findings raised in
    it up to `day` (a correction is a new finding pointing at the one it corrects: each
    problem counted once) and those rectified. The zone-months: `zone_month_state_sql`."""
    quarters, halves = _pairs(period)
    checks = MutualCheck.objects.filter(state=CheckState.PUBLISHED, zone__county_id__in=county_ids)
    rounds = PatrolRound.objects.filter(
        state__in=[RoundState.PUBLISHED, RoundState.CLOSED], county_id__in=county_ids
    )
    if period.kind == MONTH:
        in_month = {"published_at__date__range": (period.start, period.end)}
        checks = checks.filter(**in_month)
        rounds = rounds.filter(**in_month)
    else:
        checks = checks.filter(_any_of(("year", "quarter"), quarters))
        rounds = rounds.filter(_any_of(("year", "half"), halves))
    findings = Finding.objects.filter(
        corrects__isnull=True,
        zone__county_id__in=county_ids,
        raised_on__range=(period.start, min(period.end, day)),
    )
    return {
        "zones": Zone.objects.filter(county_id__in=county_ids)
        .values("county_id")
        .annotate(zones=Count("pk")),
        "checks": checks.values("zone__county_id").annotate(checks=Count("pk", distinct=True)),
        "rounds": rounds.values("county_id").annotate(rounds=Count("pk", distinct=True)),
        "findings": findings.values("zone__county_id").annotate(
            raised=Count("pk"), rectified=Count("pk", filter=Q(state=FindingState.CLOSED))
        ),
    }


def _counted_months(period: Period, day: datetime.date) -> list[datetime.date]:
    return [m for m in period.months() if m <= day]


def zones_shape(found: dict[int, dict], *, period: Period, day: datetime.date) -> dict:
    """county id → the zones mechanism's figures from their counts per county (`zones_rows`'
    aggregates, and "zone_months": {state: zone-months})."""
    months = _counted_months(period, day)
    quarters, halves = _pairs(period)
    result = {}
    for pk, f in found.items():
        zones = f["zones"]
        result[pk] = {
            "zone_months": [f["zone_months"].get(CellState.DONE, 0), zones * len(months)],
            # a month holds no whole quarter or half-year: what was published in it, of none due
            "checks": [f["checks"], 0 if period.kind == MONTH else len(quarters) * zones],
            "rounds": [f["rounds"], 0 if period.kind == MONTH else len(halves)],
            "findings": [f["rectified"], f["raised"]],
        }
    return result


def zones_figures(*, counties: list[County], period: Period, day: datetime.date) -> dict:
    """county id → the zones mechanism's figures for `period` as of `day`: two queries
    whatever the number of counties (`zones_rows` counted per county, and the zone-months'
    states counted by `zone_month_state_counts`)."""
    ids = [c.pk for c in counties]
    parts = zones_rows(county_ids=ids, period=period, day=day)
    found = merged_by_key(grouped_aggregates(parts), parts, ids)
    states = zone_month_state_counts(months=_counted_months(period, day), day=day, county_ids=ids)
    for pk in ids:
        found[pk]["zone_months"] = states.get(pk, {})
    return zones_shape(found, period=period, day=day)


def _any_of(fields: tuple[str, str], pairs) -> Q:
    """Rows whose `fields` hold one of `pairs` ((year, quarter) …); none when there are none."""
    found = Q()
    for first, second in sorted(pairs):
        found |= Q(**{fields[0]: first, fields[1]: second})
    return found if pairs else Q(pk__in=[])


def _count_distinct(rows) -> dict[int, int]:
    """county id → number of distinct records among (county id, record id) rows."""
    seen = set(rows)
    counts: dict[int, int] = defaultdict(int)
    for county_id, _pk in seen:
        counts[county_id] += 1
    return counts


def organization_rows(*, county_ids: list[int]) -> dict:
    """The counties' organization as the city's table shows it beside each hosted county:
    the number of its units and of its zones as they stand today, as grouped aggregates per
    county (run within `county_figures`' one statement)."""
    return {
        "units": Unit.objects.filter(county_id__in=county_ids)
        .values("county_id")
        .annotate(units=Count("pk")),
        "zones": Zone.objects.filter(county_id__in=county_ids)
        .values("county_id")
        .annotate(zones=Count("pk")),
    }


# The compiled statements of `county_figures`, per process: the SQL and its parameters are a
# function of the code and of the inputs (which counties run which mechanism, the period, the
# day, the time zone a date of a moment is read in), never of the rows counted, so a page
# computed again after a write runs the statement it ran before without building and
# compiling its dozen querysets again (issue 20: that was most of the figures' time). Bounded:
# a day has a handful of periods asked.
_STATEMENTS: dict[tuple, Statement] = {}
STATEMENTS_KEPT = 32


def _figures_statement(
    running: dict, *, organization: list[int], period: Period, day: datetime.date
) -> Statement:
    """The one statement of `county_figures` for `running` ({mechanism: county ids}) and
    the `organization` counts of those counties: compiled once per process and inputs."""
    key = (
        connection.alias,
        timezone.get_current_timezone_name(),
        period.kind,
        period.start,
        period.end,
        day,
        tuple((mechanism.value, tuple(ids)) for mechanism, ids in running.items()),
        tuple(organization),
    )
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _compile_figures(running, organization=organization, period=period, day=day)
        if len(_STATEMENTS) >= STATEMENTS_KEPT:
            _STATEMENTS.clear()
        _STATEMENTS[key] = statement
    return statement


def _compile_figures(
    running: dict, *, organization: list[int], period: Period, day: datetime.date
) -> Statement:
    """Every running mechanism's querysets (`zones_rows`, `HEADLINE_ROWS`), the counties'
    organization (`organization_rows`) and the zone-months' states (`zone_month_state_sql`),
    compiled into one statement (`grouped_statement`); each mechanism's part named
    "<mechanism>:<name>"."""
    figures: dict = {}
    for mechanism, ids in running.items():
        rows = COUNTED[mechanism][0]
        for name, figure in rows(county_ids=ids, period=period, day=day).items():
            figures[f"{mechanism}:{name}"] = figure
    if organization:
        for name, figure in organization_rows(county_ids=organization).items():
            figures[f"organization:{name}"] = figure
    raw = {}
    if Mechanism.ZONES in running:
        raw["zone_months"] = zone_month_state_sql(
            months=_counted_months(period, day), day=day, county_ids=running[Mechanism.ZONES]
        )
    return grouped_statement(figures, raw=raw)


# Each mechanism's rows counted per county and the figures made of them, in the order of
# the statement's parts (the zones' shape is `zones_shape`, with the zone-months' states).
COUNTED = {Mechanism.ZONES: (zones_rows, None), **HEADLINE_ROWS}


def county_figures(
    *,
    counties: list[County],
    period: Period,
    day: datetime.date,
    organization: dict | None = None,
) -> dict[int, dict]:
    """county id → {mechanism: figures} for the mechanisms each county ran on the period's
    last counted day (`County.runs`: no query when `mechanisms` are prefetched). Every
    mechanism's counts per county in one statement (`grouped_aggregates`: each table's grouped
    aggregate, and the zone-months' states of `zone_month_state_sql`), whatever
    the number of counties or mechanisms: what `zones_figures` and the mechanisms'
    `HEADLINES` count one by one (tests/portal/test_city.py holds them equal). The statement
    is compiled once per process and inputs (`_figures_statement`). Given a dict as
    `organization`, the same statement counts every county's units and zones into it
    (county id → {"units": n, "zones": n})."""
    on = min(period.end, day)
    running: dict = {}
    for mechanism in COUNTED:
        ids = [c.pk for c in counties if c.runs(mechanism, day=on)]
        if ids:
            running[mechanism] = ids
    ids = [c.pk for c in counties] if organization is not None else []
    statement = _figures_statement(running, organization=ids, period=period, day=day)
    found = run_statement(statement)
    if organization is not None:
        mine = {n: statement.shapes[n] for n in statement.shapes if n.startswith("organization:")}
        organization.update(merged_by_key(found, mine, ids))
    states = list(CellState)
    out: dict[int, dict] = {c.pk: {} for c in counties}
    for mechanism, ids in running.items():
        prefix = f"{mechanism}:"
        mine = {n: statement.shapes[n] for n in statement.shapes if n.startswith(prefix)}
        per_county = merged_by_key(found, mine, ids)
        if mechanism == Mechanism.ZONES:
            for pk in ids:
                per_county[pk]["zone_months"] = {}
            for (county_id, state), n in found["zone_months"].items():
                per_county[county_id]["zone_months"][states[state]] = n
            shaped = zones_shape(per_county, period=period, day=day)
        else:
            shaped = COUNTED[mechanism][1](per_county)
        for pk, figures_of in shaped.items():
            out[pk][mechanism.value] = figures_of
    return out


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A figure's rate as a percentage to one decimal, None without a denominator: the
    findings' is `rectification_rate`, the others read the same way."""
    return rectification_rate(raised=denominator, rectified=numerator)


@dataclass
class Cell:
    """One county's (or the city's) figures of one mechanism: None when it does not run it."""

    figures: dict | None
    links: dict = field(default_factory=dict)

    @property
    def runs(self) -> bool:
        return self.figures is not None

    def rows(self) -> list[dict]:
        """The figures in the page's order, each with its rate and its link."""
        if self.figures is None:
            return []
        return [
            {
                "key": key,
                "label": FIGURE_LABELS[key],
                "numerator": self.figures[key][0],
                "denominator": self.figures[key][1],
                "rate": rate(*self.figures[key]),
                "url": self.links.get(key),
            }
            for key in ALL_FIGURES
            if key in self.figures
        ]

    @property
    def items(self) -> SafeString:
        """The figures as a county's cell lists them (`figure_items`): empty for none."""
        return figure_items(self.rows(), lead="\n        ", tail="\n      ", linked=True)

    @property
    def total_items(self) -> SafeString:
        """The figures as the city's line lists them (unlinked)."""
        return figure_items(self.rows(), lead="\n      ", tail="", linked=False)


class CellMarkup:
    """What every cell of one city table shares, read once for the table rather than at each
    of its hundreds of figures: the language's number formatting (`_localizer`), the figures'
    labels translated and escaped, the two phrases of a cell with no figures."""

    def __init__(self):
        self.localize = _localizer()
        self.labels = {key: escape(label) for key, label in FIGURE_LABELS.items()}
        self.classes = {key: escape(key) for key in FIGURE_LABELS}
        self.pending = escape(_("Running; its figures come with its own issue."))


def figure_items(
    rows: list[dict], *, lead: str, tail: str, linked: bool, markup: CellMarkup | None = None
) -> SafeString:
    """The `<dt>`/`<dd>` pairs of a cell of the city table, written once in Python: a city's
    table has hundreds of figures, each a dozen template lookups (issue 20). The markup the
    template wrote, byte for byte (tests/portal/test_city.py compares them): the label and the
    link escaped, the counts and the rate localized, as the template did; `lead` and `tail`
    are the template's whitespace; the city's line (not `linked`) links nothing. `markup`:
    the table's `CellMarkup` (one of its own without)."""
    parts = []
    markup = markup or CellMarkup()
    localize, labels, classes = markup.localize, markup.labels, markup.classes
    for f in rows:
        denominator = localize(f["denominator"]) if f["denominator"] else "—"
        value = f"<strong>{localize(f['numerator'])}</strong> / {denominator}"
        if f["rate"] is not None:
            value += f' <span class="text-body-secondary">（{localize(f["rate"])}%）</span>'
        if linked and f["url"]:
            # `escape`'s own html.escape, without its lazy-text wrapper at each of hundreds
            value = f'<a href="{html.escape(f["url"])}">{value}</a>'
        parts.append(
            f'{lead}<dt class="fw-normal text-body-secondary">{labels[f["key"]]}</dt>{lead}'
            f'<dd class="mb-1 figure figure-{classes[f["key"]]}">{value}</dd>{tail}'
        )
    # the label, the key and the link escaped; the rest are numbers
    return mark_safe("".join(parts))  # noqa: S308


def _localizer():
    """`django.utils.formats.localize` of a number (an int or a Decimal), its language's
    separators and grouping read once rather than at each of a table's hundreds of numbers."""
    lang = get_language()
    separators = [
        get_format(name, lang, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    ]

    grouping = separators[1]
    first_group = grouping if isinstance(grouping, int) else (grouping[0] if grouping else 0)
    # a count under 1000 has no separator to write when groups are of three digits or more
    plain = first_group == 0 or first_group >= 3

    def localize(value) -> str:
        if plain and type(value) is int and -1000 < value < 1000:
            return str(value)
        return numberformat.format(
            value, separators[0], None, separators[1], separators[2], use_l10n=True
        )

    return localize


NOT_RUN = '<span class="text-body-secondary text-nowrap not-run">未开展</span>'


def cells_html(row: CountyRow, markup: CellMarkup) -> SafeString:
    """A county's cells (`<td>`, one per mechanism) as the template's loop wrote them, byte for
    byte (tests/portal/test_city.py compares them): — while a self-hosted county's snapshot
    is awaited, 未开展 where it runs no mechanism, else its figures (`figure_items`) or, for
    a mechanism whose figures are not defined yet, that it runs."""
    parts = []
    for cell in row.cells:
        if row.awaiting:
            inner = '<span class="text-body-secondary">—</span>'
        elif not cell.runs:
            inner = NOT_RUN
        else:
            items = figure_items(
                cell.rows(), lead="\n        ", tail="\n      ", linked=True, markup=markup
            )
            items = items or f'<dd class="mb-0 text-body-secondary">{markup.pending}</dd>'
            inner = f'\n      <dl class="mb-0 small">{items}</dl>\n    '
        parts.append(f'\n    <td class="city-cell">{inner}</td>\n    ')
    # every text escaped by figure_items or CellMarkup
    return mark_safe("".join(parts))  # noqa: S308


def organization_html(row: CountyRow, markup: CellMarkup) -> SafeString:
    """A hosted county's units and zones under its name, each linked to the page listing them
    (a zero links nothing), as the template wrote them, byte for byte (tests/portal/test_city.py
    compares them); nothing for a self-hosted county."""
    if row.units is None:
        return mark_safe("")
    parts = []
    for key, n, singular, plural in (
        ("units", row.units, "%(counter)s unit", "%(counter)s units"),
        ("zones", row.zones, "%(counter)s zone", "%(counter)s zones"),
    ):
        # the template's {% blocktranslate count counter=… trimmed %}: the count localized
        text = ngettext(singular, plural, n) % {"counter": escape(markup.localize(n))}
        if n:
            text = f'<a href="{escape(row.links[key])}">{text}</a>'
        parts.append(f'<span class="county-{key}">{text}</span>')
    # the links escaped, the counts localized numbers, the phrases the catalogue's
    return mark_safe(  # noqa: S308
        f'<div class="small fw-normal county-organization">{parts[0]} · {parts[1]}</div>'
    )


def totals_html(totals: list[Cell], markup: CellMarkup) -> SafeString:
    """The city's line of cells as the template's loop wrote it (unlinked figures)."""
    parts = []
    for cell in totals:
        if not cell.runs:
            inner = NOT_RUN
        else:
            items = figure_items(cell.rows(), lead="\n      ", tail="", linked=False, markup=markup)
            inner = f'<dl class="mb-0 small">{items}</dl>'
        parts.append(f'<td class="city-cell">{inner}</td>')
    return mark_safe("".join(parts))  # noqa: S308


@dataclass
class CountyRow:
    """One county's line of the city dashboard: its cells in the order of `Mechanism`, and
    whether its figures are its own server's (an imported snapshot, with its time) or hosted
    here."""

    county: County
    cells: list[Cell]
    snapshot: object | None = None  # portal.models.CountySnapshot
    self_hosted: bool = False
    # its organization: the number of its units and of its zones (hosted counties: as they
    # stand today; a self-hosted county's are on its own server), each with the county page
    # that lists them
    units: int | None = None
    zones: int | None = None
    links: dict = field(default_factory=dict)

    @property
    def awaiting(self) -> bool:
        """A self-hosted county whose snapshot of the period has not come (or was returned)."""
        return self.self_hosted and self.snapshot is None


@dataclass
class CityDashboard:
    period: Period
    day: datetime.date
    rows: list[CountyRow]
    totals: list[Cell]  # the city's, one per mechanism
    mechanisms: list

    def lines(self) -> list[tuple[CountyRow, SafeString, SafeString]]:
        """Each county's row with its organization's markup (`organization_html`) and its
        cells' (`cells_html`), for the table's loop."""
        markup = CellMarkup()
        return [(row, organization_html(row, markup), cells_html(row, markup)) for row in self.rows]

    def totals_html(self) -> SafeString:
        """The city's line of cells (`totals_html`)."""
        return totals_html(self.totals, CellMarkup())

    def chart(self) -> dict:
        """The pooled rates of the zones mechanism per county, for the ECharts bar chart."""
        index = list(Mechanism.values).index(Mechanism.ZONES)
        shown = [row for row in self.rows if row.cells[index].runs]
        series = []
        for key in ZONES_FIGURES:
            values = []
            for row in shown:
                r = rate(*row.cells[index].figures[key])
                values.append(float(r) if r is not None else None)
            series.append({"name": str(RATE_LABELS[key]), "values": values})
        return {"labels": [row.county.name for row in shown], "series": series}


_MECHANISM_FIELDS = ("id", "mechanism", "since", "until")


def counties_with_mechanisms(**annotations) -> list[County]:
    """Every county with its city, `annotations`, and its mechanisms' rows as
    `prefetch_related("mechanisms")` leaves them (`County.runs` reads them without a query),
    in one query: the mechanisms LEFT JOINed, a row per county and mechanism (issue 20: the
    prefetch was a second query on every city page)."""
    rows = (
        County.objects.select_related("city")
        .annotate(
            **annotations, **{f"mechanism_{n}": F(f"mechanisms__{n}") for n in _MECHANISM_FIELDS}
        )
        .order_by(*County._meta.ordering, "pk", "mechanisms__mechanism", "-mechanisms__since")
    )
    counties: dict[int, County] = {}
    found: dict[int, list[CountyMechanism]] = {}
    for row in rows:
        if row.pk not in counties:
            counties[row.pk], found[row.pk] = row, []
        if row.mechanism_id is not None:
            county = counties[row.pk]
            found[row.pk].append(
                CountyMechanism(
                    county=county, **{n: getattr(row, f"mechanism_{n}") for n in _MECHANISM_FIELDS}
                )
            )
    for pk, county in counties.items():
        # what Django's prefetch stores: the manager's queryset with its rows in its cache
        mechanisms = county.mechanisms.get_queryset()
        mechanisms._result_cache, mechanisms._prefetch_done = found[pk], True
        county._prefetched_objects_cache = {"mechanisms": mechanisms}
    return list(counties.values())


def city_dashboard(*, period: Period, day: datetime.date, links) -> CityDashboard:
    """Every county of the city × every mechanism for `period` as of `day`: the hosted
    counties' figures computed here, the self-hosted ones' from their snapshot of the period
    (the current one, not one returned for correction), and the city's totals pooled. In a
    fixed number of queries whatever the number of counties: the counties with their
    mechanisms and keys, the self-hosted ones' snapshots (none to read when none is), and the
    aggregates of the mechanisms' figures.
    `links(county, key)` gives the URL of the county page behind a figure ("units" and
    "zones" included)."""
    from .models import CountySnapshot, SnapshotKey, SnapshotState

    counties = counties_with_mechanisms(
        has_key=Exists(SnapshotKey.objects.filter(county=OuterRef("pk")))
    )
    self_hosted = {c.pk for c in counties if c.has_key}
    # only a self-hosted county's figures come from its snapshot: no query when none is
    snapshots = (
        {
            s.county_id: s
            for s in CountySnapshot.objects.filter(
                period=period.key, state=SnapshotState.CURRENT, county_id__in=self_hosted
            )
        }
        if self_hosted
        else {}
    )
    hosted = [c for c in counties if c.pk not in self_hosted]
    organization: dict[int, dict] = {}
    figures = county_figures(counties=hosted, period=period, day=day, organization=organization)
    on = min(period.end, day)
    rows = []
    for county in counties:
        snapshot = snapshots.get(county.pk) if county.pk in self_hosted else None
        if county.pk in self_hosted:
            ran = set(snapshot.figures) if snapshot else set()
            mine = snapshot.figures if snapshot else {}
        else:
            ran = set(county.mechanisms_run(day=on))
            mine = figures[county.pk]
        cells = []
        for mechanism in Mechanism.values:
            if mechanism in mine:
                own_links = {} if snapshot else {k: links(county, k) for k in mine[mechanism]}
                cells.append(Cell(mine[mechanism], own_links))
            elif mechanism in ran:
                cells.append(Cell({}))  # run, its headline figures not defined yet
            else:
                cells.append(Cell(None))
        own = county.pk not in self_hosted
        rows.append(
            CountyRow(
                county,
                cells,
                snapshot=snapshot,
                self_hosted=not own,
                units=organization[county.pk]["units"] if own else None,
                zones=organization[county.pk]["zones"] if own else None,
                links=(
                    {"units": links(county, "units"), "zones": links(county, "zones")}
                    if own
                    else {}
                ),
            )
        )
    totals = [
        Cell(pooled([row.cells[i].figures for row in rows if row.cells[i].figures]))
        for i in range(len(Mechanism.values))
    ]
    return CityDashboard(
        period=period, day=day, rows=rows, totals=totals, mechanisms=list(Mechanism)
    )


def period_choices(day: datetime.date) -> list[tuple[str, str]]:
    """The periods the city dashboard offers, latest first within each kind: this year and
    the last, the last four half-years and quarters, the last twelve months."""
    choices = []
    for kind, count in ((HALF, 4), (QUARTER, 4), (YEAR, 2), (MONTH, 12)):
        period = period_of(kind, day)
        for _i in range(count):
            choices.append((period.key, period.label))
            period = period.previous()
    return choices


def default_period(day: datetime.date) -> Period:
    """The current half-year (半年有督导: the rhythm the city reads the counties by)."""
    return period_of(HALF, day)
