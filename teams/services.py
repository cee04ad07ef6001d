"""Every change to service-team records goes through here.

Each service is atomic, refuses bad input with a `ValidationError` a county staff member can
act on, and changes nothing when it refuses. Who may call which service is decided by the
views (teams.rules); the services keep the rules of the records themselves:

- `team_create(*, name, anchor_unit, captain, members, formed_on, by)`: a team anchored "一类+"
  (its anchor organization first class on `formed_on`), its captain and members from the pool.
- `team_member_add(*, team, person, role, on, by)`, `team_member_leave(*, member, on, by)`.
- `assign(*, team, unit, on, by)`: the organization is guided by `team` from `on`; its previous
  assignment closes that day (history kept, never an "active" flag).
- `visit_record(*, team, unit, visited_on, went, problems, by, **notes)`: a guidance visit by
  四看三听两提 on a supervision checklist; each problem becomes a supervision finding raised that
  day (`supervision.services.guidance_finding_raise`), rectified through the supervision pages.
- `rotation_propose(*, year, effective_on, kept, by)`, `rotation_confirm(*, rotation, by)`.
- `matter_log`, `matter_confirm` (微实事); `talk_record` (谈话提醒); `policy_for`.
- `training_record`, `training_entry_add` (培训与竞赛), `brand_record` (党建品牌).
- `contact_record(*, team, unit, contacted_on, way, what, by)`: the weekly contact (每周联系);
  `training_update`, `training_delete`, `training_entry_remove`, `brand_update`,
  `brand_delete`: corrections of records entered wrong (their histories keep the old values).
- `builder_propose(*, county_id, size, on)`: the team builder's proposal (teams.builder);
  `builder_confirm(*, drafts, guided, formed_on, by)` forms the teams staff confirmed.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.constants import Role
from counties.scoping import implied_county_id
from people import services as people_services
from people.constants import ConfirmedVia, MatterSource
from people.models import CadreProfile, Membership, Person
from supervision import services as supervision_services
from supervision.constants import Severity
from zones.constants import Grade
from zones.models import Unit, in_force_on
from zones.selectors import today, unit_grade_on, units_with_state

from . import builder as builder_rules
from . import rotation as rotation_rules
from .constants import BrandLevel, ContactWay, Prize, RotationState, TeamRole, TrainingKind
from .models import (
    Assignment,
    Brand,
    Contact,
    GuidanceVisit,
    MicroMatter,
    ReminderTalk,
    Rotation,
    RotationLine,
    Team,
    TeamMember,
    TeamPolicy,
    Training,
    TrainingEntry,
)

if TYPE_CHECKING:
    from core.models import User


def policy_for(county_id: int | None) -> TeamPolicy:
    """The county's settings (created with the defaults on first use); the defaults, unsaved,
    where no one county is read (city staff across counties)."""
    if county_id is None:
        return TeamPolicy()
    policy, _created = TeamPolicy.objects.get_or_create(county_id=county_id)
    return policy


def _own_unit_ids(people: Iterable[Person], day: datetime.date) -> set[int]:
    """The units where these people are members on `day` (the register's memberships)."""
    return set(
        Membership.objects.filter(in_force_on(day), person__in=list(people)).values_list(
            "unit_id", flat=True
        )
    )


def _require_pool(person: Person) -> None:
    if person.has_left:
        raise ValidationError(_("%(person)s has left the register.") % {"person": person})
    if not CadreProfile.objects.filter(person=person, available=True).exists():
        raise ValidationError(
            _("%(person)s is not in the cadre pool (their cadre profile is not available).")
            % {"person": person}
        )


def _open(model, **fields):
    row = model(**fields)
    row.full_clean()
    row.save()
    return row


def _close(row, on: datetime.date) -> None:
    if on <= row.effective_from:
        raise ValidationError(
            _("%(row)s began on %(day)s; it can end only after that day.")
            % {"row": row, "day": row.effective_from}
        )
    row.effective_to = on
    row.full_clean()
    row.save(update_fields=["effective_to"])


# --- teams and members ----------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    name: str,
    anchor_unit: Unit,
    captain: Person,
    members: Sequence[Person],
    formed_on: datetime.date,
    by: User,
) -> Team:
    """A team anchored "一类+": its anchor organization must be first class on `formed_on`."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the team a name."))
    if unit_grade_on(unit=anchor_unit, day=formed_on) != Grade.FIRST:
        raise ValidationError(
            _(
                "%(unit)s is not first class on %(day)s; a team is anchored by a first-class "
                "organization (一类+)."
            )
            % {"unit": anchor_unit, "day": formed_on}
        )
    team = _open(
        Team,
        county_id=anchor_unit.county_id,
        name=name,
        anchor_unit=anchor_unit,
        formed_on=formed_on,
        created_by=by,
    )
    team_member_add(team=team, person=captain, role=TeamRole.CAPTAIN, on=formed_on, by=by)
    for person in members:
        if person.pk != captain.pk:
            team_member_add(team=team, person=person, role=TeamRole.MEMBER, on=formed_on, by=by)
    return team


@transaction.atomic
def team_member_add(*, team: Team, person: Person, role: str, on: datetime.date, by) -> TeamMember:
    """A person joins the team from `on` (a captain needs an account: they record visits)."""
    if person.county_id != team.county_id:
        raise ValidationError(
            _("%(person)s is not of the county of %(team)s.") % {"person": person, "team": team}
        )
    if role == TeamRole.CAPTAIN:
        if person.user_id is None:
            raise ValidationError(
                _("%(person)s has no account; a captain signs in to record visits.")
                % {"person": person}
            )
    else:
        _require_pool(person)
    if TeamMember.objects.filter(person=person, effective_to__isnull=True).exists():
        raise ValidationError(_("%(person)s is already on a team.") % {"person": person})
    if (
        role == TeamRole.CAPTAIN
        and TeamMember.objects.filter(
            team=team, role=TeamRole.CAPTAIN, effective_to__isnull=True
        ).exists()
    ):
        raise ValidationError(_("This team already has a captain."))
    return _open(TeamMember, team=team, person=person, role=role, effective_from=on, created_by=by)


@transaction.atomic
def team_member_leave(*, member: TeamMember, on: datetime.date, by, reason: str = "") -> TeamMember:
    """A member leaves the team on `on` (mid-year too); the history keeps them."""
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.effective_to is not None:
        raise ValidationError(_("This member has already left the team."))
    member.reason = (reason or "")[:200]
    _close(member, on)
    return member


def team_members_on(team: Team, day: datetime.date):
    return (
        TeamMember.objects.filter(in_force_on(day), team=team)
        .select_related("person")
        .order_by("role", "person__name_pinyin")
    )


# --- assignments ----------------------------------------------------------------------------


@transaction.atomic
def assign(*, team: Team, unit: Unit, on: datetime.date, by) -> Assignment:
    """`team` guides `unit` from `on`: the unit's open assignment closes that day and a new one
    opens. Refused for a unit of another county, a dissolved unit, the team it already has, or
    a unit where a member of the team works (no member guides their own unit)."""
    if unit.county_id != team.county_id:
        raise ValidationError(
            _("%(unit)s is not of the county of %(team)s.") % {"unit": unit, "team": team}
        )
    if not unit.is_active:
        raise ValidationError(_("%(unit)s is dissolved.") % {"unit": unit})
    people = [m.person for m in team_members_on(team, on)]
    if unit.pk in _own_unit_ids(people, on):
        raise ValidationError(
            _("A member of %(team)s works in %(unit)s; no member guides their own unit.")
            % {"team": team, "unit": unit}
        )
    current = Assignment.objects.select_for_update().filter(unit=unit, effective_to__isnull=True)
    current = current.first()
    if current is not None:
        if current.team_id == team.pk:
            raise ValidationError(
                _("%(unit)s is already guided by %(team)s.") % {"unit": unit, "team": team}
            )
        _close(current, on)
    return _open(Assignment, team=team, unit=unit, effective_from=on, created_by=by)


def team_on(unit: Unit, day: datetime.date) -> Team | None:
    """The team that guided `unit` on `day` (the one credit rule asks)."""
    row = Assignment.objects.filter(in_force_on(day), unit=unit).select_related("team").first()
    return row.team if row else None


# --- guidance visits ------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    team: Team,
    unit: Unit,
    visited_on: datetime.date,
    went: Sequence[Person],
    by,
    problems: Sequence[tuple[str, str, str]] = (),
    looked: str = "",
    heard_secretary: str = "",
    heard_members: str = "",
    heard_recipients: str = "",
    suggestions: str = "",
) -> GuidanceVisit:
    """A guidance visit: `problems` are (description, severity, suggestion), each raised at once
    as a finding of `unit`, deadline in working days. Refused for a day to come, a unit the team
    did not guide that day, or someone who was not on the team that day."""
    if visited_on > today():
        raise ValidationError(_("A visit is recorded once it has taken place."))
    if team_on(unit, visited_on) != team:
        raise ValidationError(
            _("%(team)s did not guide %(unit)s on %(day)s.")
            % {"team": team, "unit": unit, "day": visited_on}
        )
    on_team = {m.person_id for m in team_members_on(team, visited_on)}
    if not went:
        raise ValidationError(_("Tick the members who went."))
    strangers = [p for p in went if p.pk not in on_team]
    if strangers:
        raise ValidationError(
            _("%(people)s were not on the team on %(day)s.")
            % {"people": "、".join(str(p) for p in strangers), "day": visited_on}
        )
    for description, severity, _suggestion in problems:
        if severity not in Severity.values:
            raise ValidationError(_("%(value)s is not a severity.") % {"value": severity})
        if not (description or "").strip():
            raise ValidationError(_("Describe the problem."))
    sheet = supervision_services.guidance_sheet_open(unit=unit)
    visit = GuidanceVisit(
        team=team,
        unit=unit,
        visited_on=visited_on,
        sheet=sheet,
        looked=(looked or "").strip(),
        heard_secretary=(heard_secretary or "").strip(),
        heard_members=(heard_members or "").strip(),
        heard_recipients=(heard_recipients or "").strip(),
        suggestions=(suggestions or "").strip(),
        recorded_by=by,
    )
    visit.full_clean(exclude=["sheet", "team", "unit", "recorded_by"])
    visit.save()
    visit.went.set(went)
    for description, severity, suggestion in problems:
        supervision_services.guidance_finding_raise(
            sheet=sheet,
            description=description,
            severity=severity,
            suggestion=suggestion,
            by=by,
            on=visited_on,
        )
    return visit


def visit_add_finding(
    *, visit: GuidanceVisit, description: str, severity: str, by, suggestion: str = ""
):
    """One more problem of a visit, raised on the visit's day."""
    return supervision_services.guidance_finding_raise(
        sheet=visit.sheet,
        description=description,
        severity=severity,
        suggestion=suggestion,
        by=by,
        on=visit.visited_on,
    )


