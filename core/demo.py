"""The shape every app's demo takes (the accounts' own loader is accounts/demo.py).

`manage.py load_demo` (the orchestrator, `portal/demo.py`) builds the demo county by calling, in
one declared order, the `load(*, ctx: DemoContext) -> None` of each app's `demo.py`. Each loader
writes its own app's records through that app's services, reads what the loaders before it built
from `ctx` (the day the zones were drawn, today, the accounts and units by name) or from the
database, and adds what it builds that a later loader needs. A loader runs once, on an empty
database: the orchestrator refuses a second run, so a loader need not check for itself."""

from __future__ import annotations

import dataclasses
import datetime
import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Model

from core.constants import COUNTY_ROLES

DEMO_PASSWORD = "Demo@2026"


@dataclasses.dataclass
class DemoContext:
    """What the loaders share while the demo county is built."""

    start: datetime.date
    """The day the zones were drawn: 1 January of last year, for two years of history."""
    today: datetime.date
    accounts: dict[str, Any] = dataclasses.field(default_factory=dict)
    """username → user, for every account a loader created."""
    units: dict[str, Model] = dataclasses.field(default_factory=dict)
    """name → unit (`zones.Unit`), filled in by the zones loader."""
    county: Model | None = None
    """The demo county (`counties.County`, 石泉县) the loaders build in, set by the counties
    loader: the county of every account of a county's role created after it."""
    counties: dict[str, Model] = dataclasses.field(default_factory=dict)
    """GB/T 2260 code → county (`counties.County`), every county of the demo city, set by the
    counties loader."""
    county_units: dict[str, dict[str, Model]] = dataclasses.field(default_factory=dict)
    """County code → name → unit, of the counties besides the demo county (their organs),
    filled in by the zones loader; `units` holds the demo county's."""

    @property
    def admin(self) -> Any:
        """The system administrator, who performs the demo's administrative changes."""
        return self.accounts["admin"]

    def user(self, username: str, *, full_name: str, role: str, **extra: Any) -> Any:
        """Create a demo account with the demo password, and remember it by its username."""
        if role in COUNTY_ROLES and "county" not in extra:
            extra["county"] = self.county
        user = get_user_model()(username=username, full_name=full_name, role=role, **extra)
        user.password = _demo_password_hash()
        user.save()
        self.accounts[username] = user
        return user


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; the ~100 demo accounts share one password, so hash it once.
    return make_password(DEMO_PASSWORD)
