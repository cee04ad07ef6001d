"""Issue 20's load against gunicorn: the business-hours mix, its closed-loop capacity against
the bare page's, and a burst on the public wish intake. A Python driver (threads, http.client,
keep-alive where the server keeps the connection), run by bench.run in a process of its own
under bench.settings with the database and cache gunicorn uses, so its writer saves records
the way the services do and moves the same data versions.

- **Mix** (`mix`): each signed-in user (distinct accounts of every persona: every county's
  staff, county 1's leaders and secretaries, the city staff) reads one of its pages (a
  county's staff its own county's), pauses 2–8 s, reads another… for 150 s
  (`BENCH_MIX_SECONDS`); a page's p95 counts from `MIN_SAMPLES` requests; one request in
  eight is the bare page, so the floor is measured in the same load. A writer saves a record every 1/0.7 s on average (Poisson):
  a finding's update, an activity's, a sign-in (last sign-in time and its audit line), a
  wish's step; each save bumps its county's data version as a real one does. Per page:
  p50/p95/p99 and the ratio of its p95 to the bare page's; the hit rate of the cached values
  (bench.probe's counts in every worker).
- **Closed loop** (`closed`): the same users with no pause, the mix's pages, then the bare
  page alone with as many users: the requests a second of each and their ratio.
- **Burst** (`burst`): villagers arriving at random over a minute (`BENCH_BURST_SECONDS`),
  each opening their group's link (GET of the intake page), a quarter of them sending a wish
  (`BENCH_SEND_SHARE`: the form posted with its CSRF token, from the villager's own address —
  X-Forwarded-For, which bench.settings trusts as one proxy's, as a deployment behind nginx
  does — and own phone, so the real rate limits and captcha rule apply per villager), one in
  three the status page; a signed-in user reads the bare page meanwhile."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import threading
import time
import urllib.parse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

# (page names of bench.pages) each persona reads in the mix. A county's staff reads every page
# of its own county (bench.measure.mix_personas gives each staff session its county's URLs,
# only for the mechanisms the county runs); a leader guides two zones and a secretary sees its
# own unit, zone and team: the first run (docs/performance.md) had them read county 1's zone 1,
# its lead unit and team 1, which answered 404 to most of them; their own pages are in "my work".
READS = {
    "leader": ["county dashboard", "compliance grid", "rectification ledger", "report list",
               "six classrooms", "micro-wishes"],
    "secretary": ["my work", "compliance grid", "rectification ledger",
                  "member register of a unit", "service teams", "study sessions"],
    "city": ["city dashboard"],
}  # fmt: skip
# A page's p95 is judged from this many requests in the mix at least (bench.run's verdict).
MIN_SAMPLES = 20
BARE = "/bench/bare/"
SEND_SHARE = float(os.environ.get("BENCH_SEND_SHARE", "0.25"))


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


class Agent:
    """One HTTP/1.1 connection, re-opened when the server closes it (gunicorn's sync workers
    close after each response)."""

    def __init__(self, port: int, cookie: str | None):
        self.port, self.cookie, self.conn = port, cookie, None

    def get(self, path: str) -> tuple[int, float]:
        headers = {"Cookie": f"sessionid={self.cookie}"} if self.cookie else {}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    return 0, (time.perf_counter() - started) * 1000
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.getheader("Connection", "").lower() == "close" or response.will_close:
                self.conn.close()
                self.conn = None
            return response.status, elapsed
        return 0, 0.0

    def send_wish(self, path: str, n: int) -> tuple[int, float, float]:
        """A villager sending a wish from the group's page: the page (its CSRF cookie and
        field), then the form posted from the villager's own address (X-Forwarded-For, which
        bench.settings trusts as one proxy's) and phone. The status (302 to the ticket page
        when the wish is received) and both times in ms."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 or 1}"
        try:
            started = time.perf_counter()
            conn.request("GET", path, headers={"X-Forwarded-For": address})
            page = conn.getresponse()
            html = page.read().decode("utf-8", "replace")
            got_ms = (time.perf_counter() - started) * 1000
            cookies = page.headers.get_all("Set-Cookie") or []
            csrf = next(
                (
                    c.split(";", 1)[0].split("=", 1)[1]
                    for c in cookies
                    if c.startswith("csrftoken=")
                ),
                "",
            )
            field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": field.group(1) if field else "",
                    "text": f"村道第{n}段被冲毁，希望能修复",
                    "phone": f"139{n:08d}",
                    "consent": "on",
                }
            )
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}",
                    "X-Forwarded-For": address,
                    "Referer": f"http://127.0.0.1:{self.port}{path}",
                },
            )
            sent = conn.getresponse()
            sent.read()
            return sent.status, got_ms, (time.perf_counter() - started) * 1000
        except (http.client.HTTPException, OSError):
            return 0, 0.0, 0.0
        finally:
            conn.close()


