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

from .numbers import parse_number_words, scale_factors
from .numbers import pattern as numbers_pattern
from .segmentation import pos_tags, tokenize
from ..rules import WORD_END as _BOUNDARY
from ..rules import load_rules, phrase_alternation


class UnitMatch(NamedTuple):
    end: int
    unit: str
    scale: float  # norm_value per unit of the value: the scale word times the unit's factor
    norm_unit: str
    is_count: bool
    minor: float = 0.0  # cents read after the unit ("2 đô la và 23 xen" -> 0.23), in the unit


@lru_cache(maxsize=1)
def scales() -> dict[str, float]:
    """Scale word → factor: the one multiplier table, as numbers.py reads it.
    Cached here because every unit match looks a scale word up."""
    return scale_factors()


_SP = r"[ \t\u00a0]"


@lru_cache(maxsize=1)
def _compiled():
    rules = load_rules("units")
    measure_unit: dict[str, tuple[str, float]] = {}
    plain, contextual = [], []
    for entry in rules["measures"]:
        forms = [str(f).lower() for f in entry["forms"]]
        for form in forms:
            measure_unit[form] = (entry["norm_unit"], float(entry.get("factor", 1)))
        if "only_before" in entry:
            after = phrase_alternation(entry["only_before"])
            contextual.append(rf"(?:{phrase_alternation(forms)})(?={_SP}+(?:{after}){_BOUNDARY})")
        else:
            plain.extend(forms)
    measures = "|".join([phrase_alternation(plain), *contextual])
    count_forms = [f.lower() for f in rules["counts"]["forms"]]
    admin_like = phrase_alternation(count_forms)
    denominators = _denominators()
    not_compounds = phrase_alternation(rules["not_count_compounds"]["forms"])
    pattern = regex.compile(
        rf"""
        (?P<lead>{_SP}*)
        (?:(?P<scale>{phrase_alternation(scales())}){_BOUNDARY}{_SP}*)?
        (?:
            (?(scale)|(?!(?:{not_compounds}){_BOUNDARY}))
            (?P<measure>{measures})(?:{_BOUNDARY}|(?<=[^\p{{L}}\p{{N}}]))
          | (?P<count>{admin_like}){_BOUNDARY}(?:,[ \t]*(?P<count2>{admin_like}){_BOUNDARY})?
        )
        (?P<per>(?:[ \t]?/[ \t]?(?:{denominators}){_BOUNDARY}|[ \t](?=người/)(?:người){_BOUNDARY})*)
        """,
        regex.IGNORECASE | regex.VERBOSE,
    )
    compound = regex.compile(rf"(?:{not_compounds}){_BOUNDARY}", regex.IGNORECASE)
    time_units = regex.compile(rf"[ \t]*(?:{phrase_alternation(rules['time_units']['forms'])}){_BOUNDARY}", regex.IGNORECASE)
    return pattern, measure_unit, compound, time_units


@lru_cache(maxsize=1)
def _policy_items() -> tuple[frozenset[str], frozenset[str], regex.Pattern]:
    rule = load_rules("units")["policy_items"]
    items = frozenset(f.casefold() for f in rule["forms"])
    return items, frozenset(g.casefold() for g in rule["groups"]), regex.compile(
        rf"[ \t]+(?:{phrase_alternation(items)})(?!\w)", regex.IGNORECASE)


def is_policy_item(text: str, unit: UnitMatch) -> bool:
    """A count of parts of a plan ("3 đột phá", "7 nhiệm vụ", "3 nhóm nội
    dung"): no record (SPEC §2)."""
    items, groups, item_after = _policy_items()
    if not unit.is_count:
        return False
    if unit.unit.casefold() in groups:
        return item_after.match(text, unit.end) is not None
    return all(part.strip() in items for part in unit.unit.casefold().split(","))


@lru_cache(maxsize=1)
def _anaphoric_after() -> regex.Pattern:
    return regex.compile(rf"[ \t]+(?:{phrase_alternation(load_rules('units')['anaphoric_counts']['after'])})(?!\w)",
                         regex.IGNORECASE)


