"""A drafted narrative paragraph in the voice of the committee's own reports, built from the
figures; staff edit it before filing. Written in Chinese whatever the reader's language, since
it is filed as the committee's text."""

from __future__ import annotations

import datetime

from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.periods import month_label
from education import report as education_report
from teams.narrative import sentence as team_sentence


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
        sentences += education_report.sentences(figures, approx=approx, join=_join)
        if figures.get("teams"):  # the service teams' sentence (issue 18)
            sentences.append(team_sentence(figures["teams"], language=language))
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
        # 群众微心愿 (issue 17): the committee's sentence, as the wishes app writes it
        if figures.get("wishes"):
            sentences.append(figures["wishes"]["sentence"])
        return "".join(sentences)


# --- the city report ----------------------------------------------------------------------------


def _zones_of_county(name: str, f: dict) -> str:
    """One county's sentence on the zones mechanism (片区联建巡回督导)."""
    sentence = _(
        "%(county)s's zone joint building has held %(total)s joint activities in all, %(n)s in "
        "the period"
    ) % {"county": name, "total": approx(f["activities_to_date"]), "n": approx(f["activities"])}
    if f["zone_months"]:
        sentence += _(", %(covered)d of %(zm)d zone-months had an activity") % {
            "zm": f["zone_months"],
            "covered": f["zone_months_covered"],
        }
    if f["checks_held"] or f["rounds_held"]:
        sentence += _(", %(checks)d mutual checks and %(rounds)d patrol rounds were held") % {
            "checks": f["checks_held"],
            "rounds": f["rounds_held"],
        }
    if f["findings_raised"]:
        sentence += _(
            ", %(raised)s problems were found and %(done)s rectified, a rectification rate of "
            "%(rate)s%%"
        ) % {
            "raised": approx(f["findings_raised"]),
            "done": approx(f["findings_rectified"]),
            "rate": f["rectification_rate"],
        }
    return sentence + _(".")


def _zones_of_city(figures: dict, *, period_label: str) -> str:
    """The city's paragraph on the zones mechanism: the counties that run it, each by name, those
    that do not, and the city's totals with the rates pooled over the counties."""
    counties = figures["counties"]
    running = [c for c in counties if c["zones"] is not None]
    idle = [c["name"] for c in counties if c["zones"] is None]
    if not running:
        return _("In %(period)s no county of %(city)s ran zone joint building.") % {
            "period": period_label,
            "city": figures["city"],
        }
    sentences = [
        _(
            "In %(period)s, %(running)d of the %(counties)d counties of %(city)s ran zone joint "
            "building and patrol supervision."
        )
        % {
            "period": period_label,
            "city": figures["city"],
            "counties": len(counties),
            "running": len(running),
        }
    ]
    sentences += [_zones_of_county(c["name"], c["zones"]) for c in running]
    if idle:
        sentences.append(
            _("%(counties)s have not run zone joint building yet.") % {"counties": _join(idle)}
        )
    t = figures["totals"]["zones"]
    total = _(
        "Across the city, %(n)s joint activities were held in the period and %(total)s in all"
    ) % {"n": approx(t["activities"]), "total": approx(t["activities_to_date"])}
    if t["zone_months"]:
        total += _(
            "; %(covered)d of %(zm)d zone-months had an activity, a coverage of %(rate)s%%"
        ) % {
            "zm": t["zone_months"],
            "covered": t["zone_months_covered"],
            "rate": t["coverage_rate"],
        }
    if t["findings_raised"]:
        total += _(
            "; %(raised)s problems were found and %(done)s rectified, a rectification rate of "
            "%(rate)s%% across the city"
        ) % {
            "raised": approx(t["findings_raised"]),
            "done": approx(t["findings_rectified"]),
            "rate": t["rectification_rate"],
        }
    sentences.append(total + _("."))
    return "".join(sentences)


def _headlines_of_city(mechanism: str):
    """The city's paragraph on a mechanism beyond the zones (reports.headlines): how many
    counties ran it, each county's figures with their denominators, the city's pooled."""
    from .figures import pooled_rate
    from .headlines import HEADLINE_LABELS, HEADLINES

    keys = HEADLINES[mechanism][0]

    def figures_of(f: dict) -> str:
        parts = []
        for k in keys:
            numerator, denominator = f[k]
            rate = pooled_rate(numerator, denominator)
            parts.append(
                _("%(label)s %(n)d/%(d)d")
                % {"label": HEADLINE_LABELS[k], "n": numerator, "d": denominator}
                + (_(" (%(rate)s%%)") % {"rate": rate} if rate is not None else "")
            )
        return _join(parts)

    def paragraph(figures: dict, *, period_label: str) -> str:
        label = dict(figures["mechanisms"])[mechanism]
        counties = figures["counties"]
        running = [c for c in counties if c.get(mechanism) is not None]
        if not running:
            return _("In %(period)s no county of %(city)s ran %(mechanism)s.") % {
                "period": period_label,
                "city": figures["city"],
                "mechanism": label,
            }
        sentence = _(
            "In %(period)s, %(running)d of the %(counties)d counties of %(city)s ran "
            "%(mechanism)s: "
        ) % {
            "period": period_label,
            "city": figures["city"],
            "counties": len(counties),
            "running": len(running),
            "mechanism": label,
        }
        sentence += _("; ").join(
            _("%(county)s: %(figures)s")
            % {"county": c["name"], "figures": figures_of(c[mechanism])}
            for c in running
        )
        if len(running) > 1:
            sentence += _("; across the city, %(figures)s") % {
                "figures": figures_of(figures["totals"][mechanism])
            }
        return sentence + _(".")

    return paragraph


# Each mechanism a city report carries (reports.figures.CITY_MECHANISMS) has its paragraph.
CITY_PARAGRAPHS = {
    "zones": _zones_of_city,
    "teams": _headlines_of_city("teams"),
    "education": _headlines_of_city("education"),
    "wishes": _headlines_of_city("wishes"),
}


def draft_city_narrative(figures: dict, *, period_label: str, language: str = "zh-hans") -> str:
    """The city report's narrative in the committee's voice: a paragraph per mechanism naming
    each county that runs it with its figures (“石泉县片区联建累计开展联建活动110余次……”), the
    counties that do not, and the city's pooled totals."""
    with translation.override(language):
        paragraphs = [
            CITY_PARAGRAPHS[mechanism](figures, period_label=period_label)
            for mechanism, _label in figures["mechanisms"]
            # (a report generated before a mechanism was carried has no totals of it)
            if mechanism in figures["totals"]
        ]
        if not figures.get("closed", True):
            paragraphs.append(
                _("Figures are counted to %(date)s, the period not having closed.")
                % {"date": _day(figures["counted_to"])}
            )
        return "\n".join(paragraphs)
