"""Cells evote writes into CSV/TSV output: never a formula when a spreadsheet opens the file.

Names, delegations and event titles come from organisers' files and forms. A cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets skip
before reading a formula) is run as a formula by Excel, LibreOffice and Google Sheets: CSV
injection.  The OWASP rule applied here: prefix such a cell with a single quote, which the
spreadsheet shows as text.  Every CSV/TSV writer of evote goes through this module, so the rule
holds in one place (tests/server/test_people_spreadsheet.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def safe_cell(value: object) -> str:
    """The cell's text, with a leading ``'`` if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def tsv_line(cells: Iterable[object]) -> str:
    """One line of tab-separated output: tabs and line breaks inside a cell become spaces
    (TSV has no quoting, so they would shift columns or start a row), then `safe_cell`."""
    out = []
    for cell in cells:
        text = "" if cell is None else str(cell)
        flat = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
        out.append(safe_cell(flat))
    return "\t".join(out)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """A CSV document (CRLF lines, with a UTF-8 byte order mark so Excel reads umlauts right)
    whose every cell went through `safe_cell`: the one CSV writer of evote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + out.getvalue()
