"""The team page's one statement of its lists (teams.page.team_page_records, issue 20) gives
what their querysets (`team_page_querysets`, the definition) give, for every reader's asking,
on data where every list has rows and rows it must leave out: an organization moved to the
other team and one taken on later, members who left this year and last year, reminder talks of
two years, visits and contacts with ties on their days (and the other team's), matters
confirmed and not, with ties on their days, an inactive unit; the lists cut short to see
their limits. The whole page drawn from either is the same HTML."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from counties.scoping import county_scope
from teams import page, services
from teams.models import TeamMember
from teams.page import Asked, team_page_querysets, team_page_records
from tests.teams.conftest import START, TODAY, pooled
from tests.teams.test_pages import _grow
from zones.models import Unit

pytestmark = pytest.mark.django_db

D = datetime.date


def facts(records: dict) -> dict:
    """Everything the page reads of each list's rows, in their order."""

    def members(rows):
        if rows is None:
            return None
        return [
            (m.pk, m.team_id, m.person_id, m.person.name, m.person.user_id, m.role)
            + (m.effective_from, m.effective_to, m.team.pk)
            for m in rows
        ]

    def optional(rows, fact):
        return None if rows is None else [fact(r) for r in rows]

    return {
        "assignments": [
            (a.pk, a.unit_id, a.unit.name, a.effective_from, a.effective_to)
            for a in records["assignments"]
        ],
        "year_members": members(records["year_members"]),
        "today_members": members(records["today_members"]),
        "talks": optional(
            records["talks"], lambda t: (t.pk, t.team_id, t.person_id, t.held_on, t.outcome)
        ),
        "visits": list(records["visits"]),
        "contacts": records["contacts"],
        "matters": records["matters"],
        "units": records["units"],
    }


@pytest.fixture
def every_state(county, teams, fixed_today):
    c = county
    _grow(county, teams, 6)
    team = teams.team_a
    # an organization moved to the other team in June; one taken on in March
    services.assign(team=teams.team_b, unit=teams.extra_units[1], on=D(2026, 6, 1), by=c.staff)
    later = Unit.objects.create(county_id=c.staff.county_id, name="县审计测试单位")
    services.assign(team=team, unit=later, on=D(2026, 3, 1), by=c.staff)
    # a member who left in July, one of last year only
    gone = pooled(c.member_unit_2, "孙离队")
    services.team_member_add(team=team, person=gone, role="member", on=START, by=c.staff)
    services.team_member_leave(
        member=TeamMember.objects.get(team=team, person=gone), on=D(2026, 7, 1), by=c.staff
    )
    old = pooled(c.member_unit_2, "周旧队员")
    TeamMember.objects.create(
        team=team, person=old, role="member", effective_from=D(2025, 2, 1),
        effective_to=D(2025, 9, 1),
    )  # fmt: skip
    # talks of this year (two of one member, one held the same day as another's) and last year
    for person, year, day, outcome in (
        (teams.member_person, 2026, D(2026, 10, 8), "已谈话"),
        (teams.member_person, 2026, D(2026, 11, 3), "再次谈话"),
        (teams.captain_person, 2026, D(2026, 11, 3), "提醒"),
        (teams.member_person, 2025, D(2025, 12, 1), "去年"),
    ):
        services.talk_record(
            person=person, team=team, year=year, held_on=day, outcome=outcome, by=c.staff
        )
    # contacts, two on one day, and the other team's
    for unit, day, way in (
        (c.member_unit, D(2026, 11, 20), "phone"),
        (later, D(2026, 11, 20), "wechat"),
        (c.member_unit, D(2026, 10, 2), "on_site"),
    ):
        services.contact_record(
            team=team, unit=unit, contacted_on=day, way=way, what="了解情况", by=c.staff
        )
    services.contact_record(
        team=teams.team_b, unit=c.other_unit, contacted_on=D(2026, 11, 21), way="phone",
        what="别队", by=c.staff,
    )  # fmt: skip
    # matters: two to confirm on one day, one confirmed, the other team's
    for person, day, what in (
        (teams.member_person, D(2026, 5, 10), "维修线路"),
        (teams.captain_person, D(2026, 5, 10), "帮助销售"),
        (teams.member_person, D(2026, 4, 2), "已确认的"),
    ):
        matter = services.matter_log(
            person=person, by=c.staff, description=what, category="repair", done_on=day
        )
    services.matter_confirm(matter=matter, by=teams.captain)
    services.matter_log(
        person=TeamMember.objects.filter(team=teams.team_b).first().person, by=c.staff,
        description="别队的", category="repair", done_on=D(2026, 5, 10),
    )  # fmt: skip
    Unit.objects.filter(pk=c.other_unit.pk).update(is_active=False)
    fixed_today(TODAY)
    return team


def _asked(**changes) -> Asked:
    asked = {
        "year": 2026,
        "day": TODAY,
        "history": True,
        "unit_ids": None,
        "year_members": True,
        "today_members": False,
        "insider_lists": True,
        "units": True,
    }
    return Asked(**{**asked, **changes})


