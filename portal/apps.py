from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that read across the apps below it (home, demo county)."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # The county dashboard's cached figures read zones, units and their classes; the
        # activities and supervision apps watch their own models (core.cache).
        from django.contrib.auth import get_user_model

        from core.cache import watch, watch_readers
        from counties.models import County, CountyMechanism
        from people.models import Person
        from zones.models import Membership, Unit, UnitGrade, UnitPost, Zone, ZoneLeadership

        from .models import CountySnapshot, SnapshotKey

        watch(Unit, UnitGrade, Zone, area="zones")
        # ... and the city dashboard the snapshots of the self-hosted counties; a county's or
        # its mechanisms' change moves every cached value of the county (no area).
        watch(County, CountyMechanism, CountySnapshot, SnapshotKey)
        # Who a reader is — their account, their unit posts, their units' zones, the zones they
        # guide, their person in the register, how many counties there are — is what the
        # reader's cached facts (their scope, their navigation) are computed from (core.cache).
        # The units and zones too: the names a reader's register filter offers are cached with
        # those facts (people.selectors.register_options).
        watch_readers(
            get_user_model(), UnitPost, Membership, ZoneLeadership, Person, County, Unit, Zone
        )
