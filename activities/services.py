"""Every write of the joint activities module goes through here: atomic, keyword-only,
refusing bad input with a ValidationError a user can act on, changing nothing when it refuses."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from core.periods import month_start, year_months
from core.uploads import CleanUpload
from zones.models import Membership, Unit, Zone
from zones.selectors import today, unit_zone_on

from .constants import ActivityState, AttachmentKind, EventAction
from .models import (
    Activity,
    ActivityEvent,
    Attachment,
    HostSlot,
    Outcome,
    RotationOrder,
)
from .rotation import Month, SwapRefused, fairness_problems, plan_hosts, plan_swap

# ---------------------------------------------------------------------------------------------
# Months


def current_month() -> datetime.date:
    return month_start(today())


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


# ---------------------------------------------------------------------------------------------
# Host rotation (轮值)


def _members_by_month(zone: Zone, months: Sequence[datetime.date]) -> dict:
    """The zone's members on the first day of each month, in rotation order (two queries)."""
    if not months:
        return {}
    rows = list(
        Membership.objects.filter(zone=zone, effective_from__lte=max(months))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=min(months)))
        .values_list("unit_id", "unit__name", "effective_from", "effective_to")
    )
    order = dict(RotationOrder.objects.filter(zone=zone).values_list("unit_id", "position"))
    rows.sort(key=lambda r: (order.get(r[0], 10**9), r[1], r[0]))
    result = {}
    for month in months:
        seen: list[int] = []
        for unit_id, _name, start, end in rows:
            if start <= month and (end is None or end > month) and unit_id not in seen:
                seen.append(unit_id)
        result[month] = tuple(seen)
    return result


def _replan(zone: Zone, *, targets: Iterable[datetime.date]) -> list[HostSlot]:
    """Plan the hosts of `targets` (months), keeping every other slot of the zone as it is.
    Months swapped by hand keep their host while it still fits the rules."""
    opening = current_month()
    slots = {s.month: s for s in HostSlot.objects.select_for_update().filter(zone=zone)}
    # The past and the current month are never rewritten, only filled where empty.
    targets = {m for m in targets if m > opening or m not in slots}
    months = sorted(set(slots) | targets)
    members = _members_by_month(zone, months)

    def timeline(keep_swaps: bool) -> list[Month]:
        result = []
        for m in months:
            slot = slots.get(m)
            kept = m not in targets or (
                keep_swaps and slot and slot.swapped and slot.unit_id in members[m]
            )
            result.append(Month(members[m], slot.unit_id if kept and slot else None))
        return result

    hosts = plan_hosts(timeline(keep_swaps=True))
    first_target = months.index(min(targets)) if targets else len(months)
    if fairness_problems([members[m] for m in months], hosts, from_index=first_target):
        hosts = plan_hosts(timeline(keep_swaps=False))
    changed = []
    for m, host in zip(months, hosts, strict=True):
        if m not in targets:
            continue
        slot = slots.get(m)
        if host is None:
            if slot is not None:
                slot.delete()
            continue
        if slot is None:
            slot = HostSlot(zone=zone, month=m, unit_id=host)
        elif slot.unit_id == host:
            continue
        else:
            slot.unit_id = host
            slot.swapped = False
        slot.full_clean(validate_unique=False)
        slot.save()
        changed.append(slot)
    return changed


@transaction.atomic
def rotation_generate_year(*, zone: Zone, year: int) -> list[HostSlot]:
    """Give every month of `year` a host, continuing the rotation from the months before.
    Months already planned in the past or the current month are never rewritten."""
    months = year_months(year)
    future = HostSlot.objects.filter(zone=zone, month__gt=current_month()).values_list(
        "month", flat=True
    )
    return _replan(zone, targets=set(months) | set(future))


def rotation_generate_next_year(*, year: int | None = None) -> int:
    """Generate next year's rotation for every zone (the staff button; Celery calls it at year
    end). Returns the number of months given a host. Running it twice changes nothing."""
    year = year or today().year + 1
    count = 0
    for zone in Zone.objects.all():
        count += len(rotation_generate_year(zone=zone, year=year))
    return count


