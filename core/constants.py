"""Choices shared across the portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does in the mechanism. Lead-unit secretaries and guiding leaders are not
    separate roles: they follow from the unit a secretary serves and the zones a leader guides."""

    STAFF = "staff", _("Work-committee staff")
    LEADER = "leader", _("Work-committee leader")
    SECRETARY = "secretary", _("Unit party secretary")
    OFFICER = "officer", _("Party-affairs officer")
    # The three separated administrators (三员分立): none does another's work, none holds a
    # role in the mechanism itself.
    SYSTEM_ADMIN = "sysadmin", _("System administrator")
    SECURITY_ADMIN = "secadmin", _("Security administrator")
    AUDIT_ADMIN = "auditor", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
