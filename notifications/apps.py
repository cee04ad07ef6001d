from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders, escalations and digests: reads across activities and supervision, so it sits
    above both."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # A publication is announced when it happens (notifications.announcements); supervision
        # knows nothing of notifications, so this app listens to its records.
        from supervision.models import MutualCheck, PatrolRound

        from .announcements import on_check_saved, on_round_saved

        post_save.connect(
            on_check_saved, sender=MutualCheck, dispatch_uid="notifications_check_saved"
        )
        post_save.connect(
            on_round_saved, sender=PatrolRound, dispatch_uid="notifications_round_saved"
        )

        from . import signals  # noqa: F401 - connects the receivers
