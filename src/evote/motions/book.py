"""The motion book (Antragsbuch) and the resolutions book (Beschlussbuch) as print-ready PDFs.

The motion book holds every admitted motion in the order of the listing (by kind, then number),
each with its numbered lines exactly as on the pages (the canonical text's lines, so "Zeile 12"
means the same line on paper and on a phone), its reason, the committee's recommendation, and
each published amendment as a word diff (struck through / underlined, and in colour); a table of
contents up front. The resolutions book, after the convention, holds the adopted motions in their
consolidated text (as amended), each with the SHA-256 of that text and the votes that decided it,
so a reader can match the paper against the published vote records.

Only published motions appear (what a delegate may read); drafts, submitted and refused ones
never do. Rendering uses reportlab's platypus; a motion's characters are escaped by
``evote.motions.text``/``diff`` before they reach reportlab's paragraph markup.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents
from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.motions import diff, service
from evote.motions.states import MotionState
from evote.motions.text import render, sha256_hex
from evote.store.models.event import Event
from evote.store.models.motions import Motion, MotionKind, MotionVote

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""DejaVu covers every character a motion may hold; without it the PDF falls back to
Helvetica, whose encoding has the German letters, dashes and quotes but not everything."""

WORDS: dict[str, dict[str, str]] = {
    "de": {
        "book": "Antragsbuch", "resolutions": "Beschlussbuch", "contents": "Inhalt",
        "by": "Antragstellende", "state": "Stand", "reason": "Begründung",
        "recommendation": "Empfehlung der Antragskommission", "proposed": "Vorgeschlagene Fassung",
        "urgent": "Dringlichkeitsantrag", "amendments": "Änderungsanträge", "line": "Zeile",
        "version": "Fassung", "votes": "Abstimmungen", "vote": "Abstimmung",
        "final": "Schlussabstimmung", "amendment": "Änderungsantrag", "page": "Seite",
        "none": "Keine Anträge.", "made": "Erstellt",
        "adopt": "Annahme", "reject": "Ablehnung", "adopt_modified": "Annahme in geänderter Fassung",
        "refer": "Überweisung",
        "admitted": "zugelassen", "numbered": "nummeriert", "on_agenda": "auf der Tagesordnung",
        "voting": "in Abstimmung", "adopted": "angenommen",
        "adopted_as_amended": "in geänderter Fassung angenommen", "rejected": "abgelehnt",
        "referred": "überwiesen", "withdrawn": "zurückgezogen", "taken_over": "übernommen",
        "taken_over_modified": "modifiziert übernommen", "void": "ungültig", "cancelled": "abgebrochen",
        "merged": "zusammengeführt",
    },
    "en": {
        "book": "Motion book", "resolutions": "Resolutions", "contents": "Contents",
        "by": "Submitted by", "state": "State", "reason": "Reason",
        "recommendation": "Recommendation of the motions committee", "proposed": "Proposed form",
        "urgent": "Urgent motion", "amendments": "Amendments", "line": "line",
        "version": "Version", "votes": "Votes", "vote": "Vote",
        "final": "Final vote", "amendment": "Amendment", "page": "Page",
        "none": "No motions.", "made": "Made",
        "adopt": "adopt", "reject": "reject", "adopt_modified": "adopt in a changed form",
        "refer": "refer",
        "admitted": "admitted", "numbered": "numbered", "on_agenda": "on the agenda",
        "voting": "being voted on", "adopted": "adopted", "adopted_as_amended": "adopted as amended",
        "rejected": "rejected", "referred": "referred", "withdrawn": "withdrawn",
        "taken_over": "taken over", "taken_over_modified": "taken over in a changed form",
        "void": "void", "cancelled": "cancelled", "merged": "merged",
    },
}

RESOLVED = frozenset({MotionState.ADOPTED, MotionState.ADOPTED_AS_AMENDED})


