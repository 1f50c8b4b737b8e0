"""Small helpers shared by the API blueprints: JSON input and error replies."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, jsonify, make_response, request


def fail(status: int, error: str, message: str) -> NoReturn:
    """Abort the request with ``{"error": error, "message": message}`` and ``status``."""
    abort(make_response(jsonify({"error": error, "message": message}), status))


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with it."""
    if not request.is_json:
        fail(415, "json_required", "Send a JSON object with Content-Type: application/json.")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        fail(400, "malformed_json", "The body is not a JSON object.")
    return data


def field(data: dict[str, Any], name: str, kind: type, *, required: bool = True) -> Any:
    """One typed field of a JSON object, or a 400 naming it."""
    if name not in data:
        if required:
            fail(400, "missing_field", f"Field {name!r} is required.")
        return None
    value = data[name]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        fail(400, "bad_field", f"Field {name!r} must be of type {kind.__name__}.")
    return value
