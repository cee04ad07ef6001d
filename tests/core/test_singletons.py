"""Settings rows of which there is one in the deployment (the security policy) have one shape,
core.models.Singleton, and one admin, core.admin.SingletonAdmin: each loads its defaults while
none is saved, a second row cannot be created, a row cannot be deleted, and the admin opens the
one row's change form directly. (The reminder settings and the class review thresholds are each
county's own since issue 15: tests/counties/test_county_settings.py.)"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import SecurityPolicy
from accounts.sites import security_site
from core.admin import SingletonAdmin
from core.models import Singleton

SINGLETONS = [
    pytest.param(SecurityPolicy, security_site, "security", id="security policy"),
]


def test_every_settings_row_is_a_singleton():
    found = {m for m in apps.get_models() if issubclass(m, Singleton)}
    assert found == {SecurityPolicy}


@pytest.mark.parametrize(("model", "site", "who"), SINGLETONS)
def test_an_empty_table_loads_the_defaults_without_writing(db, model, site, who):
    model.objects.all().delete()  # the migrations save the class review thresholds' defaults
    row = model.load()
    assert row.pk == 1 and row._state.adding
    for field in model._meta.concrete_fields:
        if field.has_default():
            assert getattr(row, field.attname) == field.get_default(), field.name
    assert not model.objects.exists()


@pytest.mark.parametrize(("model", "site", "who"), SINGLETONS)
def test_a_second_row_cannot_be_created(db, model, site, who):
    model.load().save()
    model().save()  # an unsaved copy saves over the one row
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create()
    assert list(model.objects.values_list("pk", flat=True)) == [1]


@pytest.mark.parametrize(("model", "site", "who"), SINGLETONS)
def test_the_row_cannot_be_deleted(db, model, site, who):
    row = model.load()
    row.save()
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be deleted"):
        row.delete()
    assert model.objects.filter(pk=1).exists()


@pytest.mark.parametrize(("model", "site", "who"), SINGLETONS)
def test_the_admin_shows_the_change_form_directly(client, county, administrators, model, site, who):
    model_admin = site._registry[model]
    assert isinstance(model_admin, SingletonAdmin)
    client.force_login(administrators.security if who == "security" else county.staff)
    prefix = f"{site.name}:{model._meta.app_label}_{model._meta.model_name}"
    opened = client.get(reverse(f"{prefix}_changelist"))
    change = reverse(f"{prefix}_change", args=[1])
    assert opened.status_code == 302 and opened["Location"] == change
    page = client.get(change)
    assert page.status_code == 200 and "adminform" in page.context
    assert not model_admin.has_add_permission(page.wsgi_request)
    assert not model_admin.has_delete_permission(page.wsgi_request, model.load())
    assert client.get(reverse(f"{prefix}_add")).status_code == 403
