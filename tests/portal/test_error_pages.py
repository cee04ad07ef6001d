"""Error pages in Chinese and the portal's look, each with a way back home (DEBUG is off in the
test settings, as in production): 400 says which limit a refused request passed, the three
administrators opening a portal page get the Chinese 403, 500 needs no database."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import server_error

HOME_LINK = 'id="error-home"'


def test_a_missing_page_is_the_chinese_404_with_a_way_home(client, county):
    client.force_login(county.secretary)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and HOME_LINK in text
    assert 'id="nav-home"' in text  # the portal's own navigation bar


def test_a_missing_page_is_chinese_for_someone_not_signed_in(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


@pytest.mark.parametrize("who", ["system", "security", "audit"])
def test_an_administrator_opening_a_portal_page_gets_the_chinese_403(client, administrators, who):
    client.force_login(getattr(administrators, who))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "403 Forbidden" not in text
    assert "无权访问此页面" in text and "管理员" in text and HOME_LINK in text


def test_a_secretary_refused_a_committee_page_gets_the_chinese_403(client, county):
    client.force_login(county.secretary)
    response = client.get(reverse("audit_admin:index"))
    assert response.status_code == 403
    assert "无权访问此页面" in response.content.decode()


def test_too_many_files_is_a_400_that_names_the_limit(client, county, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(county.secretary)
    files = [SimpleUploadedFile(f"p{i}.jpg", b"x") for i in range(4)]
    response = client.post(reverse("activities:create"), {"photos": files})
    assert response.status_code == 400
    text = response.content.decode()
    assert "一次最多上传3个文件" in text and HOME_LINK in text


def test_too_large_a_form_is_a_400_that_names_the_limit(client, county, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client.force_login(county.secretary)
    response = client.post(reverse("activities:create"), {"summary": "字" * 400_000})
    assert response.status_code == 400
    text = response.content.decode()
    assert "超过1.0\xa0MB的上限" in text


def test_a_bad_request_without_a_known_reason_is_still_the_chinese_400(client, county):
    client.force_login(county.secretary)
    response = client.get("/activities/", HTTP_HOST="bad host")  # DisallowedHost: a 400
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()


def test_the_500_page_is_chinese_and_needs_no_database(db):
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert len(queries) == 0
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错" in text and HOME_LINK in text and "portal.css" in text


def test_an_error_in_a_view_answers_the_chinese_500(client, county, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    client.raise_request_exception = False
    client.force_login(county.secretary)
    monkeypatch.setattr("portal.views.render", broken)
    response = client.get(reverse("my_work"))
    assert response.status_code == 500 and "服务器出错" in response.content.decode()


def test_a_form_sent_without_its_token_gets_the_chinese_403(county):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county.secretary)
    response = client.post(reverse("activities:create"), {"title": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单已过期" in text and HOME_LINK in text
