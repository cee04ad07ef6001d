from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .models import CalendarDay, CalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin of records that change only through the portal's pages (their services keep
    the history and the rules) or never (the audit trail): read here, nothing added, changed or
    deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SingletonAdmin(admin.ModelAdmin):
    """The admin of a settings row (`core.models.Singleton`): the list opens the one row's change
    page directly (saved with its defaults the first time); nothing to add, nothing to delete."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        row, _created = self.model.objects.get_or_create(pk=self.model.SINGLETON_PK)
        opts = self.model._meta
        return redirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[row.pk]
            )
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Staff enter a year's holidays and adjusted working days here when the package does not
    know the year yet; the entered days override it."""

    list_display = ("year", "complete", "note")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("note",)
