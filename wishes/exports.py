"""The micro-wishes' Excel exports (core.excel, streamed): the list of wishes the reader sees and
the figures of a period. Personal data stays masked: the villager's name as its first character
and two stars, the phone as 138****5678 (people.masking's rule), an erased one as its last four
digits; the full contact is only ever on the audited page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.excel import CHINESE_DATE_FORMAT, Column, Sheet, StreamedSheet, dated_name
from core.exportjobs import Made, builder
from people.masking import mask_phone

from .models import Wish


def list_name() -> str:
    with translation.override("zh-hans"):
        return str(_("Micro-wishes"))


def figures_name() -> str:
    with translation.override("zh-hans"):
        return str(_("Figures of the micro-wishes"))


def masked_name(wish: Wish) -> str:
    return f"{wish.name[:1]}**" if wish.name else ""


def masked_phone(wish: Wish) -> str:
    if wish.erased_on or not wish.phone:
        return f"…{wish.phone_tail}"
    return mask_phone(wish.phone)


def wishes_sheet(wishes: QuerySet[Wish]) -> StreamedSheet:
    """One row per wish, read in chunks as the file is written."""
    with translation.override("zh-hans"):
        field = Wish._meta.get_field
        date = CHINESE_DATE_FORMAT
        columns = [
            Column(field("ticket").verbose_name, 13),
            Column(field("received_on").verbose_name, 14, date),
            Column(field("channel").verbose_name, 10),
            Column(field("town").verbose_name, 10),
            Column(field("village").verbose_name, 10),
            Column(field("group").verbose_name, 8),
            Column(field("category").verbose_name, 12),
            Column(field("text").verbose_name, 50),
            Column(field("name").verbose_name, 8),
            Column(field("phone").verbose_name, 14),
            Column(field("households").verbose_name, 8),
            Column(field("state").verbose_name, 14),
            Column(field("handler").verbose_name, 20),
            Column(field("due").verbose_name, 14, date),
            Column(field("resolved_on").verbose_name, 14, date),
            Column(field("satisfaction").verbose_name, 10),
            Column(field("visited_on").verbose_name, 14, date),
        ]
        rows = (
            (
                w.ticket,
                w.received_on,
                str(w.get_channel_display()),
                w.town.name,
                w.village.name,
                w.group.name if w.group else "",
                w.category.name if w.category else "",
                w.text,
                masked_name(w),
                masked_phone(w),
                w.households,
                str(w.get_state_display()),
                w.handler.name if w.handler else "",
                w.deadline,
                w.resolved_on,
                str(w.get_satisfaction_display()) if w.satisfaction else "",
                w.visited_on,
            )
            for w in wishes.iterator(chunk_size=500)
        )
        return StreamedSheet(list_name(), columns, rows)


def _rate(rate) -> str:
    return f"{rate} ({rate.numerator} / {rate.denominator})"


def figures_sheets(context: dict) -> list[Sheet]:
    """The figures page as sheets: the headline with each rate and its denominator, the
    breakdowns by town, village, category and handler unit, and the month's red and black
    lists (`context` is views.figures_context's)."""
    f = context["f"]
    with translation.override("zh-hans"):
        headline = Sheet(
            _("Figures"),
            [Column(_("Period"), 16), Column(_("Figure"), 18), Column(_("Value"), 30)],
            [
                (context["period"].label, _("Collected"), f.collected),
                ("", _("Resolved"), f.resolved),
                ("", _("Pending"), f.pending),
                ("", _("Overdue"), f.overdue),
                ("", _("Resolution rate"), _rate(f.resolution)),
                ("", _("On-time sign-in rate"), _rate(f.on_time_sign)),
                ("", _("Return rate"), _rate(f.returned)),
                ("", _("Redo rate"), _rate(f.redone)),
                ("", _("Satisfaction rate"), _rate(f.satisfaction)),
                ("", "", context["sentence"]),
            ],
        )
        heads = [
            Column("", 20),
            Column(_("Collected"), 8),
            Column(_("Resolved"), 8),
            Column(_("Pending"), 8),
            Column(_("Overdue"), 8),
            Column(_("Resolution rate"), 22),
            Column(_("Satisfaction rate"), 22),
        ]
        sheets = [headline]
        for title, key in (
            (_("By town"), "by_town"),
            (_("By village"), "by_village"),
            (_("By category"), "by_category"),
            (_("By handler unit"), "by_handler"),
        ):
            sheets.append(
                Sheet(
                    title,
                    heads,
                    (
                        (
                            r["name"],
                            r["collected"],
                            r["resolved"],
                            r["pending"],
                            r["overdue"],
                            _rate(r["resolution"]),
                            _rate(r["satisfaction"]),
                        )
                        for r in context[key]
                    ),
                )
            )
        list_heads = [
            Column(_("Handler unit"), 20),
            Column(_("On-time resolution"), 22),
            Column(_("Not on time"), 8),
            Column(_("Satisfaction rate"), 22),
            Column(_("Partly or not satisfied"), 10),
        ]
        for title, key in ((_("Red list"), "red"), (_("Black list"), "black")):
            sheets.append(
                Sheet(
                    f"{title} {context['lists']['month']:%Y-%m}",
                    list_heads,
                    (
                        (u.name, _rate(u.on_time), u.late, _rate(u.satisfaction), u.dissatisfied)
                        for u in context["lists"][key]
                    ),
                )
            )
        return sheets


@builder("micro-wishes list")
def list_export(user, query, selected=None) -> Made:
    """The list's export, in the request or in the worker (core.exportjobs): the wishes `user`
    sees, of the state asked (selectors.wishes_listed), in the county scope of the request;
    the view checked the reader may read the list."""
    from . import selectors

    wishes, _state = selectors.wishes_listed(user, query)
    return Made(
        wishes_sheet(wishes), name=dated_name(list_name(), selectors.today()), rows=wishes.count
    )
