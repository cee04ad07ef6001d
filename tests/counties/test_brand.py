"""What the portal calls itself (issue 15): the city's portal for city staff, a county's
portal with the mechanisms it runs for a county's people — never the zones mechanism's name
for a county that does not run it — and the plain name for anyone else."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.constants import Role
from tests.factories import CountyFactory, UserFactory


@pytest.fixture
def ziyang(county):
    return CountyFactory(code="610924", name="紫阳县", short_name="紫阳", mechanisms=())


def _header(client, user, url="home"):
    client.force_login(user)
    page = client.get(reverse(url), follow=True).content.decode()
    brand = re.search(r'<a class="navbar-brand[^"]*"[^>]*id="brand">(.*?)</a>', page, re.S).group(1)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    return re.sub(r"<[^>]+>", " ", brand), title


def test_city_staff_read_the_citys_portal(client, county, ziyang):
    city = UserFactory(username="city", role=Role.CITY_STAFF)
    brand, title = _header(client, city)
    assert brand.strip() == "安康市机关党建工作平台"
    assert "片区联建" not in brand
    assert title == "市级概览 · 安康市机关党建工作平台"


def test_a_county_reader_reads_their_countys_name_and_its_mechanisms(client, county):
    brand, title = _header(client, county.staff, "dashboard")
    assert "石泉县机关党建工作平台" in brand
    assert "片区联建巡回督导" in brand
    assert title == "全县概览 · 石泉县机关党建工作平台"


def test_a_county_that_does_not_run_the_zones_mechanism_never_shows_its_name(client, ziyang):
    staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    brand, title = _header(client, staff)
    assert brand.strip() == "紫阳县机关党建工作平台"
    assert title.endswith(" · 紫阳县机关党建工作平台")
    assert "片区联建" not in brand + title


def test_signed_out_the_portal_has_its_plain_name(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "机关党建工作平台" in page
    assert "片区联建巡回督导" not in page


def test_the_header_costs_no_query_of_its_own(client, county, django_assert_num_queries):
    """The names come with the signed-in person (counties.backends.ReaderBackend)."""
    from counties.backends import ReaderBackend
    from counties.context_processors import brand_of

    user = ReaderBackend().get_user(county.staff.pk)
    with django_assert_num_queries(0):
        assert brand_of(user).name == "石泉县机关党建工作平台"
    city = ReaderBackend().get_user(UserFactory(username="city", role=Role.CITY_STAFF).pk)
    with django_assert_num_queries(0):
        assert brand_of(city).name == "安康市机关党建工作平台"


def test_a_page_without_a_title_of_its_own_is_titled_by_the_brand(county):
    from counties.context_processors import Brand
    from counties.templatetags.brand import with_brand

    brand = Brand("石泉县机关党建工作平台", ("片区联建巡回督导",))
    assert with_brand("", brand) == "石泉县机关党建工作平台 · 片区联建巡回督导"
    assert with_brand(" 台账 ", brand) == "台账 · 石泉县机关党建工作平台"
