"""Demo records of this module, added by `load_demo` (`portal/demo.py`) on top of the demo
county of `zones/demo.py`: two years of host rotation and joint activities, with photos, a few
returned ones, a few gaps, and the October flood clean-up in several zones, so that the
compliance grid shows every state."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from core.demo import DemoContext
from core.uploads import clean_upload
from zones.models import Unit, UnitPost, Zone
from zones.selectors import zone_lead_on, zone_members_on

from . import services
from .constants import ActivityForm, AttachmentKind, JointTag
from .models import HostSlot

F = ActivityForm
TITLES = {
    F.THEME_PARTY_DAY: ["主题党日：重温入党誓词", "主题党日：学习新修订党章", "“七一”主题党日联学"],
    F.ONSITE_TEACHING: ["走进红色教育基地现场教学", "汉江生态保护现场教学", "蚕桑产业园现场教学"],
    F.THREE_MEETINGS: ["“三会一课”规范化观摩", "支部组织生活会观摩交流"],
    F.TRAINING: ["党务干部业务培训", "党费收缴与使用业务培训", "发展党员工作流程培训"],
    F.VOLUNTEER: ["关爱留守儿童志愿服务", "文明城市创建志愿服务", "助企服务小分队进园区"],
    F.JOINT_TACKLING: ["营商环境问题联建攻关", "乡村振兴智囊团联建攻关"],
    F.TASK_FORCE: ["联合突击队清理积雪", "联合攻坚队助力项目建设"],
    F.MUTUAL_CHECK: ["党建工作自查互督", "季度互督交叉检查"],
    F.OTHER: ["读书分享会", "党建品牌联创交流会"],
}
PLACES = [
    "县委党校",
    "石泉经开区党群服务中心",
    "城关镇江南社区",
    "后柳古镇",
    "中池镇青泥洞村",
    "单位会议室",
]
FORMS = [f for f in ActivityForm]
FLOOD_ZONES = (4, 7, 8, 10)  # after October's rains: 500+ m³ of debris at 180+ sites


def _photo(rng: random.Random, label: str):
    image = Image.new("RGB", (160, 120), (rng.randrange(90, 230), rng.randrange(40, 120), 40))
    ImageDraw.Draw(image).rectangle((10, 70, 150, 110), fill=(240, 240, 240))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    upload = SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")
    return (AttachmentKind.PHOTO, clean_upload(upload, allow_pdf=False))


def load(*, ctx: DemoContext) -> None:
    start, now, admin = ctx.start, ctx.today, ctx.admin
    rng = random.Random(2026)  # noqa: S311 - deterministic demo data, not secrets
    opening = now.replace(day=1)
    zones = list(Zone.objects.order_by("number"))
    for zone in zones:
        for year in range(start.year, now.year + 1):
            services.rotation_generate_year(zone=zone, year=year)
    secretaries = {
        unit_id: user
        for unit_id, user in (
            (post.unit_id, post.user) for post in UnitPost.objects.select_related("user")
        )
    }
    partners = list(Unit.objects.exclude(kind="organ"))
    slots = HostSlot.objects.filter(month__gte=start, month__lte=opening).select_related(
        "zone", "unit"
    )
    form_cycle = 0
    for slot in slots.order_by("month", "zone__number"):
        zone, month, host = slot.zone, slot.month, slot.unit
        author = secretaries.get(host.pk, admin)
        flood = month == datetime.date(start.year, 10, 1) and zone.number in FLOOD_ZONES
        roll = rng.random()
        if month == opening:
            # this month: some zones done, some waiting, some not yet
            fate = ["confirmed", "submitted", "none"][zone.number % 3]
        elif not flood and roll < 0.06:
            fate = "none"  # a gap
        elif not flood and roll < 0.11:
            fate = "returned"
        elif (opening - month).days <= 62 and roll < 0.3:
            fate = "submitted"  # the lead unit has not got round to it yet
        else:
            fate = "confirmed"
        if fate == "none":
            continue
        last_day = now.day if month == opening else 28
        date = month.replace(day=rng.randint(1, max(1, last_day)))
        if flood:
            form = F.TASK_FORCE
            title = "汛后联合突击队清淤除险"
            tags = [JointTag.ACTION, JointTag.BUILD]
            outcomes = [
                services.OutcomeData("清理淤泥", Decimal(rng.choice([110, 120, 130, 150])), "m³"),
                services.OutcomeData("清理点位", Decimal(rng.choice([42, 45, 48, 50])), "处"),
                services.OutcomeData("排查隐患", Decimal(rng.randint(3, 8)), "个"),
            ]
        else:
            form = FORMS[form_cycle % len(FORMS)]
            form_cycle += 1
            title = rng.choice(TITLES[form])
            tags = rng.sample(list(JointTag.values), rng.randint(1, 3))
            outcomes = (
                [services.OutcomeData("解决问题", Decimal(rng.randint(1, 5)), "个")]
                if form in (F.JOINT_TACKLING, F.MUTUAL_CHECK)
                else []
            )
        members = [u for u in zone_members_on(zone=zone, day=date) if u.pk != host.pk]
        participants = rng.sample(members, min(len(members), rng.randint(2, 4)))
        if zone.number == 8 and rng.random() < 0.5:
            participants += rng.sample(partners, min(2, len(partners)))
        files = [_photo(rng, f"IMG_{month:%Y%m}_{zone.number}")] if rng.random() < 0.35 else []
        if flood:
            files += [_photo(rng, f"flood_{zone.number}_{n}") for n in range(2)]
        activity = services.activity_create(
            by=author,
            host_unit=host,
            form=form,
            title=title,
            date=date,
            place=rng.choice(PLACES),
            participant_count=rng.randint(12, 60),
            summary=f"{zone.name}{host.name}牵头组织{title}，{len(participants) + 1}家单位党员参加。",
            tags=tags,
            participants=participants,
            outcomes=outcomes,
            files=files,
        )
        services.activity_submit(activity=activity, by=author)
        if fate == "submitted":
            continue
        lead = zone_lead_on(zone=zone, day=date)
        reviewer = secretaries.get(lead.pk, admin) if lead else admin
        if fate == "returned":
            services.activity_return(
                activity=activity, by=reviewer, reason="缺少签到表和活动照片，请补充后重新提交。"
            )
            continue
        services.activity_confirm(activity=activity, by=reviewer)
    # Next year's rotation is generated too, as the staff button would.
    services.rotation_generate_next_year(year=now.year + 1)
