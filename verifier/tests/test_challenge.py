"""evote-verify challenge: a payload made by the browser's worker code passes; any change fails.

The payload in web/test/vectors/challenge_payload.txt is written by web/test/challenge_vector.js
through BallotSession, the worker's own code (challenge_payload.test.js checks that the worker
still writes it). Nothing here shares code with the browser or the server: the check encrypts
the choice again with the verifier's own arithmetic.
"""

from __future__ import annotations

import base64
import copy
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evote_verify.challenge import (
    MAX_JSON,
    ChallengeFailed,
    InvalidPayload,
    check_payload,
    compare_with_record,
    decode_payload,
)
from evote_verify.cli import main
from evote_verify.group import STANDARD, parse_p, to_hex

ROOT = Path(__file__).resolve().parents[2]
VECTOR = ROOT / "web" / "test" / "vectors" / "challenge_payload.txt"
CODE = "AB46919FBE78DE30F17CF7F4428E34A244C2105839B17815367013BEE0BEC09F"


def genuine() -> dict[str, Any]:
    return decode_payload(VECTOR.read_text())


def encode(payload: Any, *, raw: bytes | None = None) -> str:
    data = raw if raw is not None else json.dumps(payload).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["challenge", *args], input=stdin)


def test_the_workers_payload_checks_out() -> None:
    checked = check_payload(genuine())
    assert to_hex(checked.tracking_code) == CODE
    assert checked.choices == {
        "motion-1": {"motion-1-yes-sel": 1, "motion-1-no-sel": 0, "motion-1-abstain-sel": 0},
        "executive": {"alice-sel": 1, "bob-sel": 0, "carol-sel": 1, "dave-sel": 0},
    }
    result = run(str(VECTOR))
    assert result.exit_code == 0, result.output
    assert CODE in result.output
    assert "Executive: alice-sel, carol-sel" in result.output
    assert "CHALLENGE CHECKED" in result.output


def test_the_payload_is_read_from_a_link_the_text_or_stdin(tmp_path: Path) -> None:
    text = VECTOR.read_text().strip()
    link = f"https://evote.example.org/verify#p={text}"
    assert run(link).exit_code == 0
    assert run(text).exit_code == 0
    assert run("-", stdin=f"{text[:700]}\n{text[700:]}\n").exit_code == 0  # line breaks are ignored
    saved = tmp_path / "check.txt"
    saved.write_text(link)
    result = CliRunner().invoke(main, ["challenge", str(saved), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["passed"] is True and report["tracking_code"] == CODE
    assert report["record_checked"] is False


def test_the_record_command_is_unchanged(tmp_path: Path) -> None:
    # "challenge" only as the first argument; anything else is still a record path.
    assert CliRunner().invoke(main, [str(tmp_path / "challenge")]).exit_code == 2
    assert "challenge PAYLOAD_OR_FILE" in CliRunner().invoke(main, ["--help"]).output


def _refused(payload: dict[str, Any], why: str) -> None:
    with pytest.raises(ChallengeFailed, match=why):
        check_payload(payload)
    result = run(encode(payload))
    assert result.exit_code == 1, result.output
    assert "CHALLENGE FAILED" in result.output


def test_a_changed_choice_fails() -> None:
    p = genuine()
    p["choices"]["motion-1"] = ["motion-1-no-sel"]
    _refused(p, "not an encryption of this choice")
    p = genuine()
    p["choices"]["executive"] = ["alice-sel", "bob-sel"]
    _refused(p, "tracking code")
    p = genuine()
    p["choices"]["executive"] = ["alice-sel"]  # an under-vote is a different plaintext too
    _refused(p, "tracking code")


def test_a_changed_nonce_fails() -> None:
    p = genuine()
    p["master_nonce"] = to_hex((parse_p(p["master_nonce"]) + 1) % STANDARD.q)
    _refused(p, "tracking code")


def test_a_changed_code_or_ballot_field_fails() -> None:
    for field, value in (
        ("code", to_hex(parse_p(CODE) ^ 1)),
        ("object_id", "ballot-other"),
        ("timestamp", 1_795_610_401),
        ("code_seed", "01"),
    ):
        p = genuine()
        p["ballot"][field] = value
        _refused(p, "tracking code")


def test_another_key_fails() -> None:
    p = genuine()
    key = parse_p(p["context"]["elgamal_public_key"])
    p["context"]["elgamal_public_key"] = to_hex(key * STANDARD.g % STANDARD.p)  # in the group, not K
    _refused(p, "tracking code")
    p["context"]["elgamal_public_key"] = "02"  # not in the order-q subgroup
    _refused(p, "not an element of the group")


def test_a_changed_manifest_or_context_fails() -> None:
    p = genuine()
    p["manifest"]["contests"][0]["name"] = "Motion 2"
    _refused(p, "manifest_hash")
    p = genuine()
    p["context"]["commitment_hash"] = "01"  # changes only Q̄, which the code does not cover ...
    check_payload(p)  # ... so it passes the offline check; the record comparison catches it (below)
    p["context"]["quorum"] = 9
    _refused(p, "quorum")


def test_choices_the_ballot_cannot_have_fail() -> None:
    cases = (
        ({"motion-1": ["motion-1-yes-sel"], "executive": ["alice-sel", "bob-sel", "carol-sel"]}, "allows 2"),
        ({"motion-1": ["motion-1-yes-sel"], "executive": ["mallory-sel"]}, "no selection mallory-sel"),
        ({"motion-1": ["motion-1-yes-sel"], "executive": ["alice-sel", "alice-sel"]}, "chosen twice"),
        ({"motion-1": ["motion-1-yes-sel"]}, "leave out contest executive"),
        ({"motion-1": [], "executive": [], "treasurer": []}, "not on the ballot"),
    )
    for choices, why in cases:
        p = genuine()
        p["choices"] = choices
        _refused(p, why)
    p = genuine()
    p["ballot"]["style_id"] = "guest"
    _refused(p, "no ballot style")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("not base64!", "base64url"),
        ("", "base64url"),
        ("____", "not compressed JSON"),
        ("QUJD", "cut short"),
        ("x" * 20_000, "longer than"),
    ],
)
def test_unreadable_text_exits_2(text: str, why: str) -> None:
    with pytest.raises(InvalidPayload, match=why):
        decode_payload(text)
    assert run(text or " ").exit_code == 2


