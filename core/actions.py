"""What a view does with a POST that runs a service: a refusal (the service's ValidationError,
or the form's errors) becomes the page's error message and changes nothing; success, the given
message. One shape for every action page, so a view stays its few lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_errors(form) -> str:
    """A form's errors as one message."""
    return " ".join(m for ms in form.errors.values() for m in ms)


def act(request, run: Callable[[], Any], done: str | Callable[[Any], str]) -> bool:
    """Run `run()`; on a ValidationError show its messages, else `done` (or `done(result)`).
    Whether it was done."""
    try:
        result = run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True


def act_on_form(request, form, run: Callable[[dict], Any], done: str) -> bool:
    """`act` for a bound form: its errors first, then `run(form.cleaned_data)`."""
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return False
    return act(request, lambda: run(form.cleaned_data), done)
