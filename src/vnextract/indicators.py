"""Stage 5b: the indicator phrase of a quantity, and its lexicon id.

The phrase is cut from the sentence's word tokens. Left of the number it is
the noun phrase before the cue words ("thu NSNN đạt trên [598 tỷ đồng]");
list commas inside it are kept ("ngành nông, lâm, thủy sản"). A count, or a
share with nothing before it, takes the words after its unit ("[8/8 xã] đạt
chuẩn nông thôn mới", "[97%] người dân tham gia BHYT"). A number with no
phrase of its own ("…, tăng [7,53%] so với cùng kỳ") inherits the indicator
of the value before it, as a reader does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .cues import TokenView, _cue_regex, cue_rules
from .folding import fold_text
from .rules import load_rules
from .segmentation import Token

_HARD_STOPS = frozenset(";.!?()[]…:")
_OPEN = frozenset("([“\"")


@dataclass(frozen=True)
class PhraseRules:
    breakers: regex.Pattern
    leading: regex.Pattern
    trailing: regex.Pattern
    cut_at: regex.Pattern
    right_stops: regex.Pattern
    cue_words: tuple[regex.Pattern, ...]


@lru_cache(maxsize=1)
def phrase_rules() -> PhraseRules:
    phrase = load_rules("indicators")["phrase"]
    cues = cue_rules()
    return PhraseRules(
        breakers=_cue_regex(phrase["breakers"]),
        leading=_cue_regex(phrase["leading"]),
        trailing=_cue_regex(phrase["trailing"]),
        cut_at=_cue_regex(phrase["cut_at"]),
        right_stops=_cue_regex(phrase["right_stops"]),
        cue_words=(cues.level, cues.change_up, cues.change_down, *cues.comparators.values(), cues.actual),
    )


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of tokens [first, stop) of a sentence, with spans to leave out."""

    first: int
    stop: int


def left_phrase(view: TokenView, first_token: int, floor: int, skip: list[tuple[int, int]]) -> str:
    """The noun phrase that ends before token `first_token`, not reaching left of
    `floor` (the previous quantity) — "" when only cue words are there."""
    tokens = view.tokens
    start = _segment_start(view, first_token, floor)
    idx = [i for i in range(start, first_token) if not _skipped(tokens[i], skip)]
    idx = _strip_trailing(view, idx)
    idx = _after_last_breaker(view, idx)
    idx = _cut_modifiers(view, idx)
    idx = _strip_trailing(view, _strip_leading(view, idx))
    return _text(tokens, idx)


def right_phrase(view: TokenView, after_token: int, skip: list[tuple[int, int]], ceiling: int) -> str:
    """The words after a unit up to a clause boundary or a stop word."""
    tokens = view.tokens
    rules = phrase_rules()
    stops = {c.first for c in view.find(rules.right_stops, "")}
    idx: list[int] = []
    for i in range(after_token, ceiling):
        text = tokens[i].text
        if text in _HARD_STOPS or text == "," or i in stops:
            break
        if not _skipped(tokens[i], skip):
            idx.append(i)
    return _text(tokens, _strip_trailing(view, idx))


def _segment_start(view: TokenView, first_token: int, floor: int) -> int:
    """Walk left to the clause start. A comma is crossed while what lies right
    of it is a short list fragment ("nông, lâm, thủy sản"); a colon is crossed
    when nothing but cue words follows it ("GRDP: Trên 10%")."""
    tokens = view.tokens
    i = first_token - 1
    piece = 0
    while i >= floor:
        text = tokens[i].text
        if text == ",":
            if 0 < piece <= 3 and not _has_cue(view, i + 1, i + 1 + piece):
                piece = 0
                i -= 1
                continue
            return i + 1
        if text == ":" and not _has_content(view, i + 1, first_token):
            piece = 0
            i -= 1
            continue
        if text in _HARD_STOPS:
            return i + 1
        piece += 1
        i -= 1
    return max(floor, 0)


