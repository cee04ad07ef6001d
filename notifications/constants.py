from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about. Users choose channels per kind."""

    HOST_UPCOMING = "host_upcoming", _("Hosting next month")
    HOST_NOTHING_LOGGED = "host_nothing_logged", _("Month ending with no activity logged")
    ZONE_GAP = "zone_gap", _("Zone-month without a confirmed activity")
    CONFIRMATION_WAITING = "confirmation_waiting", _("Activities waiting for confirmation")
    ACTIVITY_RETURNED = "activity_returned", _("Activity returned")
    CHECK_PUBLISHED = "check_published", _("Check or patrol published")
    CHECK_VISIT_SOON = "check_visit_soon", _("Check or patrol visit soon")
    CHECK_SHEETS_OPEN = "check_sheets_open", _("Score sheets still open")
    FINDING_DUE_SOON = "finding_due_soon", _("Rectification due soon")
    FINDING_DUE_TODAY = "finding_due_today", _("Rectification due today")
    FINDING_OVERDUE = "finding_overdue", _("Rectification overdue")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")
    REPORT_READY = "report_ready", _("Report ready")
    SIGN_IN_LOCKOUT = "sign_in_lockout", _("Sign-in locked after failed attempts")
    # 六大课堂 (issue 19)
    STUDY_TOMORROW = "study_tomorrow", _("Study session tomorrow")
    FIRST_TOPIC_MISSING = "first_topic_missing", _("No first agenda item recorded this month")
    STUDY_BEHIND_PACE = "study_behind_pace", _("Study hours behind pace at a quarter's end")
    STUDY_ABSENT_TWICE = "study_absent_twice", _("Two study sessions missed in a row")
    COMMUNITY_REREGISTER = "community_reregister", _("Re-registration with a community due")
    COMMUNITY_FEEDBACK = "community_feedback", _("Members' community service last quarter")
    # 群众微心愿 (issue 17)
    WISH_UNSIGNED = "wish_unsigned", _("Micro-wish not signed for")
    WISH_DUE_SOON = "wish_due_soon", _("Micro-wish due soon")
    WISH_OVERDUE = "wish_overdue", _("Micro-wish overdue")
    WISH_VISIT_DUE = "wish_visit_due", _("Return visit due")
    TEAM_NOT_VISITED = "team_not_visited", _("Organization not visited in time")  # issue 18
    TEAM_NOT_CONTACTED = "team_not_contacted", _("Organization not contacted in time")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the portal")
    EMAIL = "email", _("Email")
