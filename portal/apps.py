from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that read across the apps below it (home, demo county)."""

    name = "portal"
    verbose_name = _("Portal")
