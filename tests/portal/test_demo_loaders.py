"""The demo county is built by one orchestrator (`portal/demo.py`) from each app's own `demo.py`,
all in one shape, so that a new mechanism's app adds its demo the same way (README, Demo
accounts; docs/architecture.md)."""

from __future__ import annotations

import datetime
import importlib
import inspect
from pathlib import Path

from core.demo import DemoContext
from portal import demo as orchestrator
from tests.test_architecture import MAY_IMPORT

ROOT = Path(__file__).resolve().parents[2]
ORCHESTRATOR_APP = "portal"


def apps_with_a_demo() -> set[str]:
    """Every app whose `demo.py` has a loader (core's holds only the shape, `DemoContext`)."""
    return {
        path.parent.name
        for path in ROOT.glob("*/demo.py")
        if "\ndef load(" in path.read_text(encoding="utf-8")
    } - {ORCHESTRATOR_APP}


def loader_apps() -> list[str]:
    return [module.__name__.split(".")[0] for module in orchestrator.LOADERS]


def test_the_orchestrator_loads_the_accounts_the_county_then_each_mechanism():
    assert loader_apps() == [
        "accounts",
        "counties",
        "zones",
        "people",
        "activities",
        "supervision",
        "wishes",
        "education",  # 六大课堂 (issue 19)
        "teams",  # a floor above the other mechanisms
    ]


def test_every_app_with_a_demo_is_loaded_by_the_orchestrator_once():
    assert sorted(loader_apps()) == sorted(apps_with_a_demo()), (
        "add the app's demo module to portal.demo.LOADERS"
    )


def test_every_app_demo_has_the_same_signature():
    for app in sorted(apps_with_a_demo()):
        load = importlib.import_module(f"{app}.demo").load
        signature = inspect.signature(load, eval_str=True)
        assert list(signature.parameters) == ["ctx"], app
        ctx = signature.parameters["ctx"]
        assert ctx.kind is inspect.Parameter.KEYWORD_ONLY, app
        assert ctx.annotation is DemoContext, app
        assert signature.return_annotation is None, app


def test_an_app_demo_comes_after_the_demos_of_the_apps_it_builds_on():
    order = loader_apps()
    for position, app in enumerate(order):
        later = set(order[position + 1 :])
        assert not MAY_IMPORT[app] & later, f"{app} loads before {MAY_IMPORT[app] & later}"


def test_load_demo_calls_each_app_loader_in_order_with_one_shared_context(
    db, monkeypatch, fixed_today
):
    fixed_today(datetime.date(2026, 3, 10))
    calls: list[tuple[str, DemoContext]] = []
    for module in orchestrator.LOADERS:
        name = module.__name__

        def record(*, ctx: DemoContext, name: str = name) -> None:
            calls.append((name, ctx))

        monkeypatch.setattr(module, "load", record)
    orchestrator.load_demo()
    assert [name for name, _ctx in calls] == [m.__name__ for m in orchestrator.LOADERS]
    contexts = {id(ctx) for _name, ctx in calls}
    assert len(contexts) == 1
    ctx = calls[0][1]
    assert ctx.today == datetime.date(2026, 3, 10)
    assert ctx.start == datetime.date(2025, 1, 1)  # two years of history


def test_load_demo_on_a_database_with_a_county_calls_no_loader(db, monkeypatch):
    from tests.factories import CountyFactory
    from zones.models import Zone

    Zone.objects.create(county=CountyFactory(), number=1, name="第一片区")
    calls = []
    for module in orchestrator.LOADERS:
        monkeypatch.setattr(module, "load", lambda *, ctx, m=module: calls.append(m))
    assert orchestrator.load_demo() is None
    assert calls == []
