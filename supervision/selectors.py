"""Reads of supervision records, already scoped to the user who asks.

Who sees what:
- staff: everything;
- a work-committee leader: the checks, sheets and findings of the zones they guide, every
  published patrol round, and the sheets of the teams they lead;
- the lead-unit secretary: their zone's checks, sheets and findings;
- a unit secretary: the sheets their unit fills as checker, their unit's own sheets once the
  results are released, the sheets of patrol teams they serve on, and their unit's findings.
What a user may not see comes back as 404, never as a leak.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.display import DateTexts, choice_labels, label_of, number_text, pk_url, truncated
from core.periods import half_bounds
from counties.calendar import workdays_between
from zones.constants import Grade
from zones.models import Unit, UnitGrade
from zones.selectors import grade_changes, today, units_with_state, user_scope

from .constants import DEFAULT_RECTIFY_WORKDAYS, CheckState, FindingState, RoundState, SheetState
from .models import (
    ClassReviewThreshold,
    Finding,
    MutualCheck,
    PatrolRound,
    PatrolTeam,
    ScoreSheet,
    SeverityPolicy,
)

# --- mutual checks --------------------------------------------------------------------------


def checks_visible_to(user) -> QuerySet[MutualCheck]:
    qs = MutualCheck.objects.select_related("zone", "template", "organized_by")
    scope = user_scope(user)
    if scope.reads_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    zones = scope.readable_zone_ids | scope.member_zone_ids
    return qs.filter(
        Q(zone_id__in=zones)
        | Q(sheets__checker_unit_id__in=scope.unit_ids)
        | Q(sheets__checked_unit_id__in=scope.unit_ids)
    ).distinct()


# --- score sheets ---------------------------------------------------------------------------


def _sheet_qs() -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.select_related(
        "mutual_check__zone",
        "team__round",
        "team__visited_zone",
        "team__from_zone",
        "team__leader",
        "checker_unit",
        "checked_unit",
        "submitted_by",
    )


def sheets_visible_to(user) -> QuerySet[ScoreSheet]:
    qs = _sheet_qs()
    scope = user_scope(user)
    if scope.reads_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    mutual = Q(mutual_check__isnull=False) & (
        Q(mutual_check__zone_id__in=scope.readable_zone_ids)
        | Q(checker_unit_id__in=scope.unit_ids)
        | Q(checked_unit_id__in=scope.unit_ids, mutual_check__state=CheckState.PUBLISHED)
    )
    patrol = Q(team__isnull=False) & (
        Q(team__visited_zone_id__in=scope.guided_zone_ids)
        | Q(team__leader=user)
        | Q(team__members=user)
        | Q(checked_unit_id__in=scope.unit_ids, team__round__state=RoundState.CLOSED)
    )
    return qs.filter(mutual | patrol).exclude(team__round__state=RoundState.DRAFT).distinct()


def sheets_to_fill(user) -> QuerySet[ScoreSheet]:
    """Open sheets the user fills as a checker, for the overview page: those of a draft mutual
    check their unit checks with, and those of a published patrol round's team they lead or
    serve on. Each kind is found by its own id subquery (issue 20): one OR across the checks',
    the rounds' and the members' joins, de-duplicated with DISTINCT, took the planner 35 ms of
    its 14-table search on every view; the sheets' row is then read by primary key."""
    scope = user_scope(user)
    open_sheets = ScoreSheet.objects.filter(state=SheetState.OPEN).order_by()
    mutual = open_sheets.filter(
        checker_unit_id__in=scope.unit_ids, mutual_check__state=CheckState.DRAFT
    ).values("pk")
    teams = PatrolTeam.objects.filter(Q(leader=user) | Q(pk__in=_teams_served(user))).values("pk")
    patrol = open_sheets.filter(team_id__in=teams, team__round__state=RoundState.PUBLISHED).values(
        "pk"
    )
    return _sheet_qs().filter(pk__in=mutual.union(patrol)).order_by("pk")


def _teams_served(user):
    """The patrol teams the user is a member of (their ids, a subquery)."""
    return PatrolTeam.members.through.objects.filter(user_id=user.pk).values("patrolteam_id")


# --- patrol rounds --------------------------------------------------------------------------


def rounds_visible_to(user) -> QuerySet[PatrolRound]:
    qs = PatrolRound.objects.select_related("template")
    scope = user_scope(user)
    if scope.reads_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    if getattr(user, "is_committee", False):
        return qs.exclude(state=RoundState.DRAFT)
    return qs.exclude(state=RoundState.DRAFT).filter(teams__members=user).distinct()


