"""Writes of the counties app: switching a county's mechanisms on and off."""

from __future__ import annotations

import datetime

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
