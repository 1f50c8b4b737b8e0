"""Texts of the voting code on the delegate page (issue 14, docs/credentials.md): the prompt,
what a wrong, mistyped or replaced code gets before any vote, and the server's refusals of a
ballot's credential by their `error` code.

Kept apart like `texts_delegate` and merged into `i18n.MESSAGES` at import.  The German word is
the letter's: "Zugangscode" (credentials/src/evote_credentials/letters.py).
"""

from __future__ import annotations

CREDENTIAL_TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "credential.title": "Zugangscode zum Abstimmen",
        "credential.intro": "Gib den Zugangscode aus dem Brief der Mandatsprüfungskommission ein, oder scanne seinen QR-Code mit der Kamera Deines Telefons. Der Code bleibt auf diesem Gerät; ohne ihn zählt keine Stimme.",
        "credential.label": "Zugangscode",
        "credential.check": "Code prüfen",
        "credential.checking": "Der Code wird geprüft …",
        "credential.ok": "Dein Zugangscode passt. Er bleibt nur in diesem Fenster, bis Du es schließt oder neu lädst.",
        "credential.wrong": "Dieser Zugangscode passt nicht zu Deinem Konto. Prüfe den Code auf Deinem Brief.",
        "credential.revoked": "Dieser Zugangscode wurde durch einen neuen Brief ersetzt und gilt nicht mehr. Nimm den Code aus Deinem neuesten Brief.",
        "credential.typo": "Der Code hat einen Tippfehler. Prüfe jedes Zeichen (0, 1, I, L und O kommen nie vor).",
        "credential.character": "Der Code enthält ein Zeichen, das in Zugangscodes nicht vorkommt (0, 1, I, L und O kommen nie vor).",
        "credential.length": "Ein Zugangscode hat 20 Zeichen (4 Gruppen zu 5).",
        "credential.needed": "Für diese Abstimmung brauchst Du Deinen Zugangscode: Gib ihn oben ein.",
        "credential.not_issued": "Die Mandatsprüfungskommission hat noch keine Zugangscodes ausgegeben.",
        "credential.unsupported": "Dieser Browser kann den Zugangscode nicht verwenden (ihm fehlt WebCrypto, oder die Seite ist nicht über https geladen). Bitte nimm einen aktuellen Browser.",
        "error.bad_credential_signature": "Dein Stimmzettel trug keine gültige Unterschrift mit Deinem Zugangscode. Gib den Code ein und stimme neu ab.",
        "error.credential_not_on_roll": "Dieser Zugangscode steht nicht auf der Liste dieser Abstimmung. Prüfe den Code auf Deinem Brief oder wende Dich an die Mandatsprüfungskommission.",
        "error.credential_revoked": "Dieser Zugangscode wurde gesperrt (es gibt einen neuen Brief). Nimm den Code aus Deinem neuesten Brief.",
        "error.credential_used": "Mit diesem Zugangscode wurde in dieser Abstimmung schon abgestimmt. Warst Du es nicht, sag es sofort der Mandatsprüfungskommission.",
    },
    "en": {
        "credential.title": "Voting code",
        "credential.intro": "Type the voting code from the credentials committee's letter, or scan its QR code with your phone's camera. The code stays on this device; without it no vote counts.",
        "credential.label": "Voting code",
        "credential.check": "Check code",
        "credential.checking": "Checking the code …",
        "credential.ok": "Your voting code fits. It stays only in this window until you close or reload it.",
        "credential.wrong": "This voting code does not match your account. Check the code on your letter.",
        "credential.revoked": "This voting code was replaced by a new letter and is no longer valid. Use the code from your newest letter.",
        "credential.typo": "The code has a typing mistake. Check each character (0, 1, I, L and O never occur).",
        "credential.character": "The code contains a character that voting codes never use (0, 1, I, L and O never occur).",
        "credential.length": "A voting code has 20 characters (4 groups of 5).",
        "credential.needed": "This vote needs your voting code: enter it above.",
        "credential.not_issued": "The credentials committee has not issued voting codes yet.",
        "credential.unsupported": "This browser cannot use the voting code (it lacks WebCrypto, or the page was not loaded over https). Please use a current browser.",
        "error.bad_credential_signature": "Your ballot carried no valid signature with your voting code. Enter the code and vote again.",
        "error.credential_not_on_roll": "This voting code is not on this vote's roll. Check the code on your letter or ask the credentials committee.",
        "error.credential_revoked": "This voting code was revoked (there is a newer letter). Use the code from your newest letter.",
        "error.credential_used": "A ballot with this voting code is already in this vote's ballot box. If it was not you, tell the credentials committee at once.",
    },
}
