# ruff: noqa: S603, S607 - a developer script running fixed commands (psql tools, gunicorn, wrk)
"""`make bench`: fresh databases at scale 1 and 20 on the PostgreSQL server of DATABASE_URL,
query counts per page, the loaded pages' times on a cache miss (cold, in-process) at scale 20,
gunicorn + wrk load at scale 20 against the bare page, the yearly report's generation time and
the 10,000-reminder fan-out. Prints a table and writes
bench/results.json."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
SCALES = (1, 20)
SEED = 2026
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 4
# Targets of issue 8.
TARGETS = {"queries": 15, "rps_ratio": 0.40, "p50_ratio": 2.5, "report_s": 2.0, "reminders_s": 10.0}
# (name, path, persona): county 1's pages as its staff; the city dashboard (as the city staff,
# its path from bench.pages) is added when it exists.
LOADED = [
    ("bare page", "/bench/bare/", "staff"),
    ("county dashboard", "/dashboard/", "staff"),
    ("compliance grid", "/activities/grid/", "staff"),
    ("activity ledger", "/activities/ledger/", "staff"),
]
CITY_PAGE = "city dashboard"


def say(text: str) -> None:
    print(text, flush=True)


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "cpu": model.group(1).strip() if model else platform.processor(),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def server(url: str) -> tuple[dict, str]:
    """psql's connection options and a URL maker for databases on the same server."""
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("make bench needs DATABASE_URL pointing at PostgreSQL (postgres://…).")
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", parts.username]
    return {"env": env, "args": args, "parts": parts}, (parts.path.lstrip("/") or "portal")


def db_url(srv: dict, name: str) -> str:
    return urlunparse(srv["parts"]._replace(path=f"/{name}"))


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def fresh_database(srv: dict, name: str) -> None:
    run(["dropdb", *srv["args"], "--if-exists", name], srv["env"])
    run(["createdb", *srv["args"], name], srv["env"])


# The cache of the load test, as in production: Redis (a database of its own, emptied by
# bench.measure) when one answers on 127.0.0.1:6379 and REDIS_URL is not set; otherwise the
# file cache of the settings. Database 13, not 15: the tests' real Celery worker uses 15 as its
# broker and empties it, and a bench run beside a test run must not empty the other's.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# The load test's Celery broker: database 12 (not the tests' 15, nor the cache's 13).
BENCH_BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")


def redis_answers(url: str) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1):
            return True
    except OSError:
        return False


def django_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONWARNINGS="ignore")
    if not env.get("REDIS_URL") and redis_answers(BENCH_REDIS_URL):
        env["REDIS_URL"] = BENCH_REDIS_URL
    elif not env.get("REDIS_URL"):
        env.setdefault("CACHE_DIR", str(ROOT / "var" / "bench-cache"))
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    say("Installing wrk (apt-get install -y wrk)…")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=False)
    found = shutil.which("wrk")
    if not found:
        subprocess.run([*sudo, "apt-get", "update"], check=False)
        subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
        found = shutil.which("wrk")
    return found


