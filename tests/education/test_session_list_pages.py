"""The study sessions' list a page of 50 at a time, newest first, the year kept in the pages'
links: a county's units' 第一议题 sessions alone are hundreds a year, and the list read them
all on every view (issue 20's generated city, with the units' party-group meetings)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from education.constants import Audience, DurationUnit, SessionKind
from education.models import Session
from education.views import SESSIONS_PER_PAGE

pytestmark = pytest.mark.django_db


def _sessions(edu, county, n: int) -> None:
    """`n` sessions of 2026, one a day from 1 January, topic 学习<i>."""
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=timezone.get_current_timezone())
    Session.objects.bulk_create(
        Session(
            county=edu.county,
            classroom=next(iter(edu.rooms.values())),
            kind=SessionKind.GROUP_STUDY,
            topic=f"学习{i:03d}",
            starts_at=start + datetime.timedelta(days=i),
            ends_at=start + datetime.timedelta(days=i, hours=2),
            duration=2,
            duration_unit=DurationUnit.HOURS,
            audience=Audience.UNITS,
            created_by=county.staff,
        )
        for i in range(n)
    )


def _topics(response) -> list[str]:
    return [s.topic for s in response.context["sessions"]]


def test_the_list_shows_fifty_a_page_newest_first_with_the_year_in_its_links(client, edu, county):
    _sessions(edu, county, SESSIONS_PER_PAGE + 7)
    client.force_login(county.staff)
    url = reverse("education:sessions")
    first = client.get(url, {"year": 2026})
    assert first.status_code == 200
    topics = _topics(first)
    assert len(topics) == SESSIONS_PER_PAGE and topics[0] == f"学习{SESSIONS_PER_PAGE + 6:03d}"
    content = first.content.decode()
    assert "1 / 2" in content and "?year=2026&amp;page=2" in content
    second = client.get(url, {"year": 2026, "page": 2})
    assert _topics(second) == [f"学习{i:03d}" for i in range(6, -1, -1)]
    assert "?year=2026&amp;page=1" in second.content.decode()
    # a page past the last, or not a number, is the last or the first, as every list's
    assert _topics(client.get(url, {"year": 2026, "page": 9})) == _topics(second)
    assert _topics(client.get(url, {"year": 2026, "page": "x"})) == topics


def test_one_page_has_no_page_links(client, edu, county):
    _sessions(edu, county, 3)
    client.force_login(county.staff)
    response = client.get(reverse("education:sessions"), {"year": 2026})
    assert len(_topics(response)) == 3 and "page=" not in response.content.decode()