def is_anaphoric(text: str, unit: UnitMatch) -> bool:
    """"3 địa phương kể trên": a count of what the text just named."""
    return unit.is_count and _anaphoric_after().match(text, unit.end) is not None


@lru_cache(maxsize=1)
def _average_base() -> tuple[regex.Pattern, regex.Pattern]:
    rule = load_rules("units")["average_base"]
    return regex.compile(rule["before"], regex.IGNORECASE), regex.compile(rule["after"], regex.IGNORECASE)


# How far before a count the averaging word is looked for, in characters.
_AVERAGE_REACH = 20


def is_average_base(text: str, start: int, value: float, unit: UnitMatch) -> bool:
    """"trung bình [1 xã] đạt 15,31 tiêu chí": one unit, between an averaging
    word and the averaged figure, is the base the average is taken over."""
    if not unit.is_count or value != 1:
        return False
    before, after = _average_base()
    return (before.search(text, max(0, start - _AVERAGE_REACH), start) is not None
            and after.match(text[unit.end : unit.end + _AVERAGE_REACH]) is not None)


@lru_cache(maxsize=1)
def _one_of_before() -> regex.Pattern:
    return regex.compile(load_rules("units")["one_of"]["before"], regex.IGNORECASE)


def is_one_of(text: str, start: int, unit: UnitMatch) -> bool:
    """"là 1 trong [3 Đảng bộ] xã …": the set something belongs to."""
    return unit.is_count and _one_of_before().search(text, max(0, start - 20), start) is not None


_SLASH_BEFORE = regex.compile(r"[ \t]*/[ \t]*$")


def is_total_after_slash(text: str, start: int, unit: UnitMatch) -> bool:
    """"20 chỉ tiêu/[21 chỉ tiêu]": the total after a slash, in the counted noun
    right before the slash, is the denominator of the count before it."""
    slash = _SLASH_BEFORE.search(text, max(0, start - 4), start)
    if not unit.is_count or slash is None:
        return False
    noun = unit.unit.casefold()
    before = text[max(0, slash.start() - len(noun) - 1) : slash.start()].casefold()
    return before.endswith(noun) and (len(before) == len(noun) or not before[-len(noun) - 1].isalpha())


@lru_cache(maxsize=1)
def _merged_units() -> tuple[regex.Pattern, frozenset[str], regex.Pattern]:
    rule = load_rules("units")["merged_units"]
    verb = rf"(?<!\w)(?:{phrase_alternation(rule['verbs'])})(?:[ \t]+(?:{phrase_alternation(rule['links'])}))?[ \t]+$"
    return (regex.compile(verb, regex.IGNORECASE), frozenset(u.casefold() for u in rule["units"]),
            regex.compile(rule["names_after"]))


def is_merged_from(text: str, start: int, unit: UnitMatch) -> bool:
    """"sáp nhập từ [3 xã]: Phú Sơn, …": the named units a new one was made of, no figure of theirs."""
    verb, units, names_after = _merged_units()
    return (unit.is_count and unit.unit.casefold() in units and names_after.match(text, unit.end) is not None
            and verb.search(text[max(0, start - 30) : start]) is not None)


@lru_cache(maxsize=1)
def _region_groups() -> tuple[frozenset[str], regex.Pattern]:
    rule = load_rules("units")["region_groups"]
    regions = load_rules("localities")["regions"]
    after = rf"[ \t]+(?:(?:{phrase_alternation(rule['links'])})[ \t]+)?(?:{phrase_alternation(regions)})(?!\w)"
    return frozenset(u.casefold() for u in rule["units"]), regex.compile(after, regex.IGNORECASE)


def is_region_group(text: str, unit: UnitMatch) -> bool:
    """"[13 tỉnh] khu vực Đồng bằng sông Cửu Long đạt 8,4 tỷ USD": the provinces
    a region is made of own the figure after them; the count is no figure."""
    units, after = _region_groups()
    return unit.is_count and unit.unit.casefold() in units and after.match(text, unit.end) is not None


