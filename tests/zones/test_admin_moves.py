"""Moves dated in the past are confirmed knowing what they change; every move, class change and
lead change says why; staff read the year's moves with their reasons on one page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from activities.models import HostSlot
from tests.activities.factories import make_activity
from tests.factories import UnitGradeFactory
from tests.helpers import post_unit_action as post_action
from zones import services
from zones.constants import Grade
from zones.models import Membership, UnitGrade

D = datetime.date
CHANGELIST = reverse("admin:zones_unit_changelist")
TODAY = D(2026, 11, 28)


def memberships():
    return list(Membership.objects.order_by("pk").values_list("pk", "zone_id", "effective_to"))


@pytest.fixture
def history(county, fixed_today):
    """The member unit hosted zone A in October and hosts it in November; it logged an activity
    on 9 October; zone A and zone B have host months planned for next year."""
    fixed_today(TODAY)
    for month, unit in ((10, county.member_unit), (11, county.member_unit), (12, county.lead_unit)):
        HostSlot.objects.create(zone=county.zone_a, month=D(2026, month, 1), unit=unit)
    HostSlot.objects.create(zone=county.zone_a, month=D(2027, 1, 1), unit=county.member_unit)
    HostSlot.objects.create(zone=county.zone_b, month=D(2027, 1, 1), unit=county.other_unit)
    make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 10, 9), title="十月主题党日"
    )
    make_activity(
        unit=county.member_unit, by=county.secretary, date=D(2026, 8, 9), title="八月活动"
    )
    county.staff.is_staff = True
    county.staff.save()
    return county


def test_a_move_dated_in_the_past_asks_for_confirmation_listing_what_it_changes(client, history):
    client.force_login(history.staff)
    before = memberships()
    page = post_action(
        client,
        "reassign_units",
        [history.member_unit],
        apply="1",
        zone=history.zone_b.pk,
        effective_on="2026-09-15",
        reason="职能调整",
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'id="past-date-confirmation"' in html
    assert "74 days in the past" in html
    assert "1 activities of 县司法局 from that day stay with 第一片区: 十月主题党日" in html
    assert "八月活动" not in html  # before the effective date: not affected
    assert "Host months of 县司法局 that stay with 第一片区: October 2026, November 2026." in html
    assert "The future host months of 第一片区 are replanned: December 2026, January 2027." in html
    assert "The future host months of 第二片区 are replanned: January 2027." in html
    assert 'name="confirm_past" value="2026-09-15"' in html
    assert memberships() == before  # nothing is changed before the confirmation

    done = post_action(
        client,
        "reassign_units",
        [history.member_unit],
        confirm_past="2026-09-15",
        zone=history.zone_b.pk,
        effective_on="2026-09-15",
        reason="职能调整",
    )
    assert done.status_code == 302
    moved = Membership.objects.get(unit=history.member_unit, effective_to__isnull=True)
    assert (moved.zone, moved.effective_from, moved.reason) == (
        history.zone_b,
        D(2026, 9, 15),
        "职能调整",
    )


def test_a_confirmation_for_another_date_asks_again(client, history):
    client.force_login(history.staff)
    before = memberships()
    page = post_action(
        client,
        "reassign_units",
        [history.member_unit],
        confirm_past="2026-09-15",  # confirmed for the 15th, then the date was changed
        zone=history.zone_b.pk,
        effective_on="2026-06-01",
        reason="职能调整",
    )
    assert 'name="confirm_past" value="2026-06-01"' in page.content.decode()
    assert memberships() == before


def test_a_move_from_today_needs_no_confirmation(client, history):
    client.force_login(history.staff)
    response = post_action(
        client,
        "reassign_units",
        [history.member_unit],
        apply="1",
        zone=history.zone_b.pk,
        effective_on=TODAY.isoformat(),
        reason="职能调整",
    )
    assert response.status_code == 302
    assert Membership.objects.get(unit=history.member_unit, effective_to__isnull=True).zone == (
        history.zone_b
    )


def test_a_past_move_that_would_be_refused_shows_the_refusal_not_a_confirmation(client, history):
    client.force_login(history.staff)
    before = memberships()
    page = post_action(
        client,
        "reassign_units",
        [history.lead_unit],
        apply="1",
        zone=history.zone_b.pk,
        effective_on="2026-09-15",
        reason="职能调整",
    )
    html = page.content.decode()
    assert "appoint another lead unit first" in html
    assert 'id="past-date-confirmation"' not in html
    assert memberships() == before


@pytest.mark.parametrize(
    ("action", "extra", "message"),
    [
        ("reassign_units", {"zone": "zone_b"}, "Say why the unit moves to another zone."),
        ("set_grade", {"grade": "1"}, None),  # the form itself requires the class's reason
        ("appoint_as_lead", {}, "Say why the lead unit changes."),
    ],
)
def test_every_move_class_change_and_lead_change_needs_a_reason(
    client, history, action, extra, message
):
    UnitGradeFactory(unit=history.member_unit, grade=Grade.FIRST, effective_from=D(2026, 1, 1))
    client.force_login(history.staff)
    before = (memberships(), UnitGrade.objects.count())
    data = {k: getattr(history, v).pk if k == "zone" else v for k, v in extra.items()}
    page = post_action(
        client,
        action,
        [history.member_unit],
        apply="1",
        effective_on=TODAY.isoformat(),
        reason="  ",
        **data,
    )
    assert page.status_code == 200
    if message:
        assert message in page.content.decode()
    assert (memberships(), UnitGrade.objects.count()) == before


def test_the_services_refuse_a_move_or_a_lead_change_without_a_reason(county):
    with translation.override("en"):
        with pytest.raises(ValidationError, match="Say why the unit moves"):
            services.unit_reassign(
                unit=county.member_unit, zone=county.zone_b, effective_on=D(2026, 3, 1), reason=""
            )
        with pytest.raises(ValidationError, match="Say why the lead unit changes"):
            services.zone_set_lead(
                zone=county.zone_a, unit=county.member_unit, effective_on=D(2026, 3, 1), reason=" "
            )
    assert Membership.objects.filter(unit=county.member_unit).count() == 1


def test_staff_read_the_years_moves_with_their_reasons(client, history):
    services.unit_reassign(
        unit=history.member_unit, zone=history.zone_b, effective_on=D(2026, 3, 1), reason="职能调整"
    )
    UnitGradeFactory(unit=history.member_unit_2, grade=Grade.FIRST, effective_from=D(2025, 1, 1))
    services.unit_set_grade(
        unit=history.member_unit_2,
        grade=Grade.SECOND,
        effective_on=D(2026, 7, 1),
        reason="考评退位",
    )
    UnitGradeFactory(unit=history.member_unit_2, grade=Grade.FIRST, effective_from=D(2026, 8, 1))
    services.zone_set_lead(
        zone=history.zone_a,
        unit=history.member_unit_2,
        effective_on=D(2026, 9, 1),
        reason="牵头轮换",
    )
    services.unit_reassign(  # last year's move is not this year's
        unit=history.other_unit, zone=history.zone_a, effective_on=D(2025, 6, 1), reason="旧调整"
    )
    client.force_login(history.staff)
    with translation.override("en"):
        page = client.get(reverse("moves"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    for reason in ("职能调整", "考评退位", "牵头轮换"):
        assert reason in html
    assert "旧调整" not in html
    rows = [(m.kind, m.unit.name, m.before, m.after) for m in page.context["moves"]]
    assert rows == [
        ("lead", "县财政局", "Member unit", "Lead unit of 第一片区"),
        ("class", "县财政局", "Second class", "First class"),
        ("class", "县财政局", "First class", "Second class"),
        ("zone", "县司法局", "第一片区", "第二片区"),
    ]
    assert "旧调整" in client.get(reverse("moves"), {"year": 2025}).content.decode()


@pytest.mark.parametrize("persona", ["leader", "lead_secretary", "secretary"])
def test_the_moves_page_is_none_of_the_others_business(client, county, persona):
    client.force_login(getattr(county, persona))
    assert client.get(reverse("moves")).status_code == 404


def test_the_moves_page_is_linked_from_the_unit_list_and_the_navigation(client, county):
    county.staff.is_staff = True
    county.staff.save()
    client.force_login(county.staff)
    assert 'id="admin-moves"' in client.get(CHANGELIST).content.decode()
    assert 'id="nav-moves"' in client.get(reverse("activities:grid")).content.decode()
