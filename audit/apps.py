from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail (审计日志): who did what, when, from where. Sits above every app whose
    records it keeps; nothing below it knows it exists."""

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
        from .history import register_all

        register_all()

        from .append_only import on_post_migrate

        # after the last app's migrations: every history table exists by then
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="audit.append_only")
