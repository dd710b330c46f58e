"""Stage 3b: the unit after a number (rules/units.yaml + scales of numbers.yaml).

One regex, compiled once, reads what follows a number: an optional scale
word ("triệu", "nghìn tỷ"), a unit or a counted noun, and optional per-
denominators ("/người/năm"). The unit is kept as written (lower-cased), the
value is scaled to the base unit, so "1,2 nghìn tỷ đồng" → 1.2e12 VND.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import regex

from .numbers import scale_factors
from ..rules import WORD_END as _BOUNDARY
from ..rules import load_rules, phrase_alternation


class UnitMatch(NamedTuple):
    end: int
    unit: str
    scale: float
    norm_unit: str
    is_count: bool


@lru_cache(maxsize=1)
def scales() -> dict[str, float]:
    """Scale word → factor: the one multiplier table, as numbers.py reads it.
    Cached here because every unit match looks a scale word up."""
    return scale_factors()


@lru_cache(maxsize=1)
def _compiled():
    rules = load_rules("units")
    measure_unit: dict[str, str] = {}
    for entry in rules["measures"]:
        for form in entry["forms"]:
            measure_unit[form.lower()] = entry["norm_unit"]
    count_forms = [f.lower() for f in rules["counts"]["forms"]]
    admin_like = phrase_alternation(count_forms)
    denominators = phrase_alternation(rules["per_suffixes"]["denominators"])
    not_compounds = phrase_alternation(rules["not_count_compounds"]["forms"])
    pattern = regex.compile(
        rf"""
        (?P<lead>[ \t\u00a0]*)
        (?:(?P<scale>{phrase_alternation(scales())}){_BOUNDARY}[ \t\u00a0]*)?
        (?:
            (?P<measure>{phrase_alternation(measure_unit)})(?:{_BOUNDARY}|(?<=%|\$))
          | (?P<count>{admin_like}){_BOUNDARY}(?:,[ \t]*(?P<count2>{admin_like}){_BOUNDARY})?
        )
        (?P<per>(?:[ \t]?/[ \t]?(?:{denominators}){_BOUNDARY}|[ \t](?=người/)(?:người){_BOUNDARY})*)
        """,
        regex.IGNORECASE | regex.VERBOSE,
    )
    compound = regex.compile(rf"(?:{not_compounds}){_BOUNDARY}", regex.IGNORECASE)
    time_units = regex.compile(rf"[ \t]*(?:{phrase_alternation(rules['time_units']['forms'])}){_BOUNDARY}", regex.IGNORECASE)
    return pattern, measure_unit, compound, time_units


def match_unit(text: str, pos: int, sentence: tuple[int, int] | None = None) -> UnitMatch | None:
    """The unit that starts at `pos` (right after a number), or None.

    A bare scale word ("47 triệu") is money when `sentence` (by default the
    sentence around `pos`) speaks of money."""
    pattern, measure_unit, compound, time_units = _compiled()
    if time_units.match(text, pos):
        return None
    m = pattern.match(text, pos)
    if m is None:
        return _bare_scale(text, pos, sentence)
    if m.group("count"):
        head_start = m.start("count")
        if compound.match(text, head_start):
            return None
        if m.group("count2") and compound.match(text, m.start("count2")):
            # "8 xã, xã hội…": keep the first noun only.
            return _build(text, pos, m.end("count"), m, "count", None)
        return _build(text, pos, m.end(), m, "count", None)
    norm = measure_unit[_fold_spaces(m.group("measure").lower())]
    return _build(text, pos, m.end(), m, "measure", norm)


def _build(text: str, pos: int, end: int, m, kind: str, norm: str | None) -> UnitMatch:
    scale_word = m.group("scale")
    factor = scales()[_fold_spaces(scale_word.lower())] if scale_word else 1.0
    unit = text[pos:end].strip().lower()
    return UnitMatch(end=end, unit=unit, scale=factor, norm_unit=norm or "count", is_count=kind == "count")


@lru_cache(maxsize=1)
def _bare_scale_rules():
    rule = load_rules("units")["bare_scales"]
    scale = regex.compile(
        rf"[ \t\u00a0]*(?P<scale>{phrase_alternation(rule['scales'])}){_BOUNDARY}(?![ \t]+\p{{L}}+/)",
        regex.IGNORECASE,
    )
    money = regex.compile(rf"(?<![\p{{L}}])(?:{phrase_alternation(rule['money_words'])}){_BOUNDARY}", regex.IGNORECASE)
    return scale, money, rule["norm_unit"]


def _bare_scale(text: str, pos: int, sentence: tuple[int, int] | None) -> UnitMatch | None:
    scale, money, norm_unit = _bare_scale_rules()
    m = scale.match(text, pos)
    if m is None:
        return None
    start, end = sentence if sentence is not None else _sentence_around(text, pos)
    if not money.search(text, start, end):
        return None
    return UnitMatch(end=m.end(), unit=m.group("scale").lower(), scale=scales()[_fold_spaces(m.group("scale").lower())],
                     norm_unit=norm_unit, is_count=False)


_SENTENCE_END = regex.compile(r"[.!?](?=\s)|\n")


_AROUND = (400, 1_000)  # how far the sentence is looked for, back and ahead


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    """The sentence holding `pos`, by its punctuation (decimal dots stay
    inside), looked for within a bounded window: a text without sentence
    marks must not be scanned to its end for every scale word in it."""
    back, ahead = _AROUND
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - back), pos)), default=max(0, pos - back))
    limit = min(len(text), pos + ahead)
    after = _SENTENCE_END.search(text, pos, limit)
    return start, after.start() if after else limit


def _fold_spaces(s: str) -> str:
    return " ".join(s.split())
