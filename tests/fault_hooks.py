"""Loaded by the fault tests' worker processes (`celery worker --include=tests.fault_hooks`):
slow-downs that hold a task at a known point long enough for the test to kill the worker.

Each is armed by a marker file named in the environment and disarms itself by deleting it, so
the run that a killed worker's redelivery or the sweep starts afterwards goes through at full
speed."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _armed(variable: str) -> bool:
    marker = os.environ.get(variable)
    if not marker:
        return False
    try:
        Path(marker).unlink()
    except FileNotFoundError:
        return False
    return True


def _install() -> None:
    if os.environ.get("FAULT_SLOW_REPORT"):
        from reports import services

        draft = services.draft_narrative

        def slow_draft(*args, **kwargs):
            # After the figures (progress 60 %), before anything is written.
            if _armed("FAULT_SLOW_REPORT"):
                time.sleep(120)
            return draft(*args, **kwargs)

        services.draft_narrative = slow_draft

        draft_city = services.draft_city_narrative

        def slow_draft_city(*args, **kwargs):
            # The same point of a city report: after its figures, before anything is written.
            if _armed("FAULT_SLOW_REPORT"):
                time.sleep(120)
            return draft_city(*args, **kwargs)

        services.draft_city_narrative = slow_draft_city

    if os.environ.get("FAULT_SLOW_FANOUT"):
        from notifications import reminders

        send = reminders.notifications_send

        def slow_send(messages):
            # Half the fan-out is written, then the worker is killed.
            messages = list(messages)
            if _armed("FAULT_SLOW_FANOUT"):
                send(messages[: len(messages) // 2])
                Path(os.environ["FAULT_SLOW_FANOUT"] + ".half").touch()
                time.sleep(120)
            return send(messages)

        reminders.notifications_send = slow_send

    if os.environ.get("FAULT_SLOW_EXPORT"):
        from core import exportjobs

        write = exportjobs.write_file

        def slow_write(*args, **kwargs):
            # A large export's job claimed (running), before its file is written.
            if _armed("FAULT_SLOW_EXPORT"):
                time.sleep(120)
            return write(*args, **kwargs)

        exportjobs.write_file = slow_write


_install()
