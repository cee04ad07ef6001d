"""The report as the committee files it: a Word document (.docx) laid out as an official
document (公文, GB/T 9704-2012): A4 with the standard margins, the issuing committee in red over a
red rule (版头), the title in 2号 小标宋, the body in 3号 仿宋 at 28 pt lines, then the tables with
numbered captions (表1 …), the issuing committee and the date in Chinese, and page numbers
"— 1 —". Built from the report's stored figures and its current narrative, in the committee's
language, so it reads the same as the page and the Excel file."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from core.periods import month_in_year_label

from .excel import _grade_label, class_move_table, headline_tables, not_run

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# GB/T 9704-2012 §5.2: A4, type area 156 mm × 225 mm; top 37 mm, left 28 mm.
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TITLE_FONT, BODY_FONT, HEADING_FONT, TABLE_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "仿宋_GB2312",
)
RED = RGBColor(0xE6, 0x00, 0x12)
CELL_MARK = {"done": "✓", "gap": "✗", "waiting": "◷", "open": "…"}


def _font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # Word picks the font of Chinese characters from w:eastAsia, not from w:ascii.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    return run


def _paragraph(doc, text: str = "", *, font=BODY_FONT, size=16, bold=False, color=None,
               align=None, indent=False, space_after=0):  # fmt: skip
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)  # 22 lines to the type area
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph) -> None:
    """The red separator under the issuing committee (版头中的分隔线)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {
        "w:val": "single",
        "w:sz": "12",
        "w:space": "6",
        "w:color": "E60012",
    }.items():
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _page_numbers(section) -> None:
    """— 1 — centred in the footer, 4号 宋体 (GB/T 9704 §7.5)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), "宋体", 14)
    run = _font(p.add_run(), "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    _font(p.add_run(" —"), "宋体", 14)


class _Tables:
    """Numbers the tables as they are added: 表1, 表2 …"""

    def __init__(self, doc):
        self.doc, self.count = doc, 0

    def add(self, title: str, header: list[str], rows: list[list], *, note: str = ""):
        self.count += 1
        caption = _("Table %(n)d  %(title)s") % {"n": self.count, "title": title}
        _paragraph(self.doc, caption, font=HEADING_FONT, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        for row in rows or [[_("None."), *[""] * (len(header) - 1)]]:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                self._cell(cell, "" if value is None else str(value))
        if note:
            _paragraph(self.doc, note, size=10.5)
        _paragraph(self.doc, "")
        return table

    @staticmethod
    def _cell(cell, text: str, *, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), HEADING_FONT if bold else TABLE_FONT, 10.5, bold=bold)


def class_move_rows(figures: dict) -> list[dict]:
    """The class movements (unit, from, to, date, reason) with their labels, for the page."""
    return [
        {
            **m,
            "from_label": _grade_label(m["from"]),
            "to_label": _grade_label(m["to"]),
            "on": datetime.date.fromisoformat(m["on"]),
            "reason": m.get("reason", ""),
        }
        for m in figures.get("class_moves", [])
    ]


def report_date(report) -> datetime.date:
    """The document's date (成文日期): the day it was filed, else the day it was generated."""
    moment = getattr(report, "filed_at", None) or report.generated_at or timezone.now()
    return timezone.localdate(moment)


def report_title(report) -> str:
    scope = report.zone.name if report.zone_id else _("the county's zones")
    return _(
        "Report on the zone joint building and patrol supervision of %(scope)s, %(period)s"
    ) % {
        "scope": scope,
        "period": report.period_label,
    }


