"""Helpers that build activities through the services, as the portal does."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activities import services
from activities.constants import ActivityForm, ActivityState
from core.uploads import clean_upload


def jpeg_bytes(*, with_gps: bool = False, size=(64, 48), color=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if with_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (32.0, 50.0, 0.0), 3: "E", 4: (108.0, 15.0, 0.0)}  # GPS
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


def photo(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def make_activity(
    *,
    unit,
    by,
    date: datetime.date = datetime.date(2026, 10, 15),
    state: str = ActivityState.DRAFT,
    reviewer=None,
    form: str = ActivityForm.THEME_PARTY_DAY,
    photos: int = 0,
    **fields,
):
    """An activity of `unit` in `state`, walked there through the services."""
    files = [("photo", clean_upload(photo(f"p{i}.jpg"))) for i in range(photos)]
    activity = services.activity_create(
        by=by,
        host_unit=unit,
        form=form,
        title=fields.pop("title", "主题党日：学习党章"),
        date=date,
        place=fields.pop("place", "县委党校"),
        participant_count=fields.pop("participant_count", 30),
        summary=fields.pop("summary", "集中学习并交流心得。"),
        files=files,
        **fields,
    )
    if state != ActivityState.DRAFT:
        activity = services.activity_submit(activity=activity, by=by)
    if state == ActivityState.CONFIRMED:
        activity = services.activity_confirm(activity=activity, by=reviewer or by)
    if state == ActivityState.RETURNED:
        activity = services.activity_return(activity=activity, by=reviewer or by, reason="缺签到表")
    return activity