def match_unit(text: str, pos: int, sentence: tuple[int, int] | None = None) -> UnitMatch | None:
    """The unit that starts at `pos` (right after a number), or None.

    A bare scale word ("47 triệu") is money when `sentence` (by default the
    sentence around `pos`) speaks of money. A time unit ("2 năm") is none,
    unless a longer unit starts with it ("125 nghìn ngày khách")."""
    pattern, measure_unit, compound, time_units = _compiled()
    m = pattern.match(text, pos)
    time = time_units.match(text, pos)
    if time is not None and (m is None or m.end() <= time.end()):
        return None
    if m is None:
        return _bare_scale(text, pos, sentence)
    if m.group("count"):
        if _compound_over(compound, text, m, "count"):
            return None
        if m.group("count2") and (_compound_over(compound, text, m, "count2") or _repeats(m["count"], m["count2"])
                                  or _one_noun(m["count"], m["count2"])):
            # "8 xã, xã hội…", "5,6 triệu lượt khách, khách nội địa đạt …", "766.400 lượt, khách du lịch nội
            # địa ước đạt …": keep the first noun only (the second opens a clause of its own).
            return _build(text, pos, m.end("count"), m, "count", None)
        return _build(text, pos, m.end(), m, "count", None)
    norm, factor = measure_unit[_fold_spaces(m.group("measure").lower())]
    unit = _build(text, pos, m.end(), m, "measure", norm, factor)
    if not m.group("scale") and not m.group("per"):
        unit = _with_minor(text, unit, m.end("lead")) or unit
    return unit


@lru_cache(maxsize=1)
def _count_forms() -> tuple[frozenset[str], frozenset[str]]:
    places = frozenset(_fold_spaces(w.lower()) for w in load_rules("localities")["type_words"])
    return frozenset(_fold_spaces(f.lower()) for f in load_rules("units")["counts"]["forms"]), places


def _one_noun(first: str, second: str) -> bool:
    """Two counted nouns that make one noun together ("lượt" and "khách": "lượt
    khách") are no coordination: the comma ends the first one's clause. Place
    types coordinate all the same ("tỉnh, thành")."""
    forms, places = _count_forms()
    first = _fold_spaces(first.lower())
    return first not in places and f"{first} {_fold_spaces(second.lower())}" in forms


def _repeats(first: str, second: str) -> bool:
    """Two counted nouns are no coordination when the second is the first's
    head again ("lượt khách, khách …"): it opens the next clause."""
    a, b = _fold_spaces(first.lower()).split(), _fold_spaces(second.lower()).split()
    return a[-len(b):] == b


def _compound_over(compound: regex.Pattern, text: str, m: regex.Match, group: str) -> bool:
    """A compound that runs past the counted noun ("xã hội" after "xã"); one
    that is the noun itself ("đồng chí") is no obstacle."""
    c = compound.match(text, m.start(group))
    return c is not None and c.end() > m.end(group)


def _build(text: str, pos: int, end: int, m, kind: str, norm: str | None, factor: float = 1.0) -> UnitMatch:
    scale_word = m.group("scale")
    scale = scales()[_fold_spaces(scale_word.lower())] if scale_word else 1.0
    unit = text[pos:end].strip().lower()
    return UnitMatch(end=end, unit=unit, scale=scale * factor, norm_unit=norm or "count", is_count=kind == "count")


@lru_cache(maxsize=1)
def _minor_rules():
    rule = load_rules("units")["minor_amounts"]
    cents = phrase_alternation(rule["forms"])
    words = f"{numbers_pattern('w_tens')}|{numbers_pattern('w_lone')}|{numbers_pattern('w_lead')}"
    amount = rf"(?P<minor>[0-9]{{1,2}}(?![0-9]|[.,][0-9])|(?:{words})(?!\p{{L}}))"
    minor = regex.compile(
        rf"{_SP}+(?:(?i:và){_SP}+{amount}{_SP}+(?:{cents}){_BOUNDARY}"
        rf"|{amount}(?:{_SP}+(?:{cents}){_BOUNDARY}|(?={_SP}*(?:[.,;:)\n]|$))))",
        regex.IGNORECASE,
    )
    return minor, frozenset(rule["currencies"])


