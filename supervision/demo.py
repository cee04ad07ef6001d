"""Demo records of the supervision module, added by `load_demo` (`portal/demo.py`) after those
of `activities/demo.py`, on top of the demo county of `zones/demo.py`: two
years of quarterly mutual checks and half-year patrol rounds with scores and findings in every
state (a few overdue), and the class movements that follow from them. Deterministic
(random.Random(2026)); built through the services, except that sheets are scored in bulk and
history dates are set afterwards so that the demo loads quickly."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F

from core.demo import DemoContext
from core.periods import half_bounds, quarter_bounds
from counties.calendar import workdays_between
from zones.models import Unit, UnitPost, Zone

from . import services
from .constants import SheetState
from .models import Finding, ScoreLine, ScoreSheet
from .selectors import class_review

PROBLEMS = [
    ("“三会一课”记录不完整，部分支委会未记录议题", "general"),
    ("主题党日活动签到表缺失", "general"),
    ("党员活动室制度牌未更新", "general"),
    ("党费收缴台账与实际不一致", "major"),
    ("发展党员档案材料不齐全", "major"),
    ("未按轮值安排参与片区联建活动", "general"),
    ("组织生活会查摆问题整改清单未建立", "major"),
    ("党建工作责任清单未细化到班子成员", "serious"),
    ("宣传栏内容超过半年未更新", "general"),
]


def _score_sheets(sheets, quality: dict[int, float], rng: random.Random, submit_by) -> None:
    """Score and submit sheets in bulk: each unit scores around its quality, line by line."""
    sheets = list(sheets)
    lines = list(ScoreLine.objects.filter(sheet__in=sheets))
    by_sheet: dict[int, Decimal] = {}
    unit_of = {s.pk: s.checked_unit_id for s in sheets}
    for line in lines:
        q = min(1.0, max(0.4, quality[unit_of[line.sheet_id]] + rng.uniform(-0.12, 0.08)))
        line.score = (line.max_score * Decimal(str(q)) * 2).quantize(Decimal("1")) / 2
        by_sheet[line.sheet_id] = by_sheet.get(line.sheet_id, Decimal("0")) + line.score
    by_score: dict[Decimal, list[int]] = {}
    for line in lines:
        by_score.setdefault(line.score, []).append(line.pk)
    for score, ids in by_score.items():  # a few distinct scores: one UPDATE each
        ScoreLine.objects.filter(pk__in=ids).update(score=score)
    for sheet in sheets:
        sheet.total = by_sheet.get(sheet.pk, Decimal("0"))
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_by = submit_by(sheet)
    ScoreSheet.objects.bulk_update(sheets, ["total", "state", "submitted_by"], batch_size=500)


def _record_findings(sheets, quality, rng, by) -> None:
    for sheet in sheets:
        q = quality[sheet.checked_unit_id]
        for _ in range(rng.choices([0, 1, 2], weights=[q * 10, 4, 2 * (1 - q) * 10])[0]):
            text, severity = rng.choice(PROBLEMS)
            services.finding_record(sheet=sheet, description=text, severity=severity, by=by)


def _work_findings(findings, rng, secretary_of, verifier, day: datetime.date) -> None:
    """Move findings through their life: most closed (a few late), some returned, some in
    progress or submitted, a few left open past the deadline."""
    for finding in findings:
        secretary = secretary_of.get(finding.responsible_unit_id)
        if secretary is None:
            continue
        roll = rng.random()
        if finding.deadline >= day:  # still running: leave it at an early step
            roll = rng.choice([0.0, 0.05, 0.99])
        if roll < 0.03:
            continue  # left open (overdue when the deadline has passed)
        services.finding_start(finding=finding, by=secretary)
        if roll < 0.06:
            continue  # in progress
        services.finding_submit(finding=finding, note="已整改，附佐证材料", by=secretary)
        if roll > 0.98:
            continue  # submitted, awaiting verification
        if roll < 0.2:
            services.finding_return(finding=finding, reason="佐证材料不充分", by=verifier)
            if roll < 0.08:
                continue  # returned, to be done again
            services.finding_submit(finding=finding, note="补充了佐证材料", by=secretary)
        services.finding_verify(finding=finding, by=verifier)
        late = rng.random() < 0.15
        closed_on = finding.deadline + datetime.timedelta(
            days=rng.randint(1, 12) if late else -rng.randint(0, 8)
        )
        closed_on = max(min(closed_on, day), finding.raised_on)  # closed on or after raising
        Finding.objects.filter(pk=finding.pk).update(
            closed_on=closed_on, workdays_taken=workdays_between(finding.raised_on, closed_on)
        )


def load(*, ctx: DemoContext) -> None:
    start, now, admin = ctx.start, ctx.today, ctx.admin
    rng = random.Random(2026)  # noqa: S311 - demo data
    units = list(Unit.objects.filter(kind="organ").order_by("pk"))
    quality = {u.pk: rng.uniform(0.62, 0.98) for u in units}
    secretary_of = {}
    for unit in Unit.objects.filter(posts__isnull=False).prefetch_related("posts__user"):
        secretary_of[unit.pk] = unit.posts.all()[0].user
    zones = list(Zone.objects.order_by("number"))
    periods = []
    for year in range(start.year, now.year + 1):
        for half in (1, 2):
            if half_bounds(year, half)[0] <= now:
                periods.append((year, half))
    for year, half in periods:
        for quarter in (1, 2) if half == 1 else (3, 4):
            first, last = quarter_bounds(year, quarter)
            if first > now:
                continue
            current = last >= now
            for zone in zones:
                check = services.mutual_check_create(
                    zone=zone, year=year, quarter=quarter, by=admin, rng=rng
                )
                sheets = list(check.sheets.all())
                lead_secretary = secretary_of.get(sheets[0].checker_unit_id, admin)
                to_score = sheets if not current else [s for s in sheets if rng.random() < 0.6]
                _record_findings(to_score, quality, rng, admin)
                _score_sheets(
                    to_score, quality, rng, lambda s: secretary_of.get(s.checker_unit_id, admin)
                )
                if current:
                    continue
                published = min(last + datetime.timedelta(days=10), now)
                services.mutual_check_publish(check=check, by=lead_secretary, on=published)
        first, last = half_bounds(year, half)
        round_ = services.patrol_round_open(year=year, half=half, by=admin, rng=rng)
        services.patrol_round_publish(
            round_=round_, by=admin, on=min(first + datetime.timedelta(days=20), now)
        )
        current = last >= now
        for team in round_.teams.prefetch_related("sheets"):
            visit = min(last - datetime.timedelta(days=rng.randint(20, 60)), now)
            if current and rng.random() < 0.4:
                continue  # this team has not visited yet
            services.patrol_team_record_visit(
                team=team,
                visit_date=visit,
                heard_secretary="书记汇报了党建工作责任落实和片区联建情况",
                heard_members="党员希望增加现场教学和业务培训",
                heard_recipients="服务对象希望窗口服务延时办理",
                by=team.leader,
            )
            sheets = list(team.sheets.all())
            _record_findings(sheets, quality, rng, team.leader)
            _score_sheets(sheets, quality, rng, lambda s, t=team: t.leader)
        if current:
            continue
        services.patrol_round_close(
            round_=round_, by=admin, on=min(last + datetime.timedelta(days=15), now)
        )
    # Rectification, then the class review of each finished half-year.
    findings = list(Finding.objects.filter(raised_on__isnull=False).order_by("raised_on", "pk"))
    # The demo accounts `secretary` and `lead` each keep their unit's latest finding in
    # progress, so "my work" shows one and `demo_reminder` has a deadline to move.
    demo_units = set(
        UnitPost.objects.filter(user__username__in=["secretary", "lead"]).values_list(
            "unit_id", flat=True
        )
    )
    kept = {f.responsible_unit_id: f for f in findings if f.responsible_unit_id in demo_units}
    _work_findings([f for f in findings if f not in kept.values()], rng, secretary_of, admin, now)
    for finding in kept.values():
        services.finding_start(finding=finding, by=secretary_of[finding.responsible_unit_id])
    for year, half in periods:
        last = half_bounds(year, half)[1]
        effective = last + datetime.timedelta(days=20)
        if effective > now:
            continue
        moved = 0
        for row in class_review(year=year, half=half):
            if not row.moves or row.current is None or abs(row.suggested - row.current) > 1:
                continue
            if rng.random() > 0.35 or moved >= 8:
                continue
            try:
                services.class_review_confirm(
                    unit=row.unit,
                    grade=row.suggested,
                    suggested=row.suggested,
                    effective_on=effective,
                    reason=f"{year}年{'上' if half == 1 else '下'}半年争先进位评定",
                    by=admin,
                )
            except ValidationError:
                continue  # e.g. a lead unit must stay first class
            moved += 1
    # Keep the history readable: closed findings closed on or after they were raised.
    Finding.objects.filter(closed_on__lt=F("raised_on")).update(
        closed_on=F("raised_on"), workdays_taken=0
    )
