"""What the organization tells and asks the apps above it.

`membership_changed` is sent by the zones services (`unit_reassign`, `units_reassign` once per
unit, `zone_set_lead`) after they have written a unit's new membership, inside their
transaction: a receiver's writes commit or roll back with the change, and a refusal sends
nothing. Receivers today: activities (`activities.apps._replan_rotations`) replans the future
host months of every zone named. Writing a `Membership` row outside these services tells no
one — nothing else should write them.

`move_consequences` is sent before a unit's move dated in the past is confirmed in the admin:
each app that keeps records per zone (activities: host months, activities) answers with the
lines a staff member should read first — what stays with the old zone, what is replanned. The
zones app knows nothing of those records; the receivers return a list of sentences.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with sender=Unit and keyword arguments unit, from_zone (or None), to_zone, effective_on.
move_consequences = Signal()

# Sent with sender=Membership and keyword arguments zone_ids (the zones a unit joined, left or
# whose lead changed) and unit.
membership_changed = Signal()
