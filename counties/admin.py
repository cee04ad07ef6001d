from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.constants import Role

from .constants import Mechanism
from .models import CalendarOverride, City, County, CountyMechanism
from .services import county_create, username_taken


class CountyMechanismInline(admin.TabularInline):
    model = CountyMechanism
    extra = 0
    fields = ("mechanism", "since", "until")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code")
    search_fields = ("name", "code")


class CountyCreateForm(forms.ModelForm):
    """A new county with the mechanisms it runs and its first staff account
    (counties.services.county_create)."""

    mechanisms = forms.MultipleChoiceField(
        label=_("Mechanisms it runs"),
        choices=Mechanism.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Switched on from today; more can be switched on or off later."),
    )
    staff_username = forms.CharField(
        label=_("Username of its first staff account"),
        max_length=150,
        help_text=_(
            "A work-committee staff account of the county, with a one-time password shown once "
            "after saving: hand it over in person; it must be changed at the first sign-in."
        ),
    )
    staff_full_name = forms.CharField(label=_("Full name"), max_length=60, required=False)

    class Meta:
        model = County
        fields = ("city", "name", "short_name", "code")

    def clean_staff_username(self) -> str:
        username = self.cleaned_data["staff_username"].strip()
        if username_taken(username):
            raise ValidationError(_("This username is taken."))
        return username


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "city")
    list_filter = ("city",)
    search_fields = ("name", "code")
    inlines = [CountyMechanismInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:  # a new county comes with its mechanisms and first staff account
            kwargs["form"] = CountyCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ("city", "name", "short_name", "code", "mechanisms")}),
                (_("First staff account"), {"fields": ("staff_username", "staff_full_name")}),
            ]
        return super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        made = county_create(
            county=obj,
            mechanisms=form.cleaned_data["mechanisms"],
            staff_username=form.cleaned_data["staff_username"],
            staff_full_name=form.cleaned_data["staff_full_name"],
            by=request.user,
        )
        self.message_user(
            request,
            _(
                "%(county)s is created with its staff account %(username)s. One-time password: "
                "%(password)s — shown this once; it must be changed at the first sign-in."
            )
            % {
                "county": made.county.name,
                "username": made.staff.username,
                "password": made.password,
            },
            messages.WARNING,
        )


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

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form checks the county's own uniqueness (a classroom's name, a study rules'
        year …): with the county not on the form, Django would skip every constraint naming it
        and the database would refuse the duplicate with an error page instead of a message."""
        form = super().get_form(request, obj, change, **kwargs)
        own = self._own_county_id(request)

        class CountyOwnedForm(form):
            def _post_clean(self):
                if self.instance.county_id is None and own is not None:
                    self.instance.county_id = own
                super()._post_clean()
                if self.instance.county_id is None or self._errors:
                    return  # (what is already refused is said once)
                exclude = self._get_validation_exclusions() - {"county"}
                try:
                    self.instance.validate_unique(exclude=exclude)
                    self.instance.validate_constraints(exclude=exclude)
                except ValidationError as error:
                    self._update_errors(error)

        return CountyOwnedForm

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
