"""The team builder's page and services: the proposal from the pool with each rule explained,
staff adjusting it and checking again, confirming (teams formed, organizations assigned), and
the refusals that change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.constants import Role
from teams import services
from teams.builder import RULES
from teams.models import Assignment, Team
from tests.factories import UserFactory
from tests.teams.conftest import TODAY, pooled


@pytest.fixture
def pool(county, teams):
    """Four cadres not on a team: two of the committee, two of first-class organizations."""
    c = county
    return {
        "cap1": pooled(
            c.other_unit,
            "甲队长",
            user=UserFactory(username="cap1", role=Role.LEADER),
            strengths=("finance",),
        ),
        "cap2": pooled(
            c.member_unit,
            "乙队长",
            user=UserFactory(username="cap2", role=Role.LEADER),
            strengths=("finance",),
        ),
        "a1": pooled(c.lead_unit, "甲骨干", strengths=("discipline",)),
        "a2": pooled(c.other_lead_unit, "乙骨干", strengths=("discipline",)),
    }


def _url(size=2):
    return f"{reverse('teams:builder')}?size={size}&formed_on={TODAY.isoformat()}"


def _posted(form, **changes):
    data = {"size": 2, "formed_on": TODAY.isoformat()}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_the_pool_is_proposed_as_teams_with_every_rule_explained(client, county, pool):
    client.force_login(county.staff)
    response = client.get(_url())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.count == 2
    explained = response.context["explained"]
    assert [kept for kept, _s in explained] == [True] * 5, explained
    # the builder proposes whoever of the pool is on no team, not the people of teams A and B
    assert {int(n.split("_")[1]) for n in form.fields if n.startswith("cadre_")} == {
        p.pk for p in pool.values()
    }


def test_staff_confirm_and_the_teams_guide_the_organizations(client, county, pool):
    client.force_login(county.staff)
    form = client.get(_url()).context["form"]
    before = set(Team.objects.values_list("pk", flat=True))
    response = client.post(reverse("teams:builder"), _posted(form, action="confirm"))
    assert response.status_code == 302
    formed = Team.objects.exclude(pk__in=before)
    assert formed.count() == 2
    for team in formed:
        people = {m.person_id for m in services.team_members_on(team, TODAY)}
        assert people <= {p.pk for p in pool.values()} and len(people) == 2
        assert team.anchor_unit in (county.lead_unit, county.other_lead_unit)
        guided = Assignment.objects.filter(team=team, effective_to__isnull=True)
        assert guided.exists()
    assert not Assignment.objects.filter(
        team__in=formed, unit=county.lead_unit, team__anchor_unit=county.lead_unit
    ).exists()


def test_an_adjustment_is_checked_again_and_explained(client, county, pool):
    client.force_login(county.staff)
    form = client.get(_url()).context["form"]
    # both anchors on team 1: team 2 has no first-class cadre and team 1 is too big
    data = _posted(
        form,
        action="check",
        **{f"cadre_{pool['a1'].pk}": "0", f"cadre_{pool['a2'].pk}": "0"},
    )
    response = client.post(reverse("teams:builder"), data)
    assert response.status_code == 200
    kept = dict(zip(RULES, (k for k, _s in response.context["explained"]), strict=True))
    assert kept["captain"] and not kept["anchor"] and not kept["size"]
    assert "没有一类党组织的干部" in response.content.decode()  # the page speaks Chinese


def test_a_team_without_a_first_class_cadre_is_refused_and_nothing_is_formed(client, county, pool):
    client.force_login(county.staff)
    form = client.get(_url()).context["form"]
    before = (Team.objects.count(), Assignment.objects.count())
    data = _posted(
        form,
        action="confirm",
        **{f"cadre_{pool['a1'].pk}": "0", f"cadre_{pool['a2'].pk}": "0"},
    )
    response = client.post(reverse("teams:builder"), data)
    assert response.status_code == 200
    assert "服务队须由一类党组织牵头" in response.content.decode()
    assert (Team.objects.count(), Assignment.objects.count()) == before


def test_one_captain_for_two_teams_is_refused(client, county, pool):
    client.force_login(county.staff)
    form = client.get(_url()).context["form"]
    before = Team.objects.count()
    data = _posted(
        form, action="confirm", captain_0=str(pool["cap1"].pk), captain_1=str(pool["cap1"].pk)
    )
    response = client.post(reverse("teams:builder"), data)
    assert "一人只能担任一支服务队的队长" in response.content.decode()
    assert Team.objects.count() == before


def test_a_pool_too_small_for_the_size_says_so(client, county, pool):
    client.force_login(county.staff)
    response = client.get(_url(size=9))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "不足组建" in response.content.decode()
    with pytest.raises(ValidationError):
        services.builder_propose(county_id=county.zone_a.county_id, size=1, on=TODAY)


def test_the_builder_is_staff_only(client, county, teams, pool):
    for user in (teams.captain, teams.member, county.secretary):
        client.force_login(user)
        assert client.get(_url()).status_code == 404
