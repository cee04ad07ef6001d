"""The member register in the admin site (`/admin/`), as the units are administered there: the
system administrator and committee staff with admin access (accounts.backends) find a person,
read their units and posts over time, and correct their details.

Personal data stays masked here too: the ID number and the phone are shown masked and are not
fields of the form (the full numbers are on the person's audited page in the portal). A change
goes through people.services.person_update, so it is validated as on the portal's form and lands
in the person's history. People are registered, transferred and recorded as having left on the
portal's pages (which open and close the memberships and posts); the history rows are read-only
here, and nobody deletes a person (a leaving is recorded instead; the retention erasure follows).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from counties.selectors import county_of
from zones.models import in_force_on

from . import services
from .masking import mask_id, mask_phone
from .models import CadreProfile, Membership, Person, Post, PracticalMatter, RetentionPolicy
from .retention import retention_policy_set
from .selectors import today


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(_ReadOnlyInline):
    model = Membership
    fields = ("unit", "effective_from", "effective_to", "reason", "created_by")
    readonly_fields = fields
    ordering = ("-effective_from",)


class PostInline(_ReadOnlyInline):
    model = Post
    fields = ("kind", "unit", "effective_from", "effective_to", "created_by")
    readonly_fields = fields
    ordering = ("-effective_from",)


class LeftFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("current", _("Current members")), ("left", _("Left"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "left":
            return queryset.filter(left_on__isnull=False)
        return queryset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "current_unit",
        "masked_id_number",
        "masked_mobile",
        "category",
        "left_on",
        "leaving_reason",
    )
    list_filter = (LeftFilter, "category", "leaving_reason", "education")
    # By name or pinyin, never by a number (people.selectors.person_match's rule).
    search_fields = ("name", "name_pinyin", "name_initials")
    search_help_text = _("Search by name or pinyin initials.")
    list_per_page = 50
    fields = (
        "county",
        "name",
        "masked_id_number",
        "sex",
        "date_of_birth",
        "ethnicity",
        "education",
        "masked_mobile",
        "category",
        "joined_on",
        "full_member_on",
        "job_title",
        "left_on",
        "leaving_reason",
        "erased_at",
    )
    readonly_fields = (
        "county",
        "masked_id_number",
        "masked_mobile",
        "left_on",
        "leaving_reason",
        "erased_at",
    )
    inlines = (MembershipInline, PostInline)

    def get_queryset(self, request):
        unit = Membership.objects.filter(in_force_on(today()), person=OuterRef("pk"))
        people = super().get_queryset(request).select_related("county")
        county = county_of(request.user)
        if county is not None:
            people = people.filter(county=county)
        return people.annotate(unit_name_on=Subquery(unit.values("unit__name")[:1]))

    def has_add_permission(self, request):
        return False  # on the portal's page, which opens the first membership

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.has_left or obj.erased_at is not None):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("unit"))
    def current_unit(self, obj):
        return getattr(obj, "unit_name_on", None) or "—"

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id(obj.id_number) if obj.id_number_token else "—"

    @admin.display(description=_("mobile phone"))
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile) if obj.mobile else "—"

    def save_model(self, request, obj, form, change):
        """Through the service, which validates the dates (and records the history)."""
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.person_update(person=obj, actor=request.user, **fields)
        except ValidationError as exc:  # pragma: no cover - the form's clean() ran the same rules
            raise ValueError(exc.messages) from exc

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ServiceForm(form):
            def clean(self):
                data = super().clean()
                if self.instance.pk and not self.errors:
                    # The service's rules, tried on a copy: its refusals become the form's.
                    probe = Person._base_manager.get(pk=self.instance.pk)
                    try:
                        services._apply(
                            probe,
                            {name: data[name] for name in self.changed_data if name in data},
                        )
                    except ValidationError as exc:
                        if hasattr(exc, "error_dict"):
                            for field, errors in exc.error_dict.items():
                                self.add_error(field if field in self.fields else None, errors)
                        else:
                            self.add_error(None, exc)
                return data

        return form if obj is None else ServiceForm


@admin.register(CadreProfile)
class CadreProfileAdmin(ReadOnlyAdmin):
    """The service-team pool, read here; edited on the person's page (county staff and the
    person's unit secretary), where the strengths are chosen from the list."""

    list_display = ("person", "years_of_party_work", "available", "updated_at")
    list_filter = ("available",)
    search_fields = ("person__name", "person__name_initials")
    list_select_related = ("person",)


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Awaiting confirmation"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(PracticalMatter)
class PracticalMatterAdmin(ReadOnlyAdmin):
    """The records of service (服务记录) of the county's people, read here: found by the person,
    the mechanism they came through, their category and whether they are confirmed. A record is
    logged, confirmed and counted through the page of the mechanism it came from (a team's
    matter, a 双报到 service, a micro-wish's claim), which keeps its own context row, so nothing
    is added, changed or deleted here."""

    list_display = (
        "done_on",
        "person",
        "description",
        "category",
        "hours",
        "people_served",
        "source",
        "confirmed_at",
        "confirmed_via",
    )
    list_filter = (ConfirmedFilter, "source", "category")
    # By the person's name or pinyin, or the words of the record.
    search_fields = ("person__name", "person__name_pinyin", "person__name_initials", "description")
    search_help_text = _("Search by name, pinyin initials or what was done.")
    list_select_related = ("person",)
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        matters = super().get_queryset(request)
        county = county_of(request.user)
        return matters if county is None else matters.filter(person__county=county)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("county", "years", "updated_at", "updated_by")
    readonly_fields = ("county", "updated_by", "updated_at")

    def has_add_permission(self, request):
        return False  # on the portal's retention page

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        retention_policy_set(county=obj.county, years=obj.years, actor=request.user)
