"""Choices and limits of citizens' micro-wishes (党群e心·群众微心愿, 岚皋县)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a wish reached the portal."""

    LINK = "link", _("Group link")  # a villager, through the link of their group's chat
    COURTYARD = "courtyard", _("Courtyard meeting")  # 院落会, entered by a cadre
    VISIT = "visit", _("Home visit")  # 入户走访, entered by a cadre


class State(models.TextChoices):
    """征集 → 派单 → 签收/办理 → 反馈(办结) → 回访. A merged wish is counted in the one it joined."""

    NEW = "new", _("Awaiting dispatch")  # 待派单
    DISPATCHED = "dispatched", _("Awaiting sign-in")  # 待签收
    RETURNED = "returned", _("Returned to the dispatcher")  # 已退单
    HANDLING = "handling", _("Being handled")  # 办理中
    RESOLVED = "resolved", _("Resolved, return visit due")  # 已办结待回访
    CLOSED = "closed", _("Closed after the return visit")  # 已回访
    MERGED = "merged", _("Merged into another wish")


OPEN_STATES = (State.NEW, State.DISPATCHED, State.RETURNED, State.HANDLING)
# Past dispatch and not yet resolved: each has a responsible unit and a deadline (the invariant).
ASSIGNED_STATES = (State.DISPATCHED, State.RETURNED, State.HANDLING)


class Satisfaction(models.TextChoices):
    """The villager's answer at the return visit (回访), on a five-point scale."""

    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASIC = "basic", _("Basically satisfied")  # 基本满意
    PARTIAL = "partial", _("Partly satisfied")  # 部分满意
    UNSATISFIED = "unsatisfied", _("Unsatisfied")  # 不满意
    UNREACHED = "unreached", _("Not reached")  # 未联系上


# Counted as satisfied in the satisfaction rate: (满意 + 基本满意) ÷ evaluated visits.
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASIC)
# Evaluated visits: every answer but "not reached".
EVALUATED = (
    Satisfaction.SATISFIED,
    Satisfaction.BASIC,
    Satisfaction.PARTIAL,
    Satisfaction.UNSATISFIED,
)
# Answers that reopen the wish for a redo (重办) when the handler caused them.
REDO = (Satisfaction.PARTIAL, Satisfaction.UNSATISFIED)


class ExtensionState(models.TextChoices):
    NONE = "", _("None")
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# Working days (core.workdays) for each step.
DISPATCH_DAYS = 1  # 派单 within 1 working day of arrival
SIGN_DAYS = 1  # 签收 within 1 working day of dispatch
VISIT_DAYS = 1  # 回访 the next working day after 办结
DEFAULT_RETENTION_DAYS = 180  # name and phone erased this long after the return visit
DEFAULT_WHISTLE_REPORT_DAYS = 2  # a summoned department reports for duty within N working days
MAX_RETURNS = 1  # a handler may return a wrongly sent wish once

# The privacy notice (PIPL arts. 17 and 35) shown before sending; its version is stored with
# each wish. Change the version whenever the text of the notice changes.
NOTICE_VERSION = "2026-1"

# What the intake allows.
MAX_PHOTOS = 2
TEXT_MAX = 500
# A villager's address may send one wish an hour without a captcha; then the captcha.
CAPTCHA_AFTER = 1
# Rate limits (django-ratelimit): per address and per phone.
RATE_PER_ADDRESS = "10/h"
RATE_PER_PHONE = "3/h"
RATE_STATUS = "20/h"

# The monthly red and black lists of handler units (红黑榜, selectors.red_black_lists): a unit
# is on the red list with at least this many wishes due in the month, all resolved on time and
# none answered 部分满意 / 不满意; each list shows at most LIST_SIZE units.
RED_MIN_DUE = 2
LIST_SIZE = 5
