"""The window's title: the page's own, then what the portal calls itself for the reader."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def with_brand(page_title: str, brand) -> str:
    """`全县概览 · 石泉县机关党建工作平台`; the brand with its mechanisms on a page with no title
    of its own (counties.context_processors.brand)."""
    page_title = (page_title or "").strip()
    if brand is None or not getattr(brand, "name", ""):
        return page_title
    return f"{page_title} · {brand.name}" if page_title else brand.title
