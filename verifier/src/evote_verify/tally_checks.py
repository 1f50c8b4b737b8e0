"""Checks on the tally and the spoiled ballots (V15-V20), after the ballot pass.

The encrypted tally must be exactly the product of the CAST ballots: a spoiled ballot counted,
or a cast one left out, changes some product. Decryptions are then checked share by share
(decryption.py), and the labels of every tally against the manifest's real selections.
"""

from __future__ import annotations

from typing import Any

from gmpy2 import mpz

from .ballot_pass import BallotSummary, Key
from .decryption import DecryptionChecker, GuardianKey, lagrange
from .group import STANDARD, parse_p
from .record import MissingPart, Record
from .report import Report


def real_selections(manifest: dict[str, Any]) -> dict[str, list[str]]:
    return {c["object_id"]: [s["object_id"] for s in c["ballot_selections"]] for c in manifest.get("contests") or []}


def _labels(where: str, contests: Any, expected: dict[str, list[str]], rep: Report, key: str = "selections") -> bool:
    """V20: a tally names exactly the manifest's contests and their real selections."""
    if not isinstance(contests, dict):
        rep.fail("V20", where, "contests missing")
        return False
    ok = True
    if sorted(contests) != sorted(expected):
        rep.fail("V20", where, f"contests {sorted(contests)} but manifest has {sorted(expected)}")
        ok = False
    for cid, c in contests.items():
        sels = c.get(key) if isinstance(c, dict) else None
        if cid in expected and (not isinstance(sels, dict) or sorted(sels) != sorted(expected[cid])):
            rep.fail("V20", f"{where} / contest {cid}", f"selections {sorted(sels or [])} but manifest has {sorted(expected[cid])}")
            ok = False
        for sid, s in (sels or {}).items():
            if not isinstance(s, dict) or s.get("object_id") != sid:
                rep.fail("V20", f"{where} / contest {cid} / selection {sid}", "object_id does not match its key")
                ok = False
    if ok:
        rep.ok("V20")
    return ok


def check_encrypted_tally(
    record: Record, manifest: dict[str, Any], products: dict[Key, tuple[mpz, mpz]], rep: Report
) -> dict[Key, tuple[mpz, mpz]] | None:
    """V15: every selection's ciphertext in encrypted_tally.json is ∏ over CAST ballots."""
    try:
        et = record.json("encrypted_tally.json")
    except MissingPart as exc:
        rep.incomplete("V15", str(exc))
        return None
    expected = real_selections(manifest)
    _labels("encrypted_tally.json", et.get("contests") if isinstance(et, dict) else None, expected, rep)
    out: dict[Key, tuple[mpz, mpz]] = {}
    for cid, sids in expected.items():
        for sid in sids:
            where = f"encrypted tally / contest {cid} / selection {sid}"
            try:
                ct = et["contests"][cid]["selections"][sid]["ciphertext"]
                got = (parse_p(ct["pad"]), parse_p(ct["data"]))
            except (KeyError, TypeError, ValueError):
                rep.fail("V15", where, "missing or malformed")
                continue
            out[(cid, sid)] = got
            if got != products.get((cid, sid), (mpz(1), mpz(1))):
                rep.fail("V15", where, "is not the product of the cast ballots' ciphertexts")
            else:
                rep.ok("V15")
    return out


def _available(tally: dict[str, Any]) -> list[str]:
    """Guardians who decrypted directly (shares with a proof), from the first selection."""
    for c in tally.get("contests", {}).values():
        for s in c.get("selections", {}).values():
            return sorted(sh["guardian_id"] for sh in s.get("shares", []) if sh.get("proof") is not None)
    return []


