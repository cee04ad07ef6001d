"""Announcements: what happens at one moment is told at that moment, not at the next daily run.

When a mutual check's results are published, a patrol round's plan is published or its results
are released, the people concerned are told in the same transaction as the publication (the
notification rows are the outbox: they appear when, and only if, the publication commits, and
their emails are sent after commit). Supervision knows nothing of notifications: this app listens
to its records being saved (`NotificationsConfig.ready`), as activities listens to memberships.

An event recorded for an earlier day (a history loaded afterwards, the demo county) is not news:
nothing older than `FRESH_FOR` is announced, so a fresh installation with two years of history
does not tell everyone about every quarter since 2025.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supervision.constants import CheckState, RoundState
from supervision.models import MutualCheck, PatrolRound, PatrolTeam, ScoreSheet
from zones.models import UnitPost
from zones.selectors import today

from .constants import Kind
from .services import Message, notifications_send

FRESH_FOR = datetime.timedelta(days=14)


def is_fresh(moment: datetime.datetime | None) -> bool:
    """Whether an event of that moment is still news today."""
    return moment is not None and timezone.localtime(moment).date() >= today() - FRESH_FOR


def _secretaries_of(unit_ids) -> dict[int, list[int]]:
    by_unit: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id in UnitPost.objects.filter(
        unit_id__in=set(unit_ids), user__is_active=True
    ).values_list("user_id", "unit_id"):
        by_unit[unit_id].append(user_id)
    return by_unit


def _results_messages(sheets, title: str) -> list[Message]:
    sheets = list(sheets)
    people = _secretaries_of(s.checked_unit_id for s in sheets)
    return [
        Message(
            user_id,
            Kind.CHECK_PUBLISHED,
            f"sheet:{sheet.pk}",
            "results",
            title,
            "",
            reverse("supervision:sheet_detail", args=[sheet.pk]),
        )
        for sheet in sheets
        for user_id in dict.fromkeys(people[sheet.checked_unit_id])
    ]


def check_results_announce(*, check: MutualCheck) -> int:
    """Tell each checked unit that its sheet of the check is published."""
    if check.state != CheckState.PUBLISHED or not is_fresh(check.published_at):
        return 0
    with translation.override("zh-hans"):
        title = _("The results of mutual check %(period)s are published") % {
            "period": check.period_label
        }
    sheets = ScoreSheet.objects.filter(mutual_check=check)
    return len(notifications_send(_results_messages(sheets, title)))


def round_results_announce(*, round_: PatrolRound) -> int:
    """Tell each unit visited by the round that its patrol sheet is released."""
    if round_.state != RoundState.CLOSED or not is_fresh(round_.closed_at):
        return 0
    with translation.override("zh-hans"):
        title = _("The results of patrol round %(round)s are released") % {"round": str(round_)}
    sheets = ScoreSheet.objects.filter(team__round=round_)
    return len(notifications_send(_results_messages(sheets, title)))


def round_plan_announce(*, round_: PatrolRound) -> int:
    """Tell each patrol team's leader and members whom they visit."""
    if round_.state != RoundState.PUBLISHED or not is_fresh(round_.published_at):
        return 0
    teams = PatrolTeam.objects.filter(round=round_).select_related("visited_zone")
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in PatrolTeam.members.through.objects.filter(
        patrolteam__round=round_
    ).values_list("patrolteam_id", "user_id"):
        members[team_id].append(user_id)
    out = []
    with translation.override("zh-hans"):
        for team in teams:
            title = _("You are on the patrol team visiting %(zone)s") % {
                "zone": team.visited_zone.name
            }
            url = reverse("supervision:team_detail", args=[team.pk])
            out += [
                Message(
                    user_id,
                    Kind.CHECK_PUBLISHED,
                    f"team:{team.pk}",
                    f"round:{round_.pk}",
                    title,
                    "",
                    url,
                )
                for user_id in dict.fromkeys([team.leader_id, *members[team.pk]])
                if user_id
            ]
    return len(notifications_send(out))


def on_check_saved(sender, instance: MutualCheck, raw=False, update_fields=None, **kwargs):
    if raw or not update_fields or "state" not in update_fields:
        return
    check_results_announce(check=instance)


def on_round_saved(sender, instance: PatrolRound, raw=False, update_fields=None, **kwargs):
    if raw or not update_fields or "state" not in update_fields:
        return
    if instance.state == RoundState.PUBLISHED:
        round_plan_announce(round_=instance)
    elif instance.state == RoundState.CLOSED:
        round_results_announce(round_=instance)
