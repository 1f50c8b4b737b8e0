"""Failures of reading or writing an election record."""


class InvalidRecord(Exception):
    """The record is malformed: a missing or unknown file, bad JSON, a field of the wrong shape,
    or (when writing) a record that would reveal the order in which ballots arrived.
    The message names the file or rule that failed."""
