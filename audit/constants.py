from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Account locked")
    PERMISSION_DENIED = "denied", _("Permission denied")
    EXPORT = "export", _("Export")
    ADMIN_ACTION = "admin", _("Administrator action")
    SECOND_FACTOR = "otp", _("Second factor")
    SUPERUSER = "superuser", _("Superuser request")
    PERSONAL_DATA = "personal", _("Personal data viewed")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")
