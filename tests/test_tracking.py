"""`vnextract track`: targets against results.

Families: the examples of rules/tracking.yaml; verdicts of one target against
one result (comparators, ranges, directions, units, partial periods, stated
shares of the plan) on records built here; matching (places, indicators,
years, spans, the plan beside its result, the latest result, disagreements);
hand-written pairs of articles through the CLI and the Python API; the
outputs (CSV for Excel, Parquet, JSON, the HTML page); the dev corpus.
"""
from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from vnextract.cli import main
from vnextract.rules import load_rules
from vnextract.tracking import load_records, track, track_records, write_tracking
from vnextract.tracking.matching import growth_id, is_plan_baseline, is_plan_word
from vnextract.tracking.page import COLOURS, CSP, render_page
from vnextract.tracking.verdicts import stated_ratio
from vnextract.tracking.periods import share_of_year, span_of
from vnextract.tracking.places import place_key
from vnextract.tracking.verdicts import MET, NOT_MET, ON_TRACK, UNKNOWN, judge, lower_is_better
from vnextract.tracking.writing import COLUMNS, csv_cell

from conftest import DEV, ROOT

RULES = load_rules("tracking")


# ------------------------------------------------------------ rule examples ---

@pytest.mark.parametrize("example", RULES["periods"]["examples"], ids=lambda e: e["text"])
def test_periods_example_share_of_year(example):
    got = share_of_year(example["text"])
    if example["fraction"] is None:
        assert got is None
    else:
        assert got == pytest.approx(example["fraction"], rel=1e-6)


@pytest.mark.parametrize("example", RULES["span_examples"], ids=lambda e: e["text"])
def test_span_example(example):
    expected = tuple(example["span"]) if example["span"] else None
    assert span_of(example["text"]) == expected


@pytest.mark.parametrize("example", RULES["plan_indicator_examples"], ids=lambda e: e["text"])
def test_plan_indicator_example(example):
    assert is_plan_word(example["text"]) is example["plan"]


@pytest.mark.parametrize("example", RULES["plan_baseline_examples"], ids=lambda e: e["text"])
def test_plan_baseline_example(example):
    assert is_plan_baseline(example["text"]) is example["plan"]


@pytest.mark.parametrize("example", RULES["lower_is_better_examples"], ids=lambda e: e["indicator"])
def test_lower_is_better_example(example):
    assert lower_is_better(example["indicator"], None) is example["lower"]


@pytest.mark.parametrize("example", RULES["growth_examples"], ids=lambda e: f"{e['indicator_id']}-{e['kind']}")
def test_growth_example(example):
    got = growth_id({k: example[k] for k in ("indicator_id", "kind", "norm_unit")})
    assert (got or example["indicator_id"]) == example["as"]


@pytest.mark.parametrize("example", RULES["locality_examples"], ids=lambda e: f"{e['a']}|{e['b']}")
def test_locality_example(example):
    assert (place_key(example["a"]) == place_key(example["b"])) is example["same"]


def test_every_example_list_of_tracking_yaml_is_run():
    lists = {k for k in RULES if "examples" in k} | {f"periods.{k}" for k in RULES["periods"] if "examples" in k}
    run = {"periods.examples", "span_examples", "plan_indicator_examples", "plan_baseline_examples",
           "lower_is_better_examples", "growth_examples", "locality_examples"}
    assert lists == run


# ---------------------------------------------------------- built records ---

def rec(value, unit="%", *, norm=None, norm_unit=None, status="actual", kind="level", direction=None,
        comparator="=", value_max=None, indicator="tốc độ tăng trưởng kinh tế", indicator_id="grdp_growth",
        locality="huyện Đầm Hà", period="năm 2024", year=2024, doc_id="a", start=0, baseline=None,
        sentence=None):
    """A record as `extract` writes it, with the span spelled the Vietnamese way."""
    number = f"{value:g}".replace(".", ",")
    if value_max is not None:
        number += "-" + f"{value_max:g}".replace(".", ",")
    span = number + (unit if unit == "%" else f" {unit}")
    scale = {"%": 1, "tỷ đồng": 1e9, "triệu đồng": 1e6, "USD": 1, "lao động": 1, "ha": 1}.get(unit, 1)
    default_unit = {"tỷ đồng": "VND", "triệu đồng": "VND", "lao động": "count"}.get(unit, unit)
    return {
        "doc_id": doc_id, "start": start, "end": start + len(span), "span": span, "value": float(value),
        "value_max": None if value_max is None else float(value_max), "unit": unit.lower(),
        "norm_value": float(norm if norm is not None else value * scale), "norm_unit": norm_unit or default_unit,
        "indicator": indicator, "indicator_id": indicator_id, "status": status, "kind": kind,
        "direction": direction, "comparator": comparator, "baseline": baseline, "period": period,
        "year": year, "locality": locality, "sentence": sentence or f"{indicator} {span}.",
    }


