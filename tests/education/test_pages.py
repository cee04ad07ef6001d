"""The pages: a secretary creates a session, a member signs in from the screen's code and sees
their hours move; who gets 404; the minutes as .docx; query counts pinned."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from counties.models import CountyMechanism
from education import services
from education.constants import ClassroomKind, Status
from education.models import Session
from tests.factories import CountyFactory, UserFactory
from tests.people.factories import person_in

from .conftest import make_session

pytestmark = pytest.mark.django_db


def _post_session(client, edu, county, **extra):
    now = timezone.localtime()
    data = {
        "classroom": edu.rooms[ClassroomKind.THEORY].pk,
        "kind": "party_lecture",
        "topic": "专题党课：牢记初心使命",
        "date": now.date().isoformat(),
        "start": (now - datetime.timedelta(minutes=10)).strftime("%H:%M"),
        "end": "23:59",
        "duration": "2",
        "duration_unit": "hours",
        "place": "三楼会议室",
        "speaker": "书记",
        "units": [county.member_unit.pk],
        "audience": "units",
        **extra,
    }
    return client.post(reverse("education:session_create"), data)


def test_secretary_creates_member_signs_in_and_hours_move(client, edu, county):
    if timezone.localtime().hour == 0 and timezone.localtime().minute < 15:
        pytest.skip("the session starts ten minutes ago, on this day")
    client.force_login(county.secretary)
    response = _post_session(client, edu, county)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get()
    assert session.attendances.count() == 2
    screen = client.get(reverse("education:session_screen", args=[session.pk]))
    assert screen.status_code == 200
    link = re.search(
        r'id="sign-in-link"[^>]*|href="([^"]+/sign-in/[^"]+)"', screen.content.decode()
    )
    path = re.search(r'href="https?://[^/]+(/education/sign-in/[^"]+)"', screen.content.decode())
    assert link and path
    client.force_login(edu.member_user)
    page = client.get(path.group(1))
    assert "王芳" in page.content.decode()
    done = client.post(path.group(1))
    assert 'id="signed-in"' in done.content.decode()
    assert session.attendances.get(person=edu.member).status == Status.PRESENT
    mine = client.get(reverse("education:mine"))
    assert mine.context["entry"].total == 2


def test_a_visitor_without_account_signs_with_phone_digits(client, edu, county):
    now = timezone.now()
    session = services.session_create(
        county=edu.county,
        by=county.secretary,
        classroom=edu.rooms[ClassroomKind.RED],
        kind="site_visit",
        topic="蒋家坪现场教学",
        starts_at=now - datetime.timedelta(minutes=1),
        ends_at=now + datetime.timedelta(hours=2),
        duration=2,
        units=[county.member_unit],
    )
    url = reverse("education:sign_in", args=[services.qr_token(session)])
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"name": "李强", "digits": "1111"})
    assert "No one of this name" in wrong.content.decode() or "没有" in wrong.content.decode()
    assert session.attendances.get(person=edu.second).status == Status.EXPECTED
    client.post(url, {"name": "李强", "digits": "5678"})
    assert session.attendances.get(person=edu.second).status == Status.PRESENT


def test_a_forged_code_is_a_400(client, edu):
    response = client.get(reverse("education:sign_in", args=["nonsense"]))
    assert response.status_code == 400


def test_the_minutes_export_as_docx_with_the_four_fields(client, edu, county):
    session = make_session(
        edu, county, day=datetime.date(2026, 2, 3), kind="first_topic", summary="逐段学习。"
    )
    client.force_login(county.secretary)
    response = client.get(reverse("education:session_minutes", args=[session.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    assert session.topic in text and "逐段学习。" in text and "王芳" in text


def test_unit_page_draws_the_balance_and_lists_members(client, edu, county):
    make_session(edu, county, day=datetime.date(2026, 3, 3))
    client.force_login(county.secretary)
    response = client.get(reverse("education:unit", args=[county.member_unit.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="balance-chart"' in body and "王芳" in body
    assert 'id="unused-classrooms"' in body


def test_who_gets_404(client, edu, county):
    session = make_session(edu, county, day=datetime.date(2026, 3, 3))
    # the other zone's secretary: not their unit's session, nor their unit
    client.force_login(county.other_secretary)
    assert client.get(reverse("education:session", args=[session.pk])).status_code == 404
    assert client.get(reverse("education:unit", args=[county.member_unit.pk])).status_code == 404
    assert client.get(reverse("education:mine")).status_code == 404
    assert client.get(reverse("education:person", args=[edu.member.pk])).status_code == 404
    # a member sees their own hours, not another's
    client.force_login(edu.member_user)
    assert client.get(reverse("education:person", args=[edu.second.pk])).status_code == 404
    assert client.get(reverse("education:session", args=[session.pk])).status_code == 200
    assert client.get(reverse("education:session_screen", args=[session.pk])).status_code == 403
    # another county's staff
    other = CountyFactory(code="610926", name="平利县", short_name="平利", mechanisms=["education"])
    pl_staff = UserFactory(username="pl_staff2", role="staff", county=other, is_staff=True)
    client.force_login(pl_staff)
    assert client.get(reverse("education:session", args=[session.pk])).status_code == 404


def test_a_county_not_running_the_mechanism_gets_404(client, edu, county):
    CountyMechanism.objects.filter(mechanism="education").delete()
    client.force_login(county.staff)
    assert client.get(reverse("education:index")).status_code == 404


def test_a_secretary_cannot_organize_another_units_session(client, edu, county):
    client.force_login(county.secretary)
    response = _post_session(client, edu, county, units=[county.other_unit.pk])
    assert response.status_code == 200
    assert Session.objects.count() == 0


def test_classrooms_rename_by_staff_only(client, edu, county):
    room = edu.rooms[ClassroomKind.CLOUD]
    client.force_login(county.leader)
    assert client.get(reverse("education:classrooms")).status_code == 200
    denied = client.post(reverse("education:classrooms"), {"classroom": room.pk, "name": "X"})
    assert denied.status_code == 403
    client.force_login(county.staff)
    client.post(
        reverse("education:classrooms"), {"classroom": room.pk, "name": "网络课堂", "active": "on"}
    )
    room.refresh_from_db()
    assert room.name == "网络课堂"


def _many(edu, county, n):
    for i in range(n):
        person_in(county.member_unit, name=f"成员{i}")
    for i in range(n):
        make_session(edu, county, day=datetime.date(2026, 3, 1 + i), topic=f"学习{i}")


@pytest.mark.parametrize("url", ["sessions", "mine", "unit"])
def test_query_counts_equal_at_small_and_large_data(
    client, edu, county, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        target = {
            "sessions": reverse("education:sessions"),
            "mine": reverse("education:mine"),
            "unit": reverse("education:unit", args=[county.member_unit.pk]),
        }[url]
        client.force_login(edu.member_user if url == "mine" else county.secretary)
        client.get(target)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        return len(ctx.captured_queries)

    _many(edu, county, 1)
    small = count()
    _many(edu, county, 6)
    assert count() == small
