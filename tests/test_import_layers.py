"""The house rules of ``src/evote``'s imports, checked on the source itself.

Every module's imports are read with :mod:`ast` (runtime imports only: those under
``if TYPE_CHECKING:`` are skipped, deferred imports inside functions count), mapped to evote
modules, and checked against the layers of ``docs/architecture.md``:

    crypto, record, rules  <  store  <  people, voting, guardianship, live, motions  <  webapp
                                                                                     <  cli, demo, simulation,
                                                                                        rehearsal

A package may import its own layer's packages and those below, never above. On top of that:
the pure core (crypto, record, rules) imports nothing but the standard library, gmpy2 and
each other; the domain never imports Flask's request-side objects; and the module graph has
no circle. The test functions at the bottom also run the rules against small made-up graphs,
so a rule that stopped catching its case would fail here too.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "evote"

LAYERS: dict[str, int] = {
    "crypto": 0,
    "record": 0,
    "rules": 0,
    "store": 1,
    "people": 2,
    "voting": 2,
    "guardianship": 2,
    "live": 2,
    "motions": 2,
    "eligibility": 2,
    "speakers": 2,
    "audit": 2,
    "minutes": 2,
    "webapp": 3,
    "cli": 4,
    "demo": 4,
    "simulation": 4,
    "rehearsal": 4,
}
"""Layer of each top-level package of ``evote``; a package imports only its layer and below."""

PURE = {"crypto", "record", "rules"}
PURE_THIRD_PARTY = {"gmpy2"}
"""What the pure core may import besides the standard library and itself."""

DOMAIN = {
    "people", "voting", "guardianship", "live", "motions", "eligibility", "speakers", "audit",
    "minutes",
}
FLASK_REQUEST_SIDE = {"request", "session", "g", "jsonify", "Blueprint", "make_response",
                      "redirect", "render_template", "abort", "url_for"}
"""Names of Flask the domain must not import: it may use the app context (config, the
session factory) through ``current_app``, but requests and responses are the web layer's."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(source: str, name: str, is_package: bool) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every runtime import in ``source``."""
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, []) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, child.module] if child.module else base)
                else:
                    target = child.module or ""
                found.append((target, [alias.name for alias in child.names]))
            visit(child)

    visit(ast.parse(source))
    return found


def read_graph(root: Path = SRC / PACKAGE) -> dict[str, list[tuple[str, list[str]]]]:
    graph: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(root.rglob("*.py")):
        if "versions" in path.parts or path.name == "gunicorn.conf.py":
            continue
        name = module_name(path)
        graph[name] = imports_of(path.read_text(), name, path.name == "__init__.py")
    return graph


def evote_edges(graph: Mapping[str, list[tuple[str, list[str]]]]) -> dict[str, set[str]]:
    """Module -> evote modules it imports (``from pkg import mod`` resolves to ``pkg.mod``)."""
    edges: dict[str, set[str]] = {}
    for module, imports in graph.items():
        targets: set[str] = set()
        for target, names in imports:
            if not (target == PACKAGE or target.startswith(PACKAGE + ".")):
                continue
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in graph]
            if submodules:
                targets.update(submodules)
            if target in graph and (not submodules or len(submodules) < len(names)):
                targets.add(target)
        targets.discard(module)
        edges[module] = targets
    return edges


def top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_violations(edges: Mapping[str, Iterable[str]]) -> list[str]:
    found = []
    for module, targets in edges.items():
        here = LAYERS.get(top(module))
        for target in targets:
            there = LAYERS.get(top(target))
            if here is None or there is None:
                continue
            if there > here:
                found.append(f"{module} (layer {here}) imports {target} (layer {there})")
    return found


def impure_imports(graph: Mapping[str, list[tuple[str, list[str]]]]) -> list[str]:
    found = []
    for module, imports in graph.items():
        if top(module) not in PURE:
            continue
        for target, _names in imports:
            root = target.split(".")[0]
            if root == PACKAGE:
                if top(target) not in PURE:
                    found.append(f"{module} imports {target}")
            elif root not in sys.stdlib_module_names and root not in PURE_THIRD_PARTY:
                found.append(f"{module} imports {target}")
    return found


