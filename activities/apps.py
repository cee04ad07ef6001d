from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _membership_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the rows are restored as they were
        return
    # A unit joined or left a zone (the admin's reassignment): replan that zone's future
    # months. The zones app knows nothing of rotations, so this app listens to it.
    from .services import membership_changed

    membership_changed(zone_id=instance.zone_id)


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Joint activities")

    def ready(self):
        from zones.models import Membership

        post_save.connect(
            _membership_saved, sender=Membership, dispatch_uid="activities_membership_saved"
        )
        # A move dated in the past lists what it leaves with the old zone before it is confirmed.
        from zones.signals import move_consequences

        from .selectors import move_consequences as activities_left_behind

        move_consequences.connect(
            activities_left_behind, dispatch_uid="activities_move_consequences"
        )
        # The county dashboard's cached figures are computed from these (core.cache).
        from core.cache import watch

        from .models import Activity, Attachment, HostSlot

        watch(Activity, Attachment, HostSlot)
