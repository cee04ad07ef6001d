from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Member register")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the key checks)
            history,  # noqa: F401  (masks the phone in a person's history)
        )
