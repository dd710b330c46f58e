"""Spreadsheets (.xlsx) → text, by openpyxl: each sheet a table.

A row with two or more filled cells is a table row: one line, its cells
separated by a tab (the layout stages/tables.py reads); a row with one filled
cell is a line of its own (a title such as "Biểu kết quả thực hiện … năm
2023", which gives a table its period and place); empty rows separate
blocks. Merged cells are written once, in their top-left cell, the cells
they cover left empty, as the HTML and Word readers do. Formulas give the
value the file last saved for them.

A number stored as a number is written the Vietnamese way (5356.8 →
"5.356,8", a cell formatted as a percentage 0.085 → "8,5%"), so the text
`vnextract text` prints, a record's span and its value agree. .ods files are
not read: openpyxl reads only Office Open XML; save them as .xlsx.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
import zipfile

from .limits import DEFAULT_LIMITS, Limits, check_office_package
from ..workbooks import WorkbookError, first_sheet_rows


class SpreadsheetError(ValueError):
    """A spreadsheet that cannot be read; the message says why and what to do."""


_CELL_SEPARATOR = "\t"


def read_xlsx(data: bytes, suffix: str = ".xlsx", limits: Limits = DEFAULT_LIMITS) -> str:
    """NFC text of a workbook, sheet after sheet; SpreadsheetError when it is none
    or holds nothing, LimitError when a part would unpack past `limits` (checked
    from the zip directory, before anything is unpacked)."""
    if suffix == ".ods":
        raise SpreadsheetError("an OpenDocument spreadsheet (.ods), which openpyxl does not read: open it in "
                               "LibreOffice and save it as .xlsx (File › Save As › Excel 2007-365)")
    check_office_package(data, limits, SpreadsheetError, "an old binary Excel file (.xls) or a password-protected "
                         ".xlsx: open it in Excel or LibreOffice, remove any password and save it as .xlsx",
                         "Excel", "Excel workbook", ".xlsx")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as err:  # openpyxl raises KeyError, InvalidFileException … for broken packages
        raise SpreadsheetError(f"a zip file but not a readable Excel workbook ({type(err).__name__}: {err})") from None
    blocks = [block for sheet in book.worksheets if (block := _sheet(sheet))]
    if not blocks:
        raise SpreadsheetError("the workbook holds no filled cells")
    return unicodedata.normalize("NFC", "\n\n".join(blocks))


def first_row(workbook: bytes | str | os.PathLike) -> list[str]:
    """The filled cells of a workbook's first row (a records workbook's header
    names record fields); [] when it cannot be read."""
    try:
        with first_sheet_rows(workbook) as rows:
            return [str(v) for v in next(rows, ()) if v is not None]
    except WorkbookError:
        return []


def _sheet(sheet) -> str:
    rows = _filled_rows(sheet)
    width = max((max((i + 1 for i, t in enumerate(r) if t), default=0) for r in rows), default=0)
    filled = [sum(1 for t in r if t) for r in rows]
    lines: list[str] = []
    for k, row in enumerate(rows):
        if not filled[k]:
            if lines and lines[-1]:
                lines.append("")
        elif filled[k] == 1 and not _inside_table(rows, filled, k):
            lines.append(next(t for t in row if t))
        else:
            lines.append(_CELL_SEPARATOR.join((row + [""] * (width - len(row)))[:width]))
    return "\n".join(lines).strip("\n")


def _filled_rows(sheet) -> list[list[str]]:
    """The sheet's rows as cell texts, from its first filled column, read from
    the cells the file stores: a run of empty rows is one empty row. The grid
    `iter_rows` walks spans every row and column up to the farthest stored
    cell, so one cell at XFD1048576 would make it 17 billion cells."""
    stored = getattr(sheet, "_cells", None)  # openpyxl's (row, column) → cell
    if stored is None:  # another openpyxl: its grid
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
    texts: dict[int, dict[int, str]] = {}
    for (row, column), cell in stored.items():
        if text := _cell_text(cell):
            texts.setdefault(row, {})[column] = text
    if not texts:
        return []
    first = min(min(columns) for columns in texts.values())
    rows: list[list[str]] = []
    previous = None
    for row in sorted(texts):
        if previous is not None and row > previous + 1:
            rows.append([])
        columns = texts[row]
        rows.append([columns.get(c, "") for c in range(first, max(columns) + 1)])
        previous = row
    return rows


def _inside_table(rows: list[list[str]], filled: list[int], k: int) -> bool:
    """A row of one filled cell belongs to the table around it ("Trong đó:"
    under the label column) unless it is a title: in the first column, with
    no table row right before and after it."""
    if not rows[k][0]:
        return True
    return 0 < k < len(rows) - 1 and filled[k - 1] >= 2 and filled[k + 1] >= 2


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return vietnamese_number(value * 100) + "%"
        return vietnamese_number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, (dt.date, dt.time)):
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value.strftime("%H:%M")
    return " ".join(str(value).split())


def vietnamese_number(value: float) -> str:
    """A number as a Vietnamese report writes it: "." between thousands, "," before
    decimals, no trailing zeros (5356.8 → "5.356,8", 420.0 → "420")."""
    value = round(float(value), 10)
    if value.is_integer():
        whole, decimals = f"{int(value):,}", ""
    else:
        text = f"{value:.10f}".rstrip("0")
        integer, decimals = text.split(".")
        whole = f"{int(integer):,}" if integer not in ("-0",) else "-0"
    whole = whole.replace(",", ".")
    return f"{whole},{decimals}" if decimals else whole
