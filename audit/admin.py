import csv

from django.apps import apps
from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.excel import safe_cell
from core.sites import audit_site

from .history import TRACKED, register_all
from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is read and exported, never edited (the PostgreSQL trigger refuses it
    anyway)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent, site=audit_site)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read and exported by the audit administrator; nobody edits it."""

    list_display = ("at", "username", "ip", "event", "outcome", "path", "detail")
    list_filter = ("event", "outcome", "at")
    search_fields = ("username", "ip", "path", "detail")
    date_hierarchy = "at"
    actions = ("export_csv",)

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


class HistoryAdmin(ReadOnlyAdmin):
    """A domain record's changes (django-simple-history): who, when, from where, what."""

    list_display = ("history_date", "history_type", "history_user_id", "ip_address", "__str__")
    list_filter = ("history_type", "history_date")
    date_hierarchy = "history_date"
    actions = ("export_csv",)

    @admin.action(description=_("Export the selected changes (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        fields = [f.name for f in queryset.model._meta.fields]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = queryset.model._meta.model_name
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(fields)
        for row in queryset.order_by("history_date", "history_id").values_list(*fields):
            writer.writerow([safe_cell("" if v is None else str(v)) for v in row])
        return response


def register_history() -> None:
    """Every tracked model's history, on the audit administrator's site. (The admin is
    discovered before this app is ready: register the histories first; it is idempotent.)"""
    register_all()
    for app_label, model_name, _excluded in TRACKED:
        model = apps.get_model(app_label, model_name)
        historical = model.history.model
        if not audit_site.is_registered(historical):
            audit_site.register(historical, HistoryAdmin)


register_history()
