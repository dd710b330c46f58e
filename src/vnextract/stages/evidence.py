"""Stage 6b: where each of a record's decisions came from (its `evidence`).

For every decided field — the indicator phrase, the status, kind and
comparator cues, the period and the locality — one entry
`{"start", "end", "text", "note"}`: the character span in the document that
decided it (`text[start:end] == text`), or null offsets and a note saying
why there is none (`inherited` from an earlier sentence, `metadata` from the
sheet, `default` when no word decided it …). A reviewer checks a record by
reading exactly those words; nothing here changes a record's other fields.

The cue spans are looked up among the words the deciding functions of
`cues.py` walk (the cue run left of the number, the bound words after it),
keeping the one whose label is the record's value.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left
from functools import lru_cache

from .cues import Cue, TokenView, cue_rules, left_cues

KEYS = ("indicator", "status", "kind", "comparator", "period", "locality")
ENTRY_KEYS = ("start", "end", "text", "note")
# The model's probability for each decision it made (`evidence["confidence"]`), null under the rules alone.
DECISION_KEYS = ("status", "indicator", "year")

_BOUNDS = frozenset(["=", ">", ">=", "<", "<=", "~"])  # the labels of bound words, not of "xuống còn"
# How far right of the number a bound word ("trở lên") is looked for, as in `cues.comparator_for`.
_AFTER_WITHIN = 6


def at(text: str, start: int, end: int, note: str | None = None) -> dict:
    """An entry for the characters [start, end) of the text."""
    return {"start": start, "end": end, "text": text[start:end], "note": note}


def absent(note: str) -> dict:
    """An entry for a decision that no words of the record's sentence made."""
    return {"start": None, "end": None, "text": None, "note": note}


def tokens_at(text: str, view: TokenView, first: int, last: int, note: str | None = None) -> dict:
    """An entry for tokens `first` … `last` (inclusive) of a sentence."""
    return at(text, view.tokens[first].start, view.tokens[last].end, note)


def cue_at(text: str, view: TokenView, cue: Cue | None, missing: str = "default") -> dict:
    return tokens_at(text, view, cue.first, cue.last) if cue is not None else absent(missing)


def aside_cue(text: str, view: TokenView, aside) -> dict:
    """The words that open a parenthesis ("(KH 10-11%)", "(cùng kỳ …)"), else the
    whole parenthesis: what made it a plan or a comparison."""
    rules = cue_rules()
    last = min(aside.close, len(view.tokens)) - 1
    if aside.kind and aside.open + 1 <= last:
        phrases = rules.aside_plan if aside.kind == "plan" else rules.aside_comparison
        hit = phrases.starting_at(view, aside.open + 1, last)
        if hit is not None:
            return cue_at(text, view, hit)
    return tokens_at(text, view, aside.open, min(aside.close, len(view.tokens) - 1), "aside")


def indicator(text: str, sentence, start: int, end: int, phrase: str, inherited: str, unit: str) -> dict:
    """The indicator phrase where it stands in the sentence. Its words as
    written (white space may differ), nearest the number; a phrase put
    together from words apart ("Cơ cấu kinh tế: … công nghiệp", a count's
    noun and the words after it) spans from its first word to its last, noted
    `composed`. One carried from the value before is `inherited`; one that is
    only the unit, `unit`."""
    whole = _nearest_as_written(text, sentence.start, sentence.end, phrase, start, end)
    if whole is not None:
        return at(text, *whole)
    words = phrase.split()
    best = None
    for parts in _readings(text, words, sentence.start, sentence.end, start - _WINDOW, end + _WINDOW):
        left, right = parts[0][0], parts[-1][1]
        distance = max(0, left - end, start - right)
        key = (len(parts), distance, right - left)
        if best is None or key < best[0]:
            best = (key, left, right)
    if best is not None:
        return at(text, best[1], best[2], "composed" if best[0][0] > 1 else None)
    if phrase and phrase == inherited:
        return absent("inherited")
    if phrase == unit:
        return absent("unit")
    return absent("composed")


