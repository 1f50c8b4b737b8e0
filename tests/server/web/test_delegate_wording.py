"""German wording as a party writes it (issue 12, item 7): majorities named, the public list of
ballots, a role's own text for staff who never vote, a confirmation after logout."""

from __future__ import annotations

import re
from collections.abc import Callable

from server_helpers import Api

from evote.rules.roles import Role
from evote.webapp.pages import i18n

HTML = {"Accept": "text/html,application/xhtml+xml"}
DE = i18n.MESSAGES["de"]


def test_the_majorities_are_named_as_a_party_says_them() -> None:
    assert DE["projector.majority.simple"] == "Einfache Mehrheit erreicht"
    assert DE["projector.no_majority.two_thirds"] == "Zweidrittelmehrheit nicht erreicht"
    assert DE["projector.majority.absolute"] == "Absolute Mehrheit erreicht"


def test_no_page_speaks_of_an_anschlagtafel_or_of_a_wahl_for_a_motion() -> None:
    assert DE["board.title"] == "Öffentliche Liste der Stimmzettel"
    assert not [k for k, v in DE.items() if "Anschlagtafel" in v or " Tafel" in v]
    assert "Deiner Stimme" in DE["verify.ok"] and "dieser Wahl" not in DE["verify.ok"]


def _form_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_logout_is_confirmed_once(logged_in: Callable[..., Api]) -> None:
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    page = delegate.get("/vote", headers=HTML).get_data(as_text=True)
    done = delegate.client.post("/logout", data={"csrf_token": _form_token(page)}, headers=HTML,
                                follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.request.path == "/login" and 'id="login-done"' in text
    assert "Du bist abgemeldet." in text and 'id="login-notice"' not in text
    assert 'id="login-done"' not in delegate.get("/login", headers=HTML).get_data(as_text=True)


def _shown(browser: Api, path: str) -> str:
    """The page's HTML without its page data (which carries every text for the script)."""
    return browser.get(path, headers=HTML).get_data(as_text=True).split('id="page-data"')[0]


def test_staff_who_never_vote_read_a_text_for_their_role(logged_in: Callable[..., Api]) -> None:
    chair = logged_in(Role.PRESIDIUM, voting_right=False)
    page = chair.get("/vote", headers=HTML).get_data(as_text=True)
    assert '"staff":true' in page
    page = _shown(chair, "/vote")
    assert DE["checkin.staff"] in page and DE["checkin.needed"] not in page
    support = logged_in(Role.SUPPORT)
    page = _shown(support, "/vote")
    assert re.search(r'<section id="checkin"[^>]* hidden>', page)  # not in the hall: no check-in
    delegate = logged_in(Role.DELEGATE, checked_in=False)
    assert '"staff":false' in delegate.get("/vote", headers=HTML).get_data(as_text=True)
    assert DE["checkin.needed"] in _shown(delegate, "/vote")
    chair_in = logged_in(Role.PRESIDIUM, voting_right=False, checked_in=True)
    assert DE["checkin.no_vote"] not in _shown(chair_in, "/vote")  # not "Du hast kein Stimmrecht" to the presidium
