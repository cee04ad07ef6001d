"""Cheap uploads that would cost a lot to decode are bounded before decoding: a photo's pixels by
its header, a JPEG decoded at a reduced scale, and one request's pixels in all. The refused
upload says why and saves nothing; the work and the memory of a request stay bounded."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activities.models import Activity, Attachment
from core.uploads import clean_upload, upload_budget
from tests.activities.factories import jpeg_bytes, post_activity

ROOT = Path(__file__).resolve().parents[2]


def png(size, mode="L") -> bytes:
    """A PNG of one colour: a few hundred KB on the wire, millions of pixels to decode."""
    out = io.BytesIO()
    Image.new(mode, size, 200).save(out, format="PNG")
    return out.getvalue()


def test_twenty_36_megapixel_pngs_are_refused_at_once_and_nothing_is_saved(client, county):
    data = png((6000, 6000))
    assert len(data) < 200_000  # cheap to send
    photos = [SimpleUploadedFile(f"big{i}.png", data, "image/png") for i in range(20)]

    started = time.monotonic()
    response = post_activity(client, county, photos=photos)
    elapsed = time.monotonic() - started

    page = response.content.decode()
    assert response.status_code == 200
    assert "big0.png has too many pixels (6000×6000)" in page and "24 million" in page
    assert not Activity.objects.exists() and not Attachment.objects.exists()
    assert elapsed < 3.0  # refused by the header: nothing was decoded (14.5 s before)


def test_photos_beyond_one_requests_budget_are_refused_with_a_message(client, county, settings):
    settings.UPLOAD_REQUEST_MAX_PIXELS = 3 * 64 * 48
    photos = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(size=(64, 48)), "image/jpeg") for i in range(4)
    ]

    response = post_activity(client, county, photos=photos)

    page = response.content.decode()
    assert "p3.jpg was not accepted" in page and "too large together" in page
    assert "p2.jpg" not in page
    assert not Activity.objects.exists() and not Attachment.objects.exists()


def test_each_request_has_its_own_budget(client, county, settings):
    settings.UPLOAD_REQUEST_MAX_PIXELS = 3 * 64 * 48
    for _ in range(2):
        photos = [
            SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(size=(64, 48)), "image/jpeg")
            for i in range(3)
        ]
        assert post_activity(client, county, photos=photos).status_code == 302
    assert Attachment.objects.count() == 6


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_and_stored_smaller(settings):
    settings.UPLOAD_MAX_SIDE = 1000
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(4000, 3000)), "image/jpeg")

    with upload_budget(1_000_000):  # a full decode (12 million pixels) would not fit
        clean = clean_upload(upload)

    stored = Image.open(io.BytesIO(clean.content.read()))
    assert max(stored.size) <= 1000 and stored.size == (1000, 750)


def test_a_png_larger_than_the_stored_size_is_scaled_down(settings):
    settings.UPLOAD_MAX_SIDE = 500
    clean = clean_upload(SimpleUploadedFile("wide.png", png((2000, 400), "RGB"), "image/png"))
    assert Image.open(io.BytesIO(clean.content.read())).size == (500, 100)


MEASURE = """
import json, os, resource, sys, time
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from core.uploads import clean_upload, upload_budget

data = open(sys.argv[1], "rb").read()

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

def one_request():
    accepted = refused = 0
    with upload_budget():
        for i in range(20):
            try:
                clean_upload(SimpleUploadedFile(f"p{i}.png", data, "image/png"))
                accepted += 1
            except ValidationError:
                refused += 1
    return accepted, refused

base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.monotonic()
accepted, refused = one_request()
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
after_first = rss_mb()
one_request()
after_second = rss_mb()
print(json.dumps(dict(accepted=accepted, refused=refused, seconds=seconds, base=base, peak=peak,
                      after_first=after_first, after_second=after_second)))
"""


def test_twenty_photos_at_the_pixel_limit_cost_a_bounded_time_and_memory(tmp_path):
    """In a fresh process (so the measure is this request's alone): twenty 24-megapixel PNGs in
    one request — the budget lets five be decoded, one at a time, and refuses the rest; the
    peak stays far below the 620 MB of before and a second request does not grow it."""
    source = tmp_path / "24mpx.png"
    source.write_bytes(png((6000, 4000), "RGB"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MEASURE, str(source)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])

    assert measured["accepted"] == 5 and measured["refused"] == 15
    assert measured["peak"] - measured["base"] < 260, measured
    assert measured["after_second"] - measured["after_first"] < 40, measured
    assert measured["seconds"] < 30, measured  # ~3 s on a quiet core
