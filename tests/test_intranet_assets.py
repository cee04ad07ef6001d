"""County intranets often have no internet: every CSS, JS and font file is served by the portal
itself, and the Content-Security-Policy forbids inline scripts and other origins."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

STATIC = Path(__file__).resolve().parents[1] / "static"
URL = re.compile(rb"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})(?:[/:\"')\s]|$)", re.I)
# Host names that occur in vendored files but are never fetched: XML namespace identifiers and
# the addresses in licence comments.
NOT_FETCHED = {
    b"www.w3.org",
    b"www.apache.org",
    b"github.com",
    b"getbootstrap.com",
    b"echarts.apache.org",
}
LOADERS = re.compile(
    rb"""(?:src|href)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.I,
)


def test_no_static_file_loads_anything_from_another_host():
    offenders = []
    for path in STATIC.rglob("*"):
        if not path.is_file() or path.suffix not in {
            ".css",
            ".js",
            ".html",
            ".svg",
            ".json",
            ".map",
        }:
            continue
        data = path.read_bytes()
        hosts = {m.group(1).lower() for m in URL.finditer(data)} - NOT_FETCHED
        if hosts or LOADERS.search(data):
            offenders.append((str(path.relative_to(STATIC)), sorted(hosts)))
    assert offenders == []


def test_vendored_files_are_recorded_with_their_versions():
    import json

    sources = json.loads((STATIC / "vendor" / "SOURCES.json").read_text())
    assert sources["bootstrap"]["version"] and sources["echarts"]["version"]
    assert (STATIC / "vendor" / "bootstrap" / "bootstrap.min.css").exists()
    assert (STATIC / "vendor" / "echarts" / "echarts.min.js").exists()
    assert sources["tom-select"]["version"]
    assert (STATIC / "vendor" / "tom-select" / "tom-select.complete.min.js").exists()


def test_pages_carry_a_strict_content_security_policy(client, county):
    client.force_login(county.staff)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["default-src"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"


def test_rendered_pages_have_no_inline_script_and_no_external_reference(client, county):
    client.force_login(county.staff)
    urls = [
        reverse("home"),
        reverse("zone_detail", args=[county.zone_a.pk]),
        reverse("unit_detail", args=[county.member_unit.pk]),
        reverse("search") + "?q=nyj",
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("activities:create"),  # the participant picker
    ]
    for url in urls:
        html = client.get(url).content
        hosts = {m.group(1).lower() for m in URL.finditer(html)} - NOT_FETCHED
        assert hosts == set(), url
        for script in re.finditer(rb"<script([^>]*)>(.*?)</script>", html, re.S):
            attrs, body = script.groups()
            assert b"src=" in attrs or b'type="application/json"' in attrs, (url, body[:80])