def round_teams(round_: PatrolRound) -> QuerySet[PatrolTeam]:
    """A round's teams with everything its page shows, in two queries (teams with their zones,
    leader and sheet counts; the members)."""
    return (
        round_.teams.select_related("visited_zone", "from_zone", "leader")
        .prefetch_related("members")
        .annotate(
            sheet_count=Count("sheets", distinct=True),
            submitted_count=Count(
                "sheets", filter=Q(sheets__state=SheetState.SUBMITTED), distinct=True
            ),
        )
        .order_by("visited_zone__number")
    )


def teams_visible_to(user) -> QuerySet[PatrolTeam]:
    qs = PatrolTeam.objects.select_related("round", "visited_zone", "from_zone", "leader")
    scope = user_scope(user)
    if scope.reads_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    qs = qs.exclude(round__state=RoundState.DRAFT)
    if getattr(user, "is_committee", False):
        return qs
    return qs.filter(members=user).distinct()


# --- findings -------------------------------------------------------------------------------


def overdue(day: datetime.date) -> Q:
    """The one definition of an overdue finding on `day`: past its deadline and not closed.
    Asked by `with_overdue` (the lists, the dashboard), the reports and the reminders."""
    return Q(deadline__lt=day) & ~Q(state=FindingState.CLOSED)


def rectify_workdays(*, unit_id: int) -> dict[str, int]:
    """The working days to rectify a finding of each severity, for a finding of the unit
    `unit_id`: its county's own deadlines (SeverityPolicy), the defaults where it set none. One
    query, the county read through the unit."""
    county = Unit.objects.filter(pk=unit_id).values("county_id")
    own = SeverityPolicy.objects.filter(county_id=Subquery(county[:1])).values_list(
        "severity", "workdays"
    )
    return {**DEFAULT_RECTIFY_WORKDAYS, **dict(own)}


def with_overdue(qs: QuerySet[Finding], day: datetime.date | None = None) -> QuerySet[Finding]:
    """Annotate `is_overdue` (`overdue` on `day`, default today). Derived, never stored."""
    return qs.annotate(
        is_overdue=ExpressionWrapper(overdue(day or today()), output_field=BooleanField())
    )


def finding_workdays_left(finding: Finding, day: datetime.date | None = None) -> int | None:
    """Working days from `day` (today) to the deadline of a finding not yet closed: negative
    once it is overdue, None when there is nothing to count (core.workdays, with 调休)."""
    if finding.deadline is None or finding.state == FindingState.CLOSED:
        return None
    return workdays_between(day or today(), finding.deadline)


def rectification_rate(*, raised: int, rectified: int) -> Decimal | None:
    """Rectified findings as a percentage of those raised, to one decimal (None: none raised).
    The dashboard and the reports show this one figure."""
    if not raised:
        return None
    return (Decimal(rectified) * 100 / raised).quantize(Decimal("0.1"))


def findings_visible_to(user) -> QuerySet[Finding]:
    qs = with_overdue(
        Finding.objects.select_related("responsible_unit", "zone", "sheet", "corrects")
    )
    scope = user_scope(user)
    if scope.reads_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(raised_on__isnull=False).filter(
        Q(zone_id__in=scope.readable_zone_ids) | Q(responsible_unit_id__in=scope.unit_ids)
    )


# The rectification ledger's order: overdue first, then the nearest deadlines; a finding with no
# deadline (its overdue flag NULL) after them on either database (PostgreSQL sorts NULL first in
# a descending order, SQLite last in it and first in an ascending one).
LEDGER_ORDER = (
    F("is_overdue").desc(nulls_last=True),
    F("deadline").asc(nulls_last=True),
    "pk",
)


def ledger_page(findings: QuerySet[Finding], number, per_page: int) -> Page:
    """One page of the (filtered) rectification ledger, page of ids first (issue 20): the
    ordered, filtered findings are paged as ids alone, then only that page's rows are read
    with the zone and unit the list shows, in one query (the ids a subquery with its LIMIT),
    which counts the whole list too (`_counted_page`). Sorting every visible finding with its
    sheet, zone, unit and corrected finding joined cost 20 ms at one county, and the join
    with every score sheet grew with the city."""
    ordered = findings.order_by(*LEDGER_ORDER)
    page = _counted_page(
        ordered.values("pk"),
        lambda ids: (
            with_overdue(Finding.objects.select_related("responsible_unit", "zone"))
            .filter(pk__in=ids)
            .order_by(*LEDGER_ORDER)
        ),
        number,
        per_page,
    )
    rows: list[Any] = list(page.object_list)
    page.object_list = rows
    ledger_rows(rows)
    page.rows_html = ledger_table(rows)  # type: ignore[attr-defined]
    return page


