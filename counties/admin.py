from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import Mechanism
from .models import City, County, CountyMechanism
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
