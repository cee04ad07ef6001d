"""Choices of the six classrooms (六大课堂) of member education."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassroomKind(models.TextChoices):
    """The six classrooms every county starts with (Pingli's 六大课堂); a county renames them
    or adds its own (education.models.Classroom)."""

    THEORY = "theory", _("Theory classroom")  # 理论课堂
    RED = "red", _("Red classroom")  # 红色课堂
    CLOUD = "cloud", _("Cloud classroom")  # 云端课堂
    PRACTICE = "practice", _("Practice classroom")  # 实践课堂
    PARTY_AFFAIRS = "party_affairs", _("Party-affairs classroom")  # 党务课堂
    INTEGRITY = "integrity", _("Integrity classroom")  # 廉洁课堂
    OTHER = "other", _("Other classroom")


SEEDED_CLASSROOMS = [
    ClassroomKind.THEORY,
    ClassroomKind.RED,
    ClassroomKind.CLOUD,
    ClassroomKind.PRACTICE,
    ClassroomKind.PARTY_AFFAIRS,
    ClassroomKind.INTEGRITY,
]


class SessionKind(models.TextChoices):
    """What kind of study a session is (学习教育活动的形式)."""

    GROUP_STUDY = "group_study", _("Group study")  # 集中学习
    PARTY_LECTURE = "party_lecture", _("Party lecture")  # 专题党课
    SEMINAR = "seminar", _("Seminar")  # 研讨
    SITE_VISIT = "site_visit", _("On-site teaching")  # 现场教学
    TRAINING = "training", _("Training class")  # 培训班
    WARNING = "warning", _("Warning education")  # 警示教育
    ONLINE = "online", _("Online course")  # 线上课程
    FIRST_TOPIC = "first_topic", _("First agenda item")  # 第一议题


# Kinds of off-job study: leave beyond 1/7 of such a course flags the attendance.
OFF_JOB_KINDS = frozenset({SessionKind.TRAINING})


class DurationUnit(models.TextChoices):
    """How a session's length is given; the county's rules convert it to study hours."""

    HOURS = "hours", _("hours")
    HALF_DAYS = "half_days", _("half days")
    DAYS = "days", _("days")


class Audience(models.TextChoices):
    """Who is expected at a session."""

    UNITS = "units", _("The organizing units' members")
    POST = "post", _("Holders of a post in the county")
    LIST = "list", _("A list of people")


class Status(models.TextChoices):
    """An expected person's attendance."""

    EXPECTED = "expected", _("Not signed in")
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")  # 请假: never counts against the hours
    ABSENT = "absent", _("Absent")


ATTENDED = frozenset({Status.PRESENT, Status.LATE})


class Proof(models.TextChoices):
    """How an attendance was proven (layered sign-in)."""

    QR = "qr", _("QR code, signed-in account")
    QR_PHONE = "qr_phone", _("QR code, name and phone digits")
    ROSTER = "roster", _("Ticked by the organizer")
    SHEET = "sheet", _("Paper sign-in sheet")


class RequirementRole(models.TextChoices):
    """Whose yearly requirement applies to a person."""

    MEMBER = "member", _("Member")
    OFFICER = "officer", _("Secretary or committee member")
    CADRE = "cadre", _("Cadre")


# Defaults of a county's rules (README "Six classrooms" cites the sources).
DEFAULT_HOURS_PER_DAY = Decimal(8)
DEFAULT_HOURS_PER_HALF_DAY = Decimal(4)
DEFAULT_HOURS_PER_HOUR = Decimal(1)
DEFAULT_MEMBER_HOURS = Decimal(32)
DEFAULT_OFFICER_HOURS = Decimal(56)
DEFAULT_CADRE_HOURS = Decimal(90)
DEFAULT_REREGISTER_MONTHS = 6  # 双报到: re-register every half-year
DEFAULT_EXTERNAL_CAP = Decimal(0)  # imported online hours: no cap until the county sets one


class ExternalSource(models.TextChoices):
    """The outside platforms whose Excel exports are imported (credited to the cloud
    classroom)."""

    XUEXI = "xuexi", _("Xuexi Qiangguo")  # 学习强国
    CADRE_COLLEGE = "cadre_college", _("Online cadre college")  # 干部网络学院


# The sign-in QR code: a new code every QR_ROTATE_SECONDS, accepted for QR_MAX_AGE_SECONDS
# (a phone scanning just before the code turns still signs), only while the session runs
# (from SIGN_IN_OPENS_BEFORE before it starts to its end); a sign-in after LATE_AFTER is late.
QR_ROTATE_SECONDS = 15
QR_MAX_AGE_SECONDS = 45
SIGN_IN_OPENS_BEFORE_MINUTES = 30
LATE_AFTER_MINUTES = 15


class PairKind(models.TextChoices):
    """Pairs of the party-affairs classroom."""

    OLD_NEW = "old_new", _("Experienced with new (老带新)")
    ONE_ONE = "one_one", _("One helps one (一帮一)")
