"""Choices for the organization: what kind of unit, which class, which role in a zone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """County organs are the zones' members; the others are partner organizations that join
    in chain joint building (链上联建) from outside the organ system."""

    ORGAN = "organ", _("County organ")
    CITY = "city", _("City-level unit")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other partner organization")


class OrgType(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")


class WorkCategory(models.TextChoices):
    """Nature of work, the first of the three principles zones are drawn by."""

    PARTY = "party", _("Party affairs and mass organizations")
    GOVERNMENT = "government", _("General government")
    POLITICS_LAW = "politics_law", _("Politics and law")
    ECONOMY = "economy", _("Economy and development")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    SOCIAL = "social", _("Education, culture, health and social services")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure, resources and environment")
    OTHER = "other", _("Other")


class Grade(models.IntegerChoices):
    """The class a party organization is graded in (一类/二类/三类); lead units are first class."""

    FIRST = 1, _("First class")
    SECOND = 2, _("Second class")
    THIRD = 3, _("Third class")


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    MEMBER = "member", _("Member unit")


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("Party secretary")
    OFFICER = "officer", _("Party-affairs officer")
