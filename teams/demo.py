"""The service teams' demo at the scale of the article: 紫阳县 switches the teams on and gets 92
party organizations (the zones demo's dozen organs, and its towns' branches here), a cadre pool
of 62 (16 committee captains and 46 members), and 16 teams formed by the team builder
(teams.builder: captains from the committee, "一类+" anchors, strengths spread, no one guiding
their own unit), every organization matched to a team. Then a year of work through the
services: guidance visits with findings (some rectified, some overdue), small practical
matters, training and a knowledge contest (9 prize winners), brands, organizations moved up
二类 → 一类, and next year's rotation proposed, not confirmed.

Accounts (password Demo@2026): `zy_captain` (captain of the first team; `zy_captain2` …
`zy_captain16` the others), `zy_member` (a member of it) and `zy_secretary` (secretary of an
organization it guides); `zy_staff` is the counties demo's."""

from __future__ import annotations

import datetime
import random

from core.constants import Role
from core.demo import DemoContext
from counties.constants import Mechanism
from counties.scoping import county_scope
from counties.services import mechanism_switch_on
from people import services as people_services
from people.constants import Strength
from people.idnumber import compose
from people.models import CadreProfile
from people.models import Membership as RegisterMembership
from supervision import services as supervision_services
from zones import services as zone_services
from zones.constants import Grade, OrgType, PostKind, UnitKind, WorkCategory
from zones.models import Unit, UnitPost
from zones.selectors import unit_grade_on

from . import services

TEAMS = 16
POOL = 62  # the cadre pool: 16 captains and 46 members
SIZE = 4  # people per team, the captain included: 14 teams of four and 2 of three
FIRST_CLASS = 20  # organizations first class at the start of the year
VISITS = 56
PROMOTIONS = 12
TOWNS = [
    "城关镇",
    "蒿坪镇",
    "汉王镇",
    "焕古镇",
    "向阳镇",
    "洞河镇",
    "洄水镇",
    "双桥镇",
    "高桥镇",
    "红椿镇",
    "高滩镇",
    "毛坝镇",
    "瓦庙镇",
    "麻柳镇",
    "双安镇",
    "东木镇",
    "界岭镇",
]
BRANCHES = [
    ("机关党支部", WorkCategory.GOVERNMENT),
    ("卫生院党支部", WorkCategory.SOCIAL),
    ("中心学校党支部", WorkCategory.SOCIAL),
    ("农业综合服务站党支部", WorkCategory.AGRICULTURE),
    ("财政所党支部", WorkCategory.ECONOMY),
]
PROBLEMS = [
    "三会一课记录不完整",
    "党员活动室制度未上墙",
    "主题党日活动缺少签到",
    "党费收缴台账不规范",
    "发展党员材料不齐全",
    "支部书记述职报告流于形式",
]
MATTERS = [
    ("sales", "帮助销售滞销茶叶"),
    ("repair", "维修老旧线路"),
    ("facility", "安装路灯"),
    ("care", "走访慰问困难党员"),
    ("other", "协调解决饮水问题"),
]
BRANDS = ["红色茶乡", "先锋驿站", "硒望党建", "汉江红帆", "紫阳红", "茶香党旗"]


def _organizations(county) -> list[Unit]:
    """The county's 92 organizations: the zones demo's organs (a dozen), then its towns'
    branches (units of the towns, not organs: the city's pages count a dozen organs a county)."""
    have = list(Unit.objects.filter(county=county, kind=UnitKind.ORGAN).order_by("pk"))
    names = [(f"紫阳县{town}{branch}", kind) for town in TOWNS for branch, kind in BRANCHES]
    for name, kind in names[: 92 - len(have)]:
        have.append(
            Unit.objects.create(
                county=county,
                name=name,
                short_name=name.removeprefix("紫阳县")[:12],
                kind=UnitKind.TOWN,
                org_type=OrgType.BRANCH,
                work_category=kind,
                member_count=12,
            )
        )
    return have


