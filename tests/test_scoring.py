"""Scoring and folding per SPEC §4, on small hand-computed cases."""

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnextract.folding import fold_locality, fold_text
from vnextract.evaluation.scoring import (
    FIELDS,
    align,
    evaluate,
    indicator_match,
    syllable_f1,
    values_equal,
)
from vnextract.outputs.writers import load_jsonl_records

GOLD_DEV = Path(__file__).parent.parent / "corpus/gold/dev.jsonl"


def rec(start, end, doc="d", **fields):
    """A complete record; tests override only the fields they are about."""
    base = {
        "doc_id": doc, "start": start, "end": end, "span": f"{start}-{end}",
        "value": 5.0, "value_max": None, "unit": "%", "norm_value": 5.0, "norm_unit": "%",
        "indicator": "tỷ lệ hộ nghèo", "indicator_id": None, "status": "actual", "kind": "level",
        "direction": None, "comparator": "=", "baseline": None, "period": "năm 2024", "year": 2024,
        "locality": "huyện Hải Hà",
    }
    return {**base, **fields}


def counts(score):
    return score.tp, score.fp, score.fn


# --- folding -------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Qúy", "Quý"),
    ("Thanh Hoá", "thanh hóa"), ("ngòai", "ngoài"), ("gía", "giá"),
    ("tỉnh Thừa Thiên-Huế", "tỉnh Thừa Thiên Huế"), ("nông, lâm – thủy sản", "nông lâm thủy sản"),
    ("  a \t\n b  ", "a b"),
])
def test_fold_text_equal(a, b):
    assert fold_text(a) == fold_text(b)


def test_fold_text_keeps_vowel_quality_and_percent():
    assert fold_text("Thành phố") == "thành phố"
    assert fold_text("Đầm Hà") == "đầm hà"
    assert fold_text("ho") != fold_text("hô") != fold_text("hơ")
    assert fold_text("%") == "%"
    assert fold_text(None) == "" == fold_text("")


@pytest.mark.parametrize("a, b", [
    ("TP. Đà Nẵng", "thành phố Đà Nẵng"), ("TP Đà Nẵng", "thành phố Đà Nẵng"),
    ("tỉnh Thừa Thiên-Huế", "tỉnh Thừa Thiên Huế"), ("h. Hải Hà", "huyện Hải Hà"),
    ("TX Đông Triều", "thị xã Đông Triều"), ("tx.Đông Triều", "thị xã Đông Triều"),
    ("tỉnh Khánh Hoà", "tỉnh Khánh Hòa"),
])
def test_fold_locality_equal(a, b):
    assert fold_locality(a) == fold_locality(b)


def test_fold_locality_type_words_only_as_words():
    assert fold_locality("TP.HCM") == "thành phố hcm"
    assert fold_locality("TPHCM") == "tphcm"
    assert fold_locality("xã Tân Thạnh") == "xã tân thạnh"
    assert fold_locality("huyện Hà") != fold_locality("Hà")


@given(st.text(alphabet="aăâeêioôơuưyqgnhtđ AÁàẢãạ\u0301\u0300\u0309\u0303\u0323.,-–"))
def test_fold_text_idempotent(s):
    assert fold_text(fold_text(s)) == fold_text(s)


# --- value, unit and indicator tests ---------------------------------------------------

def test_values_equal():
    assert values_equal(89600000, 89600000.05)  # within 1e-6 relative
    assert not values_equal(100, 100.001)
    assert values_equal(0, 0.0)
    assert not values_equal(1e-7, 0)
    assert values_equal(None, None)
    assert not values_equal(None, 0)
    assert not values_equal(5, None)


def test_syllable_f1():
    assert syllable_f1("a b c d", "a b") == pytest.approx(2 / 3)
    assert syllable_f1("a a b", "a b b") == pytest.approx(2 / 3)  # multiset: one a, one b in common
    assert syllable_f1("Thu-nhập", "thu nhập") == 1.0
    assert syllable_f1("", "") == 0.0


@pytest.mark.parametrize("pred, gold, match", [
    ("a b", "a b c d", True),        # P=1 R=0.5 F1=0.667
    ("a c", "a b", True),            # F1 exactly 0.5
    ("a", "a b c", True),            # P=1 R=1/3 F1 exactly 0.5
    ("a d e", "a b c", False),       # F1=0.333
    ("a b c d e", "a f g", False),   # P=0.2 R=0.333 F1=0.25
])
def test_indicator_match_by_text(pred, gold, match):
    assert indicator_match({"indicator": pred}, {"indicator": gold}) is match