def target(value, unit="%", **kw):
    return rec(value, unit, status="target", doc_id=kw.pop("doc_id", "muc-tieu"), **kw)


def verdict_of(t, a, stated=None, lower=False, share=1.0):
    return judge(t, a, stated, lower, share)


@pytest.mark.parametrize("got, expected", [(17.7, MET), (18.2, MET), (17.5, NOT_MET)])
def test_at_least_target_is_met_from_its_value(got, expected):
    assert verdict_of(target(17.7, comparator=">="), rec(got)).verdict == expected


@pytest.mark.parametrize("got, expected", [(17.7, NOT_MET), (17.8, MET)])
def test_more_than_target_needs_more(got, expected):
    assert verdict_of(target(17.7, comparator=">"), rec(got)).verdict == expected


@pytest.mark.parametrize("got, expected", [(8.0, MET), (8.3, MET), (9.0, MET), (7.9, NOT_MET)])
def test_range_target_is_met_from_its_lower_end(got, expected):
    assert verdict_of(target(8, value_max=8.5), rec(got)).verdict == expected


@pytest.mark.parametrize("got, expected", [(0.8, MET), (1.0, NOT_MET), (1.2, NOT_MET)])
def test_below_target_is_met_under_it(got, expected):
    poverty = dict(indicator="tỷ lệ hộ nghèo", indicator_id="poverty_rate")
    assert verdict_of(target(1, comparator="<", **poverty), rec(got, **poverty), lower=True).verdict == expected


@pytest.mark.parametrize("got, expected", [(1.2, MET), (1.0, MET), (1.3, NOT_MET)])
def test_plain_target_is_a_ceiling_where_less_is_better(got, expected):
    poverty = dict(indicator="tỷ lệ hộ nghèo", indicator_id="poverty_rate")
    assert verdict_of(target(1.2, **poverty), rec(got, **poverty), lower=True).verdict == expected


@pytest.mark.parametrize("got, way, expected", [(1.6, "down", MET), (1.5, "down", MET), (1.4, "down", NOT_MET),
                                                (1.6, "up", NOT_MET)])
def test_fall_target_is_met_by_a_larger_fall_only(got, way, expected):
    goal = target(1.5, kind="change", direction="down", indicator="tỷ lệ hộ cận nghèo", indicator_id="near_poverty_rate")
    result = rec(got, kind="change", direction=way, indicator="tỷ lệ hộ cận nghèo", indicator_id="near_poverty_rate")
    verdict = verdict_of(goal, result)
    assert verdict.verdict == expected
    assert verdict.ratio == pytest.approx((got if way == "down" else -got) / 1.5)


def test_change_against_level_is_unknown():
    verdict = verdict_of(target(15, kind="change", direction="up"), rec(2100, "tỷ đồng"))
    assert verdict.verdict == UNKNOWN and "change target" in verdict.reason


def test_units_that_do_not_compare_are_unknown():
    verdict = verdict_of(target(4350, "USD"), rec(89.6, "triệu đồng"))
    assert verdict.verdict == UNKNOWN and "units" in verdict.reason


def test_billions_and_millions_of_dong_compare_in_norm_value():
    goal = target(1200, "tỷ đồng")
    assert verdict_of(goal, rec(1_250_000, "triệu đồng")).verdict == MET
    low = verdict_of(goal, rec(1_150_000, "triệu đồng"))
    assert low.verdict == NOT_MET and low.ratio == pytest.approx(1150 / 1200)


def test_ratios_are_written_to_the_digits_they_have():
    """1,2 against 1,5 is 0,8, not the float quotient 0.7999999999999999."""
    assert verdict_of(target(1.5, "%"), rec(1.2, "%")).ratio == 0.8
    assert stated_ratio({"value": 105.4, "kind": "change"}) == 2.054


def test_estimate_is_said_in_the_reason():
    verdict = verdict_of(target(7, comparator=">="), rec(7.78, comparator="~"))
    assert verdict.verdict == MET and "estimate" in verdict.reason


def test_partial_period_amount_ahead_of_pace_is_on_track():
    goal = target(800, "tỷ đồng")
    assert verdict_of(goal, rec(450, "tỷ đồng", period="6 tháng đầu năm 2024"), share=0.5).verdict == ON_TRACK
    behind = verdict_of(goal, rec(350, "tỷ đồng"), share=0.5)
    assert behind.verdict == NOT_MET and "behind" in behind.reason
    assert verdict_of(goal, rec(820, "tỷ đồng"), share=0.75).verdict == MET


def test_partial_period_rate_is_compared_as_it_stands():
    goal = target(10, value_max=11)
    assert verdict_of(goal, rec(9.4), share=0.5).verdict == NOT_MET  # never pro rata: 9,4% is not "ahead"
    assert verdict_of(goal, rec(10.2), share=0.5).verdict == ON_TRACK


