"""Handing work to Celery without ever making a page hang or fail.

The row that describes the work (a notification, a report request) is written to the database
first; the message is published after the transaction commits, with short timeouts. If the broker
is down, publishing fails quietly and the periodic sweep publishes it again later.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task, *args, **kwargs) -> bool:
    """Publish now; return False (and log) instead of raising when the broker is unreachable."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep will try again
        logger.warning(
            "could not publish %s%r; the sweep will retry", task.name, args, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish after the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(task, *args, **kwargs))
