from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .mechanisms import mechanisms_of_reader


def mechanisms(request):
    """`reader_mechanisms`: the mechanisms the reader's county runs (the navigation shows
    only those); read when a template asks."""
    return {
        "reader_mechanisms": SimpleLazyObject(
            lambda: sorted(mechanisms_of_reader(getattr(request, "user", None)))
        )
    }
