"""Number reading: find every numeral of a text and read it the Vietnamese way.

All patterns, number words, multipliers and examples live in
rules/numbers.yaml. This module composes them into one regex, scans a text
with it once, and makes only the checks a regex cannot (a range must rise, a
ratio's numerator cannot exceed its denominator, a period's years must rise).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import regex
from babel import Locale
from babel.numbers import parse_decimal

from ..rules import BoundedPattern, RuleError, load_rules, rules_dir

__all__ = [
    "NonQuantity",
    "NumberMatch",
    "find_numbers",
    "parse_number",
    "parse_number_words",
    "pattern",
    "scale_factors",
]


class NumberMatch(NamedTuple):
    """A numeral that may be a quantity; `value` is never negative (see `negative`)."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    kind: str  # number | range | ratio | mixed | spoken | words | signed
    denominator: float | None = None  # ratio "8/8" -> 8
    negative: bool = False  # signed "-15,31", "âm 2"
    inner_unit: str | None = None  # range "7,5% đến 8" -> "%"


class NonQuantity(NamedTuple):
    """A numeric-looking span that is not a quantity (date, doc_number, …)."""

    start: int
    end: int
    text: str
    label: str


_FINDERS = ("signed", "range", "ratio", "mixed", "spoken", "number", "words")
_ROLES = {"digit", "ten", "hundred", "filler", "half", "fraction", "point"}  # what parse_number_words knows
_REF = regex.compile(r"\{([a-z_][a-z0-9_]*)\}")


UnitAt = Callable[[int], "str | None"]  # the norm_unit of a unit starting at this offset, if any


def _never(_pos: int) -> None:
    return None


def _rising_years(m: regex.Match, unit_at: UnitAt) -> bool:
    """Two rising years, with no unit after them ("1990-2000 đồng" is money)."""
    return int(m["y1"]) < int(m["y2"]) and not unit_at(m.end())


def _rising_range(m: regex.Match, unit_at: UnitAt) -> bool:
    """lo < hi; hi is not a bare year unless a unit follows ("tăng 5 đến 2025"
    is no range, "từ 1000 đến 2000 đồng" is); "và" joins a range only after "giữa"."""
    hi = m["hi"]
    if m["sep"].strip().casefold() == "và" and not _GIUA.search(m.string, max(0, m.start() - 12), m.start()):
        return False
    if len(hi) == 4 and hi.isdigit() and 1900 <= int(hi) <= 2100 and not (m["hi_prefix"] or unit_at(m.end())):
        return False
    lo, hi_value = _range_values(m)
    return lo < hi_value


_GIUA = regex.compile(r"(?<!\w)(?i:giữa)[^\S\n]+$")


def _proper_ratio(m: regex.Match, _unit_at: UnitAt) -> bool:
    """A part of a whole ("8/8 xã"), or a result against its plan written
    with thousands or decimals, which may exceed it ("11.284/10.870 tấn")."""
    num, den = _whole(m["num"]), _whole(m["den"])
    return 0 < den and (num <= den or all(_GROUPED.search(m[g]) for g in ("num", "den")))


_GROUPED = regex.compile(r"[.,][0-9]")  # thousands or decimals: no day or month


def _one_before_unit(m: regex.Match, unit_at: UnitAt) -> bool:
    """A lone "một" is a number only before a measure ("một đô la"); before a
    noun it is the article ("một số", "là một nhiệm vụ")."""
    return m["one"] is None or unit_at(m.end()) not in (None, "count")


_CHECKS = {"increasing": _rising_years, "range": _rising_range, "ratio": _proper_ratio, "one": _one_before_unit}


@dataclass(frozen=True, slots=True)
class _Rules:
    sources: dict[str, str]  # expanded regex source of every named pattern
    master: BoundedPattern  # not_quantities then finders, one named group each
    groups: tuple[tuple[str, str], ...]  # (group name, its source), in master's order
    anchors: tuple[BoundedPattern, ...]  # together: every position where master can match
    numeral: BoundedPattern
    checks: dict[str, Callable[[regex.Match], bool]]  # group name -> check
    forms: dict[str, BoundedPattern]  # numeral forms parse_number distinguishes
    words: dict[str, tuple[str, float]]  # casefolded word -> (role, value)
    scales: dict[tuple[str, ...], float]  # casefolded tokens -> factor

    def after(self, name: str) -> BoundedPattern | None:
        """The groups after `name`, tried where its check fails; compiled on first
        need, since most runs never need most of them and each costs as much as master."""
        return _groups_after(self.groups, name)


