"""Which domain records keep a full history (django-simple-history): every create, update and
delete with who, when, from which address (see `signals`) and the values after the change.
The historical tables live in this app, so the apps below know nothing of auditing."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history import register

from .models import RequestInfo

TRACKED = [
    ("core", "User", ["password", "last_login"]),
    ("core", "CalendarYear", []),
    ("core", "CalendarDay", []),
    ("counties", "CalendarOverride", []),
    ("accounts", "SecurityPolicy", []),
    ("zones", "Unit", ["name_pinyin", "name_initials"]),
    ("zones", "UnitGrade", []),
    ("zones", "Zone", ["name_initials"]),
    ("zones", "ZoneLeadership", []),
    ("zones", "Membership", []),
    ("zones", "UnitPost", []),
    ("activities", "RotationOrder", []),
    ("activities", "HostSlot", []),
    ("activities", "Activity", []),
    ("activities", "Outcome", []),
    ("activities", "Attachment", []),
    ("supervision", "ChecklistTemplate", []),
    ("supervision", "CriterionGroup", []),
    ("supervision", "Criterion", []),
    ("supervision", "MutualCheck", []),
    ("supervision", "PatrolRound", []),
    ("supervision", "PatrolTeam", []),
    ("supervision", "ScoreSheet", []),
    ("supervision", "ScoreLine", []),
    ("supervision", "SheetEvidence", []),
    ("supervision", "SeverityPolicy", []),
    ("supervision", "Finding", []),
    ("supervision", "FindingEvidence", []),
    ("supervision", "ClassReviewThreshold", []),
    # The member register (issue 16). A person's history holds the ID number as the record
    # does (its Fernet token and keyed digest, never in plain) and the phone masked
    # (people.history); the retention erasure erases both from it too (people.retention).
    ("people", "Person", ["name_pinyin", "name_initials"]),
    ("people", "Membership", []),
    ("people", "Post", []),
    ("people", "CadreProfile", []),
    ("people", "RetentionPolicy", []),
    ("reports", "RollupReport", ["progress", "claimed_at", "attempts"]),
    ("notifications", "ReminderSettings", []),
    # Records of the mechanisms that staff or captains correct after the fact: the correction
    # pages (teams trainings and brands, wishes' courtyard meetings) keep what they said before.
    ("teams", "Training", []),
    ("teams", "TrainingEntry", []),
    ("teams", "Brand", []),
    ("teams", "Contact", []),
    ("wishes", "Meeting", []),
]

# A history table keeps the name it was created with when its model moves to another app:
# the security policy moved from core to accounts (issue 14), its history stayed where it was.
TABLE_NAMES = {("accounts", "SecurityPolicy"): "audit_core_securitypolicy"}

# Histories that hold personal data the retention erasure must erase (PIPL: kept no longer than
# needed) — people.retention rewrites these rows' personal fields when it erases a person, so the
# runtime role may UPDATE them (audit.grants), never DELETE; every other history is append-only.
ERASABLE = {("people", "Person"), ("people", "CadreProfile")}


def erasable_tables() -> set[str]:
    return {
        TABLE_NAMES.get((app, model), f"audit_{app}_{model.lower()}") for app, model in ERASABLE
    }


# A history model's name when the default ("Historical" + the model's) is taken in this app:
# the register's Membership (a person in a unit) beside zones' (a unit in a zone).
MODEL_NAMES = {("people", "Membership"): "HistoricalPersonMembership"}


def register_all() -> None:
    for app_label, model_name, excluded in TRACKED:
        model = apps.get_model(app_label, model_name)
        if hasattr(model, "history"):
            continue
        extra = {}
        if (app_label, model_name) in MODEL_NAMES:
            extra["custom_model_name"] = MODEL_NAMES[(app_label, model_name)]
        register(
            model,
            app="audit",
            **extra,
            excluded_fields=excluded,
            bases=[RequestInfo],
            # The acting user by id, without a constraint: deleting an account never updates
            # (or is blocked by) the append-only history.
            history_user_id_field=models.IntegerField(null=True, blank=True, db_index=True),
            table_name=TABLE_NAMES.get(
                (app_label, model_name), f"audit_{app_label}_{model_name.lower()}"
            ),
            verbose_name=format_lazy(_("{name}: change history"), name=model._meta.verbose_name),
            verbose_name_plural=format_lazy(
                _("{name}: change history"), name=model._meta.verbose_name_plural
            ),
        )
