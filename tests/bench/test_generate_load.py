"""The benchmark data generator (`generate_load`, bench.loadgen): a city of N counties of ten
zones each, deterministic for a seed, every rectification state, and it refuses a database that
already has an organization."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from activities.models import Activity, Attachment, HostSlot
from bench import loadgen
from core.constants import Role
from counties.constants import Mechanism
from counties.models import City, County
from notifications.models import Notification
from reports.models import RollupReport
from supervision.constants import FindingState
from supervision.models import Finding, MutualCheck, PatrolRound, PatrolTeam, ScoreLine
from tests.factories import CountyFactory, UserFactory, ZoneFactory
from zones.models import Membership, Unit, UnitPost, Zone

DAY = datetime.date(2026, 11, 28)


def _snapshot() -> dict:
    return {
        "units": list(
            Unit.objects.order_by("county__code", "name").values_list(
                "county__code", "name", "name_initials"
            )
        ),
        "zones": list(
            Zone.objects.order_by("county__code", "number").values_list(
                "county__code", "number", "name"
            )
        ),
        "secretaries": list(
            UnitPost.objects.order_by("user__username").values_list(
                "user__username", "user__full_name", "unit__name"
            )
        ),
        "activities": list(
            Activity.objects.order_by("zone__county__code", "zone__number", "month").values_list(
                "zone__county__code", "zone__number", "month", "date", "title", "state"
            )
        ),
        "findings": list(
            Finding.objects.order_by(
                "raised_on",
                "description",
                "state",
                "responsible_unit__county__code",
                "responsible_unit__name",
                "deadline",
            ).values_list(
                "responsible_unit__county__code",
                "responsible_unit__name",
                "raised_on",
                "deadline",
                "state",
            )
        ),
    }


@pytest.mark.django_db
def test_same_seed_gives_the_same_data(fixed_today):
    fixed_today(DAY)
    first = loadgen.generate(scale=2, seed=7, years=1)
    snapshot = _snapshot()
    loadgen.reset()
    assert not Zone.objects.exists() and not Activity.objects.exists()
    assert not County.objects.exists() and not City.objects.exists()
    second = loadgen.generate(scale=2, seed=7, years=1)
    assert first.counts == second.counts
    assert _snapshot() == snapshot
    loadgen.reset()
    loadgen.generate(scale=2, seed=8, years=1)
    assert _snapshot()["activities"] != snapshot["activities"]


def _per_county(queryset, path: str) -> dict[str, int]:
    return dict(queryset.values_list(path).annotate(n=Count("pk")).order_by(path))


@pytest.mark.django_db
def test_scale_is_a_city_of_that_many_counties_of_ten_zones(fixed_today):
    fixed_today(DAY)
    result = loadgen.generate(scale=3, seed=1, years=1)
    counties = list(County.objects.select_related("city").order_by("pk"))
    # county 1 is the demo county; each has its own GB/T 2260 code under one city
    assert [(c.code, c.name) for c in counties] == [
        ("610922", "石泉县"),
        ("610921", "汉阴县"),
        ("610923", "宁陕县"),
    ]
    assert {(c.city.code, c.city.name) for c in counties} == {("610900", "安康市")}
    assert result.county_codes == ["610922", "610921", "610923"]
    assert all(c.runs(Mechanism.ZONES) for c in counties)
    codes = [c.code for c in counties]
    each = {code: 10 for code in codes}
    assert _per_county(Zone.objects, "county__code") == each
    # zone numbers 1…10 repeat in every county, once per county
    for county in counties:
        assert sorted(county.zones.values_list("number", flat=True)) == list(range(1, 11))
    each = {code: 90 for code in codes}
    assert _per_county(Unit.objects, "county__code") == each
    assert _per_county(UnitPost.objects, "unit__county__code") == each
    assert (
        _per_county(Membership.objects.filter(effective_to__isnull=True), "zone__county__code")
        == each
    )
    # a unit's zone, its posts' secretaries and its memberships are of its own county
    assert not Membership.objects.exclude(zone__county=F("unit__county")).exists()
    assert not UnitPost.objects.exclude(user__county=F("unit__county")).exists()
    # a host for every zone-month of the year, an activity for most months so far
    assert _per_county(HostSlot.objects, "zone__county__code") == {code: 10 * 12 for code in codes}
    per_county = _per_county(Activity.objects, "zone__county__code")
    assert all(10 * 8 < per_county[code] <= 10 * 11 for code in codes), per_county
    assert not Activity.objects.exclude(host_unit__county=F("zone__county")).exists()
    assert Attachment.objects.exists() and ScoreLine.objects.exists()
    assert _per_county(MutualCheck.objects, "zone__county__code") == {
        code: 10 * 4 for code in codes
    }
    # each county's own patrol round every half-year, its zones patrolling one another
    assert _per_county(PatrolRound.objects, "county__code") == {code: 2 for code in codes}
    assert not PatrolTeam.objects.exclude(visited_zone__county=F("round__county")).exists()
    assert not PatrolTeam.objects.exclude(from_zone__county=F("round__county")).exists()
    assert not PatrolTeam.objects.exclude(leader__county=F("round__county")).exists()
    # each county's monthly reports
    assert _per_county(RollupReport.objects, "county__code") == {code: 10 for code in codes}
    assert Notification.objects.count() == result.counts["notifications"] > 0
    assert result.counts["units"] == 270 and result.counts["counties"] == 3


@pytest.mark.django_db
def test_each_county_has_its_staff_leaders_and_secretaries_and_the_city_its_staff(fixed_today):
    fixed_today(DAY)
    result = loadgen.generate(scale=2, seed=1, years=1)
    users = get_user_model().objects
    for code in ("610922", "610921"):
        for name in (f"gen_staff_{code}", f"gen_staff_{code}_2"):  # the mix signs in both
            staff = users.get(username=name)
            assert (staff.role, staff.county.code) == (Role.STAFF, code)
            assert staff.check_password(loadgen.DEMO_PASSWORD)
        assert users.filter(role=Role.STAFF, county__code=code).count() == 2
        assert users.filter(role=Role.LEADER, county__code=code).count() == 5
        assert users.filter(role=Role.SECRETARY, county__code=code).count() == 90
        # each leader guides two zones of their own county
        guided = Zone.objects.filter(
            county__code=code, leaderships__leader__county__code=code
        ).distinct()
        assert guided.count() == 10
    city = users.get(username="gen_city")
    assert (city.role, city.county) == (Role.CITY_STAFF, None)
    assert result.staff_username == "gen_staff_610922"
    assert result.city_username == "gen_city"
    secretary = users.get(username=result.secretary_username)
    assert secretary.county.code == "610922"
    assert Zone.objects.get(pk=result.zone_id).county.code == "610922"


@pytest.mark.django_db
def test_past_ten_counties_repeat_with_a_number_under_the_citys_free_codes(fixed_today):
    fixed_today(DAY)
    names = [loadgen.county_spec(index) for index in range(loadgen.MAX_SCALE)]
    codes = [code for code, _name, _short in names]
    assert len(set(codes)) == len(codes) == 99
    assert all(code.startswith("6109") and not code.endswith("00") for code in codes)
    assert len({name for _code, name, _short in names}) == 99
    assert names[10][1:] == ("石泉2县", "石泉2")
    for code, name, short in names:
        county = County(city=City(code="610900", name="安康市"), code=code, name=name)
        county.clean()  # a valid county code of the city
        assert len(short) <= 20


@pytest.mark.django_db
def test_findings_in_every_state_and_some_overdue(fixed_today):
    fixed_today(DAY)
    loadgen.generate(scale=1, seed=3, years=1)
    states = set(Finding.objects.values_list("state", flat=True))
    assert states == set(FindingState.values)
    overdue = Finding.objects.filter(deadline__lt=DAY).exclude(state=FindingState.CLOSED)
    assert overdue.exists()
    assert not Finding.objects.filter(raised_on__isnull=False, deadline__isnull=True).exists()


@pytest.mark.django_db
def test_refuses_a_database_with_zones_and_changes_nothing(fixed_today):
    fixed_today(DAY)
    ZoneFactory(number=1, name="第一片区")
    with pytest.raises(loadgen.DatabaseNotEmpty):
        loadgen.generate(scale=1, seed=1, years=1)
    with pytest.raises(CommandError, match="already has zones"):
        call_command("generate_load", "--scale", "1", "--years", "1")
    assert Zone.objects.count() == 1
    assert not Unit.objects.exists() and not Activity.objects.exists()


@pytest.mark.django_db
def test_reset_replaces_the_existing_organization(fixed_today):
    fixed_today(DAY)
    ZoneFactory(number=1, name="第一片区")
    call_command("generate_load", "--scale", "1", "--years", "1", "--reset", stdout=io.StringIO())
    assert Zone.objects.count() == 10
    assert not Zone.objects.filter(name="第一片区").exists()


@pytest.mark.django_db
def test_reset_keeps_a_county_an_account_of_its_own_belongs_to_and_reuses_it(fixed_today):
    fixed_today(DAY)
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    loadgen.generate(scale=5, seed=1, years=1)
    assert County.objects.count() == 5
    assert Zone.objects.filter(county=ziyang).count() == 10  # county 4 is the same 紫阳县
    loadgen.reset()
    assert list(County.objects.values_list("code", flat=True)) == ["610924"]
    assert City.objects.count() == 1
    assert get_user_model().objects.get(username="zy_staff").county == ziyang


@pytest.mark.django_db
def test_refuses_a_scale_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_load", "--scale", "0")
    assert not Zone.objects.exists()


@pytest.mark.django_db
def test_refuses_more_counties_than_a_city_has_codes():
    with pytest.raises(CommandError, match="at most 99"):
        call_command("generate_load", "--scale", "100")
    with pytest.raises(ValueError, match="99"):
        loadgen.generate(scale=100, seed=1, years=1)
    assert not Zone.objects.exists() and not County.objects.exists()


@pytest.mark.django_db
def test_the_command_analyzes_the_tables_after_generating(fixed_today):
    """Issue 20: the planner gets statistics of the fresh data before anything is measured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fixed_today(DAY)
    with CaptureQueriesContext(connection) as captured:
        call_command("generate_load", "--scale", "1", "--years", "1", stdout=io.StringIO())
    statements = [q["sql"].strip().upper() for q in captured.captured_queries]
    assert statements[-1] == "ANALYZE"
    assert Activity.objects.exists()


