from django.contrib import admin

from .models import Category, Group, Route, Town, Village, WishSettings


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "office")
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "committee")
    inlines = [GroupInline]


class RouteInline(admin.TabularInline):
    model = Route
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "days", "is_active", "order")
    inlines = [RouteInline]


@admin.register(WishSettings)
class WishSettingsAdmin(admin.ModelAdmin):
    list_display = ("county", "retention_days", "whistle_report_days")
