"""The organization of the demo county, like Shiquan's (石泉县): ten zones of county organ party
organizations, about ninety units, partner organizations along the silk industry chain, the
committee leaders guiding the zones, a secretary account for every organ unit, and two years of
history (reassignments, a lead change, class changes), all written through the services so that
the rules hold exactly as they do for real data; and the organs of the city's other counties
(紫阳县, 平利县, 岚皋县: a dozen each, no zones, as they run no mechanism yet). Called by `load_demo`
(`portal/demo.py`) after the accounts of `core/demo.py` and the counties of `counties/demo.py`;
fills in `ctx.units`, `ctx.county_units` and `ctx.accounts`."""

from __future__ import annotations

import datetime

from core.constants import Role
from core.demo import DemoContext
from counties.scoping import county_scope

from . import services as zone_services
from .constants import Grade, MembershipRole, OrgType, PostKind, UnitKind, WorkCategory
from .models import Membership, Unit, UnitPost, Zone

W = WorkCategory
# (number, name, focus, work category, [units: lead first]); first-class units are marked "*".
ZONES: list[tuple[int, str, str, str, list[str]]] = [
    (
        1,
        "第一片区（党群综合）",
        "机关党建标准化、理论学习联学",
        W.PARTY,
        [
            "*县委办公室",
            "*县委组织部",
            "县人大常委会机关",
            "县政协机关",
            "县委宣传部",
            "县委统战部",
            "县委政策研究室",
            "县委机构编制委员会办公室",
            "县委党校",
        ],
    ),
    (
        2,
        "第二片区（纪检政法）",
        "平安石泉建设、法治宣传联动",
        W.POLITICS_LAW,
        [
            "*县纪委监委机关",
            "*县委政法委",
            "县人民法院",
            "县人民检察院",
            "县公安局",
            "县信访局",
            "县委巡察工作领导小组办公室",
            "县退役军人事务局",
            "县保密和机要服务中心",
        ],
    ),
    (
        3,
        "第三片区（经济综合）",
        "项目建设、营商环境联动",
        W.ECONOMY,
        [
            "*县发展和改革局",
            "县财政局",
            "县审计局",
            "县统计局",
            "县行政审批服务局",
            "县医疗保障局",
            "县国有资产服务中心",
            "县住房公积金管理中心",
            "县机关事务服务中心",
        ],
    ),
    (
        4,
        "第四片区（城乡建设）",
        "城市更新、文明创建攻坚",
        W.INFRASTRUCTURE,
        [
            "*县住房和城乡建设局",
            "县交通运输局",
            "县城市管理执法局",
            "县应急管理局",
            "县公路管理段",
            "县城市建设投资服务中心",
            "县消防救援大队",
            "县人民防空办公室",
            "县地震监测中心",
        ],
    ),
    (
        5,
        "第五片区（教育群团）",
        "未成年人保护、留守儿童关爱志愿服务",
        W.SOCIAL,
        [
            "*县教育和体育局",
            "团县委",
            "县妇联",
            "县总工会",
            "县残疾人联合会",
            "县融媒体中心",
            "县文化和旅游广电局",
            "县红十字会",
            "县关心下一代工作委员会办公室",
        ],
    ),
    (
        6,
        "第六片区（民生服务）",
        "就业社保、为民办实事",
        W.SOCIAL,
        [
            "*县人力资源和社会保障局",
            "*县民政局",
            "县卫生健康局",
            "县疾病预防控制中心",
            "县社会保险经办中心",
            "县就业服务中心",
            "县档案馆",
            "县工商业联合会",
            "县老干部服务中心",
        ],
    ),
    (
        7,
        "第七片区（生态资源）",
        "汉江生态保护、防汛抗旱",
        W.INFRASTRUCTURE,
        [
            "*县自然资源局",
            "县林业局",
            "县水利局",
            "县生态环境分局",
            "县气象局",
            "县水文站",
            "县林业综合执法大队",
            "县河长制工作办公室",
            "县地质灾害防治中心",
        ],
    ),
    (
        8,
        "第八片区（农业农村）",
        "乡村振兴智囊团、蚕桑产业链联建",
        W.AGRICULTURE,
        [
            "*县农业农村局",
            "县科学技术协会",
            "县乡村振兴服务中心",
            "县蚕桑服务中心",
            "县农业技术推广中心",
            "县畜牧兽医中心",
            "县茶产业发展中心",
            "县供销合作社联合社",
            "县农村经营管理站",
        ],
    ),
    (
        9,
        "第九片区（文化旅游）",
        "全域旅游、鎏金铜蚕文化品牌联创",
        W.SOCIAL,
        [
            "*县文化馆",
            "县图书馆",
            "县博物馆",
            "县旅游服务中心",
            "县文物管理所",
            "县体育运动中心",
            "县广播电视台",
            "县地方志办公室",
            "县党史研究室",
        ],
    ),
    (
        10,
        "第十片区（经济开发）",
        "助企服务小分队：政策+金融+法律一站式服务",
        W.ECONOMY,
        [
            "*石泉经开区",
            "*县经济贸易局",
            "县司法局",
            "县市场监督管理局",
            "县税务局",
            "县金融服务中心",
            "县招商服务中心",
            "县工业园区服务中心",
            "县商务综合执法大队",
        ],
    ),
]

