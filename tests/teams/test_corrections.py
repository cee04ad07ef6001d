"""Correcting what staff recorded wrong: a training or contest, a participant, a brand. Each
correction is refused as the record would be (nothing changed), keeps the old values in the
record's history, and a removal first says what it changes on the scorecards; city staff read
the pages and change nothing (403), another county's staff get 404."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.constants import Role
from teams import services
from teams.models import Brand, Training, TrainingEntry
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def contest(county, teams):
    training = services.training_record(
        kind="contest", title="党建知识竞赛", held_on=D(2026, 6, 1), by=county.staff
    )
    services.training_entry_add(
        training=training, person=teams.member_person, prize="first", by=county.staff
    )
    services.training_entry_add(training=training, person=teams.captain_person, by=county.staff)
    return training


@pytest.fixture
def brand(county, teams):
    return services.brand_record(
        unit=county.member_unit, name="红色司法", recognized_on=D(2026, 5, 1), by=county.staff
    )


def test_a_training_is_corrected_and_its_history_keeps_the_old_title(client, county, contest):
    client.force_login(county.staff)
    url = reverse("teams:training_edit", args=[contest.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "contest", "title": "党史知识竞赛", "held_on": "2026-06-02"}
    )
    assert response.status_code == 302
    contest.refresh_from_db()
    assert (contest.title, contest.held_on) == ("党史知识竞赛", D(2026, 6, 2))
    titles = [h.title for h in contest.history.order_by("history_date")]
    assert titles == ["党建知识竞赛", "党史知识竞赛"]
    assert contest.history.latest().history_user_id == county.staff.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "seminar"}, "hold prizes"),  # a prize winner: it stays a contest
        ({"title": " "}, "title"),
        ({"held_on": D(2026, 12, 30)}, "once it is held"),
    ],
)
def test_a_training_correction_is_refused_with_a_reason_and_nothing_changes(
    county, contest, data, message
):
    args = {"kind": "contest", "title": "党史知识竞赛", "held_on": D(2026, 6, 2), **data}
    with pytest.raises(ValidationError, match=message):
        services.training_update(training=contest, by=county.staff, **args)
    contest.refresh_from_db()
    assert (contest.kind, contest.title, contest.held_on) == (
        "contest",
        "党建知识竞赛",
        D(2026, 6, 1),
    )


def test_removing_a_training_says_what_it_changes_then_removes_it(client, county, contest):
    client.force_login(county.staff)
    url = reverse("teams:training_delete", args=[contest.pk])
    page = client.get(url).content.decode()
    assert "2" in page and "2026" in page and 'id="delete-consequences"' in page
    assert Training.objects.filter(pk=contest.pk).exists()  # asking removes nothing
    assert client.post(url).status_code == 302
    assert not Training.objects.filter(pk=contest.pk).exists()
    assert not TrainingEntry.objects.filter(training_id=contest.pk).exists()
    assert contest.history.filter(history_type="-").count() == 1  # the history keeps it
    assert TrainingEntry.history.filter(training_id=contest.pk, history_type="-").count() == 2


def test_a_participant_entered_by_mistake_is_removed(client, county, teams, contest):
    entry = contest.entries.get(person=teams.member_person)
    client.force_login(county.staff)
    url = reverse("teams:training_entry_remove", args=[contest.pk, entry.pk])
    assert "赵队员" in client.get(url).content.decode()
    client.post(url)
    assert list(contest.entries.values_list("person__name", flat=True)) == ["王队长"]


def test_a_brand_is_corrected_refused_for_a_taken_name_and_removed(client, county, teams, brand):
    services.brand_record(
        unit=county.member_unit, name="法治先锋", recognized_on=D(2026, 4, 1), by=county.staff
    )
    with pytest.raises(ValidationError, match="already has a brand"):
        services.brand_update(
            brand=brand,
            unit=county.member_unit,
            name="法治先锋",
            recognized_on=D(2026, 5, 1),
            by=county.staff,
        )
    brand.refresh_from_db()
    assert brand.name == "红色司法"
    services.brand_update(
        brand=brand,
        unit=county.member_unit,
        name="红色司法所",
        level="city",
        recognized_on=D(2026, 5, 1),
        by=county.staff,
    )
    assert [h.name for h in brand.history.order_by("history_date")] == ["红色司法", "红色司法所"]
    client.force_login(county.staff)
    page = client.get(reverse("teams:brand_delete", args=[brand.pk])).content.decode()
    assert teams.team_a.name in page  # the team whose scorecard loses it
    client.post(reverse("teams:brand_delete", args=[brand.pk]))
    assert not Brand.objects.filter(pk=brand.pk).exists()


def test_city_staff_read_but_change_nothing_and_another_county_gets_404(
    client, county, contest, brand
):
    city = UserFactory(username="city_reader", role=Role.CITY_STAFF)
    other = CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=[])
    zy = UserFactory(username="zy", role=Role.STAFF, county=other, is_staff=True)
    urls = [
        reverse("teams:training_edit", args=[contest.pk]),
        reverse("teams:training_delete", args=[contest.pk]),
        reverse("teams:brand_edit", args=[brand.pk]),
        reverse("teams:brand_delete", args=[brand.pk]),
    ]
    client.force_login(city)
    assert [client.post(u).status_code for u in urls] == [403] * 4
    client.force_login(zy)
    assert [client.get(u).status_code for u in urls] == [404] * 4
    assert Training.objects.filter(pk=contest.pk).exists()
    assert Brand.objects.filter(pk=brand.pk).exists()
