"""Courtyard meetings (院落会): a record of their own (date, place, convener, attendance, photo),
the wishes entered on behalf of villagers from one link to it; each refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.uploads import clean_upload
from tests.activities.factories import photo
from wishes import services
from wishes.constants import Channel
from wishes.models import Meeting, Village, Wish

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def _meeting(w, c, **kw):
    args = {
        "village": w.village,
        "place": "王家院坝",
        "held_on": MONDAY,
        "convener": "李主任",
        "attendance": 23,
        "by": c.lead_secretary,
        "on": MONDAY,
    }
    return services.meeting_record(**{**args, **kw})


def test_a_meeting_is_recorded_with_its_photo_and_its_wishes_link_to_it(w, county):
    meeting = _meeting(w, county, photo=clean_upload(photo("院落会.jpg")))
    assert meeting.county_id == w.town.county_id and meeting.photo_name == "院落会.jpg"
    wish = services.wish_receive(
        group=w.group_2,
        channel=Channel.COURTYARD,
        text="希望修建文化广场",
        phone="13600001111",
        meeting=meeting,
        by=county.lead_secretary,
        on=MONDAY,
    )
    assert wish.meeting == meeting and list(meeting.wishes.all()) == [wish]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": MONDAY + datetime.timedelta(days=1)}, "once it has been held"),
        ({"place": " "}, "where the meeting"),
        ({"convener": ""}, "who convened"),
        ({"attendance": 0}, "at least one person"),
    ],
)
def test_a_meeting_is_refused_with_a_reason(w, county, change, message):
    with pytest.raises(ValidationError, match=message):
        _meeting(w, county, **change)
    assert not Meeting.objects.exists()


def test_a_wish_links_only_to_a_meeting_of_its_village_and_channel(w, county):
    meeting = _meeting(w, county)
    other = Village.objects.create(town=w.town, name="兴隆村")
    from wishes.models import Group

    far = Group.objects.create(village=other, name="三组")
    base = {"text": "想要良种苗", "phone": "13600002222", "by": county.lead_secretary}
    with pytest.raises(ValidationError, match="held in"):
        services.wish_receive(group=far, channel=Channel.COURTYARD, meeting=meeting, **base)
    with pytest.raises(ValidationError, match="courtyard-meeting channel"):
        services.wish_receive(group=w.group, channel=Channel.VISIT, meeting=meeting, **base)
    assert Wish.objects.count() == 1  # the fixture's wish only


def test_the_dispatcher_records_a_meeting_and_enters_a_wish_from_it(client, w, county):
    client.force_login(county.lead_secretary)
    response = client.post(
        reverse("wishes:meetings"),
        {
            "village": w.village.pk,
            "place": "村委会院坝",
            "held_on": "2026-11-20",
            "convener": "张支书",
            "attendance": "31",
            "photo": photo("会.jpg"),
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.attendance == 31 and meeting.photo
    page = client.get(reverse("wishes:meeting", args=[meeting.pk])).content.decode()
    assert "张支书" in page and "?meeting=" in page
    assert client.get(reverse("wishes:meeting_photo", args=[meeting.pk])).status_code == 200
    client.post(
        reverse("wishes:enter"),
        {
            "channel": Channel.COURTYARD,
            "group": w.group.pk,
            "text": "希望安装路灯",
            "phone": "13600003333",
            "meeting": meeting.pk,
        },
    )
    assert Wish.objects.get(meeting=meeting).text == "希望安装路灯"
    listing = client.get(reverse("wishes:meetings")).content.decode()
    assert "村委会院坝" in listing


def test_a_refused_meeting_page_says_why_and_saves_nothing(client, w, county):
    client.force_login(county.lead_secretary)
    response = client.post(
        reverse("wishes:meetings"),
        {
            "village": w.village.pk,
            "place": "院坝",
            "held_on": "2099-01-01",
            "convener": "张支书",
            "attendance": "3",
        },
    )
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "院落会召开后方可登记" in response.content.decode()  # said in the page's language


def test_a_handler_does_not_see_the_meetings(client, w, county):
    meeting = _meeting(w, county)
    client.force_login(county.secretary)
    assert client.get(reverse("wishes:meetings")).status_code == 404
    assert client.get(reverse("wishes:meeting", args=[meeting.pk])).status_code == 404


def test_staff_correct_a_meeting_and_list_the_groups_in_the_admin(client, w, county):
    meeting = _meeting(w, county)
    client.force_login(county.staff)
    assert client.get(reverse("admin:wishes_meeting_changelist")).status_code == 200
    assert client.get(reverse("admin:wishes_meeting_change", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("admin:wishes_group_changelist")).status_code == 200
