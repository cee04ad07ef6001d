"""The large exports' cost in a web worker (issue 20): `python -m bench.exports [--who city]`
under bench.settings, against the database in DATABASE_URL (one `generate_load`-ed city).
Each export is downloaded in a fresh process, as a worker that serves it first would: the
wall time of the request, the peak RSS it added (ru_maxrss) and the RSS the process keeps
afterwards, the file's size and rows. Prints JSON; docs/performance.md quotes it.

Past EXPORT_WORKER_ROWS rows (issue 20; `--threshold N` sets it for the run, a huge one gives
the direct download of before) the request answers with a redirect to an export job: then
`seconds` is the time the request held the web worker, and `worker_seconds` /
`worker_peak_added_mb` what the job's run cost (run here in the same process, as the Celery
worker would), `download_seconds` the time serving the written file took."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

EXPORTS = {
    "activity ledger": "/activities/ledger.xlsx",
    "rectification ledger": "/supervision/findings/export.xlsx",
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def one(name: str, who: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client
    from django.urls import resolve

    from counties.scoping import every_county

    from .pages import personas

    with every_county():
        people = personas()
    client = Client()
    client.force_login(people.city if who == "city" else people.staff)
    path = EXPORTS[name]
    resolve(path)
    client.get("/bench/bare/")  # the worker's imports and connection, as a warm worker has
    before_rss, before_peak = _rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(path)
    job = {}
    if response.status_code == 302:  # an export job: the worker writes the file
        job["job"] = True
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        from core.exportjobs import job_run
        from core.models import ExportJob

        pk = ExportJob.objects.order_by("-pk").values_list("pk", flat=True).first()
        ran = time.perf_counter()
        job_run(pk)
        job["worker_seconds"] = round(time.perf_counter() - ran, 2)
        job["worker_peak_added_mb"] = round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
        )
        served = time.perf_counter()
        response = client.get(f"/exports/{pk}/download/")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        job["download_seconds"] = round(time.perf_counter() - served, 3)
    else:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import io

    from openpyxl import load_workbook

    rows = sum(1 for _ in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows()) - 1
    return {
        "status": response.status_code,
        "streamed": bool(response.streaming),
        "seconds": round(elapsed, 2),
        "rows": rows,
        "kb": round(len(body) / 1024),
        "rss_before_mb": round(before_rss),
        "peak_added_mb": round((peak - before_peak) / 1024),
        "rss_after_mb": round(_rss_mb()),
        **job,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--who", choices=["staff", "city"], default="staff")
    parser.add_argument("--one")
    parser.add_argument("--threshold", type=int, help="EXPORT_WORKER_ROWS for this run")
    args = parser.parse_args()
    if args.threshold is not None:
        os.environ["EXPORT_WORKER_ROWS"] = str(args.threshold)
    if args.one:
        print(json.dumps(one(args.one, args.who)))
        return
    results = {}
    for name in EXPORTS:
        out = subprocess.run(  # noqa: S603 - this module, our arguments
            [sys.executable, "-m", "bench.exports", "--who", args.who, "--one", name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results[name] = json.loads(out.strip().splitlines()[-1])
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
