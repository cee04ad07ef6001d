"""Every change to supervision records goes through here.

Each service is atomic, refuses bad input with a `ValidationError` a user can act on, and
changes nothing when it refuses. Who may call which service is decided by the views (with the
helpers in `selectors.py`); the services keep the rules of the records themselves.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.constants import Role
from core.periods import half_bounds, previous_quarter, quarter_bounds, quarter_label
from core.uploads import CleanUpload
from counties.calendar import add_workdays, workdays_between
from counties.scoping import implied_county_id
from zones import services as zone_services
from zones.constants import Grade
from zones.models import Membership, Unit, UnitPost, Zone, in_force_on
from zones.selectors import today, unit_zone_on, zone_leader_on, zone_members_on

if TYPE_CHECKING:
    from core.models import User

from . import pairing as pairing_rules
from .constants import (
    DEFAULT_RECTIFY_WORKDAYS,
    CheckState,
    FindingState,
    RoundState,
    SheetState,
    Source,
)
from .models import (
    ChecklistTemplate,
    Criterion,
    CriterionGroup,
    Finding,
    FindingEvent,
    FindingEvidence,
    MutualCheck,
    PatrolRound,
    PatrolTeam,
    ScoreLine,
    ScoreSheet,
    SeverityPolicy,
    SheetEvidence,
)
from .selectors import rectify_workdays

# --- checklist templates --------------------------------------------------------------------


def active_template(*, county=None) -> ChecklistTemplate:
    """The template new checks of `county` (a County or its id; default: the county in scope)
    use: the county's own in use. A county with no template of its own yet gets a copy of the
    city's default (`checklist_copy_default`), so its checks always use its own; with no county
    at all (a county-less test database), the city's default itself."""
    county_id = county if isinstance(county, int) else implied_county_id(county=county)
    templates = ChecklistTemplate.objects.with_scopes_disabled().filter(county_id=county_id)
    if county_id is None:
        templates = ChecklistTemplate.city_defaults()
    template = templates.filter(is_active=True).order_by("-version", "-pk").first()
    if template is None and not templates.exists():
        city = ChecklistTemplate.city_defaults()
        if county_id is None:
            template = _create_default_template()
        elif city.filter(is_active=True).exists() or not city.exists():
            template = checklist_copy_default(county_id=county_id)
    if template is None:
        raise ValidationError(
            _("No checklist template is in use; staff must activate one in the admin first.")
        )
    return template


def _create_default_template() -> ChecklistTemplate:
    """The city's default checklist (checklist_default.py), as the data migration makes it."""
    from .checklist_default import DEFAULT_CHECKLIST, DEFAULT_NAME

    template = ChecklistTemplate.objects.create(name=DEFAULT_NAME, version=1, is_active=True)
    for g, (title, criteria) in enumerate(DEFAULT_CHECKLIST):
        group = CriterionGroup.objects.create(template=template, title=title, position=g)
        Criterion.objects.bulk_create(
            Criterion(group=group, text=text, max_score=score, guidance=guidance, position=c)
            for c, (text, score, guidance) in enumerate(criteria)
        )
    return template


def _copy_criteria(source: ChecklistTemplate, copy: ChecklistTemplate) -> None:
    groups = CriterionGroup.objects.with_scopes_disabled().filter(template=source)
    criteria = Criterion.objects.with_scopes_disabled().filter(group__template=source)
    by_group: dict[int, list[Criterion]] = {}
    for criterion in criteria.order_by("position", "pk"):
        by_group.setdefault(criterion.group_id, []).append(criterion)
    for group in groups.order_by("position", "pk"):
        new_group = CriterionGroup.objects.create(
            template=copy, title=group.title, position=group.position
        )
        Criterion.objects.bulk_create(
            Criterion(
                group=new_group,
                text=c.text,
                max_score=c.max_score,
                guidance=c.guidance,
                position=c.position,
            )
            for c in by_group.get(group.pk, [])
        )


