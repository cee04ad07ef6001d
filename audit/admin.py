import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.excel import safe_cell

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read and exported by the audit administrator; nobody edits it."""

    list_display = ("at", "username", "ip", "event", "outcome", "path", "detail")
    list_filter = ("event", "outcome", "at")
    search_fields = ("username", "ip", "path", "detail")
    date_hierarchy = "at"
    actions = ("export_csv",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected events (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["time", "user", "ip", "event", "outcome", "path", "detail"])
        for e in queryset.order_by("at", "id"):
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        e.at.isoformat(),
                        e.username,
                        e.ip or "",
                        e.event,
                        e.outcome,
                        e.path,
                        e.detail,
                    )
                ]
            )
        return response
