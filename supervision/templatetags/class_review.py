"""`{% class_review_rows %}`: the class review's rows with their forms, written in Python
(`supervision.selectors.class_review_rows_html`) from the page's context, its CSRF token the
one `{% csrf_token %}` prints elsewhere on the page (issue 20)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from supervision.selectors import class_review_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def class_review_rows(context) -> SafeString:
    return class_review_rows_html(
        context["rows"],
        csrf_token=str(context.get("csrf_token") or ""),
        year=context["year"],
        half=context["half"],
        page_number=context["page"].number,
        day=context["today"],
    )
