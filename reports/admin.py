from django.contrib import admin

from .models import CityReport, RollupReport


@admin.register(RollupReport)
class RollupReportAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "period_start",
        "zone",
        "version",
        "state",
        "generated_at",
        "filed_at",
    )
    list_filter = ("kind", "state", "zone")
    readonly_fields = [f.name for f in RollupReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CityReport)
class CityReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "period_start", "version", "state", "generated_at")
    list_filter = ("kind", "state")
    readonly_fields = [f.name for f in CityReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