@transaction.atomic
def checklist_copy_default(
    *, county_id: int, source: ChecklistTemplate | None = None
) -> ChecklistTemplate:
    """Copy the city's default checklist (`source`, default: the one in use, made from
    checklist_default.py if the city has none) into county `county_id` as its own, which its
    staff then edit and its new checks use; the county's other templates stop being used for
    new checks (their past checks keep them). Copying again starts afresh from the city's."""
    if source is None:
        source = ChecklistTemplate.city_defaults().filter(is_active=True).order_by(
            "-version", "-pk"
        ).first() or (
            None if ChecklistTemplate.city_defaults().exists() else _create_default_template()
        )
    if source is None or source.county_id is not None:
        raise ValidationError(_("The city has no default checklist in use to copy."))
    own = ChecklistTemplate.objects.with_scopes_disabled().filter(county_id=county_id)
    latest = own.filter(name=source.name).order_by("-version").first()
    copy = ChecklistTemplate.objects.create(
        county_id=county_id,
        name=source.name,
        version=latest.version + 1 if latest else 1,
        is_active=True,
        based_on=source,
    )
    _copy_criteria(source, copy)
    own.exclude(pk=copy.pk).update(is_active=False)
    return copy


@transaction.atomic
def template_new_version(*, template: ChecklistTemplate) -> ChecklistTemplate:
    """Copy a template into its next version (criteria and all), in the same county (or the
    city's default), and use the copy for new checks. Sheets already made keep their own copies
    of the criteria."""
    same = ChecklistTemplate.objects.with_scopes_disabled().filter(
        county_id=template.county_id, name=template.name
    )
    if template.county_id is None:
        same = ChecklistTemplate.city_defaults().filter(name=template.name)
    latest = same.order_by("-version").first()
    assert latest is not None  # `template` itself is one
    copy = ChecklistTemplate.objects.create(
        county_id=template.county_id,
        name=template.name,
        version=latest.version + 1,
        is_active=True,
        based_on=template,
    )
    _copy_criteria(template, copy)
    same.exclude(pk=copy.pk).update(is_active=False)
    return copy


def _template_criteria(template: ChecklistTemplate) -> list[tuple[CriterionGroup, Criterion]]:
    """The template's criteria as they stand now, in order (two queries)."""
    return [
        (group, criterion)
        for group in template.groups.prefetch_related("criteria")
        for criterion in group.criteria.all()
    ]


def _new_sheets(template: ChecklistTemplate, rows: list[dict]) -> list[ScoreSheet]:
    """Score sheets, one per dict of fields in `rows`, each with the template's criteria copied
    into its lines as they stand now: editing the template later never changes them. The
    sheets' references are built by the calling service from rows it has just read, so they
    are inserted in bulk (the database checks the constraints)."""
    criteria = _template_criteria(template)
    max_total = sum((c.max_score for _g, c in criteria), Decimal("0"))
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(template=template, max_total=max_total, **fields) for fields in rows
    )
    ScoreLine.objects.bulk_create(
        (
            ScoreLine(
                sheet=sheet,
                criterion=criterion,
                group_title=group.title,
                text=criterion.text,
                guidance=criterion.guidance,
                max_score=criterion.max_score,
                position=position,
            )
            for sheet in sheets
            for position, (group, criterion) in enumerate(criteria, start=1)
        ),
        batch_size=500,
    )
    return sheets


# --- quarterly mutual check -----------------------------------------------------------------


def _day_in(first: datetime.date, last: datetime.date) -> datetime.date:
    """Today if it falls between `first` and `last`, else the nearer end."""
    return max(first, min(today(), last))


def _previous_check(zone: Zone, year: int, quarter: int) -> MutualCheck | None:
    prev_year, prev_quarter = previous_quarter(year, quarter)
    return MutualCheck.objects.filter(zone=zone, year=prev_year, quarter=prev_quarter).first()


def _check_pairs(check: MutualCheck | None) -> set[tuple[int, int]]:
    if check is None:
        return set()
    return set(check.sheets.values_list("checker_unit_id", "checked_unit_id"))


