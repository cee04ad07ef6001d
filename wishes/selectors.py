"""What a reader sees of the micro-wishes, and the county's figures.

Who sees which wishes (`wishes_visible_to`): the committee (staff, leaders) and city staff every
wish of the county read; a town office's secretaries and officers (the dispatchers) the wishes of
their towns; a handler unit's the wishes dispatched to it. A villager sees only their own ticket,
on the status page, with the last four digits of their phone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.cache import county_in_scope
from core.periods import (
    MONTH,
    QUARTER,
    YEAR,
    Period,
    month_end,
    month_start,
    period_of,
    quarter_bounds,
)
from counties.selectors import reads_every_county
from zones.models import Unit
from zones.selectors import user_scope

from .constants import (
    ASSIGNED_STATES,
    EVALUATED,
    LIST_SIZE,
    OPEN_STATES,
    RED_MIN_DUE,
    REDO,
    SATISFIED,
    Channel,
    State,
)
from .models import Category, Group, Meeting, Town, Village, Wish


def today() -> datetime.date:
    return timezone.localdate()


def reads_all_wishes(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_committee", False)) or reads_every_county(user)


def wishes_visible_to(user) -> QuerySet[Wish]:
    wishes = Wish.objects.select_related("town", "village", "group", "category", "handler")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return wishes.none()
    if reads_all_wishes(user):
        return wishes.all()
    unit_ids = user_scope(user).unit_ids
    if not unit_ids:
        return wishes.none()
    return wishes.filter(Q(town__office_id__in=unit_ids) | Q(handler_id__in=unit_ids))


def towns_dispatched_by(user) -> QuerySet[Town]:
    """The towns whose wishes `user` dispatches: every town for committee staff."""
    if getattr(user, "is_committee_staff", False):
        return Town.objects.all()
    return Town.objects.filter(office_id__in=user_scope(user).unit_ids)


def villages_dispatched_by(user) -> QuerySet[Village]:
    return Village.objects.filter(town__in=towns_dispatched_by(user)).select_related("town")


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Courtyard meetings: the committee and city staff read every one of the county; a town's
    dispatchers those of their towns' villages."""
    meetings = (
        Meeting.objects.select_related("village__town")
        .annotate(raised=Count("wishes"))
        .order_by("-held_on", "-pk")
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return meetings.none()
    if reads_all_wishes(user):
        return meetings.all()
    return meetings.filter(village__town__in=towns_dispatched_by(user))


def wishes_listed(user, query) -> tuple[QuerySet[Wish], str]:
    """The wishes of the list (and of its export, in the request or in the worker): those
    `user` sees, of the state `query` asks for, newest first; and that state ("" for all)."""
    wishes = wishes_visible_to(user)
    state = query.get("state", "") if query else ""
    if state in State.values:
        wishes = wishes.filter(state=state)
    return wishes.order_by("-received_on", "-pk"), state


@dataclass(frozen=True)
class WishRow:
    """A wish as the list shows it, formatted once (issue 20): no filter, label lookup, related
    object or URL resolved per cell in the template."""

    url: str
    ticket: str
    received: str  # 2026年12月2日
    place: str  # town, village and group (if any)
    text: str  # the first 40 characters
    category: str
    handler: str
    state: str  # the state's label
    deadline: str
    villager: str  # the phone masked
    late: bool  # past its deadline and still with the handler


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# The columns wish_rows reads of the wish; its place's, category's and handler's names come
# beside them (wish_row_columns).
WISH_ROW_COLUMNS = (
    "ticket",
    "received_on",
    "text",
    "state",
    "phone",
    "due",
    "extension",
    "extension_to",
)


def _name_of(model, column: str) -> Subquery:
    """The name of the `model` row the wish's `column` points to, by primary key: the wish is
    already the reader's county's, and so is every row it points to (hence the plain manager:
    the county scope's joins through the village and the town cost more than the lookup)."""
    return Subquery(model._base_manager.filter(pk=OuterRef(column)).order_by().values("name")[:1])


def wish_row_columns(wishes: QuerySet[Wish]) -> QuerySet[Wish]:
    """`wishes` (wishes_listed) with only the columns the list's rows print, the names of the
    town, village, group, category and handler each a scalar subquery of its row (issue 20):
    the five joins of wishes_visible_to cost PostgreSQL ~15 ms to plan for fifty rows, the
    subqueries under 1 ms; and the wishes' and their joins' whole rows cost Django more to
    build than the rows cost."""
    return (
        wishes.select_related(None)
        .only(*WISH_ROW_COLUMNS, "town_id", "village_id", "group_id", "category_id", "handler_id")
        .annotate(
            town_name=_name_of(Town, "town_id"),
            village_name=_name_of(Village, "village_id"),
            group_name=_name_of(Group, "group_id"),
            category_name=_name_of(Category, "category_id"),
            handler_name=_name_of(Unit, "handler_id"),
        )
    )


def wish_rows(wishes, *, day: datetime.date) -> list[WishRow]:
    """The list's rows of `wishes` (wishes_listed read through wish_row_columns: with the names
    of their town, village, group, category and handler)."""
    from django.utils.text import Truncator

    from core.display import pk_url
    from core.templatetags.portal_tags import mask_phone

    wish_url = pk_url("wishes:detail")
    labels = {value: str(label) for value, label in State.choices}
    rows = []
    for wish in wishes:
        place = f"{wish.town_name}{wish.village_name}{wish.group_name or ''}"
        rows.append(
            WishRow(
                url=wish_url(wish.pk),
                ticket=wish.ticket,
                received=_chinese_date(wish.received_on),
                place=place,
                text=Truncator(wish.text).chars(40),
                category=wish.category_name or "—",
                handler=wish.handler_name or "—",
                state=labels.get(wish.state, wish.state),
                deadline=_chinese_date(wish.deadline) if wish.deadline else "—",
                villager=mask_phone(wish.phone) or "—",
                late=bool(wish.due and wish.due < day and wish.state in ASSIGNED_STATES),
            )
        )
    return rows


def ticket_lookup(ticket: str, tail: str) -> Wish | None:
    """The villager's own wish: ticket number and the phone's last four digits must both match;
    anything else reveals nothing."""
    if not ticket or not tail or len(tail) != 4:
        return None
    wish = (
        Wish.objects.select_related("handler", "category", "merged_into__handler")
        .filter(ticket=ticket, phone_tail=tail)
        .first()
    )
    return wish


def duplicates_of(wish: Wish) -> QuerySet[Wish]:
    """Likely duplicates of a new wish, for the dispatcher: the same phone, or the same village
    (and category once known) in the last 30 days; open and not merged. Never merged
    automatically."""
    since = wish.received_on - datetime.timedelta(days=30)
    same = Q(phone_tail=wish.phone_tail, phone=wish.phone) if wish.phone else Q(pk__in=[])
    place = Q(village_id=wish.village_id)
    if wish.category_id:
        place &= Q(category_id=wish.category_id) | Q(category__isnull=True)
    return (
        Wish.objects.filter(same | place, received_on__gte=since, state__in=OPEN_STATES)
        .exclude(pk=wish.pk)
        .select_related("village", "group", "category")
        .order_by("-received_on")[:10]
    )


def invariant_breaches(wishes: QuerySet[Wish] | None = None) -> QuerySet[Wish]:
    """Open wishes past dispatch without a responsible unit or a deadline: must be none (the
    database refuses them too); the dashboard shows any as an error."""
    wishes = Wish.objects.all() if wishes is None else wishes
    return wishes.filter(state__in=ASSIGNED_STATES).filter(
        Q(handler__isnull=True) | Q(due__isnull=True)
    )


def overdue(wishes: QuerySet[Wish], day: datetime.date) -> QuerySet[Wish]:
    """Open wishes past their deadline in force (the approved extension's, else the due)."""
    return wishes.filter(
        Q(state__in=ASSIGNED_STATES, due__lt=day) | Q(state=State.NEW, dispatch_due__lt=day)
    )


@dataclass(frozen=True)
class Rate:
    """A rate printed with what it is of: 98.59% (3,825 / 3,880)."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        value = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent}%"


@dataclass
class Figures:
    collected: int
    by_channel: dict[str, int]
    resolved: int
    pending: int
    resolution: Rate
    on_time_sign: Rate
    returned: Rate
    redone: Rate
    satisfaction: Rate
    overdue: int
    breaches: int
    unassigned: int  # pending and not yet dispatched: no responsible unit yet

    @property
    def all_assigned(self) -> bool:
        """Whether every pending wish has its responsible unit and deadline (the sentence's
        "均已明确责任单位和办结时限" is said only then)."""
        return self.breaches == 0 and self.unassigned == 0


# A wish counts as resolved (办结) once answered, and stays so unless reopened for a redo.
RESOLVED = Q(state__in=[State.RESOLVED, State.CLOSED])


def counted(wishes: QuerySet[Wish], *, start: datetime.date, end: datetime.date) -> QuerySet:
    """The wishes a period counts: received between `start` and `end` (inclusive), a merged
    duplicate counted in the wish it joined."""
    return wishes.filter(received_on__range=(start, end)).exclude(state=State.MERGED)


def headlines_by_county(
    *, county_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """county id → the headline counts of the city dashboard (collected, resolved, evaluated
    and satisfied return visits), counted as `figures` counts them (`headline_rows_by_county`):
    one aggregate query whatever the number of counties; a county with no wish counted is
    absent."""
    (part,) = headline_rows_by_county(county_ids=county_ids, start=start, end=end).values()
    return {row["county_id"]: row for row in part.order_by()}


def figures(wishes: QuerySet[Wish], *, start: datetime.date, end: datetime.date, day=None):
    """The figures of the wishes received between `start` and `end` (inclusive), as of `day`:
    collected (merged duplicates are counted in the wish they joined), resolved (办结 and not
    reopened), pending, and each rate with its denominator. One aggregate query."""
    day = day or today()
    rows = counted(wishes, start=start, end=end)
    resolved_q = RESOLVED
    a = rows.aggregate(
        collected=Count("pk"),
        resolved=Count("pk", filter=resolved_q),
        link=Count("pk", filter=Q(channel=Channel.LINK)),
        courtyard=Count("pk", filter=Q(channel=Channel.COURTYARD)),
        visit=Count("pk", filter=Q(channel=Channel.VISIT)),
        dispatched=Count("pk", filter=Q(dispatched_on__isnull=False)),
        signed=Count("pk", filter=Q(signed_on__isnull=False)),
        signed_on_time=Count("pk", filter=Q(signed_on__isnull=False, signed_on__lte=F("sign_due"))),
        returned=Count("pk", filter=Q(returns__gt=0)),
        visited=Count("pk", filter=Q(visited_on__isnull=False)),
        redone=Count("pk", filter=Q(redos__gt=0)),
        evaluated=Count("pk", filter=Q(satisfaction__in=EVALUATED)),
        satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        overdue=Count(
            "pk",
            filter=Q(state__in=ASSIGNED_STATES, due__lt=day)
            | Q(state=State.NEW, dispatch_due__lt=day),
        ),
        breaches=Count(
            "pk",
            filter=Q(state__in=ASSIGNED_STATES) & (Q(handler__isnull=True) | Q(due__isnull=True)),
        ),
        unassigned=Count("pk", filter=Q(state=State.NEW)),
    )
    return _figures_of(a)


def _figures_of(a: dict) -> Figures:
    """The figures from the counts `figures` aggregates (or `county_figures_sql` reads)."""
    return Figures(
        collected=a["collected"],
        by_channel={
            Channel.LINK: a["link"],
            Channel.COURTYARD: a["courtyard"],
            Channel.VISIT: a["visit"],
        },
        resolved=a["resolved"],
        pending=a["collected"] - a["resolved"],
        resolution=Rate(a["resolved"], a["collected"]),
        on_time_sign=Rate(a["signed_on_time"], a["signed"]),
        returned=Rate(a["returned"], a["dispatched"]),
        redone=Rate(a["redone"], a["visited"]),
        satisfaction=Rate(a["satisfied"], a["evaluated"]),
        overdue=a["overdue"],
        breaches=a["breaches"],
        unassigned=a["unassigned"],
    )


# `figures`' counts, in its order, as SQL conditions on the wish `w`: `county_figures_sql`'s
# columns. Each condition's values are parameters (listed beside it); a NULL date compares as
# unknown and is not counted, as in the queryset's FILTER terms.
def _figure_conditions(day: datetime.date) -> list[tuple[str, str, list]]:
    def among(values) -> tuple[str, list]:
        return ", ".join(["%s"] * len(values)), [str(v) for v in values]

    resolved, resolved_p = among((State.RESOLVED, State.CLOSED))  # RESOLVED
    assigned, assigned_p = among(ASSIGNED_STATES)
    evaluated, evaluated_p = among(EVALUATED)
    satisfied, satisfied_p = among(SATISFIED)
    on_day = connection.ops.adapt_datefield_value(day)
    return [
        ("collected", "1 = 1", []),
        ("resolved", f"w.state IN ({resolved})", resolved_p),
        ("link", "w.channel = %s", [str(Channel.LINK)]),
        ("courtyard", "w.channel = %s", [str(Channel.COURTYARD)]),
        ("visit", "w.channel = %s", [str(Channel.VISIT)]),
        ("dispatched", "w.dispatched_on IS NOT NULL", []),
        ("signed", "w.signed_on IS NOT NULL", []),
        ("signed_on_time", "w.signed_on IS NOT NULL AND w.signed_on <= w.sign_due", []),
        ("returned", "w.returns > 0", []),
        ("visited", "w.visited_on IS NOT NULL", []),
        ("redone", "w.redos > 0", []),
        ("evaluated", f"w.satisfaction IN ({evaluated})", evaluated_p),
        ("satisfied", f"w.satisfaction IN ({satisfied})", satisfied_p),
        (
            "overdue",
            f"(w.state IN ({assigned}) AND w.due < %s) OR (w.state = %s AND w.dispatch_due < %s)",
            [*assigned_p, on_day, str(State.NEW), on_day],
        ),
        (
            "breaches",
            f"w.state IN ({assigned}) AND (w.handler_id IS NULL OR w.due IS NULL)",
            assigned_p,
        ),
        ("unassigned", "w.state = %s", [str(State.NEW)]),
    ]


def county_figures_sql(
    county_id: int, *, start: datetime.date, end: datetime.date, day: datetime.date
) -> Figures:
    """`figures(Wish.objects.filter(county_id=county_id), ...)` as one hand-written statement
    (issue 20: the sixteen filtered counts cost Django ~6 ms to build, the database under one;
    docs/architecture.md's rule): `counted`'s rows of the one county given (raw SQL bypasses
    django-scopes), each figure a CASE count. `figures` stays the definition;
    tests/wishes/test_figures_sql.py holds the two equal."""
    conditions = _figure_conditions(day)
    columns, params = [], []
    for name, condition, values in conditions:
        columns.append(f"COUNT(CASE WHEN {condition} THEN 1 END) AS {name}")
        params.extend(values)
    sql = (
        f"SELECT {', '.join(columns)} FROM wishes_wish w"  # noqa: S608 (the code's own names)
        " WHERE w.county_id = %s AND w.received_on BETWEEN %s AND %s AND w.state <> %s"
    )
    params += [
        county_id,
        connection.ops.adapt_datefield_value(start),
        connection.ops.adapt_datefield_value(end),
        str(State.MERGED),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return _figures_of(dict(zip((c[0] for c in conditions), row, strict=True)))


def narrative(figures_: Figures, *, year: int | None = None, label: str = "") -> str:
    """The committee's sentence from the figures: 2025年，全县累积收集民情民意3891条，办结3825条，
    剩余66条诉求均已明确责任单位和办结时限，满意率达到98.59%. `label` names another period than
    a year (2026年11月, 2026年第四季度)."""
    label = label or f"{year}年"
    text = f"{label}，全县累积收集民情民意{figures_.collected}条，办结{figures_.resolved}条"
    if figures_.pending:
        if figures_.all_assigned:
            text += f"，剩余{figures_.pending}条诉求均已明确责任单位和办结时限"
        else:
            text += f"，剩余{figures_.pending}条诉求"
    percent = figures_.satisfaction.percent
    if percent is not None:
        text += f"，满意率达到{percent}%"
    return text + "。"


def breakdown(wishes: QuerySet[Wish], field, *, start, end, day=None) -> list[dict]:
    """Collected / resolved / pending / overdue per `field` (town__name, category__name,
    handler__name, or a tuple such as ("town__name", "village__name") for villages, whose
    names repeat across towns), one grouped query."""
    day = day or today()
    fields = (field,) if isinstance(field, str) else tuple(field)
    rows = counted(wishes, start=start, end=end)
    resolved_q = RESOLVED
    out = []
    for row in (
        rows.values(*fields)
        .annotate(
            collected=Count("pk"),
            resolved=Count("pk", filter=resolved_q),
            overdue=Count("pk", filter=Q(state__in=ASSIGNED_STATES, due__lt=day)),
            evaluated=Count("pk", filter=Q(satisfaction__in=EVALUATED)),
            satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        )
        .order_by(*fields)
    ):
        out.append(
            {
                "name": "".join(row[f] or "" for f in fields) or "—",
                "collected": row["collected"],
                "resolved": row["resolved"],
                "pending": row["collected"] - row["resolved"],
                "overdue": row["overdue"],
                "resolution": Rate(row["resolved"], row["collected"]),
                "satisfaction": Rate(row["satisfied"], row["evaluated"]),
            }
        )
    return out


PERIOD_KINDS = (MONTH, QUARTER, YEAR)


def figures_period(kind: str, key: str, day: datetime.date) -> Period:
    """The period the figures page is asked for: a month (2026-11), a quarter (2026-Q4) or a
    year (2026); anything unreadable is the present year."""
    try:
        if kind == MONTH:
            year, month = key.split("-")
            return period_of(MONTH, datetime.date(int(year), int(month), 1))
        if kind == QUARTER:
            year, quarter = key.upper().split("-Q")
            return period_of(QUARTER, quarter_bounds(int(year), int(quarter))[0])
        if kind == YEAR:
            return period_of(YEAR, datetime.date(int(key), 1, 1))
    except (ValueError, KeyError, TypeError):
        pass
    return period_of(YEAR, day)


@dataclass
class ListRow:
    """A handler unit's month on the red and black lists, each figure with its denominator."""

    name: str
    due: int  # wishes whose deadline in force fell in the month (and has passed)
    on_time: Rate  # resolved by their deadline ÷ due
    late: int  # due − resolved by their deadline
    satisfaction: Rate  # (满意 + 基本满意) ÷ evaluated return visits of the month
    dissatisfied: int  # 部分满意 or 不满意 visits of the month


def red_black_lists(wishes: QuerySet[Wish], *, month: datetime.date, day=None) -> dict:
    """The monthly red and black lists of handler units (红黑榜), by the rule the figures page
    states (constants.RED_MIN_DUE, LIST_SIZE):

    - 红榜 (red): a unit with at least RED_MIN_DUE wishes due in the month, every one resolved by
      its deadline and no 部分满意 / 不满意 visit in the month; best satisfaction rate first
      (none evaluated last), then most wishes due;
    - 黑榜 (black): a unit with a wish due in the month not resolved by its deadline, or a
      部分满意 / 不满意 visit in the month; most late first, then most dissatisfied, then the
      lowest on-time rate.

    "Due in the month" counts deadlines from the month's first day up to its last, or up to
    yesterday while the month runs. One grouped query."""
    day = day or today()
    start, end = month_start(month), month_end(month)
    last = min(end, day - datetime.timedelta(days=1))
    due_q = Q(due__gte=start, due__lte=last)
    visit_q = Q(visited_on__gte=start, visited_on__lte=end)
    rows = (
        wishes.filter(handler__isnull=False)
        .exclude(state=State.MERGED)
        .filter(due_q | visit_q)
        .values("handler_id", "handler__name")
        .annotate(
            due_n=Count("pk", filter=due_q),
            on_time_n=Count(
                "pk", filter=due_q & Q(resolved_on__isnull=False, resolved_on__lte=F("due"))
            ),
            evaluated=Count("pk", filter=visit_q & Q(satisfaction__in=EVALUATED)),
            satisfied=Count("pk", filter=visit_q & Q(satisfaction__in=SATISFIED)),
            dissatisfied=Count("pk", filter=visit_q & Q(satisfaction__in=REDO)),
        )
        .order_by("handler__name")
    )
    units = [
        ListRow(
            name=r["handler__name"],
            due=r["due_n"],
            on_time=Rate(r["on_time_n"], r["due_n"]),
            late=r["due_n"] - r["on_time_n"],
            satisfaction=Rate(r["satisfied"], r["evaluated"]),
            dissatisfied=r["dissatisfied"],
        )
        for r in rows
    ]
    red = [u for u in units if u.due >= RED_MIN_DUE and u.late == 0 and u.dissatisfied == 0]
    red.sort(
        key=lambda u: (
            u.satisfaction.percent is None,
            -(u.satisfaction.percent or 0),
            -u.due,
            u.name,
        )
    )
    black = [u for u in units if u.late > 0 or u.dissatisfied > 0]
    black.sort(key=lambda u: (-u.late, -u.dissatisfied, u.on_time.percent or 0, u.name))
    return {"month": start, "red": red[:LIST_SIZE], "black": black[:LIST_SIZE]}


def pending_list(wishes: QuerySet[Wish], *, start, end) -> QuerySet[Wish]:
    """Each pending wish with its responsible unit and deadline."""
    return (
        wishes.filter(received_on__range=(start, end), state__in=OPEN_STATES)
        .select_related("handler", "category", "town", "village")
        .order_by("due", "received_on")
    )


def group_intake(*, start, end) -> QuerySet[Group]:
    """Every group with the number of wishes that came through its link in the period: the
    silent groups show 0."""
    return (
        Group.objects.select_related("village__town")
        .annotate(
            intake=Count(
                "wish",
                filter=Q(wish__received_on__range=(start, end), wish__channel=Channel.LINK),
            )
        )
        .order_by("intake", "village__town__name", "village__name", "name")
    )


def whistles_visible_to(user, visible_wishes: QuerySet[Wish]) -> QuerySet:
    """The whistles of the wishes the reader sees, and those summoning the reader's unit."""
    from .models import Whistle

    whistles = Whistle.objects.select_related("town", "department")
    if reads_all_wishes(user):
        return whistles.all()
    unit_ids = user_scope(user).unit_ids
    return whistles.filter(
        Q(wishes__in=visible_wishes)
        | Q(department_id__in=unit_ids)
        | Q(town__office_id__in=unit_ids)
    ).distinct()


def whistle_league(*, start, end) -> dict:
    """Per town: whistles blown and wishes collected (the whistle rate); per department: the
    whistles answered, reported on time, and the days to report and to solve."""
    from .models import Whistle

    whistles = list(
        Whistle.objects.filter(blown_on__range=(start, end)).select_related("town", "department")
    )
    collected = dict(
        Wish.objects.filter(received_on__range=(start, end))
        .exclude(state=State.MERGED)
        .values_list("town__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    towns: dict[str, int] = {}
    departments: dict[str, dict] = {}
    for w in whistles:
        towns[w.town.name] = towns.get(w.town.name, 0) + 1
        d = departments.setdefault(
            w.department.name,
            {
                "name": w.department.name,
                "whistles": 0,
                "on_time": 0,
                "report_days": [],
                "solve_days": [],
            },
        )
        d["whistles"] += 1
        if w.reported_on:
            d["report_days"].append((w.reported_on - w.blown_on).days)
            if w.reported_on <= w.report_due:
                d["on_time"] += 1
        if w.solved_on:
            d["solve_days"].append((w.solved_on - w.blown_on).days)
    for d in departments.values():
        d["on_time_rate"] = Rate(d["on_time"], d["whistles"])
        d["report_avg"] = _avg(d.pop("report_days"))
        d["solve_avg"] = _avg(d.pop("solve_days"))
    return {
        "towns": [
            {"name": name, "whistles": n, "rate": Rate(n, collected.get(name, 0))}
            for name, n in sorted(towns.items())
        ],
        "departments": sorted(
            departments.values(), key=lambda d: (-(d["on_time_rate"].percent or 0), d["name"])
        ),
    }


def _avg(values: list[int]):
    return round(sum(values) / len(values), 1) if values else None


# --- reminders (written by notifications.wish_reminders, on the daily beat) ---------------------


def unsigned_late(day: datetime.date) -> QuerySet[Wish]:
    """Dispatched wishes nobody signed for within their working day (sign_due passed)."""
    return Wish.objects.filter(state=State.DISPATCHED, sign_due__lt=day).select_related(
        "handler", "town"
    )


def due_soon(day: datetime.date, horizon: datetime.date) -> QuerySet[Wish]:
    """Wishes being handled (or awaiting sign-in) whose deadline in force comes after `day` and
    by `horizon` (one working day ahead)."""
    return Wish.objects.filter(
        state__in=(State.DISPATCHED, State.HANDLING), due__gt=day, due__lte=horizon
    ).select_related("handler", "town")


def overdue_assigned(day: datetime.date) -> QuerySet[Wish]:
    """Open wishes past dispatch whose deadline in force has passed (an approved extension
    moved `due`)."""
    return Wish.objects.filter(state__in=ASSIGNED_STATES, due__lt=day).select_related(
        "handler", "town"
    )


def visits_due(day: datetime.date) -> QuerySet[Wish]:
    """Resolved wishes whose return visit is due (the next working day after 办结) or late."""
    return Wish.objects.filter(state=State.RESOLVED, visit_due__lte=day).select_related("town")


# --- the county dashboard's tile and the roll-up report ------------------------------------------


def dashboard_tile(*, day: datetime.date | None = None) -> dict:
    """The county dashboard's tile of the micro-wishes (a county running the mechanism): this
    year's figures and the committee's sentence. One aggregate query."""
    day = day or today()
    start = datetime.date(day.year, 1, 1)
    county = county_in_scope()
    # a county reader's tile: the one county's figures in one hand-written statement
    result = (
        county_figures_sql(county, start=start, end=day, day=day)
        if isinstance(county, int)
        else figures(Wish.objects.all(), start=start, end=day, day=day)
    )
    return {"f": result, "sentence": narrative(result, year=day.year), "year": day.year}


def _pair(rate: Rate) -> list[int]:
    return [rate.numerator, rate.denominator]


def report_figures(
    *, county, start: datetime.date, end: datetime.date, day: datetime.date, label: str
) -> dict:
    """The micro-wishes' part of a county's roll-up report (reports.figures), JSON-safe: the
    figures of the wishes received in the period, each rate as [numerator, denominator], the
    towns' rows and the committee's sentence (`label` names the period: 2026年第四季度)."""
    wishes = Wish.objects.filter(county=county) if county is not None else Wish.objects.all()
    result = figures(wishes, start=start, end=end, day=day)
    return {
        "collected": result.collected,
        "by_channel": {str(k): v for k, v in result.by_channel.items()},
        "resolved": result.resolved,
        "pending": result.pending,
        "overdue": result.overdue,
        "resolution": _pair(result.resolution),
        "on_time_sign": _pair(result.on_time_sign),
        "returned": _pair(result.returned),
        "redone": _pair(result.redone),
        "satisfaction": _pair(result.satisfaction),
        "by_town": [
            [r["name"], r["collected"], r["resolved"], r["pending"], r["overdue"]]
            for r in breakdown(wishes, "town__name", start=start, end=end, day=day)
        ],
        "sentence": narrative(result, label=label),
    }


def headline_rows_by_county(
    *, county_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[str, QuerySet]:
    """The counts `headlines_by_county` gives, as a grouped aggregate per county (for
    `grouped_aggregates`; the city dashboard runs it within its one statement): the wishes
    `counted` in `start` … `end`, those resolved, those whose return visit was evaluated and
    those satisfied."""
    rows = counted(Wish.objects.filter(county_id__in=county_ids), start=start, end=end)
    return {
        "wishes": rows.values("county_id").annotate(
            collected=Count("pk"),
            resolved=Count("pk", filter=RESOLVED),
            evaluated=Count("pk", filter=Q(satisfaction__in=EVALUATED)),
            satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        )
    }
