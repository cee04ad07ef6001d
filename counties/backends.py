"""The sign-in backend: accounts.backends.RoleBackend, whose loading of the signed-in person
(once a request) also reads which mechanisms their county runs today, in the same query, so that
the pages' 404s and navigation for a mechanism (counties.mechanisms) cost no query of their own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from accounts.backends import RoleBackend

from .constants import Mechanism
from .models import City, CountyMechanism


def _flag(mechanism: str) -> str:
    return f"_county_runs_{mechanism}"


class ReaderBackend(RoleBackend):
    """RoleBackend plus `user.county_mechanisms`: the mechanisms the person's county runs
    today (empty without a county), read with the person; and the names the portal's header
    gives itself for them (counties.context_processors.brand): `user.county_name`, their
    county's, and `user.city_name`, the deployment's city's."""

    def get_user(self, user_id):
        today = timezone.localdate()
        flags = {
            _flag(mechanism): Exists(
                CountyMechanism.objects.filter(
                    CountyMechanism.in_force_on(today),
                    county_id=OuterRef("county_id"),
                    mechanism=mechanism,
                )
            )
            for mechanism in Mechanism.values
        }
        users = get_user_model()._default_manager
        try:
            user = users.annotate(
                **flags,
                county_name=F("county__name"),
                city_name=Subquery(City.objects.order_by("code").values("name")[:1]),
            ).get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        runs = frozenset(m for m in Mechanism.values if getattr(user, _flag(m)))
        user.county_mechanisms = runs  # type: ignore[attr-defined]
        return user if self.user_can_authenticate(user) else None
