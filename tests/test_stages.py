"""Fast unit tests per stage, for behaviour the rule examples do not cover:
documents, metadata, segmentation, quantities, writers."""
from __future__ import annotations

import io
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import python_output
from vnextract import extract, to_frame
from vnextract.stages import segmentation, underthesea_parts
from vnextract.stages import units as units_stage
from vnextract.inputs.documents import Document, DocumentFailure, DocumentMeta, files_in
from vnextract.inputs.metadata import meta_from_fields, parse_locality, parse_year, read_sheet
from vnextract.pipeline import extract_documents
from vnextract.stages.quantities import find_quantities
from vnextract.stages.records import FIELDS
from vnextract.rules import WORD_START
from vnextract.stages.word_crf import CachedCRFTagger, CoreCRFTagger, ModelFormatError, read_crfsuite
from vnextract.stages.segmentation import spacy_doc, split_sentences, syllable_tokens, tokenize
from vnextract.outputs.writers import RecordWriter, atomic_path, read_records, write_records

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"

SAMPLE = (
    "Năm 2024, huyện Hải Hà phấn đấu: thu nhập bình quân đầu người đạt 89,6 triệu đồng; "
    "tỷ lệ đô thị hóa đạt 36,3%; tạo ra ít nhất 1.400 việc làm tăng thêm.\n"
    "Hiện nay, huyện Đầm Hà có 8/8 xã đạt chuẩn nông thôn mới."
)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _items(inputs, **kwargs):
    return list(extract_documents([str(i) for i in inputs], **kwargs))


# ----------------------------------------------------------------- documents ---

def test_spec_fields_are_the_record_fields(spec_columns):
    assert FIELDS == spec_columns


def test_decomposed_input_offsets_index_the_nfc_text(tmp_path, check_record):
    nfd = unicodedata.normalize("NFD", SAMPLE)
    assert nfd != SAMPLE and len(nfd) > len(SAMPLE)
    path = _write(tmp_path / "nfd.txt", nfd)
    [(doc, records)] = _items([path])
    assert isinstance(doc, Document)
    assert doc.text == SAMPLE == unicodedata.normalize("NFC", nfd)
    assert records
    for r in records:
        check_record(r, doc.text)
    spans = [r.span for r in records]
    assert "89,6 triệu đồng" in spans and "36,3%" in spans and "8/8 xã" in spans
    # The same records as from the NFC file itself.
    [(_, nfc_records)] = _items([_write(tmp_path / "nfc.txt", SAMPLE)])
    assert [(r.start, r.end, r.span) for r in records] == [(r.start, r.end, r.span) for r in nfc_records]


def test_api_extract_normalises_to_nfc(check_record):
    nfd = unicodedata.normalize("NFD", SAMPLE)
    records = extract(nfd, doc_id="x")
    assert records
    for r in records:
        check_record(r, SAMPLE)
    assert [(r.start, r.span) for r in records] == [(r.start, r.span) for r in extract(SAMPLE, doc_id="x")]


def test_utf8_bom_is_dropped_and_offsets_follow(tmp_path):
    path = _write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    [(doc, records)] = _items([path])
    assert doc.text == SAMPLE
    assert all(SAMPLE[r.start : r.end] == r.span for r in records)


def test_non_utf8_file_fails_naming_file_and_byte(tmp_path):
    bad = _write(tmp_path / "latin.txt", "Thu nhập đạt 5%".encode("utf-8")[:4] + b"\xff\xfe abc 5%")
    [(item, records)] = _items([bad])
    assert isinstance(item, DocumentFailure) and records == []
    assert item.doc_id == "latin"
    assert str(bad) in str(item)
    assert "0xff" in item.message and "offset 4" in item.message
    assert "UTF-8" in item.message


def test_cp1258_file_is_read_as_windows_1258(tmp_path):
    """A Windows-1258 file (common for old Vietnamese files) is recognised, not mis-read."""
    from vnextract.inputs.encodings import encode_cp1258

    path = _write(tmp_path / "cp.txt", encode_cp1258(SAMPLE))
    [(doc, records)] = _items([path])
    assert doc.text == SAMPLE and records


def test_binary_file_fails(tmp_path):
    path = _write(tmp_path / "data.txt", b"\x00\x01\x02\x03" * 64)
    [(item, records)] = _items([path])
    assert isinstance(item, DocumentFailure) and records == []
    assert str(path) in str(item) and "binary" in item.message
    path = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [(item, records)] = _items([path])
    assert isinstance(item, DocumentFailure) and records == []
    assert str(path) in str(item) and "PNG image" in item.message


def test_missing_input_fails_without_raising(tmp_path):
    [(item, _)] = _items([tmp_path / "nope.txt"])
    assert isinstance(item, DocumentFailure)
    assert "nope.txt" in str(item)


def test_jsonl_bad_line_names_file_and_line_others_still_yield(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Tỷ lệ hộ nghèo giảm còn 1,2%."}, ensure_ascii=False),
        "{not json",
        "",
        "[1, 2]",
        json.dumps({"doc_id": "b", "text": "Thu ngân sách đạt 598 tỷ đồng."}, ensure_ascii=False),
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": unicodedata.normalize("NFD", "Đạt 36,3%")}, ensure_ascii=False),
    ]
    path = _write(tmp_path / "docs.jsonl", "\n".join(lines) + "\n")
    items = _items([path])
    docs = [i for i, _ in items if isinstance(i, Document)]
    failures = [i for i, _ in items if isinstance(i, DocumentFailure)]
    assert [d.doc_id for d in docs] == ["a", "b", "d"]
    assert [f.source for f in failures] == [f"{path}:2", f"{path}:4", f"{path}:6"]
    assert all(str(path) in str(f) for f in failures)
    by_id = {i.doc_id: recs for i, recs in items if isinstance(i, Document)}
    assert [r.span for r in by_id["a"]] == ["1,2%"]
    assert [r.span for r in by_id["b"]] == ["598 tỷ đồng"]
    assert [r.span for r in by_id["d"]] == ["36,3%"]
    assert docs[2].text == "Đạt 36,3%"  # NFC