@pytest.mark.parametrize("share, value, expected", [(1.0, 102, MET), (1.0, 98.2, NOT_MET), (0.5, 52.5, ON_TRACK),
                                                    (0.75, 67.11, NOT_MET), (0.5, 102, MET)])
def test_stated_share_of_the_plan(share, value, expected):
    stated = rec(value, baseline="kế hoạch")
    verdict = verdict_of(None, rec(1020, "tỷ đồng"), stated, share=share)
    assert verdict.verdict == expected
    assert verdict.ratio == pytest.approx(value / 100) and verdict.ratio_source == "stated"


def test_excess_over_the_plan_is_a_stated_share_above_one():
    stated = rec(5.4, kind="change", direction="up", baseline="kế hoạch")
    verdict = verdict_of(None, None, stated)
    assert verdict.verdict == MET and verdict.ratio == pytest.approx(1.054)


def test_target_without_result_is_unknown():
    verdict = verdict_of(target(58), None)
    assert verdict.verdict == UNKNOWN and "no result" in verdict.reason


@settings(max_examples=200, deadline=None)
@given(goal=st.floats(0.1, 1e6), got=st.floats(0.0, 2e6))
def test_at_least_verdict_and_ratio_follow_the_figures(goal, got):
    verdict = verdict_of(target(goal, comparator=">="), rec(got))
    assert verdict.ratio == pytest.approx(got / goal)
    if got >= goal * (1 + 1e-6):
        assert verdict.verdict == MET
    if got < goal * (1 - 1e-6):
        assert verdict.verdict == NOT_MET


@settings(max_examples=100, deadline=None)
@given(goal=st.floats(1.0, 1e5), got=st.floats(0.0, 2e5), share=st.sampled_from([0.25, 0.5, 0.75]))
def test_pace_verdict_is_monotone_in_the_result(goal, got, share):
    """A larger partial result never gets a worse verdict."""
    rank = {NOT_MET: 0, ON_TRACK: 1, MET: 2}
    low = verdict_of(target(goal, "tỷ đồng"), rec(got, "tỷ đồng"), share=share).verdict
    high = verdict_of(target(goal, "tỷ đồng"), rec(got * 1.1 + 1, "tỷ đồng"), share=share).verdict
    assert rank[high] >= rank[low]


# ---------------------------------------------------------------- matching ---

def test_district_with_and_without_type_word_is_one_row_across_articles():
    rows = track_records([target(17.7, comparator=">=", locality="huyện Đầm Hà"),
                          rec(18.2, locality="Đầm Hà", doc_id="ket-qua")])
    assert len(rows) == 1
    row = rows[0]
    assert (row.verdict, row.pair, row.year, row.locality) == (MET, "cross-article", 2024, "huyện Đầm Hà")


def test_other_district_or_year_is_not_matched():
    rows = track_records([target(17.7, comparator=">="), rec(18.2, locality="huyện Hải Hà"), rec(18.2, year=2023,
                                                                                                   period="năm 2023")])
    assert [(r.verdict, r.actual) for r in rows] == [(UNKNOWN, None)]


def test_indicator_phrases_without_id_match_by_syllable_f1():
    goal = target(1400, "lao động", indicator="số lao động được tạo việc làm mới", indicator_id=None)
    same = rec(1450, "lao động", indicator="lao động được tạo việc làm", indicator_id=None, doc_id="b")
    other = rec(30, "ha", indicator="diện tích trồng rừng", indicator_id=None, doc_id="b", start=50)
    rows = track_records([goal, same, other])
    assert len(rows) == 1 and rows[0].actual == same and rows[0].verdict == MET


def test_year_end_result_wins_over_nine_months_and_the_other_is_folded():
    nine = rec(12, period="9 tháng năm 2024", doc_id="9-thang")
    year_end = rec(16.1, period="năm 2024", doc_id="ca-nam")
    rows = track_records([target(17.7, comparator=">="), year_end, nine])
    assert rows[0].actual == year_end and rows[0].verdict == NOT_MET
    assert [f["doc_id"] for f in rows[0].folded] == ["9-thang"]


def test_final_figure_wins_over_an_estimate_for_the_same_period():
    estimate = rec(18.0, comparator="~", doc_id="uoc")
    final = rec(17.9, doc_id="chinh-thuc")
    rows = track_records([target(17.7, comparator=">="), estimate, final])
    assert rows[0].actual == final
    assert any("another result" in d for d in rows[0].disagreements)


def test_single_quarter_is_never_the_years_result():
    quarter = rec(25, period="quý II/2024")
    rows = track_records([target(17.7, comparator=">="), quarter])
    assert rows[0].verdict == UNKNOWN and rows[0].folded[0]["role"] == "actual (not the year to date)"


def test_period_words_of_the_whole_year_are_the_same_year():
    for period in ("năm 2024", "cả năm", "đến cuối năm 2024"):
        rows = track_records([target(17.7, comparator=">="), rec(18, period=period, doc_id="b")])
        assert rows[0].verdict == MET, period


