from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Roll-up reports (汇总报表): read across activities and supervision."""

    name = "reports"
    verbose_name = _("Roll-up reports")