def test_jsonl_non_utf8_line_fails_alone(tmp_path):
    good = json.dumps({"id": "ok", "text": "đạt 5%"}, ensure_ascii=False).encode()
    path = _write(tmp_path / "mixed.jsonl", good + b"\n" + b'{"id": "x", "text": "\xff"}\n' + good.replace(b"ok", b"ok2"))
    items = _items([path])
    assert [getattr(i, "doc_id") for i, _ in items] == ["ok", "mixed:2", "ok2"]
    assert isinstance(items[1][0], DocumentFailure) and items[1][0].source == f"{path}:2"


def test_folder_recursion_sorted_doc_id_is_stem(tmp_path):
    root = tmp_path / "articles"
    _write(root / "zeta.txt", "Đạt 1%.")
    _write(root / "alpha.txt", "Đạt 2%.")
    _write(root / "B" / "beta.txt", "Đạt 3%.")
    _write(root / "mid" / "gamma.TXT", "Đạt 4%.")
    _write(root / "notes.md", "Đạt 5%.")
    _write(root / "mid" / "deep" / "delta.txt", "Đạt 6%.")
    items = _items([root])
    ids = [i.doc_id for i, _ in items]
    sources = [Path(i.source) for i, _ in items]
    assert sources == sorted(sources)
    assert all(isinstance(i, Document) for i, _ in items)
    assert "notes" not in " ".join(ids)
    assert "alpha" in ids and "zeta" in ids  # top-level files: the file name without .txt
    for doc_id, source in zip(ids, sources):
        assert doc_id.split("/")[-1] == source.stem
    assert len(set(ids)) == len(ids)
    spans = {i.doc_id: [r.span for r in recs] for i, recs in items}
    assert spans["alpha"] == ["2%"] and spans["zeta"] == ["1%"]


def test_folder_listing_is_sorted_rglob_one_directory_at_a_time(tmp_path):
    """Names that sort differently as strings and as path parts ("a-b/…" and
    "a/…"), case, hidden files, odd suffixes and symlinks: the same files in the
    same order as `sorted(rglob)`, so output order never depends on the version."""
    root = tmp_path / "archive"
    for name in ["a-b/x.txt", "a/x.txt", "a.txt", "B.txt", "b/c/d.jsonl", "b/c/e.md", ".hidden.txt",
                 "..x.txt", ".txt", "n.TXT", "m.txt.", "dir.txt/inner.txt", "a/b/c/d/e.txt", "z/empty/.keep"]:
        _write(root / name, "Đạt 1%.")
    elsewhere = _write(tmp_path / "outside" / "linked.txt", "Đạt 2%.")
    try:
        (root / "link-to-file.txt").symlink_to(elsewhere)
        (root / "link-to-folder").symlink_to(elsewhere.parent, target_is_directory=True)
    except OSError:  # no symlinks on this file system
        pass
    expected = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".jsonl"))
    assert list(files_in(root)) == expected
    assert len(expected) >= 10
    assert list(files_in(tmp_path / "missing")) == []


def test_single_file_doc_id_is_its_stem(tmp_path):
    path = _write(tmp_path / "haiha-2024.txt", SAMPLE)
    [(doc, records)] = _items([path])
    assert doc.doc_id == "haiha-2024"
    assert {r.doc_id for r in records} == {"haiha-2024"}


def test_metadata_sheet_beside_folder_is_applied(tmp_path):
    folder = tmp_path / "dev"
    text = "Tổng thu ngân sách đạt 598 tỷ đồng."  # names no place and no year
    _write(folder / "a.txt", text)
    _write(folder / "b.txt", text)
    _write(tmp_path / "dev.sources.tsv", "doc_id\tprovince/locality\tyear\na\tGia Lai / huyện Chư Păh\t2023\n")
    items = {i.doc_id: (i, recs) for i, recs in _items([folder])}
    doc_a, recs_a = items["a"]
    assert doc_a.meta == DocumentMeta(locality="huyện Chư Păh", year=2023)
    assert [(r.locality, r.year) for r in recs_a] == [("huyện Chư Păh", 2023)]
    doc_b, recs_b = items["b"]
    assert doc_b.meta == DocumentMeta()
    assert [r.locality for r in recs_b] == [None]


def test_metadata_sheet_inside_folder_and_explicit_meta_wins(tmp_path):
    folder = tmp_path / "x"
    _write(folder / "a.txt", "Thu ngân sách đạt 598 tỷ đồng.")
    _write(folder / "sources.tsv", "doc_id\tlocality\tyear\na\tLào Cai (tỉnh)\t2022\n")
    [(doc, recs)] = _items([folder])
    assert doc.meta == DocumentMeta("tỉnh Lào Cai", 2022)
    assert recs[0].locality == "tỉnh Lào Cai"
    [(doc, recs)] = _items([folder], meta={"a": DocumentMeta("tỉnh Gia Lai", 2020)})
    assert doc.meta == DocumentMeta("tỉnh Gia Lai", 2020)
    assert recs[0].locality == "tỉnh Gia Lai" and recs[0].year == 2020


