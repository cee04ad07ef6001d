"""An installation made before counties (issue 15) keeps working with no hand work: a database
at the migrations before counties, with data, is migrated; every record and person of a
county's role lands in the default county (石泉县 610922 of 安康市 610900), running the zones
mechanism, and the main pages answer 200."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

BEFORE_COUNTIES = [
    ("core", "0008_scheduled_run_ledger"),
    ("zones", "0003_text_length_limits"),
    ("audit", "0009_merge_20261201_1858"),
    ("reports", "0003_merge_0002_generation_lease_0002_text_length_limits"),
    ("supervision", "0006_class_review_threshold_row_one"),
    ("notifications", "0002_sign_in_lockout_kind"),
    ("counties", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_counties_is_migrated_into_the_default_county(client):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE_COUNTIES)
        User = old.get_model("core", "User")
        Unit = old.get_model("zones", "Unit")
        Zone = old.get_model("zones", "Zone")
        Membership = old.get_model("zones", "Membership")
        Report = old.get_model("reports", "RollupReport")
        staff = User.objects.create(
            username="staff", role="staff", password="x", password_changed_at=timezone.now()
        )
        admin = User.objects.create(username="admin", role="sysadmin", password="x")
        zone = Zone.objects.create(number=1, name="第一片区")
        unit = Unit.objects.create(name="县司法局", name_pinyin="xiansifaju")
        Membership.objects.create(
            unit=unit, zone=zone, role="lead", effective_from=datetime.date(2025, 1, 1)
        )
        Report.objects.create(
            kind="month",
            period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 10, 31),
            state="ready",
        )
        # the settings of one county before there were counties, a notification, a checklist
        old.get_model("notifications", "ReminderSettings").objects.update_or_create(
            pk=1, defaults={"finding_days_before_deadline": 7}
        )
        old.get_model("supervision", "ClassReviewThreshold").objects.update_or_create(
            pk=1, defaults={"first_max_overdue": 4}
        )
        # the one set of rectification deadlines of before (serious: 7 working days)
        for severity, workdays in (("general", 20), ("major", 10), ("serious", 7)):
            old.get_model("supervision", "SeverityPolicy").objects.update_or_create(
                severity=severity, defaults={"workdays": workdays}
            )
        old_notification = old.get_model("notifications", "Notification").objects.create(
            recipient=staff, kind="finding_overdue", subject="finding:1", period="p", title="t"
        )
        Template = old.get_model("supervision", "ChecklistTemplate")
        Template.objects.all().delete()
        template = Template.objects.create(name="旧清单", version=2, is_active=True)
        group = old.get_model("supervision", "CriterionGroup").objects.create(
            template=template, title="一看"
        )
        old.get_model("supervision", "Criterion").objects.create(
            group=group, text="三会一课", max_score=10
        )
    finally:
        _migrate(latest)

    from django.contrib.auth import get_user_model

    from counties.constants import Mechanism
    from counties.models import County
    from counties.scoping import every_county
    from reports.models import RollupReport
    from zones.models import Unit as NewUnit
    from zones.models import Zone as NewZone

    county = County.objects.select_related("city").get()
    assert (county.code, county.name, county.city.code, county.city.name) == (
        "610922",
        "石泉县",
        "610900",
        "安康市",
    )
    assert county.runs(Mechanism.ZONES)
    with every_county():
        assert NewUnit.objects.get(pk=unit.pk).county == county
        assert NewZone.objects.get(pk=zone.pk).county == county
        assert RollupReport.objects.get().county == county
        # the settings become the default county's; its checklist stays its own, and the one
        # in use is copied as the city's default; the notification is its recipient's county's
        from notifications.models import Notification, ReminderSettings
        from supervision.models import ChecklistTemplate, ClassReviewThreshold, Criterion

        assert ReminderSettings.for_county(county).finding_days_before_deadline == 7
        assert ClassReviewThreshold.for_county(county).first_max_overdue == 4
        from supervision.models import SeverityPolicy

        policy = dict(
            SeverityPolicy.objects.filter(county=county).values_list("severity", "workdays")
        )
        assert policy == {"general": 20, "major": 10, "serious": 7}
        assert not SeverityPolicy.objects.exclude(county=county).exists()
        assert Notification.objects.get(pk=old_notification.pk).county == county
        assert ChecklistTemplate.objects.get(pk=template.pk).county == county
        (city_default,) = ChecklistTemplate.city_defaults()
        assert (city_default.name, city_default.is_active) == ("旧清单", True)
        texts = Criterion.objects.filter(group__template=city_default).values_list("text")
        assert list(texts) == [("三会一课",)]
    users = get_user_model().objects
    assert users.get(pk=staff.pk).county == county
    assert users.get(pk=admin.pk).county is None  # the administrators are the deployment's

    client.force_login(users.get(pk=staff.pk))
    for url in (
        reverse("home"),
        reverse("dashboard"),
        reverse("zone_detail", kwargs={"pk": zone.pk}),
        reverse("unit_detail", kwargs={"pk": unit.pk}),
        reverse("activities:grid"),
        reverse("supervision:finding_list"),
        reverse("reports:list"),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db(transaction=True)
def test_the_default_county_follows_the_settings(settings):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    settings.PORTAL_DEFAULT_COUNTY_CODE = "610925"
    settings.PORTAL_DEFAULT_COUNTY_NAME = "岚皋县"
    try:
        old = _migrate(BEFORE_COUNTIES)
        old.get_model("zones", "Zone").objects.create(number=1, name="第一片区")
    finally:
        _migrate(latest)
    from counties.models import County

    assert County.objects.get().name == "岚皋县"


@pytest.mark.django_db(transaction=True)
def test_an_empty_installation_gets_no_county():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE_COUNTIES)
    _migrate(latest)
    from counties.models import County

    assert not County.objects.exists()
