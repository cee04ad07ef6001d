"""The quarterly mutual check: who organizes it, who fills which sheet, what the checked unit
sees and when, and each refusal (nothing changes)."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from supervision import services
from supervision.constants import CheckState, SheetState
from supervision.models import Criterion, MutualCheck, ScoreLine, ScoreSheet, SheetEvidence
from tests.factories import ZoneFactory, unit_in_zone
from tests.helpers import make_png
from tests.helpers import supervision_url as url
from tests.supervision.conftest import fill


def test_proposed_pairing_checks_every_unit_once_and_nobody_itself(county, check_a):
    pairs = list(check_a.sheets.values_list("checker_unit_id", "checked_unit_id"))
    units = {county.lead_unit.pk, county.member_unit.pk, county.member_unit_2.pk}
    assert {a for a, _ in pairs} == units == {b for _, b in pairs}
    assert all(a != b for a, b in pairs)


def test_next_quarter_does_not_repeat_last_quarters_pairs(county, today):
    q3 = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=3, by=county.staff, rng=random.Random(5)
    )
    q4 = services.mutual_check_create(
        zone=county.zone_a, year=2026, quarter=4, by=county.staff, rng=random.Random(9)
    )
    q3_pairs = set(q3.sheets.values_list("checker_unit_id", "checked_unit_id"))
    assert not set(q4.sheets.values_list("checker_unit_id", "checked_unit_id")) & q3_pairs


def test_a_zone_of_one_unit_gets_a_message_and_no_check(county, today):
    lonely = ZoneFactory(number=3, name="第三片区")
    unit_in_zone(lonely, lead=True)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.mutual_check_create(zone=lonely, year=2026, quarter=4, by=county.staff)
    assert "at least two units" in exc.value.messages[0]
    assert not MutualCheck.objects.filter(zone=lonely).exists()


def test_lead_secretary_opens_their_zones_check_from_the_page(client, county, today):
    client.force_login(county.lead_secretary)
    response = client.post(
        url("check_create"), {"zone": county.zone_a.pk, "year": 2026, "quarter": 4}
    )
    check = MutualCheck.objects.get(zone=county.zone_a)
    assert response.status_code == 302 and check.sheets.count() == 3


def test_member_secretary_cannot_open_a_check(client, county, today):
    client.force_login(county.secretary)
    assert client.get(url("check_create")).status_code == 403
    assert (
        client.post(
            url("check_create"), {"zone": county.zone_a.pk, "year": 2026, "quarter": 4}
        ).status_code
        == 403
    )
    assert not MutualCheck.objects.exists()


def test_lead_secretary_cannot_open_a_check_for_another_zone(client, county, today):
    client.force_login(county.lead_secretary)
    response = client.post(
        url("check_create"), {"zone": county.zone_b.pk, "year": 2026, "quarter": 4}
    )
    assert response.status_code == 200 and not MutualCheck.objects.exists()


def test_anonymous_is_sent_to_login(client, check_a):
    response = client.get(url("check_detail", check_a.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_check_of_another_zone_is_404(client, county, check_a):
    for user in (county.other_secretary, county.outsider):
        client.force_login(user)
        assert client.get(url("check_detail", check_a.pk)).status_code == 404


def test_lead_adjusts_the_pairing_within_the_rules(client, county, check_a):
    client.force_login(county.lead_secretary)
    current = dict(check_a.sheets.values_list("checker_unit_id", "checked_unit_id"))
    reverse_pairs = {checked: checker for checker, checked in current.items()}
    response = client.post(
        url("check_pairing", check_a.pk),
        {f"checker_{a}": b for a, b in reverse_pairs.items()},
    )
    assert response.status_code == 302
    assert dict(check_a.sheets.values_list("checker_unit_id", "checked_unit_id")) == reverse_pairs


def test_pairing_where_a_unit_checks_itself_is_refused_and_nothing_changes(client, county, check_a):
    client.force_login(county.lead_secretary)
    before = set(check_a.sheets.values_list("pk", "checker_unit_id", "checked_unit_id"))
    units = [county.lead_unit.pk, county.member_unit.pk, county.member_unit_2.pk]
    with translation.override("en"):
        response = client.post(
            url("check_pairing", check_a.pk),
            {f"checker_{u}": u for u in units},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert set(check_a.sheets.values_list("pk", "checker_unit_id", "checked_unit_id")) == before


def test_member_secretary_may_see_the_check_but_not_adjust_or_publish_it(client, county, check_a):
    client.force_login(county.secretary)
    assert client.get(url("check_detail", check_a.pk)).status_code == 200
    assert client.get(url("check_pairing", check_a.pk)).status_code == 403
    assert client.post(url("check_publish", check_a.pk)).status_code == 403
    assert MutualCheck.objects.get().state == CheckState.DRAFT


def test_publish_needs_post(client, county, check_a):
    client.force_login(county.lead_secretary)
    assert client.get(url("check_publish", check_a.pk)).status_code == 405


def test_checker_fills_and_submits_their_sheet(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    data = {f"score_{line.pk}": str(line.max_score) for line in sheet_by_secretary.lines.all()}
    response = client.post(url("sheet_detail", sheet_by_secretary.pk), {**data, "submit": "1"})
    sheet = ScoreSheet.objects.get(pk=sheet_by_secretary.pk)
    assert response.status_code == 302
    assert sheet.state == SheetState.SUBMITTED and sheet.total == sheet.max_total > 0


def test_score_above_the_maximum_is_refused_and_nothing_is_saved(
    client, county, sheet_by_secretary
):
    client.force_login(county.secretary)
    line = sheet_by_secretary.lines.first()
    client.post(
        url("sheet_detail", sheet_by_secretary.pk), {f"score_{line.pk}": str(line.max_score + 1)}
    )
    assert ScoreLine.objects.get(pk=line.pk).score is None
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.sheet_save_scores(
            sheet=sheet_by_secretary, scores={line.pk: ("99", "")}, by=county.secretary
        )
    assert "must lie between 0 and" in exc.value.messages[0]


def test_submitting_with_a_missing_score_is_refused(county, sheet_by_secretary):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.sheet_submit(sheet=sheet_by_secretary, by=county.secretary)
    assert "no score yet" in exc.value.messages[0]
    assert ScoreSheet.objects.get(pk=sheet_by_secretary.pk).state == SheetState.OPEN


def test_a_submitted_sheet_is_locked(county, sheet_by_secretary):
    fill(sheet_by_secretary, county.secretary)
    line = sheet_by_secretary.lines.first()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.sheet_save_scores(
            sheet=sheet_by_secretary, scores={line.pk: ("0", "")}, by=county.secretary
        )
    assert "submitted" in exc.value.messages[0]
    assert ScoreLine.objects.get(pk=line.pk).score == line.max_score


def test_secretary_cannot_fill_a_sheet_of_another_checker(client, county, check_a):
    other_sheet = (
        check_a.sheets.exclude(checker_unit=county.member_unit)
        .exclude(checked_unit=county.member_unit)
        .get()
    )
    client.force_login(county.secretary)
    assert client.get(url("sheet_detail", other_sheet.pk)).status_code == 404
    assert client.post(url("sheet_detail", other_sheet.pk), {}).status_code == 404


def test_lead_secretary_sees_every_sheet_but_cannot_fill_others(client, county, sheet_by_secretary):
    client.force_login(county.lead_secretary)
    assert client.get(url("sheet_detail", sheet_by_secretary.pk)).status_code == 200
    assert client.post(url("sheet_detail", sheet_by_secretary.pk), {}).status_code == 403
    assert (
        client.post(
            url("sheet_add_finding", sheet_by_secretary.pk),
            {"description": "x", "severity": "general"},
        ).status_code
        == 403
    )


def test_checked_unit_sees_its_sheet_only_after_publication(
    client, county, check_a, sheet_of_secretary
):
    client.force_login(county.secretary)
    assert client.get(url("sheet_detail", sheet_of_secretary.pk)).status_code == 404
    for sheet in check_a.sheets.all():
        fill(sheet, county.staff)
    services.mutual_check_publish(check=check_a, by=county.lead_secretary)
    assert client.get(url("sheet_detail", sheet_of_secretary.pk)).status_code == 200


def test_publishing_with_open_sheets_is_refused(client, county, check_a):
    client.force_login(county.lead_secretary)
    client.post(url("check_publish", check_a.pk))
    assert MutualCheck.objects.get().state == CheckState.DRAFT


def test_publishing_raises_the_findings_with_a_deadline_in_working_days(
    county, published_check, finding
):
    assert published_check.state == CheckState.PUBLISHED
    assert finding.raised_on is not None and finding.deadline is not None
    assert finding.events.count() == 1


def test_checker_attaches_evidence_and_an_outsider_cannot_download_it(
    client, county, sheet_by_secretary, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.secretary)
    client.post(url("sheet_add_evidence", sheet_by_secretary.pk), {"files": [make_png()]})
    evidence = SheetEvidence.objects.get()
    assert client.get(url("sheet_evidence_file", evidence.pk)).status_code == 200
    client.force_login(county.other_secretary)
    assert client.get(url("sheet_evidence_file", evidence.pk)).status_code == 404


def test_a_fake_image_is_refused_as_evidence(
    client, county, sheet_by_secretary, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.secretary)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    client.post(url("sheet_add_evidence", sheet_by_secretary.pk), {"files": [fake]})
    assert not SheetEvidence.objects.exists()


def test_editing_the_template_never_changes_a_finished_sheet(county, sheet_by_secretary):
    fill(sheet_by_secretary, county.secretary)
    total, max_total = sheet_by_secretary.total, sheet_by_secretary.max_total
    line = sheet_by_secretary.lines.first()
    Criterion.objects.filter(pk=line.criterion_id).update(max_score=99, text="改过的标准")
    sheet = ScoreSheet.objects.get(pk=sheet_by_secretary.pk)
    line.refresh_from_db()
    assert (sheet.total, sheet.max_total) == (total, max_total)
    assert line.text != "改过的标准" and line.max_score != 99


def test_a_new_template_version_is_used_for_new_checks_and_old_checks_keep_theirs(
    county, check_a, today
):
    old = check_a.template
    new = services.template_new_version(template=old)
    assert new.version == old.version + 1 and new.is_active
    old.refresh_from_db()
    assert not old.is_active
    q3 = services.mutual_check_create(zone=county.zone_a, year=2026, quarter=3, by=county.staff)
    assert q3.template == new and MutualCheck.objects.get(pk=check_a.pk).template == old


def test_with_no_template_at_all_the_default_checklist_is_created(county, today):
    from supervision.models import ChecklistTemplate

    ChecklistTemplate.objects.all().delete()
    check = services.mutual_check_create(zone=county.zone_a, year=2026, quarter=4, by=county.staff)
    assert check.template.groups.count() == 6 and check.sheets.first().lines.count() == 11


def test_with_every_template_deactivated_opening_a_check_is_refused(county, today):
    from supervision.models import ChecklistTemplate

    ChecklistTemplate.objects.update(is_active=False)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.mutual_check_create(zone=county.zone_a, year=2026, quarter=4, by=county.staff)
    assert "No checklist template" in exc.value.messages[0]
    assert not MutualCheck.objects.exists()
