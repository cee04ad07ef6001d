"""Issue 14: what each hand-rendered piece saves on a cache miss, against the template it
replaces, on the same data: `python -m bench.layers` under bench.settings with the DATABASE_URL
of a database kept by `BENCH_KEEP=1 make bench` (scale 20). The two ways take turns N times
(`N`, default 30); prints the medians. docs/performance.md, "Speed layers (issue 14)"."""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django import forms  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from activities import selectors  # noqa: E402
from activities.templatetags.activities_tags import grid_row_cells, ledger_rows  # noqa: E402
from activities.views import LEDGER_ROW_FIELDS, _zone_choices  # noqa: E402
from core.widgets import FastSelect  # noqa: E402
from zones.selectors import today  # noqa: E402


def main() -> None:
    rounds = int(os.environ.get("N", "30"))
    translation.activate("zh-hans")
    rows = selectors.grid_page(year=today().year, query="", page="1")["grid"].rows
    zone_url = reverse("activities:zone")
    page = list(selectors.ledger_queryset().only(*LEDGER_ROW_FIELDS)[:25])
    detail = reverse("activities:detail", args=[0])
    choices = _zone_choices()
    cases = {
        "grid cells, 10 zones: tag": lambda: [grid_row_cells(r, zone_url) for r in rows],
        "grid cells, 10 zones: template": lambda: [
            render_to_string("activities/_grid_row_cells.html", {"row": r, "zone_url": zone_url})
            for r in rows
        ],
        "ledger rows, 25: tag": lambda: ledger_rows(page, detail),
        "ledger rows, 25: template": lambda: render_to_string(
            "activities/_ledger_rows.html", {"page": page}
        ),
        f"zone select, {len(choices)}: FastSelect": lambda: FastSelect(choices=choices).render(
            "zone", "", attrs={"id": "id_zone"}
        ),
        f"zone select, {len(choices)}: Django's Select": lambda: forms.Select(
            choices=choices
        ).render("zone", "", attrs={"id": "id_zone"}),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for compute in cases.values():  # warm-up: templates compiled, translations loaded
        compute()
    for _round in range(rounds):
        for name, compute in cases.items():
            started = time.perf_counter()
            compute()
            times[name].append((time.perf_counter() - started) * 1000)
    for name, values in times.items():
        print(f"{name:<36} median {statistics.median(values):7.2f} ms")


if __name__ == "__main__":
    main()
