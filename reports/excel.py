"""The report as an Excel workbook: one sheet per table, Chinese headings, frozen header rows,
column widths that fit the text, and cells that cannot be read as formulas (the export layer,
core.excel)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities.constants import CellState
from core.excel import Sheet, export, xlsx_bytes
from core.periods import month_label
from core.text import bracketed
from education import report as education_report
from teams.narrative import report_sheet as team_report_sheet


def _summary_rows(figures: dict) -> list[list]:
    """The county report's figures as (item, value) rows: its summary sheet, and a county's sheet
    of the city report."""
    return [
        [_("Joint activities"), figures["activities"]],
        [
            _("Zone-months covered"),
            f"{figures['zone_months_covered']}/{figures['zone_months']}",
        ],
        [_("Quarterly mutual checks held"), figures["checks_held"]],
        [_("Patrol rounds held"), figures["rounds_held"]],
        [_("Problems found"), figures["findings_raised"]],
        [_("Problems rectified"), figures["findings_rectified"]],
        [_("Overdue"), figures["findings_overdue"]],
        [_("Rectification rate (%)"), figures["rectification_rate"] or "—"],
        [_("Moved up a class"), figures["moved_up"]],
        [_("Moved down a class"), figures["moved_down"]],
        [_("Joint activities to date"), figures["activities_to_date"]],
    ]


@export("report workbook")
def report_workbook(
    figures: dict, *, title: str, narrative: str, language: str = "zh-hans"
) -> bytes:
    with translation.override(language):
        sheets = [
            Sheet(
                _("Summary"),
                [_("Item"), _("Value")],
                [
                    [_("Report"), title],
                    [_("Period"), f"{figures['period']['start']} – {figures['period']['end']}"],
                    [_("Counted to"), figures.get("counted_to") or figures["period"]["end"]],
                    *_summary_rows(figures),
                    [_("Narrative"), narrative],
                ],
            ),
            Sheet(
                _("By form"),
                [_("Form"), _("In the period"), _("To date")],
                [
                    [label, n, dict(figures["by_form_to_date"]).get(label, 0)]
                    for label, n in figures["by_form"]
                ],
            ),
            Sheet(_("By five joints"), [_("Five joints"), _("Activities")], figures["by_tag"]),
            Sheet(_("By zone"), [_("Zone"), _("Activities")], figures["by_zone"]),
            Sheet(
                _("Monthly coverage"),
                [_("Zone"), *[month_label(m) for m in figures["months"]]],
                [[row[0], *[_state_label(s) for s in row[1:]]] for row in figures["coverage"]],
            ),
            Sheet(_("Class movements"), *class_move_table(figures["class_moves"])),
            *education_report.sheets(figures),
        ]
        if figures.get("wishes"):
            sheets.append(wishes_sheet(figures["wishes"]))
        if figures.get("teams"):  # the service teams' sheet (issue 18)
            sheets.append(team_report_sheet(figures["teams"]))
        return xlsx_bytes(sheets)


def _pair(pair: list[int]) -> str:
    numerator, denominator = pair
    rate = _rate(numerator, denominator)
    return f"{rate}% ({numerator} / {denominator})" if rate is not None else "—"


def wishes_sheet(w: dict) -> Sheet:
    """群众微心愿 (issue 17): the micro-wishes' sheet of a county report, each rate with its
    denominator, then the towns' rows."""
    return Sheet(
        _("Micro-wishes"),
        [_("Item"), _("Value"), _("Resolved"), _("Pending"), _("Overdue")],
        [
            [_("Collected"), w["collected"], "", "", ""],
            [_("Resolved"), w["resolved"], "", "", ""],
            [_("Pending"), w["pending"], "", "", w["overdue"]],
            [_("Resolution rate"), _pair(w["resolution"]), "", "", ""],
            [_("On-time sign-in rate"), _pair(w["on_time_sign"]), "", "", ""],
            [_("Return rate"), _pair(w["returned"]), "", "", ""],
            [_("Redo rate"), _pair(w["redone"]), "", "", ""],
            [_("Satisfaction rate"), _pair(w["satisfaction"]), "", "", ""],
            *[
                [name, n, resolved, pending, late]
                for name, n, resolved, pending, late in w["by_town"]
            ],
            [_("Narrative"), w["sentence"], "", "", ""],
        ],
    )


def _state_label(state: str) -> str:
    return str(CellState(state).label) if state in CellState.values else state


def _grade_label(grade: int) -> str:
    from zones.constants import Grade

    return str(Grade(grade).label)


def class_move_table(moves: list[dict], *, day=lambda iso: iso) -> tuple[list, list]:
    """The class movements table (unit, from, to, effective from, reason) as the workbook and
    the Word document both print it; `day` writes the ISO date as the document wants it."""
    headers = [
        _("Unit"),
        pgettext("class move", "From"),
        pgettext("class move", "To"),
        _("Effective from"),
        _("Reason"),
    ]
    rows = [
        [
            m["unit"],
            _grade_label(m["from"]),
            _grade_label(m["to"]),
            day(m["on"]),
            m.get("reason", ""),
        ]
        for m in moves
    ]
    return headers, rows


