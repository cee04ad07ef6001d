"""Uploaded evidence (photos, sign-in sheets, minutes) for activities and checks.

A file is judged by its content, never by its name: images must open in Pillow and are
re-encoded (which drops EXIF, including GPS location), PDFs must start with the PDF signature and
carry no JavaScript. Sizes and pixel counts are limited. Files are stored under MEDIA_ROOT, which
is never served as public files: `serve_upload` hands a file out only after the calling view has
checked that the viewer may see what it belongs to.
"""

from __future__ import annotations

import io
import mimetypes
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
PDF_MIME = "application/pdf"


@dataclass(frozen=True)
class CleanUpload:
    """A checked upload, ready to save to a FileField."""

    content: ContentFile
    name: str
    mime: str
    kind: str  # "image" or "pdf"
    original_name: str
    size: int


def _read(uploaded) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(limit),
            }
        )
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": uploaded.name, "limit": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("%(name)s is empty.") % {"name": uploaded.name})
    return data


def _clean_image(data: bytes, original_name: str) -> CleanUpload:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in IMAGE_FORMATS:
                raise ValidationError(
                    _("%(name)s is not a JPEG, PNG or WebP image.") % {"name": original_name}
                )
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels (%(w)d×%(h)d).")
                    % {"name": original_name, "w": width, "h": height}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Re-encoding from pixels alone drops EXIF, GPS location and any trailing payload.
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            save_kwargs = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
            clean.save(out, format=fmt, **save_kwargs)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("%(name)s is not a readable image.") % {"name": original_name}
        ) from exc
    ext, mime = IMAGE_FORMATS[fmt]
    payload = out.getvalue()
    return CleanUpload(
        content=ContentFile(payload),
        name=f"{uuid.uuid4().hex}.{ext}",
        mime=mime,
        kind="image",
        original_name=original_name[:200],
        size=len(payload),
    )


def _clean_pdf(data: bytes, original_name: str) -> CleanUpload:
    head = data[:1024]
    if b"%PDF-" not in head or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("%(name)s is not a complete PDF file.") % {"name": original_name})
    if b"/JavaScript" in data or b"/JS" in data or b"/Launch" in data:
        raise ValidationError(
            _("%(name)s contains scripts or actions and was refused.") % {"name": original_name}
        )
    return CleanUpload(
        content=ContentFile(data),
        name=f"{uuid.uuid4().hex}.pdf",
        mime=PDF_MIME,
        kind="pdf",
        original_name=original_name[:200],
        size=len(data),
    )


def clean_upload(uploaded, *, allow_pdf: bool = True) -> CleanUpload:
    """Check one uploaded file by its content; raise ValidationError with a clear message."""
    data = _read(uploaded)
    name = uploaded.name or "upload"
    if data.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") >= 0:
        if not allow_pdf:
            raise ValidationError(_("%(name)s must be a photo.") % {"name": name})
        return _clean_pdf(data, name)
    return _clean_image(data, name)


def serve_upload(fieldfile, *, download_name: str, mime: str | None = None) -> HttpResponse:
    """Hand out a stored upload. Call only after checking the viewer may see its owner.
    Behind nginx (`UPLOADS_X_ACCEL_PREFIX` set) nginx sends the bytes via X-Accel-Redirect."""
    mime = mime or mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    prefix = settings.UPLOADS_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=mime)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{fieldfile.name}"
    else:
        response = FileResponse(fieldfile.open("rb"), content_type=mime)
    disposition = "inline" if mime.startswith("image/") or mime == PDF_MIME else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(download_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
