"""Celery: the schedule that does the chasing (reminders, escalation, digests, roll-up reports).

Broker: Redis at REDIS_URL. Without REDIS_URL (a newcomer's `make run`) kombu's filesystem transport
carries the messages through folders under var/broker, so nothing has to be installed to see
reminders arrive.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("zones_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The filesystem transport needs its folders before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _folders(sender, **kwargs):
    if str(sender.conf.broker_url).startswith("filesystem"):
        ensure_broker_folders()


@worker_ready.connect
def _first_heartbeat(sender, **kwargs):
    # A worker that just started is alive; /healthz need not wait for the first beat tick.
    from notifications.services import heartbeat_beat

    heartbeat_beat("worker")
    # Make up the daily and weekly runs that beat could not deliver while the broker was down
    # or whose worker was killed (notifications.schedule): a worker that starts is the first
    # to know the broker answers again.
    from notifications.schedule import schedule_sweep

    try:
        schedule_sweep()
    except Exception:  # noqa: BLE001 - never keep a worker from starting; beat sweeps too
        logging.getLogger(__name__).exception("schedule sweep at worker start failed")


@beat_init.connect
def _beat_started(sender, **kwargs):
    # django-celery-beat records last_run_at only every few minutes; say at once that beat runs.
    from notifications.services import heartbeat_beat

    heartbeat_beat("beat")
