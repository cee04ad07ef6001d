from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from . import services
from .models import CountySnapshot, SnapshotKey


@admin.register(SnapshotKey)
class SnapshotKeyAdmin(admin.ModelAdmin):
    """The keys the city gives the counties that run their own server (and, on such a
    county's server, the one key the city gave it, entered here)."""

    list_display = ("county", "created_at")
    fields = ("county", "key")
    actions = ["new_key"]

    @admin.action(description=_("Give the selected counties a new key"))
    def new_key(self, request, queryset):
        for row in queryset.select_related("county"):
            services.snapshot_key_create(county=row.county)
        messages.success(request, _("New keys made: give each to its county."))


@admin.register(CountySnapshot)
class CountySnapshotAdmin(ReadOnlyAdmin):
    """The history of imported snapshots, read-only: imports and returns are made on the city's
    page (portal.views.snapshots)."""

    list_display = ("county", "period", "state", "generated_at", "imported_at", "imported_by")
    list_filter = ("state", "period", "county")
    readonly_fields = [f.name for f in CountySnapshot._meta.fields]
