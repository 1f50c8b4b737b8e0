"""The minutes as a PDF: A4, a letterhead line, numbered sections, tables with thin rules, page
numbers and the audit log's head in the footer, signature lines at the end — the kind of
document a party office files. The motion book's fonts (DejaVu where installed, which has
every letter a name may hold; else Helvetica), embedded with their Unicode map so the text can
be extracted and searched; every text from the database is escaped before reportlab reads it.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from evote.minutes.collect import AgendaMinute, Minutes, VoteMinute
from evote.minutes.words import words
from evote.motions.book import WORDS as MOTION_WORDS
from evote.motions.book import _fonts as motion_fonts  # one font choice for both books

_BASE = getSampleStyleSheet()


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", parent=_BASE["Title"], fontName=bold, fontSize=18, spaceAfter=2 * mm),
        "h1": ParagraphStyle("h1", parent=_BASE["Heading2"], fontName=bold, fontSize=13, spaceBefore=5 * mm),
        "h2": ParagraphStyle("h2", parent=_BASE["Heading3"], fontName=bold, fontSize=11, spaceBefore=3 * mm),
        "body": ParagraphStyle("body", parent=_BASE["BodyText"], fontName=regular, fontSize=9.5, leading=12),
        "small": ParagraphStyle("small", parent=_BASE["BodyText"], fontName=regular, fontSize=8, leading=10),
        "mono": ParagraphStyle("mono", parent=_BASE["BodyText"], fontName="Courier", fontSize=7.5, leading=9),
    }


# DejaVu where installed (names like Łukasz or Şahin), else Helvetica: the motion book's choice
REGULAR, BOLD = motion_fonts()
STYLES = _styles(REGULAR, BOLD)
GRID = TableStyle([
    ("FONT", (0, 0), (-1, -1), REGULAR, 9),
    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
])
HEADED = TableStyle([
    *GRID.getCommands(),
    ("FONT", (0, 0), (-1, 0), BOLD, 9),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
])


def when(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return "–"
    return moment.strftime("%d.%m.%Y %H:%M UTC" if lang == "de" else "%Y-%m-%d %H:%M UTC")


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _facts(rows: list[tuple[str, Any]]) -> Table:
    table = Table([[_p(k), v if isinstance(v, Paragraph) else _p(str(v))] for k, v in rows],
                  colWidths=[45 * mm, 125 * mm])
    table.setStyle(GRID)
    return table


def _vote(v: VoteMinute, lang: str) -> list[Any]:
    w = words(lang)
    rows: list[tuple[str, Any]] = [
        ("", _p(w.get(f"kind_{v.kind}", v.kind))),
        (w["secrecy"], w[f"secrecy_{v.secrecy}"]),
        (w["options"], ", ".join(v.options)),
        (w["attendance"], w["attendance_text"].format(present=v.present, members=v.members, cast=v.cast)),
        (w["rule"], v.rule),
        (f"{w['opened_at']} / {w['closed_at']}", f"{when(v.opened_at, lang)} / {when(v.closed_at, lang)}"),
    ]
    if v.electorate:
        rows.append((w["electorate"], v.electorate))
    if v.seats is not None:
        rows.append((w["seats"], str(v.seats)))
    if v.threshold:
        rows.append((w["threshold"], v.threshold))
    if v.totals:
        rows.append((w["totals"], "; ".join(f"{name}: {n}" for name, n in v.totals)))
    rows.append((w["verdict"], Paragraph(f"<b>{escape(v.verdict)}</b>", STYLES["body"])))
    rows += _published(v, w)
    if v.announced_at is not None:
        rows.append((w["announced_at"], when(v.announced_at, lang)))
    if v.fingerprint:
        rows.append((w["fingerprint"], _p(v.fingerprint, "mono")))
    if v.audit_close_hash:
        rows.append((w["audit_close"], _p(v.audit_close_hash, "mono")))
    return [KeepTogether([_p(f"{w['vote']} {v.vote_id}: {v.title}", "h2"), _facts(rows)])]


def _published(v: VoteMinute, w: dict[str, str]) -> list[tuple[str, Any]]:
    """The announced names, choices, seats' rules and lot (empty before the announcement)."""
    rows: list[tuple[str, Any]] = []
    if v.seats_by_rule:
        filled = "; ".join(f"{name}: {rule}" for name, rule in v.seats_by_rule)
        if v.quota_shortfall:
            filled += "; " + w["quota_shortfall"].format(n=v.quota_shortfall)
        rows.append((w["seats_by_rule"], filled))
    if v.lot is not None:
        lot = v.lot
        rows += [
            (w["lot"], w["lot_text"].format(drawn=", ".join(lot.drawn),
                                            candidates=", ".join(lot.candidates), seats=lot.seats)),
            (w["lot_record"], _p(lot.record_sha256, "mono")),
            (w["lot_announced"], lot.announced_value),
            (w["lot_seed"], _p(lot.seed, "mono")),
        ]
    if v.secrecy != "secret" and v.eligible and not v.roll_call:
        rows.append((w["eligible"], w["eligible_text"].format(n=len(v.eligible), names=", ".join(v.eligible))))
    if v.roll_call:
        rows.append((w["eligible"], str(len(v.eligible))))
        rows.append((w["roll_call"], Paragraph(
            "<br/>".join(f"{escape(name)}: {escape(choice)}" for name, choice in v.roll_call),
            STYLES["body"])))
    return rows


