"""The service teams' demo at the article's scale: 紫阳县 with 92 organizations, a pool of 62
(46 members, 16 committee captains) in 16 teams formed by the builder, a year of visits, findings
(some rectified, some overdue), small practical matters, training and a contest with 9 prize
winners, promotions and brands, next year's rotation proposed and not confirmed; loaded once."""

from __future__ import annotations

import time

from django.core.management import call_command

from counties.models import County
from counties.scoping import county_scope
from supervision.constants import FindingState
from supervision.models import Finding
from teams.constants import Prize, RotationState, TeamRole
from teams.models import (
    Assignment,
    Brand,
    GuidanceVisit,
    MicroMatter,
    Rotation,
    Team,
    TeamMember,
    TrainingEntry,
)
from tests.portal.test_demo import table_counts
from zones.models import Unit


def test_ziyang_runs_sixteen_teams_as_the_article_describes(db, settings):
    settings.DEBUG = True
    started = time.monotonic()
    call_command("load_demo", verbosity=0)
    assert time.monotonic() - started < 600
    with county_scope(County.objects.get(code="610924")):
        assert Unit.objects.filter(is_active=True).count() == 92
        assert Team.objects.count() == 16
        open_members = TeamMember.objects.filter(effective_to__isnull=True)
        assert open_members.filter(role=TeamRole.CAPTAIN).count() == 16
        assert open_members.filter(role=TeamRole.MEMBER).count() == 46  # a pool of 62
        assert Assignment.objects.filter(effective_to__isnull=True).count() >= 88
        assert GuidanceVisit.objects.count() >= 50
        guidance = Finding.objects.filter(source="guidance")
        assert guidance.filter(state=FindingState.CLOSED).exists()
        assert guidance.exclude(state=FindingState.CLOSED).exists()
        assert MicroMatter.objects.filter(matter__confirmed_at__isnull=False).count() >= 80
        assert TrainingEntry.objects.exclude(prize=Prize.NONE).count() == 9
        assert Brand.objects.exists()
        assert Rotation.objects.get().state == RotationState.PROPOSED
    before = table_counts()
    call_command("load_demo", verbosity=0)
    assert table_counts() == before
