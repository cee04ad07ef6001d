"""core.actions: a service's refusal or a form's errors become the page's error message and
nothing is done; success says the given message."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.actions import act, act_on_form


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class _Form(forms.Form):
    days = forms.IntegerField(min_value=1, error_messages={"min_value": "至少1天。"})


def test_a_refusal_is_the_message_and_success_says_so():
    request = _request()
    done = []

    def refuse():
        raise ValidationError("不能重复报名。")

    assert act(request, refuse, "已报名。") is False
    assert act(request, lambda: done.append(1) or 3, lambda n: f"完成{n}项。") is True
    assert [str(m) for m in get_messages(request)] == ["不能重复报名。", "完成3项。"]
    assert done == [1]


def test_a_form_with_errors_never_runs_the_service():
    request = _request()
    ran = []
    assert act_on_form(request, _Form({"days": 0}), ran.append, "好") is False
    assert ran == [] and [str(m) for m in get_messages(request)] == ["至少1天。"]
    assert act_on_form(_request(), _Form({"days": 2}), ran.append, "好") is True
    assert ran == [{"days": 2}]
