"""The city dashboard after a write (issue 20, portal.city_body): for a few seconds the last
body, "as of" its time, while the worker renders the current one; the worker's task
idempotent; past the window the request renders the body itself, so no write stays off the
city's page longer than that."""

from __future__ import annotations

import datetime
import time
import types

import pytest
from django.core.cache import cache
from django.urls import reverse

from activities.constants import ActivityState
from core import cache as core_cache
from core.constants import Role
from portal import city_body, tasks
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UserFactory, ZoneFactory

TODAY = datetime.date(2026, 11, 28)
RECENT = 10


@pytest.fixture
def city_staff(db):
    return UserFactory(username="city", role=Role.CITY_STAFF)


@pytest.fixture
def four_counties(county):
    """石泉县 (tests/conftest.py) and 紫阳县, each running the zones mechanism."""
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    ZoneFactory(county=ziyang, number=1, name="紫阳第一片区")
    return {"ziyang": ziyang}


@pytest.fixture(autouse=True)
def _recent(fixed_today, settings, monkeypatch):
    fixed_today(TODAY)
    cache.clear()
    settings.CITY_BODY_RECENT_SECONDS = RECENT
    handed: list = []
    monkeypatch.setattr(city_body, "publish", lambda task, *args: handed.append(args) or True)
    return handed


def _confirmed_activity(county, date=datetime.date(2026, 11, 10)):
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=date,
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )


def _covered(response) -> str:
    """石泉县's zone-months covered, as the page's body writes them."""
    body = response.context["body"]
    row = body[body.index('id="county-610922"') : body.index('id="county-610924"')]
    cell = row[row.index("figure-zone_months") :]
    return cell[cell.index("<strong>") + len("<strong>") : cell.index("</strong>")]


def _later(monkeypatch, seconds: float) -> None:
    """The cache's clock `seconds` on."""
    now = time.time() + seconds
    monkeypatch.setattr(core_cache, "time", types.SimpleNamespace(time=lambda: now))


def test_after_a_write_the_page_serves_the_last_body_as_of_its_time_and_hands_it_on(
    client, county, four_counties, city_staff, _recent
):
    client.force_login(city_staff)
    first = client.get(reverse("portal:city_dashboard"))
    assert _covered(first) == "0" and first.context["as_of"] is None
    assert 'id="city-as-of"' not in first.content.decode()
    _confirmed_activity(county)
    served = client.get(reverse("portal:city_dashboard"))
    assert served.context["body"] == first.context["body"] and served.context["d"] is None
    assert served.context["as_of"] is not None
    page = served.content.decode()
    local = served.context["as_of"].astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"数据截至 {local:%H:%M:%S}，最新变动正在统计中。" in page  # Asia/Shanghai
    # handed to the worker once: the next readers of the same seconds are served the same
    assert _recent == [(city_body.city.default_period(TODAY).key, TODAY.isoformat(), "zh-hans")]
    again = client.get(reverse("portal:city_dashboard"))
    assert again.context["as_of"] == served.context["as_of"] and len(_recent) == 1


def test_the_workers_render_is_served_next_and_running_it_twice_changes_nothing(
    client, county, four_counties, city_staff, _recent
):
    client.force_login(city_staff)
    client.get(reverse("portal:city_dashboard"))
    _confirmed_activity(county)
    assert client.get(reverse("portal:city_dashboard")).context["as_of"] is not None
    (args,) = _recent
    assert tasks.city_body_refresh(*args) is True
    assert tasks.city_body_refresh(*args) is False  # stored already: nothing rendered again
    fresh = client.get(reverse("portal:city_dashboard"))
    assert fresh.context["as_of"] is None and _covered(fresh) == "1"
    assert 'id="city-as-of"' not in fresh.content.decode()


def test_past_the_window_the_request_renders_the_body_itself(
    client, county, four_counties, city_staff, _recent, monkeypatch
):
    client.force_login(city_staff)
    client.get(reverse("portal:city_dashboard"))
    _confirmed_activity(county)
    _later(monkeypatch, RECENT + 0.5)  # the worker never came
    response = client.get(reverse("portal:city_dashboard"))
    assert response.context["as_of"] is None and _covered(response) == "1"
    assert response.context["d"] is not None and _recent == []


def test_without_a_window_every_miss_is_rendered_by_its_request(
    client, county, four_counties, city_staff, _recent, settings
):
    settings.CITY_BODY_RECENT_SECONDS = 0
    client.force_login(city_staff)
    client.get(reverse("portal:city_dashboard"))
    _confirmed_activity(county)
    response = client.get(reverse("portal:city_dashboard"))
    assert response.context["as_of"] is None and _covered(response) == "1" and _recent == []
    # nor is a last body kept for a window: one opened later starts from the next body
    settings.CITY_BODY_RECENT_SECONDS = RECENT
    _confirmed_activity(county, datetime.date(2026, 10, 12))  # another month covered
    response = client.get(reverse("portal:city_dashboard"))
    assert response.context["as_of"] is None and _covered(response) == "2" and _recent == []


def test_each_language_has_its_own_body_and_its_own_hand_over(
    client, county, four_counties, city_staff, _recent
):
    client.force_login(city_staff)
    client.get(reverse("portal:city_dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    _confirmed_activity(county)
    served = client.get(reverse("portal:city_dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert served.context["as_of"] is not None
    assert "Figures as of " in served.content.decode() and _recent[-1][2] == "en"
