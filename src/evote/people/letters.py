"""Access letters: one A4 page per participant with login name, password and a QR code.

The QR code holds only the login URL with the login name pre-filled, never the password: a photo
of the code (or a phone's scan history) must not be enough to log in. The QR modules are drawn as
vector rectangles, so the PDF needs no image library and prints sharp.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from evote.people.credentials import IssuedCredential

QR_SIZE = 55 * mm


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    quiet = 4
    modules = len(matrix) + 2 * quiet
    cell = size / modules
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + (c + quiet) * cell,
                    y + size - (r + quiet + 1) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def _page(canvas: Canvas, cred: IssuedCredential) -> None:
    _width, height = A4
    left = 25 * mm
    y = height - 30 * mm
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(left, y, cred.event_name)
    y -= 10 * mm
    canvas.setFont("Helvetica", 12)
    canvas.drawString(left, y, "Persönliche Zugangsdaten / Personal access")
    y -= 14 * mm
    canvas.drawString(left, y, cred.name)
    if cred.delegation:
        y -= 6 * mm
        canvas.drawString(left, y, cred.delegation)
    y -= 16 * mm
    rows = (
        ("Adresse / Address", cred.login_url.split("?", 1)[0]),
        ("Login", cred.login_name),
        ("Passwort / Password", cred.password),
    )
    for label, value in rows:
        canvas.setFont("Helvetica", 11)
        canvas.drawString(left, y, label)
        canvas.setFont("Courier-Bold", 13)
        canvas.drawString(left + 48 * mm, y, value)
        y -= 9 * mm
    _draw_qr(canvas, cred.login_url, left, y - QR_SIZE - 5 * mm, QR_SIZE)
    canvas.setFont("Helvetica", 9)
    notes = (
        "Der QR-Code öffnet die Anmeldeseite mit Ihrem Login; das Passwort tippen Sie selbst ein.",
        "The QR code opens the login page with your login filled in; type the password yourself.",
        "Bewahren Sie diesen Brief sicher auf. Geben Sie das Passwort niemandem weiter.",
        "Keep this letter safe. Never share the password, not even with support staff.",
    )
    ny = 40 * mm
    for note in notes:
        canvas.drawString(left, ny, note)
        ny -= 5 * mm


def render_letters(credentials: Sequence[IssuedCredential], title: str = "Access letters") -> bytes:
    """The whole PDF in memory (the caller decides where, and with which file mode, it goes)."""
    if not credentials:
        raise ValueError("no credentials to print")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    for cred in credentials:
        _page(canvas, cred)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
