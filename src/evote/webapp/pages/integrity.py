"""Subresource Integrity for the pages' scripts and styles, and the list the record publishes.

Every page names its stylesheet and its module with ``integrity="sha384-…"``, and each module
its entry module imports statically with ``<link rel="modulepreload" integrity="sha384-…">``.
The browser always refuses an entry module or stylesheet that differs; a preloaded import is
checked, but Chromium forgets a failed preload and a later import fetches the file again
(docs/web.md), so the preloads catch accidents and state the hashes rather than guarantee them.
There is no import map (the one way to pin every import) because the pages run no inline script.

What a page cannot pin this way is listed instead (docs/web.md, "Subresource Integrity"): the
Web Worker (``new Worker`` takes no integrity) with its modules, and modules imported
dynamically. So the record carries the hash of *every* served file (``evote/scripts.json``),
and anyone can compare them with a build from the tagged source.

The files are the ones :mod:`evote.webapp.pages.assets` serves: ``web/js/**.js`` at ``/js/``,
``web/css/**.css`` at ``/css/``, and the npm file mapped to ``/js/vendor/``. Hashes are cached
per file by size and modification time, so a page render reads no file it has hashed before
(the static import graph is read each time: a handful of small files).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from pathlib import Path

from evote.record.scripts import ScriptFile, ScriptsInfo
from evote.webapp.pages.assets import VENDOR, web_root

_STATIC_IMPORT = re.compile(r'^(?:import|export)\s[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"', re.M)
_digests: dict[tuple[str, int, int], tuple[str, str]] = {}


def served_files(root: Path) -> dict[str, Path]:
    """URL path → file, for every script and stylesheet the server serves from ``root``."""
    files: dict[str, Path] = {}
    for folder, suffix in (("js", ".js"), ("css", ".css")):
        base = root / folder
        for path in sorted(base.rglob(f"*{suffix}")) if base.is_dir() else []:
            if path.is_file():
                files[f"/{folder}/{path.relative_to(base).as_posix()}"] = path
    for name, parts in VENDOR.items():
        path = root.joinpath(*parts)
        if path.is_file():
            files[f"/js/vendor/{name}"] = path
    return dict(sorted(files.items()))


def _digest(path: Path) -> tuple[str, str]:
    """(SHA-256 hex, SRI sha384 value) of a file, cached by path, size and mtime."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        data = path.read_bytes()
        sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
        _digests[key] = (hashlib.sha256(data).hexdigest(), sri)
    return _digests[key]


def integrity(url: str, root: Path | None = None) -> str:
    """The ``integrity`` value of a served file; KeyError if the server does not serve it."""
    return _digest(served_files(root or web_root())[url])[1]


def page_assets(stylesheet: str, module: str, root: Path | None = None) -> dict[str, object]:
    """What a page's head needs: its stylesheet and module with their integrity values, and the
    module's static imports as (url, integrity) pairs to preload."""
    base = root or web_root()
    files = served_files(base)
    return {
        "stylesheet": (stylesheet, _digest(files[stylesheet])[1]),
        "module": (module, _digest(files[module])[1]),
        "preloads": [(url, _digest(files[url])[1]) for url in static_graph(module, base, files)],
    }


def static_graph(url: str, root: Path | None = None, files: dict[str, Path] | None = None) -> list[str]:
    """The modules ``url`` imports statically, directly or not, in first-seen order (not itself).

    Only statements at the start of a line count, so an example in a comment is not an import.
    """
    files = files if files is not None else served_files(root or web_root())
    seen: list[str] = []
    todo = [url]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        text = files[current].read_text(encoding="utf-8")
        for spec in (a or b for a, b in _STATIC_IMPORT.findall(text)):
            target = spec if spec.startswith("/") else posixpath.join(posixpath.dirname(current), spec)
            target = posixpath.normpath(target)
            if target not in files:
                raise KeyError(f"{current} imports {spec}, which the server does not serve")
            todo.append(target)
    return seen[1:]


def scripts_info(root: Path | None = None) -> ScriptsInfo:
    """Every served file with its hashes and its place in the source tree, for the record."""
    base = root or web_root()
    out = []
    for url, path in served_files(base).items():
        sha256, sri = _digest(path)
        out.append(ScriptFile(path=url, source="web/" + path.relative_to(base).as_posix(), sha256=sha256, integrity=sri))
    return ScriptsInfo(files=tuple(out))
