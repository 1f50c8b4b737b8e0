"""Subresource Integrity on the served pages: every script and stylesheet a page names carries
the sha384 of exactly the bytes the server sends for it, the entry module's whole static import
graph is pinned through modulepreload, and no page has an inline script (the site's CSP allows
none). The record's list of served files is checked in tests/server/votes/test_whole_vote.py."""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from server_helpers import Api

from evote.record.scripts import ScriptsInfo
from evote.rules.roles import Role
from evote.webapp.pages.integrity import scripts_info, served_files, static_graph

WEB = Path(__file__).parents[3] / "web"
TAG = re.compile(r"<(script|link)\b([^>]*)>")
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def sri(body: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()


def own_static_graph(url: str) -> set[str]:
    """The entry's static imports, found here without the server's code."""
    found: set[str] = set()
    todo = [url]
    while todo:
        current = todo.pop()
        text = (WEB / current.lstrip("/")).read_text()
        for spec in re.findall(r'^import\s(?:[^;]*?from\s+)?"([^"]+)";', text, re.M):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(current), spec))
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


@pytest.mark.parametrize(
    ("path", "role"),
    [("/vote", Role.DELEGATE), ("/presidium", Role.PRESIDIUM), ("/projector", Role.DELEGATE),
     ("/verify", None), ("/votes/1/board", None), ("/speakers", Role.PRESIDIUM),
     ("/technik", Role.TECHNICIAN), ("/studio", Role.TECHNICIAN)],
)
def test_every_script_and_style_is_pinned_to_what_the_server_sends(
    path: str, role: Role | None, api: Api, logged_in: Callable[..., Api]
) -> None:
    browser = logged_in(role) if role else api
    html = browser.get(path).get_data(as_text=True)
    tags = [(name, dict(ATTR.findall(attrs))) for name, attrs in TAG.findall(html)]
    scripts = [a for name, a in tags if name == "script" and a.get("type") == "module"]
    styles = [a for name, a in tags if name == "link" and a.get("rel") == "stylesheet"]
    preloads = [a for name, a in tags if name == "link" and a.get("rel") == "modulepreload"]
    assert len(scripts) == 1 and len(styles) == 1
    for attrs in [*scripts, *styles, *preloads]:
        url = attrs.get("src") or attrs["href"]
        served = api.get(url)
        assert served.status_code == 200, url
        assert attrs.get("integrity") == sri(served.data), url
    # The whole static graph of the entry module is preloaded, and nothing else.
    entry = scripts[0]["src"]
    assert {a["href"] for a in preloads} == own_static_graph(entry)
    # No inline script runs: the only script without src is the page's JSON data.
    inline = [a for name, a in tags if name == "script" and "src" not in a]
    assert [a.get("type") for a in inline] == ["application/json"]
    assert "on" not in {k[:2] for _, a in tags for k in a}  # no inline event handlers either


def test_the_verifier_page_pins_its_crypto_modules(api: Api) -> None:
    html = api.get("/verify").get_data(as_text=True)
    for module in ("/js/crypto/challenge_check.js", "/js/crypto/ballot.js", "/js/crypto/hash.js"):
        assert f'<link rel="modulepreload" href="{module}" integrity="sha384-' in html


def test_a_changed_file_gets_a_new_integrity_value(tmp_path: Path) -> None:
    root = tmp_path / "web"
    (root / "js" / "pages").mkdir(parents=True)
    (root / "css").mkdir()
    (root / "css" / "evote.css").write_text("body{}")
    (root / "js" / "pages" / "a.js").write_text('import { b } from "./b.js";\nexport const a = b;\n')
    (root / "js" / "pages" / "b.js").write_text("// import { x } from \"./nowhere.js\";\nexport const b = 1;\n")
    assert static_graph("/js/pages/a.js", root) == ["/js/pages/b.js"]  # the comment is no import
    before = {f.path: f for f in scripts_info(root).files}
    (root / "js" / "pages" / "b.js").write_text("export const b = 2;\n")
    after = {f.path: f for f in scripts_info(root).files}
    assert before["/js/pages/b.js"].integrity != after["/js/pages/b.js"].integrity
    assert before["/js/pages/a.js"] == after["/js/pages/a.js"]
    assert after["/js/pages/b.js"].integrity == sri(b"export const b = 2;\n")
    assert after["/js/pages/b.js"].source == "web/js/pages/b.js"
    (root / "js" / "pages" / "a.js").write_text('import "./gone.js";\n')
    with pytest.raises(KeyError, match=r"gone\.js"):
        static_graph("/js/pages/a.js", root)


def test_the_list_covers_every_served_file() -> None:
    info = ScriptsInfo.from_json(scripts_info(WEB).to_json())
    paths = {f.path for f in info.files}
    assert paths == set(served_files(WEB))
    assert {"/js/worker.js", "/js/crypto/ballot.js", "/js/pages/delegate.js", "/css/evote.css"} <= paths
    assert not any("/test/" in p or "node_modules" in p for p in paths)
    for f in info.files:
        assert f.sha256 == hashlib.sha256((WEB.parent / f.source).read_bytes()).hexdigest()


def test_scripts_are_revalidated_not_cached_blindly(api: Api) -> None:
    """A cached old script would fail a new page's integrity check after a deployment."""
    first = api.get("/js/worker.js")
    assert first.headers["Cache-Control"] == "public, no-cache"
    etag = first.headers["ETag"]
    again = api.get("/js/worker.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