# --- the yearly rotation --------------------------------------------------------------------


def _rotation_inputs(county_id: int, day: datetime.date):
    teams = list(Team.objects.filter(county_id=county_id).order_by("pk"))
    current = dict(
        Assignment.objects.filter(in_force_on(day), team__county_id=county_id).values_list(
            "unit_id", "team_id"
        )
    )
    members = TeamMember.objects.filter(in_force_on(day), team__county_id=county_id).values_list(
        "team_id", "person_id"
    )
    person_unit = dict(
        Membership.objects.filter(in_force_on(day), person__county_id=county_id).values_list(
            "person_id", "unit_id"
        )
    )
    own: dict[int, set[int]] = {t.pk: set() for t in teams}
    for team_id, person_id in members:
        if person_id in person_unit:
            own[team_id].add(person_unit[person_id])
    units = dict(Unit.objects.filter(pk__in=list(current)).values_list("pk", "work_category"))
    guided: dict[int, set[str]] = {t.pk: set() for t in teams}
    for team_id, kind in Assignment.objects.filter(
        team__county_id=county_id, effective_from__lte=day
    ).values_list("team_id", "unit__work_category"):
        guided[team_id].add(kind)
    return teams, current, own, units, guided


@transaction.atomic
def rotation_propose(
    *,
    year: int,
    effective_on: datetime.date,
    by,
    kept: Iterable[int] = (),
    county_id: int | None = None,
    rng: random.Random | None = None,
) -> Rotation:
    """Propose next year's organization ↔ team map (teams.rotation's rules), replacing a
    proposal of that year not yet confirmed. `kept`: organizations in the middle of a
    rectification that staff let keep their team."""
    county_id = county_id or implied_county_id(by=by)
    existing = Rotation.objects.select_for_update().filter(county_id=county_id, year=year).first()
    if existing is not None and existing.state == RotationState.CONFIRMED:
        raise ValidationError(
            _("The rotation of %(year)s is confirmed; it is not proposed again.") % {"year": year}
        )
    day = min(today(), effective_on)
    teams, current, own, kinds, guided = _rotation_inputs(county_id, day)
    if len(teams) < 2:
        raise ValidationError(_("A rotation needs at least two teams."))
    if not current:
        raise ValidationError(_("No organization is guided by a team yet; assign them first."))
    kept = {int(k) for k in kept} & set(current)
    proposal = rotation_rules.propose(
        units=sorted(current),
        teams=[t.pk for t in teams],
        current=current,
        own_units=own,
        kinds=kinds,
        guided_kinds=guided,
        kept=kept,
        rng=rng or random.Random(year),  # noqa: S311 - a proposal, not a secret
    )
    names = dict(Unit.objects.filter(pk__in=list(current)).values_list("pk", "name"))
    notes = []
    if proposal.unplaced:
        notes.append(
            _("No team may take %(units)s (each team guided it or has a member working there).")
            % {"units": "、".join(names[u] for u in proposal.unplaced)}
        )
    if not proposal.balanced:
        notes.append(_("The loads could not be balanced under the other rules."))
    if existing is not None:
        existing.lines.all().delete()
        existing.delete()
    rotation = Rotation.objects.create(
        county_id=county_id, year=year, effective_on=effective_on, notes=notes, proposed_by=by
    )
    RotationLine.objects.bulk_create(
        RotationLine(
            rotation=rotation,
            unit_id=unit_id,
            previous_team_id=current.get(unit_id),
            team_id=team_id,
            kept=unit_id in kept,
        )
        for unit_id, team_id in proposal.assignment.items()
    )
    return rotation


