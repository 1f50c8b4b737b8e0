"""The majority rule and its base in words, as the presidium states it and the minutes print it.

"nötig: 4 Stimmen, mehr als die Hälfte der 6 Stimmberechtigten": the rule alone ("absolute
majority") does not tell the hall what the count was measured against, and statutes differ in
exactly that (the ballots cast, yes and no only, or everyone on the roll).  Pure, so the console
(through the API) and the minutes say the same words.

A threshold is the dict `evote.voting.results.threshold` builds:
``{"rule", "base_of", "base", "needed"}`` for a motion or a k-of-n election with a quota,
``{"rule", "base_of": "most_votes", "seats"}`` for a simple k-of-n election, and
``{"rule", "base_of", "per_candidate": {name: {"base", "needed"}}}`` for yes/no per person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "needed": "nötig: {needed} {votes}, {share} {base}",
        "unreachable": "nötig: {share} {base} – nicht erreichbar",
        "vote": "Stimme",
        "votes": "Stimmen",
        "more_than_half": "mehr als die Hälfte der",
        "two_thirds": "mindestens zwei Drittel der",
        "roll": "{n} Stimmberechtigten",
        "cast": "{n} abgegebenen Stimmen",
        "yes_no": "{n} Ja- und Nein-Stimmen",
        "ballots": "{n} abgegebenen Stimmzettel",
        "most_votes": "gewählt sind die {seats} mit den meisten Stimmen",
        "most_votes_one": "gewählt ist, wer die meisten Stimmen hat",
    },
    "en": {
        "needed": "needed: {needed} {votes}, {share} {base}",
        "unreachable": "needed: {share} {base} – cannot be reached",
        "vote": "vote",
        "votes": "votes",
        "more_than_half": "more than half of the",
        "two_thirds": "at least two thirds of the",
        "roll": "{n} eligible voters",
        "cast": "{n} votes cast",
        "yes_no": "{n} yes and no votes",
        "ballots": "{n} ballots cast",
        "most_votes": "elected are the {seats} with the most votes",
        "most_votes_one": "elected is who has the most votes",
    },
}


def _one(words: Mapping[str, str], rule: str, base_of: str, base: int, needed: int | None) -> str:
    share = words["two_thirds" if rule == "two_thirds" else "more_than_half"]
    base_text = words[base_of].format(n=base)
    if needed is None:
        return words["unreachable"].format(share=share, base=base_text)
    votes = words["vote" if needed == 1 else "votes"]
    return words["needed"].format(needed=needed, votes=votes, share=share, base=base_text)


def threshold_text(threshold: Mapping[str, Any], lang: str = "de") -> str:
    """The threshold in words, in `lang` ("de" or "en"; anything else gives German)."""
    words = _WORDS.get(lang, _WORDS["de"])
    rule, base_of = str(threshold["rule"]), str(threshold["base_of"])
    if base_of == "most_votes":
        seats = int(threshold.get("seats", 1))
        return words["most_votes_one"] if seats == 1 else words["most_votes"].format(seats=seats)
    per = threshold.get("per_candidate")
    if isinstance(per, Mapping):
        return "; ".join(
            f"{name}: {_one(words, rule, base_of, int(t['base']), t['needed'])}"
            for name, t in per.items()
        )
    return _one(words, rule, base_of, int(threshold["base"]), threshold["needed"])