ASKINGS = {
    "staff": {},
    "staff, another year": {"year": 2025, "today_members": True},
    "a member": {"units": False},
    "a guided organization's secretary": {
        "history": False,
        "year_members": False,
        "today_members": True,
        "insider_lists": False,
        "units": False,
    },
    "a secretary of no organization": {
        "history": False,
        "unit_ids": frozenset(),
        "year_members": False,
        "today_members": True,
        "insider_lists": False,
        "units": False,
    },
}


@pytest.mark.parametrize("asking", ASKINGS)
def test_the_statement_lists_what_the_querysets_list(every_state, county, asking):
    changes = dict(ASKINGS[asking])
    if "unit_ids" not in changes and changes.get("history") is False:
        changes["unit_ids"] = frozenset({county.member_unit.pk})
    asked = _asked(**changes)
    with county_scope(county.staff.county_id):  # as a request reads them
        by_sql = facts(team_page_records(every_state, asked))
        expected = facts(team_page_querysets(every_state, asked))
    assert by_sql == expected
    if asking == "staff":  # the data exercise every list, and what it leaves out
        assert all(rows for name, rows in expected.items() if name != "today_members")
        closed = [a for a in expected["assignments"] if a[4] is not None]
        assert closed and len(expected["year_members"]) == 3
        # latest first, the later recorded first on a day
        assert [t[-1] for t in expected["talks"]] == ["提醒", "再次谈话", "已谈话"]
        assert len(expected["matters"]) == 2 and len(expected["contacts"]) == 3
        assert county.other_unit.pk not in [pk for pk, _name in expected["units"]]


def test_the_lists_are_cut_where_the_querysets_cut_them(every_state, county, monkeypatch):
    monkeypatch.setattr(page, "VISITS_SHOWN", 2)
    monkeypatch.setattr(page, "CONTACTS_SHOWN", 2)
    with county_scope(county.staff.county_id):
        by_sql = facts(team_page_records(every_state, _asked()))
        expected = facts(team_page_querysets(every_state, _asked()))
    assert by_sql == expected
    assert len(expected["visits"]) == len(expected["contacts"]) == 2


