"""Stage 4a: time phrases (rules/periods.yaml) and the year each one ends in.

Rules are regexes over the text built from named sub-patterns; all rules
run over the whole document once, and overlapping hits resolve to the
longest. A phrase right after "so với" or "giá so sánh" is a baseline and is
flagged, so it is never taken as the period of a value.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .rules import expand_patterns, load_rules, phrase_alternation

_LEFT = r"(?<![\p{L}\p{N}])"
_RIGHT = r"(?![\p{L}\p{N}])"


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int
    text: str
    year: int | None
    rule: str
    is_baseline: bool
    is_present: bool = False  # "đến nay": the year of publication


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[str, regex.Pattern, str | None]], regex.Pattern]:
    rules = load_rules("periods")
    compiled = []
    for rule in rules["rules"]:
        body = expand_patterns(rule["regex"], rules["patterns"])
        compiled.append((rule["name"], regex.compile(_LEFT + body + _RIGHT, regex.IGNORECASE), rule.get("year")))
    before = regex.compile(rf"{_LEFT}(?:{phrase_alternation(rules['not_period_after'])})\s*$", regex.IGNORECASE)
    return compiled, before


def find_periods(text: str) -> list[Period]:
    """Every time phrase in `text`, sorted, without overlaps (longest wins)."""
    compiled, baseline_before = _compiled()
    hits: list[Period] = []
    for name, pattern, year_group in compiled:
        for m in pattern.finditer(text):
            present = year_group == "present"
            year = int(m.group(year_group)) if year_group and not present and m.group(year_group) else None
            prefix = text[max(0, m.start() - 25) : m.start()]
            hits.append(Period(m.start(), m.end(), m.group(), year, name, bool(baseline_before.search(prefix)), present))
    hits.sort(key=lambda p: (-(p.end - p.start), p.start))
    kept: list[Period] = []
    for hit in hits:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda p: p.start)
