"""The year's scorecards as an Excel workbook (考核汇总, for the year-end 评优评先): one sheet of
the teams (the league table) and one of their members, headed in Chinese, streamed
(core.excel.StreamedSheet)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from core.excel import Column, StreamedSheet

from .selectors import league, member_cards

FIGURES = (
    ("visits", "Visits"),
    ("raised", "Problems raised"),
    ("rectified", "Rectified"),
    ("promoted", "Moved up"),
    ("activities", "Joint activities"),
    ("matters", "Small practical matters"),
    ("brands", "Brands"),
    ("trainings", "Trainings and contests"),
    ("prizes", "Prizes"),
    ("score", "Score"),
)


def scorecards_name(year: int) -> str:
    with translation.override("zh-hans"):
        return _("Service team scorecards %(year)s") % {"year": year}


def scorecard_sheets(*, year: int, policy) -> list[StreamedSheet]:
    """The teams' and the members' scorecards of `year` (a fixed number of queries)."""
    with translation.override("zh-hans"):
        figures = [Column(_(label), 10) for _key, label in FIGURES]
        teams = league(year=year, policy=policy)
        team_rows = (
            (
                card.rank,
                card.team.name,
                card.team.anchor_unit.name,
                card.members,
                card.units,
                *(getattr(card, key) for key, _label in FIGURES),
            )
            for card in teams
        )
        team_sheet = StreamedSheet(
            _("Team scorecards"),
            [
                Column(_("Rank"), 6),
                Column(_("Team"), 16),
                Column(_("Anchor organization"), 24),
                Column(_("Members of the team"), 10),
                Column(_("Organizations"), 10),
                *figures,
            ],
            team_rows,
        )
        yes, no = str(_("Yes")), str(_("No"))
        member_rows = (
            (
                card.member.team.name,
                card.member.person.name,
                str(card.member.get_role_display()),
                *(getattr(card, key) for key, _label in FIGURES),
                yes if card.flagged else no,
                "；".join(f"{t.held_on:%Y-%m-%d} {t.outcome}" for t in card.talks),
            )
            for card in member_cards(year=year, policy=policy)
        )
        member_sheet = StreamedSheet(
            _("Member scorecards"),
            [
                Column(_("Team"), 16),
                Column(_("Name"), 10),
                Column(_("Role"), 8),
                *figures,
                Column(_("Reminder talk due"), 10),
                Column(_("Reminder talks"), 40),
            ],
            member_rows,
        )
        return [team_sheet, member_sheet]
