"""Texts of the election kinds the statutes add (issue 15): overall No and Abstention of a list,
and later open and roll-call votes, groups, runoffs and quota seats.

Kept apart from `i18n.MESSAGES` so the parts built in parallel do not edit one dictionary;
merged into it at import like `texts_staff`, German first.
"""

from __future__ import annotations

ELECTION_TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "vote.overall_or": "Oder für den ganzen Stimmzettel:",
        "vote.overall-no": "Nein zu allen (Gesamtnein)",
        "vote.overall-abstain": "Enthaltung (Gesamtenthaltung)",
        "vote.picked_overall": "Keine Person gewählt: Du stimmst über den ganzen Stimmzettel ab.",
        "presidium.overall_no": "Gesamtnein anbieten",
        "presidium.overall_abstain": "Gesamtenthaltung anbieten",
        "presidium.electorate_group": "Nur diese Gruppe stimmt ab",
        "presidium.electorate_delegation": "Nur diese Delegation stimmt ab",
        "presidium.electorate_hint": "Leer: alle Stimmberechtigten. Sonst z. B. „Frauen“ für ein Frauenvotum; wer beim Öffnen eingecheckt und in der Gruppe ist, steht im Wählerverzeichnis.",
        "presidium.electorate": "Stimmberechtigt: nur {who}",
    },
    "en": {
        "vote.overall_or": "Or for the whole ballot:",
        "vote.overall-no": "No to all (overall No)",
        "vote.overall-abstain": "Abstain (overall abstention)",
        "vote.picked_overall": "Nobody chosen: you vote on the whole ballot.",
        "presidium.overall_no": "Offer an overall No",
        "presidium.overall_abstain": "Offer an overall abstention",
        "presidium.electorate_group": "Only this group votes",
        "presidium.electorate_delegation": "Only this delegation votes",
        "presidium.electorate_hint": "Empty: everyone with a voting right. Else e.g. “Frauen” for a women's vote; whoever is checked in and in the group at the opening is on the roll.",
        "presidium.electorate": "Eligible: only {who}",
    },
}
