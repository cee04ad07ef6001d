"""Retention of the personal data of people who left (PIPL: kept no longer than needed).

A person who leaves the register (transferred out of the county, deceased, membership ended:
people.services.person_leave) is kept with the day they left, so their counted records (unit
memberships and posts, and the mechanisms' hours and visits) stay where they were counted. Once
the county's retention period (`RetentionPolicy.years`, set by its staff; ten years without one:
people.models.RETENTION_DEFAULT_YEARS says why) has passed since that day, their personal fields
are erased: the ID number (token and digest), the mobile phone, the date of birth, the job title,
the account link and the cadre profile's training, and the name becomes `ERASED_NAME`, in the
record and in its change history alike. The row
stays, anonymous, so every count that included the person still does.

`retention_run(day=...)` erases, county by county with each county's own period, everyone due
on `day`; it is idempotent (an erased person is never touched again: `erased_at`), run daily by
the task people.erase_expired (core.scheduled.slot_run, beat's "Erase personal data after the
retention period") and by `manage.py erase_expired_people`.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import County
from counties.scoping import each_county

from .models import (
    RETENTION_DEFAULT_YEARS,
    RETENTION_MAX_YEARS,
    CadreProfile,
    Person,
    RetentionPolicy,
)

logger = logging.getLogger(__name__)

# What an erased person is called: a placeholder, not a name (stored as the sheets write it).
ERASED_NAME = "（已删除）"

__all__ = [
    "ERASED_NAME",
    "RETENTION_DEFAULT_YEARS",
    "erasure_cutoff",
    "people_due_for_erasure",
    "person_erase",
    "retention_policy_set",
    "retention_run",
    "retention_years",
]


def retention_years(county: County) -> int:
    policy = RetentionPolicy.objects.filter(county=county).first()
    return policy.years if policy is not None else RETENTION_DEFAULT_YEARS


@transaction.atomic
def retention_policy_set(*, county: County, years: int, actor) -> RetentionPolicy:
    """Set `county`'s retention period (whole years, 1 to RETENTION_MAX_YEARS)."""
    if not isinstance(years, int) or not 1 <= years <= RETENTION_MAX_YEARS:
        raise ValidationError(
            {
                "years": _("The retention period is from 1 to %(max)s years.")
                % {"max": RETENTION_MAX_YEARS}
            }
        )
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(county=county)
    policy.years = years
    policy.updated_by = actor
    policy.full_clean(exclude=["county", "updated_by"])
    policy.save()
    return policy


def erasure_cutoff(day: datetime.date, years: int) -> datetime.date:
    """People who left on or before this day are due on `day` (`years` before it; 29 February
    counts back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def people_due_for_erasure(*, county: County, day: datetime.date) -> QuerySet[Person]:
    """`county`'s people who left at least its retention period before `day`, not yet erased."""
    cutoff = erasure_cutoff(day, retention_years(county))
    return Person.objects.filter(
        county=county, left_on__isnull=False, left_on__lte=cutoff, erased_at__isnull=True
    )


@transaction.atomic
def person_erase(*, person: Person) -> bool:
    """Erase the personal fields of `person` (who left); False when they already were. The
    conditional update is the claim: two runs at once erase once."""
    if person.left_on is None:
        raise ValidationError(_("Only the personal data of a person who left is erased."))
    erased = Person._base_manager.filter(pk=person.pk, erased_at__isnull=True).update(
        name=ERASED_NAME,
        name_pinyin="",
        name_initials="",
        id_number_token="",
        id_number_digest="",
        mobile="",
        date_of_birth=None,
        job_title="",
        user=None,
        erased_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if erased:
        CadreProfile._base_manager.filter(person_id=person.pk).update(training="")
        _erase_history(person.pk)
    return bool(erased)


def _erase_history(person_id: int) -> None:
    """The same fields in the person's change history (people.history): the history of an
    erased person keeps when what changed, not who they were. (The audit trail's append-only
    trigger lets these two histories be UPDATEd, never DELETEd: audit/append_only.py.)"""
    history = getattr(Person, "history", None)
    if history is None:  # the history is audit's; the register works without it
        return
    history.filter(id=person_id).update(
        name=ERASED_NAME,
        id_number_token="",
        id_number_digest="",
        mobile="",
        date_of_birth=None,
        job_title="",
        user=None,
    )
    CadreProfile.history.filter(person_id=person_id).update(training="")


def _run_county(county: County, day: datetime.date) -> int:
    erased = 0
    for person in people_due_for_erasure(county=county, day=day).only("pk", "left_on"):
        erased += person_erase(person=person)
    if erased:
        # Counts and ids only: the log holds no personal data.
        logger.info("retention: %s people of county %s erased on %s", erased, county.pk, day)
    return erased


def retention_run(*, day: datetime.date | None = None) -> int:
    """Erase everyone due on `day` (today), each county in its own scope by its own period.
    How many."""
    day = day or timezone.localdate()
    return sum(_run_county(county, day) for county in each_county())