@transaction.atomic
def rotation_confirm(*, rotation: Rotation, by) -> Rotation:
    """Confirm a proposed rotation: from its `effective_on` each organization is guided by its
    proposed team (the previous assignment closes that day; the past stays as it was)."""
    rotation = Rotation.objects.select_for_update().get(pk=rotation.pk)
    if rotation.state == RotationState.CONFIRMED:
        raise ValidationError(_("This rotation is already confirmed."))
    lines = list(rotation.lines.select_related("unit", "team"))
    for line in lines:
        if line.team_id == line.previous_team_id:
            continue
        current = (
            Assignment.objects.select_for_update()
            .filter(unit=line.unit, effective_to__isnull=True)
            .first()
        )
        if current is not None:
            if current.team_id != line.previous_team_id:
                raise ValidationError(
                    _("%(unit)s changed team since the proposal; propose the rotation again.")
                    % {"unit": line.unit}
                )
            _close(current, rotation.effective_on)
        _open(
            Assignment,
            team=line.team,
            unit=line.unit,
            effective_from=rotation.effective_on,
            created_by=by,
            reason=_("Rotation of %(year)s") % {"year": rotation.year},
        )
    rotation.state = RotationState.CONFIRMED
    rotation.confirmed_by = by
    rotation.confirmed_at = timezone.now()
    rotation.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    return rotation


