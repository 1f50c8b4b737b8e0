"""JSON in and out of the record: strict parsing, the package's style, and evote's canonical form.

- Parsing refuses what JSON allows but a record must not contain: duplicate keys (two readers
  could each see a different value), NaN and infinities, bytes that are not UTF-8.
- electionguard files are written as the package writes them (`json.dumps` defaults): field
  names and values are what matter for conformance, and keeping the package's spacing makes
  an evote record diff cleanly against an `eg` one.
- evote's own files under `evote/` use a canonical encoding (docs/record.md, "Canonical
  encoding"), so their bytes, and any hash over them, are a function of their content alone.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import InvalidRecord


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise InvalidRecord(f"duplicate key {key!r:.40}")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise InvalidRecord(f"{name} is not a JSON number")


def parse_json(data: bytes, where: str) -> Any:
    """The document in `data`; raises `InvalidRecord` naming `where` for anything malformed."""
    try:
        text = data.decode("utf-8")
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except InvalidRecord as error:
        raise InvalidRecord(f"{where}: {error}") from None
    except (ValueError, RecursionError) as error:
        # ValueError covers bad UTF-8, bad JSON, and a number past Python's 4300-digit limit
        raise InvalidRecord(f"{where}: not valid UTF-8 JSON ({error!s:.200})") from None


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed document (a scalar is 0, ``[]`` is 1).

    Iterative, so it answers for any document the parser returned: a caller that refuses deep
    documents with this never recurses into them itself.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def package_json(document: Any) -> bytes:
    """A document as electionguard 1.4.0 writes it (`json.dump` with default separators)."""
    return json.dumps(document).encode("utf-8")


def _check_canonical(value: Any, where: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        raise InvalidRecord(f"{where}: evote record files hold no floating-point numbers")
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_canonical(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise InvalidRecord(f"{where}: keys must be ASCII strings, got {key!r:.40}")
            _check_canonical(item, f"{where}.{key}")
        return
    raise InvalidRecord(f"{where}: {type(value).__name__} is not a JSON value")


def canonical_json(document: Any, where: str = "document") -> bytes:
    """evote's canonical bytes: UTF-8, keys sorted, no spaces, integers only, no final newline.

    With ASCII keys and no floats this agrees with RFC 8785 (JCS): sorting by code point is
    then the same as JCS's sorting by UTF-16 unit, and integers have one spelling.
    """
    _check_canonical(document, where)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")
