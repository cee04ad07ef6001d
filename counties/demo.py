"""The demo city, 安康市, and four of its counties: 石泉县 (the demo county the loaders after this
one build in, running the zones mechanism), and 紫阳县, 平利县, 岚皋县, each with a staff account
and no mechanism yet: each is switched on by its own app's loader (teams/, education/, wishes/
demo.py; their organ units are the zones loader's). City staff
(`city`) read all four. Runs after `core/demo.py`, whose committee staff becomes 石泉县's."""

from __future__ import annotations

from core.constants import COUNTY_ROLES, Role
from core.demo import DemoContext

from .constants import Mechanism
from .models import City, County
from .services import mechanism_switch_on

# (code, name, short name, staff account, staff's name)
OTHER_COUNTIES = [
    ("610924", "紫阳县", "紫阳", "zy_staff", "钱紫阳"),
    ("610926", "平利县", "平利", "pl_staff", "孙平利"),
    ("610925", "岚皋县", "岚皋", "lg_staff", "李岚皋"),
]


def load(*, ctx: DemoContext) -> None:
    city = City.objects.create(name="安康市", short_name="安康", code="610900")
    shiquan = County.objects.create(city=city, name="石泉县", short_name="石泉", code="610922")
    mechanism_switch_on(county=shiquan, mechanism=Mechanism.ZONES, since=ctx.start)
    for user in ctx.accounts.values():
        if user.role in COUNTY_ROLES and user.county_id is None:
            user.county = shiquan
            user.save(update_fields=["county"])
    ctx.county = shiquan
    ctx.counties[shiquan.code] = shiquan
    for code, name, short_name, username, full_name in OTHER_COUNTIES:
        county = County.objects.create(city=city, name=name, short_name=short_name, code=code)
        ctx.counties[code] = county
        ctx.user(username, full_name=full_name, role=Role.STAFF, county=county)
    ctx.user("city", full_name="安康市委组织部", role=Role.CITY_STAFF)
