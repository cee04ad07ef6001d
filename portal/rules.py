"""Who may open the portal's committee pages (core.access)."""

from __future__ import annotations

import rules

from counties.rules import is_city_staff
from zones.rules import is_committee, is_committee_staff

rules.add_perm("portal.open_dashboard", is_committee)
rules.add_perm("portal.see_moves", is_committee_staff | is_city_staff)
