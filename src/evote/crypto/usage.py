"""The `usage` strings electionguard 1.4.0 writes into every proof's JSON.

They are part of the published format (a record without them does not load into the
package's types), so they are spelled here once, character for character.
"""

from enum import StrEnum


class ProofUsage(StrEnum):
    SECRET_VALUE = "Prove knowledge of secret value"
    SELECTION_LIMIT = "Prove value within selection's limit"
    SELECTION_VALUE = "Prove selection's value (0 or 1)"
    UNKNOWN = "Unknown"


def check_usage(data: object, expected: ProofUsage, what: str, error: type[Exception]) -> None:
    """A proof read from JSON must not claim to prove something else than where it sits."""
    if not isinstance(data, dict) or "usage" not in data:
        return
    if data["usage"] != expected.value:
        raise error(f"{what}: usage is {data['usage']!r}, expected {expected.value!r}")