def domain_web_imports(graph: Mapping[str, list[tuple[str, list[str]]]]) -> list[str]:
    found = []
    for module, imports in graph.items():
        if top(module) not in DOMAIN | PURE:
            continue
        for target, names in imports:
            if target == "flask" and FLASK_REQUEST_SIDE.intersection(names):
                found.append(f"{module} imports {sorted(FLASK_REQUEST_SIDE.intersection(names))} from flask")
            if target.startswith("werkzeug") or target.startswith("flask."):
                found.append(f"{module} imports {target}")
    return found


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)
    return found


# -- the rules on evote itself -------------------------------------------------------------


def test_every_top_level_package_has_a_layer() -> None:
    packages = {p.name for p in (SRC / PACKAGE).iterdir() if (p / "__init__.py").exists()}
    assert packages == set(LAYERS), "a new top-level package needs its layer in LAYERS and docs"
    loose = sorted(p.name for p in (SRC / PACKAGE).glob("*.py") if p.name != "__init__.py")
    assert loose == [], f"modules beside the packages: {loose}"


def test_no_package_imports_a_higher_layer() -> None:
    assert layer_violations(evote_edges(read_graph())) == []


def test_pure_core_imports_only_stdlib_and_gmpy2() -> None:
    assert impure_imports(read_graph()) == []


def test_domain_never_handles_requests() -> None:
    assert domain_web_imports(read_graph()) == []


def test_no_import_circle() -> None:
    assert cycles(evote_edges(read_graph())) == []


# -- the rules catch what they are for -------------------------------------------------------


def _graph(**modules: str) -> dict[str, list[tuple[str, list[str]]]]:
    return {
        name.replace("__", "."): imports_of(source, name.replace("__", "."), False)
        for name, source in modules.items()
    }


def test_circles_of_the_old_layout_are_caught() -> None:
    old = _graph(
        evote__auth="from evote.db import get_session\nfrom evote.models.people import P\n",
        evote__db="def f():\n    from evote import models\n",
        evote__models="from evote.models.people import P\n",
        evote__models__people="from evote.permissions import Role\n",
        evote__permissions="from evote.auth import current\nfrom evote.people.attendance import can_vote\n",
        evote__people__attendance="from evote.permissions import Role\n",
        evote__ballot_box="from evote.voting import ballot_crypto\nfrom evote.voting.lifecycle import close\n",
        evote__voting__ballot_crypto="def f():\n    from evote.ballot_box import Refused\n",
        evote__voting__lifecycle="from evote.voting import ballot_crypto\n",
        evote__crypto__fastexp="from evote.crypto.group import G\n",
        evote__crypto__group="def g():\n    from evote.crypto.fastexp import g_pow\n",
    )
    found = cycles(evote_edges(old))
    members = {m for c in found for m in c}
    assert {"evote.auth", "evote.permissions", "evote.models.people"} <= members
    assert {"evote.ballot_box", "evote.voting.ballot_crypto"} <= members
    assert {"evote.crypto.fastexp", "evote.crypto.group"} <= members


def test_type_checking_imports_are_not_runtime_edges() -> None:
    graph = _graph(
        evote__voting__a="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from evote.voting.b import B\n",
        evote__voting__b="from evote.voting.a import A\n",
    )
    assert cycles(evote_edges(graph)) == []


def test_layer_and_purity_rules_catch_their_case() -> None:
    graph = _graph(
        evote__voting__x="from evote.webapp.auth import current_participant\n",
        evote__crypto__y="import sqlalchemy\nfrom evote.store.db import get_session\n",
        evote__people__z="from flask import request, current_app\n",
        evote__webapp__auth="",
        evote__store__db="",
    )
    assert layer_violations(evote_edges(graph)) == [
        "evote.voting.x (layer 2) imports evote.webapp.auth (layer 3)",
        "evote.crypto.y (layer 0) imports evote.store.db (layer 1)",
    ]
    assert impure_imports(graph) == ["evote.crypto.y imports sqlalchemy", "evote.crypto.y imports evote.store.db"]
    assert domain_web_imports(graph) == ["evote.people.z imports ['request'] from flask"]