def _with_minor(text: str, unit: UnitMatch, unit_start: int) -> UnitMatch | None:
    """The unit extended over the cents after it ("2 đô la và 23 xen", "hai đô 23")."""
    minor, currencies = _minor_rules()
    if unit.norm_unit not in currencies or unit.scale != 1.0:
        return None
    m = minor.match(text, unit.end)
    if m is None:
        return None
    amount = m["minor"]
    cents = float(amount) if amount[0].isdigit() else parse_number_words(amount)
    return unit._replace(end=m.end(), unit=" ".join(text[unit_start : m.end()].lower().split()), minor=cents / 100)


@lru_cache(maxsize=1)
def _prefix_rules():
    rules = load_rules("units")
    norm: dict[str, str] = {}
    for entry in rules["measures"]:
        for form in entry.get("prefix", ()):
            norm[str(form).lower()] = entry["norm_unit"]
    before = regex.compile(rf"(?<!\p{{L}})(?P<prefix>{phrase_alternation(norm)})(?P<gap>\.?{_SP}?)$", regex.IGNORECASE)
    scale = regex.compile(rf"{_SP}*(?P<scale>{phrase_alternation(scales())}){_BOUNDARY}", regex.IGNORECASE)
    return before, scale, norm


@lru_cache(maxsize=1)
def _denominators() -> str:
    """units.yaml `per_suffixes` as one alternation: after a slash ("/người/năm"),
    as a rate's base ("trên 1 vạn dân") and after a counted noun."""
    return phrase_alternation(load_rules("units")["per_suffixes"]["denominators"])


@lru_cache(maxsize=1)
def _rate_bases() -> regex.Pattern:
    return regex.compile(rf"(?:{_denominators()}){_BOUNDARY}", regex.IGNORECASE)


def is_rate_base(text: str, pos: int) -> bool:
    """Whether a rate's base starts at `pos` ("1 vạn dân" of "trên 1 vạn dân")."""
    return _rate_bases().match(text, pos) is not None


def match_prefix(text: str, start: int, end: int, floor: int = 0) -> tuple[int, UnitMatch] | None:
    """A currency written before the number ("$10", "USD1,23", "EUR 20", "$10k"),
    not before `floor` (the end of the previous quantity: in "5 tỷ USD 3 tháng"
    USD belongs to 5) and not before a time unit: (where the mention starts, its unit), or None."""
    before, scale, norm = _prefix_rules()
    if not norm or _compiled()[3].match(text, end):
        return None
    m = before.search(text, max(0, floor, start - 8), start)
    if m is None:
        return None
    prefix = m["prefix"].lower()
    after = scale.match(text, end)
    unit, factor, unit_end = prefix, 1.0, end
    if after is not None:
        word = _fold_spaces(after["scale"].lower())
        unit, factor, unit_end = f"{prefix} {word}", scales()[word], after.end()
    return m.start(), UnitMatch(end=unit_end, unit=unit, scale=factor, norm_unit=norm[prefix], is_count=False)


@lru_cache(maxsize=1)
def _implied_rules():
    rule = load_rules("units")["implied_units"]
    before = regex.compile(rf"(?<!\p{{L}})(?:{phrase_alternation(rule['after'])}){_SP}+$", regex.IGNORECASE)
    return before, rule["unit"], rule["norm_unit"]


def match_implied(text: str, start: int, end: int) -> UnitMatch | None:
    """The unit a word before the number implies ("gấp 7,2" counts times), unless
    a time unit follows ("gấp 2 năm")."""
    before, unit, norm_unit = _implied_rules()
    if not before.search(text, max(0, start - 12), start) or _compiled()[3].match(text, end):
        return None
    return UnitMatch(end=end, unit=unit, scale=1.0, norm_unit=norm_unit, is_count=False)


