"""`load_demo` builds a county like Shiquan's, once, and only on a development machine.

Loading the demo county takes a while (two years of activities, checks and findings), so the
checks of what it built share one load; each check is a function named for what it shows."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from activities.constants import ActivityForm
from activities.models import Activity
from core.demo import DEMO_PASSWORD
from core.workdays import workdays_between
from supervision.constants import FindingState
from supervision.models import Finding
from zones.constants import Grade, MembershipRole
from zones.models import Membership, Unit, UnitPost, Zone
from zones.selectors import today, unit_grade_on, zone_lead_on, zone_leader_on, zone_members_on


def table_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def ten_zones_with_first_class_leads():
    day = today()
    zones = list(Zone.objects.all())
    assert len(zones) == 10
    for zone in zones:
        lead = zone_lead_on(zone=zone, day=day)
        assert lead is not None, zone
        assert unit_grade_on(unit=lead, day=day) == Grade.FIRST
        assert zone_leader_on(zone=zone, day=day) is not None
        assert zone_members_on(zone=zone, day=day).count() >= 5
    shiquan = Unit.objects.filter(county__code="610922")
    assert 85 <= shiquan.filter(kind="organ").count() <= 100
    assert shiquan.exclude(kind="organ").count() >= 3


def zones_as_the_article_describes_them():
    day = today()
    assert zone_lead_on(zone=Zone.objects.get(number=8), day=day).name == "县农业农村局"
    assert zone_lead_on(zone=Zone.objects.get(number=5), day=day).name == "县教育和体育局"
    zone5 = {u.name for u in zone_members_on(zone=Zone.objects.get(number=5), day=day)}
    assert {"团县委", "县妇联"} <= zone5
    zone10 = {u.name for u in zone_members_on(zone=Zone.objects.get(number=10), day=day)}
    assert {"石泉经开区", "县经济贸易局", "县司法局"} <= zone10


def history_and_a_realistic_class_mix():
    assert Membership.objects.filter(effective_to__isnull=False).count() >= 4
    assert Membership.objects.filter(role=MembershipRole.LEAD, effective_to__isnull=False).exists()
    shiquan = Unit.objects.filter(kind="organ", county__code="610922")
    grades = [unit_grade_on(unit=u, day=today()) for u in shiquan]
    assert {Grade.FIRST, Grade.SECOND, Grade.THIRD} <= set(grades)


def accounts_sign_in_with_their_roles():
    user_model = get_user_model()
    for username in ("admin", "staff", "leader", "lead", "secretary"):
        assert user_model.objects.get(username=username).check_password(DEMO_PASSWORD), username
    zone10 = Zone.objects.get(number=10)
    assert zone_leader_on(zone=zone10, day=today()).username == "leader"
    lead = user_model.objects.get(username="lead")
    assert lead.unit_posts.get().unit == zone_lead_on(zone=zone10, day=today())
    unit = user_model.objects.get(username="secretary").unit_posts.get().unit
    assert unit in zone_members_on(zone=zone10, day=today())
    assert unit != zone_lead_on(zone=zone10, day=today())


def a_city_of_four_counties():
    from core.constants import Role
    from counties.constants import Mechanism
    from counties.models import County

    counties = {c.code: c for c in County.objects.select_related("city")}
    assert {code: c.name for code, c in counties.items()} == {
        "610922": "石泉县",
        "610924": "紫阳县",
        "610925": "岚皋县",
        "610926": "平利县",
    }
    assert {c.city.name for c in counties.values()} == {"安康市"}
    shiquan = counties["610922"]
    assert shiquan.runs(Mechanism.ZONES)
    # each of the other counties runs the mechanism the article reports of it
    assert {
        code: set(counties[code].mechanisms_run()) for code in ("610924", "610925", "610926")
    } == {
        "610924": {Mechanism.TEAMS},
        "610925": {Mechanism.WISHES},
        "610926": {Mechanism.EDUCATION},
    }
    # Every zone and every person of a county's role but the other counties' staff is 石泉县's.
    assert not Zone.objects.exclude(county=shiquan).exists()
    # The other counties have their own organs, a dozen each, and no zone: they do not run
    # the zones mechanism (未开展 on the city dashboard).
    for code in ("610924", "610925", "610926"):
        # (岚皋县 has its towns' party committees and villages' branches too, who handle wishes)
        organs = Unit.objects.filter(county__code=code, kind="organ")
        assert 10 <= organs.count() <= 15, code
        names = set(organs.values_list("name", flat=True))
        assert {"县委办公室", "县政府办公室", "县纪委监委机关", "县委组织部", "县财政局"} <= names
        assert "县教育体育局" in names
        assert not Membership.objects.filter(unit__county__code=code).exists()
    assert Unit.objects.filter(name="县委办公室").count() == 4  # one in each county
    user_model = get_user_model()
    for username, code in [("zy_staff", "610924"), ("pl_staff", "610926"), ("lg_staff", "610925")]:
        user = user_model.objects.get(username=username)
        assert (user.role, user.county.code) == (Role.STAFF, code)
        assert user.check_password(DEMO_PASSWORD)
    # the members with an account of their own are members, not secretaries: no unit's post
    for username, code in [
        ("pl_member", "610926"),
        ("zy_member", "610924"),
        ("lg_member", "610925"),
    ]:
        member = user_model.objects.get(username=username)
        assert (member.role, member.county.code) == (Role.MEMBER, code), username
        assert not member.unit_posts.exists(), username
    city = user_model.objects.get(username="city")
    assert (city.role, city.county) == (Role.CITY_STAFF, None)
    assert city.check_password(DEMO_PASSWORD)
    for username in ("staff", "leader", "lead", "secretary", "sec001"):
        assert user_model.objects.get(username=username).county == shiquan, username
    assert (
        not user_model.objects.filter(username__in=["admin", "security", "auditor"])
        .exclude(county=None)
        .exists()
    )


def activities_and_findings_of_every_kind():
    assert set(Activity.objects.values_list("form", flat=True)) == set(ActivityForm.values)
    assert set(Finding.objects.values_list("state", flat=True)) == set(FindingState.values)
    # The demo secretary has a finding in progress for `demo_reminder` and "my work".
    assert (
        Finding.objects.filter(responsible_unit__posts__user__username="secretary")
        .exclude(state=FindingState.CLOSED)
        .exists()
    )
    # Every closed finding says after how many working days it was closed (issue 12).
    closed = Finding.objects.filter(state=FindingState.CLOSED)
    assert closed.exists() and not closed.filter(workdays_taken__isnull=True).exists()
    for finding in closed[:20]:
        assert finding.workdays_taken == workdays_between(finding.raised_on, finding.closed_on)


def a_register_of_people():
    """Every organ unit has members; every secretary account is a person holding the unit's
    书记 post; 紫阳县 has its cadre pool and 平利县 its members; every ID number is valid and
    of the person's county."""
    from people.constants import PostKind
    from people.idnumber import validate_id_number
    from people.models import CadreProfile, Membership, Person, Post

    organs = Unit.objects.filter(county__code="610922", kind="organ")
    assert not organs.exclude(
        pk__in=Membership.objects.filter(effective_to=None).values("unit")
    ).exists()
    for post in UnitPost.objects.filter(kind="secretary").select_related("user"):
        assert Post.objects.filter(
            unit_id=post.unit_id, kind=PostKind.SECRETARY, effective_to=None, person__user=post.user
        ).exists(), post
    assert 55 <= CadreProfile.objects.filter(person__county__code="610924").count() <= 65
    assert Person.objects.filter(county__code="610926").count() >= 30
    for person in Person.objects.select_related("county"):
        number = validate_id_number(person.id_number, date_of_birth=person.date_of_birth)
        assert number[:6] == person.county.code
    assert Membership.objects.filter(effective_to__isnull=False).exists()  # a transfer


def test_the_demo_county_is_built_once_as_the_article_describes_it(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    ten_zones_with_first_class_leads()
    zones_as_the_article_describes_them()
    history_and_a_realistic_class_mix()
    accounts_sign_in_with_their_roles()
    a_city_of_four_counties()
    activities_and_findings_of_every_kind()
    a_register_of_people()
    before = table_counts()
    call_command("load_demo", verbosity=0)
    assert table_counts() == before


def test_load_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", verbosity=0)
    assert Zone.objects.count() == 0
