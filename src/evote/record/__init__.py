"""The published election record, in electionguard 1.4.0's layout (docs/record.md).

record = read_record("record.zip")      # a directory works too
write_record(record, "copy.zip")         # refuses records that would reveal arrival order
"""

from .errors import InvalidRecord
from .extras import CeremonyInfo, VoteInfo
from .io import read_record, record_files, write_record
from .model import ElectionRecord, EncryptionDevice
from .scripts import ScriptFile, ScriptsInfo

__all__ = [
    "CeremonyInfo",
    "ElectionRecord",
    "EncryptionDevice",
    "InvalidRecord",
    "ScriptFile",
    "ScriptsInfo",
    "VoteInfo",
    "read_record",
    "record_files",
    "write_record",
]
