"""The snapshot file a self-hosted county sends the city (`manage.py county_snapshot`): its
format, its checksum, and the checks the city's import makes before anything is stored.

The file is JSON (UTF-8)::

    {
      "format": "county-snapshot", "version": 1,
      "period": "2026-H2",
      "county": {"code": "610924", "name": "紫阳县"},
      "figures": {"zones": {"zone_months": [52, 60], "checks": [18, 20], ...}},
      "generated_at": "2026-12-01T09:00:00+08:00",
      "responsible": "张三", "preparer": "李四",
      "checksum": "<64 hex digits>"
    }

`figures` has the structure the city dashboard reads (portal.city). `checksum` is
HMAC-SHA256, keyed by the county's snapshot key (portal.models.SnapshotKey, which the city
gives the county), over the canonical JSON of every other field: keys sorted, no spaces,
UTF-8 (`canonical`). A file changed after it was signed, or signed with another key, fails.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

from django.utils.translation import gettext as _

from core.periods import Period
from counties.constants import Mechanism

from .city import ZONES_FIGURES, period_from_key

FORMAT = "county-snapshot"
VERSION = 1
MAX_BYTES = 1_000_000
FIELDS = (
    "format",
    "version",
    "period",
    "county",
    "figures",
    "generated_at",
    "responsible",
    "preparer",
)


class SnapshotRefused(ValueError):
    """The file is not imported; the message says why."""


def canonical(document: dict) -> bytes:
    """The bytes the checksum is computed over: every field but the checksum, keys sorted,
    no spaces, UTF-8."""
    body = {k: v for k, v in document.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum(document: dict, key: str) -> str:
    return hmac.new(key.encode(), canonical(document), hashlib.sha256).hexdigest()


def build(
    *,
    county,
    period: Period,
    figures: dict,
    generated_at: datetime.datetime,
    responsible: str,
    preparer: str,
    key: str,
) -> dict:
    """The signed document of `county`'s `figures` for `period`."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "period": period.key,
        "county": {"code": county.code, "name": county.name},
        "figures": figures,
        "generated_at": generated_at.isoformat(),
        "responsible": responsible,
        "preparer": preparer,
    }
    document["checksum"] = checksum(document, key)
    return document


def dumps(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def parse(raw: bytes) -> dict:
    """The document in `raw`, refused (SnapshotRefused) when it is not a snapshot file whose
    every field has its shape. The checksum is checked by `verify`, with the county's key."""
    if len(raw) > MAX_BYTES:
        raise SnapshotRefused(_("The file is too large to be a county snapshot."))
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SnapshotRefused(
            _("The file is damaged: it is not a county snapshot's JSON.")
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SnapshotRefused(_("The file is not a county snapshot."))
    if document.get("version") != VERSION:
        raise SnapshotRefused(_("The snapshot's format version is not one this portal reads."))
    missing = [name for name in (*FIELDS, "checksum") if name not in document]
    if missing:
        raise SnapshotRefused(
            _("The file is damaged: it lacks %(fields)s.") % {"fields": ", ".join(missing)}
        )
    county = document["county"]
    if not (
        isinstance(county, dict)
        and isinstance(county.get("code"), str)
        and isinstance(county.get("name"), str)
    ):
        raise SnapshotRefused(_("The file is damaged: its county is not a code and a name."))
    if period_from_key(document["period"] if isinstance(document["period"], str) else "") is None:
        raise SnapshotRefused(_("The file is damaged: its period is not one the city reads."))
    try:
        datetime.datetime.fromisoformat(str(document["generated_at"]))
    except ValueError:
        raise SnapshotRefused(
            _("The file is damaged: its generation time is not a time.")
        ) from None
    if not all(isinstance(document[n], str) for n in ("responsible", "preparer", "checksum")):
        raise SnapshotRefused(_("The file is damaged: a name or the checksum is not text."))
    if not _figures_have_their_shape(document["figures"]):
        raise SnapshotRefused(
            _("The file is damaged: its figures are not those the city dashboard reads.")
        )
    return document


def _figures_have_their_shape(figures) -> bool:
    if not isinstance(figures, dict) or not set(figures) <= set(Mechanism.values):
        return False
    zones = figures.get(Mechanism.ZONES.value)
    if zones is None:
        return True
    if not isinstance(zones, dict) or set(zones) != set(ZONES_FIGURES):
        return False
    for key, pair in zones.items():
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in pair)
        ):
            return False
        # covered months and rectified findings are some of their denominator (checks and
        # rounds of a month are counted as published in it, of none due)
        if key in ("zone_months", "findings") and pair[0] > pair[1]:
            return False
    return True


def verify(document: dict, key: str) -> None:
    """Refused unless the checksum is the county key's HMAC of the document."""
    if not hmac.compare_digest(checksum(document, key), document["checksum"].lower()):
        raise SnapshotRefused(
            _(
                "The checksum does not match: the file was changed after the county signed it,"
                " or signed with another key."
            )
        )