@transaction.atomic
def mutual_check_create(
    *,
    zone: Zone,
    year: int,
    quarter: int,
    by,
    template: ChecklistTemplate | None = None,
    rng: random.Random | None = None,
) -> MutualCheck:
    """Open a zone's mutual check for a quarter with a proposed pairing (one score sheet per
    checker → checked pair)."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("A quarter is 1, 2, 3 or 4."))
    first, last = quarter_bounds(year, quarter)
    if first > today():
        raise ValidationError(_("That quarter has not begun yet."))
    if MutualCheck.objects.filter(zone=zone, year=year, quarter=quarter).exists():
        raise ValidationError(
            _("%(zone)s already has a mutual check for %(period)s.")
            % {"zone": zone, "period": quarter_label(year, quarter)}
        )
    template = template or active_template(county=zone.county_id)
    units = list(zone_members_on(zone=zone, day=_day_in(first, last)).values_list("pk", flat=True))
    previous = _check_pairs(_previous_check(zone, year, quarter))
    proposal = pairing_rules.propose_intra_zone(units, previous, rng)  # may refuse a tiny zone
    check = MutualCheck(zone=zone, year=year, quarter=quarter, template=template, organized_by=by)
    check.full_clean()
    check.save()
    _new_sheets(
        template,
        [
            {"mutual_check": check, "checker_unit_id": checker, "checked_unit_id": checked}
            for checker, checked in sorted(proposal.items())
        ],
    )
    return check


def check_units(check: MutualCheck) -> list[int]:
    """The units taking part in a check: those paired in it."""
    return list(check.sheets.values_list("checker_unit_id", flat=True))


@transaction.atomic
def mutual_check_set_pairing(*, check: MutualCheck, pairing: dict[int, int], by) -> MutualCheck:
    """Adjust a check's pairing (checker unit id → checked unit id) with the same rules as the
    proposal. Only before any sheet is submitted or has findings or evidence."""
    check = MutualCheck.objects.select_for_update().get(pk=check.pk)
    if check.state != CheckState.DRAFT:
        raise ValidationError(_("The results are published; the pairing can no longer change."))
    sheets: dict[Any, ScoreSheet] = {s.checker_unit_id: s for s in check.sheets.all()}
    if any(
        s.state == SheetState.SUBMITTED or s.findings.exists() or s.evidence.exists()
        for s in sheets.values()
    ):
        raise ValidationError(
            _(
                "A checker has already submitted a sheet or recorded findings or evidence; the pairing can no longer change."
            )
        )
    units = list(sheets)
    previous = _check_pairs(_previous_check(check.zone, check.year, check.quarter))
    pairing_rules.validate_intra_zone(units, pairing, previous)
    changed = {c: s for c, s in sheets.items() if pairing[c] != s.checked_unit_id}
    ScoreSheet.objects.filter(pk__in=[s.pk for s in changed.values()]).delete()
    _new_sheets(
        check.template,
        [
            {
                "mutual_check": check,
                "checker_unit_id": checker,
                "checked_unit_id": pairing[checker],
            }
            for checker in changed
        ],
    )
    return check


def _moment(on: datetime.date | None) -> datetime.datetime:
    """When something happened: now, or noon of `on` when it is recorded for an earlier day
    (a history loaded afterwards). Announcements and reports read this moment, so a result
    published in 2025 is not news today."""
    if on is None or on >= today():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))


def severity_policy_rows(*, county_id: int) -> None:
    """Make a county's rectification deadlines (one row per severity) with the defaults where
    it has none yet, so its staff edit the three in place. Idempotent."""
    have = set(
        SeverityPolicy.objects.with_scopes_disabled()
        .filter(county_id=county_id)
        .values_list("severity", flat=True)
    )
    SeverityPolicy.objects.bulk_create(
        SeverityPolicy(county_id=county_id, severity=severity, workdays=workdays)
        for severity, workdays in DEFAULT_RECTIFY_WORKDAYS.items()
        if severity not in have
    )


def _raise_findings(findings: Iterable[Finding], *, day: datetime.date, by) -> None:
    """Make findings rectification items: each gets its deadline in working days, by its
    county's deadline for the severity (the findings of one release are of one county)."""
    findings = list(findings)
    if not findings:
        return
    policy = rectify_workdays(unit_id=findings[0].responsible_unit_id)
    for finding in findings:
        workdays = policy[finding.severity]
        finding.raised_on = day
        finding.deadline = add_workdays(day, workdays)
        finding.workdays_allowed = workdays
        finding.save(update_fields=["raised_on", "deadline", "workdays_allowed"])
        FindingEvent.objects.create(
            finding=finding, from_state="", to_state=FindingState.OPEN, by=by
        )


