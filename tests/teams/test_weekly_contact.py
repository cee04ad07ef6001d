"""The weekly contact rule (每周联系, issue 18) besides the visit interval: the team's people log
a contact (date, way, a line of what); `contact_every_days` (7 by default, calendar days as the
visit rule) reminds the captain of each organization neither contacted nor visited in time,
once per organization and lapse; a visit counts as a contact. The refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.constants import Kind
from notifications.models import Notification
from notifications.team_reminders import team_contact_run
from teams import services
from teams.models import Contact
from tests.teams.conftest import TODAY

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _contacted():
    return sorted(
        Notification.objects.filter(kind=Kind.TEAM_NOT_CONTACTED).values_list(
            "recipient__username", "title"
        )
    )


def _policy(county, contact=7, visit=400):
    policy = services.policy_for(county.zone_a.county_id)
    policy.contact_every_days, policy.visit_every_days = contact, visit
    policy.save()
    return policy


def test_a_member_logs_a_contact_and_the_team_page_lists_it(client, county, teams):
    client.force_login(teams.member)
    response = client.post(
        reverse("teams:contact_create", args=[teams.team_a.pk]),
        {
            "unit": county.member_unit.pk,
            "contacted_on": "2026-11-27",
            "way": "wechat",
            "what": "提醒按时召开组织生活会",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.way, contact.recorded_by) == ("wechat", teams.member)
    page = client.get(reverse("teams:team_detail", args=[teams.team_a.pk])).content.decode()
    assert "提醒按时召开组织生活会" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contacted_on": TODAY + DAY}, "not before"),
        ({"what": " "}, "what the contact"),
        ({"way": "letter"}, "not a way"),
        ({"unit": "other"}, "did not guide"),
    ],
)
def test_a_contact_is_refused_with_a_reason_and_nothing_is_recorded(county, teams, change, message):
    args = {
        "team": teams.team_a,
        "unit": county.member_unit,
        "contacted_on": TODAY,
        "way": "phone",
        "what": "电话了解情况",
        "by": teams.captain,
        **change,
    }
    if args["unit"] == "other":
        args["unit"] = county.other_unit  # team B's
    with pytest.raises(ValidationError, match=message):
        services.contact_record(**args)
    assert not Contact.objects.exists()


def test_the_weekly_rule_on_a_hand_made_calendar(county, teams, fixed_today):
    """Team A guides the member unit and one more since 1 January; team B three. Contacts and
    visits are put on days of November; calendar days, as the visit rule."""
    _policy(county, contact=7)
    unit = county.member_unit
    # Mon 16 Nov: a phone call with the member unit; Fri 20 Nov: a visit of team A's other one
    services.contact_record(
        team=teams.team_a,
        unit=unit,
        contacted_on=datetime.date(2026, 11, 16),
        way="phone",
        what="电话",
        by=teams.captain,
    )
    services.visit_record(
        team=teams.team_a,
        unit=teams.extra_units[1],
        visited_on=datetime.date(2026, 11, 20),
        went=[teams.captain_person],
        by=teams.captain,
    )
    # 23 Nov: the call was 7 days ago, not more: in time; the visit counts as a contact
    day = fixed_today(datetime.date(2026, 11, 23))
    assert team_contact_run(day=day) == 3  # team B's three, never contacted
    assert {u for u, _t in _contacted()} == {"captain_b"}
    # 24 Nov: the member unit is 8 days from its call: late, once
    day = fixed_today(datetime.date(2026, 11, 24))
    assert team_contact_run(day=day) == 1
    assert [u for u, t in _contacted() if unit.name in t] == ["captain"]
    assert team_contact_run(day=day) == 0  # the same day again
    assert team_contact_run(day=day + DAY) == 0  # the same lapse the next day
    # 26 Nov: a WeChat message ends the lapse; 3 Dec (7 days on) still in time, 4 Dec late again
    fixed_today(datetime.date(2026, 11, 26))
    services.contact_record(
        team=teams.team_a,
        unit=unit,
        contacted_on=datetime.date(2026, 11, 26),
        way="wechat",
        what="微信提醒",
        by=teams.member,
    )
    # 3 Dec: the member unit in time; the one visited on 20 Nov is 13 days from its visit
    assert team_contact_run(day=fixed_today(datetime.date(2026, 12, 3))) == 1
    assert not [t for _u, t in _contacted() if unit.name in t and "11-26" in t]
    assert team_contact_run(day=fixed_today(datetime.date(2026, 12, 4))) == 1  # the member unit
    titles = [t for _u, t in _contacted() if unit.name in t]
    assert len(titles) == 2  # the first lapse and the new one


def test_the_interval_is_the_countys_setting(county, teams):
    _policy(county, contact=400)
    assert team_contact_run(day=TODAY) == 0  # assigned 331 days ago: not late yet
    _policy(county, contact=7)
    assert team_contact_run(day=TODAY) == 5
