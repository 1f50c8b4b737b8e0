"""Texts of the audit log page and the minutes (issue 13), German first.

Kept apart from `texts_staff` so the organisers' pages, built in parallel, do not edit one
dictionary; merged into `i18n.MESSAGES` at import like the others.
"""

from __future__ import annotations

AUDIT_TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "audit.title": "Protokoll der Aktionen (Audit-Log)",
        "audit.intro": "Was Präsidium, Support, Verwaltung und das System getan haben, in der Reihenfolge des Geschehens. Jeder Eintrag trägt den Hash des vorigen: Niemand kann einen Eintrag unbemerkt entfernen oder ändern. Über Stimmen steht hier nie etwas.",
        "audit.action": "Aktion",
        "audit.actor": "Wer",
        "audit.object": "Objekt",
        "audit.time": "Zeit",
        "audit.details": "Einzelheiten",
        "audit.filter": "Filtern",
        "audit.system": "System",
        "audit.none": "Keine Einträge.",
        "audit.head": "Neuester Eintrag Nr. {seq}, Hash",
        "audit.download": "Ganzes Log herunterladen (prüfbar mit „evote audit verify“)",
        "audit.bad_filter": "Der Filter „{field}“ ist ungültig: Wer ist eine Teilnehmenden-Nummer oder „system“, Anzahl 1 bis 500.",
        "start.audit": "Audit-Log",
        "start.audit.hint": "Wer hat wann was getan (Präsidium, Support, Verwaltung, System)",
        "minutes.button": "Protokoll (PDF)",
        "minutes.csv": "Protokoll (CSV, ZIP)",
    },
    "en": {
        "audit.title": "Log of actions (audit log)",
        "audit.intro": "What the presidium, support, admins and the system did, in the order it happened. Each entry carries the hash of the one before: nobody can remove or change an entry unnoticed. Nothing about anyone's vote is ever in it.",
        "audit.action": "Action",
        "audit.actor": "Who",
        "audit.object": "Object",
        "audit.time": "Time",
        "audit.details": "Details",
        "audit.filter": "Filter",
        "audit.system": "System",
        "audit.none": "No entries.",
        "audit.head": "Newest entry no. {seq}, hash",
        "audit.download": "Download the whole log (check it with “evote audit verify”)",
        "audit.bad_filter": "The filter “{field}” is not valid: Who is a participant number or “system”, the count 1 to 500.",
        "start.audit": "Audit log",
        "start.audit.hint": "Who did what and when (presidium, support, admins, system)",
        "minutes.button": "Minutes (PDF)",
        "minutes.csv": "Minutes (CSV, zip)",
    },
}