def _nearest_as_written(text: str, lo: int, hi: int, phrase: str, start: int, end: int) -> tuple[int, int] | None:
    """The occurrence of the phrase, spaced as in the text, nearest the number
    (most phrases are; the squeezed search below is for the others): one
    overlapping the number, else the nearest on either side, the left one on
    a tie. Searched outward from the number, so a sentence of thousands of
    figures costs no more per record than a short one."""
    if not phrase:
        return None
    lowered, needle = _lowered(text, lo, hi), phrase.lower()
    if len(lowered) != hi - lo:  # a letter whose lower case is longer ("İ"): offsets would move
        return None
    size, a, b = len(needle), start - lo, end - lo

    def edged(k: int) -> bool:
        return not _is_word(text, lo + k - 1) and not _is_word(text, lo + k + size)

    k = lowered.find(needle, max(0, a - size + 1), b + size - 1)
    while 0 <= k < b:  # overlapping the number: starts before its end
        if edged(k):
            return lo + k, lo + k + size
        k = lowered.find(needle, k + 1, b + size - 1)
    left = lowered.rfind(needle, 0, a)
    while left >= 0 and not edged(left):
        left = lowered.rfind(needle, 0, left + size - 1)
    right = lowered.find(needle, b)
    while right >= 0 and not edged(right):
        right = lowered.find(needle, right + 1)
    if left < 0 and right < 0:
        return None
    if right < 0 or left >= 0 and a - (left + size) <= right - b:
        return lo + left, lo + left + size
    return lo + right, lo + right + size


@lru_cache(maxsize=4)
def _lowered(text: str, lo: int, hi: int) -> str:
    return text[lo:hi].lower()


class _Squeezed:
    """A sentence with its white space taken out, lower-cased, and where each
    of its characters stands in the text: the phrase's words are found in it
    with plain string search, as white space between them may differ."""

    __slots__ = ("text", "chars", "positions")

    def __init__(self, text: str, lo: int, hi: int):
        self.text = text
        self.positions = [i for i in range(lo, hi) if not text[i].isspace()]
        self.chars = "".join(text[i] for i in self.positions).lower()

    def find(self, words: list[str], frm: int = 0, stop: int | None = None) -> tuple[int, int, int] | None:
        """(start, end, next squeezed index) of the first run of `words` at or after
        squeezed index `frm` (and ending by `stop`) that starts and ends on a word edge."""
        needle = "".join(words).lower()
        stop = len(self.chars) if stop is None else stop
        k = self.chars.find(needle, frm, stop)
        while k >= 0:
            start, last = self.positions[k], self.positions[k + len(needle) - 1]
            if not _is_word(self.text, start - 1) and not _is_word(self.text, last + 1):
                return start, last + 1, k + len(needle)
            k = self.chars.find(needle, k + 1, stop)
        return None


# Beyond this many words an indicator is only looked for whole: finding one in
# pieces costs a search per piece length, and such phrases are runaway cuts.
_MOST_WORDS_IN_PIECES = 20


@lru_cache(maxsize=4)
def _squeezed(text: str, lo: int, hi: int) -> _Squeezed:
    """One per sentence: its records look their words up in the same one."""
    return _Squeezed(text, lo, hi)


def _is_word(text: str, i: int) -> bool:
    if not 0 <= i < len(text):
        return False
    c = text[i]
    return c.isalnum() or unicodedata.category(c).startswith("M")


# How far from its number an indicator's words are looked for: the phrase
# stages read at most a 1,000-character piece of a sentence.
_WINDOW = 1500


def _readings(text: str, words: list[str], lo: int, hi: int, near_lo: int, near_hi: int) -> list[list[tuple[int, int]]]:
    """Ways of finding `words` in text[lo:hi] (only between near_lo and near_hi)
    in order, as few runs as possible: from each place its longest first run
    stands, each next run the longest that follows."""
    if not words:
        return []
    squeezed = _squeezed(text, lo, hi)
    frm0, stop = bisect_left(squeezed.positions, near_lo), bisect_left(squeezed.positions, near_hi)
    readings = []
    smallest = 1 if len(words) <= _MOST_WORDS_IN_PIECES else len(words)
    for size in range(len(words), smallest - 1, -1):
        starts, frm = [], frm0
        while (hit := squeezed.find(words[:size], frm, stop)) is not None:
            starts.append(hit)
            frm = hit[2]
        for first in starts:
            parts, resume = [first[:2]], first[2]
            k = size
            while k < len(words) and parts is not None:
                for j in range(len(words), k, -1):
                    m = squeezed.find(words[k:j], resume, stop)
                    if m is not None:
                        parts.append(m[:2])
                        resume = m[2]
                        k = j
                        break
                else:
                    parts = None
            if parts is not None:
                readings.append(parts)
        if readings:
            return readings
    return readings


