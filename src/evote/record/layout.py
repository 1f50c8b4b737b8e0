"""Where each part of an election record lives, in electionguard 1.4.0's layout.

The names are the package's (`electionguard_tools/helpers/export.py` writes the same tree), so a
record evote publishes can be opened by Microsoft's tools and an `eg e2e` record by evote.
Everything evote adds lives under `evote/`, a folder the package never reads.
"""

from __future__ import annotations

import re
from enum import Enum

from .errors import InvalidRecord

MANIFEST = "manifest.json"
CONTEXT = "context.json"
CONSTANTS = "constants.json"
COEFFICIENTS = "coefficients.json"
ENCRYPTED_TALLY = "encrypted_tally.json"
TALLY = "tally.json"

GUARDIANS_DIR = "guardians"
DEVICES_DIR = "encryption_devices"
SUBMITTED_DIR = "submitted_ballots"
SPOILED_DIR = "spoiled_ballots"
EVOTE_DIR = "evote"

GUARDIAN_PREFIX = "guardian_"
DEVICE_PREFIX = "device_"
SUBMITTED_PREFIX = "submitted_ballot_"
SPOILED_PREFIX = "spoiled_ballot_"

SINGLE_FILES = (MANIFEST, CONTEXT, CONSTANTS, COEFFICIENTS, ENCRYPTED_TALLY, TALLY)
REQUIRED_FILES = (MANIFEST, CONTEXT, CONSTANTS)

# Object ids become file names, so they must be safe as one: no separators, no "..", no
# control characters.  electionguard puts no rule on ids; this one only refuses what could
# escape the folder or clash on a case-insensitive file system's reserved names.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+=-]{0,127}")
_EXTRA_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.json")


class Part(Enum):
    """The kind of document a file in the record holds."""

    SINGLE = "single"
    GUARDIAN = "guardian"
    DEVICE = "device"
    SUBMITTED = "submitted"
    SPOILED = "spoiled"
    EXTRA = "extra"


_FOLDERS = {
    GUARDIANS_DIR: (Part.GUARDIAN, GUARDIAN_PREFIX),
    DEVICES_DIR: (Part.DEVICE, DEVICE_PREFIX),
    SUBMITTED_DIR: (Part.SUBMITTED, SUBMITTED_PREFIX),
    SPOILED_DIR: (Part.SPOILED, SPOILED_PREFIX),
}


def check_id(object_id: str, what: str) -> str:
    if not isinstance(object_id, str) or not _SAFE_ID.fullmatch(object_id):
        raise InvalidRecord(f"{what} id {object_id!r:.60} cannot be a file name in the record")
    return object_id


def guardian_path(guardian_id: str) -> str:
    return f"{GUARDIANS_DIR}/{GUARDIAN_PREFIX}{check_id(guardian_id, 'guardian')}.json"


def device_path(device_id: int) -> str:
    return f"{DEVICES_DIR}/{DEVICE_PREFIX}{int(device_id)}.json"


def submitted_path(ballot_id: str) -> str:
    return f"{SUBMITTED_DIR}/{SUBMITTED_PREFIX}{check_id(ballot_id, 'ballot')}.json"


def spoiled_path(ballot_id: str) -> str:
    return f"{SPOILED_DIR}/{SPOILED_PREFIX}{check_id(ballot_id, 'ballot')}.json"


def extra_path(name: str) -> str:
    if not _EXTRA_NAME.fullmatch(name):
        raise InvalidRecord(
            f"evote extra file name {name!r:.60} must be lower-case [a-z0-9_-].json"
        )
    return f"{EVOTE_DIR}/{name}"


def classify(path: str) -> tuple[Part, str]:
    """The kind of a record file and its key (the id or extra name); raises for anything else.

    A record is a published artefact that verifiers read blindly, so a file that belongs to no
    known part is refused rather than carried along unread.
    """
    if path in SINGLE_FILES:
        return Part.SINGLE, path
    folder, _, name = path.partition("/")
    if folder == EVOTE_DIR and "/" not in name:
        extra_path(name)
        return Part.EXTRA, name
    if folder in _FOLDERS and "/" not in name and name.endswith(".json"):
        part, prefix = _FOLDERS[folder]
        if name.startswith(prefix):
            key = name[len(prefix) : -len(".json")]
            if part is Part.DEVICE:
                if not key.isdigit():
                    raise InvalidRecord(f"{path}: a device id is a decimal number")
            else:
                check_id(key, part.value)
            return part, key
    raise InvalidRecord(f"{path}: not part of an electionguard 1.4.0 record")
