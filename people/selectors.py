"""Reads of the member register, scoped to the reader.

Public API (the Excel import and export, and the mechanisms that count people):

- `people_visible_to(user)`: the people whose entries `user` may read — county staff and
  leaders their county's, a unit secretary their unit's current members, city staff every
  county's (read only), nobody else anyone. A person outside it is a 404.
- `current_unit(person)`: the unit a person belongs to today (None after leaving).
- `find_by_id_number(number)`: the person with this ID number, by its keyed digest (the number
  is never searched in plain, nor in part), or None.
- `unit_members(unit, day)`, `unit_secretary(unit, day)`: a unit's members and its secretary
  (Post 书记) on a day.
- `register_rows(people, …filters)`, `register_lines(rows)` (a page of them, formatted once),
  `register_page(rows, number)` (the page of lines, counted with its rows),
  `person_history(person)`, `unit_register(unit)` (or `unit_register_columns()` on the unit's
  query and `unit_register_of(unit)`): the register's page, a person's page, and what a unit's
  page shows from the register.
- `person_match(query)`: the one search of people: by name or pinyin initials, never by an ID
  or phone number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Page
from django.db.models import Count, DateField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone

from core.cache import county_in_scope, reader_cached
from core.display import choice_labels, label_of, pk_url
from core.pagination import TOTAL, CountedPaginator
from core.pinyin import clean_query, initials_pattern
from counties.selectors import reads_every_county
from zones.models import Membership as ZoneMembership
from zones.models import Unit, in_force_on
from zones.selectors import user_scope

from . import crypto
from .constants import PostKind, Strength
from .idnumber import normalize
from .masking import mask_phone
from .models import CadreProfile, Membership, Person, Post, PracticalMatter


def today() -> datetime.date:
    return timezone.localdate()


def people_visible_to(user) -> QuerySet[Person]:
    """People `user` may read (see the module docstring). Left people stay visible to their
    county's committee; a secretary sees only who is in their unit today."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    if reads_every_county(user):
        return Person.objects.all()
    if user.is_committee:
        if user.county_id is None:
            return Person.objects.none()
        return Person.objects.filter(county_id=user.county_id)
    unit_ids = user_scope(user).unit_ids
    if not unit_ids:
        return Person.objects.none()
    return Person.objects.filter(
        pk__in=Membership.objects.filter(in_force_on(today()), unit_id__in=unit_ids).values(
            "person_id"
        )
    )


def membership_on(person: Person, day: datetime.date | None = None) -> Membership | None:
    return (
        Membership.objects.filter(in_force_on(day or today()), person=person)
        .select_related("unit")
        .first()
    )


def current_unit(person: Person) -> Unit | None:
    """The person's unit today, or None (left, or not yet in a unit)."""
    membership = membership_on(person)
    return membership.unit if membership is not None else None


def find_by_id_number(number: str) -> Person | None:
    """The person whose ID number is exactly `number` (normalized), or None: among the people
    of the active county scope (a number is unique per county)."""
    text = normalize(number)
    if not text:
        return None
    return Person.objects.filter(id_number_digest=crypto.digest(text)).first()


def unit_members(unit: Unit, day: datetime.date | None = None) -> QuerySet[Person]:
    return Person.objects.filter(
        in_force_on(day or today(), "memberships__"), memberships__unit=unit
    ).distinct()


def secretary_posts(unit: Unit | OuterRef, day: datetime.date | None = None) -> QuerySet[Post]:
    """The unit's secretary post (书记) in force on a day, with its person (`unit` an OuterRef
    in a subquery of units)."""
    return Post.objects.filter(
        in_force_on(day or today()), unit=cast(Any, unit), kind=PostKind.SECRETARY
    ).select_related("person")


def unit_secretary(unit: Unit, day: datetime.date | None = None) -> Person | None:
    post = secretary_posts(unit, day).first()
    return post.person if post is not None else None


def person_match(query: str) -> Q:
    """People whose name holds the query, or whose pinyin initials hold it as a subsequence, or
    whose full pinyin holds it. Digits never match an ID or a phone number: neither is
    searchable (the search box is no way to test whether a number is registered)."""
    query = clean_query(query)
    if not query:
        return Q()
    text = Q(name__icontains=query)
    subsequence = initials_pattern(query)
    if subsequence and not any(ch.isdigit() for ch in query):
        text |= Q(name_initials__regex=subsequence) | Q(
            name_pinyin__contains=subsequence.replace(".*", "")
        )
    return text


