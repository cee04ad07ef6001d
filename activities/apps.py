from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _replan_rotations(sender, zone_ids, **kwargs):
    """A unit joined or left a zone, or its lead changed (zones.signals.membership_changed,
    sent by the zones services): replan those zones' future months. The zones app knows
    nothing of rotations, so this app listens to it."""
    from .services import membership_changed

    for zone_id in dict.fromkeys(zone_ids):
        membership_changed(zone_id=zone_id)


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Joint activities")

    def ready(self):
        from zones.signals import membership_changed, move_consequences

        membership_changed.connect(_replan_rotations, dispatch_uid="activities_replan_rotations")
        # A move dated in the past lists what it leaves with the old zone before it is confirmed.
        from .selectors import move_consequences as activities_left_behind

        move_consequences.connect(
            activities_left_behind, dispatch_uid="activities_move_consequences"
        )
        # The county dashboard's cached figures are computed from these (core.cache).
        from core.cache import watch

        from .models import Activity, Attachment, HostSlot

        watch(Activity, Attachment, HostSlot, area="activities")
