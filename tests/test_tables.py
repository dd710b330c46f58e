"""Indicator tables: found in every input format, read by their header, given
as ordinary records (tests/fixtures/tables/make_tables.py builds the six forms
of one results table)."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from vnextract import extract
from vnextract.inputs.documents import Document, DocumentFailure, iter_documents
from vnextract.inputs.metadata import DocumentMeta
from vnextract.pipeline import extract_document
from vnextract.stages.tables import find_tables
from vnextract.tracking import track_records

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "tables"
SIX_FORMS = ["results.html", "results.docx", "results.pdf", "results.xlsx", "results-pipe.txt", "results-lines.txt"]

# What a reader of the results table takes from it: (span, norm_value,
# value_max, norm_unit, status, indicator, year, comparator).
EXPECTED = [
    ("12", 12, None, "%", "target", "Tốc độ tăng trưởng giá trị sản xuất", 2023, "~"),
    ("12,5", 12.5, None, "%", "actual", "Tốc độ tăng trưởng giá trị sản xuất", 2023, "="),
    ("104,2", 104.2, None, "%", "actual", "Tốc độ tăng trưởng giá trị sản xuất", 2023, "="),
    ("5.200", 5.2e12, None, "VND", "target", "Thu ngân sách nhà nước trên địa bàn", 2023, "="),
    ("5.356,8", 5.3568e12, None, "VND", "actual", "Thu ngân sách nhà nước trên địa bàn", 2023, "="),
    ("103", 103, None, "%", "actual", "Thu ngân sách nhà nước trên địa bàn", 2023, "="),
    ("4.800", 4.8e12, None, "VND", "target", "Thu nội địa", 2023, "="),
    ("4.911,5", 4.9115e12, None, "VND", "actual", "Thu nội địa", 2023, "="),
    ("102,3", 102.3, None, "%", "actual", "Thu nội địa", 2023, "="),
    ("60-62", 6e7, 62, "VND", "target", "Thu nhập bình quân đầu người", 2023, "="),
    ("63,5", 6.35e7, None, "VND", "actual", "Thu nhập bình quân đầu người", 2023, "="),
    ("104,1", 104.1, None, "%", "actual", "Thu nhập bình quân đầu người", 2023, "="),
    ("3", 3, None, "%", "target", "Tỷ lệ hộ nghèo", 2023, "<"),
    ("2,4", 2.4, None, "%", "actual", "Tỷ lệ hộ nghèo", 2023, "="),
    ("10", 10, None, "count", "target", "Số bác sĩ trên 1 vạn dân", 2023, "="),
    ("10,5", 10.5, None, "count", "actual", "Số bác sĩ trên 1 vạn dân", 2023, "="),
    ("105", 105, None, "%", "actual", "Số bác sĩ trên 1 vạn dân", 2023, "="),
    ("3", 3, None, "count", "target", "Xã đạt chuẩn nông thôn mới nâng cao", 2023, "="),
    ("3", 3, None, "count", "actual", "Xã đạt chuẩn nông thôn mới nâng cao", 2023, "="),
    ("100", 100, None, "%", "actual", "Xã đạt chuẩn nông thôn mới nâng cao", 2023, "="),
    # the paragraph after the table, read as prose
    ("6.000 tỷ đồng", 6e12, None, "VND", "target", "thu ngân sách nhà nước trên địa bàn", 2024, "="),
]


def _read(path: Path) -> Document:
    (item,) = iter_documents([str(path)])
    assert isinstance(item, Document), item
    return item


def _facts(records) -> list[tuple]:
    return [(r.span, r.norm_value, r.value_max, r.norm_unit, r.status, r.indicator, r.year, r.comparator)
            for r in records]


def _same(found: list[tuple], expected: list[tuple]) -> bool:
    return len(found) == len(expected) and all(
        a[0] == b[0] and math.isclose(a[1], b[1], rel_tol=1e-9) and a[2:] == b[2:] for a, b in zip(found, expected))


@pytest.mark.parametrize("name", SIX_FORMS)
def test_one_results_table_gives_the_same_records_in_all_six_forms(name, check_record):
    document = _read(FIXTURES / name)
    records = extract_document(document)
    found = _facts(records)
    assert _same(found, EXPECTED), "\n".join(map(str, found))
    for record in records:
        check_record(record.to_dict(), document.text)  # grounded in the text `vnextract text` prints
        assert record.locality == "huyện Hải Hà"


def test_a_table_record_carries_its_header_row_label_and_bound_word_as_evidence():
    document = _read(FIXTURES / "results.html")
    records = extract_document(document)
    plan = next(r for r in records if r.indicator == "Tỷ lệ hộ nghèo" and r.status == "target")
    assert plan.evidence["status"]["text"] == "Kế hoạch năm 2023"
    assert plan.evidence["indicator"]["text"] == "Tỷ lệ hộ nghèo"
    assert plan.evidence["comparator"]["text"] == "Dưới"
    assert plan.evidence["period"]["text"] == "năm 2023"
    part = next(r for r in records if r.indicator == "Thu nội địa")
    assert part.evidence["indicator"]["note"] == "part of: Thu ngân sách nhà nước trên địa bàn"
    # the cells of words only ("Hoàn thành", "Đạt") give nothing
    assert not [r for r in records if "Quy hoạch" in r.indicator]


def test_tracking_one_plan_and_actual_table_gives_a_verdict_per_row():
    document = _read(FIXTURES / "results.xlsx")
    rows = track_records(r.to_dict() for r in extract_document(document))
    verdicts = {(row.indicator, row.year): row.verdict for row in rows}
    for indicator in ["Tốc độ tăng trưởng giá trị sản xuất", "Thu ngân sách nhà nước trên địa bàn", "Thu nội địa",
                      "Thu nhập bình quân đầu người", "Tỷ lệ hộ nghèo", "Số bác sĩ trên 1 vạn dân",
                      "Xã đạt chuẩn nông thôn mới nâng cao"]:
        assert verdicts[(indicator, 2023)] == "met", (indicator, verdicts)


def test_track_reads_a_workbook_of_tables_as_an_article(tmp_path, capsys):
    """The README's command: a workbook that is no records file is a document to extract."""
    from vnextract.cli import main

    out = tmp_path / "tracking.csv"
    assert main(["track", str(FIXTURES / "results.xlsx"), "-o", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig")
    assert rows.count(",met,") == 7, rows
    records = tmp_path / "records.xlsx"
    assert main(["extract", str(FIXTURES / "results.xlsx"), "-o", str(records)]) == 0
    assert main(["track", str(records), "-o", str(tmp_path / "again.csv")]) == 0  # a records workbook is read as such
    assert (tmp_path / "again.csv").read_text(encoding="utf-8-sig") == rows


def test_tracking_a_result_below_its_plan_is_not_met():
    text = ("Kết quả năm 2023 của huyện Tiên Yên\n"
            "Chỉ tiêu\tĐVT\tKế hoạch năm 2023\tThực hiện năm 2023\n"
            "Thu ngân sách nhà nước trên địa bàn\tTỷ đồng\t420\t395,2\n"
            "Tỷ lệ hộ nghèo\t%\tDưới 3\t3,4\n")
    rows = track_records(r.to_dict() for r in extract(text, "tien-yen"))
    assert {row.indicator: row.verdict for row in rows} == {
        "Thu ngân sách nhà nước trên địa bàn": "not met", "Tỷ lệ hộ nghèo": "not met"}


def test_a_header_naming_two_years_gives_each_column_its_year():
    text = ("Chỉ tiêu\tĐVT\tThực hiện 2022\tKế hoạch 2023\n"
            "Tổng sản phẩm trên địa bàn (GRDP)\tTỷ đồng\t12.450\t13.600\n"
            "Thu nhập bình quân đầu người\tTriệu đồng\t58,2\t62\n")
    found = [(r.span, r.status, r.year, r.norm_unit) for r in extract(text, "two-years")]
    assert found == [("12.450", "actual", 2022, "VND"), ("13.600", "target", 2023, "VND"),
                     ("58,2", "actual", 2022, "VND"), ("62", "target", 2023, "VND")]


def test_a_transposed_table_reads_indicators_from_its_columns():
    text = ("Một số chỉ tiêu chủ yếu năm 2024\n"
            "| Chỉ tiêu | Tăng trưởng kinh tế (%) | Thu ngân sách (tỷ đồng) | Tỷ lệ hộ nghèo (%) |\n"
            "| Kế hoạch | 8 | 1.500 | Dưới 2 |\n"
            "| Thực hiện | 8,3 | 1.620,5 | 1,8 |\n")
    (table,) = find_tables(text)
    assert table.transposed
    found = [(r.span, r.indicator, r.status, r.norm_value, r.norm_unit, r.comparator, r.year)
             for r in extract(text, "transposed")]
    assert found == [
        ("8", "Tăng trưởng kinh tế", "target", 8, "%", "=", 2024),
        ("8,3", "Tăng trưởng kinh tế", "actual", 8.3, "%", "=", 2024),
        ("1.500", "Thu ngân sách", "target", 1.5e12, "VND", "=", 2024),
        ("1.620,5", "Thu ngân sách", "actual", 1.6205e12, "VND", "=", 2024),
        ("2", "Tỷ lệ hộ nghèo", "target", 2, "%", "<", 2024),
        ("1,8", "Tỷ lệ hộ nghèo", "actual", 1.8, "%", "=", 2024),
    ]


def test_units_in_row_labels_stand_for_a_unit_column():
    text = ("Chỉ tiêu\tKế hoạch năm 2024\tƯớc thực hiện năm 2024\n"
            "1. Giá trị sản xuất công nghiệp (tỷ đồng)\t2.100\t2.250\n"
            "2. Sản lượng lương thực (tấn)\t45.000\t46.300\n"
            "3. Tỷ lệ trường đạt chuẩn quốc gia (%)\t75\t1.200 tỷ đồng\n")
    found = [(r.span, r.indicator, r.norm_value, r.norm_unit, r.comparator) for r in extract(text, "labels")]
    assert found == [
        ("2.100", "Giá trị sản xuất công nghiệp", 2.1e12, "VND", "="),
        ("2.250", "Giá trị sản xuất công nghiệp", 2.25e12, "VND", "~"),  # an estimate column
        ("45.000", "Sản lượng lương thực", 45000, "tấn", "="),
        ("46.300", "Sản lượng lương thực", 46300, "tấn", "~"),
        ("75", "Tỷ lệ trường đạt chuẩn quốc gia", 75, "%", "="),
        ("1.200 tỷ đồng", "Tỷ lệ trường đạt chuẩn quốc gia", 1.2e12, "VND", "~"),  # the cell's own unit wins
    ]


def test_a_group_header_over_two_columns_gives_both_its_year():
    page = ("<html><body><article><h1>Kết quả năm 2023</h1><p>Huyện đạt nhiều chỉ tiêu quan trọng trong năm qua, "
            "theo báo cáo của Ủy ban nhân dân huyện gửi Hội đồng nhân dân huyện.</p><table><tr><th rowspan=2>TT"
            "</th><th rowspan=2>Chỉ tiêu</th><th rowspan=2>ĐVT</th><th colspan=2>Năm 2023</th></tr><tr><th>KH</th>"
            "<th>TH</th></tr><tr><td>1</td><td>Thu ngân sách</td><td>Tỷ đồng</td><td>420</td><td>455,6</td></tr>"
            "</table></article></body></html>")
    from vnextract.inputs.html import read_html

    text, _ = read_html(page)
    found = [(r.span, r.status, r.year, r.norm_value) for r in extract(text, "group")]
    assert found == [("420", "target", 2023, 4.2e11), ("455,6", "actual", 2023, 4.556e11)]


@pytest.mark.parametrize("text", [
    "Lịch tiếp công dân tháng 3/2024\nThời gian\tNội dung\tĐịa điểm\n7h30 ngày 5/3\tTiếp công dân định kỳ\t"
    "Trụ sở UBND xã\n14h00 ngày 12/3\tĐối thoại với 25 hộ dân\tNhà văn hóa thôn 2\n",
    "| STT | Họ và tên | Chức vụ | Số điện thoại |\n|---|---|---|---|\n| 1 | Nguyễn Văn An | Chủ tịch UBND xã | "
    "0912 345 678 |\n| 2 | Trần Thị Bình | Phó Chủ tịch | 0987 654 321 |\n",
], ids=["schedule", "phone-list"])
def test_tables_that_are_not_indicator_tables_give_no_records(text):
    assert find_tables(text)
    assert extract(text, "not-indicators") == []


def test_the_prose_around_a_table_is_read_as_before():
    before = "Năm 2023, thu ngân sách nhà nước trên địa bàn huyện đạt 455,6 tỷ đồng, bằng 108,5% kế hoạch."
    after = "Năm 2024, huyện phấn đấu thu nhập bình quân đầu người đạt 68 triệu đồng."
    table = ("Chỉ tiêu\tĐVT\tKế hoạch năm 2023\tThực hiện năm 2023\n"
             "Thu ngân sách nhà nước trên địa bàn\tTỷ đồng\t420\t455,6\n")
    text = f"{before}\n\n{table}\n{after}"
    records = extract(text, "mixed")
    prose = [r.to_dict() for r in records if not (text.index(table) <= r.start < text.index(table) + len(table))]
    alone = [r.to_dict() for r in extract(f"{before}\n\n{after}", "mixed")]
    shift = len(table) + 1
    for r in alone[2:]:
        r["start"] += shift
        r["end"] += shift
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("evidence", "confidence")} for r in rows]
    assert strip(prose) == strip(alone)
    assert len(records) == len(alone) + 2