@lru_cache(maxsize=1)
def _bare_scale_rules():
    rule = load_rules("units")["bare_scales"]
    scale = regex.compile(
        rf"[ \t\u00a0]*(?P<scale>{phrase_alternation(rule['scales'])}){_BOUNDARY}(?![ \t]+\p{{L}}+/)",
        regex.IGNORECASE,
    )
    money = regex.compile(rf"(?<![\p{{L}}])(?:{phrase_alternation(rule['money_words'])}){_BOUNDARY}", regex.IGNORECASE)
    always = frozenset(_fold_spaces(w.lower()) for w in rule["always_money"])
    return scale, money, rule["norm_unit"], always


def _bare_scale(text: str, pos: int, sentence: tuple[int, int] | None) -> UnitMatch | None:
    scale, money, norm_unit, always = _bare_scale_rules()
    m = scale.match(text, pos)
    if m is None:
        return None
    if _fold_spaces(m.group("scale").lower()) not in always:
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


class _HeadNounRules(NamedTuple):
    """units.yaml `head_nouns`, compiled."""

    reach: int  # characters the tagger reads each way
    naming: frozenset[str]  # tags of a word that names the number after it
    amount: frozenset[str]  # words of amount between a number and what names it
    nouns: frozenset[str]  # tags of a counted noun
    measured: frozenset[str]  # tags of a unit noun, counted where its clause measures it
    never: frozenset[str]  # nouns that name a category, not a count
    scale: regex.Pattern  # a scale word after the number
    per: regex.Pattern  # per-denominators after the noun
    money: frozenset[str]  # scale words that are money whatever follows


@lru_cache(maxsize=1)
def _head_noun_rules() -> _HeadNounRules:
    rule = load_rules("units")["head_nouns"]
    # Words between a number and what names it that say how much instead:
    # the fillers a change verb may stand apart by, and the rule's own.
    amount = {w.casefold() for w in load_rules("cues")["change"]["fillers"]}
    amount |= {w.casefold() for w in rule["amount_words"]}
    never = frozenset(str(w).casefold() for w in rule["never"])
    money = {_fold_spaces(w.lower()) for w in load_rules("units")["bare_scales"]["always_money"]}
    scale = regex.compile(rf"(?P<scale>{phrase_alternation(scales())}){_BOUNDARY}", regex.IGNORECASE)
    per = regex.compile(rf"(?:[ \t]?/[ \t]?(?:{_denominators()}|\p{{L}}+){_BOUNDARY})+", regex.IGNORECASE)
    return _HeadNounRules(int(rule["window_chars"]), frozenset(rule["naming_tags"]), frozenset(amount),
                          frozenset(rule["noun_tags"]), frozenset(rule["measured_tags"]), never, scale, per,
                          frozenset(money))


def _measures(text: str, start: int, noun) -> bool:
    """Whether a category or unit noun (`never`, `measured_tags`) is the measure
    of its clause: the clause names that noun before the number and the count
    ends it ("tuổi thọ trung bình đạt 74,5 tuổi;"), unlike a bracket ("trẻ em
    dưới 5 tuổi suy …")."""
    if _CLAUSE_END.match(text, noun.end) is None:
        return False
    clause = max(text.rfind(edge, 0, start) for edge in ".;:\n") + 1
    return regex.search(rf"(?<!\w){regex.escape(noun.text)}(?!\w)", text[clause:start], regex.IGNORECASE) is not None


_CLAUSE_END = regex.compile(r"[ \t]*(?:[,;.)\n]|$)")

# Where the tagger's window stops: a clause or line edge on either side.
_WINDOW_EDGE = regex.compile(r"[.;:!?()\n]")
_PLAIN_NAME = regex.compile(r"[0-9]{1,4}")
# A plain number right after a counted noun: the noun is a place's type word in an address.
_ADDRESS_AFTER = regex.compile(r"[ \t]+[0-9]{1,3}(?![0-9]|[.,/][0-9])")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M} ]*")
# What must follow the number for a noun to: white space, then a letter.
_LETTER_AFTER = regex.compile(r"\s+\p{L}")


class _Window(NamedTuple):
    """The words around a number, their tags, and where the number stands among them."""

    tokens: list
    tags: tuple[str, ...]
    first: int  # the number's first token
    last: int  # its last token


