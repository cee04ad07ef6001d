"""core.forms.error_lines: a refused form's errors as page messages, each field's after its
label, so that three "This field is required." are told apart."""

from django import forms
from django.utils import translation

from core.forms import error_lines


class _Form(forms.Form):
    day = forms.DateField(label="Day")
    what = forms.CharField(label="What about")

    def clean(self):
        raise forms.ValidationError("Nothing fits.")


def test_each_field_error_after_its_label_and_the_forms_own_as_it_is():
    with translation.override("en"):
        form = _Form({"day": "not a day"})
        assert not form.is_valid()
        assert error_lines(form) == [
            "Day: Enter a valid date.",
            "What about: This field is required.",
            "Nothing fits.",
        ]


def test_in_chinese_the_labels_colon_is_full_width():
    with translation.override("zh-hans"):
        form = _Form({})
        assert not form.is_valid()
        lines = error_lines(form)
    assert lines[0].startswith("Day：") and lines[1].startswith("What about：")
    assert lines[2] == "Nothing fits."