def wait_for(port: int, path: str, cookie: str, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookie}"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def wrk(binary: str, port: int, path: str, cookie: str) -> dict:
    out = subprocess.run(
        [
            binary,
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{LOAD_SECONDS}s",
            "--latency",
            "--timeout",
            "60s",
            "-s",
            str(ROOT / "bench" / "latency.lua"),
            "-H",
            f"Cookie: sessionid={cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    return {
        "rps": round(data["rps"], 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "requests": data["requests"],
        "errors": data["errors"],
        "non_2xx": data["non_2xx"],
    }


def exports(url: str) -> dict:
    """h25's bench.exports (each large export in a fresh process: time, memory) at this scale;
    BENCH_EXPORTS=0 leaves it out."""
    if os.environ.get("BENCH_EXPORTS", "1") == "0":
        return {"skipped": "BENCH_EXPORTS=0"}
    say("  exports (bench.exports) …")
    try:
        out = run([PYTHON, "-m", "bench.exports"], django_env(url), capture_output=True, text=True)
        return json.loads(out.stdout[out.stdout.index("{") :])
    except (subprocess.CalledProcessError, ValueError) as exc:
        return {"error": repr(exc)[:300]}


def mix_driver(port: int, url: str, spec: dict, env: dict | None = None) -> dict:
    """Issue 20's business-hours mix, closed loop and wish-intake burst (bench.mix), with the
    web server's environment (its writes publish to the same broker)."""
    with tempfile.TemporaryDirectory() as tmp:
        spec_file, out_file = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        run(
            [PYTHON, "-m", "bench.mix", "--port", str(port), "--spec", str(spec_file)]
            + ["--out", str(out_file), "--seed", str(SEED)],
            env or django_env(url),
        )
        return json.loads(out_file.read_text(encoding="utf-8"))


def load_test(
    url: str, cookies: dict[str, str], city_path: str | None = None, mix_spec: dict | None = None
) -> dict:
    binary = ensure_wrk()
    port = free_port()
    env = django_env(url)
    worker = None
    if redis_answers(BENCH_BROKER_URL):
        # as in production: a Celery worker beside the web workers, on a Redis broker of its
        # own (emptied first), and the city dashboard's recent body served while it renders
        run(["redis-cli", "-u", BENCH_BROKER_URL, "flushdb"], env)
        env.update(BENCH_BROKER_URL=BENCH_BROKER_URL, CITY_BODY_RECENT_SECONDS="10")
        worker = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--concurrency=1"]
            + ["--loglevel=WARNING", "--without-gossip", "--without-mingle", "--hostname=bench@%h"],
            env=env,
            cwd=ROOT,
        )
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        results = {}
        pages = LOADED + ([(CITY_PAGE, city_path, "city")] if city_path else [])
        for name, path, persona in pages:
            cookie = cookies[persona]
            status = wait_for(port, path, cookie)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} to the signed-in load test")
            for _ in range(3):  # warm-up: both workers, their connections and caches
                wait_for(port, path, cookie)
            say(f"  wrk {path} for {LOAD_SECONDS} s …")
            results[name] = {"url": path, "persona": persona, **wrk(binary, port, path, cookie)}
        bare = results["bare page"]
        for name, row in results.items():
            row["rps_ratio"] = round(row["rps"] / bare["rps"], 2) if bare["rps"] else None
            row["p50_ratio"] = round(row["p50_ms"] / bare["p50_ms"], 2) if bare["p50_ms"] else None
            if name != "bare page":
                row["meets_target"] = bool(
                    row["rps_ratio"] is not None
                    and row["rps_ratio"] >= TARGETS["rps_ratio"]
                    and row["p50_ratio"] <= TARGETS["p50_ratio"]
                )
        if mix_spec and os.environ.get("BENCH_MIX", "1") != "0":
            say("  business-hours mix, closed loop, wish-intake burst (bench.mix) …")
            results["issue20"] = mix_driver(port, url, mix_spec, env)
            results["issue20"]["worker"] = worker is not None
        return results
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("make bench needs DATABASE_URL (PostgreSQL), e.g. postgres://postgres@127.0.0.1/x")
    srv, base = server(url)
    started = time.monotonic()
    results: dict = {"machine": machine(), "seed": SEED, "scales": {}, "targets": TARGETS}
    results["command"] = " ".join(["make bench", *(f"{k}={v}" for k, v in knobs().items())])
    results["commit"] = git_commit()
    results["uptime_before"] = uptime()
    results["cache"] = "redis" if "REDIS_URL" in django_env(url) else "files"
    keep = os.environ.get("BENCH_KEEP") == "1"
    names = {scale: f"{base}_bench_s{scale}" for scale in SCALES}
    try:
        for scale in SCALES:
            name = names[scale]
            say(f"Scale {scale}: fresh database {name}, migrate, generate …")
            fresh_database(srv, name)
            env = django_env(db_url(srv, name))
            run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
            t = time.perf_counter()
            generated = run(
                [PYTHON, "manage.py", "generate_load", "--scale", str(scale), "--seed", str(SEED)],
                env,
                capture_output=True,
                text=True,
            ).stdout
            generate_s = time.perf_counter() - t
            counts = dict(
                (k.strip(), int(v))
                for k, v in (
                    line.split(":", 1)
                    for line in generated.splitlines()
                    if re.match(r"\s*\S.*: \d+$", line)
                )
            )
            with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
                last = scale == SCALES[-1]
                flags = ["--every-page"] + (["--reminders", "--session", "--cold"] if last else [])
                run([PYTHON, "-m", "bench.measure", "--out", tmp.name, *flags], env)
                measured = json.loads(Path(tmp.name).read_text())
            results["scales"][str(scale)] = {
                "generate_s": round(generate_s, 1),
                "rows": counts,
                "pages": {
                    k: {
                        x: v[x]
                        for x in (
                            "url",
                            "persona",
                            "status",
                            "queries",
                            "queries_cached",
                            "skipped",
                            "one_county",
                        )
                        if x in v
                    }
                    for k, v in measured["pages"].items()
                },
                "yearly_report": measured["yearly_report"],
                "every_page_cold": measured["every_page_cold"],
            }
            if last:
                results["reminders"] = measured["reminders"]
                results["cold"] = measured["cold"]
                say(f"Scale {scale}: load test with gunicorn (2 workers) and wrk …")
                city_path = measured["pages"].get(CITY_PAGE, {}).get("url")
                if not city_path:
                    say(f"  {CITY_PAGE}: not built yet (its URL name does not resolve): skipped")
                results["load"] = load_test(
                    db_url(srv, name), measured["sessions"], city_path, mix_spec=measured["mix"]
                )
                results["issue20"] = results["load"].pop("issue20", None)
                results["load_scale"] = scale
                results["exports"] = exports(db_url(srv, name))
    finally:
        if not keep:
            for name in names.values():
                subprocess.run(
                    ["dropdb", *srv["args"], "--if-exists", name], env=srv["env"], check=False
                )
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    results["uptime_after"] = uptime()
    results["issue20_table"] = issue20_table(results)
    results["verdict"] = verdict(results)
    (ROOT / "bench" / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print_table(results)


def knobs() -> dict:
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith("BENCH_")}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True)
    return out + ("+uncommitted" if dirty.stdout.strip() else "")


