"""Document metadata: the subject locality and publication year of articles.

Excerpts often never name the place they are about ("tỉnh cấp mới 13 dự
án…"); the source sheet a user keeps beside the articles does. A sheet is a
TSV or CSV (UTF-8) or an Excel workbook (.xlsx) with a `doc_id` column and
any of: `locality` (or `province/locality`), `year` (or `date`). Free-form
cells are read the way people write them: "Gia Lai / huyện Chư Păh" →
"huyện Chư Păh" (the most specific part), "Lào Cai (tỉnh)" → "tỉnh Lào Cai", "multi-province (…)" → none.
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import regex

from ..gazetteer import REFORM, provinces, unit_named
from ..rules import load_rules
from ..workbooks import WorkbookError, first_sheet_rows


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a source sheet or a JSONL line says about an article: its subject
    locality (used where the text names none) and the year it was published."""

    locality: str | None = None
    year: int | None = None
    month: int | None = None  # when the source gives it: an article of 2025 is before or after the July reorganisation


_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_PAREN = regex.compile(r"\(([^)]*)\)")
_LOCALITY_COLUMNS = ("locality", "province/locality", "province", "place")
_YEAR_COLUMNS = ("year", "date", "published")


class Sheet(dict):
    """doc_id → metadata, read from the sheet at `path`; `rows` says which row
    each doc_id came from, so that a row that names no document can be named."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.rows: dict[str, int] = {}


def read_sheet(path: str | Path, notices: Callable[[str], None] | None = None) -> Sheet:
    """doc_id → metadata from a TSV/CSV sheet or an Excel workbook (.xlsx); a
    sheet without `doc_id` is an error, and every error names the file. A row
    without a doc_id, or a year cell that holds no year, is told to `notices`
    with its row number (default: printed on standard error)."""
    path = Path(path)
    notices = notices or print_notice
    rows = sheet_rows(path)
    if rows and "doc_id" not in rows[0]:
        raise ValueError(f"{path}: a metadata sheet needs a doc_id column (its columns: "
                         f"{', '.join(repr(k) for k in rows[0])})")
    sheet = Sheet(path)
    for number, row in enumerate(rows, 2):  # row 1 is the header
        if not row.get("doc_id"):
            if any(v for k, v in row.items() if k is not None):
                notices(f"{path}, row {number}: no doc_id; the row is not used")
            continue
        sheet[row["doc_id"]] = meta_from_fields(row)
        sheet.rows[row["doc_id"]] = number
        lowered = {str(k).lower(): v for k, v in row.items()}
        column = next((c for c in _YEAR_COLUMNS if lowered.get(c)), None)
        if column is not None and parse_year(lowered[column]) is None:
            notices(f"{path}, row {number}: {column} {lowered[column]!r} holds no year (such as 2024); "
                    f"the document's year comes from its text instead")
    return sheet


def print_notice(message: str) -> None:
    print(f"vnextract: {message}", file=sys.stderr)


_SAVE_AS = "save it as .xlsx, or as CSV UTF-8"


def sheet_rows(path: Path) -> list[dict]:
    """The rows of a sheet as dicts keyed by its header: an .xlsx workbook's
    first sheet, or a TSV/CSV text in UTF-8 (UTF-16 with its byte order mark,
    as Excel saves "Unicode text", too)."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise ValueError(f"{path}: a {suffix} sheet cannot be read; {_SAVE_AS}")
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_rows(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text (byte {data[err.start]:#04x} at position {err.start}); "
                         f"{_SAVE_AS}") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise ValueError(f"{path}: the metadata sheet is empty; it needs a header row with doc_id")
    dialect = "excel-tab" if "\t" in lines[0] else "excel"
    try:
        return list(csv.DictReader(lines, dialect=dialect))
    except csv.Error as err:  # a field past the csv module's limit, a NUL …
        raise ValueError(f"{path}: not a readable metadata sheet ({err}); {_SAVE_AS}") from None


def _workbook_rows(path: Path) -> list[dict]:
    """An .xlsx sheet's rows, cells as text the way a TSV would hold them
    (a doc_id typed as the number 2024 is "2024"; a date cell keeps its year)."""
    try:
        with first_sheet_rows(path) as rows:
            header = [_cell_text(c) for c in next(rows, ())]
            if not any(header):
                raise ValueError(f"{path}: the first sheet has no header row; it needs a doc_id column")
            return [dict(zip(header, map(_cell_text, row))) for row in rows if any(c is not None for c in row)]
    except WorkbookError as err:
        raise ValueError(f"{path}: {err}; {_SAVE_AS}") from None


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def meta_from_fields(fields: dict) -> DocumentMeta:
    lowered = {str(k).lower(): v for k, v in fields.items()}
    locality = next((parse_locality(lowered[c]) for c in _LOCALITY_COLUMNS if lowered.get(c)), None)
    year = next((parse_year(lowered[c]) for c in _YEAR_COLUMNS if lowered.get(c)), None)
    month = next((parse_month(lowered[c]) for c in _YEAR_COLUMNS if lowered.get(c)), None)
    cell = next((lowered[c] for c in _LOCALITY_COLUMNS if lowered.get(c)), None)
    if locality and cell and not _has_type_word(locality) and locality not in _tables()[1]:
        after = year is not None and (year > REFORM[0] or year == REFORM[0] and (month is None or month >= REFORM[1]))
        locality = unit_named(locality, _slash_parts(str(cell))[0].strip(), after) or locality
    return DocumentMeta(locality=locality, year=year, month=month)


def _has_type_word(locality: str) -> bool:
    return any(regex.match(rf"(?i){regex.escape(t)}(?=\s)", locality) for t in _tables()[0])


def parse_year(cell) -> int | None:
    """The year a cell names (19xx or 20xx); a JSON true or an integer of
    another size is none."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell if 1900 <= cell <= 2099 else None
    m = _YEAR.search(str(cell))
    return int(m.group()) if m else None


_ISO_MONTH = regex.compile(r"(?<!\d)(?:19|20)\d{2}-(\d{1,2})(?:-\d{1,2})?(?!\d)")
_DMY_MONTH = regex.compile(r"(?<!\d)(?:\d{1,2}/)?(\d{1,2})/(?:19|20)\d{2}(?!\d)")


def parse_month(cell) -> int | None:
    """The month of a full date ("2025-08-11", "11/8/2025", "8/2025"); None for a bare year."""
    text = str(cell)
    m = _ISO_MONTH.search(text) or _DMY_MONTH.search(text)
    month = int(m.group(1)) if m else 0
    return month if 1 <= month <= 12 else None


def _slash_parts(text: str) -> list[str]:
    """A cell cut at its slashes outside brackets: "Phú Thọ (tỉnh, merged 1/7/2025)" is one part."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == "/" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]]


def parse_locality(cell) -> str | None:
    """The most specific place of a free-form cell, with its type word (a
    cell of text: a JSON list or object names no place)."""
    if not cell or not isinstance(cell, (str, int, float)) or isinstance(cell, bool):
        return None
    text = " ".join(str(cell).split())
    if regex.match(r"(?i)multi", text):
        return None
    # "Bắc Kạn (tỉnh) + national (…)": a note, unless the "+" is inside brackets
    part = regex.sub(r"\s\+\s(?:[^()]|\([^()]*\))*$", "", _slash_parts(text)[-1]).strip()
    paren = _PAREN.search(part)
    # "xã Hưng Thịnh, huyện Hưng Nguyên": the unit, then the units it lies in.
    name = _PAREN.sub("", part).strip(" ,;").split(",")[0].strip()
    type_words, gazetteer = _tables()
    if any(regex.match(rf"(?i){regex.escape(t)}(?=\\s)", name) for t in type_words):
        return name
    if paren:
        hint = paren.group(1).split(",")[0].split(";")[0].strip()
        if hint.lower() in (t.lower() for t in type_words):
            return f"{hint} {name}"
    return gazetteer.get(name, name)


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[str, ...], dict[str, str]]:
    return tuple(load_rules("localities")["type_words"]), provinces()