def test_indicator_match_by_id():
    assert indicator_match({"indicator": "x", "indicator_id": "income_per_capita"},
                           {"indicator": "y", "indicator_id": "income_per_capita"})
    assert not indicator_match({"indicator": "x", "indicator_id": None}, {"indicator": "y", "indicator_id": None})
    assert not indicator_match({"indicator": "x", "indicator_id": "a"}, {"indicator": "y", "indicator_id": "b"})
    # different ids still match on text
    assert indicator_match({"indicator": "a b", "indicator_id": "a"}, {"indicator": "a b", "indicator_id": "b"})
    assert not indicator_match({}, {})


# --- alignment -----------------------------------------------------------------------

def test_align_largest_overlap_first():
    golds = [rec(0, 10), rec(8, 20)]
    preds = [rec(5, 12), rec(9, 11)]  # P0: 5 with G0, 4 with G1; P1: 1 with G0, 2 with G1
    assert align(preds, golds) == [(0, 0), (1, 1)]


def test_align_tie_goes_to_earlier_gold_start():
    # P0 overlaps G_early and G_late by 5 each; P1 overlaps only G_late.
    # Earlier gold start wins the tie, which leaves G_late free for P1.
    g_early, g_late = rec(0, 10), rec(10, 20)
    p0, p1 = rec(5, 15), rec(12, 14)
    assert align([p0, p1], [g_late, g_early]) == [(0, 1), (1, 0)]
    report = evaluate([g_late, g_early], [p1, p0])
    assert counts(report.mention) == (2, 0, 0)


def test_align_tie_goes_to_earlier_pred_start():
    gold = rec(5, 10)
    p_early, p_late = rec(3, 8), rec(7, 12)  # 3 characters each
    assert align([p_late, p_early], [gold]) == [(1, 0)]
    report = evaluate([gold], [p_late, p_early])
    assert report.errors[0]["error"] == "FP" and report.errors[0]["pred_start"] == 7


def test_align_one_to_one_and_touching_spans():
    assert align([rec(0, 10), rec(0, 10)], [rec(0, 10)]) == [(0, 0)]
    assert align([rec(5, 10)], [rec(0, 5)]) == []  # [0,5) and [5,10) do not overlap
    report = evaluate([rec(0, 10)], [rec(0, 10), rec(2, 8)])
    assert counts(report.mention) == (1, 1, 0)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8)), max_size=8),
       st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8)), max_size=8))
def test_align_pairs_are_one_to_one_and_overlap(p_spans, g_spans):
    preds = [rec(s, s + n) for s, n in p_spans]
    golds = [rec(s, s + n) for s, n in g_spans]
    pairs = align(preds, golds)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    for i, j in pairs:
        assert max(preds[i]["start"], golds[j]["start"]) < min(preds[i]["end"], golds[j]["end"])


# --- optional gold, record test, field accuracy ----------------------------------------

def test_optional_gold_paired_drops_prediction():
    golds = [rec(0, 5, optional=True), rec(10, 15, optional=False)]
    preds = [rec(0, 5, status="target"), rec(10, 15)]
    report = evaluate(golds, preds)
    assert counts(report.mention) == (1, 0, 0)
    assert counts(report.record) == (1, 0, 0)
    assert report.pairs == 1 and report.errors == []


def test_optional_gold_unpaired_is_dropped():
    report = evaluate([rec(0, 5, optional=True), rec(10, 15)], [rec(10, 15)])
    assert counts(report.mention) == (1, 0, 0)
    assert report.mention.support == 1


def test_record_mismatch_is_one_fp_and_one_fn():
    report = evaluate([rec(0, 5)], [rec(0, 5, status="target")])
    assert counts(report.mention) == (1, 0, 0)
    assert counts(report.record) == (0, 1, 1)
    assert (report.record.p, report.record.r, report.record.f1) == (0.0, 0.0, 0.0)
    assert report.record.support == 1
    [err] = report.errors
    assert err["error"] == "pair" and err["fields"] == ["status"] and not err["record_ok"]
    assert (err["gold"]["status"], err["pred"]["status"]) == ("actual", "target")


@pytest.mark.parametrize("pred_fields, record_ok", [
    ({"value_max": None}, True),
    ({"value_max": 7.0}, False),
    ({"norm_value": 5.000001}, True),
    ({"norm_value": 5.1}, False),
    ({"norm_unit": "vnd"}, False),
    ({"indicator": "hộ nghèo"}, True),         # F1 = 0.8
    ({"indicator": "thu nhập bình quân"}, False),
])
def test_record_test_value_unit_indicator(pred_fields, record_ok):
    report = evaluate([rec(0, 5)], [rec(0, 5, **pred_fields)])
    assert counts(report.record) == ((1, 0, 0) if record_ok else (0, 1, 1))


