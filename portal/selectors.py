"""Reads for the pages that span the organization: the zone and unit pages and the navigation
bar's search (who may see which zone and unit: zones.selectors)."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from activities.models import Activity
from activities.selectors import activities_visible_to, zone_rotation
from core.access import may
from core.pinyin import clean_query, initials_pattern
from counties.constants import Mechanism
from counties.mechanisms import reader_runs
from counties.rules import is_city_staff
from people.selectors import people_visible_to, person_match
from supervision.constants import FindingState
from supervision.selectors import checks_visible_to, findings_visible_to
from teams.models import TrainingEntry
from zones.models import Membership, Unit, UnitGrade, Zone, ZoneLeadership, in_force_on
from zones.selectors import (
    today,
    unit_match,
    units_visible_to,
    units_with_state,
    zones_visible_to,
)

from .models import CountySnapshot


def zone_page(zone: Zone) -> dict:
    """Everything the zone page shows about the organization, in a fixed number of queries."""
    day = today()
    grade = UnitGrade.objects.filter(unit=OuterRef("unit_id"), effective_from__lte=day).order_by(
        "-effective_from"
    )
    members = list(
        Membership.objects.filter(in_force_on(day), zone=zone)
        .select_related("unit")
        .annotate(grade=Subquery(grade.values("grade")[:1]))
        .order_by("-role", "unit__name_pinyin")
    )
    changes = list(
        Membership.objects.filter(zone=zone)
        .select_related("unit", "created_by")
        .order_by("-effective_from", "-id")[:30]
    )
    leaders = list(
        ZoneLeadership.objects.filter(zone=zone)
        .select_related("leader")
        .order_by("-effective_from")
    )
    return {
        "members": members,
        "lead": next((m for m in members if m.role == "lead"), None),
        "leader": next((row.leader for row in leaders if row.holds_on(day)), None),
        "leaderships": leaders,
        "changes": changes,
    }


def unit_page(unit: Unit) -> dict:
    return {
        "memberships": list(
            unit.memberships.select_related("zone", "created_by").order_by("-effective_from")
        ),
        "grades": list(unit.grades.select_related("set_by").order_by("-effective_from")),
        "posts": list(unit.posts.select_related("user").order_by("kind", "user__full_name")),
        "state": units_with_state().get(pk=unit.pk),
    }


def participant_ids_matching(query: str, *, limit: int = 200) -> list[int]:
    """The active units the activity form's participant picker offers for a query, by the
    navigation search's rule; every active unit may join an activity, so not user-scoped."""
    query = clean_query(query)
    if not query:
        return []
    return list(
        Unit.objects.filter(unit_match(query), is_active=True)
        .order_by("name_pinyin")
        .values_list("pk", flat=True)[:limit]
    )


def search(user, query: str, *, limit: int = 10) -> dict:
    """Units, zones and people by Chinese name or pinyin initials as a subsequence ("nyj" finds
    县农业农村局), limited to what the user may see."""
    query = clean_query(query)
    if not query:
        return {"units": [], "zones": [], "people": []}
    zone_text = Q(name__icontains=query) | Q(focus__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence:
        zone_text |= Q(name_initials__regex=subsequence)
    units = list(units_visible_to(user).filter(unit_match(query)).order_by("name_pinyin")[:limit])
    zones = list(zones_visible_to(user).filter(zone_text).order_by("number")[:limit])
    # People of the register the reader may see, by name or pinyin initials only (never by an
    # ID or phone number); the results show names, no number.
    people = list(
        people_visible_to(user)
        .filter(person_match(query), left_on__isnull=True)
        .order_by("name_pinyin", "pk")[:limit]
    )
    return {"units": units, "zones": zones, "people": people}


def zone_sections(user, zone: Zone) -> dict:
    """The zone page's records of the mechanism, each scoped to what `user` may read: the
    year's host rotation, recent activities, mutual checks and open findings."""
    day = today()
    return {
        "rotation": zone_rotation(zone=zone, year=day.year),
        "activities": list(
            activities_visible_to(user).filter(zone=zone).order_by("-date", "-pk")[:15]
        ),
        "checks": list(checks_visible_to(user).filter(zone=zone).order_by("-year", "-quarter")[:8]),
        "findings": list(
            findings_visible_to(user)
            .filter(zone=zone)
            .exclude(state=FindingState.CLOSED)
            .order_by("deadline", "pk")[:20]
        ),
    }


def unit_sections(user, unit: Unit) -> dict:
    """The unit page's activities (hosted or joined) and findings, scoped to `user`. The joined
    ones are an id subquery of the participants' table (issue 20): an OR across its join with
    DISTINCT joined every activity to every participant row and de-duplicated them all to show
    fifteen."""
    joined = Activity.participants.through.objects.filter(unit_id=unit.pk).values("activity_id")
    return {
        "activities": list(
            activities_visible_to(user)
            .filter(Q(host_unit=unit) | Q(pk__in=joined))
            .order_by("-date", "-pk")[:15]
        ),
        "findings": list(
            findings_visible_to(user)
            .filter(responsible_unit=unit)
            .order_by("-raised_on", "-pk")[:20]
        ),
    }


def person_sections(user, person) -> dict:
    """The person page's records of the mechanisms their reader's county runs: the trainings
    and contests of the service teams they took part in (teams.TrainingEntry), newest first.
    The page itself (people.views.person_detail) already decided the reader may see them."""
    if not reader_runs(user, Mechanism.TEAMS):
        return {}
    return {
        "trainings": list(
            TrainingEntry.objects.filter(person=person)
            .select_related("training")
            .order_by("-training__held_on", "-pk")[:30]
        ),
        "reads_trainings": may(user, "teams.read_league"),
    }


def activities_found(user, query: str, *, limit: int = 10) -> list:
    query = clean_query(query)
    if not query:
        return []
    match = Q(title__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence:
        match |= Q(title_initials__regex=subsequence)
    return list(activities_visible_to(user).filter(match).order_by("-date")[:limit])


def snapshots_visible_to(user) -> QuerySet:
    """The county snapshots `user` reads, newest first: every county's for city staff, their
    own county's for a person of a self-hosted county, none for anyone else."""
    qs = CountySnapshot.objects.select_related(
        "county", "imported_by", "returned_by", "supersedes"
    ).order_by("-imported_at", "-pk")
    if is_city_staff(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.county_id is not None:
        return qs.filter(county_id=user.county_id)
    return qs.none()