# --- the city report ----------------------------------------------------------------------------


def not_run() -> str:
    """What stands where a county does not run a mechanism: never a zero."""
    return _("Not run")


def _runs_label(county: dict) -> str:
    return _("、").join(label for _m, label in county["runs"]) or "—"


def _zones_cells(f: dict | None) -> list:
    """A county's (or the city's) zones figures, each count beside its denominator."""
    if f is None:
        return [not_run()] * 12
    return [
        f["activities"],
        f["activities_to_date"],
        f["zone_months_covered"],
        f["zone_months"],
        f.get("coverage_rate") or _rate(f["zone_months_covered"], f["zone_months"]) or "—",
        f["checks_held"],
        f["checks_expected"],
        f["rounds_held"],
        f["findings_rectified"],
        f["findings_raised"],
        f["rectification_rate"] or "—",
        f["findings_overdue"],
    ]


def _rate(numerator: int, denominator: int) -> str | None:
    from .figures import pooled_rate

    return pooled_rate(numerator, denominator)


def city_table(figures: dict) -> tuple[list, list]:
    """The counties side by side with the city's pooled totals (the city sheet of the workbook,
    the first table of the Word document, the page)."""
    headers = [
        _("County"),
        _("Mechanisms run"),
        _("Joint activities"),
        _("Joint activities to date"),
        _("Zone-months covered"),
        _("Zone-months"),
        _("Coverage rate (%)"),
        _("Quarterly mutual checks held"),
        _("Quarterly mutual checks due"),
        _("Patrol rounds held"),
        _("Problems rectified"),
        _("Problems found"),
        _("Rectification rate (%)"),
        _("Overdue"),
    ]
    rows = [[c["name"], _runs_label(c), *_zones_cells(c["zones"])] for c in figures["counties"]]
    totals = figures["totals"]["zones"]
    rows.append(
        [
            _("City total"),
            _("%(n)d counties") % {"n": totals["counties"] if totals else 0},
            *_zones_cells(totals),
        ]
    )
    return headers, rows


def headline_tables(figures: dict) -> list[tuple[str, list, list]]:
    """A table per mechanism beyond the zones that the report carries (reports.headlines): each
    county's figures as "numerator/denominator (rate%)", "未开展" where it did not run it, the
    city's pooled total last. A report generated before these mechanisms were carried has none."""
    from .figures import pooled_rate
    from .headlines import HEADLINE_LABELS, HEADLINES

    labels = dict(figures["mechanisms"])
    tables = []
    for mechanism, (keys, _count) in HEADLINES.items():
        if mechanism not in labels or mechanism not in figures["totals"]:
            continue

        def cells(f, keys=keys):
            if f is None:
                return [not_run()] * len(keys)
            return [
                f"{f[k][0]}/{f[k][1]}{bracketed(f'{pooled_rate(*f[k])}%')}"
                if f[k][1]
                else f"{f[k][0]}/{f[k][1]}"
                for k in keys
            ]

        rows = [[c["name"], *cells(c.get(mechanism))] for c in figures["counties"]]
        rows.append([_("City total"), *cells(figures["totals"][mechanism])])
        heading = [_("County"), *[str(HEADLINE_LABELS[k]) for k in keys]]
        tables.append(
            (_("%(mechanism)s by county") % {"mechanism": labels[mechanism]}, heading, rows)
        )
    return tables


def city_workbook(figures: dict, *, title: str, narrative: str, language: str = "zh-hans") -> bytes:
    """One sheet for the city (the counties side by side, the pooled totals, the report and its
    narrative), then one sheet per county."""
    with translation.override(language):
        headers, rows = city_table(figures)
        blank = [""] * len(headers)
        about = [
            [_("Report"), title],
            [_("Period"), f"{figures['period']['start']} – {figures['period']['end']}"],
            [_("Counted to"), figures["counted_to"]],
            [_("Narrative"), narrative],
        ]
        sheets = [
            Sheet(
                _("Whole city"),
                headers,
                [*rows, blank, *[row + [""] * (len(headers) - 2) for row in about]],
            )
        ]
        for county in figures["counties"]:
            f = county["zones"]
            zones_label = dict(figures["mechanisms"]).get("zones", "")
            rows = [
                [_("County"), county["name"]],
                [_("Division code"), county["code"]],
                [_("Mechanisms run"), _runs_label(county)],
            ]
            if f is None:
                rows.append([zones_label, not_run()])
            else:
                rows += [
                    [zones_label, ""],
                    *_summary_rows(f),
                    [_("Coverage rate (%)"), _rate(f["zone_months_covered"], f["zone_months"])],
                    [_("By zone"), ""],
                    *f["by_zone"],
                ]
            sheets.append(Sheet(county["name"], [_("Item"), _("Value")], rows))
        # the other mechanisms, a sheet each: the counties side by side, the city's total
        sheets += [
            Sheet(caption[:31], heading, rows)
            for caption, heading, rows in headline_tables(figures)
        ]
        return xlsx_bytes(sheets)
