"""Small helpers shared by the API blueprints: JSON input and error replies."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, jsonify, make_response, request

from evote.record.jsonio import nesting_depth


def fail(status: int, error: str, message: str) -> NoReturn:
    """Abort the request with ``{"error": error, "message": message}`` and ``status``."""
    abort(make_response(jsonify({"error": error, "message": message}), status))


MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a request body may have.  The deepest body evote
reads (a ballot, a decryption share) nests about ten levels; the limit keeps every later
recursive walk (validation, serialisation) far from Python's recursion limit."""


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with it.

    Every JSON endpoint reads its body here, so a body nested a thousand levels deep is a
    ``400 malformed_json`` everywhere: the parser's ``RecursionError`` is not a ``ValueError``,
    and Flask's ``silent=True`` would let it through as a 500.
    """
    if not request.is_json:
        fail(415, "json_required", "Send a JSON object with Content-Type: application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        fail(400, "malformed_json", _too_deep())
    if data is None:
        fail(400, "malformed_json", "The body is not valid UTF-8 JSON.")
    if not isinstance(data, dict):
        fail(400, "malformed_json", "The body is not a JSON object.")
    if nesting_depth(data) > MAX_JSON_DEPTH:
        fail(400, "malformed_json", _too_deep())
    return data


def _too_deep() -> str:
    return f"The JSON nests deeper than {MAX_JSON_DEPTH} levels; no evote request needs that."


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
