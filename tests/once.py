"""Helpers for the one-time form token (core.once): read the token a rendered form carries."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="once" value="([^"]+)"')


def token_in(response) -> str:
    """The one-time token of the (first) create form on a rendered page."""
    match = TOKEN.search(response.content.decode())
    assert match, "the page's create form carries no one-time token"
    return match.group(1)


def tokens_in(response) -> list[str]:
    """Every one-time token on a rendered page, in the order of its forms."""
    return TOKEN.findall(response.content.decode())
