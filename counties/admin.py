from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.constants import Role

from .models import CalendarOverride, City, County, CountyMechanism


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


class CountyOwnedAdmin(admin.ModelAdmin):
    """The admin of what a county owns (its settings, its calendar days): the rows are the
    reader's county's (the request's scope); another county's row is not found (404, never a
    hint that it exists); only the county's own staff change it: anyone else who sees it (the
    system administrator, the superuser reading every county) reads it (403 to a change)."""

    def _own_county_id(self, request) -> int | None:
        user = request.user
        return user.county_id if user.role == Role.STAFF else None

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.county_id != self._own_county_id(request):
            return False
        return self._own_county_id(request) is not None and super().has_change_permission(
            request, obj
        )

    def has_add_permission(self, request):
        return self._own_county_id(request) is not None and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), "county"]

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self._own_county_id(request) else ("county", *shown)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.county_id = self._own_county_id(request)
        super().save_model(request, obj, form, change)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("Not found."))


class CountySettingsAdmin(CountyOwnedAdmin):
    """A county's settings row (`counties.models.CountySettings`): its staff's list opens their
    county's row directly (saved with the defaults the first time); nothing to add or delete."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        county_id = self._own_county_id(request)
        if county_id is None:  # a reader of every county: the counties' rows
            return super().changelist_view(request, extra_context)
        if not self.has_change_permission(request):
            raise PermissionDenied
        row, _created = self.model.objects.get_or_create(county_id=county_id)
        opts = self.model._meta
        return redirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[row.pk]
            )
        )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CountyOwnedAdmin):
    """A county's own days off and working days, on top of the shared calendar."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("note",)