def test_dev_sheet_reads():
    sheet = read_sheet(ROOT / "corpus" / "dev.sources.tsv")
    assert sheet["haiha-2024"] == DocumentMeta("huyện Hải Hà", 2024)
    assert sheet["lao-cai-25-chi-tieu-2024"] == DocumentMeta("tỉnh Lào Cai", 2023)
    assert sheet["cafef-thu-du-lich-quy-1-2023"].locality is None
    assert sheet["ha-noi-109-xa-nong-thon-moi"].year == 2015  # "2015?"
    assert set(sheet) == {p.stem for p in DEV.glob("*.txt")}


def test_sheet_without_doc_id_is_an_error(tmp_path):
    path = _write(tmp_path / "s.csv", "id,locality\na,Hà Nội\n")
    with pytest.raises(ValueError, match="doc_id"):
        read_sheet(path)


def test_csv_sheet(tmp_path):
    path = _write(tmp_path / "s.csv", '\ufeffdoc_id,locality,date\na,"Gia Lai / huyện Chư Păh",2023-12-01\n')
    assert read_sheet(path) == {"a": DocumentMeta("huyện Chư Păh", 2023, 12)}


def _workbook(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_xlsx_sheet_reads_as_people_keep_it(tmp_path):
    import datetime

    path = _workbook(tmp_path / "nguon.xlsx", [
        ["doc_id", "Province/Locality", "Date"],
        ["a", "Gia Lai / huyện Chư Păh", datetime.datetime(2023, 12, 1)],
        [2024, "Lào Cai (tỉnh)", 2022],  # a number typed as a doc_id
        ["c", None, "2021"],
        [None, None, None],
    ])
    assert read_sheet(path) == {"a": DocumentMeta("huyện Chư Păh", 2023, 12), "2024": DocumentMeta("tỉnh Lào Cai", 2022),
                                "c": DocumentMeta(None, 2021)}


def test_cli_meta_xlsx_sets_the_locality(tmp_path, capsys):
    from vnextract.cli import main

    folder = tmp_path / "bai"
    _write(folder / "a.txt", "Tổng thu ngân sách đạt 598 tỷ đồng.")
    sheet = _workbook(tmp_path / "nguon.xlsx", [["doc_id", "locality", "year"], ["a", "huyện Chư Păh", 2023]])
    out = tmp_path / "r.jsonl"
    assert main(["extract", str(folder), "--meta", str(sheet), "-o", str(out), "--workers", "1"]) == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (record["locality"], record["year"]) == ("huyện Chư Păh", 2023)


def test_utf16_sheet_as_excel_saves_unicode_text(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes("doc_id\tlocality\tyear\na\tThanh Hóa (tỉnh)\t2024\n".encode("utf-16"))
    assert read_sheet(path) == {"a": DocumentMeta("tỉnh Thanh Hóa", 2024)}


@pytest.mark.parametrize("name, content, says", [
    ("s.tsv", "doc_id\tlocality\na\tThanh Hóa\n".encode("cp1258"), "UTF-8"),
    ("s.csv", b"", "empty"),
    ("s.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, ".xlsx"),
    ("s.xlsx", b"PK\x03\x04 not really", "Excel"),
    ("s.ods", b"PK\x03\x04", ".xlsx"),
], ids=["cp1258", "empty", "xls", "damaged-xlsx", "ods"])
def test_every_sheet_error_names_the_file_and_what_to_do(tmp_path, capsys, name, content, says):
    from vnextract.cli import main

    path = tmp_path / name
    path.write_bytes(content)
    _write(tmp_path / "a.txt", "Thu ngân sách đạt 598 tỷ đồng.")
    with pytest.raises(ValueError) as caught:
        read_sheet(path)
    assert str(path) in str(caught.value) and says in str(caught.value)
    assert "codec" not in str(caught.value)
    assert main(["extract", str(tmp_path / "a.txt"), "--meta", str(path)]) == 2
    assert str(path) in capsys.readouterr().err


def test_xlsx_sheet_without_doc_id_names_the_file(tmp_path):
    path = _workbook(tmp_path / "s.xlsx", [["id", "locality"], ["a", "Hà Nội"]])
    with pytest.raises(ValueError, match=r"s\.xlsx.*doc_id"):
        read_sheet(path)


@pytest.mark.parametrize("cell, expected", [
    ("Gia Lai / huyện Chư Păh", "huyện Chư Păh"),
    ("Lào Cai (tỉnh)", "tỉnh Lào Cai"),
    ("multi-province (Quảng Ninh, Hà Nội)", None),
    ("multi (Khánh Hòa, Bắc Giang, ...)", None),
    ("Quảng Ninh / thị xã Đông Triều", "thị xã Đông Triều"),
    ("Quảng Ngãi / TP Quảng Ngãi", "TP Quảng Ngãi"),
    ('Cần Thơ (TP, "Tây Đô")', "TP Cần Thơ"),
    ("Hưng Yên (tỉnh; + Thái Bình merger context)", "tỉnh Hưng Yên"),
    ("Điện Biên (tỉnh) + national", "tỉnh Điện Biên"),
    ("Phú Yên (tỉnh) + multi (top-10 list: Bắc Giang, Hậu Giang)", "tỉnh Phú Yên"),  # a note with brackets
    ("Hà Tĩnh / xã Kỳ Tân, huyện Kỳ Anh", "xã Kỳ Tân"),
    ("Phú Thọ (new, merged) / xã Xuân Lãng (former Bình Xuyên, Vĩnh Phúc)", "xã Xuân Lãng"),
    ("Phú Thọ (tỉnh, merged 1/7/2025)", "tỉnh Phú Thọ"),  # a slash inside a note splits nothing
    ("TP Huế / phường Phong Phú (new, merged from phường Phong Phú cũ + xã Phong Thạnh)", "phường Phong Phú"),
    ("Hà Nội", "TP Hà Nội"),
    ("Quảng Ninh", "tỉnh Quảng Ninh"),
    ("TP Hồ Chí Minh", "TP Hồ Chí Minh"),
    ("  Gia Lai  /   huyện   Chư Păh ", "huyện Chư Păh"),
    ("", None),
    (None, None),
])
def test_parse_locality(cell, expected):
    assert parse_locality(cell) == expected


@pytest.mark.parametrize("cell, expected", [("2023", 2023), ("2015?", 2015), ("2015 (data)", 2015),
                                            ("2023-12-01", 2023), (2024, 2024), ("n/a", None)])
def test_parse_year(cell, expected):
    assert parse_year(cell) == expected


def test_meta_from_jsonl_fields():
    assert meta_from_fields({"id": "x", "Province/Locality": "Lào Cai (tỉnh)", "date": "2023-05-01"}) == \
        DocumentMeta("tỉnh Lào Cai", 2023, 5)


def test_stdin_text_and_jsonl():
    [(doc, recs)] = list(extract_documents(["-"], stdin=io.BytesIO(SAMPLE.encode())))
    assert doc.doc_id == "stdin" and doc.text == SAMPLE and recs
    data = "\n".join(json.dumps({"id": f"d{i}", "text": "đạt 5%"}) for i in range(3)).encode()
    items = list(extract_documents(["-"], stdin=io.BytesIO(data)))
    assert [i.doc_id for i, _ in items] == ["d0", "d1", "d2"]


# -------------------------------------------------------------- segmentation ---

SEG_TEXTS = [
    SAMPLE,
    "Huyện  phấn đấu:\n\nthu nhập đạt 89,6 triệu đồng;  tỷ lệ (36,3%)… \t Xong!  \nCuối. ",
    "  \n\n  Dấu ấn 2023\nTrong đó: Giá trị sản xuất ngành nông, lâm, thủy sản tăng 15% trở lên; ...",
    "TP. HCM: Thu 3 tháng đạt 98.000 tỷ đồng. Tăng 7,53% so với cùng kỳ.Ông A nói: “Đạt 100%!”",
    "“Năng động – Sáng tạo – Hào sảng”…\r\nKết thúc\u00a0ở đây.\n",
    "a",
    "",
    "\n\n\n",
]


@pytest.mark.parametrize("text", SEG_TEXTS)
def test_sentences_and_tokens_align(text):
    sentences = split_sentences(text)
    previous_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
        assert s.start >= previous_end
        previous_end = s.end
        for t in tokenize(text, s.start, s.end):
            assert text[t.start : t.end] == t.text
            assert s.start <= t.start < t.end <= s.end
    # Every non-space character belongs to a sentence.
    covered = set()
    for s in sentences:
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text
    for t in syllable_tokens(text):
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize("text", [
    "giá Rs. 20",  # the splitter ends a sentence after "Rs."; the figure is "Rs. 20"
    " ".join(["giá Rs. 20"] * 100),  # the same, run on past the long-sentence bound
    " ".join(["tăng 1.000 tỷ đồng"] * 200),  # a long line's cuts at white space
])
def test_no_sentence_edge_falls_inside_a_figure(text):
    """A record's sentence holds its span (found by the fuzzing campaign)."""
    whole = [(q.start, q.end) for q in find_quantities(text)]
    sentences = split_sentences(text, whole)
    assert all(s.end - s.start <= 1_000 for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    for start, end in whole:
        assert any(s.start <= start and end <= s.end for s in sentences), text[start:end]
    records = extract(text, doc_id="x")
    assert len(records) == len(whole) and all(r.span in r.sentence for r in records)


@pytest.mark.parametrize("text", SEG_TEXTS)
def test_spacy_doc_keeps_text(text):
    for tokens in (tokenize(text), syllable_tokens(text), []):
        doc = spacy_doc(text, tokens)
        assert doc.text == text
    doc = spacy_doc(text, tokenize(text))
    for t in tokenize(text):
        span = doc.char_span(t.start, t.end)
        assert span is not None and span.text == t.text


def test_tokens_keep_cue_words_whole():
    text = "Tổng thu ngân sách ước đạt trên 598 tỷ đồng"
    words = [t.text for t in tokenize(text)]
    assert "598" in words


def _dev_lines() -> list[str]:
    return [line for path in sorted(DEV.glob("*.txt"))
            for line in unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).splitlines() if line.strip()]


def test_sentence_splitter_is_underthesea_sent_tokenize():
    from underthesea import sent_tokenize

    split = underthesea_parts.sentence_splitter()
    assert split is not sent_tokenize  # loaded from underthesea's file, not through its package
    for line in [*_dev_lines(), *SEG_TEXTS]:
        assert split(line) == sent_tokenize(line)


def test_word_tagger_tags_as_underthesea_word_tokenize():
    import underthesea.pipeline.word_tokenize as word_tokenize_module

    word_tokenize_module.word_tokenize("khởi động")
    theirs = word_tokenize_module.word_tokenize_model
    ours = underthesea_parts.word_tagger()
    assert isinstance(ours, CachedCRFTagger)  # decoded from the model file, not run on underthesea_core
    for line in [*_dev_lines(), *SEG_TEXTS]:
        syllables = [[t.text] for t in syllable_tokens(line)]
        if syllables:
            assert ours.predict(syllables) == theirs.predict(syllables)


@lru_cache(maxsize=1)
def _both_taggers() -> tuple[CachedCRFTagger, CoreCRFTagger]:
    model_dir = underthesea_parts._model_dir()
    files = underthesea_parts._templates_and_dictionary(model_dir)
    return CachedCRFTagger(model_dir, *files), CoreCRFTagger(model_dir, *files)


# What the featurizer treats specially: i32 digits and their bounds, signs,
# digits of other scripts, title case, letters whose upper case is longer,
# the edge markers' own names, dictionary words in any case.
_TAGGER_PIECES = ["2024", "+12", "-5", "2147483647", "2147483648", "-2147483648", "0012", "٣", "²", "1.400", "89,6",
                  "BOS", "EOS", "bos", "ǅ", "ß", "ﬁ", "İ", "ΣΑΣ", "Thành", "THÀNH", "phố", "Hồ", "Chí", "Minh",
                  "tăng", "trưởng", "kinh", "tế", "đạt", "%", "(", ")", ",", ".", "-", "–", "KH", "GRDP", "x"]


@example(["2024", "BOS", "2147483648", "B c", "@<$\x1f", "2147483648", "\x080"])  # two paths score alike
@example(["0" * 4400, "00000000002147483647", "-0002147483648", "1" * 20])  # past Python's int() digit limit
@given(st.lists(st.one_of(st.sampled_from(_TAGGER_PIECES), st.text(min_size=1, max_size=4)), min_size=1, max_size=30))
def test_decoded_crf_tags_as_underthesea_core(pieces):
    """The decoder and underthesea_core's featurizer + tagger give the same
    tags for any syllables the segmentation stage can hand them, at the
    sentence's edges (one, two, three syllables) as inside."""
    ours, theirs = _both_taggers()
    syllables = [[t.text] for t in syllable_tokens(" ".join(pieces))]
    if syllables:
        assert ours.predict(syllables) == theirs.predict(syllables)
        assert ours.predict(syllables) == theirs.predict(syllables)  # and again, from its caches


def test_the_decoder_caches_stay_bounded_and_keep_their_tags(monkeypatch):
    """Two generations of at most `_CACHE_LIMIT` runs per width, on any
    number of new syllables; tags from a fresh cache and a recycled one agree."""
    from vnextract.stages import word_crf

    monkeypatch.setattr(word_crf, "_CACHE_LIMIT", 50)
    _, theirs = _both_taggers()
    fresh = CachedCRFTagger(underthesea_parts._model_dir(), *underthesea_parts._templates_and_dictionary(
        underthesea_parts._model_dir()))
    lines = _dev_lines()[:40]
    for line in lines:
        syllables = [[t.text] for t in syllable_tokens(line)]
        assert fresh.predict(syllables) == theirs.predict(syllables)
        assert all(len(c) <= 50 and len(fresh._older[w]) <= 50 for w, c in fresh._caches.items())
        assert len(fresh._shared) <= 50 * (1 + len(fresh._caches))  # reset at a rollover once full
    for line in lines:  # again, now from recycled generations
        syllables = [[t.text] for t in syllable_tokens(line)]
        assert fresh.predict(syllables) == theirs.predict(syllables)


def test_a_model_file_the_decoder_cannot_read_falls_back_to_underthesea_core(tmp_path, monkeypatch):
    (tmp_path / "models.bin").write_bytes(b"not a model")
    with pytest.raises(ModelFormatError, match="models.bin"):
        read_crfsuite(tmp_path / "models.bin")
    with pytest.raises(ModelFormatError, match="template"):
        CachedCRFTagger(underthesea_parts._model_dir(), ["W[0]"], set())

    def unreadable(*args):
        raise ModelFormatError("models.bin: not a CRFsuite model")

    underthesea_parts.word_tagger.cache_clear()
    monkeypatch.setattr(underthesea_parts, "CachedCRFTagger", unreadable)
    try:
        tagger = underthesea_parts.word_tagger()
        assert isinstance(tagger, CoreCRFTagger)
        assert tagger.predict([["kinh"], ["tế"]]) == ["B-W", "I-W"]
    finally:
        monkeypatch.undo()
        underthesea_parts.word_tagger.cache_clear()


def test_extraction_does_not_import_the_underthesea_package():
    """Start-up: the package imports every pipeline it has; extraction needs two."""
    code = ("import sys; from vnextract import extract; "
            "assert extract('Năm 2024, doanh thu đạt 89,6 tỷ đồng. Tăng 15%.'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('underthesea', 'joblib')))")
    assert python_output(code) == "[]"


def test_without_underthesea_files_the_public_api_gives_the_same_records(monkeypatch):
    """If underthesea's files are laid out differently, its public API is used."""
    text = (DEV / "haiha-2024.txt").read_text(encoding="utf-8")
    expected = extract(text)
    for cached in (underthesea_parts._package_dir, underthesea_parts.sentence_splitter,
                   underthesea_parts.word_tagger, underthesea_parts.pos_tagger, segmentation._token_offsets):
        cached.cache_clear()
    monkeypatch.setattr(underthesea_parts, "_package_dir", lambda: None)
    try:
        from underthesea import sent_tokenize

        assert underthesea_parts.sentence_splitter() is sent_tokenize
        assert not isinstance(underthesea_parts.word_tagger(), (CachedCRFTagger, CoreCRFTagger))
        assert not isinstance(underthesea_parts.pos_tagger(), CoreCRFTagger)
        assert extract(text) == expected
        assert [r.span for r in extract(UNLISTED_COUNTS)] == ["12 tuyến", "35 hầm"]
    finally:
        monkeypatch.undo()
        for cached in (underthesea_parts.sentence_splitter, underthesea_parts.word_tagger,
                       underthesea_parts.pos_tagger, segmentation._token_offsets):
            cached.cache_clear()


# Counted nouns that units.yaml does not list: the POS tagger says they are nouns.
UNLISTED_COUNTS = "Năm 2023, huyện có 12 tuyến xe buýt. Toàn tỉnh có 35 hầm biogas được xây mới."


def test_pos_tagger_tags_as_underthesea_pos_tag():
    """The tags the head-noun rule reads are those of the tagger that
    `pos_tag(..., model="v2.0")` loads and runs on the same words."""
    from underthesea import word_tokenize
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    reference = FastCRFSequenceTagger()
    reference.load(str(underthesea_parts._model_dir("pos_tag")))
    sentence = "Toàn tỉnh có 35 hầm biogas được xây mới, Quốc lộ 18 đoạn qua huyện được nâng cấp."
    words = [[w] for w in word_tokenize(sentence)]
    tags = underthesea_parts.pos_tagger().predict(words)
    assert tags == reference.predict(words)
    assert [t for w, t in zip(words, tags) if w[0] in ("có", "35", "hầm", "đoạn")] == ["B-V", "B-M", "B-N", "B-N"]


def test_a_word_with_a_run_of_spaces_is_tagged():
    """underthesea_core panics on a word whose space-separated pieces include
    an empty one; the segmenter can make such a word of a date and a number."""
    text = "nghìn tỷ đồng 35 - 19 15/5/2024  553,73 12.893"
    assert "15/5/2024  553,73" in [t.text for t in tokenize(text)]
    start = text.index("12.893")
    window = units_stage._tagged_window(text, start, start + len("12.893"))
    assert window is not None and len(window.tags) == len(window.tokens) == 8


def test_without_a_pos_tagger_listed_counts_stay_and_no_other_noun_is_counted(monkeypatch):
    """Where underthesea has no POS model, counts come from the list alone."""
    monkeypatch.setattr(segmentation, "pos_tagger", lambda: None)
    segmentation.pos_tags.cache_clear()  # tags read earlier in this process would stand in for the tagger
    try:
        assert [r.span for r in extract("Toàn huyện có 8/8 xã đạt chuẩn. " + UNLISTED_COUNTS)] == ["8/8 xã"]
    finally:
        segmentation.pos_tags.cache_clear()


# ---------------------------------------------------------------- quantities ---

MUST_NOT = [
    ("Huyện ủy Đầm Hà ban hành Nghị quyết số 16-NQ/HU về phương hướng, nhiệm vụ năm 2024.", "16-NQ/HU"),
    ("thực hiện nghiêm Chỉ thị số 13-CT/TU ngày 10/8/2021 của BTV Tỉnh ủy", "10/8/2021"),
    ("Đề án phát triển du lịch giai đoạn 2020-2025, định hướng đến năm 2030.", "2020-2025"),
    ("Nghị quyết Đại hội Đảng bộ huyện lần thứ XXV nhiệm kỳ 2020 – 2025 đặt ra mục tiêu", "lần thứ XXV"),
    ("Nghị quyết Đại hội Đảng bộ huyện lần thứ XXV nhiệm kỳ 2020 – 2025 đặt ra mục tiêu", "2020 – 2025"),
    ("Đặc biệt sau 2 năm được công nhận đạt chuẩn NTM, đến nay huyện hoàn thành.", "sau 2 năm"),
    ("Năm 2024 huyện phấn đấu tăng trưởng kinh tế 10%.", "Năm 2024"),
    ("Trong năm 2024 huyện tiếp tục đẩy mạnh các giải pháp.", "năm 2024"),
    ("Top 5 tỉnh có tăng trưởng GRDP cao nhất năm 2022.", "Top 5 tỉnh"),
    ("Giá trị sản phẩm thu hoạch trên 1 ha đất trồng trọt đạt 120 triệu đồng.", "trên 1 ha"),
    ("Tỉnh đứng thứ 3 cả nước về thu hút FDI.", "thứ 3"),
    ("đã kích hoạt định danh điện tử mức 1 và 2 cho công dân", "mức 1 và 2"),
]


@pytest.mark.parametrize("text, phrase", MUST_NOT, ids=[p for _, p in MUST_NOT])
def test_no_record_for_non_quantities(text, phrase):
    start = text.index(phrase)
    end = start + len(phrase)
    records = extract(text)
    overlapping = [r.span for r in records if r.start < end and start < r.end]
    assert overlapping == [], f"record(s) {overlapping} over {phrase!r}"


MUST = [
    # text, span, value, value_max, unit, norm_value, norm_unit
    ("Hiện nay, huyện Đầm Hà có 8/8 xã đạt chuẩn nông thôn mới.", "8/8 xã", 8, None, "xã", 8, "count"),
    ("Tăng trưởng kinh tế năm 2024 đạt 6,5-7%.", "6,5-7%", 6.5, 7, "%", 6.5, "%"),
    ("Phấn đấu tốc độ tăng trưởng từ 5 đến 7%.", "5 đến 7%", 5, 7, "%", 5, "%"),
    ("Quy mô kinh tế đạt 1,2 nghìn tỷ đồng.", "1,2 nghìn tỷ đồng", 1.2, None, "nghìn tỷ đồng", 1.2e12, "VND"),
    ("GRDP bình quân đầu người đạt 10.370USD/người/năm.", "10.370USD/người/năm", 10370, None,
     "usd/người/năm", 10370, "USD"),
    ("Chỉ số giá tiêu dùng -15,31% so với cùng kỳ.", "-15,31%", 15.31, None, "%", 15.31, "%"),
    ("Thu nhập bình quân đầu người đạt 89,6 triệu đồng.", "89,6 triệu đồng", 89.6, None, "triệu đồng", 8.96e7, "VND"),
    ("Tạo ra ít nhất 1.400 việc làm tăng thêm.", "1.400 việc làm", 1400, None, "việc làm", 1400, "count"),
    ("Mức thu nhập bình quân đầu người đạt 4.350 USD.", "4.350 USD", 4350, None, "usd", 4350, "USD"),
    ("Toàn tỉnh có 98/98 xã đạt chuẩn nông thôn mới.", "98/98 xã", 98, None, "xã", 98, "count"),
    ("Thu nhập đạt 8.000-10.000 USD/người/năm.", "8.000-10.000 USD/người/năm", 8000, 10000,
     "usd/người/năm", 8000, "USD"),
    # a counted noun no list names, read by its part of speech
    ("Toàn tỉnh có 35 hầm biogas được xây mới.", "35 hầm", 35, None, "hầm", 35, "count"),
    ("Khách quốc tế đạt 1.190 nghìn lượt khách.", "1.190 nghìn lượt khách", 1190, None, "nghìn lượt khách", 1.19e6, "count"),
]


@pytest.mark.parametrize("text, span, value, value_max, unit, norm_value, norm_unit", MUST, ids=[m[1] for m in MUST])
def test_quantity_found_and_read(text, span, value, value_max, unit, norm_value, norm_unit, check_record):
    records = extract(text)
    for r in records:
        check_record(r, text)
    found = [r for r in records if r.span == span]
    assert found, f"no record with span {span!r}; got {[r.span for r in records]}"
    r = found[0]
    assert r.start == text.index(span)
    assert r.value == pytest.approx(value)
    assert (r.value_max is None) if value_max is None else r.value_max == pytest.approx(value_max)
    assert r.unit == unit
    assert r.norm_value == pytest.approx(norm_value, rel=1e-9)
    assert r.norm_unit == norm_unit


def test_range_span_excludes_tu_and_comparator():
    text = "Phấn đấu tốc độ tăng trưởng từ 5 đến 7%."
    [r] = extract(text)
    assert not r.span.startswith("từ")
    text = "Thu NSNN đạt trên 598 tỷ đồng."
    [r] = extract(text)
    assert r.span == "598 tỷ đồng" and r.comparator == ">"


def test_negative_value_is_never_negative():
    for text in ("giảm -15,31%", "Chỉ số -3,2% so với cùng kỳ", "tăng trưởng âm -2,5%"):
        for r in extract(text):
            assert r.value >= 0 and r.norm_value >= 0


def test_fall_in_a_target_list_is_a_downward_target_change():
    text = "Phấn đấu không còn hộ nghèo, giảm 50% hộ cận nghèo."
    records = extract(text)
    fifty = [r for r in records if r.span == "50%"]
    assert fifty and fifty[0].kind == "change" and fifty[0].direction == "down" and fifty[0].status == "target"


# ------------------------------------------------------------------- periods ---

_WORD_START = regex.compile(WORD_START)  # what the periods' anchor requires before a phrase


def _every_start(text: str) -> list[int]:
    return [i for i in range(len(text)) if _WORD_START.match(text, i)]


def _period_rule_texts() -> list[str]:
    from vnextract.rules import load_rules

    return [ex["text"] for rule in load_rules("periods")["rules"] for ex in rule["examples"]]


PERIOD_WORDS = ["năm", "Năm", "tháng", "quý", "Quý", "đầu", "cuối", "giữa", "cả", "hết", "từ", "đến", "trong",
                "tới", "chín", "hai", "mười", "một", "nay", "qua", "giai đoạn", "nhiệm kỳ", "thời kỳ", "tính",
                "hằng", "mỗi", "nửa", "6", "9", "12", "2024", "2021", "I", "II", "/", "-", "–", ".", ",", "ngày", "10/8"]


@pytest.mark.parametrize("text", [*_period_rule_texts(), *(p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt")))])
def test_period_anchor_misses_no_phrase(text):
    """Rules are tried only where rules/periods.yaml's anchor says a phrase can
    start; that must find exactly what trying every word start finds."""
    from vnextract.stages import periods

    text = unicodedata.normalize("NFC", text)
    assert periods.find_periods(text) == periods._find(text, _every_start(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PERIOD_WORDS), max_size=12).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "  ", ""]), min_size=len(words), max_size=len(words)).map(
        lambda gaps: "".join(w + g for w, g in zip(words, gaps)))))
def test_period_anchor_misses_no_phrase_in_made_up_text(text):
    from vnextract.stages import periods

    assert periods.find_periods(text) == periods._find(text, _every_start(text))


# ---------------------------------------------------------------------- cues ---

CUE_WORDS = ["đã", "Đã", "đạt", "ước", "Ước", "kế", "hoạch", "phấn", "đấu", "so", "với", "cùng", "kỳ", "vừa", "qua",
             "hiện", "nay", "sẽ", "chỉ", "tiêu", "thực", "được", "thu", "nhập", "tăng", "1,5", "5", "%", ",", ".", "(",
             "/", "-", "\u00a0", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CUE_WORDS), max_size=14).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "", "  "]), min_size=len(words), max_size=len(words)).map(
        lambda gaps: "".join(w + g for w, g in zip(words, gaps)))))