@pytest.mark.django_db
def test_extras_audit_history_and_the_new_mechanisms_in_proportion(fixed_today):
    """Issue 20: with the extras, 3,000 audit events a county a year (300,000 at 20 counties in
    five years), a history row per activity and finding, and county 1 runs the three new
    mechanisms with their records; without them, none of it."""
    from audit.models import AuditEvent
    from education.models import Attendance, Session
    from teams.models import Assignment, MicroMatter, Team, TeamMember
    from wishes.models import Group, Step, Wish

    fixed_today(DAY)
    plain = loadgen.generate(scale=1, seed=1, years=1)
    assert "audit events" not in plain.counts and not Team.objects.exists()
    loadgen.reset()
    before = AuditEvent.objects.count()
    result = loadgen.generate(scale=1, seed=1, years=1, extras=True)
    counts = result.counts
    assert counts["audit events"] == AuditEvent.objects.count() - before == 3_000
    assert counts["history rows"] >= counts["activities"] + counts["findings"]
    county = County.objects.get()
    assert {Mechanism.ZONES, Mechanism.TEAMS, Mechanism.EDUCATION, Mechanism.WISHES} <= {
        m for m in Mechanism if county.runs(m)
    }
    assert Team.objects.count() == counts["service teams"] == 16
    assert TeamMember.objects.count() == 4 * 16
    assert Assignment.objects.count() == counts["units"]  # every unit has its team
    assert MicroMatter.objects.count() == 12 * 16
    # the teams' work since January: a visit of each organization about every 30 days on a
    # guidance sheet, contacts between them, one problem in five visits in rectification
    from supervision.constants import Source
    from supervision.models import Finding
    from teams.models import Contact, GuidanceVisit, TrainingEntry

    visits = GuidanceVisit.objects.select_related("sheet")
    months = DAY.timetuple().tm_yday / 30
    assert counts["units"] * (months - 1) <= visits.count() == counts["guidance visits"]
    assert visits.count() <= counts["units"] * (months + 1)
    assert all(v.sheet.checked_unit_id == v.unit_id for v in visits)
    assert all(2 <= v.went.count() <= 3 for v in visits[:20])
    assert Contact.objects.count() == counts["team contacts"] > 2 * visits.count()
    problems = Finding.objects.filter(source=Source.GUIDANCE)
    assert problems.count() == counts["guidance problems"]
    assert 0.1 * visits.count() < problems.count() < 0.3 * visits.count()
    assert set(problems.values_list("sheet__guidance_visit__visited_on", flat=True)) == set(
        problems.values_list("raised_on", flat=True)
    )
    assert TrainingEntry.objects.count() == counts["training entries"] > 0
    assert Session.objects.count() == counts["study sessions"] > 0
    # the units' party-group meetings, a quarter each, three in four with a 第一议题 recorded as a
    # session of the theory classroom for the unit's members; the other sessions for three units
    from education.constants import ClassroomKind
    from education.models import Meeting
    from education.selectors import first_topic_compliance

    meetings = Meeting.objects.select_related("first_topic__classroom")
    assert meetings.count() == counts["party-group meetings"] >= counts["units"] * 4
    topics = [m.first_topic for m in meetings if m.first_topic is not None]
    assert 0.6 * len(meetings) < len(topics) < 0.9 * len(meetings)
    assert {t.classroom.kind for t in topics} == {ClassroomKind.THEORY}
    assert all(list(m.first_topic.units.all()) == [m.unit] for m in meetings[:20] if m.first_topic)
    regular = Session.objects.filter(meeting__isnull=True).count()
    assert Attendance.objects.count() == (
        (regular * 3 + len(topics)) * loadgen.REGISTER_MEMBERS_PER_UNIT
    )
    recorded, held = first_topic_compliance(DAY.year, county_id=county.pk)
    assert 0 < recorded < held
    assert Group.objects.count() == 150 and Wish.objects.count() == 1_500
    assert Step.objects.count() == counts["wish steps"] > Wish.objects.count()
    # 双报到: most members of every unit registered with one of the county's communities, each
    # with services done after registering, up to today, logged through the community
    from education.models import Community, CommunityRegistration, CommunityService
    from people.constants import MatterSource

    assert Community.objects.count() == counts["communities"] == 8
    registered = loadgen.REGISTER_MEMBERS_PER_UNIT * 2 // 3
    assert CommunityRegistration.objects.count() == counts["units"] * registered
    services = CommunityService.objects.select_related("matter", "registration")
    assert services.count() == counts["community services"] == 3 * counts["units"] * registered
    assert all(
        s.registration.registered_on < s.matter.done_on <= DAY
        and s.matter.source == MatterSource.COMMUNITY
        and s.matter.person_id == s.registration.person_id
        for s in services
    )
    assert services.filter(matter__confirmed_at__isnull=False).exists()
