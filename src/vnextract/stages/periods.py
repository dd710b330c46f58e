"""Stage 4a: time phrases (rules/periods.yaml) and the year each one ends in.

Rules are regexes built from named sub-patterns. They are joined into one
pattern (a named group each, in file order: the more specific rules first)
and tried only where a time phrase can start — one cheap pass over the text
finds those places. Overlapping phrases resolve to the longest. A phrase
right after "so với" or "giá so sánh" is a baseline and is flagged, so it is
never taken as the period of a value.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

import regex

from ..rules import WORD_END as _RIGHT
from ..rules import WORD_START as _LEFT
from ..rules import BoundedPattern, expand_patterns, load_rules, phrase_alternation


class Period(NamedTuple):
    start: int
    end: int
    text: str
    year: int | None
    rule: str
    is_baseline: bool
    is_present: bool = False  # "đến nay": the year of publication
    is_checkpoint: bool = False  # "đến ngày 31/01/2026": a day a figure is counted to, no plan's horizon


@dataclass(frozen=True)
class _Rule:
    name: str
    year_group: str | None  # the group holding its end year
    present: bool  # the phrase means "up to now"
    compared: bool = False  # "cùng kỳ năm 2022": another time's, what a value is set against
    checkpoint: bool = False  # "đến ngày 31/01/2026": a day counted to


@lru_cache(maxsize=1)
def _compiled() -> tuple[BoundedPattern, dict[str, _Rule], BoundedPattern, regex.Pattern]:
    rules = load_rules("periods")
    parts: list[str] = []
    by_group: dict[str, _Rule] = {}
    for n, rule in enumerate(rules["rules"]):
        group = f"rule{n}"
        body = expand_patterns(rule["regex"], rules["patterns"])
        year = rule.get("year")
        year_group = None
        if year and year != "present":
            year_group = f"{group}_{year}"  # group names must differ between rules
            body = body.replace(f"(?P<{year}>", f"(?P<{year_group}>")
        parts.append(f"(?P<{group}>{body}){_RIGHT}")
        by_group[group] = _Rule(rule["name"], year_group, year == "present", bool(rule.get("compared")),
                                bool(rule.get("checkpoint")))
    combined = BoundedPattern(regex.compile("|".join(parts), regex.IGNORECASE), "periods.yaml: rules")
    starts = "|".join(expand_patterns(item, rules["patterns"]) for item in rules["anchor"])
    anchor = BoundedPattern(regex.compile(f"{_LEFT}(?:{starts})", regex.IGNORECASE), "periods.yaml: anchor")
    introducers = load_rules("cues")["baseline"]["introducers"]
    things = [*load_rules("tracking")["plan_baselines"], *rules["compared_counts"]]
    before = regex.compile(rf"{_LEFT}(?:{phrase_alternation(rules['not_period_after'])})\s*$"
                           rf"|{_LEFT}(?:{phrase_alternation(rules['compared_of'])})(?!\w)[^,;:.()]{{0,40}}?"
                           rf"{_LEFT}của\s*$"
                           rf"|{_LEFT}(?:{phrase_alternation(introducers)})\s+"
                           rf"(?:{phrase_alternation(things)})\s*$", regex.IGNORECASE)
    return combined, by_group, anchor, before


def find_periods(text: str) -> list[Period]:
    """Every time phrase in `text`, sorted, without overlaps (longest wins)."""
    return _find(text, (a.start() for a in _compiled()[2].finditer(text)))


def _find(text: str, starts: Iterable[int]) -> list[Period]:
    """The time phrases that start at one of `starts`, without overlaps."""
    combined, by_group, _, baseline_before = _compiled()
    match = combined.match
    hits = [(m.start() - m.end(), m.start(), m.end(), m) for start in starts if (m := match(text, start)) is not None]
    # Most hits are the tails of a longer phrase ("tháng đầu năm 2023" inside
    # "6 tháng đầu năm 2023"): resolve overlaps first (longest, then leftmost,
    # wins), and read only the survivors.
    hits.sort(key=lambda hit: hit[:2])
    kept: list[tuple[int, int, regex.Match]] = []  # disjoint, sorted by start
    starts_kept: list[int] = []
    for _, start, end, m in hits:
        # Only the neighbours on either side can overlap a new phrase.
        k = bisect_right(starts_kept, start)
        if (k and kept[k - 1][1] > start) or (k < len(kept) and kept[k][0] < end):
            continue
        kept.insert(k, (start, end, m))
        starts_kept.insert(k, start)
    periods: list[Period] = []
    for _, _, m in kept:
        rule = by_group[m.lastgroup]  # a rule's group closes after its year group
        year = int(m.group(rule.year_group)) if rule.year_group and m.group(rule.year_group) else None
        prefix = text[max(0, m.start() - 60) : m.start()]
        baseline = rule.compared or bool(baseline_before.search(prefix)) or (
            # "so với … của cùng kỳ năm 2015 và [năm 2016]": joined to a baseline, a baseline too
            bool(periods) and periods[-1].is_baseline and _JOINED.fullmatch(text, periods[-1].end, m.start()) is not None)
        periods.append(Period(m.start(), m.end(), m.group(), year, rule.name, baseline, rule.present, rule.checkpoint))
    return periods


_JOINED = regex.compile(r"\s+(?:và|hoặc)\s+", regex.IGNORECASE)  # a comma may end the baseline's clause


@lru_cache(maxsize=1)
def _year_kinds() -> tuple[frozenset[str], frozenset[str], regex.Pattern]:
    rules = load_rules("periods")
    horizon = regex.compile(rf"(?i)^(?:{phrase_alternation(rules['horizon_words'])})(?!\w)")
    return frozenset(rules["part_of_year"]), frozenset(rules["calendar_year"]), horizon


def first_year(text: str) -> int | None:
    """The first year a time phrase names ("giai đoạn 2016 - 2019" → 2016): where a range starts."""
    m = _year_pattern().search(text)
    return int(m.group()) if m else None


@lru_cache(maxsize=1)
def _year_pattern() -> regex.Pattern:
    """periods.yaml's `year`, on its own between non-digits."""
    return regex.compile(rf"(?<![0-9]){expand_patterns('{year}', load_rules('periods')['patterns'])}(?![0-9])")


