from django.contrib import admin

from counties.admin import CountySettingsAdmin

from .models import TeamPolicy


@admin.register(TeamPolicy)
class TeamPolicyAdmin(CountySettingsAdmin):
    """The county's settings of its service teams (服务队设置): the scorecard's weights, the
    reminder-talk threshold and the contact rule — the county's own row, opened directly (made
    with the defaults the first time), as every county setting. Teams and their records change
    through the portal's pages (the services keep their history)."""

    list_display = [
        "county",
        "weight_visit",
        "weight_rectified",
        "threshold",
        "visit_every_days",
        "contact_every_days",
    ]
