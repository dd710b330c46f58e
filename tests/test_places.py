"""Places across the July 2025 reorganisation: names read against the units in
force when the article was written, the whole country, and the `province` /
`province_2025` columns of every record."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnextract.gazetteer import legacy_province, province_2025, province_2025_of, provinces
from vnextract.inputs.metadata import DocumentMeta, meta_from_fields, parse_month, read_sheet
from vnextract.rules import load_rules
from vnextract.stages.localities import after_reform
from vnextract.stages.records import build_records

BEFORE = DocumentMeta(year=2024)
AFTER = DocumentMeta(year=2025, month=8)


def _one(text: str, meta: DocumentMeta = DocumentMeta(), doc_id: str = "doc", span: str | None = None):
    records = build_records(doc_id, text, meta)
    for record in records:
        assert text[record.start : record.end] == record.span
    if span is not None:
        records = [r for r in records if r.span == span]
    assert len(records) == 1, [r.span for r in records]
    return records[0]


# ------------------------------------------------ the same name on both sides ---

# Tiên Yên was a district of Quảng Ninh; since July 2025 "xã Tiên Yên" is the
# commune made of its town and neighbours.
TIEN_YEN = "Năm 2025, kinh tế tỉnh Quảng Ninh tăng 10%; riêng Tiên Yên tăng 8,5%."


def test_a_district_name_a_new_commune_took_is_the_commune_after_july_2025():
    assert _one(TIEN_YEN, AFTER, span="8,5%").locality == "xã Tiên Yên"


def test_the_same_name_before_the_reorganisation_is_the_district():
    assert _one(TIEN_YEN, BEFORE, span="8,5%").locality == "huyện Tiên Yên"


def test_a_type_word_in_the_text_wins_over_the_units_in_force():
    text = "Năm 2025, huyện Tiên Yên (cũ) đạt tốc độ tăng trưởng 9,2%."
    record = _one(text, AFTER)
    assert record.locality == "huyện Tiên Yên"
    assert (record.province, record.province_2025) == ("tỉnh Quảng Ninh", "tỉnh Quảng Ninh")


def test_a_file_name_is_read_against_the_units_in_force():
    text = "Thu ngân sách trên địa bàn đạt 120 tỷ đồng."
    assert _one(text, AFTER, doc_id="tien-yen-quang-ninh-thu-ngan-sach").locality == "xã Tiên Yên"
    assert _one(text, BEFORE, doc_id="tien-yen-quang-ninh-thu-ngan-sach").locality == "huyện Tiên Yên"


def test_a_merged_province_whose_name_survives_keeps_it_on_both_sides():
    text = "Tốc độ tăng trưởng GRDP của tỉnh Lào Cai đạt 8,1%."
    for meta in (BEFORE, AFTER):
        record = _one(text, meta)
        assert (record.locality, record.province, record.province_2025) == ("tỉnh Lào Cai", "tỉnh Lào Cai", "tỉnh Lào Cai")
    merged = _one("Tốc độ tăng trưởng GRDP của tỉnh Yên Bái đạt 7,4%.", BEFORE)
    assert (merged.province, merged.province_2025) == ("tỉnh Yên Bái", "tỉnh Lào Cai")


def test_a_province_whose_name_is_gone_is_followed_into_the_merged_one():
    text = "Năm 2025, tỉnh Hà Giang (cũ) có tỷ lệ hộ nghèo giảm còn 12,3%."
    record = _one(text, AFTER)
    assert record.locality == "tỉnh Hà Giang"  # the marker is read, not copied
    assert (record.province, record.province_2025) == ("tỉnh Hà Giang", "tỉnh Tuyên Quang")


@pytest.mark.parametrize("meta, text, after", [
    (DocumentMeta(year=2026), "", True),
    (DocumentMeta(year=2024), "Sau sáp nhập, năm 2025 xã có 12 thôn.", False),
    (DocumentMeta(year=2025, month=3), "sau sáp nhập", False),
    (DocumentMeta(year=2025), "Nhân dân 2 xã trước khi sáp nhập đã đạt nhiều thành tựu.", True),
    (DocumentMeta(), "Nhiệm kỳ 2025 - 2030, xã (mới) phấn đấu tăng 10%.", True),
    (DocumentMeta(), "Năm 2019, sau sáp nhập xã có 12 thôn.", False),
    (DocumentMeta(), "Năm 2025, xã phấn đấu tăng 10%.", False),
])
def test_the_article_date_and_its_own_words_tell_which_units_are_in_force(meta, text, after):
    assert after_reform(text, meta) is after


def test_a_full_date_in_a_sheet_gives_the_month():
    assert parse_month("2025-08-11") == 8 and parse_month("11/8/2025") == 8 and parse_month("2025") is None
    assert meta_from_fields({"doc_id": "x", "date": "2025-08-11"}) == DocumentMeta(year=2025, month=8)


# ------------------------------------------------------- the province columns ---

def test_province_columns_of_a_commune_named_by_its_type_word():
    text = "Năm 2020, xã Suối Nghệ có thu nhập bình quân đầu người đạt 52 triệu đồng."
    record = _one(text, DocumentMeta(year=2020))
    assert record.locality == "xã Suối Nghệ"
    assert (record.province, record.province_2025) == ("tỉnh Bà Rịa - Vũng Tàu", "TP Hồ Chí Minh")


def test_province_columns_of_a_former_district_and_of_a_city():
    district = _one("Năm 2024, huyện Hải Hà có tỷ lệ che phủ rừng đạt 58%.", BEFORE)
    assert (district.province, district.province_2025) == ("tỉnh Quảng Ninh", "tỉnh Quảng Ninh")
    city = _one("Năm 2024, thành phố Quảng Ngãi có tốc độ tăng trưởng đạt 8%.", BEFORE)
    assert (city.province, city.province_2025) == ("tỉnh Quảng Ngãi", "tỉnh Quảng Ngãi")
    central = _one("Năm 2024, TP.HCM có tốc độ tăng trưởng GRDP đạt 7,17%.", BEFORE)
    assert (central.province, central.province_2025) == ("TP Hồ Chí Minh", "TP Hồ Chí Minh")


def test_province_columns_of_a_unit_named_only_by_the_file_name():
    record = _one("Thu nhập bình quân đầu người đạt 65 triệu đồng.", BEFORE, doc_id="dam-ha-ket-qua-2024")
    assert record.locality == "huyện Đầm Hà"
    assert (record.province, record.province_2025) == ("tỉnh Quảng Ninh", "tỉnh Quảng Ninh")


def test_a_commune_in_a_file_name_after_its_type_word():
    record = _one("Thu nhập bình quân đầu người đạt 45 triệu đồng.", AFTER, doc_id="xa-phong-hai-lao-cai-dai-hoi")
    assert (record.locality, record.province_2025) == ("xã Phong Hải", "tỉnh Lào Cai")


def test_a_name_shared_by_several_provinces_takes_the_one_the_article_names():
    text = "Năm 2024, tỉnh Tây Ninh: huyện Châu Thành có tốc độ tăng trưởng đạt 9%."
    record = _one(text, BEFORE, span="9%")
    assert (record.locality, record.province, record.province_2025) == ("huyện Châu Thành", "tỉnh Tây Ninh", "tỉnh Tây Ninh")


def test_no_province_for_the_whole_country():
    record = _one("Năm 2024, cả nước có 6.000 xã đạt chuẩn nông thôn mới.", BEFORE)
    assert (record.locality, record.province, record.province_2025) == ("cả nước", None, None)


# ------------------------------------------------------------ the whole country ---

PROVINCIAL = ("Năm 2023, GRDP của tỉnh Cà Mau tăng 7,69%, cao hơn mức bình quân cả nước (tăng 5,05%). "
              "Theo Tổng cục Thống kê, GDP của Việt Nam năm 2023 tăng 5,05%. "
              "Cà Mau đứng thứ 8 cả nước với 120 nghìn tỷ đồng.")


def test_national_figures_in_a_provincial_article():
    records = build_records("ca-mau-2023", PROVINCIAL, DocumentMeta(year=2024))
    by_start = sorted(records, key=lambda r: r.start)
    assert [(r.span, r.locality) for r in by_start] == [
        ("7,69%", "tỉnh Cà Mau"),
        ("5,05%", "cả nước"),  # in brackets after the country it is compared with
        ("5,05%", "cả nước"),  # GDP of Việt Nam
        ("120 nghìn tỷ đồng", "tỉnh Cà Mau"),  # the country only ranks the province
    ]
    assert [(r.province, r.province_2025) for r in by_start] == [
        ("tỉnh Cà Mau", "tỉnh Cà Mau"), (None, None), (None, None), ("tỉnh Cà Mau", "tỉnh Cà Mau")]


NATIONAL = ("Năm 2024, toàn quốc có 78% số xã đạt chuẩn nông thôn mới. "
            "Cả nước có 6.000 xã đạt chuẩn; riêng tỉnh Nam Định có 100% số xã đạt chuẩn.")


def test_a_provincial_figure_in_a_national_article():
    records = sorted(build_records("nong-thon-moi-2024", NATIONAL, DocumentMeta(year=2024)), key=lambda r: r.start)
    assert [(r.span, r.locality) for r in records] == [
        ("78%", "cả nước"), ("6.000 xã", "cả nước"), ("100%", "tỉnh Nam Định")]
    assert (records[2].province, records[2].province_2025) == ("tỉnh Nam Định", "tỉnh Ninh Bình")


def test_a_country_named_inside_a_body_s_name_is_no_owner():
    text = "Theo Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Hà Nam, dư nợ tín dụng năm 2024 tăng 9,5%."
    assert _one(text, BEFORE).locality == "tỉnh Hà Nam"


# ---------------------------------------------------- the dev corpus, sampled ---

DEV = Path(__file__).resolve().parent.parent / "corpus"


def _dev_sample() -> list[str]:
    """Every seventh article of the dev-67 split: districts, communes, cities,
    provinces and national articles, quick enough for every run."""
    ids = [line.strip() for line in (DEV / "splits" / "dev-67.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    return ids[::7]


@pytest.mark.parametrize("doc_id", _dev_sample())
def test_every_dev_record_has_its_provinces_as_the_gazetteer_holds_them(doc_id):
    sheet = read_sheet(DEV / "dev.sources.tsv")
    text = (DEV / "dev" / f"{doc_id}.txt").read_text(encoding="utf-8")
    records = build_records(doc_id, text, DocumentMeta(year=sheet[doc_id].year, month=sheet[doc_id].month))
    legacy = {locality for locality in (legacy_province(n) for n in provinces()) if locality}
    legacy.update(load_rules("localities")["former_provinces"].values())
    now = {locality for locality in (province_2025(n) for n in provinces()) if locality}
    assert len(now) == 34
    for record in records:
        if record.locality == "cả nước":
            assert (record.province, record.province_2025) == (None, None)
            continue
        assert record.province in legacy and record.province_2025 in now, (record.span, record.locality)
        # The pre-2025 province is one of those the post-2025 one was merged from.
        former = record.province.split(" ", 1)[1]
        merged = province_2025_of(load_rules("localities")["renamed_provinces"].get(former, former))
        assert merged == record.province_2025, (record.span, record.locality)


def test_a_district_spelt_otherwise_or_merged_away_before_the_tables_still_gets_its_province():
    spelt = _one("Năm 2020, huyện Đăk Glei có tỷ lệ hộ nghèo giảm còn 25%.", DocumentMeta(year=2020))
    assert (spelt.province, spelt.province_2025) == ("tỉnh Kon Tum", "tỉnh Quảng Ngãi")  # the gazetteer writes "Đắk Glei"
    # Đạ Tẻh joined Đạ Huoai in 2024, before the gazetteer's pre-2025 tables were made.
    gone = _one("Năm 2020, huyện Đạ Tẻh, tỉnh Lâm Đồng có tỷ lệ hộ nghèo giảm còn 3%.", DocumentMeta(year=2020))
    assert (gone.locality, gone.province, gone.province_2025) == ("huyện Đạ Tẻh", "tỉnh Lâm Đồng", "tỉnh Lâm Đồng")


# ------------------------------------------------------------ tracking by province ---

def _tracked(*records, by):
    from vnextract.tracking import track_records

    return track_records(records, by=by)


def _figure(span, value, status, locality, doc_id, start=0):
    text = f"Năm 2025, {locality} có tốc độ tăng trưởng kinh tế đạt {span}."
    [record] = build_records(doc_id, text, DocumentMeta(year=2025 if status == "actual" else 2021))
    row = record.to_dict()
    row.update(status=status, year=2025, period="năm 2025", value=value, norm_value=value)
    return row


def test_track_by_province_2025_puts_a_district_target_and_a_province_result_in_one_group():
    target = _figure("10%", 10.0, "target", "huyện Hải Hà", "hai-ha-nghi-quyet-2020")
    result = _figure("11,2%", 11.2, "actual", "tỉnh Quảng Ninh", "quang-ninh-ket-qua-2025")
    [apart] = _tracked(target, result, by="locality")  # the district's target finds no result
    assert apart.locality == "huyện Hải Hà" and apart.actual is None
    [row] = _tracked(target, result, by="province_2025")
    assert row.locality == "tỉnh Quảng Ninh" and row.actual is not None and row.target is not None


def test_track_by_province_2025_follows_a_former_province_into_the_merged_one():
    target = _figure("7%", 7.0, "target", "tỉnh Hà Giang", "ha-giang-nghi-quyet-2020")
    result = _figure("6,8%", 6.8, "actual", "tỉnh Tuyên Quang", "tuyen-quang-ket-qua-2025")
    [row] = _tracked(target, result, by="province_2025")
    assert row.locality == "tỉnh Tuyên Quang" and row.actual is not None
    [apart] = _tracked(target, result, by="province")
    assert apart.locality == "tỉnh Hà Giang" and apart.actual is None


def test_track_by_a_column_old_records_lack_says_what_to_do(tmp_path, capsys):
    from vnextract.cli import main

    row = _figure("7%", 7.0, "target", "tỉnh Hà Giang", "a")
    del row["province"], row["province_2025"]
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["track", str(path), "-o", str(tmp_path / "t.csv"), "--by", "province_2025"]) == 1
    assert "no province_2025 column" in capsys.readouterr().err


# ------------------------------------------------------------ the metadata sheet ---

@pytest.mark.parametrize("cell, date, locality", [
    ("Quảng Ninh / Tiên Yên", "2025-08-11", "xã Tiên Yên"),  # a post-2025 unit
    ("Quảng Ninh / Tiên Yên", "2024", "huyện Tiên Yên"),  # a pre-2025 one for an old article
    ("Lào Cai / xã Phong Hải", "2025", "xã Phong Hải"),
    ("Quảng Ninh / Vân Đồn", "2026", "đặc khu Vân Đồn"),
    ("Quảng Ninh / Vân Đồn", "2023", "huyện Vân Đồn"),
    ("Tuyên Quang", "2026", "tỉnh Tuyên Quang"),
])
def test_the_sheet_reads_a_bare_unit_against_the_units_in_force(cell, date, locality):
    assert meta_from_fields({"doc_id": "x", "locality": cell, "date": date}).locality == locality


def test_after_the_reorganisation_the_commune_is_the_subject_not_the_former_district_of_its_name():
    text = ("Đại hội Đảng bộ xã Tiên Yên lần thứ I\n"
            "Xã Tiên Yên được thành lập trên cơ sở thị trấn Tiên Yên và các xã của huyện Tiên Yên (cũ). "
            "Nhiệm kỳ 2025 - 2030, phấn đấu thu nhập bình quân đầu người đạt 90 triệu đồng.")
    assert _one(text, AFTER, span="90 triệu đồng").locality == "xã Tiên Yên"
    # Before July 2025 a district article names its town: the district is the subject.
    older = ("Huyện Tiên Yên năm 2024\nThị trấn Tiên Yên là trung tâm của huyện Tiên Yên. "
             "Năm 2024, thu nhập bình quân đầu người đạt 70 triệu đồng.")
    assert _one(older, BEFORE, span="70 triệu đồng").locality == "huyện Tiên Yên"


def test_a_province_s_new_name_before_its_renaming_is_the_former_province():
    text = "Năm 2022, Huế thu hút được 196.500 lượt khách."
    assert _one(text, DocumentMeta(year=2022)).locality == "tỉnh Thừa Thiên Huế"
    assert _one(text.replace("2022", "2026"), DocumentMeta(year=2026)).locality == "TP Huế"


def test_the_file_name_s_unit_is_written_as_the_text_writes_it():
    """The gazetteer spells it "Đăk Pơ"; an article that writes "huyện Đak Pơ" keeps its own spelling."""
    text = "Kỳ họp HĐND huyện Đak Pơ.\nTổng thu ngân sách trên địa bàn đạt 20,4 tỷ đồng."
    assert _one(text, DocumentMeta(year=2023), doc_id="dak-po-gia-lai-6-thang-2023", span="20,4 tỷ đồng").locality == "huyện Đak Pơ"


def test_gdp_of_a_province_in_an_older_article_is_the_province_s():
    """Before GRDP was the name, provinces reported their own "GDP"."""
    text = "Quý 1 năm 2014, tổng sản phẩm trên địa bàn tỉnh Tiền Giang tăng 9%, trong đó GDP theo giá thực tế đạt 15.740 tỷ đồng."
    assert _one(text, DocumentMeta(year=2014), span="15.740 tỷ đồng").locality == "tỉnh Tiền Giang"


def test_a_district_the_tables_misspell_takes_its_official_name():
    from vnextract.gazetteer import place_in_name

    assert place_in_name("dak-po-gia-lai-6-thang-2023") == "huyện Đak Pơ"


def test_a_commune_the_tables_miss_in_the_province_a_file_name_gives():
    """"xa-tam-phuoc-ba-ria-vung-tau": the tables list no xã Tam Phước in that
    province (nor xã An Bình in Bắc Ninh, a ward since), yet the name says the
    commune and its province; "an-binh-thuan-thanh" is not Bình Thuận."""
    from vnextract.gazetteer import place_in_name

    assert place_in_name("xa-tam-phuoc-ba-ria-vung-tau-ke-hoach-2022") == "xã Tam Phước"
    assert place_in_name("xa-an-binh-thuan-thanh-bac-ninh-chi-tieu-2023") == "xã An Bình"
    assert place_in_name("xa-hoi-bac-ninh-2023") == "tỉnh Bắc Ninh"  # "xã hội" names no commune
    # the commune's words end where the province's begin: no "xã Hội Phú", "phường An Quang"
    assert place_in_name("kinh-te-xa-hoi-phu-tho-2024") == "tỉnh Phú Thọ"
    assert place_in_name("phuong-huong-binh-duong-2024") == "tỉnh Bình Dương"
    assert place_in_name("phuong-an-quang-ninh") == "tỉnh Quảng Ninh"


def test_a_district_of_another_province_than_the_file_name_s_is_not_named():
    """"phu-binh-an-giang": huyện Phú Bình is Thái Nguyên's, so the name says
    the province, and the commune the text writes ("xã Phú Bình") is the
    unit; a district of a province merged into the named one still counts."""
    from vnextract.gazetteer import place_in_name

    assert place_in_name("phu-binh-an-giang-dai-hoi-2020-2025") == "tỉnh An Giang"
    assert place_in_name("phu-binh-thai-nguyen-2020") == "huyện Phú Bình"
    assert place_in_name("dak-mil-lam-dong-2024") == "huyện Đắk Mil"
    assert place_in_name("phu-loc-thua-thien-hue-trong-trot-2018") == "huyện Phú Lộc"  # the province's former name
    text = ("Đại hội đại biểu xã Phú Bình nhiệm kỳ 2020-2025\n"
            "Cụ thể, bình quân thu nhập đầu người đến năm 2025 đạt 70 triệu đồng/người/năm.")
    records = build_records("phu-binh-an-giang-dai-hoi-2020-2025", text, DocumentMeta(year=2020))
    assert [r.locality for r in records] == ["xã Phú Bình"]


def test_a_name_after_tinh_is_a_place_only_when_a_province_has_it():
    """"tỉnh Trung du" (a region), "UBND tỉnh Nguyễn Khắc Hiếu" (a person) are no
    places; a province spelled otherwise ("Đắc Lắc", "Kontum", "Bà Rịa – Vũng
    Tàu") still is."""
    from vnextract.stages.localities import find_places

    def localities(text):
        return [p.locality for p in find_places(text)]

    assert localities("xếp thứ 13/14 tỉnh Trung du, miền núi phía Bắc") == []
    assert localities("Phó Chủ tịch UBND tỉnh Nguyễn Khắc Hiếu cho biết") == []
    assert localities("GRDP tỉnh Đắc Lắc tăng 5,5%") == ["tỉnh Đắc Lắc"]
    assert localities("GRDP tỉnh Kontum tăng 5,5%") == ["tỉnh Kontum"]
    assert localities("GRDP tỉnh Bà Rịa – Vũng Tàu tăng 5,5%") == ["tỉnh Bà Rịa"]
    # a province's name ends where a person's name after it begins
    assert localities("Chánh Văn phòng UBND tỉnh Tây Ninh Võ Thành Trí cho biết") == ["tỉnh Tây Ninh"]
    assert localities("Năm 1990, tỉnh Hà Nam Ninh có 3 triệu dân") == ["tỉnh Hà Nam Ninh"]
