"""Word documents (.docx) → text, by python-docx.

Paragraphs and tables in document order. A paragraph is a block of its own
(blocks are separated by a blank line, as in a plain-text article); a table
is a block whose rows are lines, each row's cells joined by a tab (the
layout stages/tables.py reads), so a "Chỉ tiêu, Kế hoạch, Thực hiện" row
keeps its figures in column order. A merged cell is written once, in its
first grid slot; the slots it covers (across or down) are left empty, so
every row keeps the grid's columns and no figure is written twice.
Headers and footers (page furniture) are left out.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile

from .limits import DEFAULT_LIMITS, Limits, check_office_package


class WordError(ValueError):
    """A .docx that cannot be read; the message says why and what to do."""


_CELL_SEPARATOR = "\t"


def read_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """NFC text of a .docx; WordError when it is not one or holds no text,
    LimitError when a part would unpack past `limits` (checked from the zip
    directory, before anything is unpacked)."""
    check_office_package(data, limits, WordError, "an old binary Word file (.doc) or a password-protected .docx: "
                         "open it in Word or LibreOffice, remove any password and save it as .docx",
                         "Word", "Word document", ".docx")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises KeyError, PackageNotFoundError … for broken packages
        raise WordError(f"a zip file but not a readable Word document ({type(err).__name__}: {err})") from None
    blocks = []
    for part in document.iter_inner_content():
        block = _table(part) if isinstance(part, Table) else _paragraph(part.text)
        if block:
            blocks.append(block)
    if not blocks:
        raise WordError("the document holds no text")
    return unicodedata.normalize("NFC", "\n\n".join(blocks))


def _paragraph(text: str) -> str:
    """Runs of spaces and tabs as one space; a manual line break stays a line."""
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


# Word's own tables stop at 63 columns; a row whose cells claim more slots is
# damaged or made to exhaust memory (python-docx lists a cell once per slot).
_MAX_GRID_COLUMNS = 1_000


def _table(table) -> str:
    """Rows of cells joined by tabs. Each cell element is read once, in its
    first grid slot; the slots it spans across, and those of the rows a
    vertical merge continues into, stay empty. Read from the cell elements
    themselves: python-docx's `row.cells` looks each continued cell up in the
    row above, again for each row, which is quadratic and recursive in a long
    merge."""
    from docx.table import _Cell

    rows = []
    for row in table.rows:
        elements = row._tr.tc_lst
        slots = sum(tc.grid_span for tc in elements)
        if slots > _MAX_GRID_COLUMNS:
            raise WordError(f"a table row spans {slots:,} columns (a Word table has at most 63): "
                            f"the file is damaged")
        cells = []
        for tc in elements:
            text = "" if tc.vMerge == "continue" else " ".join(_Cell(tc, table).text.split())
            cells.extend([text] + [""] * (tc.grid_span - 1))
        if any(cells):
            rows.append(_CELL_SEPARATOR.join(cells))
    return "\n".join(rows)
