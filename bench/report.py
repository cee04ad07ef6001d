"""Issue 20's tables in Markdown from bench/results.json: `python -m bench.report` (what
docs/performance.md's "make bench grows" section quotes)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.mix import MIN_SAMPLES

RESULTS = Path(__file__).resolve().parent / "results.json"


def _f(value, suffix: str = "") -> str:
    return "—" if value is None else f"{value}{suffix}"


def _n(requests) -> str:
    """The mix's request count of a page, and whether its p95 counts (bench.mix.MIN_SAMPLES)."""
    if requests is None:
        return ""
    return f" ({requests})" if requests >= MIN_SAMPLES else f" ({requests}: too few)"


def main() -> None:
    r = json.loads(RESULTS.read_text(encoding="utf-8"))
    m = r["machine"]
    out = [
        f"Commit `{r.get('commit')}`, `{r.get('command')}`; {m['cores']} cores, "
        f"{m['memory_gb']} GB, {m['cpu']}, Python {m['python']}; whole run {r['elapsed_s']} s.",
        "",
        f"- uptime before: `{r.get('uptime_before')}`",
        f"- uptime after: `{r.get('uptime_after')}`",
        "",
        "| page | cold ms s1 | cold ms s20 | cold p50 ÷ bare, s1 | s20 | growth s1 → s20 "
        "| mix p95 ÷ bare (s20), requests |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    bare1 = r["scales"]["1"]["every_page_cold"]["bare page"]["cold_ms"]
    bare20 = r["scales"]["20"]["every_page_cold"]["bare page"]["cold_ms"]
    out.append(f"| bare page | {bare1} | {bare20} | 1 | 1 | — | 1 |")
    for name, row in r["issue20_table"].items():
        growth = _f(row["growth"], "×")
        out.append(
            f"| {name} | {_f(row['cold_ms_s1'])} | {row['cold_ms_s20']} | "
            f"{_f(row['cold_ratio_s1'], '×')} | {row['cold_ratio_s20']}× | {growth} | "
            f"{_f(row['mix_p95_ratio'], '×')}{_n(row.get('mix_requests'))} |"
        )
    i20 = r.get("issue20") or {}
    if i20:
        mix, closed, burst = i20["mix"], i20["closed"], i20["burst"]
        out += [
            "",
            f"Business-hours mix at scale 20: {mix['users']} users, think time 2–8 s, "
            f"{mix['seconds']} s, {mix['writes']} writes ({mix['writes_per_s']}/s: "
            f"{mix['write_kinds']}), cached values' hit rate **{mix['cache']['hit_rate']}** "
            f"({mix['cache']['hits']} hits, {mix['cache']['misses']} misses in "
            f"{mix['cache']['workers']} workers).",
            "",
            "| page (mix) | requests | non-200 | p50 ms | p95 ms | p99 ms | p95 ÷ bare |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in mix["pages"].items():
            out.append(
                f"| {name} | {row['requests']} | {row['non_200']} | {_f(row['p50_ms'])} | "
                f"{_f(row['p95_ms'])} | {_f(row['p99_ms'])} | {_f(row['p95_ratio'], '×')} |"
            )
        out += [
            "",
            f"Closed loop ({closed['users']} users, no think time, {closed['seconds']} s each): "
            f"the mix {closed['mix_rps']} requests/s, the bare page {closed['bare_rps']}: "
            f"capacity **{closed['capacity_ratio']}** of the bare page's.",
            "",
            f"Burst: {burst['villagers']} villagers over {burst['seconds']} s ({burst['posts']}).",
            "",
            "| page (burst) | requests | non-200 | p50 ms | p95 ms | p50 ÷ bare | p95 ÷ bare |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in burst["pages"].items():
            out.append(
                f"| {name} | {row['requests']} | {row['non_200']} | {_f(row['p50_ms'])} | "
                f"{_f(row['p95_ms'])} | {_f(row['p50_ratio'], '×')} | "
                f"{_f(row['p95_ratio'], '×')} |"
            )
    exports = r.get("exports") or {}
    if exports:
        out += [
            "",
            f"Exports (bench.exports, scale 20): `{json.dumps(exports, ensure_ascii=False)}`",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
