"""Signals core sends so that the audit trail, which sits above core, can record them. (Core
knows nothing of auditing; this module imports no models, so the access helpers and the admin
sites may import it at any time.)"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by `core.access.get_visible_or_404` when someone asks for an object that exists outside
# their scope (kwargs: request, model, lookup).
out_of_scope = Signal()

# Sent by every admin site after one of its actions ran (kwargs: request, model_admin, action,
# objects, reason, outcome, detail).
admin_action_done = Signal()
