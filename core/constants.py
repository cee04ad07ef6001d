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
