from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders, escalations and digests: reads across activities and supervision, so it sits
    above both."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
