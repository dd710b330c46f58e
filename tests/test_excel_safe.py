"""No cell of any CSV the tool writes starts like a formula: records from
`extract`, the errors table of `eval --errors`, and (tests/test_tracking.py)
the tracking table. Documents named and written to start cells with every
formula character; `read_records` reads the raw values back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from vnextract.cli import main
from vnextract.outputs.writers import read_records

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Each text's first sentence (a record's `sentence` cell) and file name (its
# `doc_id` cell) start with a formula character.
DOCUMENTS = {
    "=HYPERLINK(1)": '=HYPERLINK("http://x") Năm 2024, doanh thu đạt 5 tỷ đồng.',
    "+cmd": "+cmd|' /C calc'!A0 thu nhập bình quân đạt 89,6 triệu đồng.",
    "-2+3": "-2+3 Tỷ lệ hộ nghèo giảm còn 1,2%.",
    "@SUM(A1)": "@SUM(A1) Tổng vốn đầu tư đạt 1.200 tỷ đồng.",
    "'quoted": "'=1+1 Kim ngạch xuất khẩu đạt 3,13 tỷ USD.",
}


def _cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _assert_safe(table: list[list[str]]) -> None:
    unsafe = [cell for row in table for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not unsafe, unsafe


def test_records_csv_and_eval_errors_csv_start_no_cell_as_a_formula(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / f"{name}.txt").write_text(text + "\n\tTrong đó, thu ngân sách tăng 10%.\n", encoding="utf-8")
    records_csv, records_jsonl = tmp_path / "records.csv", tmp_path / "records.jsonl"
    assert main(["extract", str(folder), "-o", str(records_csv), "--workers", "1"]) == 0
    assert main(["extract", str(folder), "-o", str(records_jsonl), "--workers", "1"]) == 0

    table = _cells(records_csv)
    _assert_safe(table)
    raw = [json.loads(line) for line in records_jsonl.read_text(encoding="utf-8").splitlines()]
    assert {r["doc_id"] for r in raw} == set(DOCUMENTS)
    escaped = [cell for row in table for cell in row if cell[:2] in {f"'{c}" for c in FORMULA_STARTS}]
    assert len(escaped) >= 2 * len(DOCUMENTS) - 1  # every doc_id but 'quoted, and the first sentences
    # The CSV keeps the SPEC columns; JSONL adds each record's evidence.
    spec = [{k: v for k, v in r.items() if k != "evidence"} for r in raw]
    assert [r.to_dict() if hasattr(r, "to_dict") else r for r in read_records(records_csv)] == spec

    # Gold that disagrees with every prediction: each error row carries both sides' cells.
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({**r, "indicator": "=" + r["indicator"], "status": "target"},
                                       ensure_ascii=False) + "\n" for r in raw), encoding="utf-8")
    errors_csv = tmp_path / "errors.csv"
    main(["eval", "--gold", str(gold), "--pred", str(records_jsonl), "--errors", str(errors_csv)])
    capsys.readouterr()
    errors = _cells(errors_csv)
    assert len(errors) > len(raw)
    _assert_safe(errors)
    header = errors[0]
    gold_indicators = [row[header.index("gold_indicator")] for row in errors[1:]]
    assert gold_indicators and all(cell.startswith("'=") for cell in gold_indicators)


def _workbook_cells(path: Path):
    import openpyxl

    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [list(row) for row in sheet.iter_rows()]


def test_records_xlsx_has_typed_cells_and_no_formula(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / f"{name}.txt").write_text(text + "\n\tTrong đó, thu ngân sách tăng 10%.\n", encoding="utf-8")
    records_xlsx, records_jsonl = tmp_path / "records.xlsx", tmp_path / "records.jsonl"
    assert main(["extract", str(folder), "-o", str(records_xlsx), "--workers", "1"]) == 0
    assert main(["extract", str(folder), "-o", str(records_jsonl), "--workers", "1"]) == 0
    rows = _workbook_cells(records_xlsx)
    header = [c.value for c in rows[0]]
    from vnextract.stages.records import FIELDS

    assert header == list(FIELDS)
    assert all(c.data_type != "f" for row in rows for c in row)
    raw = [json.loads(line) for line in records_jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(raw) + 1
    starts = {c.value for row in rows[1:] for c in row if isinstance(c.value, str)}
    assert {name for name in DOCUMENTS} <= starts  # written as they are, as text: "=HYPERLINK(1)" stays a string
    for name in ("start", "end", "value", "norm_value", "year"):
        column = [row[header.index(name)] for row in rows[1:]]
        assert all(c.data_type == "n" for c in column), name
    assert {c.value for c in (row[header.index("comparator")] for row in rows[1:])} >= {"="}
    spec = [{k: v for k, v in r.items() if k != "evidence"} for r in raw]
    assert read_records(records_xlsx) == spec


def test_xlsx_cells_hold_no_control_characters(tmp_path):
    from vnextract import extract
    from vnextract.outputs.writers import write_records

    record = extract("Doanh thu đạt 5 tỷ đồng.", doc_id="a")[0].to_dict()
    record["sentence"] = "Doanh\x00 thu\x07 đạt\x1b 5 tỷ\tđồng.\n"
    write_records([record], tmp_path / "r.xlsx")
    (sentence,) = [r["sentence"] for r in read_records(tmp_path / "r.xlsx")]
    assert sentence == "Doanh\ufffd thu\ufffd đạt\ufffd 5 tỷ\tđồng.\n"  # as in a CSV cell


def test_records_xlsx_with_evidence_reads_back_as_the_jsonl(tmp_path):
    from vnextract import extract
    from vnextract.outputs.writers import write_records

    records = extract("Năm 2024, huyện phấn đấu thu nhập bình quân đầu người đạt trên 89,6 triệu đồng.", doc_id="a")
    write_records(records, tmp_path / "r.xlsx", evidence=True)
    assert read_records(tmp_path / "r.xlsx") == [r.to_dict() for r in records]