@transaction.atomic
def mutual_check_publish(*, check: MutualCheck, by, on: datetime.date | None = None) -> MutualCheck:
    """Publish a zone's results: every sheet must be submitted. The checked units then see
    their sheets and the findings become rectification items."""
    check = MutualCheck.objects.select_for_update().get(pk=check.pk)
    if check.state == CheckState.PUBLISHED:
        return check
    open_sheets = check.sheets.filter(state=SheetState.OPEN).count()
    if open_sheets:
        raise ValidationError(
            _(
                "%(n)d score sheet(s) are not submitted yet; publish when every checker has submitted."
            )
            % {"n": open_sheets}
        )
    check.state = CheckState.PUBLISHED
    check.published_at = _moment(on)
    check.published_by = by
    check.save(update_fields=["state", "published_at", "published_by"])
    _raise_findings(Finding.objects.filter(sheet__mutual_check=check), day=on or today(), by=by)
    return check


# --- score sheets ---------------------------------------------------------------------------


def sheet_is_fillable(sheet: ScoreSheet) -> bool:
    """Whether the sheet's check still takes scores (the sheet open, its check running)."""
    if sheet.state != SheetState.OPEN:
        return False
    if sheet.mutual_check is not None:
        return sheet.mutual_check.state == CheckState.DRAFT
    if sheet.team is None:
        return False  # a guidance visit's sheet is filled through its visit (guidance_*)
    return sheet.team.round.state == RoundState.PUBLISHED


def _require_fillable(sheet: ScoreSheet) -> None:
    if sheet.state != SheetState.OPEN:
        raise ValidationError(_("This sheet is submitted and can no longer change."))
    if not sheet_is_fillable(sheet):
        raise ValidationError(_("This check is not taking scores now."))


def _parse_score(raw, line: ScoreLine) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.1"))
        if not value.is_finite():  # "NaN" parses, and then refuses every comparison
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a score (%(criterion)s).")
            % {"value": raw, "criterion": line.text}
        ) from exc
    if value < 0 or value > line.max_score:
        raise ValidationError(
            _("The score of “%(criterion)s” must lie between 0 and %(max)s.")
            % {"criterion": line.text, "max": line.max_score}
        )
    return value


@transaction.atomic
def sheet_save_scores(
    *, sheet: ScoreSheet, scores: dict[int, tuple[object, str]], by
) -> ScoreSheet:
    """Save scores and notes: `scores` maps a line id to (score, note). All or nothing."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    _require_fillable(sheet)
    lines = {line.pk: line for line in sheet.lines.all()}
    errors = []
    for line_id, (raw, note) in scores.items():
        line = lines.get(int(line_id))
        if line is None:
            continue
        try:
            line.score = _parse_score(raw, line)
            ProhibitNullCharactersValidator()(note or "")  # the database cannot store NUL
        except ValidationError as exc:
            errors.extend(exc.messages)
        line.note = (note or "").strip()[:500]
    if errors:
        raise ValidationError(errors)
    ScoreLine.objects.bulk_update(list(lines.values()), ["score", "note"])
    sheet.total = sum((line.score or Decimal("0") for line in lines.values()), Decimal("0"))
    sheet.save(update_fields=["total"])
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, by) -> ScoreSheet:
    """Lock a sheet once every criterion has a score."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state == SheetState.SUBMITTED:
        return sheet
    _require_fillable(sheet)
    missing = sheet.lines.filter(score__isnull=True).count()
    if missing:
        raise ValidationError(
            _(
                "%(n)d criterion/criteria have no score yet; score every criterion before submitting."
            )
            % {"n": missing}
        )
    sheet.state = SheetState.SUBMITTED
    sheet.submitted_by = by
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["state", "submitted_by", "submitted_at"])
    return sheet


@transaction.atomic
def sheet_add_evidence(
    *,
    sheet: ScoreSheet,
    files: Sequence[CleanUpload],
    by,
    scores: dict[int, tuple[object, str]] | None = None,
) -> list[SheetEvidence]:
    """Attach photos or PDF files, already checked by the form's `core.uploads.MultipleFileField`,
    to a sheet; `scores` typed on the same page are saved first, as finding_record does."""
    if scores:
        sheet_save_scores(sheet=sheet, scores=scores, by=by)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    _require_fillable(sheet)
    saved = []
    for upload in files:
        evidence = SheetEvidence(
            sheet=sheet, original_name=upload.original_name, mime=upload.mime, uploaded_by=by
        )
        evidence.file.save(upload.name, upload.content, save=False)
        evidence.save()
        saved.append(evidence)
    return saved


