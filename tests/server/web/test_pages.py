"""The web pages on the server side: rendering, language, permissions, static files, the stage
API (livestream, announce, challenged ballots) and the delegate page's weight budget."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from server_helpers import Api

from evote.rules.roles import Role
from evote.webapp.pages.i18n import MESSAGES
from evote.webapp.pages.stream import BadStreamUrl, check_url, embed

REPO = Path(__file__).parents[3]
WEB = REPO / "web"
TEMPLATES = REPO / "src" / "evote" / "webapp" / "templates" / "web"


def test_both_languages_have_every_text() -> None:
    assert set(MESSAGES["de"]) == set(MESSAGES["en"])
    assert all(MESSAGES["de"][k] and MESSAGES["en"][k] for k in MESSAGES["de"])


def test_every_text_the_pages_use_exists() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"t\['([\w.]+)'\]", template.read_text()))
    for script in (WEB / "js" / "pages").glob("*.js"):
        used |= set(re.findall(r"\bt\(\"([\w.]+)\"", script.read_text()))
    assert len(used) > 40
    missing = sorted(k for k in used if k not in MESSAGES["de"])
    assert not missing, missing


def test_delegate_page_is_german_by_default_and_english_on_request(
    logged_in: Callable[..., Api],
) -> None:
    delegate = logged_in(Role.DELEGATE)
    page = delegate.get("/vote")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="de">' in html and "Anwesenheit bestätigen" in html
    assert '<script type="module" src="/js/pages/delegate.js" integrity="sha384-' in html
    english = delegate.get("/vote?lang=en")
    assert "Check in" in english.get_data(as_text=True)
    assert "evote_lang=en" in english.headers["Set-Cookie"]
    # the cookie keeps the choice
    assert '<html lang="en">' in delegate.get("/vote").get_data(as_text=True)
    assert '<html lang="de">' in delegate.get("/vote?lang=xx&lang=de").get_data(as_text=True)


def test_checked_in_delegate_sees_no_checkin_button(logged_in: Callable[..., Api]) -> None:
    html = logged_in(Role.DELEGATE, checked_in=True).get("/vote").get_data(as_text=True)
    assert re.search(r'<section id="checkin"[^>]*hidden', html)
    assert '"checkedIn":true' in html and '"canVote":true' in html


def test_page_data_cannot_break_out_of_its_script(
    logged_in: Callable[..., Api],
) -> None:
    html = logged_in(Role.DELEGATE).get("/vote").get_data(as_text=True)
    data = html.split('id="page-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data


def test_pages_ask_for_login_and_the_right_role(
    api: Api, logged_in: Callable[..., Api]
) -> None:
    for path in ("/vote", "/presidium", "/projector"):
        resp = api.get(path, headers={"Accept": "text/html"})
        assert resp.status_code == 303
        assert resp.headers["Location"] == "/login?next=%2F" + path[1:]  # and back after login
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    assert delegate.get("/presidium").status_code == 403
    assert delegate.get("/projector").status_code == 200
    assert logged_in(Role.PRESIDIUM).get("/presidium").status_code == 200
    # the second device's verifier and the bulletin board need no login
    assert api.get("/verify").status_code == 200
    assert api.get("/votes/1/board").status_code == 200


def test_static_files_only_from_js_and_css(api: Api) -> None:
    script = api.get("/js/pages/delegate.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert script.headers["Cache-Control"] == "public, no-cache"  # see test_integrity.py
    assert api.get("/js/worker.js").mimetype == "text/javascript"
    assert api.get("/css/evote.css").mimetype == "text/css"
    for path in ("/js/../package.json", "/js/%2e%2e/package.json", "/js/test/helpers.js",
                 "/js/pages/../../test/serve.js", "/js/vendor/playwright-core", "/css/../package.json",
                 "/js/crypto/nope.js"):
        assert api.get(path).status_code == 404, path


@pytest.mark.skipif(not (WEB / "node_modules" / "uqr").exists(), reason="npm ci --prefix web not run")
def test_the_qr_encoder_is_served_from_its_npm_package(api: Api) -> None:
    resp = api.get("/js/vendor/uqr.mjs")
    assert resp.status_code == 200 and b"renderSVG" in resp.data


def test_livestream_urls() -> None:
    yt = embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10")
    assert yt is not None and yt.kind == "youtube"
    assert yt.src == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert embed("https://youtu.be/dQw4w9WgXcQ") == yt
    assert embed("https://www.youtube.com/live/dQw4w9WgXcQ") == yt
    hls = embed("https://cdn.example.org/hall/index.m3u8")
    assert hls is not None and hls.kind == "hls"
    other = embed("https://meet.example.org/room")
    assert other is not None and other.kind == "link"
    assert embed("") is None
    assert check_url("  ") == ""
    for bad in ("http://example.org/live.m3u8", "javascript:alert(1)", "https://", "ftp://x/y",
                "https://example.org/" + "a" * 500):
        with pytest.raises(BadStreamUrl):
            check_url(bad)


def test_presidium_sets_the_livestream_and_delegates_see_the_player(
    logged_in: Callable[..., Api],
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    delegate = logged_in(Role.DELEGATE)
    assert "Der Livestream ist noch nicht eingerichtet." in delegate.get("/vote").get_data(as_text=True)
    bad = presidium.put("/api/event/stage", {"livestream_url": "http://insecure.example.org/x"})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_livestream_url"
    assert delegate.get("/api/event/stage").get_json()["livestream_url"] == ""
    assert delegate.put("/api/event/stage", {"livestream_url": "https://x.org/a.m3u8"}).status_code == 403
    ok = presidium.put("/api/event/stage", {"livestream_url": "https://youtu.be/dQw4w9WgXcQ"})
    assert ok.status_code == 200
    assert delegate.get("/api/event/stage").get_json()["livestream_url"] == "https://youtu.be/dQw4w9WgXcQ"
    html = delegate.get("/vote").get_data(as_text=True)
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html


def test_page_weight_of_the_delegate_page(logged_in: Callable[..., Api], app: Flask) -> None:
    """What the delegate page loads before the ballot worker starts: the HTML, its stylesheet
    and the static import graph of its module (dynamic imports happen only once a vote opens).
    The browser test measures the same in Chromium; this one needs no browser."""
    html = logged_in(Role.DELEGATE).get("/vote").get_data()
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(rb'<script type="module" src="([^"]+)"', html)
    assert stylesheets == [b"/css/evote.css"] and scripts == [b"/js/pages/delegate.js"]
    total = len(html) + (WEB / "css" / "evote.css").stat().st_size
    seen: set[Path] = set()
    todo = [WEB / "js" / "pages" / "delegate.js"]
    static_import = re.compile(r'^import\s(?:[^;]*?from\s+)?"([^"]+)";', re.M)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        text = module.read_text()
        total += len(text.encode())
        todo += [(module.parent / target).resolve() for target in static_import.findall(text)]
    names = {p.name for p in seen}
    # the speakers' section; its self-test and call (tech_selftest.js, rtc.js) load on demand
    assert names == {"delegate.js", "common.js", "ballot_form.js", "ballot_client.js",
                     "speak.js", "speakers_view.js", "credential_prompt.js"}, names
    assert total < 200 * 1024, total
