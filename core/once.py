"""Create forms that create once (一次性表单令牌): a double tap, or a phone resending a form on a
weak connection, must not create a second record.

A form that creates something mixes in `OnceFormMixin`: when it is rendered it carries a fresh
random token in a hidden field. The view wraps its service call in `submitted_once(request,
form)`: the first sending claims the token by inserting a `FormSubmission` row (unique token) in
the same transaction as the record it creates, and stores where its result is. A second sending
of the same token waits for the first one's transaction (the unique index), finds the row and
answers with the first one's result; if the first one was refused, its row was rolled back with
it and the second sending is simply tried again. One mechanism for every create form:

    form = ThingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request, form) as once:
                if once.repeated:
                    return once.redirect()
                thing = services.thing_create(...)
                return once.answer(redirect("things:detail", pk=thing.pk))
        except ValidationError as exc:
            form.add_error(None, exc)

A form sent without a token (not rendered by the portal) is handled as before, once per sending.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect as redirect_to
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "once"
# A token older than this is forgotten: its form is resent days later on purpose, not by a
# double tap or a retry.
KEEP = datetime.timedelta(days=7)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class OnceFormMixin:
    """Adds the hidden one-time token to a create form. The token is not part of the form's
    cleaned data (services never see it); it is kept as `form.once_token`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64, initial=new_token
        )
        self.once_token = ""

    def clean(self):
        cleaned = super().clean()
        self.once_token = (cleaned or self.cleaned_data).pop(FIELD, "") or ""
        return cleaned


class Once:
    """The outcome of claiming a form's token: `repeated` when the same form was sent before
    and created what `url` points to."""

    def __init__(self, request, token: str, url: str = ""):
        self.request = request
        self.token = token
        self.url = url
        self.repeated = bool(url)

    def answer(self, response: HttpResponseRedirect) -> HttpResponseRedirect:
        """Record where the first sending's result is (the redirect it answers with)."""
        self.url = response["Location"][:300]
        if self.token:
            FormSubmission.objects.filter(token=self.token).update(result_url=self.url)
        return response

    def redirect(self) -> HttpResponseRedirect:
        """The answer to a repeated sending: the first sending's result."""
        messages.info(self.request, _("This form was already sent: here is what it created."))
        return redirect_to(self.url)


@contextmanager
def submitted_once(request, form) -> Iterator[Once]:
    """Claims the form's token for this sending, inside one transaction with whatever the body
    creates (see the module's docstring). Refuses a token sent before from another form or by
    another person."""
    token = getattr(form, "once_token", "") or ""
    with transaction.atomic():
        if not token:
            yield Once(request, "")
            return
        try:
            with transaction.atomic():
                FormSubmission.objects.create(
                    token=token, user=request.user, path=request.path[:300]
                )
        except IntegrityError:
            # Another sending of this form holds the token: its transaction has committed (the
            # insert waited for it), so its row tells where its result is.
            first = FormSubmission.objects.filter(token=token).first()
            if (
                first is None
                or first.user_id != request.user.pk
                or first.path != request.path[:300]
            ):
                raise ValidationError(
                    _("This form was already used. Reload the page and send it again.")
                ) from None
            yield Once(request, token, first.result_url or request.path)
            return
        FormSubmission.objects.filter(
            user=request.user, created_at__lt=timezone.now() - KEEP
        ).delete()
        yield Once(request, token)
