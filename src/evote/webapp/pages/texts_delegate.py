"""Texts of the delegate page's harder moments (issue 12): a vote closing while "Bist Du Dir
sicher?" is open, a ballot whose answer was lost, a late check-in, a session ended elsewhere,
and the server's refusals by their stable `error` code.

Kept apart from `i18n.py` like `texts_staff`, merged into `i18n.MESSAGES` at import (a key may
not be defined twice). `error.<code>` entries are what the pages show for an API refusal with
that code (`ApiError` in web/js/pages/common.js); the server's own English message is the
fallback for a code without an entry.
"""

from __future__ import annotations

DELEGATE_TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "vote.closed_before": "Die Abstimmung wurde geschlossen, bevor Deine Stimme ankam – sie wurde nicht gezählt.",
        "vote.opened_left": "Abstimmung geöffnet: {title}, noch {time}",
        "vote.result_for": "Das Ergebnis von „{title}“ ist verkündet.",
        "cast.lost": "Deine Stimme wurde gesendet, aber die Antwort des Servers ging verloren. Sende sie noch einmal: Es ist genau derselbe verschlüsselte Stimmzettel, er zählt höchstens einmal.",
        "cast.resend": "Stimme noch einmal senden",
        "cast.resending": "Dein Stimmzettel wird noch einmal gesendet …",
        "cast.relogin": "Neu anmelden",
        "login.ended_password": "Du wurdest abgemeldet, weil für Dein Konto ein neues Passwort ausgegeben wurde. Bitte melde Dich mit dem neuen Passwort an.",
        "login.ended_elsewhere": "Du wurdest abgemeldet (auf einem anderen Gerät oder vom Support). Bitte melde Dich neu an.",
        "error.login_required": "Du bist nicht mehr angemeldet, zum Beispiel weil ein neues Passwort ausgegeben wurde. Bitte melde Dich neu an.",
        "error.forbidden": "Deine Rolle erlaubt das nicht.",
        "error.not_checked_in": "Bitte bestätige zuerst Deine Anwesenheit.",
        "error.no_voting_right": "Du hast auf dieser Versammlung kein Stimmrecht.",
        "error.not_on_roll": "Du warst beim Öffnen dieser Abstimmung nicht stimmberechtigt eingecheckt; an ihr nimmst Du nicht teil, an den nächsten schon.",
        "error.already_voted": "Du hast in dieser Abstimmung bereits abgestimmt.",
        "error.vote_closed": "Die Abstimmung wurde geschlossen, bevor Deine Stimme ankam – sie wurde nicht gezählt.",
        "error.vote_not_open": "Diese Abstimmung ist nicht geöffnet.",
        "error.no_such_vote": "Diese Abstimmung gibt es nicht.",
        "error.duplicate_ballot": "Dieser Stimmzettel ist schon in der Urne. Bitte stimme neu ab.",
        "error.duplicate_ciphertext": "Eine Verschlüsselung dieses Stimmzettels wurde schon benutzt. Bitte stimme neu ab.",
        "error.too_many_challenges": "Du hast die Verschlüsselung in dieser Abstimmung schon so oft getestet, wie es geht.",
        "error.ballot_too_large": "Der Stimmzettel ist zu groß.",
        "error.malformed_json": "Der Stimmzettel ist beschädigt angekommen. Bitte stimme neu ab.",
        "error.rate_limited": "Zu viele Versuche. Bitte warte kurz.",
        "error.csrf_failed": "Die Seite ist veraltet. Bitte lade sie neu.",
    },
    "en": {
        "vote.closed_before": "The vote closed before your ballot arrived – it was not counted.",
        "vote.opened_left": "Vote open: {title}, {time} left",
        "vote.result_for": "The result of “{title}” has been announced.",
        "cast.lost": "Your vote was sent, but the server's answer was lost. Send it again: it is exactly the same encrypted ballot and counts at most once.",
        "cast.resend": "Send my vote again",
        "cast.resending": "Sending your ballot again …",
        "cast.relogin": "Log in again",
        "login.ended_password": "You were logged out because a new password was issued for your account. Please log in with the new password.",
        "login.ended_elsewhere": "You were logged out (on another device or by support). Please log in again.",
        "error.login_required": "You are no longer logged in, for example because a new password was issued. Please log in again.",
        "error.forbidden": "Your role does not allow this.",
        "error.not_checked_in": "Please confirm your attendance (check in) first.",
        "error.no_voting_right": "You have no voting right at this convention.",
        "error.not_on_roll": "You were not checked in with a vote when this vote opened; you cannot take part in it, but you can in the next ones.",
        "error.already_voted": "You have already voted in this vote.",
        "error.vote_closed": "The vote closed before your ballot arrived – it was not counted.",
        "error.vote_not_open": "This vote is not open.",
        "error.no_such_vote": "There is no such vote.",
        "error.duplicate_ballot": "This ballot is already in the ballot box. Please vote again.",
        "error.duplicate_ciphertext": "An encryption of this ballot was used before. Please vote again.",
        "error.too_many_challenges": "You have tested the encryption in this vote as often as allowed.",
        "error.ballot_too_large": "The ballot is too large.",
        "error.malformed_json": "The ballot arrived damaged. Please vote again.",
        "error.rate_limited": "Too many attempts. Please wait a moment.",
        "error.csrf_failed": "This page is out of date. Please reload it.",
    },
}