def _counted_page(ids: QuerySet, rows_of, number, per_page: int) -> Page:
    """`Paginator(ids, per_page).get_page(number)` with the page's rows (`rows_of(ids of the
    page)`: a queryset of them in the list's order) and the whole list's count read in one
    query, not a count and then the page: the count is a subquery of the rows' query, read
    from the first row. A page with no rows (past the last, or not a page at all) is the
    paginator's own answer, its count and its page as `get_page` reads them, so what an
    out-of-range number shows stays the same; an empty first page is an empty list's."""
    paginator = Paginator(ids, per_page)
    try:  # the page asked for, as `get_page` reads it before it needs the count
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        bottom = (wanted - 1) * per_page
        # the count as one aggregate over the list (a constant grouped by is no GROUP BY):
        # a window's COUNT(*) OVER () buffered every row and measured dearer
        whole = ids.order_by().annotate(whole=Value(1)).values("whole")
        total = whole.annotate(n=Count("*")).values("n")
        found = list(
            rows_of(ids[bottom : bottom + per_page]).annotate(counted_total=Subquery(total))
        )
        if found or wanted == 1:
            paginator.count = found[0].counted_total if found else 0
            return Page(found, wanted, paginator)
    page = paginator.get_page(number)
    page.object_list = rows_of(page.object_list)
    return page


def ledger_rows(rows: list[Any]) -> None:
    """Put on each finding of a ledger page the texts its row shows, computed once per page
    (issue 20, core.display): the three choice labels (`get_state_display` rebuilds and hashes
    the field's lazy choices on every call), the dates as the `date` filter gives them, the
    link, the problem's first 60 characters and the working days after raising. The row's
    template printed these through 500 `date` filters, 50 `{% url %}` and 100 includes a page."""
    labels = {name: choice_labels(Finding, name) for name in ("source", "severity", "state")}
    dates = DateTexts()
    detail = pk_url("supervision:finding_detail")
    for finding in rows:
        finding.source_label = label_of(labels["source"], finding.source)
        finding.severity_label = label_of(labels["severity"], finding.severity)
        finding.state_label = label_of(labels["state"], finding.state)
        finding.zone_text = str(finding.zone) if finding.zone_id else ""
        finding.unit_text = str(finding.responsible_unit)
        finding.url = detail(finding.pk)
        finding.summary = truncated(finding.description, 60)
        finding.raised_on_text = dates(finding.raised_on)
        finding.deadline_text = dates(finding.deadline)
        finding.closed_on_text = dates(finding.closed_on)
        finding.allowed_text = workdays_after_raising(finding.workdays_allowed)
        finding.taken_text = workdays_after_raising(finding.workdays_taken)


# A ledger row as templates/supervision/finding_list.html wrote it in its loop, the line breaks
# and indentation included: the zone (or —), the unit, source and severity, the problem linked,
# the state (and the overdue badge), the raising day, the deadline and the closing day (each or
# —, the last two with their working days after raising).
_LEDGER_ROW = (
    "\n  <tr{}>\n    <td>{}</td><td>{}</td><td>{}</td>\n    <td>{}</td>\n"
    '    <td><a href="{}">{}</a></td>\n    <td>{}{}</td>\n'
    '    <td class="text-nowrap">{}</td>\n'
    '    <td class="text-nowrap">{}{}</td>\n'
    '    <td class="text-nowrap">{}{}</td>\n  </tr>\n  '
)


def ledger_table(rows: list[Any]) -> SafeString:
    """The ledger page's rows (`ledger_rows`' findings), written once here as the template's
    loop wrote them: 50 rows of twelve variables, four `default` filters and four `{% if %}`
    were most of the page's template time. Every text from the data is escaped as the
    template escaped it; the working days' texts are already HTML."""
    overdue = format_html(' <span class="badge text-bg-danger">{}</span>', _("Overdue"))
    return SafeString(
        "".join(
            format_html(
                _LEDGER_ROW,
                _DANGER if finding.is_overdue else "",
                finding.zone_text or "—",
                finding.unit_text,
                finding.source_label,
                finding.severity_label,
                finding.url,
                finding.summary,
                finding.state_label,
                overdue if finding.is_overdue else "",
                finding.raised_on_text or "—",
                finding.deadline_text or "—",
                _small(finding.allowed_text),
                finding.closed_on_text or "—",
                _small(finding.taken_text),
            )
            for finding in rows
        )
    )


