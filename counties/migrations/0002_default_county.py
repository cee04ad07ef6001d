"""Every record made before counties existed goes into one county, so that an installation made
before issue 15 keeps working with no hand work: the county (and its city) named by the settings
PORTAL_DEFAULT_COUNTY_CODE / _NAME and PORTAL_DEFAULT_CITY_CODE / _NAME (石泉县 610922 of 安康市
610900 unless set), running the zones mechanism since the first membership. A new, empty
installation gets no county: its system administrator creates them."""

import datetime

from django.conf import settings
from django.db import migrations

from counties.constants import (
    DEFAULT_CITY_CODE,
    DEFAULT_CITY_NAME,
    DEFAULT_COUNTY_CODE,
    DEFAULT_COUNTY_NAME,
)

COUNTY_ROLES = ("staff", "leader", "secretary", "officer")


def _short(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "市县区" else name


def forwards(apps, schema_editor):
    Unit = apps.get_model("zones", "Unit")
    Zone = apps.get_model("zones", "Zone")
    Membership = apps.get_model("zones", "Membership")
    User = apps.get_model("core", "User")
    people = User.objects.filter(county__isnull=True, role__in=COUNTY_ROLES, is_superuser=False)
    units = Unit.objects.filter(county__isnull=True)
    zones = Zone.objects.filter(county__isnull=True)
    if not (units.exists() or zones.exists() or people.exists()):
        return
    City = apps.get_model("counties", "City")
    County = apps.get_model("counties", "County")
    CountyMechanism = apps.get_model("counties", "CountyMechanism")
    city_name = getattr(settings, "PORTAL_DEFAULT_CITY_NAME", DEFAULT_CITY_NAME)
    city, _ = City.objects.get_or_create(
        code=getattr(settings, "PORTAL_DEFAULT_CITY_CODE", DEFAULT_CITY_CODE),
        defaults={"name": city_name, "short_name": _short(city_name)},
    )
    county_name = getattr(settings, "PORTAL_DEFAULT_COUNTY_NAME", DEFAULT_COUNTY_NAME)
    county, created = County.objects.get_or_create(
        code=getattr(settings, "PORTAL_DEFAULT_COUNTY_CODE", DEFAULT_COUNTY_CODE),
        defaults={"city": city, "name": county_name, "short_name": _short(county_name)},
    )
    if created:
        first = Membership.objects.order_by("effective_from").values_list(
            "effective_from", flat=True
        ).first()
        CountyMechanism.objects.create(
            county=county, mechanism="zones", since=first or datetime.date.today()
        )
    units.update(county=county)
    zones.update(county=county)
    people.update(county=county)


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0001_initial"),
        ("core", "0009_user_county"),
        ("zones", "0004_county"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
