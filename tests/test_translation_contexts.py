"""One English word, one meaning: where a source string means two things (a finding that is
"Open" and the button that opens a check; a check "In progress" and a finding being rectified),
each meaning carries its own pgettext context, so each gets its own Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# A choice label with the Chinese it stands for in a trailing comment, e.g.
#     OPEN = "open", pgettext_lazy("finding state", "Open")  # 待整改
CHOICE = re.compile(
    r'(?:\b_|pgettext_lazy)\((?:"(?P<ctx>[^"]+)",\s*)?"(?P<msgid>[^"]+)"\)(?:,\s*\))?[ \t]*#\s*(?P<zh>[^\x00-\x7f]\S*)'
)


def _choice_labels():
    for path in sorted(ROOT.glob("*/constants.py")):
        for m in CHOICE.finditer(path.read_text(encoding="utf-8")):
            zh = re.split(r"[（(:：,，]", m["zh"])[0]
            yield path.relative_to(ROOT).as_posix(), m["ctx"], m["msgid"], zh


def _is_action(path: str, line: int) -> bool:
    """Whether the catalogue reference points at a button that does something (a verb), not a
    label. (A link styled as a button names a list, as a label does.)"""
    if not path.endswith(".html"):
        return False
    text = (ROOT / path).read_text(encoding="utf-8").splitlines()[line - 1]
    return "<button" in text


def test_every_choice_label_reads_as_the_chinese_its_comment_names():
    """Fails when one msgid serves two choices that mean different things (已提交 / 提交)."""
    po = polib.pofile(str(CATALOGUE))
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in po}
    labels = list(_choice_labels())
    assert len(labels) > 40
    wrong = [
        (path, ctx, msgid, zh, translated.get((ctx, msgid)))
        for path, ctx, msgid, zh in labels
        if translated.get((ctx, msgid)) != zh
    ]
    assert wrong == []


def test_no_button_shares_a_msgid_with_a_choice_label():
    """A verb on a button and a state of a record are two meanings: without a context of its own
    the button reads the state ("Open" → 待整改)."""
    po = polib.pofile(str(CATALOGUE))
    collisions = []
    for entry in po:
        files = {path for path, _line in entry.occurrences}
        if not any(path.endswith("constants.py") for path in files):
            continue
        actions = [(p, int(n)) for p, n in entry.occurrences if _is_action(p, int(n))]
        if actions:
            collisions.append((entry.msgctxt, entry.msgid, actions))
    assert collisions == []


@pytest.mark.parametrize(
    "context, msgid, chinese",
    [
        ("finding state", "Open", "待整改"),
        ("finding state", "In progress", "整改中"),
        ("start a check or a round", "Open", "发起"),
        (None, "In progress", "进行中"),
        ("activity event", "Submitted", "提交"),
        (None, "Submitted", "已提交"),
        # a class move's columns are classes, a membership's are dates
        ("class move", "From", "原类别"),
        (None, "From", "起"),
        # a zone's member units, a patrol team's people, and a count of units
        ("member units of a zone", "Members", "成员单位"),
        ("patrol team", "Members", "组员"),
        (None, "Members", "成员单位数"),
        ("patrol team", "members", "组员"),
        # a party member's category (正式/预备) and any other category (a wish's, a matter's)
        ("party membership", "Category", "人员类别"),
        ("party membership", "category", "人员类别"),
        (None, "category", "类别"),
    ],
)
def test_each_meaning_has_its_own_chinese(context, msgid, chinese):
    with translation.override("zh-hans"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert text == chinese


def test_a_finding_in_progress_reads_as_being_rectified_and_a_check_as_under_way():
    from supervision.constants import CheckState, FindingState

    with translation.override("zh-hans"):
        assert str(FindingState.IN_PROGRESS.label) == "整改中"
        assert str(FindingState.OPEN.label) == "待整改"
        assert str(CheckState.DRAFT.label) == "进行中"


@pytest.mark.django_db
def test_the_button_that_opens_a_mutual_check_does_not_read_as_a_finding_state(client, county):
    client.force_login(county.lead_secretary)
    page = client.get("/supervision/checks/new/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert "发起</button>" in html
    assert "待整改</button>" not in html
