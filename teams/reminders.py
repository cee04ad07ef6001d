"""The contact rule's reminders (联系制度): the captain of a team is told, in the notification
centre, of each organization the team guides and has not visited within the county's
`visit_every_days` (TeamPolicy). Run once a day per county running the teams
(`teams.contact_reminders`); one notification per organization and due day, so a second run
of the day, or of the next day, writes nothing new, and a new lapse after a visit does."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from counties.scoping import implied_county_id
from notifications.constants import Kind
from notifications.services import Message, notifications_send
from zones.models import in_force_on

from .constants import TeamRole
from .models import TeamMember
from .selectors import units_not_visited
from .services import policy_for


def contact_messages(*, day: datetime.date) -> list[Message]:
    """Today's reminders of the county in scope: three queries whatever its size."""
    policy = policy_for(implied_county_id())
    every = datetime.timedelta(days=policy.visit_every_days)
    late = units_not_visited(policy=policy, day=day)
    captains = dict(
        TeamMember.objects.filter(
            in_force_on(day),
            role=TeamRole.CAPTAIN,
            team_id__in={a.team_id for a in late},
            person__user__isnull=False,
        ).values_list("team_id", "person__user_id")
    )
    out = []
    with translation.override("zh-hans"):
        for assignment in late:
            captain = captains.get(assignment.team_id)
            if captain is None:
                continue
            due = (assignment.last_visit or assignment.effective_from) + every
            out.append(
                Message(
                    recipient_id=captain,
                    kind=Kind.TEAM_NOT_VISITED,
                    subject=f"team_assignment:{assignment.pk}",
                    period=due.isoformat(),
                    title=_("%(unit)s has not been visited by %(team)s since %(day)s")
                    % {
                        "unit": assignment.unit.name,
                        "team": assignment.team.name,
                        "day": assignment.last_visit or assignment.effective_from,
                    },
                    body=_("The county's contact rule: a visit every %(n)s days.")
                    % {"n": policy.visit_every_days},
                    url=reverse("teams:team_detail", args=[assignment.team_id]),
                    county_id=assignment.team.county_id,
                )
            )
    return out


def contact_reminders_run(*, day: datetime.date) -> int:
    """Write today's contact reminders of the county in scope; returns how many are new."""
    return len(notifications_send(contact_messages(day=day)))
