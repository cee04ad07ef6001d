from django.contrib import admin

from .models import City, County, CountyMechanism


class CountyMechanismInline(admin.TabularInline):
    model = CountyMechanism
    extra = 0
    fields = ("mechanism", "since", "until")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code")
    search_fields = ("name", "code")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "city")
    list_filter = ("city",)
    search_fields = ("name", "code")
    inlines = [CountyMechanismInline]
