"""A page of a list and the count of the whole list in one query (issue 20).

Django's `Paginator.get_page` counts the list (`SELECT COUNT(*)`) to validate the page number,
then reads the page: two queries, and the count plans and runs the list's filters a second
time (a filtered register: a third of the page's SQL). `CountedPaginator.get_page` reads the
page first with `COUNT(*) OVER ()` on its rows, the number of rows the list has before its
slice, which is the paginator's count. Only when that page has no rows (a number past the
last page, below 1, or a list with no rows at all) does it count as Django does and answer as
`get_page` does (the last page, or the first, empty): the same page, the same count, the same
`num_pages` and links, for any number it is asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window

# The name of the count that each row of the page carries (an annotation of the queryset).
TOTAL = "paginator_total"


class CountedPaginator(Paginator):
    """`Paginator` of a queryset whose `get_page` reads the count with the page's rows.

    `read(rows)` reads the page from its queryset (sliced, and annotated with `TOTAL`) into a
    list, keeping `TOTAL` on each row (a dict's key, or an attribute of an object): `list` for
    model instances, or e.g. `lambda rows: list(rows.values("pk", "name", TOTAL))`. The page's
    `object_list` is that list. No orphans (the last page is never widened), and an empty
    first page is allowed, as Paginator's defaults are."""

    def __init__(
        self, object_list: QuerySet, per_page: int, *, read: Callable[[QuerySet], list] = list
    ) -> None:
        super().__init__(object_list, per_page)
        self.read = read

    def get_page(self, number: Any) -> Page:
        try:
            asked = self._whole_number(number)
        except PageNotAnInteger:
            asked = 1
        if asked >= 1:
            rows = self._rows(asked)
            if rows:  # the page exists: its rows carry the list's count
                first = rows[0]
                self.count = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
                return self._get_page(rows, asked, self)
        # no row on that page: counted, the number validated as Paginator.get_page does
        try:
            asked = self.validate_number(asked)
        except EmptyPage:
            asked = self.num_pages
        return self._get_page(self._rows(asked) if self.count else [], asked, self)

    def _rows(self, number: int) -> list:
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        return self.read(counted[bottom : bottom + self.per_page])

    def _whole_number(self, number: Any) -> int:
        """The page number as `validate_number` reads it, before comparing it with the number
        of pages: PageNotAnInteger for what is not a whole number."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            return int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