@transaction.atomic
def rotation_regenerate_future(*, zone: Zone) -> list[HostSlot]:
    """Replan the zone's months after the current one, e.g. after a unit joined or left it."""
    future = list(
        HostSlot.objects.filter(zone=zone, month__gt=current_month()).values_list(
            "month", flat=True
        )
    )
    if not future:
        return []
    return _replan(zone, targets=future)


@transaction.atomic
def rotation_set_order(*, zone: Zone, unit_ids: Sequence[int], by=None) -> list[HostSlot]:
    """Set the zone's rotation order (current members, each once) and replan future months."""
    members = set(
        Membership.objects.filter(zone=zone, effective_to__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    unit_ids = list(unit_ids)
    if len(set(unit_ids)) != len(unit_ids):
        raise ValidationError(_("Each unit may appear only once in the rotation order."))
    if set(unit_ids) != members:
        raise ValidationError(_("The rotation order must list every current member of the zone."))
    RotationOrder.objects.filter(zone=zone).delete()
    RotationOrder.objects.bulk_create(
        RotationOrder(zone=zone, unit_id=unit_id, position=p) for p, unit_id in enumerate(unit_ids)
    )
    future = HostSlot.objects.filter(zone=zone, month__gt=current_month()).values_list(
        "month", flat=True
    )
    # Swaps were made against the old order; a new order starts afresh.
    HostSlot.objects.filter(zone=zone, month__gt=current_month()).update(swapped=False)
    return _replan(zone, targets=list(future))


@transaction.atomic
def rotation_swap(
    *, zone: Zone, first: datetime.date, second: datetime.date, by=None
) -> list[HostSlot]:
    """Swap the hosts of two future months of a zone, keeping the rotation fair, or refuse."""
    slots = {s.month: s for s in HostSlot.objects.select_for_update().filter(zone=zone)}
    first, second = month_start(first), month_start(second)
    for month in (first, second):
        if month not in slots:
            raise ValidationError(
                _("%(month)s has no host yet; generate the rotation first.")
                % {"month": _month_label(month)}
            )
    months = sorted(slots)
    members = _members_by_month(zone, months)
    timeline = [Month(members[m]) for m in months]
    hosts = [slots[m].unit_id for m in months]
    opening = current_month()
    first_open = next((i for i, m in enumerate(months) if m > opening), len(months))
    names = dict(Unit.objects.filter(pk__in=set(hosts)).values_list("pk", "name"))
    try:
        new_hosts = plan_swap(
            timeline, hosts, months.index(first), months.index(second), first_open=first_open
        )
    except SwapRefused as refusal:
        d = refusal.detail
        messages = {
            "same": lambda: _("Choose two different months."),
            "closed": lambda: (
                _("%(month)s has begun or is over; only later months can be swapped.")
                % {"month": _month_label(months[d["index"]])}
            ),
            "same_host": lambda: _("Both months have the same host."),
            "not_member": lambda: (
                _("%(unit)s is not a member of the zone in %(month)s.")
                % {
                    "unit": names.get(d["unit"], d["unit"]),
                    "month": _month_label(months[d["index"]]),
                }
            ),
            "unfair": lambda: (
                _(
                    "%(unit)s would host in %(month)s again after %(previous)s, before %(waiting)s "
                    "hosted once; every member hosts once before any hosts twice."
                )
                % {
                    "unit": names.get(d["unit"], d["unit"]),
                    "month": _month_label(months[d["second"]]),
                    "previous": _month_label(months[d["first"]]),
                    "waiting": "、".join(
                        Unit.objects.filter(pk__in=d["waiting"]).values_list("name", flat=True)
                    ),
                }
            ),
        }
        raise ValidationError(messages[refusal.reason]()) from refusal
    changed = []
    for m, host in zip(months, new_hosts, strict=True):
        slot = slots[m]
        if slot.unit_id != host:
            slot.unit_id = host
            slot.swapped = m in (first, second)
            slot.save()
            changed.append(slot)
    return changed


def membership_changed(*, zone_id: int) -> None:
    """A unit joined or left the zone: replan its future months."""
    zone = Zone.objects.filter(pk=zone_id).first()
    if zone is not None:
        rotation_regenerate_future(zone=zone)


# ---------------------------------------------------------------------------------------------
# Activities (联建活动)


@dataclass(frozen=True)
class OutcomeData:
    description: str
    quantity: Decimal | None = None
    measure: str = ""


ACTIVITY_FIELDS = (
    "form",
    "title",
    "date",
    "place",
    "participant_count",
    "summary",
    "tags",
    "host_unit",
)


def _event(activity: Activity, *, by, action: str, from_state: str = "", note: str = ""):
    return ActivityEvent.objects.create(
        activity=activity,
        actor=by,
        action=action,
        from_state=from_state,
        to_state=activity.state,
        note=note,
    )


def _place_in_zone(activity: Activity) -> None:
    """The zone is the host unit's zone on the activity's date; refuse what cannot be placed."""
    if activity.date is None:
        raise ValidationError(_("Give the date of the activity."))
    if activity.date > today():
        raise ValidationError(
            _("%(date)s is in the future; log an activity once it has taken place.")
            % {"date": formats.date_format(activity.date, "DATE_FORMAT")}
        )
    zone = unit_zone_on(unit=activity.host_unit, day=activity.date)
    if zone is None:
        raise ValidationError(
            _("%(unit)s belonged to no zone on %(date)s.")
            % {
                "unit": activity.host_unit,
                "date": formats.date_format(activity.date, "DATE_FORMAT"),
            }
        )
    activity.zone = zone
    activity.month = month_start(activity.date)


def _save_files(activity: Activity, *, by, files: Sequence[tuple[str, CleanUpload]]) -> int:
    for kind, clean in files:
        if kind not in AttachmentKind.values:
            raise ValidationError(_("Unknown kind of attachment."))
        attachment = Attachment(
            activity=activity,
            kind=kind,
            mime=clean.mime,
            original_name=clean.original_name,
            size=clean.size,
            uploaded_by=by,
        )
        attachment.file.save(clean.name, clean.content, save=False)
        attachment.save()
    return len(files)


def _set_outcomes(activity: Activity, outcomes: Sequence[OutcomeData]) -> None:
    activity.outcomes.all().delete()
    for data in outcomes:
        outcome = Outcome(
            activity=activity,
            description=data.description,
            quantity=data.quantity,
            measure=data.measure or "",
        )
        outcome.full_clean()
        outcome.save()


def _set_participants(activity: Activity, participants: Iterable[Unit]) -> None:
    """Units of the activity's county take part, and partner organizations (链上联建) of any
    county of the city; a county organ of another county is refused (issue 15)."""
    participants = [u for u in participants if u.pk != activity.host_unit_id]
    county_id = activity.host_unit.county_id
    foreign = [u for u in participants if u.county_id != county_id and not u.is_partner]
    if foreign:
        raise ValidationError(
            _(
                "%(units)s belong to another county; only partner organizations join across counties."
            )
            % {"units": "、".join(u.name for u in foreign)}
        )
    activity.participants.set(participants)


@transaction.atomic
def activity_create(
    *,
    by,
    host_unit: Unit,
    form: str,
    title: str,
    date: datetime.date,
    place: str,
    participant_count: int,
    summary: str,
    tags: Iterable[str] = (),
    participants: Iterable[Unit] = (),
    outcomes: Sequence[OutcomeData] = (),
    files: Sequence[tuple[str, CleanUpload]] = (),
) -> Activity:
    """Log a joint activity of `host_unit` as a draft."""
    activity = Activity(
        host_unit=host_unit,
        form=form,
        title=title,
        date=date,
        place=place,
        participant_count=participant_count,
        summary=summary,
        tags=Activity.encode_tags(tags),
        created_by=by,
        state=ActivityState.DRAFT,
    )
    _place_in_zone(activity)
    activity.full_clean()
    activity.save()
    _set_participants(activity, participants)
    _set_outcomes(activity, outcomes)
    _save_files(activity, by=by, files=files)
    _event(activity, by=by, action=EventAction.CREATED)
    return activity


def _describe(activity: Activity, field: str) -> str:
    value = getattr(activity, field)
    if field == "form":
        return activity.get_form_display()
    if field == "tags":
        return "、".join(str(label) for label in activity.tag_labels) or "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    participants: Iterable[Unit] | None = None,
    outcomes: Sequence[OutcomeData] | None = None,
    files: Sequence[tuple[str, CleanUpload]] = (),
    **fields,
) -> Activity:
    """Change an activity. Its secretary may while it is a draft or returned; staff may at any
    time, and a change to a submitted or confirmed activity is recorded as a correction
    naming what changed."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    staff = bool(getattr(by, "is_committee_staff", False))
    if not activity.is_editable_state and not staff:
        raise ValidationError(
            _("This activity is %(state)s and can no longer be edited.")
            % {"state": activity.get_state_display()}
        )
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "tags" in fields:
        fields["tags"] = Activity.encode_tags(fields["tags"])
    before = {f: _describe(activity, f) for f in fields}
    old_participants = set(activity.participants.values_list("pk", flat=True))
    old_outcomes = [str(o) for o in activity.outcomes.all()]
    for name, value in fields.items():
        setattr(activity, name, value)
    _place_in_zone(activity)
    activity.full_clean()
    activity.save()
    changes = [
        f"{getattr(Activity._meta.get_field(f), 'verbose_name', f)}: {before[f]} → {_describe(activity, f)}"
        for f in fields
        if before[f] != _describe(activity, f)
    ]
    if participants is not None:
        _set_participants(activity, participants)
        if set(activity.participants.values_list("pk", flat=True)) != old_participants:
            changes.append(str(_("participating units changed")))
    if outcomes is not None:
        _set_outcomes(activity, outcomes)
        new_outcomes = [str(o) for o in activity.outcomes.all()]
        if new_outcomes != old_outcomes:
            changes.append(
                _("outcomes: %(old)s → %(new)s")
                % {"old": "；".join(old_outcomes) or "—", "new": "；".join(new_outcomes) or "—"}
            )
    if _save_files(activity, by=by, files=files):
        changes.append(_("%(n)d file(s) added") % {"n": len(files)})
    if changes:
        action = EventAction.EDITED if activity.is_editable_state else EventAction.CORRECTED
        _event(
            activity,
            by=by,
            action=action,
            from_state=activity.state,
            note="\n".join(str(c) for c in changes),
        )
    return activity


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def activity_submit(*, activity: Activity, by) -> Activity:
    """Send a draft or returned activity to the zone's lead unit for confirmation."""
    activity = _locked(activity)
    if not activity.is_editable_state:
        raise ValidationError(
            _("Only a draft or a returned activity can be submitted; this one is %(state)s.")
            % {"state": activity.get_state_display()}
        )
    previous = activity.state
    activity.state = ActivityState.SUBMITTED
    activity.save(update_fields=["state", "updated_at"])
    _event(activity, by=by, action=EventAction.SUBMITTED, from_state=previous)
    return activity


@transaction.atomic
def activity_confirm(*, activity: Activity, by) -> Activity:
    """The zone's lead unit (or staff) confirms a submitted activity."""
    activity = _locked(activity)
    if activity.state != ActivityState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted activity can be confirmed; this one is %(state)s.")
            % {"state": activity.get_state_display()}
        )
    activity.state = ActivityState.CONFIRMED
    activity.return_reason = ""
    activity.save(update_fields=["state", "return_reason", "updated_at"])
    _event(activity, by=by, action=EventAction.CONFIRMED, from_state=ActivityState.SUBMITTED)
    return activity


@transaction.atomic
def activity_return(*, activity: Activity, by, reason: str) -> Activity:
    """The zone's lead unit (or staff) returns a submitted activity, saying why."""
    activity = _locked(activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the activity is returned."))
    if activity.state != ActivityState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted activity can be returned; this one is %(state)s.")
            % {"state": activity.get_state_display()}
        )
    activity.state = ActivityState.RETURNED
    activity.return_reason = reason
    activity.save(update_fields=["state", "return_reason", "updated_at"])
    _event(
        activity,
        by=by,
        action=EventAction.RETURNED,
        from_state=ActivityState.SUBMITTED,
        note=reason,
    )
    return activity
