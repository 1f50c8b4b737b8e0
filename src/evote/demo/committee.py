"""The credentials committee, played by the demo on this machine, and saying so.

In a convention the committee (Mandatsprüfungskommission) runs `evote-credentials` on its own
machine: it reads the roll the admin exported, makes one voting code per delegate, prints the
sealed letters, and hands the admin a signed file of public keys to upload (docs/credentials.md).
The demo does the same steps with the same code (the `evote-credentials` package, imported
here only), through the same API as the admin: export the roll, set the committee's key,
upload the signed batch.  So the demo's votes count only ballots signed with a code, as a real
convention's do, and its records carry `evote/credentials.json` for evote-verify V23.

What a real committee never does, and the output says: the codes are printed on the screen,
next to the passwords, by the process that also runs the server.  The letters are written as a
PDF into the instance folder so the QR codes can be tried with a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from evote.demo.convention import ApiClient, Login

ITERATIONS = 100_000
"""The committee tool's floor (a real committee uses 600,000): the demo's 5 letters in ~1 s."""
SLOTS = 30
"""Votes the demo can open with these letters (a real committee issues for the agenda)."""


class CommitteeToolMissing(RuntimeError):
    """The `evote-credentials` package is not installed next to evote."""


def require_committee_tool() -> None:
    """Fail early, before anything is set up, if the committee's tool is not installed."""
    try:
        import evote_credentials.committee  # noqa: F401  (imported to see that it imports)
    except ImportError:
        raise CommitteeToolMissing(
            "the demo plays the credentials committee with evote-credentials: "
            "pip install -e ./credentials (./dev demo does this)"
        ) from None


@dataclass(frozen=True)
class DemoCommittee:
    public_key: str
    codes: dict[str, str]
    """login name → the voting code on that delegate's letter."""
    letters_pdf: Path


def seat_committee(app: Flask, logins: list[Login], instance: Path) -> DemoCommittee:
    """Issue every voting delegate a code and upload the signed keys, as admin and committee."""
    # the committee's program is a package of its own, installed beside the server but never
    # needed to serve: imported only when the demo plays the committee
    from evote_credentials.committee import Committee
    from evote_credentials.letters import render_letters
    from evote_credentials.roll import DelegateRoll

    admin = ApiClient(app)
    admin.login(next(x for x in logins if x.seat.login_name == "admin"))
    roll = DelegateRoll.from_json(admin.get("/api/committee/roll"))
    committee = Committee.create(roll.event, roll.event_name, roll.public_url,
                                 iterations=ITERATIONS, slots=SLOTS)
    admin.send("PUT", "/api/committee/key", {"public_key": committee.public_key})
    upload, letters = committee.issue(roll)
    admin.post("/api/committee/batches", upload.to_json())
    by_name = {x.seat.name: x.seat.login_name for x in logins}
    codes = {by_name[letter.delegate.name]: letter.code for letter in letters}
    folder = instance / "committee"
    folder.mkdir(mode=0o700, exist_ok=True)
    pdf = folder / "letters.pdf"
    pdf.write_bytes(render_letters(letters))
    pdf.chmod(0o600)
    return DemoCommittee(committee.public_key, codes, pdf)
