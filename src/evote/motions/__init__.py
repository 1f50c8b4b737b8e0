"""Motions and amendments (Antragsverwaltung): from submission to the vote and the motion book.

A motion is written by a delegate, a group of delegates (with supporters collected here) or a
party body, screened by the motions committee, numbered per kind (S1, P2, A3 …), put on the
agenda, and decided by a vote of the convention whose manifest names the motion and the
SHA-256 of the exact text voted on. Amendments are motions of their own that name the lines
of their motion they change; adopted ones make the consolidated text.

Modules, one job each:

- ``text``: the canonical form of a motion's text, its numbered lines and the safe rendering of
  its Markdown subset (paragraphs, lists, emphasis; never HTML);
- ``diff``: amendments as replacements of numbered lines, mapped onto later versions, applied,
  and shown as inline word diffs;
- ``states``: the states and which step leads where;
- ``service``: the steps themselves on the database (submit, support, screen, number, amend,
  take over, withdraw, refer), each a refusal with a stable code when not allowed;
- ``voting``: a vote opened from a motion or amendment, and its result flowing back;
- ``book``: the motion book as PDF.
"""
