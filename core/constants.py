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
    # 党员: a member with an account of their own (signs in to a study session, reads their study
    # hours, logs their own small practical matters); no unit's post, so no secretary's powers.
    MEMBER = "member", _("Party member")
    # 市级工作人员: the city's organization department or organ work committee, who read every
    # county's pages (read-only) and belong to no county.
    CITY_STAFF = "city", _("City staff")
    # The three separated administrators (三员分立): none does another's work, none holds a
    # role in the mechanism itself.
    SYSTEM_ADMIN = "sysadmin", _("System administrator")
    SECURITY_ADMIN = "secadmin", _("Security administrator")
    AUDIT_ADMIN = "auditor", _("Audit administrator")


# How long a typed text may be, stated by every form (core.forms.StatedLimitsMixin) and carried by
# the models' text columns, so the admin refuses the same: a line (a title, a reason), a paragraph
# (a problem, a note), a text (an activity's summary, what was heard), a document (a report).
LINE_LENGTH = 200
PARAGRAPH_LENGTH = 2000
TEXT_LENGTH = 5000
DOCUMENT_LENGTH = 20000

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# The roles of one county (User.county is set); city staff and the administrators belong to none.
COUNTY_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY, Role.OFFICER, Role.MEMBER})
