"""The motion pages: numbered lines, amendments as inline diffs named as the hall names them,
the steps each reader may take, the motion's text never markup, and the public listing."""

from __future__ import annotations

import re
from collections.abc import Callable

from motion_helpers import TEXT, Cast, admitted, amendment, draft, ok
from server_helpers import Api

from evote.rules.roles import Role


def _page(browser: Api, path: str, status: int = 200) -> str:
    resp = browser.get(path)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    # without the page data (every text of the language, for the script)
    return resp.get_data(as_text=True).split('<script type="application/json"')[0]


def test_a_motion_reads_with_line_numbers_and_its_amendment_as_a_coloured_diff(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    amendment(cast.delegates[1], cast.committee, motion, 2, 3,
              "Der Parteitag fordert eine klimaneutrale Verwaltung bis 2030.\n"
              "Dazu werden alle Dienstgebäude saniert.")
    html = _page(cast.delegates[2], f"/motions/{motion['id']}")
    assert '<h1 id="motion-title"><span class="mlabel">A1</span> Klimaneutrale Verwaltung</h1>' in html
    # seven numbered lines, each a row with its number; emphasis kept as <strong>
    assert re.findall(r'<span class="no">(\d+)</span>', html)[:7] == [str(n) for n in range(1, 8)]
    assert "eine <strong>klimaneutrale</strong> Verwaltung" in html
    assert '<span class="mlabel">Ä1 zu A1, Zeile 2–3</span>' in html
    assert '<del><span class="sr-only">gestrichen: </span>2035<span class="sr-only"> Ende der' in html
    # the amendment drops the emphasis: its delimiters show struck, the rest as it reads
    plain = re.sub(r'<span class="sr-only">[^<]*</span>', "", html)
    assert ("fordert eine <del>**</del>klimaneutrale<del>**</del> Verwaltung bis "
            "<del>2035</del><ins>2030</ins>.") in plain
    assert '<ins><span class="sr-only">eingefügt: </span>2030<span class="sr-only"> Ende der' in html
    # a delegate gets the delegate's steps only
    assert "Änderungsantrag stellen" in html and "Zulassen" not in html
    assert "Schlussabstimmung" not in html
    english = _page(cast.delegates[2], f"/motions/{motion['id']}?lang=en")
    assert "Amendment 1 to A1" not in english and "Ä1 to A1, line 2–3" in english
    assert "Propose an amendment" in english


def test_the_committee_screens_and_the_presidium_opens_votes_from_the_page(cast: Cast) -> None:
    motion = draft(cast.delegates[0], cast.kinds["S"])
    ok(cast.delegates[0].post(f"/api/motions/{motion['id']}/submit"))
    html = _page(cast.committee, f"/motions/{motion['id']}")
    assert f'data-url="/api/motions/{motion["id"]}/screen"' in html
    assert "Zulassen" in html and "Nicht zulassen" in html
    # not published yet: another delegate does not find it
    assert cast.delegates[1].get(f"/motions/{motion['id']}").status_code == 404
    ok(cast.committee.post(f"/api/motions/{motion['id']}/screen", {"decision": "admit", "number": True}))
    html = _page(cast.presidium, f"/motions/{motion['id']}")
    assert "Schlussabstimmung über S1 öffnen" in html and "Auf die Tagesordnung setzen" in html
    assert "Zulassen" not in html
    listing = _page(cast.delegates[1], "/motions")
    assert f'href="/motions/{motion["id"]}"><span class="mlabel">S1</span> Klimaneutrale Verwaltung' in listing
    # an amendment's own address leads to it on its motion's page
    made = ok(cast.delegates[1].post(f"/api/motions/{motion['id']}/amendments",
                                     {"edited_text": TEXT.replace("2035", "2030")}), 201)
    assert (made["amendment"]["line_from"], made["amendment"]["line_to"]) == (2, 2)
    resp = cast.delegates[1].get(f"/motions/{made['id']}")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(
        f"/motions/{motion['id']}#a{made['id']}")


def test_html_and_scripts_in_a_motion_are_shown_as_text(cast: Cast) -> None:
    evil = '<script>alert("x")</script> <img src=x onerror=alert(1)> **fett** "&amp;"'
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"],
                      title='<b onmouseover="alert(2)">Titel</b>', text=evil)
    ok(cast.delegates[1].post(f"/api/motions/{motion['id']}/amendments",
                              {"edited_text": evil + " <iframe src=//evil>"}), 201)
    html = _page(cast.delegates[0], f"/motions/{motion['id']}")
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<strong>fett</strong>" in html
    assert "&amp;amp;" in html
    assert "&lt;b onmouseover=" in html
    # the page runs only its own module: no script element but the pinned ones and the data
    scripts = re.findall(r"<script[^>]*>", html)
    assert all('type="module"' in s or 'type="application/json"' in s for s in scripts), scripts


