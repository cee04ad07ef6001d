"""Every form that takes files takes them through one field, core.uploads.MultipleFileField: a bad
file is refused with the same message whichever form it is sent through, and nothing is saved."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.forms import ActivityCreateForm, ActivityEditForm
from activities.models import Activity, Attachment
from core.uploads import MultipleFileField
from supervision import services as supervision_services
from supervision.constants import FindingState
from supervision.forms import EvidenceForm, FindingSubmitForm
from supervision.models import FindingEvidence, SheetEvidence
from tests.activities.factories import form_data

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "audit", "zones", "activities", "supervision", "notifications", "reports", "portal")
REFUSAL = "photo.jpg is not a readable image."


def fake_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("field", ["photos", "sheets"])
def test_a_bad_file_is_refused_by_the_activity_form(client, county, media, field):
    client.force_login(county.secretary)
    response = client.post(
        reverse("activities:create"),
        {**form_data(county), field: [fake_photo()]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert not Activity.objects.exists() and not Attachment.objects.exists()


def test_a_bad_file_is_refused_as_sheet_evidence(client, county, sheet_by_secretary, media):
    client.force_login(county.secretary)
    response = client.post(
        reverse("supervision:sheet_add_evidence", args=[sheet_by_secretary.pk]),
        {"files": [fake_photo()]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert REFUSAL in messages_of(response)
    assert not SheetEvidence.objects.exists()


def test_a_bad_file_is_refused_as_rectification_evidence(client, county, finding, media):
    client.force_login(county.secretary)
    supervision_services.finding_start(finding=finding, by=county.secretary)
    response = client.post(
        reverse("supervision:finding_action", args=[finding.pk, "submit"]),
        {"note": "补齐了会议记录", "files": [fake_photo()]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert REFUSAL in messages_of(response)
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS
    assert not FindingEvidence.objects.exists()


@pytest.mark.parametrize(
    ("form", "names"),
    [
        (ActivityEditForm, ["photos", "sheets"]),
        (ActivityCreateForm, ["photos", "sheets"]),
        (EvidenceForm, ["files"]),
        (FindingSubmitForm, ["files"]),
    ],
)
def test_every_file_field_of_a_form_is_the_one_multiple_file_field(form, names):
    file_fields = [name for name, f in form.base_fields.items() if isinstance(f, forms.FileField)]
    assert file_fields == names
    assert all(type(form.base_fields[name]) is MultipleFileField for name in names)


def test_no_app_writes_its_own_multiple_file_field():
    """A file field or a multiple-file widget is defined only in core/uploads.py."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "core" / "uploads.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    ast.unparse(base).endswith(("FileField", "FileInput", "ImageField"))
                    for base in node.bases
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: class {node.name}")
                if isinstance(node, ast.Name | ast.Attribute) and (
                    getattr(node, "id", None) == "allow_multiple_selected"
                    or getattr(node, "attr", None) == "allow_multiple_selected"
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: allow_multiple_selected")
                if (
                    isinstance(node, ast.Call)
                    and ast.unparse(node.func) in ("forms.FileField", "forms.ImageField")
                    and path.name == "forms.py"
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: {ast.unparse(node.func)}")
    assert offenders == []