def _has_cue(view: TokenView, first: int, stop: int) -> bool:
    sub = TokenView(view.tokens[first:stop])
    return any(sub.find(p, "") for p in phrase_rules().cue_words) or any(
        any(ch.isdigit() for ch in t.text) for t in view.tokens[first:stop]
    )


def _has_content(view: TokenView, first: int, stop: int) -> bool:
    idx = _strip_trailing(view, list(range(first, stop)))
    return bool(_strip_leading(view, idx))


def _skipped(token: Token, skip: list[tuple[int, int]]) -> bool:
    return any(token.start < end and start < token.end for start, end in skip)


def _ends(view: TokenView, pattern: regex.Pattern) -> dict[int, int]:
    """last token index → first token index of each match."""
    return {c.last: c.first for c in view.find(pattern, "")}


def _starts(view: TokenView, pattern: regex.Pattern) -> dict[int, int]:
    return {c.first: c.last for c in view.find(pattern, "")}


def _strip_trailing(view: TokenView, idx: list[int]) -> list[int]:
    rules = phrase_rules()
    enders: dict[int, int] = {}
    for pattern in (*rules.cue_words, rules.trailing):
        for last, first in _ends(view, pattern).items():
            enders[last] = min(first, enders.get(last, first))
    fillers = cue_rules().fillers
    while idx:
        last = idx[-1]
        text = view.tokens[last].text
        if last in enders and enders[last] >= idx[0]:
            first = enders[last]
            idx = [i for i in idx if i < first]
        elif view.tokens[last].lower in fillers or text in ",-–—:" or text in _OPEN:
            idx = idx[:-1]
        else:
            break
    return idx


def _strip_leading(view: TokenView, idx: list[int]) -> list[int]:
    rules = phrase_rules()
    starters = _starts(view, rules.leading)
    while idx:
        first = idx[0]
        text = view.tokens[first].text
        if first in starters and starters[first] <= idx[-1]:
            last = starters[first]
            idx = [i for i in idx if i > last]
        elif text in ",;:-–—)" or text in _OPEN and not any(view.tokens[i].text == ")" for i in idx):
            idx = idx[1:]
        else:
            break
    return idx


def _after_last_breaker(view: TokenView, idx: list[int]) -> list[int]:
    if not idx:
        return idx
    breakers = [c for c in view.find(phrase_rules().breakers, "") if idx[0] <= c.first and c.last <= idx[-1]]
    if not breakers:
        return idx
    last = breakers[-1].last
    rest = [i for i in idx if i > last]
    return rest or idx


def _cut_modifiers(view: TokenView, idx: list[int]) -> list[int]:
    if not idx:
        return idx
    cuts = [c.first for c in view.find(phrase_rules().cut_at, "") if idx[0] < c.first <= idx[-1]]
    return [i for i in idx if i < cuts[0]] if cuts else idx


def _text(tokens: list[Token], idx: list[int]) -> str:
    if not idx:
        return ""
    out = tokens[idx[0]].text
    for prev, cur in zip(idx, idx[1:]):
        joiner = "" if tokens[cur].start == tokens[prev].end else " "
        if cur != prev + 1:
            joiner = " "
        out += joiner + tokens[cur].text
    return out.strip()


@lru_cache(maxsize=1)
def _lexicon():
    entries = load_rules("indicators")["indicators"]
    synonyms: dict[str, str] = {}
    for entry in entries:
        for synonym in entry["synonyms"]:
            synonyms[fold_text(synonym)] = entry["id"]
    alternation = "|".join(regex.escape(s) for s in sorted(synonyms, key=len, reverse=True))
    return synonyms, regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternation})(?![\p{{L}}\p{{N}}])")


def indicator_id(phrase: str | None) -> str | None:
    """Lexicon id of the longest synonym the phrase contains (compared folded)."""
    if not phrase:
        return None
    synonyms, pattern = _lexicon()
    folded = fold_text(phrase)
    best = max(pattern.finditer(folded, overlapped=True), key=lambda m: len(m.group()), default=None)
    return synonyms[best.group()] if best else None
