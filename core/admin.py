from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear, User


class ResetPasswordForm(AdminPasswordChangeForm):
    """An administrator's reset (the admin's "change password" form): the person must choose
    their own password when they next sign in."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        user.must_change_password = True
        if commit:
            user.save(update_fields=["must_change_password"])
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = ResetPasswordForm
    list_display = (
        "username",
        "full_name",
        "role",
        "is_active",
        "last_login",
        "password_changed_at",
        "must_change_password",
    )
    list_filter = ("role", "is_active", "is_staff", "is_superuser", "must_change_password")
    readonly_fields = ("password_changed_at",)
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "role", "email", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Password policy"), {"fields": ("must_change_password", "password_changed_at")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "role", "password1", "password2"),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new account's password was chosen by the administrator: its owner replaces it
            # at the first sign-in. (Saving the password has just cleared the flag.)
            obj.must_change_password = True
            obj.save(update_fields=["must_change_password"])


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
