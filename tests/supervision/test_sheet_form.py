"""The score sheet page is one form (issue 12): recording a finding or attaching evidence saves
the scores typed beside them first, and a refusal shows the page again as typed, so the
checker never types a score twice."""

from __future__ import annotations

import re
from decimal import Decimal

from supervision.models import Finding, ScoreLine, SheetEvidence
from tests.helpers import make_png
from tests.helpers import supervision_url as url


def value_of(html: str, name: str) -> str | None:
    """The value an <input name=...> of the page carries."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    found = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return found.group(1) if found else None


def sheet_form(html: str) -> str:
    """The page's one form, from its opening tag to its end."""
    start = html.index('id="sheet-form"')
    return html[start : html.index("</form>", start)]


def typed(sheet, *, score="2", note="台账齐全") -> dict:
    """What the page posts after the checker typed a score and a note on every line."""
    data = {}
    for line in sheet.lines.all():
        data[f"score_{line.pk}"] = score
        data[f"note_{line.pk}"] = note
    return data


def test_recording_a_finding_saves_the_typed_scores_first(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    response = client.post(
        url("sheet_add_finding", sheet_by_secretary.pk),
        {**typed(sheet_by_secretary), "description": "会议记录不全", "severity": "general"},
    )
    assert response.status_code == 302
    lines = ScoreLine.objects.filter(sheet=sheet_by_secretary)
    assert {(line.score, line.note) for line in lines} == {(Decimal("2"), "台账齐全")}
    assert Finding.objects.filter(sheet=sheet_by_secretary, description="会议记录不全").exists()
    # The page it returns to shows the scores in their fields.
    page = client.get(response["Location"]).content.decode()
    line = lines.first()
    assert value_of(page, f"score_{line.pk}") == "2.0"
    assert value_of(page, f"note_{line.pk}") == "台账齐全"


def test_the_finding_button_posts_the_scores_of_the_same_form(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    form = sheet_form(client.get(url("sheet_detail", sheet_by_secretary.pk)).content.decode())
    finding_action = url("sheet_add_finding", sheet_by_secretary.pk)
    evidence_action = url("sheet_add_evidence", sheet_by_secretary.pk)
    assert re.search(rf'formaction="{finding_action}"[^>]*id="record-finding"', form)
    assert re.search(rf'formaction="{evidence_action}"[^>]*id="attach-evidence"', form)
    assert 'name="score_' in form and 'name="description"' in form
    # "Save" works with no finding typed: the finding's fields are not required in the browser.
    description = re.search(r'<textarea[^>]*name="description"[^>]*>', form).group(0)
    assert "required" not in description


def test_a_finding_without_a_description_is_refused_and_the_page_keeps_what_was_typed(
    client, county, sheet_by_secretary
):
    client.force_login(county.secretary)
    response = client.post(
        url("sheet_add_finding", sheet_by_secretary.pk),
        {**typed(sheet_by_secretary, score="1.5"), "description": "  ", "suggestion": "补齐"},
    )
    assert response.status_code == 200
    assert not Finding.objects.filter(sheet=sheet_by_secretary).exists()
    assert not ScoreLine.objects.filter(sheet=sheet_by_secretary, score__isnull=False).exists()
    page = response.content.decode()
    line = sheet_by_secretary.lines.first()
    assert value_of(page, f"score_{line.pk}") == "1.5"
    assert re.search(r'name="suggestion"[^>]*>\s*补齐\s*</textarea>', page)


def test_a_refused_score_shows_the_page_again_as_typed(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    first, second = sheet_by_secretary.lines.order_by("position")[:2]
    response = client.post(
        url("sheet_detail", sheet_by_secretary.pk),
        {f"score_{first.pk}": "1", f"score_{second.pk}": str(second.max_score + 5)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "must lie between 0 and" in response.content.decode()
    assert value_of(response.content.decode(), f"score_{first.pk}") == "1"
    assert not ScoreLine.objects.filter(sheet=sheet_by_secretary, score__isnull=False).exists()


def test_attaching_evidence_saves_the_typed_scores_too(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    response = client.post(
        url("sheet_add_evidence", sheet_by_secretary.pk),
        {**typed(sheet_by_secretary, score="1"), "files": [make_png()]},
    )
    assert response.status_code == 302
    assert SheetEvidence.objects.filter(sheet=sheet_by_secretary).count() == 1
    assert not ScoreLine.objects.filter(sheet=sheet_by_secretary, score__isnull=True).exists()


def test_a_post_without_some_lines_leaves_their_scores_alone(client, county, sheet_by_secretary):
    client.force_login(county.secretary)
    first, second = sheet_by_secretary.lines.order_by("position")[:2]
    client.post(url("sheet_detail", sheet_by_secretary.pk), {f"score_{first.pk}": "1"})
    client.post(url("sheet_detail", sheet_by_secretary.pk), {f"score_{second.pk}": "1"})
    assert ScoreLine.objects.get(pk=first.pk).score == Decimal("1")
