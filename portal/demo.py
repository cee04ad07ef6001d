"""The demo county's orchestrator: `manage.py load_demo` calls `load_demo`, which calls each app's
`demo.load(*, ctx: DemoContext)` (the shape is described in `core/demo.py`) in the order of
`LOADERS`, in one transaction, with one shared context.

The order follows the floors of docs/architecture.md: an app's demo comes after the demos of the
apps it builds on. A new mechanism's app (service teams, member education, micro-wishes) adds its
own `demo.py` with the same `load` and its module to `LOADERS`, after `zones` (and after any app
whose records it reads); `tests/portal/test_demo_loaders.py` fails until it does."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import demo as accounts_demo
from activities import demo as activities_demo
from core.demo import DEMO_PASSWORD, DemoContext
from counties import demo as counties_demo
from counties.scoping import county_scope, every_county
from education import demo as education_demo
from people import demo as people_demo
from supervision import demo as supervision_demo
from teams import demo as teams_demo
from wishes import demo as wishes_demo
from zones import demo as zones_demo
from zones.models import Unit, Zone
from zones.selectors import today

__all__ = ["DEMO_PASSWORD", "LOADERS", "demo_context", "load_demo"]

# Each app's demo, in the order they are loaded.
LOADERS = (
    accounts_demo,  # the administrators and the committee staff
    counties_demo,  # 安康市 and four counties, the city staff and the other counties' staff
    zones_demo,  # the county: zones, units, classes, leaders, secretaries, two years of moves
    people_demo,  # the member register: members, posts, 紫阳's cadre pool, 平利's members
    activities_demo,  # host rotation and joint activities
    supervision_demo,  # mutual checks, patrols, findings and rectification, class reviews
    wishes_demo,  # 岚皋县's micro-wishes: places, categories, a year of wishes, a whistle, claims
    education_demo,  # 平利县's six classrooms: sessions, attendance, 第一议题, 双报到
    teams_demo,  # 紫阳县's service teams: visits, findings, matters, next year's rotation
)


def demo_context() -> DemoContext:
    """Two years of history: the zones were drawn on 1 January of last year."""
    day = today()
    return DemoContext(start=datetime.date(day.year - 1, 1, 1), today=day)


@transaction.atomic
def load_demo() -> dict[str, int] | None:
    """Build the demo county on an empty database and return counts of what was created; on a
    database that already holds zones, change nothing and return None."""
    with every_county():
        if Zone.objects.exists():
            return None
    ctx = demo_context()
    for loader in LOADERS:
        # Each loader works in the demo county (石泉县) once the counties loader made it.
        with county_scope(ctx.county) if ctx.county is not None else every_county():
            loader.load(ctx=ctx)
    with every_county():
        zones, units = Zone.objects.count(), Unit.objects.count()
    return {
        "zones": zones,
        "units": units,
        "users": get_user_model().objects.count(),
    }