def _fonts() -> tuple[str, str]:
    """(regular, bold) font names, DejaVu where installed."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return "Helvetica", "Helvetica-Bold"
    if "EvoteSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("EvoteSans", str(regular)))
        pdfmetrics.registerFont(TTFont("EvoteSans-Bold", str(bold)))
        pdfmetrics.registerFontFamily("EvoteSans", normal="EvoteSans", bold="EvoteSans-Bold",
                                      italic="EvoteSans", boldItalic="EvoteSans-Bold")
    return "EvoteSans", "EvoteSans-Bold"


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    number: ParagraphStyle
    h0: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    box: ParagraphStyle


def _styles() -> _Styles:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5)
    return _Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444")),
        number=ParagraphStyle("number", parent=body, fontSize=8.5, alignment=TA_RIGHT,
                              textColor=colors.HexColor("#555555")),
        h0=ParagraphStyle("h0", parent=body, fontName=bold, fontSize=22, leading=28, spaceAfter=12),
        h1=ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceBefore=6, spaceAfter=6),
        h2=ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=3),
        h3=ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=2),
        box=ParagraphStyle("box", parent=body, backColor=colors.HexColor("#eef4fb"), borderPadding=4,
                           spaceBefore=4, spaceAfter=6),
    )


class _Book(BaseDocTemplate):
    """A4 with page numbers; headings of levels 0 and 1 go into the table of contents."""

    def __init__(self, out: io.BytesIO, title: str, footer: str, font: str) -> None:
        super().__init__(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                         topMargin=18 * mm, bottomMargin=18 * mm, title=title, author="evote")
        self.footer, self.font = footer, font
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="f")
        self.addPageTemplates([PageTemplate(id="p", frames=[frame], onPage=self._page)])

    def _page(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.drawString(self.leftMargin, 10 * mm, self.footer)
        canvas.drawRightString(A4[0] - self.rightMargin, 10 * mm, str(doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's hook
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            # getPlainText() undoes the escaping; the contents are paragraph markup again
            self.notify("TOCEntry", (level, html.escape(flowable.getPlainText()), self.page, key))


def _heading(text: str, style: ParagraphStyle, level: int | None) -> Paragraph:
    para = Paragraph(text, style)
    para.toc_level = level  # type: ignore[attr-defined]
    return para


def _numbered(rows: list[tuple[str, str]], s: _Styles) -> Table:
    """Line numbers in a narrow column beside each line, as on the pages."""
    data = [[Paragraph(no, s.number), Paragraph(text, s.body)] for no, text in rows]
    table = Table(data, colWidths=[10 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _text_lines(text: str, s: _Styles) -> Table:
    rows = []
    for line in render(text, strong="b", em="i"):
        marker = f"{line.marker} " if line.marker else ""
        pad = "" if line.start or line.block == "p" else "&nbsp;&nbsp;&nbsp;"
        rows.append((str(line.number), pad + html.escape(marker) + line.html))
    return _numbered(rows, s)


def _paragraphs(text: str, s: _Styles) -> Iterator[Paragraph]:
    for block in text.split("\n\n"):
        if block.strip():
            yield Paragraph("<br/>".join(x.html for x in render(block, strong="b", em="i")), s.body)


BOOK_TAGS = diff.Tags(
    del_open='<strike><font color="#9b1c1c">', del_close="</font></strike>",
    ins_open='<u><font color="#0b5a2e">', ins_close="</font></u>", strong="b", em="i",
)


def _diff_table(amendment: Motion, s: _Styles) -> Table:
    rows = diff.word_diff(amendment.old_text or "", amendment.text, amendment.line_from or 1)
    shown = diff.render_rows(rows, BOOK_TAGS)
    return _numbered([("" if r.number is None else str(r.number), h) for r, h in zip(rows, shown, strict=True)], s)


def _w(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["de"])


def amendment_heading(db: Session, amendment: Motion, lang: str) -> str:
    """``Ä1 zu A3, Zeile 12–14`` (in English ``Ä1 to A3, line 12–14``)."""
    own = service.label(db, amendment).own or _w(lang)["amendment"]
    if lang != "de":
        own = own.replace(" zu ", " to ")
    where = diff.range_label(amendment.line_from or 1, amendment.line_to or 1, lang=lang)
    return f"{own}, {where}"


def _recommendation(item: Motion, w: dict[str, str], s: _Styles) -> list[Flowable]:
    if item.recommendation is None:
        return []
    text = f"<b>{w['recommendation']}:</b> {html.escape(w.get(item.recommendation, item.recommendation))}"
    if item.recommendation_reason:
        text += " – " + html.escape(item.recommendation_reason)
    out: list[Flowable] = [Paragraph(text, s.box)]
    if item.recommended_text:
        out += [Paragraph(f"{w['proposed']}:", s.small), *_paragraphs(item.recommended_text, s)]
    return out


def _meta(db: Session, item: Motion, w: dict[str, str], s: _Styles, public: bool) -> Paragraph:
    """Submitter, supporters and state; ``public`` (the book without login): no supporters'
    names, as in the public listing (``motions_json``)."""
    who = html.escape(item.body_name or item.author_name)
    names = [] if public else [p.name for p in service.supporters(db, item.id)]
    if names:
        who += " (" + html.escape(", ".join(names)) + ")"
    state = html.escape(w.get(item.state, item.state))
    urgent = f" · <b>{w['urgent']}</b>" if item.urgent else ""
    return Paragraph(f"{w['by']}: {who} · {w['state']}: {state}{urgent}", s.small)


def _motion_heading(db: Session, motion: Motion) -> str:
    return f"{service.label(db, motion).own or '–'}: {html.escape(motion.title)}"


def _kinds(db: Session, event_id: int) -> list[tuple[MotionKind, list[Motion]]]:
    motions = service.visible_motions(db, None, event_id)
    return [(k, [m for m in motions if m.kind_id == k.id]) for k in service.kinds(db, event_id)]


def _build(title: str, event: Event, lang: str, story: list[Flowable], s: _Styles, now: datetime) -> bytes:
    out = io.BytesIO()
    w = _w(lang)
    doc = _Book(out, f"{title} – {event.name}", f"{event.name} · {title}", s.body.fontName)
    toc = TableOfContents()
    toc.levelStyles = [
        ParagraphStyle("toc0", parent=s.body, fontName=s.h1.fontName, fontSize=11, leading=15,
                       leftIndent=0, firstLineIndent=0),
        ParagraphStyle("toc1", parent=s.body, fontSize=10, leading=13, leftIndent=8 * mm,
                       firstLineIndent=0),
    ]
    front: list[Flowable] = [
        Paragraph(html.escape(event.name), s.h1),
        Paragraph(title, s.h0),
        Paragraph(f"{w['made']}: {now.strftime('%d.%m.%Y %H:%M')} UTC", s.small),
        Spacer(1, 8 * mm),
        Paragraph(w["contents"], s.h1),
        toc,
        PageBreak(),
    ]
    doc.multiBuild(front + (story or [Paragraph(w["none"], s.body)]))
    return out.getvalue()


def motion_book(
    db: Session, event: Event, *, lang: str = "de", now: datetime, public: bool = False
) -> bytes:
    """Every published motion with numbered lines, reason, recommendation and amendments;
    ``public``: for readers without login, without supporters' names."""
    w, s = _w(lang), _styles()
    story: list[Flowable] = []
    for kind, motions in _kinds(db, event.id):
        if not motions:
            continue
        story.append(_heading(f"{html.escape(kind.name)} ({html.escape(kind.code)})", s.h1, 0))
        for motion in motions:
            story += [
                _heading(_motion_heading(db, motion), s.h2, 1),
                _meta(db, motion, w, s, public),
                *_recommendation(motion, w, s),
                Spacer(1, 2 * mm),
                _text_lines(motion.text, s),
                Paragraph(f"{w['version']} {motion.text_version} · SHA-256 {sha256_hex(motion.text)}", s.small),
            ]
            if motion.reason:
                story += [Paragraph(w["reason"], s.h3), *_paragraphs(motion.reason, s)]
            published = [a for a in service.amendments(db, motion.id) if service.is_published(a, db)]
            if published:
                story.append(Paragraph(w["amendments"], s.h3))
            for amendment in published:
                story.append(KeepTogether([
                    Paragraph(f"<b>{html.escape(amendment_heading(db, amendment, lang))}</b>"
                              f" – {html.escape(amendment.title)}", s.body),
                    _meta(db, amendment, w, s, public),
                    _diff_table(amendment, s),
                ]))
                story += _recommendation(amendment, w, s)
                if amendment.reason:
                    story += [Paragraph(f"{w['reason']}:", s.small), *_paragraphs(amendment.reason, s)]
                story.append(Spacer(1, 2 * mm))
            story.append(Spacer(1, 4 * mm))
        story.append(PageBreak())
    return _build(w["book"], event, lang, story, s, now)