def register_rows(
    people: QuerySet[Person],
    *,
    unit: Unit | None = None,
    zone=None,
    post: str = "",
    category: str = "",
    available: bool | None = None,
    query: str = "",
    day: datetime.date | None = None,
) -> QuerySet[Person]:
    """The register's rows among `people` (people_visible_to), filtered, each annotated with
    its unit and zone on `day` and with its open posts prefetched: one query for the page and
    one for the posts, however many people (the page's count is pinned)."""
    day = day or today()
    membership = Membership.objects.filter(in_force_on(day), person=OuterRef("pk"))
    unit_zone = ZoneMembership.objects.filter(in_force_on(day), unit=OuterRef("unit_id_on"))
    rows = people.annotate(
        unit_id_on=Subquery(membership.values("unit_id")[:1]),
        unit_name_on=Subquery(membership.values("unit__name")[:1]),
    ).annotate(
        zone_id_on=Subquery(unit_zone.values("zone_id")[:1]),
        zone_name_on=Subquery(unit_zone.values("zone__name")[:1]),
    )
    if unit is not None:
        rows = rows.filter(unit_id_on=unit.pk)
    if zone is not None:
        rows = rows.filter(zone_id_on=zone.pk)
    if post:
        rows = rows.filter(
            pk__in=Post.objects.filter(in_force_on(day), kind=post).values("person_id")
        )
    if category:
        rows = rows.filter(category=category)
    if available is not None:
        rows = (
            rows.filter(cadre_profile__available=True)
            if available
            else rows.exclude(cadre_profile__available=True)
        )
    if query:
        rows = rows.filter(person_match(query))
    # Only the columns register_lines reads (issue 20: the person's and the cadre profile's
    # whole rows, and each open post's unit, cost Django more to build than the rows cost).
    # The day rides with the rows, so that register_lines reads the posts of the same day as
    # the units and zones (a page of rows is sliced and cloned, and keeps its annotations).
    return (
        rows.annotate(register_day=Value(day, output_field=DateField()))
        .select_related("cadre_profile")
        .only(*REGISTER_LINE_COLUMNS, "cadre_profile__available")
        .prefetch_related(
            Prefetch(
                "posts", queryset=open_posts(day).only("person_id", "kind"), to_attr="open_posts"
            )
        )
        .order_by("name_pinyin", "pk")
    )


def open_posts(day: datetime.date) -> QuerySet[Post]:
    """The posts in force on `day`, by kind: a register line's posts, in that order."""
    return Post.objects.filter(in_force_on(day)).order_by("kind")


# The person's columns a register line prints (register_lines).
REGISTER_LINE_COLUMNS = ("name", "mobile", "category", "left_on", "leaving_reason")


@dataclass(frozen=True)
class RegisterLine:
    """A row of the register's table, formatted once: its links, names and the masked phone
    number (people.masking, as everywhere but the audited page)."""

    url: str
    name: str
    unit_url: str  # "" when the person is in no unit on the day
    unit_name: str
    zone_name: str
    posts: str  # the open posts' names, joined with 、 ("" for none)
    category: str
    mobile: str  # masked
    available: bool  # in the service team pool (cadre profile)
    left_on: datetime.date | None
    leaving_reason: str


def register_options(user, units: QuerySet[Unit], zones: QuerySet) -> tuple[list, list]:
    """The register filter's options, `units`' and `zones`' (pk, name) rows in their order
    (the reader's, units_visible_to and zones_visible_to): cached per reader, day and county in
    scope under the reader version (core.cache.reader_cached), which a unit's or a zone's save
    moves as a post's does (portal/apps.py): two queries of every register page (issue 20)."""

    def read() -> tuple[list, list]:
        return list(units.values_list("pk", "name")), list(zones.values_list("pk", "name"))

    return reader_cached("register-options", user, read, today().isoformat(), county_in_scope())


def register_lines(rows: QuerySet[Person]) -> list[RegisterLine]:
    """The register's table lines of `rows` (register_rows, a page of them), read as plain
    values: the person's printed columns, the unit and zone annotations and the cadre profile's
    flag in one query, the open posts on the rows' day (register_rows' `day`) in one more
    (register_rows' prefetch, without a model instance per person, profile and post: issue 20,
    Django built them for a line of text each)."""
    return _lines_of(_line_values(rows))


# People a page of the register lists.
REGISTER_PAGE_SIZE = 50


def register_page(rows: QuerySet[Person], number) -> Page:
    """Page `number` of the register's lines of `rows` (register_rows), as
    `Paginator(rows, REGISTER_PAGE_SIZE).get_page(number)` with its rows as `register_lines`:
    the lines' values and the count of all `rows` in one query (core.pagination), the open
    posts in one more. The count was a query of its own, planning and running the filters
    again (issue 20)."""
    page = CountedPaginator(
        rows, REGISTER_PAGE_SIZE, read=lambda counted: _line_values(counted, TOTAL)
    ).get_page(number)
    page.object_list = _lines_of(cast(list[dict], page.object_list))
    return page