def test_norm_unit_case_insensitive_and_value_max_range():
    gold = rec(0, 5, norm_unit="VND", norm_value=6.5, value_max=7)
    report = evaluate([gold], [rec(0, 5, norm_unit="vnd", norm_value=6.5, value_max=7.0)])
    assert counts(report.record) == (1, 0, 0)
    report = evaluate([gold], [rec(0, 5, norm_unit="VND", norm_value=6.5, value_max=None)])
    assert counts(report.record) == (0, 1, 1)


def test_field_accuracy_counts_non_record_fields_without_failing_the_record():
    golds = [rec(0, 5), rec(10, 15, locality=None), rec(20, 25, locality="TP. Đà Nẵng")]
    preds = [rec(0, 5, kind="change", direction="up"), rec(10, 15, locality=None),
             rec(20, 25, locality="thành phố Đà Nẵng", year=2025)]
    report = evaluate(golds, preds)
    assert counts(report.record) == (3, 0, 0)
    acc = report.field_accuracy
    assert acc["kind"] == acc["direction"] == acc["year"] == pytest.approx(2 / 3)
    assert acc["locality"] == acc["value"] == acc["status"] == 1.0
    assert set(acc) == set(FIELDS)
    assert [e["fields"] for e in report.errors] == [["kind", "direction"], ["year"]]
    assert all(e["record_ok"] for e in report.errors)


def test_optional_pairs_do_not_enter_field_accuracy():
    report = evaluate([rec(0, 5, optional=True), rec(10, 15)], [rec(0, 5, kind="change"), rec(10, 15)])
    assert report.pairs == 1 and report.field_accuracy["kind"] == 1.0


# --- empty sets and documents --------------------------------------------------------

def test_empty_everything():
    report = evaluate([], [])
    assert counts(report.mention) == counts(report.record) == (0, 0, 0)
    assert report.record.f1 == report.mention.p == 0.0
    assert all(v == 0.0 for v in report.field_accuracy.values())
    assert report.summary_line() == "record P=0.000 R=0.000 F1=0.000 mention P=0.000 R=0.000 F1=0.000"
    assert report.format_table(by=["doc", "indicator_id"]).splitlines()[-1] == report.summary_line()


def test_preds_only_and_gold_only():
    report = evaluate([], [rec(0, 5), rec(6, 9)])
    assert counts(report.record) == (0, 2, 0) and report.record.support == 0
    report = evaluate([rec(0, 5)], [])
    assert counts(report.record) == (0, 0, 1) and report.record.r == 0.0
    assert report.errors[0]["error"] == "FN" and report.errors[0]["pred"] is None


def test_micro_average_and_per_document():
    golds = [rec(0, 5, doc="A"), rec(10, 15, doc="A"), rec(0, 5, doc="B"), rec(10, 15, doc="B")]
    preds = [rec(0, 5, doc="A"), rec(10, 15, doc="A"), rec(30, 35, doc="B"), rec(0, 5, doc="C")]
    report = evaluate(golds, preds)
    assert counts(report.mention) == (2, 2, 2)
    assert (report.mention.p, report.mention.r, report.mention.f1) == (0.5, 0.5, 0.5)
    docs = report.by_document()
    assert list(docs) == ["A", "B", "C"]
    assert docs["A"].record.f1 == 1.0
    assert counts(docs["B"].record) == (0, 1, 2) and docs["B"].record.f1 == 0.0
    assert counts(docs["C"].record) == (0, 1, 0)
    # micro pools the counts (tp 3, fp 2, fn 2), unlike the mean of per-document F1s (1/3)
    golds.append(rec(20, 25, doc="A"))
    preds.append(rec(20, 25, doc="A"))
    report = evaluate(golds, preds)
    assert report.mention.f1 == pytest.approx(0.6)


def test_by_key_groups_by_gold_then_prediction():
    golds = [rec(0, 5, indicator_id="income"), rec(10, 15, indicator_id=None), rec(20, 25, indicator_id="gdp")]
    preds = [rec(0, 5, indicator_id="gdp"), rec(10, 15, indicator_id="income", status="target"),
             rec(40, 45, indicator_id=None)]
    groups = evaluate(golds, preds).by_key("indicator_id")
    assert list(groups) == ["(none)", "gdp", "income"]
    assert counts(groups["income"].record) == (1, 1, 1)  # pair by gold id + pair by pred id (wrong status)
    assert counts(groups["gdp"].record) == (0, 0, 1)     # FN
    assert counts(groups["(none)"].record) == (0, 1, 0)  # FP


# --- report output ---------------------------------------------------------------------

def test_summary_line_format():
    golds = [rec(i * 10, i * 10 + 5) for i in range(3)]
    preds = [rec(0, 5), rec(10, 15, status="target"), rec(50, 55)]
    report = evaluate(golds, preds)
    # record: tp 1, fp 2, fn 2; mention: tp 2, fp 1, fn 1
    assert report.summary_line() == "record P=0.333 R=0.333 F1=0.333 mention P=0.667 R=0.667 F1=0.667"
    assert re.fullmatch(r"record P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3} mention P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3}",
                        report.summary_line())
    table = report.format_table(by=["doc", "status"])
    assert table.splitlines()[-1] == report.summary_line()
    assert "field accuracy over 2 pairs" in table and "actual" in table


