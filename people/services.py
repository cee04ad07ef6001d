"""Every change to the member register goes through here.

Public API (the Excel import, the retention erasure, the demo and the mechanisms that count
people call these; the views call them after asking people.rules):

- `person_create(*, unit, actor, since=None, **fields)`: a new person in `unit` from `since`
  (today); the person's county is the unit's.
- `person_update(*, person, actor, **fields)`: change personal fields (not the unit: that is
  a transfer).
- `person_transfer(*, person, to_unit, on, actor, reason="")`: 组织关系转接 within the county:
  closes the current membership on `on` and opens one in `to_unit`; open posts in the old unit
  end the same day.
- `person_leave(*, person, reason, on, actor)`: transferred out of the county, deceased or
  membership ended: the membership and posts close, the person is kept with the date.
- `post_assign(*, person, unit, kind, on, actor)`: a post from `on`; a unit's previous
  secretary's post ends that day.
- `post_end(*, post, on, actor)`: a post ends.
- `cadre_profile_update(*, person, actor, **fields)`: the cadre profile (created on first use).
- `person_link_account(*, person, user)`: the account of a person who signs in.
- `matter_record(*, person, source, done_on, description, by, …)`: a person's record of service
  (a small practical matter, `PracticalMatter`), logged once through a mechanism, which keeps
  its own context row pointing at it; `matter_confirm(*, matter, via, by)` confirms it once.

`fields` are the model's editable fields plus `id_number`, given in plain: it is validated
(people.idnumber.validate_id_number, against `date_of_birth` when both are given; the date of
birth is taken from it when missing) and stored encrypted with its digest (people.crypto).

Each service is atomic, refuses bad input with a `ValidationError` whose message a county
staff member can act on (never repeating an ID number) and changes nothing when it refuses.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from zones.models import Unit, in_force_on

from . import crypto
from .constants import (
    SINGLE_POSTS,
    Category,
    ConfirmedVia,
    LeavingReason,
    MatterCategory,
    MatterSource,
    PostKind,
    Sex,
    Strength,
)
from .idnumber import birth_date, is_male, validate_id_number
from .models import CadreProfile, Membership, Person, Post, PracticalMatter
from .selectors import today

# The fields a caller may give person_create/person_update (id_number in plain).
PERSON_FIELDS = frozenset(
    {
        "name",
        "sex",
        "date_of_birth",
        "ethnicity",
        "education",
        "id_number",
        "mobile",
        "category",
        "joined_on",
        "full_member_on",
        "job_title",
    }
)
PROFILE_FIELDS = frozenset({"years_of_party_work", "strengths", "training", "available"})


def _fmt(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")


def _apply(person: Person, fields: dict[str, Any]) -> None:
    """Set `fields` on `person`, validating the ID number and the membership dates."""
    _check_fields(fields, PERSON_FIELDS)
    number = fields.pop("id_number", None)
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if not person.name:
        raise ValidationError({"name": _("Enter the person's name.")})
    if number is not None:
        if str(number).strip():
            try:
                number = validate_id_number(number, date_of_birth=person.date_of_birth)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from None
            duplicate = (
                Person._base_manager.filter(
                    county_id=person.county_id, id_number_digest=crypto.digest(number)
                )
                .exclude(pk=person.pk)
                .exists()
            )
            if duplicate:
                raise ValidationError(
                    {
                        "id_number": _(
                            "A person with this ID number is already registered in the county."
                        )
                    }
                )
            person.date_of_birth = person.date_of_birth or birth_date(number)
            if not person.sex:
                person.sex = Sex.MALE if is_male(number) else Sex.FEMALE
            person.set_id_number(number)
        else:
            person.set_id_number("")
    elif "date_of_birth" in fields and person.id_number_token and person.date_of_birth:
        # A new date of birth must still agree with the stored ID number.
        try:
            validate_id_number(person.id_number, date_of_birth=person.date_of_birth)
        except ValidationError as exc:
            raise ValidationError({"date_of_birth": exc.messages}) from None
    if person.category == Category.PROBATIONARY and person.full_member_on is not None:
        raise ValidationError(
            {"full_member_on": _("A probationary member has no full-membership date yet.")}
        )
    if person.joined_on and person.full_member_on and person.full_member_on < person.joined_on:
        raise ValidationError(
            {"full_member_on": _("Full membership cannot begin before joining the party.")}
        )
    if person.date_of_birth and person.joined_on and person.joined_on <= person.date_of_birth:
        raise ValidationError({"joined_on": _("Joining the party comes after the date of birth.")})
    person.full_clean(exclude=["county", "user"])


def _check_unit(unit: Unit) -> None:
    if not unit.is_active:
        raise ValidationError(_("%(unit)s is dissolved and can have no members.") % {"unit": unit})


def _open(model, **fields):
    row = model(**fields)
    row.full_clean()
    row.save()
    return row


def _close(row, on: datetime.date) -> None:
    row.effective_to = on
    row.full_clean()
    row.save(update_fields=["effective_to"])


@transaction.atomic
def person_create(
    *, unit: Unit, actor, since: datetime.date | None = None, **fields: Any
) -> Person:
    """A new person of `unit`'s county, a member of `unit` from `since` (today)."""
    _check_unit(unit)
    person = Person(county_id=unit.county_id)
    _apply(person, dict(fields))
    person.save()
    _open(
        Membership,
        person=person,
        unit=unit,
        effective_from=since or today(),
        reason=_("Registered"),
        created_by=actor,
    )
    return person


