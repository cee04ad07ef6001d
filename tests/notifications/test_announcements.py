"""A publication is announced when it is published, once, and only if it is news: loading two
years of history announces nothing old, and the first daily run after it neither."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import transaction

from counties.scoping import over_each_county
from notifications.constants import Kind
from notifications.models import Notification, Preference
from notifications.reminders import reminders_run
from supervision import services
from supervision.models import MutualCheck
from tests.supervision.conftest import fill

D = datetime.date


def results_for(user) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=user, kind=Kind.CHECK_PUBLISHED, period="results"
        ).values_list("subject", flat=True)
    )


def submit_every_sheet(check, by):
    for sheet in check.sheets.all():
        fill(sheet, by, fraction=0.9)


def test_publishing_a_checks_results_tells_each_checked_unit_at_once_and_once(
    county, check_a, django_capture_on_commit_callbacks
):
    submit_every_sheet(check_a, county.staff)
    Preference.objects.create(user=county.secretary, kind=Kind.CHECK_PUBLISHED, email=True)
    with django_capture_on_commit_callbacks() as callbacks:
        services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    own_sheet = check_a.sheets.get(checked_unit=county.member_unit)
    assert results_for(county.secretary) == [f"sheet:{own_sheet.pk}"]
    assert len(callbacks) == 1  # its email, published after the commit
    services.mutual_check_publish(check=check_a, by=county.lead_secretary)  # already published
    reminders_run(day=D(2026, 11, 28))
    reminders_run(day=D(2026, 11, 30))
    assert len(results_for(county.secretary)) == 1
    # One per secretary of a checked unit (the lead unit and the member unit have one each).
    assert Notification.objects.filter(period="results").count() == 2


def test_a_publication_that_is_rolled_back_announces_nothing(county, check_a):
    submit_every_sheet(check_a, county.staff)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.mutual_check_publish(check=check_a, by=county.lead_secretary)
        raise RuntimeError("the publication fails after the check was saved")
    assert not Notification.objects.filter(period="results").exists()


def test_the_daily_run_does_not_announce_results(county, check_a):
    submit_every_sheet(check_a, county.staff)
    services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    Notification.objects.filter(period="results").delete()
    reminders_run(day=D(2026, 11, 28))
    assert not Notification.objects.filter(period="results").exists()


def test_results_recorded_for_a_day_months_ago_are_not_news(county, check_a):
    submit_every_sheet(check_a, county.staff)
    services.mutual_check_publish(check=check_a, by=county.lead_secretary, on=D(2026, 8, 10))
    check = MutualCheck.objects.get(pk=check_a.pk)
    assert check.published_at.date() == D(2026, 8, 10)
    assert not Notification.objects.filter(period="results").exists()


def test_a_patrol_plan_and_its_results_are_announced_when_published_and_released(county, today):
    patrol_round = services.patrol_round_open(
        year=2026, half=2, by=county.staff, rng=random.Random(2)
    )
    services.patrol_round_publish(round_=patrol_round, by=county.staff)
    team = patrol_round.teams.get(visited_zone=county.zone_b)
    member = team.members.first()
    assignment = Notification.objects.get(
        recipient=member, kind=Kind.CHECK_PUBLISHED, subject=f"team:{team.pk}"
    )
    assert "第二片区" in assignment.title
    for t in patrol_round.teams.all():
        services.patrol_team_record_visit(
            team=t,
            visit_date=D(2026, 11, 20),
            heard_secretary="汇报",
            heard_members="意见",
            heard_recipients="诉求",
            by=county.staff,
        )
        for sheet in t.sheets.all():
            fill(sheet, county.staff)
    services.patrol_round_close(round_=patrol_round, by=county.staff)
    assert len(results_for(county.secretary)) == 1
    assert len(results_for(county.other_secretary)) == 1
    reminders_run(day=D(2026, 11, 28))
    assert Notification.objects.filter(subject=f"team:{team.pk}", recipient=member).count() == 1


def test_a_fresh_installation_with_two_years_of_history_announces_nothing_old(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert MutualCheck.objects.filter(state="published").count() >= 50
    loaded = Notification.objects.count()
    from zones.selectors import today

    # As the daily task runs it: once per county, each to its own staff (the demo city has
    # four counties' staff; only 石泉县's hear of 石泉县's business).
    over_each_county(lambda: reminders_run(day=today()))
    results = Notification.objects.filter(kind=Kind.CHECK_PUBLISHED, period="results")
    assert not results.exists()
    # Every published check of the history keeps its day of publication, not the load's.
    recent = MutualCheck.objects.filter(
        published_at__date__gte=today() - datetime.timedelta(days=14)
    )
    assert not recent.exists()
    # What the first run writes is today's business only: gaps, overdue rectifications and
    # this quarter's checkers, not hundreds of old announcements.
    # (紫阳县's captains hear of each organization not visited in time: one each at most.)
    from teams.models import Assignment

    # (and of each not contacted within the weekly contact rule: one each at most too)
    guided = Assignment.objects.filter(effective_to__isnull=True).count()
    not_visited = Notification.objects.filter(kind=Kind.TEAM_NOT_VISITED).count()
    not_contacted = Notification.objects.filter(kind=Kind.TEAM_NOT_CONTACTED).count()
    assert not_visited <= guided and not_contacted <= guided
    contact = not_visited + not_contacted
    written = Notification.objects.count() - loaded - contact
    assert written < 300, written
    assert not Notification.objects.filter(period__startswith="round:").exists()
