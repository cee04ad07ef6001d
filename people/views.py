"""The register's pages: the list (filtered, paginated), a person's page, the audited look at
the full ID and phone number, and the cadre profile's edit. Thin: reads through
people.selectors (404 outside the reader's scope), rules through core.access (403), writes
through people.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.constants import Event, Outcome
from audit.services import audit_record
from core.access import get_visible_or_404, may, require, require_page
from zones.selectors import units_visible_to, zones_visible_to

from . import selectors, services
from .forms import CadreProfileForm, RegisterFilterForm
from .models import Person

PAGE_SIZE = 50


def _get_person(request, pk: int) -> Person:
    return get_visible_or_404(selectors.people_visible_to(request.user), request, pk=pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def register(request):
    """The register: county staff and leaders their county's people, a secretary their unit's,
    city staff every county's; 404 for anyone else."""
    require_page(request.user, "people.read_register")
    form = RegisterFilterForm(
        request.GET or None,
        units=units_visible_to(request.user).order_by("name_pinyin"),
        zones=zones_visible_to(request.user).order_by("number"),
    )
    rows = selectors.register_rows(
        selectors.people_visible_to(request.user).filter(left_on__isnull=True),
        **(form.filters() if form.is_bound else {}),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/register.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def person_detail(request, pk: int):
    person = _get_person(request, pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            **selectors.person_history(person),
            "may_see_numbers": may(request.user, "people.see_personal_numbers", person),
            "may_edit_profile": may(request.user, "people.edit_cadre_profile", person),
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