def test_the_public_listing_is_there_only_when_the_committee_allows_it(
    cast: Cast, new_api: Callable[[], Api],
) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["P"])
    draft(cast.delegates[1], cast.kinds["P"], title="Geheimer Entwurf")
    visitor = new_api()
    assert visitor.get("/public/bpt/motions").status_code == 404
    assert visitor.get("/public/no-such-event/motions").status_code == 404
    assert "Öffentliche Antragsliste einschalten" in _page(cast.committee, "/motions")
    ok(cast.committee.put("/api/motion-settings", {"public_listing": True}))
    html = _page(visitor, "/public/bpt/motions")
    assert f'id="m{motion["id"]}"' in html and "P1" in html and "Geheimer Entwurf" not in html
    assert re.findall(r'<span class="no">(\d+)</span>', html)[:7] == [str(n) for n in range(1, 8)]
    assert "Abmelden" not in html and "<script type=\"module\"" not in html


def test_the_start_page_and_the_console_lead_to_the_motions(
    logged_in: Callable[..., Api], cast: Cast,
) -> None:
    assert '<li><a href="/motions">Anträge</a>' in _page(logged_in(Role.DELEGATE), "/")
    assert '<a href="/motions">Anträge: Abstimmungen über Änderungsanträge' in _page(cast.presidium, "/presidium")
    # and every page's bar, the delegate page too
    assert '<a href="/motions">Anträge</a><span class="who">' in _page(cast.delegates[0], "/vote")
    # a delegate may write a motion; a guest delegate only reads
    assert "Neuer Antrag" in _page(cast.delegates[0], "/motions")
    assert "Neuer Antrag" not in _page(logged_in(Role.GUEST_DELEGATE), "/motions")
    assert logged_in(Role.DELEGATE).get("/motions/999999").status_code == 404


def test_a_group_draft_is_supported_from_the_page(cast: Cast) -> None:
    made = draft(cast.delegates[0], cast.kinds["A"], submitter="group", title="Gruppenantrag")
    html = _page(cast.delegates[1], f"/motions/{made['id']}")
    assert re.search(rf'data-url="/api/motions/{made["id"]}/support">\s*<button type="submit">Unterstützen<', html)
    # the author does not support their own; nobody else sees a draft's submit button
    own = _page(cast.delegates[0], f"/motions/{made['id']}")
    assert "Unterstützen</button>" not in own and "Einreichen</button>" in own
    assert "Einreichen</button>" not in html
    ok(cast.delegates[1].post(f"/api/motions/{made['id']}/support"))
    html = _page(cast.delegates[1], f"/motions/{made['id']}")
    assert 'data-method="DELETE"' in html and "Unterstützung zurückziehen" in html
    assert "Unterstützt von 1: " in html
    assert "Gruppenantrag" in _page(cast.delegates[2], "/motions")


def test_deadlines_and_history_read_in_the_conventions_time_zone(cast: Cast) -> None:
    ok(cast.committee.patch(f"/api/motion-kinds/{cast.kinds['A']['id']}",
                            {"deadline": "2026-12-01T17:00:00+00:00"}))
    listing = _page(cast.delegates[0], "/motions")
    assert "Antragsschluss: 01.12.2026 18:00" in listing  # Europe/Berlin, winter time
    motion = draft(cast.delegates[0], cast.kinds["P"])
    html = _page(cast.delegates[0], f"/motions/{motion['id']}")
    assert re.search(r'<time datetime="[^"]+">\d\d\.\d\d\.\d{4} \d\d:\d\d</time> Entwurf', html)


def test_the_presidium_puts_a_motion_on_an_agenda_item_from_the_page(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    ok(cast.presidium.post("/api/agenda", {"title": "TOP 5: Anträge"}), 201)
    html = _page(cast.presidium, f"/motions/{motion['id']}")
    assert 'name="agenda_item_id" data-type="int" data-optional>' in html
    item = re.search(r'<option value="(\d+)">TOP 5: Anträge</option>', html)
    assert item is not None
    ok(cast.presidium.post(f"/api/motions/{motion['id']}/agenda", {"agenda_item_id": int(item.group(1))}))
    html = _page(cast.delegates[1], f"/motions/{motion['id']}")
    assert "auf der Tagesordnung</span> · Sonstige Anträge · Tagesordnungspunkt: TOP 5: Anträge" in html
