"""Reads of service-team records: what each team achieved in a year, credited to the team that
guided the organization on the day it happened (the assignments' history), and the scorecards
of teams and members with the county's weights (TeamPolicy).

Every figure of a year is one grouped query over all teams, so the league table, the team page
and the scorecards cost the same number of queries at any size of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from activities.constants import ActivityState
from activities.models import Activity
from core.aggregates import grouped_aggregates, grouped_counts, merged_by_key, run_grouped
from core.display import number_text, pk_url
from people.constants import PRACTICAL_CATEGORIES
from people.selectors import counted_matters
from supervision.constants import FindingState, Source
from supervision.models import Finding
from supervision.selectors import overdue, rectification_rate
from zones.models import in_force_on
from zones.selectors import grade_changes, today

from .constants import Prize, TeamRole
from .figures_sql import (
    MEMBER_TWO_KEYS,
    headline_parts,
    league_sources,
    page_parts,
    team_page_sources,
)
from .models import (
    Assignment,
    Brand,
    Contact,
    GuidanceVisit,
    ReminderTalk,
    Team,
    TeamMember,
    TrainingEntry,
)


def _team_on(unit_ref: str, day_ref: str) -> Subquery:
    """The team assigned to the unit `unit_ref` on the day `day_ref` (both OuterRef names).
    Ordered as Assignment's own order within one unit (latest start first), without its join
    to the units for their names: the same row, and no join and sort per row counted.

    Correlated on the unit, which is of one county, as its assignments' teams are (assign
    refuses another county's): the outer query's scope is theirs, so they are read without a
    scope of their own (the county join to the teams, per row counted, was filtering
    nothing; issue 20)."""
    return Subquery(
        Assignment._base_manager.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=OuterRef(day_ref)),
            unit_id=OuterRef(unit_ref),
            effective_from__lte=OuterRef(day_ref),
        )
        .order_by("-effective_from")
        .values("team_id")[:1]
    )


def _team_of_person(person_ref: str, day_ref: str) -> Subquery:
    """The team the person `person_ref` was on on the day `day_ref` (both OuterRef names).
    Correlated on the person, who is of one county, as the teams they join are (a member of
    another county's team is refused): read without a scope of their own, as `_team_on`."""
    return Subquery(
        TeamMember._base_manager.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=OuterRef(day_ref)),
            person_id=OuterRef(person_ref),
            effective_from__lte=OuterRef(day_ref),
        ).values("team_id")[:1]
    )


def credited_matters():
    """The confirmed small practical matters (people's records of service, by any mechanism)
    with the team each is credited to (`credited`): the team it was logged for through the
    teams, otherwise the team the person was on that day (a fulfilled wish claim, a 双报到
    service), None when they were on none. One row per deed, whichever mechanism logged it."""
    return (
        counted_matters()
        .filter(category__in=PRACTICAL_CATEGORIES)
        .annotate(
            credited=Coalesce(
                "team_matter__team_id",
                _team_of_person("person_id", "done_on"),
                output_field=IntegerField(),
            )
        )
    )


def _grouped(qs, key: str) -> dict[int, int]:
    return {
        row[key]: row["n"]
        for row in qs.values(key).annotate(n=Count("pk", distinct=True)).order_by()
        if row[key] is not None
    }


@dataclass
class Card:
    """A team's or a member's year: the figures, and the score by the county's weights."""

    visits: int = 0
    raised: int = 0
    rectified: int = 0
    promoted: int = 0
    matters: int = 0
    activities: int = 0
    brands: int = 0
    trainings: int = 0
    prizes: int = 0
    overdue: int = 0
    score: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rectification_rate(raised=self.raised, rectified=self.rectified)


@dataclass
class TeamCard(Card):
    team: Team | None = None
    units: int = 0
    members: int = 0
    rank: int = 0


@dataclass
class MemberCard(Card):
    member: TeamMember | None = None
    flagged: bool = False
    talks: list = field(default_factory=list)