def resolutions_book(db: Session, event: Event, *, lang: str = "de", now: datetime) -> bytes:
    """The adopted motions in their consolidated text, each with its hash and deciding votes."""
    w, s = _w(lang), _styles()
    story: list[Flowable] = []
    for kind, motions in _kinds(db, event.id):
        adopted = [m for m in motions if MotionState(m.state) in RESOLVED]
        if not adopted:
            continue
        story.append(_heading(f"{html.escape(kind.name)} ({html.escape(kind.code)})", s.h1, 0))
        for motion in adopted:
            story += [
                _heading(_motion_heading(db, motion), s.h2, 1),
                Paragraph(f"{w['state']}: {html.escape(w.get(motion.state, motion.state))}", s.small),
                Spacer(1, 2 * mm),
                _text_lines(motion.text, s),
                Paragraph(f"{w['version']} {motion.text_version} · SHA-256 {sha256_hex(motion.text)}", s.small),
                Paragraph(w["votes"], s.h3),
            ]
            ids = [motion.id, *(a.id for a in service.amendments(db, motion.id))]
            for link in db.scalars(select(MotionVote).where(MotionVote.motion_id.in_(ids))
                                   .order_by(MotionVote.vote_id)):
                item = db.get(Motion, link.motion_id)
                assert item is not None
                what = w["final"] if link.purpose == "final" else amendment_heading(db, item, lang)
                outcome = w.get(link.outcome or "voting", link.outcome or "")
                story.append(Paragraph(
                    f"{w['vote']} {link.vote_id} ({html.escape(what)}): {html.escape(outcome)}"
                    f" · SHA-256 {link.text_sha256}", s.small))
            story.append(Spacer(1, 5 * mm))
    return _build(w["resolutions"], event, lang, story, s, now)
