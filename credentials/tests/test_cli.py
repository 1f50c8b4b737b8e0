"""`evote-credentials` end to end: init, issue, replace; what it writes and what it refuses."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import nacl.signing
from click.testing import CliRunner
from pypdf import PdfReader

from evote.record.credentials import Upload, signed_bytes
from evote_credentials.cli import main

PASS = "correct horse battery"


def roll_file(tmp_path: Path) -> Path:
    path = tmp_path / "roll.json"
    path.write_text(json.dumps({
        "type": "evote/delegate-roll", "version": 1, "event": "lpt", "event_name": "Parteitag",
        "public_url": "https://vote.example.org",
        "delegates": [{"participant_id": i, "name": f"Delegierte {i}", "delegation": "KV Süd"}
                      for i in (4, 7, 9)],
    }))
    return path


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def test_init_issue_replace(tmp_path: Path) -> None:
    roll, folder = roll_file(tmp_path), tmp_path / "committee"
    done = run("init", str(roll), "--dir", str(folder), "--votes", "3", "--kdf-iterations", "1000",
               input=f"{PASS}\n{PASS}\n")
    assert done.exit_code == 0, done.output
    key = json.loads((folder / "committee.json").read_text())["committee_key"]
    assert key in done.output
    assert stat.S_IMODE((folder / "committee.sealed").stat().st_mode) == 0o600
    assert key not in (folder / "committee.sealed").read_text()  # sealed, not in clear

    done = run("issue", str(roll), "--dir", str(folder), input=f"{PASS}\n")
    assert done.exit_code == 0, done.output
    letters = folder / "letters-batch-0.pdf"
    assert stat.S_IMODE(letters.stat().st_mode) == 0o600
    text = "\n".join(p.extract_text() for p in PdfReader(letters).pages)
    assert "Delegierte 4" in text and "Zugangscode" in text and "Voting code" in text
    upload = Upload.from_json(json.loads((folder / "upload-batch-0.json").read_text()))
    verifier = nacl.signing.VerifyKey(bytes.fromhex(key))
    for s in (upload.batch, *upload.statements):
        verifier.verify(signed_bytes(s.document), bytes.fromhex(s.signature))
    codes = [line for line in text.splitlines() if line.count("-") == 3 and len(line) == 23]
    assert len(codes) == 3
    uploaded = (folder / "upload-batch-0.json").read_text()
    assert all(code not in uploaded and code.replace("-", "") not in uploaded for code in codes)

    done = run("issue", str(roll), "--dir", str(folder), input=f"{PASS}\n")
    assert done.exit_code != 0 and "replace" in done.output

    done = run("replace", str(roll), "7", "--from-vote", "2", "--dir", str(folder),
               input=f"{PASS}\n")
    assert done.exit_code == 0, done.output
    replaced = Upload.from_json(json.loads((folder / "upload-batch-1.json").read_text()))
    assert replaced.header().participants == (7,) and replaced.header().slots == (0, 2, 3)
    text = PdfReader(folder / "letters-batch-1.pdf").pages[0].extract_text()
    assert "Ersatzbrief" in text and "2. Abstimmung" in text

    shown = run("show", "--dir", str(folder))
    assert shown.exit_code == 0 and '"batches": 2' in shown.output


def test_wrong_passphrase_and_unknown_participant(tmp_path: Path) -> None:
    roll, folder = roll_file(tmp_path), tmp_path / "c"
    run("init", str(roll), "--dir", str(folder), "--kdf-iterations", "1000",
        input=f"{PASS}\n{PASS}\n")
    done = run("issue", str(roll), "--dir", str(folder), input="not the passphrase\n")
    assert done.exit_code != 0 and "wrong passphrase" in done.output
    assert not (folder / "letters-batch-0.pdf").exists()
    done = run("replace", str(roll), "99", "--from-vote", "1", "--dir", str(folder),
               input=f"{PASS}\n")
    assert done.exit_code != 0 and "not on this roll" in done.output


def test_init_refuses_a_weak_derivation_and_a_second_committee(tmp_path: Path) -> None:
    roll, folder = roll_file(tmp_path), tmp_path / "c"
    done = run("init", str(roll), "--dir", str(folder), "--kdf-iterations", "10",
               input=f"{PASS}\n{PASS}\n")
    assert done.exit_code != 0 and "at least 1000" in done.output
    run("init", str(roll), "--dir", str(folder), "--kdf-iterations", "1000",
        input=f"{PASS}\n{PASS}\n")
    done = run("init", str(roll), "--dir", str(folder), input=f"{PASS}\n{PASS}\n")
    assert done.exit_code != 0 and "already holds" in done.output


def test_the_floor_is_the_real_one_outside_tests(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from evote_credentials import vault

    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.setattr(vault, "_warned", False)
    assert vault.iterations_floor() == 100_000
    assert vault.limits()[1] == vault.nacl.pwhash.argon2id.MEMLIMIT_MODERATE


def test_init_and_issue_name_the_address_the_qr_codes_open(tmp_path: Path) -> None:
    """The address comes from the server's roll (its admin or presidium set it): the committee
    is shown it, to catch a look-alike site that would collect every scanned code."""
    roll, folder = roll_file(tmp_path), tmp_path / "committee"
    done = run("init", str(roll), "--dir", str(folder), "--votes", "1", "--kdf-iterations", "1000",
               input=f"{PASS}\n{PASS}\n")
    assert "QR codes open https://vote.example.org/delegate#credential=" in done.output
    done = run("issue", str(roll), "--dir", str(folder), input=f"{PASS}\n")
    assert done.exit_code == 0, done.output
    assert "QR codes open https://vote.example.org/delegate#credential=" in done.output
