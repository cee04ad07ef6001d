from django.contrib import admin

from core.models import ScheduledRun
from counties.admin import CountySettingsAdmin

from .models import Heartbeat, Notification, Preference, ReminderSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every reminder, announcement and digest sent: the table grows by thousands a month. As
    the audit lists (issue 20): no count of the whole table on every page and no date
    hierarchy (it reads every row's distinct dates); the sent-at filter (today, the past 7
    days, this month, this year) bounds the list by an indexed range instead."""

    list_display = ("recipient", "kind", "title", "period", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", "created_at", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__username", "recipient__full_name", "title")
    list_select_related = ("recipient",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(CountySettingsAdmin):
    """The reminders' lead times: the county's row, opened directly."""


admin.site.register(Preference)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """What each daily and weekly job did for each day: read only (the ledger the sweep reads)."""

    list_display = ("job", "slot", "started_at", "finished_at", "attempts", "result")
    list_filter = ("job", ("finished_at", admin.EmptyFieldListFilter))
    date_hierarchy = "slot"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