def test_status_prefilter_hides_no_cue(text):
    """Sentences without figures are read for cues only when a status phrase
    occurs in them; that test must never skip a sentence that has one."""
    from vnextract.stages import cues

    assert cues.status_cues_of_text(text, 0, len(text)) == cues.status_cues(cues.TokenView(syllable_tokens(text)))


# ------------------------------------------------------------------- writers ---

@pytest.fixture(scope="module")
def sample_records():
    records = []
    for name in ("haiha-2024", "damha-2024"):
        [(doc, recs)] = list(extract_documents([str(DEV / f"{name}.txt")]))
        records += recs
    assert len(records) > 20
    # A range, so value_max round-trips both ways.
    records += extract("Thu nhập đạt 8.000-10.000 USD/người/năm.", doc_id="range")
    assert any(r.value_max is not None for r in records) and any(r.value_max is None for r in records)
    assert any(r.baseline is not None for r in records) and any(r.baseline is None for r in records)
    return records


def _normalise(row: dict) -> dict:
    out = {}
    for k in FIELDS:
        v = row.get(k)
        if isinstance(v, float) and v != v:  # NaN
            v = None
        if k in ("value", "value_max", "norm_value") and v is not None:
            v = float(v)
        if k in ("start", "end", "year") and v is not None:
            v = int(v)
        out[k] = v
    return out


