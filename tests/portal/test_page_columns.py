"""Issue 20: the zone, unit and my-work pages and the member register read only the columns
they print. A full row (an account's password and flags, an activity's tags and summary, a
person's ID number token) and a join the page never prints cost Django more to compile and
build than the rows cost the database; the rows' texts are pinned by test_texts_once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page_sql(client, user, url: str) -> list[str]:
    """The page's SQL after the sign-in's own reads (the session and the account)."""
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "django_session" not in q["sql"]][1:]


@pytest.mark.parametrize("page", ["zone", "unit"])
def test_the_zone_and_unit_pages_read_no_whole_account_or_activity_row(client, county, page):
    url = (
        reverse("zone_detail", args=[county.zone_a.pk])
        if page == "zone"
        else reverse("unit_detail", args=[county.member_unit.pk])
    )
    sql = _page_sql(client, county.staff, url)
    assert not [q for q in sql if '"core_user"."password"' in q]
    assert not [q for q in sql if '"activities_activity"."tags"' in q]
    assert not [q for q in sql if '"supervision_finding"."suggestion"' in q]
    assert not [q for q in sql if '"people_person"."id_number_token"' in q]


def test_my_work_reads_only_what_it_prints(client, county):
    sql = _page_sql(client, county.secretary, reverse("my_work"))
    assert not [q for q in sql if '"activities_activity"."tags"' in q]
    assert not [q for q in sql if '"supervision_finding"."suggestion"' in q]
    assert not [q for q in sql if '"supervision_scoresheet"."template_id"' in q]
    # the zones' guiding leader and member count are not printed: not computed
    assert not [q for q in sql if '"leader_name"' in q or '"member_count"' in q]


def test_the_register_reads_no_whole_person_row(client, county):
    sql = _page_sql(client, county.staff, reverse("people:register"))
    assert not [q for q in sql if '"people_person"."id_number_token"' in q]
    assert not [q for q in sql if '"zones_unit"."secretary_phone"' in q]
