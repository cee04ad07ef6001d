"""The main pages' rows carry texts computed once per page (issue 20, core.display) instead of
a `date` filter, a `{% url %}`, a `get_FOO_display` and an include per cell: each row is what
the old template markup renders for the same record, character for character, in Chinese and
in English; and the unit page and the activity detail read their record once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from activities.constants import ActivityState
from activities.models import Activity
from core.display import DateTexts, choice_labels, label_of, pk_url, truncated
from supervision.constants import FindingState
from supervision.models import Finding
from tests.activities.factories import make_activity
from tests.supervision.conftest import TODAY
from tests.supervision.test_cold_reads import _many_findings
from zones.models import Membership, UnitGrade

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]

# The rows as the templates wrote them before (copied from the templates of commit 03cd46e).
OLD_LEDGER_ROW = """{% load i18n %}  <tr{% if finding.is_overdue %} class="table-danger"{% endif %}>
    <td>{{ finding.zone|default:"—" }}</td><td>{{ finding.responsible_unit }}</td><td>{{ finding.get_source_display }}</td>
    <td>{{ finding.get_severity_display }}</td>
    <td><a href="{% url 'supervision:finding_detail' finding.pk %}">{{ finding.description|truncatechars:60 }}</a></td>
    <td>{{ finding.get_state_display }}{% if finding.is_overdue %} <span class="badge text-bg-danger">{% translate "Overdue" %}</span>{% endif %}</td>
    <td class="text-nowrap">{{ finding.raised_on|date|default:"—" }}</td>
    <td class="text-nowrap">{{ finding.deadline|date|default:"—" }}{% if finding.workdays_allowed is not None %}<div class="small">{% include "supervision/includes/workdays_after_raising.html" with n=finding.workdays_allowed %}</div>{% endif %}</td>
    <td class="text-nowrap">{{ finding.closed_on|date|default:"—" }}{% if finding.workdays_taken is not None %}<div class="small">{% include "supervision/includes/workdays_after_raising.html" with n=finding.workdays_taken %}</div>{% endif %}</td>
  </tr>"""  # noqa: E501
OLD_FINDING_ITEM = """{% load i18n %}<tr><td><a href="{% url 'supervision:finding_detail' f.pk %}">{{ f.description|truncatechars:50 }}</a></td><td>{{ f.responsible_unit.name }}</td>
    <td class="text-nowrap {% if f.is_overdue %}text-danger fw-bold{% endif %}">{{ f.deadline|date:"DATE_FORMAT"|default:"—" }}{% if f.is_overdue %} · {% translate "Overdue" %}{% endif %}</td><td>{{ f.get_state_display }}</td></tr>"""  # noqa: E501
OLD_ACTIVITY_ITEM = """<tr><td class="text-nowrap">{{ a.date|date:"DATE_FORMAT" }}</td><td><a href="{% url 'activities:detail' a.pk %}">{{ a.title }}</a></td>
    <td>{{ a.host_unit.name }}</td><td>{{ a.get_form_display }}</td><td>{{ a.get_state_display }}</td></tr>"""  # noqa: E501
OLD_MEMBER_DATES = """<tr><td>{{ m.unit.name }}</td><td>{{ m.get_role_display }}</td><td>{{ m.effective_from|date:"DATE_FORMAT" }}</td><td>{{ m.effective_to|date:"DATE_FORMAT"|default:"—" }}</td><td>{{ m.reason }}</td></tr>"""  # noqa: E501
OLD_UNIT_ZONE_ROW = """<tr><td>{{ m.zone.name }}</td><td>{{ m.get_role_display }}</td><td>{{ m.effective_from|date:"DATE_FORMAT" }}</td><td>{{ m.effective_to|date:"DATE_FORMAT"|default:"—" }}</td><td>{{ m.reason }}</td></tr>"""  # noqa: E501
OLD_GRADE_ROW = """<tr><td>{{ g.get_grade_display }}</td><td>{{ g.effective_from|date:"DATE_FORMAT" }}</td><td>{{ g.reason }}</td><td>{{ g.set_by|default:"—" }}</td></tr>"""  # noqa: E501
OLD_MY_FINDING = """{% load i18n %}<div class="me-auto"><div class="fw-semibold">{% translate "Rectify" %}：{{ f.description|truncatechars:60 }}</div>
      <div class="small {% if f.is_overdue %}text-danger fw-bold{% else %}text-body-secondary{% endif %}">{% translate "Deadline" %} {{ f.deadline|date:"DATE_FORMAT" }}{% if f.is_overdue %} · {% translate "Overdue" %}{% endif %} · {{ f.get_state_display }}</div></div>
    <a class="btn btn-outline-danger btn-action" href="{% url 'supervision:finding_detail' f.pk %}">{% translate "Answer" %}</a>"""  # noqa: E501


def old(markup: str, **context) -> str:
    return Template(markup).render(Context(context))


def page_html(client, user, url: str, language: str) -> tuple[str, object]:
    client.force_login(user)
    with translation.override(language):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return response.content.decode(), response


def _ledger_findings(county, published_check) -> None:
    """Findings with every text a row shows: working days allowed and taken (one and several:
    the plural), a closed one, a long problem, one with no zone."""
    _many_findings(county, published_check)
    rows = list(Finding.objects.order_by("pk"))
    for i, f in enumerate(rows):
        f.workdays_allowed = [None, 1, 10][i % 3]
        f.description = f.description + "整改" * (i * 7)
        if f.state == FindingState.CLOSED:
            f.closed_on = TODAY - datetime.timedelta(days=i)
            f.workdays_taken = i % 2 or 3
        if i == 4:
            f.zone = None
        f.save()


# --- core.display gives what the tags and filters gave --------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_display_helpers_equal_the_template_tags_and_filters(county, finding, language):
    days = [datetime.date(2026, 1, 5), datetime.date(2026, 11, 28), None]
    with translation.override(language):
        dates = DateTexts()
        for day in days:
            assert (
                dates(day) == old("{{ d|date }}", d=day) == old('{{ d|date:"DATE_FORMAT" }}', d=day)
            )
        detail = pk_url("supervision:finding_detail")
        for pk in (1, 42, 987654322):
            assert detail(pk) == reverse("supervision:finding_detail", args=[pk])
        labels = choice_labels(Finding, "state")
        for state in FindingState.values:
            finding.state = state
            assert label_of(labels, state) == finding.get_state_display()
        text = "交办" * 40
        assert truncated(text, 60) == old("{{ t|truncatechars:60 }}", t=text)


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_ledger_row_is_what_the_old_row_markup_rendered(
    client, county, published_check, language
):
    _ledger_findings(county, published_check)
    for number in (1, 2):
        html, response = page_html(
            client, county.staff, reverse("supervision:finding_list") + f"?page={number}", language
        )
        rows = response.context["page"].object_list
        assert rows
        with translation.override(language):
            for f in rows:
                assert old(OLD_LEDGER_ROW, finding=f) in html, f.pk
    # the plural and singular forms and a closed row's working days are on the page
    html, _r = page_html(client, county.staff, reverse("supervision:finding_list"), "en")
    assert "1 working day after raising" in html and "10 working days after raising" in html
    assert "3 working days after raising" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_zone_and_unit_pages_rows_are_what_the_old_markup_rendered(
    client, county, published_check, language
):
    _ledger_findings(county, published_check)
    unit = county.member_unit
    for i in range(3):
        make_activity(unit=unit, by=county.staff, date=datetime.date(2026, 10, 3 + i))
    Membership.objects.filter(unit=unit).update(reason="调整")
    UnitGrade.objects.create(unit=unit, grade=2, effective_from=datetime.date(2026, 1, 1))
    zone_html, zone_response = page_html(
        client, county.staff, reverse("zone_detail", args=[county.zone_a.pk]), language
    )
    unit_html, unit_response = page_html(
        client, county.staff, reverse("unit_detail", args=[unit.pk]), language
    )
    with translation.override(language):
        for html, response in ((zone_html, zone_response), (unit_html, unit_response)):
            findings, activities = response.context["findings"], response.context["activities"]
            assert findings and activities
            for f in findings:
                assert old(OLD_FINDING_ITEM, f=f) in html, f.pk
            for a in activities:
                assert old(OLD_ACTIVITY_ITEM, a=a) in html, a.pk
        for m in zone_response.context["changes"]:
            assert old(OLD_MEMBER_DATES, m=m) in zone_html
        for m in zone_response.context["members"]:
            assert f"<td>{m.get_role_display()}</td>" in zone_html
        for m in unit_response.context["memberships"]:
            assert old(OLD_UNIT_ZONE_ROW, m=m) in unit_html
        grades = unit_response.context["grades"]
        assert grades
        for g in grades:
            assert old(OLD_GRADE_ROW, g=g) in unit_html
        # the unit's zone today, from the one read of the unit
        zone_link = f'<a href="{reverse("zone_detail", args=[county.zone_a.pk])}">'
        assert zone_link + f"{county.zone_a.name}</a>" in unit_html


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_work_rows_are_what_the_old_markup_rendered(client, county, published_check, language):
    _ledger_findings(county, published_check)
    draft = make_activity(unit=county.member_unit, by=county.secretary)
    html, response = page_html(client, county.secretary, reverse("my_work"), language)
    work = response.context["work"]
    assert work.findings and work.drafts
    with translation.override(language):
        for f in work.findings:
            assert old(OLD_MY_FINDING, f=f) in html, f.pk
        assert f'action="{reverse("activities:submit", args=[draft.pk])}"' in html
        assert old('{{ a.date|date:"DATE_FORMAT" }}', a=draft) in html


# --- one read of the record ------------------------------------------------------------------


def _reads_of(queries, table: str, pk: int) -> int:
    pattern = re.compile(rf'FROM "{table}" .*"{table}"\."id" = {pk}\b', re.S)
    return sum(1 for q in queries if q["sql"].startswith("SELECT") and pattern.search(q["sql"]))


def test_the_unit_page_reads_its_unit_once_and_costs_the_same_with_more_records(
    client, county, published_check
):
    unit = county.member_unit
    client.force_login(county.staff)
    url = reverse("unit_detail", args=[unit.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # the unit and its zone and class today in one read (it was read again for them)
    assert _reads_of(small.captured_queries, "zones_unit", unit.pk) == 1
    _ledger_findings(county, published_check)
    for i in range(5):
        make_activity(unit=unit, by=county.staff, date=datetime.date(2026, 10, 1 + i))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_the_activity_detail_reads_its_activity_once_with_its_zone_and_host(client, county):
    activity = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    client.force_login(county.staff)
    url = reverse("activities:detail", args=[activity.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert _reads_of(queries.captured_queries, "activities_activity", activity.pk) == 1
    # the zone and host unit come with it: no read of either by key afterwards
    assert _reads_of(queries.captured_queries, "zones_zone", activity.zone_id) == 0
    assert _reads_of(queries.captured_queries, "zones_unit", activity.host_unit_id) == 0
    assert Activity.objects.filter(pk=activity.pk).exists()
