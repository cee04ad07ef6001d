"""Who must be reminded of what today. Each rule asks the working-day calendar, since a crontab
cannot express 调休, and writes its notifications through `notifications_send`, whose unique
key makes a second run the same day a no-op."""

from __future__ import annotations

import datetime

from .services import Message, notifications_send

# Each rule is a function (day) -> list[Message]; the activity and supervision rules are added
# as those modules land.
RULES: list = []


def reminders_run(*, day: datetime.date) -> int:
    messages: list[Message] = []
    for rule in RULES:
        messages.extend(rule(day))
    return len(notifications_send(messages))


def digest_run(*, day: datetime.date) -> int:
    return 0