THIRD_CLASS = {
    "县残疾人联合会",
    "县地震监测中心",
    "县农村经营管理站",
    "县商务综合执法大队",
    "县水文站",
    "县老干部服务中心",
    "县文物管理所",
    "县保密和机要服务中心",
    "县人民防空办公室",
}

# Partner organizations from outside the organ system, along the silk industry chain.
PARTNERS: list[tuple[str, str]] = [
    ("市蚕桑产业发展中心党支部", UnitKind.CITY),
    ("中池镇机关党支部", UnitKind.TOWN),
    ("中池镇青泥洞村党支部", UnitKind.VILLAGE),
    ("陕西天成丝业有限公司党支部", UnitKind.ENTERPRISE),
]

# The year-end review's class changes (争先进位) in the demo's first year.
CLASS_CHANGES = [
    ("县司法局", Grade.FIRST, "年度考核进位"),
    ("县林业局", Grade.FIRST, "年度考核进位"),
    ("县残疾人联合会", Grade.SECOND, "整改到位，进位提升"),
    ("县统计局", Grade.THIRD, "督导发现问题整改不到位"),
]

LEADERS = [
    ("leader", "陈卫东", (9, 10)),
    ("leader_a", "王建华", (1, 2)),
    ("leader_b", "李明", (3, 4)),
    ("leader_c", "张秀兰", (5, 6)),
    ("leader_d", "刘国强", (7, 8)),
]

SECRETARY_NAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
]
GIVEN = ["建国", "志强", "丽", "军", "敏", "海燕", "伟", "静", "磊", "芳", "勇", "红梅", "涛", "娟"]


def _short(name: str) -> str:
    for prefix in ("县委", "县"):
        if name.startswith(prefix) and len(name) > 5:
            return name[len(prefix) :][:8]
    return name[:8]