@functools.lru_cache(maxsize=None)
def _groups_after(groups: tuple[tuple[str, str], ...], name: str) -> BoundedPattern | None:
    names = [n for n, _ in groups]
    rest = groups[names.index(name) + 1 :]
    if not rest:
        return None
    return BoundedPattern(regex.compile("|".join(src for _, src in rest)), f"numbers.yaml: finders after {name}")


def _alternation(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "|".join(source)


def _expander(raw: dict[str, str], where: str):
    """(named, expand): the source of a named pattern / of any pattern, {name} references spliced in."""
    done: dict[str, str] = {}

    def named(name: str, stack: tuple[str, ...] = ()) -> str:
        if name in stack:
            raise RuleError(f"{where}: pattern cycle {' -> '.join(stack + (name,))}")
        if name not in raw:
            raise RuleError(f"{where}: unknown pattern {{{name}}}")
        if name not in done:
            done[name] = expand(raw[name], stack + (name,))
        return done[name]

    def expand(source: str, stack: tuple[str, ...] = ()) -> str:
        return _REF.sub(lambda m: f"(?:{named(m[1], stack)})", source)

    return named, expand


def _scale_source(scales: dict[str, dict]) -> str:
    keys = sorted(scales, key=len, reverse=True)
    alts = ("{sp}+".join(regex.escape(w) for w in k.split()) for k in keys)
    return f"(?i:{'|'.join(alts)})(?!\\w)"


def _word_table(words: dict[str, dict], where: str) -> dict[str, tuple[str, float]]:
    table: dict[str, tuple[str, float]] = {}
    for role, entries in words.items():
        if role not in _ROLES:
            raise RuleError(f"{where}: unknown number-word role {role!r}")
        for word, value in entries.items():
            key = word.casefold()
            if key in table:
                raise RuleError(f"{where}: number word {word!r} listed twice")
            table[key] = (role, float(value))
    return table


@functools.cache
def _rules() -> _Rules:
    """Compile rules/numbers.yaml once per process."""
    data = load_rules("numbers")
    where = str(rules_dir() / "numbers.yaml")
    try:
        raw = {k: _alternation(v["pattern"]) for k, v in data["patterns"].items()}
        raw["scale"] = _scale_source(data["scales"])
        raw["currency_prefix"] = _currency_prefix_source()
        named, expand = _expander(raw, where)
        groups, checks = [], {}
        for section in ("not_quantities", "finders"):
            for name, spec in data[section].items():
                groups.append((name, f"(?P<{name}>{expand(_alternation(spec['pattern']))})"))
                if "check" in spec:
                    checks[name] = _CHECKS[spec["check"]]  # KeyError: unknown check
        if tuple(data["finders"]) != _FINDERS:
            raise RuleError(f"{where}: finders must be {', '.join(_FINDERS)} in this order")
        forms = ("thousands_dot", "decimal_comma", "decimal_dot", "comma_groups", "comma_thousands_decimal",
                 "dot_thousands_decimal")
        return _Rules(
            sources={k: named(k) for k in raw},
            master=BoundedPattern(regex.compile("|".join(src for _, src in groups)), "numbers.yaml: not_quantities/finders"),
            groups=tuple(groups),
            anchors=tuple(BoundedPattern(regex.compile(expand(a)), f"numbers.yaml: anchor {a!r}") for a in data["anchor"]),
            numeral=BoundedPattern(regex.compile(named("numeral")), "numbers.yaml: numeral"),
            checks=checks,
            forms={k: BoundedPattern(regex.compile(named(k)), f"numbers.yaml: {k}") for k in forms},
            words=_word_table(data["words"], where),
            scales={tuple(k.casefold().split()): float(v["factor"]) for k, v in data["scales"].items()},
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleError(f"{where}: malformed rules ({exc!r})") from exc
    except regex.error as exc:
        raise RuleError(f"{where}: bad regex: {exc}") from exc


def _currency_prefix_source() -> str:
    """Currency signs and codes written before the digits, from the `prefix`
    forms of rules/units.yaml measures ("$10", "USD1,23"); none: never matches."""
    forms = [f for entry in load_rules("units")["measures"] for f in entry.get("prefix", ())]
    if not forms:
        return "(?!)"
    alts = sorted({str(f) for f in forms}, key=len, reverse=True)
    return f"(?<!\\p{{L}})(?i:{'|'.join(regex.escape(f) for f in alts)})"


def pattern(name: str) -> str:
    """Regex source of a named pattern with its references expanded (for reuse and tests)."""
    return _rules().sources[name]


def scale_factors() -> dict[str, float]:
    """The multiplier words (`scales` in rules/numbers.yaml) -> factor."""
    return {" ".join(k): v for k, v in _rules().scales.items()}


@functools.lru_cache(maxsize=1024)
def parse_number(s: str) -> float:
    """Read one digit numeral: comma is the decimal mark, dot groups thousands.

    A dot followed by 1-2 or 4+ digits cannot group thousands, so it is read
    as a decimal point (`7.5`); `1,234,567` (2+ comma groups) is English style;
    `7,710,3` (comma groups, then a 1-2 digit one) is 7710.3, and so is `7.710.3`.
    """
    s = s.strip()
    forms = _rules().forms
    if forms["thousands_dot"].fullmatch(s) or forms["decimal_comma"].fullmatch(s):
        return float(parse_decimal(s, locale=_vi()))
    if forms["decimal_dot"].fullmatch(s):
        return float(s)
    if forms["comma_groups"].fullmatch(s):
        return float(s.replace(",", ""))
    for form, mark in (("comma_thousands_decimal", ","), ("dot_thousands_decimal", ".")):
        if forms[form].fullmatch(s):
            whole, _, fraction = s.rpartition(mark)
            return float(f"{whole.replace(mark, '')}.{fraction}")
    raise ValueError(f"not a Vietnamese numeral: {s!r}")


@functools.cache
def _vi() -> Locale:
    """Vietnamese number symbols, resolved once (babel would parse the tag per call)."""
    return Locale.parse("vi")


def parse_number_words(s: str) -> float:
    """Read number words, digits among them: `hai mươi mốt` -> 21, `ba triệu
    rưỡi` -> 3.5e6, `nửa` -> 0.5, `12 ngàn 124 tỷ` -> 1.2124e13, `hai phẩy năm` -> 2.5."""
    r = _rules()
    tokens = s.casefold().split()
    if not tokens:
        raise ValueError("no number words")
    total = group = 0.0  # total: finished scale groups; group: hundreds of the current one
    small: float | None = None  # tens and units of the current hundred, None before any
    last_scale = 0.0
    prev, unit = "", 1.0  # previous token's role and multiplier (for mươi, rưỡi)
    i = 0
    while i < len(tokens):
        width, factor = _scale_at(tokens, i, r.scales)
        if width:
            chunk = group + (small or 0.0) if (group or small is not None) else 1.0
            # a bigger scale after a smaller one multiplies all before it: "một nghìn hai trăm tỷ"
            total = (total + chunk) * factor if total and factor > last_scale else total + chunk * factor
            group, small, last_scale = 0.0, None, factor
            prev, unit, i = "scale", factor, i + width
            continue
        if tokens[i][0].isdigit() and small is None:  # digits among words: "12 ngàn 124 tỷ"
            small = parse_number(tokens[i])
            prev, unit, i = "numeral", 1.0, i + 1
            continue
        if tokens[i] not in r.words:
            raise ValueError(f"not a number word: {tokens[i]!r} in {s!r}")
        role, value = r.words[tokens[i]]
        if role == "point":
            return total + group + (small or 0.0) + _decimals(tokens[i + 1 :], s)
        if role == "digit":
            small = (small or 0.0) + value
        elif role == "ten":  # after a digit it multiplies (hai mươi), else it adds (mười)
            small = small * value if prev == "digit" else (small or 0.0) + value
        elif role == "hundred":
            group += (1.0 if small is None else small) * value
            small = None
        elif role == "half":  # half of the scale or hundred just before, else 0.5
            if prev == "scale":
                total += unit * value
            elif prev == "hundred":
                group += unit * value
            else:
                small = (small or 0.0) + value
        elif role == "fraction":
            small = (1.0 if small is None else small) * value
        prev, unit, i = role, (value if role == "hundred" else 1.0), i + 1
    return total + group + (small or 0.0)


def _decimals(tokens: list[str], s: str) -> float:
    """The part after a spoken decimal mark: digits as written ("phẩy 23"), a
    number with tens ("phẩy hai mươi lăm" = ,25), else digit by digit ("chấm không năm" = ,05)."""
    words = _rules().words
    if len(tokens) == 1 and tokens[0].isdigit():
        digits = tokens[0]
    elif any(words.get(t, ("",))[0] == "ten" for t in tokens):
        digits = str(int(parse_number_words(" ".join(tokens))))
    elif tokens and all(words.get(t, ("",))[0] == "digit" for t in tokens):
        digits = "".join(str(int(words[t][1])) for t in tokens)
    else:
        raise ValueError(f"no digits after the decimal mark in {s!r}")
    return float(f"0.{digits}")


def _scale_at(tokens: list[str], i: int, scales: dict[tuple[str, ...], float]) -> tuple[int, float]:
    """Longest multiplier starting at tokens[i]: (width, factor), or (0, 0.0)."""
    for width in (2, 1):
        if i + width <= len(tokens) and (factor := scales.get(tuple(tokens[i : i + width]))):
            return width, factor
    return 0, 0.0


def find_numbers(text: str, unit_at: UnitAt | None = None, skip: list[tuple[int, int]] = ()
                 ) -> tuple[list[NumberMatch], list[NonQuantity]]:
    """The numerals of `text` that may be quantities, and the spans that are not.

    The rules are tried, left to right, only where an anchor says one can
    start; at each place the not-quantity rules come first, so a number never
    overlaps a not-quantity span. A match failing its check (a range that does
    not rise, …) gives way to the rules after it at the same place.
    `unit_at(offset)` gives the norm_unit of a unit that starts at an offset
    of `text`, or None: two years before a unit are a range of values, a lone
    "một" before a measure is 1. Without it no unit is assumed. No rule is
    tried inside the `skip` spans (sorted, disjoint: the time phrases, whose
    numbers are no quantities): a search resumes at a span's end.
    """
    starts = sorted({a.start() for p in _rules().anchors for a in p.finditer(text)})
    if skip:
        starts = _outside(starts, skip)
    return _scan(text, starts, unit_at or _never)


def _outside(starts: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """The positions (ascending) that lie in none of the spans (sorted, disjoint)."""
    kept, k = [], 0
    for start in starts:
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if k == len(spans) or start < spans[k][0]:
            kept.append(start)
    return kept


def _scan(text: str, starts, unit_at: UnitAt = _never) -> tuple[list[NumberMatch], list[NonQuantity]]:
    """Try the rules at each of `starts` (ascending) not inside an earlier match."""
    r = _rules()
    match, checks = r.master.match, r.checks
    numbers: list[NumberMatch] = []
    others: list[NonQuantity] = []
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = match(text, start)
        item = None
        while m is not None:
            name = m.lastgroup
            check = checks.get(name)
            if check is None or check(m, unit_at):
                item = _item(m, name)
                break
            if name == "ratio" and _day_month(m):
                item = NonQuantity(m.start(), m.end(), m.group(), "date")
                break
            rest = r.after(name)
            m = rest.match(text, start) if rest is not None else None
        if item is None:
            continue
        (numbers if isinstance(item, NumberMatch) else others).append(item)
        pos = item.end
    return numbers, others


def _read(s: str) -> float:
    """One number of a range: digits, or words (with digits among them)."""
    try:
        return parse_number(s)
    except ValueError:
        return parse_number_words(s)


def _range_values(m: regex.Match) -> tuple[float, float]:
    """(lo, hi) of a range, lo counted in the scale after hi ("120 triệu - 1,2 tỷ" -> 0.12, 1.2)."""
    lo, hi = _read(m["lo"]), _read(m["hi"])
    if m["lo_scale"]:
        factors = _rules().scales
        lo *= factors[tuple(m["lo_scale"].casefold().split())] / factors[tuple(m["hi_scale"].casefold().split())]
    return lo, hi


def _item(m: regex.Match, name: str) -> NumberMatch | NonQuantity:
    s, e, t = m.start(), m.end(), m.group()
    if name == "number":
        return NumberMatch(s, e, t, parse_number(t), None, "number")
    if name == "signed":
        return NumberMatch(s, e, t, parse_number(t[m.end("sign") - s :]), None, "signed", negative=True)
    if name == "range":
        lo, hi = _range_values(m)
        return NumberMatch(s, e, t, lo, hi, "range", inner_unit=m["inner"])
    if name == "ratio":
        return NumberMatch(s, e, t, float(_whole(m["num"])), None, "ratio", denominator=float(_whole(m["den"])))
    if name == "mixed":
        last = m["last_scale"]
        if last is None:  # "1 triệu rưỡi"
            return NumberMatch(s, e, t, parse_number_words(t), None, "mixed")
        factor = _rules().scales[tuple(last.casefold().split())]
        return NumberMatch(s, e, t, parse_number_words(f"{t} {last}") / factor, None, "mixed")
    if name in ("words", "spoken"):
        return NumberMatch(s, e, t, parse_number_words(t), None, name)
    return NonQuantity(s, e, t, name)


def _day_month(m: regex.Match) -> bool:
    """A numerator above its denominator reads as a date when it can be day/month."""
    return 1 <= _whole(m["num"]) <= 31 and 1 <= _whole(m["den"]) <= 12


def _whole(digits: str) -> float:
    """A number as a ratio writes it, thousands grouped by dots or not ("8.227"), a decimal comma ("1.060,58")."""
    whole, _, fraction = digits.replace(".", "").partition(",")
    return float(f"{whole}.{fraction}") if fraction else int(whole)
