"""Each create form of supervision sent twice with one token creates once (core.once): the
second sending answers with the first one's result."""

from __future__ import annotations

import pytest

from supervision import services
from supervision.constants import FindingState
from supervision.models import (
    Finding,
    FindingEvidence,
    MutualCheck,
    PatrolRound,
    SheetEvidence,
)
from tests.helpers import make_png
from tests.helpers import supervision_url as url
from tests.once import token_in, tokens_in


def post_twice(client, address, data_of):
    """Two sendings of one rendered form; `data_of` makes each sending's body (files are read
    once per sending)."""
    return client.post(address, data_of()), client.post(address, data_of())


def test_the_check_form_sent_twice_opens_one_check(client, county, today):
    client.force_login(county.lead_secretary)
    token = token_in(client.get(url("check_create")))
    first, second = post_twice(
        client,
        url("check_create"),
        lambda: {"zone": county.zone_a.pk, "year": 2026, "quarter": 4, "once": token},
    )
    check = MutualCheck.objects.get()
    assert first.url == second.url == url("check_detail", check.pk)


def test_a_finding_sent_twice_is_recorded_once(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    token = token_in(client.get(url("sheet_detail", sheet_by_secretary.pk)))
    first, second = post_twice(
        client,
        url("sheet_add_finding", sheet_by_secretary.pk),
        lambda: {"description": "台账不全", "severity": "general", "once": token},
    )
    assert Finding.objects.filter(sheet=sheet_by_secretary).count() == 1
    assert first.url == second.url == url("sheet_detail", sheet_by_secretary.pk) + "#findings"


def test_sheet_evidence_sent_twice_is_attached_once(
    client, county, sheet_by_secretary, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.secretary)
    # The page has two create forms (finding, evidence), each with its own token.
    tokens = tokens_in(client.get(url("sheet_detail", sheet_by_secretary.pk)))
    assert len(set(tokens)) == 2
    first, second = post_twice(
        client,
        url("sheet_add_evidence", sheet_by_secretary.pk),
        lambda: {"files": [make_png()], "once": tokens[1]},
    )
    assert SheetEvidence.objects.count() == 1
    assert first.url == second.url == url("sheet_detail", sheet_by_secretary.pk) + "#evidence"


def test_rectification_evidence_sent_twice_is_submitted_once(
    client, county, finding, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.secretary)
    services.finding_start(finding=finding, by=county.secretary)
    token = token_in(client.get(url("finding_detail", finding.pk)))
    first, second = post_twice(
        client,
        url("finding_action", finding.pk, "submit"),
        lambda: {"note": "补齐了会议记录", "files": [make_png()], "once": token},
    )
    finding.refresh_from_db()
    assert finding.state == FindingState.SUBMITTED
    assert FindingEvidence.objects.filter(finding=finding).count() == 1
    assert finding.events.filter(to_state=FindingState.SUBMITTED).count() == 1
    assert first.url == second.url == url("finding_detail", finding.pk)
    # The second answer is the first one's result, not a refusal of a finding already submitted.
    assert not [m for m in second.wsgi_request._messages if m.level_tag == "error"]


def test_the_round_form_sent_twice_opens_one_round(client, county, today):
    client.force_login(county.staff)
    token = token_in(client.get(url("round_create")))
    first, second = post_twice(
        client, url("round_create"), lambda: {"year": 2026, "half": 2, "once": token}
    )
    round_ = PatrolRound.objects.get()
    assert first.url == second.url == url("round_detail", round_.pk)


@pytest.mark.parametrize("sendings", [1, 2])
def test_a_correction_of_a_closed_finding_is_recorded_once(client, county, finding, sendings):
    services.finding_start(finding=finding, by=county.secretary)
    services.finding_submit(finding=finding, note="x", by=county.secretary)
    services.finding_verify(finding=finding, by=county.staff)
    client.force_login(county.staff)
    token = token_in(client.get(url("finding_detail", finding.pk)))
    data = {"description": "更正的描述", "severity": "general", "once": token}
    for _ in range(sendings):
        client.post(url("finding_action", finding.pk, "correct"), data)
    assert Finding.objects.count() == 2