def _item(item: AgendaMinute, lang: str) -> list[Any]:
    w = words(lang)
    head = f"{w['item']} {item.position}: {item.title}" if item.position else item.title
    if item.called_at is not None:
        head += f" ({w['called_at']} {when(item.called_at, lang)})"
    flow: list[Any] = [_p(head, "h1")]
    if item.speakers:
        names = [
            f"{s['name']}" + (f" ({s['delegation']})" if s.get("delegation") else "")
            + (f" – {w['point_of_order']}" if s.get("kind") == "point_of_order" else "")
            for s in item.speakers
        ]
        flow.append(_p(f"{w['speakers']}: " + "; ".join(names)))
    for vote in item.votes:
        flow.extend(_vote(vote, lang))
    return flow


def _motions(minutes: Minutes) -> list[Any]:
    w = words(minutes.lang)
    if not minutes.motions:
        return []
    rows: list[list[Any]] = [[_p(""), _p(w["motions"]), _p(w["submitter"]), _p(w["motion_state"])]]
    said = MOTION_WORDS.get(minutes.lang, MOTION_WORDS["de"])  # the motion book's words
    for m in minutes.motions:
        votes = "; ".join(
            f"{said.get(x.purpose, x.purpose)}: {said.get(x.outcome or '', x.outcome or w['pending'])}"
            + (f" ({w['yes']} {x.yes}, {w['no']} {x.no}, {w['abstain']} {x.abstain})" if x.yes is not None else "")
            for x in m.votes
        )
        state = said.get(m.state, m.state) + (f" – {votes}" if votes else "") + (f" – {m.note}" if m.note else "")
        rows.append([_p(m.label or ""), _p(m.title), _p(m.submitter), _p(state)])
    table = Table(rows, colWidths=[22 * mm, 70 * mm, 38 * mm, 40 * mm], repeatRows=1)
    table.setStyle(HEADED)
    return [_p(w["motions"], "h1"), table]


def render(minutes: Minutes) -> bytes:
    """The PDF's bytes."""
    lang = minutes.lang
    w = words(lang)
    out = io.BytesIO()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.drawString(20 * mm, 10 * mm, f"{minutes.event_name} · {w['title']} · {w['audit_head']} {minutes.audit_head[:16]}…")
        canvas.drawRightString(190 * mm, 10 * mm, w["page"].format(n=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=18 * mm, title=f"{w['title']} {minutes.event_name}", author="evote",
    )
    flow: list[Any] = [
        _p(minutes.event_name, "small"),
        _p(f"{w['title']}: {minutes.event_name}", "title"),
        _facts([
            (w["opened"], when(minutes.opened_at, lang)),
            (w["closed"], when(minutes.closed_at, lang)),
            (w["made"], when(minutes.made_at, lang)),
            (w["audit_head"], _p(minutes.audit_head, "mono")),
        ]),
        _p(w["agenda"], "h1"),
    ]
    listing = [[_p(w["item"]), _p(w["agenda"]), _p(w["called_at"])]] + [
        [_p(str(i.position) if i.position else ""), _p(i.title), _p(when(i.called_at, lang) if i.called_at else w["not_called"])]
        for i in minutes.agenda
    ]
    table = Table(listing, colWidths=[15 * mm, 110 * mm, 45 * mm], repeatRows=1)
    table.setStyle(HEADED)
    flow.append(table)
    for item in minutes.agenda:
        flow.extend(_item(item, lang))
    flow.extend(_motions(minutes))
    flow += [Spacer(1, 18 * mm), _signatures(w)]
    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _signatures(w: dict[str, str]) -> Table:
    line = "_" * 38
    table = Table([[line, line], [_p(w["place_date"], "small"), _p(w["signature"], "small")]],
                  colWidths=[85 * mm, 85 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 9)]))
    return table
