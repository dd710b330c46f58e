"""The verdict of one target against one result: met, not met, on track or unknown.

Comparators decide: `>= 17,7` is met by 17,7 and 18,2, not by 17,5; a range
`8-8,5%` is met from 8 (from its upper end down, where less is better); `< 1%`
is met by 0,8; a plain `=` or `~` target is a floor (a ceiling where less is
better). A change target is judged in its own direction: "giảm 1,5%" is met by
a fall of 1,6, not by a rise. Figures are compared in `norm_value`, so 1.200 tỷ
đồng meets 1,2 nghìn tỷ đồng; units that do not compare, or a change against a
level, give `unknown`. A partial period ("6 tháng đầu năm", 0,5 of the year) is
`on track` when ahead of the pro-rata pace (rates such as % are compared as they
stand), and a stated "đạt 52,5% kế hoạch" is read against the same pace.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..folding import fold_text
from ..rules import load_rules

MET, NOT_MET, ON_TRACK, UNKNOWN = "met", "not met", "on track", "unknown"
VERDICTS = (MET, NOT_MET, ON_TRACK, UNKNOWN)


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str
    ratio: float | None  # actual / target, or the stated share of the plan
    ratio_source: str | None  # "computed", "stated" or None
    reason: str


@lru_cache(maxsize=1)
def _rules():
    rules = load_rules("tracking")
    lower = rules["lower_is_better"]
    return (
        float(rules["value_tolerance"]),
        frozenset(lower["ids"]),
        tuple(fold_text(w) for w in lower["words"]),
        frozenset(u.casefold() for u in rules["rate_units"]),
    )


def lower_is_better(indicator: str | None, indicator_id: str | None) -> bool:
    _, ids, words, _ = _rules()
    if indicator_id in ids:
        return True
    folded = f" {fold_text(indicator)} "
    return any(f" {w} " in folded for w in words)


def is_rate(norm_unit: str | None) -> bool:
    return (norm_unit or "").casefold() in _rules()[3]


def scaled_max(record: dict) -> float | None:
    """`value_max` in the record's base unit (the SPEC normalises `value` only)."""
    if record.get("value_max") is None:
        return None
    value = record.get("value") or 0.0
    factor = record["norm_value"] / value if value else 1.0
    return record["value_max"] * factor


def stated_ratio(record: dict) -> float:
    """The share of the plan a result states: "đạt 102% kế hoạch" → 1,02,
    "vượt 5,4% kế hoạch" → 1,054, "thấp hơn kế hoạch 3%" → 0,97."""
    share = record["value"] / 100
    if record.get("kind") == "change":
        share = 1 + share if record.get("direction") != "down" else 1 - share
    return _digits(share)


def _digits(ratio: float) -> float:
    """A ratio to twelve significant digits: the figures' own digits, without
    the float quotient's tail (1,2 / 1,5 is 0.8, not 0.7999999999999999)."""
    return float(f"{ratio:.12g}")


def judge(target: dict | None, actual: dict | None, stated: dict | None, lower: bool,
          share: float | None) -> Verdict:
    """The verdict of the chosen target, result and stated share of the plan.

    `share` is the part of the year the result covers (1.0 for the whole year)."""
    share = 1.0 if share is None else share
    if target is not None and actual is not None:
        problem = _incomparable(target, actual)
        if problem is None:
            return _by_values(target, actual, lower, share)
        if stated is None:
            return Verdict(UNKNOWN, None, None, problem)
        return _by_stated(stated, share, f"{problem}; judged by the stated share of the plan")
    if stated is not None:
        return _by_stated(stated, share, "judged by the stated share of the plan")
    if target is None:
        return Verdict(UNKNOWN, None, None, "no target")
    return Verdict(UNKNOWN, None, None, "no result for this year yet")


def _incomparable(target: dict, actual: dict) -> str | None:
    if target.get("kind") != actual.get("kind"):
        return f"a {actual.get('kind')} result against a {target.get('kind')} target"
    if (target.get("norm_unit") or "").casefold() != (actual.get("norm_unit") or "").casefold():
        return f"units do not compare: {actual.get('norm_unit')} against {target.get('norm_unit')}"
    return None