def test_errors_csv_has_bom_and_reads_back(tmp_path):
    import pandas as pd

    golds = [rec(0, 5, sentence="Thu nhập đạt 5%."), rec(10, 15)]
    preds = [rec(0, 5, locality="tỉnh Quảng Ninh"), rec(20, 25)]
    path = tmp_path / "errors.csv"
    evaluate(golds, preds).write_errors_csv(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(path, encoding="utf-8-sig")
    assert list(df["error"]) == ["pair", "FN", "FP"]
    assert df.loc[0, "fields"] == "locality" and df.loc[0, "pred_locality"] == "tỉnh Quảng Ninh"
    assert df.loc[0, "sentence"] == "Thu nhập đạt 5%."
    assert {"doc_id", "gold_span", "pred_span", "gold_norm_value", "pred_status"} <= set(df.columns)
    assert [p.name for p in tmp_path.iterdir()] == ["errors.csv"]  # no temp file left behind


def test_json_round_trip(tmp_path):
    report = evaluate([rec(0, 5, doc="A"), rec(0, 5, doc="B")], [rec(0, 5, doc="A", year=2023)])
    path = tmp_path / "report.json"
    report.write_json(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == report.to_dict()
    assert data["record"]["tp"] == 1 and data["documents"]["B"]["record"]["fn"] == 1
    assert data["errors"][0]["fields"] == ["year"]


def test_load_jsonl_records(tmp_path):
    path = tmp_path / "preds.jsonl"
    path.write_text('{"doc_id": "a"}\n\n{"doc_id": "b"}\n', encoding="utf-8")
    assert [r["doc_id"] for r in load_jsonl_records(path)] == ["a", "b"]
    path.write_text('{"doc_id": "a"}\n\n{"doc_id": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path}:3")):
        load_jsonl_records(path)


# --- sanity on the dev gold ----------------------------------------------------------

def test_gold_against_itself_is_perfect():
    golds = load_jsonl_records(GOLD_DEV)
    preds = [{k: v for k, v in g.items() if k != "optional"} for g in golds]
    report = evaluate(golds, preds)
    required = sum(not g["optional"] for g in golds)
    assert report.record.f1 == report.mention.f1 == 1.0
    assert report.record.support == report.pairs == required
    assert all(math.isclose(v, 1.0) for v in report.field_accuracy.values())
    assert report.errors == []


# --- gold files are checked against SPEC §3 before scoring --------------------------

def _write_gold(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.mark.parametrize("change, field", [
    (lambda r: r.pop("start"), "start"),
    (lambda r: r.pop("end"), "end"),
    (lambda r: r.update(status="maybe"), "status"),
    (lambda r: r.update(end="7"), "end"),
    (lambda r: r.update(start=9, end=4), "end"),
    (lambda r: r.update(norm_value="5%"), "norm_value"),
    (lambda r: r.update(optional="yes"), "optional"),
    (lambda r: r.update(comparator="≥"), "comparator"),
    (lambda r: r.pop("doc_id"), "doc_id"),
])
def test_eval_names_the_gold_line_and_field_that_break_spec(tmp_path, capsys, change, field):
    from vnextract.cli import main

    golds = [rec(0, 3, optional=False), rec(10, 13, optional=False)]
    change(golds[1])
    _write_gold(tmp_path / "gold.jsonl", golds)
    _write_gold(tmp_path / "pred.jsonl", [rec(0, 3)])
    assert main(["eval", "--gold", str(tmp_path / "gold.jsonl"), "--pred", str(tmp_path / "pred.jsonl")]) == 2
    err = capsys.readouterr().err
    assert f"gold.jsonl:2: {field}" in err, err
    assert "Traceback" not in err


def test_read_gold_reports_every_bad_line_and_accepts_the_dev_gold(tmp_path):
    from vnextract.evaluation.gold import read_gold

    assert len(read_gold(GOLD_DEV)) == len(load_jsonl_records(GOLD_DEV))
    golds = [rec(0, 3), rec(5, 8, status="maybe"), rec(10, 13, year="2024")]
    golds[0].pop("start")
    _write_gold(tmp_path / "gold.jsonl", golds)
    with pytest.raises(ValueError) as caught:
        read_gold(tmp_path / "gold.jsonl")
    message = str(caught.value)
    assert "gold.jsonl:1: start" in message and "gold.jsonl:2: status" in message and "gold.jsonl:3: year" in message
    assert "'maybe'" in message and "target" in message