def _weights(policy) -> dict[str, int]:
    return {
        "visit": policy.weight_visit,
        "rectified": policy.weight_rectified,
        "promoted": policy.weight_promoted,
        "matter": policy.weight_matter,
        "activity": policy.weight_activity,
        "brand": policy.weight_brand,
        "training": policy.weight_training,
        "prize": policy.weight_prize,
    }


def _score(card: Card, w: dict[str, int]) -> int:
    return (
        card.visits * w["visit"]
        + card.rectified * w["rectified"]
        + card.promoted * w["promoted"]
        + card.matters * w["matter"]
        + card.activities * w["activity"]
        + card.brands * w["brand"]
        + card.trainings * w["training"]
        + card.prizes * w["prize"]
    )


def team_figures(*, year: int, day: datetime.date | None = None) -> dict[str, dict[int, int]]:
    """Each figure of `year` per team id (twelve figures counted in ten parts of one query:
    teams.figures_sql.league_sources)."""
    names, parts, params = page_parts(league_sources(year=year, day=day or today()))
    return run_grouped(names, parts, params, two_keys=set(), prepared=True)


def _team_figure_sets(*, year: int, day: datetime.date) -> dict:
    """The rows each team figure of `year` counts, and the key it counts them by (the team).
    A joint activity (confirmed) and a brand count for the team that guided the organization
    on their date; a training or contest, and its prize, for the team the person was on that
    day."""
    guidance = Finding.objects.filter(source=Source.GUIDANCE, raised_on__year=year)
    closed = Finding.objects.filter(state=FindingState.CLOSED, closed_on__year=year).annotate(
        credited=_team_on("responsible_unit_id", "closed_on")
    )
    moved = (
        grade_changes()
        .filter(effective_from__year=year, grade__lt=F("previous_grade"))
        .annotate(credited=_team_on("unit_id", "effective_from"))
    )
    entries = TrainingEntry.objects.filter(training__held_on__year=year).annotate(
        credited=_team_of_person("person_id", "training__held_on")
    )
    on_day = Q(effective_to__isnull=True) | Q(effective_to__gt=day)
    return {
        "visits": (GuidanceVisit.objects.filter(visited_on__year=year), "team_id"),
        "activities": (
            Activity.objects.filter(state=ActivityState.CONFIRMED, date__year=year).annotate(
                credited=_team_on("host_unit_id", "date")
            ),
            "credited",
        ),
        "brands": (
            Brand.objects.filter(recognized_on__year=year).annotate(
                credited=_team_on("unit_id", "recognized_on")
            ),
            "credited",
        ),
        "trainings": (entries, "credited"),
        "prizes": (entries.exclude(prize=Prize.NONE), "credited"),
        "raised": (guidance, "sheet__guidance_visit__team_id"),
        "overdue": (guidance.filter(overdue(day)), "sheet__guidance_visit__team_id"),
        "rectified": (closed, "credited"),
        "promoted": (moved, "credited"),
        "matters": (credited_matters().filter(done_on__year=year), "credited"),
        "units": (Assignment.objects.filter(on_day, effective_from__lte=day), "team_id"),
        "members": (TeamMember.objects.filter(on_day, effective_from__lte=day), "team_id"),
    }


def league(*, year: int, policy, teams=None, day: datetime.date | None = None) -> list[TeamCard]:
    """The teams' scorecards of `year`, best first (the league table)."""
    return _league_of(team_figures(year=year, day=day), policy=policy, teams=teams)


def _league_of(figures: dict, *, policy, teams=None) -> list[TeamCard]:
    w = _weights(policy)
    cards = []
    if teams is None:  # what the table and the export print of a team: the names
        teams = Team.objects.select_related("anchor_unit").only("name", "anchor_unit__name")
    for team in teams:
        card = TeamCard(team=team, **{k: v.get(team.pk, 0) for k, v in figures.items()})
        card.score = _score(card, w)
        cards.append(card)
    cards.sort(key=lambda c: (-c.score, c.team.name))
    for rank, card in enumerate(cards, start=1):
        card.rank = rank
    return cards


