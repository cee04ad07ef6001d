from django.contrib import admin
from import_export.admin import ImportMixin

from counties.selectors import county_of
from zones.admin import CountyOwnedAdmin

from .models import Category, Group, Meeting, Route, Town, Village, WishSettings
from .resources import PlaceResource


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


@admin.register(Town)
class TownAdmin(CountyOwnedAdmin, admin.ModelAdmin):
    list_display = ("name", "county", "office")
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "committee")
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(ImportMixin, admin.ModelAdmin):
    """The groups, and the import of the places from Excel (镇, 村, 组): preview, then confirm."""

    resource_classes = [PlaceResource]
    list_display = ("name", "village")
    list_filter = ("village__town",)
    search_fields = ("name", "village__name", "village__town__name")

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Staff import into their own county.
        return {
            **super().get_resource_kwargs(request, *args, **kwargs),
            "county": county_of(request.user),
        }


class RouteInline(admin.TabularInline):
    model = Route
    extra = 0


@admin.register(Category)
class CategoryAdmin(CountyOwnedAdmin, admin.ModelAdmin):
    list_display = ("name", "county", "days", "is_active", "order")
    inlines = [RouteInline]


@admin.register(WishSettings)
class WishSettingsAdmin(CountyOwnedAdmin, admin.ModelAdmin):
    list_display = ("county", "retention_days", "whistle_report_days")


@admin.register(Meeting)
class MeetingAdmin(CountyOwnedAdmin, admin.ModelAdmin):
    list_display = ("held_on", "village", "place", "convener", "attendance")
    list_filter = ("village__town",)
    search_fields = ("place", "convener", "village__name")
