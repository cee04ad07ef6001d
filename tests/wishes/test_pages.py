"""The villagers' pages (no login) and the staff's pages, end to end through the test client."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from wishes import services
from wishes.constants import Satisfaction, State
from wishes.models import Wish

from .conftest import MONDAY


def intake_url(group) -> str:
    return reverse("wish_public:intake", args=[services.group_token(group)])


def payload(**extra):
    return {"text": "想请镇上帮忙协调良种苗", "phone": "13711112222", "consent": "on", **extra}


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)  # "PASSED" passes


def solved_captcha(page: str) -> dict:
    """The answer of the captcha the page shows, read from the store (as a villager reads it)."""
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def test_the_intake_page_knows_its_place_and_is_chinese_and_small(client, w):
    response = client.get(intake_url(w.group), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "滔河镇 · 同心村 · 一组" in body
    assert "个人信息" in body  # the notice, in Chinese whatever the browser asks
    assert "<script" not in body and "bootstrap" not in body
    assert len(response.content) < 12_000


def test_a_forged_link_is_404(client, w):
    token = services.group_token(w.group)
    assert client.get(f"/wish/{token}x/").status_code == 404
    assert client.get("/wish/1:abc/").status_code == 404


def test_a_county_that_does_not_run_the_mechanism_has_no_intake(client, w):
    from counties.models import CountyMechanism

    CountyMechanism.objects.filter(mechanism="wishes").delete()
    assert client.get(intake_url(w.group)).status_code == 404


def test_a_villager_sends_a_wish_and_reads_the_ticket(client, w):
    response = client.post(intake_url(w.group), payload(name="李四"))
    assert response.status_code == 302
    wish = Wish.objects.exclude(pk=w.wish.pk).get()
    assert wish.group == w.group and wish.notice_version == "2026-1"
    page = client.get(response["Location"]).content.decode()
    assert wish.ticket in page


def test_without_consent_nothing_is_saved_and_the_text_is_kept(client, w):
    response = client.post(intake_url(w.group), payload(consent=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "勾选" in body or "同意" in body
    assert "想请镇上帮忙协调良种苗" in body
    assert Wish.objects.count() == 1


def test_the_second_wish_of_an_address_within_the_hour_needs_the_captcha(client, w):
    assert client.post(intake_url(w.group), payload()).status_code == 302
    form = client.get(intake_url(w.group)).content.decode()
    assert "captcha" in form
    refused = client.post(intake_url(w.group), payload(phone="13711113333"))
    assert refused.status_code == 200 and Wish.objects.count() == 2
    wrong = client.post(
        intake_url(w.group), payload(phone="13711113333", captcha_0="x", captcha_1="nope")
    )
    assert wrong.status_code == 200 and Wish.objects.count() == 2
    page = client.get(intake_url(w.group)).content.decode()
    ok = client.post(intake_url(w.group), payload(phone="13711113334", **solved_captcha(page)))
    assert ok.status_code == 302 and Wish.objects.count() == 3


def test_the_rate_limit_per_phone_says_why_and_saves_nothing(client, w):
    for n in range(3):
        client.post(
            intake_url(w.group),
            payload(captcha_0="x", captcha_1="PASSED"),
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    assert Wish.objects.count() == 4
    response = client.post(
        intake_url(w.group), payload(captcha_0="x", captcha_1="PASSED"), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "太多" in response.content.decode() or "稍后" in response.content.decode()
    assert Wish.objects.count() == 4


def test_the_status_page_shows_the_own_wish_only_with_the_right_tail(client, w, county):
    wish = w.wish
    services.wish_dispatch(wish=wish, category=w.roads, by=county.staff, on=MONDAY)
    url = reverse("wish_public:status")
    wrong = client.post(url, {"ticket": wish.ticket, "tail": "0000"})
    assert wrong.status_code == 404
    assert "村道" not in wrong.content.decode()
    right = client.post(url, {"ticket": wish.ticket.lower(), "tail": "5678"})
    body = right.content.decode()
    assert right.status_code == 200
    assert "村道被冲毁" in body and county.member_unit.name in body
    assert "王大山" not in body and "13912345678" not in body


def test_the_status_look_up_is_rate_limited(client, w):
    url = reverse("wish_public:status")
    for _ in range(20):
        client.post(url, {"ticket": "AAAAAAAAAA", "tail": "1234"})
    response = client.post(url, {"ticket": w.wish.ticket, "tail": "5678"})
    assert response.status_code == 429
    assert "村道" not in response.content.decode()


def test_the_villager_answers_the_return_visit_on_the_status_page(client, w, county):
    wish = w.wish
    services.wish_dispatch(wish=wish, category=w.roads, by=county.staff, on=MONDAY)
    services.wish_sign(wish=wish, by=county.secretary, on=MONDAY)
    services.wish_answer(wish=wish, answer="已修复", by=county.secretary, on=MONDAY)
    url = reverse("wish_public:status")
    client.post(url, {"ticket": wish.ticket, "tail": "5678", "satisfaction": "satisfied"})
    wish.refresh_from_db()
    assert wish.state == State.CLOSED and wish.satisfaction == Satisfaction.SATISFIED


def test_staff_dispatch_and_the_handler_signs_and_answers_through_the_pages(client, w, county):
    wish = w.wish
    client.force_login(county.lead_secretary)  # the town's dispatcher
    assert client.get(reverse("wishes:detail", args=[wish.pk])).status_code == 200
    client.post(reverse("wishes:act", args=[wish.pk, "dispatch"]), {"category": w.roads.pk})
    wish.refresh_from_db()
    assert wish.state == State.DISPATCHED and wish.handler == county.member_unit
    client.force_login(county.secretary)  # the handler
    client.post(reverse("wishes:act", args=[wish.pk, "sign"]))
    client.post(reverse("wishes:act", args=[wish.pk, "answer"]), {"answer": "已修复"})
    wish.refresh_from_db()
    assert wish.state == State.RESOLVED and wish.answer == "已修复"


def test_the_handler_may_not_dispatch_and_another_secretary_sees_nothing(client, w, county):
    client.force_login(county.secretary)
    url = reverse("wishes:act", args=[w.wish.pk, "dispatch"])
    assert client.post(url, {"category": w.roads.pk}).status_code == 404  # not theirs yet
    services.wish_dispatch(wish=w.wish, category=w.roads, by=county.staff)
    assert client.post(url, {"category": w.roads.pk}).status_code == 403
    client.force_login(county.other_secretary)
    assert client.get(reverse("wishes:detail", args=[w.wish.pk])).status_code == 404


def test_names_and_phones_are_masked_and_the_full_view_is_audited(client, w, county):
    client.force_login(county.lead_secretary)
    page = client.get(reverse("wishes:detail", args=[w.wish.pk])).content.decode()
    assert "13912345678" not in page and "王大山" not in page and "139****5678" in page
    full = client.post(reverse("wishes:reveal", args=[w.wish.pk])).content.decode()
    assert "13912345678" in full and "王大山" in full
    assert AuditEvent.objects.filter(detail__contains=w.wish.ticket).exists()
    client.force_login(county.leader)  # reads, but may not see the contact
    assert client.post(reverse("wishes:reveal", args=[w.wish.pk])).status_code == 403


def test_the_places_page_gives_each_group_its_link_and_qr(client, w, county):
    client.force_login(county.staff)
    page = client.get(reverse("wishes:places")).content.decode()
    assert services.group_token(w.group_2) in page
    qr = client.get(reverse("wishes:group_qr", args=[w.group.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"


def test_the_figures_page_states_the_committee_sentence(client, w, county, fixed_today):
    fixed_today(MONDAY)
    client.force_login(county.staff)
    page = client.get(reverse("wishes:figures") + "?year=2026").content.decode()
    assert "2026年，全县累积收集民情民意1条，办结0条" in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_the_figures_cost_the_same_queries_at_small_and_large_data(client, w, county):
    client.force_login(county.staff)
    urls = [reverse("wishes:index"), reverse("wishes:figures")]
    small = [_queries(client, url) for url in urls]
    for n in range(30):
        wish = services.wish_receive(group=w.group_2, text="路灯不亮", phone=f"139000{n:05d}")
        if n % 2:
            services.wish_dispatch(wish=wish, category=w.roads, by=county.staff)
    assert [_queries(client, url) for url in urls] == small
