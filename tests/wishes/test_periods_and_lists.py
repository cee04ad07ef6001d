"""The figures by village and by period (month, quarter, year), the monthly red and black lists
of handler units on a hand-computed example, and the Excel exports (personal data masked)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import MONTH, QUARTER, YEAR
from wishes import selectors, services
from wishes.constants import Satisfaction
from wishes.models import Group, Village, Wish

from .conftest import MONDAY

pytestmark = pytest.mark.django_db

DEC_10 = datetime.date(2026, 12, 10)


def _done(w, wish, handler, c, *, answered, visit=None, visit_on=None):
    services.wish_dispatch(wish=wish, category=w.roads, handler=handler, by=c.staff, on=MONDAY)
    services.wish_sign(wish=wish, by=c.staff, on=MONDAY)
    if answered:
        services.wish_answer(wish=wish, answer="已办", by=c.staff, on=answered)
    if visit:
        services.wish_visit(wish=wish, satisfaction=visit, by=c.staff, on=visit_on)
    return wish


def _new(w, phone, group=None):
    return services.wish_receive(group=group or w.group, text="修路", phone=phone, on=MONDAY)


def test_the_red_and_black_lists_of_a_hand_computed_month(w, county):
    """Due on 30 Nov (5 working days from 23 Nov). 县司法局: two on time, both satisfied → red.
    县财政局: one on time, one answered late on 2 Dec → black (1 late of 2 due). 县委办公室:
    answered on time but 不满意 on the same day: redone, with a fresh deadline (30 Nov again)
    it missed → black, first (as late as 县财政局, and dissatisfied)."""
    c = county
    a, b = c.member_unit, c.member_unit_2
    _done(w, w.wish, a, c, answered=MONDAY, visit=Satisfaction.SATISFIED, visit_on=MONDAY)
    _done(
        w, _new(w, "13900000002"), a, c, answered=MONDAY, visit=Satisfaction.BASIC, visit_on=MONDAY
    )
    _done(w, _new(w, "13900000003"), b, c, answered=MONDAY)
    _done(w, _new(w, "13900000004"), b, c, answered=datetime.date(2026, 12, 2))
    _done(
        w,
        _new(w, "13900000005"),
        c.lead_unit,
        c,
        answered=MONDAY,
        visit=Satisfaction.UNSATISFIED,
        visit_on=MONDAY,
    )
    lists = selectors.red_black_lists(
        Wish.objects.all(), month=datetime.date(2026, 11, 1), day=DEC_10
    )
    (red,) = lists["red"]
    assert red.name == a.name and (red.due, red.late, red.dissatisfied) == (2, 0, 0)
    assert (red.on_time.numerator, red.on_time.denominator) == (2, 2)
    assert (red.satisfaction.numerator, red.satisfaction.denominator) == (2, 2)
    first, second = lists["black"]
    assert first.name == c.lead_unit.name and (first.due, first.late, first.dissatisfied) == (
        1,
        1,
        1,
    )
    assert (first.satisfaction.numerator, first.satisfaction.denominator) == (0, 1)
    assert second.name == b.name and second.late == 1 and second.dissatisfied == 0
    assert (second.on_time.numerator, second.on_time.denominator, str(second.on_time)) == (
        1,
        2,
        "50.00%",
    )
    # while the month runs, deadlines not passed yet are not counted
    running = selectors.red_black_lists(
        Wish.objects.all(), month=datetime.date(2026, 11, 1), day=datetime.date(2026, 11, 30)
    )
    assert not running["red"] and [u.name for u in running["black"]] == [c.lead_unit.name]


def test_the_figures_by_village_and_by_period(w, county):
    other = Village.objects.create(town=w.town, name="兴隆村")
    far = Group.objects.create(village=other, name="一组")
    _new(w, "13900000002", group=far)
    services.wish_receive(
        group=w.group, text="良种苗", phone="13900000003", on=datetime.date(2026, 10, 5)
    )
    rows = selectors.breakdown(
        Wish.objects.all(),
        ("town__name", "village__name"),
        start=datetime.date(2026, 11, 1),
        end=datetime.date(2026, 11, 30),
        day=DEC_10,
    )
    assert [(r["name"], r["collected"]) for r in rows] == [("滔河镇兴隆村", 1), ("滔河镇同心村", 1)]
    assert selectors.figures_period(MONTH, "2026-11", DEC_10).start == datetime.date(2026, 11, 1)
    q = selectors.figures_period(QUARTER, "2026-Q4", DEC_10)
    assert (q.start, q.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert selectors.figures_period(YEAR, "2025", DEC_10).key == "2025"
    assert selectors.figures_period(MONTH, "garbage", DEC_10).key == "2026"  # the year


def test_the_figures_page_by_month_states_the_lists_rule(client, w, county, fixed_today):
    fixed_today(DEC_10)
    services.wish_receive(
        group=w.group, text="良种苗", phone="13900000003", on=datetime.date(2026, 10, 5)
    )
    client.force_login(county.staff)
    page = client.get(reverse("wishes:figures"), {"period": "month", "at": "2026-11"})
    assert page.status_code == 200
    assert page.context["f"].collected == 1  # November's only, not October's
    assert page.context["sentence"].startswith("2026年11月，全县累积收集民情民意1条")
    body = page.content.decode()
    assert 'id="by-village"' in body and 'id="lists-rule"' in body
    quarter = client.get(reverse("wishes:figures"), {"period": "quarter", "at": "2026-Q4"})
    assert quarter.context["f"].collected == 2


def _cells(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(body))
    return [c.value for s in book.worksheets for row in s.iter_rows() for c in row]


def test_the_list_export_masks_the_villagers_name_and_phone(client, w, county):
    client.force_login(county.staff)
    response = client.get(reverse("wishes:export"))
    assert response.status_code == 200
    cells = _cells(response)
    assert w.wish.ticket in cells and "王**" in cells and "139****5678" in cells
    assert "王大山" not in cells and "13912345678" not in cells


def test_the_list_export_holds_only_what_the_reader_sees(client, w, county):
    client.force_login(county.secretary)  # a handler with nothing dispatched to it
    assert w.wish.ticket not in _cells(client.get(reverse("wishes:export")))


def test_a_list_over_the_threshold_is_written_by_the_worker_masked_and_filtered(
    client, w, county, settings, django_capture_on_commit_callbacks
):
    """A county's wishes of every year can pass EXPORT_WORKER_ROWS: the export is then a job
    (core.exportjobs) the worker writes with the same filter and masking, its link the
    requester's."""
    from django.core.files.storage import default_storage

    from core.exportjobs import job_run
    from core.models import ExportJob

    settings.EXPORT_WORKER_ROWS = 0
    services.wish_receive(
        group=w.group, text="想请镇上帮忙协调良种苗", phone="13700001111", on=MONDAY
    )
    client.force_login(county.staff)
    with django_capture_on_commit_callbacks():
        response = client.get(reverse("wishes:export"), {"state": "new"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "export_job", args=[job.pk]
    )
    assert (job.export, job.rows_total, job.user) == ("micro-wishes list", 2, county.staff)
    assert job_run(job.pk)
    job.refresh_from_db()
    with default_storage.open(job.file.name) as f:
        book = load_workbook(io.BytesIO(f.read()))
    cells = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
    assert w.wish.ticket in cells and "王**" in cells and "137****1111" in cells
    assert "王大山" not in cells and "13912345678" not in cells
    client.force_login(county.secretary)  # another account of the county: not theirs
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404


def test_the_figures_export_has_each_rate_with_its_denominator(client, w, county):
    client.force_login(county.staff)
    response = client.get(reverse("wishes:figures_export"), {"period": "year", "at": "2026"})
    cells = _cells(response)
    assert "0.00% (0 / 1)" in cells  # the resolution rate of the one wish
    assert "滔河镇同心村" in cells
