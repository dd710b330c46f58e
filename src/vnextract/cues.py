"""Stage 5a: cue words around a quantity (rules/cues.yaml).

Cues are matched on underthesea word tokens, not on raw text: the verb
"tăng" (rise) must not fire inside the noun "tăng trưởng" (growth), nor "thu"
inside "thu nhập". A sentence's tokens are joined as `|tok|tok|…|`, and each
cue class is one regex that may only start and end at token boundaries
(a multi-syllable cue may span several tokens: "ước|đạt" or "ước đạt").
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from .rules import load_rules
from .segmentation import Token


@dataclass(frozen=True, slots=True)
class Cue:
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    label: str
    text: str


class TokenView:
    """A sentence's tokens, joined so that cue regexes see word boundaries."""

    __slots__ = ("tokens", "joined", "_starts")

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        starts = []
        parts = []
        pos = 1
        for token in tokens:
            starts.append(pos)
            word = " ".join(token.text.lower().split())
            parts.append(word)
            pos += len(word) + 1
        self._starts = starts
        self.joined = "|" + "|".join(parts) + "|"

    def token_at(self, joined_pos: int) -> int:
        return bisect_right(self._starts, joined_pos) - 1

    def find(self, pattern: regex.Pattern, label: str) -> list[Cue]:
        cues = []
        for m in pattern.finditer(self.joined):
            first, last = self.token_at(m.start()), self.token_at(m.end() - 1)
            cues.append(Cue(first, last, label, m.group()))
        return cues


def _phrases(phrases) -> str:
    ordered = sorted({" ".join(str(p).lower().split()) for p in phrases}, key=len, reverse=True)
    return "|".join(r"[ |]".join(regex.escape(w) for w in p.split(" ")) for p in ordered)


def _cue_regex(phrases, glued=()) -> regex.Pattern:
    """A cue starts at a token boundary and ends at one; a `glued` cue may
    also end inside a token at a syllable boundary, for words the tokeniser
    tends to join to the next one ("so ước" thực hiện)."""
    body = rf"(?:{_phrases(phrases)})(?=\|)"
    if glued:
        body += rf"|(?:{_phrases(glued)})(?=[| ])"
    return regex.compile(rf"(?<=\|)(?:{body})")


@lru_cache(maxsize=None)
def edge_regex(pattern: regex.Pattern, at_end: bool) -> regex.Pattern:
    """The same cues, anchored at the end (or start) of a joined token view:
    "ước" is found at the end of "…|ước|" even where "ước thực hiện" is a
    longer cue that does not fit."""
    body = pattern.pattern.split("(?:", 2)[2].split(")(?=", 1)[0]
    if at_end:
        return regex.compile(rf"(?<=\|)(?:{body})\|$")
    return regex.compile(rf"^\|(?:{body})(?=\|)")


@dataclass(frozen=True)
class CueRules:
    target: regex.Pattern
    actual: regex.Pattern
    neutral: regex.Pattern
    not_target_after: regex.Pattern
    change_up: regex.Pattern
    change_down: regex.Pattern
    level: regex.Pattern
    fillers: frozenset[str]
    plan_words: regex.Pattern
    comparators: dict[str, regex.Pattern]
    after: dict[str, regex.Pattern]
    baseline_introducers: regex.Pattern
    baseline_plan: regex.Pattern


@lru_cache(maxsize=1)
def cue_rules() -> CueRules:
    rules = load_rules("cues")
    status, change, comparator, baseline = rules["status"], rules["change"], rules["comparator"], rules["baseline"]
    return CueRules(
        target=_cue_regex(status["target"]["phrases"]),
        actual=_cue_regex(status["actual"]["phrases"] + status["past_periods"]),
        neutral=_cue_regex(status["neutral"]),
        not_target_after=_cue_regex(status["not_target_after"]),
        change_up=_cue_regex(change["up"]),
        change_down=_cue_regex(change["down"]),
        level=_cue_regex(change["level_after"]),
        fillers=frozenset(" ".join(f.lower().split()) for f in change["fillers"]),
        plan_words=_cue_regex(change["plan_words"]),
        comparators={sym: _cue_regex(words) for sym, words in comparator["before"].items()},
        after={sym: _cue_regex(words) for sym, words in comparator["after"].items()},
        baseline_introducers=_cue_regex(baseline["introducers"], glued=baseline["glued"]),
        baseline_plan=_cue_regex(baseline["plan_words"]),
    )


def _cue_ending_at(view: TokenView, pattern: regex.Pattern, last: int) -> Cue | None:
    """The longest cue of `pattern` whose last token is `last`."""
    best = None
    for cue in view.find(pattern, ""):
        if cue.last == last and (best is None or cue.first < best.first):
            best = cue
    return best


def left_cues(view: TokenView, before: int, limit: int = 6) -> list[tuple[int, int, str, str]]:
    """Cue words directly left of token `before`, nearest first.

    Walks left over tokens that are cues (comparators, change or level verbs)
    or fillers, stopping at the first other word: these are the words that
    qualify the number ("ước đạt trên", "tăng bình quân", "giảm xuống còn").
    Returns (first, last, kind, label) with kind in comparator/change/level/filler.
    """
    rules = cue_rules()
    classes: list[tuple[str, str, regex.Pattern]] = [("level", "level", rules.level)]
    classes += [("change", "up", rules.change_up), ("change", "down", rules.change_down)]
    classes += [("comparator", sym, pat) for sym, pat in rules.comparators.items()]
    found: list[tuple[int, int, str, str]] = []
    last = before - 1
    steps = 0
    while last >= 0 and steps < limit:
        best = None
        for kind, label, pattern in classes:
            cue = _cue_ending_at(view, pattern, last)
            if cue and (best is None or cue.first < best[0]):
                best = (cue.first, cue.last, kind, label)
        word = view.tokens[last].lower
        if best is None and word in rules.fillers:
            best = (last, last, "filler", word)
        if best is None:
            break
        found.append(best)
        last = best[0] - 1
        steps += 1
    return found