def league_rows_html(cards: list[TeamCard], *, year: int) -> SafeString:
    """The league table's rows (`<tr>`, one per card) as the template's loop wrote them, byte
    for byte (tests/teams/test_league_rows.py compares them): the names escaped, the numbers
    as `{{ n }}` prints them, each team's page reversed once for the table (issue 20: fifteen
    cells a team, each a template lookup and a localized number, were a third of the page)."""
    number, team_url = number_text(), pk_url("teams:team_detail")
    query = f"?year={number(year)}"
    overdue = gettext("%(n)s overdue")
    parts = []
    for c in cards:
        team = cast(Team, c.team)
        raised = number(c.raised)
        if c.overdue:
            badge = overdue % {"n": number(c.overdue)}
            raised += f' <span class="badge text-bg-danger">{badge}</span>'
        figures = "".join(
            f"<td>{number(n)}</td>"
            for n in (
                c.rectified,
                c.promoted,
                c.activities,
                c.matters,
                c.brands,
                c.trainings,
                c.prizes,
            )
        )
        parts.append(
            f"\n  <tr>\n    <td>{number(c.rank)}</td>\n"
            f'    <td><a href="{escape(team_url(team.pk))}{query}">{escape(team)}</a></td>\n'
            f"    <td>{escape(team.anchor_unit)}</td><td>{number(c.members)}</td>"
            f"<td>{number(c.units)}</td>\n"
            f"    <td>{number(c.visits)}</td><td>{raised}</td>\n"
            f"    {figures}<td><strong>{number(c.score)}</strong></td>\n  </tr>\n  "
        )
    # the names and the link escaped; the rest numbers and the catalogue's phrase
    return mark_safe("".join(parts))  # noqa: S308


def member_cards(*, year: int, policy, team: Team | None = None) -> list[MemberCard]:
    """The scorecards of everyone on `team` (every team, for the export) during `year`: the
    visits they went on, the problems those visits raised and got rectified that year, their
    confirmed matters, the trainings and contests they took part in and the prizes they won;
    a member under the county's threshold is flagged for a reminder talk (谈话提醒). Three
    queries (the members, their six grouped counts in one, the talks), for one team or all."""
    members = _members_of_year(year=year, team=team)
    counts = grouped_counts(_member_figure_sets(year=year, team=team, members=members))
    return _member_cards_of(members, counts, year=year, team=team, policy=policy)


# What the team page's card shows of a team's year (the league table's figures but the
# organizations, the members and the overdue problems, which it does not show).
PAGE_FIGURES = (
    "visits",
    "raised",
    "rectified",
    "promoted",
    "matters",
    "activities",
    "brands",
    "trainings",
    "prizes",
)


def team_cards(
    *,
    team: Team,
    year: int,
    policy,
    members: list[TeamMember] | None = None,
    talks: list[ReminderTalk] | None = None,
) -> tuple[TeamCard, list[MemberCard]]:
    """The team page's scorecards: the team's of `year` (the figures the page shows,
    `PAGE_FIGURES`, as the league table counts them; the others None) and its members' (as
    `member_cards`), all counted in one statement; three queries (the members, the
    statement, the talks), or the statement alone given the year's `members` and `talks`
    (the team page reads them with its lists, teams.page). The statement is the hand-written
    SQL of `_team_figure_sets` and `_member_figure_sets` for one team
    (teams.figures_sql.team_page_sources; tests/teams/test_figures_sql.py holds them equal):
    Django built and compiled those querysets on every view of the page."""
    if members is None:
        members = _members_of_year(year=year, team=team)
    figures, counts = team_page_counts(team=team, year=year, members=members)
    card = TeamCard(team=team, units=None, members=None, overdue=None, **figures)
    card.score = _score(card, _weights(policy))
    card.rank = 1
    cards = _member_cards_of(members, counts, year=year, team=team, policy=policy, talks=talks)
    return card, cards


