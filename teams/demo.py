"""The service teams' demo: 紫阳县 switches the teams on and gets, through the services, four
teams anchored "一类+" by its four first-class organs, captains and members from the cadre pool
the people demo built, its organs assigned (no member guiding their own unit), a year of guidance
visits with findings (some rectified, some overdue), small practical matters, a class move up,
and next year's rotation proposed but not confirmed.

Accounts (password Demo@2026): `zy_captain` (captain of the first team), `zy_member` (a member of
it) and `zy_secretary` (secretary of an organization it guides); `zy_staff` is the counties
demo's. 紫阳县 has the dozen organs the zones demo builds, so the demo has 4 teams, not 16."""

from __future__ import annotations

import datetime
import random

from core.constants import Role
from core.demo import DemoContext
from counties.constants import Mechanism
from counties.scoping import county_scope
from counties.services import mechanism_switch_on
from people import services as people_services
from people.idnumber import compose
from people.models import Membership, Person
from supervision import services as supervision_services
from zones import services as zone_services
from zones.constants import Grade, PostKind, UnitKind
from zones.models import Unit, UnitPost

from . import services

TEAMS = 4
MEMBERS = 4  # besides the captain
PROBLEMS = [
    "三会一课记录不完整",
    "党员活动室制度未上墙",
    "主题党日活动缺少签到",
    "党费收缴台账不规范",
    "发展党员材料不齐全",
    "支部书记述职报告流于形式",
]


def load(*, ctx: DemoContext) -> None:
    county = ctx.counties["610924"]
    staff = ctx.accounts["zy_staff"]
    rng = random.Random(2026)  # noqa: S311 - demo data
    with county_scope(county):
        mechanism_switch_on(county=county, mechanism=Mechanism.TEAMS, since=ctx.start)
        units = list(Unit.objects.filter(county=county, kind=UnitKind.ORGAN).order_by("pk"))
        for i, unit in enumerate(units):
            zone_services.unit_set_grade(
                unit=unit,
                grade=Grade.FIRST if i < TEAMS else Grade.SECOND,
                effective_on=ctx.start,
                by=staff,
                reason="年度分类定级",
            )
        pool: dict[int, list[Person]] = {}
        for m in Membership.objects.filter(
            effective_to__isnull=True,
            person__county=county,
            person__cadre_profile__available=True,
        ).select_related("person"):
            pool.setdefault(m.unit_id, []).append(m.person)
        formed = datetime.date(ctx.start.year + 1, 1, 1)
        teams = []
        for t in range(TEAMS):
            anchor = units[t]
            # the team's people come from its anchor and one more organ, so it can guide the rest
            home = [anchor, units[TEAMS + t]]
            people = [p for u in home for p in pool.get(u.pk, [])][: MEMBERS + 1]
            username = "zy_captain" if t == 0 else f"zy_captain{t + 1}"
            user = ctx.user(
                username, full_name=f"{people[0].name}", role=Role.LEADER, county=county
            )
            people_services.person_link_account(person=people[0], user=user)
            teams.append(
                services.team_create(
                    name=f"第{'一二三四五六七八'[t]}服务队",
                    anchor_unit=anchor,
                    captain=people[0],
                    members=people[1:],
                    formed_on=formed,
                    by=staff,
                )
            )
            if t == 0:
                member = ctx.user(
                    "zy_member", full_name=people[1].name, role=Role.SECRETARY, county=county
                )
                people_services.person_link_account(person=people[1], user=member)
        # each organ with a team that has no one working there, loads balanced
        guided: dict[int, list[Unit]] = {team.pk: [] for team in teams}
        for i, unit in enumerate(units):
            team = teams[(i + 1) % TEAMS]
            services.assign(team=team, unit=unit, on=formed, by=staff)
            guided[team.pk].append(unit)
        first_guided = guided[teams[0].pk][0]
        secretary = ctx.user(
            "zy_secretary", full_name="紫阳书记", role=Role.SECRETARY, county=county
        )
        UnitPost.objects.create(user=secretary, unit=first_guided, kind=PostKind.SECRETARY)
        # a secretary account is a person of the register holding the 书记 post (issue 16)
        secretary_person = people_services.person_create(
            unit=first_guided,
            actor=ctx.admin,
            since=ctx.start,
            name="紫阳书记",
            id_number=compose(region="610924", born=datetime.date(1978, 9, 12), sequence=351),
            joined_on=datetime.date(2005, 7, 1),
        )
        people_services.person_link_account(person=secretary_person, user=secretary)
        people_services.post_assign(
            person=secretary_person,
            unit=first_guided,
            kind=PostKind.SECRETARY,
            on=ctx.start,
            actor=ctx.admin,
        )
        # a year of visits: each organ about monthly up to last month, problems now and then
        today = ctx.today
        for team in teams:
            went = [m.person for m in services.team_members_on(team, formed)]
            captain = went[0].user
            for unit in guided[team.pk]:
                for month in range(1, today.month):
                    if rng.random() < 0.35:
                        continue
                    day = datetime.date(today.year, month, rng.randint(5, 25))
                    problems = []
                    if rng.random() < 0.3:
                        problems = [(rng.choice(PROBLEMS), "general", "限期整改")]
                    visit = services.visit_record(
                        team=team,
                        unit=unit,
                        visited_on=day,
                        went=rng.sample(went, k=min(3, len(went))),
                        problems=problems,
                        looked="查看主体责任落实、组织生活、活动阵地、党员教育管理情况",
                        heard_secretary="听取书记汇报",
                        suggestions="进一步规范组织生活",
                        by=captain,
                    )
                    for finding in visit.sheet.findings.all():
                        if month < today.month - 2 and rng.random() < 0.7:
                            supervision_services.finding_submit(
                                finding=finding, note="已按要求整改", by=staff
                            )
                            supervision_services.finding_verify(finding=finding, by=staff)
                for _n in range(rng.randint(1, 3)):
                    person = rng.choice(went)
                    matter = services.matter_log(
                        person=person,
                        by=person.user or staff,
                        description=rng.choice(["帮助销售滞销茶叶", "维修线路", "安装路灯"]),
                        category=rng.choice(["sales", "repair", "facility"]),
                        done_on=min(
                            today, datetime.date(today.year, rng.randint(1, today.month), 3)
                        ),
                        hours=2,
                        people_served=rng.randint(1, 20),
                    )
                    if rng.random() < 0.8:
                        services.matter_confirm(matter=matter, by=captain or staff)
        # an organ guided by the first team moves up (二类 → 一类)
        zone_services.unit_set_grade(
            unit=guided[teams[0].pk][-1],
            grade=Grade.FIRST,
            effective_on=today - datetime.timedelta(days=30),
            by=staff,
            reason="年中评定进位",
        )
        services.rotation_propose(
            year=today.year + 1,
            effective_on=datetime.date(today.year + 1, 1, 1),
            by=staff,
            county_id=county.pk,
        )
