"""Who may reach which side of the portal (core.access): the pages of the mechanism, or the
administration sites."""

from __future__ import annotations

import rules


@rules.predicate
def works_on_the_portal(user) -> bool:
    """Anyone signed in but the three separated administrators (三员分立), who work on their
    own administration sites only (accounts.middleware.AdministratorMiddleware)."""
    return bool(user.is_authenticated) and not user.is_separated_admin


@rules.predicate
def opens_administration(user) -> bool:
    """Django's own gate to the administration site (`is_staff`); each site then decides what
    it shows (accounts.sites, audit.sites)."""
    return bool(user.is_authenticated) and bool(user.is_staff)


rules.add_perm("accounts.work_on_portal", works_on_the_portal)
rules.add_perm("accounts.open_administration", opens_administration)
