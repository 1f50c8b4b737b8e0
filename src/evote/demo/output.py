"""What `evote demo` prints: where the demo runs, every login once, and what the guardians do.

The wording matters: the guardians' keys are made on this one machine, which a real convention
must never do, so the output says it plainly and says what happens instead.
"""

from __future__ import annotations

from pathlib import Path

from evote.demo.committee import DemoCommittee
from evote.demo.convention import DRAFT_MOTION, EVENT_NAME, QUORUM, Login
from evote.demo.guardians import LocalGuardian


def logins_table(logins: list[Login]) -> list[str]:
    width = max(len(x.seat.login_name) for x in logins)
    lines = []
    for x in logins:
        who = x.seat.name + (f" ({x.seat.delegation})" if x.seat.delegation else "")
        lines.append(f"  {x.seat.login_name:<{width}}  {x.password}  {who:<22} {x.seat.purpose}")
    return lines


def codes_table(committee: DemoCommittee) -> list[str]:
    width = max(len(name) for name in committee.codes)
    return [f"  {name:<{width}}  {code}" for name, code in sorted(committee.codes.items())]


def summary(
    url: str, instance: Path, logins: list[Login], vote_id: int,
    guardians: list[LocalGuardian], committee: DemoCommittee | None,
) -> str:
    present = [g.login_name for g in guardians[:QUORUM]]
    absent = [g.login_name for g in guardians[QUORUM:]]
    n = len(guardians)
    voters = sum(x.seat.voting_right for x in logins)
    quorate = voters // 2 + 1  # the demo event's quorum: more than half
    lines = [
        "",
        f"evote demo: {EVENT_NAME}, open for check-in, at {url}/",
        f"Instance folder (SQLite database, records, guardian states): {instance}",
        "",
        "Logins (passwords shown only now; the server keeps only Argon2id hashes):",
        *logins_table(logins),
        "",
        f"Key ceremony: complete, through the API; any {QUORUM} of the {n} guardians can decrypt.",
        f"  THE DEMO MADE ALL {n} GUARDIANS' KEYS ON THIS MACHINE. Their sealed state files:",
        *(f"    {g.state_file}" for g in guardians),
        "  Their passphrases exist only in this process. In a real convention each presidium",
        "  member runs `evote-guardian` on their own laptop, and no machine ever holds more",
        "  than one guardian's share of the key.",
        f"  When a vote closes, {' and '.join(present)} decrypt it automatically"
        + (f" ({', '.join(absent)} stays away:" if absent else ""),
        f"  {QUORUM} of {n} suffice), with no command to run."
        if absent else "  with no command to run.",
        "",
        "Voting codes (the credentials committee's sealed letters; a ballot counts only when",
        "signed with one; the delegate page asks for it once, and it never leaves the browser):",
        *(codes_table(committee) if committee else ["  (none: this demo has no committee)"]),
        "  THE DEMO PLAYED THE CREDENTIALS COMMITTEE ON THIS MACHINE and shows the codes here.",
        "  In a real convention the committee runs `evote-credentials` on its own computer,",
        "  prints one sealed letter per delegate and uploads only the signed public keys; no",
        "  server, admin or support ever sees a code (docs/credentials.md).",
        f"  The letters with their QR codes: {committee.letters_pdf if committee else '-'}",
        "",
        "Try it (one private window or browser profile per person):",
        f"  1. delegates: log in at {url}/login and check in; at least {quorate} of the",
        f"     {voters} for a quorum. The roll is taken when a vote opens: only delegates",
        "     checked in by then may vote in it.",
        f"  2. presidium: log in, open {url}/presidium and open vote {vote_id},",
        f'     "{DRAFT_MOTION}" (countdown 60 s)',
        f"  3. delegates: vote at {url}/vote (type the voting code once); the countdown",
        "     closes the vote on the server",
        "  4. presidium: once the guardians have decrypted, announce the result; the",
        f"     projector shows it: {url}/projector   bulletin board: {url}/votes/{vote_id}/board",
        f"  API: {url}/api/openapi.json   health: {url}/api/health",
    ]
    return "\n".join(lines)

