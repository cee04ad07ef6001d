from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from core.constants import COUNTY_ROLES, Role
from counties.constants import Mechanism
from counties.models import City, County, CountyMechanism
from zones.constants import Grade, MembershipRole, PostKind
from zones.models import Membership, Unit, UnitGrade, UnitPost, Zone, ZoneLeadership

PASSWORD = "Test@2026pass"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = "610900"
    name = "安康市"
    short_name = "安康"


class CountyFactory(factory.django.DjangoModelFactory):
    """The tests' county: 石泉县 unless told (get-or-create by code, so every factory that
    does not name a county shares this one). `mechanisms` (default: zones) are switched on
    from 2024-01-01 when the county is created."""

    class Meta:
        model = County
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    code = "610922"
    name = "石泉县"
    short_name = "石泉"

    @factory.post_generation
    def mechanisms(obj, create, extracted, **kwargs):
        if not create:
            return
        wanted = (Mechanism.ZONES,) if extracted is None else extracted
        for mechanism in wanted:
            CountyMechanism.objects.get_or_create(
                county=obj,
                mechanism=mechanism,
                until=None,
                defaults={"since": datetime.date(2024, 1, 1)},
            )


def default_county() -> County:
    return CountyFactory()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.SECRETARY
    # People of a county's role belong to the tests' county; city staff and administrators
    # to none.
    county = factory.LazyAttribute(lambda o: default_county() if o.role in COUNTY_ROLES else None)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    county = factory.LazyFunction(default_county)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}片区")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    county = factory.LazyFunction(default_county)
    name = factory.Sequence(lambda n: f"县测试局{n}")
    short_name = factory.Sequence(lambda n: f"测试{n}")


class UnitGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitGrade

    unit = factory.SubFactory(UnitFactory)
    grade = Grade.SECOND
    effective_from = datetime.date(2024, 12, 1)
    reason = "定级"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    unit = factory.SubFactory(UnitFactory)
    zone = factory.SubFactory(ZoneFactory)
    role = MembershipRole.MEMBER
    effective_from = datetime.date(2025, 1, 1)


class ZoneLeadershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneLeadership

    zone = factory.SubFactory(ZoneFactory)
    leader = factory.SubFactory(UserFactory, role=Role.LEADER)
    effective_from = datetime.date(2025, 1, 1)


class UnitPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitPost

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    kind = PostKind.SECRETARY


def unit_in_zone(
    zone: Zone,
    *,
    lead: bool = False,
    grade: int | None = None,
    since: datetime.date = datetime.date(2025, 1, 1),
    **unit_fields,
) -> Unit:
    """A unit graded and placed in a zone since `since` (lead units first class)."""
    unit = UnitFactory(**unit_fields)
    UnitGradeFactory(unit=unit, grade=grade or (Grade.FIRST if lead else Grade.SECOND))
    MembershipFactory(
        unit=unit,
        zone=zone,
        role=MembershipRole.LEAD if lead else MembershipRole.MEMBER,
        effective_from=since,
    )
    return unit
