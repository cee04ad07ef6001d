"""The admin site, where the administrator reassigns units between zones, changes lead units,
grades units and manages accounts. History rows are read-only here: every change to them goes
through an action that calls a service, so the past is never rewritten by hand."""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.admin import ReadOnlyAdmin
from core.excel import ExportAdmin
from counties.models import County
from counties.selectors import county_of

from . import services
from .constants import Grade, MembershipRole
from .forms import (
    ReassignForm,
    SafeAutocompleteSelect,
    SetGradeForm,
    SetLeaderForm,
    SetLeadForm,
)
from .models import Membership, Unit, UnitGrade, UnitPost, Zone, ZoneLeadership
from .resources import UnitResource
from .selectors import (
    move_consequences,
    today,
    unit_grade_on,
    unit_membership_on,
    units_with_state,
    zones_overview,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership
    fk_name = "unit"
    fields = ("zone", "role", "effective_from", "effective_to", "reason", "created_by")
    readonly_fields = fields
    ordering = ("-effective_from",)
    verbose_name_plural = _("zone history")


class UnitGradeInline(ReadOnlyInline):
    model = UnitGrade
    fields = ("grade", "effective_from", "reason", "set_by")
    readonly_fields = fields
    ordering = ("-effective_from",)


class UnitPostInline(admin.TabularInline):
    model = UnitPost
    extra = 0
    autocomplete_fields = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CurrentZoneFilter(admin.SimpleListFilter):
    title = _("zone")
    parameter_name = "zone"

    def lookups(self, request, model_admin):
        return [(str(z.pk), str(z)) for z in Zone.objects.order_by("number")] + [
            ("none", _("No zone"))
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(zone_id_on__isnull=True)
        if self.value():
            return queryset.filter(zone_id_on=self.value())
        return queryset


class CurrentGradeFilter(admin.SimpleListFilter):
    title = _("class")
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in Grade.choices]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(grade_on=self.value())
        return queryset


class _DryRun(Exception):
    """Rolls back a change tried only to see whether it would be refused."""


def _refusals(apply, form) -> list[str]:
    """What the service would refuse, found by applying the change and rolling it back."""
    try:
        with transaction.atomic():
            apply(form)
            raise _DryRun
    except ValidationError as exc:
        return exc.messages
    except _DryRun:
        return []


def _days_ago(day: datetime.date) -> str:
    return ngettext(
        "The effective date %(date)s is %(days)d day in the past.",
        "The effective date %(date)s is %(days)d days in the past.",
        (today() - day).days,
    ) % {"date": formats.date_format(day, "DATE_FORMAT"), "days": (today() - day).days}


def _dated_action(request, queryset, *, form_class, title, apply, consequences, initial=None):
    """Render an intermediate page with `form_class`; on a valid POST call `apply(form)`, which
    runs a service. A refusal comes back on the same page and changes nothing. A change dated in
    the past is first shown with what it changes (`consequences(form)`, sentences) and applied
    only when confirmed for that very date."""
    errors: list[str] = []
    past: list[str] = []
    if "apply" in request.POST or "confirm_past" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            effective_on = form.cleaned_data["effective_on"]
            confirmed = request.POST.get("confirm_past") == effective_on.isoformat()
            if effective_on < today() and not confirmed:
                errors = _refusals(apply, form)
                if not errors:
                    past = [_days_ago(effective_on), *consequences(form)]
            else:
                try:
                    message = apply(form)
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    messages.success(request, message)
                    return None
    else:
        form = form_class(initial={"effective_on": today(), **(initial or {})})
    return TemplateResponse(
        request,
        "admin/zones/dated_action.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "form": form,
            "errors": errors,
            "past": past,
            "past_date": form.cleaned_data["effective_on"].isoformat() if past else "",
            "queryset": queryset,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "opts": queryset.model._meta,
        },
    )


