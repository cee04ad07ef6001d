import time

from django.core.management.base import BaseCommand, CommandError

from bench import loadgen
from counties.scoping import every_county


class Command(BaseCommand):
    help = (
        "Build N times the demo county (N×10 zones, N×90 units, five years of history) in an "
        "empty database, for benchmarks. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="How many counties (default 1).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--years", type=int, default=5, help="Years of history ending today (default 5)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the organization, its records and the generated accounts first.",
        )

    def handle(self, *args, **options):
        with every_county():  # the whole deployment's records
            self._handle(*args, **options)

    def _handle(self, *args, scale, seed, years, reset, **options):
        if scale < 1 or years < 1:
            raise CommandError("--scale and --years must be at least 1.")
        started = time.perf_counter()
        if not loadgen.database_is_empty():
            if not reset:
                raise CommandError(
                    "The database already has zones: generate_load builds from scratch. "
                    "Use an empty database, or --reset to delete the existing organization "
                    "and its records first."
                )
            loadgen.reset()
        result = loadgen.generate(scale=scale, seed=seed, years=years)
        elapsed = time.perf_counter() - started
        for name, count in result.counts.items():
            self.stdout.write(f"{name:>16}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {scale} (seed {seed}) generated in {elapsed:.1f} s; sign in as "
                f"{result.staff_username} or {result.secretary_username} "
                f"(password {loadgen.DEMO_PASSWORD})."
            )
        )
