"""A cached value is keyed by the release of the code that computed it (core.release): after an
upgrade the menu, the dashboards' bodies and the figures are drawn by the new templates and
code at once, instead of the old ones being served until the day or the data moves; the data
versions are not keyed by it."""

from __future__ import annotations

import os

from core import cache as page_cache
from core import release
from core.cache import cached, data_version, reader_cached
from tests.core.test_cache_areas import _counter


def test_the_release_changes_when_a_template_or_code_file_changes(tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "menu.html"
    template.write_text("<ul></ul>", encoding="utf-8")
    (tmp_path / "views.py").write_text("x = 1\n", encoding="utf-8")
    first = release.release_of(tmp_path)
    assert release.release_of(tmp_path) == first  # the same code: the same release
    template.write_text("<ul><li>汇总报表</li></ul>", encoding="utf-8")
    assert release.release_of(tmp_path) != first
    second = release.release_of(tmp_path)
    stat = os.stat(tmp_path / "views.py")
    os.utime(tmp_path / "views.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert release.release_of(tmp_path) != second


def test_files_outside_the_code_do_not_make_a_release(tmp_path):
    (tmp_path / "views.py").write_text("x = 1\n", encoding="utf-8")
    first = release.release_of(tmp_path)
    for folder in ("var", "staticfiles", "tests", ".git", "node_modules", "venv"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "any.py").write_text("y = 2\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("#", encoding="utf-8")
    assert release.release_of(tmp_path) == first


def test_a_cached_value_is_computed_afresh_by_a_new_release(county, monkeypatch):
    computed, compute = _counter()
    assert cached("test:release", compute, county=county.zone_a.county_id) == 1
    assert cached("test:release", compute, county=county.zone_a.county_id) == 1  # a hit
    version = data_version(county.zone_a.county_id)
    monkeypatch.setattr(page_cache, "code_release", lambda: "upgraded")
    assert cached("test:release", compute, county=county.zone_a.county_id) == 2
    assert cached("test:release", compute, county=county.zone_a.county_id) == 2  # its own hit
    assert data_version(county.zone_a.county_id) == version  # the data versions stay


def test_a_readers_cached_menu_is_drawn_afresh_by_a_new_release(county, monkeypatch):
    computed, compute = _counter()
    assert reader_cached("test-menu", county.staff, compute) == 1
    assert reader_cached("test-menu", county.staff, compute) == 1
    monkeypatch.setattr(page_cache, "code_release", lambda: "upgraded")
    assert reader_cached("test-menu", county.staff, compute) == 2
