from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.constants import Role

from .constants import Mechanism
from .mechanisms import mechanisms_of_reader


def mechanisms(request):
    """`reader_mechanisms`: the mechanisms the reader's county runs (the navigation shows
    only those); read when a template asks."""
    return {
        "reader_mechanisms": SimpleLazyObject(
            lambda: sorted(mechanisms_of_reader(getattr(request, "user", None)))
        )
    }


@dataclass(frozen=True)
class Brand:
    """What the portal calls itself for a reader: `name` in the header, `mechanisms` (the
    mechanisms of their county, in the order of Mechanism) beside it, `title` for the window."""

    name: str
    mechanisms: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return " · ".join((self.name, *self.mechanisms)) if self.mechanisms else self.name


def brand_of(user) -> Brand:
    """The city's portal for city staff (安康市机关党建工作平台); for a person of a county their
    county's (石泉县机关党建工作平台) with the mechanisms it runs (片区联建巡回督导) — never a
    mechanism it does not run; the portal's plain name for anyone else (signed out, the
    administrators). The names come with the signed-in person (counties.backends.ReaderBackend):
    no query of their own there; a user loaded otherwise reads them once."""
    plain = Brand(_("Organ party-building portal"))
    if not getattr(user, "is_authenticated", False):
        return plain
    if user.role == Role.CITY_STAFF:
        city = getattr(user, "city_name", None)
        if city is None:
            from .models import City

            city = City.objects.order_by("code").values_list("name", flat=True).first()
        return (
            Brand(_("%(place)s organ party-building portal") % {"place": city}) if city else plain
        )
    if user.county_id is None:
        return plain
    county = getattr(user, "county_name", None) or user.county.name
    runs = mechanisms_of_reader(user)
    return Brand(
        _("%(place)s organ party-building portal") % {"place": county},
        tuple(str(m.label) for m in Mechanism if m.value in runs),
    )


def brand(request):
    """`brand`: what the portal calls itself for the reader (the header and the title)."""
    return {"brand": SimpleLazyObject(lambda: brand_of(getattr(request, "user", None)))}
