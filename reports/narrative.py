"""A drafted narrative paragraph in the voice of the committee's own reports, built from the
figures; staff edit it before filing. Written in Chinese whatever the reader's language, since
it is filed as the committee's text."""

from __future__ import annotations

import datetime

from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.periods import month_label


def approx(n: int) -> str:
    """How the committee writes counts: exact below 100, else rounded down to tens with 余
    (“110余次”); a round number stays exact."""
    if n >= 100 and n % 10:
        return _("%(n)d+") % {"n": n // 10 * 10}
    return str(n)


def _join(items: list[str]) -> str:
    return _("、").join(items)


def _forms(pairs: list[list]) -> str:
    return _join(
        [_("%(form)s %(n)s times") % {"form": label, "n": approx(n)} for label, n in pairs if n]
    )


def _day(iso: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT")


def draft_narrative(figures: dict, *, period_label: str, language: str = "zh-hans") -> str:
    with translation.override(language):
        scope = figures.get("zone") or _("the county's zones")
        parts = [
            _("In %(period)s, %(scope)s held %(n)s confirmed joint activities")
            % {"period": period_label, "scope": scope, "n": approx(figures["activities"])}
        ]
        forms = _forms(figures["by_form"])
        if forms:
            parts.append(_(", of which %(forms)s") % {"forms": forms})
        sentences = ["".join(parts) + _(".")]

        zm, covered = figures["zone_months"], figures["zone_months_covered"]
        if zm:
            sentence = _("Of %(zm)d zone-months, %(covered)d had an activity") % {
                "zm": zm,
                "covered": covered,
            }
            if figures["gaps"]:
                gaps = _join(
                    [
                        _("%(zone)s in %(month)s") % {"zone": z, "month": month_label(m)}
                        for z, m in figures["gaps"][:6]
                    ]
                )
                sentence += _("; gaps: %(gaps)s") % {"gaps": gaps}
                if len(figures["gaps"]) > 6:
                    sentence += _(" and %(n)d more") % {"n": len(figures["gaps"]) - 6}
            sentences.append(sentence + _("."))

        if figures["checks_held"] or figures["rounds_held"]:
            sentences.append(
                _(
                    "%(checks)d quarterly mutual checks and %(rounds)d cross-zone patrol rounds were held."
                )
                % {"checks": figures["checks_held"], "rounds": figures["rounds_held"]}
            )
        if figures["findings_raised"]:
            sentence = _(
                "%(raised)s problems were found, %(done)s rectified, a rectification rate of %(rate)s%%"
            ) % {
                "raised": approx(figures["findings_raised"]),
                "done": approx(figures["findings_rectified"]),
                "rate": figures["rectification_rate"],
            }
            if figures["findings_overdue"]:
                sentence += _(", %(n)d still overdue") % {"n": figures["findings_overdue"]}
            sentences.append(sentence + _("."))
        if figures["moved_up"] or figures["moved_down"]:
            sentences.append(
                _("%(up)d party organizations moved up a class and %(down)d moved down.")
                % {"up": figures["moved_up"], "down": figures["moved_down"]}
            )
        # A period still running counts to the day the report was generated, and says so.
        as_of = figures.get("counted_to") or figures["period"]["end"]
        total = _("As of %(date)s, %(n)s joint activities have been held in all") % {
            "date": _day(as_of),
            "n": approx(figures["activities_to_date"]),
        }
        to_date = _forms(figures["by_form_to_date"])
        if to_date:
            total += _(", of which %(forms)s") % {"forms": to_date}
        sentences.append(total + _("."))
        return "".join(sentences)
