from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that read across the apps below it (home, demo county)."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # The county dashboard's cached figures read zones, units and their classes; the
        # activities and supervision apps watch their own models (core.cache).
        from core.cache import watch
        from counties.models import County, CountyMechanism
        from zones.models import Unit, UnitGrade, Zone

        from .models import CountySnapshot, SnapshotKey

        watch(Unit, UnitGrade, Zone, area="zones")
        # ... and the city dashboard the snapshots of the self-hosted counties; a county's or
        # its mechanisms' change moves every cached value of the county (no area).
        watch(County, CountyMechanism, CountySnapshot, SnapshotKey)
