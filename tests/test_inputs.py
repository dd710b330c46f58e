"""Reading articles as users have them: saved pages, Word, PDF, legacy encodings.

The fixtures (tests/fixtures/inputs/, built by make_fixtures.py from the dev
article xa-tay-do-thanh-hoa-tong-ket-2025) hold one article in every format;
each must read to exactly the plain text and give the same records.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEV, ROOT, record_problems
from vnextract.cli import main
from vnextract.inputs.documents import Document, DocumentFailure, DocumentMeta, files_in, iter_documents
from vnextract.inputs.encodings import (DecodeError, decode_bytes, detect, encode_cp1258, encode_legacy,
                                        legacy_table)
from vnextract.inputs.html import PageError, read_html
from vnextract.inputs.pdf import PDFError, join_layout_lines, read_pdf
from vnextract.pipeline import extract_document

FIXTURES = ROOT / "tests" / "fixtures" / "inputs"
ARTICLE = (FIXTURES / "article.txt").read_text(encoding="utf-8")
SHEET_META = DocumentMeta(locality="xã Tây Đô", year=2025)
SAME_ARTICLE = ["article.html", "article-cp1258.html", "article.docx", "article.pdf", "article-utf16.txt",
                "article-utf32.txt", "article-utf8bom.txt", "article-cp1258.txt", "article-tcvn3.txt",
                "article-vni.txt"]


def _read(path, **kwargs) -> Document | DocumentFailure:
    [item] = list(iter_documents([path], **kwargs))
    return item


def _fields(records) -> list[dict]:
    return [{k: v for k, v in r.to_dict().items() if k != "doc_id"} for r in records]


def test_the_fixture_article_is_the_dev_article():
    assert ARTICLE == (DEV / "xa-tay-do-thanh-hoa-tong-ket-2025.txt").read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("name", SAME_ARTICLE)
def test_every_format_reads_to_the_plain_text_and_gives_its_records(name):
    item = _read(FIXTURES / name)
    assert isinstance(item, Document), item
    assert item.text == ARTICLE
    assert item.doc_id == name.rsplit(".", 1)[0]
    reference = extract_document(Document("article", ARTICLE, "article.txt", SHEET_META))
    records = extract_document(Document(item.doc_id, item.text, item.source, SHEET_META))
    assert reference and _fields(records) == _fields(reference)
    for record in records:
        assert not record_problems(record, item.text)


@pytest.mark.parametrize("name", SAME_ARTICLE + ["article.txt"])
def test_text_command_prints_exactly_the_indexed_text(name, capsysbinary):
    assert main(["text", str(FIXTURES / name)]) == 0
    assert capsysbinary.readouterr().out == ARTICLE.encode("utf-8")


def test_page_date_gives_the_year_and_a_sheet_overrides_it(tmp_path):
    page = _read(FIXTURES / "article.html")
    assert page.meta == DocumentMeta(year=2025, month=12)
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(FIXTURES / "article.html", folder / "article.html")
    (folder / "sources.tsv").write_text("doc_id\tlocality\tyear\narticle\tThanh Hóa / xã Tây Đô\t2024\n",
                                        encoding="utf-8")
    [doc] = list(iter_documents([folder]))
    assert doc.meta == DocumentMeta(locality="xã Tây Đô", year=2024)


def test_page_chrome_is_not_read():
    text, _ = read_html((FIXTURES / "article.html").read_bytes())
    for chrome in ("Trang chủ", "Tin liên quan", "GRDP năm 2025 ước tăng 8,5%", "Chúc mừng", "Giấy phép", "Từ khóa"):
        assert chrome not in text


def test_page_lists_and_tables_keep_their_lines():
    markup = ("<html><body><article><h1>Kết quả năm 2024</h1><p>Huyện đạt nhiều chỉ tiêu quan trọng trong năm "
              "qua, theo báo cáo của Ủy ban nhân dân huyện gửi Hội đồng nhân dân.</p><ul><li>Thu ngân sách "
              "đạt 120 tỷ đồng</li><li>Tỷ lệ hộ nghèo còn 2,1%</li></ul><table><tr><th>Chỉ tiêu</th>"
              "<th>Kế hoạch</th><th>Thực hiện</th></tr><tr><td>Thu nhập bình quân</td><td>60 triệu đồng</td>"
              "<td>62 triệu đồng</td></tr></table></article></body></html>")
    text, _ = read_html(markup)
    assert "- Thu ngân sách đạt 120 tỷ đồng\n- Tỷ lệ hộ nghèo còn 2,1%" in text
    assert "Chỉ tiêu\tKế hoạch\tThực hiện\nThu nhập bình quân\t60 triệu đồng\t62 triệu đồng" in text


def test_docx_table_rows_become_lines_with_figures_in_column_order():
    item = _read(FIXTURES / "report.docx")
    assert item.text == (FIXTURES / "report.txt").read_text(encoding="utf-8")
    assert "Thu nhập bình quân đầu người\t65 triệu đồng/năm\tgần 70 triệu đồng/năm" in item.text
    reference = extract_document(Document("r", item.text, "report.txt"))
    spans = [r.span for r in extract_document(item)]
    assert spans == [r.span for r in reference]
    assert spans.index("65 triệu đồng/năm") < spans.index("70 triệu đồng/năm")


def test_folder_of_every_format_gives_the_same_records_per_document(tmp_path):
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    for name in ["article.txt"] + SAME_ARTICLE:
        stem, suffix = name.rsplit(".", 1)  # article.txt and article.html would share a doc_id
        target = folder / ("sub" if suffix == "pdf" else "") / f"{stem}-{suffix}.{suffix}"
        shutil.copy(FIXTURES / name, target)
    names = [p.relative_to(folder).as_posix() for p in files_in(folder)]
    assert len(names) == len(SAME_ARTICLE) + 1 and "sub/article-pdf.pdf" in names
    sheet = tmp_path / "sheet.tsv"
    ids = [n.rsplit(".", 1)[0] for n in names]
    sheet.write_text("doc_id\tlocality\tyear\n" + "".join(f"{i}\txã Tây Đô\t2025\n" for i in ids), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--meta", str(sheet), "--workers", "2"]) == 0
    by_doc: dict[str, list] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_doc.setdefault(record.pop("doc_id"), []).append(record)
    assert set(by_doc) == set(ids)
    first = by_doc["article-txt"]
    assert first and all(records == first for records in by_doc.values())


_KILLER = """
import os, signal, sys, time
from vnextract.batch.run import run
from vnextract.pipeline import extract_document