def kind(text: str, view: TokenView, first: int, after: int, kind_value: str) -> dict:
    """The change verb ("tăng", "giảm", "vượt … kế hoạch") or level word
    ("đạt", "xuống còn") nearest before the number; `default` for a level
    that no word says."""
    for cue_first, cue_last, cue_kind, _label in left_cues(view, first):
        if kind_value == "change" and (cue_kind == "change" or view.sylls[cue_first] == ("vượt",)):
            return tokens_at(text, view, cue_first, cue_last)
        if kind_value == "level" and cue_kind == "level":
            return tokens_at(text, view, cue_first, cue_last)
    if kind_value == "level":
        run = left_cues(view, first)
        near = [c for p in (cue_rules().from_to_level, *cue_rules().after) for c in p.find(view) if after <= c.first < after + 3]
        if run and view.sylls[run[0][0]] == ("từ",) and near and all(c.label not in _BOUNDS for c in near):
            return tokens_at(text, view, run[0][0], run[0][1])  # "giảm từ 29,56% xuống còn 25,3%"
    return absent("default")


def comparator(text: str, view: TokenView, first: int, after: int, symbol: str) -> dict:
    """The bound word that gave the comparator: before the number ("trên",
    "ước đạt"), inside a comparative change word ("thấp hơn"), after it
    ("trở lên"), or an estimate earlier in the clause ("ước tính … tăng");
    `default` for `=` said by no word."""
    rules = cue_rules()
    for cue_first, cue_last, cue_kind, label in left_cues(view, first):
        if cue_kind == "comparator" and label == symbol:
            return tokens_at(text, view, cue_first, cue_last)
        if cue_kind == "change":
            for bound in rules.comparators:
                hit = bound.starting_at(view, cue_first, cue_last)
                if bound.label == symbol and hit is not None and hit.last == cue_last:
                    return tokens_at(text, view, cue_first, cue_last)
    for bound in rules.after:
        if bound.label == symbol:
            hit = next((c for c in bound.find(view) if after <= c.first < after + _AFTER_WITHIN), None)
            if hit is not None:
                return cue_at(text, view, hit)
    if symbol == "~":
        earlier = [c for c in rules.clause_estimate.find(view) if c.first < first]
        if earlier:
            return cue_at(text, view, earlier[-1])
    return absent("default")


def period(text: str, own, carried) -> dict:
    """The record's own time phrase, else `inherited` (from an earlier
    sentence), else `none`."""
    if own is not None:
        return at(text, own.start, own.end)
    return absent("inherited" if carried is not None else "none")


def locality(text: str, place, section: str | None, main_note: str) -> dict:
    """The place named in the sentence, else the section heading's place,
    else the document's subject (`metadata` when the sheet gave it)."""
    if place is not None:
        return at(text, place.start, place.end)
    return absent("heading" if section else main_note)


def confidences(probabilities: dict | None) -> dict:
    """The evidence's `confidence` entry: each decision's probability, or nulls."""
    probabilities = probabilities or {}
    return {key: round(probabilities[key], 4) if key in probabilities else None for key in DECISION_KEYS}


def columns(evidence: dict | None) -> dict:
    """The evidence flattened into CSV/Parquet cells: `evidence_status_start` …,
    `evidence_confidence_status` …"""
    evidence = evidence or {}
    cells = {f"evidence_{key}_{part}": (evidence.get(key) or {}).get(part) for key in KEYS for part in ENTRY_KEYS}
    cells.update({f"evidence_confidence_{key}": (evidence.get("confidence") or {}).get(key) for key in DECISION_KEYS})
    return cells


def from_columns(cells: dict) -> dict:
    """`columns` undone: the evidence dict of a table row."""
    found = {key: {part: cells.get(f"evidence_{key}_{part}") for part in ENTRY_KEYS} for key in KEYS}
    found["confidence"] = {key: cells.get(f"evidence_confidence_{key}") for key in DECISION_KEYS}
    return found


COLUMNS = list(columns(None))
