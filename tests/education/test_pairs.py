"""老带新 / 一帮一 pairs: recorded by the county's staff, dates, meetings logged by the two of the
pair while it runs; the refusals; who may."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from education import services
from education.constants import PairKind
from education.models import MentorPair, PairMeeting
from tests.factories import CountyFactory, UnitFactory
from tests.people.factories import person_in

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _pair(edu, county, **extra):
    values = {
        "county": edu.county,
        "kind": PairKind.OLD_NEW,
        "mentor": edu.member,
        "mentee": edu.second,
        "effective_from": START,
        "by": county.staff,
        **extra,
    }
    return services.pair_create(**values)


def test_a_pair_logs_its_meetings_while_it_runs(edu, county):
    pair = _pair(edu, county)
    services.pair_meeting_log(
        pair=pair, held_on=datetime.date(2026, 4, 2), summary="讲解发展党员流程", by=county.staff
    )
    services.pair_end(pair=pair, on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="did not run on"):
        services.pair_meeting_log(
            pair=pair, held_on=datetime.date(2026, 6, 2), summary="x", by=county.staff
        )
    with pytest.raises(ValidationError, match="did not run on"):
        services.pair_meeting_log(
            pair=pair, held_on=datetime.date(2026, 2, 2), summary="x", by=county.staff
        )
    with pytest.raises(ValidationError, match="ended already"):
        services.pair_end(pair=pair, on=datetime.date(2026, 7, 1))
    assert PairMeeting.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mentee": "self"}, "two people"),
        ({"effective_to": START}, "ends after it begins"),
        ({"kind": "other"}, "kind of pair"),
        ({"mentee": "elsewhere"}, "county's register"),
    ],
)
def test_bad_pairs_are_refused(edu, county, change, message):
    if change.get("mentee") == "self":
        change["mentee"] = edu.member
    elif change.get("mentee") == "elsewhere":
        other = CountyFactory(code="610926", name="平利县", short_name="平利")
        change["mentee"] = person_in(UnitFactory(county=other), name="孙丽")
    with pytest.raises(ValidationError, match=message):
        _pair(edu, county, **change)
    assert not MentorPair.objects.exists()


def test_the_same_two_are_not_paired_twice_over_the_same_dates(edu, county):
    _pair(edu, county, effective_to=datetime.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="already paired"):
        _pair(edu, county, effective_from=datetime.date(2026, 8, 1))
    _pair(edu, county, effective_from=datetime.date(2026, 9, 1))  # after the first ended


def test_bad_meetings_and_endings_are_refused(edu, county):
    pair = _pair(edu, county)
    with pytest.raises(ValidationError, match="once it is held"):
        services.pair_meeting_log(
            pair=pair,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            summary="x",
            by=county.staff,
        )
    with pytest.raises(ValidationError, match="went through"):
        services.pair_meeting_log(pair=pair, held_on=START, summary=" ", by=county.staff)
    services.pair_meeting_log(
        pair=pair, held_on=datetime.date(2026, 5, 1), summary="y", by=county.staff
    )
    with pytest.raises(ValidationError, match="meetings on or after"):
        services.pair_end(pair=pair, on=datetime.date(2026, 4, 1))
    with pytest.raises(ValidationError, match="ends after it begins"):
        services.pair_end(pair=pair, on=START)


def test_the_pages(client, edu, county):
    client.force_login(county.staff)
    created = client.post(
        reverse("education:pairs"),
        {
            "kind": PairKind.ONE_ONE,
            "mentor": edu.second.pk,
            "mentee": edu.member.pk,
            "effective_from": START.isoformat(),
        },
    )
    pair = MentorPair.objects.get()
    assert created.url == reverse("education:pair", args=[pair.pk])
    client.force_login(edu.member_user)  # the mentee logs a meeting, sees the pair on their page
    client.post(
        reverse("education:pair", args=[pair.pk]),
        {"held_on": datetime.date(2026, 4, 1).isoformat(), "summary": "谈心谈话"},
    )
    assert pair.meetings.count() == 1
    assert b"my-pairs" in client.get(reverse("education:mine")).content
    assert client.post(reverse("education:pair_end", args=[pair.pk])).status_code == 403
    client.force_login(county.secretary)
    assert client.get(reverse("education:pair", args=[pair.pk])).status_code == 404