def _begin(report, *, issuer: str, title: str):
    """A new document with the head of an official document: the issuing committee in red over
    the red rule, the title, the issuer and the date, the note of a period still running, and
    the narrative's paragraphs. Returns the document and its date as written."""
    f = report.figures
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    _page_numbers(section)

    head = _paragraph(
        doc, issuer, font=TITLE_FONT, size=26, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    head.paragraph_format.line_spacing = Pt(40)
    _red_rule(head)
    _paragraph(doc, "")
    heading = _paragraph(doc, title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    heading.paragraph_format.line_spacing = Pt(36)
    day = formats.date_format(report_date(report), "DATE_FORMAT")
    _paragraph(doc, f"（{issuer}　{day}）", font="楷体_GB2312", size=16,
               align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)  # fmt: skip
    if not f.get("closed", True):
        counted_to = formats.date_format(
            datetime.date.fromisoformat(f["counted_to"]), "DATE_FORMAT"
        )
        _paragraph(doc, _("The period has not closed: figures are counted to %(day)s.")
                   % {"day": counted_to}, indent=True)  # fmt: skip
    for text in (report.narrative or "").splitlines():
        if text.strip():
            _paragraph(doc, text.strip(), indent=True)
    _paragraph(doc, "")
    return doc, day


def _end(doc, *, issuer: str, day: str) -> bytes:
    """The issuing committee and the date under the text (落款), and the document's bytes."""
    _paragraph(doc, "")
    _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, day, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_document(report, *, language: str = "zh-hans") -> bytes:
    f = report.figures
    with translation.override(language):
        issuer = settings.REPORTS_ISSUER
        doc, day = _begin(report, issuer=issuer, title=report_title(report))
        tables = _Tables(doc)
        to_date = dict(f["by_form_to_date"])
        tables.add(
            _("Joint activities by form"),
            [_("Form"), _("In the period"), _("To date")],
            [[label, n, to_date.get(label, 0)] for label, n in f["by_form"]]
            + [[_("Total"), f["activities"], f["activities_to_date"]]],
        )
        tables.add(_("Five joints"), [_("Five joints"), _("Activities")], f["by_tag"])
        tables.add(
            _("Checks and rectification"),
            [_("Item"), _("Value")],
            [
                [_("Quarterly mutual checks held"), f["checks_held"]],
                [_("Patrol rounds held"), f["rounds_held"]],
                [_("Problems found"), f["findings_raised"]],
                [_("Problems rectified"), f["findings_rectified"]],
                [_("Overdue"), f["findings_overdue"]],
                [_("Rectification rate (%)"), f["rectification_rate"] or "—"],
            ],
        )
        tables.add(
            _("Monthly coverage by zone (%(covered)d of %(total)d zone-months)")
            % {"covered": f["zone_months_covered"], "total": f["zone_months"]},
            [_("Zone"), *[month_in_year_label(m) for m in f["months"]]],
            [[row[0], *[CELL_MARK.get(c, c) for c in row[1:]]] for row in f["coverage"]],
            note=_("✓ held  ◷ waiting for confirmation  ✗ gap  … month not over"),
        )
        tables.add(
            _("Class movements"),
            *class_move_table(
                f["class_moves"],
                day=lambda iso: formats.date_format(
                    datetime.date.fromisoformat(iso), "DATE_FORMAT"
                ),
            ),
        )

        return _end(doc, issuer=issuer, day=day)


# --- the city report ----------------------------------------------------------------------------


def city_issuer(city) -> str:
    """The city's issuing committee (发文机关), e.g. 中共安康市委直属机关工作委员会."""
    return _("Organ Work Committee of the CPC %(city)s Committee") % {"city": city.name}


def city_report_title(report) -> str:
    return _("Roll-up report on the organ party work of the counties of %(city)s, %(period)s") % {
        "city": report.city.name,
        "period": report.period_label,
    }


def _of(numerator: int, denominator: int) -> str:
    """A count with its denominator, as the city's tables print it (52/60)."""
    return f"{numerator}/{denominator}"


def city_document_tables(figures: dict) -> list[tuple[str, list, list]]:
    """The city report's tables (title, headings, rows), counties side by side and the city's
    pooled totals last, "未开展" where a county does not run the mechanism; the Word document
    and the page print the same."""
    counties = [(c["name"], c["zones"]) for c in figures["counties"]]
    rows = [*counties, (_("City total"), figures["totals"]["zones"])]

    def line(name, f, cells):
        return [name, *(cells(f) if f is not None else [not_run()] * 4)]

    from .figures import pooled_rate

    return [
        (
            _("Joint activities and monthly coverage by county"),
            [
                _("County"),
                _("Joint activities"),
                _("Joint activities to date"),
                _("Zone-months covered"),
                _("Coverage rate (%)"),
            ],
            [
                line(
                    name,
                    f,
                    lambda f: [
                        f["activities"],
                        f["activities_to_date"],
                        _of(f["zone_months_covered"], f["zone_months"]),
                        pooled_rate(f["zone_months_covered"], f["zone_months"]) or "—",
                    ],
                )
                for name, f in rows
            ],
        ),
        (
            _("Checks and rectification by county"),
            [
                _("County"),
                _("Mutual checks held / due"),
                _("Patrol rounds held"),
                _("Problems rectified / found"),
                _("Rectification rate (%)"),
            ],
            [
                line(
                    name,
                    f,
                    lambda f: [
                        _of(f["checks_held"], f["checks_expected"]),
                        f["rounds_held"],
                        _of(f["findings_rectified"], f["findings_raised"]),
                        f["rectification_rate"] or "—",
                    ],
                )
                for name, f in rows
            ],
        ),
        *headline_tables(figures),
    ]


def city_report_document(report, *, language: str = "zh-hans") -> bytes:
    """The city report as the city's committee files it: the official document's layout of the
    county report (版头, title, narrative, numbered tables, 落款), issued by the city."""
    with translation.override(language):
        issuer = city_issuer(report.city)
        doc, day = _begin(report, issuer=issuer, title=city_report_title(report))
        tables = _Tables(doc)
        for title, headings, rows in city_document_tables(report.figures):
            tables.add(
                title,
                headings,
                rows,
                note=_(
                    "Rates of the city are pooled: the sum of the counties' numerators over the sum of their denominators."
                ),
            )
        return _end(doc, issuer=issuer, day=day)
