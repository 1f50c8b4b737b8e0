"""The majority rule and its base in words, as the presidium states it and the minutes print it.

"nötig: 4 Stimmen, mehr als die Hälfte der 6 abgegebenen gültigen Stimmen": the rule alone
("absolute majority") does not tell the hall what the count was measured against, and statutes
differ in exactly that (the valid votes, the votes including abstentions, the delegates present,
or all members).  Pure, so the console, the projector (through the API) and the minutes say the
same words.  `rule_text` states the rule before the vote opens; `threshold_text` the number
needed once it is counted.

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
        "valid": "{n} abgegebenen gültigen Stimmen",
        "cast": "{n} abgegebenen Stimmen einschließlich Enthaltungen",
        "present": "{n} anwesenden Stimmberechtigten",
        "members": "{n} stimmberechtigten Mitglieder",
        "yes_no": "{n} Ja- und Nein-Stimmen",
        "valid_ballots": "{n} abgegebenen gültigen Stimmzettel",
        "ballots": "{n} abgegebenen Stimmzettel",
        "most_votes": "gewählt sind die {seats} mit den meisten Stimmen",
        "most_votes_one": "gewählt ist, wer die meisten Stimmen hat",
        "over_no": "und mehr Stimmen als die {n} Gesamtnein-Stimmen",
    },
    "en": {
        "needed": "needed: {needed} {votes}, {share} {base}",
        "unreachable": "needed: {share} {base} – cannot be reached",
        "vote": "vote",
        "votes": "votes",
        "more_than_half": "more than half of the",
        "two_thirds": "at least two thirds of the",
        "roll": "{n} eligible voters",
        "valid": "{n} valid votes cast",
        "cast": "{n} votes cast including abstentions",
        "present": "{n} voting members present",
        "members": "{n} voting members",
        "yes_no": "{n} yes and no votes",
        "valid_ballots": "{n} valid ballots cast",
        "ballots": "{n} ballots cast",
        "most_votes": "elected are the {seats} with the most votes",
        "most_votes_one": "elected is who has the most votes",
        "over_no": "and more votes than the {n} overall No votes",
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
        text = words["most_votes_one"] if seats == 1 else words["most_votes"].format(seats=seats)
        if "overall_no" in threshold:
            text += " " + words["over_no"].format(n=int(threshold["overall_no"]))
        return text
    per = threshold.get("per_candidate")
    if isinstance(per, Mapping):
        return "; ".join(
            f"{name}: {_one(words, rule, base_of, int(t['base']), t['needed'])}"
            for name, t in per.items()
        )
    return _one(words, rule, base_of, int(threshold["base"]), threshold["needed"])


_RULES: dict[str, dict[str, str]] = {
    "de": {
        "simple": "Einfache Mehrheit",
        "relative": "Relative Mehrheit",
        "absolute": "Absolute Mehrheit",
        "two_thirds": "Zweidrittelmehrheit",
        "simple_valid": "mehr Ja- als Nein-Stimmen, Enthaltungen zählen nicht mit",
        "simple_cast": "mehr Ja-Stimmen als Nein-Stimmen und Enthaltungen zusammen",
        "most": "gewählt ist, wer die meisten Stimmen erhält",
        "more_than_half": "mehr als die Hälfte der",
        "two_thirds_of": "mindestens zwei Drittel der",
        "valid": "abgegebenen gültigen Stimmen",
        "cast": "abgegebenen Stimmen einschließlich Enthaltungen",
        "present": "anwesenden Stimmberechtigten",
        "members": "stimmberechtigten Mitglieder",
        "valid_ballots": "abgegebenen gültigen Stimmzettel",
        "ballots": "abgegebenen Stimmzettel einschließlich Enthaltungen",
        "over_no": "und mehr Stimmen als Gesamtnein-Stimmen",
    },
    "en": {
        "simple": "Simple majority",
        "relative": "Relative majority",
        "absolute": "Absolute majority",
        "two_thirds": "Two-thirds majority",
        "simple_valid": "more yes than no votes, abstentions do not count",
        "simple_cast": "more yes votes than no votes and abstentions together",
        "most": "elected is who receives the most votes",
        "more_than_half": "more than half of the",
        "two_thirds_of": "at least two thirds of the",
        "valid": "valid votes cast",
        "cast": "votes cast including abstentions",
        "present": "voting members present",
        "members": "voting members",
        "valid_ballots": "valid ballots cast",
        "ballots": "ballots cast including abstentions",
        "over_no": "and more votes than overall No votes",
    },
}


def rule_text(
    rule: str, base: str, kind: str, lang: str = "de", *, overall_no: bool = False
) -> str:
    """The vote's rule as it is stated before the vote: "Absolute Mehrheit: mehr als die Hälfte
    der abgegebenen gültigen Stimmen".  `kind` is the vote's kind ("election": k of n, where a
    simple majority is the relative one and the base counts ballots); `overall_no`: the ballot
    offers an overall No, which a relative majority must beat."""
    words = _RULES.get(lang, _RULES["de"])
    election = kind == "election"
    if rule == "simple":
        if election:
            extra = f" {words['over_no']}" if overall_no else ""
            return f"{words['relative']}: {words['most']}{extra}"
        return f"{words['simple']}: {words['simple_cast' if base == 'cast' else 'simple_valid']}"
    share = words["two_thirds_of" if rule == "two_thirds" else "more_than_half"]
    of = base
    if election and base in ("valid", "cast"):
        of = "valid_ballots" if base == "valid" else "ballots"
    return f"{words[rule]}: {share} {words[of]}"
