"""Duckling's Vietnamese Numeral and AmountOfMoney corpora (tests/corpora/duckling_vi.yaml),
each example in a plain sentence, read through the public `extract` API."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from vnextract import extract
from vnextract.stages.quantities import find_quantities

CORPUS = yaml.safe_load((Path(__file__).parent / "corpora" / "duckling_vi.yaml").read_text(encoding="utf-8"))


def _sentence(template: str, example: str) -> tuple[str, int, int]:
    """The sentence and where the example sits in it."""
    text = template.format(example)
    if example.endswith(".") and text.endswith(".."):
        text = text[:-1]
    start = template.index("{}")
    return text, start, start + len(example)


def _the_record(text: str, start: int, end: int):
    records = extract(text, doc_id="duckling")
    inside = [r for r in records if r.start < end and start < r.end]
    assert len(inside) == 1, [(r.span, r.norm_value) for r in records]
    record = inside[0]
    assert start <= record.start and record.end <= end + len(" đồng"), record.span
    assert text[record.start : record.end] == record.span
    return record


def _ids(items):
    return [item["text"] for item in items]


@pytest.mark.parametrize("item", CORPUS["numeral"]["items"], ids=_ids(CORPUS["numeral"]["items"]))
def test_duckling_numeral(item):
    text, start, end = _sentence(CORPUS["numeral"]["template"], item["text"])
    record = _the_record(text, start, end)
    assert math.isclose(record.norm_value, abs(item["value"]), rel_tol=1e-9), record.span
    assert record.norm_unit == "VND"
    (quantity,) = [q for q in find_quantities(text) if q.start == record.start]
    assert quantity.number.negative == (item["value"] < 0)


@pytest.mark.parametrize("item", CORPUS["money"]["items"], ids=_ids(CORPUS["money"]["items"]))
def test_duckling_money(item):
    text, start, end = _sentence(CORPUS["money"]["template"], item["text"])
    record = _the_record(text, start, end)
    assert math.isclose(record.norm_value, item["value"], rel_tol=1e-9), record.span
    if "value_max" in item:
        assert record.value_max is not None, record.span
        norm_max = record.value_max * record.norm_value / record.value
        assert math.isclose(norm_max, item["value_max"], rel_tol=1e-9), record.span
    else:
        assert record.value_max is None, record.span
    assert (record.norm_unit, record.comparator) == (item["norm_unit"], item["comparator"]), record.span


def test_duckling_left_out_items_say_why_and_are_not_also_kept():
    kept = set(_ids(CORPUS["numeral"]["items"]))
    left_out = CORPUS["numeral"]["left_out"]
    assert left_out and all(item["why"].strip() for item in left_out)
    assert not kept & {item["text"] for item in left_out}
    assert len(kept) + len(left_out) == 48  # every item of Duckling/Numeral/VI/Corpus.hs, once
