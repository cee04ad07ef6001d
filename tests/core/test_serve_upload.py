"""Uploads are handed out by the portal itself, or by nginx (X-Accel-Redirect) once the portal
has checked who asks."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.uploads import serve_upload


class Stored:
    def __init__(self, name):
        self.name = name

    def open(self, mode="rb"):
        return default_storage.open(self.name, mode)


def test_served_by_the_portal_without_a_prefix(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOADS_X_ACCEL_PREFIX = ""
    name = default_storage.save("activities/2026/10/a.jpg", ContentFile(b"\xff\xd8bytes"))
    response = serve_upload(Stored(name), download_name="活动照片.jpg", mime="image/jpeg")
    assert b"".join(response.streaming_content) == b"\xff\xd8bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''%E6%B4%BB" in response["Content-Disposition"]


def test_handed_to_nginx_with_a_prefix(settings):
    settings.UPLOADS_X_ACCEL_PREFIX = "/protected-uploads/"
    response = serve_upload(
        Stored("activities/2026/10/a.jpg"), download_name="a.jpg", mime="image/jpeg"
    )
    assert response["X-Accel-Redirect"] == "/protected-uploads/activities/2026/10/a.jpg"
    assert response.content == b""