def team_page_counts(
    *, team: Team, year: int, members: list[TeamMember]
) -> tuple[dict[str, int], dict[str, dict]]:
    """The team's figures of `year` the page shows (name → n) and its members' (name → {key:
    n}, keyed as `_member_figure_sets`), from one statement. The team's matters, trainings and
    prizes are the sums of its members' rows credited to it: each row is one person's."""
    sources = team_page_sources(
        year=year, team_id=team.pk, person_ids=sorted({m.person_id for m in members})
    )
    names, parts, params = page_parts(sources)
    counts = run_grouped(names, parts, params, two_keys=MEMBER_TWO_KEYS, prepared=True)
    per_person = ("matters", "trainings", "prizes")
    figures = {
        name: counts.pop(f"team:{name}").get(team.pk, 0)
        for name in PAGE_FIGURES
        if name not in per_person
    }
    figures["matters"] = sum(counts["matters"].values())
    figures["trainings"] = sum(counts.pop("team:trainings").values())
    figures["prizes"] = sum(counts.pop("team:prizes").values())
    return figures, counts


def _members_of_year(*, year: int, team: Team | None) -> list[TeamMember]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = TeamMember.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=first), effective_from__lte=last
    )
    if team is None:
        return list(
            rows.select_related("person", "team").order_by(
                "team__name", "role", "person__name_pinyin"
            )
        )
    # one team's (the team page): the team is known; of the person, the name it shows and the
    # account (whether the reader is on the team)
    members = list(
        rows.filter(team=team)
        .select_related("person")
        .only(*_MEMBER_FIELDS, "person__name", "person__user")
        .order_by("role", "person__name_pinyin")
    )
    for member in members:
        member.team = team
    return members


# what the scorecards and the team page read of a membership
_MEMBER_FIELDS = ("team_id", "person_id", "role", "effective_from", "effective_to")


def _member_figure_sets(*, year: int, team: Team | None, members: list[TeamMember]) -> dict:
    """The rows each member figure of `year` counts, and the keys it counts them by."""
    of_team = {"team": team} if team is not None else {}
    went = "sheet__guidance_visit__went"
    by_team = "sheet__guidance_visit__team_id"
    of_visit_team = {"sheet__guidance_visit__team": team} if team is not None else {}
    matters = credited_matters().filter(done_on__year=year)
    if team is not None:
        matters = matters.filter(credited=team.pk)
    entries = TrainingEntry.objects.filter(training__held_on__year=year)
    if team is not None:
        entries = entries.filter(person_id__in=[m.person_id for m in members])
    return {
        "visits": (
            GuidanceVisit.objects.filter(visited_on__year=year, **of_team),
            ("team_id", "went"),
        ),
        "raised": (
            Finding.objects.filter(source=Source.GUIDANCE, raised_on__year=year, **of_visit_team),
            (by_team, went),
        ),
        "rectified": (
            Finding.objects.filter(
                state=FindingState.CLOSED,
                closed_on__year=year,
                sheet__guidance_visit__isnull=False,
                **of_visit_team,
            ),
            (by_team, went),
        ),
        "matters": (matters, ("credited", "person_id")),
        "trainings": (entries, "person_id"),
        "prizes": (entries.exclude(prize=Prize.NONE), "person_id"),
    }


def _member_cards_of(
    members: list[TeamMember],
    counts: dict,
    *,
    year: int,
    team: Team | None,
    policy,
    talks: list[ReminderTalk] | None = None,
) -> list[MemberCard]:
    """The members' scorecards from their counts, with the reminder talks of `year` (one
    query, unless `talks` gives them: the team's of the year, latest first)."""
    if talks is None:
        of_team = {"team": team} if team is not None else {}
        talks = list(ReminderTalk.objects.filter(year=year, **of_team).order_by("-held_on", "-pk"))
    held: dict[tuple[int, int], list] = {}
    for talk in talks:
        held.setdefault((talk.team_id, talk.person_id), []).append(talk)
    w = _weights(policy)
    cards = []
    for member in members:
        key = (member.team_id, member.person_id)
        pid = member.person_id
        card = MemberCard(
            member=member,
            visits=counts["visits"].get(key, 0),
            raised=counts["raised"].get(key, 0),
            rectified=counts["rectified"].get(key, 0),
            matters=counts["matters"].get(key, 0),
            trainings=counts["trainings"].get(pid, 0),
            prizes=counts["prizes"].get(pid, 0),
            talks=held.get(key, []),
        )
        card.score = _score(card, w)
        card.flagged = card.score < policy.threshold
        cards.append(card)
    return cards


