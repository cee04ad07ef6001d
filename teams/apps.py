from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Service teams")

    def ready(self):
        # The city dashboard's cached body counts the teams' visits and guided organizations
        # (portal.city), the county dashboard's cached tile their year (with the confirmed
        # small practical matters of the register): a save of any of those records moves its
        # county's data version (core.cache), under the area "teams", so the next page counts it.
        from core.cache import watch
        from people.models import PracticalMatter

        watch(*self.get_models(), PracticalMatter, area="teams")
