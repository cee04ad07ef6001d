"""The accounts' part of the demo county: the three separated administrators and the committee
staff (the shape of every app's demo: core/demo.py)."""

from __future__ import annotations

from core.constants import Role
from core.demo import DemoContext


def load(*, ctx: DemoContext) -> None:
    """The three separated administrators (三员分立) and the committee staff; no superuser:
    that is for installation."""
    ctx.user("admin", full_name="系统管理员", role=Role.SYSTEM_ADMIN)
    ctx.user("security", full_name="安全管理员", role=Role.SECURITY_ADMIN)
    ctx.user("auditor", full_name="审计管理员", role=Role.AUDIT_ADMIN)
    ctx.user("staff", full_name="赵工委", role=Role.STAFF, is_staff=True)
