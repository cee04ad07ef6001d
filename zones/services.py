"""Every change to the organization goes through here.

Each service is atomic, refuses bad input with a `ValidationError` whose message a staff member
can act on, and changes nothing when it refuses. History rows are closed and opened, never
edited in place, so the past is never rewritten.

The services that change who belongs to a zone send `zones.signals.membership_changed` before
they return, inside their transaction; its receivers (activities: the rotation of each zone
named is replanned) are listed in zones/signals.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from core.constants import Role

from .constants import Grade, MembershipRole
from .models import (
    Membership,
    Unit,
    UnitGrade,
    Zone,
    ZoneLeadership,
    refuse_across_counties,
    refuse_person_of_another_county,
)
from .selectors import today, unit_grade_on
from .signals import membership_changed


def _fmt(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _check_not_far_future(effective_on: datetime.date) -> None:
    limit = today() + datetime.timedelta(days=settings.ZONES_MAX_FUTURE_DAYS)
    if effective_on > limit:
        raise ValidationError(
            _("The effective date %(date)s is too far in the future (at most %(limit)s).")
            % {"date": _fmt(effective_on), "limit": _fmt(limit)}
        )


def _require_reason(reason: str, message: str) -> str:
    """Every move, class change and lead change says why: the reason is shown on the moves page
    (本年调整记录) and in the unit's history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


def _open_membership_for_update(unit: Unit) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .select_related("zone")
        .filter(unit=unit, effective_to__isnull=True)
        .first()
    )


def _close_and_save(row, effective_on: datetime.date) -> None:
    row.effective_to = effective_on
    row.full_clean()
    row.save(update_fields=["effective_to"])


def _open(model, **fields):
    row = model(**fields)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def unit_reassign(
    *, unit: Unit, zone: Zone, effective_on: datetime.date, reason: str, by=None
) -> Membership:
    """Move a unit into `zone` from `effective_on`: closes its current membership on that day
    and opens a new one as a member unit. Sends `membership_changed` for both zones (listener:
    activities replans their rotations)."""
    reason = _require_reason(reason, _("Say why the unit moves to another zone."))
    _check_not_far_future(effective_on)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("%(unit)s is dissolved and cannot join a zone.") % {"unit": unit})
    refuse_across_counties(unit, zone)
    current = _open_membership_for_update(unit)
    if current is not None:
        if current.zone_id == zone.pk:
            raise ValidationError(
                _("%(unit)s is already in %(zone)s.") % {"unit": unit, "zone": zone}
            )
        if effective_on <= current.effective_from:
            raise ValidationError(
                _(
                    "%(unit)s has been in %(zone)s since %(since)s; "
                    "the move must take effect after that day."
                )
                % {"unit": unit, "zone": current.zone, "since": _fmt(current.effective_from)}
            )
        if current.role == MembershipRole.LEAD:
            raise ValidationError(
                _("%(unit)s is the lead unit of %(zone)s; appoint another lead unit first.")
                % {"unit": unit, "zone": current.zone}
            )
        _close_and_save(current, effective_on)
    joined = _open(
        Membership,
        unit=unit,
        zone=zone,
        role=MembershipRole.MEMBER,
        effective_from=effective_on,
        reason=reason,
        created_by=by,
    )
    left = (current.zone_id,) if current is not None else ()
    _membership_changed(unit=unit, zone_ids=(*left, zone.pk))
    return joined


def _membership_changed(*, unit: Unit, zone_ids: tuple[int, ...]) -> None:
    """Tell the apps above (zones.signals.membership_changed): activities replans the
    rotations of `zone_ids`."""
    membership_changed.send(sender=Membership, unit=unit, zone_ids=zone_ids)


def _all_or_nothing(units: Iterable[Unit], change) -> list:
    """Apply `change` to every unit, or to none: one refusal rolls back all of them, and the
    error lists each unit that was refused and why."""
    done: list = []
    errors: list[str] = []
    with transaction.atomic():
        for unit in units:
            try:
                with transaction.atomic():
                    done.append(change(unit))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
    return done


def units_reassign(
    *, units: Iterable[Unit], zone: Zone, effective_on: datetime.date, reason: str, by=None
) -> list[Membership]:
    """Reassign several units at once, all or nothing (each unit's `unit_reassign` sends
    `membership_changed`)."""
    return _all_or_nothing(
        units,
        lambda unit: unit_reassign(
            unit=unit, zone=zone, effective_on=effective_on, by=by, reason=reason
        ),
    )