def test_csv_has_bom_spec_columns_and_round_trips(tmp_path, sample_records, spec_columns):
    path = tmp_path / "out.csv"
    assert write_records(sample_records, path) == len(sample_records)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == spec_columns
    assert len(frame) == len(sample_records)
    assert list(frame["span"]) == [r.span for r in sample_records]
    assert list(frame["start"]) == [r.start for r in sample_records]
    back = read_records(path)
    assert [_normalise(b) for b in back] == [_normalise(r.to_dict()) for r in sample_records]


def test_csv_text_quotes_commas_and_newlines():
    record = extract("Giá trị sản xuất ngành nông, lâm, thủy sản tăng 15% trở lên")[0].to_dict()
    record["sentence"] = 'a "quoted",\nmulti-line sentence'
    buffer = io.StringIO()
    RecordWriter(buffer, "csv").write(record)
    text = buffer.getvalue()
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert frame.loc[0, "sentence"] == record["sentence"]
    assert frame.loc[0, "indicator"] == record["indicator"]


def test_jsonl_round_trip(tmp_path, sample_records):
    path = tmp_path / "out.jsonl"
    write_records(sample_records, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(sample_records)
    assert "ệ" in path.read_text(encoding="utf-8") or "đ" in path.read_text(encoding="utf-8")  # not \u-escaped
    assert [json.loads(l) for l in lines] == [r.to_dict() for r in sample_records]
    assert read_records(path) == [r.to_dict() for r in sample_records]


def test_parquet_round_trip(tmp_path, sample_records, spec_columns):
    path = tmp_path / "out.parquet"
    write_records(sample_records, path)
    frame = pd.read_parquet(path)
    assert list(frame.columns) == spec_columns
    assert str(frame["year"].dtype) == "Int64"
    back = read_records(path)
    assert [_normalise(b) for b in back] == [_normalise(r.to_dict()) for r in sample_records]


def test_to_frame(sample_records, spec_columns):
    frame = to_frame(sample_records)
    assert list(frame.columns) == spec_columns
    assert len(frame) == len(sample_records)
    assert frame["start"].dtype == "int64" and str(frame["year"].dtype) == "Int64"
    empty = to_frame([])
    assert list(empty.columns) == spec_columns and len(empty) == 0


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_atomic_write_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "out" / "records.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target, "w", encoding="utf-8") as handle:
            handle.write("half a file")
            raise RuntimeError("killed mid-write")
    assert not target.exists()
    assert _leftovers(target.parent) == []


def test_atomic_write_keeps_the_old_file_on_error(tmp_path, sample_records):
    target = tmp_path / "records.jsonl"
    target.write_text("old\n", encoding="utf-8")
    broken = [sample_records[0].to_dict(), {**sample_records[1].to_dict(), "value": object()}]
    with pytest.raises(TypeError):
        write_records(broken, target)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _leftovers(tmp_path) == ["records.jsonl"]


def test_write_records_error_from_the_record_stream_leaves_no_file(tmp_path, sample_records):
    def records():
        yield sample_records[0]
        raise KeyboardInterrupt

    target = tmp_path / "r.csv"
    with pytest.raises(KeyboardInterrupt):
        write_records(records(), target)
    assert _leftovers(tmp_path) == []


def test_atomic_write_success_is_readable_by_others(tmp_path, sample_records):
    target = tmp_path / "r.csv"
    write_records(sample_records, target)
    assert _leftovers(tmp_path) == ["r.csv"]
    assert target.stat().st_mode & 0o044 == 0o044


def test_unknown_output_extension_is_an_error(tmp_path, sample_records):
    with pytest.raises(ValueError, match="format"):
        write_records(sample_records, tmp_path / "r.ods")
    assert _leftovers(tmp_path) == []

