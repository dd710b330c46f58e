"""Stage 7: records → JSONL, CSV (Excel-ready), an Excel workbook, Parquet or a DataFrame.

Files are written atomically: to a temporary file beside the target, then
renamed, so a killed run never leaves a file that looks complete.

Every CSV cell goes through `excel_safe`: news text is untrusted, and a cell
that begins like a formula (`=HYPERLINK(…)`, `-2+3`) is run as one by Excel
and LibreOffice (OWASP "CSV injection"). JSONL and Parquet keep raw values.
An `.xlsx` workbook keeps them too, typed (numbers as numbers) and every
string written as a text cell, so no cell is ever a formula.

JSONL carries each record's `evidence` (where its decisions came from);
CSV and Parquet hold the SPEC columns, and the evidence flattened into
`evidence_<field>_<start|end|text|note>` columns only when asked
(`evidence=True`, or the format `csv+evidence` for streaming).
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping

from ..stages.evidence import COLUMNS as EVIDENCE_COLUMNS, columns as evidence_columns, from_columns
from ..stages.records import FIELDS, Record
from ..workbooks import WorkbookError, first_sheet_rows

FORMATS = ("jsonl", "csv", "parquet", "xlsx")
WHOLE_FILE_FORMATS = ("parquet", "xlsx")  # written at the end, not streamed

# What makes a spreadsheet read a cell as a formula (OWASP), and the quote
# that marks a cell as text; a value that already starts with a quote is
# escaped too, so that `excel_unsafe` can undo every escape exactly.
_FORMULA_STARTS = frozenset("=+-@\t\r")
_TEXT_MARK = "'"
_ESCAPED = _FORMULA_STARTS | {_TEXT_MARK}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1


def excel_safe(value):
    """A CSV cell value that no spreadsheet runs as a formula: a string that
    starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or with the
    quote itself) gets a leading `'`. Control characters other than tab and
    newline (NUL, escape, form feed …), which spreadsheets and terminals
    mishandle, become U+FFFD, one for one. Other values pass through unchanged."""
    if isinstance(value, str):
        value = _CONTROL.sub("\ufffd", value)
        if value[:1] in _ESCAPED:
            return _TEXT_MARK + value
    return value


def excel_unsafe(value):
    """The value `excel_safe` was given, from what it returned."""
    if isinstance(value, str) and value[:1] == _TEXT_MARK and value[1:2] in _ESCAPED:
        return value[1:]
    return value


def safe_row(row: Mapping) -> dict:
    """A CSV row with every cell made safe and None written as an empty cell."""
    return {k: ("" if v is None else excel_safe(v)) for k, v in row.items()}


def record_dict(record: Record | Mapping) -> dict:
    return record.to_dict() if isinstance(record, Record) else dict(record)


def table_row(record: Record | Mapping, evidence: bool = False) -> dict:
    """A record as a flat table row: the SPEC fields, then the evidence columns if asked."""
    row = record_dict(record)
    return {**row, **evidence_columns(row.get("evidence"))} if evidence else row


def to_frame(records: Iterable, evidence: bool = False):
    """A pandas DataFrame, one row per record, the SPEC columns in order
    (then the evidence columns, with `evidence=True`).

    `records` may also be what `extract_documents` yields, (document, records)
    pairs: their records are the rows, and the documents that failed are
    listed in `frame.attrs["failures"]` (and warned about), not dropped unseen."""
    import pandas as pd

    flat, failures = _flatten(records)
    rows = [table_row(r, evidence) for r in flat]
    frame = pd.DataFrame(rows, columns=FIELDS + (EVIDENCE_COLUMNS if evidence else []))
    offsets = {c: "Int64" for c in EVIDENCE_COLUMNS if c.endswith(("_start", "_end"))} if evidence else {}
    frame = frame.astype({"year": "Int64", "start": "int64", "end": "int64", **offsets})
    if failures is not None:
        frame.attrs["failures"] = failures
        if failures:
            import warnings

            warnings.warn(f"{len(failures)} documents failed and have no rows: {'; '.join(failures[:3])}"
                          f"{' …' if len(failures) > 3 else ''}", UserWarning, stacklevel=2)
    return frame


def _flatten(items: Iterable) -> tuple[list, list[str] | None]:
    """Records, from records or from (document, records) pairs; the failed
    documents of pairs (those with an `error_type`), None when there were no pairs."""
    flat: list = []
    failures: list[str] | None = None
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], list):
            failures = [] if failures is None else failures
            document, records = item
            if hasattr(document, "error_type"):
                failures.append(str(document))
            flat.extend(records)
        else:
            flat.append(item)
    return flat, failures


def format_for(path: str | os.PathLike | None, override: str | None = None) -> str:
    """`--format` wins; otherwise the file's extension; stdout gets JSONL."""
    if override:
        if override not in FORMATS:
            raise ValueError(f"unknown format {override!r}; choose one of {', '.join(FORMATS)}")
        return override
    if path is None:
        return "jsonl"
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("jsonl", "json", "ndjson"):
        return "jsonl"
    if suffix in FORMATS:
        return suffix
    raise ValueError(f"{path}: cannot tell the output format from the extension; use --format")


