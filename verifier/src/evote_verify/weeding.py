"""V25: no selection ciphertext (α, β) appears twice in the record ("weeding", as Helios and
Belenios call it).

A ballot's proofs are bound to its ciphertexts, not to its object_id, so whoever sees a ballot
while the vote runs can re-wrap its ciphertexts under a new id, recompute crypto_hash and code,
and obtain a ballot that passes V8-V14. Posted as spoiled (challenged), the guardians decrypt
it and the record publishes the victim's choice; posted as another delegate's cast ballot, it is
counted twice. Honest encryption draws a fresh nonce for every selection, so two equal pairs
(α, β) anywhere in a vote (cast or spoiled, any contest, placeholders included) mean a copy.

The ballot pass hands back each ballot's ciphertext keys (``hashing.ciphertext_key``, 16 bytes
each) in one bytes string; here they go into one dict. A 100,000-ballot record of ten
selections is 1,000,000 keys: about a second and some 100 MB, in the main process.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .ballots import CAST, SPOILED
from .group import parse_p, to_hex
from .hashing import CIPHERTEXT_KEY_BYTES, ciphertext_key, hash_texts
from .record import MissingPart, Record
from .report import MAX_LISTED, Report

if TYPE_CHECKING:
    from .ballot_pass import BallotSummary

STATE_NAMES = {CAST: "cast", SPOILED: "spoiled"}
NAMED_PARTNERS = 5


def _locate(record: Record, file: str, key: bytes) -> list[str]:
    """Where in a ballot file the ciphertext with this key sits: 'contest c / selection s' labels.

    Read again only for the few ballots named in a failure, so that the ballot pass need not
    carry a label for each of its million ciphertexts.
    """
    try:
        raw: Any = json.loads(record.read_bytes(file))
        found = []
        for c in raw["contests"]:
            for s in c["ballot_selections"]:
                ct = s["ciphertext"]
                if ciphertext_key(hash_texts([to_hex(parse_p(ct["pad"])), to_hex(parse_p(ct["data"]))])) == key:
                    found.append(f"contest {c['object_id']} / selection {s['object_id']}")
        return found
    except (MissingPart, KeyError, TypeError, ValueError, AttributeError):
        return []


def _state(s: BallotSummary) -> str:
    return STATE_NAMES.get(s.state, f"state {s.state}")


def _describe(record: Record, s: BallotSummary, partners: list[tuple[BallotSummary, list[bytes]]]) -> str:
    """One failure text for ballot ``s``: which ciphertexts it shares, with which ballots, and why that matters."""
    parts = []
    for other, keys in partners[:NAMED_PARTNERS]:
        n = len(keys)
        what = f"{n} selection ciphertext{'s' if n > 1 else ''} (α, β)"
        mine = _locate(record, s.file, keys[0])
        if other is s:
            parts.append(f"{what} repeated within the ballot ({' = '.join(mine) or '?'})")
            continue
        theirs = _locate(record, other.file, keys[0])
        why = "a copy re-wrapped under another id"
        if {s.state, other.state} == {CAST, SPOILED}:
            why += ": decrypting the spoiled one publishes the cast ballot's choice"
        elif s.state == other.state == CAST:
            why += ": the same vote counted twice"
        parts.append(
            f"{what} also in ballot {other.object_id} ({_state(other)}), "
            f"e.g. {mine[0] if mine else '?'} = {theirs[0] if theirs else '?'}; {why}"
        )
    more = len(partners) - NAMED_PARTNERS
    tail = f"; and with {more} more ballot{'s' if more > 1 else ''}" if more > 0 else ""
    return f"({_state(s)}) " + "; ".join(parts) + tail


def check_weeding(record: Record, summaries: list[BallotSummary], rep: Report) -> None:
    """V25: every selection ciphertext of every ballot, cast or spoiled, is unique in the record.

    The first ballot (in file order) to carry a ciphertext owns it; a ballot carrying one that
    an earlier ballot owns, or one twice, fails, naming the other ballots. Which of two ballots
    is the copy the record cannot say, so the failure names both, with their states.
    """
    owner: dict[bytes, int] = {}
    clean = 0
    for i, s in enumerate(summaries):
        blob = s.ciphertexts
        own: set[bytes] = set()
        clashes: dict[int, list[bytes]] = {}
        for off in range(0, len(blob), CIPHERTEXT_KEY_BYTES):
            key = blob[off : off + CIPHERTEXT_KEY_BYTES]
            if key in own:
                clashes.setdefault(i, []).append(key)
                continue
            own.add(key)
            j = owner.setdefault(key, i)
            if j != i:
                clashes.setdefault(j, []).append(key)
        if not clashes:
            clean += 1
            continue
        where = f"ballot {s.object_id}"
        if rep.checks["V25"].failed >= MAX_LISTED:  # not listed anyway: spare the re-reading
            rep.fail("V25", where, "selection ciphertext also in another ballot")
        else:
            rep.fail("V25", where, _describe(record, s, [(summaries[j], keys) for j, keys in clashes.items()]))
    rep.ok("V25", clean)