def issue20_table(r: dict) -> dict:
    """Issue 20's table: each page's cold p50 ÷ bare at scale 1 and 20, the growth (the ratio
    of the two ratios, so the machine's load on the day cancels), the cold milliseconds' growth,
    and the mix p95 ÷ bare at scale 20."""
    small = r["scales"]["1"].get("every_page_cold", {})
    large = r["scales"]["20"].get("every_page_cold", {})
    mix = (r.get("issue20") or {}).get("mix", {}).get("pages", {})
    table = {}
    for name, row in large.items():
        if name == "bare page":
            continue
        s1 = small.get(name, {})
        table[name] = {
            "cold_ratio_s1": s1.get("cold_ratio"),
            "cold_ratio_s20": row["cold_ratio"],
            "growth": round(row["cold_ratio"] / s1["cold_ratio"], 2) if s1 else None,
            "cold_ms_s1": s1.get("cold_ms"),
            "cold_ms_s20": row["cold_ms"],
            "mix_p95_ratio": mix.get(name, {}).get("p95_ratio"),
            "mix_requests": mix.get(name, {}).get("requests"),
        }
    return table


def verdict(r: dict) -> dict:
    small, large = r["scales"]["1"], r["scales"]["20"]
    pages = {
        name: (
            small["pages"][name].get("one_county")  # a city of one county has no city pages
            or small["pages"][name]["queries"] == large["pages"][name]["queries"]
        )
        and large["pages"][name]["status"] == 200
        and large["pages"][name]["queries"] <= TARGETS["queries"]
        for name in small["pages"]
        if not small["pages"][name].get("skipped")
    }
    return {
        "queries": pages,
        "load": {k: v.get("meets_target") for k, v in r["load"].items() if k != "bare page"},
        "yearly_report": large["yearly_report"]["total_s"] <= TARGETS["report_s"],
        "reminders": r["reminders"]["first_run_s"] <= TARGETS["reminders_s"]
        and r["reminders"]["first_run_rows_added"] == r["reminders"]["messages"]
        and r["reminders"]["second_run_rows_added"] == 0,
    }


