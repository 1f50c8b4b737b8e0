"""The sealed state file: opens with the passphrase, with nothing else, and not when altered."""

import json
import stat

import nacl.pwhash
import pytest

from evote_guardian.state_file import StateFileError, load, save, seal, unseal

FAST = {
    "opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
    "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN,
}
STATE = {"guardian_id": "g1", "coefficients": ["0A", "0B"]}


def test_round_trip(tmp_path):
    path = tmp_path / "guardian.state"
    save(path, STATE, "correct horse", **FAST)
    assert load(path, "correct horse") == STATE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_is_not_in_the_file_in_clear(tmp_path):
    path = tmp_path / "guardian.state"
    save(path, STATE, "correct horse", **FAST)
    raw = path.read_text()
    assert "0A" not in raw.replace(json.loads(raw)["box"], "")
    assert "coefficients" not in raw


def test_wrong_passphrase_is_refused():
    data = seal(STATE, "right", **FAST)
    with pytest.raises(StateFileError, match="wrong passphrase"):
        unseal(data, "wrong")


def test_tampered_file_is_refused():
    envelope = json.loads(seal(STATE, "pw", **FAST))
    box = bytearray.fromhex(envelope["box"])
    box[-1] ^= 1
    envelope["box"] = box.hex()
    with pytest.raises(StateFileError):
        unseal(json.dumps(envelope).encode(), "pw")


def test_empty_passphrase_and_foreign_files_are_refused(tmp_path):
    with pytest.raises(StateFileError):
        seal(STATE, "", **FAST)
    with pytest.raises(StateFileError):
        unseal(b'{"type": "something-else", "version": 1}', "pw")
    with pytest.raises(StateFileError):
        load(tmp_path / "absent", "pw")