def _cadre(unit, *, ctx, rng, sequence, name="", strengths=None):
    person = people_services.person_create(
        unit=unit,
        actor=ctx.admin,
        since=ctx.start,
        name=name or rng.choice("王李张刘陈杨黄赵吴周") + rng.choice("明华军芳敏静磊伟强洁"),
        id_number=compose(
            region="610924",
            born=datetime.date(rng.randint(1968, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            sequence=sequence,
        ),
        joined_on=datetime.date(rng.randint(1995, 2018), 7, 1),
    )
    people_services.cadre_profile_update(
        person=person,
        actor=ctx.admin,
        years_of_party_work=rng.randint(2, 25),
        strengths=strengths or rng.sample(Strength.values, rng.randint(1, 2)),
        available=True,
    )
    return person


def load(*, ctx: DemoContext) -> None:
    county = ctx.counties["610924"]
    staff = ctx.accounts["zy_staff"]
    rng = random.Random(2026)  # noqa: S311 - demo data
    today = ctx.today
    formed = datetime.date(today.year, 1, 1)
    with county_scope(county):
        mechanism_switch_on(county=county, mechanism=Mechanism.TEAMS, since=ctx.start)
        units = _organizations(county)
        for i, unit in enumerate(units):
            zone_services.unit_set_grade(
                unit=unit,
                grade=Grade.FIRST if i < FIRST_CLASS else (Grade.SECOND if i < 80 else Grade.THIRD),
                effective_on=ctx.start,
                by=staff,
                reason="年度分类定级",
            )
        # the pool (about 60–62): the people demo's 60 cadres of the organs, all available now,
        # and two more
        profiles = list(
            CadreProfile.objects.filter(person__county=county, person__left_on__isnull=True)
            .select_related("person")
            .order_by("person_id")
        )
        for profile in profiles:
            if not profile.available:
                people_services.cadre_profile_update(
                    person=profile.person, actor=ctx.admin, available=True
                )
        pool = [p.person for p in profiles]
        sequence = 400
        while len(pool) < POOL:
            sequence += 1
            pool.append(_cadre(units[len(pool) % 6], ctx=ctx, rng=rng, sequence=sequence))
        # the 16 captains: committee members with accounts, cadres of the second-class organs
        unit_of = dict(
            RegisterMembership.objects.filter(
                effective_to__isnull=True, person__in=pool
            ).values_list("person_id", "unit_id")
        )
        second = {u.pk for u in units[6:12]}
        captains = [p for p in pool if unit_of.get(p.pk) in second][:TEAMS]
        for t, person in enumerate(captains):
            username = "zy_captain" if t == 0 else f"zy_captain{t + 1}"
            user = ctx.user(username, full_name=person.name, role=Role.LEADER, county=county)
            people_services.person_link_account(person=person, user=user)
        # the team builder proposes; staff confirm it as proposed
        built = services.builder_propose(county_id=county.pk, size=SIZE, on=formed)
        build, people = built["build"], built["people"]
        by_pk = {u.pk: u for u in built["units"]}
        teams = services.builder_confirm(
            drafts=[
                (
                    f"第{i + 1}服务队",
                    people[draft.captain],
                    [people[k] for k in draft.people],
                )
                for i, draft in enumerate(build.teams)
            ],
            guided={by_pk[u]: i for u, i in build.guided.items()},
            formed_on=formed,
            by=staff,
        )
        team_one = [m.person for m in services.team_members_on(teams[0], formed)]
        member = next(p for p in team_one if p.user_id is None)
        member_user = ctx.user("zy_member", full_name=member.name, role=Role.MEMBER, county=county)
        people_services.person_link_account(person=member, user=member_user)
        guided = {
            team.pk: [a.unit for a in team.assignments.select_related("unit").order_by("pk")]
            for team in teams
        }
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
        _a_year(ctx=ctx, rng=rng, staff=staff, teams=teams, guided=guided, first=first_guided)
        services.rotation_propose(
            year=today.year + 1,
            effective_on=datetime.date(today.year + 1, 1, 1),
            by=staff,
            county_id=county.pk,
        )


def _a_year(*, ctx, rng, staff, teams, guided, first) -> None:
    """Visits (the first team's first organization among them), findings, matters, training
    and a contest, brands and organizations moved up, up to last month."""
    today = ctx.today
    months = max(1, today.month - 1)
    crew = {team.pk: [m.person for m in services.team_members_on(team, today)] for team in teams}
    plan = [(teams[0], first)] + [
        (team, rng.choice(guided[team.pk]))
        for team in (rng.choice(teams) for _n in range(VISITS - 1))
        if guided[team.pk]
    ]
    for team, unit in plan:
        went = crew[team.pk]
        month = rng.randint(1, months)
        day = datetime.date(today.year, month, rng.randint(3, 25))
        problems = []
        if rng.random() < 0.5:
            problems = [(p, "general", "限期整改") for p in rng.sample(PROBLEMS, rng.randint(1, 2))]
        visit = services.visit_record(
            team=team,
            unit=unit,
            visited_on=day,
            went=rng.sample(went, k=min(3, len(went))),
            problems=problems,
            looked="查看主体责任落实、组织生活、活动阵地、党员教育管理情况",
            heard_secretary="听取书记汇报",
            heard_members="听取党员意见",
            suggestions="进一步规范组织生活",
            by=went[0].user,
        )
        for finding in visit.sheet.findings.all():
            if month < today.month - 2 and rng.random() < 0.75:
                supervision_services.finding_submit(finding=finding, note="已按要求整改", by=staff)
                supervision_services.finding_verify(finding=finding, by=staff)
    for team in teams:
        captain = crew[team.pk][0]
        for _n in range(rng.randint(6, 12)):
            person = rng.choice(crew[team.pk])
            category, text = rng.choice(MATTERS)
            matter = services.matter_log(
                person=person,
                by=person.user or staff,
                description=text,
                category=category,
                done_on=datetime.date(today.year, rng.randint(1, months), rng.randint(1, 28)),
                hours=rng.choice([1, 2, 3]),
                people_served=rng.randint(1, 30),
                unit=rng.choice(guided[team.pk]) if guided[team.pk] else None,
            )
            if rng.random() < 0.85:
                services.matter_confirm(matter=matter, by=captain.user or staff)
    everyone = [p for people in crew.values() for p in people]
    held = datetime.date(today.year, min(months, 4), 16)
    for kind, title in (("class", "党务干部能力提升培训班"), ("seminar", "机关党建工作研讨会")):
        training = services.training_record(
            kind=kind, title=title, held_on=held, by=staff, county_id=teams[0].county_id
        )
        for person in rng.sample(everyone, k=min(30, len(everyone))):
            services.training_entry_add(training=training, person=person, by=staff)
    contest = services.training_record(
        kind="contest",
        title="党建知识竞赛",
        held_on=datetime.date(today.year, min(months, 6), 28),
        by=staff,
        county_id=teams[0].county_id,
    )
    prizes = ["first"] + ["second"] * 2 + ["third"] * 3 + ["merit"] * 3  # 9 prize winners
    for i, person in enumerate(rng.sample(everyone, k=min(24, len(everyone)))):
        services.training_entry_add(
            training=contest,
            person=person,
            prize=prizes[i] if i < len(prizes) else "",
            result=f"{rng.randint(70, 100)}分",
            by=staff,
        )
    second = [u for team in teams for u in guided[team.pk]]
    rng.shuffle(second)
    moved = 0
    for unit in second:
        if moved >= PROMOTIONS:
            break
        if unit_grade_on(unit=unit, day=today) != Grade.SECOND:
            continue
        zone_services.unit_set_grade(
            unit=unit,
            grade=Grade.FIRST,
            effective_on=datetime.date(
                today.year, rng.randint(2, months + 1 if months < 12 else 12), 1
            ),
            by=staff,
            reason="年中评定进位",
        )
        moved += 1
    for name, unit in zip(BRANDS, second[-len(BRANDS) :], strict=False):
        services.brand_record(
            unit=unit,
            name=name,
            recognized_on=datetime.date(today.year, rng.randint(1, months), 18),
            by=staff,
        )
