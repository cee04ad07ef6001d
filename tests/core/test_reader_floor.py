"""The floor every signed-in page pays (issue 20): the navigation's menu and the reader's access
scope are cached per reader and day under the reader version (core.cache), so a page of little
content costs the session, the user and the unread count and nothing else; and the cache moves
with who the reader is — a post, a zone, a person, a mechanism, the language — so the menu shows
the same items to the same people as it did uncached."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path
from django.utils import translation

from config.urls import urlpatterns as portal_urlpatterns
from core.cache import bump_data_version
from counties.constants import Mechanism
from counties.models import CountyMechanism
from notifications.constants import Kind
from notifications.services import Message, notifications_send
from people import services as people_services
from tests.factories import UnitPostFactory, UserFactory, ZoneFactory, unit_in_zone
from tests.people.factories import person_in
from zones.models import UnitPost
from zones.selectors import user_scope

FRAME = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<p>floor</p>{% endblock %}'
)


@login_required
def floor(request):
    """A page with the portal's frame (base.html) and no content of its own."""
    return HttpResponse(FRAME.render({}, request))


urlpatterns = [path("test-floor/", floor, name="test_floor"), *portal_urlpatterns]

pytestmark = pytest.mark.urls(__name__)

FLOOR = "/test-floor/"


def menu_of(html: str) -> str:
    start = html.index('<ul class="navbar-nav me-auto">')
    return html[start : html.index("</ul>\n", start)]


def page(client, user, url=FLOOR) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["staff", "leader", "secretary", "outsider"])
def test_the_floor_is_three_queries_once_the_reader_is_known(
    client, county, who, django_assert_num_queries
):
    user = getattr(county, who)
    page(client, user)  # the first request of the day computes the menu and the scope
    bump_data_version()  # a record saved elsewhere: the reader's facts stay cached
    # session, user (with the county's mechanisms and names), unread count
    with django_assert_num_queries(3):
        assert client.get(FLOOR).status_code == 200


@pytest.mark.parametrize("who", ["staff", "leader", "secretary", "lead_secretary", "outsider"])
def test_the_cached_menu_is_the_menu_computed_afresh(client, county, who):
    user = getattr(county, who)
    page(client, user)
    cached = menu_of(page(client, user))
    cache.clear()
    assert menu_of(page(client, user)) == cached


def test_a_new_post_shows_in_the_menu_at_the_next_request(client, county):
    assert 'id="nav-register"' not in page(client, county.outsider)
    post = UnitPostFactory(user=county.outsider, unit=county.member_unit_2)
    assert 'id="nav-register"' in page(client, county.outsider)
    post.delete()
    assert 'id="nav-register"' not in page(client, county.outsider)


def test_a_linked_person_shows_in_the_menu_at_the_next_request(client, county):
    CountyMechanism.objects.get_or_create(
        county=county.member_unit.county,
        mechanism=Mechanism.EDUCATION,
        until=None,
        defaults={"since": datetime.date(2024, 1, 1)},
    )
    assert 'id="nav-education-mine"' not in page(client, county.outsider)
    person = person_in(county.member_unit, name="王芳", mobile="13800001234")
    people_services.person_link_account(person=person, user=county.outsider)
    assert 'id="nav-education-mine"' in page(client, county.outsider)


def test_a_mechanism_switched_off_leaves_the_menu_at_the_next_request(client, county):
    the_county = county.member_unit.county
    running = CountyMechanism.objects.filter(county=the_county, mechanism=Mechanism.ZONES)
    if not running.exists():
        CountyMechanism.objects.create(
            county=the_county, mechanism=Mechanism.ZONES, since=datetime.date(2024, 1, 1)
        )
    assert 'id="nav-grid"' in page(client, county.staff)
    running.delete()
    assert 'id="nav-grid"' not in page(client, county.staff)


def test_the_menu_is_cached_per_language(client, county):
    chinese = menu_of(page(client, county.staff))
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = menu_of(page(client, county.staff))
    assert chinese != english
    assert "Dashboard" in english


def test_a_new_notification_counts_at_the_next_request(client, county):
    def unread(html):
        return html.count('id="unread-count"')

    assert unread(page(client, county.secretary)) == 0
    notifications_send(
        [Message(county.secretary.pk, Kind.FINDING_DUE_SOON, "finding:1", "2026-10-10",
                 "整改即将到期", "请按期完成整改。", "/supervision/")]
    )  # fmt: skip
    html = page(client, county.secretary)
    assert (
        unread(html) == 1
        and '<span class="badge rounded-pill text-bg-warning" id="unread-count">1</span>' in html
    )


def test_the_scope_is_cached_across_requests_until_the_zones_change(
    county, django_assert_num_queries
):
    def fresh(user):
        return type(user).objects.get(pk=user.pk)  # a new request's user object

    first = user_scope(fresh(county.secretary))
    again = fresh(county.secretary)
    with django_assert_num_queries(0):
        assert user_scope(again) == first
    assert county.zone_b.pk not in first.member_zone_ids
    UnitPost.objects.create(user=county.secretary, unit=county.other_unit)
    moved = user_scope(fresh(county.secretary))
    assert county.other_unit.pk in moved.unit_ids and county.zone_b.pk in moved.member_zone_ids
    zone = ZoneFactory(number=7)
    unit_in_zone(zone)  # another unit's zone: nothing of the secretary's
    assert zone.pk not in user_scope(fresh(county.secretary)).member_zone_ids


def test_a_new_account_does_not_inherit_a_cached_menu(client, county):
    page(client, county.secretary)
    newcomer = UserFactory(username="newcomer")
    assert 'id="nav-register"' not in page(client, newcomer)


def nav_of(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def test_the_cached_bar_is_each_readers_own(client, county):
    """The bar is cached per reader: a second reader of the same rights sees their own name
    and their own items, never the first reader's."""
    first = nav_of(page(client, county.staff))
    colleague = UserFactory(username="colleague", full_name="同事甲", role=county.staff.role)
    second = nav_of(page(client, colleague))
    assert county.staff.get_full_name() in first and county.staff.get_full_name() not in second
    assert "同事甲" in second
    assert nav_of(page(client, county.outsider)).count('id="nav-register"') == 0
    assert 'id="nav-register"' in first


def test_the_bars_holes_are_each_requests_own(county):
    """What the cached bar leaves open is the request's: its CSRF token (one the CSRF check
    accepts), the path the language switch returns to and the search text, escaped."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.staff)
    first = client.get(FLOOR + "?q=<b>甲").content.decode()
    second = client.get(FLOOR + "?x=1").content.decode()
    assert 'value="&lt;b&gt;甲"' in first and 'value="&lt;b&gt;甲"' not in second
    assert '<input name="next" type="hidden" value="/test-floor/?x=1">' in second
    assert second.count('name="csrfmiddlewaretoken"') == 2
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1)
    refused = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert refused.status_code == 403
    switched = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