def test_a_damaged_workbook_is_named_and_costs_no_other_document(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "good.xlsx").write_bytes((FIXTURES / "results.xlsx").read_bytes())
    items = list(iter_documents([str(tmp_path)]))
    bad = next(i for i in items if i.doc_id == "bad")
    assert isinstance(bad, DocumentFailure) and bad.error_type == "SpreadsheetError"
    assert "Excel" in bad.message
    good = next(i for i in items if i.doc_id == "good")
    assert isinstance(good, Document) and len(extract_document(good)) == len(EXPECTED)


def test_tables_command_prints_each_column_with_its_role():
    done = subprocess.run([sys.executable, "-m", "vnextract.cli", "tables", str(FIXTURES / "results-pipe.txt")],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    roles = next(line for line in lines if line.startswith("role"))
    assert roles.split("\t") == ["role", "index", "label", "unit", "target 2023", "actual 2023", "comparison"]
    assert "row\t2\tThu ngân sách nhà nước trên địa bàn\tTỷ đồng\t5.200\t5.356,8\t103" in lines


@pytest.mark.parametrize("between, numbers", [("\n", "1234"), ("\n\n", "1234"), ("\n\n", ["1."] * 4)],
                         ids=["lines", "paragraphs", "numbers-lost"])
def test_a_table_pasted_one_cell_per_line_with_rows_lacking_a_cell(between, numbers):
    """Numbers lost: a numbered list copied as " 1. " in every row still opens a row at each."""
    cells = ("TT\nChỉ tiêu\nĐơn vị\nKế hoạch năm 2022\nƯớc thực hiện năm 2022\nĐánh giá\n"
             f"{numbers[0]}\nTốc độ tăng giá trị sản xuất\n%\n10\n10,2\nĐạt\n"
             f"{numbers[1]}\nThu nhập bình quân đầu người\nTriệu đồng\n45\n46,5\n"  # no verdict
             f"{numbers[2]}\nTỷ lệ hộ nghèo\n%\nGiảm 2\n2,5\nVượt\n"
             f"{numbers[3]}\nSố xã đạt chuẩn nông thôn mới\nxã\n2\n1\nKhông đạt")
    text = ("Kết quả thực hiện các chỉ tiêu năm 2022 của huyện Kỳ Sơn:\n" + cells.replace("\n", between)
            + "\n\nTrong năm 2023, huyện tiếp tục phấn đấu hoàn thành các chỉ tiêu đề ra.")
    records = extract(text, "ky-son")
    found = [(r.span, r.indicator, r.status, r.kind, r.direction, r.comparator, r.year, r.norm_unit) for r in records]
    assert found == [
        ("10", "Tốc độ tăng giá trị sản xuất", "target", "level", None, "=", 2022, "%"),
        ("10,2", "Tốc độ tăng giá trị sản xuất", "actual", "level", None, "~", 2022, "%"),  # "Ước thực hiện"
        ("45", "Thu nhập bình quân đầu người", "target", "level", None, "=", 2022, "VND"),
        ("46,5", "Thu nhập bình quân đầu người", "actual", "level", None, "~", 2022, "VND"),
        ("2", "Tỷ lệ hộ nghèo", "target", "change", "down", "=", 2022, "%"),
        ("2,5", "Tỷ lệ hộ nghèo", "actual", "level", None, "~", 2022, "%"),
        ("2", "Số xã đạt chuẩn nông thôn mới", "target", "level", None, "=", 2022, "count"),
        ("1", "Số xã đạt chuẩn nông thôn mới", "actual", "level", None, "~", 2022, "count"),
    ]
    assert records[4].evidence["kind"]["text"] == "Giảm"
    assert all(r.locality == "huyện Kỳ Sơn" for r in records)


def test_the_review_report_shows_a_workbook_with_its_table_records():
    from vnextract.review.report import collect, document_page

    (report,) = collect([FIXTURES / "results.xlsx"])
    assert len(report.records) == len(EXPECTED)
    assert "5.356,8" in document_page(report)


def test_two_cell_pipe_rows_are_a_table_only_when_they_hold_figures_of_a_named_column():
    text = ("Tin tức | Báo Quảng Ninh\nCập nhật: 09/08/2018 | 06:52\nNăm 2023, huyện Cô Tô đạt nhiều kết quả.\n"
            "Chỉ tiêu | Kết quả năm 2023\nThu ngân sách (tỷ đồng) | 455,6\nTỷ lệ hộ nghèo (%) | 2,4\n")
    (table,) = find_tables(text)
    assert text[table.start:table.end].startswith("Chỉ tiêu")
    found = [(r.span, r.indicator, r.status, r.year, r.norm_value) for r in extract(text, "co-to")]
    assert found == [("455,6", "Thu ngân sách", "actual", 2023, 4.556e11), ("2,4", "Tỷ lệ hộ nghèo", "actual", 2023, 2.4)]


def test_an_indented_row_is_a_part_of_the_row_above_and_takes_its_unit():
    text = ("Chỉ tiêu\tĐVT\tKế hoạch năm 2024\tThực hiện năm 2024\n"
            "Tổng vốn đầu tư toàn xã hội\tTỷ đồng\t3.000\t3.150\n"
            "    Vốn ngân sách nhà nước\t\t900\t960\n"
            "Tỷ lệ hộ nghèo\t%\t2\t1,9\n")
    records = extract(text, "indent")
    parts = [r for r in records if r.indicator == "Vốn ngân sách nhà nước"]
    assert [(r.span, r.norm_value, r.norm_unit) for r in parts] == [("900", 9e11, "VND"), ("960", 9.6e11, "VND")]
    assert parts[0].evidence["indicator"]["note"] == "part of: Tổng vốn đầu tư toàn xã hội"
    poverty = [r for r in records if r.indicator == "Tỷ lệ hộ nghèo"]
    assert [r.evidence["indicator"]["note"] for r in poverty] == ["row label", "row label"]


def test_an_ods_file_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "bao-cao.ods"
    path.write_bytes(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet")
    (item,) = iter_documents([str(path)])
    assert isinstance(item, DocumentFailure) and item.error_type == "SpreadsheetError"
    assert "save it as .xlsx" in item.message


def test_a_table_of_years_down_its_first_column_is_transposed():
    text = ("Năm\tGRDP (tỷ đồng)\tTỷ lệ hộ nghèo (%)\n"
            "2022\t12.450\t3,1\n"
            "2023\t13.600\t2,6\n")
    found = sorted((r.indicator, r.year, r.norm_value, r.status) for r in extract(text, "years"))
    assert found == [("GRDP", 2022, 1.245e13, "actual"), ("GRDP", 2023, 1.36e13, "actual"),
                     ("Tỷ lệ hộ nghèo", 2022, 3.1, "actual"), ("Tỷ lệ hộ nghèo", 2023, 2.6, "actual")]


def test_a_same_period_column_is_the_year_before_and_a_change_column_gives_changes():
    text = ("Chỉ tiêu\tĐVT\tThực hiện 6 tháng đầu năm 2024\tCùng kỳ\tTăng/giảm (%)\n"
            "Thu ngân sách nhà nước\tTỷ đồng\t230\t210\t9,5\n"
            "Số doanh nghiệp thành lập mới\tdoanh nghiệp\t47\t52\t-9,6\n")
    found = [(r.span, r.status, r.kind, r.direction, r.year, r.period, r.norm_unit) for r in extract(text, "six-months")]
    assert found == [
        ("230", "actual", "level", None, 2024, "6 tháng đầu năm 2024", "VND"),
        ("210", "actual", "level", None, 2023, None, "VND"),
        ("9,5", "actual", "change", "up", 2024, "6 tháng đầu năm 2024", "%"),
        ("47", "actual", "level", None, 2024, "6 tháng đầu năm 2024", "count"),
        ("52", "actual", "level", None, 2023, None, "count"),
        ("-9,6", "actual", "change", "down", 2024, "6 tháng đầu năm 2024", "%"),
    ]


def test_a_title_row_merged_across_a_page_table_is_its_caption():
    page = ("<html><body><article><h1>Kết quả năm 2023</h1><p>Huyện đạt nhiều chỉ tiêu quan trọng trong năm qua, "
            "theo báo cáo của Ủy ban nhân dân huyện gửi Hội đồng nhân dân huyện.</p><table>"
            "<tr><td colspan=4>Kết quả thực hiện một số chỉ tiêu của huyện Đầm Hà năm 2023</td></tr>"
            "<tr><td>Chỉ tiêu</td><td>ĐVT</td><td>Kế hoạch</td><td>Thực hiện</td></tr>"
            "<tr><td>Thu ngân sách</td><td>Tỷ đồng</td><td>420</td><td>455,6</td></tr>"
            "</table></article></body></html>")
    from vnextract.inputs.html import read_html

    text, _ = read_html(page)
    (table,) = find_tables(text)
    assert text[table.caption[0]:table.caption[1]].startswith("Kết quả thực hiện một số chỉ tiêu")
    found = [(r.span, r.status, r.year, r.locality) for r in extract(text, "caption")]
    assert found == [("420", "target", 2023, "huyện Đầm Hà"), ("455,6", "actual", 2023, "huyện Đầm Hà")]


def test_a_label_ending_in_trong_do_makes_the_rows_after_it_its_parts():
    text = ("| Chỉ tiêu | Kế hoạch năm 2024 | Thực hiện năm 2024 |\n"
            "| 1. Tổng thu ngân sách trên địa bàn (tỷ đồng), trong đó: | 950 | 1.012 |\n"
            "| - Thu nội địa | 700 | 745,3 |\n"
            "| 2. Tỷ lệ hộ nghèo (%) | 3,5 | 3,1 |\n")
    records = extract(text, "parts")
    assert [(r.indicator, r.norm_value, r.evidence["indicator"]["note"]) for r in records] == [
        ("Tổng thu ngân sách trên địa bàn", 9.5e11, "row label"),
        ("Tổng thu ngân sách trên địa bàn", 1.012e12, "row label"),
        ("Thu nội địa", 7e11, "part of: Tổng thu ngân sách trên địa bàn"),
        ("Thu nội địa", 7.453e11, "part of: Tổng thu ngân sách trên địa bàn"),
        ("Tỷ lệ hộ nghèo", 3.5, "row label"),
        ("Tỷ lệ hộ nghèo", 3.1, "row label"),
    ]


def test_a_workbook_writes_numbers_percentages_and_merged_cells_as_a_report_does(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kết quả năm 2023 của huyện Vân Đồn"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Chỉ tiêu", "ĐVT", "Năm 2023", None])
    sheet.merge_cells("C2:D2")
    sheet.append([None, None, "Kế hoạch", "Thực hiện"])
    sheet.append(["Tỷ lệ đô thị hóa", "%", 0.5, 0.525])
    sheet.append(["Tổng vốn đầu tư", "Tỷ đồng", 12000, 12345.67])
    sheet["C4"].number_format = sheet["D4"].number_format = "0.0%"
    path = tmp_path / "van-don.xlsx"
    book.save(path)
    document = _read(path)
    assert "Tỷ lệ đô thị hóa\t%\t50%\t52,5%" in document.text
    assert "Tổng vốn đầu tư\tTỷ đồng\t12.000\t12.345,67" in document.text
    found = [(r.span, r.status, r.year, r.norm_value, r.norm_unit) for r in extract_document(document)]
    assert found == [("50%", "target", 2023, 50, "%"), ("52,5%", "actual", 2023, 52.5, "%"),
                     ("12.000", "target", 2023, 1.2e13, "VND"), ("12.345,67", "actual", 2023, 1.234567e13, "VND")]


def test_a_word_table_with_a_merged_header_keeps_its_columns(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Kết quả năm 2023 của huyện Tiên Yên")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([["Chỉ tiêu", "ĐVT", "Năm 2023", ""], ["", "", "KH", "TH"],
                             ["Thu ngân sách", "Tỷ đồng", "420", "455,6"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(0, 0).merge(table.cell(1, 0))
    path = tmp_path / "tien-yen.docx"
    document.save(path)
    item = _read(path)
    assert "Chỉ tiêu\tĐVT\tNăm 2023\t\n\t\tKH\tTH\nThu ngân sách\tTỷ đồng\t420\t455,6" in item.text
    found = [(r.span, r.status, r.year, r.norm_value) for r in extract_document(item)]
    assert found == [("420", "target", 2023, 4.2e11), ("455,6", "actual", 2023, 4.556e11)]


def test_paragraphs_indented_by_tabs_are_prose_not_a_table():
    text = ("\tNăm 2023, thu ngân sách nhà nước trên địa bàn huyện đạt 455,6 tỷ đồng, bằng 108,5% kế hoạch.\n"
            "\tNăm 2024, huyện phấn đấu thu nhập bình quân đầu người đạt 68 triệu đồng.\n")
    assert find_tables(text) == []
    assert [r.span for r in extract(text, "indented")] == [r.span for r in extract(text.replace("\t", ""), "plain")]


# A table of places: each row is a province, the figure column names the
# measure in its header; pasted one cell per paragraph, two places a row.
PLACES_TABLE = """Mục tiêu tăng trưởng GRDP giai đoạn 2026 - 2030 của các tỉnh

Tỉnh, thành phố

Tăng trưởng GRDP 2026 - 2030 (%)

Tỉnh, thành phố

Tăng trưởng GRDP 2026 - 2030 (%)

Hà Nội

10,5 – 11,0

Hưng Yên

10,0

Thanh Hóa

11,0

Nghệ An

11,0 – 12,0

CẢ NƯỚC

Từ 10% trở lên

Các địa phương đã xây dựng kế hoạch phát triển kinh tế - xã hội 5 năm theo hướng dẫn của Bộ Tài chính."""


def test_a_table_of_places_gives_each_row_its_place_and_the_headers_measure():
    records = extract_document(Document("places", PLACES_TABLE, "places.txt", DocumentMeta(year=2025)))
    got = [(r.span, r.norm_value, r.value_max, r.norm_unit, r.indicator, r.status, r.year, r.locality, r.comparator)
           for r in records if r.span not in ("2026 - 2030",)]
    assert got == [
        ("10,5 – 11,0", 10.5, 11.0, "%", "Tăng trưởng GRDP", "target", 2030, "TP Hà Nội", "="),
        ("10,0", 10.0, None, "%", "Tăng trưởng GRDP", "target", 2030, "tỉnh Hưng Yên", "="),
        ("11,0", 11.0, None, "%", "Tăng trưởng GRDP", "target", 2030, "tỉnh Thanh Hóa", "="),
        ("11,0 – 12,0", 11.0, 12.0, "%", "Tăng trưởng GRDP", "target", 2030, "tỉnh Nghệ An", "="),
        ("10%", 10.0, None, "%", "Tăng trưởng GRDP", "target", 2030, "cả nước", ">="),
    ]
    assert all(PLACES_TABLE[r.start : r.end] == r.span for r in records)


def test_a_tab_table_of_places_reads_the_same_way():
    text = ("Thu ngân sách năm 2023 của một số địa phương\n"
            "Địa phương\tThu ngân sách 2023 (tỷ đồng)\n"
            "Quảng Ninh\t52.000\n"
            "Bắc Ninh\t37.500\n")
    records = extract_document(Document("tab", text, "tab.txt", DocumentMeta(year=2024)))
    assert [(r.span, r.norm_value, r.indicator, r.status, r.year, r.locality) for r in records] == [
        ("52.000", 5.2e13, "Thu ngân sách", "actual", 2023, "tỉnh Quảng Ninh"),
        ("37.500", 3.75e13, "Thu ngân sách", "actual", 2023, "tỉnh Bắc Ninh"),
    ]


def test_a_table_pasted_as_paragraphs_keeps_its_blank_cells_and_part_rows():
    # Cells pasted one paragraph each, an empty cell a paragraph of one space;
    # "Tr.đó:" alone opens the parts, each part's row opened by its dash.
    cells = ["Stt", "Chỉ tiêu", "TH năm 2018", "KH năm 2019", " ", "Ghi chú",
             "1", "Thu ngân sách (Tỷ đồng)", "7.788", "7.213,5", "Vượt", " ",
             " ", "Tr.đó:",
             "- Thu nội địa (Tỷ đồng)", "6.000", "6.100", " ", " ",
             "- Thu xuất nhập khẩu (Tỷ đồng)", "900", "1.000", " ", " ",
             "2", "Giá trị xuất khẩu (triệu USD)", "864", "1.055", "Không đạt", " "]
    text = "Các chỉ tiêu chủ yếu năm 2019\n\n" + "\n\n".join(cells) + "\n\nTỉnh đã hoàn thành phần lớn các chỉ tiêu đề ra trong năm."
    records = extract_document(Document("t", text, "t.txt", DocumentMeta(year=2019)))
    assert [(r.span, r.indicator, r.status, r.year) for r in records] == [
        ("7.788", "Thu ngân sách", "actual", 2018), ("7.213,5", "Thu ngân sách", "target", 2019),
        ("6.000", "Thu nội địa", "actual", 2018), ("6.100", "Thu nội địa", "target", 2019),
        ("900", "Thu xuất nhập khẩu", "actual", 2018), ("1.000", "Thu xuất nhập khẩu", "target", 2019),
        ("864", "Giá trị xuất khẩu", "actual", 2018), ("1.055", "Giá trị xuất khẩu", "target", 2019),
    ]
    assert records[2].evidence["indicator"]["note"] == "part of: Thu ngân sách"
