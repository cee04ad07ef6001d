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
        ]
        return xlsx_bytes(sheets)


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