def _by_values(target: dict, actual: dict, lower: bool, share: float) -> Verdict:
    tolerance = _rules()[0]
    low = target["norm_value"]
    high = scaled_max(target)
    comparator = target.get("comparator") or "="
    if target.get("kind") == "change":
        # The movement in the target's own direction: a rise counts against a fall target.
        same_way = (actual.get("direction") or "up") == (target.get("direction") or "up")
        moved = actual["norm_value"] if same_way else -actual["norm_value"]
        got, got_high, less_better = moved, moved, False
    else:
        got, got_high, less_better = actual["norm_value"], scaled_max(actual) or actual["norm_value"], lower
    slack = tolerance * max(abs(low), abs(high or 0.0), 1e-12)
    if comparator == ">":
        ok = got > low + slack
    elif comparator == ">=":
        ok = got >= low - slack
    elif comparator == "<":
        ok = got_high < (high if high is not None else low) - slack
    elif comparator == "<=":
        ok = got_high <= (high if high is not None else low) + slack
    elif less_better:  # "=" or "~": a ceiling where less is better (a range: its upper end)
        ok = got_high <= (high if high is not None else low) + slack
    else:  # a floor (a range: met from its lower end)
        ok = got >= low - slack
    ratio = _digits(got / low) if low else None
    estimate = " (the result is an estimate)" if actual.get("comparator") == "~" else ""
    if share < 1.0:
        return _pace(ok, ratio, share, is_rate(target.get("norm_unit")) or less_better or comparator in ("<", "<="), estimate)
    verdict = MET if ok else NOT_MET
    return Verdict(verdict, ratio, "computed" if ratio is not None else None,
                   f"{_shown(actual)} {'meets' if ok else 'misses'} {_bound(target)}{estimate}")


def _pace(ok: bool, ratio: float | None, share: float, as_stands: bool, note: str) -> Verdict:
    source = "computed" if ratio is not None else None
    part = f"{share:.0%} of the year"
    if as_stands or ratio is None:
        if ok:
            return Verdict(ON_TRACK, ratio, source, f"{part}: the figure so far meets the target{note}")
        return Verdict(NOT_MET, ratio, source, f"{part}: the figure so far misses the target{note}")
    return _pace_by_ratio(ratio, share, source, note)


def _pace_by_ratio(ratio: float, share: float, source: str | None, note: str) -> Verdict:
    part = f"{share:.0%} of the year"
    if ratio >= 1.0:
        return Verdict(MET, ratio, source, f"{part}: already {ratio:.1%} of the target{note}")
    if ratio >= share:
        return Verdict(ON_TRACK, ratio, source, f"{part}: {ratio:.1%} of the target, ahead of the pace{note}")
    return Verdict(NOT_MET, ratio, source, f"{part}: {ratio:.1%} of the target, behind the pace{note}")


def _by_stated(stated: dict, share: float, why: str) -> Verdict:
    ratio = stated_ratio(stated)
    if share < 1.0:
        verdict = _pace_by_ratio(ratio, share, "stated", "")
        return Verdict(verdict.verdict, ratio, "stated", f"{verdict.reason} ({why})")
    ok = ratio >= 1.0 - _rules()[0]
    return Verdict(MET if ok else NOT_MET, ratio, "stated", f"{stated.get('span')} of the plan ({why})")


def _shown(record: dict) -> str:
    """How a figure is named in a reason: as written, or (a plan worked out from a
    stated share) by its value."""
    return str(record.get("shown") or record.get("span") or record.get("norm_value"))


def vietnamese_number(value: float) -> str:
    """6479.44 → "6.479,4": thousands dot, decimal comma, one decimal at most."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _bound(target: dict) -> str:
    words = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most", "~": "about", "=": ""}
    word = words.get(target.get("comparator") or "=", "")
    way = f"{target.get('direction')} " if target.get("kind") == "change" else ""
    return f"the target {way}{word} {_shown(target)}".replace("  ", " ")
