"""The public motion book keeps the public listing's promise (security review): no supporters'
names without login (docs/motions.md, "Public listing"); the delegates' own book has them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from motion_helpers import draft, ok
from pypdf import PdfReader
from server_helpers import Api

from evote.rules.roles import Role


def _text(resp: object) -> str:
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")  # type: ignore[attr-defined]
    reader = PdfReader(io.BytesIO(resp.data))  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_public_book_names_no_supporters(  # cast: conftest.Cast (not imported: a
    # conftest of another folder may be the module named conftest in a mixed run)
    cast: Any, logged_in: Callable[..., Api], new_api: Callable[[], Api],
) -> None:
    author = logged_in(Role.DELEGATE, name="Alma Antragstellerin")
    backer = logged_in(Role.DELEGATE, name="Zora Unterstuetzerin")
    motion = draft(author, cast.kinds["A"], submitter="group")
    ok(backer.post(f"/api/motions/{motion['id']}/support"))
    ok(author.post(f"/api/motions/{motion['id']}/submit"))
    ok(cast.committee.post(f"/api/motions/{motion['id']}/screen", {"decision": "admit", "number": True}))
    ok(cast.committee.put("/api/motion-settings", {"public_listing": True}))

    listing = new_api().get("/api/public/bpt/motions").get_data(as_text=True)
    assert "Zora Unterstuetzerin" not in listing  # the listing's promise
    public = _text(new_api().get("/public/bpt/book.pdf"))
    assert "A1: Klimaneutrale Verwaltung" in public
    assert "Zora Unterstuetzerin" not in public
    inside = _text(backer.get("/motions/book.pdf"))
    assert "Zora Unterstuetzerin" in inside
    # and again after the book was made for the delegates (the cache keeps them apart)
    assert "Zora Unterstuetzerin" not in _text(new_api().get("/public/bpt/book.pdf"))
