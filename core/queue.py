"""Handing work to Celery without ever making a page hang or fail.

The row that describes the work (a notification, a report request) is written to the database
first; the message is published after the transaction commits, with short timeouts. If the broker
is down, publishing fails quietly and the periodic sweep publishes it again later. If it hangs,
the first publish waits its timeout and the breaker (core.breaker) then skips the broker for a
few seconds: the rows wait in the database for the sweep, as when it is down.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction

from .breaker import Skipped, broker_breaker

logger = logging.getLogger(__name__)


def publish(task, *args, **kwargs) -> bool:
    """Publish now; return False (and log) instead of raising when the broker is unreachable."""
    try:
        broker_breaker.call(task.apply_async, args=args, kwargs=kwargs, retry=False)
    except Skipped:
        logger.info(
            "broker skipped while it does not answer: %s%r waits for the sweep", task.name, args
        )
        return False
    except Exception:  # noqa: BLE001 - any broker failure: the sweep will try again
        logger.warning(
            "could not publish %s%r; the sweep will retry", task.name, args, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish after the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(task, *args, **kwargs))


def lease(task) -> datetime.timedelta:
    """How long a claim on `task`'s work holds. Past the task's hard time limit its worker has
    surely stopped it, so a claim older than that was lost with a killed worker and the work may
    be claimed again (a report's generation, a daily job's run)."""
    seconds = settings.BACKGROUND_LEASE_SECONDS or (
        (task.time_limit or settings.CELERY_TASK_TIME_LIMIT) + 60
    )
    return datetime.timedelta(seconds=seconds)