# --- small practical matters and reminder talks ---------------------------------------------


@transaction.atomic
def matter_log(*, person: Person, by, **fields) -> MicroMatter:
    """A member logs a small practical matter (微实事); it counts once the captain confirms. The
    deed is the person's record of service (people.services.matter_record), credited here to
    the team they were on that day."""
    member = (
        TeamMember.objects.filter(in_force_on(fields.get("done_on") or today()), person=person)
        .select_related("team")
        .first()
    )
    if member is None:
        raise ValidationError(_("%(person)s was not on a team that day.") % {"person": person})
    if fields.get("done_on") and fields["done_on"] > today():
        raise ValidationError(_("A matter is logged once it is done."))
    record = people_services.matter_record(
        person=person, source=MatterSource.TEAMS, by=by, **fields
    )
    return MicroMatter.objects.create(team=member.team, matter=record)


@transaction.atomic
def matter_confirm(*, matter: MicroMatter, by) -> MicroMatter:
    """The captain confirms the team's matter (the shared record, confirmed once)."""
    matter = MicroMatter.objects.select_related("matter").get(pk=matter.pk)
    people_services.matter_confirm(matter=matter.matter, via=ConfirmedVia.CAPTAIN, by=by)
    matter.matter.refresh_from_db()
    return matter


