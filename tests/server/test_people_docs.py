"""Documentation that cannot drift: docs/permissions.md and the OpenAPI document match the app."""

from __future__ import annotations

import re

from flask import Flask

from evote.cli.permissions_doc import DOC, render
from evote.webapp.openapi import build_document
from evote.webapp.permissions import ACTION_ATTRIBUTE


def test_permissions_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/permissions.md is stale: run `python -m evote.cli.permissions_doc`"
    )


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_is_documented_with_its_action(app: Flask) -> None:
    paths = build_document()["paths"]
    problems: list[str] = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        action = getattr(app.view_functions[rule.endpoint], ACTION_ATTRIBUTE, None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation = paths.get(_openapi_path(rule.rule), {}).get(method.lower())
            if operation is None:
                problems.append(f"{method} {rule.rule} is not in src/evote/webapp/openapi/*.json")
            elif operation.get("x-evote-action") != action:
                problems.append(
                    f"{method} {rule.rule}: documented action {operation.get('x-evote-action')}"
                    f" but the view requires {action}"
                )
    assert not problems, "\n".join(problems)


def test_every_documented_operation_exists(app: Flask) -> None:
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set())
    }
    documented = {
        (path, method) for path, ops in build_document()["paths"].items() for method in ops
    }
    assert documented - routes == set()


def test_openapi_is_served(api) -> None:  # type: ignore[no-untyped-def]
    resp = api.get("/api/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.")
    assert "/api/auth/login" in doc["paths"]
    assert "Participant" in doc["components"]["schemas"]


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_openapi_references_resolve_and_operations_answer() -> None:
    doc = build_document()
    schemas = doc["components"]["schemas"]
    dangling = {
        ref for ref in _refs(doc) if ref.removeprefix("#/components/schemas/") not in schemas
    }
    assert not dangling
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert operation.get("responses"), f"{method.upper()} {path} has no responses"
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
