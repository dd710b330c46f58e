"""The decision classes that break on articles the rules were not written
from: status (forecast or plan, a scope that leaks), the indicator (a list's
head, a dateline, a comment, the noun after the value, a comparison's
subject, a plan's own words) and the year (a term's end year). Each sentence
is written for its class; each is checked under the rules alone and under
the shipped model."""
from __future__ import annotations

import pytest

from vnextract.evaluation.scoring import syllable_f1
from vnextract.inputs.metadata import DocumentMeta
from vnextract.stages.decisions import load_model
from vnextract.stages.records import build_records

MODELS = {"rules": None, "model": "default"}


def _records(text: str, published: int, model: str | None):
    return {r.span: r for r in build_records("x", text, DocumentMeta(year=published), model=load_model(model or "rules"))}


STATUS = [
    # A forecast of how the year under way will end is an estimate of the result (SPEC §2).
    (2021, "Dự kiến hết năm 2021, toàn huyện có thêm 12 xã đạt chuẩn nông thôn mới.", "12 xã", "actual"),
    # An estimate of a year still to come, under a plan's cue, is a target.
    (2021, "Phấn đấu đến năm 2025, doanh thu du lịch ước đạt 300 tỷ đồng.", "300 tỷ đồng", "target"),
    (2024, "Dự báo năm 2025, kim ngạch xuất khẩu đạt 2 tỷ USD.", "2 tỷ USD", "target"),
    (2023, "Năm 2023, thu ngân sách ước đạt 900 tỷ đồng.", "900 tỷ đồng", "actual"),
    # A plan's scope does not reach into the next paragraph's results of a period already under way.
    (2023, "Nghị quyết Đại hội đặt mục tiêu đến năm 2025 thu nhập bình quân đạt 60 triệu đồng.\n"
           "Sáu tháng đầu năm 2023, giá trị sản xuất công nghiệp đạt 1.250 tỷ đồng, bằng 48% kế hoạch, "
           "tăng 9,3% so với cùng kỳ.", "1.250 tỷ đồng", "actual"),
    (2023, "Nghị quyết Đại hội đặt mục tiêu đến năm 2025 thu nhập bình quân đạt 60 triệu đồng.\n"
           "Sáu tháng đầu năm 2023, giá trị sản xuất công nghiệp đạt 1.250 tỷ đồng, bằng 48% kế hoạch, "
           "tăng 9,3% so với cùng kỳ.", "9,3%", "actual"),
    (2023, "Nghị quyết Đại hội đặt mục tiêu đến năm 2025 thu nhập bình quân đạt 60 triệu đồng.", "60 triệu đồng",
     "target"),
    # A list a plan opens stays a plan.
    (2024, "Năm 2024, huyện phấn đấu các chỉ tiêu sau:\nTổng giá trị sản xuất năm 2024 đạt 5.000 tỷ đồng.",
     "5.000 tỷ đồng", "target"),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("published, text, span, status", STATUS, ids=[s[2] + "-" + s[3] for s in STATUS])
def test_status_of_forecasts_plans_and_scopes(published, text, span, status, model):
    assert _records(text, published, MODELS[model])[span].status == status


INDICATORS = [
    ("Một số mặt hàng xuất khẩu tăng mạnh như: dệt may tăng 12,5%, da giày tăng 9,1%.", "12,5%", "dệt may"),
    ("Một số mặt hàng xuất khẩu tăng mạnh như: dệt may tăng 12,5%, da giày tăng 9,1%.", "9,1%", "da giày"),
    ("(BNV) - Sáu tháng đầu năm, thu ngân sách ước đạt 2.340 tỷ đồng.", "2.340 tỷ đồng", "thu ngân sách"),
    ("Tổng mức bán lẻ hàng hóa ước đạt 12.500 tỷ đồng, song mới chỉ đạt 48,5% kế hoạch năm.", "48,5%",
     "tổng mức bán lẻ hàng hóa"),
    ("Thu hút 250 triệu USD vốn đầu tư nước ngoài.", "250 triệu USD", "vốn đầu tư nước ngoài"),
    ("Ngành xây dựng tăng 6,2%, thấp hơn mức tăng 8,1% của cùng kỳ năm trước.", "8,1%", "mức tăng ngành xây dựng"),
    ("Nghị quyết Đại hội đặt mục tiêu đến năm 2025 thu nhập bình quân đạt 60 triệu đồng.", "60 triệu đồng",
     "thu nhập bình quân"),
    # What already worked stays: a list head that names what its items measure.
    ("Cơ cấu kinh tế: công nghiệp 41,8%; dịch vụ 39,7%.", "41,8%", "cơ cấu kinh tế công nghiệp"),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("text, span, indicator", INDICATORS, ids=[i[1] for i in INDICATORS])
def test_indicator_of_lists_datelines_comments_and_comparisons(text, span, indicator, model):
    found = _records(text, 2023, MODELS[model])[span].indicator
    assert syllable_f1(found, indicator) >= 0.5 and len(found.split()) <= len(indicator.split()) + 2, found


YEARS = [
    # A term named before gives its end year to none of the one-year results after it.
    (2023, "Nhiệm kỳ 2020 - 2025, huyện đặt mục tiêu thu nhập bình quân đạt 70 triệu đồng.\n"
           "Năm 2023, thu nhập bình quân ước đạt 55 triệu đồng.\nTỷ lệ hộ nghèo giảm còn 2,1%.", "2,1%", 2023),
    (2023, "Nhiệm kỳ 2020 - 2025, huyện đặt mục tiêu thu nhập bình quân đạt 70 triệu đồng.", "70 triệu đồng", 2025),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("published, text, span, year", YEARS, ids=[y[2] for y in YEARS])
def test_year_of_results_after_a_term(published, text, span, year, model):
    assert _records(text, published, MODELS[model])[span].year == year


# A time phrase right after the value is the value's own, whatever the document's name or the sentence's span say.
NAMED_WITH_ITS_TIME = [
    ("lai-chau-giam-ngheo-2006-2021", 2022,
     "Năm 2006, tỷ lệ hộ nghèo tính chung cả nước là 15,5%. Đến năm 2021, tỷ lệ hộ nghèo cả nước còn 4,4%.\n"
     "Đặc biệt, Lai Châu là tỉnh có tỷ lệ hộ nghèo giảm nhanh nhất cả nước giai đoạn 2006-2021 khi giảm từ 58,2% "
     "năm 2006 xuống 27,9% năm 2021.", "58,2%", 2006),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name, published, text, span, year", NAMED_WITH_ITS_TIME, ids=[y[3] for y in NAMED_WITH_ITS_TIME])
def test_year_named_right_after_the_value(name, published, text, span, year, model):
    records = build_records(name, text, DocumentMeta(year=published), model=load_model(MODELS[model] or "rules"))
    assert {r.span: r for r in records}[span].year == year