def test_five_year_target_matches_the_end_year_and_the_same_span_average():
    plan = target(7, comparator=">=", period="giai đoạn 2021-2025", year=2025)
    single = rec(6.5, period="năm 2025", year=2025, doc_id="nam-2025")
    average = rec(7.6, period="giai đoạn 2021-2025", year=2025, doc_id="binh-quan")
    rows = track_records([plan, single])
    assert rows[0].horizon == "2021-2025" and rows[0].verdict == NOT_MET
    rows = track_records([plan, single, average])
    assert rows[0].actual == average and rows[0].verdict == MET


def test_plan_beside_its_result_takes_its_indicator_as_extracted_today():
    """Today "(KH 10-11%)" comes out as an actual whose indicator is "KH"."""
    sentence = "Tốc độ tăng trưởng kinh tế đạt 9,4% (KH 10-11%)."
    result = rec(9.4, start=31, sentence=sentence, period="năm 2024")
    plan = dict(rec(10, value_max=11, start=40, sentence=sentence, indicator="KH", indicator_id=None))
    rows = track_records([result, plan])
    assert len(rows) == 1
    row = rows[0]
    assert row.target["span"] == "10-11%" and row.actual == result
    assert (row.verdict, row.pair) == (NOT_MET, "in-article")


def test_plan_beside_its_result_as_a_target_with_its_own_indicator():
    """The same pair when the plan figure is a target with the result's indicator."""
    sentence = "Tốc độ tăng trưởng kinh tế đạt 9,4% (KH 10-11%)."
    result = rec(9.4, start=31, sentence=sentence)
    plan = target(10, value_max=11, start=40, sentence=sentence, doc_id="a")
    assert [(r.verdict, r.target["span"]) for r in track_records([result, plan])] == [(NOT_MET, "10-11%")]


def test_plan_beside_a_growth_takes_its_kind():
    sentence = "GRDP ước tăng 7,78% (kế hoạch từ 7% trở lên)."
    result = rec(7.78, start=14, kind="change", direction="up", comparator="~", indicator="GRDP",
                 indicator_id="grdp", sentence=sentence)
    plan = target(7, start=sentence.index("7%", 20), comparator=">=", indicator="kế hoạch", indicator_id=None, sentence=sentence, doc_id="a")
    row, = track_records([result, plan])
    assert row.indicator_id == "grdp_growth" and row.verdict == MET and "estimate" in row.reason


def test_a_figure_after_a_result_without_a_plan_word_is_no_plan():
    sentence = "Tốc độ tăng trưởng kinh tế đạt 9,4%, cao hơn 10% cùng kỳ."
    result = rec(9.4, start=31, sentence=sentence)
    other = dict(rec(10, start=45, sentence=sentence, indicator="KH", indicator_id=None))
    assert track_records([result, other]) == []


def test_stated_share_of_plan_in_the_same_sentence_names_its_result():
    sentence = "Giá trị sản xuất công nghiệp đạt 1.020 tỷ đồng, đạt 102% kế hoạch."
    value = rec(1020, "tỷ đồng", start=33, indicator="Giá trị sản xuất công nghiệp",
                indicator_id="industry_production_value", sentence=sentence)
    share = rec(102, start=52, baseline="kế hoạch", indicator="Giá trị sản xuất công nghiệp",
                indicator_id="industry_production_value", sentence=sentence)
    row, = track_records([value, share])
    assert (row.verdict, row.ratio, row.ratio_source, row.pair) == (MET, pytest.approx(1.02), "stated", "in-article")
    assert row.actual == value and row.stated == share and row.target is None


def test_year_end_result_is_judged_against_the_plan_a_nine_month_share_implies():
    sentence = "Doanh thu thương mại-dịch vụ đạt 4.522 tỷ đồng, đạt 69,79% so với kế hoạch."
    trade = dict(indicator="doanh thu thương mại-dịch vụ", indicator_id=None)
    nine = rec(4522, "tỷ đồng", start=33, period="9 tháng năm 2024", sentence=sentence, doc_id="9-thang", **trade)
    share = rec(69.79, start=52, period="9 tháng năm 2024", baseline="kế hoạch", sentence=sentence, doc_id="9-thang", **trade)
    for year_end, expected in ((6500, MET), (6400, NOT_MET)):
        result = rec(year_end, "tỷ đồng", doc_id="ca-nam", **trade)
        row, = track_records([nine, share, result])
        assert (row.verdict, row.pair, row.actual, row.stated) == (expected, "cross-article", result, share)
        assert row.target["norm_value"] == pytest.approx(4522e9 / 0.6979)
        assert row.ratio == pytest.approx(year_end / (4522 / 0.6979))
        assert "6.479,4 tỷ đồng" in row.reason and row.folded == [dict(nine, role="actual")]


