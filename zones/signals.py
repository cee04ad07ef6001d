"""What the organization asks the apps above it.

`move_consequences` is sent before a unit's move dated in the past is confirmed in the admin:
each app that keeps records per zone (activities: host months, activities) answers with the
lines a staff member should read first — what stays with the old zone, what is replanned. The
zones app knows nothing of those records; the receivers return a list of sentences.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with sender=Unit and keyword arguments unit, from_zone (or None), to_zone, effective_on.
move_consequences = Signal()
