"""The six classrooms in the roll-up reports (reports.figures, reports.excel, reports.narrative
call these): a county report's figures of member education for the period, stored with the
report under "education" (None for a zone's report, or a county that did not run education in
the period), its sheets and its sentence in the committee's voice:

"县直机关单位党组织共开展集中学习300余场次、专题研讨200余场次……107个机关党组织、1828名在职党员
到社区报到……"

Counted in the database; labels resolved in the report's language when it is generated.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from core.excel import Sheet
from core.periods import Period
from counties.constants import Mechanism
from counties.models import CountyMechanism
from people.models import Person
from zones.models import in_force_on

from . import constants as c
from .models import (
    Attendance,
    Classroom,
    CommunityRegistration,
    Meeting,
    MentorPair,
    Session,
)
from .selectors import person_years, practical_count, served_matters, unit_community_figures


def _tenths(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.1")))


def _ran(county, period: Period, until: datetime.date) -> bool:
    return CountyMechanism.objects.filter(
        Q(until__isnull=True) | Q(until__gt=period.start),
        county=county,
        mechanism=Mechanism.EDUCATION,
        since__lte=until,
    ).exists()


def figures(*, period: Period, zone, county, counted_to: datetime.date) -> dict:
    """{"education": the period's figures, or None} (see the module)."""
    if zone is not None or county is None or not _ran(county, period, counted_to):
        return {"education": None}
    start, end = period.start, min(period.end, counted_to)
    sessions = Session.objects.filter(
        county=county, starts_at__date__gte=start, starts_at__date__lte=end
    )
    rooms = {r.pk: r.name for r in Classroom.objects.filter(county=county)}
    by_room = dict(
        sessions.values_list("classroom_id")
        .annotate(n=Count("pk"))
        .values_list("classroom_id", "n")
    )
    kinds = dict(c.SessionKind.choices)
    by_kind = dict(sessions.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    meetings = Meeting.objects.filter(
        unit__county=county, held_on__gte=start, held_on__lte=end
    ).aggregate(held=Count("pk"), recorded=Count("pk", filter=Q(first_topic__isnull=False)))
    training = Attendance.objects.filter(
        session__in=sessions.filter(kind=c.SessionKind.TRAINING), status__in=c.ATTENDED
    ).count()
    registered = CommunityRegistration.objects.filter(
        unit__county=county, confirmed=True, registered_on__lte=end
    ).aggregate(units=Count("unit_id", distinct=True), members=Count("person_id", distinct=True))
    services = (
        served_matters(county.pk)
        .filter(done_on__gte=start, done_on__lte=end)
        .aggregate(n=Count("pk"), hours=Sum("hours"), matters=practical_count())
    )
    people = list(
        Person.objects.filter(
            in_force_on(end, "memberships__"), county=county, left_on__isnull=True
        ).distinct()
    )
    years = person_years(people, end.year, day=end)
    pairs = MentorPair.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=start),
        county=county,
        effective_from__lte=end,
    ).count()
    per_unit = [
        [row["unit"], row["members"], row["services"], _tenths(row["hours"]), row["matters"]]
        for row in unit_community_figures(end.year, county_id=county.pk)
    ]
    return {
        "education": {
            "sessions": sum(by_room.values()),
            "by_classroom": [[name, by_room.get(pk, 0)] for pk, name in rooms.items()],
            "by_kind": [[str(kinds[k]), by_kind.get(k, 0)] for k in kinds],
            "meetings_held": meetings["held"],
            "first_topic_recorded": meetings["recorded"],
            "training_person_times": training,
            "registered_units": registered["units"],
            "registered_members": registered["members"],
            "services": services["n"],
            "service_hours": _tenths(services["hours"]),
            "practical_matters": services["matters"],
            "members": len(people),
            "on_pace": sum(1 for entry in years.values() if entry.on_pace),
            "pairs": pairs,
            "by_unit": per_unit,
        }
    }


def summary_rows(f: dict) -> list[list]:
    return [
        [_("Study sessions"), f["sessions"]],
        [
            _("First agenda item recorded / party-group meetings"),
            f"{f['first_topic_recorded']}/{f['meetings_held']}",
        ],
        [_("Person-times of training classes"), f["training_person_times"]],
        [_("Members on pace / members"), f"{f['on_pace']}/{f['members']}"],
        [_("Organ units registered with communities"), f["registered_units"]],
        [_("Members registered with communities"), f["registered_members"]],
        [_("Community services"), f["services"]],
        [_("Community service hours"), f["service_hours"]],
        [_("Practical matters done"), f["practical_matters"]],
        [_("Mentoring pairs"), f["pairs"]],
    ]


def sheets(report_figures: dict) -> list:
    """The report workbook's sheets of member education (none without its figures)."""
    f = report_figures.get("education")
    if not f:
        return []
    return [
        Sheet(_("Member education"), [_("Item"), _("Value")], summary_rows(f)),
        Sheet(
            _("Sessions by classroom"),
            [_("Classroom"), _("Sessions")],
            f["by_classroom"],
        ),
        Sheet(_("Sessions by kind"), [_("Kind"), _("Sessions")], [r for r in f["by_kind"] if r[1]]),
        Sheet(
            _("Reporting to communities by unit"),
            [_("Unit"), _("Members registered"), _("Services"), _("Hours"), _("Practical matters")],
            f["by_unit"],
        ),
    ]


def sentences(report_figures: dict, *, approx, join) -> list[str]:
    """The narrative's sentences on member education, in the committee's voice."""
    f = report_figures.get("education")
    if not f or not (f["sessions"] or f["registered_members"] or f["meetings_held"]):
        return []
    out = []
    kinds = join(
        [
            _("%(kind)s %(n)s sessions") % {"kind": kind, "n": approx(n)}
            for kind, n in f["by_kind"]
            if n
        ]
    )
    if kinds:
        out.append(
            _("The units' party organizations held %(kinds)s in the six classrooms")
            % {"kinds": kinds}
            + _(".")
        )
    if f["meetings_held"]:
        out.append(
            _(
                "%(recorded)d of %(held)d party-group meetings recorded their first agenda item (第一议题)."
            )
            % {"recorded": f["first_topic_recorded"], "held": f["meetings_held"]}
        )
    if f["training_person_times"]:
        out.append(
            _("Training classes trained %(n)s person-times.")
            % {"n": approx(f["training_person_times"])}
        )
    if f["registered_members"]:
        sentence = _(
            "%(units)s organ party organizations and %(members)s serving members reported to "
            "communities"
        ) % {"units": approx(f["registered_units"]), "members": approx(f["registered_members"])}
        if f["services"]:
            sentence += _(", doing %(n)s volunteer services and %(matters)s practical matters") % {
                "n": approx(f["services"]),
                "matters": approx(f["practical_matters"]),
            }
        out.append(sentence + _("."))
    return out
