"""The permission matrix (issue 7): every URL of the portal, every persona, GET and POST, with
the status the product should answer. A URL added without its rows fails
`test_every_url_has_its_rows`.

The rule the table states (the project's: "for every page and action, the persona who may and the
one who may not"):

- an object the persona may not see: 404 (never a hint that it exists);
- an object the persona may see but not change, or an action reserved to others: 403;
- a read-only page reserved to some roles (the dashboard, the class review, the ledger): 404
  for the others, as the dashboard and the class review already answer;
- anonymous: 302 to the login page, except the public pages (login, healthz, set_language);
- an administrator (here the audit administrator, 三员分立): 403 on every portal page and
  action, except `/` (302 to their own admin site), the accounts pages, set_language and
  healthz;
- a method a view does not take: 405 (for those the rule lets through to the view).

A permitted GET is 200 (or the redirect the page is); a permitted POST with an empty payload is
200 (the form with its errors) or a 302 that is not to the login page: the point is the
permission, not the form. Denied is exactly 403, 404 or 302-to-login.

Where the portal contradicts the rule today the cell keeps the rule's value and is listed in
KNOWN_FAULTS: a strict xfail, so the suite passes and the fault stays visible (and the xfail
fails the day it is fixed, to be removed).

The objects live in zone A (see tests/conftest.py for the personas); the module builds the
whole world once (`world_once`); each case runs in its own transaction, rolled back after it.
The bench's URLs (bench/urls.py) are not mounted by config/urls.py, so they have no rows; the
admin sites are covered by tests/accounts/test_administrators.py, and here only by what an
anonymous visitor gets (the portal's login). An anonymous visitor is also sent to log in before
anything is looked up: asking for a record that does not exist tells them nothing either.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse

from activities.constants import ActivityState
from core.constants import Role
from core.models import ExportJob
from core.uploads import clean_upload
from counties.constants import Mechanism
from counties.mechanisms import URL_NAMESPACES
from counties.models import CountyMechanism
from education import services as education_services
from notifications.constants import Kind
from notifications.services import Message, notifications_send
from people import services as people_services
from people.constants import PostKind
from people.services import person_link_account
from portal.models import CountySnapshot, SnapshotKey
from reports import services as report_services
from supervision import services as supervision_services
from teams import services as teams_services
from tests import conftest
from tests.activities.factories import make_activity, photo
from tests.factories import CountyFactory, UserFactory
from tests.people.factories import person_in
from tests.supervision.conftest import fill

TODAY = datetime.date(2026, 11, 28)

PERSONAS = (
    "staff",
    "leader",
    "lead_secretary",
    "secretary",
    "other_secretary",
    "auditor",
    "anonymous",
)
# Two personas of the city (issue 15), whose cells follow from the staff's by a rule
# (`derived_cell`) rather than a column of their own: `zy_staff`, the staff of another county
# (紫阳县), and `city`, the city staff (市级工作人员).
CITY_PERSONAS = ("zy_staff", "city")


# --- the world ------------------------------------------------------------------------------


class World:
    """The county of tests/conftest.py with zone A's records, built through the services as the
    portal does them."""

    def __setattr__(self, name, value):
        # two mechanisms' records under one name (the patrol team and the service team once were
        # both `team`) point rows at the wrong model, found only when the primary keys differ
        if name in self.__dict__ and type(self.__dict__[name]) is not type(value):
            raise AttributeError(f"World.{name} names two kinds of record: give each its own name")
        super().__setattr__(name, value)

    def __init__(self, county, auditor):
        self.county = county
        self.auditor = auditor
        c = county
        # activities of the member unit (persona `secretary`), a photo each
        self.draft_activity = make_activity(
            unit=c.member_unit, by=c.secretary, photos=1, title="草稿活动"
        )
        self.submitted_activity = make_activity(
            unit=c.member_unit, by=c.secretary, photos=1, state=ActivityState.SUBMITTED
        )
        self.attachment = self.submitted_activity.attachments.get()
        # zone A's mutual check of 2026 Q4, in progress
        self.check = supervision_services.mutual_check_create(
            zone=c.zone_a, year=2026, quarter=4, by=c.lead_secretary, rng=random.Random(1)
        )
        # the sheet the member unit fills as checker, and the one it is checked in (hidden
        # from it until the results are published)
        self.sheet = self.check.sheets.get(checker_unit=c.member_unit)
        self.sheet_of_secretary = self.check.sheets.get(checked_unit=c.member_unit)
        (self.sheet_evidence,) = supervision_services.sheet_add_evidence(
            sheet=self.sheet, files=[clean_upload(photo("现场.jpg"))], by=c.secretary
        )
        # zone A's check of 2026 Q3, published, with a finding on the member unit, its
        # rectification submitted for verification with a photo
        published = supervision_services.mutual_check_create(
            zone=c.zone_a, year=2026, quarter=3, by=c.lead_secretary, rng=random.Random(1)
        )
        sheet = published.sheets.get(checked_unit=c.member_unit)
        self.finding = supervision_services.finding_record(
            sheet=sheet, description="三会一课记录不全", severity="general", by=c.staff
        )
        for s in published.sheets.all():
            fill(s, c.staff, fraction=0.8)
        supervision_services.mutual_check_publish(check=published, by=c.lead_secretary)
        self.finding = supervision_services.finding_submit(
            finding=self.finding,
            note="补齐记录",
            files=[clean_upload(photo("整改.jpg"))],
            by=c.secretary,
        )
        self.finding_evidence = self.finding.evidence.get()
        # the patrol round of 2026 H2, published: zone B's secretaries visit zone A, zone A's
        # visit zone B, the one leader leads both teams; the round of 2026 H1, a draft
        self.round = supervision_services.patrol_round_publish(
            round_=supervision_services.patrol_round_open(
                year=2026, half=2, by=c.staff, rng=random.Random(2)
            ),
            by=c.staff,
        )
        self.team = self.round.teams.get(visited_zone=c.zone_a)
        self.draft_round = supervision_services.patrol_round_open(
            year=2026, half=1, by=c.staff, rng=random.Random(3)
        )
        # roll-up reports of October 2026, generated: zone A's and the county's
        self.report = self._report(c.zone_a)
        self.county_report = self._report(None)
        # the city's roll-up report of October 2026, generated
        self.city_report = report_services.city_report_request(
            kind="month", day=datetime.date(2026, 10, 1)
        )
        assert report_services.city_report_generate(report_id=self.city_report.pk, today=TODAY)
        # a large export of the staff's, written by the worker (core.exportjobs): theirs only
        self.export_job = ExportJob.objects.create(
            user=c.staff,
            export="activity ledger",
            title="联建活动台账-20261128",
            state=ExportJob.State.DONE,
            rows_total=2500,
            file=default_storage.save("exports/2026/matrix.xlsx", ContentFile(b"PK")),
        )
        # a notification for each persona who signs in
        ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])
        self.zy_staff = UserFactory(
            username="zy_staff", role=Role.STAFF, county=ziyang, is_staff=True
        )
        self.city = UserFactory(username="city", role=Role.CITY_STAFF)
        # 紫阳县 runs its own server: the city gave it a key and imported its snapshot of 2026-H2
        SnapshotKey.objects.create(county=ziyang, key="k" * 64)
        self.snapshot = CountySnapshot.objects.create(
            county=ziyang,
            period="2026-H2",
            figures={},
            document={},
            generated_at=datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC),
            checksum="0" * 64,
            imported_by=self.city,
        )
        # a person of the register in the member unit (persona `secretary`), with a phone
        self.person = person_in(c.member_unit, mobile="13856785678")
        self._service_teams(c)
        # … holding a post there (the "end the post" action)
        self.person_post = people_services.post_assign(
            person=self.person,
            unit=c.member_unit,
            kind=PostKind.ORGANIZATION,
            on=datetime.date(2025, 6, 1),
            actor=c.staff,
        )
        self._wishes(c)
        self._education(c)
        self.notifications = {
            p: self._notification(self.user(p)) for p in (*PERSONAS[:-1], *CITY_PERSONAS)
        }

    def _service_teams(self, c):
        """石泉县 runs the service teams too (issue 18): the leader captains team 1, anchored by
        the lead unit, which guides the member unit (persona `secretary`) and has visited it;
        team 2 guides zone B's unit; next year's rotation is proposed."""
        CountyMechanism.objects.get_or_create(
            county=c.zone_a.county,
            mechanism=Mechanism.TEAMS,
            until=None,
            defaults={"since": datetime.date(2024, 1, 1)},
        )
        start = datetime.date(2026, 1, 1)
        captain = person_in(c.other_lead_unit, name="王队长")
        people_services.person_link_account(person=captain, user=c.leader)
        self.service_team = teams_services.team_create(
            name="第一服务队",
            anchor_unit=c.lead_unit,
            captain=captain,
            members=[],
            formed_on=start,
            by=c.staff,
        )
        captain_2 = person_in(c.lead_unit, name="李队长")
        people_services.person_link_account(
            person=captain_2, user=UserFactory(username="captain_2", role=Role.LEADER)
        )
        team_2 = teams_services.team_create(
            name="第二服务队",
            anchor_unit=c.other_lead_unit,
            captain=captain_2,
            members=[],
            formed_on=start,
            by=c.staff,
        )
        teams_services.assign(team=self.service_team, unit=c.member_unit, on=start, by=c.staff)
        teams_services.assign(team=team_2, unit=c.other_unit, on=start, by=c.staff)
        self.team_visit = teams_services.visit_record(
            team=self.service_team,
            unit=c.member_unit,
            visited_on=datetime.date(2026, 11, 2),
            went=[captain],
            by=c.leader,
        )
        self.team_matter = teams_services.matter_log(
            person=captain,
            by=c.leader,
            description="维修线路",
            category="repair",
            done_on=datetime.date(2026, 11, 3),
        )
        self.team_rotation = teams_services.rotation_propose(
            year=2027, effective_on=datetime.date(2027, 1, 1), by=c.staff
        )
        self.team_training = teams_services.training_record(
            kind="contest", title="党建知识竞赛", held_on=datetime.date(2026, 6, 1), by=c.staff
        )
        self.team_training_entry = teams_services.training_entry_add(
            training=self.team_training, person=captain, by=c.staff
        )
        self.team_brand = teams_services.brand_record(
            unit=c.member_unit, name="红色司法", recognized_on=datetime.date(2026, 5, 1), by=c.staff
        )

    def _wishes(self, c):
        """The micro-wishes of tests/wishes/conftest.py: 滔河镇's office is zone A's lead unit
        (`lead_secretary` dispatches), the member unit handles (`secretary`); a new wish, one
        dispatched to the member unit with a photo, and a whistle summoning the member unit."""
        from captcha.models import CaptchaStore

        from tests.wishes.conftest import build
        from wishes import services as wish_services

        self.wishes = build(c)
        self.wish_new = self.wishes.wish
        self.wish_dispatched = wish_services.wish_receive(
            group=self.wishes.group,
            text="想请镇上帮忙协调良种苗",
            phone="13711112222",
            photos=[clean_upload(photo("苗.jpg"))],
        )
        wish_services.wish_dispatch(
            wish=self.wish_dispatched, category=self.wishes.roads, by=c.staff
        )
        self.wish_photo = self.wish_dispatched.photos.get()
        whistled = wish_services.wish_receive(
            group=self.wishes.group_2, text="道路被高铁施工车辆压坏", phone="13711113333"
        )
        self.whistle = wish_services.whistle_blow(
            town=self.wishes.town,
            wishes=[whistled],
            reason="需县交通局协调",
            department=c.member_unit,
            approved_by="张书记",
            by=c.staff,
        )
        self.wish_token = wish_services.group_token(self.wishes.group)
        self.wish_meeting = wish_services.meeting_record(
            village=self.wishes.village,
            place="王家院坝",
            held_on=datetime.date(2026, 11, 2),
            convener="李主任",
            attendance=23,
            photo=clean_upload(photo("院落会.jpg")),
            by=c.lead_secretary,
        )
        self.captcha_key = CaptchaStore.generate_key()

    def _education(self, c):
        """六大课堂 (issue 19): the county runs education; the secretary persona is a person of
        the register too (their own study hours); a session of the member unit with a photo."""
        CountyMechanism.objects.get_or_create(
            county=c.member_unit.county,
            mechanism=Mechanism.EDUCATION,
            until=None,
            defaults={"since": datetime.date(2024, 1, 1)},
        )
        own = person_in(c.member_unit, name="吴书记", mobile="13856781234")
        person_link_account(person=own, user=c.secretary)
        rooms = education_services.classrooms_ensure(county=c.member_unit.county)
        starts = datetime.datetime(2026, 11, 20, 1, 0, tzinfo=datetime.UTC)
        self.study_session = education_services.session_create(
            county=c.member_unit.county,
            by=c.secretary,
            classroom=rooms[0],
            kind="group_study",
            topic="集中学习",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            duration=2,
            units=[c.member_unit],
            files=[clean_upload(photo("学习.jpg"))],
        )
        self.study_attachment = self.study_session.attachments.get()
        self.study_token = education_services.qr_token(self.study_session)
        # 双报到: the secretary's person registered with a community (its account is none of
        # the personas), confirmed, with a need published
        community_account = UserFactory(username="community", county=c.member_unit.county)
        self.community = education_services.community_save(
            county=c.member_unit.county, name="东城社区", accounts=[community_account]
        )
        self.community_registration = education_services.registration_create(
            unit=c.member_unit,
            person=own,
            community=self.community,
            registered_on=datetime.date(2026, 10, 8),
            by=c.secretary,
        )
        education_services.community_confirm(
            community=self.community,
            by=community_account,
            registration_ids=[self.community_registration.pk],
        )
        self.community_need = education_services.need_publish(
            community=self.community, title="助老服务", wanted=5, by=community_account
        )
        # 老带新: the secretary's person mentors a new member of the unit
        self.mentor_pair = education_services.pair_create(
            county=c.member_unit.county,
            kind="old_new",
            mentor=own,
            mentee=person_in(c.member_unit, name="新党员"),
            effective_from=datetime.date(2026, 9, 1),
            by=c.staff,
        )

    def user(self, persona: str):
        if persona == "anonymous":
            return None
        if persona == "auditor":
            return self.auditor
        if persona in CITY_PERSONAS:
            return getattr(self, persona)
        return getattr(self.county, persona)

    def notification_of(self, persona: str):
        return self.notifications.get(persona) or self.notifications["secretary"]

    def _report(self, zone):
        report = report_services.report_request(
            kind="month", day=datetime.date(2026, 10, 1), zone=zone, by=self.county.staff
        )
        assert report_services.report_generate(report_id=report.pk, today=TODAY)
        report.refresh_from_db()
        return report

    @staticmethod
    def _notification(user):
        (notification,) = notifications_send(
            [
                Message(
                    user.pk,
                    Kind.FINDING_DUE_SOON,
                    f"finding:{user.pk}",
                    "2026-11-28",
                    "整改即将到期",
                    "请按期完成整改。",
                    "/supervision/",
                )
            ]
        )
        return notification


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's 1,100-odd cases (building it per case would cost
    minutes) in a transaction rolled back after the last. Each case runs in its own transaction
    (the `db` fixture) rolled back after it, as Django's `setUpTestData`: a POST that changes
    a record changes it for its own case only."""
    today = pytest.MonkeyPatch()
    today.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    outer = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            world = World(
                conftest.county.__wrapped__(None), conftest.administrators.__wrapped__(None).audit
            )
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        media.disable()
        today.undo()


