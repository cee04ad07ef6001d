"""Choices of the joint activities module (联建活动)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityForm(models.TextChoices):
    """The forms of joint activity named in the source."""

    THEME_PARTY_DAY = "theme_party_day", _("Theme party day")  # 主题党日
    ONSITE_TEACHING = "onsite_teaching", _("On-site teaching")  # 现场教学
    THREE_MEETINGS = (
        "three_meetings",
        _("Observation of “three meetings and one lesson”"),
    )  # “三会一课”观摩
    TRAINING = "training", _("Business training")  # 业务培训
    VOLUNTEER = "volunteer", _("Volunteer service")  # 志愿服务
    JOINT_TACKLING = "joint_tackling", _("Joint tackling of hard problems")  # 联建攻关
    TASK_FORCE = "task_force", _("Joint task force")  # 联合突击/攻坚
    MUTUAL_CHECK = "mutual_check", _("Self-check and mutual supervision")  # 自查互督
    OTHER = "other", _("Other form")  # 其他


class JointTag(models.TextChoices):
    """The five joints (五联)."""

    STUDY = "study", _("Joint study")  # 联学 (政治理论联学)
    ACTION = "action", _("Linked action")  # 联动 (中心工作联动)
    SHARE = "share", _("Shared experience")  # 联享 (经验做法联享)
    BUILD = "build", _("Joint building of the corps")  # 联建 (党员队伍联建)
    CREATE = "create", _("Joint brand creation")  # 联创 (党建品牌联创)


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted")  # 已提交（待确认）
    RETURNED = "returned", _("Returned")  # 已退回
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")  # 照片（活动照片）
    SHEET = "sheet", _("Sign-in sheet or minutes")  # 签到表/会议记录


class EventAction(models.TextChoices):
    # What was done (提交), not the state it left (已提交): a context of their own.
    CREATED = "created", pgettext_lazy("activity event", "Created")  # 创建
    EDITED = "edited", pgettext_lazy("activity event", "Edited")  # 修改
    SUBMITTED = "submitted", pgettext_lazy("activity event", "Submitted")  # 提交
    CONFIRMED = "confirmed", pgettext_lazy("activity event", "Confirmed")  # 确认
    RETURNED = "returned", pgettext_lazy("activity event", "Returned")  # 退回
    CORRECTED = "corrected", pgettext_lazy("activity event", "Corrected by staff")  # 工委更正
    ATTACHED = "attached", pgettext_lazy("activity event", "Files added")  # 上传附件


class CellState(models.TextChoices):
    """State of one zone-month in the compliance grid (月月有活动)."""

    DONE = "done", _("Done")  # 已完成
    WAITING = "waiting", _("Waiting for confirmation")  # 待确认
    OPEN = "open", _("Open this month")  # 本月进行中
    GAP = "gap", _("Gap")  # 缺失
    FUTURE = "future", _("Not yet")  # 未到


# States that count for the grid: a draft or a returned activity is not yet logged.
COUNTED_STATES = (ActivityState.SUBMITTED, ActivityState.CONFIRMED)

# States in which the host unit's secretary may still change an activity (staff may in any).
EDITABLE_STATES = (ActivityState.DRAFT, ActivityState.RETURNED)
