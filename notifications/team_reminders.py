"""The service teams' contact rule (联系制度, issue 18): the captain of a team is told of each
organization the team guides and has not visited within the county's `visit_every_days`
(teams.selectors.contact_lapses). Run once a day per county running the teams
(a rule of `notifications.reminders.RULES_BY_MECHANISM`, the daily beat's pass); one notification per organization and due day, so a
second run of the day, or of the next day, writes nothing new, and a new lapse after a visit
does. The weekly contact rule (`contact_every_days`, teams.selectors.not_contacted_lapses)
reminds the same way of organizations neither contacted nor visited in time."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from counties.scoping import implied_county_id
from teams.selectors import contact_lapses, not_contacted_lapses
from teams.services import policy_for

from .constants import Kind
from .services import Message, notifications_send


def _day(day: datetime.date) -> str:
    """A date as the committee writes it (2026年11月26日 in Chinese)."""
    return formats.date_format(day, "DATE_FORMAT")


def _message(lapse, *, kind: str, subject: str, title: str, body: str) -> Message | None:
    """A lapse told to its team's captain (None when the captain has no account)."""
    if lapse.captain_user_id is None:
        return None
    return Message(
        recipient_id=lapse.captain_user_id,
        kind=kind,
        subject=f"{subject}:{lapse.assignment_id}",
        period=lapse.due.isoformat(),
        title=title % {"unit": lapse.unit, "team": lapse.team, "day": _day(lapse.since)},
        body=body,
        url=reverse("teams:team_detail", args=[lapse.team_id]),
        county_id=lapse.county_id,
    )


def team_contact_messages(*, day: datetime.date) -> list[Message]:
    """Today's contact reminders of the county in scope: of the visit interval, and of the
    weekly contact rule besides (每周联系: a visit counts as a contact)."""
    policy = policy_for(implied_county_id())
    with translation.override("zh-hans"):
        visits = [
            _message(
                lapse,
                kind=Kind.TEAM_NOT_VISITED,
                subject="team_assignment",
                title=_("%(unit)s has not been visited by %(team)s since %(day)s"),
                body=_("The county's contact rule: a visit every %(n)s days.")
                % {"n": policy.visit_every_days},
            )
            for lapse in contact_lapses(policy=policy, day=day)
        ]
        contacts = [
            _message(
                lapse,
                kind=Kind.TEAM_NOT_CONTACTED,
                subject="team_contact",
                title=_("%(team)s has not been in touch with %(unit)s since %(day)s"),
                body=_(
                    "The county's contact rule: contact each organization every %(n)s days "
                    "(a call, a WeChat message or a visit)."
                )
                % {"n": policy.contact_every_days},
            )
            for lapse in not_contacted_lapses(policy=policy, day=day)
        ]
    return [m for m in visits + contacts if m is not None]


def team_contact_run(*, day: datetime.date) -> int:
    """Write today's contact reminders of the county in scope; returns how many are new."""
    return len(notifications_send(team_contact_messages(day=day)))
