"""Every place in a JSON document, and a copy changed at one of them: the fuzz tests' raw material.

Lists are walked through their first two items only: those stand for the rest.
"""

from __future__ import annotations

import copy
from typing import Any


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The key/index path of every value below `node` (not `node` itself)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(json_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node[:2]):
            out.extend(json_paths(v, (*prefix, i)))
    return out


def mangle(data: Any, path: tuple[Any, ...], value: Any, delete: bool = False) -> Any:
    """A deep copy of `data` with the value at `path` replaced by `value`, or its key deleted
    (`delete`, where the parent is an object; a list item is replaced instead)."""
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data