def users(spec: dict) -> list[tuple[str, str, dict[str, str]]]:
    """(persona, session cookie, the URLs of the pages it reads by name) of every signed-in
    user of the mix."""
    s, urls = spec["sessions"], spec["urls"]
    out = [("staff", c, own) for c, own in zip(s["staff"], spec["staff_urls"], strict=True)]
    for persona in ("leader", "secretary", "city"):
        reads = {name: urls[name] for name in READS[persona]}
        out += [(persona, c, reads) for c in s[persona]]
    return out


def cache_counts(port: int, reset: bool = False) -> dict:
    """The hit and miss counts summed over the workers (asked until each answered twice)."""
    seen: dict[int, dict] = {}
    for _n in range(40):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/bench/cache-stats/" + ("?reset=1" if reset else ""))
        data = json.loads(conn.getresponse().read())
        conn.close()
        if not reset or data["pid"] not in seen:
            seen[data["pid"]] = data
        if len(seen) >= 2 and _n >= 8:
            break
    return {"workers": len(seen), "hits": sum(d["hits"] for d in seen.values()),
            "misses": sum(d["misses"] for d in seen.values())}  # fmt: skip


def writer(stop: threading.Event, rate: float, rng: random.Random, log: list) -> None:
    """Saves at `rate` a second (Poisson): what the portal's users change during the day."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections
    from django.utils import timezone

    from activities.models import Activity
    from audit.constants import Event, Outcome
    from audit.models import AuditEvent
    from counties.models import County
    from counties.scoping import county_scope
    from supervision.models import Finding
    from wishes.models import Step, Wish

    counties = list(County.objects.order_by("pk").values_list("pk", flat=True))
    User = get_user_model()
    # Poisson arrivals on a schedule: a slow save does not lower the rate (the first run
    # waited after each save and wrote 0.43 a second instead of 0.7).
    due = time.monotonic()
    while True:
        due += rng.expovariate(rate)
        if stop.wait(max(0.0, due - time.monotonic())):
            break
        county = counties[0] if rng.random() < 0.3 else rng.choice(counties)
        kind = rng.choices(["finding", "activity", "sign-in", "wish"], [35, 25, 30, 10])[0]
        started = time.perf_counter()
        try:
            with county_scope(county):
                if kind == "finding":
                    f = Finding.objects.exclude(state="closed").order_by("?").first()
                    if f:
                        f.suggestion = f"限期整改并报送佐证材料（{timezone.now():%H:%M:%S}）"
                        f.save()
                elif kind == "activity":
                    a = Activity.objects.filter(zone__county_id=county).order_by("?").first()
                    if a:
                        a.save()
                elif kind == "sign-in":
                    u = User.objects.filter(county_id=county).order_by("?").first()
                    if u:
                        u.last_login = timezone.now()
                        u.save(update_fields=["last_login"])
                        AuditEvent.objects.create(user_id=u.pk, username=u.username,
                                                  ip="10.0.0.1", event=Event.LOGIN,
                                                  outcome=Outcome.SUCCESS,
                                                  path="/accounts/login/")  # fmt: skip
                else:
                    w = Wish.objects.filter(state="handling").order_by("?").first()
                    if w:
                        Step.objects.create(wish=w, kind="progress", note="正在协调",
                                            on=timezone.localdate())  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - a refused save is counted, the load goes on
            log.append((kind, -1.0, repr(exc)[:200]))
            close_old_connections()
            continue
        log.append((kind, (time.perf_counter() - started) * 1000, ""))


def run_users(port, spec, seconds, think, rng_seed, bare_share=1 / 8, only=None) -> dict:
    stop = time.monotonic() + seconds
    samples: dict[str, list[tuple[int, float]]] = {}
    lock = threading.Lock()

    def user(persona, cookie, urls, seed):
        rng = random.Random(seed)  # noqa: S311 - load, not secrets
        agent = Agent(port, cookie)
        if think:
            time.sleep(rng.uniform(0, think[1]))  # users arrive spread, not at once
        while time.monotonic() < stop:
            if only:
                name, path = only, BARE
            elif rng.random() < bare_share:
                name, path = "bare page", BARE
            else:
                name = rng.choice(sorted(urls))
                path = urls[name]
            status, ms = agent.get(path)
            with lock:
                samples.setdefault(name, []).append((status, ms))
            if think:
                time.sleep(rng.uniform(*think))

    threads = [
        threading.Thread(target=user, args=(p, c, urls, rng_seed + n), daemon=True)
        for n, (p, c, urls) in enumerate(users(spec))
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"elapsed_s": elapsed, "samples": samples, "users": len(threads)}


def summarize(samples: dict, elapsed: float) -> dict:
    out = {}
    for name, rows in sorted(samples.items()):
        ok = [ms for status, ms in rows if status == 200]
        out[name] = {
            "requests": len(rows),
            "non_200": sum(1 for status, _ms in rows if status != 200),
            "rps": round(len(rows) / elapsed, 2),
            "p50_ms": pct(ok, 50),
            "p95_ms": pct(ok, 95),
            "p99_ms": pct(ok, 99),
            "enough_samples": len(ok) >= MIN_SAMPLES,
        }
    bare = out.get("bare page", {})
    for row in out.values():
        for p in ("p50", "p95"):
            b, v = bare.get(f"{p}_ms"), row[f"{p}_ms"]
            row[f"{p}_ratio"] = round(v / b, 2) if b and v else None
    return out


def mix(port, spec, seconds, rate, seed) -> dict:
    rng = random.Random(seed)  # noqa: S311
    cache_counts(port, reset=True)
    stop, log = threading.Event(), []
    w = threading.Thread(target=writer, args=(stop, rate, rng, log), daemon=True)
    w.start()
    result = run_users(port, spec, seconds, (2.0, 8.0), seed)
    stop.set()
    w.join(timeout=30)
    counts = cache_counts(port)
    looked = counts["hits"] + counts["misses"]
    writes = [ms for _k, ms, err in log if not err]
    return {
        "users": result["users"],
        "seconds": round(result["elapsed_s"], 1),
        "think_s": [2, 8],
        "pages": summarize(result["samples"], result["elapsed_s"]),
        "writes": len(writes),
        "writes_per_s": round(len(writes) / result["elapsed_s"], 2),
        "write_errors": [err for _k, _ms, err in log if err][:5],
        "write_kinds": {
            k: sum(1 for x, _m, e in log if x == k and not e)
            for k in ("finding", "activity", "sign-in", "wish")
        },  # fmt: skip
        "cache": {**counts, "hit_rate": round(counts["hits"] / looked, 3) if looked else None},
    }


def closed(port, spec, seconds, seed) -> dict:
    mixed = run_users(port, spec, seconds, None, seed)
    bare = run_users(port, spec, seconds, None, seed, only="bare page")
    total = sum(len(v) for v in mixed["samples"].values()) / mixed["elapsed_s"]
    floor = sum(len(v) for v in bare["samples"].values()) / bare["elapsed_s"]
    return {
        "users": mixed["users"],
        "seconds": seconds,
        "mix_rps": round(total, 1),
        "bare_rps": round(floor, 1),
        "capacity_ratio": round(total / floor, 2) if floor else None,
        "mix_pages": summarize(mixed["samples"], mixed["elapsed_s"]),
    }


def burst(port, spec, seconds, villagers, seed) -> dict:
    rng = random.Random(seed)  # noqa: S311
    intake = f"/wish/{spec['token']}/"
    arrivals = sorted(rng.uniform(0, seconds) for _n in range(villagers))
    samples: dict[str, list[tuple[int, float]]] = {}
    lock = threading.Lock()
    start = time.monotonic()

    def villager(n, at, look, sends):
        time.sleep(max(0.0, start + at - time.monotonic()))
        agent = Agent(port, None)
        if sends:  # opens the page and sends a wish from their own address and phone
            status, got_ms, post_ms = agent.send_wish(intake, n)
            status = 200 if status == 302 else status  # received: redirected to the ticket
            with lock:
                samples.setdefault("wish intake (public)", []).append((200, got_ms))
                samples.setdefault("wish sent (public POST)", []).append((status, post_ms))
            time.sleep(0.5)
        for name, path in ([] if sends else [("wish intake (public)", intake)]) + (
            [("wish status (public)", "/wish/status/")] if look else []
        ):
            status, ms = agent.get(path)
            with lock:
                samples.setdefault(name, []).append((status, ms))
            time.sleep(0.5)

    def floor():
        agent = Agent(port, spec["sessions"]["staff"][0])
        while time.monotonic() < start + seconds:
            status, ms = agent.get(BARE)
            with lock:
                samples.setdefault("bare page", []).append((status, ms))
            time.sleep(0.25)

    # a third look up a ticket's status; a quarter send a wish (SEND_SHARE)
    threads = [
        threading.Thread(
            target=villager,
            args=(n, at, rng.random() < 1 / 3, rng.random() < SEND_SHARE),
            daemon=True,
        )
        for n, at in enumerate(arrivals, start=1)
    ] + [threading.Thread(target=floor, daemon=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return {
        "villagers": villagers,
        "seconds": round(elapsed, 1),
        "posts": (
            "a share of the villagers send a wish, each from its own address "
            "(X-Forwarded-For, one trusted proxy in bench.settings) and phone"
        ),
        "send_share": SEND_SHARE,
        "pages": summarize(samples, elapsed),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", required=True, help="JSON of bench.measure's mix personas")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    mix_s = int(os.environ.get("BENCH_MIX_SECONDS", "150"))
    closed_s = int(os.environ.get("BENCH_CLOSED_SECONDS", "20"))
    burst_s = int(os.environ.get("BENCH_BURST_SECONDS", "60"))
    villagers = int(os.environ.get("BENCH_VILLAGERS", "400"))
    rate = float(os.environ.get("BENCH_WRITES_PER_S", "0.7"))
    out = {"mix": mix(args.port, spec, mix_s, rate, args.seed)}
    print(f"  mix done: {out['mix']['cache']}", flush=True)
    out["closed"] = closed(args.port, spec, closed_s, args.seed)
    print(f"  closed loop: {out['closed']['capacity_ratio']} of the bare page", flush=True)
    out["burst"] = burst(args.port, spec, burst_s, villagers, args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
