"""岚皋县's micro-wishes (党群e心·群众微心愿): its towns, villages and groups, the categories with
their time limits and default handlers, and a year of wishes in every state — the flood-ruined
fields restored with the rail project's help, the improved seedlings for 兴隆村, the road
whistle answered by the transport bureau — written through the services, so the figures show
every rate. Accounts (password Demo@2026): `lg_town` (滔河镇's dispatcher), `lg_handler` (县农业农村局,
a handler unit), `lg_member` (an organ party member who claims wishes); `lg_staff` is the
counties loader's."""

from __future__ import annotations

import datetime
import random

from core.constants import Role
from core.demo import DemoContext
from counties.calendar import add_workdays, is_workday
from counties.constants import Mechanism
from counties.scoping import county_scope
from counties.services import mechanism_switch_on
from people import services as people_services
from people.constants import PostKind
from people.idnumber import compose
from zones.constants import OrgType, UnitKind, WorkCategory
from zones.constants import PostKind as UnitPostKind
from zones.models import Unit, UnitPost

from . import services
from .constants import Channel, Satisfaction, State
from .models import Category, Group, Route, Town, Village

LANGAO = "610925"

# town → its villages → their groups (组)
PLACES = {
    "滔河镇": {"同心村": 4, "兴隆村": 3, "漳河村": 3},
    "四季镇": {"天坪村": 3, "月池村": 2},
    "城关镇": {"东坡社区": 2, "德胜村": 3},
    "大道河镇": {"茶园村": 2},
}
# category → working days, default handler per town ("town": the town's office)
CATEGORIES = [
    ("土地与农业", 10, "县农业农村局"),
    ("道路交通", 15, "town"),
    ("水电", 7, "town"),
    ("产业发展", 15, "县农业农村局"),
    ("政策咨询", 3, "town"),
    ("矛盾纠纷", 10, "town"),
    ("其他", 10, "town"),
]
TEXTS = {
    "土地与农业": ["土地被冲毁，希望能恢复", "想请镇上帮忙协调良种苗", "地里排水沟堵了，庄稼被淹"],
    "道路交通": ["村道被重车压坏，出行困难", "组里的便民桥栏杆坏了", "路灯不亮，晚上走路危险"],
    "水电": ["自来水压力小，高处用不上水", "电压不稳，电器经常烧坏"],
    "产业发展": ["想发展魔芋种植，需要技术指导", "茶叶销路不好，希望帮忙对接"],
    "政策咨询": ["想了解养老保险缴费政策", "危房改造怎么申请"],
    "矛盾纠纷": ["邻里宅基地界线有争议", "林地权属有纠纷"],
    "其他": ["希望组里建个文化活动场地", "老人想办理老年证"],
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"


def load(*, ctx: DemoContext) -> None:
    county = ctx.counties[LANGAO]
    with county_scope(county):
        _load(ctx, county)


def _unit(county, name, kind, category=WorkCategory.OTHER):
    found = Unit.objects.filter(county=county, name=name).first()
    if found is not None:
        return found
    return Unit.objects.create(
        county=county,
        name=name,
        short_name=name[:6],
        kind=kind,
        org_type=OrgType.COMMITTEE if kind == UnitKind.TOWN else OrgType.BRANCH,
        work_category=category,
    )


def _load(ctx: DemoContext, county) -> None:
    rng = random.Random(17)  # noqa: S311 - demo data, not secrets
    today = ctx.today
    start = datetime.date(today.year - 1, 1, 1)
    mechanism_switch_on(county=county, mechanism=Mechanism.WISHES, since=start)
    staff = ctx.accounts["lg_staff"]
    organs = ctx.county_units.get(LANGAO, {})
    agriculture = organs.get("县农业农村局") or _unit(
        county, "县农业农村局", UnitKind.ORGAN, WorkCategory.AGRICULTURE
    )
    transport = _unit(county, "县交通运输局", UnitKind.ORGAN, WorkCategory.INFRASTRUCTURE)
    water = organs.get("县水利局") or _unit(county, "县水利局", UnitKind.ORGAN)

    towns, villages, groups = {}, {}, []
    for town_name, its_villages in PLACES.items():
        office = _unit(county, f"{town_name}党委", UnitKind.TOWN, WorkCategory.GOVERNMENT)
        town = Town.objects.create(county=county, name=town_name, office=office)
        towns[town_name] = town
        for village_name, group_count in its_villages.items():
            committee = _unit(county, f"{town_name}{village_name}党支部", UnitKind.VILLAGE)
            village = Village.objects.create(town=town, name=village_name, committee=committee)
            villages[village_name] = village
            for n in range(1, group_count + 1):
                groups.append(
                    Group.objects.create(village=village, name=f"{'一二三四五'[n - 1]}组")
                )
    categories = {}
    for order, (name, days, handler) in enumerate(CATEGORIES):
        category = Category.objects.create(county=county, name=name, days=days, order=order)
        categories[name] = category
        for town in towns.values():
            unit = agriculture if handler == "县农业农村局" else town.office
            Route.objects.create(category=category, town=town, handler=unit)

    # the accounts
    lg_town = ctx.user("lg_town", full_name="陈滔河", role=Role.OFFICER, county=county)
    # the town committee's party-affairs officer, who dispatches the town's wishes
    UnitPost.objects.create(user=lg_town, unit=towns["滔河镇"].office, kind=UnitPostKind.OFFICER)
    lg_handler = ctx.user("lg_handler", full_name="杨农业", role=Role.SECRETARY, county=county)
    UnitPost.objects.create(user=lg_handler, unit=agriculture)
    # a secretary account is a person of the register holding the 书记 post (issue 16)
    handler_person = people_services.person_create(
        unit=agriculture,
        actor=ctx.admin,
        since=start,
        name="杨农业",
        id_number=compose(region=LANGAO, born=datetime.date(1979, 3, 14), sequence=233),
        joined_on=datetime.date(2003, 6, 1),
    )
    people_services.person_link_account(person=handler_person, user=lg_handler)
    people_services.post_assign(
        person=handler_person, unit=agriculture, kind=PostKind.SECRETARY, on=start, actor=ctx.admin
    )
    lg_member = ctx.user("lg_member", full_name="周林业", role=Role.MEMBER, county=county)
    forestry = organs.get("县林业局") or _unit(county, "县林业局", UnitKind.ORGAN)
    member = people_services.person_create(
        unit=forestry,
        actor=ctx.admin,
        since=start,
        name="周林业",
        id_number=compose(region=LANGAO, born=datetime.date(1988, 5, 6), sequence=417),
        joined_on=datetime.date(2012, 7, 1),
    )
    people_services.person_link_account(person=member, user=lg_member)

    def who(unit):
        return (
            lg_handler
            if unit == agriculture
            else (lg_town if unit == towns["滔河镇"].office else staff)
        )

    # the stories of the issue
    tongxin = [g for g in groups if g.village.name == "同心村"]
    xinglong = [g for g in groups if g.village.name == "兴隆村"]
    day0 = _workday(today - datetime.timedelta(days=120))
    fields = services.wish_receive(
        group=tongxin[0], text="土地被冲毁，希望能恢复", phone="13992500101", name="王大山", on=day0
    )
    _run(fields, categories["土地与农业"], agriculture, lg_handler, staff, day0, 20,
         answer="协调铁路建设项目部出动机械，平整复垦被冲毁的农田8亩，已恢复耕种。",
         satisfaction=Satisfaction.SATISFIED)  # fmt: skip
    services.wish_mark_typical(wish=fields, consent=True, by=staff)
    day1 = _workday(today - datetime.timedelta(days=90))
    seedlings = services.wish_receive(
        group=xinglong[0], text="想请镇上帮忙协调良种苗", phone="13992500102", on=day1
    )
    _run(seedlings, categories["产业发展"], agriculture, lg_handler, staff, day1, 6,
         answer="县农业农村局调运魔芋良种苗2000斤，并安排技术员现场指导种植。",
         satisfaction=Satisfaction.SATISFIED)  # fmt: skip
    # the road whistle: 滔河镇 and 四季镇's same problem swept into one batch
    day2 = _workday(today - datetime.timedelta(days=60))
    road = services.wish_receive(
        group=tongxin[1], text="高铁施工车辆把村道压坏了，希望修复", phone="13992500103", on=day2
    )
    road_2 = services.wish_receive(
        group=[g for g in groups if g.village.name == "天坪村"][0],
        text="施工重车压坏通村公路",
        phone="13992500104",
        on=day2,
    )
    services.wish_dispatch(wish=road, category=categories["道路交通"], by=lg_town, on=day2)
    whistle = services.whistle_blow(
        town=towns["滔河镇"],
        wishes=[road, road_2],
        reason="通村道路被铁路建设重车损毁，镇村无力修复，需县交通运输局协调施工方修复。",
        department=transport,
        approved_by="滔河镇党委书记",
        by=lg_town,
        on=add_workdays(day2, 1),
    )
    services.whistle_report(
        whistle=whistle, reporter="县交通运输局 刘工", by=staff, on=add_workdays(day2, 2)
    )
    services.whistle_solve(
        whistle=whistle,
        visit_note="县交通运输局会同镇村和施工方现场勘查，排查相邻乡镇同类路段3处。",
        solution="由施工方出资、县交通运输局监督，修复受损道路2.6公里，并对相邻乡镇路段一并整治。",
        by=staff,
        on=add_workdays(day2, 12),
    )
    for wish in (road, road_2):
        wish.refresh_from_db()
        services.wish_visit(
            wish=wish, satisfaction=Satisfaction.SATISFIED, by=staff, on=add_workdays(day2, 13)
        )

    # a year of wishes in every state
    names = list(categories)
    meetings: dict = {}
    for n in range(140):
        received = _workday(start + datetime.timedelta(days=rng.randint(0, (today - start).days)))
        group = rng.choice(groups)
        category = categories[rng.choice(names)]
        channel = rng.choices([Channel.LINK, Channel.COURTYARD, Channel.VISIT], [6, 2, 2])[0]
        meeting = None
        if channel == Channel.COURTYARD:  # raised at the village's courtyard meeting that day
            key = (group.village_id, received)
            if key not in meetings:
                meetings[key] = services.meeting_record(
                    village=group.village,
                    place="村委会院坝",
                    held_on=received,
                    convener=f"{group.village.name}党支部书记",
                    attendance=15 + n % 20,
                    by=staff,
                    on=received,
                )
            meeting = meetings[key]
        wish = services.wish_receive(
            meeting=meeting,
            group=group,
            text=rng.choice(TEXTS[category.name]),
            phone=f"1399250{n + 1000:04d}",
            name=rng.choice(SURNAMES) + rng.choice(["大姐", "大爷", "师傅", "先生", "女士"]),
            channel=channel,
            by=None if channel == Channel.LINK else staff,
            on=received,
        )
        age = (today - received).days
        if age < 2 and rng.random() < 0.7:
            continue  # awaiting dispatch
        handler = services.default_handler(wish, category)
        dispatcher = lg_town if wish.town.name == "滔河镇" else staff
        services.wish_dispatch(wish=wish, category=category, by=dispatcher, on=received)
        if n % 23 == 5:
            services.wish_return(wish=wish, reason="不属于本单位职责", by=who(handler), on=received)
            services.wish_return_decide(
                wish=wish, accept=True, handler=water, by=dispatcher, on=add_workdays(received, 1)
            )
            handler = water
        if age < 4 and rng.random() < 0.5:
            continue  # awaiting sign-in
        sign_day = add_workdays(received, 1 if rng.random() < 0.9 else 2)
        if sign_day > today:
            continue
        services.wish_sign(wish=wish, by=who(handler), on=sign_day)
        took = rng.randint(2, category.days + (3 if rng.random() < 0.1 else 0))
        done = add_workdays(sign_day, took)
        if done >= today:
            if n % 9 == 0 and today <= wish.deadline:
                services.wish_extension_request(
                    wish=wish, to=wish.deadline + datetime.timedelta(days=10),
                    reason="需等待汛期过后施工", by=who(handler), on=today,
                )  # fmt: skip
            continue  # being handled (some overdue)
        services.wish_note(
            wish=wish, note="已现场查看，正在协调解决。", by=who(handler), on=sign_day
        )
        services.wish_answer(wish=wish, answer="经现场核实，已协调解决。", by=who(handler), on=done)
        visit_day = add_workdays(done, 1)
        if visit_day >= today:
            continue  # return visit due
        answer = rng.choices(list(Satisfaction.values), [80, 12, 3, 2, 3])[0]
        services.wish_visit(wish=wish, satisfaction=answer, by=staff, on=visit_day)
    # a member's claims (双报到)
    claimable = [
        services.wish_receive(group=rng.choice(groups), text=t, phone=f"139925009{i:02d}", on=today)
        for i, t in enumerate(
            ["独居老人想请人帮忙换灯泡", "想要几本农业技术书籍", "孩子想要一个书包"]
        )
    ]
    claim = services.wish_claim(
        wish=claimable[0], person=member, unit=forestry, by=lg_member, on=today
    )
    services.claim_fulfil(claim=claim, note="已上门更换灯泡并检查线路。", by=lg_member, on=today)
    assert claimable[1].state == State.NEW


def _workday(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def _run(wish, category, handler, handler_user, staff, day, took, *, answer, satisfaction):
    services.wish_dispatch(wish=wish, category=category, handler=handler, by=staff, on=day)
    services.wish_sign(wish=wish, by=handler_user, on=add_workdays(day, 1))
    services.wish_note(
        wish=wish, note="已现场查看，协调相关方。", by=handler_user, on=add_workdays(day, 2)
    )
    done = add_workdays(day, took)
    services.wish_answer(wish=wish, answer=answer, by=handler_user, on=done)
    services.wish_visit(wish=wish, satisfaction=satisfaction, by=staff, on=add_workdays(done, 1))