@transaction.atomic
def talk_record(
    *, person: Person, team: Team, year: int, held_on: datetime.date, outcome: str, by
) -> ReminderTalk:
    """A reminder talk (谈话提醒) held with a member flagged for `year`."""
    if not (outcome or "").strip():
        raise ValidationError(_("Say what the talk concluded."))
    if held_on > today():
        raise ValidationError(_("A talk is recorded once it is held."))
    talk = ReminderTalk(
        person=person,
        team=team,
        year=year,
        held_on=held_on,
        outcome=outcome.strip(),
        recorded_by=by,
    )
    talk.full_clean()
    talk.save()
    return talk


# --- the team builder -----------------------------------------------------------------------

COMMITTEE_ROLES = (Role.STAFF, Role.LEADER)  # who may captain: a committee leader or member


def builder_pool(*, county_id: int, on: datetime.date):
    """What the builder works from on `on`: the pool's cadres not on a team (as
    `teams.builder.Cadre`s), their people by pk, and the county's organizations no team guides.
    Four queries whatever the size of the pool."""
    profiles = list(
        CadreProfile.objects.filter(
            available=True, person__county_id=county_id, person__left_on__isnull=True
        )
        .exclude(
            person__in=TeamMember.objects.filter(in_force_on(on)).values("person_id"),
        )
        .select_related("person", "person__user")
        .order_by("person__name_pinyin", "person_id")
    )
    people = {p.person_id: p.person for p in profiles}
    unit_of = dict(
        Membership.objects.filter(in_force_on(on), person_id__in=list(people)).values_list(
            "person_id", "unit_id"
        )
    )
    first = set(
        units_with_state(day=on)
        .filter(pk__in=set(unit_of.values()), grade_on=Grade.FIRST)
        .values_list("pk", flat=True)
    )
    cadres = [
        builder_rules.Cadre(
            key=p.person_id,
            unit=unit_of.get(p.person_id),
            strengths=frozenset(p.strengths or ()),
            first_class=unit_of.get(p.person_id) in first,
            committee=p.person.user is not None and p.person.user.role in COMMITTEE_ROLES,
        )
        for p in profiles
    ]
    units = list(
        Unit.objects.filter(county_id=county_id, is_active=True)
        .exclude(pk__in=Assignment.objects.filter(in_force_on(on)).values("unit_id"))
        .order_by("name_pinyin", "pk")
    )
    return cadres, people, units


def builder_propose(*, county_id: int, size: int, on: datetime.date) -> dict:
    """The builder's proposal of teams of `size` (teams.builder), with what it needs to show."""
    if not 2 <= size <= 20:
        raise ValidationError(_("A team has between 2 and 20 people."))
    cadres, people, units = builder_pool(county_id=county_id, on=on)
    if len(cadres) < size:
        raise ValidationError(
            _("The pool has %(n)s cadres not on a team; a team of %(size)s needs more.")
            % {"n": len(cadres), "size": size}
        )
    build = builder_rules.propose(
        cadres=cadres,
        size=size,
        units=[u.pk for u in units],
        rng=random.Random(on.toordinal()),  # noqa: S311 - a proposal, not a secret
    )
    return {"build": build, "cadres": cadres, "people": people, "units": units}