def _html(client, user, team, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("teams:team_detail", args=[team.pk]), params)
    assert response.status_code == 200
    return re.sub(r'name="(csrfmiddlewaretoken|once)" value="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize("reader", ["staff", "captain", "member", "secretary"])
def test_the_page_drawn_from_the_statement_is_the_page_of_the_querysets(
    client, every_state, county, teams, monkeypatch, reader
):
    user = {
        "staff": county.staff,
        "captain": teams.captain,
        "member": teams.member,
        "secretary": county.secretary,
    }[reader]
    for params in ({}, {"year": 2025}):
        by_sql = _html(client, user, every_state, **params)
        with monkeypatch.context() as patch:
            patch.setattr("teams.views.team_page_records", team_page_querysets)
            expected = _html(client, user, every_state, **params)
        assert by_sql == expected


# --- the rows written in Python are the template's loops' --------------------------------

# templates/teams/team_detail.html's loops before teams.page wrote their rows, each between
# the markers of the list it drew
LOOPS = """{% load i18n %}
@members@{% for m in members %}<li class="list-inline-item">{{ m.person }}{% if m.role == "captain" %} <span class="badge text-bg-primary">{% translate "Captain" %}</span>{% endif %}</li>{% endfor %}
@assignments@{% for a in assignments %}<li>{{ a.unit }} <span class="text-muted small">{% blocktranslate with day=a.effective_from|date %}since {{ day }}{% endblocktranslate %}</span></li>{% empty %}<li>{% translate "None." %}</li>{% endfor %}
@history@{% for a in history %}<li>{{ a.unit }} · {{ a.effective_from|date }} – {{ a.effective_to|date }}</li>{% endfor %}
@visits@{% for v in visits %}<li><a href="{% url 'teams:visit_detail' v.pk %}">{{ v.visited_on|date }} · {{ v.unit }}</a></li>{% empty %}<li>{% translate "No visits yet." %}</li>{% endfor %}
@contacts@{% for c in contacts %}<li>{{ c.contacted_on|date }} · {{ c.unit }} · {{ c.get_way_display }} · {{ c.what }}</li>{% empty %}<li>{% translate "No contacts logged yet." %}</li>{% endfor %}
@member_cards@{% translate "Reminder talk due" as talk_due %}{% translate "Talk held" as talk_held %}{% if talk_form %}{% url 'teams:talk_create' team.pk as talk_url %}{% translate 'Held on' as held_on %}{% translate 'Outcome' as outcome %}{% translate "Record the talk" as record_talk %}{% endif %}{% with held=talk_form.held_on.value|date:'Y-m-d' %}{% for c in member_cards %}
  <tr{% if c.flagged %} class="table-warning"{% endif %}><td>{{ c.member.person }}</td><td>{{ c.visits }}</td><td>{{ c.raised }}</td><td>{{ c.rectified }}</td><td>{{ c.matters }}</td><td>{{ c.trainings }}</td><td>{{ c.prizes }}</td><td>{{ c.score }}</td>
    <td>{% if c.flagged %}<span class="badge text-bg-warning">{{ talk_due }}</span>{% endif %}
      {% for t in c.talks %}<div class="small">{{ talk_held }} {{ t.held_on|date }}: {{ t.outcome }}</div>{% endfor %}
      {% if talk_form and c.flagged and not c.talks %}<form method="post" action="{{ talk_url }}?year={{ year }}" class="d-flex gap-1 mt-1">{% csrf_token %}<input type="hidden" name="person" value="{{ c.member.person_id }}"><input type="date" name="held_on" class="form-control form-control-sm" value="{{ held }}" aria-label="{{ held_on }}"><input name="outcome" maxlength="300" class="form-control form-control-sm" placeholder="{{ outcome }}"><button class="btn btn-sm btn-outline-secondary text-nowrap">{{ record_talk }}</button></form>{% endif %}
    </td></tr>
  {% endfor %}{% endwith %}
@matters@{% translate "Confirm" as confirm %}{% for m in matters %}<li>{{ m.matter.done_on|date }} · {{ m.matter.person }} · {{ m.matter.description }}
  {% if can_record %}<form method="post" action="{% url 'teams:matter_confirm' m.pk %}" class="d-inline">{% csrf_token %}<button class="btn btn-sm btn-outline-success">{{ confirm }}</button></form>{% endif %}</li>{% endfor %}
@end@"""

TOKEN = "a-token"


def _by_loops(context: dict) -> dict:
    from django.template import Context, engines

    html = engines["django"].from_string(LOOPS).template.render(Context(context))
    pieces = re.split(r"\n?@(\w+)@", html)[1:]
    return {name: text for name, text in zip(pieces[::2], pieces[1::2], strict=True)}


def _in_python(context: dict, *, day) -> dict:
    from core.display import DateTexts

    dates = DateTexts()
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">'
    talk_form = (
        {
            "url": reverse("teams:talk_create", args=[context["team"].pk]),
            "year": context["year"],
            "held_on": day,
        }
        if context.get("talk_form")
        else None
    )
    return {
        "members": page.members_html(context["members"]),
        "assignments": page.assignments_html(context["assignments"], dates),
        "history": page.history_html(context["history"], dates),
        "visits": page.visits_html(context["visits"], dates),
        "contacts": page.contacts_html(context["contacts"], dates),
        "member_cards": page.member_rows_html(
            context["member_cards"], dates, talk_form=talk_form, csrf_input=csrf
        ),
        "matters": page.matters_html(
            context["matters"], dates, confirms=context["can_record"], csrf_input=csrf
        ),
        "end": "",
    }


def _as_template_rows(context: dict) -> dict:
    """The rows as the template's loops read them: models, a unit printed by its name."""
    from types import SimpleNamespace as Row

    from teams.models import Contact

    loops = dict(context)
    loops["visits"] = [
        Row(pk=v.pk, visited_on=v.visited_on, unit=v.unit_name) for v in context["visits"]
    ]
    loops["contacts"] = [
        Contact(pk=c.pk, contacted_on=c.contacted_on, way=c.way, what=c.what)
        for c in context["contacts"]
    ]
    for row, c in zip(loops["contacts"], context["contacts"], strict=True):
        row.unit = Unit(name=c.unit_name)
    loops["matters"] = [
        Row(pk=m.pk, matter=Row(done_on=m.done_on, person=m.person_name, description=m.description))
        for m in context["matters"]
    ]
    loops["csrf_token"] = TOKEN
    return loops


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("staff", [True, False])
def test_the_rows_written_in_python_are_the_template_loops_rows(
    client, every_state, county, teams, language, staff
):
    """Every kind of row: a member flagged with talks and one without (the talk form for
    staff), the captain badged, the history, texts the page escapes, and the empty lists."""
    from django.utils import translation

    from teams.models import TeamPolicy

    client.force_login(county.staff)
    client.get(reverse("teams:team_detail", args=[every_state.pk]))  # the policy, created
    TeamPolicy.objects.update(threshold=200)  # the members flagged
    Unit.objects.filter(pk=county.member_unit.pk).update(name='县<司法>局 & "所"')
    client.force_login(county.staff if staff else teams.captain)
    with translation.override(language):
        response = client.get(reverse("teams:team_detail", args=[every_state.pk]))
        context = next(c for c in response.context if "member_cards" in c).flatten()
        flagged = [c for c in context["member_cards"] if c.flagged]
        assert flagged and any(c.talks for c in flagged) and any(not c.talks for c in flagged)
        assert context["history"] and context["matters"]
        assert bool(context.get("talk_form")) is staff
        expected = _by_loops(_as_template_rows(context))
        assert _in_python(context, day=TODAY) == expected
        escaped = "县&lt;司法&gt;局 &amp; &quot;所&quot;"
        assert escaped in expected["contacts"] and escaped in expected["assignments"]
        empty = {**context, "assignments": [], "visits": [], "contacts": [], "history": []}
        assert _in_python(empty, day=TODAY) == _by_loops(_as_template_rows(empty))
