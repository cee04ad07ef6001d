"""Supervision fixtures on top of the county personas: today pinned, a mutual check of zone A,
a patrol round, and helpers that fill and submit sheets."""

from __future__ import annotations

import datetime
import random

import pytest

from supervision import services
from supervision.models import ScoreSheet

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def today(fixed_today):
    return fixed_today(TODAY)


def fill(sheet: ScoreSheet, by, *, fraction: float = 1.0, submit: bool = True) -> ScoreSheet:
    """Score every line of a sheet at `fraction` of its maximum, and submit it."""
    scores = {
        line.pk: (str(round(float(line.max_score) * fraction, 1)), "") for line in sheet.lines.all()
    }
    services.sheet_save_scores(sheet=sheet, scores=scores, by=by)
    if submit:
        services.sheet_submit(sheet=sheet, by=by)
    sheet.refresh_from_db()
    return sheet


@pytest.fixture
def check_a(county, today):
    """Zone A's mutual check of 2026 Q4, with its proposed pairing."""
    return services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=4, by=county.lead_secretary, rng=random.Random(1)
    )


@pytest.fixture
def sheet_by_secretary(county, check_a):
    """The sheet the member unit (persona `secretary`) fills as checker."""
    return check_a.sheets.get(checker_unit=county.member_unit)


@pytest.fixture
def sheet_of_secretary(county, check_a):
    """The sheet in which the member unit is the one checked."""
    return check_a.sheets.get(checked_unit=county.member_unit)


@pytest.fixture
def published_check(county, check_a):
    """Zone A's check with a finding on the member unit's sheet, every sheet submitted and the
    results published."""
    sheet = check_a.sheets.get(checked_unit=county.member_unit)
    services.finding_record(
        sheet=sheet, description="三会一课记录不全", severity="general", by=county.staff
    )
    for s in check_a.sheets.all():
        fill(s, county.staff, fraction=0.8)
    services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    check_a.refresh_from_db()
    return check_a


@pytest.fixture
def finding(county, published_check):
    return published_check.sheets.get(checked_unit=county.member_unit).findings.get()


@pytest.fixture
def patrol_round(county, today):
    return services.patrol_round_open(year=2026, half=2, by=county.staff, rng=random.Random(2))