class CountyOwnedAdmin:
    """A record of one county in the admin: a county's staff add and edit their county's
    records only (the county is theirs, not a field of the form); the system administrator,
    of no county, chooses it."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        county = county_of(request.user) if db_field.name == "county" else None
        if county is not None:
            # Shown, not chosen: validated with the record (its number or name unique in it).
            kwargs.update(
                queryset=County.objects.filter(pk=county.pk), initial=county.pk, disabled=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Unit)
class UnitAdmin(CountyOwnedAdmin, ExportAdmin, ImportExportModelAdmin):
    resource_classes = [UnitResource]
    export_name = _("units")
    list_display = (
        "name",
        "short_name",
        "kind",
        "current_zone",
        "current_role",
        "current_grade",
        "member_count",
        "is_active",
    )
    list_filter = (
        CurrentZoneFilter,
        CurrentGradeFilter,
        "kind",
        "org_type",
        "work_category",
        "is_active",
    )
    search_fields = ("name", "short_name", "secretary_name")
    inlines = (MembershipInline, UnitGradeInline, UnitPostInline)
    actions = ("reassign_units", "appoint_as_lead", "set_grade")
    import_export_change_list_template = "admin/zones/unit/change_list.html"

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Staff import into and export from their own county.
        return {
            **super().get_resource_kwargs(request, *args, **kwargs),
            "county": county_of(request.user),
        }

    list_per_page = 50

    def get_queryset(self, request):
        return units_with_state()

    @admin.display(description=_("zone"), ordering="zone_number_on")
    def current_zone(self, obj):
        return obj.zone_name_on or "—"

    @admin.display(description=_("role in zone"))
    def current_role(self, obj):
        return MembershipRole(obj.zone_role_on).label if obj.zone_role_on else "—"

    @admin.display(description=_("class"), ordering="grade_on")
    def current_grade(self, obj):
        return Grade(obj.grade_on).label if obj.grade_on else "—"

    @admin.action(description=_("Reassign selected units to a zone"))
    def reassign_units(self, request, queryset: QuerySet[Unit]):
        def apply(form):
            done = services.units_reassign(
                units=list(queryset),
                zone=form.cleaned_data["zone"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            return ngettext(
                "%(count)d unit reassigned to %(zone)s.",
                "%(count)d units reassigned to %(zone)s.",
                len(done),
            ) % {"count": len(done), "zone": form.cleaned_data["zone"]}

        def consequences(form):
            return move_consequences(
                units=list(queryset),
                zone=form.cleaned_data["zone"],
                effective_on=form.cleaned_data["effective_on"],
            )

        return _dated_action(
            request,
            queryset,
            form_class=ReassignForm,
            title=_("Reassign units"),
            apply=apply,
            consequences=consequences,
        )

    @admin.action(description=_("Appoint the selected unit lead unit of its zone"))
    def appoint_as_lead(self, request, queryset: QuerySet[Unit]):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one unit to appoint."), messages.ERROR)
            return None
        unit = queryset.get()

        def apply(form):
            membership = unit_membership_on(unit=unit, day=today())
            if membership is None:
                raise ValidationError(_("%(unit)s is not in a zone.") % {"unit": unit})
            services.zone_set_lead(
                zone=membership.zone,
                unit=unit,
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            return _("%(unit)s is now the lead unit of %(zone)s.") % {
                "unit": unit,
                "zone": membership.zone,
            }

        def consequences(form):
            membership = unit_membership_on(unit=unit, day=today())
            return [
                gettext(
                    "%(unit)s leads %(zone)s from that day; the present lead unit is a member "
                    "unit from that day. Activities confirmed since then keep who confirmed them."
                )
                % {"unit": unit, "zone": membership.zone if membership else "—"}
            ]

        return _dated_action(
            request,
            queryset,
            form_class=SetLeadForm,
            title=_("Appoint lead unit"),
            apply=apply,
            consequences=consequences,
        )

    @admin.action(description=_("Set the class of selected units"))
    def set_grade(self, request, queryset: QuerySet[Unit]):
        def apply(form):
            done = services.units_set_grade(
                units=list(queryset),
                grade=form.cleaned_data["grade"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            return ngettext(
                "Class set for %(count)d unit.", "Class set for %(count)d units.", len(done)
            ) % {"count": len(done)}

        def consequences(form):
            grade = Grade(form.cleaned_data["grade"]).label
            return [
                gettext("%(unit)s is %(grade)s from that day (now: %(now)s).")
                % {
                    "unit": unit,
                    "grade": grade,
                    "now": Grade(now).label
                    if (now := unit_grade_on(unit=unit, day=today()))
                    else "—",
                }
                for unit in queryset
            ]

        return _dated_action(
            request,
            queryset,
            form_class=SetGradeForm,
            title=_("Set class"),
            apply=apply,
            consequences=consequences,
        )


class ZoneMembershipInline(ReadOnlyInline):
    model = Membership
    fk_name = "zone"
    fields = ("unit", "role", "effective_from", "effective_to", "reason")
    readonly_fields = fields
    ordering = ("effective_to", "-role", "unit__name")
    verbose_name_plural = _("membership history")


class ZoneLeadershipInline(ReadOnlyInline):
    model = ZoneLeadership
    fields = ("leader", "effective_from", "effective_to", "reason", "created_by")
    readonly_fields = fields
    ordering = ("-effective_from",)


@admin.register(Zone)
class ZoneAdmin(CountyOwnedAdmin, admin.ModelAdmin):
    list_display = ("number", "name", "lead_name", "leader_name", "member_count")
    list_display_links = ("number", "name")
    search_fields = ("name", "focus")
    inlines = (ZoneLeadershipInline, ZoneMembershipInline)
    actions = ("change_leader",)

    def get_queryset(self, request):
        return zones_overview()

    @admin.display(description=_("lead unit"))
    def lead_name(self, obj):
        return obj.lead_name or "—"

    @admin.display(description=_("guiding leader"))
    def leader_name(self, obj):
        return obj.leader_name or "—"

    @admin.display(description=_("members"))
    def member_count(self, obj):
        return obj.member_count

    @admin.action(description=_("Change the guiding leader of the selected zone"))
    def change_leader(self, request, queryset: QuerySet[Zone]):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one zone."), messages.ERROR)
            return None
        zone = queryset.get()

        def apply(form):
            services.zone_set_leader(
                zone=zone,
                leader=form.cleaned_data["leader"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            return _("%(user)s now guides %(zone)s.") % {
                "user": form.cleaned_data["leader"],
                "zone": zone,
            }

        def consequences(form):
            return [
                gettext("%(user)s guides %(zone)s from that day.")
                % {"user": form.cleaned_data["leader"], "zone": zone}
            ]

        return _dated_action(
            request,
            queryset,
            form_class=SetLeaderForm,
            title=_("Change guiding leader"),
            apply=apply,
            consequences=consequences,
        )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """History of who belonged where; read-only, changed through the unit and zone actions."""

    list_display = (
        "unit",
        "zone",
        "role",
        "effective_from",
        "effective_to",
        "reason",
        "created_by",
    )
    list_filter = ("zone", "role", ("effective_to", admin.EmptyFieldListFilter))
    search_fields = ("unit__name", "zone__name")
    list_select_related = ("unit", "zone", "created_by")
    date_hierarchy = "effective_from"


@admin.register(UnitGrade)
class UnitGradeAdmin(ReadOnlyAdmin):
    """Class history; read-only, written by the "set class" action."""

    list_display = ("unit", "grade", "effective_from", "reason", "set_by")
    list_filter = ("grade",)
    search_fields = ("unit__name",)
    list_select_related = ("unit", "set_by")
    date_hierarchy = "effective_from"