@transaction.atomic
def builder_confirm(
    *,
    drafts: Sequence[tuple[str, Person, Sequence[Person]]],
    guided: dict[Unit, int],
    formed_on: datetime.date,
    by,
) -> list[Team]:
    """Form the teams staff confirmed: each (name, captain, people) anchored by the
    organization of its first person working in a first-class one, then assign each
    organization to its team (no member guiding their own unit: `assign` refuses). All or
    nothing."""
    if not drafts:
        raise ValidationError(_("Put at least one team together."))
    teams = []
    for name, captain, people in drafts:
        people = [p for p in people if p.pk != captain.pk]
        units = {
            m.person_id: m.unit
            for m in Membership.objects.filter(
                in_force_on(formed_on), person__in=[captain, *people]
            ).select_related("unit")
        }
        anchor = next(
            (
                units[p.pk]
                for p in [captain, *people]
                if p.pk in units and unit_grade_on(unit=units[p.pk], day=formed_on) == Grade.FIRST
            ),
            None,
        )
        if anchor is None:
            raise ValidationError(
                _(
                    "No one on %(team)s works in a first-class organization; a team is anchored "
                    "by one (一类+)."
                )
                % {"team": name or "—"}
            )
        teams.append(
            team_create(
                name=name,
                anchor_unit=anchor,
                captain=captain,
                members=people,
                formed_on=formed_on,
                by=by,
            )
        )
    for unit, index in guided.items():
        assign(team=teams[index], unit=unit, on=formed_on, by=by)
    return teams


def builder_explain(*, checks, people: dict, units: dict, names: Sequence[str]) -> list[tuple]:
    """(kept, sentence) for each rule of a builder's check, in the committee's words."""
    from people.constants import Strength

    def teams_of(check):
        return "、".join(names[i] for i in check.teams)

    sentences = {
        "captain": (
            _("Every team has a captain from the committee."),
            lambda c: _("No captain from the committee: %(teams)s.") % {"teams": teams_of(c)},
        ),
        "anchor": (
            _("Every team is anchored by a cadre of a first-class organization (一类+)."),
            lambda c: (
                _("No cadre of a first-class organization (一类+): %(teams)s.")
                % {"teams": teams_of(c)}
            ),
        ),
        "size": (
            _("Every team has the size chosen."),
            lambda c: _("Not of the size chosen: %(teams)s.") % {"teams": teams_of(c)},
        ),
        "strengths": (
            _("The strengths are spread evenly across the teams."),
            lambda c: (
                _("Spread unevenly (one team has two more than another): %(strengths)s.")
                % {
                    "strengths": "、".join(
                        str(Strength(s).label) if s in Strength.values else s for s in c.strengths
                    )
                }
            ),
        ),
        "own_unit": (
            _("Every organization is guided by a team none of whose people works there."),
            lambda c: (
                _("Without a team, or guided by a team whose people work there: %(units)s.")
                % {"units": "、".join(str(units.get(u, u)) for u in c.units)}
            ),
        ),
    }
    out = []
    for check in checks:
        kept_text, broken = sentences[check.rule]
        out.append((check.kept, kept_text if check.kept else broken(check)))
    return out


# --- training and contests, brands ----------------------------------------------------------


@transaction.atomic
def training_record(
    *, kind: str, title: str, held_on: datetime.date, by, county_id: int | None = None
) -> Training:
    """A training class, seminar or knowledge contest, recorded once held."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the training or contest a title."))
    if kind not in TrainingKind.values:
        raise ValidationError(_("%(value)s is not a kind of training.") % {"value": kind})
    if held_on > today():
        raise ValidationError(_("A training or contest is recorded once it is held."))
    training = Training(
        county_id=county_id or implied_county_id(by=by),
        kind=kind,
        title=title,
        held_on=held_on,
        recorded_by=by,
    )
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def training_entry_add(
    *, training: Training, person: Person, by, result: str = "", prize: str = ""
) -> TrainingEntry:
    """A participant and their result (a prize of a contest). Refused for a person of another
    county, one already entered, or a prize outside a knowledge contest."""
    if person.county_id != training.county_id:
        raise ValidationError(
            _("%(person)s is not of the county of %(training)s.")
            % {"person": person, "training": training}
        )
    if prize and prize not in Prize.values:
        raise ValidationError(_("%(value)s is not a prize.") % {"value": prize})
    if prize and training.kind != TrainingKind.CONTEST:
        raise ValidationError(_("Prizes are won in knowledge contests."))
    if TrainingEntry.objects.filter(training=training, person=person).exists():
        raise ValidationError(_("%(person)s is already a participant.") % {"person": person})
    entry = TrainingEntry(
        training=training, person=person, result=(result or "").strip(), prize=prize or ""
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def brand_record(
    *, unit: Unit, name: str, recognized_on: datetime.date, by, level: str = BrandLevel.COUNTY
) -> Brand:
    """A party-building brand an organization was recognized for (it counts for the team that
    guided it that day)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the brand."))
    if recognized_on > today():
        raise ValidationError(_("A brand is recorded once it is recognized."))
    if Brand.objects.filter(unit=unit, name=name).exists():
        raise ValidationError(_("This organization already has a brand of this name."))
    brand = Brand(unit=unit, name=name, level=level, recognized_on=recognized_on, recorded_by=by)
    brand.full_clean()
    brand.save()
    return brand


