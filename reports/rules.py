"""Who may do what with roll-up reports (core.access)."""

from __future__ import annotations

import rules

from counties.rules import hosts_several_counties, is_city_staff
from zones.rules import is_committee, is_committee_staff

rules.add_perm("reports.change_reports", is_committee_staff)
# Every report of the county (the others read their led zones' only: reports.selectors).
rules.add_perm("reports.read_all_reports", is_committee)


# City roll-up reports: requested and read by city staff only, where the city has counties to
# roll up; a county's people, whose business they are not, get 404 (reports.views).
rules.add_perm("reports.read_city_reports", is_city_staff & hosts_several_counties)
rules.add_perm("reports.request_city_reports", is_city_staff & hosts_several_counties)
# Their narrative is edited and the report filed by city staff, as county staff do theirs.
rules.add_perm("reports.change_city_reports", is_city_staff & hosts_several_counties)
