from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import may
from zones.selectors import user_scope

from .models import CityReport, RollupReport


def reports_visible_to(user) -> QuerySet[RollupReport]:
    """Committee staff and leaders read every report; a lead-unit secretary reads their zone's."""
    qs = RollupReport.objects.select_related("zone")
    if not user.is_authenticated:
        return qs.none()
    if may(user, "reports.read_all_reports"):
        return qs
    return qs.filter(Q(zone_id__in=user_scope(user).led_zone_ids))


def city_reports_visible_to(user) -> QuerySet[CityReport]:
    """City staff read every city report; nobody else reads any."""
    qs = CityReport.objects.select_related("city")
    if not may(user, "reports.read_city_reports"):
        return qs.none()
    return qs
