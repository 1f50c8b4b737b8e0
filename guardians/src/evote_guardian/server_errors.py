"""The server's refusals in German and English, by the stable `error` code of its JSON answers.

The API answers ``{"error": code, "message": English text}``.  The guardian client translates by
the code, as the pages do, so a guardian reads the server's refusal in their own language.  This
is the client's own copy of the texts a guardian's requests can meet (login, session, key
ceremony, decryption): evote-guardian is installed on the guardian's laptop and does not import
the server's web pages.  A code missing here is shown as the server sent it (`messages.refusal`).
"""

from __future__ import annotations

SERVER_ERRORS: dict[str, dict[str, str]] = {
    "bad_credentials": {
        "de": "Login oder Passwort stimmt nicht.",
        "en": "Login name or password is wrong.",
    },
    "login_refused": {
        "de": "Die Anmeldung wurde abgelehnt.",
        "en": "The login was refused.",
    },
    "insecure_transport": {
        "de": "Die Verbindung ist nicht verschlüsselt (kein HTTPS). Nimm eine https://-Adresse.",
        "en": "The connection is not encrypted (no HTTPS). Use an https:// address.",
    },
    "json_required": {
        "de": "Die Anfrage war unvollständig. Bitte versuch es noch einmal.",
        "en": "The request was incomplete. Please try again.",
    },
    "missing_field": {
        "de": "Eine Angabe fehlt. Bitte fülle alle Felder aus.",
        "en": "Something is missing. Please fill in every field.",
    },
    "bad_field": {
        "de": "Eine Angabe ist ungültig. Bitte prüfe die Felder.",
        "en": "Something is not valid. Please check the fields.",
    },
    "not_decrypting": {
        "de": "Diese Abstimmung wartet nicht mehr auf die Auszählung.",
        "en": "This vote no longer waits for its tally.",
    },
    "vote_not_closed": {
        "de": "Die Abstimmung ist noch nicht geschlossen.",
        "en": "The vote is not closed yet.",
    },
    "vote_cancelled": {
        "de": "Diese Abstimmung wurde abgebrochen; sie hat kein Ergebnis.",
        "en": "This vote was cancelled; it has no result.",
    },
    "no_election_key": {
        "de": "Die Schlüsselzeremonie ist für diese Versammlung noch nicht abgeschlossen.",
        "en": "The key ceremony of this convention is not complete yet.",
    },
    "key_import_disabled": {
        "de": "Schlüssel kommen aus der Schlüsselzeremonie (evote-guardian); ein Import ist nur für Proben und Tests.",
        "en": "Keys come from the key ceremony (evote-guardian); importing is for rehearsals and tests only.",
    },
    "key_in_use": {
        "de": "Mit diesem Schlüssel wurden schon Abstimmungen geöffnet.",
        "en": "Votes were already opened with this key.",
    },
    "key_exists": {
        "de": "Diese Versammlung hat schon einen Wahlschlüssel.",
        "en": "This convention already has an election key.",
    },
    "ceremony_exists": {
        "de": "Die Schlüsselzeremonie hat schon begonnen.",
        "en": "The key ceremony has already started.",
    },
    "ceremony_in_progress": {
        "de": "Die Schlüsselzeremonie läuft noch; der Schlüssel erscheint, wenn alle Sicherungen geprüft sind.",
        "en": "The key ceremony is still running; the key is published when every backup is verified.",
    },
    "ceremony_complete": {
        "de": "Die Schlüsselzeremonie ist abgeschlossen; ihr Schlüssel bleibt.",
        "en": "The key ceremony is complete; its key stays.",
    },
    "no_ceremony": {
        "de": "Die Schlüsselzeremonie hat noch nicht begonnen.",
        "en": "The key ceremony has not started.",
    },
    "not_in_ceremony": {
        "de": "Du hast keinen Platz in dieser Schlüsselzeremonie.",
        "en": "You hold no seat in this key ceremony.",
    },
    "wrong_ceremony_step": {
        "de": "Dieser Schritt passt gerade nicht zum Stand der Schlüsselzeremonie.",
        "en": "This step does not fit the key ceremony's current stage.",
    },
    "wrong_seat": {
        "de": "Das ist nicht Dein Platz in der Schlüsselzeremonie.",
        "en": "This is not your seat in the key ceremony.",
    },
    "too_few_guardians": {
        "de": "Es braucht mehr Treuhänder:innen.",
        "en": "More guardians are needed.",
    },
    "bad_quorum": {
        "de": "Die Mindestzahl der Treuhänder:innen passt nicht zu ihrer Zahl.",
        "en": "The quorum does not fit the number of guardians.",
    },
    "not_a_guardian": {
        "de": "Diese Personen sind keine aktiven Treuhänder:innen dieser Versammlung.",
        "en": "These people are not active guardians of this convention.",
    },
    "unknown_guardian": {
        "de": "Diese Treuhänder:in gibt es nicht.",
        "en": "There is no such guardian.",
    },
    "invalid_key_ceremony": {
        "de": "Die Schlüsselzeremonie wurde abgelehnt.",
        "en": "The key ceremony was refused.",
    },
    "invalid_public_key": {
        "de": "Der öffentliche Schlüssel wurde abgelehnt.",
        "en": "The public key was refused.",
    },
    "key_already_posted": {
        "de": "Du hast schon einen anderen Schlüssel gesendet.",
        "en": "You already sent another key.",
    },
    "invalid_backup": {
        "de": "Die Sicherung wurde abgelehnt.",
        "en": "The backup was refused.",
    },
    "backup_already_posted": {
        "de": "Es wurde schon eine andere Sicherung gesendet.",
        "en": "Another backup was already sent.",
    },
    "no_such_backup": {
        "de": "Diese Sicherung gibt es nicht.",
        "en": "There is no such backup.",
    },
    "already_verified": {
        "de": "Diese Sicherung ist schon geprüft.",
        "en": "This backup is already verified.",
    },
    "bad_verification": {
        "de": "Die Prüfung der Sicherungen ist unvollständig.",
        "en": "The verification of the backups is incomplete.",
    },
    "bad_answer": {
        "de": "Die Antwort auf die Beanstandung wurde abgelehnt.",
        "en": "The answer to the challenge was refused.",
    },
    "not_challenged": {
        "de": "Diese Sicherung wurde nicht beanstandet.",
        "en": "This backup was not challenged.",
    },
    "bad_confirmation": {
        "de": "Die Bestätigung des Fingerabdrucks wurde abgelehnt.",
        "en": "The fingerprint confirmation was refused.",
    },
    "invalid_confirmation": {
        "de": "Die Bestätigung des Fingerabdrucks wurde abgelehnt.",
        "en": "The fingerprint confirmation was refused.",
    },
    "fingerprint_mismatch": {
        "de": "Der Fingerabdruck passt nicht zu den gespeicherten Schlüsseln. Sag sofort dem Präsidium Bescheid.",
        "en": "The fingerprint does not match the stored keys. Tell the presidium at once.",
    },
    "bad_share": {
        "de": "Der Entschlüsselungsanteil hat das falsche Format.",
        "en": "The decryption share has the wrong format.",
    },
    "invalid_share": {
        "de": "Der Entschlüsselungsanteil wurde abgelehnt.",
        "en": "The decryption share was refused.",
    },
    "bad_request": {
        "de": "Die Anfrage war fehlerhaft. Bitte versuch es noch einmal.",
        "en": "The request was not right. Please try again.",
    },
    "not_found": {
        "de": "Das gibt es nicht (mehr).",
        "en": "This does not exist (any more).",
    },
    "method_not_allowed": {
        "de": "Das geht auf diesem Weg nicht. Bitte versuch es noch einmal.",
        "en": "This cannot be done this way. Please try again.",
    },
    "request_entity_too_large": {
        "de": "Die gesendeten Daten sind zu groß.",
        "en": "What was sent is too large.",
    },
    "too_many_requests": {
        "de": "Zu viele Anfragen. Bitte warte kurz.",
        "en": "Too many requests. Please wait a moment.",
    },
    "internal_server_error": {
        "de": "Auf dem Server ist ein Fehler passiert. Bitte versuch es noch einmal.",
        "en": "Something went wrong on the server. Please try again.",
    },
    "service_unavailable": {
        "de": "Der Server ist gerade nicht erreichbar. Bitte versuch es gleich noch einmal.",
        "en": "The server cannot be reached right now. Please try again shortly.",
    },
    "csrf_failed": {
        "de": "Die Sitzung ist abgelaufen oder ungültig. Bitte melde Dich mit `evote-guardian login` neu an.",
        "en": "The session expired or is not valid. Please log in again with `evote-guardian login`.",
    },
    "login_required": {
        "de": "Du bist nicht (mehr) angemeldet. Bitte melde Dich mit `evote-guardian login` neu an.",
        "en": "You are not logged in (any more). Please log in again with `evote-guardian login`.",
    },
    "forbidden": {
        "de": "Das darfst Du mit dieser Anmeldung nicht.",
        "en": "Your login may not do this.",
    },
}
