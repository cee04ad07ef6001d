"""Circuit breakers in front of Redis: a Redis that hangs (SIGSTOP, a full disk, a network
partition) costs one timeout, not one per call.

A refused connection fails at once, but a frozen server makes every call wait its socket
timeout (1 s for the cache, 2 s for the broker), and a page asks the cache several times. So
after one failure the breaker opens: for `REDIS_BREAKER_SECONDS` every call is skipped at once
(the cache's callers compute afresh; `core.queue.publish` leaves the work in the database's
outbox, which the sweeps publish later). Then the next call probes Redis again: an answer
closes the breaker, another failure opens it for another spell.

One breaker for the cache and one for the broker (they may be different servers), per process
(pybreaker, in memory): each gunicorn worker and each Celery worker learns on its own.
"""

from __future__ import annotations

import logging

import pybreaker
from django.conf import settings
from kombu.exceptions import EncodeError

log = logging.getLogger(__name__)

Skipped = pybreaker.CircuitBreakerError


class _Log(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state) -> None:
        if new_state.name == pybreaker.STATE_OPEN:
            log.warning("%s did not answer: skipped for %s s", cb.name, cb.reset_timeout)
        elif new_state.name == pybreaker.STATE_CLOSED and getattr(old_state, "name", None) in (
            pybreaker.STATE_OPEN,
            pybreaker.STATE_HALF_OPEN,
        ):
            log.warning("%s answers again", cb.name)


def _breaker(name: str, exclude=()) -> pybreaker.CircuitBreaker:
    return pybreaker.CircuitBreaker(
        fail_max=1,
        reset_timeout=getattr(settings, "REDIS_BREAKER_SECONDS", 5),
        exclude=list(exclude),
        listeners=[_Log()],
        name=name,
        # The call that trips the breaker raises its own error (a timeout), so the log says why.
        throw_new_error_on_trip=False,
    )


cache_breaker = _breaker("Redis (cache)")
# A message that cannot be serialized is a bug in the caller, not a sign that Redis hangs.
broker_breaker = _breaker("Redis (broker)", exclude=[EncodeError])
BREAKERS = (cache_breaker, broker_breaker)


def breakers_reset() -> None:
    """Close every breaker (tests, and a process that knows Redis is back)."""
    for breaker in BREAKERS:
        breaker.close()