def _sheet_zone(sheet: ScoreSheet) -> Zone:
    if sheet.mutual_check is not None:
        return sheet.mutual_check.zone
    assert sheet.team is not None  # a sheet belongs to a mutual check or a patrol team
    return sheet.team.visited_zone


@transaction.atomic
def finding_record(
    *,
    sheet: ScoreSheet,
    description: str,
    severity: str,
    by,
    suggestion: str = "",
    scores: dict[int, tuple[object, str]] | None = None,
) -> Finding:
    """Record a problem found on a sheet. It becomes a rectification item, with its deadline,
    when the check's results are released. `scores` typed on the same page are saved first, in
    the same transaction, so recording a finding never loses them (sheet_save_scores)."""
    if scores:
        sheet_save_scores(sheet=sheet, scores=scores, by=by)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    _require_fillable(sheet)
    if not (description or "").strip():
        raise ValidationError(_("Describe the problem."))
    finding = Finding(
        sheet=sheet,
        source=sheet.source,
        responsible_unit=sheet.checked_unit,
        zone=_sheet_zone(sheet),
        description=description.strip(),
        suggestion=(suggestion or "").strip(),
        severity=severity,
        created_by=by,
    )
    # The references come from the locked sheet; validate the values the user typed.
    finding.full_clean(exclude=["sheet", "responsible_unit", "zone", "created_by", "corrects"])
    finding.save()
    return finding


# --- guidance visits of service teams (the teams app, a floor above) -----------------------


@transaction.atomic
def guidance_sheet_open(*, unit: Unit, template: ChecklistTemplate | None = None) -> ScoreSheet:
    """A score sheet for a service team's guidance visit (服务队下沉指导) of `unit`: the
    checklist's criteria copied as for any check; it belongs to no check or patrol (the teams
    app's visit points at it) and takes no scores through the supervision pages."""
    (sheet,) = _new_sheets(template or active_template(), [{"checked_unit": unit}])
    return sheet


