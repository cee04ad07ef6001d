"""The remaining forms and POST endpoints fuzzed with hypothesis (issue 7): findings and their
actions, score sheets, pairing, patrol plans and visits, the class review, the rotation, report
narratives, notification choices, the password change, the language switch and the admin forms
of accounts, units, zones and calendar days.

Each example posts random or hostile data (control characters, NUL, odd Unicode, 20k-character
strings, huge and negative numbers, wrong choices, lists, missing fields) as the persona who may
use the form. No response is a server error, and a refused submission (a re-rendered form, a 4xx,
or a redirect with an error message) leaves every table as it was, row for row."""

from __future__ import annotations

import datetime
import hashlib
import io
import random

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import ERROR
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from activities import services as activity_services
from core.models import CalendarDay
from notifications.constants import Kind
from notifications.models import Notification
from reports.constants import PeriodKind, ReportState
from reports.models import RollupReport
from supervision import services as supervision_services
from supervision.constants import FindingState, Severity, SheetState
from supervision.models import Finding, FindingEvidence, ScoreLine, ScoreSheet
from tests.activities.factories import make_activity
from tests.factories import PASSWORD, UserFactory
from zones.constants import Grade

# --- strategies -----------------------------------------------------------------------------

ODD = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "0x10",
    "٣",  # an Arabic-Indic digit
    "１２",  # full-width digits
    "2026-13-45",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "99999-01-01",
    "true",
    "on",
    "None",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "'; DROP TABLE x;--",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b",
    "\u202e\u200b\ufeff",
    "𠀀𝕏🙂",
    "İ" * 60,
    "双" * 100,  # exactly a unit name's length, six pinyin letters a character
    "x" * 40,
    "x" * 100,
    "x" * 200,
    "ﬃ" * 50,
    str(2**31),
    str(2**63),
    "-" + "9" * 40,
    "9" * 400,
]
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
    st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf", "Zs")), max_size=20),
    st.just("x" * 20000),
    st.just("双" * 20000),
    st.sampled_from(ODD),
    st.sampled_from(ODD),
    st.text(max_size=10).map(lambda s: f"{s}\x00{s}"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
# A value as a client may send it: one text, or several for the same name.
VALUE = st.one_of(TEXT, TEXT, TEXT, st.lists(TEXT, min_size=2, max_size=3))


def maybe(valid, wild=VALUE):
    """A valid value for the field, or something wild: reaches past the form into the service."""
    return st.one_of(st.sampled_from([str(v) for v in valid]), wild)


def optional(**fields):
    """Each field present or missing, independently."""
    return st.fixed_dictionaries({}, optional=fields)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 90, 200)).save(out, format="JPEG")
    return out.getvalue()


UPLOADS = st.lists(
    st.builds(
        lambda name, content, mime: SimpleUploadedFile(name, content, content_type=mime),
        st.one_of(
            st.sampled_from(
                ["photo.jpg", "a.pdf", "x.exe", ".jpg", "a" * 300 + ".jpg", "照片.png"]
            ),
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
                lambda s: (s or "f") + ".jpg"
            ),
        ),
        st.one_of(
            st.binary(max_size=300),
            st.just(b""),
            st.just(_jpeg()),
            st.just(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
            st.just(b"<svg onload=alert(1)>"),
        ),
        st.sampled_from(["image/jpeg", "application/pdf", "text/html", ""]),
    ),
    max_size=2,
)

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FEW = settings(FUZZ, max_examples=12)

# --- the check ------------------------------------------------------------------------------

UNWATCHED_APPS = {"audit", "sessions", "axes", "admin"}


