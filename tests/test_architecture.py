"""Apps depend one way (docs/architecture.md): each app imports only the apps below it, never
one above it nor a sibling it must not know. Read from the source with `ast`, so a lazy import
inside a function counts as much as one at the top of a module."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each app and the apps it may import. Siblings on one floor (activities and supervision;
# notifications and reports) do not know each other; `portal` (the dashboard and the pages
# across the organization) reads everything below it; the tooling (`config`, `bench`) may
# import any app and no app imports it. `core` imports no app at all: the accounts subsystem
# (whose pages record audit events) is `accounts`, above `audit`.
_SHARED = {"core"}
_RECORDS = _SHARED | {"audit"}
_ACCOUNTS = _RECORDS | {"accounts"}
_TENANCY = _ACCOUNTS | {"counties"}
_ORGANIZATION = _TENANCY | {"zones"}
# The member register (people) sits between the organization and the mechanisms, which count
# people (service teams, study hours, micro-wishes).
_REGISTER = _ORGANIZATION | {"people"}
_MECHANISM = _REGISTER | {"activities", "supervision", "wishes", "education"}
# The service teams (issue 18) reuse supervision's checklists, findings and rectification rather
# than writing them again, so they sit one floor above the mechanisms they build on.
_TEAMS = _MECHANISM | {"teams"}
_ACROSS = _TEAMS | {"notifications", "reports"}
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "audit": _SHARED,
    "accounts": _RECORDS,
    "counties": _ACCOUNTS,
    "zones": _TENANCY,
    "people": _ORGANIZATION,
    "activities": _REGISTER,
    "supervision": _REGISTER,
    # 六大课堂 member education (issue 19), beside activities and supervision
    "education": _REGISTER,
    "wishes": _REGISTER,  # citizens' micro-wishes, a mechanism beside activities and supervision
    "teams": _MECHANISM,
    "notifications": _TEAMS,
    "reports": _TEAMS,
    "portal": _ACROSS,
    "bench": _ACROSS | {"portal", "config"},
    "config": _ACROSS | {"portal"},
}
APPS = set(MAY_IMPORT)

# Tolerated violations, each named with why; none today. An entry whose import is gone fails
# `test_each_tolerated_exception_still_exists_so_it_is_removed_once_fixed`.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _imports() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) → the places, for every import between two apps."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    target = module.split(".")[0]
                    if target in APPS and target != app:
                        found[(app, target)].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_app_imports_only_the_apps_below_it():
    wrong = {
        f"{app} → {target}": places
        for (app, target), places in _imports().items()
        if target not in MAY_IMPORT[app] and (app, target) not in KNOWN_EXCEPTIONS
    }
    assert wrong == {}, "imports against the one-way dependencies (docs/architecture.md)"


def test_each_tolerated_exception_still_exists_so_it_is_removed_once_fixed():
    found = _imports()
    gone = [f"{app} → {target}" for app, target in KNOWN_EXCEPTIONS if not found.get((app, target))]
    assert gone == [], "fixed: delete these from KNOWN_EXCEPTIONS"


def test_core_imports_no_app_above_it():
    """Named for the import that was tolerated until the accounts moved out (issue 14): core's
    second-factor views recorded audit events."""
    assert MAY_IMPORT["core"] == set()
    assert ("core", "audit") not in KNOWN_EXCEPTIONS
    assert not _imports().get(("core", "audit")), "core imports audit: that code is accounts'"


def test_every_app_of_the_project_has_a_floor():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "locale", "static", "templates"}
    }
    assert packages <= APPS, f"give {sorted(packages - APPS)} a floor in MAY_IMPORT"