def units_not_visited(*, policy, day: datetime.date | None = None) -> list[Assignment]:
    """Assignments open on `day` whose organization the team has not visited within the
    county's contact rule (`visit_every_days`): the reminders to captains ask this."""
    day = day or today()
    since = day - datetime.timedelta(days=policy.visit_every_days)
    last = Subquery(
        GuidanceVisit.objects.filter(team_id=OuterRef("team_id"), unit_id=OuterRef("unit_id"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    rows = (
        Assignment.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day), effective_from__lte=day
        )
        .annotate(last_visit=last)
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
        .filter(effective_from__lte=since)
        .select_related("team", "unit")
        .order_by("team__name", "unit__name_pinyin")
    )
    return list(rows)


def headlines_by_county(
    *, county_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """county id → the headline counts of the city dashboard for the days `start` … `end`:
    the organizations guided on `end`, how many of them a team visited in those days, and the
    guidance problems raised in them and how many are rectified (`headline_rows_by_county`).
    One query whatever the number of counties (grouped aggregates, not a subquery per county)."""
    parts = headline_rows_by_county(county_ids=county_ids, start=start, end=end)
    return merged_by_key(grouped_aggregates(parts), parts, county_ids)


def county_headline(*, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The county's service teams in the days `start` … `end` (the county in scope): the teams
    and members on `end`, the organizations guided on `end`, the guidance visits, the problems
    they raised and those rectified (closed) in those days, the organizations moved up while a
    team guided them, and the confirmed small practical matters. The dashboard's tile and the
    roll-up report count with it; one query whatever the size (teams.figures_sql)."""
    parts = headline_parts(start=start, end=end)
    names = ("teams", "members", "guided", "visits", "raised", "rectified", "promoted", "matters")
    # the SQL is the code's own; every value is a bound parameter
    sql = "SELECT " + ", ".join(f"({part})" for part, _params in parts)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for _part, params in parts for value in params])
        row = cursor.fetchone()
    return dict(zip(names, (int(n or 0) for n in row), strict=True))


@dataclass
class Lapse:
    """An organization its team has not visited within the county's contact rule."""

    assignment_id: int
    team_id: int
    county_id: int
    team: str
    unit: str
    since: datetime.date  # the last visit, or the day the team began guiding it
    due: datetime.date  # the day a visit was due
    captain_user_id: int | None


def _as_lapses(late, *, every: datetime.timedelta, day: datetime.date, last) -> list[Lapse]:
    """The assignments `late` as lapses, each since `last(assignment)` (else the day the team
    began guiding it), with the user of the team's captain on `day`: one query."""
    captains = dict(
        TeamMember.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day),
            effective_from__lte=day,
            role=TeamRole.CAPTAIN,
            team_id__in={a.team_id for a in late},
            person__user__isnull=False,
        ).values_list("team_id", "person__user_id")
    )
    out = []
    for a in late:
        since = last(a) or a.effective_from
        out.append(
            Lapse(
                assignment_id=a.pk,
                team_id=a.team_id,
                county_id=a.team.county_id,
                team=a.team.name,
                unit=a.unit.name,
                since=since,
                due=since + every,
                captain_user_id=captains.get(a.team_id),
            )
        )
    return out


def contact_lapses(*, policy, day: datetime.date) -> list[Lapse]:
    """The lapses of the county's contact rule on `day` (`visit_every_days`, TeamPolicy), each
    with the user of the team's captain that day: what the notification centre reminds
    captains of. Two queries whatever the size."""
    every = datetime.timedelta(days=policy.visit_every_days)
    late = units_not_visited(policy=policy, day=day)
    return _as_lapses(late, every=every, day=day, last=lambda a: a.last_visit)


def team_assignments(
    team: Team, *, day: datetime.date, history: bool
) -> tuple[list[Assignment], list[Assignment]]:
    """The organizations `team` guides on `day` (by name) and, when `history`, the last 20
    assignments it closed (latest end first): one query of both."""
    rows = (
        Assignment.objects.filter(team=team)
        .select_related("unit")
        .only("team_id", "effective_from", "effective_to", "unit__name")  # what the page shows
        .order_by("unit__name_pinyin")
    )
    if history:
        rows = rows.filter(in_force_on(day) | Q(effective_to__isnull=False))
    else:
        rows = rows.filter(in_force_on(day))
    rows = list(rows)
    closed = [a for a in rows if a.effective_to is not None] if history else []
    closed.sort(key=lambda a: a.effective_to, reverse=True)
    return [a for a in rows if a.holds_on(day)], closed[:20]


def team_guiding_on(unit_id: int, day: datetime.date):
    """The team that guided the organization on `day` (a brand of that day is its), or None."""
    found = (
        Assignment.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day),
            unit_id=unit_id,
            effective_from__lte=day,
        )
        .select_related("team")
        .first()
    )
    return found.team if found else None


