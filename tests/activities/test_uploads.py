"""Photos and sign-in sheets: judged by content, size-limited, re-encoded without EXIF, and
served only to those who may see the activity."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities.models import Activity, Attachment
from tests.activities.factories import (
    jpeg_bytes,
    make_activity,
    photo,
    png_bytes,
    post_activity,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_renamed_executable_is_refused(client, county):
    fake = SimpleUploadedFile("photo.jpg", b"\x7fELF\x02\x01\x01" + b"\0" * 200, "image/jpeg")
    response = post_activity(client, county, photos=[photo("ok.jpg"), fake])
    assert response.status_code == 200
    assert "photo.jpg is not a readable image" in response.content.decode()
    assert not Activity.objects.exists() and not Attachment.objects.exists()


def test_an_oversize_file_is_refused_with_a_clear_message(client, county, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    big = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    assert big.size > 2000
    response = post_activity(client, county, photos=[big])
    page = response.content.decode()
    assert "big.jpg is" in page and "files may be at most" in page
    assert not Activity.objects.exists()


def test_a_pdf_is_not_a_photo_but_is_a_sign_in_sheet(client, county):
    response = post_activity(
        client, county, photos=[SimpleUploadedFile("sheet.pdf", PDF, "application/pdf")]
    )
    assert response.status_code == 200 and "must be a photo" in response.content.decode()
    response = post_activity(
        client, county, sheets=[SimpleUploadedFile("签到表.pdf", PDF, "application/pdf")]
    )
    assert response.status_code == 302
    sheet = Attachment.objects.get()
    assert (sheet.kind, sheet.mime, sheet.original_name) == (
        "sheet",
        "application/pdf",
        "签到表.pdf",
    )


def test_an_accepted_photo_has_lost_its_exif(client, county):
    original = jpeg_bytes(with_gps=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the phone's photo has GPS and make
    post_activity(client, county, photos=[SimpleUploadedFile("gps.jpg", original, "image/jpeg")])
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


def test_photos_are_stored_under_media_root_not_under_their_names(client, county, settings):
    post_activity(client, county, photos=[SimpleUploadedFile("x.png", png_bytes(), "image/png")])
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("activities/2026/")
    assert "x.png" not in attachment.file.name
    assert str(settings.MEDIA_ROOT) in attachment.file.path


@pytest.mark.parametrize(
    "persona, status",
    [
        ("secretary", 200),
        ("lead_secretary", 200),
        ("staff", 200),
        ("other_secretary", 404),
        ("outsider", 404),
    ],
)
def test_who_may_see_a_photo(client, county, persona, status):
    activity = make_activity(unit=county.member_unit, by=county.secretary, photos=1)
    attachment = activity.attachments.get()
    client.force_login(getattr(county, persona))
    response = client.get(reverse("activities:attachment", args=[activity.pk, attachment.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_a_photo_is_found_only_under_its_own_activity(client, county):
    mine = make_activity(unit=county.member_unit, by=county.secretary)
    theirs = make_activity(unit=county.other_unit, by=county.other_secretary, photos=1)
    client.force_login(county.secretary)
    url = reverse("activities:attachment", args=[mine.pk, theirs.attachments.get().pk])
    assert client.get(url).status_code == 404


def test_uploads_are_not_public_media(client, county):
    activity = make_activity(unit=county.member_unit, by=county.secretary, photos=1)
    name = activity.attachments.get().file.name
    client.force_login(county.staff)
    assert client.get(f"/media-not-public/{name}").status_code == 404
    assert client.get(f"/media/{name}").status_code == 404
