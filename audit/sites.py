"""The audit administrator's admin site (`/audit-admin/`, 三员分立): the audit trail and the
records' history, read and exported (audit.admin). The other two administrators' sites are
accounts' (accounts.sites)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.constants import Role
from core.sites import RoleAdminSite


class AuditAdminSite(RoleAdminSite):
    site_header = _("Audit administration")
    site_title = _("Audit administration")
    index_title = _("Audit trail")
    role = Role.AUDIT_ADMIN


audit_site = AuditAdminSite(name="audit_admin")