def kill_the_run(document):
    if document.doc_id == sys.argv[3]:
        time.sleep(1.0)  # the documents before it are written by then
        os.kill(os.getppid(), signal.SIGKILL)
        os._exit(0)
    return extract_document(document)

run([sys.argv[1]], sys.argv[2], workers=1, extractor=kill_the_run)
"""


def test_resume_and_dask_read_every_format(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, target in (("article.html", "a-page.html"), ("article.docx", "b-word.docx"),
                         ("article.pdf", "c-report.pdf"), ("article-tcvn3.txt", "d-old.txt")):
        shutil.copy(FIXTURES / name, folder / target)
    (folder / "e-broken.pdf").write_bytes((FIXTURES / "article.pdf").read_bytes()[:5000])
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert main(["extract", str(folder), "-o", str(local), "--workers", "1"]) == 1
    assert main(["extract", str(folder), "-o", str(dask), "--engine", "dask", "--workers", "1"]) == 1
    assert local.read_bytes() == dask.read_bytes()
    errors = [json.loads(line) for line in (tmp_path / "local.jsonl.errors.jsonl").read_text().splitlines()]
    assert [(e["doc_id"], e["error_type"]) for e in errors] == [("e-broken", "PDFError")]
    assert errors[0]["source"].endswith("e-broken.pdf") and "truncated" in errors[0]["message"]
    # A run killed at the PDF, then resumed: the same bytes, the documents before it kept.
    from vnextract.batch.run import run

    resumed = tmp_path / "resumed.jsonl"
    killed = subprocess.run([sys.executable, "-c", _KILLER, str(folder), str(resumed), "d-old"],
                            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
                            capture_output=True, timeout=120)
    assert killed.returncode == -9, killed.stderr.decode()
    assert not resumed.exists()
    summary = run([folder], resumed, workers=1, resume=True)
    assert 1 <= summary.resumed <= 3 and summary.documents == 5 and summary.errors == 1
    assert resumed.read_bytes() == local.read_bytes()


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("name,expected", [("article-utf16.txt", "utf-16"), ("article-utf32.txt", "utf-32"),
                                           ("article-utf8bom.txt", "utf-8-sig"), ("article-cp1258.txt", "cp1258"),
                                           ("article-tcvn3.txt", "tcvn3"), ("article-vni.txt", "vni")])
def test_each_encoding_is_detected(name, expected):
    _, found = detect((FIXTURES / name).read_bytes())
    assert found == expected


def test_windows_1258_combining_tone_marks_are_composed():
    data = encode_cp1258("Thu ngân sách đạt 197 tỷ đồng")
    assert "\u0323".encode("cp1258") in data  # ạ is written as a + combining dot below
    assert decode_bytes(data) == "Thu ngân sách đạt 197 tỷ đồng"


def test_utf16_without_bom_is_read():
    assert decode_bytes(ARTICLE.encode("utf-16-le")) == ARTICLE


@pytest.mark.parametrize("forced", ["tcvn3", "TCVN3", "vni", "windows-1258", "cp1258", "utf-16"])
def test_encoding_option_forces_the_codec(forced, capsysbinary):
    name = {"tcvn3": "article-tcvn3.txt", "vni": "article-vni.txt", "windows-1258": "article-cp1258.txt",
            "cp1258": "article-cp1258.txt", "utf-16": "article-utf16.txt"}[forced.lower()]
    assert main(["text", str(FIXTURES / name), "--encoding", forced]) == 0
    assert capsysbinary.readouterr().out == ARTICLE.encode("utf-8")


def test_a_wrong_forced_encoding_is_an_error_naming_the_file(capsys):
    assert main(["text", str(FIXTURES / "article-vni.txt"), "--encoding", "utf-8"]) == 1
    err = capsys.readouterr().err
    assert "article-vni.txt" in err and "not valid UTF-8" in err


def test_an_unknown_encoding_name_is_a_usage_error(capsys):
    assert main(["text", str(FIXTURES / "article.txt"), "--encoding", "klingon"]) == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


def test_tcvn3_toned_capitals_read_back_lowercase():
    """TCVN3 has no toned capitals: a .VnTimeH title comes back in lowercase letters."""
    assert decode_bytes(encode_legacy("ỦY BAN", "tcvn3"), encoding="tcvn3") == "ủY BAN"


def test_legacy_tables_cover_every_vietnamese_letter():
    letters = set("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ")
    vowels_with_marks = {c for c in letters if not c.isascii()}
    assert vowels_with_marks <= set(legacy_table("tcvn3"))
    assert vowels_with_marks | {c.upper() for c in vowels_with_marks} <= set(legacy_table("vni"))
    codes = list(legacy_table("tcvn3").values())
    assert len(codes) == len(set(codes)), "two letters share a TCVN3 byte"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ARTICLE.split()), min_size=8, max_size=40))
def test_legacy_encodings_round_trip_and_are_detected(words):
    """Any text round-trips; one with a few different accented words is
    detected. (With fewer there may be no evidence to go on: "bộ" in TCVN3 is
    one byte that VNI and Windows-1258 read as "bé", a word too.)"""
    text = " ".join(words)
    encoded = (("tcvn3", encode_legacy(text, "tcvn3")), ("vni", encode_legacy(text, "vni")),
               ("cp1258", encode_cp1258(text)))
    for encoding, data in encoded:
        assert decode_bytes(data, encoding=encoding) == text
    if len({w for w in words if any(c.isalpha() and not c.isascii() for c in w)}) < 4:
        return  # "–" is no accented word
    for encoding, data in encoded:
        decoded, found = detect(data)
        assert found == encoding, (encoding, text)


def test_a_lone_ambiguous_word_is_still_read_as_a_vietnamese_text():
    """Where the bytes read as Vietnamese in two encodings, detection picks
    one of them, never an error, and the text keeps its figures."""
    decoded, found = detect(encode_legacy("2025, 2025, bộ", "tcvn3"))
    assert decoded in ("2025, 2025, bộ", "2025, 2025, bé") and found in ("tcvn3", "vni", "cp1258")


# ---------------------------------------------------------------- bad inputs


def _failure(tmp_path, name: str, data: bytes) -> DocumentFailure:
    path = tmp_path / name
    path.write_bytes(data)
    item = _read(path)
    assert isinstance(item, DocumentFailure), item
    assert str(path) in str(item)
    return item


def test_binary_junk_says_what_was_tried(tmp_path):
    junk = bytes((i * 7919 + 13) % 256 for i in range(4000)).replace(b"\x00", b"\x01")
    item = _failure(tmp_path, "junk.txt", junk)
    assert item.error_type == "DecodeError"
    assert "Windows-1258, TCVN3 and VNI" in item.message and "--encoding" in item.message


def test_truncated_pdf_is_an_error(tmp_path):
    item = _failure(tmp_path, "cut.pdf", (FIXTURES / "article.pdf").read_bytes()[:6000])
    assert item.error_type == "PDFError" and "truncated" in item.message


def test_password_protected_pdf_is_an_error(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO((FIXTURES / "article.pdf").read_bytes()))
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    item = _failure(tmp_path, "locked.pdf", buffer.getvalue())
    assert "password-protected" in item.message


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO((FIXTURES / "article.pdf").read_bytes()))
    writer.encrypt(user_password="", owner_password="chu", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert read_pdf(buffer.getvalue()) == ARTICLE


def test_scanned_pdf_says_it_has_no_text_layer():
    item = _read(FIXTURES / "scanned.pdf")
    assert isinstance(item, DocumentFailure)
    assert "no text layer" in item.message and "OCR" in item.message


def test_pdf_with_an_empty_page_holds_no_text(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    item = _failure(tmp_path, "blank.pdf", buffer.getvalue())
    assert "holds no text" in item.message


def test_empty_page_is_an_error(tmp_path):
    item = _failure(tmp_path, "empty.html", b"  \n")
    assert item.error_type == "PageError" and "empty page" in item.message


def test_page_with_no_article_is_an_error(tmp_path):
    menu = "".join(f'<li><a href="/c{i}">Chuyên mục {i}</a></li>' for i in range(30))
    item = _failure(tmp_path, "index.html", f"<html><body><nav><ul>{menu}</ul></nav></body></html>".encode())
    assert item.error_type == "PageError" and "no article text" in item.message


def test_not_a_docx_is_an_error(tmp_path):
    assert "not a Word .docx" in _failure(tmp_path, "fake.docx", b"plain text, not a zip").message
    assert ".doc" in _failure(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)).message


def test_a_bad_file_does_not_cost_the_others(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "article.docx", folder / "b.docx")
    (folder / "a.pdf").write_bytes(b"%PDF-1.7 nothing else")
    (folder / "c.html").write_bytes(b"")
    items = list(iter_documents([folder]))
    assert [type(i).__name__ for i in items] == ["DocumentFailure", "Document", "DocumentFailure"]


def test_jsonl_line_with_an_html_field_is_read_as_a_page(tmp_path):
    page = (FIXTURES / "article.html").read_text(encoding="utf-8")
    lines = [json.dumps({"id": "p1", "html": page}, ensure_ascii=False),
             json.dumps({"id": "p2", "html": page, "year": 2024, "locality": "Thanh Hóa"}, ensure_ascii=False),
             json.dumps({"id": "p3", "html": "<html><body></body></html>"})]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p1, p2, p3 = iter_documents([path])
    assert p1.text == ARTICLE and p1.meta == DocumentMeta(year=2025, month=12)
    assert p2.meta == DocumentMeta(locality="tỉnh Thanh Hóa", year=2024)
    assert isinstance(p3, DocumentFailure) and p3.source.endswith("pages.jsonl:3")


def test_text_command_chooses_a_document_of_a_jsonl(tmp_path, capsysbinary):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "một"}) + "\n" + json.dumps({"id": "b", "text": "hai"}) + "\n",
                    encoding="utf-8")
    assert main(["text", str(path), "--id", "b"]) == 0
    assert capsysbinary.readouterr().out == "hai".encode()
    assert main(["text", str(path)]) == 2


def test_show_renders_a_page():
    from vnextract.review.report import collect, document_page

    (report,) = collect([FIXTURES / "article.pdf"])
    assert "25/25" in document_page(report)


# ---------------------------------------------------------------- PDF lines


def test_layout_lines_are_joined_into_paragraphs():
    page = ("   Kết quả năm 2025\n\n"
            "Thu ngân sách nhà nước trên địa bàn đạt hơn 197 tỷ đồng, vượt dự toán; thu nhập\n"
            "bình quân đầu người gần 70 triệu đồng/năm, tăng so với năm trước đó rất nhiều.\n"
            "Sản xuất ổn định.\n"
            "Tổng sản lượng lương thực đạt gần 24 nghìn tấn, tích tụ đất đai đạt 26 ha trong năm\n"
            "vừa qua.\n"
            "                                        12\n")
    assert join_layout_lines([page]) == (
        "Kết quả năm 2025\n\n"
        "Thu ngân sách nhà nước trên địa bàn đạt hơn 197 tỷ đồng, vượt dự toán; thu nhập bình quân đầu người "
        "gần 70 triệu đồng/năm, tăng so với năm trước đó rất nhiều. Sản xuất ổn định.\n\n"
        "Tổng sản lượng lương thực đạt gần 24 nghìn tấn, tích tụ đất đai đạt 26 ha trong năm vừa qua.")


def test_cli_text_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "vnextract.cli", "text", str(FIXTURES / "article-vni.txt")],
                            capture_output=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and result.stdout.decode("utf-8") == ARTICLE


# --- a file of a kind vnextract does not read is named for what it is -------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["doc_id", "locality"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name, make, kind, advice", [
    ("scan.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image", "OCR"),
    ("scan.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image", "OCR"),
    ("anh.jpg", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "JPEG image", "OCR"),
    ("nguon.txt", _xlsx, "Excel workbook", ".xlsx"),
    ("bao-cao.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Office file", ".docx"),
    ("slides.pptx", lambda: _zip({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}),
     "PowerPoint", ".pdf"),
    ("bai.zip", lambda: _zip({"a.txt": b"x"}), "zip archive", "unpack"),
])
def test_a_file_vnextract_does_not_read_is_named_for_what_it_is(tmp_path, capsys, name, make, kind, advice):
    path = tmp_path / name
    path.write_bytes(make())
    (item,) = iter_documents([path])
    assert isinstance(item, DocumentFailure)
    assert kind in item.message and advice in item.message, item.message
    assert all(kind_read in item.message for kind_read in (".txt", ".html", ".docx", ".pdf", ".jsonl"))
    assert "--encoding" not in item.message and "tried UTF-8" not in item.message
    assert main(["extract", str(path)]) == 1
    assert kind in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".xlsx"])
def test_a_records_file_given_as_documents_is_one_clear_error(tmp_path, capsys, suffix):
    """Records written by extract are no articles: one error naming the file, not a
    line per record or junk records read from their cells."""
    records = tmp_path / f"records{suffix}"
    assert main(["extract", str(DEV / "haiha-2024.txt"), "-o", str(records)]) == 0
    capsys.readouterr()
    assert main(["extract", str(records)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count(str(records)) == 1 and "records written by `vnextract extract`" in captured.err


def test_binary_data_is_not_sent_looking_for_an_encoding(tmp_path, capsys):
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "good.txt").write_text("Năm 2024, thu nhập bình quân đạt 60 triệu đồng.", encoding="utf-8")
    assert main(["extract", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "noise.txt" in captured.err and "binary data" in captured.err and "not a document" in captured.err
    assert "60 triệu đồng" in captured.out
