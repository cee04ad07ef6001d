"""The accounts on the administrators' sites: the system administrator's user list (`/admin/`),
the security administrator's roles, policy, lockouts and authenticators (`/security-admin/`).
The user model is `core.User`; its admin lives here, with the rest of the accounts' rules, and
keeps its address (`/admin/core/user/`)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import SingletonAdmin
from core.constants import ADMIN_ROLES, Role
from core.models import User

from .models import Authenticator, SecurityPolicy
from .sites import security_site


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
    """The system administrator's accounts (系统管理员): who people are and whether they may sign
    in. No role or permission field: roles are the security administrator's, and nobody here
    can grant one (three separated administrators). The administrators' own accounts are the
    security administrator's too."""

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
    list_filter = ("role", "is_active", "must_change_password")
    readonly_fields = ("role", "password_changed_at", "last_login", "date_joined")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {"fields": ("full_name", "role", "county", "email", "phone", "is_active")},
        ),
        (_("Password policy"), {"fields": ("must_change_password", "password_changed_at")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "county", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.exclude(role__in=ADMIN_ROLES).exclude(is_superuser=True)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.role = Role.SECRETARY  # until the security administrator gives another
        super().save_model(request, obj, form, change)
        if not change:
            # A new account's password was chosen by the administrator: its owner replaces it
            # at the first sign-in. (Saving the password has just cleared the flag.)
            obj.must_change_password = True
            obj.save(update_fields=["must_change_password"])


class RoleForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("role", "is_staff", "is_active", "must_change_password")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if cleaned.get("is_staff") and role not in (Role.STAFF, *ADMIN_ROLES):
            self.add_error(
                "is_staff", _("Only committee staff and administrators use the admin pages.")
            )
        return cleaned


@admin.register(User, site=security_site)
class SecurityUserAdmin(DjangoUserAdmin):
    """The security administrator's view of accounts (安全管理员): roles, admin access, locking
    an account, a password reset. Never their own account, never the superuser's."""

    form = RoleForm
    change_password_form = ResetPasswordForm
    list_display = ("username", "full_name", "role", "is_staff", "is_active", "last_login")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("username", "full_name")
    readonly_fields = ("username", "full_name", "last_login", "password_changed_at")
    fieldsets = (
        (None, {"fields": ("username", "full_name", "password")}),
        (_("Role"), {"fields": ("role", "is_staff", "is_active")}),
        (_("Password policy"), {"fields": ("must_change_password", "password_changed_at")}),
        (_("Important dates"), {"fields": ("last_login",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        return ("username", "full_name", "last_login", "password_changed_at", "password")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        mine_or_root = obj is not None and (obj.pk == request.user.pk or obj.is_superuser)
        if mine_or_root and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is not None and not self.has_change_permission(request, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(SecurityPolicy, site=security_site)
class SecurityPolicyAdmin(SingletonAdmin):
    """One policy: the list opens it (saved with the settings' values the first time)."""

    fieldsets = (
        (_("Passwords"), {"fields": ("min_length", "min_classes", "max_age_days")}),
        (
            _("Lockout"),
            {
                "fields": (
                    "lockout_failures",
                    "lockout_minutes",
                    "address_lockout_failures",
                    "address_lockout_minutes",
                )
            },
        ),
        (_("Second factor"), {"fields": ("require_second_factor",)}),
    )


security_site.register(AccessAttempt, AccessAttemptAdmin)
security_site.register(AccessLog, AccessLogAdmin)
security_site.register(AccessFailureLog, AccessFailureLogAdmin)
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
security_site.register(Authenticator, TOTPDeviceAdmin)