def test_unreadable_payloads_exit_2() -> None:
    text = VECTOR.read_text().strip()
    cases = {
        "cut short": text[: len(text) // 2],
        "inflates to more": encode(None, raw=b" " * (MAX_JSON + 10)),
        "repeats a key": encode(None, raw=b'{"type": "evote/challenge", "type": "x"}'),
        "not JSON": encode(None, raw=b'{"version": NaN}'),
        "version 2": encode({**genuine(), "version": 2}),
        "master_nonce must be a hex": encode({**genuine(), "master_nonce": 5}),
        "choices.executive must be a list": encode({**genuine(), "choices": {"executive": "alice-sel"}}),
        "manifest cannot be read": encode({**genuine(), "manifest": {"contests": "x"}}),
        "code_seed is not below q": encode({**genuine(), "ballot": {**genuine()["ballot"], "code_seed": "F" * 64}}),
    }
    for why, bad in cases.items():
        result = run(bad, "--json")
        assert result.exit_code == 2, (why, result.output)
        assert why in json.loads(result.output)["error"], (why, result.output)


# --- with the record -------------------------------------------------------------------------


def _record(tmp_path: Path, payload: dict[str, Any], state: int = 2) -> Path:
    """The parts of a record the comparison reads, with the ballot as the server should hold it."""
    checked = check_payload(payload)
    folder = tmp_path / "record"
    (folder / "submitted_ballots").mkdir(parents=True)
    (folder / "spoiled_ballots").mkdir()
    context = {
        **payload["context"],
        "crypto_extended_base_hash": to_hex(checked.extended_base_hash),
    }
    (folder / "context.json").write_text(json.dumps(context))
    (folder / "manifest.json").write_text(json.dumps(payload["manifest"]))
    contests: dict[str, list[dict[str, Any]]] = {}
    for (cid, sid), (pad, data) in checked.ciphertexts.items():
        contests.setdefault(cid, []).append({"object_id": sid, "ciphertext": {"pad": to_hex(pad), "data": to_hex(data)}})
    bid = checked.ballot_id
    ballot = {
        "object_id": bid,
        "code": to_hex(checked.tracking_code),
        "state": state,
        "contests": [{"object_id": c, "ballot_selections": s} for c, s in contests.items()],
    }
    (folder / "submitted_ballots" / f"submitted_ballot_{bid}.json").write_text(json.dumps(ballot))
    decryption = {
        "object_id": bid,
        "contests": {
            c: {"object_id": c, "selections": {s: {"object_id": s, "tally": v} for s, v in votes.items()}}
            for c, votes in checked.choices.items()
        },
    }
    (folder / "spoiled_ballots" / f"spoiled_ballot_{bid}.json").write_text(json.dumps(decryption))
    return folder


def _edit(path: Path, change: Any) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_the_record_agrees(tmp_path: Path) -> None:
    folder = _record(tmp_path, genuine())
    result = run(str(VECTOR), "--record", str(folder))
    assert result.exit_code == 0, result.output
    assert "THE RECORD AGREES" in result.output


def test_the_record_disagrees(tmp_path: Path) -> None:
    payload = genuine()
    checked = check_payload(payload)
    bid = checked.ballot_id
    ballot_file = Path("submitted_ballots") / f"submitted_ballot_{bid}.json"
    decryption_file = Path("spoiled_ballots") / f"spoiled_ballot_{bid}.json"

    def flip_pad(d: dict[str, Any]) -> None:
        d["contests"][0]["ballot_selections"][0]["ciphertext"]["pad"] = "02"

    def set_yes_zero(d: dict[str, Any]) -> None:
        d["contests"]["motion-1"]["selections"]["motion-1-yes-sel"]["tally"] = 0

    def rename_candidate(d: dict[str, Any]) -> None:
        d["candidates"][3]["name"] = {"text": [{"value": "Mallory", "language": "en"}]}

    cases = [
        (ballot_file, lambda d: d.update(state=1), "not spoiled"),
        (ballot_file, flip_pad, "recomputed ciphertexts"),
        (ballot_file, lambda d: d.update(code="00"), "no ballot with tracking code"),
        (decryption_file, set_yes_zero, "decryption of the ballot is not the payload's choice"),
        (Path("context.json"), lambda d: d.update(crypto_extended_base_hash="01"), "extended base hash"),
        (Path("context.json"), lambda d: d.update(elgamal_public_key="02"), "election key K"),
        # Candidates' names are outside ElectionGuard's manifest hash: only the record shows a swap.
        (Path("manifest.json"), rename_candidate, "candidates or their names differ"),
        (Path("manifest.json"), lambda d: d.update(end_date="2027-01-01T00:00:00"), "its hash differs"),
    ]
    for i, (name, change, why) in enumerate(cases):
        folder = _record(tmp_path / str(i), payload)
        _edit(folder / name, change)
        problems = compare_with_record(checked, payload, folder)
        assert any(why in p for p in problems), (why, problems)
        result = run(str(VECTOR), "--record", str(folder), "--json")
        assert result.exit_code == 1
        assert json.loads(result.output)["record_problems"] == problems
    # The record spells out optional fields as null; the same manifest all the same.
    folder = _record(tmp_path / "spelled", payload)
    _edit(folder / "manifest.json", lambda d: [c.update(party_id=None, image_uri=None) for c in d["candidates"]])
    assert compare_with_record(checked, payload, folder) == []
    folder = _record(tmp_path / "gone", payload)
    (folder / decryption_file).unlink()
    assert any("no decryption" in p for p in compare_with_record(checked, payload, folder))
    assert compare_with_record(checked, payload, tmp_path / "nowhere") != []


def test_a_payload_with_swapped_names_passes_offline_but_not_against_the_record(tmp_path: Path) -> None:
    """The limit the docs state: names are checked against the record, not by the code."""
    payload = genuine()
    folder = _record(tmp_path, payload)
    swapped = copy.deepcopy(payload)
    names = swapped["manifest"]["candidates"]
    names[3]["name"], names[4]["name"] = {"text": [{"value": "Bob", "language": "en"}]}, {"text": []}
    assert check_payload(swapped).tracking_code == parse_p(CODE)
    assert any("candidates or their names differ" in p for p in compare_with_record(check_payload(swapped), swapped, folder))
