"""Issue 20: the audit lists at 300,000 events: no count of the whole trail, no date
hierarchy, and a search that an index answers (an exact address, the beginning of a username
or a path; a record's number, a person, the beginning of a reason)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from audit.admin import AuditEventAdmin, HistoryAdmin, datetime_text
from audit.constants import Event, Outcome
from audit.models import AuditEvent
from bench.loadgen_more import dated

EVENTS = "audit_admin:audit_auditevent_changelist"


@pytest.fixture
def events(db):
    rows = [
        ("wang_staff", "10.0.0.7", "/activities/ledger/"),
        ("wang_secretary", "10.0.0.8", "/supervision/findings/"),
        ("li_staff", "10.0.0.9", "/activities/grid/"),
    ]
    for username, ip, path in rows:
        AuditEvent.objects.create(
            username=username, ip=ip, event=Event.LOGIN, outcome=Outcome.SUCCESS, path=path
        )


def test_the_lists_count_no_whole_table_and_scan_no_dates():
    for admin_class in (AuditEventAdmin, HistoryAdmin):
        assert admin_class.show_full_result_count is False
        assert admin_class.date_hierarchy is None


def _found(client, q: str) -> set[str]:
    response = client.get(reverse(EVENTS), {"q": q})
    assert response.status_code == 200
    return {e.username for e in response.context["cl"].result_list}


def test_the_audit_trail_is_searched_by_address_username_or_path(client, auditor, events):
    client.force_login(auditor)
    assert _found(client, "10.0.0.8") == {"wang_secretary"}
    assert _found(client, "wang") == {"wang_staff", "wang_secretary"}
    assert _found(client, "/activities/") == {"wang_staff", "li_staff"}
    assert _found(client, "staff") == set()  # the middle of a name: no index answers that
    assert _found(client, "  ") >= {"wang_staff", "wang_secretary", "li_staff"}


def test_the_audit_page_shows_no_date_drilldown(client, auditor, events):
    client.force_login(auditor)
    html = client.get(reverse(EVENTS)).content.decode()
    assert "at__year" not in html  # the date hierarchy's links
    assert "total" not in html  # "3 results (3 total)": the whole trail counted


@pytest.fixture
def odd_events(db, events):
    """Events with every value the list shows differently: no address, a blank username, a
    detail of spaces, markup in the path and detail, an event that is no choice; and more than
    a page of them."""
    odd = [
        {"username": "", "ip": None, "detail": "   ", "path": "/people/?q=<b>&x=1"},
        {"username": "  ", "ip": "::1", "detail": '<script>"x"</script>', "path": ""},
        {"username": "li<i>", "ip": "10.0.0.1", "detail": "a & b", "event": "retired"},
    ]
    for fields in odd:
        AuditEvent.objects.create(**{"event": Event.EXPORT, "outcome": Outcome.FAILURE, **fields})
    AuditEvent.objects.bulk_create(
        AuditEvent(username=f"bulk{i}", event=Event.LOGOUT, outcome=Outcome.SUCCESS)
        for i in range(AuditEventAdmin.list_per_page)
    )


def _page(client, **params) -> str:
    response = client.get(reverse(EVENTS), params)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "params",
    [{}, {"p": "2"}, {"q": "li"}, {"q": "/people/", "o": "-3"}, {"event__exact": "export"}],
)
def test_the_audit_rows_are_the_markup_the_admin_wrote(
    client, auditor, odd_events, language, params, monkeypatch
):
    """`AuditEventAdmin.rows` writes what Django's `items_for_result` wrote, byte for byte
    (issue 20), on the whole page: the links keep the list's filters, the dates are the
    language's."""
    client.force_login(auditor)
    with translation.override(language):
        written = _page(client, **params)
        monkeypatch.setattr(AuditEventAdmin, "rows", lambda self, cl: None)
        django_rows = _page(client, **params)
    assert written == django_rows
    assert 'class="action-select"' in written


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_list_writes_its_times_as_the_admin_localized_them(language, settings):
    from django.utils import timezone
    from django.utils.formats import localize

    settings.USE_TZ = True
    with translation.override(language):
        when = datetime_text()
        for at in (
            datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC),  # a new year locally
            datetime.datetime(2025, 6, 30, 12, 0),  # naive
        ):
            assert when(at) == localize(timezone.template_localtime(at))


def test_the_whole_trail_is_counted_by_its_recent_events_after_the_first_page(
    client, auditor, events, django_assert_num_queries
):
    """The events of more than an hour ago are counted once (`trail_count`); each page after
    counts by the key the events since, and the count is always the trail's."""
    from django.utils import timezone

    from audit.selectors import trail_count

    Event_ = AuditEvent

    old = timezone.now() - datetime.timedelta(days=2)
    with dated(Event_, "at"):
        Event_.objects.bulk_create(
            Event_(at=old, username="old", event=Event.LOGIN, outcome=Outcome.SUCCESS)
            for _i in range(5)
        )
    assert trail_count() == Event_.objects.count()
    AuditEvent.objects.create(username="new", event=Event.LOGIN, outcome=Outcome.SUCCESS)
    expected = Event_.objects.count()
    with django_assert_num_queries(1):  # the events after the counted ones
        assert trail_count() == expected
    client.force_login(auditor)
    response = client.get(reverse(EVENTS))
    assert response.context["cl"].result_count == Event_.objects.count()
    searched = client.get(reverse(EVENTS), {"q": "old"})
    assert searched.context["cl"].result_count == 5  # a search is counted as it is


def test_the_audit_site_lists_its_models_as_djangos_site_does(rf, auditor):
    from django.contrib.admin import AdminSite

    from audit.sites import audit_site

    request = rf.get("/audit-admin/")
    request.user = auditor
    ours = audit_site.get_app_list(request)
    theirs = AdminSite.get_app_list(audit_site, request)
    assert [[str(m["name"]) for m in a["models"]] for a in ours] == [
        [str(m["name"]) for m in a["models"]] for a in theirs
    ]
    assert [a["name"] for a in ours] == [a["name"] for a in theirs]
