"""Everything evote-guardian tells its guardian, in German and English (issue 12, item 6).

The steps (`ceremony_steps`, `decryption`, ...) never build a sentence: they record a
`Message` (a catalogue key and its values), and raise exceptions carrying one (`Told`).  Only
the CLI renders them, in the language the guardian chose, so a test can still read a step's
English and the German and English catalogues cannot drift apart unnoticed
(guardians/tests/test_messages.py checks every key has both, with the same placeholders).

Language: ``--lang de|en``, else ``EVOTE_GUARDIAN_LANG``, else the first of ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` that is set (as gettext reads them) if it names English or German;
anything else is German, the language of the convention (docs/guardians.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from evote_guardian.server_errors import SERVER_ERRORS

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")
DEFAULT_LANG: Lang = "de"
LANG_ENV = "EVOTE_GUARDIAN_LANG"


def language(env: Mapping[str, str] | None = None) -> Lang:
    """The guardian's language from the environment: gettext's order, German by default."""
    env = os.environ if env is None else env
    chosen = env.get(LANG_ENV, "").strip().lower()
    if chosen in LANGS:
        return chosen  # type: ignore[return-value]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip().lower()
        if value:
            return "en" if value.startswith("en") else "de"
    return DEFAULT_LANG


class Message(str):
    """One thing to tell the guardian: a catalogue key and the values its text names.

    It *is* its English text (a `str`), so code and tests that read a step's report as English
    go on working; the CLI calls `render` with the guardian's language.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: dict[str, Any]) -> Message:
        obj = super().__new__(cls, _render(key, params, "en"))
        obj.key, obj.params = key, params
        return obj

    def render(self, lang: Lang) -> str:
        return _render(self.key, self.params, lang)


def _render(key: str, params: dict[str, Any], lang: Lang) -> str:
    values = {k: v.render(lang) if isinstance(v, Message) else v for k, v in params.items()}
    return MESSAGES[key][lang].format(**values)


def told(text: str, lang: Lang) -> str:
    """A report line in `lang` if it is a `Message`; any other text as it is."""
    return text.render(lang) if isinstance(text, Message) else text


def say(key: str, /, **params: Any) -> Message:
    """A `Message`; raises KeyError at once for a key the catalogue lacks (a typo in a step)."""
    if key not in MESSAGES:
        raise KeyError(key)
    return Message(key, params)