def print_table(r: dict) -> None:
    m = r["machine"]
    say(f"\nMachine: {m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}")
    small, large = r["scales"]["1"], r["scales"]["20"]
    say(f"Generation: scale 1 {small['generate_s']} s, scale 20 {large['generate_s']} s")
    say(f"\n{'page':<22}{'persona':<11}{'q@1':>5}{'q@20':>6}  ok")
    for name, row in small["pages"].items():
        if row.get("skipped"):
            say(f"{name:<22}{row['persona']:<11}{'-':>5}{'-':>6}  skipped (not built yet)")
            continue
        ok = "yes" if r["verdict"]["queries"][name] else "NO"
        small_q = "-" if row.get("one_county") else row["queries"]
        note = " (a city of one county has no city page)" if row.get("one_county") else ""
        say(
            f"{name:<22}{row['persona']:<11}{small_q:>5}{large['pages'][name]['queries']:>6}"
            f"  {ok}{note}"
        )
    say(
        f"\n{'load (scale 20)':<20}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'rps/bare':>9}{'p50/bare':>9}  ok"
    )
    for name, row in r["load"].items():
        ok = "" if name == "bare page" else ("yes" if row["meets_target"] else "NO")
        say(
            f"{name:<20}{row['rps']:>8}{row['p50_ms']:>8}{row['p95_ms']:>8}"
            f"{row['rps_ratio']:>9}{row['p50_ratio']:>9}  {ok}"
        )
    say(
        f"\n{'in-process (scale 20)':<22}{'cold ms':>8}{'cold/bare':>10}{'warm ms':>8}"
        f"{'warm/bare':>10}"
    )
    for name, row in r["cold"].items():
        say(
            f"{name:<22}{row['cold_ms']:>8}{row['cold_ratio']:>10}{row['warm_ms']:>8}"
            f"{row['warm_ratio']:>10}"
        )
    for scale, row in r["scales"].items():
        rep = row["yearly_report"]
        say(
            f"Yearly county report {rep['year']} at scale {scale}: {rep['total_s']} s ({rep['state']})"
        )
    rem = r["reminders"]
    say(
        f"10,000 reminders: {rem['first_run_s']} s, {rem['first_run_rows_added']} written; "
        f"second run {rem['second_run_s']} s, {rem['second_run_rows_added']} written"
    )
    say(f"\n{'issue 20 (cold p50 / bare)':<28}{'s1':>7}{'s20':>7}{'growth':>8}{'mix p95/bare':>13}")
    for name, row in r["issue20_table"].items():
        say(
            f"{name:<28}{row['cold_ratio_s1'] or '-':>7}{row['cold_ratio_s20']:>7}"
            f"{row['growth'] or '-':>8}{row['mix_p95_ratio'] or '-':>13}"
        )
    i20 = r.get("issue20") or {}
    if i20:
        mix, closed = i20["mix"], i20["closed"]
        say(
            f"Mix: {mix['users']} users, {mix['writes_per_s']} writes/s, cache hit rate "
            f"{mix['cache']['hit_rate']}; closed loop {closed['mix_rps']} req/s vs bare "
            f"{closed['bare_rps']}: {closed['capacity_ratio']}"
        )
        for name, row in i20["burst"]["pages"].items():
            say(
                f"Burst {name}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, {row['requests']} requests"
            )
    say(f"Uptime before: {r['uptime_before']}\nUptime after:  {r['uptime_after']}")
    say(f"Whole bench: {r['elapsed_s']} s. Results in bench/results.json")


if __name__ == "__main__":
    main()
