"""Issue 20: the league table's rows are written in Python (teams.selectors.league_rows_html),
byte for byte what the template's loop wrote: every figure, the overdue badge or none, names
that need escaping, in both languages; and the page with no teams still says so."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from counties.constants import Mechanism
from counties.models import CountyMechanism
from teams.selectors import TeamCard, league, league_rows_html
from teams.services import policy_for
from tests.teams.conftest import TODAY
from tests.teams.test_pages import _grow

# the template's loop as it was (templates/teams/index.html before issue 20's eighth part)
LOOP = Template(
    """{% load i18n %}{% for card in cards %}
  <tr>
    <td>{{ card.rank }}</td>
    <td><a href="{% url 'teams:team_detail' card.team.pk %}?year={{ year }}">{{ card.team }}</a></td>
    <td>{{ card.team.anchor_unit }}</td><td>{{ card.members }}</td><td>{{ card.units }}</td>
    <td>{{ card.visits }}</td><td>{{ card.raised }}{% if card.overdue %} <span class="badge text-bg-danger">{% blocktranslate with n=card.overdue %}{{ n }} overdue{% endblocktranslate %}</span>{% endif %}</td>
    <td>{{ card.rectified }}</td><td>{{ card.promoted }}</td><td>{{ card.activities }}</td><td>{{ card.matters }}</td><td>{{ card.brands }}</td><td>{{ card.trainings }}</td><td>{{ card.prizes }}</td><td><strong>{{ card.score }}</strong></td>
  </tr>
  {% endfor %}"""  # noqa: E501 - the template's own lines
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_league_rows_are_the_template_loops_rows(county, teams, language):
    _grow(county, teams, 6)
    team = teams.team_a
    team.name = '<b>"甲队" & 乙</b>'
    team.anchor_unit.name = "<i>单位'</i>"
    cards = league(year=2026, policy=policy_for(county.staff.county_id), day=TODAY)
    assert any(c.visits and c.raised and c.units and c.members for c in cards)
    # every figure of its own value, an overdue badge (and one without), a large number
    made = TeamCard(team=team, rank=3, visits=1, raised=2, rectified=3, promoted=4, matters=5)
    made.activities, made.brands, made.trainings, made.prizes, made.overdue = 6, 7, 8, 9, 10
    made.units, made.members, made.score = 11, 12, 12345
    cards += [made, TeamCard(team=team, rank=4, raised=1, overdue=0)]
    with translation.override(language):
        for year in (2026, 2019):
            expected = LOOP.render(Context({"cards": cards, "year": year}))
            assert league_rows_html(cards, year=year) == expected
        assert "&lt;b&gt;&quot;甲队&quot; &amp; 乙&lt;/b&gt;" in expected
        assert "&lt;i&gt;单位&#x27;&lt;/i&gt;" in expected
        assert ("10个逾期" if language == "zh-hans" else "10 overdue") in expected
    assert league_rows_html([], year=2026) == ""


def test_the_league_without_teams_says_so(client, county, fixed_today):
    fixed_today(TODAY)
    CountyMechanism.objects.get_or_create(
        county=county.zone_a.county,
        mechanism=Mechanism.TEAMS,
        until=None,
        defaults={"since": datetime.date(2024, 1, 1)},
    )
    client.force_login(county.staff)
    response = client.get(reverse("teams:index"))
    assert response.status_code == 200
    assert b'<tbody>\n  <tr><td colspan="15">' in response.content