_DANGER = SafeString(' class="table-danger"')


def _small(text: str) -> SafeString:
    """`{% if text %}<div class="small">{{ text }}</div>{% endif %}`."""
    return format_html('<div class="small">{}</div>', text) if text else SafeString("")


def workdays_after_raising(n: int | None) -> str:
    """What the include supervision/includes/workdays_after_raising.html renders for `n`
    working days (its closing newline too), as HTML; "" for none."""
    if n is None:
        return ""
    text = ngettext("%(n)s working day after raising", "%(n)s working days after raising", n)
    return format_html('<span class="text-muted">{}</span>\n', text % {"n": n})


# --- class review ---------------------------------------------------------------------------


@dataclass
class ClassSuggestion:
    unit: object
    zone_name: str | None
    current: int | None
    score_percent: Decimal | None
    sheet_count: int
    findings: int
    closed: int
    overdue: int
    suggested: int | None

    @property
    def moves(self) -> bool:
        return self.suggested is not None and self.suggested != self.current


def suggest_grade(
    score_percent: Decimal | None, overdue: int, thresholds: ClassReviewThreshold
) -> int | None:
    if score_percent is None:
        return None
    if score_percent >= thresholds.first_min_score and overdue <= thresholds.first_max_overdue:
        return Grade.FIRST
    if score_percent >= thresholds.second_min_score and overdue <= thresholds.second_max_overdue:
        return Grade.SECOND
    return Grade.THIRD


def class_review_units(*, year: int, half: int) -> QuerySet:
    """The units the class review lists, by zone and name, each annotated with its zone and
    class on the half-year's last day (or today): the page paginates them (issue 20)."""
    _first, last = half_bounds(year, half)
    # units_with_state annotates zone_id_on, zone_name_on, grade_on…, which the type stubs
    # cannot see through the helper: read as Any.
    units: Any = units_with_state(day=min(today(), last))
    return units.filter(zone_id_on__isnull=False).order_by("zone_number_on", "name", "pk")


def class_review(
    *, year: int, half: int, units: Iterable[Unit] | None = None
) -> list[ClassSuggestion]:
    """For each unit in a zone (or of `units`, a page of `class_review_units`): its average
    score over the half-year's released sheets (mutual checks of the two quarters, the patrol
    round), its findings raised in the half-year and how many were overdue (closed late or
    still open past the deadline), and the class the thresholds suggest. Four queries whatever
    the number of units; the scores and findings are read only for the units listed."""
    first, last = half_bounds(year, half)
    quarters = (1, 2) if half == 1 else (3, 4)
    # Each county's own thresholds (one query): the city reads several counties' units.
    thresholds = ClassReviewThreshold.by_county()
    defaults = ClassReviewThreshold()
    listed = list(class_review_units(year=year, half=half) if units is None else units)
    ids = [unit.pk for unit in listed]
    scores = {
        row["checked_unit_id"]: row
        for row in ScoreSheet.objects.filter(state=SheetState.SUBMITTED, checked_unit_id__in=ids)
        # the half-year's checks and rounds first, then their sheets (issue 20): joined
        # within the OR, every sheet the units were ever given was read to keep this half's
        .filter(
            Q(
                mutual_check__in=MutualCheck.objects.filter(
                    year=year, quarter__in=quarters, state=CheckState.PUBLISHED
                ).values("pk")
            )
            | Q(
                team__in=PatrolTeam.objects.filter(
                    round__year=year, round__half=half, round__state="closed"
                ).values("pk")
            )
        )
        .values("checked_unit_id")
        .annotate(total=Sum("total"), max_total=Sum("max_total"), n=Count("pk"))
    }
    day = min(today(), last)
    finding_rows = {
        row["responsible_unit_id"]: row
        for row in Finding.objects.filter(
            raised_on__range=(first, last), responsible_unit_id__in=ids
        )
        .values("responsible_unit_id")
        .annotate(
            n=Count("pk"),
            closed=Count("pk", filter=Q(state=FindingState.CLOSED)),
            overdue=Count(
                "pk",
                filter=Q(state=FindingState.CLOSED, closed_on__gt=F("deadline")) | overdue(day),
            ),
        )
    }
    rows = []
    unit: Any
    for unit in listed:
        score = scores.get(unit.pk)
        percent = (
            (Decimal(score["total"]) * 100 / Decimal(score["max_total"])).quantize(Decimal("0.1"))
            if score and score["max_total"]
            else None
        )
        found = finding_rows.get(unit.pk, {"n": 0, "closed": 0, "overdue": 0})
        rows.append(
            ClassSuggestion(
                unit=unit,
                zone_name=unit.zone_name_on,
                current=unit.grade_on,
                score_percent=percent,
                sheet_count=score["n"] if score else 0,
                findings=found["n"],
                closed=found["closed"],
                overdue=found["overdue"],
                suggested=suggest_grade(
                    percent, found["overdue"], thresholds.get(unit.county_id, defaults)
                ),
            )
        )
    return rows


