from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        # The county dashboard's cached figures are computed from these (core.cache).
        from core.cache import watch

        from .models import Finding, MutualCheck, PatrolRound

        watch(Finding, MutualCheck, PatrolRound, area="supervision")
