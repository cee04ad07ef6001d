from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishesConfig(AppConfig):
    name = "wishes"
    verbose_name = _("Citizens' micro-wishes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The city dashboard's cached body counts the wishes resolved and their return visits
        # (portal.city): a save of any of the micro-wishes' records moves its county's data
        # version (core.cache), under the area "wishes", so the next city page counts it.
        from core.cache import watch

        watch(*self.get_models(), area="wishes")