def snapshot() -> dict[str, tuple[int, str]]:
    """Per model: row count and a fingerprint of every row's values."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED_APPS:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def changed_models(before, after) -> set[str]:
    return {label for label in before if before[label] != after[label]}


def refused(response) -> bool:
    """A 4xx, a re-rendered form, or a redirect with an error message added by this request
    (messages left over from earlier redirects are not this request's)."""
    if response.status_code != 302:
        return True
    storage = response.wsgi_request._messages
    return any(m.level >= ERROR for m in storage._queued_messages)


def post_and_check(client, url, data, *, may_change_on_refusal=frozenset()):
    """Post; no server error; a refusal changes nothing (but `may_change_on_refusal`)."""
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)
    if refused(response):
        changed = changed_models(before, snapshot()) - set(may_change_on_refusal)
        assert not changed, (url, data, changed, response.status_code)
    return response


# --- admin payloads -------------------------------------------------------------------------


def form_data(form) -> dict:
    """What a browser would send for `form` as rendered (its current values)."""
    data = {}
    for bound in form:
        widget, value = bound.field.widget, bound.value()
        if bound.field.disabled:
            continue
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for i, part in enumerate(parts):
                if part not in (None, ""):
                    data[f"{bound.html_name}_{i}"] = str(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def admin_baseline(client, url) -> dict:
    """A valid POST of the admin page at `url`: its form and its inlines as rendered."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.initial_forms:
            data.update(form_data(form))
    return data


def fuzz_admin(client, url, draw, baseline):
    """Replace some fields with wild values, drop some, add unknown ones; post and check."""
    keys = sorted(baseline)
    replaced = draw(st.dictionaries(st.sampled_from(keys), VALUE, max_size=6))
    dropped = draw(st.sets(st.sampled_from(keys), max_size=3))
    extra = draw(st.dictionaries(TEXT.filter(lambda k: "\x00" not in k), VALUE, max_size=2))
    data = {k: v for k, v in {**baseline, **extra, **replaced}.items() if k not in dropped}
    return post_and_check(client, url, data)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, county):
    client.force_login(county.staff)
    return client


@pytest.fixture
def superuser_client(client, db):
    """The installation superuser: passes every admin site, whoever else it admits."""
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def a_round(county, today):
    return supervision_services.patrol_round_open(
        year=2026, half=2, by=county.staff, rng=random.Random(2)
    )


@pytest.fixture
def published_round(county, a_round):
    return supervision_services.patrol_round_publish(round_=a_round, by=county.staff)


@pytest.fixture
def ready_report(county, today):
    return RollupReport.objects.create(
        county_id=county.staff.county_id,
        kind=PeriodKind.MONTH,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        state=ReportState.READY,
        narrative="十月份各片区活动正常开展。",
        requested_by=county.staff,
    )


def _set_finding_state(finding, state):
    Finding.objects.filter(pk=finding.pk).update(state=state)


def finding_url(finding, action):
    return reverse("supervision:finding_action", args=[finding.pk, action])


# --- findings -------------------------------------------------------------------------------


@FUZZ
@given(data=optional(note=VALUE, files=VALUE, csrfmiddlewaretoken=VALUE))
def test_finding_start(client, county, finding, data):
    client.force_login(county.secretary)
    _set_finding_state(finding, FindingState.OPEN)
    post_and_check(client, finding_url(finding, "start"), data)


@FUZZ
@given(
    state=st.sampled_from([FindingState.OPEN, FindingState.IN_PROGRESS, FindingState.RETURNED]),
    data=optional(note=VALUE),
    files=UPLOADS,
)
def test_finding_submit(client, county, finding, state, data, files):
    client.force_login(county.secretary)
    _set_finding_state(finding, state)
    evidence_before = FindingEvidence.objects.count()
    payload = {**data, "files": files} if files else data
    response = post_and_check(client, finding_url(finding, "submit"), payload)
    if not refused(response):
        # Accepted: every file sent is kept as evidence, none silently dropped.
        assert FindingEvidence.objects.count() == evidence_before + len(files), (data, files)


@FUZZ
@given(action=st.sampled_from(["verify", "return"]), data=optional(note=VALUE))
def test_finding_verify_and_return(client, county, finding, action, data):
    client.force_login(county.lead_secretary)
    _set_finding_state(finding, FindingState.SUBMITTED)
    post_and_check(client, finding_url(finding, action), data)


@FUZZ
@given(
    data=optional(description=VALUE, severity=maybe(Severity.values), suggestion=VALUE, note=VALUE)
)
def test_finding_correct(staff_client, finding, data):
    _set_finding_state(finding, FindingState.CLOSED)
    post_and_check(staff_client, finding_url(finding, "correct"), data)


@FEW
@given(action=st.from_regex(r"\A[-a-zA-Z0-9_]{1,30}\Z"))
def test_unknown_finding_action(staff_client, finding, action):
    response = post_and_check(staff_client, finding_url(finding, action), {"note": "x"})
    if action not in ("start", "submit", "verify", "return", "correct"):
        assert response.status_code == 404


# --- score sheets ---------------------------------------------------------------------------

SCORE = st.one_of(
    VALUE,
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.integers(min_value=0, max_value=20).map(str),
)


@FUZZ
@given(data=st.data())
def test_sheet_scores(client, county, sheet_by_secretary, data):
    sheet = sheet_by_secretary
    client.force_login(county.secretary)
    ScoreSheet.objects.filter(pk=sheet.pk).update(state=SheetState.OPEN, submitted_at=None)
    line_ids = list(sheet.lines.values_list("pk", flat=True))
    payload = {}
    for line_id in data.draw(st.sets(st.sampled_from(line_ids), max_size=len(line_ids))):
        payload[f"score_{line_id}"] = data.draw(SCORE)
        payload[f"note_{line_id}"] = data.draw(VALUE)
    payload.update(data.draw(optional(submit=VALUE, score_999999=VALUE, note_abc=VALUE)))
    # "Submit" saves the scores, then refuses to lock a sheet with criteria unscored: the typed
    # scores are kept (the page reloads from the database), the sheet stays open.
    response = post_and_check(
        client,
        reverse("supervision:sheet_detail", args=[sheet.pk]),
        payload,
        may_change_on_refusal={"supervision.ScoreLine", "supervision.ScoreSheet"}
        if "submit" in payload
        else (),
    )
    if refused(response):
        assert ScoreSheet.objects.get(pk=sheet.pk).state == SheetState.OPEN


@FUZZ
@given(data=optional(description=VALUE, severity=maybe(Severity.values), suggestion=VALUE))
def test_sheet_add_finding(client, county, sheet_by_secretary, data):
    client.force_login(county.secretary)
    post_and_check(
        client, reverse("supervision:sheet_add_finding", args=[sheet_by_secretary.pk]), data
    )


@FEW
@given(files=UPLOADS, data=optional(files=VALUE, note=VALUE))
def test_sheet_add_evidence(client, county, sheet_by_secretary, files, data):
    client.force_login(county.secretary)
    payload = {**data, "files": files} if files else data
    post_and_check(
        client, reverse("supervision:sheet_add_evidence", args=[sheet_by_secretary.pk]), payload
    )


# --- mutual checks and patrol rounds --------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_check_pairing(client, county, check_a, data):
    client.force_login(county.lead_secretary)
    units = list(check_a.sheets.values_list("checker_unit_id", flat=True))
    fields = {f"checker_{u}": maybe(units) for u in units}
    fields["checker_999999"] = VALUE
    post_and_check(
        client,
        reverse("supervision:check_pairing", args=[check_a.pk]),
        data.draw(optional(**fields)),
    )


@FUZZ
@given(data=st.data())
def test_round_plan(staff_client, county, a_round, data):
    zones = [county.zone_a.pk, county.zone_b.pk]
    leaders = [county.leader.pk, county.staff.pk, county.secretary.pk]
    fields = {}
    for zone in zones:
        fields[f"from_{zone}"] = maybe(zones)
        fields[f"leader_{zone}"] = maybe(leaders)
    post_and_check(
        staff_client,
        reverse("supervision:round_plan", args=[a_round.pk]),
        data.draw(optional(**fields)),
    )


@FUZZ
@given(
    data=optional(
        visit_date=maybe(["2026-09-01", "2026-11-27", "2026-11-29", "2026-03-01"]),
        heard_secretary=VALUE,
        heard_members=VALUE,
        heard_recipients=VALUE,
    )
)
def test_team_visit_record(staff_client, published_round, data):
    team = published_round.teams.order_by("pk").first()
    post_and_check(staff_client, reverse("supervision:team_detail", args=[team.pk]), data)


@FEW
@given(data=st.data())
def test_class_review_confirm(staff_client, county, today, data):
    units = [county.member_unit.pk, county.lead_unit.pk, county.other_unit.pk]
    post_and_check(
        staff_client,
        reverse("supervision:class_review_confirm"),
        data.draw(
            optional(
                unit=maybe(units),
                suggested=maybe(["", *Grade.values]),
                grade=maybe(Grade.values),
                effective_on=maybe(["2026-12-01", "2026-11-28", "2020-01-01", "2031-01-01"]),
                reason=VALUE,
                year=VALUE,
                half=VALUE,
            )
        ),
    )


# --- the rotation ---------------------------------------------------------------------------


@pytest.fixture
def rotation_of_zone_a(county, today):
    activity_services.rotation_generate_year(zone=county.zone_a, year=2027)
    return county.zone_a


@FUZZ
@given(data=st.data())
def test_rotation_order(client, county, rotation_of_zone_a, data):
    client.force_login(county.lead_secretary)
    zone = rotation_of_zone_a
    units = list(zone.memberships.filter(effective_to__isnull=True).values_list("unit", flat=True))
    fields = {
        f"unit_{u}": st.one_of(st.sampled_from(["1", "2", "3"]), VALUE, st.integers().map(str))
        for u in units
    }
    fields[f"unit_{county.other_unit.pk}"] = VALUE
    post_and_check(
        client,
        reverse("activities:rotation_order", args=[zone.pk]),
        data.draw(optional(**fields)),
    )


@FUZZ
@given(
    data=optional(
        first=maybe(["2027-01-01", "2027-02-15", "2026-12-01", "2026-11-01"]),
        second=maybe(["2027-03-01", "2027-02-01", "2028-01-01", "2025-01-01"]),
    )
)
def test_rotation_swap(client, county, rotation_of_zone_a, data):
    client.force_login(county.lead_secretary)
    post_and_check(client, reverse("activities:rotation_swap", args=[rotation_of_zone_a.pk]), data)


# --- endpoints without fields: whatever is posted, nothing breaks ----------------------------

JUNK = optional(note=VALUE, state=VALUE, pk=VALUE, next=VALUE, year=VALUE, reason=VALUE)


@FEW
@given(data=JUNK)
def test_check_publish(client, county, check_a, data):
    client.force_login(county.lead_secretary)
    post_and_check(client, reverse("supervision:check_publish", args=[check_a.pk]), data)


@FEW
@given(action=st.sampled_from(["round_publish", "round_close"]), data=JUNK)
def test_round_publish_and_close(staff_client, a_round, action, data):
    post_and_check(staff_client, reverse(f"supervision:{action}", args=[a_round.pk]), data)


@FEW
@given(data=JUNK)
def test_rotation_generate(staff_client, today, data):
    post_and_check(staff_client, reverse("activities:rotation_generate"), data)


@FEW
@given(data=JUNK)
def test_activity_submit_and_confirm(client, county, today, data):
    activity = make_activity(
        unit=county.member_unit, by=county.secretary, date=datetime.date(2026, 10, 9)
    )
    client.force_login(county.secretary)
    post_and_check(client, reverse("activities:submit", args=[activity.pk]), data)
    client.force_login(county.lead_secretary)
    post_and_check(client, reverse("activities:confirm", args=[activity.pk]), data)


@FEW
@given(data=JUNK)
def test_report_file(staff_client, ready_report, data):
    RollupReport.objects.filter(pk=ready_report.pk).update(state=ReportState.READY)
    post_and_check(staff_client, reverse("reports:file", args=[ready_report.pk]), data)


@FEW
@given(data=JUNK, read_all=st.booleans())
def test_notification_read(client, county, data, read_all):
    notification = Notification.objects.create(
        recipient=county.secretary,
        kind=Kind.ACTIVITY_RETURNED,
        subject=f"activity:{Notification.objects.count()}",
        period="2026-11",
        title="活动被退回",
    )
    client.force_login(county.secretary)
    url = (
        reverse("notifications:read_all")
        if read_all
        else reverse("notifications:read", args=[notification.pk])
    )
    post_and_check(client, url, data)


# --- reports, notifications, accounts -------------------------------------------------------


@FUZZ
@given(data=optional(narrative=VALUE))
def test_report_narrative(staff_client, ready_report, data):
    post_and_check(staff_client, reverse("reports:narrative", args=[ready_report.pk]), data)


@FUZZ
@given(
    data=optional(
        **{
            f"{kind}__{channel}": VALUE
            for kind in Kind.values[:4]
            for channel in ("in_app", "email")
        },
        unknown__email=VALUE,
    )
)
def test_notification_preferences(client, county, data):
    client.force_login(county.secretary)
    post_and_check(client, reverse("notifications:preferences"), data)


@FUZZ
@given(
    data=optional(
        old_password=maybe([PASSWORD]),
        new_password1=maybe(["Another@2026pass"]),
        new_password2=maybe(["Another@2026pass"]),
    )
)
def test_password_change(client, county, data):
    user = county.secretary
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    post_and_check(client, reverse("password_change"), data)


@FEW
@given(data=optional(language=maybe(["en", "zh-hans"]), next=maybe(["/", "//evil.example/"])))
def test_set_language(client, county, data):
    client.force_login(county.secretary)
    post_and_check(client, reverse("set_language"), data)


# --- admin forms ----------------------------------------------------------------------------


@pytest.fixture
def admin_page(superuser_client, county):
    """(url, a valid POST of it): read once, so every example draws from the same fields."""

    def page(name, *args):
        url = reverse(name, args=args)
        return url, admin_baseline(superuser_client, url)

    return page


@FUZZ
@given(
    data=optional(
        username=VALUE,
        full_name=VALUE,
        role=VALUE,
        password1=maybe([PASSWORD]),
        password2=maybe([PASSWORD]),
        usable_password=VALUE,
    )
)
def test_admin_user_add(superuser_client, data):
    post_and_check(superuser_client, reverse("admin:core_user_add"), data)


@pytest.fixture
def user_change_page(admin_page, county):
    return admin_page("admin:core_user_change", county.outsider.pk)


@FUZZ
@given(data=st.data())
def test_admin_user_change(superuser_client, user_change_page, data):
    url, baseline = user_change_page
    fuzz_admin(superuser_client, url, data.draw, baseline)


@FEW
@given(data=optional(password1=VALUE, password2=VALUE, usable_password=VALUE))
def test_admin_password_reset(superuser_client, county, data):
    url = reverse("admin:auth_user_password_change", args=[county.outsider.pk])
    post_and_check(superuser_client, url, data)


@pytest.fixture
def unit_change_page(admin_page, county):
    return admin_page("admin:zones_unit_change", county.member_unit.pk)


@FEW
@given(data=st.data())
def test_admin_unit_change(superuser_client, unit_change_page, data):
    url, baseline = unit_change_page
    fuzz_admin(superuser_client, url, data.draw, baseline)


@pytest.fixture
def unit_add_page(admin_page):
    url, baseline = admin_page("admin:zones_unit_add")
    return url, {**baseline, "name": "县测试新局"}


@FUZZ
@given(data=st.data())
def test_admin_unit_add(superuser_client, unit_add_page, data):
    url, baseline = unit_add_page
    fuzz_admin(superuser_client, url, data.draw, baseline)


@pytest.fixture
def zone_change_page(admin_page, county):
    return admin_page("admin:zones_zone_change", county.zone_a.pk)


@FEW
@given(data=st.data())
def test_admin_zone_change(superuser_client, zone_change_page, data):
    url, baseline = zone_change_page
    fuzz_admin(superuser_client, url, data.draw, baseline)


@FUZZ
@given(data=optional(date=maybe(["2026-10-01", "2026-10-08"]), is_workday=VALUE, note=VALUE))
def test_admin_calendar_day_add(superuser_client, data):
    CalendarDay.objects.all().delete()
    post_and_check(superuser_client, reverse("admin:core_calendarday_add"), data)


@FEW
@given(data=optional(year=maybe([2027, 2030]), complete=VALUE, note=VALUE))
def test_admin_calendar_year_add(superuser_client, data):
    post_and_check(superuser_client, reverse("admin:core_calendaryear_add"), data)


# --- regressions: the exact inputs that once broke a form ------------------------------------


def test_a_score_of_nan_is_refused_not_a_server_error(client, county, sheet_by_secretary):
    """ "NaN" parsed as a decimal, then failed every comparison: a 500."""
    line = sheet_by_secretary.lines.order_by("position").first()
    client.force_login(county.secretary)
    for raw in ("NaN", "-nan", "Infinity"):
        response = post_and_check(
            client,
            reverse("supervision:sheet_detail", args=[sheet_by_secretary.pk]),
            {f"score_{line.pk}": raw},
        )
        # Refused: the page again with the score as typed (issue 12), not a redirect.
        assert response.status_code == 200 and refused(response)
    assert ScoreLine.objects.get(pk=line.pk).score is None


def test_a_submission_with_an_empty_file_is_refused_not_saved_without_it(client, county, finding):
    """The view ignored the form's verdict: an empty file was dropped and the rest accepted."""
    client.force_login(county.secretary)
    empty = SimpleUploadedFile("photo.jpg", b"", content_type="image/jpeg")
    response = post_and_check(
        client, finding_url(finding, "submit"), {"note": "补齐了会议记录", "files": [empty]}
    )
    assert refused(response)
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN
    assert not FindingEvidence.objects.exists()


@pytest.mark.parametrize("user", [":", "1\x00", "abc"])
def test_a_unit_post_naming_no_user_is_refused_not_a_server_error(
    superuser_client, unit_change_page, user
):
    """Django's admin autocomplete looked the refused value up to show the form again."""
    url, baseline = unit_change_page
    response = post_and_check(superuser_client, url, {**baseline, "posts-0-user": user})
    assert response.status_code == 200


@pytest.mark.parametrize("action", ["verify", "return"])
def test_a_verification_note_with_nul_is_refused(client, county, finding, action):
    """The note went to the database unchecked; PostgreSQL refuses NUL: a 500."""
    _set_finding_state(finding, FindingState.SUBMITTED)
    client.force_login(county.lead_secretary)
    response = post_and_check(client, finding_url(finding, action), {"note": "已整改\x00"})
    assert refused(response)
    assert Finding.objects.get(pk=finding.pk).state == FindingState.SUBMITTED


def test_a_score_note_with_nul_is_refused(client, county, sheet_by_secretary):
    line = sheet_by_secretary.lines.order_by("position").first()
    client.force_login(county.secretary)
    response = post_and_check(
        client,
        reverse("supervision:sheet_detail", args=[sheet_by_secretary.pk]),
        {f"score_{line.pk}": "1", f"note_{line.pk}": "a\x00b"},
    )
    assert refused(response)
    assert ScoreLine.objects.get(pk=line.pk).score is None


@pytest.mark.parametrize(
    ("name", "short_name"), [("双" * 100, ""), ("x" * 100, "y" * 40), ("İ" * 100, "")]
)
def test_a_unit_name_of_full_length_is_saved(superuser_client, unit_change_page, name, short_name):
    """Its pinyin and initials, kept for sorting and search, outgrew their columns."""
    url, baseline = unit_change_page
    data = {**baseline, "name": name, "short_name": short_name}
    response = post_and_check(superuser_client, url, data)
    assert response.status_code == 302


def test_a_zone_name_whose_initials_grow_is_saved(superuser_client, zone_change_page):
    url, baseline = zone_change_page
    response = post_and_check(superuser_client, url, {**baseline, "name": "İ" * 60})
    assert response.status_code == 302
