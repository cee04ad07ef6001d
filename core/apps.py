from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and shared services")

    def ready(self):
        from django.db.models.signals import pre_save

        from . import security, signals  # noqa: F401  (receivers)
        from .text import strip_control_characters_before_save

        # Every model's text is cleaned of control characters before it is saved (core.text).
        pre_save.connect(strip_control_characters_before_save, dispatch_uid="core.text.controls")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin whose default site (`/admin/`) admits only the system administrator and
    committee staff with admin access (core.sites)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "core.sites.SystemAdminSite"


class AxesConfig(axes_apps.AppConfig):
    """django-axes under a name the security administrator's site shows in Chinese too."""

    default = False  # named in INSTALLED_APPS in place of axes
    verbose_name = _("Sign-in lockouts")
