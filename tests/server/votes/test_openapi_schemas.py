"""The OpenAPI document describes the ElectionGuard objects fully enough to build them from it.

An independent client (another ElectionGuard implementation) reads the schemas of the
submitted ballot, the manifest, the context and the receipt; each must list its properties,
and what the server really sends and accepts must conform.  A small validator for the subset
of JSON Schema the document uses stands in for a library (none is a dependency).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from vote_helpers import Stage, encrypt_for_vote

from evote.webapp.openapi import build_document

DOC = build_document()
SCHEMAS: dict[str, Any] = DOC["components"]["schemas"]
ELECTIONGUARD = ["SubmittedBallot", "Manifest", "ElectionContext", "Receipt", "EncryptionDevice"]
TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int,
}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**SCHEMAS[schema["$ref"].removeprefix("#/components/schemas/")], **extra}
    return schema


def _is(value: Any, kind: str) -> bool:
    if kind == "integer" and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[kind])


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (type, required, properties, items, oneOf, const,
    pattern, maxLength, minimum, additionalProperties), each naming its place."""
    schema = _resolve(schema)
    found: list[str] = []
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not problems(value, s, where)]
        if len(matches) != 1:
            found.append(f"{where}: matches {len(matches)} of oneOf")
    for part in schema.get("allOf", []):
        found += problems(value, part, where)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, k) for k in kinds):
            return [*found, f"{where}: {type(value).__name__} is not {kinds}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r:.40} is not {schema['const']!r}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: {value!r:.40} does not match {schema['pattern']}")
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{where}: longer than {schema['maxLength']}")
    if isinstance(value, int) and value < schema.get("minimum", value):
        found.append(f"{where}: below {schema['minimum']}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: missing {name}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                found += problems(item, properties[name], f"{where}.{name}")
            elif isinstance(extra, dict):
                found += problems(item, extra, f"{where}.{name}")
    return found


def _object_schemas(schema: Any, where: str, seen: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every schema reachable from `schema` whose only type is object."""
    if isinstance(schema, list):
        return [x for i, s in enumerate(schema) for x in _object_schemas(s, f"{where}[{i}]", seen)]
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        if name in seen:
            return []
        seen.add(name)
        return _object_schemas(SCHEMAS[name], name, seen)
    own = [(where, schema)] if schema.get("type") == "object" else []
    return own + [
        x for key, sub in schema.items() for x in _object_schemas(sub, f"{where}.{key}", seen)
    ]


@pytest.mark.parametrize("name", ELECTIONGUARD)
def test_electionguard_schemas_list_their_properties(name: str) -> None:
    """Not just "type: object" or required names: every object inside has its properties."""
    schema = SCHEMAS[name]
    assert schema.get("properties"), f"{name} has no properties"
    assert set(schema.get("required", [])) <= set(schema["properties"]), name
    for where, sub in _object_schemas({"$ref": f"#/components/schemas/{name}"}, name, set()):
        assert sub.get("properties") or isinstance(sub.get("additionalProperties"), dict), (
            f"{where} is an object without properties"
        )


def test_ballot_endpoints_and_vote_reads_use_the_full_schemas() -> None:
    paths = DOC["paths"]
    for endpoint in ("ballots", "spoiled-ballots"):
        op = paths[f"/api/votes/{{vote_id}}/{endpoint}"]["post"]
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/SubmittedBallot"}
        assert op["responses"]["201"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Receipt"
        }
    for what, name in (("manifest", "Manifest"), ("context", "ElectionContext")):
        op = paths[f"/api/votes/{{vote_id}}/{what}"]["get"]
        assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{name}"
        }


def test_open_takes_an_optional_body(stage: Stage) -> None:
    """Documented as optional, and really optional: opening without a body works."""
    op = DOC["paths"]["/api/votes/{vote_id}/open"]["post"]
    assert op["requestBody"].get("required", False) is False
    opened = stage.presidium.post(f"/api/votes/{stage.create()['id']}/open")
    assert opened.status_code == 200, opened.get_json()


def test_what_the_server_sends_and_takes_conforms(stage: Stage) -> None:
    vote = stage.open(stage.create(kind="election", title="Vorstand",
                                   candidates=["Ada", "Bert", "Cem"], seats=2)["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    assert problems(view, SCHEMAS["Vote"]) == []
    manifest = stage.delegates[0].get(f"/api/votes/{vote['id']}/manifest").get_json()
    context = stage.delegates[0].get(f"/api/votes/{vote['id']}/context").get_json()
    assert problems(manifest, SCHEMAS["Manifest"]) == []
    assert problems(context, SCHEMAS["ElectionContext"]) == []
    ballot = encrypt_for_vote(view, {"election": ["candidate-2"]}, "schema")
    assert problems(ballot, SCHEMAS["SubmittedBallot"]) == []
    resp = stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", ballot)
    assert resp.status_code == 201
    assert problems(resp.get_json(), SCHEMAS["Receipt"]) == []


def test_the_validator_sees_what_is_wrong(stage: Stage) -> None:
    """The conformance test above would pass vacuously if the validator accepted anything."""
    vote = stage.open(stage.create()["id"])
    ballot = encrypt_for_vote(stage.vote_for(stage.delegates[0], vote["id"]),
                              {"motion": ["yes"]}, "schema-bad")
    broken = copy.deepcopy(ballot)
    del broken["code_seed"]
    broken["timestamp"] = "now"
    broken["contests"][0]["ballot_selections"][0]["proof"]["challenge"] = "xyz"
    broken["contests"][0]["nonce"] = "0A"
    found = problems(broken, SCHEMAS["SubmittedBallot"])
    assert any("missing code_seed" in p for p in found)
    assert any(p.startswith("$.timestamp") for p in found)
    assert any("proof.challenge" in p for p in found)
    assert any(p.startswith("$.contests[0].nonce") for p in found)