def is_part_of_year(period: Period) -> bool:
    """"6 tháng đầu năm", "quý I": a part of a year, whose year is the calendar year in force."""
    return period.rule in _year_kinds()[0]


def names_calendar_year(period: Period) -> bool:
    """"năm 2023", "6 tháng đầu năm 2023", "quý I/2024": one calendar year, not a
    plan's horizon ("đến năm 2025") nor a span ("giai đoạn 2021-2025")."""
    _, calendar, horizon = _year_kinds()
    return period.year is not None and period.rule in calendar and not horizon.match(period.text)


_NAME_YEAR = regex.compile(r"(?<![0-9])(?:19[5-9][0-9]|20[0-9]{2})(?![0-9])")


def year_in_name(name: str) -> int | None:
    """The year a file name or URL slug is about, or None: "luc-nam-ket-qua-2024"
    → 2024; a range is its end year ("chi-tieu-2015-2020" → 2020, as for a
    period); a name with two years apart ("…-2020-nhiem-vu-2021") says none."""
    found = list(_NAME_YEAR.finditer(name))
    if len(found) == 1:
        return int(found[0].group())
    if len(found) == 2 and name[found[0].end() : found[1].start()] in ("-", "_", "–") \
            and int(found[0].group()) < int(found[1].group()):
        return int(found[1].group())
    return None


@lru_cache(maxsize=1)
def _name_heads() -> regex.Pattern:
    return regex.compile(rf"(?i)(?<!\w)(?:{phrase_alternation(load_rules('periods')['term_name_heads'])})(?!\w)")


@lru_cache(maxsize=1)
def _list_name_heads() -> regex.Pattern:
    words = phrase_alternation(load_rules("periods")["list_name_heads"])
    return regex.compile(rf"(?i){_LEFT}(?:{words}){_RIGHT}[^,;:.()\n\d]*$")


def names_a_list(text: str, sentence_start: int, period: Period) -> bool:
    """"đề xuất bổ sung danh mục dự án kêu gọi đầu tư giai đoạn 2023-2025 đối
    với 4 dự án": a period closing the name of a list or a scheme, in the
    same clause, is part of that name; it dates no figure."""
    return _list_name_heads().search(text, max(sentence_start, period.start - 120), period.start) is not None


def names_a_body(text: str, sentence_start: int, period: Period) -> bool:
    """"… dự Đại hội đại biểu Đảng bộ phường lần thứ I, nhiệm kỳ 2025-2030.": a
    period after a congress's or resolution's name in its sentence, part of
    that name."""
    return _name_heads().search(text, sentence_start, period.start) is not None