def _line_values(rows: QuerySet[Person], *also: str) -> list[dict]:
    """What a register line prints of each of `rows` (and the values `also` named)."""
    return list(
        rows.prefetch_related(None).values(
            "pk",
            *REGISTER_LINE_COLUMNS,
            "unit_id_on",
            "unit_name_on",
            "zone_name_on",
            "cadre_profile__available",
            "register_day",
            *also,
        )
    )


def _lines_of(people: list[dict]) -> list[RegisterLine]:
    """The lines of `people` (`_line_values`), with their open posts on their day (one query):
    the day register_rows annotated their units and zones with."""
    person_url, unit_url = pk_url("people:detail"), pk_url("unit_detail")
    categories = choice_labels(Person, "category")
    reasons = choice_labels(Person, "leaving_reason")
    kinds = choice_labels(Post, "kind")
    posts: dict[int, list[str]] = {}
    if people:
        for person_id, kind in (
            open_posts(people[0]["register_day"])
            .filter(person_id__in=[p["pk"] for p in people])
            .values_list("person_id", "kind")
        ):
            posts.setdefault(person_id, []).append(label_of(kinds, kind))
    return [
        RegisterLine(
            url=person_url(p["pk"]),
            name=p["name"],
            unit_url=unit_url(p["unit_id_on"]) if p["unit_id_on"] else "",
            unit_name=p["unit_name_on"] or "",
            zone_name=p["zone_name_on"] or "",
            posts="、".join(posts.get(p["pk"], ())),
            category=label_of(categories, p["category"]),
            mobile=mask_phone(p["mobile"]),
            available=bool(p["cadre_profile__available"]),
            left_on=p["left_on"],
            leaving_reason=label_of(reasons, p["leaving_reason"]),
        )
        for p in people
    ]


def person_history(person: Person) -> dict:
    """A person's page: their units and posts over time (newest first) and cadre profile."""
    profile = CadreProfile.objects.filter(person=person).first()
    labels = dict(Strength.choices)
    return {
        "memberships": list(
            person.memberships.select_related("unit").order_by("-effective_from", "-pk")
        ),
        "posts": list(person.posts.select_related("unit").order_by("-effective_from", "-pk")),
        "profile": profile,
        "matters": person_matters(person),
        "profile_strengths": "、".join(
            str(labels[s]) for s in (profile.strengths if profile else []) if s in labels
        ),
    }


def person_matters(person: Person, *, limit: int = 50) -> list[PracticalMatter]:
    """The person's record of service (服务记录), newest first: each small practical matter
    with the mechanism it was logged through and whether it is confirmed. One query."""
    return list(PracticalMatter.objects.filter(person=person).order_by("-done_on", "-pk")[:limit])


def counted_matters() -> QuerySet[PracticalMatter]:
    """The records of service that count (confirmed, by any route): every mechanism's figure
    counts these, each by its own rule of whom it credits."""
    return PracticalMatter.objects.filter(confirmed_at__isnull=False)


def unit_register(unit: Unit, day: datetime.date | None = None) -> dict:
    """What a unit's page shows from the register: its secretary (Post 书记 in force) and the
    number of its members, both None when the register holds nobody of the unit."""
    day = day or today()
    count = Membership.objects.filter(in_force_on(day), unit=unit).count()
    # The secretary's name and link only (the page prints no other of the person's columns).
    post = secretary_posts(unit, day).only("person__name").first()
    return {
        "register_secretary": post.person if post is not None else None,
        "register_member_count": count or None,
    }


def unit_register_columns(day: datetime.date | None = None) -> dict[str, Subquery]:
    """unit_register's figures as annotations of a query of units (each unit its own
    `OuterRef("pk")`), for the unit page to read them with the unit instead of in two more
    queries (issue 20); `unit_register_of` reads them back."""
    day = day or today()
    members = (
        Membership.objects.filter(in_force_on(day), unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # unit_register's `.first()`: the first by the posts' own ordering.
    post = secretary_posts(OuterRef("pk"), day).order_by(*cast(list[str], Post._meta.ordering))
    return {
        "register_member_count": Subquery(members),
        "register_secretary_id": Subquery(post.values("person_id")[:1]),
        "register_secretary_name": Subquery(post.values("person__name")[:1]),
    }


def unit_register_of(unit: Any) -> dict:
    """unit_register's answer for a unit read with unit_register_columns (annotations the
    type stubs cannot see, hence Any): the secretary as a person with their key and name."""
    secretary_id = unit.register_secretary_id
    return {
        "register_secretary": (
            None
            if secretary_id is None
            else Person(pk=secretary_id, name=unit.register_secretary_name)
        ),
        "register_member_count": unit.register_member_count or None,
    }
