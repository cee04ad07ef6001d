"""Choices of the service teams (双带服务队)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamRole(models.TextChoices):
    CAPTAIN = "captain", _("Captain")  # 队长
    MEMBER = "member", _("Team member")  # 队员


class RotationState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # 待确认
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认


# The county's weights of a scorecard when staff have set none (TeamPolicy).
DEFAULT_WEIGHTS = {
    "visit": 2,
    "rectified": 3,
    "promoted": 10,
    "matter": 1,
}
DEFAULT_THRESHOLD = 10
DEFAULT_VISIT_EVERY_DAYS = 30
DEFAULT_CONTACT_EVERY_DAYS = 7  # 每周联系: a phone call or a WeChat message counts


class ContactWay(models.TextChoices):
    """How a team kept in touch with an organization it guides (联系方式)."""

    PHONE = "phone", _("Phone")  # 电话
    WECHAT = "wechat", _("WeChat")  # 微信
    ON_SITE = "on_site", _("On site")  # 现场


class TrainingKind(models.TextChoices):
    """Training and contests of the service teams' people (培训与竞赛)."""

    CLASS = "class", _("Training class")  # 培训班
    SEMINAR = "seminar", _("Seminar")  # 研讨
    CONTEST = "contest", _("Knowledge contest")  # 知识竞赛


class Prize(models.TextChoices):
    """What a participant won (获奖); none for taking part only."""

    NONE = "", _("No prize")
    FIRST = "first", _("First prize")  # 一等奖
    SECOND = "second", _("Second prize")  # 二等奖
    THIRD = "third", _("Third prize")  # 三等奖
    MERIT = "merit", _("Award of merit")  # 优秀奖


class BrandLevel(models.TextChoices):
    """Who recognized a party-building brand (党建品牌)."""

    COUNTY = "county", _("County level")
    CITY = "city", _("City level")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


DEFAULT_WEIGHTS.update({"activity": 1, "brand": 5, "training": 1, "prize": 3})
