"""The activity form as its people use it (issue 12): the participant picker grouped by zone with
partner organizations (链上联建) as their own group, found by name or pinyin initials through the
navigation search's rule; outcomes in any number of rows; partner organizations marked on their
unit page and filtered in the ledger."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity
from tests.activities.factories import form_data, make_activity
from tests.factories import UnitFactory, unit_in_zone
from tests.helpers import file_body
from zones.constants import UnitKind


@pytest.fixture
def partner(county):
    return UnitFactory(name="石泉县蚕桑产业协会党支部", short_name="", kind=UnitKind.ENTERPRISE)


def _picker(html: str) -> str:
    return re.search(r'<select name="participants".*?</select>', html, re.S).group(0)


def test_the_picker_groups_units_by_zone_and_partner_organizations_last(client, county, partner):
    client.force_login(county.secretary)
    picker = _picker(client.get(reverse("activities:create")).content.decode())
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', picker, re.S)
    assert [label for label, _ in groups] == [
        "第一片区",
        "第二片区",
        "链上联建（县直机关以外的共建组织）",
    ]
    assert "县司法局" in groups[0][1] and "县农业农村局" in groups[1][1]
    assert "县农业农村局" not in groups[0][1]
    assert f'value="{partner.pk}" data-partner="1"' in groups[2][1]
    assert "石泉县蚕桑产业协会党支部（企业）" in groups[2][1]
    # Without scripts it is a plain multiple select; the script asks the portal's search.
    assert "multiple" in picker and 'data-search-url="/search/participants/"' in picker


def test_the_picker_search_finds_units_by_pinyin_initials_name_or_pinyin(client, county, partner):
    client.force_login(county.secretary)
    url = reverse("participant_search")

    def found(q):
        return set(client.get(url, {"q": q}).json()["ids"])

    assert found("nyj") == {county.other_lead_unit.pk}  # 县农业农村局
    assert found("司法") == {county.member_unit.pk}
    assert found("cansang") == {partner.pk}
    assert found("") == set()
    assert client.get(url, {"q": "\x00"}).status_code == 400  # control characters: refused


def test_the_picker_search_offers_no_dissolved_unit(client, county):
    UnitFactory(name="县农业局", short_name="", is_active=False)
    client.force_login(county.secretary)
    response = client.get(reverse("participant_search"), {"q": "nyj"})
    assert response.json()["ids"] == [county.other_lead_unit.pk]


def test_the_picker_search_is_for_those_who_log_activities(client, county):
    client.force_login(county.leader)
    assert client.get(reverse("participant_search"), {"q": "nyj"}).status_code == 403


def test_a_partner_organization_and_a_unit_of_another_zone_join_an_activity(
    client, county, partner
):
    client.force_login(county.secretary)
    data = form_data(county, participants=[partner.pk, county.other_lead_unit.pk])
    assert client.post(reverse("activities:create"), data).status_code == 302
    assert set(Activity.objects.get().participants.all()) == {partner, county.other_lead_unit}


def _outcome_rows(n: int) -> dict:
    data = {"outcomes-TOTAL_FORMS": str(n), "outcomes-INITIAL_FORMS": "0"}
    for i in range(n):
        data[f"outcomes-{i}-description"] = f"成效{i + 1}"
        data[f"outcomes-{i}-quantity"] = str(i + 1)
        data[f"outcomes-{i}-measure"] = "处"
    return data


def test_the_form_offers_a_button_that_adds_outcome_rows(client, county):
    client.force_login(county.secretary)
    html = client.get(reverse("activities:create")).content.decode()
    assert 'id="add-outcome"' in html
    template = re.search(r'<template id="outcome-template">(.*?)</template>', html, re.S)
    assert 'name="outcomes-__prefix__-description"' in template.group(1)
    assert 'name="outcomes-MAX_NUM_FORMS" value="100"' in html


def test_five_outcomes_are_saved_in_their_order(client, county):
    client.force_login(county.secretary)
    data = {**form_data(county), **_outcome_rows(5)}
    assert client.post(reverse("activities:create"), data).status_code == 302
    outcomes = [str(o) for o in Activity.objects.get().outcomes.all()]
    assert outcomes == ["成效1 1处", "成效2 2处", "成效3 3处", "成效4 4处", "成效5 5处"]


def test_editing_keeps_three_outcomes_and_offers_two_empty_rows(client, county):
    activity = make_activity(unit=county.member_unit, by=county.secretary)
    client.force_login(county.secretary)
    url = reverse("activities:edit", args=[activity.pk])
    client.post(url, {**form_data(county, date="2026-10-15"), **_outcome_rows(3)})
    assert activity.outcomes.count() == 3
    html = client.get(url).content.decode()
    assert 'name="outcomes-TOTAL_FORMS" value="5"' in html


def test_more_than_a_hundred_outcomes_are_refused_and_nothing_is_saved(client, county):
    client.force_login(county.secretary)
    data = {**form_data(county), **_outcome_rows(101)}
    response = client.post(reverse("activities:create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "100" in response.context["formset"].non_form_errors()[0]


def test_the_unit_page_marks_a_partner_organization(client, county, partner):
    client.force_login(county.staff)
    page = client.get(reverse("unit_detail", args=[partner.pk])).content.decode()
    assert 'id="unit-partner"' in page and "链上联建" in page
    organ = client.get(reverse("unit_detail", args=[county.member_unit.pk])).content.decode()
    assert 'id="unit-partner"' not in organ


@pytest.fixture
def chain_activities(county, partner):
    joined = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 8),
        title="蚕桑产业链联建",
        participants=[partner],
    )
    village = unit_in_zone(county.zone_b, name="城关镇江南社区党支部", kind=UnitKind.VILLAGE)
    hosted = make_activity(
        unit=village, by=county.staff, date=datetime.date(2026, 10, 9), title="协会主办"
    )
    organs = make_activity(
        unit=county.member_unit,
        by=county.secretary,
        date=datetime.date(2026, 10, 10),
        title="机关联学",
        participants=[county.member_unit_2],
    )
    return joined, hosted, organs


@pytest.mark.parametrize(
    "chain, expected",
    [
        ("", {"蚕桑产业链联建", "协会主办", "机关联学"}),
        ("yes", {"蚕桑产业链联建", "协会主办"}),
        ("no", {"机关联学"}),
    ],
)
def test_the_ledger_filters_activities_involving_partner_organizations(
    client, county, chain_activities, chain, expected
):
    client.force_login(county.staff)
    response = client.get(reverse("activities:ledger"), {"chain": chain})
    assert {a.title for a in response.context["page"]} == expected
    assert 'name="chain"' in response.content.decode()
    export = client.get(reverse("activities:ledger_export"), {"chain": chain})
    rows = list(load_workbook(io.BytesIO(file_body(export))).active.values)[1:]
    assert {row[7] for row in rows} == expected  # the export lists the same activities


def test_the_ledger_refuses_an_unknown_chain_choice(client, county, chain_activities):
    client.force_login(county.staff)
    response = client.get(reverse("activities:ledger"), {"chain": "maybe"})
    assert response.status_code == 200
    assert "chain" in response.context["filter"].form.errors
