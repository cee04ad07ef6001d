"""Training and contests (培训与竞赛), brands (党建品牌) and joint activities in the scorecards:
a hand-computed year, each credited to the team of its date (the person's team for a training),
the refusals that change nothing, and the year's export (two sheets, in Chinese)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from activities.constants import ActivityState
from teams import services
from teams.models import Brand, Training, TrainingEntry
from teams.selectors import league, member_cards
from tests.activities.factories import make_activity
from tests.teams.conftest import START

pytestmark = pytest.mark.django_db
D = datetime.date


def _policy(county):
    policy = services.policy_for(county.zone_a.county_id)
    policy.weight_visit = policy.weight_rectified = policy.weight_promoted = 0
    policy.weight_matter = 0
    policy.weight_activity, policy.weight_brand = 1, 5
    policy.weight_training, policy.weight_prize = 2, 3
    policy.threshold = 4
    policy.save()
    return policy


def test_trainings_prizes_activities_and_brands_in_a_hand_computed_year(county, teams):
    c, t = county, teams
    policy = _policy(c)
    contest = services.training_record(
        kind="contest", title="党建知识竞赛", held_on=D(2026, 6, 1), by=c.staff
    )
    seminar = services.training_record(
        kind="seminar", title="组织生活研讨", held_on=D(2026, 7, 1), by=c.staff
    )
    services.training_entry_add(
        training=contest, person=t.member_person, prize="first", result="95分", by=c.staff
    )
    services.training_entry_add(training=contest, person=t.captain_person, by=c.staff)
    services.training_entry_add(training=seminar, person=t.member_person, by=c.staff)
    # the member unit (team A's) hosts a confirmed activity; a draft one does not count
    make_activity(
        unit=c.member_unit,
        by=c.secretary,
        date=D(2026, 10, 9),
        state=ActivityState.CONFIRMED,
        reviewer=c.lead_secretary,
    )
    make_activity(unit=c.member_unit, by=c.secretary, date=D(2026, 10, 10))
    # the member unit moves to team B in September: a brand after that is team B's
    services.brand_record(
        unit=c.member_unit, name="红色茶乡", recognized_on=D(2026, 5, 1), by=c.staff
    )
    services.assign(team=t.team_b, unit=c.member_unit, on=D(2026, 9, 1), by=c.staff)
    services.brand_record(
        unit=c.member_unit, name="先锋驿站", recognized_on=D(2026, 9, 2), by=c.staff
    )

    cards = {card.team.pk: card for card in league(year=2026, policy=policy)}
    a, b = cards[t.team_a.pk], cards[t.team_b.pk]
    assert (a.trainings, a.prizes, a.brands, a.activities) == (3, 1, 1, 0)
    assert (b.trainings, b.prizes, b.brands, b.activities) == (0, 0, 1, 1)  # 10-09: team B's
    assert a.score == 3 * 2 + 1 * 3 + 1 * 5
    assert b.score == 5 + 1
    members = {m.member.person.pk: m for m in member_cards(team=t.team_a, year=2026, policy=policy)}
    member, captain = members[t.member_person.pk], members[t.captain_person.pk]
    assert (member.trainings, member.prizes, member.score) == (2, 1, 2 * 2 + 3)
    assert (captain.trainings, captain.prizes, captain.score) == (1, 0, 2)
    assert captain.flagged and not member.flagged  # under the threshold of 4


def test_bad_trainings_entries_and_brands_are_refused_and_change_nothing(county, teams):
    c, t = county, teams
    seminar = services.training_record(kind="seminar", title="研讨", held_on=START, by=c.staff)
    services.training_entry_add(training=seminar, person=t.member_person, by=c.staff)
    before = (Training.objects.count(), TrainingEntry.objects.count(), Brand.objects.count())
    cases = [
        (
            lambda: services.training_record(kind="seminar", title=" ", held_on=START, by=c.staff),
            "title",
        ),
        (
            lambda: services.training_record(kind="picnic", title="x", held_on=START, by=c.staff),
            "not a kind",
        ),
        (
            lambda: services.training_record(
                kind="class", title="x", held_on=D(2027, 1, 1), by=c.staff
            ),
            "once it is held",
        ),
        (
            lambda: services.training_entry_add(
                training=seminar, person=t.member_person, by=c.staff
            ),
            "already a participant",
        ),
        (
            lambda: services.training_entry_add(
                training=seminar, person=t.captain_person, prize="first", by=c.staff
            ),
            "knowledge contests",
        ),
        (
            lambda: services.brand_record(
                unit=c.member_unit, name="", recognized_on=START, by=c.staff
            ),
            "Name the brand",
        ),
        (
            lambda: services.brand_record(
                unit=c.member_unit, name="品牌", recognized_on=D(2027, 1, 1), by=c.staff
            ),
            "recognized",
        ),
    ]
    for call, words in cases:
        with pytest.raises(ValidationError, match=words):
            call()
    assert (
        Training.objects.count(),
        TrainingEntry.objects.count(),
        Brand.objects.count(),
    ) == before


def test_staff_record_on_the_pages_and_others_may_not(client, county, teams):
    c, t = county, teams
    client.force_login(c.staff)
    response = client.post(
        reverse("teams:trainings"),
        {"kind": "contest", "title": "知识竞赛", "held_on": "2026-06-01"},
    )
    assert response.status_code == 302
    training = Training.objects.get(title="知识竞赛")
    response = client.post(
        reverse("teams:training_detail", args=[training.pk]),
        {"person": t.member_person.pk, "prize": "second", "result": "90分"},
    )
    assert response.status_code == 302
    assert TrainingEntry.objects.get(training=training).prize == "second"
    response = client.post(
        reverse("teams:brands"),
        {
            "unit": c.member_unit.pk,
            "name": "红色茶乡",
            "level": "city",
            "recognized_on": "2026-05-01",
        },
    )
    assert response.status_code == 302 and Brand.objects.filter(name="红色茶乡").exists()
    # a future day is refused on the page, with the reason, and nothing recorded
    response = client.post(
        reverse("teams:trainings"), {"kind": "class", "title": "未来", "held_on": "2026-12-30"}
    )
    assert response.status_code == 200 and not Training.objects.filter(title="未来").exists()
    for user in (t.captain, t.member, c.secretary):
        client.force_login(user)
        assert client.get(reverse("teams:trainings")).status_code == 404
        assert client.get(reverse("teams:brands")).status_code == 404


def test_the_years_scorecards_export(client, county, teams):
    c, t = county, teams
    services.policy_for(c.zone_a.county_id)
    contest = services.training_record(
        kind="contest", title="竞赛", held_on=D(2026, 6, 1), by=c.staff
    )
    services.training_entry_add(training=contest, person=t.member_person, prize="third", by=c.staff)
    client.force_login(c.staff)
    response = client.get(reverse("teams:scorecards_export") + "?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["服务队考核", "队员考核"]
    teams_rows = list(book["服务队考核"].iter_rows(values_only=True))
    assert teams_rows[0][:3] == ("排名", "服务队", "牵头党组织")
    assert {row[1] for row in teams_rows[1:]} == {"第一服务队", "第二服务队"}
    members = list(book["队员考核"].iter_rows(values_only=True))
    member_row = next(r for r in members if r[1] == "赵队员")
    prizes = members[0].index("获奖")
    assert member_row[prizes] == 1
    client.force_login(t.captain)
    assert client.get(reverse("teams:scorecards_export")).status_code == 404
