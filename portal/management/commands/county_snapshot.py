"""`manage.py county_snapshot --period 2026-H2 [--county 610924] --out FILE`: the signed
snapshot of a county's figures that a county running its own server sends the city
(portal.snapshots), as JSON in FILE and an Excel copy beside it (FILE with .xlsx)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from counties.models import County
from counties.scoping import county_scope
from portal import services, snapshots
from portal.city import period_from_key


class Command(BaseCommand):
    help = "Write the county's signed snapshot of a period for the city (JSON and an Excel copy)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-H2, 2026-Q4, 2026-10 or 2026")
        parser.add_argument(
            "--county",
            help="the county's division code (GB/T 2260); needed only when the server holds several",
        )
        parser.add_argument("--out", required=True, help="the JSON file to write")
        parser.add_argument("--responsible", default="", help="the responsible person (负责人)")
        parser.add_argument("--preparer", default="", help="who prepared it (填报人)")

    def handle(self, *args, period, county, out, responsible, preparer, **options):
        chosen = period_from_key(period)
        if chosen is None:
            raise CommandError(f"{period!r} is not a period (2026-H2, 2026-Q4, 2026-10, 2026).")
        day = timezone.localdate()
        if chosen.start > day:
            raise CommandError(f"{period} has not begun.")
        found = self._county(county)
        try:
            with county_scope(found):  # the command reads the county's records only
                document = services.snapshot_document(
                    county=found,
                    period=chosen,
                    day=day,
                    responsible=responsible.strip(),
                    preparer=preparer.strip(),
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        path = Path(out)
        path.write_bytes(snapshots.dumps(document))
        path.with_suffix(".xlsx").write_bytes(services.snapshot_workbook(document))
        self.stdout.write(f"{found.name} {chosen.key}: {path} and {path.with_suffix('.xlsx')}")

    @staticmethod
    def _county(code: str | None) -> County:
        if code:
            found = County.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"No county has the code {code}.")
            return found
        counties = list(County.objects.order_by("code")[:2])
        if len(counties) != 1:
            raise CommandError("The server holds several counties: name one with --county.")
        return counties[0]
