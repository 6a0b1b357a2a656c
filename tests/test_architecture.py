"""The shape of the code (docs/adr/0008-core-and-registry.md): apps plug into a small core, no app
imports one above it, and no import hides inside a function to dodge a cycle between apps."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "cases",
    "meetings",
    "supervision",
    "courts",
    "transfers",
    "mappa",
    "alerts",
    "dashboards",
    "records",
    "retention",
    "accounts",
    "outcomes",
    "kpis",
    "onboarding",
    "demo",
]

# What each app may import (besides itself): the layers, bottom first.
ALLOWED = {
    "core": set(),
    "cases": {"core"},
    "meetings": {"core", "cases"},
    "supervision": {"core", "cases", "meetings"},
    "courts": {"core", "cases"},
    "mappa": {"core", "cases", "meetings"},
    "transfers": {"core", "cases", "mappa"},
    "alerts": {"core", "cases", "meetings", "supervision"},
    "dashboards": {"core", "cases", "meetings", "supervision", "mappa"},
    # Subject access exports (issue 19): reads the record through core.registry; the users are cases'.
    "records": {"core", "cases"},
    # Retention and erasure (issue 19): the top; it reaches the apps below through core.registry only.
    "retention": {"core", "cases"},
    # Staff sign-in (ADR 0011): the users and their roles are the case work's (ADR 0001).
    "accounts": {"core", "cases"},
    # The YJB KPIs (issue 21): their facts read the child's record; the figures read the facts.
    "outcomes": {"core", "cases"},
    "kpis": {"core", "cases", "outcomes"},
    # The service import (issue 22, ADR 0021): writes the records of the apps below; nothing imports it.
    "onboarding": {
        "core",
        "cases",
        "meetings",
        "supervision",
        "mappa",
        "accounts",
        "transfers",
        "courts",
        "outcomes",
    },
    "demo": set(APPS) - {"demo"},
}


def _modules():
    """Every source module of the apps (migrations excluded: they name models, not code)."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def _imported_app(node) -> str | None:
    """The app an absolute import names, if it is one of ours."""
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module:
            return None
        name = node.module
    else:
        name = node.names[0].name
    top = name.split(".")[0]
    return top if top in APPS else None


def import_graph() -> tuple[dict[str, set[str]], list[str]]:
    """App -> the apps it imports, and every import of another app placed inside a function."""
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    hidden = []
    for app, path in _modules():
        tree = ast.parse(path.read_text())
        in_functions = set()
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_functions.update(
                    id(n) for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))
                )
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                target = _imported_app(node)
                if target and target != app:
                    graph[app].add(target)
                    if id(node) in in_functions:
                        hidden.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    return graph, hidden


def _cycle(graph) -> list[str] | None:
    """One cycle of the graph, if there is one (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_app_import_graph_has_no_cycle():
    """Built from the source: a cycle between apps fails, naming it."""
    graph, _ = import_graph()
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_no_app_imports_one_above_it():
    """core imports no app; cases only core; each domain app only the layers below it."""
    graph, _ = import_graph()
    upward = {app: sorted(targets - ALLOWED[app]) for app, targets in graph.items() if targets - ALLOWED[app]}
    assert upward == {}


def test_no_import_between_apps_hides_in_a_function():
    """A function-level import of another app would hide a dependency (or a cycle) from the graph."""
    _, hidden = import_graph()
    assert hidden == []


def test_the_cycle_finder_finds_a_cycle():
    """The check itself: a graph with a cycle is caught, one without is not."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
