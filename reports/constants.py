from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")  # 月报
    QUARTER = "quarter", _("Quarterly")  # 季报
    HALF = "half", _("Half-yearly")  # 半年报
    YEAR = "year", _("Yearly")  # 年报


class ReportState(models.TextChoices):
    REQUESTED = "requested", _("Waiting to be generated")  # 排队中
    GENERATING = "generating", _("Generating")  # 生成中
    READY = "ready", _("Ready")  # 已生成
    FAILED = "failed", _("Failed")  # 生成失败
    FILED = "filed", _("Filed")  # 已归档
