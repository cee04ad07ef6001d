"""Choices of the supervision module (督导)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CheckState(models.TextChoices):
    """A quarterly mutual check (季度互督)."""

    DRAFT = "draft", _("In progress")  # 进行中: pairing may change, checkers fill sheets
    PUBLISHED = "published", _("Published")  # 已公布: results visible to the checked units


class RoundState(models.TextChoices):
    """A half-year cross-zone patrol round (半年交叉巡回督导)."""

    DRAFT = "draft", _("Plan")  # 方案拟定
    PUBLISHED = "published", _("Under way")  # 督导实施: teams see their assignments
    CLOSED = "closed", _("Results released")  # 结果通报


class SheetState(models.TextChoices):
    OPEN = "open", _("Being filled")  # 填写中
    SUBMITTED = "submitted", _("Submitted")  # 已提交


class Source(models.TextChoices):
    MUTUAL_CHECK = "mutual", _("Quarterly mutual check")  # 季度互督
    PATROL = "patrol", _("Cross-zone patrol")  # 交叉巡回督导
    # A service team's guidance visit (服务队下沉指导, the teams app above): its sheet belongs
    # to neither a mutual check nor a patrol team; the visit points at it.
    GUIDANCE = "guidance", _("Service team guidance")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")  # 一般
    MAJOR = "major", _("Major")  # 较重
    SERIOUS = "serious", _("Serious")  # 严重


# Working days to rectify, used when staff have not set a SeverityPolicy for a severity.
DEFAULT_RECTIFY_WORKDAYS: dict[str, int] = {
    Severity.GENERAL: 20,
    Severity.MAJOR: 10,
    Severity.SERIOUS: 5,
}


class FindingState(models.TextChoices):
    """A finding's rectification (整改): open → in progress → submitted → closed, or returned."""

    # A context of their own: "Open" is also the button that opens a check or a round, and "In
    # progress" is also a mutual check's state (进行中).
    OPEN = "open", pgettext_lazy("finding state", "Open")  # 待整改
    IN_PROGRESS = "in_progress", pgettext_lazy("finding state", "In progress")  # 整改中
    SUBMITTED = (
        "submitted",
        pgettext_lazy("finding state", "Submitted for verification"),
    )  # 已报送待核验
    CLOSED = "closed", pgettext_lazy("finding state", "Verified and closed")  # 已销号
    RETURNED = "returned", pgettext_lazy("finding state", "Returned")  # 退回重改


class Half(models.IntegerChoices):
    FIRST = 1, _("First half")  # 上半年
    SECOND = 2, _("Second half")  # 下半年


QUARTER_CHOICES = [(q, q) for q in (1, 2, 3, 4)]