def class_review_rows_html(
    rows: list[ClassSuggestion],
    *,
    csrf_token: str | None,
    year: int,
    half: int,
    page_number: int,
    day: datetime.date,
) -> SafeString:
    """The class review's rows, each with its confirmation form, as the template's loop wrote
    them, byte for byte (tests/supervision/test_heavy_pages.py compares them): a page's 50
    forms were 60 % of its time in template lookups (issue 20). The texts escaped, the numbers
    localized and the phrases translated as the template did; `csrf_token` is the page's (the
    context's, as `{% csrf_token %}` prints it)."""
    if not rows:
        return mark_safe(f'<tr><td colspan="8">{escape(_("No units."))}</td></tr>\n  ')
    number = number_text()

    def shown(value) -> str:  # {{ value|default:"—" }}
        return number(value) if value else "—"

    action = escape(reverse("supervision:class_review_confirm"))
    csrf = (  # as {% csrf_token %} prints it: nothing without a token
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
        if csrf_token and csrf_token != "NOTPROVIDED"
        else ""
    )
    # the form's part that is the same on every row
    period = (
        f'<input type="hidden" name="year" value="{number(year)}"><input type="hidden" '
        f'name="half" value="{number(half)}"><input type="hidden" name="page" '
        f'value="{number(page_number)}">\n'
    )
    tail = (
        f'        <input type="date" name="effective_on" value="{date_format(day, "Y-m-d")}" '
        f'class="form-control form-control-sm w-auto" aria-label="'
        f'{escape(_("Effective from"))}">\n'
        '        <input type="text" name="reason" maxlength="200" class="form-control '
        f'form-control-sm w-auto" placeholder="{escape(_("Reason (needed to override)"))}">\n'
        '        <button type="submit" class="btn btn-sm btn-outline-primary">'
        f"{escape(_('Confirm'))}</button>\n"
        "      </form>\n    </td>\n  </tr>\n  "
    )
    select = (
        '        <select name="grade" class="form-select form-select-sm w-auto" '
        f'aria-label="{escape(_("Class"))}">'
    )
    parts = []
    for row in rows:
        unit: Any = row.unit  # a Unit (ClassSuggestion types it as object)
        suggested = "" if row.suggested is None else number(row.suggested)
        options = "".join(
            f'<option value="{value}"{" selected" if str(row.suggested) == value else ""}>'
            f"{value}</option>"
            for value in "123"
        )
        warning = ' class="table-warning"' if row.moves else ""
        parts.append(
            f"\n  <tr{warning}>\n"
            f"    <td>{escape(row.zone_name)}</td><td>{escape(unit.name)}</td>\n"
            f'    <td class="text-end">{shown(row.score_percent)}</td>\n'
            f'    <td class="text-end">{number(row.closed)} / {number(row.findings)}</td>'
            f'<td class="text-end">{number(row.overdue)}</td>\n'
            f"    <td>{shown(row.current)}</td><td>{shown(row.suggested)}</td>\n"
            "    <td>\n"
            f'      <form method="post" action="{action}" class="d-flex flex-wrap gap-1">'
            f"{csrf}\n"
            f'        <input type="hidden" name="unit" value="{number(unit.pk)}">'
            f'<input type="hidden" name="suggested" value="{suggested}">\n'
            f"        {period}{select}{options}</select>\n{tail}"
        )
    # the names escaped, the numbers localized, the phrases the catalogue's, escaped
    return mark_safe("".join(parts))  # noqa: S308


def class_movements() -> QuerySet[UnitGrade]:
    """Class history entries with the class before each, newest first (one query)."""
    return (
        grade_changes()
        .select_related("unit", "set_by")
        .annotate(direction=Coalesce(F("previous_grade") - F("grade"), 0))
        .order_by("-effective_from", "unit__name")
    )
