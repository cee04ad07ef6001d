"""Read-only views of the activity records: every change goes through the portal's pages,
which record it in the activity's history."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Activity, ActivityEvent, Attachment, HostSlot, Outcome, RotationOrder


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(OutcomeInline):
    model = ActivityEvent


class AttachmentInline(OutcomeInline):
    model = Attachment
    exclude = ["file"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["date", "title", "zone", "host_unit", "form", "state"]
    list_filter = ["state", "form", "zone"]
    search_fields = ["title", "host_unit__name"]
    date_hierarchy = "date"
    list_select_related = ["zone", "host_unit"]
    inlines = [OutcomeInline, AttachmentInline, EventInline]


@admin.register(HostSlot)
class HostSlotAdmin(ReadOnlyAdmin):
    list_display = ["zone", "month", "unit", "swapped"]
    list_filter = ["zone"]
    list_select_related = ["zone", "unit"]


@admin.register(RotationOrder)
class RotationOrderAdmin(ReadOnlyAdmin):
    list_display = ["zone", "position", "unit"]
    list_filter = ["zone"]
    list_select_related = ["zone", "unit"]
