"""Periods as the tracking table reads them: the span of years a figure covers
and the share of the year a result reports (a 9-month report is 0,75 of the
year: on track when ahead of that pace). Words and patterns: rules/tracking.yaml."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..folding import fold_text
from ..rules import WORD_END, WORD_START, load_rules


@lru_cache(maxsize=1)
def _patterns():
    rules = load_rules("tracking")
    periods = rules["periods"]

    def any_of(words):
        return regex.compile(WORD_START + "(?:" + "|".join(words) + ")" + WORD_END)

    partial = [(any_of(entry["words"]), float(entry["fraction"])) for entry in periods["partial"]]
    return (
        any_of(periods["single"]),
        partial,
        regex.compile(WORD_START + periods["months"] + WORD_END),
        any_of(periods["whole_year"]),
        regex.compile(rules["span"]),
    )


def span_of(period: str | None) -> tuple[int, int] | None:
    """(first year, last year) of a period naming two years: "giai đoạn 2021-2025"."""
    if not period:
        return None
    match = _patterns()[4].search(period)
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    return (first, last) if first < last else None


@lru_cache(maxsize=4096)
def share_of_year(period: str | None) -> float | None:
    """1.0 for the whole year, the fraction for the year to date ("6 tháng đầu
    năm" → 0.5), None for a single quarter or month or a phrase that is not
    known to be the year ("quý II", "Nhiệm kỳ qua")."""
    if not period or span_of(period):
        return 1.0
    single, partial, months, whole, _ = _patterns()
    text = fold_text(period)
    if single.search(text):
        return None
    for pattern, fraction in partial:
        if pattern.search(text):
            return fraction
    match = months.search(text)
    if match and 0 < int(match.group(1)) <= 12:
        return int(match.group(1)) / 12
    return 1.0 if whole.search(text) else None


def horizon(period: str | None, year: int | None) -> tuple[int, int] | None:
    """What a target is set for: (year, year), or the span of a multi-year plan."""
    span = span_of(period)
    if span:
        return span
    return (year, year) if year is not None else None