# The organs of the demo city's other counties, by GB/T 2260 code: (name, work category), the
# county's committee first. They run no mechanism yet (their service teams, classrooms and
# micro-wishes arrive with the next issues), so they have units and no zones.
OTHER_COUNTY_ORGANS: dict[str, list[tuple[str, str]]] = {
    "610924": [  # 紫阳县
        ("县委办公室", W.PARTY),
        ("县政府办公室", W.GOVERNMENT),
        ("县纪委监委机关", W.POLITICS_LAW),
        ("县委组织部", W.PARTY),
        ("县委宣传部", W.PARTY),
        ("县财政局", W.ECONOMY),
        ("县教育体育局", W.SOCIAL),
        ("县卫生健康局", W.SOCIAL),
        ("县农业农村局", W.AGRICULTURE),
        ("县富硒茶产业发展中心", W.AGRICULTURE),
        ("县交通运输局", W.INFRASTRUCTURE),
        ("县文化和旅游广电局", W.SOCIAL),
    ],
    "610926": [  # 平利县
        ("县委办公室", W.PARTY),
        ("县政府办公室", W.GOVERNMENT),
        ("县纪委监委机关", W.POLITICS_LAW),
        ("县委组织部", W.PARTY),
        ("县委统战部", W.PARTY),
        ("县财政局", W.ECONOMY),
        ("县教育体育局", W.SOCIAL),
        ("县人力资源和社会保障局", W.SOCIAL),
        ("县民政局", W.SOCIAL),
        ("县茶饮产业发展中心", W.AGRICULTURE),
        ("县住房和城乡建设局", W.INFRASTRUCTURE),
        ("县市场监督管理局", W.ECONOMY),
    ],
    "610925": [  # 岚皋县
        ("县委办公室", W.PARTY),
        ("县政府办公室", W.GOVERNMENT),
        ("县纪委监委机关", W.POLITICS_LAW),
        ("县委组织部", W.PARTY),
        ("县委政法委", W.POLITICS_LAW),
        ("县财政局", W.ECONOMY),
        ("县教育体育局", W.SOCIAL),
        ("县文化和旅游广电局", W.SOCIAL),
        ("县农业农村局", W.AGRICULTURE),
        ("县林业局", W.AGRICULTURE),
        ("县水利局", W.INFRASTRUCTURE),
        ("县应急管理局", W.POLITICS_LAW),
    ],
}


def load(*, ctx: DemoContext) -> None:
    """The demo county's organization (`load_shiquan`), then each other county's organs
    (`load_county_organs`), each in its own county's scope."""
    load_shiquan(ctx=ctx)
    for code, organs in OTHER_COUNTY_ORGANS.items():
        county = ctx.counties[code]
        with county_scope(county):
            load_county_organs(ctx=ctx, county=county, organs=organs)


def load_county_organs(*, ctx: DemoContext, county, organs: list[tuple[str, str]]) -> None:
    """A county's organ units (the first its committee, the rest branches), with their
    secretaries' names and no zone: the county runs no mechanism yet."""
    units: dict[str, Unit] = {}
    for n, (name, category) in enumerate(organs, start=1):
        given = GIVEN[(n * 7 + int(county.code[-1])) % 14]
        units[name] = Unit.objects.create(
            county=county,
            name=name,
            short_name=_short(name),
            kind=UnitKind.ORGAN,
            org_type=OrgType.COMMITTEE if n == 1 else OrgType.BRANCH,
            work_category=category,
            location=f"{county.name}城关镇{['江南', '江北', '新城', '老街'][n % 4]}路{n * 5}号",
            member_count=10 + (n * 11) % 35,
            secretary_name=SECRETARY_NAMES[(n * 3) % 14] + given,
            secretary_phone=f"1399{county.code[-2:]}{n:05d}",
        )
    ctx.county_units[county.code] = units


