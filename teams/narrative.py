"""The service teams in the roll-up reports (issue 18): the figures of a county report's
period (teams.selectors.county_headline), its sheet and its sentence in the committee's voice
("16支服务队精准对接联系92个党组织，累计下沉开展指导52次……协助57个"二类"党组织进位提升").
The reports app calls these three; a county that does not run the teams has no figures, so no
sheet and no sentence."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from core.excel import Sheet
from counties.constants import Mechanism
from counties.mechanisms import running

from .selectors import county_headline


def report_figures(*, county_id: int | None, start: datetime.date, end: datetime.date):
    """The teams' figures of a county report, or None (no county, or it runs no teams)."""
    if county_id is None or Mechanism.TEAMS not in running(county_id):
        return None
    return county_headline(start=start, end=end)


ROWS = (
    ("teams", N_("Service teams")),
    ("members", N_("Team members")),
    ("guided", N_("Organizations guided")),
    ("visits", N_("Guidance visits")),
    ("raised", N_("Problems raised")),
    ("rectified", N_("Problems rectified")),
    ("promoted", N_("Organizations moved up")),
    ("matters", N_("Small practical matters")),
)


def report_sheet(figures: dict) -> Sheet:
    """The report's sheet of the service teams (in the active language)."""
    return Sheet(
        _("Service teams"),
        [_("Item"), _("Value")],
        [[_(label), figures[key]] for key, label in ROWS],
    )


def sentence(figures: dict, *, language: str = "zh-hans") -> str:
    """The committee's sentence on the teams' period; empty without teams."""
    if not figures or not figures.get("teams"):
        return ""
    with translation.override(language):
        text = (
            _(
                "%(teams)d service teams were matched with %(guided)d party organizations and made "
                "%(visits)d guidance visits"
            )
            % figures
        )
        if figures["raised"]:
            text += _(", finding %(raised)d problems and getting %(rectified)d rectified") % figures
        if figures["matters"]:
            text += _(", and did %(matters)d small practical matters") % figures
        if figures["promoted"]:
            text += _("; they helped %(promoted)d second-class organizations move up") % figures
        return text + _(".")


def dashboard_tile(user, day: datetime.date):
    """The county dashboard's tile of the service teams this year, or None where the reader's
    county runs no teams."""
    from counties.mechanisms import reader_runs

    # the reader's mechanisms are read with them at sign-in: no query for a county without teams
    if getattr(user, "county_id", None) is None or not reader_runs(user, Mechanism.TEAMS):
        return None
    figures = county_headline(start=datetime.date(day.year, 1, 1), end=day)
    figures["year"] = day.year
    return figures