def comparator_for(view: TokenView, first_token: int, after_token: int) -> str:
    """SPEC comparator: the nearest bound word before the number wins;
    "trở lên"/"trở xuống" after it (within a few words) make it >= / <=."""
    for first, last, kind, label in left_cues(view, first_token):
        if kind == "comparator":
            if label == ">" and view.tokens[first].lower == "vượt" and _plan_follows(view, after_token):
                return "="
            return label
    rules = cue_rules()
    window = view.tokens[after_token : after_token + 6]
    if window:
        sub = TokenView(window)
        for sym, pattern in rules.after.items():
            if sub.find(pattern, sym):
                return sym
    return "="


def _plan_follows(view: TokenView, after_token: int) -> bool:
    window = view.tokens[after_token : after_token + 2]
    return bool(window) and bool(TokenView(window).find(cue_rules().plan_words, "")) and TokenView(window).find(
        cue_rules().plan_words, ""
    )[0].first == 0


def change_for(view: TokenView, first_token: int, after_token: int) -> tuple[str, str | None]:
    """(kind, direction): the nearest change or level verb before the number."""
    for first, last, kind, label in left_cues(view, first_token):
        if kind == "level":
            return "level", None
        if kind == "change":
            if view.tokens[first].lower == "vượt" and not _plan_follows(view, after_token):
                return "level", None
            return "change", label
        if kind == "comparator" and label == ">" and view.tokens[first].lower == "vượt" and _plan_follows(view, after_token):
            return "change", "up"
    return "level", None


def baseline_for(view: TokenView, first_token: int, after_token: int, stop: int) -> str | None:
    """What a change or share is measured against, as written.

    "so với X" after the number (X up to the clause end), a plan word right
    after it ("68% dự toán tỉnh giao"), or "so với X" just before the verb.
    """
    rules = cue_rules()
    tokens = view.tokens
    right = TokenView(tokens[after_token:stop])
    intro = right.find(rules.baseline_introducers, "")
    if intro and intro[0].first <= 1:
        start = intro[0].last + 1
        return _phrase_until_boundary(tokens[after_token + start : stop])
    plan = right.find(rules.baseline_plan, "")
    if plan and plan[0].first == 0:
        return _phrase_until_boundary(tokens[after_token:stop])
    left = TokenView(tokens[:first_token])
    intro = left.find(rules.baseline_introducers, "")
    if intro and first_token - intro[-1].last <= 6:
        segment = tokens[intro[-1].last + 1 : first_token]
        words = [t for t in segment if t.lower not in rules.fillers]
        change = [i for i, t in enumerate(segment) if TokenView([t]).find(rules.change_up, "") or TokenView([t]).find(rules.change_down, "")]
        if change:
            segment = segment[: change[0]]
        if words:
            return _phrase_until_boundary(segment)
    return None


_BOUNDARY_TOKENS = frozenset(",;.:()[]…\"“”")
_BASELINE_STOPS = frozenset(["và", "tương đương", "đạt", "tăng", "giảm", "về", "trong đó", "hay", "là", "để", "nhưng", "song"])


def _phrase_until_boundary(tokens: list[Token]) -> str | None:
    kept: list[Token] = []
    for token in tokens:
        if token.text in _BOUNDARY_TOKENS or token.lower in _BASELINE_STOPS or any(c.isdigit() for c in token.text) and kept and token.text[0].isdigit():
            break
        kept.append(token)
    if not kept:
        return None
    return _join(kept)


def _join(tokens: list[Token]) -> str:
    """Tokens as written, with the original spacing between them kept compact."""
    out = tokens[0].text
    for prev, token in zip(tokens, tokens[1:]):
        out += ("" if token.start == prev.end else " ") + token.text
    return out


def status_cues(view: TokenView, ignore: list[tuple[int, int]] = ()) -> list[Cue]:
    """Target and actual cues of a sentence, in order.

    Not cues: words inside `ignore` spans (quantities: "14/17 nhóm chỉ tiêu"),
    neutral phrases ("so với ước thực hiện"), and a target word measured
    against in its clause ("đạt 67% kế hoạch", "vượt chỉ tiêu … đề ra")."""
    rules = cue_rules()
    tokens = view.tokens
    blocked = {i for c in view.find(rules.neutral, "") for i in range(c.first, c.last + 1)}
    blocked |= {i for i, t in enumerate(tokens) if any(s <= t.start < e for s, e in ignore)}
    measured = view.find(rules.not_target_after, "")
    found: list[Cue] = []
    for cue in sorted(view.find(rules.actual, "actual") + view.find(rules.target, "target"), key=lambda c: (c.first, -c.last)):
        if any(i in blocked for i in range(cue.first, cue.last + 1)):
            continue
        if found and cue.first <= found[-1].last:
            continue
        if cue.label == "target" and _measured_in_clause(tokens, measured, cue.first):
            continue
        found.append(cue)
    return found


def _measured_in_clause(tokens: list[Token], measured: list[Cue], first: int) -> bool:
    """Right after a number ("67% kế hoạch"), or after "đạt/vượt/so với"
    earlier in the same clause, within a few words."""
    if first > 0 and (tokens[first - 1].text[-1:].isdigit() or tokens[first - 1].text == "%"):
        return True
    for cue in measured:
        if cue.last < first and first - cue.last <= 6:
            if not any(t.text in ",;:." for t in tokens[cue.last + 1 : first]):
                return True
    return False
