"""One scale's measurements, in-process against the database in DATABASE_URL:
`python -m bench.measure --out FILE [--reminders] [--session] [--cold]` under bench.settings.
Writes JSON: each page's query count, the yearly county report's generation time, and
optionally the 10,000-reminder fan-out, the loaded pages' times on a cache miss (cold) and a
session cookie for the load test. `--cold-only` measures only the cold pages (against a
database kept by `BENCH_KEEP=1`, to compare two versions of the code quickly)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from core.cache import bump_data_version  # noqa: E402
from counties.scoping import county_scope, every_county  # noqa: E402
from notifications.constants import Kind  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.services import Message, notifications_send  # noqa: E402
from reports.constants import PeriodKind, ReportState  # noqa: E402
from reports.models import RollupReport  # noqa: E402
from reports.services import report_generate, report_request  # noqa: E402
from zones.selectors import today  # noqa: E402

from .pages import count_queries, personas, session_cookie  # noqa: E402

REMINDERS = 10_000
# The pages of the load test, timed in-process on a cache miss (issue 14).
COLD_PAGES = [
    ("bare page", "/bench/bare/"),
    ("county dashboard", "/dashboard/"),
    ("compliance grid", "/activities/grid/"),
    ("activity ledger", "/activities/ledger/"),
]
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "15"))


def yearly_report(staff) -> dict:
    """Request and generate the county's roll-up report of last year, as the daily job would."""
    day = datetime.date(today().year - 1, 7, 1)
    started = time.perf_counter()
    with transaction.atomic():
        report = report_request(kind=PeriodKind.YEAR, day=day, zone=None, by=staff)
    requested = time.perf_counter()
    report_generate(report_id=report.pk)
    finished = time.perf_counter()
    report.refresh_from_db()
    return {
        "year": day.year,
        "state": report.state,
        "ok": report.state == ReportState.READY,
        "request_s": round(requested - started, 3),
        "generate_s": round(finished - requested, 3),
        "total_s": round(finished - started, 3),
    }


def reminders() -> dict:
    """Fan out 10,000 reminders to the existing accounts, then the same 10,000 again."""
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True))
    messages = [
        Message(
            recipient_id=users[i % len(users)],
            kind=Kind.HOST_UPCOMING,
            subject=f"bench:{i}",
            period="bench",
            title="轮值提醒（基准测试）",
            url="/my-work/",
        )
        for i in range(REMINDERS)
    ]
    before = Notification.objects.count()
    started = time.perf_counter()
    first = notifications_send(messages)
    elapsed = time.perf_counter() - started
    after_first = Notification.objects.count()
    started = time.perf_counter()
    second = notifications_send(messages)
    elapsed_second = time.perf_counter() - started
    after_second = Notification.objects.count()
    return {
        "messages": REMINDERS,
        "recipients": len(set(users[: min(len(users), REMINDERS)])),
        "first_run_s": round(elapsed, 3),
        "first_run_created": len(first),
        "first_run_rows_added": after_first - before,
        "second_run_s": round(elapsed_second, 3),
        "second_run_created": len(second),
        "second_run_rows_added": after_second - after_first,
    }


def cold_pages(staff, rounds: int = COLD_ROUNDS) -> dict:
    """Each loaded page's time on a cache miss and on the hit after it, as staff, in-process
    (the test client, the whole middleware stack). Before every cold request the data version
    is bumped, as any saved record does, so the page's cached body and figures are computed
    afresh; the next request of the same page is the warm one. The pages take turns round by
    round, so a neighbour's load on the CPU falls on all of them alike; the medians and their
    ratios to the bare page's (measured in the same rounds) are what to compare."""
    client = Client()
    client.force_login(staff)
    for _name, url in COLD_PAGES:  # warm-up: templates, translations, connections
        client.get(url)
        client.get(url)
    times: dict[str, dict[str, list[float]]] = {n: {"cold": [], "warm": []} for n, _u in COLD_PAGES}
    for _round in range(rounds):
        for name, url in COLD_PAGES:
            bump_data_version()
            started = time.perf_counter()
            response = client.get(url)
            cold = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code} to the cold bench")
            started = time.perf_counter()
            client.get(url)
            warm = time.perf_counter() - started
            times[name]["cold"].append(cold * 1000)
            times[name]["warm"].append(warm * 1000)
    bare = {k: statistics.median(v) for k, v in times["bare page"].items()}
    out = {}
    for name, url in COLD_PAGES:
        row: dict = {"url": url, "rounds": rounds}
        for kind in ("cold", "warm"):
            median = statistics.median(times[name][kind])
            row[f"{kind}_ms"] = round(median, 1)
            row[f"{kind}_min_ms"] = round(min(times[name][kind]), 1)
            row[f"{kind}_ratio"] = round(median / bare[kind], 2)
        out[name] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--reminders", action="store_true")
    parser.add_argument("--session", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--cold-only", action="store_true")
    args = parser.parse_args()
    cache.clear()  # the bench's own cache: nothing from an earlier run's databases
    # The whole city's records (each request runs in its reader's scope all the same); the
    # yearly report is county 1's, in its scope.
    with every_county():
        who = personas()
        if args.cold_only:
            with open(args.out, "w", encoding="utf-8") as f:
                json.dump({"cold": cold_pages(who.staff)}, f, ensure_ascii=False, indent=1)
            return
        out = {"pages": count_queries(who)}
        with county_scope(who.staff.county_id):
            out["yearly_report"] = yearly_report(who.staff)
        if args.cold:
            out["cold"] = cold_pages(who.staff)
        if args.reminders:
            out["reminders"] = reminders()
        if args.session:
            out["session"] = session_cookie(who.staff)
            out["sessions"] = {"staff": out["session"], "city": session_cookie(who.city)}
        out["reports_in_db"] = RollupReport.objects.count()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
