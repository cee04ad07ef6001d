"""Helpers that build activities through the services, as the portal does."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities import services
from activities.constants import ActivityForm, ActivityState
from activities.models import HostSlot
from core.uploads import clean_upload
from tests.factories import UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone


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


def form_data(county, **overrides):
    """What the secretary of the member unit types into the activity form (no files)."""
    data = {
        "host_unit": county.member_unit.pk,
        "date": "2026-11-20",
        "form": "volunteer",
        "tags": ["study", "action"],
        "title": "关爱留守儿童志愿服务",
        "place": "城关镇",
        "participant_count": "25",
        "summary": "走访留守儿童家庭。",
        "participants": [county.member_unit_2.pk, county.other_unit.pk],
        "outcomes-TOTAL_FORMS": "2",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-0-description": "走访家庭",
        "outcomes-0-quantity": "12",
        "outcomes-0-measure": "户",
        "outcomes-1-description": "",
    }
    data.update(overrides)
    return data


def post_activity(client, county, **files):
    """The secretary sends the activity form with `files`, in English."""
    client.force_login(county.secretary)
    return client.post(
        reverse("activities:create"), {**form_data(county), **files}, HTTP_ACCEPT_LANGUAGE="en"
    )


def grow(county, zones: int, per_zone: int):
    """More zones, units, host months and activities of every state over two years."""
    for z in range(zones):
        zone = ZoneFactory(number=100 + z)
        units = [unit_in_zone(zone, lead=(u == 0)) for u in range(3)]
        user = UserFactory()
        UnitPostFactory(user=user, unit=units[0])
        for year in (2025, 2026):
            services.rotation_generate_year(zone=zone, year=year)
        for n in range(per_zone):
            make_activity(
                unit=units[n % 3],
                by=user,
                date=datetime.date(2025 + n % 2, 1 + n % 11, 5),
                state=["confirmed", "submitted", "draft", "returned"][n % 4],
                form=["volunteer", "training", "task_force"][n % 3],
            )


def hosts(zone, year: int | None = None) -> dict[datetime.date, int]:
    """Who hosts each month of the zone's rotation (of `year`, if given): month -> unit id."""
    slots = HostSlot.objects.filter(zone=zone)
    if year:
        slots = slots.filter(month__year=year)
    return dict(slots.order_by("month").values_list("month", "unit_id"))
