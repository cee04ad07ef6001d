"""The contact rule's reminders (notifications.team_reminders): a captain is told of each organization their
team has not visited within the county's `visit_every_days`; a second run writes nothing new,
a visit silences it, a new lapse after the visit reminds again; the daily task runs once per
county running the teams."""

from __future__ import annotations

import datetime

import pytest

from notifications.constants import Kind
from notifications.models import Notification
from notifications.tasks import daily_reminders
from notifications.team_reminders import team_contact_run as contact_reminders_run
from teams import services
from teams.models import TeamPolicy
from tests.teams.conftest import TODAY

pytestmark = pytest.mark.django_db


def _reminded():
    return sorted(
        Notification.objects.filter(kind=Kind.TEAM_NOT_VISITED).values_list(
            "recipient__username", "subject"
        )
    )


def test_captains_are_reminded_of_organizations_not_visited_once(teams, county):
    # no visit at all since 1 January: 5 organizations late for a visit, and for a contact
    assert contact_reminders_run(day=TODAY) == 10
    by_captain = [username for username, _subject in _reminded()]
    assert by_captain.count("captain") == 2 and by_captain.count("captain_b") == 3
    assert "member" not in by_captain  # captains only
    assert contact_reminders_run(day=TODAY) == 0  # the same day again: nothing new
    assert contact_reminders_run(day=TODAY + datetime.timedelta(days=1)) == 0  # same lapse


def test_a_visit_in_time_silences_it_and_a_new_lapse_reminds_again(teams, county, fixed_today):
    visited = TODAY - datetime.timedelta(days=5)
    services.visit_record(
        team=teams.team_a,
        unit=county.member_unit,
        visited_on=visited,
        went=[teams.captain_person],
        by=teams.captain,
    )
    contact_reminders_run(day=TODAY)
    subjects = {s for _u, s in _reminded()}
    assert len(subjects) == 4
    assert not any(
        n.title.startswith(county.member_unit.name)
        for n in Notification.objects.filter(kind=Kind.TEAM_NOT_VISITED)
    )
    later = fixed_today(visited + datetime.timedelta(days=31))
    # the member unit's new lapses only: of a visit, and of the weekly contact
    assert contact_reminders_run(day=later) == 2


def test_the_county_contact_rule_sets_the_interval(teams, county):
    policy = services.policy_for(county.zone_a.county_id)
    policy.visit_every_days = policy.contact_every_days = 400
    policy.save()
    assert contact_reminders_run(day=TODAY) == 0  # assigned 331 days ago: not late yet
    TeamPolicy.objects.filter(pk=policy.pk).update(visit_every_days=7)
    assert contact_reminders_run(day=TODAY) == 5


def test_the_daily_task_runs_once_a_day_per_county_running_the_teams(teams, county):
    """The contact rule is one of the teams' rules in the daily pass over each county."""
    daily_reminders(day=TODAY.isoformat())
    assert Notification.objects.filter(kind=Kind.TEAM_NOT_VISITED).count() == 5
    assert daily_reminders(day=TODAY.isoformat()) is None  # the ledger: already done
    assert Notification.objects.filter(kind=Kind.TEAM_NOT_VISITED).count() == 5


def test_the_reminder_writes_the_last_visit_as_the_committee_writes_a_date(
    teams, county, fixed_today
):
    visited = TODAY - datetime.timedelta(days=40)
    services.visit_record(
        team=teams.team_a,
        unit=county.member_unit,
        visited_on=visited,
        went=[teams.captain_person],
        by=teams.captain,
    )
    contact_reminders_run(day=TODAY)
    titles = list(
        Notification.objects.filter(kind=Kind.TEAM_NOT_VISITED).values_list("title", flat=True)
    )
    assert titles and not any("-" in t.split("自")[-1] for t in titles)  # no 2026-10-22
    assert any(f"{visited.year}年{visited.month}月{visited.day}日" in t for t in titles), titles
