"""Monthly joint activities (月月有活动): who hosts each zone-month, what was done, the
evidence, and every step of its review."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constants import PARAGRAPH_LENGTH, TEXT_LENGTH
from core.models import StoredFile
from core.pinyin import name_initials
from counties.scoping import ScopedManager
from zones.models import Unit, Zone

from .constants import (
    EDITABLE_STATES,
    ActivityForm,
    ActivityState,
    AttachmentKind,
    EventAction,
    JointTag,
)


class RotationOrder(models.Model):
    """A unit's place in its zone's rotation order (轮值顺序), editable by the lead-unit secretary
    or staff. Members without a row follow those with one, by name."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="rotation_order"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"))

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="zone__county")

    class Meta:
        verbose_name = _("rotation order")
        verbose_name_plural = _("rotation orders")
        ordering = ["zone", "position"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "unit"], name="activities_rotation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} #{self.position}: {self.unit}"


class HostSlot(models.Model):
    """The rotating host unit (轮值单位) of one zone for one month."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="host_slots"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    unit = models.ForeignKey(
        Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="host_slots"
    )
    swapped = models.BooleanField(_("swapped by hand"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="zone__county")

    class Meta:
        verbose_name = _("host month")
        verbose_name_plural = _("host months")
        ordering = ["zone", "month"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "month"], name="activities_hostslot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.month:%Y-%m}: {self.unit}"


class Activity(models.Model):
    """A joint activity (联建活动) hosted by a unit. Its zone is the host unit's zone on the
    activity's date and stays so even if the unit later moves."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="activities"
    )
    month = models.DateField(_("month"), db_index=True)
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="activities"
    )
    participants = models.ManyToManyField(
        Unit,
        verbose_name=_("participating units"),
        blank=True,
        related_name="joined_activities",
    )
    form = models.CharField(_("form"), max_length=30, choices=ActivityForm.choices)
    # The five joints, stored as ",study,share," so that one LIKE finds a tag exactly.
    tags = models.CharField(_("five joints"), max_length=100, blank=True, default="")
    title = models.CharField(_("title"), max_length=200)
    # Derived from the title on save, for the navigation search by pinyin initials.
    title_initials = models.CharField(max_length=200, blank=True, editable=False)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    participant_count = models.PositiveIntegerField(
        _("number of participants"), validators=[MinValueValidator(1)]
    )
    summary = models.TextField(_("summary"), max_length=TEXT_LENGTH)
    state = models.CharField(
        _("state"), max_length=20, choices=ActivityState.choices, default=ActivityState.DRAFT
    )
    return_reason = models.TextField(
        _("reason for return"), blank=True, max_length=PARAGRAPH_LENGTH
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="zone__county")

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["zone", "month", "state"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_initials = name_initials(self.title)[:200]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_initials"}
        super().save(*args, **kwargs)

    @staticmethod
    def encode_tags(tags) -> str:
        values = [t for t in JointTag.values if t in set(tags or [])]
        return f",{','.join(values)}," if values else ""

    @property
    def tag_values(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def tag_labels(self) -> list[str]:
        return [JointTag(t).label for t in self.tag_values if t in JointTag.values]

    @property
    def is_editable_state(self) -> bool:
        """Whether its host unit may still change it (activities.rules.may_edit)."""
        return self.state in EDITABLE_STATES


class Outcome(models.Model):
    """A result of an activity, with an optional quantity (e.g. 500 m³ of debris cleared)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="outcomes"
    )
    description = models.CharField(_("outcome"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    measure = models.CharField(_("unit of measure"), max_length=20, blank=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="activity__zone__county")

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text_of(self.description, self.quantity, self.measure)

    @staticmethod
    def text_of(description: str, quantity, measure: str) -> str:
        """An outcome as the ledger writes it ("清理垃圾 500m³"), from its three fields."""
        if quantity is None:
            return description
        return f"{description} {quantity.normalize():f}{measure}"


class Attachment(StoredFile):
    """A photo or a sign-in sheet / minutes of an activity. Stored under MEDIA_ROOT and
    served only by a view that checks the viewer may see the activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/", max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="activity__zone__county")


class ActivityEvent(models.Model):
    """One step of an activity's history: who did what, when, from which state to which."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    from_state = models.CharField(
        _("from"), max_length=20, choices=ActivityState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=ActivityState.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    # Scoped to the reader's county (counties.scoping): an unscoped query raises.
    objects = ScopedManager(county="activity__zone__county")

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_action_display()}"