@transaction.atomic
def zone_set_lead(
    *, zone: Zone, unit: Unit, effective_on: datetime.date, reason: str, by=None
) -> Membership:
    """Make `unit`, a member of `zone`, its lead unit from `effective_on`. The previous lead
    stays in the zone as a member. The lead must be first class on that day. Sends
    `membership_changed` for the zone (listener: activities replans its rotation)."""
    reason = _require_reason(reason, _("Say why the lead unit changes."))
    _check_not_far_future(effective_on)
    Zone.objects.select_for_update().filter(pk=zone.pk).first()
    membership = _open_membership_for_update(unit)
    if membership is None or membership.zone_id != zone.pk:
        raise ValidationError(
            _("%(unit)s is not a member of %(zone)s; reassign it to the zone first.")
            % {"unit": unit, "zone": zone}
        )
    if membership.role == MembershipRole.LEAD:
        raise ValidationError(
            _("%(unit)s is already the lead unit of %(zone)s.") % {"unit": unit, "zone": zone}
        )
    grade = unit_grade_on(unit=unit, day=effective_on)
    if grade != Grade.FIRST:
        raise ValidationError(
            _(
                "%(unit)s is not first class on %(date)s (%(grade)s); a lead unit must be first class."
            )
            % {
                "unit": unit,
                "date": _fmt(effective_on),
                "grade": Grade(grade).label if grade else _("no class"),
            }
        )
    if effective_on <= membership.effective_from:
        raise ValidationError(
            _("%(unit)s joined %(zone)s on %(since)s; the change must take effect after that day.")
            % {"unit": unit, "zone": zone, "since": _fmt(membership.effective_from)}
        )
    previous = (
        Membership.objects.select_for_update()
        .select_related("unit")
        .filter(zone=zone, role=MembershipRole.LEAD, effective_to__isnull=True)
        .first()
    )
    if previous is not None:
        if effective_on <= previous.effective_from:
            raise ValidationError(
                _(
                    "%(unit)s has led %(zone)s since %(since)s; the change must take effect after that day."
                )
                % {"unit": previous.unit, "zone": zone, "since": _fmt(previous.effective_from)}
            )
        _close_and_save(previous, effective_on)
        _open(
            Membership,
            unit=previous.unit,
            zone=zone,
            role=MembershipRole.MEMBER,
            effective_from=effective_on,
            reason=reason,
            created_by=by,
        )
    _close_and_save(membership, effective_on)
    lead = _open(
        Membership,
        unit=unit,
        zone=zone,
        role=MembershipRole.LEAD,
        effective_from=effective_on,
        reason=reason,
        created_by=by,
    )
    _membership_changed(unit=unit, zone_ids=(zone.pk,))
    return lead


@transaction.atomic
def unit_set_grade(
    *, unit: Unit, grade: int, effective_on: datetime.date, by=None, reason: str
) -> UnitGrade:
    """Record the unit's class from `effective_on`, with who set it and why."""
    _check_not_far_future(effective_on)
    reason = _require_reason(reason, _("Say why the class changes."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if grade not in Grade.values:
        raise ValidationError(_("%(grade)s is not a class.") % {"grade": grade})
    latest = UnitGrade.objects.filter(unit=unit).order_by("-effective_from").first()
    if latest is not None:
        if effective_on <= latest.effective_from:
            raise ValidationError(
                _(
                    "%(unit)s's class was last set on %(since)s; a new class must take effect after that day."
                )
                % {"unit": unit, "since": _fmt(latest.effective_from)}
            )
        if latest.grade == grade:
            raise ValidationError(
                _("%(unit)s is already %(grade)s.") % {"unit": unit, "grade": Grade(grade).label}
            )
    if grade != Grade.FIRST:
        lead = (
            Membership.objects.filter(unit=unit, role=MembershipRole.LEAD)
            .exclude(effective_to__lte=effective_on)
            .select_related("zone")
            .first()
        )
        if lead is not None:
            raise ValidationError(
                _(
                    "%(unit)s leads %(zone)s and must stay first class; appoint another lead unit first."
                )
                % {"unit": unit, "zone": lead.zone}
            )
    return _open(
        UnitGrade,
        unit=unit,
        grade=grade,
        effective_from=effective_on,
        reason=reason,
        set_by=by,
    )


@transaction.atomic
def zone_set_leader(
    *, zone: Zone, leader, effective_on: datetime.date, by=None, reason: str = ""
) -> ZoneLeadership:
    """Make `leader`, a work-committee leader, the zone's guiding leader from `effective_on`."""
    _check_not_far_future(effective_on)
    Zone.objects.select_for_update().filter(pk=zone.pk).first()
    if leader.role != Role.LEADER or not leader.is_active:
        raise ValidationError(
            _("%(user)s is not an active work-committee leader.") % {"user": leader}
        )
    refuse_person_of_another_county(leader, zone)
    current = (
        ZoneLeadership.objects.select_for_update()
        .filter(zone=zone, effective_to__isnull=True)
        .first()
    )
    if current is not None:
        if current.leader_id == leader.pk:
            raise ValidationError(
                _("%(user)s already guides %(zone)s.") % {"user": leader, "zone": zone}
            )
        if effective_on <= current.effective_from:
            raise ValidationError(
                _(
                    "The current leader has guided %(zone)s since %(since)s; the change must take effect after that day."
                )
                % {"zone": zone, "since": _fmt(current.effective_from)}
            )
        _close_and_save(current, effective_on)
    return _open(
        ZoneLeadership,
        zone=zone,
        leader=leader,
        effective_from=effective_on,
        reason=reason,
        created_by=by,
    )


def units_set_grade(
    *, units: Iterable[Unit], grade: int, effective_on: datetime.date, by=None, reason: str
) -> list[UnitGrade]:
    """Set the class of several units at once, all or nothing."""
    return _all_or_nothing(
        units,
        lambda unit: unit_set_grade(
            unit=unit, grade=grade, effective_on=effective_on, by=by, reason=reason
        ),
    )
