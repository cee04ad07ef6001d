from django.contrib import admin

from .models import TeamPolicy


@admin.register(TeamPolicy)
class TeamPolicyAdmin(admin.ModelAdmin):
    """The county's settings of its service teams: the scorecard's weights, the reminder-talk
    threshold and the contact rule. Teams and their records change through the portal's pages
    (the services keep their history)."""

    list_display = ["county", "weight_visit", "weight_rectified", "threshold", "visit_every_days"]
