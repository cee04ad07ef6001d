"""One page on a cache miss, profiled (issue 20): `python -m bench.profile_page "<page>"
[rounds] [--sql]` under bench.settings, against the generated database in DATABASE_URL; page
names as in bench.pages (PAGES, NEW_PAGES, HEAVY_PAGES). Prints the page's and the bare page's median cold
time (interleaved, the data version bumped before each request, as bench.measure does), their
ratio, the query count and SQL time, optionally every query, and cProfile's top functions by
cumulative and own time over five more cold requests."""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if not os.environ.get("REDIS_URL"):
    # the file cache lists its whole folder on every write: a folder of its own, empty, so
    # that two trees compared in turn pay the same (a tree's var/cache grows with its runs)
    import tempfile

    os.environ.setdefault("CACHE_DIR", tempfile.mkdtemp(prefix="profile-page-cache-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.cache import bump_data_version  # noqa: E402
from counties.scoping import every_county  # noqa: E402

from .pages import HEAVY_PAGES, NEW_PAGES, PAGES, clients_of, page_url, personas  # noqa: E402


def main(argv: list[str]) -> None:
    name = argv[0]
    rounds = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 15
    with every_county():
        who = personas()
        pattern, persona = next((p, s) for n, p, s in PAGES + NEW_PAGES + HEAVY_PAGES if n == name)
        url = page_url(pattern, who)
    clients = clients_of(who)
    page, bare = clients[persona], clients["staff"]
    for _ in range(3):  # warm: imports, connections, the reader's menu and scope
        page.get(url)
        bare.get("/bench/bare/")
    page_times, bare_times, sql_times = [], [], []
    captured: list[dict] = []
    for _ in range(rounds):
        bump_data_version()
        started = time.perf_counter()
        bare.get("/bench/bare/")
        bare_times.append(time.perf_counter() - started)
        bump_data_version()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = page.get(url)
        page_times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        captured = queries.captured_queries
        sql_times.append(sum(float(q["time"]) for q in captured))
    cold, base = statistics.median(page_times) * 1000, statistics.median(bare_times) * 1000
    print(
        f"{name} {url}: cold p50 {cold:.1f} ms, bare {base:.1f} ms, ratio {cold / base:.2f}; "
        f"{len(captured)} queries, SQL {statistics.median(sql_times) * 1000:.1f} ms"
    )
    if "--sql" in argv:
        for q in captured:
            print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    profile = cProfile.Profile()
    for _ in range(5):
        bump_data_version()
        profile.enable()
        page.get(url)
        profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main(sys.argv[1:])
