from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and shared services")

    def ready(self):
        from django.db.models.signals import pre_save

        from .text import strip_control_characters_before_save

        # Every model's text is cleaned of control characters before it is saved (core.text).
        pre_save.connect(strip_control_characters_before_save, dispatch_uid="core.text.controls")

        from .cache import watch_table
        from .models import CalendarYear

        # The calendar's completed years, cached under their own version (core.workdays).
        watch_table("calendar-years", CalendarYear)