@pytest.fixture
def world(world_once, db):
    for persona in (*PERSONAS[:-1], *CITY_PERSONAS):
        user = world_once.user(persona)
        for attr in [a for a in vars(user) if a.startswith("_scope_")]:
            delattr(user, attr)  # the access scope an earlier case cached on the object
    return world_once


# --- the table ------------------------------------------------------------------------------

# Cells, one per persona in PERSONAS order:
#   200 / 403 / 404 / 405  exactly that status
#   ok     permitted action: 200 (the form with its errors) or a 302 not to the login page
#   302    a redirect, not to the login page
#   any302 a redirect anywhere (logging out lands on the login page)
#   login  a 302 to the login page
Kwargs = Callable[[World, str], dict]


@dataclass(frozen=True)
class Row:
    name: str
    get: str
    post: str
    kwargs: Kwargs = lambda w, p: {}  # noqa: E731
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def pk(attr: str) -> Kwargs:
    return lambda w, p: {"pk": getattr(w, attr).pk}


PAGE = "200 200 200 200 200 403 login"  # a page every signed-in persona reads (scoped inside)
NO_GET = "405 405 405 405 405 403 login"  # an action taking POST only
NO_POST = NO_GET  # a page taking GET only
ZONE_A = "200 200 200 200 404 403 login"  # an object of zone A: all but zone B's secretary
STAFF_PAGE = "200 404 404 404 404 403 login"  # a read-only page of the staff's
STAFF_ACTION = "ok 403 403 403 403 403 login"
NOT_CITY = "404 404 404 404 404 403 login"  # a city staff's page: no county persona's business
ALL_405 = "405 405 405 405 405 405 login"  # a method the view does not take, to everyone signed in

