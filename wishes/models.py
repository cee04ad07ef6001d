"""Citizens' micro-wishes (党群e心·群众微心愿): the places a wish comes from (town → village →
group), the categories with their time limits and default handlers, the wishes and their steps
(征集 → 派单 → 签收/办理 → 反馈 → 回访), the whistles (镇村吹哨、县级报到) and the claims of organ
party members (双报到).

Every model is county-owned and scoped (counties.scoping). A wish's villager's name and phone are
personal data: masked on every page but the audited reveal, erased after the return visit plus
the county's retention period (services.wishes_erase_expired); the phone's last four digits
stay, for the status page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constants import LINE_LENGTH, PARAGRAPH_LENGTH
from counties.scoping import ScopedManager

from .constants import (
    DEFAULT_RETENTION_DAYS,
    DEFAULT_WHISTLE_REPORT_DAYS,
    Channel,
    ExtensionState,
    Satisfaction,
    State,
)


class Town(models.Model):
    """A town (镇) of the county. Its office's secretaries and officers dispatch its wishes."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    office = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("town office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The unit whose secretaries and officers dispatch the town's wishes."),
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="wishes_town_unique_per_county",
                violation_error_message=_("The county already has a town of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village or community (村/社区) of a town."""

    town = models.ForeignKey(
        Town, verbose_name=_("town"), on_delete=models.CASCADE, related_name="villages"
    )
    name = models.CharField(_("name"), max_length=60)
    committee = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("village committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(county="town__county")

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["town__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "name"],
                name="wishes_village_unique_per_town",
                violation_error_message=_("The town already has a village of this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.town.name}{self.name}"


class Group(models.Model):
    """A villagers' group (组): the unit of one WeChat chat and of one signed link."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=60)

    objects = ScopedManager(county="village__town__county")

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["village__town__name", "village__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="wishes_group_unique_per_village",
                violation_error_message=_("The village already has a group of this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village}{self.name}"


class Category(models.Model):
    """What a wish is about, with the time limit to resolve it, in working days."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=40)
    days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        default=10,
        help_text=_("Working days from sign-in to resolution."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="wishes_category_unique_per_county",
                violation_error_message=_("The county already has a category of this name."),
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1),
                name="wishes_category_days_positive",
                violation_error_message=_("A time limit is at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """The default handler of a category's wishes in a town: a town office, a village committee
    or a county department (a unit of the county)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="routes"
    )
    town = models.ForeignKey(Town, verbose_name=_("town"), on_delete=models.CASCADE)
    handler = models.ForeignKey(
        "zones.Unit", verbose_name=_("handler unit"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(county="category__county")

    class Meta:
        verbose_name = _("default handler")
        verbose_name_plural = _("default handlers")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "town"],
                name="wishes_route_one_per_town",
                violation_error_message=_("The category already has a default handler here."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.town} · {self.category} → {self.handler}"


class WishSettings(models.Model):
    """A county's settings of the mechanism, edited by county staff in the admin."""

    county = models.OneToOneField(
        "counties.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="+"
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days)"),
        default=DEFAULT_RETENTION_DAYS,
        help_text=_("Days after the return visit before a villager's name and phone are erased."),
    )
    whistle_report_days = models.PositiveSmallIntegerField(
        _("days to report for duty"),
        default=DEFAULT_WHISTLE_REPORT_DAYS,
        help_text=_("Working days a summoned county department has to report for duty."),
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("micro-wish settings")
        verbose_name_plural = _("micro-wish settings")

    def __str__(self) -> str:
        return str(self.county)


class Meeting(models.Model):
    """A courtyard meeting (院落会) of a village: when, where, who convened it, how many came,
    a photo. The wishes a cadre enters on behalf of the villagers who raised them there link to
    it (Wish.meeting)."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(Village, verbose_name=_("village"), on_delete=models.PROTECT)
    place = models.CharField(_("place"), max_length=60)
    held_on = models.DateField(_("meeting date"))
    convener = models.CharField(_("convener"), max_length=40)
    attendance = models.PositiveIntegerField(_("number attending"))
    photo = models.FileField(
        _("photo"), upload_to="wishes/meetings/%Y/%m/", max_length=200, blank=True
    )
    photo_name = models.CharField(_("original name"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=PARAGRAPH_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("courtyard meeting")
        verbose_name_plural = _("courtyard meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__gte=1),
                name="wishes_meeting_attendance_positive",
                violation_error_message=_("A meeting has at least one person attending."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.village}{self.place}"


class Wish(models.Model):
    """One wish or problem of a villager (or of several households, once merged)."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    # Not sequential, not guessable (services.new_ticket): the villager's key with the phone tail.
    ticket = models.CharField(_("ticket number"), max_length=12, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    town = models.ForeignKey(Town, verbose_name=_("town"), on_delete=models.PROTECT)
    village = models.ForeignKey(Village, verbose_name=_("village"), on_delete=models.PROTECT)
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, null=True, blank=True
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True
    )
    text = models.TextField(_("wish or problem"), max_length=PARAGRAPH_LENGTH)
    name = models.CharField(_("name"), max_length=40, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    phone_tail = models.CharField(_("last four digits"), max_length=4)
    notice_version = models.CharField(_("notice version"), max_length=20, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("courtyard meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wishes",
    )
    households = models.PositiveIntegerField(_("households asking"), default=1)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    received_on = models.DateField(_("received on"))
    dispatch_due = models.DateField(_("dispatch due"))
    handler = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("handler unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dispatched_on = models.DateField(_("dispatched on"), null=True, blank=True)
    sign_due = models.DateField(_("sign-in due"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    due = models.DateField(_("deadline"), null=True, blank=True)
    returns = models.PositiveSmallIntegerField(_("returns"), default=0)
    return_reason = models.CharField(_("reason for returning"), max_length=LINE_LENGTH, blank=True)
    extension = models.CharField(
        _("extension"), max_length=20, choices=ExtensionState.choices, blank=True, default=""
    )
    extension_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=LINE_LENGTH, blank=True
    )
    answer = models.TextField(_("answer"), max_length=PARAGRAPH_LENGTH, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    visit_due = models.DateField(_("return visit due"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    redos = models.PositiveSmallIntegerField(_("redos"), default=0)
    typical = models.BooleanField(_("typical case"), default=False)
    erased_on = models.DateField(_("personal data erased on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-received_on", "-pk"]
        indexes = [
            # the list's order within a county (issue 20): its page of 50 is read along the
            # index, each row's town, village, group, category and handler by key, whatever
            # the size of the city
            models.Index(fields=["county", "-received_on", "-id"], name="wishes_wish_list_order"),
        ]
        constraints = [
            # the invariant: every open wish past dispatch has a responsible unit and a deadline
            models.CheckConstraint(
                condition=~Q(state__in=["dispatched", "returned", "handling"])
                | (Q(handler__isnull=False) & Q(due__isnull=False)),
                name="wishes_wish_assigned_has_handler_and_deadline",
                violation_error_message=_(
                    "A dispatched wish has a responsible unit and a deadline."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def place(self) -> str:
        return str(self.group or self.village)

    @property
    def deadline(self):
        """The deadline in force: the approved extension's, else the category's."""
        if self.extension == ExtensionState.APPROVED and self.extension_to:
            return self.extension_to
        return self.due


class Step(models.Model):
    """One line of a wish's history: dispatched, signed, returned, a progress note, answered,
    visited… with its note and who did it."""

    wish = models.ForeignKey(
        Wish, verbose_name=_("wish"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=30)
    note = models.TextField(_("note"), max_length=PARAGRAPH_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on = models.DateField(_("on"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager(county="wish__county")

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.wish}: {self.kind}"


class Photo(models.Model):
    """A photo of a wish (sent by the villager) or of its handling."""

    wish = models.ForeignKey(
        Wish, verbose_name=_("wish"), on_delete=models.CASCADE, related_name="photos"
    )
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.CASCADE, null=True, blank=True
    )
    file = models.FileField(_("file"), upload_to="wishes/%Y/%m/", max_length=200)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)

    objects = ScopedManager(county="wish__county")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name or self.file.name


class Whistle(models.Model):
    """镇村吹哨、县级报到: a town, approved by its principal leader, summons a county department
    to a problem (one or more wishes, possibly of several towns) it cannot solve. The department
    reports for duty within the county's days, then records a joint visit and the solution; it
    cannot hand the wishes back."""

    county = models.ForeignKey(
        "counties.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey(Town, verbose_name=_("town"), on_delete=models.PROTECT)
    wishes = models.ManyToManyField(Wish, verbose_name=_("wishes"), related_name="whistles")
    reason = models.TextField(_("reason"), max_length=PARAGRAPH_LENGTH)
    department = models.ForeignKey(
        "zones.Unit",
        verbose_name=_("county department summoned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.CharField(_("approved by (principal leader)"), max_length=40)
    blown_on = models.DateField(_("whistle blown on"))
    report_due = models.DateField(_("report due"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reporter = models.CharField(_("person reporting"), max_length=40, blank=True)
    visit_note = models.TextField(_("joint visit"), max_length=PARAGRAPH_LENGTH, blank=True)
    solution = models.TextField(_("solution"), max_length=PARAGRAPH_LENGTH, blank=True)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        ordering = ["-blown_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.town} → {self.department}"


class Claim(models.Model):
    """An organ party member reporting to their community (双报到) claims a small wish and
    fulfils it; the fulfilment is the member's record of service (`matter`, a
    people.PracticalMatter logged through the claim or one they had logged already), so it
    counts in the 双报到 figures of their registration and, on a team that day, in their
    team's scorecard — once. None until the claim is fulfilled."""

    wish = models.OneToOneField(
        Wish, verbose_name=_("wish"), on_delete=models.CASCADE, related_name="claim"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    claimed_on = models.DateField(_("claimed on"))
    matter = models.OneToOneField(
        "people.PracticalMatter",
        verbose_name=_("small practical matter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wish_claim",
    )

    objects = ScopedManager(county="wish__county")

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.person} · {self.wish}"

    @property
    def fulfilled_on(self):
        """The day the claim was fulfilled (its record's), None while it is open."""
        return self.matter.done_on if self.matter_id else None

    @property
    def note(self) -> str:
        return self.matter.description if self.matter_id else ""
