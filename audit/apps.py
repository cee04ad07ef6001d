from django.apps import AppConfig
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
