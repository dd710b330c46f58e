"""The package as a pandas user meets it: `vnextract.to_frame`, `vnextract.read_records`."""
from __future__ import annotations

import pandas as pd
import pytest

import vnextract

TEXT = "Năm 2024, thu nhập bình quân đầu người đạt 89,6 triệu đồng; phấn đấu đón 8,2 triệu lượt khách."


def test_to_frame_takes_what_extract_documents_yields(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Tỷ lệ đô thị hóa đạt 36,3%.", encoding="utf-8")
    frame = vnextract.to_frame(vnextract.extract_documents([str(tmp_path)]))
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns[:3]) == ["doc_id", "start", "end"]
    assert sorted(set(frame["doc_id"])) == ["a", "b"]
    assert 8_200_000 in set(frame["norm_value"])
    assert frame.attrs["failures"] == []


def test_to_frame_keeps_the_failures_of_extract_documents_beside_the_records(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.warns(UserWarning, match="bad"):
        frame = vnextract.to_frame(vnextract.extract_documents([str(tmp_path)]))
    assert set(frame["doc_id"]) == {"good"}
    (failure,) = frame.attrs["failures"]
    assert "bad" in failure


def test_read_records_is_public_and_undoes_the_csv_formula_guard(tmp_path):
    from vnextract.outputs.writers import write_records

    records = vnextract.extract(TEXT, doc_id="=cmd|' /C calc'!A0")
    write_records(records, tmp_path / "r.csv")
    assert "'=" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    back = vnextract.read_records(tmp_path / "r.csv")
    assert [r["doc_id"] for r in back] == [r.doc_id for r in records]
    assert [r["comparator"] for r in back] == [r.comparator for r in records]
    assert "=" in {r["comparator"] for r in back}
    assert "read_records" in vnextract.__all__
