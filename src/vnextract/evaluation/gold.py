"""Gold files checked against SPEC §3 before anything is scored.

A gold line without offsets, or with a status no prediction can have, would
otherwise end in a traceback deep in the scorer or, worse, in a score that
quietly counts it wrong. Every bad line is named with its field and what the
field must hold, all at once, so a gold set is fixed in one pass.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..outputs.writers import load_jsonl_records

_NUMBER = "a number"
_CHOICES = {
    "status": ("target", "actual"),
    "kind": ("level", "change"),
    "direction": ("up", "down", None),
    "comparator": ("=", ">", ">=", "<", "<=", "~"),
}
_MAY_BE_LEFT_OUT = ("indicator_id", "sentence")  # SPEC §3; every other field is on every line
_SHOWN = 10  # bad lines quoted in one message


def read_gold(path: str | os.PathLike) -> list[dict]:
    """The gold records of a JSONL file; ValueError naming each line and field
    that breaks SPEC §3 (up to ten of them, and how many there are)."""
    if Path(path).suffix.lower() not in (".jsonl", ".json", ".ndjson"):
        raise ValueError(f"{path}: a gold set is a JSONL file of records (SPEC §3); records written by "
                         f"`vnextract extract` are predictions: give them to --pred")
    records = load_jsonl_records(path)
    problems = [f"{path}:{lineno}: {problem}"
                for lineno, record in _numbered(path, records) for problem in gold_problems(record)]
    if problems:
        more = f"\n… and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
        raise ValueError(f"{path}: {len(problems)} problems with the gold records (SPEC §3):\n"
                         + "\n".join(problems[:_SHOWN]) + more)
    return records


def _numbered(path, records: list[dict]):
    """(line number, record): load_jsonl_records skips blank lines, so count them again."""
    with open(path, encoding="utf-8-sig") as handle:
        numbers = [n for n, line in enumerate(handle, 1) if line.strip()]
    return zip(numbers, records)


def gold_problems(record: dict) -> list[str]:
    """What is wrong with one gold record, as "field: problem" strings."""
    out: list[str] = []

    def need(name: str, ok, wants: str, allow_null: bool = False) -> bool:
        if name not in record:
            if name not in _MAY_BE_LEFT_OUT:
                out.append(f"{name}: missing ({wants})")
            return False
        value = record[name]
        if value is None and allow_null:
            return True
        if not ok(value):
            out.append(f"{name}: {value!r} is not {wants}")
            return False
        return True

    need("doc_id", lambda v: isinstance(v, str) and v != "", "a non-empty string")
    has_start = need("start", _is_int, "an int offset into the NFC text")
    has_end = need("end", _is_int, "an int offset into the NFC text")
    if has_start and has_end and not 0 <= record["start"] < record["end"]:
        out.append(f"end: {record['end']!r} must be greater than start {record['start']!r} (and start ≥ 0)")
    elif has_start and has_end and isinstance(record.get("span"), str) \
            and len(record["span"]) != record["end"] - record["start"]:
        out.append(f"span: {len(record['span'])} characters, but end − start is {record['end'] - record['start']}")
    need("span", lambda v: isinstance(v, str), "a string (text[start:end])")
    need("value", _is_amount, f"{_NUMBER} ≥ 0")
    need("value_max", _is_amount, f"{_NUMBER} ≥ 0 or null", allow_null=True)
    need("unit", lambda v: isinstance(v, str), "a string")
    need("norm_value", _is_amount, f"{_NUMBER} ≥ 0")
    need("norm_unit", lambda v: isinstance(v, str) and v != "", "a unit such as VND, %, count")
    need("indicator", lambda v: isinstance(v, str), "a string")
    need("indicator_id", lambda v: isinstance(v, str), "a string or null", allow_null=True)
    for name, choices in _CHOICES.items():
        wants = " or ".join("null" if c is None else c for c in choices)
        need(name, lambda v, c=choices: v in c and (v is not None or None in c), wants, allow_null=None in choices)
    for name in ("baseline", "period", "locality"):
        need(name, lambda v: isinstance(v, str), "a string or null", allow_null=True)
    need("year", _is_int, "an int year or null", allow_null=True)
    if "optional" in record and not isinstance(record["optional"], bool):
        out.append(f"optional: {record['optional']!r} is not true or false")
    return out


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_amount(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v >= 0
