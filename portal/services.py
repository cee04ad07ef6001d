"""Writes of the city's pages: the snapshots a self-hosted county sends (portal.snapshots),
their import by the city, their return for correction, and the county's snapshot key."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.constants import Event, Outcome
from audit.services import audit_record
from core.excel import Sheet, xlsx_bytes
from core.periods import Period
from counties.constants import Mechanism
from counties.models import County

from . import snapshots
from .city import FIGURE_LABELS, ZONES_FIGURES, county_figures
from .models import CountySnapshot, SnapshotKey, SnapshotState


def snapshot_key_create(*, county: County) -> SnapshotKey:
    """A new key for `county` (replacing its old one): the city gives it to the county, whose
    snapshots are from then on signed with it."""
    key, _created = SnapshotKey.objects.update_or_create(
        county=county, defaults={"key": secrets.token_hex(32)}
    )
    return key


def snapshot_document(
    *,
    county: County,
    period: Period,
    day: datetime.date,
    responsible: str = "",
    preparer: str = "",
    now: datetime.datetime | None = None,
) -> dict:
    """`county`'s signed snapshot of `period` as of `day`, with the figures the city dashboard
    reads. Refused when the county has no snapshot key (the city gives it)."""
    key = SnapshotKey.objects.filter(county=county).values_list("key", flat=True).first()
    if not key:
        raise ValidationError(
            _("The county has no snapshot key: enter the one the city gave it (系统管理).")
        )
    figures = county_figures(counties=[county], period=period, day=day)[county.pk]
    return snapshots.build(
        county=county,
        period=period,
        figures=figures,
        generated_at=now or timezone.localtime(),
        responsible=responsible,
        preparer=preparer,
        key=key,
    )


def snapshot_workbook(document: dict) -> bytes:
    """The Excel copy of a snapshot: the county, the period, who signed it, and each figure
    with its denominator (the JSON file is the one the city imports)."""
    about = [
        (_("County"), f"{document['county']['name']} ({document['county']['code']})"),
        (_("Period"), document["period"]),
        (_("Generated at"), document["generated_at"]),
        (_("Responsible person"), document["responsible"]),
        (_("Prepared by"), document["preparer"]),
        (_("Checksum"), document["checksum"]),
    ]
    rows = []
    for mechanism, figures in document["figures"].items():
        for key in ZONES_FIGURES:
            if key in figures:
                numerator, denominator = figures[key]
                rows.append(
                    [
                        str(Mechanism(mechanism).label),
                        str(FIGURE_LABELS[key]),
                        numerator,
                        denominator,
                    ]
                )
    return xlsx_bytes(
        [
            Sheet(_("Snapshot"), [_("Item"), _("Value")], about),
            Sheet(_("Figures"), [_("Mechanism"), _("Figure"), _("Count"), _("Out of")], rows),
        ]
    )


def snapshot_import(*, raw: bytes, period: str, by, request=None) -> CountySnapshot:
    """Import a county's snapshot file for `period` (the key the city chose): refused, with the
    reason and nothing stored, when the file is damaged, of another period, of a county the
    city does not have or whose name does not match, of a county the city gave no key, signed
    with another key or changed since (the checksum), or when the county's snapshot of the
    period is already imported (return it for correction first). A snapshot imported after a
    returned one supersedes it; the returned one stays in the history."""
    try:
        document = snapshots.parse(raw)
        if document["period"] != period:
            raise snapshots.SnapshotRefused(
                _("The file is the snapshot of %(file)s, not of %(chosen)s.")
                % {"file": document["period"], "chosen": period}
            )
        code = document["county"]["code"]
        county = County.objects.filter(code=code).first()
        if county is None:
            raise snapshots.SnapshotRefused(
                _("The city has no county with the code %(code)s.") % {"code": code}
            )
        if document["county"]["name"] != county.name:
            raise snapshots.SnapshotRefused(
                _("The file names the county %(file)s, but %(code)s is %(name)s here.")
                % {"file": document["county"]["name"], "code": code, "name": county.name}
            )
        key = SnapshotKey.objects.filter(county=county).values_list("key", flat=True).first()
        if not key:
            raise snapshots.SnapshotRefused(
                _("%(county)s has no snapshot key: its figures are hosted here, not sent.")
                % {"county": county.name}
            )
        snapshots.verify(document, key)
        if CountySnapshot.objects.filter(
            county=county, period=period, state=SnapshotState.CURRENT
        ).exists():
            raise snapshots.SnapshotRefused(
                _(
                    "%(county)s's snapshot of %(period)s is already imported: return it for"
                    " correction before importing another."
                )
                % {"county": county.name, "period": period}
            )
    except snapshots.SnapshotRefused as refusal:
        audit_record(
            event=Event.ADMIN_ACTION,
            outcome=Outcome.FAILURE,
            request=request,
            user=by,
            detail=f"snapshot_import {period} refused: {refusal}",
        )
        raise ValidationError(str(refusal)) from None
    with transaction.atomic():
        return _snapshot_store(document=document, county=county, by=by, request=request)


def _snapshot_store(*, document: dict, county: County, by, request) -> CountySnapshot:
    period = document["period"]
    County.objects.select_for_update().filter(pk=county.pk).first()
    returned = (
        CountySnapshot.objects.filter(
            county=county,
            period=period,
            state=SnapshotState.RETURNED,
            superseded_by__isnull=True,
        )
        .order_by("-imported_at", "-pk")
        .first()
    )
    snapshot = CountySnapshot(
        county=county,
        period=period,
        figures=document["figures"],
        document=document,
        generated_at=datetime.datetime.fromisoformat(document["generated_at"]),
        responsible=document["responsible"][:60],
        preparer=document["preparer"][:60],
        checksum=document["checksum"].lower(),
        imported_by=by,
        supersedes=returned,
    )
    snapshot.full_clean()  # one current snapshot per county and period (a concurrent import)
    snapshot.save()
    audit_record(
        event=Event.ADMIN_ACTION,
        outcome=Outcome.SUCCESS,
        request=request,
        user=by,
        detail=f"snapshot_import {county.code} {period} #{snapshot.pk}",
    )
    return snapshot


@transaction.atomic
def snapshot_return(*, snapshot: CountySnapshot, reason: str, by, request=None) -> CountySnapshot:
    """Return an imported snapshot to its county for correction, with the reason the county's
    staff reads: the city's pages no longer show it, and the corrected file may be imported."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what the county is to correct."))
    snapshot = CountySnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if snapshot.state != SnapshotState.CURRENT:
        raise ValidationError(_("This snapshot was already returned."))
    snapshot.state = SnapshotState.RETURNED
    snapshot.returned_at = timezone.now()
    snapshot.returned_by = by
    snapshot.return_reason = reason
    snapshot.full_clean()
    snapshot.save(update_fields=["state", "returned_at", "returned_by", "return_reason"])
    audit_record(
        event=Event.ADMIN_ACTION,
        outcome=Outcome.SUCCESS,
        request=request,
        user=by,
        detail=f"snapshot_return {snapshot.county.code} {snapshot.period} #{snapshot.pk}: {reason}",
    )
    return snapshot
