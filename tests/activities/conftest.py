from __future__ import annotations

import datetime

import pytest

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _activities_env(settings, tmp_path, fixed_today):
    """Uploads land in a temporary MEDIA_ROOT; today is 28 November 2026."""
    settings.MEDIA_ROOT = tmp_path / "media"
    fixed_today(TODAY)
