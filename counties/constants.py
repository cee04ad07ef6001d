"""Choices of the counties app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mechanism(models.TextChoices):
    """A mechanism of organ party work a county may run (机关党建工作机制). A county switches on
    the ones it runs (counties.models.CountyMechanism); switching one off hides it and keeps its
    data."""

    ZONES = "zones", _("Zone joint building and patrol supervision")  # 片区联建巡回督导
    TEAMS = "teams", _("Dual-leading service teams")  # 双带服务队
    EDUCATION = "education", _("Six classrooms")  # 六大课堂
    WISHES = "wishes", _("Citizens' micro-wishes")  # 群众微心愿


# The county every record made before counties existed belongs to, unless the settings
# PORTAL_DEFAULT_COUNTY_CODE / _NAME / _SHORT_NAME and PORTAL_DEFAULT_CITY_CODE / _NAME say
# otherwise (counties.migrations.0002_default_county, counties.services.default_county).
DEFAULT_CITY_CODE = "610900"
DEFAULT_CITY_NAME = "安康市"
DEFAULT_CITY_SHORT_NAME = "安康"
DEFAULT_COUNTY_CODE = "610922"
DEFAULT_COUNTY_NAME = "石泉县"
DEFAULT_COUNTY_SHORT_NAME = "石泉"