def load_shiquan(*, ctx: DemoContext) -> None:
    """石泉县: ten zones, about ninety units and their partners, leaders, secretaries and two
    years of history."""
    start, admin = ctx.start, ctx.admin
    grading_day = start - datetime.timedelta(days=31)
    leaders = {
        username: ctx.user(username, full_name=name, role=Role.LEADER)
        for username, name, _z in LEADERS
    }

    units: dict[str, Unit] = {}
    n = 0
    for number, zone_name, focus, category, names in ZONES:
        zone = Zone.objects.create(county=ctx.county, number=number, name=zone_name, focus=focus)
        for position, raw in enumerate(names):
            first_class = raw.startswith("*")
            name = raw.lstrip("*")
            n += 1
            unit = Unit.objects.create(
                county=ctx.county,
                name=name,
                short_name=_short(name),
                kind=UnitKind.ORGAN,
                org_type=OrgType.COMMITTEE
                if position == 0
                else (OrgType.GENERAL_BRANCH if n % 4 == 0 else OrgType.BRANCH),
                work_category=category,
                location=f"石泉县城关镇{['江南', '江北', '古堰', '西城', '东坝'][n % 5]}路{n * 3}号",
                member_count=12 + (n * 7) % 40,
                secretary_name=SECRETARY_NAMES[n % 14] + GIVEN[(n * 5) % 14],
                secretary_phone=f"1389150{n:04d}",
            )
            units[name] = unit
            # A realistic mix: the lead units and a few others first class, most second, some third.
            grade = (
                Grade.FIRST
                if first_class
                else (Grade.THIRD if name in THIRD_CLASS else Grade.SECOND)
            )
            zone_services.unit_set_grade(
                unit=unit, grade=grade, effective_on=grading_day, by=admin, reason="年度分类定级"
            )
            Membership.objects.create(
                unit=unit,
                zone=zone,
                role=MembershipRole.LEAD if position == 0 else MembershipRole.MEMBER,
                effective_from=start,
                reason="片区划分",
                created_by=admin,
            )
    for username, _name, zone_numbers in LEADERS:
        for number in zone_numbers:
            zone_services.zone_set_leader(
                zone=Zone.objects.get(county=ctx.county, number=number),
                leader=leaders[username],
                effective_on=start,
                by=admin,
                reason="工委领导联片指导",
            )
    for name, kind in PARTNERS:
        units[name] = Unit.objects.create(
            county=ctx.county,
            name=name,
            short_name=name.replace("党支部", "")[:12],
            kind=kind,
            work_category=WorkCategory.AGRICULTURE,
            member_count=8,
        )

    # Demo secretaries: `lead` serves zone 10's lead unit, `secretary` a member unit of zone 10.
    lead = ctx.user("lead", full_name="周经开", role=Role.SECRETARY)
    secretary = ctx.user("secretary", full_name="吴司法", role=Role.SECRETARY)
    UnitPost.objects.create(user=lead, unit=units["石泉经开区"], kind=PostKind.SECRETARY)
    UnitPost.objects.create(user=secretary, unit=units["县司法局"], kind=PostKind.SECRETARY)
    # Every other unit gets a secretary account too, so that every workflow has someone to act.
    for index, unit in enumerate(
        Unit.objects.filter(kind=UnitKind.ORGAN).exclude(posts__isnull=False)
    ):
        user = ctx.user(f"sec{index + 1:03d}", full_name=unit.secretary_name, role=Role.SECRETARY)
        UnitPost.objects.create(user=user, unit=unit, kind=PostKind.SECRETARY)

    # Two years of history, through the services.
    mid = datetime.date(start.year, 7, 1)
    second_year = datetime.date(start.year + 1, 1, 1)
    zone_services.unit_reassign(
        unit=units["县应急管理局"],
        zone=Zone.objects.get(county=ctx.county, number=7),
        effective_on=mid,
        by=admin,
        reason="防汛抗旱工作归口调整",
    )
    zone_services.unit_reassign(
        unit=units["县融媒体中心"],
        zone=Zone.objects.get(county=ctx.county, number=1),
        effective_on=second_year + datetime.timedelta(days=59),
        by=admin,
        reason="宣传工作联动",
    )
    zone_services.units_reassign(
        units=[units["县地方志办公室"], units["县党史研究室"]],
        zone=Zone.objects.get(county=ctx.county, number=1),
        effective_on=second_year,
        by=admin,
        reason="党史方志工作并入党群片区",
    )
    # Class changes after the year-end review, and the lead changes that follow from them.
    review = datetime.date(start.year, 12, 31)
    for name, grade, reason in CLASS_CHANGES:
        zone_services.unit_set_grade(
            unit=units[name], grade=grade, effective_on=review, by=admin, reason=reason
        )
    zone_services.zone_set_lead(
        zone=Zone.objects.get(county=ctx.county, number=6),
        unit=units["县民政局"],
        effective_on=datetime.date(start.year, 9, 1),
        by=admin,
        reason="牵头单位轮换",
    )
    ctx.units.update(units)
