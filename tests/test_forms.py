"""The written forms of tests/corpora/forms.yaml: number words, ranges and units
read into the right record, and numeric-looking text that gives none."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from vnextract import extract

CORPUS = yaml.safe_load((Path(__file__).parent / "corpora" / "forms.yaml").read_text(encoding="utf-8"))
POSITIVE = [(section, case) for section in ("number_words", "ranges", "units") for case in CORPUS[section]]


def _unbracket(text: str) -> tuple[str, int, int]:
    start, end = text.index("["), text.index("]")
    return text[:start] + text[start + 1 : end] + text[end + 1 :], start, end - 1


@pytest.mark.parametrize("section,case", POSITIVE, ids=[f"{s}:{c['text']}" for s, c in POSITIVE])
def test_written_form_is_read(section, case):
    text, start, end = _unbracket(case["text"])
    records = extract(text, doc_id="forms")
    found = [r for r in records if r.start < end and start < r.end]
    assert len(found) == 1, [(r.span, r.norm_value) for r in records]
    record = found[0]
    assert (record.start, record.end) == (start, end), record.span
    assert math.isclose(record.norm_value, float(case["norm_value"]), rel_tol=1e-9), record.span
    assert record.norm_unit == case["norm_unit"]
    if "value_max" in case:
        assert record.value_max is not None and math.isclose(record.value_max, float(case["value_max"]), rel_tol=1e-9)
    else:
        assert record.value_max is None
    if "comparator" in case:
        assert record.comparator == case["comparator"]


@pytest.mark.parametrize("text", CORPUS["negative"])
def test_not_a_quantity_gives_no_record(text):
    assert [r.span for r in extract(text, doc_id="negative")] == []
