"""One record of a small practical matter (people.PracticalMatter) for the service teams, the
classrooms' 双报到 and the micro-wish claims: a deed is logged once and counted by each
mechanism's figure once. Hand-computed on the teams' world (today 2026-11-28): 赵队员 is on
team A since 2026-01-01, a member of the other lead unit, registered (双报到) with 东城社区
since 2026-06-01."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from counties.constants import Mechanism
from counties.models import CountyMechanism
from education import selectors as education_selectors
from education import services as education_services
from education.models import CommunityService
from people import services as people_services
from people.constants import ConfirmedVia, MatterCategory, MatterSource
from people.models import PracticalMatter
from teams import services
from teams.models import MicroMatter
from teams.selectors import county_headline, league, member_cards
from teams.services import policy_for
from tests.factories import UserFactory
from tests.wishes.conftest import MONDAY, build
from wishes import services as wish_services

pytestmark = pytest.mark.django_db

TUE = MONDAY + datetime.timedelta(days=1)
YEAR = 2026


@pytest.fixture
def registered(county, teams):
    """赵队员 registered with 东城社区 (confirmed) from 2026-06-01."""
    CountyMechanism.objects.get_or_create(
        county=county.lead_unit.county,
        mechanism=Mechanism.EDUCATION,
        until=None,
        defaults={"since": datetime.date(2024, 1, 1)},
    )
    account = UserFactory(username="community", county=county.lead_unit.county)
    community = education_services.community_save(
        county=county.lead_unit.county, name="东城社区", accounts=[account]
    )
    registration = education_services.registration_create(
        unit=county.other_lead_unit,
        person=teams.member_person,
        community=community,
        registered_on=datetime.date(2026, 6, 1),
        by=county.staff,
    )
    education_services.community_confirm(
        community=community, by=account, registration_ids=[registration.pk]
    )
    registration.refresh_from_db()
    return registration


def _team_matters(teams) -> tuple[int, int]:
    policy = policy_for(teams.team_a.county_id)
    (card,) = league(year=YEAR, policy=policy, teams=[teams.team_a])
    member = next(
        c
        for c in member_cards(year=YEAR, policy=policy, team=teams.team_a)
        if c.member.person_id == teams.member_person.pk
    )
    return card.matters, member.matters


def _education(county) -> tuple[int, Decimal, int]:
    (row,) = education_selectors.unit_community_figures(YEAR, units=[county.other_lead_unit])
    return row["services"], row["hours"], row["matters"]


def test_a_claim_fulfilled_by_a_registered_team_member_counts_once_in_each(
    county, teams, registered
):
    assert _team_matters(teams) == (0, 0)
    assert _education(county) == (0, Decimal(0), 0)
    w = build(county)
    claim = wish_services.wish_claim(
        wish=w.wish,
        person=teams.member_person,
        unit=county.other_lead_unit,
        by=teams.member,
        on=MONDAY,
    )
    wish_services.claim_fulfil(
        claim=claim, note="已修复村道", hours=Decimal(2), by=teams.member, on=TUE
    )
    (record,) = PracticalMatter.objects.all()
    assert (record.person, record.done_on, record.source, record.category) == (
        teams.member_person,
        TUE,
        MatterSource.WISH,
        MatterCategory.WISH,
    )
    assert record.confirmed_via == ConfirmedVia.WISH and claim.fulfilled_on == TUE
    # teams: 1 matter for the team and for the member (team A on 11-24, credit by date)
    assert _team_matters(teams) == (1, 1)
    assert (
        county_headline(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))[
            "matters"
        ]
        == 1
    )
    # 双报到: 1 service of 2 hours, a practical matter, for the registration's unit
    assert _education(county) == (1, Decimal(2), 1)
    figures = education_selectors.county_figures(YEAR, county_id=county.lead_unit.county_id)
    assert (figures["services"], figures["service_hours"]) == (1, Decimal(2))
    assert not MicroMatter.objects.exists() and not CommunityService.objects.exists()


def test_a_matter_logged_through_the_team_is_not_asked_again_for_the_community(
    county, teams, registered
):
    matter = services.matter_log(
        person=teams.member_person,
        by=teams.member,
        description="帮助村民销售滞销猕猴桃",
        category=MatterCategory.SALES,
        done_on=datetime.date(2026, 11, 20),
        hours=Decimal(3),
        people_served=12,
    )
    # waiting for the captain: it counts nowhere yet
    assert _team_matters(teams) == (0, 0) and _education(county) == (0, Decimal(0), 0)
    services.matter_confirm(matter=matter, by=teams.captain)
    assert _team_matters(teams) == (1, 1)
    # the member's 双报到 figures count it without a service logged for it
    assert _education(county) == (1, Decimal(3), 1)
    assert not CommunityService.objects.exists()
    assert PracticalMatter.objects.get().confirmed_via == ConfirmedVia.CAPTAIN
    # the same deed linked to a wish claim fulfilled afterwards: still one row, counted once
    w = build(county)
    claim = wish_services.wish_claim(
        wish=w.wish, person=teams.member_person, unit=county.other_lead_unit, by=None, on=MONDAY
    )
    wish_services.claim_fulfil(
        claim=claim, note="已帮助销售", by=teams.member, on=TUE, matter=matter.matter
    )
    assert PracticalMatter.objects.count() == 1
    assert _team_matters(teams) == (1, 1) and _education(county) == (1, Decimal(3), 1)


def test_a_service_logged_for_the_community_counts_for_a_team_member_too(county, teams, registered):
    service = education_services.service_log(
        registration=registered,
        done_on=datetime.date(2026, 11, 2),
        description="社区环境整治",
        hours=Decimal("1.5"),
        practical_matter=True,
        by=county.staff,
    )
    account = registered.community.accounts.get()
    education_services.community_confirm(
        community=registered.community, by=account, service_ids=[service.pk]
    )
    service.matter.refresh_from_db()
    assert service.matter.confirmed_via == ConfirmedVia.COMMUNITY
    assert _education(county) == (1, Decimal("1.5"), 1) and _team_matters(teams) == (1, 1)
    # a plain service (no practical matter) counts its hours, never as a matter
    plain = education_services.service_log(
        registration=registered,
        done_on=datetime.date(2026, 11, 3),
        description="社区值守",
        hours=Decimal(2),
        by=county.staff,
        confirmed=True,
    )
    assert plain.matter.category == MatterCategory.SERVICE
    assert _education(county) == (2, Decimal("3.5"), 1) and _team_matters(teams) == (1, 1)


def test_a_bad_record_is_refused_with_its_reason_and_nothing_changes(county, teams):
    person = teams.member_person
    with pytest.raises(ValidationError, match="once it is done"):
        people_services.matter_record(
            person=person,
            source=MatterSource.TEAMS,
            done_on=datetime.date(2026, 12, 1),
            description="修路灯",
            by=teams.member,
        )
    with pytest.raises(ValidationError, match="Say what was done"):
        people_services.matter_record(
            person=person,
            source=MatterSource.TEAMS,
            done_on=datetime.date(2026, 11, 1),
            description="  ",
            by=teams.member,
        )
    with pytest.raises(ValidationError, match="which mechanism"):
        people_services.matter_record(
            person=person,
            source="elsewhere",
            done_on=datetime.date(2026, 11, 1),
            description="修路灯",
            by=teams.member,
        )
    assert not PracticalMatter.objects.exists()
    record = people_services.matter_record(
        person=person,
        source=MatterSource.TEAMS,
        done_on=datetime.date(2026, 11, 1),
        description="修路灯",
        by=teams.member,
    )
    people_services.matter_confirm(matter=record, via=ConfirmedVia.CAPTAIN, by=teams.captain)
    with pytest.raises(ValidationError, match="already confirmed"):
        people_services.matter_confirm(matter=record, via=ConfirmedVia.COMMUNITY, by=None)
    record.refresh_from_db()
    assert record.confirmed_via == ConfirmedVia.CAPTAIN


def test_a_claim_refuses_another_persons_matter_and_bad_hours(county, teams):
    other = people_services.matter_record(
        person=teams.captain_person,
        source=MatterSource.TEAMS,
        done_on=datetime.date(2026, 11, 1),
        description="修路灯",
        by=teams.captain,
    )
    w = build(county)
    claim = wish_services.wish_claim(
        wish=w.wish, person=teams.member_person, unit=county.other_lead_unit, by=None, on=MONDAY
    )
    with pytest.raises(ValidationError, match="another person"):
        wish_services.claim_fulfil(claim=claim, note="已办", by=None, on=TUE, matter=other)
    with pytest.raises(ValidationError, match="hours as a number"):
        wish_services.claim_fulfil(claim=claim, note="已办", by=None, on=TUE, hours="many")
    claim.refresh_from_db()
    w.wish.refresh_from_db()
    assert claim.matter_id is None and w.wish.answer == ""
    assert PracticalMatter.objects.count() == 1


def test_the_register_page_shows_the_persons_record_of_service(client, county, teams):
    matter = services.matter_log(
        person=teams.member_person,
        by=teams.member,
        description="为独居老人维修电路",
        category=MatterCategory.REPAIR,
        done_on=datetime.date(2026, 11, 20),
        hours=Decimal(2),
        people_served=1,
    )
    client.force_login(county.staff)
    page = client.get(reverse("people:detail", args=[teams.member_person.pk]))
    assert page.status_code == 200
    assert "为独居老人维修电路" in page.content.decode()
    assert 'id="person-matters"' in page.content.decode()
    services.matter_confirm(matter=matter, by=teams.captain)
    page = client.get(reverse("people:detail", args=[teams.member_person.pk]))
    assert "队长确认" in page.content.decode() or "captain" in page.content.decode()


def test_the_register_page_costs_the_same_with_more_matters(client, county, teams):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def log(n):
        for k in range(n):
            services.matter_log(
                person=teams.member_person,
                by=teams.member,
                description=f"走访慰问{k}",
                category=MatterCategory.CARE,
                done_on=datetime.date(2026, 11, 1 + k),
            )

    client.force_login(county.staff)
    url = reverse("people:detail", args=[teams.member_person.pk])
    log(1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    log(6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
