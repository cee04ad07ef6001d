"""A finding's life: open → in progress → submitted → closed, or returned; who may take each
step; a closed finding is not edited; overdue is derived."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from supervision import services
from supervision.constants import FindingState
from supervision.models import Finding, SeverityPolicy
from supervision.selectors import findings_visible_to


def act(client, finding, action, **data):
    return client.post(reverse("supervision:finding_action", args=[finding.pk, action]), data)


def test_the_full_life_records_who_and_when(client, county, finding):
    client.force_login(county.secretary)
    assert act(client, finding, "start").status_code == 302
    act(client, finding, "submit", note="补齐了会议记录")
    client.force_login(county.lead_secretary)
    act(client, finding, "return", note="缺少签到表")
    finding.refresh_from_db()
    assert finding.state == FindingState.RETURNED
    client.force_login(county.secretary)
    act(client, finding, "submit", note="补充签到表")
    client.force_login(county.staff)
    act(client, finding, "verify")
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED and finding.closed_on is not None
    steps = list(finding.events.values_list("to_state", "by__username"))
    assert steps == [
        ("open", "lead"),
        ("in_progress", "secretary"),
        ("submitted", "secretary"),
        ("returned", "lead"),
        ("submitted", "secretary"),
        ("closed", "staff"),
    ]


def test_submitting_without_saying_what_was_done_is_refused(county, finding):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.finding_submit(finding=finding, note=" ", by=county.secretary)
    assert "Say what was done" in exc.value.messages[0]
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN


def test_returning_without_a_reason_is_refused(county, finding):
    services.finding_submit(finding=finding, note="done", by=county.secretary)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.finding_return(finding=finding, reason="", by=county.staff)
    assert "Say why" in exc.value.messages[0]
    assert Finding.objects.get(pk=finding.pk).state == FindingState.SUBMITTED


def test_verifying_an_unsubmitted_finding_is_refused(county, finding):
    with translation.override("en"), pytest.raises(ValidationError):
        services.finding_verify(finding=finding, by=county.staff)
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN


def test_a_closed_finding_is_not_edited_and_a_correction_is_a_new_record(client, county, finding):
    services.finding_submit(finding=finding, note="done", by=county.secretary)
    services.finding_verify(finding=finding, by=county.staff)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.finding_start(finding=finding, by=county.secretary)
    assert "closed" in exc.value.messages[0]
    client.force_login(county.staff)
    act(client, finding, "correct", description="更正：问题应为党费收缴不规范", severity="major")
    correction = Finding.objects.get(corrects=finding)
    assert correction.state == FindingState.OPEN and correction.deadline is not None
    assert Finding.objects.get(pk=finding.pk).description == "三会一课记录不全"


def test_only_the_responsible_unit_answers(client, county, finding):
    client.force_login(county.lead_secretary)  # sees the zone's finding, cannot answer it
    assert client.get(reverse("supervision:finding_detail", args=[finding.pk])).status_code == 200
    assert act(client, finding, "start").status_code == 403
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN


def test_the_responsible_unit_cannot_close_its_own_finding(client, county, finding):
    services.finding_submit(finding=finding, note="done", by=county.secretary)
    client.force_login(county.secretary)
    assert act(client, finding, "verify").status_code == 403
    assert act(client, finding, "correct", description="x", severity="general").status_code == 403
    assert Finding.objects.get(pk=finding.pk).state == FindingState.SUBMITTED


def test_another_zone_and_an_outsider_get_404(client, county, finding):
    for user in (county.other_secretary, county.outsider):
        client.force_login(user)
        assert (
            client.get(reverse("supervision:finding_detail", args=[finding.pk])).status_code == 404
        )
        assert act(client, finding, "start").status_code == 404


def test_actions_need_post_and_unknown_actions_are_404(client, county, finding):
    client.force_login(county.secretary)
    assert (
        client.get(reverse("supervision:finding_action", args=[finding.pk, "start"])).status_code
        == 405
    )
    assert act(client, finding, "delete").status_code == 404


def test_findings_before_publication_are_not_shown_to_the_checked_unit(county, check_a):
    sheet = check_a.sheets.get(checked_unit=county.member_unit)
    services.finding_record(sheet=sheet, description="x", severity="general", by=county.staff)
    assert not findings_visible_to(county.secretary).exists()
    assert findings_visible_to(county.staff).count() == 1


def test_deadline_follows_the_severity_policy_staff_set(county, check_a, fixed_today):
    """The county's own deadline for the severity; another county's (1 working day) is not
    this county's."""
    from tests.factories import CountyFactory

    other = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    services.severity_policy_rows(county_id=county.zone_a.county_id)
    services.severity_policy_rows(county_id=other.pk)
    SeverityPolicy.objects.filter(county_id=other.pk).update(workdays=1)
    SeverityPolicy.objects.filter(county_id=county.zone_a.county_id, severity="serious").update(
        workdays=3
    )
    sheet = check_a.sheets.get(checked_unit=county.member_unit)
    services.finding_record(sheet=sheet, description="x", severity="serious", by=county.staff)
    from tests.supervision.conftest import fill

    for s in check_a.sheets.all():
        fill(s, county.staff)
    services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    # Published on Saturday 28 November 2026: three working days later is Wednesday 2 December.
    assert Finding.objects.get().deadline == datetime.date(2026, 12, 2)


def test_overdue_is_derived_from_the_deadline_and_state(county, finding, fixed_today):
    assert not findings_visible_to(county.staff).get().is_overdue
    fixed_today(finding.deadline + datetime.timedelta(days=1))
    assert findings_visible_to(county.staff).get().is_overdue
    services.finding_submit(finding=finding, note="done", by=county.secretary)
    services.finding_verify(finding=finding, by=county.staff)
    assert not findings_visible_to(county.staff).get().is_overdue