# --- corrections: a training, a participant, a brand recorded wrong ---------------------------


@transaction.atomic
def training_update(*, training: Training, kind: str, title: str, held_on: datetime.date, by):
    """Correct a training or contest (its history keeps what it said before). Refused as when
    recording it, and for a kind other than a contest while a participant holds a prize."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the training or contest a title."))
    if kind not in TrainingKind.values:
        raise ValidationError(_("%(value)s is not a kind of training.") % {"value": kind})
    if held_on > today():
        raise ValidationError(_("A training or contest is recorded once it is held."))
    if kind != TrainingKind.CONTEST and training.entries.exclude(prize="").exists():
        raise ValidationError(
            _("Participants hold prizes of this contest: remove their prizes first.")
        )
    training.kind, training.title, training.held_on = kind, title, held_on
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def training_delete(*, training: Training, by) -> None:
    """Remove a training recorded by mistake, with its participants (their points leave the
    scorecards of its year; the histories keep both)."""
    for entry in training.entries.all():
        entry.delete()
    training.delete()


@transaction.atomic
def training_entry_remove(*, entry: TrainingEntry, by) -> None:
    """Remove a participant entered by mistake (their points leave the scorecard)."""
    entry.delete()


@transaction.atomic
def brand_update(
    *,
    brand: Brand,
    unit: Unit,
    name: str,
    recognized_on: datetime.date,
    by,
    level: str = BrandLevel.COUNTY,
) -> Brand:
    """Correct a brand (its history keeps what it said before); refused as when recording it."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the brand."))
    if recognized_on > today():
        raise ValidationError(_("A brand is recorded once it is recognized."))
    if unit.county_id != brand.unit.county_id:
        raise ValidationError(_("The organization is of another county."))
    if Brand.objects.filter(unit=unit, name=name).exclude(pk=brand.pk).exists():
        raise ValidationError(_("This organization already has a brand of this name."))
    brand.unit, brand.name, brand.level, brand.recognized_on = unit, name, level, recognized_on
    brand.full_clean()
    brand.save()
    return brand


@transaction.atomic
def brand_delete(*, brand: Brand, by) -> None:
    """Remove a brand recorded by mistake (its points leave its team's scorecard)."""
    brand.delete()


# --- the weekly contact (每周联系) ------------------------------------------------------------


@transaction.atomic
def contact_record(
    *, team: Team, unit: Unit, contacted_on: datetime.date, way: str, what: str, by
) -> Contact:
    """A contact of the team with an organization it guided that day (the county's weekly
    contact rule counts it). Refused for a day to come, an organization the team did not guide
    that day, an unknown way, or no word of what about."""
    what = (what or "").strip()
    if contacted_on is None or contacted_on > today():
        raise ValidationError(_("A contact is recorded once it has happened, not before."))
    if way not in ContactWay.values:
        raise ValidationError(_("%(value)s is not a way of contact.") % {"value": way})
    if not what:
        raise ValidationError(_("Say in a line what the contact was about."))
    if not Assignment.objects.filter(in_force_on(contacted_on), team=team, unit=unit).exists():
        raise ValidationError(
            _("%(team)s did not guide %(unit)s on %(day)s.")
            % {"team": team, "unit": unit, "day": contacted_on}
        )
    contact = Contact(
        team=team, unit=unit, contacted_on=contacted_on, way=way, what=what[:200], recorded_by=by
    )
    contact.full_clean()
    contact.save()
    return contact
