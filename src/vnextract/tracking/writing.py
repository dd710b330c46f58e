"""The tracking table → CSV (Excel-safe, UTF-8 with BOM), an Excel workbook,
Parquet, JSON, or a folder with the HTML page beside the CSV and JSON.

CSV and Parquet are flat: one column per field of the target, the result and
the stated share of the plan, and the folded records as one text cell. JSON
keeps every record whole.
"""
from __future__ import annotations

import csv
import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..outputs.writers import atomic_path, excel_safe, write_xlsx
from .matching import Row

FILE_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".json": "json"}
SOURCE_FIELDS = ("span", "value", "value_max", "comparator", "unit", "norm_value", "norm_unit", "kind",
                 "direction", "period", "year", "doc_id", "start", "end", "sentence", "tracking_note")
ROW_FIELDS = ("locality", "indicator", "indicator_id", "year", "horizon", "verdict", "ratio", "ratio_source",
              "pair", "share_of_year", "reason")
COLUMNS = (
    list(ROW_FIELDS)
    + [f"target_{f}" for f in SOURCE_FIELDS]
    + [f"actual_{f}" for f in SOURCE_FIELDS] + ["actual_estimate"]
    + [f"stated_{f}" for f in ("span", "value", "doc_id", "start", "end")]
    + ["disagreements", "folded_count", "folded"]
)


def flat_row(row: Row) -> dict:
    """One row as flat columns (CSV, Parquet, DataFrame)."""
    out = {name: getattr(row, name) for name in ROW_FIELDS}
    for prefix, record in (("target", row.target), ("actual", row.actual)):
        for name in SOURCE_FIELDS:
            out[f"{prefix}_{name}"] = record.get(name) if record else None
    out["actual_estimate"] = (row.actual.get("comparator") == "~") if row.actual else None
    for name in ("span", "value", "doc_id", "start", "end"):
        out[f"stated_{name}"] = row.stated.get(name) if row.stated else None
    out["disagreements"] = "; ".join(row.disagreements)
    out["folded_count"] = len(row.folded)
    out["folded"] = "; ".join(
        f"{r.get('doc_id')}:{r.get('start')} {r.get('span')} [{r.get('role')}]" for r in row.folded)
    return out


def to_frame(rows: Iterable[Row]):
    import pandas as pd

    frame = pd.DataFrame([flat_row(r) for r in rows], columns=COLUMNS)
    integers = ["year", "target_year", "actual_year", "target_start", "target_end", "actual_start",
                "actual_end", "stated_start", "stated_end"]
    return frame.astype({name: "Int64" for name in integers} | {"actual_estimate": "boolean"})


def csv_cell(value):
    """Every CSV cell of the tracking table passes here, so Excel never runs a
    cell as a formula (the same rule as the records CSV)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return excel_safe(value)


def write_csv(rows: Iterable[Row], path: str | os.PathLike) -> None:
    with atomic_path(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            flat = flat_row(row)
            writer.writerow([csv_cell(flat[name]) for name in COLUMNS])


def write_workbook(rows: Iterable[Row], path: str | os.PathLike) -> None:
    """The flat table as an Excel sheet: numbers as numbers, text as text, no
    formula; each verdict cell in the page's colour for it."""
    from .page import COLOURS

    with atomic_path(path, "wb") as handle:
        write_xlsx(handle, COLUMNS, ([flat[name] for name in COLUMNS] for flat in map(flat_row, rows)),
                   title="tracking", colours={"verdict": COLOURS})


def write_json(rows: Iterable[Row], path: str | os.PathLike) -> None:
    data = [_clean(r.to_dict()) for r in rows]
    with atomic_path(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1, allow_nan=False)
        handle.write("\n")


def write_parquet(rows: Iterable[Row], path: str | os.PathLike) -> None:
    frame = to_frame(rows)
    with atomic_path(path, "wb") as handle:
        frame.to_parquet(handle, index=False)


def summary(rows: list[Row], records: int, documents: int) -> str:
    """What `vnextract track` says of its table: rows, verdicts and pairs."""
    verdicts = Counter(r.verdict for r in rows)
    pairs = Counter(r.pair for r in rows if r.pair)
    counted = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())) or "no verdicts"
    return (f"{len(rows)} rows from {records} records of {documents} documents ({counted}; "
            f"{pairs.get('in-article', 0)} in-article, {pairs.get('cross-article', 0)} cross-article pairs)")


def write_tracking(rows: list[Row], out: str | os.PathLike) -> list[Path]:
    """Write the table to `out`: a .csv, .xlsx, .parquet or .json file, or a
    folder (a name without a suffix, or an existing folder) holding
    index.html, tracking.csv and tracking.json. Returns the files written."""
    target = Path(out)
    fmt = FILE_FORMATS.get(target.suffix.lower())
    if fmt is None and target.suffix and not target.is_dir():
        raise ValueError(f"{target}: cannot write a {target.suffix} file; give a "
                         f"{', '.join(FILE_FORMATS)} file, or a folder name without a suffix for the page")
    if fmt == "csv":
        write_csv(rows, target)
    elif fmt == "xlsx":
        write_workbook(rows, target)
    elif fmt == "json":
        write_json(rows, target)
    elif fmt == "parquet":
        write_parquet(rows, target)
    else:
        if target.exists() and not target.is_dir():
            raise ValueError(f"{target}: exists and is not a folder; give a .csv, .xlsx, .parquet or .json file "
                             f"or a folder")
        from .page import render_page

        target.mkdir(parents=True, exist_ok=True)
        write_csv(rows, target / "tracking.csv")
        write_json(rows, target / "tracking.json")
        with atomic_path(target / "index.html", "w", encoding="utf-8") as handle:
            handle.write(render_page(rows))
        return [target / "index.html", target / "tracking.csv", target / "tracking.json"]
    return [target]


def _clean(value):
    """NaN (from a table read back) → null, recursively, so the JSON is strict."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
