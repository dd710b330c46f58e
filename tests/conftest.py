"""Shared helpers: the SPEC record contract as one checker, and repo paths.

`record_problems(record, text)` lists every way a record breaks SPEC §2 (types,
vocabularies, grounding in the NFC text); tests assert it is empty. It is
exposed as the session fixture `check_record`, usable from hypothesis tests.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"
SHEET = ROOT / "corpus" / "dev.sources.tsv"

# Hypothesis profiles: `ci` for the fast suite, `fuzz` for the campaign of
# tests/test_fuzz.py (HYPOTHESIS_PROFILE=fuzz, or `pytest -m fuzz`). Tests
# that fix their own example count keep it under either profile.
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.large_base_example, HealthCheck.filter_too_much])


def pytest_configure(config):
    markers = config.getoption("markexpr", default="") or ""
    chosen = "fuzz" if "fuzz" in markers and "not fuzz" not in markers else "ci"
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or chosen)


# SPEC §2, in table order, plus `sentence` (written, not scored).
SPEC_COLUMNS = [
    "doc_id", "start", "end", "span", "value", "value_max", "unit", "norm_value", "norm_unit",
    "indicator", "indicator_id", "status", "kind", "direction", "comparator", "baseline",
    "period", "year", "locality", "sentence",
]
# Columns every record file has besides the SPEC ones (not scored by SPEC §4): the
# model's confidence, and the provinces that hold the locality, before and after 2025.
PROVINCE_COLUMNS = ["province", "province_2025"]
EXTRA_COLUMNS = ["confidence", *PROVINCE_COLUMNS]
STATUSES = {"target", "actual"}
KINDS = {"level", "change"}
DIRECTIONS = {"up", "down", None}
COMPARATORS = {"=", ">", ">=", "<", "<=", "~"}


def python_output(code: str) -> str:
    """What `python -c code` prints in a fresh process that imports the
    package from src/: for what must hold at start-up, before anything else is loaded."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return done.stdout.strip()


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _opt_str(v) -> bool:
    return v is None or (isinstance(v, str) and v.strip() != "")