def _tagged_window(text: str, start: int, end: int) -> _Window | None:
    """underthesea's words and POS tags of the clause around the number
    `text[start:end]`, at most `window_chars` each way; None without a tagger."""
    reach = _head_noun_rules().reach
    left, right = max(0, start - reach), min(len(text), end + reach)
    while 0 < left and text[left - 1].isalnum():  # a whole word, not its tail
        left -= 1
    left = max((m.end() for m in _WINDOW_EDGE.finditer(text, left, start)), default=left)
    edge = _WINDOW_EDGE.search(text, end, right)
    right = edge.start() if edge else right
    tokens = tokenize(text, left, right, boundaries=(start, end))
    first = next((i for i, t in enumerate(tokens) if t.start == start), None)
    last = next((i for i, t in enumerate(tokens) if t.end == end), None)
    if first is None or last is None:
        return None
    tags = pos_tags(tuple(t.text for t in tokens))
    return None if tags is None else _Window(tokens, tags, first, last)


def _named(text: str, start: int, end: int, window: _Window) -> bool:
    """Whether a noun or a name right before a plain whole number names it
    ("Khu 3", "Quốc lộ 18"), past words of amount ("khoảng", "tổng số");
    "1.190" or "9.500" is an amount whatever stands before it."""
    if _PLAIN_NAME.fullmatch(text, start, end) is None:
        return False
    rules = _head_noun_rules()
    before = window.first - 1
    while before >= 0 and window.tags[before] in rules.naming and window.tokens[before].text.casefold() in rules.amount:
        before -= 1
    return before >= 0 and window.tags[before] in rules.naming


def is_address(text: str, start: int, end: int, unit_end: int) -> bool:
    """A count that is part of an address: "Khu phố 3 phường 2", "Tổ 7 thôn
    2" (a named number, then a unit with its own number) counts nothing."""
    if _ADDRESS_AFTER.match(text, unit_end) is None:
        return False
    window = _tagged_window(text, start, end)
    return window is not None and _named(text, start, end, window)


def match_head_noun(text: str, start: int, end: int) -> UnitMatch | None:
    """A count of the noun right after a number that no listed unit follows
    ("12 tuyến xe buýt", "270 nghìn lượt khách"): the word as underthesea
    segments it, when its part-of-speech tagger reads it as a noun and, for a
    plain whole number, the word before it (past words of amount: "khoảng",
    "tổng số") is no noun or name the number names ("Quốc lộ 18 đoạn …").
    None without a tagger. The caller leaves years out ("trong 2020 kinh tế")."""
    if _compiled()[3].match(text, end) or _LETTER_AFTER.match(text, end) is None:
        return None
    window = _tagged_window(text, start, end)
    if window is None:
        return None
    rules = _head_noun_rules()
    tokens, tags, last = window.tokens, window.tags, window.last
    k = last + 1
    scale = rules.scale.match(text, tokens[k].start) if k < len(tokens) else None
    if scale is not None and scale.end() == tokens[k].end:
        if _fold_spaces(scale["scale"].lower()) in rules.money:
            return None  # "1.350 tỷ" is money, whatever follows
        k += 1
    else:
        scale = None
    if k == len(tokens) or not _WORD.fullmatch(tokens[k].text) or not text[tokens[k - 1].end : tokens[k].start].isspace():
        return None
    noun = tokens[k]
    plain = tags[k] in rules.nouns and noun.text.casefold() not in rules.never
    if not (plain or ((tags[k] in rules.nouns or tags[k] in rules.measured) and _measures(text, start, noun))) or (
            scale is None and _named(text, start, end, window)):
        return None
    unit_end = noun.end
    if (after := rules.per.match(text, unit_end)) is not None:
        unit_end = after.end()
    factor = scales()[_fold_spaces(scale["scale"].lower())] if scale else 1.0
    return UnitMatch(end=unit_end, unit=" ".join(text[end:unit_end].lower().split()), scale=factor,
                     norm_unit="count", is_count=True)
