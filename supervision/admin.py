"""Staff edit checklists, rectification deadlines and class review thresholds here. A template
already used by a check is read-only: the action "new version" copies it for editing, so past
checks keep the version they were filled against (their sheets also keep a copy of each
criterion). Checks, rounds and findings are changed through the portal's pages only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import SingletonAdmin

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

    def has_change_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "is_active", "based_on", "created_at")
    list_filter = ("is_active",)
    inlines = [CriterionGroupInline]
    actions = ["new_version"]
    readonly_fields = ("based_on",)

    def get_readonly_fields(self, request, obj=None):
        if template_in_use(obj):
            return ("name", "version", "based_on")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return not template_in_use(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy into a new version for editing"))
    def new_version(self, request, queryset):
        for template in queryset:
            copy = services.template_new_version(template=template)
            self.message_user(
                request,
                _("%(copy)s created and in use for new checks.") % {"copy": copy},
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


@admin.register(SeverityPolicy)
class SeverityPolicyAdmin(admin.ModelAdmin):
    list_display = ("severity", "workdays")
    list_editable = ("workdays",)


@admin.register(ClassReviewThreshold)
class ClassReviewThresholdAdmin(SingletonAdmin):
    """The class review's thresholds: one row, opened directly."""


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
