"""Correcting a courtyard meeting's record (院落会): date, place, convener, attendance, a new
photo; whoever may record one of its village (county staff, the town office); refused, with
nothing changed, when its wishes would no longer be of its village; the history keeps the old
values."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.uploads import clean_upload
from tests.activities.factories import photo
from wishes import services
from wishes.constants import Channel
from wishes.models import Meeting, Village

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(w, county):
    return services.meeting_record(
        village=w.village,
        place="王家院坝",
        held_on=MONDAY,
        convener="李主任",
        attendance=23,
        photo=clean_upload(photo("院落会.jpg")),
        by=county.lead_secretary,
        on=MONDAY,
    )


def _update(meeting, by, **kw):
    args = {
        "village": meeting.village,
        "place": meeting.place,
        "held_on": meeting.held_on,
        "convener": meeting.convener,
        "attendance": meeting.attendance,
        "by": by,
        "on": MONDAY,
    }
    return services.meeting_update(meeting=meeting, **{**args, **kw})


def test_the_town_office_corrects_the_record_and_replaces_the_photo(
    client, w, county, meeting, fixed_today
):
    fixed_today(MONDAY)
    client.force_login(county.lead_secretary)
    url = reverse("wishes:meeting_edit", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "village": w.village.pk,
            "place": "李家院坝",
            "held_on": (MONDAY - datetime.timedelta(days=1)).isoformat(),
            "convener": "张主任",
            "attendance": 31,
            "photo": photo("新照片.jpg"),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.convener, meeting.attendance) == ("李家院坝", "张主任", 31)
    assert meeting.photo_name == "新照片.jpg"
    assert [h.place for h in meeting.history.order_by("history_date")] == ["王家院坝", "李家院坝"]


def test_another_village_is_refused_while_its_wishes_are_of_this_one(w, county, meeting):
    services.wish_receive(
        group=w.group_2,
        channel=Channel.COURTYARD,
        text="希望修建文化广场",
        phone="13600001111",
        meeting=meeting,
        by=county.lead_secretary,
        on=MONDAY,
    )
    other = Village.objects.create(town=w.town, name="兴隆村")
    with pytest.raises(ValidationError, match="its own village"):
        _update(meeting, county.lead_secretary, village=other, place="别处")
    meeting.refresh_from_db()
    assert (meeting.village, meeting.place) == (w.village, "王家院坝")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": MONDAY + datetime.timedelta(days=1)}, "once it has been held"),
        ({"place": " "}, "where the meeting"),
        ({"attendance": 0}, "at least one person"),
    ],
)
def test_a_correction_is_refused_with_a_reason(w, county, meeting, change, message):
    with pytest.raises(ValidationError, match=message):
        _update(meeting, county.staff, **change)
    meeting.refresh_from_db()
    assert (meeting.place, meeting.attendance, meeting.held_on) == ("王家院坝", 23, MONDAY)


def test_who_reads_but_does_not_record_gets_403_and_others_404(client, w, county, meeting):
    url = reverse("wishes:meeting_edit", args=[meeting.pk])
    client.force_login(county.leader)  # the committee reads the meetings
    assert client.post(url, {"place": "x"}).status_code == 403
    client.force_login(county.secretary)  # a handler unit: no meeting of theirs
    assert client.get(url).status_code == 404
    assert Meeting.objects.get().place == "王家院坝"
