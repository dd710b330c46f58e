"""Stage 3: numbers + units → quantity mentions.

A number is a quantity only with a unit after it (a currency, %, a measure,
"lần", or a counted noun), a currency before it ("$10", "USD1,23") or a word
that implies one ("gấp 7,2"): a bare number is a rank, a code or a year. Years
used as time ("năm 2024 huyện…"), numbers inside time phrases and per-capita
denominators ("trên 1 vạn dân") are left out here, before any field is read.
"""
from __future__ import annotations

import functools
import math
from bisect import bisect_right
from decimal import Decimal
from typing import NamedTuple

import regex

from ..rules import load_rules, phrase_alternation
from .numbers import NumberMatch, find_numbers, parse_number
from .units import UnitMatch, is_address, is_anaphoric, is_average_base, is_one_of, is_total_after_slash, is_merged_from, is_policy_item, is_region_group, is_rate_base, match_head_noun, match_implied, match_prefix, match_unit, scales

_YEAR = regex.compile(r"(?:19|20)[0-9]{2}")
_TIME_BEFORE = regex.compile(
    r"(?:năm|nam|giai đoạn|nhiệm kỳ|thời kỳ|khóa|khoá|quý|tháng|ngày|đến|từ|sau|trước|cuối|đầu|[/\-–])[ \t]*$",
    regex.IGNORECASE,
)
_DENOMINATOR_BEFORE = regex.compile(r"(?:trên|/)[ \t]*$", regex.IGNORECASE)
# Numbers that may count a noun no rule lists: digits (with a scale word or
# not), not words ("một" is also the article "a") nor a spoken or signed
# figure, and no year ("trong 2020 kinh tế").
_COUNTABLE = frozenset({"number", "range", "ratio", "mixed"})
_RANK_BEFORE = regex.compile(r"(?<![\p{L}])(?:thứ|hạng|mã|top)[ \t]*$", regex.IGNORECASE)


class Quantity(NamedTuple):
    start: int
    end: int
    span: str
    value: float
    value_max: float | None
    unit: str
    norm_value: float
    norm_unit: str
    is_count: bool
    number: NumberMatch
    # "3 đột phá" (SPEC §2), "sáp nhập từ 3 xã: …": a figure of the sentence, but no record
    no_record: bool = False
    # "được 60,46/[60 triệu] đạt 100,8%": the plan a result is written over (units.yaml `plan_pairs`) …
    plan_pair: bool = False
    # … and "được [60,46]/60 triệu": the result, whose unit is written after its plan
    over_plan: bool = False


def find_quantities(text: str, excluded: list[tuple[int, int]] = ()) -> list[Quantity]:
    """Quantity mentions of `text`, in order; numbers inside `excluded` spans
    (time phrases found by the period stage) are not quantities."""
    spans = _union(excluded)
    numbers, _ = find_numbers(text, unit_at=lambda pos: getattr(match_unit(text, pos), "norm_unit", None), skip=spans)
    quantities: list[Quantity] = []
    ends = [end for _, end in spans]
    for number in numbers:
        if quantities and number.start < quantities[-1].end:
            continue  # the cents of "hai đô 23"
        k = bisect_right(ends, number.start)  # the first span ending after the number starts
        if k < len(spans) and spans[k][0] < number.end:
            continue
        if _is_time_or_code(text, number):
            continue
        start, unit = number.start, match_unit(text, number.end)
        countable = number.kind in _COUNTABLE and not _YEAR.fullmatch(number.text)
        if unit is not None and not unit.is_count and unit.unit in scales() and countable:
            # A bare scale word is money by its sentence, unless a noun follows it: "1,5 triệu liều vắc xin".
            unit = match_head_noun(text, number.start, number.end) or unit
        floor = quantities[-1].end if quantities else 0
        if unit is None and (prefixed := match_prefix(text, number.start, number.end, floor)):
            start, unit = prefixed
        if unit is None and number.kind != "words":  # "gấp 7,2"; "nỗ lực gấp đôi" is no figure
            unit = match_implied(text, number.start, number.end)
        if unit is None and countable:
            unit = match_head_noun(text, number.start, number.end)  # "12 tuyến xe buýt"
        if unit is None:
            continue
        if _is_denominator(text, number, unit) or (unit.is_count and is_address(text, number.start, number.end, unit.end)):
            continue
        quantity = _quantity(text, number, unit, start)
        if not (math.isfinite(quantity.norm_value) and math.isfinite(quantity.value_max or 0.0)):
            continue  # "1" and 400 zeros: past what a float holds, and what JSON can write
        quantities.append(quantity)
    return _with_plan_pairs(text, quantities)


_NUMERATOR_BEFORE = regex.compile(r"(?<![0-9.,/])([0-9][0-9.,]*[0-9]|[0-9])/[ \t]?$")
_PERCENT_AFTER_REACH = 40  # characters between a pair and the percentage that relates its two figures