def test_two_targets_that_disagree_are_said_and_the_first_is_kept():
    first = target(17.7, comparator=">=", doc_id="nghi-quyet")
    second = target(17.5, comparator=">=", doc_id="bao-cao")
    row, = track_records([first, second, rec(17.6, doc_id="ket-qua")])
    assert row.target == first and row.verdict == NOT_MET
    assert row.disagreements == ["another target: 17,5% (bao-cao) against 17,7% (nghi-quyet)"]
    assert row.folded == [dict(second, role="target")]


def test_stated_share_that_contradicts_the_figures_is_a_disagreement():
    sentence = "Thu ngân sách đạt 1.150 tỷ đồng, đạt 101% kế hoạch."
    budget = dict(indicator="Thu ngân sách", indicator_id="state_budget_revenue", sentence=sentence)
    rows = track_records([target(1200, "tỷ đồng", **{**budget, "sentence": "x"}),
                          rec(1150, "tỷ đồng", start=18, **budget), rec(101, start=37, baseline="kế hoạch", **budget)])
    assert rows[0].verdict == NOT_MET
    assert any("of the plan says met" in d for d in rows[0].disagreements)


def test_nothing_is_lost_every_record_of_a_row_is_in_it():
    records = [target(17.7, comparator=">="), target(17.5, doc_id="b"), rec(18.0, doc_id="c"),
               rec(12, period="9 tháng năm 2024", doc_id="d"), rec(20, period="quý II/2024", doc_id="e")]
    row, = track_records(records)
    shown = [row.target, row.actual] + [{k: v for k, v in f.items() if k != "role"} for f in row.folded]
    assert sorted(r["doc_id"] for r in shown) == sorted(r["doc_id"] for r in records)


# ----------------------------------------------------- articles, end to end ---

ARTICLES = {
    "damha-muc-tieu-2024": (
        "Đầm Hà đặt mục tiêu năm 2024\n\n"
        "Năm 2024, huyện Đầm Hà phấn đấu tốc độ tăng trưởng kinh tế từ 17,7% trở lên; thu ngân sách trên địa bàn "
        "đạt 1.200 tỷ đồng; tỷ lệ hộ nghèo dưới 1%; tỷ lệ hộ cận nghèo giảm 1,5%; tỷ lệ đô thị hóa đạt 36-37%; "
        "thu nhập bình quân đầu người đạt 4.350 USD; giá trị sản xuất nông nghiệp tăng 15%; tỷ lệ che phủ rừng đạt 58%.\n"
    ),
    "damha-ket-qua-2024": (
        "Đầm Hà hoàn thành các chỉ tiêu năm 2024\n\n"
        "Năm 2024, tốc độ tăng trưởng kinh tế của huyện Đầm Hà đạt 17,5%. Thu ngân sách trên địa bàn đạt "
        "1.250.000 triệu đồng. Tỷ lệ hộ nghèo còn 0,8%. Tỷ lệ hộ cận nghèo giảm 1,6%. Tỷ lệ đô thị hóa đạt 36%. "
        "Thu nhập bình quân đầu người đạt 89,6 triệu đồng. Giá trị sản xuất nông nghiệp đạt 2.100 tỷ đồng.\n"
    ),
    "haiha-muc-tieu-2024": (
        "Hải Hà giao chỉ tiêu năm 2024\n\n"
        "Năm 2024, huyện Hải Hà phấn đấu thu ngân sách trên địa bàn đạt 800 tỷ đồng; tạo việc làm mới cho 1.400 lao động.\n"
    ),
    "haiha-6-thang-2024": (
        "Hải Hà: kết quả 6 tháng đầu năm 2024\n\n"
        "6 tháng đầu năm 2024, thu ngân sách trên địa bàn huyện Hải Hà đạt 450 tỷ đồng. Tạo việc làm mới cho 500 lao động. "
        "Tốc độ tăng trưởng kinh tế đạt 9,4% (KH 10-11%). Giá trị sản xuất công nghiệp đạt 1.020 tỷ đồng, đạt 102% kế hoạch.\n"
    ),
}
SHEET = (
    "doc_id\tlocality\tdate\n"
    "damha-muc-tieu-2024\tQuảng Ninh / huyện Đầm Hà\t2024-01-10\n"
    "damha-ket-qua-2024\tQuảng Ninh / huyện Đầm Hà\t2024-12-20\n"
    "haiha-muc-tieu-2024\tQuảng Ninh / huyện Hải Hà\t2024-01-12\n"
    "haiha-6-thang-2024\tQuảng Ninh / huyện Hải Hà\t2024-07-05\n"
)
# (locality, indicator_id) → (verdict, target span, result span, pair)
EXPECTED = {
    ("huyện Đầm Hà", "grdp_growth"): (NOT_MET, "17,7%", "17,5%", "cross-article"),
    ("huyện Đầm Hà", "state_budget_revenue"): (MET, "1.200 tỷ đồng", "1.250.000 triệu đồng", "cross-article"),
    ("huyện Đầm Hà", "poverty_rate"): (MET, "1%", "0,8%", "cross-article"),
    ("huyện Đầm Hà", "near_poverty_rate"): (MET, "1,5%", "1,6%", "cross-article"),
    ("huyện Đầm Hà", "urbanization_rate"): (MET, "36-37%", "36%", "cross-article"),
    ("huyện Đầm Hà", "income_per_capita"): (UNKNOWN, "4.350 USD", "89,6 triệu đồng", "cross-article"),
    ("huyện Đầm Hà", "agri_production_value"): (UNKNOWN, "15%", "2.100 tỷ đồng", "cross-article"),
    ("huyện Đầm Hà", "forest_cover"): (UNKNOWN, "58%", None, ""),
    ("huyện Hải Hà", "state_budget_revenue"): (ON_TRACK, "800 tỷ đồng", "450 tỷ đồng", "cross-article"),
    ("huyện Hải Hà", "new_jobs"): (NOT_MET, "1.400 lao động", "500 lao động", "cross-article"),
    ("huyện Hải Hà", "grdp_growth"): (NOT_MET, "10-11%", "9,4%", "in-article"),
    ("huyện Hải Hà", "industry_production_value"): (MET, None, "1.020 tỷ đồng", "in-article"),
}