@transaction.atomic
def person_update(*, person: Person, actor, **fields: Any) -> Person:
    """Change a person's personal fields (`fields` as for person_create)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("This person's personal data was erased; it cannot be edited."))
    _apply(person, dict(fields))
    person.save()
    return person


def _open_membership(person: Person) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .select_related("unit")
        .filter(person=person, effective_to__isnull=True)
        .first()
    )


def _end_posts(person: Person, on: datetime.date, *, unit_id: int | None = None) -> None:
    posts = Post.objects.select_for_update().filter(person=person, effective_to__isnull=True)
    if unit_id is not None:
        posts = posts.filter(unit_id=unit_id)
    for post in posts:
        if on <= post.effective_from:
            raise ValidationError(
                _("%(person)s holds a post since %(since)s; the change must be after that day.")
                % {"person": person, "since": _fmt(post.effective_from)}
            )
        _close(post, on)


@transaction.atomic
def person_transfer(
    *, person: Person, to_unit: Unit, on: datetime.date, actor, reason: str = ""
) -> Membership:
    """组织关系转接 within the county: the person belongs to `to_unit` from `on`. The old
    membership closes that day (kept as history), and so do the posts held in the old unit. A
    move to another county is a leaving here (`person_leave`, transferred out)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_unit(to_unit)
    if person.has_left:
        raise ValidationError(_("%(person)s has left the register.") % {"person": person})
    if to_unit.county_id != person.county_id:
        raise ValidationError(
            _(
                "%(unit)s is in another county: record the person as transferred out here, "
                "and the other county registers them."
            )
            % {"unit": to_unit}
        )
    current = _open_membership(person)
    if current is not None:
        if current.unit_id == to_unit.pk:
            raise ValidationError(
                _("%(person)s already belongs to %(unit)s.") % {"person": person, "unit": to_unit}
            )
        if on <= current.effective_from:
            raise ValidationError(
                _(
                    "%(person)s has belonged to %(unit)s since %(since)s; "
                    "the transfer must take effect after that day."
                )
                % {"person": person, "unit": current.unit, "since": _fmt(current.effective_from)}
            )
        _end_posts(person, on, unit_id=current.unit_id)
        _close(current, on)
    return _open(
        Membership,
        person=person,
        unit=to_unit,
        effective_from=on,
        reason=(reason or "").strip() or _("Transfer of party membership"),
        created_by=actor,
    )