def _with_plan_pairs(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Each "A/B unit" that is a result over its plan (units.yaml `plan_pairs`)
    as two quantities: A, in B's unit, and B, marked as the plan."""
    out: list[Quantity] = []
    for quantity in quantities:
        pair = _plan_pair(text, quantity)
        out.extend(pair if pair else [quantity])
    return out


def _plan_pair(text: str, quantity: Quantity) -> tuple[Quantity, Quantity] | None:
    number = quantity.number
    if number.kind == "ratio" and number.denominator:
        slash = number.start + number.text.index("/")
        result_start, result, plan = quantity.start, number.value, number.denominator  # from a currency sign, if any
        plan_start = slash + 1
        while plan_start < number.end and text[plan_start] in " \t":
            plan_start += 1
    elif number.kind == "number" and (m := _NUMERATOR_BEFORE.search(text, max(0, quantity.start - 24), quantity.start)):
        try:
            result = parse_number(m.group(1))
        except ValueError:
            return None
        slash, result_start, plan, plan_start = m.end(1), m.start(1), quantity.value, quantity.start
    else:
        return None
    if not plan or not result or result < plan or quantity.is_count and result == plan \
            or not _says_result_over_plan(text, quantity, result, plan, result_start):
        # a part of a whole ("11.854/12.412 ha, đạt 95,5%") is one figure, no part exceeds its whole; nor does a
        # count of all of them ("43/43 nhà, đạt 100%")
        return None
    scale = float(_decimal(quantity.norm_value) / _decimal(quantity.value)) if quantity.value else 1.0
    result_text, plan_text = text[result_start:slash], text[plan_start : number.end]
    result_number = NumberMatch(result_start, slash, result_text, result, None, "number")
    plan_number = NumberMatch(plan_start, number.end, plan_text, plan, None, "number")
    return (
        quantity._replace(start=result_start, end=slash, span=result_text, value=result, value_max=None,
                          norm_value=scaled(result, scale), number=result_number, over_plan=True),
        quantity._replace(start=plan_start, span=text[plan_start : quantity.end], value=plan, value_max=None,
                          norm_value=scaled(plan, scale), number=plan_number, plan_pair=True),
    )


def _says_result_over_plan(text: str, quantity: Quantity, result: float, plan: float, result_start: int) -> bool:
    """A percentage right after the pair is the one over the other; or the two
    are rates; or, for amounts, the first exceeds the second (no part exceeds
    its whole), unless the clause before pairs names with a slash or says
    "respectively" ("giá xăng RON95/E5 lần lượt là 21.500/20.800 đồng/lít":
    two values side by side). A count needs the percentage."""
    if quantity.norm_unit == "%":
        return result <= 100 and plan <= 100
    pattern, more, tolerance, side_by_side = _plan_pair_rules()
    m = pattern.match(text, quantity.end, min(len(text), quantity.end + _PERCENT_AFTER_REACH))
    if m is not None:
        try:
            stated = parse_number(m["z"])
        except ValueError:
            return False
        expected = 100 * result / plan - (100 if m["word"].casefold() in more else 0)
        return abs(stated - expected) <= tolerance
    if quantity.is_count or result <= plan:
        return False
    clause = text.rfind("\n", 0, result_start) + 1
    for mark in ".;:":
        clause = max(clause, text.rfind(mark, clause, result_start) + 1)
    return side_by_side.search(text, clause, result_start) is None


@functools.lru_cache(maxsize=1)
def _plan_pair_rules() -> tuple[regex.Pattern, frozenset[str], float, regex.Pattern]:
    rule = load_rules("units")["plan_pairs"]
    words = [*rule["ratio_words"], *rule["more_words"]]
    pattern = regex.compile(rf"[ \t]*,?[ \t]*\(?(?P<word>{phrase_alternation(words)})[ \t]*(?P<z>[0-9][0-9.,]*)[ \t]*%",
                            regex.IGNORECASE)
    respectively = phrase_alternation(load_rules("indicators")["phrase"]["respectively"])
    side_by_side = regex.compile(rf"\p{{L}}/\p{{L}}|(?<!\p{{L}})(?:{respectively})(?!\p{{L}})", regex.IGNORECASE)
    return pattern, frozenset(w.casefold() for w in rule["more_words"]), float(rule["tolerance"]), side_by_side


def _union(spans) -> list[tuple[int, int]]:
    """Overlapping spans merged: sorted, disjoint, so their ends are sorted too."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _quantity(text: str, number: NumberMatch, unit: UnitMatch, start: int) -> Quantity:
    value = float(_decimal(abs(number.value)) + _decimal(unit.minor))
    value_max = abs(number.value_max) if number.value_max is not None else None
    return Quantity(
        start=start,
        end=unit.end,
        span=text[start : unit.end],
        value=value,
        value_max=value_max,
        unit=unit.unit,
        norm_value=scaled(value, unit.scale),
        norm_unit=unit.norm_unit,
        is_count=unit.is_count,
        number=number,
        no_record=(is_policy_item(text, unit) or is_merged_from(text, start, unit) or is_region_group(text, unit)
                   or is_anaphoric(text, unit) or is_total_after_slash(text, start, unit) or is_one_of(text, start, unit)
                   or is_average_base(text, start, value, unit)),
    )


def scaled(value: float, scale: float) -> float:
    """`value` × `scale` computed on the decimals they stand for, so that
    8,2 triệu is 8200000, not the float product 8199999.999999999."""
    return float(_decimal(value) * _decimal(scale))


def _decimal(x: float) -> Decimal:
    """The shortest decimal that reads back as `x`: the digits as written."""
    return Decimal(repr(float(x)))


def _is_time_or_code(text: str, number: NumberMatch) -> bool:
    before = text[max(0, number.start - 15) : number.start]
    if _RANK_BEFORE.search(before):
        return True
    return bool(_YEAR.fullmatch(number.text) and _TIME_BEFORE.search(before))


def _is_denominator(text: str, number: NumberMatch, unit: UnitMatch) -> bool:
    """"trên 1 ha", "/1 ha", "trên 1 vạn dân": the base of a rate, not a value
    ("trên 1 triệu lượt khách" has a scale, so it is a value, unless the rate
    bases of units.yaml `per_suffixes` name it)."""
    before = text[max(0, number.start - 6) : number.start]
    if number.value != 1 or unit.minor or not _DENOMINATOR_BEFORE.search(before):
        return False
    return unit.scale == 1 or is_rate_base(text, number.start)
