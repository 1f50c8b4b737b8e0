"""The Benaloh check of one challenged ballot, from its challenge payload alone.

When a delegate challenges a ballot, their device reveals the ballot's master nonce. The
challenge payload (docs/browser-crypto.md, "The challenge payload") carries it together with
the choice, the tracking code the device showed before the delegate chose "check", the
ballot's id, style, timestamp and code seed, the manifest and the context fields that fix K.
This module encrypts the choice again, written from the ElectionGuard 1.x specification and
sharing nothing with the browser's code or the server's:

    ballot seed      = H(manifest_hash, ballot id, master nonce)
    contest nonce    = H(H(contest hash, ballot seed), contest sequence order)
    selection nonce  = H(H(selection hash, contest nonce), selection sequence order)
    ciphertext       = (g^r, g^m · K^r)
    selection hash   = H(selection id, selection hash, H(g^r, g^m · K^r))
    contest hash     = H(contest id, contest hash, selection hashes by sequence order ...)
    crypto_hash      = H(ballot id, manifest_hash, contest hashes by sequence order ...)
    tracking code    = H(code_seed, timestamp, crypto_hash)

and requires the tracking code the device showed. The code covers every ciphertext, so a
device that encrypted anything but the choice in the payload cannot make one that passes.
Proofs are not part of the code; with the record (``--record``) the published ballot's
ciphertexts, its state (spoiled) and the guardians' decryption of it are compared as well.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gmpy2
from gmpy2 import mpz

from .election import ElectionSpec, build_spec
from .group import STANDARD, parse_p, to_hex
from .hashing import hash_elems
from .manifest_hash import manifest_hash
from .record import MissingPart, Record, UnreadableRecord

PAYLOAD_TYPE = "evote/challenge"
PAYLOAD_VERSION = 1
MAX_TEXT = 16_384
"""Longest payload text accepted (a QR code holds at most 2,953 bytes)."""
MAX_JSON = 262_144
"""Most bytes the payload may inflate to: a short text must not expand without bound."""

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_IN_LINK = re.compile(r"(?:^|[#?&])p=([^&#]*)")
_SPOILED = 2


class InvalidPayload(ValueError):
    """The text is not a challenge payload (exit status 2)."""


class ChallengeFailed(Exception):
    """The payload is well formed, but the ballot is not an encryption of its choice (exit 1)."""


def payload_text(raw: str) -> str:
    """The base64url text inside a link (``#p=...``), ``p=...``, or the text alone."""
    compact = re.sub(r"\s+", "", raw)
    if len(compact) > MAX_TEXT:
        raise InvalidPayload(f"the payload is longer than {MAX_TEXT} characters")
    found = _IN_LINK.search(compact)
    text = found.group(1) if found else compact
    if not text or not _BASE64URL.fullmatch(text):
        raise InvalidPayload("the payload is not base64url text (A-Z, a-z, 0-9, - and _)")
    return text


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise InvalidPayload("the payload's JSON repeats a key")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise InvalidPayload(f"the payload's JSON holds {name}, which is not JSON")


def decode_payload(raw: str) -> dict[str, Any]:
    """Text (or link) → the payload's JSON object, its shape checked; InvalidPayload otherwise."""
    text = payload_text(raw)
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(packed, MAX_JSON + 1)
    except (binascii.Error, zlib.error, ValueError):
        raise InvalidPayload("the payload is not compressed JSON: was it copied completely?") from None
    if len(data) > MAX_JSON:
        raise InvalidPayload(f"the payload inflates to more than {MAX_JSON} bytes")
    if not inflater.eof:
        raise InvalidPayload("the payload is cut short: was it copied completely?")
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidPayload("the payload is not valid JSON") from None
    return validate_payload(document)


def _hex(value: Any, where: str) -> mpz:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise InvalidPayload(f"{where} must be a hex string")
    return parse_p(value)


def _q(value: Any, where: str) -> mpz:
    x = _hex(value, where)
    if not STANDARD.in_q_range(x):
        raise InvalidPayload(f"{where} is not below q")
    return x


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidPayload(f"{where} must be a non-negative integer")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidPayload(f"{where} must be a non-empty string")
    return value


def validate_payload(doc: Any) -> dict[str, Any]:
    """The payload's shape; the cryptography is check_payload's job."""
    if not isinstance(doc, dict):
        raise InvalidPayload("the payload is not a JSON object")
    if doc.get("type") != PAYLOAD_TYPE or doc.get("version") != PAYLOAD_VERSION:
        raise InvalidPayload(
            f"expected {PAYLOAD_TYPE} version {PAYLOAD_VERSION}, got {doc.get('type')!r} version {doc.get('version')!r}"
        )
    for part in ("context", "manifest", "ballot", "choices"):
        if not isinstance(doc.get(part), dict):
            raise InvalidPayload(f"{part} must be an object")
    ctx, ballot = doc["context"], doc["ballot"]
    _count(ctx.get("number_of_guardians"), "context.number_of_guardians")
    _count(ctx.get("quorum"), "context.quorum")
    _hex(ctx.get("elgamal_public_key"), "context.elgamal_public_key")
    _q(ctx.get("commitment_hash"), "context.commitment_hash")
    _q(ctx.get("manifest_hash"), "context.manifest_hash")
    _text(ballot.get("object_id"), "ballot.object_id")
    _text(ballot.get("style_id"), "ballot.style_id")
    _count(ballot.get("timestamp"), "ballot.timestamp")
    _q(ballot.get("code_seed"), "ballot.code_seed")
    _q(ballot.get("code"), "ballot.code")
    _q(doc.get("master_nonce"), "master_nonce")
    for contest, chosen in doc["choices"].items():
        if not isinstance(chosen, list) or not all(isinstance(s, str) for s in chosen):
            raise InvalidPayload(f"choices.{contest} must be a list of selection ids")
    return doc


@dataclass
class CheckedChallenge:
    """What a payload that passes says, recomputed."""

    tracking_code: mpz
    crypto_hash: mpz
    manifest_hash: mpz
    extended_base_hash: mpz
    public_key: mpz
    ballot_id: str
    choices: dict[str, dict[str, int]]
    """contest id → selection id → 0 or 1, placeholders left out, in manifest order."""
    ciphertexts: dict[tuple[str, str], tuple[mpz, mpz]] = field(default_factory=dict)
    """(contest id, selection id) → (g^r, g^m·K^r), placeholders included."""


def _nonce(description_hash: mpz, parent: mpz, index: int) -> mpz:
    """The reference's Nonces(description_hash, parent)[index]: H(H(description_hash, parent), index)."""
    return hash_elems(hash_elems(description_hash, parent), index)


def _election(payload: dict[str, Any]) -> ElectionSpec:
    """K checked, the manifest hash recomputed and compared, Q and Q̄ derived."""
    ctx = payload["context"]
    n, k = ctx["number_of_guardians"], ctx["quorum"]
    if not 1 <= k <= n:
        raise ChallengeFailed("the context's quorum is not between 1 and the number of guardians")
    key = parse_p(ctx["elgamal_public_key"])
    if not STANDARD.is_member(key) or key == 1:
        raise ChallengeFailed("the election key K is not an element of the group other than 1")
    stated = parse_p(ctx["manifest_hash"])
    try:
        computed = manifest_hash(payload["manifest"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidPayload(f"the manifest cannot be read: {type(exc).__name__} {exc}") from None
    if computed != stated:
        raise ChallengeFailed("the manifest's hash is not the context's manifest_hash")
    base = hash_elems(STANDARD.p, STANDARD.q, STANDARD.g, n, k, stated)
    extended = hash_elems(base, parse_p(ctx["commitment_hash"]))
    try:
        return build_spec(payload["manifest"], key, extended, stated)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidPayload(f"the manifest cannot be read: {type(exc).__name__} {exc}") from None


def _votes(spec: ElectionSpec, payload: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The plaintext: every contest of the style, each selection 0 or 1, the limit kept."""
    style = payload["ballot"]["style_id"]
    if style not in spec.styles:
        raise ChallengeFailed(f"the manifest has no ballot style {style!r}")
    contests = spec.styles[style]
    choices = payload["choices"]
    extra = set(choices) - set(contests)
    if extra:
        raise ChallengeFailed(f"the choices name contest(s) not on the ballot: {', '.join(sorted(extra))}")
    votes: dict[str, dict[str, int]] = {}
    for cid in contests:
        if cid not in choices:
            raise ChallengeFailed(f"the choices leave out contest {cid}")
        contest = spec.contests[cid]
        real = [s.object_id for s in contest.selections if not s.placeholder]
        chosen = choices[cid]
        if len(set(chosen)) != len(chosen):
            raise ChallengeFailed(f"contest {cid}: a selection is chosen twice")
        unknown = set(chosen) - set(real)
        if unknown:
            raise ChallengeFailed(f"contest {cid} has no selection {', '.join(sorted(unknown))}")
        if len(chosen) > contest.limit:
            raise ChallengeFailed(f"contest {cid} allows {contest.limit} choice(s), the payload has {len(chosen)}")
        votes[cid] = {sid: int(sid in chosen) for sid in real}
    return votes


def check_payload(payload: dict[str, Any]) -> CheckedChallenge:
    """Encrypt the payload's choice again and require its tracking code; ChallengeFailed if not."""
    validate_payload(payload)
    spec = _election(payload)
    votes = _votes(spec, payload)
    group, key = spec.group, spec.joint_key
    ballot = payload["ballot"]
    ballot_id = ballot["object_id"]
    seed = hash_elems(spec.manifest_hash, ballot_id, parse_p(payload["master_nonce"]))
    result = CheckedChallenge(
        tracking_code=mpz(0), crypto_hash=mpz(0), manifest_hash=spec.manifest_hash,
        extended_base_hash=spec.extended_base_hash, public_key=key, ballot_id=ballot_id, choices=votes,
    )
    contest_hashes: list[tuple[int, mpz]] = []
    for cid in spec.styles[ballot["style_id"]]:
        contest = spec.contests[cid]
        contest_nonce = _nonce(contest.description_hash, seed, contest.sequence_order)
        filled = sum(votes[cid].values())
        selection_hashes: list[tuple[int, mpz]] = []
        for sel in contest.selections:
            if sel.placeholder:
                vote = 1 if filled < contest.limit else 0
                filled += vote
            else:
                vote = votes[cid][sel.object_id]
            r = _nonce(sel.description_hash, contest_nonce, sel.sequence_order)
            pad = gmpy2.powmod(group.g, r, group.p)
            data = gmpy2.powmod(key, r, group.p)
            if vote:
                data = data * group.g % group.p
            result.ciphertexts[(cid, sel.object_id)] = (pad, data)
            selection_hashes.append(
                (sel.sequence_order, hash_elems(sel.object_id, sel.description_hash, hash_elems(pad, data)))
            )
        contest_hashes.append(
            (contest.sequence_order,
             hash_elems(cid, contest.description_hash, *[h for _, h in sorted(selection_hashes, key=lambda x: x[0])]))
        )
    result.crypto_hash = hash_elems(
        ballot_id, spec.manifest_hash, *[h for _, h in sorted(contest_hashes, key=lambda x: x[0])]
    )
    result.tracking_code = hash_elems(parse_p(ballot["code_seed"]), ballot["timestamp"], result.crypto_hash)
    shown = parse_p(ballot["code"])
    if result.tracking_code != shown:
        raise ChallengeFailed(
            f"the choice and nonce give tracking code {to_hex(result.tracking_code)}, not {to_hex(shown)}: "
            "the ballot was not an encryption of this choice"
        )
    return result


def compare_with_record(checked: CheckedChallenge, payload: dict[str, Any], path: str | Path) -> list[str]:
    """Problems found comparing the checked challenge with a published record; [] if none.

    The record must be of the same election (K, Q̄, the manifest hash, and the candidates'
    names, which ElectionGuard's manifest hash does not cover), hold the ballot with
    this tracking code as spoiled, with exactly the recomputed ciphertexts, and the guardians'
    decryption of it must be the payload's choice.
    """
    try:
        record = Record(path)
        context = record.json("context.json")
        manifest = record.json("manifest.json")
    except (UnreadableRecord, MissingPart) as exc:
        return [f"record: {exc}"]
    problems: list[str] = []
    try:
        if parse_p(context["elgamal_public_key"]) != checked.public_key:
            problems.append("the record's election key K is not the payload's")
        if parse_p(context["crypto_extended_base_hash"]) != checked.extended_base_hash:
            problems.append("the record's extended base hash Q̄ is not the payload's")
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"record context.json is malformed: {exc}")
    try:
        same_hash = manifest_hash(manifest) == checked.manifest_hash
    except (KeyError, TypeError, ValueError, AttributeError):
        same_hash = False
    if not same_hash:
        problems.append("the record's manifest is not the payload's (its hash differs)")
    elif _candidate_names(manifest) != _candidate_names(payload["manifest"]):
        problems.append("the record's manifest is not the payload's (the candidates or their names differ)")
    code = to_hex(checked.tracking_code)
    ballot = _published_ballot(record, code)
    if ballot is None:
        return [*problems, f"the record has no ballot with tracking code {code}"]
    if ballot.get("state") != _SPOILED:
        problems.append(f"the record's ballot {code} is not spoiled (state {ballot.get('state')!r})")
    if ballot.get("object_id") != checked.ballot_id:
        problems.append(f"the record's ballot {code} has id {ballot.get('object_id')!r}, not {checked.ballot_id!r}")
    published = _ciphertexts(ballot)
    if published != checked.ciphertexts:
        problems.append(f"the record's ballot {code} does not carry the recomputed ciphertexts")
    decrypted = _decryption(record, str(ballot.get("object_id")))
    if decrypted is None:
        problems.append(f"the record has no decryption of spoiled ballot {ballot.get('object_id')}")
    elif decrypted != checked.choices:
        problems.append("the guardians' decryption of the ballot is not the payload's choice")
    return problems


def _candidate_names(manifest: Any) -> dict[str, list[tuple[Any, Any]]] | None:
    """Candidate id → its name's (text, language) pairs: what the manifest hash leaves out.

    The server hands out the manifest as it was built and the record writes it with every
    optional field spelled out (null), so the comparison is of meaning, not of bytes.
    """
    try:
        return {
            c["object_id"]: [(t.get("value"), t.get("language")) for t in ((c.get("name") or {}).get("text") or [])]
            for c in manifest.get("candidates") or []
        }
    except (KeyError, TypeError, AttributeError):
        return None


def _published_ballot(record: Record, code: str) -> dict[str, Any] | None:
    for name in record.folder("submitted_ballots"):
        try:
            ballot = record.json(name)
        except MissingPart:
            continue
        if isinstance(ballot, dict) and isinstance(ballot.get("code"), str) and ballot["code"].upper() == code:
            return ballot
    return None


def _ciphertexts(ballot: dict[str, Any]) -> dict[tuple[str, str], tuple[mpz, mpz]] | None:
    try:
        return {
            (c["object_id"], s["object_id"]): (parse_p(s["ciphertext"]["pad"]), parse_p(s["ciphertext"]["data"]))
            for c in ballot["contests"]
            for s in c["ballot_selections"]
        }
    except (KeyError, TypeError, ValueError):
        return None


def _decryption(record: Record, ballot_id: str) -> dict[str, dict[str, int]] | None:
    name = f"spoiled_ballots/spoiled_ballot_{ballot_id}.json"
    if not record.has(name):
        return None
    try:
        contests = record.json(name)["contests"]
        return {
            cid: {sid: int(sel["tally"]) for sid, sel in contest["selections"].items()}
            for cid, contest in contests.items()
        }
    except (MissingPart, KeyError, TypeError, ValueError, AttributeError):
        return None
