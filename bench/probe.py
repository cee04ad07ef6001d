"""Counts of the shared cache's page and figure reads in a gunicorn worker (issue 20's hit rate),
under the bench settings only: `core.cache.cached` asks `_ask(f"{key} computed afresh", "get",
…)` for every cached value; wrapped here, a hit is a value found, a miss one computed. The
bench's `/bench/cache-stats/` answers this worker's pid and counts (`?reset=1` zeroes them)."""

from __future__ import annotations

import json
import os

from django.http import HttpResponse

from core import cache as portal_cache

COUNTS = {"hits": 0, "misses": 0}
_original = portal_cache._ask


def _counting_ask(what, method, *args, **kwargs):
    value = _original(what, method, *args, **kwargs)
    if method == "get" and what.endswith(" computed afresh"):
        COUNTS["hits" if value is not None else "misses"] += 1
    return value


portal_cache._ask = _counting_ask


def cache_stats(request):
    if request.GET.get("reset"):
        COUNTS.update(hits=0, misses=0)
    return HttpResponse(json.dumps({"pid": os.getpid(), **COUNTS}), content_type="application/json")