def not_contacted_lapses(*, policy, day: datetime.date) -> list[Lapse]:
    """The lapses of the county's weekly contact rule on `day` (`contact_every_days`,
    TeamPolicy): organizations guided on `day` whose team has neither logged a contact with
    them nor visited them within that many calendar days (a visit counts as a contact), as the
    visit rule counts calendar days. Each with the captain's user that day. Two queries."""
    every = datetime.timedelta(days=policy.contact_every_days)
    since = day - every
    last_visit = Subquery(
        GuidanceVisit.objects.filter(
            team_id=OuterRef("team_id"), unit_id=OuterRef("unit_id"), visited_on__lte=day
        )
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    last_contact = Subquery(
        Contact.objects.filter(
            team_id=OuterRef("team_id"), unit_id=OuterRef("unit_id"), contacted_on__lte=day
        )
        .order_by("-contacted_on")
        .values("contacted_on")[:1]
    )
    rows = (
        Assignment.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day),
            effective_from__lte=since,
        )
        .annotate(last_visit=last_visit, last_contact=last_contact)
        .select_related("team", "unit")
        .order_by("team__name", "unit__name_pinyin")
    )
    late = []
    for a in rows:
        last = max((d for d in (a.last_visit, a.last_contact) if d is not None), default=None)
        if last is None or last < since:
            a.last_touch = last
            late.append(a)
    return _as_lapses(late, every=every, day=day, last=lambda a: a.last_touch)


def headline_rows_by_county(
    *, county_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[str, QuerySet]:
    """The counts `headlines_by_county` gives, as grouped aggregates per county (for
    `grouped_aggregates`; the city dashboard runs them within its one statement): the
    organizations guided on `end` (an assignment in force that day; an organization is guided
    by one team at a time), those of them a team of the county visited in those days, and the
    guidance problems raised in them and those rectified (closed)."""
    guided_on_end = Assignment.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=end),
        team__county_id__in=county_ids,
        effective_from__lte=end,
    )
    return {
        "guided": guided_on_end.values("team__county_id").annotate(
            guided=Count("pk", distinct=True)
        ),
        "visited": GuidanceVisit.objects.filter(
            team__county_id__in=county_ids,
            visited_on__range=(start, end),
            unit_id__in=guided_on_end.values("unit_id"),
        )
        .values("team__county_id")
        .annotate(visited=Count("unit_id", distinct=True)),
        "problems": Finding.objects.filter(
            corrects__isnull=True,
            source=Source.GUIDANCE,
            responsible_unit__county_id__in=county_ids,
            raised_on__range=(start, end),
        )
        .values("responsible_unit__county_id")
        .annotate(raised=Count("pk"), rectified=Count("pk", filter=Q(state=FindingState.CLOSED))),
    }
