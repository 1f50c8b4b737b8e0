"""The OpenAPI document served at ``/api/openapi.json``, assembled from one file per area.

Why fragments: each area's owner documents their endpoints next to nobody else's, in
``src/evote/webapp/openapi/<area>.json`` holding ``{"paths": {...}, "components": {"schemas": {...}}}``.
``build_document`` merges them under the common header below and refuses duplicates, and a test
checks that every ``/api`` route of the app is documented and every documented path exists.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from evote.webapp.csrf import HEADER

_HEADER: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "evote convention server",
        "version": "1",
        "description": (
            "JSON API of the evote convention server. Authentication is a session cookie set by "
            "POST /api/auth/login. Every request other than GET/HEAD/OPTIONS must carry the "
            f"session's CSRF token in the {HEADER} header (get it from GET /api/csrf, the login "
            "response or GET /api/me). Errors are JSON objects with a stable `error` code and a "
            "human `message`. Permission refusals use the codes login_required (401), forbidden, "
            "not_checked_in and no_voting_right (403); see docs/permissions.md. A CSRF token "
            "sent without its session cookie over plain http, while the cookie is Secure, is "
            "403 insecure_transport (docs/deployment.md); other CSRF refusals are 403 "
            "csrf_failed."
        ),
    },
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "evote_session"},
            "csrf": {"type": "apiKey", "in": "header", "name": HEADER},
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {
                    "error": {"type": "string", "description": "stable machine-readable code"},
                    "message": {"type": "string", "description": "for humans"},
                },
            }
        },
    },
}


def fragments() -> dict[str, dict[str, Any]]:
    """Every ``<area>.json`` in this package, by file name."""
    found: dict[str, dict[str, Any]] = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            found[entry.name] = json.loads(entry.read_text(encoding="utf-8"))
    return found


def build_document() -> dict[str, Any]:
    """The merged document. Raises ``ValueError`` if two fragments define the same thing."""
    doc: dict[str, Any] = json.loads(json.dumps(_HEADER))
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = doc["components"]["schemas"]
    for name, fragment in fragments().items():
        for path, operations in fragment.get("paths", {}).items():
            target = paths.setdefault(path, {})
            for method, operation in operations.items():
                if method in target:
                    raise ValueError(f"{name}: {method.upper()} {path} is documented twice")
                target[method] = operation
        for schema_name, schema in fragment.get("components", {}).get("schemas", {}).items():
            if schema_name in schemas:
                raise ValueError(f"{name}: schema {schema_name} is defined twice")
            schemas[schema_name] = schema
    doc["paths"] = dict(sorted(paths.items()))
    return doc