@transaction.atomic
def guidance_finding_raise(
    *,
    sheet: ScoreSheet,
    description: str,
    severity: str,
    by,
    on: datetime.date,
    suggestion: str = "",
) -> Finding:
    """A problem a guidance visit raised (两提): a finding of the visited unit, raised at once on
    `on` (its deadline in working days by the severity policy), which then goes through the
    rectification flow as every finding does. Its zone is the unit's that day, if any."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.source != Source.GUIDANCE:
        raise ValidationError(_("This sheet is not a guidance visit's."))
    if not (description or "").strip():
        raise ValidationError(_("Describe the problem."))
    # the unit's zone that day; none in a county that runs no zones (a service team's county)
    zone = unit_zone_on(unit=sheet.checked_unit, day=on)
    finding = Finding(
        sheet=sheet,
        source=Source.GUIDANCE,
        responsible_unit=sheet.checked_unit,
        zone=zone,
        description=description.strip(),
        suggestion=(suggestion or "").strip(),
        severity=severity,
        created_by=by,
    )
    finding.full_clean(exclude=["sheet", "responsible_unit", "zone", "created_by", "corrects"])
    finding.save()
    _raise_findings([finding], day=on, by=by)
    return finding


# --- half-year cross-zone patrol ------------------------------------------------------------


def _previous_round(year: int, half: int, county_id: int) -> PatrolRound | None:
    prev = (year, 1) if half == 2 else (year - 1, 2)
    return PatrolRound.objects.filter(county_id=county_id, year=prev[0], half=prev[1]).first()


def _round_pairs(round_: PatrolRound | None) -> set[tuple[int, int]]:
    if round_ is None:
        return set()
    return set(round_.teams.values_list("from_zone_id", "visited_zone_id"))


def _zone_secretaries(zone_id: int, day: datetime.date, size: int = 3) -> list:
    """Secretaries of a zone's units on a day, the lead unit's first: a team's members."""
    memberships = Membership.objects.filter(in_force_on(day), zone_id=zone_id).order_by(
        "-role", "unit__name"
    )
    unit_ids = list(memberships.values_list("unit_id", flat=True))
    posts = {
        p.unit_id: p.user
        for p in UnitPost.objects.filter(unit_id__in=unit_ids, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    }
    return [posts[u] for u in unit_ids if u in posts][:size]


def _pick_leaders(zone_ids: list[int], day: datetime.date, county_id: int) -> dict[int, User]:
    """A work-committee leader for each team, round-robin, avoiding the leader who guides the
    visited zone where another is available (a leader does not patrol their own zone)."""
    from django.contrib.auth import get_user_model

    leaders = list(
        get_user_model()
        .objects.filter(role=Role.LEADER, is_active=True, county_id=county_id)
        .order_by("username")
    )
    if not leaders:
        raise ValidationError(
            _("There is no active work-committee leader to lead the patrol teams.")
        )
    chosen = {}
    for index, zone_id in enumerate(zone_ids):
        guide = zone_leader_on(zone=Zone(pk=zone_id), day=day)
        candidates = [u for u in leaders if u != guide] or leaders
        chosen[zone_id] = candidates[index % len(candidates)]
    return chosen


@transaction.atomic
def patrol_round_open(
    *,
    year: int,
    half: int,
    by,
    template: ChecklistTemplate | None = None,
    rng: random.Random | None = None,
    county=None,
) -> PatrolRound:
    """Open a half-year round with a proposed plan: each zone visited by a team led by a
    committee leader and staffed by secretaries of another zone."""
    if half not in (1, 2):
        raise ValidationError(_("A half-year is 1 or 2."))
    first, last = half_bounds(year, half)
    if first > today():
        raise ValidationError(_("That half-year has not begun yet."))
    county_id = implied_county_id(county=county, by=by)
    if county_id is None:
        raise ValidationError(_("Choose the county of the patrol round."))
    if PatrolRound.objects.filter(county_id=county_id, year=year, half=half).exists():
        raise ValidationError(_("A patrol round for this half-year already exists."))
    template = template or active_template(county=county_id)
    day = _day_in(first, last)
    zone_ids = sorted(
        Membership.objects.filter(in_force_on(day), zone__county_id=county_id)
        .order_by("zone_id")
        .values_list("zone_id", flat=True)
        .distinct()
    )
    plan = pairing_rules.propose_cross_zone(
        zone_ids, _round_pairs(_previous_round(year, half, county_id)), rng
    )
    round_ = PatrolRound(
        county_id=county_id,
        year=year,
        half=half,
        template=template,
        opened_by=by,
        plan_note="\n".join(plan.messages),
    )
    round_.full_clean()
    round_.save()
    leaders = _pick_leaders(zone_ids, day, county_id)
    for zone_id in zone_ids:
        team = PatrolTeam.objects.create(
            round=round_,
            visited_zone_id=zone_id,
            from_zone_id=plan.visitors[zone_id],
            leader=leaders[zone_id],
        )
        team.members.set(_zone_secretaries(plan.visitors[zone_id], day))
    return round_


@transaction.atomic
def patrol_round_set_plan(
    *, round_: PatrolRound, visitors: dict[int, int], leaders: dict[int, User], by
) -> list[str]:
    """Adjust the plan: `visitors` maps each visited zone id to the zone that staffs its team,
    `leaders` each visited zone id to the team's leader. Same rules as the proposal. Returns
    the messages about rules the number of zones does not allow to keep."""
    round_ = PatrolRound.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.DRAFT:
        raise ValidationError(_("The plan is published; it can no longer change."))
    teams = {t.visited_zone_id: t for t in round_.teams.all()}
    messages = pairing_rules.validate_cross_zone(
        list(teams),
        visitors,
        _round_pairs(_previous_round(round_.year, round_.half, round_.county_id)),
    )
    for leader in leaders.values():
        if leader is None or leader.role != Role.LEADER or not leader.is_active:
            raise ValidationError(
                _("%(user)s is not an active work-committee leader.") % {"user": leader}
            )
    day = _day_in(*half_bounds(round_.year, round_.half))
    # Swap through a temporary state is not needed: from_zone has no unique constraint.
    for zone_id, team in teams.items():
        changed_zone = team.from_zone_id != visitors[zone_id]
        team.from_zone_id = visitors[zone_id]
        team.leader = leaders.get(zone_id, team.leader)
        team.full_clean()
        team.save(update_fields=["from_zone", "leader"])
        if changed_zone:
            team.members.set(_zone_secretaries(team.from_zone_id, day))
    round_.plan_note = "\n".join(messages)
    round_.save(update_fields=["plan_note"])
    return messages


@transaction.atomic
def patrol_round_publish(
    *, round_: PatrolRound, by, on: datetime.date | None = None
) -> PatrolRound:
    """Publish the plan: the teams see their assignments and get a score sheet for each unit
    of the zone they visit. `on`: the day it was published, when recorded afterwards."""
    round_ = PatrolRound.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.DRAFT:
        return round_
    teams = list(round_.teams.select_related("visited_zone").prefetch_related("members"))
    empty = [t for t in teams if not t.members.all()]
    if empty:
        raise ValidationError(
            _("The team visiting %(zone)s has no members; adjust the plan first.")
            % {"zone": empty[0].visited_zone}
        )
    day = _day_in(*half_bounds(round_.year, round_.half))
    _new_sheets(
        round_.template,
        [
            {"team": team, "checked_unit": unit}
            for team in teams
            for unit in zone_members_on(zone=team.visited_zone, day=day)
        ],
    )
    round_.state = RoundState.PUBLISHED
    round_.published_at = _moment(on)
    round_.save(update_fields=["state", "published_at"])
    return round_


@transaction.atomic
def patrol_team_record_visit(
    *,
    team: PatrolTeam,
    visit_date: datetime.date | None,
    heard_secretary: str,
    heard_members: str,
    heard_recipients: str,
    by,
) -> PatrolTeam:
    """Record the visit and the three listens (三听)."""
    team = PatrolTeam.objects.select_for_update().select_related("round").get(pk=team.pk)
    if team.round.state != RoundState.PUBLISHED:
        raise ValidationError(_("This round is not under way; the visit record cannot change."))
    first, last = half_bounds(team.round.year, team.round.half)
    if visit_date is not None and not (first <= visit_date <= last):
        raise ValidationError(_("The visit date must fall within the round's half-year."))
    if visit_date is not None and visit_date > today():
        raise ValidationError(_("The visit date cannot be in the future."))
    team.visit_date = visit_date
    team.heard_secretary = heard_secretary.strip()
    team.heard_members = heard_members.strip()
    team.heard_recipients = heard_recipients.strip()
    team.save(update_fields=["visit_date", "heard_secretary", "heard_members", "heard_recipients"])
    return team


@transaction.atomic
def patrol_round_close(*, round_: PatrolRound, by, on: datetime.date | None = None) -> PatrolRound:
    """Release the round's results: every sheet submitted. The checked units see their sheets
    and the findings become rectification items."""
    round_ = PatrolRound.objects.select_for_update().get(pk=round_.pk)
    if round_.state == RoundState.CLOSED:
        return round_
    if round_.state != RoundState.PUBLISHED:
        raise ValidationError(_("Publish the plan before releasing results."))
    open_sheets = ScoreSheet.objects.filter(team__round=round_, state=SheetState.OPEN).count()
    if open_sheets:
        raise ValidationError(
            _(
                "%(n)d score sheet(s) are not submitted yet; release results when every team has submitted."
            )
            % {"n": open_sheets}
        )
    round_.state = RoundState.CLOSED
    round_.closed_at = _moment(on)
    round_.save(update_fields=["state", "closed_at"])
    _raise_findings(Finding.objects.filter(sheet__team__round=round_), day=on or today(), by=by)
    return round_


# --- findings and rectification -------------------------------------------------------------


def _lock_finding(finding: Finding) -> Finding:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.raised_on is None:
        raise ValidationError(
            _("This finding is not raised yet: the check's results are not released.")
        )
    if finding.state == FindingState.CLOSED:
        raise ValidationError(
            _("This finding is closed and is not edited; record a correction as a new finding.")
        )
    return finding


def _move(finding: Finding, to_state: str, *, by, note: str = "") -> Finding:
    FindingEvent.objects.create(
        finding=finding, from_state=finding.state, to_state=to_state, note=note, by=by
    )
    finding.state = to_state
    fields = ["state"]
    if to_state == FindingState.CLOSED:
        finding.closed_on = today()
        if finding.raised_on is not None:  # findings of before the working-day fields
            finding.workdays_taken = max(workdays_between(finding.raised_on, finding.closed_on), 0)
        fields += ["closed_on", "workdays_taken"]
    finding.save(update_fields=fields)
    return finding


@transaction.atomic
def finding_start(*, finding: Finding, by) -> Finding:
    """The responsible unit starts rectifying (open or returned → in progress)."""
    finding = _lock_finding(finding)
    if finding.state == FindingState.IN_PROGRESS:
        return finding
    if finding.state not in (FindingState.OPEN, FindingState.RETURNED):
        raise ValidationError(_("Only an open or returned finding can be started."))
    return _move(finding, FindingState.IN_PROGRESS, by=by)


@transaction.atomic
def finding_submit(
    *, finding: Finding, note: str, files: Sequence[CleanUpload] = (), by
) -> Finding:
    """The responsible unit reports the rectification with evidence (photos or PDF files, already
    checked by the form's `core.uploads.MultipleFileField`), for verification."""
    finding = _lock_finding(finding)
    if finding.state == FindingState.SUBMITTED:
        raise ValidationError(_("This finding is already submitted for verification."))
    if not (note or "").strip():
        raise ValidationError(_("Say what was done to rectify the problem."))
    for upload in files:
        evidence = FindingEvidence(
            finding=finding, original_name=upload.original_name, mime=upload.mime, uploaded_by=by
        )
        evidence.file.save(upload.name, upload.content, save=False)
        evidence.save()
    return _move(finding, FindingState.SUBMITTED, by=by, note=note.strip())


@transaction.atomic
def finding_verify(*, finding: Finding, by, note: str = "") -> Finding:
    """Verify the rectification and close the finding (销号)."""
    finding = _lock_finding(finding)
    if finding.state != FindingState.SUBMITTED:
        raise ValidationError(_("Only a finding submitted for verification can be closed."))
    return _move(finding, FindingState.CLOSED, by=by, note=(note or "").strip())


@transaction.atomic
def finding_return(*, finding: Finding, reason: str, by) -> Finding:
    """Return a submitted rectification, with the reason, to be done again."""
    finding = _lock_finding(finding)
    if finding.state != FindingState.SUBMITTED:
        raise ValidationError(_("Only a finding submitted for verification can be returned."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why the rectification is returned."))
    return _move(finding, FindingState.RETURNED, by=by, note=reason.strip())


@transaction.atomic
def finding_correct(
    *, finding: Finding, description: str, severity: str, by, suggestion: str = ""
) -> Finding:
    """A correction of a closed finding: a new finding that names the old one, raised today."""
    original = Finding.objects.select_for_update().get(pk=finding.pk)
    if original.state != FindingState.CLOSED:
        raise ValidationError(_("Only a closed finding is corrected by a new record."))
    if not (description or "").strip():
        raise ValidationError(_("Describe the problem."))
    correction = Finding(
        sheet=original.sheet,
        source=original.source,
        responsible_unit=original.responsible_unit,
        zone=original.zone,
        description=description.strip(),
        suggestion=(suggestion or "").strip(),
        severity=severity,
        corrects=original,
        created_by=by,
    )
    correction.full_clean()
    correction.save()
    _raise_findings([correction], day=today(), by=by)
    return correction


# --- class review ---------------------------------------------------------------------------


def class_review_confirm(
    *,
    unit: Unit,
    grade: int,
    suggested: int | None,
    effective_on: datetime.date,
    reason: str,
    by,
) -> object:
    """Confirm the suggested class, or override it with a reason: writes the unit's class
    history through zones.services.unit_set_grade (whose refusals pass through)."""
    reason = (reason or "").strip()
    if grade not in Grade.values:
        raise ValidationError(_("%(grade)s is not a class.") % {"grade": grade})
    if suggested is not None and grade != suggested and not reason:
        raise ValidationError(_("Say why the class differs from the suggestion."))
    if not reason:
        reason = _("Class review: suggestion confirmed")
    return zone_services.unit_set_grade(
        unit=unit, grade=grade, effective_on=effective_on, by=by, reason=reason
    )
