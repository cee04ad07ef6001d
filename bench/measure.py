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

from .loadgen import staff_username  # noqa: E402
from .pages import (  # noqa: E402
    CITY_PAGES,
    HEAVY_PAGES,
    NEW_PAGES,
    PAGES,
    clients_of,
    count_queries,
    page_url,
    personas,
    session_cookie,
)

REMINDERS = 10_000
# The pages of the load test, timed in-process on a cache miss (issue 14).
COLD_PAGES = [
    ("bare page", "/bench/bare/"),
    ("county dashboard", "/dashboard/"),
    ("compliance grid", "/activities/grid/"),
    ("activity ledger", "/activities/ledger/"),
]
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "15"))
# Issue 20: every main page on a cache miss, at each scale, interleaved with the bare page.
ALL_COLD_ROUNDS = int(os.environ.get("BENCH_ALL_COLD_ROUNDS", "7"))


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


def every_page_cold(who, rounds: int = ALL_COLD_ROUNDS) -> dict:
    """Issue 20: every main page (bench.pages' PAGES, NEW_PAGES and HEAVY_PAGES, as its
    persona) on a cache miss, the bare page among them, round by round: the deployment's data
    version is bumped before each request, as any saved record does to the cached figures it
    reads. Medians and their ratios to the bare page's of the same rounds. A city page at a
    city of one county (404), a page not built and a persona the database lacks are left
    out."""
    clients = clients_of(who)
    one_county = len({c for c in every_county_ids()}) == 1
    pages = [("bare page", "/bench/bare/", "staff")]
    for name, pattern, persona in PAGES + NEW_PAGES + HEAVY_PAGES:
        url = page_url(pattern, who)
        if url is None or persona not in clients or (name in CITY_PAGES and one_county):
            continue
        pages.append((name, url, persona))
    for _name, url, persona in pages:  # warm-up
        clients[persona].get(url)
    times: dict[str, list[float]] = {name: [] for name, _u, _p in pages}
    for _round in range(rounds):
        for name, url, persona in pages:
            bump_data_version()
            started = time.perf_counter()
            response = clients[persona].get(url)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code} to the cold bench")
            times[name].append(elapsed * 1000)
    bare = statistics.median(times["bare page"])
    return {
        name: {
            "url": url,
            "persona": persona,
            "rounds": rounds,
            "cold_ms": round(statistics.median(times[name]), 1),
            "cold_min_ms": round(min(times[name]), 1),
            "cold_ratio": round(statistics.median(times[name]) / bare, 2),
        }
        for name, url, persona in pages
    }


# The pages a county's staff reads only where the county runs their mechanism.
PAGE_MECHANISM = {
    "service teams": "teams", "team page": "teams",
    "six classrooms": "education", "study sessions": "education",
    "micro-wishes": "wishes", "wish page": "wishes",
}  # fmt: skip


def mix_personas(who) -> dict:
    """Issue 20's business-hours mix: signed-in sessions of many distinct users of every
    persona (every county's two staff, county 1's leaders and secretaries, the city staff) and
    the URLs each reads; the public wish pages' URLs. Each county's staff reads its own
    county's zone, unit, person, activity, team and wish pages, and the pages of the
    mechanisms its county runs (`staff_urls`, in the order of the staff sessions): the first
    mix had one county's staff read every page, so a page like the team page had one or two
    samples and its p95 was its slowest request."""
    from django.contrib.auth import get_user_model

    from core.constants import Role
    from counties.models import County
    from zones.models import UnitPost

    users = get_user_model().objects
    first = who.staff.county_id
    sessions: dict[str, list[str]] = {}
    counties = [who.staff.county] + list(
        County.objects.exclude(pk=first).prefetch_related("mechanisms").order_by("code")
    )
    staff_urls = []
    staff = []
    second = {u.username: u for u in users.filter(username__endswith="_2", role=Role.STAFF)}
    for county in counties:
        own = who if county.pk == first else personas(county.code)
        urls = {
            name: page_url(pattern, own)
            for name, pattern, persona in PAGES + NEW_PAGES
            if persona == "staff"
            and (name not in PAGE_MECHANISM or county.runs(PAGE_MECHANISM[name]))
        }
        urls = {name: url for name, url in urls.items() if url and "/0/" not in url}
        for user in (own.staff, second.get(staff_username(county.code, 2))):
            if user is not None:  # a database generated before the second staff: one
                staff.append(user)
                staff_urls.append(urls)
    chosen = {
        "staff": staff,
        "leader": list(users.filter(role=Role.LEADER, county_id=first).order_by("pk")[:5]),
        "secretary": [p.user for p in UnitPost.objects.filter(unit__county_id=first)
                      .select_related("user").order_by("pk")[:16]],
        "city": [who.city],
    }  # fmt: skip
    for persona, people in chosen.items():
        sessions[persona] = [session_cookie(user) for user in people]
    urls = {name: page_url(pattern, who) for name, pattern, _p in PAGES + NEW_PAGES}
    return {
        "sessions": sessions,
        "urls": urls,
        "staff_urls": staff_urls,
        "token": who.token,
        "wish_id": who.wish_id,
    }


def every_county_ids() -> list[int]:
    from counties.models import County

    return list(County.objects.values_list("pk", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--reminders", action="store_true")
    parser.add_argument("--session", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--cold-only", action="store_true")
    parser.add_argument("--every-page", action="store_true", help="every page cold (issue 20)")
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
        out = {"pages": count_queries(who, PAGES + NEW_PAGES + HEAVY_PAGES)}
        with county_scope(who.staff.county_id):
            out["yearly_report"] = yearly_report(who.staff)
        if args.cold:
            out["cold"] = cold_pages(who.staff)
        if args.every_page:
            out["every_page_cold"] = every_page_cold(who)
        if args.reminders:
            out["reminders"] = reminders()
        if args.session:
            out["session"] = session_cookie(who.staff)
            out["sessions"] = {"staff": out["session"], "city": session_cookie(who.city)}
            out["mix"] = mix_personas(who)
        out["reports_in_db"] = RollupReport.objects.count()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
