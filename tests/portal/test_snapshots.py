"""Snapshots of a county that runs its own server (issue 15): `manage.py county_snapshot` writes
the signed file (and an Excel copy), the city imports it — refusing a damaged, tampered,
wrong-period, unknown-county or mismatched file with the reason, importing nothing — shows it
on the city dashboard marked 已导入, returns it for correction with a reason the county's staff
reads, and keeps the history (a re-import after return supersedes, never overwrites)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from activities.constants import ActivityState
from audit.models import AuditEvent
from core.constants import Role
from portal import services, snapshots
from portal.models import CountySnapshot, SnapshotKey, SnapshotState
from tests.activities.factories import make_activity
from tests.factories import CountyFactory, UserFactory, ZoneFactory

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _fresh(fixed_today):
    fixed_today(TODAY)
    cache.clear()


@pytest.fixture
def city_staff(db):
    return UserFactory(username="city", role=Role.CITY_STAFF)


@pytest.fixture
def ziyang(county):
    """紫阳县, a county of 安康市 that runs its own server: the city gave it a key."""
    ziyang = CountyFactory(code="610924", name="紫阳县", short_name="紫阳")
    SnapshotKey.objects.create(county=ziyang, key="k" * 64)
    return ziyang


@pytest.fixture
def shiquan_file(county, tmp_path):
    """石泉县's own snapshot of 2026-H2, as its server writes it (the key the city gave it
    entered there), with one zone-month covered."""
    SnapshotKey.objects.create(county=county.zone_a.county, key="s" * 64)
    make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 15),
        state=ActivityState.CONFIRMED,
        reviewer=county.lead_secretary,
    )
    out = tmp_path / "shiquan-2026-H2.json"
    call_command(
        "county_snapshot",
        "--period",
        "2026-H2",
        "--county",
        "610922",
        "--out",
        str(out),
        "--responsible",
        "张书记",
        "--preparer",
        "王干事",
    )
    return out


def _import(raw: bytes, *, by, period="2026-H2"):
    return services.snapshot_import(raw=raw, period=period, by=by)


# --- the county's side ----------------------------------------------------------------------


def test_the_command_writes_the_signed_figures_the_city_dashboard_reads(county, shiquan_file):
    document = json.loads(shiquan_file.read_text(encoding="utf-8"))

    assert document["period"] == "2026-H2"
    assert document["county"] == {"code": "610922", "name": "石泉县"}
    assert document["responsible"] == "张书记" and document["preparer"] == "王干事"
    assert document["figures"]["zones"]["zone_months"] == [1, 2 * 5]
    assert set(document["figures"]["zones"]) == {"zone_months", "checks", "rounds", "findings"}
    datetime.datetime.fromisoformat(document["generated_at"])
    assert document["checksum"] == snapshots.checksum(document, "s" * 64)
    # the Excel copy beside it
    book = load_workbook(shiquan_file.with_suffix(".xlsx"))
    cells = [c.value for row in book.worksheets[1].iter_rows() for c in row]
    assert 1 in cells and 10 in cells


def test_the_command_refuses_a_county_without_a_key_and_a_period_that_is_not_one(county, tmp_path):
    out = tmp_path / "s.json"
    with pytest.raises(CommandError, match="快照密钥"):
        call_command("county_snapshot", "--period", "2026-H2", "--out", str(out))
    with pytest.raises(CommandError, match="not a period"):
        call_command("county_snapshot", "--period", "2026-H3", "--out", str(out))
    assert not out.exists()


# --- the city's side: refusals, each importing nothing --------------------------------------


def _signed(county, key) -> dict:
    from core.periods import HALF, period_of

    document = snapshots.build(
        county=county,
        period=period_of(HALF, TODAY),
        figures={
            "zones": {"zone_months": [3, 5], "checks": [1, 2], "rounds": [1, 1], "findings": [2, 4]}
        },
        generated_at=datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC),
        responsible="钱书记",
        preparer="赵干事",
        key=key,
    )
    return document


def _raw(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def _refused(raw, city_staff, match, period="2026-H2"):
    before = CountySnapshot.objects.count()
    with pytest.raises(Exception, match=match) as refusal:
        _import(raw, by=city_staff, period=period)
    assert CountySnapshot.objects.count() == before
    return refusal


def test_a_damaged_file_is_refused(ziyang, city_staff):
    _refused(b"{not json", city_staff, "已损坏")
    _refused(b"\xff\xfe", city_staff, "已损坏")
    document = _signed(ziyang, "k" * 64)
    del document["figures"]
    _refused(_raw(document), city_staff, "缺少figures")
    document = _signed(ziyang, "k" * 64)
    document["figures"]["zones"]["zone_months"] = [6, 5]  # more covered than there are
    _refused(_raw(document), city_staff, "指标与市级概览的指标不符")
    _refused(_raw({"format": "something else"}), city_staff, "不是县级数据快照")


def test_a_tampered_file_is_refused(ziyang, city_staff):
    document = _signed(ziyang, "k" * 64)
    document["figures"]["zones"]["zone_months"] = [5, 5]  # a better figure than was signed
    _refused(_raw(document), city_staff, "校验码不符")
    # signed with another key
    _refused(_raw(_signed(ziyang, "x" * 64)), city_staff, "校验码不符")


def test_a_file_of_another_period_is_refused(ziyang, city_staff):
    _refused(_raw(_signed(ziyang, "k" * 64)), city_staff, "不是2026-H1的", period="2026-H1")


def test_a_file_of_an_unknown_county_is_refused(ziyang, city_staff):
    document = _signed(ziyang, "k" * 64)
    document["county"] = {"code": "610999", "name": "某县"}
    _refused(_raw(document), city_staff, "没有区划代码为610999")


def test_a_file_whose_county_name_does_not_match_its_code_is_refused(ziyang, city_staff):
    document = _signed(ziyang, "k" * 64)
    document["county"] = {"code": "610924", "name": "平利县"}
    _refused(_raw(document), city_staff, "名称为平利县")


def test_a_file_of_a_hosted_county_is_refused(county, ziyang, city_staff):
    shiquan = county.zone_a.county  # hosted here: no key
    _refused(_raw(_signed(shiquan, "k" * 64)), city_staff, "没有快照密钥")


def test_a_refusal_is_audited(ziyang, city_staff):
    _refused(b"{not json", city_staff, "已损坏")
    event = AuditEvent.objects.get(detail__contains="snapshot_import")
    assert event.outcome == "failure" and "已损坏" in event.detail


# --- import, dashboard, return, history -----------------------------------------------------


def test_the_round_trip_import_return_and_re_import(client, county, ziyang, city_staff):
    ZoneFactory(county=county.zone_a.county, number=9)  # the hosted county's data is its own
    client.force_login(city_staff)
    raw = _raw(_signed(ziyang, "k" * 64))
    response = client.post(
        reverse("portal:snapshots"),
        {"period": "2026-H2", "file": _upload(raw)},
    )
    assert response.status_code == 302
    first = CountySnapshot.objects.get()
    assert first.state == SnapshotState.CURRENT and first.responsible == "钱书记"

    # the city dashboard shows it beside the hosted counties, marked 已导入 with the time
    page = client.get(reverse("portal:city_dashboard"))
    row = next(r for r in page.context["d"].rows if r.county == ziyang)
    assert row.snapshot == first and row.cells[0].figures["zone_months"] == [3, 5]
    assert "已导入" in page.content.decode()
    assert page.context["d"].totals[0].figures["zone_months"][1] == 3 * 5 + 5  # pooled with it

    # a second import of the period is refused while the first stands
    _refused(raw, city_staff, "已导入")

    # returned for correction, with the reason
    response = client.post(
        reverse("portal:snapshot_return", args=[first.pk]), {"reason": "巡回督导场次有误"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == SnapshotState.RETURNED and first.return_reason == "巡回督导场次有误"
    page = client.get(reverse("portal:city_dashboard"))
    row = next(r for r in page.context["d"].rows if r.county == ziyang)
    assert row.snapshot is None and row.awaiting

    # the county's staff reads the reason
    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    client.force_login(zy_staff)
    page = client.get(reverse("portal:snapshots"))
    assert page.status_code == 200 and "巡回督导场次有误" in page.content.decode()
    assert client.post(reverse("portal:snapshots")).status_code == 403

    # the corrected file supersedes the returned one, which stays
    corrected = _raw(
        _signed(
            ziyang,
            "k" * 64,
        )
    )
    second = _import(corrected, by=city_staff)
    assert second.supersedes == first
    assert list(CountySnapshot.objects.order_by("pk").values_list("state", flat=True)) == [
        SnapshotState.RETURNED,
        SnapshotState.CURRENT,
    ]


def test_a_return_needs_a_reason_and_happens_once(ziyang, city_staff):
    snapshot = _import(_raw(_signed(ziyang, "k" * 64)), by=city_staff)
    with pytest.raises(Exception, match="修改的内容"):
        services.snapshot_return(snapshot=snapshot, reason="  ", by=city_staff)
    snapshot.refresh_from_db()
    assert snapshot.state == SnapshotState.CURRENT
    services.snapshot_return(snapshot=snapshot, reason="数据有误", by=city_staff)
    with pytest.raises(Exception, match="已退回"):
        services.snapshot_return(snapshot=snapshot, reason="再退", by=city_staff)


def test_only_city_staff_import_and_return(client, county, ziyang, city_staff):
    snapshot = _import(_raw(_signed(ziyang, "k" * 64)), by=city_staff)
    client.force_login(county.staff)  # 石泉县 is hosted: no snapshots of its own
    assert client.get(reverse("portal:snapshots")).status_code == 404
    assert client.post(reverse("portal:snapshot_return", args=[snapshot.pk])).status_code == 404
    zy_staff = UserFactory(username="zy_staff", role=Role.STAFF, county=ziyang)
    client.force_login(zy_staff)
    response = client.post(reverse("portal:snapshot_return", args=[snapshot.pk]), {"reason": "x"})
    assert response.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.state == SnapshotState.CURRENT


def test_the_city_page_says_why_a_file_is_refused(client, ziyang, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("portal:snapshots"), {"period": "2026-H2", "file": _upload(b"{not json")}
    )
    assert response.status_code == 200
    assert "文件已损坏" in response.content.decode()
    assert not CountySnapshot.objects.exists()


def _upload(raw: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("snapshot.json", raw, content_type="application/json")
