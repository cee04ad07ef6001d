"""Uploaded evidence (photos, sign-in sheets, minutes) for activities and checks.

A file is judged by its content, never by its name: images must open in Pillow and are
re-encoded (which drops EXIF, including GPS location), PDFs must start with the PDF signature and
carry no JavaScript. Sizes and pixel counts are limited. Files are stored under MEDIA_ROOT, which
is never served as public files: `serve_upload` hands a file out only after the calling view has
checked that the viewer may see what it belongs to.

Decoding is the expensive part (a 116 KB PNG may hold 36 million pixels), so it is bounded
before it starts: a photo may have at most `UPLOAD_MAX_PIXELS` (24 million) by its header; a
JPEG is decoded at a reduced scale (Pillow's `draft`) when it is larger than a stored photo
needs (`UPLOAD_MAX_SIDE`, 4096 px on the long side) and every photo is scaled down to that; and
one request may decode at most `UPLOAD_REQUEST_MAX_PIXELS` (120 million) in all — the photos
beyond are refused with a message, before any is decoded or saved (`UploadBudgetMiddleware`
gives each request its budget).

Every form that takes files takes them through `MultipleFileField` (several in one go, each
checked here); it is the one place a file is judged. The services that store files take only
the `CleanUpload`s it returns.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import mimetypes
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
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

# Pixels the current request may still decode (None outside a request: the demo loader, tasks).
_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "upload_pixel_budget", default=None
)


@contextlib.contextmanager
def upload_budget(pixels: int | None = None):
    """Within this block, images decoded by `clean_upload` together count against `pixels`
    (`UPLOAD_REQUEST_MAX_PIXELS`): one budget per request."""
    token = _budget.set([settings.UPLOAD_REQUEST_MAX_PIXELS if pixels is None else pixels])
    try:
        yield
    finally:
        _budget.reset(token)


def _charge(pixels: int, original_name: str) -> None:
    remaining = _budget.get()
    if remaining is None:
        return
    if pixels > remaining[0]:
        raise ValidationError(
            _(
                "%(name)s was not accepted: the photos sent at once are too large together "
                "(at most %(limit)d million pixels per submission). Send the rest in a second "
                "submission, or smaller photos."
            )
            % {"name": original_name, "limit": settings.UPLOAD_REQUEST_MAX_PIXELS // 1_000_000}
        )
    remaining[0] -= pixels


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
    max_side = settings.UPLOAD_MAX_SIDE
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
                    _(
                        "%(name)s has too many pixels (%(w)d×%(h)d); photos may have at most "
                        "%(limit)d million."
                    )
                    % {
                        "name": original_name,
                        "w": width,
                        "h": height,
                        "limit": settings.UPLOAD_MAX_PIXELS // 1_000_000,
                    }
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if fmt == "JPEG" and max(width, height) > max_side:
                # Decode at 1/2, 1/4 or 1/8 scale when that still gives `max_side` on the long
                # side: a fraction of the work and memory of a full decode.
                ratio = max_side / max(width, height)
                target = (max(1, round(width * ratio)), max(1, round(height * ratio)))
                image.draft(image.mode if image.mode in ("L", "RGB") else "RGB", target)
            _charge(image.size[0] * image.size[1], original_name)
            image.load()
            # Re-encoding from pixels alone drops EXIF, GPS location and any trailing payload.
            # Everything happens in place: one full copy of the pixels at a time.
            ImageOps.exif_transpose(image, in_place=True)
            if max(image.size) > max_side:
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.info = {}
            out = io.BytesIO()
            save_kwargs = {"JPEG": {"quality": 88}, "WEBP": {"quality": 88}}.get(
                fmt,
                {"compress_level": 3},  # PNG: zlib's default level costs twice the time
            )
            image.save(out, format=fmt, exif=b"", **save_kwargs)
            del image
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


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the user choose several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one go (Django's "Uploading multiple files"), optional by default. Each
    file is checked by Django's FileField (e.g. empty) and then by its content with
    `clean_upload`; the field returns `CleanUpload`s, and refuses all when one is bad, with
    every file's message."""

    widget = MultipleFileInput

    def __init__(self, *args, allow_pdf: bool = True, **kwargs):
        self.allow_pdf = allow_pdf
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[CleanUpload]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(clean_upload(uploaded, allow_pdf=self.allow_pdf))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class UploadBudgetMiddleware:
    """Gives each request that sends files its own decoding budget (`upload_budget`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.content_type.startswith("multipart/"):
            return self.get_response(request)
        with upload_budget():
            return self.get_response(request)


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


class DataFileField(forms.FileField):
    """One data file (a county's snapshot, …) of at most `max_bytes`, read whole: `clean`
    returns its bytes. The one field for files that are data, not images or PDFs."""

    def __init__(self, *, max_bytes: int, too_large: str, **kwargs) -> None:
        self.max_bytes = max_bytes
        self.too_large = too_large
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large, code="too_large")
        return upload.read()
