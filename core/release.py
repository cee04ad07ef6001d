"""The release of the code a cached value was computed by (core.cache keys every stored value
by it): the cached menu, dashboard bodies and figures are HTML and numbers that templates and
code produced, so after an upgrade they are computed afresh instead of being served, up to a
day for the menu, as the old release drew them.

The release is a digest of the names, sizes and modification times of the project's code,
templates, translations and static files, read once per process (a few milliseconds). Two
machines serving one cache with the same code but other modification times only store their
values apart: the data versions (core.cache) are not keyed by it, so a write still reaches
every machine's values."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

SUFFIXES = (".py", ".html", ".txt", ".mo", ".css", ".js", ".json")
# run-time files, and a virtual environment under another name than .venv (its packages are
# not the project's code, and walking them would cost each process's first page seconds)
SKIPPED = {"node_modules", "var", "staticfiles", "tests", "docs", "__pycache__", "media"}
SKIPPED |= {"venv", "env", "site-packages"}


def release_of(root: Path) -> str:
    """The digest of the code under `root` (hidden folders, tests, docs and run-time files
    left out)."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED)
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                path = os.path.join(folder, name)
                stat = os.stat(path)
                digest.update(f"{path}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


@functools.cache
def code_release() -> str:
    """This process's release (settings.BASE_DIR's code)."""
    return release_of(Path(settings.BASE_DIR))
