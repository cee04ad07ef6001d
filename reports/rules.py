"""Who may do what with roll-up reports (core.access)."""

from __future__ import annotations

import rules

from zones.rules import is_committee, is_committee_staff

rules.add_perm("reports.change_reports", is_committee_staff)
# Every report of the county (the others read their led zones' only: reports.selectors).
rules.add_perm("reports.read_all_reports", is_committee)