_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)  # made once, not per line


def json_line(record: Record | Mapping) -> str:
    row = record_dict(record)
    try:
        return _JSON.encode(row)
    except ValueError:  # NaN (a table read back) is written as null
        return json.dumps(_clean(row), ensure_ascii=False)


def _clean(row: dict) -> dict:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}


@contextmanager
def atomic_path(path: str | os.PathLike, mode: str = "w", **kwargs) -> Iterator[IO]:
    """Open a temporary file beside `path`; rename it over `path` on success only."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{_short_name(target.name)}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _short_name(name: str, size: int = 100) -> str:
    """`name` cut to at most `size` bytes of UTF-8, so that the temporary name
    built on it stays under the 255 bytes a file name may have."""
    data = name.encode("utf-8", "surrogateescape")
    return name if len(data) <= size else data[:size].decode("utf-8", "ignore")


def write_records(records: Iterable[Record | Mapping], path: str | os.PathLike, fmt: str | None = None,
                  evidence: bool = False) -> int:
    """Write all records to `path` in one go; returns how many were written.
    `evidence` adds the evidence columns to a CSV, Excel or Parquet file."""
    fmt = format_for(path, fmt)
    rows = [record_dict(r) for r in records]
    if fmt == "xlsx":
        names = FIELDS + EVIDENCE_COLUMNS if evidence else FIELDS
        with atomic_path(path, "wb") as handle:
            write_xlsx(handle, names, ([row.get(n) for n in names] for row in (table_row(r, evidence) for r in rows)),
                       title="records")
        return len(rows)
    if fmt == "parquet":
        frame = to_frame(rows, evidence)
        with atomic_path(path, "wb") as handle:
            frame.to_parquet(handle, index=False)
        return len(rows)
    with atomic_path(path, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as handle:
        writer = RecordWriter(handle, fmt, evidence=evidence)
        for row in rows:
            writer.write(row)
    return len(rows)


EVIDENCE_FORMAT = "csv+evidence"  # a CSV with the evidence columns, as the batch workers are told


class RecordWriter:
    """Streams records to an open text handle as JSONL or CSV (header first);
    `evidence` (or the format `csv+evidence`) adds the evidence columns to a CSV."""

    def __init__(self, handle: IO[str], fmt: str, header: bool = True, evidence: bool = False):
        if fmt == EVIDENCE_FORMAT:
            fmt, evidence = "csv", True
        if fmt not in ("jsonl", "csv"):
            raise ValueError(f"streaming supports jsonl and csv, not {fmt}")
        self.handle = handle
        self.fmt = fmt
        self.evidence = evidence and fmt == "csv"
        names = FIELDS + EVIDENCE_COLUMNS if self.evidence else FIELDS
        self._csv = csv.DictWriter(handle, fieldnames=names, extrasaction="ignore") if fmt == "csv" else None
        if self._csv is not None and header:
            self._csv.writeheader()

    def write(self, record: Record | Mapping) -> None:
        if self._csv is not None:
            self._csv.writerow(safe_row(_clean(table_row(record, self.evidence))))
        else:
            self.handle.write(json_line(record) + "\n")


def read_records(path: str | os.PathLike, skipped: list[str] | None = None) -> list[dict]:
    """Records back from a JSONL, CSV, Parquet or Excel file written by this
    module (a CSV cell escaped by `excel_safe` reads back as its raw value).
    A row or line that is no record raises, naming it; with `skipped` given,
    it is named there instead and the file's other records are kept."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("jsonl", "json", "ndjson", *FORMATS):
        raise ValueError(f"{path}: not a records file: records are read from .jsonl, .csv, .xlsx or .parquet "
                         f"files written by `vnextract extract`")
    fmt = format_for(path)
    if fmt == "jsonl":
        return load_jsonl_records(path, skipped)
    if fmt == "xlsx":
        return _rows_read(path, read_xlsx(path), _from_workbook, skipped)
    import pandas as pd

    try:
        frame = (pd.read_parquet(path) if fmt == "parquet"
                 else pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False))
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text (byte {err.object[err.start]:#04x} at position {err.start})") from None
    return _rows_read(path, frame.to_dict("records"), _from_table, skipped)


def _rows_read(path, rows: list[dict], typed, skipped: list[str] | None = None) -> list[dict]:
    """Each row of a table back to a record; a cell that is not the number its
    column holds names the file, the row (as a spreadsheet counts it, the
    header being row 1) and the column."""
    records = []
    for number, row in enumerate(rows, 2):
        try:
            records.append(_fold_evidence(typed(row)))
        except _CellError as err:
            if skipped is None:
                raise ValueError(f"{path}, row {number}: {err}") from None
            skipped.append(f"{path}, row {number}: {err}")
    return records


class _CellError(ValueError):
    """A numeric column's cell that holds no number."""


def _number(key: str, value):
    try:
        return _NUMERIC[key](value)
    except (TypeError, ValueError, OverflowError):
        raise _CellError(f"{key} {value!r} is not a number") from None


_NUMERIC = {"start": int, "end": int, "value": float, "value_max": float, "norm_value": float, "year": int,
            "confidence": float}
_NUMERIC.update({c: int for c in EVIDENCE_COLUMNS if c.endswith(("_start", "_end"))})
_NUMERIC.update({c: float for c in EVIDENCE_COLUMNS if c.startswith("evidence_confidence_")})


def _fold_evidence(row: dict) -> dict:
    """Evidence columns of a table back into one `evidence` dict, as in JSONL."""
    if EVIDENCE_COLUMNS[0] not in row:
        return row
    row["evidence"] = from_columns({c: row.pop(c, None) for c in EVIDENCE_COLUMNS})
    return row


def _from_table(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if value == "" or value is None or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        elif key in _NUMERIC:
            out[key] = _number(key, value)
        else:
            out[key] = excel_unsafe(value)
    return out


def _from_workbook(row: dict) -> dict:
    """Workbook cells are typed already: only the numeric columns get their
    Python type back (Excel keeps 5.0 as 5, and an offset as a float)."""
    return {key: (_number(key, value) if key in _NUMERIC and value is not None else value)
            for key, value in row.items()}


# --------------------------------------------------------------- Excel ---

def xlsx_value(value):
    """A Python value as a workbook cell value: numbers and booleans as they
    are, NaN and None empty, anything else as text whose control characters
    (which no XML 1.0 cell can hold) are U+FFFD, as in a CSV cell."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else (value if math.isfinite(value) else str(value))
    if not isinstance(value, str):
        value = _JSON.encode(value) if isinstance(value, (dict, list)) else str(value)
    value = _CONTROL.sub("\ufffd", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no XML file can hold it
        value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


def write_xlsx(handle: IO[bytes], header: Iterable[str], rows: Iterable[Iterable], title: str = "Sheet",
               colours: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """One sheet, streamed (openpyxl's write-only mode): a frozen bold header,
    then the rows. Every string is a text cell (data type `s`), even one that
    starts with `=`, so no spreadsheet ever runs a cell of it as a formula.
    `colours` fills cells by value: column → {value: "#rrggbb"}."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = list(header)
    fills = {header.index(column): {value: PatternFill("solid", fgColor=hex_colour.lstrip("#").upper())
                                    for value, hex_colour in by_value.items()}
             for column, by_value in (colours or {}).items()}

    def cell(value, font=None, fill=None):
        out = WriteOnlyCell(sheet, value=xlsx_value(value))
        if isinstance(out.value, str):
            out.data_type = "s"  # openpyxl would make "=…" a formula
        if font is not None:
            out.font = font
        if fill is not None:
            out.fill = fill
        return out

    sheet.append([cell(name, bold) for name in header])
    for row in rows:
        sheet.append([cell(value, fill=fills[k].get(value) if k in fills else None) for k, value in enumerate(row)])
    book.save(handle)


def read_xlsx(path: str | os.PathLike) -> list[dict]:
    """The rows of a workbook's first sheet as dicts keyed by its header row."""
    try:
        with first_sheet_rows(path) as rows:
            header = next(rows, None)
            if not header:
                return []
            names = [str(h) if h is not None else "" for h in header]
            # a row's trailing empty cells may not be stored at all: every column is read, empty as None
            return [dict(zip(names, (*row[: len(names)], *[None] * (len(names) - len(row))))) for row in rows
                    if any(v is not None for v in row[: len(names)])]
    except WorkbookError as err:
        raise ValueError(f"{path}: {err}") from None


def load_jsonl_records(path: str | os.PathLike, skipped: list[str] | None = None) -> list[dict]:
    """Records from a JSONL file; a bad line fails loudly with its location, since a
    silently skipped record would skew every score. With `skipped` given, the
    line is named there instead and the other lines are read."""
    records = []
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                records.extend(_jsonl_record(raw, lineno))
            except ValueError as err:
                if skipped is None:
                    raise ValueError(f"{path}:{lineno}: {err}") from None
                skipped.append(f"{path}:{lineno}: {err}")
    return records


def _jsonl_record(raw: bytes, lineno: int) -> list[dict]:
    """The record of one JSONL line ([] for a blank line); ValueError says what is wrong."""
    try:
        line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 text (byte {raw[err.start]:#04x} at column {err.start + 1})") from None
    if not line.strip():
        return []
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"malformed JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise ValueError("malformed JSON: nested too deeply") from None
    if not isinstance(rec, dict):
        raise ValueError(f"expected a JSON object, got {type(rec).__name__}")
    return [rec]
