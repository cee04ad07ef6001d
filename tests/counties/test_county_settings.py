"""Per-county settings (issue 15): the reminders' lead times, the class review's thresholds and
the calendar days a county adds are each one county's own (scoped), edited by that county's
staff in the admin; another county's staff get 404 for them, whoever else sees them (who sees
every county: the installation superuser) reads them and gets 403 for a change. The statutory calendar stays shared; a
county's own days move only that county's working-day deadlines."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_scopes import ScopeError

from core.constants import Role
from core.models import CalendarDay
from counties import calendar
from counties.models import CalendarOverride
from counties.scoping import county_scope
from notifications.models import ReminderSettings
from supervision.models import ClassReviewThreshold
from teams.models import TeamPolicy
from tests.factories import CountyFactory, UserFactory

D = datetime.date
SETTINGS = [
    pytest.param(ReminderSettings, "finding_days_before_deadline", 1, id="reminder settings"),
    pytest.param(ClassReviewThreshold, "first_max_overdue", 3, id="class review thresholds"),
]
# the settings rows edited in the admin as a county's own (the first two above, and the service
# teams' settings, whose admin let a county's staff add a row for any county)
ADMIN_SETTINGS = [
    *SETTINGS,
    pytest.param(TeamPolicy, "visit_every_days", 14, id="service team settings"),
]


@pytest.fixture
def shiquan(county):
    return county.zone_a.county


@pytest.fixture
def ziyang(db):
    return CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])


@pytest.fixture
def root(db):
    """The installation superuser: passes every admin site and reads every county."""
    return UserFactory(username="root", role=Role.SYSTEM_ADMIN, is_superuser=True)


@pytest.fixture
def zy_staff(ziyang):
    return UserFactory(username="zy_staff", role=Role.STAFF, is_staff=True, county=ziyang)


def _url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


@pytest.mark.parametrize(("model", "field", "value"), SETTINGS)
def test_each_county_has_its_own_row_and_the_defaults_until_it_saves_one(
    shiquan, ziyang, model, field, value
):
    default = model._meta.get_field(field).get_default()
    unsaved = model.for_county(shiquan)
    assert unsaved._state.adding and getattr(unsaved, field) == default
    assert not model.objects.exists()  # reading never writes
    setattr(unsaved, field, value)
    unsaved.save()
    assert getattr(model.for_county(shiquan), field) == value
    assert getattr(model.for_county(ziyang), field) == default
    with county_scope(ziyang):  # scoped: county B's scope does not see county A's row
        assert getattr(model.for_county(shiquan), field) == default
        assert not model.objects.exists()


@pytest.mark.scoped
@pytest.mark.parametrize(("model", "field", "value"), SETTINGS)
def test_a_query_of_settings_without_a_county_raises(db, model, field, value):
    with pytest.raises(ScopeError):
        list(model.objects.all())


@pytest.mark.parametrize(("model", "field", "value"), ADMIN_SETTINGS)
def test_a_countys_staff_open_and_change_their_own_row_in_the_admin(
    client, county, shiquan, model, field, value
):
    client.force_login(county.staff)
    opened = client.get(_url(model, "changelist"))
    row = model.objects.get(county=shiquan)  # saved with the defaults the first time
    assert opened.status_code == 302 and opened["Location"] == _url(model, "change", row.pk)
    form = client.get(opened["Location"]).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data[field] = value
    saved = client.post(_url(model, "change", row.pk), data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    row.refresh_from_db()
    assert getattr(row, field) == value and row.county == shiquan
    assert client.get(_url(model, "add")).status_code == 403
    assert client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize(("model", "field", "value"), ADMIN_SETTINGS)
def test_another_countys_staff_get_404_and_the_superuser_reads_only(
    client, county, shiquan, zy_staff, root, model, field, value
):
    row = model.objects.create(county=shiquan)
    before = getattr(row, field)
    client.force_login(zy_staff)
    assert client.get(_url(model, "change", row.pk)).status_code == 404
    assert client.post(_url(model, "change", row.pk), {field: value}).status_code == 404
    # their own list opens their own county's row, not county A's
    opened = client.get(_url(model, "changelist"))
    assert opened["Location"] != _url(model, "change", row.pk)
    client.force_login(root)
    assert client.get(_url(model, "change", row.pk)).status_code == 200
    assert client.post(_url(model, "change", row.pk), {field: value}).status_code == 403
    row.refresh_from_db()
    assert getattr(row, field) == before


# --- the calendar a county adds ---------------------------------------------------------------


def test_a_countys_own_day_off_moves_its_deadlines_only(shiquan, ziyang):
    # Friday 2026-10-16: a day off in 石泉县 only (e.g. a county-wide closure)
    CalendarOverride.objects.create(county=shiquan, date=D(2026, 10, 16), is_workday=False)
    assert calendar.add_workdays(D(2026, 10, 14), 2, county=shiquan) == D(2026, 10, 19)
    assert calendar.add_workdays(D(2026, 10, 14), 2, county=ziyang) == D(2026, 10, 16)
    assert calendar.add_workdays(D(2026, 10, 14), 2) == D(2026, 10, 16)  # no county: shared
    with county_scope(shiquan):  # the county in scope is the county asked
        assert not calendar.is_workday(D(2026, 10, 16))
        assert calendar.workdays_between(D(2026, 10, 14), D(2026, 10, 19)) == 2
    with county_scope(ziyang):
        assert calendar.is_workday(D(2026, 10, 16))
        assert calendar.workdays_between(D(2026, 10, 14), D(2026, 10, 19)) == 3


def test_a_countys_own_working_day_wins_over_the_shared_calendar(shiquan, ziyang):
    CalendarDay.objects.create(date=D(2027, 1, 4), is_workday=False, note="元旦调休")
    CalendarOverride.objects.create(county=shiquan, date=D(2027, 1, 4), is_workday=True)
    assert calendar.is_workday(D(2027, 1, 4), county=shiquan)
    assert not calendar.is_workday(D(2027, 1, 4), county=ziyang)


def test_a_countys_days_cost_no_query_more_than_the_shared_calendar(
    shiquan, django_assert_num_queries
):
    CalendarOverride.objects.create(county=shiquan, date=D(2026, 10, 16), is_workday=False)
    with django_assert_num_queries(1):
        calendar.add_workdays(D(2026, 10, 14), 20, county=shiquan)
    with django_assert_num_queries(1):
        calendar.workdays_between(D(2026, 10, 14), D(2026, 12, 14), county=shiquan)


def test_a_county_sets_a_day_once(shiquan):
    from django.core.exceptions import ValidationError

    CalendarOverride.objects.create(county=shiquan, date=D(2026, 10, 16), is_workday=False)
    with pytest.raises(ValidationError, match="已调整过这一天"):
        CalendarOverride(county=shiquan, date=D(2026, 10, 16), is_workday=True).full_clean()
    assert CalendarOverride.objects.count() == 1


def test_a_countys_staff_add_a_day_in_the_admin_for_their_county_only(
    client, county, shiquan, zy_staff, root
):
    client.force_login(county.staff)
    added = client.post(
        _url(CalendarOverride, "add"), {"date": "2026-10-16", "is_workday": "", "note": "县庆"}
    )
    assert added.status_code == 302
    day = CalendarOverride.objects.get()
    assert day.county == shiquan and not day.is_workday
    client.force_login(zy_staff)
    assert client.get(_url(CalendarOverride, "change", day.pk)).status_code == 404
    listed = client.get(_url(CalendarOverride, "changelist"))
    assert listed.status_code == 200 and "县庆" not in listed.content.decode()
    client.force_login(root)
    assert client.get(_url(CalendarOverride, "change", day.pk)).status_code == 200
    changed = client.post(
        _url(CalendarOverride, "change", day.pk), {"date": "2026-10-17", "is_workday": "on"}
    )
    assert changed.status_code == 403
    assert client.post(_url(CalendarOverride, "add"), {"date": "2026-10-18"}).status_code == 403
    day.refresh_from_db()
    assert day.date == D(2026, 10, 16)


# --- the rectification deadlines per severity --------------------------------------------------


def test_a_countys_staff_edit_their_own_rectification_deadlines_and_no_one_elses(
    client, county, shiquan, ziyang, zy_staff, root
):
    """They were one set for the deployment: one county's staff changed every county's
    deadlines. Each county's list shows its three severities (made with the defaults the first
    time), edited in place; another county's staff get 404; the superuser reads."""
    from supervision.constants import DEFAULT_RECTIFY_WORKDAYS
    from supervision.models import SeverityPolicy
    from supervision.selectors import rectify_workdays

    client.force_login(county.staff)
    listed = client.get(_url(SeverityPolicy, "changelist"))
    assert listed.status_code == 200
    rows = SeverityPolicy.objects.filter(county=shiquan).order_by("pk")
    assert {r.severity: r.workdays for r in rows} == DEFAULT_RECTIFY_WORKDAYS
    assert not SeverityPolicy.objects.filter(county=ziyang).exists()
    serious = rows.get(severity="serious")
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3", "_save": "1"}
    ordered = list(SeverityPolicy.objects.filter(county=shiquan).order_by("workdays"))
    at = ordered.index(serious)
    for i, row in enumerate(ordered):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-workdays"] = "3" if i == at else str(row.workdays)
    saved = client.post(_url(SeverityPolicy, "changelist"), data)
    assert saved.status_code == 302
    assert rectify_workdays(unit_id=county.member_unit.pk)["serious"] == 3
    # refused: zero days, and nothing changes
    data[f"form-{at}-workdays"] = "0"
    refused = client.post(_url(SeverityPolicy, "changelist"), data)
    assert refused.status_code == 200
    serious.refresh_from_db()
    assert serious.workdays == 3
    assert client.get(_url(SeverityPolicy, "add")).status_code == 403
    # 紫阳县 keeps the defaults, and its staff cannot reach 石泉县's rows
    client.force_login(zy_staff)
    assert client.get(_url(SeverityPolicy, "change", serious.pk)).status_code == 404
    client.get(_url(SeverityPolicy, "changelist"))
    assert SeverityPolicy.objects.get(county=ziyang, severity="serious").workdays == 5
    client.force_login(root)
    assert client.get(_url(SeverityPolicy, "changelist")).status_code == 200
    assert (
        client.post(_url(SeverityPolicy, "change", serious.pk), {"workdays": 9}).status_code == 403
    )
    serious.refresh_from_db()
    assert serious.workdays == 3