def check_coefficients(record: Record, guardians: dict[str, GuardianKey], tally: dict[str, Any], rep: Report) -> dict[str, mpz] | None:
    """V17 part: coefficients.json holds w_i = ∏ j/(j-i) over the guardians who decrypted."""
    available = [a for a in _available(tally) if a in guardians]
    try:
        raw = record.json("coefficients.json")["coefficients"]
        coeffs = {str(k): parse_p(v) for k, v in raw.items()}
    except MissingPart:
        if len(available) < len(guardians):
            rep.incomplete("V17", "coefficients.json missing although a guardian was absent")
        return None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        rep.fail("V17", "coefficients.json", f"malformed: {exc}")
        return None
    orders = [guardians[a].sequence_order for a in available]
    ok = True
    if sorted(coeffs) != available:
        rep.fail("V17", "coefficients.json", f"coefficients for {sorted(coeffs)} but guardians {available} decrypted")
        ok = False
    for a in available:
        if a in coeffs and coeffs[a] != lagrange(STANDARD, orders, guardians[a].sequence_order):
            rep.fail("V17", f"coefficients.json guardian {a}", "Lagrange coefficient is wrong")
            ok = False
    if ok:
        rep.ok("V17")
    return coeffs


def check_tally(
    record: Record,
    manifest: dict[str, Any],
    encrypted: dict[Key, tuple[mpz, mpz]] | None,
    checker_args: tuple[mpz, dict[str, GuardianKey], int],
    rep: Report,
) -> None:
    """V16 (shares), V17 (compensation), V18 (plaintext) for tally.json."""
    try:
        tally = record.json("tally.json")
    except MissingPart as exc:
        for cid in ("V16", "V18"):
            rep.incomplete(cid, str(exc))
        return
    qx, guardians, quorum = checker_args
    if not isinstance(tally, dict):
        rep.fail("V18", "tally.json", "not a JSON object")
        return
    coeffs = check_coefficients(record, guardians, tally, rep)
    checker = DecryptionChecker(STANDARD, qx, guardians, quorum, coeffs, rep)
    expected = real_selections(manifest)
    _labels("tally.json", tally.get("contests"), expected, rep)
    for cid, sids in expected.items():
        for sid in sids:
            where = f"tally / contest {cid} / selection {sid}"
            try:
                sel = tally["contests"][cid]["selections"][sid]
            except (KeyError, TypeError):
                rep.fail("V18", where, "missing from tally.json")
                continue
            ct = None if encrypted is None else encrypted.get((cid, sid))
            checker.selection(where, sel, ct, "V16", "V17", "V18")


def check_spoiled(
    record: Record,
    manifest: dict[str, Any],
    spoiled: dict[str, dict[Key, tuple[mpz, mpz]]],
    summaries: list[BallotSummary],
    checker_args: tuple[mpz, dict[str, GuardianKey], int],
    rep: Report,
) -> None:
    """V19: each SPOILED ballot is decrypted, from its own ciphertexts, with valid shares."""
    qx, guardians, quorum = checker_args
    checker = DecryptionChecker(STANDARD, qx, guardians, quorum, None, rep)
    expected = real_selections(manifest)
    files = record.folder("spoiled_ballots")
    seen: set[str] = set()
    for name in files:
        try:
            dec = record.json(name)
            bid = dec["object_id"]
        except (MissingPart, KeyError, TypeError) as exc:
            rep.fail("V19", name, f"unreadable spoiled ballot decryption: {exc}")
            continue
        where = f"spoiled ballot {bid}"
        if bid not in spoiled:
            rep.fail("V19", where, "no submitted ballot with this id in state SPOILED")
            continue
        seen.add(bid)
        before = rep.checks["V20"].failed
        _labels(where, dec.get("contests"), expected, rep)
        if rep.checks["V20"].failed != before:
            rep.fail("V19", where, "contests or selections do not match the manifest")
        for cid, sids in expected.items():
            for sid in sids:
                w = f"{where} / contest {cid} / selection {sid}"
                try:
                    sel = dec["contests"][cid]["selections"][sid]
                except (KeyError, TypeError):
                    rep.fail("V19", w, "missing")
                    continue
                checker.selection(w, sel, spoiled[bid].get((cid, sid)), "V19", "V19", "V19")
    for s in summaries:
        if s.object_id in spoiled and s.object_id not in seen:
            rep.fail("V19", f"ballot {s.object_id}", "spoiled ballot has no published decryption")
