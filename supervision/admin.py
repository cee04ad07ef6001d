"""Staff edit checklists, rectification deadlines and class review thresholds here. A template
already used by a check is read-only: the action "new version" copies it for editing, so past
checks keep the version they were filled against (their sheets also keep a copy of each
criterion). Checks, rounds and findings are changed through the portal's pages only.

Checklists and thresholds are each county's own (issue 15): a county's staff see their county's
templates and the city's defaults, copy a default into their county with one action ("Copy into
my county") and edit their copy; the city's defaults are the installation superuser's."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from counties.admin import CountyOwnedAdmin, CountySettingsAdmin

from . import services
from .models import (
    ChecklistTemplate,
    ClassReviewThreshold,
    Criterion,
    CriterionGroup,
    Finding,
    FindingEvent,
    MutualCheck,
    PatrolRound,
    ScoreSheet,
    SeverityPolicy,
)


def template_in_use(template: ChecklistTemplate | None) -> bool:
    if template is None or template.pk is None:
        return False
    return (
        MutualCheck.objects.filter(template=template).exists()
        or PatrolRound.objects.filter(template=template).exists()
        or ScoreSheet.objects.filter(template=template).exists()
    )


class CriterionGroupInline(admin.TabularInline):
    model = CriterionGroup
    extra = 0
    fields = ("title", "position")
    show_change_link = True

    def get_queryset(self, request):
        # The groups of the template shown (a county's own or the city's default, which the
        # admin found for this reader); the scope would hide the default's.
        return CriterionGroup.objects.with_scopes_disabled().all()

    def has_change_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_delete_permission(request, obj)


def _edits_city_defaults(request) -> bool:
    """The city's default checklists are the deployment's: the installation superuser's."""
    return request.user.is_superuser


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(CountyOwnedAdmin):
    list_display = ("name", "version", "is_active", "owner", "based_on", "created_at")
    list_filter = ("is_active",)
    inlines = [CriterionGroupInline]
    actions = ["new_version", "copy_into_my_county"]
    readonly_fields = ("based_on",)

    @admin.display(description=_("owner"))
    def owner(self, obj) -> str:
        return str(obj.county) if obj.county_id else str(_("the city's default"))

    def get_queryset(self, request):
        own = self._own_county_id(request)
        if own is None:
            return super().get_queryset(request)
        # A county's staff: their county's templates and the city's defaults they copy.
        return ChecklistTemplate.objects.with_scopes_disabled().filter(
            Q(county_id=own) | Q(county__isnull=True)
        )

    def get_list_display(self, request):
        return self.list_display

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.county_id is None:  # a city's default
            return _edits_city_defaults(request) and admin.ModelAdmin.has_change_permission(
                self, request, obj
            )
        if obj is None and _edits_city_defaults(request):
            return admin.ModelAdmin.has_change_permission(self, request, obj)
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or (
            _edits_city_defaults(request) and admin.ModelAdmin.has_add_permission(self, request)
        )

    def get_readonly_fields(self, request, obj=None):
        if template_in_use(obj):
            return ("name", "version", "based_on")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return not template_in_use(obj) and self.has_change_permission(request, obj)

    @admin.action(description=_("Copy into a new version for editing"))
    def new_version(self, request, queryset):
        for template in queryset:
            if not self.has_change_permission(request, template):
                self.message_user(
                    request,
                    _("%(template)s is not yours to change: copy it into your county instead.")
                    % {"template": template},
                    messages.ERROR,
                )
                continue
            copy = services.template_new_version(template=template)
            self.message_user(
                request,
                _("%(copy)s created and in use for new checks.") % {"copy": copy},
                messages.SUCCESS,
            )

    @admin.action(description=_("Copy the city's default into my county"))
    def copy_into_my_county(self, request, queryset):
        own = self._own_county_id(request)
        if own is None:
            self.message_user(request, _("Only a county's staff copy a checklist."), messages.ERROR)
            return
        for template in queryset:
            if template.county_id is not None:
                self.message_user(
                    request,
                    _("%(template)s is already your county's; make a new version instead.")
                    % {"template": template},
                    messages.ERROR,
                )
                continue
            try:
                copy = services.checklist_copy_default(county_id=own, source=template)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(copy)s is your county's own now, in use for its new checks; edit it here.")
                % {"copy": copy},
                messages.SUCCESS,
            )


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = (("text", "max_score", "position"), "guidance")

    def _locked(self, obj):
        return obj is not None and template_in_use(obj.template)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(CriterionGroup)
class CriterionGroupAdmin(admin.ModelAdmin):
    list_display = ("title", "template", "position")
    list_filter = ("template",)
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and template_in_use(obj.template)
        return not locked and super().has_change_permission(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("Not found."))  # another county's group: never a hint that it exists


@admin.register(SeverityPolicy)
class SeverityPolicyAdmin(CountyOwnedAdmin):
    """A county's rectification deadlines: its three severities, made with the defaults the
    first time its staff open the list, each edited in place; nothing to add or delete."""

    list_display = ("severity", "workdays")
    list_editable = ("workdays",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        county_id = self._own_county_id(request)
        if county_id is not None and self.has_change_permission(request):
            services.severity_policy_rows(county_id=county_id)
        return super().changelist_view(request, extra_context)


@admin.register(ClassReviewThreshold)
class ClassReviewThresholdAdmin(CountySettingsAdmin):
    """The class review's thresholds: the county's row, opened directly."""


@admin.register(MutualCheck)
class MutualCheckAdmin(ReadOnlyAdmin):
    list_display = ("zone", "year", "quarter", "state", "template")
    list_filter = ("year", "quarter", "state", "zone")


@admin.register(PatrolRound)
class PatrolRoundAdmin(ReadOnlyAdmin):
    list_display = ("year", "half", "state", "template")


class FindingEventInline(admin.TabularInline):
    model = FindingEvent
    extra = 0
    can_delete = False
    fields = ("from_state", "to_state", "note", "by", "at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("description", "responsible_unit", "zone", "severity", "state", "deadline")
    list_filter = ("source", "severity", "state", "zone")
    search_fields = ("description", "responsible_unit__name")
    inlines = [FindingEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("responsible_unit", "zone")
