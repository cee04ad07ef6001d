"""Retention: a person who left keeps their personal fields for the county's retention period
after the day they left, then loses them (the row and its counted records stay, anonymous);
the daily run is idempotent and each county counts by its own period."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core.models import ScheduledRun
from people import services
from people.constants import LeavingReason, PostKind
from people.models import RETENTION_DEFAULT_YEARS, CadreProfile, Membership, Person, Post
from people.retention import (
    ERASED_NAME,
    erasure_cutoff,
    people_due_for_erasure,
    retention_policy_set,
    retention_run,
    retention_years,
)
from people.tasks import erase_expired
from tests.factories import CountyFactory, UnitFactory
from tests.people.factories import id_number, person_in

pytestmark = pytest.mark.django_db

LEFT = datetime.date(2025, 6, 30)


def _left(unit, *, name="王芳", on=LEFT, reason=LeavingReason.DECEASED, **fields):
    person = person_in(
        unit, name=name, since=datetime.date(2020, 1, 1), mobile="13912345678", **fields
    )
    services.post_assign(
        person=person, unit=unit, kind=PostKind.WORKER, on=datetime.date(2021, 1, 1), actor=None
    )
    services.cadre_profile_update(person=person, actor=None, training="2019年党务培训，张三老师")
    return services.person_leave(person=person, reason=reason, on=on, actor=None)


def _row(person) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        return cursor.fetchone()


def test_the_default_is_ten_years():
    assert RETENTION_DEFAULT_YEARS == 10


def test_kept_before_the_period_ends(county):
    person = _left(county.member_unit)
    before = LEFT.replace(year=LEFT.year + 10) - datetime.timedelta(days=1)
    assert retention_run(day=before) == 0
    person.refresh_from_db()
    assert person.name == "王芳" and person.id_number and person.mobile
    assert person.erased_at is None


def test_erased_on_the_day_the_period_ends_and_the_records_stay(county):
    person = _left(county.member_unit, job_title="科员")
    number = person.id_number
    assert retention_run(day=LEFT.replace(year=LEFT.year + 10)) == 1
    person.refresh_from_db()
    assert person.name == ERASED_NAME
    assert (person.id_number_token, person.id_number_digest) == ("", "")
    assert (person.mobile, person.date_of_birth, person.job_title) == ("", None, "")
    assert person.erased_at is not None
    assert person.left_on == LEFT and person.leaving_reason == LeavingReason.DECEASED
    # Nothing of the number is left in the row, and the counted records are still the person's.
    assert not any(number in str(value) or "13912345678" in str(value) for value in _row(person))
    assert not any("王芳" in str(value) for value in _row(person))
    assert Membership.objects.filter(person=person, unit=county.member_unit).exists()
    assert Post.objects.filter(person=person).exists()
    assert CadreProfile.objects.get(person=person).training == ""
    assert not people_due_for_erasure(
        county=county.member_unit.county, day=datetime.date(2040, 1, 1)
    )


def test_the_run_is_idempotent(county):
    person = _left(county.member_unit)
    day = LEFT.replace(year=LEFT.year + 11)
    assert retention_run(day=day) == 1
    erased_at = Person.objects.get(pk=person.pk).erased_at
    assert retention_run(day=day) == 0
    assert retention_run(day=day + datetime.timedelta(days=1)) == 0
    assert Person.objects.get(pk=person.pk).erased_at == erased_at


def test_people_who_did_not_leave_are_never_erased(county):
    stays = person_in(county.member_unit, name="李强", since=datetime.date(2000, 1, 1))
    assert retention_run(day=datetime.date(2090, 1, 1)) == 0
    stays.refresh_from_db()
    assert stays.name == "李强" and stays.erased_at is None


def test_each_county_counts_by_its_own_period(county):
    home = county.member_unit.county
    ziyang = CountyFactory(code="610924", name="紫阳县")
    retention_policy_set(county=ziyang, years=3, actor=None)
    here = _left(county.member_unit)
    there = _left(UnitFactory(county=ziyang), name="赵敏")
    assert retention_years(home) == 10 and retention_years(ziyang) == 3
    assert retention_run(day=LEFT.replace(year=LEFT.year + 3)) == 1
    here.refresh_from_db()
    there.refresh_from_db()
    assert here.erased_at is None and there.erased_at is not None


def test_a_number_erased_can_be_registered_again(county):
    number = id_number()
    _left(county.member_unit, id_number=number)
    retention_run(day=LEFT.replace(year=LEFT.year + 10))
    again = person_in(county.member_unit_2, name="王芳", id_number=number)
    assert again.id_number == number


def test_a_retention_period_outside_1_to_30_years_is_refused(county):
    home = county.member_unit.county
    for years in (0, 31):
        with pytest.raises(ValidationError):
            retention_policy_set(county=home, years=years, actor=None)
    assert retention_years(home) == RETENTION_DEFAULT_YEARS


def test_the_29th_of_february_counts_back_to_the_28th():
    assert erasure_cutoff(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)


def test_the_task_claims_its_day_once(county):
    _left(county.member_unit)
    day = LEFT.replace(year=LEFT.year + 10)
    assert erase_expired(day.isoformat()) == 1
    assert erase_expired(day.isoformat()) is None  # the day's slot is done
    assert ScheduledRun.objects.get(job="people.erase_expired", slot=day).result == 1


def test_the_command_erases_and_says_how_many(county, capsys):
    _left(county.member_unit)
    call_command("erase_expired_people", "--day", "2035-06-30")
    assert "1 " in capsys.readouterr().out
    assert Person.objects.get().erased_at is not None


def test_the_schedule_runs_it_daily():
    from notifications.schedule import CATCH_UP_JOBS, DEFAULT_SCHEDULE

    (entry,) = [e for e in DEFAULT_SCHEDULE if e.task == "people.erase_expired"]
    assert entry.crontab and "day_of_week" not in entry.crontab
    assert "people.erase_expired" in CATCH_UP_JOBS


def test_the_retention_page_sets_the_period_for_the_staffs_county(client, county):
    client.force_login(county.staff)
    url = reverse("people_import:retention")
    assert client.get(url).status_code == 200
    response = client.post(url, {"years": "31"})
    assert response.status_code == 200 and response.context["form"].errors
    assert retention_years(county.member_unit.county) == RETENTION_DEFAULT_YEARS
    assert client.post(url, {"years": "5"}).status_code == 302
    assert retention_years(county.member_unit.county) == 5
    client.force_login(county.secretary)
    assert client.post(url, {"years": "1"}).status_code == 403
    assert retention_years(county.member_unit.county) == 5
