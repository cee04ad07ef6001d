"""The register's pages: the list (filtered, paginated), a person's page, the audited look at
the full ID and phone number, and the cadre profile's edit. Thin: reads through
people.selectors (404 outside the reader's scope), rules through core.access (403), writes
through people.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.constants import Event, Outcome
from audit.services import audit_record
from core.access import get_visible_or_404, may, require, require_page
from core.forms import error_lines
from zones.models import Unit
from zones.selectors import units_visible_to, user_scope, zones_visible_to

from . import selectors, services
from .forms import (
    CadreProfileForm,
    LeaveForm,
    PersonForm,
    PostAssignForm,
    PostEndForm,
    RegisterFilterForm,
    TransferForm,
)
from .models import Person, Post


def _get_person(request, pk: int) -> Person:
    return get_visible_or_404(selectors.people_visible_to(request.user), request, pk=pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def register(request):
    """The register: county staff and leaders their county's people, a secretary their unit's,
    city staff every county's; 404 for anyone else."""
    require_page(request.user, "people.read_register")
    # The options' names only (a unit and a zone print as their name).
    units = units_visible_to(request.user).only("name").order_by("name_pinyin")
    zones = zones_visible_to(request.user).only("name").order_by("number")
    form = RegisterFilterForm(
        request.GET or None,
        units=units,
        zones=zones,
        options=selectors.register_options(request.user, units, zones),
    )
    status = form.chosen_status()
    people = selectors.people_visible_to(request.user)
    if status == "current":
        people = people.filter(left_on__isnull=True)
    elif status == "left":
        people = people.filter(left_on__isnull=False)
    rows = selectors.register_rows(people, **(form.filters() if form.is_bound else {}))
    page = selectors.register_page(rows, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/register.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "status": status,
            "may_register": may(request.user, "people.register_person"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def person_detail(request, pk: int):
    person = _get_person(request, pk)
    # A TemplateResponse: the portal serves this page (portal.views.person_detail) and adds
    # the mechanisms' sections to its context, as it does for the zone and unit pages.
    return TemplateResponse(
        request,
        "people/person_detail.html",
        {
            "person": person,
            **selectors.person_history(person),
            "may_see_numbers": may(request.user, "people.see_personal_numbers", person),
            "may_edit_profile": may(request.user, "people.edit_cadre_profile", person),
            "may_change": may(request.user, "people.change_person", person),
            "may_record_leaving": may(request.user, "people.record_leaving", person),
            "post_end_form": PostEndForm(initial={"on": selectors.today()}),
        },
    )


@login_required
@require_POST
@never_cache
def person_numbers(request, pk: int):
    """The full ID and phone number: county staff and the person's unit secretary, each look on
    the audit trail (personal data: masked everywhere else)."""
    person = _get_person(request, pk)
    require(request.user, "people.see_personal_numbers", person)
    audit_record(
        event=Event.PERSONAL_DATA,
        outcome=Outcome.SUCCESS,
        request=request,
        detail=f"ID and phone number of person #{person.pk}",
    )
    return render(request, "people/person_numbers.html", {"person": person})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cadre_profile_edit(request, pk: int):
    person = _get_person(request, pk)
    require(request.user, "people.edit_cadre_profile", person)
    profile = getattr(person, "cadre_profile", None)
    form = CadreProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_profile_update(
                person=person,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The cadre profile was saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/cadre_profile_form.html", {"person": person, "form": form})


# --- changes to the register by hand (people.services; the rules say who) --------------------


def _units_for_new_people(user):
    """The active units a reader may register people in: the county's for its staff, their
    own unit(s) for a secretary."""
    units = Unit.objects.filter(is_active=True).order_by("name_pinyin")
    if may(user, "people.manage_people"):
        return units
    return units.filter(pk__in=user_scope(user).unit_ids)


def _service_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_create(request):
    """Register a person by hand in a unit (staff: any of their county's; a secretary: theirs)."""
    require(request.user, "people.register_person")
    units = _units_for_new_people(request.user)
    unit = request.GET.get("unit")
    if not unit:
        first_two = list(units[:2])
        unit = first_two[0].pk if len(first_two) == 1 else None  # a secretary's one unit
    form = PersonForm(
        request.POST or None, units=units, initial={"since": selectors.today(), "unit": unit}
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        require(request.user, "people.register_person", unit)
        try:
            person = services.person_create(
                unit=unit,
                actor=request.user,
                since=form.cleaned_data["since"],
                **form.person_data(),
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s was registered in %(unit)s.") % {"person": person, "unit": unit},
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_edit(request, pk: int):
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=request.user, **form.person_data())
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("The details were saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_transfer(request, pk: int):
    """组织关系转接 to another unit of the county, from a day; the old membership is kept."""
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    current = selectors.current_unit(person)
    units = Unit.objects.filter(is_active=True).order_by("name_pinyin")
    if current is not None:
        units = units.exclude(pk=current.pk)
    form = TransferForm(request.POST or None, units=units, initial={"on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        to_unit = form.cleaned_data["to_unit"]
        try:
            services.person_transfer(
                person=person,
                to_unit=to_unit,
                on=form.cleaned_data["on"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s now belongs to %(unit)s.") % {"person": person, "unit": to_unit},
            )
            # A secretary who transferred their member out no longer reads them.
            if selectors.people_visible_to(request.user).filter(pk=person.pk).exists():
                return redirect("people:detail", pk=person.pk)
            return redirect("people:register")
    return render(
        request,
        "people/person_action.html",
        {
            "form": form,
            "person": person,
            "title": _("Transfer of party membership"),
            "intro": _(
                "Within the county: the current membership ends on the day and one in the new "
                "unit begins; posts held in the old unit end the same day. A move to another "
                "county is recorded as a leaving (transferred out of the county)."
            ),
            "current": current,
            "form_id": "transfer-form",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_assign(request, pk: int):
    """A post in the person's unit from a day (a unit's previous secretary's post ends then)."""
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    current = selectors.current_unit(person)
    form = PostAssignForm(request.POST or None, initial={"on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        if current is None:
            form.add_error(None, _("%(person)s belongs to no unit.") % {"person": person})
        else:
            try:
                services.post_assign(
                    person=person,
                    unit=current,
                    kind=form.cleaned_data["kind"],
                    on=form.cleaned_data["on"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("The post was recorded."))
                return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_action.html",
        {
            "form": form,
            "person": person,
            "title": _("Record a post"),
            "intro": _(
                "A post in the person's unit. A unit has one secretary: the previous one's post "
                "ends on the day the new one's begins."
            ),
            "current": current,
            "form_id": "post-form",
        },
    )


@login_required
@require_POST
def post_end(request, pk: int, post_pk: int):
    person = _get_person(request, pk)
    require(request.user, "people.change_person", person)
    post = get_object_or_404(Post, pk=post_pk, person=person)
    if post.effective_to is not None:
        return redirect("people:detail", pk=person.pk)  # already ended: a double click
    form = PostEndForm(request.POST)
    if form.is_valid():
        try:
            services.post_end(post=post, on=form.cleaned_data["on"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The post ended."))
    else:
        messages.error(request, " ".join(error_lines(form)))
    return redirect("people:detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_leave(request, pk: int):
    """The person left the register (transferred out of the county, deceased, membership
    ended): kept with the day, erased after the county's retention period."""
    person = _get_person(request, pk)
    require(request.user, "people.record_leaving", person)
    form = LeaveForm(request.POST or None, initial={"on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_leave(
                person=person,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                actor=request.user,
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("%(person)s left the register.") % {"person": person})
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_action.html",
        {
            "form": form,
            "person": person,
            "title": _("Record a leaving"),
            "intro": _(
                "The membership and the posts end on the day; the person stays in the register "
                "(under “Left”) until the county's retention period has passed, then their "
                "personal data is erased."
            ),
            "current": selectors.current_unit(person),
            "form_id": "leave-form",
        },
    )
