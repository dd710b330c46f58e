"""Each record's `evidence`: where its indicator, status, kind, comparator,
period and locality came from. Every span is grounded like the record's own
(text[start:end] == text, checked by conftest.record_problems for every record
the other tests make); here: the spans are the words that decided, the notes
say why a span is missing, and the output formats carry or leave the evidence
as the README says."""
from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import evidence_problems
from vnextract import extract
from vnextract.batch import run as batch
from vnextract.inputs.documents import Document, DocumentMeta
from vnextract.outputs.writers import RecordWriter, read_records, to_frame, write_records
from vnextract.pipeline import extract_document, extract_documents
from vnextract.stages.evidence import COLUMNS
from vnextract.stages.records import FIELDS

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"


def _texts(record) -> dict:
    return {k: (v["text"], v["note"]) for k, v in record.evidence.items() if k != "confidence"}


def test_a_target_with_its_cue_period_and_bound_words():
    text = "Huyện phấn đấu năm 2024 mức tăng trưởng kinh tế từ 17,7% trở lên."
    (record,) = extract(text, doc_id="x")
    assert _texts(record) == {
        "indicator": ("mức tăng trưởng kinh tế", None),
        "status": ("phấn đấu", None),
        "kind": (None, "default"),  # a level no word says
        "comparator": ("trở lên", None),
        "period": ("năm 2024", None),
        "locality": (None, "subject"),
    }


def test_a_change_points_at_its_verb_and_a_bound_before_the_number():
    text = "Năm 2023, thu ngân sách huyện Hải Hà ước đạt trên 598 tỷ đồng, tăng 15% so với cùng kỳ."
    first, second = extract(text, doc_id="x")
    assert _texts(first)["comparator"] == ("trên", None)
    assert _texts(first)["status"] == ("ước đạt", None)
    assert _texts(first)["locality"] == ("huyện Hải Hà", None)
    assert _texts(second)["kind"] == ("tăng", None) and second.direction == "up"
    assert _texts(second)["comparator"] == (None, "default")


def test_a_plan_beside_a_result_points_at_the_plan_word_of_its_parenthesis():
    text = "Năm 2025, tổng sản phẩm đạt 9,4% (KH 10-11%)."
    result, plan = extract(text, doc_id="x")
    assert (result.status, plan.status) == ("actual", "target")
    assert _texts(plan)["status"] == ("KH", None)
    assert _texts(result)["kind"] == ("đạt", None)


def test_what_is_carried_over_is_noted_inherited():
    text = "Năm 2024, huyện phấn đấu:\nThu nhập bình quân đầu người đạt 80 triệu đồng."
    (record,) = extract(text, doc_id="x")
    assert record.status == "target" and record.period == "Năm 2024"
    assert _texts(record)["status"] == (None, "inherited")
    assert _texts(record)["period"] == (None, "inherited")


def test_a_sheet_locality_is_noted_metadata():
    text = "Thu nhập bình quân đầu người đạt 80 triệu đồng."
    document = Document("x", text, "x.txt", DocumentMeta(locality="huyện Hải Hà", year=2024))
    (record,) = extract_document(document)
    assert record.locality == "huyện Hải Hà"
    assert _texts(record)["locality"] == (None, "metadata")


def test_a_count_phrase_made_of_words_apart_spans_them_and_says_composed():
    text = "Trong đó, đào tạo nghề đạt 63.500 lao động."
    (record,) = extract(text, doc_id="x")
    entry = record.evidence["indicator"]
    assert record.indicator == "đào tạo nghề lao động"
    assert entry["note"] == "composed" and entry["text"] == "đào tạo nghề đạt 63.500 lao động"


def test_every_dev_record_has_grounded_evidence_and_a_span_for_most_decisions():
    spans = dict.fromkeys(("indicator", "status", "period"), 0)
    total = 0
    for item, records in extract_documents([str(DEV)]):
        for record in records:
            assert not evidence_problems(record.evidence, item.text), record.span
            total += 1
            for key in spans:
                spans[key] += record.evidence[key]["start"] is not None
    assert total > 1000
    # Most phrases are cut from the text; most statuses and periods that are not inherited are spans.
    assert spans["indicator"] / total > 0.9, spans
    assert spans["status"] / total > 0.4 and spans["period"] / total > 0.3, spans


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "Năm 2024", "huyện Hải Hà", "phấn đấu", "đạt", "tăng", "giảm", "trên", "từ", "trở lên", "khoảng",
    "5%", "12,5 tỷ đồng", "8/8 xã", "(KH 10%)", "so với cùng kỳ", "thu nhập", "tỷ lệ hộ nghèo", ",", ";",
    ".", ":", "\n", "  ", "Trong đó:", "ước đạt", "kế hoạch", "1.200 lao động",
]), max_size=30).map(" ".join))
def test_evidence_is_grounded_for_any_text(text):
    nfc = unicodedata.normalize("NFC", text)
    for record in extract(text, doc_id="h"):
        assert not evidence_problems(record.evidence, nfc)


# ------------------------------------------------------------------ formats ---

@pytest.fixture(scope="module")
def records():
    text = (DEV / "haiha-2024.txt").read_text(encoding="utf-8")
    return extract(text, doc_id="haiha-2024")


def test_jsonl_and_the_api_carry_evidence_after_the_spec_fields(tmp_path, records):
    assert list(records[0].to_dict()) == FIELDS + ["evidence"]
    path = tmp_path / "r.jsonl"
    write_records(records, path)
    back = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [b["evidence"] for b in back] == [r.evidence for r in records]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_tables_keep_the_spec_columns_unless_evidence_is_asked(tmp_path, records, suffix, spec_columns):
    plain, full = tmp_path / f"plain.{suffix}", tmp_path / f"full.{suffix}"
    write_records(records, plain)
    write_records(records, full, evidence=True)
    read = pd.read_parquet if suffix == "parquet" else (lambda p: pd.read_csv(p, encoding="utf-8-sig"))
    assert list(read(plain).columns) == spec_columns
    assert list(read(full).columns) == spec_columns + COLUMNS
    assert "evidence" not in read_records(plain)[0]
    assert [r["evidence"] for r in read_records(full)] == [r.evidence for r in records]


def test_the_frame_and_the_streaming_writer_take_evidence_columns(records):
    frame = to_frame(records, evidence=True)
    assert list(frame.columns) == FIELDS + COLUMNS
    assert str(frame["evidence_status_start"].dtype) == "Int64"
    buffer = io.StringIO()
    RecordWriter(buffer, "csv+evidence").write(records[0])
    header = buffer.getvalue().splitlines()[0].split(",")
    assert header == FIELDS + COLUMNS


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_batch_run_writes_evidence_columns_when_asked(tmp_path, suffix):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Năm 2024 huyện Hải Hà phấn đấu thu ngân sách đạt trên 598 tỷ đồng.", encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    batch.run([folder], out, workers=1, evidence=True)
    (row,) = read_records(out)
    assert row["evidence"]["comparator"] == {"start": 49, "end": 53, "text": "trên", "note": None}
    assert row["evidence"]["status"]["text"] == "phấn đấu"


def test_a_sign_inside_a_prefixed_amount_is_its_kind_evidence():
    """"USD -0,5": the minus stands after the currency prefix, inside the span."""
    [record] = extract("Cán cân thương mại USD -0,5 tỷ.", model="rules")
    assert (record.kind, record.direction) == ("change", "down")
    entry = record.evidence["kind"]
    assert (entry["text"], entry["note"]) == ("-", "sign")