@pytest.fixture()
def articles(tmp_path):
    folder = tmp_path / "bai"
    folder.mkdir()
    for doc_id, text in ARTICLES.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "bai.sources.tsv").write_text(SHEET, encoding="utf-8")
    return folder


def _summary(rows):
    return {(r.locality, r.indicator_id): (r.verdict, (r.target or {}).get("span"), (r.actual or {}).get("span"), r.pair)
            for r in rows}


def test_article_pairs_through_the_python_api(articles):
    rows = track([str(articles)])
    assert _summary(rows) == EXPECTED
    for row in rows:  # every source is grounded in its article
        for record in (row.target, row.actual, row.stated):
            if record:
                assert ARTICLES[record["doc_id"]][record["start"]:record["end"]] == record["span"]


def test_article_pairs_through_the_cli_json(articles, tmp_path, capsys):
    out = tmp_path / "track.json"
    assert main(["track", str(articles), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    got = {(r["locality"], r["indicator_id"]): (r["verdict"], (r["target"] or {}).get("span"),
                                                (r["actual"] or {}).get("span"), r["pair"]) for r in data}
    assert got == EXPECTED
    ratio = next(r for r in data if r["indicator_id"] == "industry_production_value")
    assert (ratio["ratio"], ratio["ratio_source"], ratio["stated"]["span"]) == (pytest.approx(1.02), "stated", "102%")
    assert "12 rows" in capsys.readouterr().err


def test_records_files_give_the_same_table_as_the_articles(articles, tmp_path):
    direct = _summary(track([str(articles)]))
    for suffix in ("jsonl", "csv", "parquet", "xlsx"):
        records = tmp_path / f"records.{suffix}"
        assert main(["extract", str(articles), "-o", str(records), "--workers", "1"]) == 0
        assert _summary(track([str(records)])) == direct, suffix


def test_track_xlsx_is_a_workbook_of_the_table_with_typed_cells_and_no_formula(articles, tmp_path, capsys):
    import openpyxl

    from vnextract.tracking.writing import COLUMNS

    out = tmp_path / "t.xlsx"
    assert main(["track", str(articles), "-o", str(out)]) == 0
    assert out.is_file()
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows()]
    header = [c.value for c in rows[0]]
    assert header == list(COLUMNS)
    assert all(c.data_type != "f" for row in rows for c in row)
    by_key = {(row[header.index("locality")].value, row[header.index("indicator_id")].value): row for row in rows[1:]}
    assert {key: row[header.index("verdict")].value for key, row in by_key.items()} == \
        {key: verdict for key, (verdict, *_) in EXPECTED.items()}
    verdicts = [row[header.index("verdict")] for row in rows[1:]]
    assert all(c.fill.fgColor.rgb[-6:] == COLOURS[c.value].lstrip("#").upper() for c in verdicts)
    years = [row[header.index("year")] for row in rows[1:] if row[header.index("year")].value is not None]
    assert years and all(c.data_type == "n" and isinstance(c.value, int) for c in years)
    assert all(c.data_type == "n" for row in rows[1:] for c in [row[header.index("target_norm_value")]]
               if c.value is not None)


def test_track_refuses_an_output_name_it_cannot_write_instead_of_making_a_folder(articles, tmp_path, capsys):
    out = tmp_path / "t.xls"
    assert main(["track", str(articles), "-o", str(out)]) == 2
    assert not out.exists()
    assert ".xlsx" in capsys.readouterr().err


def test_cli_folder_output_is_a_page_with_csv_and_json(articles, tmp_path):
    out = tmp_path / "trang"
    proc = subprocess.run([sys.executable, "-m", "vnextract.cli", "track", str(articles), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "tracking.csv", "tracking.json"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "huyện Đầm Hà" in page and "huyện Hải Hà" in page and 'class="cell v-on-track"' in page


def test_a_broken_input_is_named_and_the_others_still_count(articles, tmp_path, capsys):
    bad = tmp_path / "hong.csv"
    bad.write_text("doc_id,span\nx,1%\n", encoding="utf-8")
    out = tmp_path / "t.csv"
    assert main(["track", str(bad), str(articles), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "not a records file" in err and "12 rows" in err
    assert out.exists()
    with pytest.raises(ValueError, match=re.escape(str(bad))):
        track([str(bad), str(articles)])


def test_load_records_counts_documents(articles):
    loaded = load_records([str(articles)])
    assert loaded.documents == 4 and not loaded.problems and len(loaded.records) == 23


# ------------------------------------------------------------------ outputs ---

def _formula_rows():
    evil = "=HYPERLINK(\"http://x\")"
    return track_records([target(17.7, comparator=">=", indicator=evil, indicator_id=None),
                          rec(18.2, indicator=evil, indicator_id=None, doc_id="b")])


def test_csv_is_excel_safe_with_bom_and_all_columns(tmp_path):
    path = tmp_path / "t.csv"
    write_tracking(_formula_rows(), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == COLUMNS
    row = dict(zip(COLUMNS, table[1]))
    assert row["indicator"].startswith("'=") and row["verdict"] == MET
    assert csv_cell("-5%") == "'-5%" and csv_cell(-5.0) == -5.0 and csv_cell(None) == ""


def test_parquet_and_json_hold_the_rows(tmp_path):
    import pandas as pd

    rows = track_records([target(17.7, comparator=">="), rec(18.2, doc_id="b"), target(58, indicator="che phủ rừng",
                                                                                       indicator_id="forest_cover")])
    write_tracking(rows, tmp_path / "t.parquet")
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert list(frame.columns) == COLUMNS and len(frame) == 2
    assert sorted(frame["verdict"]) == [MET, UNKNOWN]
    write_tracking(rows, tmp_path / "t.json")
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [r["verdict"] for r in data] == [r.verdict for r in rows]
    assert data[0]["target"]["span"] == rows[0].target["span"]


def test_page_escapes_article_text_and_loads_nothing():
    hostile = '<script>alert(1)</script><img src="http://evil/x.png">'
    records = []
    for year in (2023, 2024):
        records += [target(17.7, comparator=">=", indicator=hostile, indicator_id=None, year=year,
                           period=f"năm {year}", locality=f"huyện {hostile}"),
                    rec(18.2 - (2024 - year), indicator=hostile, indicator_id=None, year=year, period=f"năm {year}",
                        doc_id="b", locality=f"huyện {hostile}")]
    page = render_page(track_records(records))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    assert not re.search(r"<[^<>]*\s(?:src|href)=\"(?:https?:)?//", page)  # in a tag: the text shows it, escaped
    assert page.count("<svg") == 2  # the overview and the chart of the indicator with two years, inline


def _overview_records():
    """Two indicators × two districts × two years: met, not met, and one without a result."""
    records = []
    for place, (got_2023, got_2024) in (("huyện Đầm Hà", (18.0, 16.0)), ("huyện Hải Hà", (19.5, 17.9))):
        for year, got in ((2023, got_2023), (2024, got_2024)):
            records += [target(17.7, comparator=">=", year=year, period=f"năm {year}", locality=place),
                        rec(got, year=year, period=f"năm {year}", locality=place, doc_id=f"{place}-{year}")]
        records += [target(65, "triệu đồng", indicator="thu nhập bình quân đầu người", indicator_id="income_per_capita",
                           year=2024, locality=place),
                    rec(70, "triệu đồng", indicator="thu nhập bình quân đầu người", indicator_id="income_per_capita",
                        year=2024, locality=place, doc_id=f"{place}-thu-nhap")]
    records.append(target(90, "%", indicator="tỷ lệ trường chuẩn", indicator_id=None, year=2025))  # no result
    return records


def test_page_opens_with_an_overview_of_every_judged_target_by_indicator_year_and_locality():
    rows = track_records(_overview_records())
    page = render_page(rows)
    assert page.index('id="overview"') < page.index('id="place-0"')
    overview = page[page.index('id="overview"'):page.index('id="place-0"')]
    assert overview.count("<svg") == 1
    for text in ("tốc độ tăng trưởng kinh tế", "thu nhập bình quân đầu người", "huyện Đầm Hà", "huyện Hải Hà",
                 "2023", "2024"):
        assert text in overview, text
    assert "tỷ lệ trường chuẩn" not in overview  # a target without a result is in the tables only
    judged = [r for r in rows if r.verdict in (MET, NOT_MET, ON_TRACK)]
    verdicts = Counter(r.verdict for r in judged)
    assert len(judged) == 6 and verdicts[MET] and verdicts[NOT_MET]
    # Each judged row is one mark, coloured by its verdict, labelled with its result as a share of the target.
    assert {v: overview.count(f'fill="{COLOURS[v]}"') for v in verdicts} == verdicts
    for row in judged:
        assert f"{row.ratio:.0%}" in overview


def test_page_without_a_judged_row_has_no_overview():
    page = render_page(track_records([target(90, "%", indicator="tỷ lệ trường chuẩn", indicator_id=None, year=2025)]))
    assert 'id="overview"' not in page and "<svg" not in page


def test_chart_is_drawn_only_for_several_years():
    one_year = render_page(track_records([target(17.7, comparator=">="), rec(18.2, doc_id="b")]))
    assert one_year.count("<svg") == 1 and 'id="overview"' in one_year and "v-met" in one_year  # the overview only


# --------------------------------------------------------------- dev corpus ---

@pytest.fixture(scope="module")
def dev_rows():
    return track([str(DEV)])


def _find(rows, doc_id, span, role="actual"):
    return [r for r in rows if (getattr(r, role) or {}).get("doc_id") == doc_id and getattr(r, role)["span"] == span]


@pytest.mark.parametrize("doc_id, result, plan, verdict", [
    ("ca-mau-ktxh-2023-reatimes", "7,78%", "7%", MET),  # ước tăng 7,78% (kế hoạch từ 7% trở lên)
    ("hung-yen-ktxh-2024-ngoisao", "7,70%", "7,5-8%", MET),  # tăng 7,70%, đạt kế hoạch đề ra tăng từ 7,5-8%
    ("ha-tinh-ktxh-2017", "10,51%", "10,6%", NOT_MET),  # dự ước tăng 10,51% ... (kế hoạch tăng 10,6%)
    ("ha-tinh-ktxh-2017", "28,71%", "18,5%", MET),  # công nghiệp - xây dựng tăng 28,71% (kế hoạch tăng 18,5%)
])
def test_dev_corpus_plans_beside_results(dev_rows, doc_id, result, plan, verdict):
    found = _find(dev_rows, doc_id, result)
    assert [(r.target["span"], r.target["doc_id"], r.verdict, r.pair) for r in found] == [(plan, doc_id, verdict, "in-article")]


@pytest.mark.parametrize("doc_id, stated, verdict", [
    ("chu-pah-gia-lai-ket-qua-2023", "100,01%", MET),  # 8.185 tỷ đồng, đạt 100,01% kế hoạch
    ("quang-binh-viec-lam-2016", "98,2%", NOT_MET),  # 21.611 người, đạt 98,2% kế hoạch
    ("binh-phuoc-thu-hut-dau-tu-6-thang-2017", "52,5%", ON_TRACK),  # sáu tháng: 420 DN, đạt 52,5% kế hoạch năm
    ("chu-puh-gia-lai-6-thang-2024", "60%", ON_TRACK),  # 6 tháng: 285,3 tỷ đồng, đạt 60% kế hoạch tỉnh giao
    ("quang-ninh-quy-1-2024-baokiemtoan", "24%", NOT_MET),  # quý I: 13.160 tỷ đồng, 24% of the year's plan
])
def test_dev_corpus_stated_shares_of_the_plan(dev_rows, doc_id, stated, verdict):
    found = _find(dev_rows, doc_id, stated, role="stated")
    assert len(found) == 1
    row = found[0]
    assert (row.verdict, row.ratio_source, row.pair) == (verdict, "stated", "in-article")
    assert math.isclose(row.ratio, float(stated.rstrip("%").replace(",", ".")) / 100)


@pytest.mark.parametrize("year_end, verdict", [("6.500 tỷ đồng", MET), ("4.000 tỷ đồng", NOT_MET), ("3.000 tỷ đồng", MET)])
def test_dev_corpus_year_end_against_the_plan_of_a_nine_month_report(dev_rows, year_end, verdict):
    """Châu Đức: the 9-month report states the shares of the plan, the year-end report the results."""
    row, = _find(dev_rows, "chau-duc-ba-ria-vung-tau-2020-nhiem-vu-2021", year_end)
    assert (row.verdict, row.pair, row.target["doc_id"]) == (verdict, "cross-article", "chau-duc-ba-ria-vung-tau-9-thang-2020")


def test_dev_corpus_rows_are_grounded_and_keyed_once(dev_rows):
    texts = {}
    keys = set()
    for row in dev_rows:
        key = (place_key(row.locality), row.indicator, row.indicator_id, row.horizon)
        assert key not in keys
        keys.add(key)
        for record in [row.target, row.actual, row.stated] + row.folded:
            if record:
                text = texts.setdefault(record["doc_id"], (DEV / f"{record['doc_id']}.txt").read_text(encoding="utf-8"))
                assert text[record["start"]:record["end"]] == record["span"]