ROWS = [
    # --- portal -------------------------------------------------------------------------------
    Row("home", get="200 200 200 200 200 302 login", post="200 200 200 200 200 302 login"),
    Row(
        "dashboard",
        get="200 200 404 404 404 403 login",
        post="200 200 404 404 404 403 login",
    ),
    Row("my_work", get=PAGE, post=PAGE),
    Row("zone_detail", get=ZONE_A, post=ZONE_A, kwargs=lambda w, p: {"pk": w.county.zone_a.pk}),
    Row(
        "zone_detail",
        variant="zone B",
        get="200 200 404 404 200 403 login",
        post="200 200 404 404 200 403 login",
        kwargs=lambda w, p: {"pk": w.county.zone_b.pk},
    ),
    Row(
        "unit_detail", get=ZONE_A, post=ZONE_A, kwargs=lambda w, p: {"pk": w.county.member_unit.pk}
    ),
    Row(
        "unit_phone",
        get="200 200 403 403 404 403 login",  # the committee only; every look audited
        post="405 405 405 405 405 403 login",
        kwargs=lambda w, p: {"pk": w.county.member_unit.pk},
    ),
    Row("search", get=PAGE, post=PAGE),
    Row("moves", get=STAFF_PAGE, post=STAFF_PAGE),  # this year's moves with their reasons
    Row(
        "participant_search",  # the participant picker: those who log activities
        get="200 403 200 200 200 403 login",
        post="405 405 405 405 405 403 login",
    ),
    # the city's pages: city staff alone (CITY_CELLS), in a city of several counties
    Row("portal:city_dashboard", get="404 404 404 404 404 403 login", post=NO_POST),
    Row(
        "portal:snapshots",
        get="404 404 404 404 404 403 login",  # 石泉县 is hosted: no snapshots of its own
        post="404 404 404 404 404 403 login",
    ),
    Row(
        "portal:snapshot_return",
        get=NO_GET,
        post="404 404 404 404 404 403 login",  # 紫阳县's snapshot
        kwargs=pk("snapshot"),
    ),
    Row("healthz", get="200 200 200 200 200 200 200", post="405 405 405 405 405 405 405"),
    Row("login", get="200 200 200 200 200 200 200", post="200 200 200 200 200 200 200"),
    Row(
        "logout",
        get="405 405 405 405 405 405 405",
        post="any302 any302 any302 any302 any302 any302 login",
    ),
    Row(
        "password_change",
        get="200 200 200 200 200 200 login",
        post="200 200 200 200 200 200 login",
    ),
    Row(
        "password_change_done",
        get="200 200 200 200 200 200 login",
        post="405 405 405 405 405 405 login",
    ),
    # the second factor's pages (no persona here has an authenticator yet: verifying sends them
    # to set one up)
    Row("otp_verify", get="302 302 302 302 302 302 login", post="302 302 302 302 302 302 login"),
    Row("otp_setup", get="200 200 200 200 200 200 login", post="200 200 200 200 200 200 login"),
    Row("otp_qr", get="200 200 200 200 200 200 login", post="405 405 405 405 405 405 login"),
    Row("set_language", get="302 302 302 302 302 302 302", post="302 302 302 302 302 302 302"),
    # --- the member register (each secretary reads their own unit's people) --------------------
    Row("people:register", get=PAGE, post=NO_POST),
    Row(
        "people:detail",
        get="200 200 404 200 404 403 login",  # a person of the member unit
        post=NO_POST,
        kwargs=pk("person"),
    ),
    Row(
        "people:numbers",  # the full ID and phone number: county staff and the unit's secretary
        get=NO_GET,
        post="ok 403 404 ok 404 403 login",
        kwargs=pk("person"),
    ),
    Row(
        "people:profile",  # the cadre profile: county staff and the unit's secretary
        get="200 403 404 200 404 403 login",
        post="ok 403 404 ok 404 403 login",
        kwargs=pk("person"),
    ),
    # changes by hand (issue 16): county staff; a unit's secretary registers people in their
    # unit and edits, transfers and records the posts of its members; only staff record a
    # leaving
    Row(
        "people:create",  # who has a unit to register people in: staff and every secretary
        get="200 403 200 200 200 403 login",
        post="ok 403 ok ok ok 403 login",
    ),
    *(
        Row(
            name,
            get="200 403 404 200 404 403 login",
            post="ok 403 404 ok 404 403 login",
            kwargs=pk("person"),
        )
        for name in ("people:edit", "people:transfer", "people:post_assign")
    ),
    Row(
        "people:post_end",
        get=NO_GET,
        post="ok 403 404 ok 404 403 login",
        kwargs=lambda w, p: {"pk": w.person.pk, "post_pk": w.person_post.pk},
    ),
    Row(
        "people:leave",
        get="200 403 404 403 404 403 login",
        post="ok 403 404 403 404 403 login",
        kwargs=pk("person"),
    ),
    # --- activities ---------------------------------------------------------------------------
    # --- service teams (issue 18): the leader captains team 1, which guides the member unit ----
    Row("teams:index", get="200 200 404 200 200 403 login", post=NO_POST),  # both units guided
    Row("teams:rotation", get=STAFF_PAGE, post="ok 404 404 404 404 403 login"),
    Row("teams:builder", get=STAFF_PAGE, post="ok 404 404 404 404 403 login"),
    Row("teams:trainings", get=STAFF_PAGE, post="ok 404 404 404 404 403 login"),
    Row(
        "teams:training_detail",
        get=STAFF_PAGE,
        post="ok 404 404 404 404 403 login",
        kwargs=pk("team_training"),
    ),
    Row("teams:brands", get=STAFF_PAGE, post="ok 404 404 404 404 403 login"),
    # corrections of what staff record (city staff read the pages: 403 there, derived_cell)
    *(
        Row(name, get=STAFF_PAGE, post="ok 404 404 404 404 403 login", kwargs=pk(attr))
        for name, attr in (
            ("teams:training_edit", "team_training"),
            ("teams:training_delete", "team_training"),
            ("teams:brand_edit", "team_brand"),
            ("teams:brand_delete", "team_brand"),
        )
    ),
    Row(
        "teams:training_entry_remove",
        get=STAFF_PAGE,
        post="ok 404 404 404 404 403 login",
        kwargs=lambda w, p: {"pk": w.team_training.pk, "entry_pk": w.team_training_entry.pk},
    ),
    Row(
        "teams:contact_create",  # the weekly contact: the team's people (and staff)
        get=NO_GET,
        post="ok ok 404 403 404 403 login",
        kwargs=pk("service_team"),
    ),
    Row("teams:scorecards_export", get=STAFF_PAGE, post=NO_POST),
    Row(
        "teams:rotation_confirm",
        get=NO_GET,
        post="ok 404 404 404 404 403 login",
        kwargs=pk("team_rotation"),
    ),
    Row(
        "teams:team_detail",
        get="200 200 404 200 404 403 login",
        post=NO_POST,
        kwargs=pk("service_team"),
    ),
    Row(
        "teams:visit_create",
        get="200 200 404 403 404 403 login",
        post="ok ok 404 403 404 403 login",
        kwargs=pk("service_team"),
    ),
    Row("teams:assign", get=NO_GET, post="ok 403 404 403 404 403 login", kwargs=pk("service_team")),
    Row(
        "teams:talk_create",
        get=NO_GET,
        post="ok 403 404 403 404 403 login",
        kwargs=pk("service_team"),
    ),
    Row(
        "teams:matter_create",  # one's own matters: the team's people, not staff
        get=NO_GET,
        post="403 ok 404 403 404 403 login",
        kwargs=pk("service_team"),
    ),
    Row(
        "teams:matter_confirm",
        get=NO_GET,
        post="ok ok 404 403 404 403 login",
        kwargs=pk("team_matter"),
    ),
    Row(
        "teams:visit_detail",
        get="200 200 404 200 404 403 login",
        post="ok ok 404 403 404 403 login",
        kwargs=pk("team_visit"),
    ),
    Row("activities:mine", get=PAGE, post=NO_POST),
    Row("activities:zone", get=PAGE, post=NO_POST),
    Row(
        "activities:queue",
        get="200 404 200 404 404 403 login",  # reviewers' page: nobody else's business
        post=NO_POST,
    ),
    Row(
        "activities:create",
        get="200 403 200 200 200 403 login",
        post="ok 403 ok ok ok 403 login",
    ),
    Row("activities:detail", get=ZONE_A, post=NO_POST, kwargs=pk("submitted_activity")),
    Row(
        "activities:edit",
        get="200 403 403 200 404 403 login",
        post="ok 403 403 ok 404 403 login",
        kwargs=pk("draft_activity"),
    ),
    Row(
        "activities:edit",
        variant="submitted",
        get="200 403 403 403 404 403 login",
        post="ok 403 403 403 404 403 login",
        kwargs=pk("submitted_activity"),
    ),
    Row(
        "activities:submit",
        get=NO_GET,
        post="ok 403 403 ok 404 403 login",
        kwargs=pk("draft_activity"),
    ),
    Row(
        "activities:confirm",
        get=NO_GET,
        post="ok 403 ok 403 404 403 login",
        kwargs=pk("submitted_activity"),
    ),
    Row(
        "activities:return",
        get=NO_GET,
        post="ok 403 ok 403 404 403 login",
        kwargs=pk("submitted_activity"),
    ),
    Row(
        "activities:attachment",
        get=ZONE_A,
        post=NO_POST,
        kwargs=lambda w, p: {"pk": w.submitted_activity.pk, "attachment_pk": w.attachment.pk},
    ),
    Row("activities:grid", get=PAGE, post=NO_POST),
    Row("activities:ledger", get=STAFF_PAGE, post=NO_POST),
    Row("activities:ledger_export", get=STAFF_PAGE, post=NO_POST),
    # the rotation is county-wide reading (the grid shows every zone's hosts to everyone)
    Row(
        "activities:rotation",
        get=PAGE,
        post=NO_POST,
        kwargs=lambda w, p: {"zone_pk": w.county.zone_a.pk},
    ),
    Row(
        "activities:rotation_order",
        get=NO_GET,
        post="ok 403 ok 403 403 403 login",
        kwargs=lambda w, p: {"zone_pk": w.county.zone_a.pk},
    ),
    Row(
        "activities:rotation_swap",
        get=NO_GET,
        post="ok 403 ok 403 403 403 login",
        kwargs=lambda w, p: {"zone_pk": w.county.zone_a.pk},
    ),
    Row("activities:rotation_generate", get=NO_GET, post=STAFF_ACTION),
    # --- supervision: mutual checks -----------------------------------------------------------
    Row("supervision:index", get=PAGE, post=PAGE),
    Row("supervision:check_list", get=PAGE, post=PAGE),
    Row(
        "supervision:check_create",
        get="200 403 200 403 403 403 login",
        post="ok 403 ok 403 403 403 login",
    ),
    Row("supervision:check_detail", get=ZONE_A, post=ZONE_A, kwargs=pk("check")),
    Row(
        "supervision:check_pairing",
        get="200 403 200 403 404 403 login",
        post="ok 403 ok 403 404 403 login",
        kwargs=pk("check"),
    ),
    Row(
        "supervision:check_publish",
        get=NO_GET,
        post="ok 403 ok 403 404 403 login",
        kwargs=pk("check"),
    ),
    Row(
        "supervision:sheet_detail",
        get=ZONE_A,
        post="ok 403 403 ok 404 403 login",
        kwargs=pk("sheet"),
    ),
    Row(
        "supervision:sheet_detail",
        variant="checked unit, unpublished",
        get="200 200 200 404 404 403 login",
        post="ok 403 403 404 404 403 login",
        kwargs=pk("sheet_of_secretary"),
    ),
    Row(
        "supervision:sheet_add_finding",
        get=NO_GET,
        post="ok 403 403 ok 404 403 login",
        kwargs=pk("sheet"),
    ),
    Row(
        "supervision:sheet_add_evidence",
        get=NO_GET,
        post="ok 403 403 ok 404 403 login",
        kwargs=pk("sheet"),
    ),
    Row("supervision:sheet_evidence_file", get=ZONE_A, post=ZONE_A, kwargs=pk("sheet_evidence")),
    # --- supervision: patrol rounds (zone A's secretaries serve on the team visiting zone B,
    # zone B's on the team visiting zone A: every secretary sees the published round)
    Row("supervision:round_list", get=PAGE, post=PAGE),
    Row("supervision:round_create", get="200 403 403 403 403 403 login", post=STAFF_ACTION),
    Row("supervision:round_detail", get=PAGE, post=PAGE, kwargs=pk("round")),
    Row(
        "supervision:round_detail",
        variant="draft",
        get=STAFF_PAGE,
        post=STAFF_PAGE,
        kwargs=pk("draft_round"),
    ),
    Row(
        "supervision:round_plan",
        get="200 403 403 403 403 403 login",
        post=STAFF_ACTION,
        kwargs=pk("round"),
    ),
    Row(
        "supervision:round_plan",
        variant="draft",
        get=STAFF_PAGE,
        post="ok 404 404 404 404 403 login",
        kwargs=pk("draft_round"),
    ),
    Row(
        "supervision:round_publish",
        get=NO_GET,
        post="ok 404 404 404 404 403 login",
        kwargs=pk("draft_round"),
    ),
    Row("supervision:round_close", get=NO_GET, post=STAFF_ACTION, kwargs=pk("round")),
    Row(
        "supervision:team_detail",
        get="200 200 404 404 200 403 login",
        post="ok ok 404 404 ok 403 login",  # the leader leads it, zone B's secretary serves
        kwargs=pk("team"),
    ),
    # --- supervision: findings ----------------------------------------------------------------
    Row("supervision:finding_list", get=PAGE, post=PAGE),
    Row("supervision:finding_export", get=PAGE, post=PAGE),
    Row("supervision:finding_detail", get=ZONE_A, post=ZONE_A, kwargs=pk("finding")),
    # the responsible unit answers (start, submit); staff, the guiding leader and the lead unit
    # verify or return, never their own unit's; staff correct
    *(
        Row(
            "supervision:finding_action",
            variant=action,
            get=NO_GET,
            post=post,
            kwargs=lambda w, p, action=action: {"pk": w.finding.pk, "action": action},
        )
        for action, post in (
            ("start", "403 403 403 ok 404 403 login"),
            ("submit", "403 403 403 ok 404 403 login"),
            ("verify", "ok ok ok 403 404 403 login"),
            ("return", "ok ok ok 403 404 403 login"),
            ("correct", "ok 403 403 403 404 403 login"),
            ("bogus", "404 404 404 404 404 403 login"),
        )
    ),
    Row(
        "supervision:finding_evidence_file",
        get=ZONE_A,
        post=ZONE_A,
        kwargs=pk("finding_evidence"),
    ),
    Row("supervision:class_review", get=STAFF_PAGE, post=STAFF_PAGE),
    Row("supervision:class_review_confirm", get=NO_GET, post=STAFF_ACTION),
    Row(
        "supervision:class_movements",
        get="200 200 404 404 404 403 login",
        post="200 200 404 404 404 403 login",
    ),
    # --- notifications ------------------------------------------------------------------------
    Row("notifications:list", get=PAGE, post=PAGE),
    Row(
        "notifications:open",
        variant="own",
        get="302 302 302 302 302 403 login",
        post="302 302 302 302 302 403 login",
        kwargs=lambda w, p: {"pk": w.notification_of(p).pk},
    ),
    Row(
        "notifications:open",
        variant="the secretary's",
        get="404 404 404 302 404 403 login",
        post="404 404 404 302 404 403 login",
        kwargs=lambda w, p: {"pk": w.notification_of("secretary").pk},
    ),
    Row(
        "notifications:read",
        variant="own",
        get=NO_GET,
        post="302 302 302 302 302 403 login",
        kwargs=lambda w, p: {"pk": w.notification_of(p).pk},
    ),
    Row(
        "notifications:read",
        variant="the secretary's",
        get=NO_GET,
        post="404 404 404 302 404 403 login",
        kwargs=lambda w, p: {"pk": w.notification_of("secretary").pk},
    ),
    Row("notifications:read_all", get=NO_GET, post="302 302 302 302 302 403 login"),
    Row("notifications:preferences", get=PAGE, post="ok ok ok ok ok 403 login"),
    # --- reports: committee read all, a lead-unit secretary their zone's; staff change ------
    Row("reports:list", get=PAGE, post=PAGE),
    Row("reports:request", get=NO_GET, post=STAFF_ACTION),
    *(
        Row(name, get=get, post=get, kwargs=pk(attr), variant=variant)
        for name in ("reports:detail", "reports:status", "reports:download", "reports:document")
        for attr, variant, get in (
            ("report", "", "200 200 200 404 404 403 login"),
            ("county_report", "county", "200 200 404 404 404 403 login"),
        )
    ),
    Row(
        "reports:narrative",
        get=NO_GET,
        post="ok 403 403 404 404 403 login",
        kwargs=pk("report"),
    ),
    Row("reports:file", get=NO_GET, post="ok 403 403 404 404 403 login", kwargs=pk("report")),
    # --- city reports: city staff only, none of a county's people (404) ----------------------
    Row("reports:city_list", get=NOT_CITY, post=NOT_CITY),
    Row("reports:city_request", get=NO_GET, post=NOT_CITY),
    # the city report's narrative and filing: city staff only, as the county report's are staff's
    Row("reports:city_narrative", get=NO_GET, post=NOT_CITY, kwargs=pk("city_report")),
    Row("reports:city_file", get=NO_GET, post=NOT_CITY, kwargs=pk("city_report")),
    *(
        Row(name, get=NOT_CITY, post=NOT_CITY, kwargs=pk("city_report"))
        for name in (
            "reports:city_detail",
            "reports:city_status",
            "reports:city_download",
            "reports:city_document",
        )
    ),
    # --- a large export written by the worker: its requester's (the staff's) only, 404 for
    # everyone else, the administrators and another county's staff included ----------------
    *(
        Row(name, get="200 404 404 404 404 404 login", post=ALL_405, kwargs=pk("export_job"))
        for name in ("export_job", "export_job_download")
    ),
    Row(
        "export_job_retry",
        get=ALL_405,
        post="ok 404 404 404 404 404 login",
        kwargs=pk("export_job"),
    ),
    # --- citizens' micro-wishes: the committee read all; 滔河镇's office (lead_secretary)
    # dispatches; the member unit (secretary) handles what is dispatched to it ---------------
    Row("wishes:index", get=PAGE, post=NO_POST),
    Row(
        "wishes:enter",
        get="200 403 200 403 403 403 login",
        post="ok 403 ok 403 403 403 login",
    ),
    Row("wishes:detail", get=ZONE_A, post=NO_POST, kwargs=pk("wish_dispatched")),
    Row(
        "wishes:detail",
        variant="new",  # not dispatched yet: not the handler's business
        get="200 200 200 404 404 403 login",
        post=NO_POST,
        kwargs=pk("wish_new"),
    ),
    Row(
        "wishes:reveal",  # the villager's contact: the dispatcher and the handler, audited
        get=NO_GET,
        post="ok 403 ok ok 404 403 login",
        kwargs=pk("wish_dispatched"),
    ),
    *(
        Row(
            "wishes:act",
            variant=f"{action}",
            get=NO_GET,
            post=post,
            kwargs=lambda w, p, action=action, attr=attr: {
                "pk": getattr(w, attr).pk,
                "action": action,
            },
        )
        for action, attr, post in (
            ("dispatch", "wish_new", "ok 403 ok 404 404 403 login"),
            ("sign", "wish_dispatched", "403 403 403 ok 404 403 login"),
            ("answer", "wish_dispatched", "403 403 403 ok 404 403 login"),
            ("visit", "wish_dispatched", "ok 403 ok 403 404 403 login"),
            ("bogus", "wish_dispatched", "404 404 404 404 404 403 login"),
        )
    ),
    Row("wishes:photo", get=ZONE_A, post=NO_POST, kwargs=pk("wish_photo")),
    Row("wishes:places", get=STAFF_PAGE, post=NO_POST),
    Row(
        "wishes:group_qr",
        get=STAFF_PAGE,
        post=NO_POST,
        kwargs=lambda w, p: {"pk": w.wishes.group.pk},
    ),
    Row("wishes:figures", get="200 200 404 404 404 403 login", post=NO_POST),
    Row("wishes:figures_export", get="200 200 404 404 404 403 login", post=NO_POST),
    Row("wishes:export", get=PAGE, post=NO_POST),  # the reader's own wishes, masked
    # courtyard meetings (院落会): the dispatchers record them, the committee reads
    Row(
        "wishes:meetings",
        get="200 200 200 404 404 403 login",
        post="ok 403 ok 404 404 403 login",
    ),
    *(
        Row(name, get="200 200 200 404 404 403 login", post=NO_POST, kwargs=pk("wish_meeting"))
        for name in ("wishes:meeting", "wishes:meeting_photo")
    ),
    Row(
        "wishes:meeting_edit",  # who may record one of its village: staff and the town office
        get="200 403 200 404 404 403 login",
        post="ok 403 ok 404 404 403 login",
        kwargs=pk("wish_meeting"),
    ),
    Row("wishes:whistles", get=PAGE, post="ok 404 ok 404 404 403 login"),
    Row(
        "wishes:whistle",
        get=ZONE_A,
        post="ok 403 403 ok 404 403 login",  # the summoned department reports
        kwargs=pk("whistle"),
    ),
    Row(
        # members of the register with an account: the leader (a team captain of the register)
        # and the secretary (a member of their unit's register)
        "wishes:claims",
        get="404 200 404 200 404 403 login",
        post="404 404 404 404 404 403 login",
    ),
    # the villagers' pages: no login (the administrators stay on their sites)
    Row(
        "wish_public:intake",
        get="200 200 200 200 200 403 200",
        post="ok ok ok ok ok 403 ok",
        kwargs=lambda w, p: {"token": w.wish_token},
    ),
    Row(
        "wish_public:sent",
        get="302 302 302 302 302 403 302",
        post="405 405 405 405 405 403 405",
    ),
    Row("wish_public:status", get="200 200 200 200 200 403 200", post="ok ok ok ok ok 403 ok"),
    Row(
        "captcha-image",
        get="200 200 200 200 200 403 200",
        post="405 405 405 405 405 403 405",
        kwargs=lambda w, p: {"key": w.captcha_key},
    ),
    # --- the register's import, exports and retention: staff manage, readers export masked ---
    Row("people_import:import", get="200 403 403 403 403 403 login", post=STAFF_ACTION),
    Row("people_import:import_confirm", get=NO_GET, post=STAFF_ACTION),
    Row("people_import:import_template", get="200 403 403 403 403 403 login", post=NO_POST),
    Row("people_import:export", get=PAGE, post=NO_POST),
    Row(
        "people_import:unit_export",
        get="200 200 404 200 404 403 login",  # a secretary their own unit's members only
        post=NO_POST,
        kwargs=lambda w, p: {"pk": w.county.member_unit.pk},
    ),
    Row("people_import:retention", get="200 403 403 403 403 403 login", post=STAFF_ACTION),
    # --- 六大课堂 member education (issue 19): staff the county's, a secretary their unit's ------
    Row("education:index", get="200 200 302 302 302 403 login", post=NO_POST),
    Row("education:sessions", get=PAGE, post=NO_POST),
    Row(
        "education:session_create",
        get="200 403 200 200 200 403 login",
        post="ok 403 ok ok ok 403 login",
    ),
    *(
        Row(name, get="200 200 404 200 404 403 login", post=NO_POST, kwargs=pk(attr))
        for name, attr in (
            ("education:session", "study_session"),
            ("education:session_minutes", "study_session"),
            ("education:attachment", "study_attachment"),
        )
    ),
    Row(
        "education:session_screen",
        get="200 403 404 200 404 403 login",
        post=NO_GET,
        kwargs=pk("study_session"),
    ),
    *(
        Row(name, get=NO_GET, post="ok 403 404 ok 404 403 login", kwargs=pk("study_session"))
        for name in ("education:session_roster", "education:session_files")
    ),
    Row(  # the page a phone opens from the screen's code: public (name and phone digits)
        "education:sign_in",
        get="200 200 200 200 200 403 200",
        post="200 200 200 200 200 403 200",
        kwargs=lambda w, p: {"token": w.study_token},
    ),
    # one's own study hours: a person of the register (the leader, a team captain, too)
    Row("education:mine", get="404 200 404 200 404 403 login", post=NO_POST),
    *(
        Row(name, get="200 200 404 200 404 403 login", post=NO_POST, kwargs=pk("person"))
        for name in ("education:person", "education:person_export")
    ),
    Row(
        "education:unit_export",
        get="200 200 404 200 404 403 login",
        post=NO_POST,
        kwargs=lambda w, p: {"pk": w.county.member_unit.pk},
    ),
    Row(
        "education:unit",
        get="200 200 404 200 404 403 login",
        post=NO_POST,
        kwargs=lambda w, p: {"pk": w.county.member_unit.pk},
    ),
    Row(
        "education:meeting_create",
        get="200 403 404 200 404 403 login",
        post="ok 403 404 ok 404 403 login",
        kwargs=lambda w, p: {"pk": w.county.member_unit.pk},
    ),
    *(
        Row(name, get="200 200 404 404 404 403 login", post="ok 403 404 404 404 403 login")
        for name in ("education:classrooms", "education:rules")
    ),
    # the import of 学习强国 / cadre-college hours: the county's staff (the leader reads, 403)
    Row(
        "education:import", get="200 403 404 404 404 403 login", post="ok 403 404 404 404 403 login"
    ),
    Row("education:import_confirm", get=NO_GET, post="ok 403 404 404 404 403 login"),
    # 双报到: the community's page is its account's (and the committee's, read only)
    Row(
        "education:community",
        get="200 200 404 404 404 403 login",
        post=NO_POST,
        kwargs=pk("community"),
    ),
    *(
        Row(name, get=NO_GET, post="403 403 404 404 404 403 login", kwargs=pk("community"))
        for name in ("education:community_confirm", "education:need_create")
    ),
    # the communities in the portal: the county's staff alone (the community's account keeps
    # its own page above)
    Row("education:communities", get=STAFF_PAGE, post="ok 404 404 404 404 403 login"),
    Row(
        "education:community_edit",
        get=STAFF_PAGE,
        post="ok 404 404 404 404 403 login",
        kwargs=pk("community"),
    ),
    Row(
        "education:community_remove",
        get=NO_GET,
        post="ok 404 404 404 404 403 login",
        kwargs=pk("community"),
    ),
    Row(  # a member registered with the need's community (the secretary's person)
        "education:need_claim",
        get=NO_GET,
        post="404 404 404 ok 404 403 login",
        kwargs=pk("community_need"),
    ),
    Row(
        "education:registration_create",
        get=NO_GET,
        post="ok 403 404 ok 404 403 login",
        kwargs=lambda w, p: {"pk": w.county.member_unit.pk},
    ),
    Row(
        "education:registration_renew",
        get=NO_GET,
        post="ok 403 404 ok 404 403 login",
        kwargs=pk("community_registration"),
    ),
    Row(
        "education:service_create",
        get="200 403 404 200 404 403 login",
        post="ok 403 404 ok 404 403 login",
        kwargs=pk("community_registration"),
    ),
    # 老带新 / 一帮一: the committee reads the pairs, its staff record and end them; the two of
    # a pair (the secretary's person mentors) read theirs and log its meetings
    Row(
        "education:pairs", get="200 200 404 404 404 403 login", post="ok 403 404 404 404 403 login"
    ),
    Row(
        "education:pair",
        get="200 200 404 200 404 403 login",
        post="ok 403 404 ok 404 403 login",
        kwargs=pk("mentor_pair"),
    ),
    Row(
        "education:pair_end",
        get=NO_GET,
        post="ok 403 404 403 404 403 login",
        kwargs=pk("mentor_pair"),
    ),
]
# Pages that only show something take GET only: a POST is refused (405) before anything else is
# looked at; the audit administrator is stopped earlier (403, and `/` sends them home).
READ_ONLY = {
    "home",
    "wishes:index",
    "wishes:detail",
    "wishes:photo",
    "wishes:places",
    "wishes:group_qr",
    "wishes:figures",
    "wishes:figures_export",
    "wishes:export",
    "wishes:meeting",
    "wishes:meeting_photo",
    "people_import:export",
    "people_import:unit_export",
    "dashboard",
    "my_work",
    "zone_detail",
    "unit_detail",
    "search",
    "moves",
    "participant_search",
    "supervision:index",
    "supervision:check_list",
    "supervision:check_detail",
    "supervision:sheet_evidence_file",
    "supervision:round_list",
    "supervision:round_detail",
    "supervision:finding_list",
    "supervision:finding_export",
    "supervision:finding_detail",
    "supervision:finding_evidence_file",
    "supervision:class_review",
    "supervision:class_movements",
    "reports:list",
    "reports:detail",
    "reports:status",
    "reports:download",
    "reports:document",
    "reports:city_list",
    "reports:city_detail",
    "reports:city_status",
    "reports:city_download",
    "reports:city_document",
    "notifications:list",
    "notifications:open",
    "education:index",
    "education:sessions",
    "education:session",
    "education:session_minutes",
    "education:attachment",
    "education:mine",
    "education:person",
    "education:unit",
    "education:unit_export",
    "education:person_export",
    "education:community",
}
ROWS = [
    replace(row, post="405 405 405 405 405 302 login" if row.name == "home" else NO_POST)
    if row.name in READ_ONLY
    else row
    for row in ROWS
]

