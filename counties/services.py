"""Writes of the counties app: adding a county with its first staff account, switching a
county's mechanisms on and off."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import County, CountyMechanism


@transaction.atomic
def mechanism_switch_on(*, county: County, mechanism: str, since: datetime.date) -> CountyMechanism:
    """The county runs `mechanism` from `since`. Refused when it already runs it."""
    County.objects.select_for_update().filter(pk=county.pk).first()
    if county.mechanisms.filter(mechanism=mechanism, until__isnull=True).exists():
        raise ValidationError(_("The county already runs this mechanism."))
    row = CountyMechanism(county=county, mechanism=mechanism, since=since)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def mechanism_switch_off(*, county: County, mechanism: str, until: datetime.date) -> None:
    """The county stops running `mechanism` on `until`: its pages are hidden, its records
    kept. Refused when the county does not run it, or `until` is not after it was switched on."""
    row = (
        CountyMechanism.objects.select_for_update()
        .filter(county=county, mechanism=mechanism, until__isnull=True)
        .first()
    )
    if row is None:
        raise ValidationError(_("The county does not run this mechanism."))
    if until <= row.since:
        raise ValidationError(_("A mechanism is switched off after it was switched on."))
    row.until = until
    row.save(update_fields=["until"])


@transaction.atomic
def default_county() -> County:
    """The installation's default county (and its city), created on first use from the
    settings PORTAL_DEFAULT_COUNTY_CODE / _NAME and PORTAL_DEFAULT_CITY_CODE / _NAME (石泉县
    610922 of 安康市 610900), running the zones mechanism: the county of a county-only
    installation and of the records made before counties existed."""
    from django.conf import settings
    from django.utils import timezone

    from .constants import (
        DEFAULT_CITY_CODE,
        DEFAULT_CITY_NAME,
        DEFAULT_COUNTY_CODE,
        DEFAULT_COUNTY_NAME,
        Mechanism,
    )
    from .models import City

    code = getattr(settings, "PORTAL_DEFAULT_COUNTY_CODE", DEFAULT_COUNTY_CODE)
    county = County.objects.filter(code=code).first()
    if county is not None:
        return county
    city_name = getattr(settings, "PORTAL_DEFAULT_CITY_NAME", DEFAULT_CITY_NAME)
    city, _created = City.objects.get_or_create(
        code=getattr(settings, "PORTAL_DEFAULT_CITY_CODE", DEFAULT_CITY_CODE),
        defaults={"name": city_name, "short_name": _short(city_name)},
    )
    name = getattr(settings, "PORTAL_DEFAULT_COUNTY_NAME", DEFAULT_COUNTY_NAME)
    county = County.objects.create(city=city, code=code, name=name, short_name=_short(name))
    CountyMechanism.objects.create(
        county=county, mechanism=Mechanism.ZONES, since=timezone.localdate()
    )
    return county


def _short(name: str) -> str:
    """安康市 → 安康, 石泉县 → 石泉; a two-character name stays whole."""
    return name[:-1] if len(name) > 2 and name[-1] in "市县区" else name


@dataclass(frozen=True)
class NewCounty:
    """What `county_create` made: the county, its first staff account and that account's
    one-time password (shown once to the system administrator, never stored in clear)."""

    county: County
    staff: object  # core.User
    password: str


@transaction.atomic
def county_create(
    *,
    county: County,
    mechanisms: list[str],
    staff_username: str,
    staff_full_name: str = "",
    since: datetime.date | None = None,
    by=None,
) -> NewCounty:
    """The system administrator adds a county to the city: the county (validated), the
    mechanisms it runs from `since` (today), and its first work-committee staff account, of that
    county, with a one-time random password that must be changed at the first sign-in. All or
    nothing: a taken username, a code or name the city has already, or an unknown mechanism
    refuses the whole, creating none of it.

    Roles are otherwise the security administrator's (三员分立); the first staff account of a
    new county is the one the system administrator gives, so that the county can start work."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.services import generated_password
    from core.constants import Role

    from .constants import Mechanism

    User = get_user_model()
    username = (staff_username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["staff_username"] = [_("Give the first staff account a username.")]
    elif username_taken(username):
        errors["staff_username"] = [_("This username is taken.")]
    unknown = sorted(set(mechanisms) - set(Mechanism.values))
    if unknown:
        errors["mechanisms"] = [_("Unknown mechanism: %(names)s.") % {"names": ", ".join(unknown)}]
    try:
        county.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    county.save()
    since = since or timezone.localdate()
    for mechanism in Mechanism.values:  # in the order of Mechanism
        if mechanism in mechanisms:
            mechanism_switch_on(county=county, mechanism=mechanism, since=since)
    password = generated_password()
    staff = User(
        username=username,
        full_name=(staff_full_name or "").strip(),
        role=Role.STAFF,
        county=county,
        is_staff=True,  # staff manage their county's records on the system site
    )
    staff.set_password(password)
    staff.full_clean(exclude=["password"])
    staff.save()
    staff.must_change_password = True  # saving the password cleared it (accounts.passwords)
    staff.save(update_fields=["must_change_password"])
    return NewCounty(county=county, staff=staff, password=password)


def username_taken(username: str) -> bool:
    """Whether an account has this username (case aside, as the sign-in form reads it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username__iexact=username.strip()).exists()
