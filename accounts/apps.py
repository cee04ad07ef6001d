from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The accounts subsystem (账号与安全): the security policy, passwords, sign-in lockouts,
    the second factor, the separated administrators' sites and the role permissions. Sits above
    `audit` (its pages record audit events); the user model itself stays `core.User`
    (docs/architecture.md says why)."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import security, signals  # noqa: F401  (receivers)


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin whose default site (`/admin/`) admits only the system administrator and
    committee staff with admin access (accounts.sites)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "accounts.sites.SystemAdminSite"


class AxesConfig(axes_apps.AppConfig):
    """django-axes under a name the security administrator's site shows in Chinese too."""

    default = False  # named in INSTALLED_APPS in place of axes
    verbose_name = _("Sign-in lockouts")