@transaction.atomic
def person_leave(*, person: Person, reason: str, on: datetime.date, actor) -> Person:
    """The person leaves the register on `on` (a LeavingReason): their membership and posts
    close, the person is kept (with their history) until the retention erasure."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if reason not in LeavingReason.values:
        raise ValidationError(_("Choose why the person leaves."))
    if person.has_left:
        raise ValidationError(_("%(person)s has already left.") % {"person": person})
    if on > today():
        raise ValidationError(_("A leaving is recorded on or after the day it happens."))
    current = _open_membership(person)
    if current is not None:
        if on <= current.effective_from:
            raise ValidationError(
                _("%(person)s has belonged to %(unit)s since %(since)s; they leave after that day.")
                % {"person": person, "unit": current.unit, "since": _fmt(current.effective_from)}
            )
        _end_posts(person, on)
        _close(current, on)
    person.left_on = on
    person.leaving_reason = reason
    person.save(update_fields=["left_on", "leaving_reason", "updated_at"])
    return person


@transaction.atomic
def post_assign(*, person: Person, unit: Unit, kind: str, on: datetime.date, actor) -> Post:
    """`person`, a member of `unit` on `on`, holds post `kind` there from `on`. A single post
    (the secretary) held by someone else ends that day."""
    if kind not in PostKind.values:
        raise ValidationError(_("Choose a post."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.has_left:
        raise ValidationError(_("%(person)s has left the register.") % {"person": person})
    if not Membership.objects.filter(in_force_on(on), person=person, unit=unit).exists():
        raise ValidationError(
            _("%(person)s is not a member of %(unit)s on %(date)s.")
            % {"person": person, "unit": unit, "date": _fmt(on)}
        )
    held = Post.objects.select_for_update().filter(
        person=person, unit=unit, kind=kind, effective_to__isnull=True
    )
    if held.exists():
        raise ValidationError(_("%(person)s already holds this post.") % {"person": person})
    if kind in SINGLE_POSTS:
        for other in Post.objects.select_for_update().filter(
            unit=unit, kind=kind, effective_to__isnull=True
        ):
            if on <= other.effective_from:
                raise ValidationError(
                    _("%(unit)s's %(post)s has held the post since %(since)s.")
                    % {
                        "unit": unit,
                        "post": PostKind(kind).label,
                        "since": _fmt(other.effective_from),
                    }
                )
            _close(other, on)
    return _open(
        Post,
        person=person,
        unit=unit,
        kind=kind,
        effective_from=on,
        reason=_("Appointed"),
        created_by=actor,
    )


@transaction.atomic
def post_end(*, post: Post, on: datetime.date, actor) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.effective_to is not None:
        raise ValidationError(_("This post has already ended."))
    if on <= post.effective_from:
        raise ValidationError(_("A post ends after the day it began."))
    _close(post, on)
    return post


@transaction.atomic
def cadre_profile_update(*, person: Person, actor, **fields: Any) -> CadreProfile:
    """Set the cadre profile (years of party-affairs experience, strengths, training received,
    available for a service team)."""
    _check_fields(fields, PROFILE_FIELDS)
    if person.has_left:
        raise ValidationError(_("%(person)s has left the register.") % {"person": person})
    profile, _created = CadreProfile.objects.select_for_update().get_or_create(person=person)
    strengths = fields.pop("strengths", None)
    if strengths is not None:
        unknown = [s for s in strengths if s not in Strength.values]
        if unknown:
            raise ValidationError({"strengths": _("Choose strengths from the list.")})
        profile.strengths = [s for s in Strength.values if s in set(strengths)]
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if profile.years_of_party_work is not None and profile.years_of_party_work > 60:
        raise ValidationError(
            {"years_of_party_work": _("Years of party-affairs experience: at most 60.")}
        )
    profile.updated_by = actor
    profile.full_clean(exclude=["person", "updated_by"])
    profile.save()
    return profile


@transaction.atomic
def person_link_account(*, person: Person, user) -> Person:
    """The account `user` is this person's (a secretary who signs in). An account belongs to one
    person, of its own county."""
    if user.county_id is not None and user.county_id != person.county_id:
        raise ValidationError(_("The account belongs to another county."))
    taken = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if taken is not None:
        raise ValidationError(_("The account already belongs to %(person)s.") % {"person": taken})
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person


# --- a person's record of service (服务记录) ---------------------------------------------------


@transaction.atomic
def matter_record(
    *,
    person: Person,
    source: str,
    done_on: datetime.date,
    description: str,
    by,
    category: str = MatterCategory.OTHER,
    hours=0,
    people_served: int = 0,
    place: str = "",
    unit: Unit | None = None,
) -> PracticalMatter:
    """A small practical matter (or service) `person` did, logged through the mechanism
    `source` (MatterSource); it waits for its confirmation (`matter_confirm`). The mechanism's
    service calls this in its own transaction and keeps its context row pointing at it."""
    if source not in MatterSource.values:
        raise ValidationError(_("Say which mechanism the matter was logged through."))
    if category not in MatterCategory.values:
        raise ValidationError(_("Choose the kind of matter."))
    if done_on is None or done_on > today():
        raise ValidationError(_("A matter is logged once it is done."))
    if not (description or "").strip():
        raise ValidationError(_("Say what was done."))
    if person.left_on is not None and done_on >= person.left_on:
        raise ValidationError(_("%(person)s had left the register that day.") % {"person": person})
    matter = PracticalMatter(
        person=person,
        source=source,
        done_on=done_on,
        description=description.strip()[:300],
        category=category,
        hours=hours or 0,
        people_served=people_served or 0,
        place=(place or "").strip()[:100],
        unit=unit,
        recorded_by=by,
    )
    matter.full_clean()
    matter.save()
    return matter


@transaction.atomic
def matter_confirm(*, matter: PracticalMatter, via: str, by) -> PracticalMatter:
    """The record is confirmed once, by the route `via` (ConfirmedVia: the team's captain, the
    community, the wish answered); from then on it counts in every mechanism's figure."""
    matter = PracticalMatter.objects.select_for_update().get(pk=matter.pk)
    if via not in ConfirmedVia.values:
        raise ValidationError(_("Say how the matter was confirmed."))
    if matter.confirmed_at is not None:
        raise ValidationError(_("This matter is already confirmed."))
    matter.confirmed_at = timezone.now()
    matter.confirmed_by = by
    matter.confirmed_via = via
    matter.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_via"])
    return matter