# Where the portal contradicts the rule today: (row id, persona, method) → what it answers.
# (The ledger, its export and the review queue answered 403 to those who may not open them;
# they answer 404 now, as the dashboard and the class review.)
KNOWN_FAULTS: dict[tuple[str, str, str], str] = {}

# Pages (by row id) the city reads besides READ_ONLY, and the cells of the city personas that
# the rule of `derived_cell` does not give.
OWN_ACCOUNT = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "otp_verify",
    "otp_setup",
    "otp_qr",
    "set_language",
    "healthz",
}
CITY_READS = {
    "moves",
    "people:register",
    "people:detail",
    "unit_phone",
    "activities:mine",
    "activities:zone",
    "activities:detail",
    "activities:attachment",
    "activities:grid",
    "activities:ledger",
    "activities:ledger_export",
    "activities:rotation",
    "supervision:sheet_detail",
    "supervision:sheet_detail[checked unit, unpublished]",
    "supervision:team_detail",
    "wishes:meetings",
    "teams:index",
    "teams:rotation",
    "teams:team_detail",
    "teams:visit_detail",
    "teams:trainings",
    "teams:training_detail",
    "teams:brands",
    "teams:scorecards_export",
}
CITY_CELLS: dict[tuple[str, str, str], str] = {
    # the villagers' pages are anyone's (紫阳县 runs no micro-wishes, but the link is 石泉's)
    **{
        (name, persona, method): cell
        for name, method, cell in (
            ("wish_public:intake", "GET", "200"),
            ("wish_public:intake", "POST", "ok"),
            ("wish_public:status", "GET", "200"),
            ("wish_public:status", "POST", "ok"),
            ("wish_public:sent", "GET", "302"),
            ("captcha-image", "GET", "200"),
        )
        for persona in CITY_PERSONAS
    },
    # an export job is its requester's: the city staff's own, 404 to them as to everyone else
    ("export_job", "city", "GET"): "404",
    ("export_job_download", "city", "GET"): "404",
    ("export_job_retry", "city", "POST"): "404",
    # the city reads the county's wishes and figures; acts on none
    ("wishes:whistle", "city", "GET"): "200",
    ("wishes:whistles", "city", "GET"): "200",
    ("wishes:whistles", "city", "POST"): "404",  # no town of theirs to blow a whistle for
    ("wishes:places", "city", "GET"): "404",  # the links are the county staff's to hand out
    ("wishes:group_qr", "city", "GET"): "404",
    # the review queue and the class review are staff's work, not reading: 404 as for others
    ("activities:queue", "city", "GET"): "404",
    ("supervision:class_review", "city", "GET"): "404",
    # the participant picker is for those who log activities
    ("participant_search", "city", "GET"): "403",
    # the city's roll-up reports are the city staff's alone (404 for every county persona)
    **{
        (name, "city", "GET"): "200"
        for name in (
            "reports:city_list",
            "reports:city_detail",
            "reports:city_status",
            "reports:city_download",
            "reports:city_document",
        )
    },
    ("reports:city_request", "city", "POST"): "ok",
    ("reports:city_narrative", "city", "POST"): "ok",
    ("reports:city_file", "city", "POST"): "ok",
    # the city's pages are the city's; a self-hosted county's staff read its snapshots (and
    # the reasons one was returned for), and import or return none
    ("home", "city", "GET"): "302",  # to the city dashboard
    ("portal:city_dashboard", "city", "GET"): "200",
    ("portal:snapshots", "city", "GET"): "200",
    ("portal:snapshots", "city", "POST"): "ok",
    ("portal:snapshots", "zy_staff", "GET"): "200",
    ("portal:snapshots", "zy_staff", "POST"): "403",
    ("portal:snapshot_return", "city", "POST"): "ok",
    ("portal:snapshot_return", "zy_staff", "POST"): "403",
    # 六大课堂: the sign-in page is public; the city reads every county's classrooms and rules
    # (changes none: 403), and has no pairs page of its own
    ("education:sign_in", "city", "GET"): "200",
    ("education:sign_in", "city", "POST"): "200",
    **{
        (name, "city", method): "404"
        for name in (
            "education:pairs",
            # the communities' management is the county staff's work, not reading
            "education:communities",
            "education:community_edit",
        )
        for method in ("GET", "POST")
    },
    ("education:community_remove", "city", "POST"): "404",
    **{(name, "city", "GET"): "200" for name in ("education:classrooms", "education:rules")},
    **{(name, "city", "POST"): "403" for name in ("education:classrooms", "education:rules")},
    ("education:pair", "city", "GET"): "200",  # a pair's page, read only (POST: 403)
}


