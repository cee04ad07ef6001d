import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import loadgen
from counties.scoping import every_county


def analyze() -> None:
    """Statistics for the planner (issue 20): fresh tables have none until autovacuum gets to
    them, and the pages were measured against plans made without them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Build a city of N counties, each like the demo county (ten zones numbered 1-10, 90 "
        "units, its own staff, leaders and secretaries, five years of history), in an empty "
        "database, for benchmarks. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=f"How many counties (default 1, at most {loadgen.MAX_SCALE}).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--years", type=int, default=5, help="Years of history ending today (default 5)."
        )
        parser.add_argument(
            "--no-extras",
            action="store_true",
            help="Leave out the audit events, history rows and the three new mechanisms' "
            "records (issue 20): the organization and its zones' history only.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the organization, its records and the generated accounts first.",
        )

    def handle(self, *args, **options):
        with every_county():  # the whole deployment's records
            self._handle(*args, **options)

    def _handle(self, *args, scale, seed, years, reset, no_extras=False, **options):
        if scale < 1 or years < 1:
            raise CommandError("--scale and --years must be at least 1.")
        if scale > loadgen.MAX_SCALE:
            raise CommandError(
                f"--scale is at most {loadgen.MAX_SCALE}: the counties of one city have two-digit "
                "codes (GB/T 2260)."
            )
        started = time.perf_counter()
        if not loadgen.database_is_empty():
            if not reset:
                raise CommandError(
                    "The database already has zones: generate_load builds from scratch. "
                    "Use an empty database, or --reset to delete the existing organization "
                    "and its records first."
                )
            loadgen.reset()
        result = loadgen.generate(scale=scale, seed=seed, years=years, extras=not no_extras)
        analyze()
        elapsed = time.perf_counter() - started
        for name, count in result.counts.items():
            self.stdout.write(f"{name:>16}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {scale} (seed {seed}): {scale} counties ({', '.join(result.county_codes)}) "
                f"generated in {elapsed:.1f} s; sign in as {result.city_username} (the city), "
                f"{result.staff_username} (county {result.county_codes[0]}; each county's staff "
                f"is gen_staff_<code>) or {result.secretary_username} "
                f"(password {loadgen.DEMO_PASSWORD})."
            )
        )
