"""Sealed letters: one A4 page per delegate with the voting code and its QR code, German and English.

The QR code holds the delegate page's address with the code in the fragment
(`…/delegate#credential=7KQ3M-…`): a phone's camera app opens it, the page hands the code to
its ballot worker and removes it from the address bar.  Browsers never send a fragment to a
server, so the code does not reach the server's logs this way either.  The modules are drawn
as vector rectangles, so the PDF prints sharp and needs no image library.

The PDF holds every code in clear: print it on the committee's own printer, put each page in
an envelope, and delete the file (docs/credentials.md).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from evote_credentials.committee import Letter

QR_SIZE = 50 * mm

TEXT_DE = (
    "So stimmst Du ab: Melde Dich wie gewohnt mit Login und Passwort an. Die Seite fragt",
    "einmal nach diesem Zugangscode. Tippe ihn ein (Groß-/Kleinschreibung und Striche sind",
    "egal) oder scanne den QR-Code mit der Kamera Deines Telefons. Ohne den Code zählt keine",
    "Stimme, auch nicht, wenn jemand anderes Dein Passwort hat.",
    "Der Code bleibt auf Deinem Gerät. Niemand vom Support oder vom Präsidium fragt je danach.",
    "Bewahre diesen Brief getrennt von Deinen Zugangsdaten auf. Verloren? Wende Dich an die",
    "Mandatsprüfungskommission (nicht an den Support): Du bekommst einen neuen Code, der alte",
    "wird gesperrt.",
)
TEXT_EN = (
    "How to vote: log in with your login and password as usual. The page asks once for this",
    "voting code. Type it (case and dashes do not matter) or scan the QR code with your",
    "phone's camera. Without the code no vote counts, not even if someone else has your password.",
    "The code stays on your device. No support or presidium member will ever ask for it.",
    "Keep this letter apart from your login letter. Lost it? Ask the credentials committee",
    "(not support): you get a new code, and the old one is revoked.",
)


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    quiet = 4
    cell = size / (len(matrix) + 2 * quiet)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + (c + quiet) * cell, y + size - (r + quiet + 1) * cell, cell, cell,
                            stroke=0, fill=1)


def _page(canvas: Canvas, letter: Letter) -> None:
    _width, height = A4
    left = 22 * mm
    y = height - 28 * mm
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(left, y, letter.event_name)
    y -= 9 * mm
    canvas.setFont("Helvetica", 12)
    canvas.drawString(left, y, "Zugangscode zum Abstimmen / Voting code")
    if letter.batch:
        y -= 6 * mm
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(
            left, y,
            f"Ersatzbrief: gilt ab der {letter.first_slot}. Abstimmung; der alte Code ist gesperrt. / "
            f"Replacement: valid from vote no. {letter.first_slot}; the old code is revoked.",
        )
    y -= 14 * mm
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(left, y, letter.delegate.name)
    if letter.delegate.delegation:
        y -= 6 * mm
        canvas.setFont("Helvetica", 11)
        canvas.drawString(left, y, letter.delegate.delegation)
    y -= 18 * mm
    canvas.setFont("Courier-Bold", 24)
    canvas.drawString(left, y, letter.code)
    qr_y = y - QR_SIZE - 8 * mm
    _draw_qr(canvas, letter.url, left, qr_y, QR_SIZE)
    y = qr_y - 10 * mm
    for lines in (TEXT_DE, TEXT_EN):
        canvas.setFont("Helvetica", 10)
        for line in lines:
            canvas.drawString(left, y, line)
            y -= 5 * mm
        y -= 4 * mm
    canvas.setFont("Helvetica", 8)
    canvas.drawString(left, 15 * mm, f"Teilnehmer-Nr. / participant no. {letter.delegate.participant_id}"
                      f" · Ausgabe / batch {letter.batch}")


def render_letters(letters: Sequence[Letter]) -> bytes:
    """The whole PDF in memory (the caller writes it, owner-only)."""
    if not letters:
        raise ValueError("no letters to print")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle("Zugangscodes / Voting codes")
    for letter in letters:
        _page(canvas, letter)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
