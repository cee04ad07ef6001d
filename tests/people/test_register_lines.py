"""The register's page on a cold cache (issue 20): its rows formatted once in the selector
(people.selectors.register_lines) — the same links, names, posts and masked phone numbers the
template drew from each person — its queries the same at any size, and its order read from
the (county, name_pinyin, id) index."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.pages import QUERY_BUDGET
from core.display import pk_url
from people import selectors, services
from people.constants import Category, LeavingReason, PostKind
from people.masking import mask_phone
from people.models import Person
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db


def _people(county, n: int, *, first: int = 0):
    for i in range(first, first + n):
        person = person_in(
            county.member_unit if i % 2 else county.other_unit,
            name=f"成员{i}",
            mobile=f"1380000{i:04d}" if i % 3 else "",
            category=Category.PROBATIONARY if i % 4 == 0 else Category.FULL,
        )
        if i % 3 == 0:  # the first one with two posts (a unit has one secretary at most)
            for kind in (PostKind.ORGANIZATION, PostKind.PUBLICITY)[: 2 if i == 0 else 1]:
                services.post_assign(
                    person=person,
                    unit=county.member_unit if i % 2 else county.other_unit,
                    kind=kind,
                    on=datetime.date(2025, 2, 1),
                    actor=None,
                )
        if i % 5 == 0:
            services.cadre_profile_update(person=person, actor=None, available=bool(i % 2))


def test_each_line_is_what_the_template_drew_from_its_person(county):
    _people(county, 9)
    # The lines are read as plain values; the rows are register_rows' people, the definition.
    rows = list(selectors.register_rows(Person.objects.all()))
    lines = selectors.register_lines(selectors.register_rows(Person.objects.all()))
    assert len(lines) == len(rows) == 9
    for person, line in zip(rows, lines, strict=True):
        assert line.url == reverse("people:detail", args=[person.pk])
        assert line.name == person.name
        assert line.unit_url == reverse("unit_detail", args=[person.unit_id_on])
        assert line.unit_name == person.unit_name_on
        assert line.zone_name == (person.zone_name_on or "")
        assert line.posts == "、".join(str(p.get_kind_display()) for p in person.open_posts)
        assert line.category == person.get_category_display()
        assert line.mobile == mask_phone(person.mobile)
        assert "*" in line.mobile or not person.mobile
        profile = getattr(person, "cadre_profile", None)
        assert line.available == bool(profile and profile.available)
        assert line.left_on == person.left_on
        assert line.leaving_reason == person.get_leaving_reason_display()
    assert any(line.posts.count("、") == 1 for line in lines)  # two posts, joined
    assert any(line.available for line in lines)
    assert any(line.zone_name for line in lines) and any(line.unit_url for line in lines)


def test_a_left_persons_line_and_a_pages_slice(county):
    """A left person's date and reason, and a page's slice read as the rows of that slice."""
    _people(county, 7)
    left = Person.objects.order_by("pk").first()
    day = selectors.today()
    services.person_leave(person=left, on=day, reason=LeavingReason.TRANSFERRED_OUT, actor=None)
    rows = list(selectors.register_rows(Person.objects.all()))
    lines = selectors.register_lines(selectors.register_rows(Person.objects.all())[2:5])
    assert [line.name for line in lines] == [person.name for person in rows[2:5]]
    (gone,) = [
        line
        for line in selectors.register_lines(selectors.register_rows(Person.objects.all()))
        if line.left_on
    ]
    assert gone.name == left.name and gone.left_on == day
    assert gone.leaving_reason == str(LeavingReason.TRANSFERRED_OUT.label)
    assert selectors.register_lines(selectors.register_rows(Person.objects.none())) == []


@pytest.mark.parametrize("pk", [1, 7, 10, 100, 2030, 90001])
def test_a_rows_link_is_the_reversed_url(pk):
    for name in ("people:detail", "unit_detail"):
        assert pk_url(name)(pk) == reverse(name, args=[pk])


def _register_queries(client, user, **params) -> int:
    client.force_login(user)
    client.get(reverse("people:register"), params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("people:register"), params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("persona", "params"),
    [
        ("staff", {}),
        ("staff", {"post": "secretary", "q": "c"}),
        ("secretary", {}),
        ("staff", {"page": "2"}),
    ],
)
def test_the_register_costs_the_same_queries_at_any_size(client, county, persona, params):
    user = getattr(county, persona)
    _people(county, 3 if "page" not in params else 53)
    small = _register_queries(client, user, **params)
    _people(county, 52, first=60)  # more than a page
    # the session, the user, the page's lines with the count of the register's rows (issue
    # 20: the count was a query of its own), their open posts, the unread count
    assert _register_queries(client, user, **params) == small == 5 <= QUERY_BUDGET


def test_the_register_is_read_in_order_within_a_county():
    assert any(index.fields == ["county", "name_pinyin", "id"] for index in Person._meta.indexes)


def test_the_filters_unit_and_zone_options_are_djangos(county):
    """The register's unit and zone options (people.forms.NameChoiceIterator, two plain values
    per option) are the keys and labels Django's ModelChoiceField gives, in the same order."""
    from django import forms

    from people.forms import RegisterFilterForm
    from zones.models import Unit, Zone

    units = Unit.objects.only("name").order_by("name_pinyin")
    zones = Zone.objects.only("name").order_by("number")
    form = RegisterFilterForm({"unit": str(county.member_unit.pk)}, units=units, zones=zones)
    for name, queryset in (("unit", units), ("zone", zones)):
        django_field = forms.ModelChoiceField(queryset=queryset, required=False)
        expected = [(str(value), str(label)) for value, label in django_field.choices]
        got = [(str(value), str(label)) for value, label in form.fields[name].choices]
        assert got == expected and len(got) > 2
    assert form.is_valid() and form.filters()["unit"] == county.member_unit
    html = str(form["unit"])
    assert f'<option value="{county.member_unit.pk}" selected>{county.member_unit.name}' in html


def test_the_lines_posts_are_of_the_rows_day(county):
    """register_rows' `day` rides with its rows: the lines' posts are those in force on the day
    whose units and zones the rows were annotated with, not today's."""
    person = person_in(county.member_unit, name="成员甲", since=datetime.date(2025, 1, 1))
    services.post_assign(
        person=person,
        unit=county.member_unit,
        kind=PostKind.ORGANIZATION,
        on=datetime.date(2025, 2, 1),
        actor=None,
    )
    before = selectors.register_rows(Person.objects.all(), day=datetime.date(2025, 1, 15))
    [line] = selectors.register_lines(before)
    assert (line.unit_name, line.posts) == (county.member_unit.name, "")
    [line] = selectors.register_lines(selectors.register_rows(Person.objects.all()))
    assert line.posts == PostKind.ORGANIZATION.label