# --- the tests ------------------------------------------------------------------------------


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_its_rows():
    """A URL pattern added without its rows, or a row for a URL that is gone, fails here."""
    assert sorted(set(url_names())) == sorted({row.name for row in ROWS})


def test_every_row_has_a_cell_per_persona_and_unique_ids():
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))
    tokens = {"200", "302", "403", "404", "405", "ok", "any302", "login"}
    for row in ROWS:
        for cells in (row.get, row.post):
            assert len(cells.split()) == len(PERSONAS), row.id
            assert set(cells.split()) <= tokens, row.id


def test_every_known_fault_names_a_cell():
    cells = {
        (row.id, persona, m)
        for row in ROWS
        for persona in (*PERSONAS, *CITY_PERSONAS)
        for m in ("GET", "POST")
    }
    assert set(KNOWN_FAULTS) <= cells


def derived_cell(row: Row, persona: str, method: str) -> str:
    """The cell of a city persona, from the staff's:

    - `zy_staff` (another county's staff, whose county runs no mechanism yet) gets 404 on every
      page of the zones mechanism (activities, supervision), and answers as staff do on a page of no object (their own
      county's dashboard, lists, forms), and 404 on every object of zone A (another county's):
      never a hint that it exists. Their own notification is theirs.
    - `city` reads what the committee reads, every county's: a page staff GET with 200 is 200
      for the city when it only reads (READ_ONLY, or a row named in CITY_READS); every action
      staff may take (`ok`) is 403 for the city; what staff cannot reach the city cannot either.
    Exceptions are in CITY_CELLS."""
    staff = (row.get if method == "GET" else row.post).split()[0]
    explicit = CITY_CELLS.get((row.id, persona, method))
    if explicit is not None:
        return explicit
    if persona == "zy_staff" and row.name.split(":")[0] in URL_NAMESPACES:
        return "404"  # 紫阳县 runs no zones mechanism (yet): its pages are not there for them
    if row.name in OWN_ACCOUNT or row.name.startswith("notifications:") or staff == "405":
        return staff  # their own account and notifications; a method no view takes
    if persona == "zy_staff":
        return staff if row.kwargs is Row.kwargs else "404"
    if staff == "ok":
        return "403"
    if staff == "200" and not (row.name in READ_ONLY or row.id in CITY_READS):
        return "403"
    return staff


