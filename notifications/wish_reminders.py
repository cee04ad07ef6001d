"""The micro-wishes' reminders (群众微心愿, issue 17), written on the daily beat for each county
that runs the mechanism (notifications.reminders.RULES_BY_MECHANISM, the daily beat's pass over
each county), through `notifications_send`:
its unique key (recipient, kind, subject, period) makes a second run a no-op.

- a wish not signed for after its working day (sign_due passed): the handler unit's secretaries
  and officers, once per dispatch;
- a deadline in one working day: the handler unit, once per deadline (an approved extension is a
  new deadline, so a new reminder);
- overdue: the handler unit and the county staff, again each week while overdue;
- the return visit due (the next working day after 办结): the town's dispatchers (its office's
  people; the county staff for a town without an office), once.

Which wishes are due is read by the wishes app's selectors; who is told, by `Recipients`.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from counties.calendar import add_workdays
from wishes import selectors

from .constants import Kind
from .reminders import Recipients, _messages, _week
from .services import Message, notifications_send

DUE_SOON_WORKDAYS = 1


def wish_rules(day: datetime.date, who: Recipients) -> list[Message]:
    out: list[Message] = []

    def url(wish):
        return reverse("wishes:detail", args=[wish.pk])

    for wish in selectors.unsigned_late(day):
        out += _messages(
            who.unit(wish.handler_id),
            Kind.WISH_UNSIGNED,
            f"wish:{wish.pk}",
            f"sign:{wish.dispatched_on}:{wish.sign_due}",
            _("Micro-wish %(ticket)s has not been signed for since %(date)s")
            % {"ticket": wish.ticket, "date": wish.sign_due},
            _("Sign for it or return it with a reason."),
            url(wish),
        )
    horizon = add_workdays(day, DUE_SOON_WORKDAYS)
    for wish in selectors.due_soon(day, horizon):
        out += _messages(
            who.unit(wish.handler_id),
            Kind.WISH_DUE_SOON,
            f"wish:{wish.pk}",
            f"due:{wish.due}",
            _("Micro-wish %(ticket)s is due on %(date)s")
            % {"ticket": wish.ticket, "date": wish.due},
            "",
            url(wish),
        )
    for wish in selectors.overdue_assigned(day):
        out += _messages(
            who.unit(wish.handler_id) + who.staff,
            Kind.WISH_OVERDUE,
            f"wish:{wish.pk}",
            _week(day),
            _("Micro-wish %(ticket)s overdue since %(date)s (%(unit)s)")
            % {"ticket": wish.ticket, "date": wish.due, "unit": wish.handler.name},
            "",
            url(wish),
        )
    for wish in selectors.visits_due(day):
        dispatchers = who.unit(wish.town.office_id) if wish.town.office_id else who.staff
        out += _messages(
            dispatchers,
            Kind.WISH_VISIT_DUE,
            f"wish:{wish.pk}",
            f"visit:{wish.resolved_on}",
            _("Return visit due for micro-wish %(ticket)s") % {"ticket": wish.ticket},
            _("Call the villager and record the answer."),
            url(wish),
        )
    return out


def wish_reminders_run(*, day: datetime.date) -> int:
    """Write today's micro-wish reminders of the county in scope; returns how many are new."""
    who = Recipients(day)
    with translation.override("zh-hans"):
        messages = wish_rules(day, who)
    return len(notifications_send(messages))