class Told(Exception):
    """An expected failure the guardian must read; `str()` is English, `render` any language.

    Made from a catalogue key (what the client itself raises); a text that is no key is kept
    as it is in both languages (a caller outside the client, e.g. a test's stand-in failure).
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        self.said: str = say(key, **params) if key in MESSAGES or params else key
        super().__init__(str(self.said))

    def render(self, lang: Lang) -> str:
        return told(self.said, lang)


def refusal(code: str, message: str, status: int, lang: Lang) -> str:
    """The server's refusal by its stable code; an unknown code keeps the server's own text."""
    known = SERVER_ERRORS.get(code)
    if known is not None:
        return MESSAGES["server.refused"][lang].format(reason=known[lang], code=code)
    return MESSAGES["server.refused_unknown"][lang].format(
        message=message, code=code, status=status
    )


MESSAGES: dict[str, dict[Lang, str]] = {
    # the CLI: prompts, the login, the session
    "prompt.passphrase": {
        "de": "Passphrase des Treuhänder-Zustands",
        "en": "Passphrase of the guardian state",
    },
    "prompt.new_passphrase": {
        "de": "Neue Passphrase für den Treuhänder-Zustand",
        "en": "New passphrase for the guardian state",
    },
    "prompt.repeat_passphrase": {
        "de": "Passphrase wiederholen",
        "en": "Repeat the passphrase",
    },
    "prompt.login": {"de": "Login-Name", "en": "Login name"},
    "prompt.password": {"de": "Passwort", "en": "Password"},
    "cli.passphrases_differ": {
        "de": "die Passphrasen sind verschieden (oder leer)",
        "en": "the passphrases differ (or are empty)",
    },
    "cli.not_logged_in": {
        "de": "nicht angemeldet: zuerst `evote-guardian login` ausführen",
        "en": "not logged in: run `evote-guardian login` first",
    },
    "cli.not_a_guardian": {
        "de": "{login} ist hier keine Treuhänder:in (Rollen: {roles})",
        "en": "{login} is not a guardian here (roles: {roles})",
    },
    "cli.logged_in": {
        "de": "Angemeldet bei {server} als {name}.",
        "en": "Logged in to {server} as {name}.",
    },
    "server.refused": {
        "de": "der Server lehnt ab: {reason} ({code})",
        "en": "the server refused: {reason} ({code})",
    },
    "server.refused_unknown": {
        "de": "der Server lehnt ab (Code {code}, HTTP {status}): {message}",
        "en": "the server refused (code {code}, HTTP {status}): {message}",
    },
    "url.plain_http": {
        "de": "unverschlüsseltes http wird abgelehnt: nimm https, oder --allow-http für einen "
        "Server auf diesem Rechner",
        "en": "plain http is refused: use https, or --allow-http for a server on this machine",
    },
    "url.not_a_url": {
        "de": "keine Server-Adresse: {url!r}",
        "en": "not a server URL: {url!r}",
    },
    # the fingerprint comparison
    "fp.shown": {"de": "\nFingerabdruck: {fingerprint}\n", "en": "\nFingerprint: {fingerprint}\n"},
    "fp.instructions": {
        "de": "  Alle Treuhänder:innen lesen ihren Fingerabdruck laut vor; das Präsidium zeigt den "
        "des Servers.\n"
        "  Nur wenn ALLE genau dieser sind, tippe den Fingerabdruck, den Du gehört hast.\n"
        "  Weicht einer ab, tippe nichts und sag es dem Präsidium: vorher geht keine Sicherung "
        "hinaus.",
        "en": "  Every guardian reads their fingerprint aloud; the presidium shows the server's.\n"
        "  Only if ALL of them are exactly this one, type the fingerprint you heard.\n"
        "  If any differs, type nothing and tell the presidium: no backup is sent before.",
    },
    "fp.prompt": {
        "de": "Fingerabdruck, den die anderen vorgelesen haben (Enter: noch nicht)",
        "en": "Fingerprint the others read out (Enter: not yet)",
    },
    "fp.not_confirmed_yet": {
        "de": "der Fingerabdruck ist noch nicht bestätigt: vorher geht keine Sicherung hinaus",
        "en": "the fingerprint is not confirmed yet: no backup is sent before",
    },
    "fp.changed": {
        "de": "der Server zeigt jetzt öffentliche Schlüssel mit dem Fingerabdruck {now}, nicht "
        "den bestätigten {confirmed}: er hat nach dem Vergleich einen Schlüssel geändert. "
        "Sende nichts mehr; sag es dem Präsidium.",
        "en": "the server now shows public keys with the fingerprint {now}, not the confirmed "
        "{confirmed}: it changed a key after the comparison. Send nothing more; tell the "
        "presidium.",
    },
    "fp.your_comparison": {
        "de": "Deinen Vergleich: alle Treuhänder:innen lesen ihren Fingerabdruck vor; unserer "
        "ist {fingerprint}. Führe `ceremony` noch einmal aus und tippe den, den die anderen "
        "vorgelesen haben",
        "en": "your comparison: every guardian reads out their fingerprint; ours is "
        "{fingerprint}. Run `ceremony` again and type the one the others read out",
    },
    "fp.typed_differs": {
        "de": "der getippte Fingerabdruck ({typed}) ist nicht der, den dieser Rechner berechnet "
        "hat ({shown}): die Treuhänder:innen sehen nicht dieselben öffentlichen Schlüssel, eine "
        "Sicherung könnte also an einen Schlüssel des Servers gehen. Nichts wurde gesendet. "
        "Bitte das Präsidium, die Zeremonie abzubrechen (DELETE /api/ceremony) und neu zu "
        "beginnen.",
        "en": "the fingerprint you typed ({typed}) is not the one this laptop computed "
        "({shown}): the guardians do not see the same public keys, so a backup could be "
        "encrypted to a key the server chose. Nothing was sent. Tell the presidium to abort "
        "the ceremony (DELETE /api/ceremony) and start again.",
    },
    "fp.confirmed": {
        "de": "Fingerabdruck {fingerprint} bestätigt: die anderen haben denselben vorgelesen",
        "en": "confirmed the fingerprint {fingerprint}: the others read out the same",
    },
    "fp.sent_signature": {
        "de": "unsere unterschriebene Bestätigung des Fingerabdrucks gesendet",
        "en": "sent our signed confirmation of the fingerprint",
    },
    # the ceremony command
    "ceremony.done": {"de": "  erledigt: {line}", "en": "  done: {line}"},
    "ceremony.waiting": {"de": "  warte auf: {line}", "en": "  waiting for: {line}"},
    "ceremony.fingerprint": {
        "de": "Fingerabdruck der Zeremonie: {fingerprint} ({confirmed})",
        "en": "Ceremony fingerprint: {fingerprint} ({confirmed})",
    },
    "ceremony.confirmed": {"de": "bestätigt", "en": "confirmed"},
    "ceremony.not_confirmed": {"de": "NOCH NICHT bestätigt", "en": "NOT yet confirmed"},
    "ceremony.complete": {"de": "Zeremonie abgeschlossen.", "en": "Ceremony complete."},
    "ceremony.again": {
        "de": "Führe `ceremony` später noch einmal aus.",
        "en": "Run `ceremony` again later.",
    },
    "ceremony.bad_threshold": {
        "de": "ich trete dieser Zeremonie nicht bei ({quorum} von {n}): {problem} Bitte das "
        "Präsidium, sie abzubrechen und eine mit einer Mindestzahl von 2 oder mehr zu beginnen.",
        "en": "refusing to join this ceremony ({quorum} of {n}): {problem} Ask the presidium "
        "to abort it and start one with a quorum of 2 or more.",
    },
    "ceremony.stale_state": {
        "de": "{path} enthält {guardian} der Zeremonie {ceremony} bei {server}; der Server führt "
        "jetzt die Zeremonie {new_ceremony} mit Dir als {new_guardian}. Wurde jene Zeremonie "
        "abgebrochen, verschiebe die alte Datei (lösche nie einen Zustand, dessen Schlüssel "
        "benutzt wird) und führe `ceremony` noch einmal aus.",
        "en": "{path} holds {guardian} of ceremony {ceremony} at {server}; the server now runs "
        "ceremony {new_ceremony} with you as {new_guardian}. If that ceremony was aborted, move "
        "the old file away (never delete a state whose key is in use) and run `ceremony` again.",
    },
    "ceremony.drew": {
        "de": "unser Polynom als {guardian} gezogen und versiegelt: {n} Treuhänder:innen, "
        "Mindestzahl {quorum} (prüfe diese Zahlen mit dem Präsidium)",
        "en": "drew and sealed our polynomial as {guardian}: {n} guardians, quorum {quorum} "
        "(check these numbers with the presidium)",
    },
    "ceremony.posted_key": {
        "de": "den öffentlichen Schlüssel gesendet (Commitments und Schnorr-Beweise)",
        "en": "posted the public key (commitments and Schnorr proofs)",
    },
    "ceremony.keys_posted": {
        "de": "öffentliche Schlüssel: {posted} von {n} gesendet",
        "en": "public keys: {posted} of {n} posted",
    },
    "ceremony.confirmations": {
        "de": "die Bestätigungen des Fingerabdrucks durch die anderen: {confirmed} von {n} "
        "bestätigt",
        "en": "the other guardians' confirmations of the fingerprint: {confirmed} of {n} "
        "confirmed",
    },
    "ceremony.joint_key_ok": {
        "de": "der gemeinsame Wahlschlüssel ist veröffentlicht und stimmt mit unserer eigenen "
        "Rechnung überein",
        "en": "the joint election key is published and matches our own computation",
    },
    "ceremony.others": {
        "de": "Sicherungen, Prüfungen oder Antworten der anderen Treuhänder:innen",
        "en": "other guardians' backups, verifications or answers",
    },
    "ceremony.bad_record": {
        "de": "der Server leitet einen ungültigen Eintrag weiter: {reason}",
        "en": "the server relays a bad record: {reason}",
    },
    "ceremony.other_key_as_ours": {
        "de": "der Server zeigt einen anderen öffentlichen Schlüssel unter unserer Treuhänder-ID",
        "en": "the server shows another public key under our guardian id",
    },
    "ceremony.sent_backups": {
        "de": "{count} verschlüsselte Sicherungen gesendet",
        "en": "sent {count} encrypted backups",
    },
    "ceremony.bad_answer": {
        "de": "der Server hat eine falsche Antwort angenommen: {reason}",
        "en": "the server accepted a bad answer: {reason}",
    },
    "ceremony.took_answer": {
        "de": "den beantworteten Punkt von Treuhänder:in {owner} übernommen",
        "en": "took guardian {owner}'s answered point",
    },
    "ceremony.must_answer": {
        "de": "Treuhänder:in {owner} muss unsere Beanstandung beantworten",
        "en": "guardian {owner} must answer our challenge",
    },
    "ceremony.challenged": {
        "de": "Sicherung von Treuhänder:in {owner} BEANSTANDET: {reason}",
        "en": "CHALLENGED guardian {owner}'s backup: {reason}",
    },
    "ceremony.verified": {
        "de": "Sicherung von Treuhänder:in {owner} geprüft",
        "en": "verified guardian {owner}'s backup",
    },
    "ceremony.unusable": {
        "de": "{missing} Sicherungen noch nicht verwendbar",
        "en": "{missing} backups not yet usable",
    },
    "ceremony.answered": {
        "de": "die Beanstandung von Treuhänder:in {designated} beantwortet (ihr Punkt ist jetzt "
        "öffentlich)",
        "en": "answered guardian {designated}'s challenge (its point is now public)",
    },
    "ceremony.other_joint_key": {
        "de": "der Server hat einen anderen gemeinsamen Schlüssel veröffentlicht als den der "
        "Treuhänder:innen",
        "en": "the server published a joint key other than the guardians' own",
    },
    # status
    "status.no_ceremony": {
        "de": "Es hat keine Schlüsselzeremonie begonnen.",
        "en": "No key ceremony has started.",
    },
    "status.ceremony": {
        "de": "Schlüsselzeremonie: {state}, {quorum} von {n}",
        "en": "Key ceremony: {state}, {quorum} of {n}",
    },
    "status.server_fingerprint": {
        "de": "  der Fingerabdruck des Servers: {fingerprint} (vergleiche ihn mit dem, den "
        "`ceremony` Dir zeigt; lies Deinen vor, nie diesen)",
        "en": "  the server's fingerprint: {fingerprint} (compare with the one `ceremony` shows "
        "you; read out yours, never this one)",
    },
    "status.guardian": {
        "de": "  {guardian} ({name}): Schlüssel {key}, Fingerabdruck {fingerprint}, Sicherungen "
        "gesendet {sent}/{expected}, geprüft {verified}/{expected}",
        "en": "  {guardian} ({name}): key {key}, fingerprint {fingerprint}, backups sent "
        "{sent}/{expected}, verified {verified}/{expected}",
    },
    "status.challenged": {"de": ", beanstandet {who}", "en": ", challenged {who}"},
    "status.owes": {"de": ", schuldet Antworten an {who}", "en": ", owes answers to {who}"},
    "status.yes": {"de": "ja", "en": "yes"},
    "status.no": {"de": "nein", "en": "no"},
    "status.fp_confirmed": {"de": "bestätigt", "en": "confirmed"},
    "status.fp_not_confirmed": {"de": "nicht bestätigt", "en": "not confirmed"},
    "status.vote": {
        "de": "Abstimmung {vote} ({title}): {state}, Anteile von {who}",
        "en": "Vote {vote} ({title}): {state}, shares from {who}",
    },
    "status.nobody": {"de": "niemandem", "en": "nobody"},
    "status.owed": {
        "de": "  für die abwesende {missing}: noch geschuldet von {who}",
        "en": "  for absent {missing}: still owed by {who}",
    },
    # decrypt
    "decrypt.still_open": {
        "de": "Abstimmung {vote} ist nach {seconds} s noch {state}; nichts gesendet",
        "en": "vote {vote} is still {state} after {seconds} s; nothing sent",
    },
    "decrypt.skipped": {"de": "Übersprungen: {reason}.", "en": "Skipped: {reason}."},
    "decrypt.result": {
        "de": "Abstimmung {vote}: {state}; Anteile von {who}",
        "en": "Vote {vote}: {state}; shares from {who}",
    },
    "decrypt.waiting_close": {
        "de": "Abstimmung {vote} ist {state}; warte auf ihren Schluss ...",
        "en": "Vote {vote} is {state}; waiting for its close ...",
    },
    "decrypt.cancelled": {
        "de": "Abstimmung {vote} wurde vom Präsidium abgebrochen: niemand entschlüsselt sie; "
        "kein Anteil gesendet",
        "en": "vote {vote} was cancelled by the presidium: nobody decrypts it; no share sent",
    },
    "decrypt.spoiled_copy": {
        "de": "der getestete Stimmzettel {object!r} teilt einen Geheimtext mit dem abgegebenen "
        "Stimmzettel {copy!r}: ihn zu entschlüsseln würde diese Stimme veröffentlichen; kein "
        "Anteil gesendet (der Server hätte ihn als duplicate_ciphertext ablehnen müssen)",
        "en": "spoiled ballot {object!r} shares a ciphertext with cast ballot {copy!r}: "
        "decrypting it would publish that vote; refusing (the server should have refused it as "
        "duplicate_ciphertext)",
    },
    "decrypt.unknown_object": {
        "de": "der Server verlangt, {object!r} zu entschlüsseln, das weder die Summe noch ein "
        "veröffentlichter getesteter Stimmzettel ist; kein Anteil gesendet",
        "en": "the server asks us to decrypt {object!r}, which is neither the tally nor a "
        "published spoiled ballot; refusing",
    },
    "decrypt.unreadable": {
        "de": "Abstimmung {vote}: unlesbare Daten vom Server: {reason}",
        "en": "vote {vote}: unreadable data from the server: {reason}",
    },
    "decrypt.no_ceremony": {
        "de": "die Schlüsselzeremonie ist auf diesem Rechner nicht abgeschlossen (führe "
        "`ceremony` aus)",
        "en": "the key ceremony is not finished on this laptop (run `ceremony`)",
    },
    "decrypt.other_key": {
        "de": "Abstimmung {vote} ist nicht mit dem gemeinsamen Schlüssel unserer Zeremonie "
        "verschlüsselt",
        "en": "vote {vote} is not encrypted under our ceremony's joint key",
    },
    "decrypt.other_context": {
        "de": "Abstimmung {vote}: der Kontext nennt ein anderes n oder k",
        "en": "vote {vote}: the context names another n or k",
    },
    "decrypt.invalid_ballot": {
        "de": "Abstimmung {vote}: ein veröffentlichter Stimmzettel ist ungültig: {reason}",
        "en": "vote {vote}: a published ballot is invalid: {reason}",
    },
    "decrypt.not_the_sum": {
        "de": "Abstimmung {vote}: die verschlüsselte Summe ist nicht die Summe der {count} "
        "veröffentlichten abgegebenen Stimmzettel; kein Anteil gesendet",
        "en": "vote {vote}: the encrypted tally is not the sum of the {count} published cast "
        "ballots; refusing to decrypt",
    },
    "decrypt.readded": {
        "de": "die veröffentlichten Stimmzettel neu addiert: die verschlüsselte Summe stimmt",
        "en": "re-added the published ballots: the encrypted tally matches",
    },
    "decrypt.sent_share": {
        "de": "unseren Entschlüsselungsanteil mit seinen Beweisen gesendet ({what})",
        "en": "sent our decryption share with its proofs ({what})",
    },
    "decrypt.what_tally": {"de": "die Summe", "en": "the tally"},
    "decrypt.what_tally_spoiled": {
        "de": "die Summe und {spoiled} getestete Stimmzettel",
        "en": "the tally and {spoiled} spoiled ballots",
    },
    "decrypt.no_backup": {
        "de": "kann nicht für {missing} einspringen: wir haben keine Sicherung von ihr",
        "en": "cannot stand in for {missing}: we hold no backup from it",
    },
    "decrypt.compensated": {
        "de": "einen Ersatzanteil für die abwesende Treuhänder:in {missing} gesendet",
        "en": "sent a compensated share for absent guardian {missing}",
    },
    # the sealed state file
    "state.empty_passphrase": {
        "de": "die Passphrase darf nicht leer sein",
        "en": "the passphrase must not be empty",
    },
    "state.unknown_version": {
        "de": "keine evote-Treuhänder-Zustandsdatei einer bekannten Version",
        "en": "not an evote guardian state file of a known version",
    },
    "state.wrong_passphrase": {
        "de": "falsche Passphrase, oder die Zustandsdatei wurde verändert",
        "en": "wrong passphrase, or the state file was altered",
    },
    "state.damaged": {
        "de": "die Zustandsdatei ist beschädigt: {reason}",
        "en": "the state file is damaged: {reason}",
    },
    "state.missing": {
        "de": "kein Treuhänder-Zustand unter {path}",
        "en": "no guardian state at {path}",
    },
    "state.unknown_state_version": {
        "de": "Treuhänder-Zustand einer unbekannten Version",
        "en": "guardian state of an unknown version",
    },
}