def _cells(row: Row, method: str) -> list[tuple[str, str]]:
    cells = (row.get if method == "GET" else row.post).split()
    return [
        *zip(PERSONAS, cells, strict=True),
        *((p, derived_cell(row, p, method)) for p in CITY_PERSONAS),
    ]


def _cases():
    for row in ROWS:
        for method in ("GET", "POST"):
            for persona, expected in _cells(row, method):
                marks = []
                got = KNOWN_FAULTS.get((row.id, persona, method))
                if got is not None:
                    marks.append(
                        pytest.mark.xfail(
                            strict=True, reason=f"answers {got}, the rule says {expected}"
                        )
                    )
                yield pytest.param(
                    row, persona, method, expected, marks=marks, id=f"{row.id}-{persona}-{method}"
                )


def matches(response, expected: str) -> bool:
    status = response.status_code
    to_login = status == 302 and response["Location"].startswith(reverse("login"))
    if expected == "login":
        return to_login
    if expected == "any302":
        return status == 302
    if expected == "302":
        return status == 302 and not to_login
    if expected == "ok":
        return status == 200 or (status == 302 and not to_login)
    return status == int(expected)


@pytest.mark.parametrize("row, persona, method, expected", list(_cases()))
def test_permission(client, world, row, persona, method, expected):
    url = reverse(row.name, kwargs=row.kwargs(world, persona))
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(url) if method == "GET" else client.post(url, {})
    location = response.get("Location", "")
    assert matches(response, expected), (
        f"{method} {url} as {persona}: {response.status_code} {location}, expected {expected}"
    )


MISSING = 987_654_321  # an id no record has


@pytest.mark.parametrize(
    "row", [row for row in ROWS if row.get.split()[-1] == "login"], ids=lambda row: row.id
)
def test_anonymous_visitors_are_sent_to_log_in_before_anything_is_looked_up(client, world, row):
    """With ids of records that do not exist, the anonymous column is unchanged: the login comes
    before any lookup (a 404 would tell a stranger which ids exist)."""
    kwargs = {
        key: MISSING if isinstance(value, int) else value
        for key, value in row.kwargs(world, "anonymous").items()
    }
    url = reverse(row.name, kwargs=kwargs)
    for method, cells in ((client.get, row.get), (client.post, row.post)):
        response = method(url)
        expected = cells.split()[-1]
        assert matches(response, expected), (method.__name__, url, response.status_code)


@pytest.mark.parametrize("namespace", ["admin", "security_admin", "audit_admin"])
def test_anonymous_visitors_to_an_admin_site_are_sent_to_the_portal_login(client, db, namespace):
    response = client.get(reverse(f"{namespace}:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_every_read_only_page_named_has_rows():
    assert {row.name for row in ROWS} >= READ_ONLY
