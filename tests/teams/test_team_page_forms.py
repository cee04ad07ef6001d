"""Issue 20, the team page cold (third pass): the assign form's select of every active unit
and the contact form's selects are FastSelects (core.widgets), written in Python. The forms
crispy draws on the page must be the markup they had with Django's own Select, unbound as the
page shows them and bound with bad input; the assign select offers every active unit of the
county in the units' order, although the page reads their names only (in one query, no cursor)."""

from __future__ import annotations

import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.filter_fields import crispy_form_html
from core.widgets import FastSelect
from teams.forms import AssignForm, ContactForm
from tests.teams.conftest import TODAY
from zones.models import Unit


def same_html(html) -> str:
    """The markup modulo whitespace and the form's one-time token (new at each drawing)."""
    html = re.sub(r'(name="once" value=")[^"]*"', r'\1"', str(html))
    html = re.sub(r">\s+<", "><", html.strip())
    html = re.sub(r"\s+", " ", html)
    return re.sub(r">\s+|\s+<", lambda m: m.group().strip(), html)


def _with_djangos_select(form: forms.Form) -> forms.Form:
    """`form` with each FastSelect replaced by Django's Select of the same choices (and the
    attributes declared: crispy writes its classes into a drawn widget's)."""
    swapped = 0
    for name, field in form.fields.items():
        if isinstance(field.widget, FastSelect):
            attrs = dict(form.base_fields[name].widget.attrs)
            field.widget = forms.Select(attrs=attrs, choices=field.widget.choices)
            swapped += 1
    assert swapped
    form._bound_fields_cache.clear()
    return form


def _drawn_both_ways(make) -> tuple[str, str]:
    fast = same_html(as_crispy_form(make()))
    django = same_html(as_crispy_form(_with_djangos_select(make())))
    return fast, django


def _page(client, user, team):
    client.force_login(user)
    response = client.get(reverse("teams:team_detail", args=[team.pk]))
    assert response.status_code == 200
    return response


def test_the_team_pages_forms_are_drawn_as_with_djangos_select(client, county, teams):
    response = _page(client, county.staff, teams.team_a)
    page = same_html(response.content.decode())
    for name in ("assign_form", "contact_form"):
        shown = response.context[name]
        fast = same_html(as_crispy_form(shown))
        assert fast in page, name
        assert 'class="select form-select"' in fast, name
        assert fast == same_html(as_crispy_form(_with_djangos_select(shown))), name


def test_the_assign_select_offers_every_active_unit_by_name(client, county, teams):
    form = _page(client, county.staff, teams.team_a).context["assign_form"]
    active = Unit.objects.filter(is_active=True)
    expected = [("", "---------"), *((u.pk, str(u)) for u in active)]
    assert [(str(v), str(label)) for v, label in form.fields["unit"].choices] == [
        (str(v), label) for v, label in expected
    ]
    assert len(expected) > 3


def test_the_assign_select_reads_the_units_names_only(client, county, teams):
    """In the page's statement of its lists (teams.page): no query of their own."""
    client.force_login(county.staff)
    url = reverse("teams:team_detail", args=[teams.team_a.pk])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert not [q for q in ctx.captured_queries if 'FROM "zones_unit"' in q["sql"]]
    (lists,) = [q["sql"] for q in ctx.captured_queries if "FROM zones_unit u WHERE" in q["sql"]]
    (units,) = [part for part in lists.split(" UNION ALL ") if "FROM zones_unit u WHERE" in part]
    columns = re.findall(r"\bu\.(\w+)", units.split(" FROM ")[0])
    assert sorted(set(columns)) == ["id", "name", "name_pinyin"]  # the name's order


def test_the_forms_with_bad_input_are_drawn_as_with_djangos_select(county, teams):
    units = Unit.objects.filter(is_active=True)
    chosen = str(units.first().pk)

    def assign(data):
        return lambda: AssignForm(data, units=units, day=TODAY)

    def contact(data):
        guided = units.filter(pk__in=[u.pk for u in units[:3]])  # as a posted form's
        return lambda: ContactForm(data, units=guided, initial={"contacted_on": TODAY})

    for make in (
        assign({"unit": "0", "on": "not a day"}),
        assign({"unit": chosen, "on": "2026-11-28"}),
        assign({}),
        contact({"unit": "0", "way": "smoke", "contacted_on": ""}),
        contact({"unit": chosen, "way": "phone", "contacted_on": "2026-11-28", "what": "x"}),
    ):
        fast, django = _drawn_both_ways(lambda make=make: _bound(make))
        assert fast == django
        assert same_html(crispy_form_html(_bound(make))) == fast  # as the page draws them


def test_the_page_draws_its_forms_as_crispy_without_crispys_templates(county, teams):
    """The team page draws its contact and assign forms in Python (core.filter_fields): the
    markup crispy draws, unbound as on the page, bound and with errors; a form with a field
    not written there is crispy's own drawing."""
    units = list(Unit.objects.filter(is_active=True))
    for form in (
        AssignForm(units=units, day=TODAY),
        ContactForm(units=units[:3], initial={"contacted_on": TODAY}),
    ):
        drawn = same_html(crispy_form_html(form))
        assert drawn == same_html(as_crispy_form(form))
        assert 'class="dateinput form-control"' in drawn

    class Other(forms.Form):
        n = forms.IntegerField()

    assert same_html(crispy_form_html(Other())) == same_html(as_crispy_form(Other()))


def _bound(make) -> forms.Form:
    form = make()
    form.is_valid()  # the errors drawn beside the fields
    return form
