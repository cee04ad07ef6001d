"""Demo records of this module, added by `load_demo` on top of the demo county."""

from __future__ import annotations

import datetime


def load(*, start: datetime.date, admin) -> None:
    """Nothing yet: this module's demo records come with its issue."""
