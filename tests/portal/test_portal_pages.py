"""The portal's base: login, home, health, language."""

from __future__ import annotations

import subprocess
import sys
from unittest import mock

from django.db.utils import OperationalError
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_renders_in_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_english_on_request(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in" in response.content.decode()


def test_language_switch_sets_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_staff_logs_in_with_password_and_sees_the_zones(client, county):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "portal/dashboard.html" in [t.name for t in page.templates]
    assert county.zone_a.name in page.content.decode()


def test_wrong_password_is_refused_with_a_message(client, county):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_home_needs_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_secretary_sees_the_unit_they_serve(client, county):
    client.force_login(county.secretary)
    assert county.member_unit.name in client.get(reverse("home")).content.decode()


def test_home_query_count_does_not_grow_with_zones(client, county, django_assert_max_num_queries):
    from tests.factories import ZoneFactory, unit_in_zone

    client.force_login(county.secretary)
    # session, user, unread count, scope (posts, memberships, leaderships), my units, host
    # slots, returned, drafts, sheets, findings, zones overview
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))
    for n in range(3, 13):
        unit_in_zone(ZoneFactory(number=n), lead=True)
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_logout_is_a_post_and_ends_the_session(client, county):
    client.force_login(county.staff)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_healthz_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_reference_no_external_host(client, county):
    client.force_login(county.staff)
    for url in (reverse("login"), reverse("home")):
        html = client.get(url).content.decode()
        assert "http://" not in html and "https://" not in html and "//cdn" not in html


def test_a_huge_username_is_refused_by_the_form_before_authentication(client, db):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_search_with_control_characters_is_refused_with_a_400(client, county):
    client.force_login(county.staff)
    response = client.get(reverse("search"), {"q": "县\x00司法"})
    assert response.status_code == 400 and "控制字符" in response.content.decode()