def record_problems(record, text: str) -> list[str]:
    """Every SPEC violation of one record (a Record or a dict) against its document text."""
    r = record.to_dict() if hasattr(record, "to_dict") else dict(record)
    out = []

    def bad(msg):
        out.append(f"{msg} [record {r.get('span')!r} at {r.get('start')}]")

    missing = [c for c in SPEC_COLUMNS if c not in r]
    if missing:
        return [f"missing fields {missing}"]
    confidence = r.get("confidence")  # vnextract's records carry it; gold records need not
    if confidence is not None and not (isinstance(confidence, float) and 0.0 <= confidence <= 1.0):
        bad(f"confidence {confidence!r} is not a probability")
    if not isinstance(r["doc_id"], str) or not r["doc_id"]:
        bad("doc_id not a non-empty str")
    start, end = r["start"], r["end"]
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        bad("start/end not int")
        return out
    if not 0 <= start < end <= len(text):
        bad(f"bad offsets {start}..{end} for a text of {len(text)}")
    elif text[start:end] != r["span"]:
        bad(f"text[start:end] = {text[start:end]!r} != span")
    if not _is_number(r["value"]) or r["value"] < 0:
        bad(f"value {r['value']!r} not a number >= 0")
    if r["value_max"] is not None and (not _is_number(r["value_max"]) or not _is_number(r["value"])
                                       or r["value_max"] < r["value"]):
        bad(f"value_max {r['value_max']!r} not None and not >= value {r['value']!r}")
    if not isinstance(r["unit"], str) or not r["unit"].strip():
        bad("unit empty")
    elif r["unit"] != r["unit"].lower():
        bad(f"unit {r['unit']!r} not lower-cased")
    if not _is_number(r["norm_value"]) or r["norm_value"] < 0:
        bad(f"norm_value {r['norm_value']!r} not a number >= 0")
    if not isinstance(r["norm_unit"], str) or not r["norm_unit"].strip():
        bad("norm_unit empty")
    elif r["unit"] == "%" and _is_number(r["value"]) and r["norm_value"] != r["value"]:
        bad("a plain % value is its own norm_value")
    if not isinstance(r["indicator"], str) or not r["indicator"].strip():
        bad(f"indicator {r['indicator']!r} not a non-empty str")
    if not _opt_str(r["indicator_id"]):
        bad(f"indicator_id {r['indicator_id']!r}")
    if r["status"] not in STATUSES:
        bad(f"status {r['status']!r}")
    if r["kind"] not in KINDS:
        bad(f"kind {r['kind']!r}")
    if r["direction"] not in DIRECTIONS:
        bad(f"direction {r['direction']!r}")
    if (r["direction"] is None) != (r["kind"] == "level"):
        bad(f"direction {r['direction']!r} with kind {r['kind']!r} (None exactly when level)")
    if r["comparator"] not in COMPARATORS:
        bad(f"comparator {r['comparator']!r}")
    for key in ("baseline", "period", "locality"):
        if not _opt_str(r[key]):
            bad(f"{key} {r[key]!r} not None or a non-empty str")
    flat = " ".join(text.split())
    for key in ("period", "baseline"):
        # "as written": a piece of the text, up to runs of white space
        if isinstance(r[key], str) and " ".join(r[key].split()) not in flat:
            bad(f"{key} {r[key]!r} is not written in the text")
    year = r["year"]
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100):
        bad(f"year {year!r} not None or an int in 1900-2100")
    if not isinstance(r["sentence"], str) or r["span"] not in r["sentence"]:
        bad("sentence does not contain the span")
    elif r["sentence"] not in text:
        bad("sentence is not a piece of the text")
    if "evidence" in r:
        out.extend(f"{p} [record {r.get('span')!r} at {r.get('start')}]" for p in evidence_problems(r["evidence"], text))
    return out


EVIDENCE_KEYS = ("indicator", "status", "kind", "comparator", "period", "locality", "confidence")
DECISIONS = ("status", "indicator", "year")


def evidence_problems(evidence, text: str) -> list[str]:
    """Every evidence entry is grounded like the record: text[start:end] == its
    text, or it has no offsets and says why in its note."""
    if not isinstance(evidence, dict) or tuple(evidence) != EVIDENCE_KEYS:
        return [f"evidence {evidence!r} is not a dict of {EVIDENCE_KEYS}"]
    out = []
    confidence = evidence["confidence"]
    if not isinstance(confidence, dict) or tuple(confidence) != DECISIONS or not all(
        p is None or (isinstance(p, float) and 0.0 <= p <= 1.0) for p in confidence.values()
    ):
        out.append(f"evidence confidence {confidence!r} is not a probability (or null) per {DECISIONS}")
    for key, entry in evidence.items():
        if key == "confidence":
            continue
        if not isinstance(entry, dict) or set(entry) != {"start", "end", "text", "note"}:
            out.append(f"evidence {key}: {entry!r} is not {{start, end, text, note}}")
            continue
        start, end = entry["start"], entry["end"]
        if start is None:
            if end is not None or entry["text"] is not None or not entry["note"]:
                out.append(f"evidence {key}: {entry!r} has no span but offsets, text or no note")
        elif not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
            out.append(f"evidence {key}: bad offsets {start}..{end} for a text of {len(text)}")
        elif text[start:end] != entry["text"]:
            out.append(f"evidence {key}: text[start:end] = {text[start:end]!r} != {entry['text']!r}")
    return out


@pytest.fixture(scope="session")
def check_record():
    """check_record(record, text): assert the record meets SPEC §2."""

    def check(record, text):
        problems = record_problems(record, text)
        assert not problems, "\n".join(problems)

    return check


@pytest.fixture(scope="session")
def spec_columns():
    """The columns of a record table: SPEC §2's, then vnextract's own."""
    return SPEC_COLUMNS + EXTRA_COLUMNS
