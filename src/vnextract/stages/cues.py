"""Stage 5a: cue words around a quantity (rules/cues.yaml).

Cues are matched on underthesea word tokens, not on raw text: the verb
"tăng" (rise) must not fire inside the noun "tăng trưởng" (growth), nor "thu"
inside "thu nhập". A cue is a literal phrase of syllables that must start
and end on token boundaries; it may span several tokens ("ước|đạt" or "ước
đạt"). Phrases are looked up in sets, so finding the cue that ends at a
given word — the question most rules ask — costs a few dictionary lookups.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import regex

from ..rules import load_rules
from .segmentation import Token, join_tokens, pos_tags, syllable_tokens


class Cue(NamedTuple):
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    label: str


class TokenView:
    """A sentence's tokens with their lower-cased syllables, and what has been
    derived from them so far, in one memo (each phrase set is searched once
    per view; a cue run is walked once for all the fields that ask for it)."""

    __slots__ = ("tokens", "sylls", "starts_with", "memo", "_starts", "_ends")

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        spelled = _spellings()
        self.sylls = sylls = [tuple(t.text.lower().split()) for t in tokens]
        for i, words in enumerate(sylls):
            if not spelled.keys().isdisjoint(words):  # rare: respell only these
                sylls[i] = tuple(spelled.get(w, w) for w in words)
        self.starts_with: dict[str, list[int]] = {}  # first syllable → token indices
        starts_with = self.starts_with
        for i, words in enumerate(sylls):
            if words:
                at = starts_with.get(words[0])
                if at is None:
                    starts_with[words[0]] = [i]
                else:
                    at.append(i)
        self.memo: dict = {}  # what the stages derive from the sentence: phrase matches, cue runs, …
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens [first, after) that overlap the characters [start, end)."""
        if self._starts is None:
            self._starts = [t.start for t in self.tokens]
            self._ends = [t.end for t in self.tokens]
        first = bisect_right(self._ends, start)
        after = bisect_left(self._starts, end, lo=first)
        return first, after


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    """Syllable → the spelling cue phrases are written in ("kì" → "kỳ")."""
    return dict(load_rules("cues").get("spellings") or {})


class PhraseSet:
    """Literal phrases matched on token boundaries, longest first.

    A `glued` phrase may also end inside a token, at a syllable boundary, for
    words the tokeniser tends to join to the next one ("so ước" thực hiện)."""

    __slots__ = ("label", "_phrases", "_glued", "_max", "_firsts", "_lasts", "_by_phrase", "_prefixes")

    def __init__(self, phrases, label: str = "", glued=()):
        self.label = label
        self._phrases = frozenset(tuple(str(p).lower().split()) for p in phrases)
        self._by_phrase = dict.fromkeys(self._phrases, label)  # for `_longest_ending`
        self._glued = frozenset(tuple(str(p).lower().split()) for p in glued)
        every = self._phrases | self._glued
        self._max = max((len(p) for p in every), default=0)
        # Most tokens start or end no phrase: one set lookup rejects them.
        self._firsts = frozenset(p[0] for p in every if p)
        self._lasts = frozenset(p[-1] for p in self._phrases if p)
        # Every start of a phrase: a walk right stops as soon as it leaves them.
        self._prefixes = frozenset(p[:k] for p in every for k in range(1, len(p) + 1))

    def __bool__(self) -> bool:
        return self._max > 0

    def starting_at(self, view: TokenView, first: int, last_allowed: int | None = None) -> Cue | None:
        """The longest phrase that starts at token `first` (and ends by `last_allowed`)."""
        if not view.sylls[first] or view.sylls[first][0] not in self._firsts:
            return None
        stop = len(view.tokens) - 1 if last_allowed is None else min(last_allowed, len(view.tokens) - 1)
        sylls: tuple[str, ...] = ()
        best = None
        for j in range(first, stop + 1):
            before = len(sylls)
            sylls += view.sylls[j]
            if self._glued and any(sylls[:k] in self._glued for k in range(before + 1, len(sylls))):
                best = j
            if len(sylls) > self._max:
                break
            if sylls in self._phrases or sylls in self._glued:
                best = j
            if sylls not in self._prefixes:
                break  # no longer phrase starts with these syllables
        return Cue(first, best, self.label) if best is not None else None

    def ending_at(self, view: TokenView, last: int, first_allowed: int = 0) -> Cue | None:
        """The longest phrase that ends at token `last` (and starts at or after `first_allowed`)."""
        hit = _longest_ending(view, last, first_allowed, self._by_phrase, self._max, self._lasts)
        return Cue(hit[0], last, self.label) if hit is not None else None

    def find(self, view: TokenView) -> list[Cue]:
        """All matches, left to right, not overlapping; cached per view."""
        found = view.memo.get(self)
        if found is None:
            found = []
            free_from = 0
            firsts, index = self._firsts, view.starts_with
            if len(firsts) < len(index):  # walk the smaller of the two
                starts = [i for syll in firsts if syll in index for i in index[syll]]
            else:
                starts = [i for syll, at in index.items() if syll in firsts for i in at]
            starts.sort()
            for i in starts:
                if i < free_from:
                    continue
                cue = self.starting_at(view, i)
                if cue is not None:
                    found.append(cue)
                    free_from = cue.last + 1
            view.memo[self] = found
        return found

    def inside(self, view: TokenView, idx: list[int]) -> bool:
        """Whether a match lies wholly among the token indices `idx`."""
        members = set(idx)
        return any(c.first in members and c.last in members for c in self.find(view))


@dataclass(frozen=True)
class CueRules:
    target: PhraseSet
    actual: PhraseSet
    neutral: PhraseSet
    not_target_after: PhraseSet
    not_target_before: PhraseSet
    not_target_before_far: PhraseSet
    change_up: PhraseSet
    change_opens_after: PhraseSet
    change_opens_not: PhraseSet
    change_opens_rates: PhraseSet
    change_down: PhraseSet
    level: PhraseSet
    fillers: PhraseSet
    plan_words: PhraseSet
    comparators: tuple[PhraseSet, ...]  # label = the comparator symbol
    after: tuple[PhraseSet, ...]
    clause_estimate: PhraseSet
    from_to_level: PhraseSet
    plan_value: PhraseSet
    plan_after_value: PhraseSet
    baseline_introducers: PhraseSet
    baseline_plan: PhraseSet
    aside_plan: PhraseSet
    aside_comparison: PhraseSet
    aside_plan_value_openers: PhraseSet
    ratio_words: PhraseSet
    change_in_nouns: PhraseSet
    change_baseline_between: PhraseSet
    present_openers: PhraseSet
    present_verbs: PhraseSet
    target_list_nouns: PhraseSet
    target_list_counted_by: PhraseSet
    target_list_words: PhraseSet
    target_list_item_words: PhraseSet
    restating: PhraseSet
    restated_in_brackets: PhraseSet
    result_value: PhraseSet
    estimate_words: frozenset[str]  # cue texts (lower case) that say an estimate or forecast
    future_words: frozenset[str]  # a future auxiliary: after an estimate word, no cue of its own
    past_words: frozenset[str]  # a past auxiliary: before a verb that adopts a plan, no cue of its own
    passive_words: PhraseSet
    adoption_verbs: PhraseSet
    event_openers: PhraseSet
    topic_words: PhraseSet
    topic_plan_words: frozenset[str]
    event_topic_ends: PhraseSet
    target_list_words_after_comma: PhraseSet
    target_list_set_by: PhraseSet
    horizon_words: frozenset[str]  # cue texts (lower case) that name a plan's horizon

    @property
    def qualifiers(self) -> tuple[PhraseSet, ...]:
        """Every cue that may stand between a phrase and its number."""
        return (self.level, self.change_up, self.change_down, *self.comparators, self.actual)


@lru_cache(maxsize=1)
def cue_rules() -> CueRules:
    rules = load_rules("cues")
    status, change, comparator, baseline = rules["status"], rules["change"], rules["comparator"], rules["baseline"]
    return CueRules(
        target=PhraseSet(status["target"]["phrases"], "target"),
        actual=PhraseSet(status["actual"]["phrases"] + status["past_periods"], "actual"),
        neutral=PhraseSet(status["neutral"]),
        not_target_after=PhraseSet(status["not_target_after"]),
        not_target_before=PhraseSet(status["not_target_before"]),
        not_target_before_far=PhraseSet(status["not_target_before_far"]),
        change_up=PhraseSet(change["up"], "up"),
        change_opens_after=PhraseSet(change["opens_clause_after"]),
        change_opens_not=PhraseSet(change["opens_clause_not"]),
        change_opens_rates=PhraseSet(change["opens_clause_rates"]),
        change_down=PhraseSet(change["down"], "down"),
        level=PhraseSet(change["level_after"], "level"),
        fillers=PhraseSet(change["fillers"], "filler"),
        plan_words=PhraseSet(change["plan_words"]),
        comparators=tuple(PhraseSet(words, sym) for sym, words in comparator["before"].items()),
        after=tuple(PhraseSet(words, sym) for sym, words in comparator["after"].items()),
        clause_estimate=PhraseSet(comparator["clause_estimate"], "~", glued=comparator["clause_estimate"]),
        from_to_level=PhraseSet(change["from_to_level"]),
        plan_value=PhraseSet(status["plan_value_words"]),
        plan_after_value=PhraseSet(status["plan_after_value"], "target"),
        baseline_introducers=PhraseSet(baseline["introducers"], glued=baseline["glued"]),
        baseline_plan=PhraseSet(baseline["plan_words"]),
        aside_plan=PhraseSet(rules["aside"]["plan"], "plan"),
        aside_comparison=PhraseSet(rules["aside"]["comparison"], "comparison"),
        aside_plan_value_openers=PhraseSet(rules["aside"]["plan_value_openers"]),
        ratio_words=PhraseSet(rules["aside"]["ratio_words"]),
        change_in_nouns=PhraseSet(change["in_nouns"]),
        change_baseline_between=PhraseSet(change["baseline_between"]),
        present_openers=PhraseSet(status["present_openers"], "actual"),
        present_verbs=PhraseSet(status["present_verbs"], "actual"),
        target_list_nouns=PhraseSet(status["target_list_nouns"], "target"),
        target_list_counted_by=PhraseSet(status["target_list_counted_by"]),
        target_list_words=PhraseSet(status["target_list_words"]),
        target_list_item_words=PhraseSet(status["target_list_item_words"]),
        restating=PhraseSet(comparator["restating"]),
        restated_in_brackets=PhraseSet(change["restated_in_brackets"] + comparator["restating"]),
        result_value=PhraseSet(status["result_value_words"], "actual"),
        estimate_words=frozenset(w.lower() for w in status["estimate_words"]),
        future_words=frozenset(w.lower() for w in status["future_words"]),
        past_words=frozenset(w.lower() for w in status["past_words"]),
        passive_words=PhraseSet(status["passive_words"]),
        event_openers=PhraseSet(status["event_openers"]),
        topic_words=PhraseSet(status["topic_words"]),
        topic_plan_words=frozenset(w.lower() for w in status["topic_plan_words"]),
        event_topic_ends=PhraseSet(status["event_topic_ends"]),
        target_list_words_after_comma=PhraseSet(status["target_list_words_after_comma"]),
        target_list_set_by=PhraseSet(status["target_list_set_by"]),
        adoption_verbs=PhraseSet(status["adoption_verbs"]),
        horizon_words=frozenset(w.lower() for w in status["horizon_words"]),
    )


class LabelledPhrases:
    """Several phrase classes looked up at once: phrase → (kind, label)."""

    __slots__ = ("_labels", "_max", "_lasts")

    def __init__(self, classes: list[tuple[str, PhraseSet]]):
        self._labels: dict[tuple[str, ...], tuple[str, str]] = {}
        for kind, phrases in reversed(classes):  # earlier classes win a tie
            for phrase in phrases._phrases:
                self._labels[phrase] = (kind, phrases.label)
        self._max = max((len(p) for p in self._labels), default=0)
        self._lasts = frozenset(p[-1] for p in self._labels)

    def ending_at(self, view: TokenView, last: int, first_allowed: int = 0) -> tuple[int, str, str] | None:
        """(first token, kind, label) of the longest phrase ending at token `last`
        (and starting at or after `first_allowed`)."""
        hit = _longest_ending(view, last, first_allowed, self._labels, self._max, self._lasts)
        return (hit[0], *hit[1]) if hit is not None else None


def _longest_ending(view: TokenView, last: int, first_allowed: int, phrases: dict, longest: int,
                    lasts: frozenset[str]) -> tuple[int, object] | None:
    """(first token, value in `phrases`) of the longest phrase that ends at
    token `last` and starts at or after `first_allowed`; `longest` bounds the
    walk left, `lasts` (every phrase's last syllable) rejects most tokens at once."""
    if not view.sylls[last] or view.sylls[last][-1] not in lasts:
        return None
    sylls: tuple[str, ...] = ()
    best = None
    for s in range(last, first_allowed - 1, -1):
        sylls = view.sylls[s] + sylls
        if len(sylls) > longest:
            break
        value = phrases.get(sylls)
        if value is not None:
            best = (s, value)
    return best


@lru_cache(maxsize=1)
def _qualifier_lookup() -> LabelledPhrases:
    rules = cue_rules()
    classes = [("level", rules.level), ("change", rules.change_up), ("change", rules.change_down)]
    classes += [("comparator", c) for c in rules.comparators]
    return LabelledPhrases(classes + [("filler", rules.fillers)])


def left_cues(view: TokenView, before: int, limit: int = 6) -> list[tuple[int, int, str, str]]:
    """Cue words directly left of token `before`, nearest first.

    Walks left over tokens that are cues (comparators, change or level verbs)
    or fillers, stopping at the first other word: these are the words that
    qualify the number ("ước đạt trên", "tăng bình quân", "giảm xuống còn").
    Returns (first, last, kind, label) with kind in comparator/change/level/filler.
    """
    key = ("left cues", before, limit)
    if key in view.memo:
        return view.memo[key]  # asked for by several fields of one record
    lookup = _qualifier_lookup()
    in_nouns = cue_rules().change_in_nouns
    found: list[tuple[int, int, str, str]] = []
    last = before - 1
    while last >= 0 and len(found) < limit:
        hit = lookup.ending_at(view, last)
        if hit is None:
            break
        first, kind, label = hit
        if kind == "change" and (noun := in_nouns.ending_at(view, last)) is not None and noun.first < first:
            break  # "giá trị tăng thêm ước tăng [8,42%]": "tăng thêm" is part of the noun
        found.append((first, last, kind, label))
        last = first - 1
    view.memo[key] = found
    return found


def comparator_for(view: TokenView, first_token: int, after_token: int, floor: int = 0) -> str:
    """SPEC comparator: the nearest bound word before the number wins;
    "trở lên"/"trở xuống" after it (within a few words) make it >= / <=. A
    comparative change word ("thấp hơn") bounds a level when nothing it is
    measured against follows the number ("thấp hơn 2% so với cùng kỳ" is a change)."""
    rules = cue_rules()
    named_level = False  # "thấp hơn mức tăng [8,56%]": the comparative bounds the subject, not this value
    for first, last, kind, label in left_cues(view, first_token):
        if kind == "comparator":
            if label == ">" and view.sylls[first] == ("vượt",) and _plan_follows(view, after_token):
                return "="
            return label
        named_level = named_level or kind == "level"
        if kind == "change" and not named_level and not _measured_against(view, after_token):
            bound = next((c.label for c in rules.comparators
                          if (c_at := c.starting_at(view, first, last)) is not None and c_at.last == last), None)
            if bound is not None:
                return bound
    for phrases in rules.after:
        if _starts_at(phrases, view, after_token, 6):
            return phrases.label
    restated = rules.restating.ending_at(view, first_token - 1) if first_token > 0 else None
    # A restatement continues the clause of the value it restates ("ước đạt
    # 155,6 nghìn tỷ đồng, tương đương [6,5 tỷ USD]").
    clause_start = _clause_start(view, restated.first - 1 if restated and restated.first > 1 else first_token)
    # An estimate word reaches the values of its clause up to the first one
    # ("ước thu [50 tỷ đồng]"), not one that states its own ratio after it
    # ("…, đạt [106,3%] kế hoạch"); a restatement is that first value again.
    coordinated = floor < first_token and all(view.tokens[i].text in (",", "và") for i in range(floor, first_token))
    if not restated and not coordinated:  # "ước đạt lần lượt là 10,94% và [9,94%]" is one estimate
        clause_start = max(clause_start, floor)
    if any(clause_start <= c.first < first_token for c in rules.clause_estimate.find(view)):
        return "~"
    return "="


_CLAUSE_ENDS = frozenset(",;.")  # a colon heads a list: "ước năm 2025: … chiếm 55,08%" is an estimate


def _clause_start(view: TokenView, first_token: int) -> int:
    """First token of the clause that holds token `first_token`: a closed
    parenthesis on the way ("ước tính chỉ số (IIP) … tăng") is part of it, an
    unclosed one opens it."""
    depth = 0
    for i in range(first_token - 1, -1, -1):
        text = view.tokens[i].text
        if text == ")":
            depth += 1
        elif text == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and text in _CLAUSE_ENDS:
            return i + 1
    return 0


def _measured_against(view: TokenView, after_token: int) -> bool:
    """"… so với cùng kỳ", "… kế hoạch" right after the number: what a change is measured against."""
    rules = cue_rules()
    for start in (after_token, after_token + 1):
        if start < len(view.tokens) and (rules.baseline_introducers.starting_at(view, start) is not None
                                         or rules.baseline_plan.starting_at(view, start) is not None):
            return True
    return False


def reports_results(view: TokenView, ranges: list[tuple[int, int]], cues: list[Cue], after_token: int,
                    beside_plan_only: bool = False) -> bool:
    """What follows the value in its sentence says it reports results: an
    actual cue ("so với cùng kỳ"), a value measured against its plan ("đạt
    [49,7%] kế hoạch") or set beside its plan in an aside ("(KH 10 - 11%)").
    `beside_plan_only`: the aside alone counts (an item of a list of plans
    may be compared with last year; it is not set beside a plan)."""
    if any(a.kind == "plan" and a.open >= after_token for a in _asides(view)[0]):
        return True  # "tăng [11,5%] so với năm 2015 (KH tăng 10 - 11%)": a result beside its plan
    if beside_plan_only:
        return False
    if any(c.label == "actual" and c.first >= after_token for c in cues):
        return True
    # the value itself or one after it: "… 83% dự toán Thủ tướng giao và [79%] dự toán tỉnh giao"
    return any(after >= after_token and view.tokens[after - 1].text == "%" and _plan_follows(view, after)
               and change_for(view, first, after)[0] == "level" for first, after in ranges)


def _plan_follows(view: TokenView, after_token: int) -> bool:
    """"vượt 5,4% kế hoạch", "vượt 16,55% so với dự toán": a plan is the baseline."""
    rules = cue_rules()
    if after_token >= len(view.tokens):
        return False
    intro = rules.baseline_introducers.starting_at(view, after_token)
    start = intro.last + 1 if intro is not None else after_token
    return start < len(view.tokens) and rules.plan_words.starting_at(view, start) is not None


def starts_a_change(view: TokenView, first_token: int, after_token: int) -> bool:
    """"giảm từ [29,56%] xuống còn 25,3%": the value a change starts from (not
    "giảm từ 0,5% trở lên", a change bounded below)."""
    run = left_cues(view, first_token)
    if not run or view.sylls[run[0][0]] != ("từ",):
        return False
    after_token = _past_aside(view, after_token)  # "tăng từ [21,26%] (cùng kỳ năm trước) lên 25,52%"
    return _starts_at(cue_rules().from_to_level, view, after_token, 3) \
        and not any(_starts_at(bound, view, after_token, 3) for bound in cue_rules().after)


def _past_aside(view: TokenView, at: int, reach: int = 12) -> int:
    """The token after a bracketed aside that opens at `at` (and has no
    bracket inside), else `at`."""
    tokens = view.tokens
    if at >= len(tokens) or tokens[at].text != "(":
        return at
    for i in range(at + 1, min(len(tokens), at + reach)):
        if tokens[i].text == ")":
            return i + 1
        if tokens[i].text == "(":
            break
    return at


def change_for(view: TokenView, first_token: int, after_token: int, is_count: bool = False) -> tuple[str, str | None]:
    """(kind, direction): the nearest change or level verb before the number,
    or the change verb that opens its clause (not for a count, which names
    what the clause is about: "Giảm tai nạn giao thông cả [3 tiêu chí]")."""
    run = left_cues(view, first_token)
    if starts_a_change(view, first_token, after_token):
        return "level", None  # "giảm từ 29,56% xuống còn 25,3%", but "giảm từ 0,5% trở lên" is a change
    for first, _last, kind, label in run:
        if kind == "level":
            return "level", None
        exceeds = view.sylls[first] == ("vượt",)
        if kind == "change":
            if exceeds and not _plan_follows(view, after_token):
                return "level", None
            return "change", label
        if kind == "comparator" and label == ">" and exceeds and _plan_follows(view, after_token):
            return "change", "up"
    if not run and first_token > 0 \
            and (between := cue_rules().change_baseline_between.ending_at(view, first_token - 1)) is not None:
        # "cao hơn cùng kỳ [3,2%]": what the change is measured against, between its verb and the number
        nearest = left_cues(view, between.first)[:1]
        if nearest and nearest[0][2] == "change":
            return "change", nearest[0][3]
    if not is_count and (opening := _change_opening_clause(view, first_token, after_token)) is not None:
        return "change", opening
    return "level", None


# Marks that end the clause a change verb would open.
_CHANGE_CLAUSE_ENDS = frozenset(",;:.!?()\n")


def _change_opening_clause(view: TokenView, first_token: int, after_token: int) -> str | None:
    """"phấn đấu tăng tổng thu ngân sách nhà nước bình quân từ [10-12%/năm]": a
    change verb that opens the value's clause, its object between, a rate
    before or in the value ("bình quân", "hằng năm", "/năm") or a plan word
    right after the verb ("vượt mục tiêu Nghị quyết [0,36%]"), and no other
    cue or number before the value, makes the value that change ("tăng độ che
    phủ rừng [45%]" is the level the plan sets); its direction, or None."""
    rules = cue_rules()
    tokens = view.tokens
    start = first_token - 1
    while start >= 0 and tokens[start].text not in _CHANGE_CLAUSE_ENDS:
        if any(ch.isdigit() for ch in tokens[start].text):
            return None
        start -= 1
    verb = start + 1
    while verb < first_token and (opener := rules.change_opens_after.starting_at(view, verb, first_token - 1)
                                  or rules.target.starting_at(view, verb, first_token - 1)) is not None:
        verb = opener.last + 1
    if rules.change_opens_not.starting_at(view, verb) is not None:
        return None
    others = (rules.level, rules.change_up, rules.change_down, rules.actual)
    for phrases in (rules.change_up, rules.change_down):
        cue = phrases.starting_at(view, verb, first_token - 1)
        if cue is None or cue.last + 1 >= first_token - 1:
            continue
        if any(cue.last < c.first < first_token for p in others for c in p.find(view)):
            return None
        rate = any(cue.last < c.first < after_token for c in rules.change_opens_rates.find(view))
        if rate or rules.baseline_plan.starting_at(view, cue.last + 1) is not None:
            return phrases.label
    return None


def restates_in_brackets(view: TokenView, aside: "Aside | None", first_token: int, after_token: int) -> bool:
    """"giảm 0,58% ([5.240 tấn])", "giảm 1.686ha (bằng [2,24%])": a value alone
    in brackets that say nothing else, or after a restating word, is the value
    before the brackets in another unit (the caller checks that one stands there)."""
    if aside is None or aside.kind or after_token != aside.close:
        return False
    start = aside.open + 1
    if start == first_token:
        return True
    cue = cue_rules().restated_in_brackets.starting_at(view, start, first_token - 1)
    return cue is not None and cue.last == first_token - 1


def has_kind_cue(view: TokenView, first_token: int) -> bool:
    """Whether a change or level word stands in the cue run before the number."""
    return any(kind in ("change", "level") for _f, _l, kind, _label in left_cues(view, first_token))


# How many words a list item may name before its bare value ("; Đà Nẵng [3,74%]").
_ITEM_WORDS = 6


def is_bare_list_item(view: TokenView, first_token: int) -> bool:
    """"Hà Nội tăng 5,97%; Đà Nẵng [3,74%]": right after a list separator, a
    short name and the number, with no cue word of its own — an item of the
    list the value before it opened, read the way that value is read."""
    if left_cues(view, first_token):
        return False
    tokens = view.tokens
    i = first_token - 1
    while i >= 0 and first_token - i <= _ITEM_WORDS and tokens[i].text not in (",", ";"):
        text = tokens[i].text
        if text in ".:()[]" or any(ch.isdigit() for ch in text):
            return False
        i -= 1
    if not (0 <= i < first_token - 1 and tokens[i].text in (",", ";")):
        return False
    rules = cue_rules()
    return not any(i < c.first < first_token for p in (*rules.qualifiers, rules.target) for c in p.find(view))


def _starts_at(phrases: PhraseSet, view: TokenView, start: int, within: int) -> bool:
    """A phrase begins within `within` tokens from `start`."""
    return any(start <= c.first < start + within for c in phrases.find(view))


def baseline_for(view: TokenView, first_token: int, after_token: int, stop: int) -> str | None:
    """What a change or share is measured against, as written.

    "so với X" after the number (X up to the clause end), a plan word right
    after it ("68% dự toán tỉnh giao"), or "so với X" just before the verb.
    """
    rules = cue_rules()
    tokens = view.tokens
    for start in (after_token, after_token + 1):
        if start < stop:
            intro = rules.baseline_introducers.starting_at(view, start, stop - 1)
            if intro is not None:
                return _phrase_until_boundary(tokens[intro.last + 1 : stop])
    if after_token < stop and rules.baseline_plan.starting_at(view, after_token, stop - 1):
        return _phrase_until_boundary(tokens[after_token:stop])
    intros = [c for c in rules.baseline_introducers.find(view) if c.last < first_token]
    if intros and first_token - intros[-1].last <= 6:
        begin = intros[-1].last + 1
        changes = [c.first for p in (rules.change_up, rules.change_down) for c in p.find(view) if begin <= c.first < first_token]
        end = min(changes, default=first_token)
        if any(rules.fillers.starting_at(view, i, i) is None for i in range(begin, end)):
            return _phrase_until_boundary(tokens[begin:end])
    return None


_BOUNDARY_TOKENS = frozenset(",;.:()[]…\"“”")
_BASELINE_STOPS = frozenset(["và", "tương đương", "đạt", "tăng", "giảm", "về", "trong đó", "hay", "là", "để", "nhưng", "song"])


def _phrase_until_boundary(tokens: list[Token]) -> str | None:
    """The baseline words up to the clause end or the next figure; a year
    ("cùng kỳ năm 2022") or a date part ("quý I/2023") is not a figure."""
    kept: list[Token] = []
    for token in tokens:
        text = token.text
        is_time = len(text) == 4 and text.isdigit() and text[:2] in ("19", "20") or "/" in text
        if text in _BOUNDARY_TOKENS or token.lower in _BASELINE_STOPS or kept and text[:1].isdigit() and not is_time:
            break
        kept.append(token)
    return join_tokens(kept) or None


class Aside(NamedTuple):
    """A parenthesis: tokens `open` ("(") to `close` (")", or the sentence end),
    and what it opens with: "plan", "comparison" or ""."""

    open: int
    close: int
    kind: str


def aside_for(view: TokenView, token: int) -> Aside | None:
    """The innermost parenthesis that token `token` stands in."""
    innermost = _asides(view)[1]
    return innermost[token] if token < len(innermost) else None


def opens_aside(view: TokenView, token: int) -> bool:
    """Whether token `token` opens an aside ("(", or "/" before a plan word)."""
    return any(aside.open == token for aside in _asides(view)[0])


def outside_other_asides(view: TokenView, cues: list[Cue], own: Aside | None = None) -> list[Cue]:
    """The cues that are not inside a parenthesis (other than `own`, the one the
    value itself stands in): a plan named in an aside ("(mục tiêu 8%)") sets
    the status of the aside's own figures, not of the text after it."""
    innermost = _asides(view)[1]
    return [c for c in cues if innermost[c.first] is None or innermost[c.first] == own]


def states_ratio(view: TokenView, first_token: int) -> bool:
    """"bằng [139%] cùng kỳ năm 2023": the value is a ratio to the period
    named after it, and so of its own period (a ratio word in its cue words)."""
    words = cue_rules().ratio_words
    return any(words.starting_at(view, first, last) is not None
               for first, last, _kind, _label in left_cues(view, first_token))


def ends_with_comparison(view: TokenView, before: int) -> bool:
    """A comparison phrase ("cùng kỳ", "năm trước") ends right before token `before`."""
    return before > 0 and cue_rules().aside_comparison.ending_at(view, before - 1) is not None


def compared_with_plan(view: TokenView, before: int) -> bool:
    """"so với kịch bản tăng trưởng 9 tháng (…)": the words before token
    `before`, back to "so với" in the same clause, name a plan."""
    rules = cue_rules()
    for i in range(before - 1, max(-1, before - 12), -1):
        if view.tokens[i].text in _CLAUSE_ENDS:
            return False
        intro = rules.baseline_introducers.ending_at(view, i)
        if intro is not None:
            return i + 1 < before and rules.aside_plan.starting_at(view, i + 1, before - 1) is not None
    return False


_SLASH_ASIDE_ENDS = frozenset(",;.)")
_GLUED_UNIT = regex.compile(r"[0-9][0-9.,]*(\p{L}+)")  # an amount and its unit written as one word: "170ha"
_AMOUNT = regex.compile(r"[0-9][0-9.,]*")


def _same_unit_across(tokens, slash: int) -> bool:
    """"1.763 tỷ đồng/1.922 tỷ đồng": the slash stands between an amount and
    another in the same unit words (not "45,8 tỷ đồng/6.521 hộ", "8/8 xã")."""
    if 0 < slash < len(tokens) - 1 and (glued := _GLUED_UNIT.fullmatch(tokens[slash - 1].text)):
        # "170ha/167ha": the unit glued to its amount, after the slash as one word or split from its digits
        after = tokens[slash + 1]
        if (after_glued := _GLUED_UNIT.fullmatch(after.text)) is not None:
            return glued.group(1).lower() == after_glued.group(1).lower()
        return slash + 2 < len(tokens) and _AMOUNT.fullmatch(after.text) is not None and tokens[slash + 2].start == after.end \
            and tokens[slash + 2].text.lower() == glued.group(1).lower()
    before = slash
    while before > 0 and not tokens[before - 1].text[:1].isdigit():
        before -= 1
    unit = " ".join(t.text.lower() for t in tokens[before:slash])  # words split as the segmenter likes
    after = slash + 1
    if not (0 < before and 0 < slash - before <= 3 and after < len(tokens) and tokens[after].text[:1].isdigit()):
        return False
    words = ""
    for t in tokens[after + 1 : after + 5]:
        words = f"{words} {t.text.lower()}".lstrip()
        if len(words) >= len(unit):
            return words == unit
    return False


def _asides(view: TokenView) -> tuple[list[Aside], list[Aside | None]]:
    """Every parenthesis of the sentence, and per token the innermost one
    holding it; one pass, memoised per view."""
    found = view.memo.get(_asides)
    if found is not None:
        return found
    tokens = view.tokens
    rules = cue_rules()
    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        if token.text == "(":
            opened.append(i)
        elif token.text == ")" and opened:
            pairs.append((opened.pop(), i))
    pairs += [(o, len(tokens)) for o in opened]
    plans: set[int] = set()  # asides that are a plan by their form
    # "ước tăng 8,31%/KH tăng 3-4%": a slash before a plan word sets the plan beside the value, and "đạt 1.763
    # tỷ đồng/1.922 tỷ đồng" a result over its plan in the same unit, to the clause's end
    for i, token in enumerate(tokens):
        if token.text != "/":
            continue
        named = i + 1 < len(tokens) and rules.aside_plan.starting_at(view, i + 1) is not None
        if not named and not _same_unit_across(tokens, i):
            continue
        pairs.append((i, next((j for j in range(i + 1, len(tokens)) if tokens[j].text in _SLASH_ASIDE_ENDS), len(tokens))))
        if not named:
            plans.add(i)
    asides = []
    for o, c in sorted(pairs):
        start = o + 1
        kind = "plan" if o in plans else ""
        if start < c and not kind:
            hit = rules.aside_plan.starting_at(view, start, c - 1) or rules.aside_comparison.starting_at(view, start, c - 1)
            kind = hit.label if hit is not None else ""
            if not kind and o > 0 and rules.aside_plan.ending_at(view, o - 1) is not None and (
                    tokens[start].text[:1].isdigit() and "/" not in tokens[start].text
                    or rules.aside_plan_value_openers.starting_at(view, start, c - 1)):
                kind = "plan"  # "vượt kế hoạch đề ra (7,0% - 7,5%)": the value the plan word before it names
        asides.append(Aside(o, c, kind))
    innermost: list[Aside | None] = [None] * len(tokens)
    for aside in asides:  # sorted by opening: an inner one comes later and overwrites
        for i in range(aside.open + 1, aside.close):
            innermost[i] = aside
    view.memo[_asides] = found = (asides, innermost)
    return found


# A target word this near after one measured against qualifies the same words
# ("thực hiện … các chỉ tiêu nghị quyết đề ra"): it is measured too.
_QUALIFIER_REACH = 3
_PHRASE_ENDS = frozenset(",;:.")


def status_cues(view: TokenView, ignore: list[tuple[int, int]] = (), place_end: int | None = None) -> list[Cue]:
    """Target and actual cues of a sentence, in order.

    Not cues: tokens in the `ignore` ranges [first, after) (quantities: "14/17 nhóm chỉ tiêu"),
    neutral phrases ("so với ước thực hiện"), and a target word measured
    against in its clause ("đạt 67% kế hoạch", "vượt chỉ tiêu … đề ra").
    `place_end`: the sentence opens on a place, ending before that token; its
    first cue, if a present verb ("Xã A sau khi được thành lập …, có diện
    tích …"), says what the place has now."""
    rules = cue_rules()
    tokens = view.tokens
    blocked = {i for c in rules.neutral.find(view) for i in range(c.first, c.last + 1)}
    blocked.update(i for first, after in ignore for i in range(first, after))
    for event in rules.event_openers.find(view):
        # "tại buổi họp báo về tình hình … và nhiệm vụ trọng tâm quý IV, …": what a meeting covers, to its clause's
        # end or the verb of what is reported there ("… ông A cho biết …")
        end = next((i for i in range(event.last + 1, len(tokens))
                    if tokens[i].text in _PHRASE_ENDS or rules.event_topic_ends.starting_at(view, i) is not None),
                   len(tokens))
        blocked.update(range(event.first, end))
    measured = rules.not_target_after.find(view)
    # A cue does not start inside a longer phrase: "hiện" of "thực hiện" (a sentence read by syllables)
    inner = {i for m in measured for i in range(m.first + 1, m.last + 1)}
    starts = {first for first, _after in ignore}
    results = [c for c in rules.result_value.find(view) if c.last + 1 in starts]
    opener = rules.present_openers.starting_at(view, 0) if tokens else None  # "Xã có diện tích …": what it has now
    results += [opener] if opener is not None else []
    present = None  # "Xã A sau khi được thành lập …, có diện tích …": the first present verb after the place
    if opener is None and place_end is not None:
        present = next((c for c in rules.present_verbs.find(view) if c.first >= place_end), None)
        results += [present] if present is not None else []
    found: list[Cue] = []
    measured_end = -_QUALIFIER_REACH - 1  # where the last target word measured against ends
    for cue in sorted(results + rules.actual.find(view) + rules.target.find(view), key=lambda c: (c.first, -c.last)):
        if cue.first in inner or any(i in blocked for i in range(cue.first, cue.last + 1)):
            continue
        if found and cue.first <= found[-1].last:
            continue
        if found and cue is present:
            continue  # a present verb after another cue ("Xã A phấn đấu đến năm 2030 có …") is that cue's
        if cue.label == "target" and _names_a_topic(view, cue, rules):
            continue  # "Ở các chỉ tiêu khác, đến cuối năm 2020 … chỉ còn 97 hộ nghèo": what the clause is about
        if cue.label == "actual" and _adopts_a_plan(view, cue, rules):
            continue  # "… kế hoạch năm 2017 đã được HĐND tỉnh khóa XII thông qua …": the plan's adoption, no result
        if cue.label == "target" and (
            _measured_in_clause(tokens, measured, cue.first)
            or (cue.first - measured_end <= _QUALIFIER_REACH
                and not any(t.text in _PHRASE_ENDS for t in tokens[measured_end + 1 : cue.first]))
            or _closes_measured_phrase(tokens, measured, cue)
            or _graded(view, cue, rules)
        ):
            measured_end = cue.last  # "thực hiện … các chỉ tiêu nghị quyết đề ra": "đề ra" qualifies the measured words
            continue
        found.append(cue)
    found = sorted(found + _target_lists(view, ignore), key=lambda c: c.first)
    first_target = next((c for c in found if c.label == "target" and not is_estimate(view, c)
                         and aside_for(view, c.first) is None), None)
    if first_target is None:
        return found
    # "… chỉ tiêu chủ yếu là: …, sản lượng đạt và vượt 10.012 tấn", "… có mục tiêu …; thu ngân sách
    # hằng năm đạt và vượt ít nhất 10%": after a target cue, how an item is to be met
    return [c for c in found if not (c.label == "actual" and c.first > first_target.last
                                     and rules.target_list_item_words.starting_at(view, c.first) is not None
                                     and not (_counts_targets(view, c.last + 1)
                                              and rules.target.ending_at(view, c.first - 1) is None))]


def _counts_targets(view: TokenView, at: int) -> bool:
    """A count of targets right at token `at` ("đề ra 22 chỉ tiêu, trong đó thực
    hiện đạt và vượt [19 chỉ tiêu]"): how many were met, a result (unless a
    plan word stands right before: "phấn đấu đạt và vượt 5 chỉ tiêu")."""
    return at + 1 < len(view.tokens) and any(ch.isdigit() for ch in view.tokens[at].text) \
        and cue_rules().target_list_nouns.starting_at(view, at + 1) is not None


_LIST_REACH = 6  # tokens between a count of targets and the colon of its list ("chủ yếu, trong đó đáng chú ý:")


def _target_lists(view: TokenView, quantities: list[tuple[int, int]]) -> list[Cue]:
    """"… với [20 chỉ tiêu] chủ yếu là: …": a count of targets that opens a
    list, not counted by a result verb right before it, as a target cue."""
    rules = cue_rules()
    tokens = view.tokens
    found = []
    for first, after in quantities:
        if not rules.target_list_nouns.inside(view, list(range(first, after))) or (
                first > 0 and rules.target_list_counted_by.ending_at(view, first - 1) is not None):
            continue
        i = after
        set_out = first > 0 and rules.target_list_set_by.ending_at(view, first - 1) is not None
        crossed = False  # a comma passed: "29 chỉ tiêu chủ yếu, trong đó đáng chú ý:"
        while i < len(tokens) and i - after <= _LIST_REACH and tokens[i].text != ":":
            if tokens[i].text == "," and set_out and not crossed:
                i, crossed = i + 1, True
                continue
            words = rules.target_list_words.starting_at(view, i) \
                or (rules.target_list_words_after_comma.starting_at(view, i) if crossed else None)
            if words is None:
                break
            i = words.last + 1
        if i < len(tokens) and tokens[i].text == ":":
            found.append(Cue(i, i, "target"))  # the count itself is no cue token: its colon is
    return found


def is_estimate(view: TokenView, cue: Cue) -> bool:
    """Whether a status cue is an estimate or forecast word ("ước đạt", "dự kiến")."""
    return _cue_words(view, cue) in cue_rules().estimate_words


def estimate_before(view: TokenView, cues: list[Cue]) -> Cue | None:
    """The estimate word that decides a value whose nearest cue is `cues[-1]`:
    that cue, or one before a future auxiliary ("Dự kiến … sẽ có thêm [2 xã]")."""
    if not cues:
        return None
    if is_estimate(view, cues[-1]):
        return cues[-1]
    if _cue_words(view, cues[-1]).lower() in cue_rules().future_words:
        return next((c for c in reversed(cues[:-1]) if is_estimate(view, c)), None)
    return None


def plan_before_estimate(view: TokenView, cues: list[Cue], estimate: Cue) -> Cue | None:
    """A plan word before the estimate in its sentence ("huyện phấn đấu …;
    sản lượng lương thực dự kiến đạt …"): the estimate is of the plan's."""
    rules = cue_rules()
    return next((c for c in reversed(cues) if c.last < estimate.first and c.label == "target"
                 and not is_estimate(view, c) and not is_horizon(view, c)
                 and _cue_words(view, c).lower() not in rules.future_words), None)


def _graded(view: TokenView, cue: Cue, rules: "CueRules") -> bool:
    """Whether a plan word is graded as a result by the words after it (rules/cues.yaml
    `not_target_before`, and `not_target_before_far` after its topic)."""
    return _graded_after(view, cue, rules.not_target_before) \
        or _graded_far_after(view, cue, rules.not_target_before_far, rules)


_ADJECTIVE_GAP = 2  # words between a plan word and what grades it ("chỉ tiêu quan trọng đạt và vượt")


def _graded_after(view: TokenView, cue: Cue, grades: PhraseSet) -> bool:
    """Whether a plan word is graded by the words right after it ("các chỉ tiêu
    đều đạt", "chỉ tiêu quan trọng đạt và vượt kế hoạch"): the subject of a
    result, not a plan. Only adjectives may stand between ("Mục tiêu thu ngân
    sách vượt …" names what the plan is of); the tagger runs only when a grade
    stands a word or two away."""
    tokens = view.tokens
    for j in range(cue.last + 1, min(len(tokens), cue.last + 2 + _ADJECTIVE_GAP)):
        if grades.starting_at(view, j) is not None:
            if j == cue.last + 1:
                return True
            tags = pos_tags(tuple(t.text for t in tokens[cue.first : j]))
            return tags is not None and all(tag == "A" for tag in tags[cue.last + 1 - cue.first :])
        if not any(c.isalpha() for c in tokens[j].text):
            return False
    return False


_TOPIC_REACH = 12  # words of a plan word's topic before what grades it


def _graded_far_after(view: TokenView, cue: Cue, grades: PhraseSet, rules: "CueRules") -> bool:
    """"các chỉ tiêu chủ yếu về phát triển kinh tế, xã hội, môi trường đều đạt
    và vượt kế hoạch đề ra: …": a plan word graded after its topic, in its
    clause, with no number and no other status word between."""
    tokens = view.tokens
    others = {c.first for c in rules.target.find(view) + rules.actual.find(view) if c.first > cue.last}
    for j in range(cue.last + 1, min(len(tokens), cue.last + 1 + _TOPIC_REACH)):
        if grades.starting_at(view, j) is not None:
            return True
        if j in others or tokens[j].text in _PHRASE_ENDS.difference(",") or any(c.isdigit() for c in tokens[j].text):
            return False
    return False


def is_horizon(view: TokenView, cue: Cue) -> bool:
    """Whether a status cue names a horizon ("đến năm"), a plan's only while its year is to come."""
    return _cue_words(view, cue) in cue_rules().horizon_words


def _cue_words(view: TokenView, cue: Cue) -> str:
    return " ".join(" ".join(view.sylls[i]) for i in range(cue.first, cue.last + 1))


_CLAUSE_MARKS = frozenset({",", ";"})


def cue_run_start(view: TokenView, first: int) -> int:
    """Where the cue words right before token `first` begin ("ước đạt trên [X]")."""
    return min((f for f, *_ in left_cues(view, first)), default=first)


def plan_named_after(view: TokenView, first: int, after: int) -> Cue | None:
    """"thấp hơn mức [8,1%] theo kế hoạch": a plan named right after the value
    owns it, unless a result verb measures the value against it ("đạt [47%]
    theo kế hoạch", "chỉ đạt 01/02 xã theo kế hoạch")."""
    rules = cue_rules()
    if after >= len(view.tokens) or (plan := rules.plan_after_value.starting_at(view, after)) is None:
        return None
    run_start = cue_run_start(view, first)
    if any(rules.target_list_counted_by.ending_at(view, i) is not None for i in range(max(0, run_start - 1), first)):
        return None
    return plan


def states_plan_value(view: TokenView, first_token: int, floor: int) -> Cue | None:
    """The plan word, when the number is the value of a plan named just before it in its
    clause ("đạt kế hoạch đề ra là [7,5-8%]", "Tổng kế hoạch vốn … trên [3.580 tỷ]")."""
    rules = cue_rules()
    names = rules.neutral.find(view)
    for cue in rules.plan_value.find(view):
        if not (floor < cue.first and cue.last < first_token and first_token - cue.last <= 8):
            continue
        if any(n.first <= cue.first and cue.last <= n.last for n in names):
            continue  # "theo Chương trình mục tiêu quốc gia … là [2.372 căn]": a name, not a plan
        if any(view.tokens[i].text in _CLAUSE_MARKS for i in range(cue.last + 1, first_token)):
            continue
        if _graded(view, cue, rules):
            continue  # "các chỉ tiêu không hoàn thành gồm: tổng giá trị sản phẩm [5.232 tỷ đồng]": results
        if (aside := aside_for(view, first_token)) is not None and aside.open > cue.last:
            continue  # "đạt chỉ tiêu nghị quyết (khu vực I tăng [3,94%]; …)": the aside reports results
        if cue.first > 0 and (view.tokens[cue.first - 1].text == "%" or view.tokens[cue.first - 1].text[-1:].isdigit()):
            continue  # "đạt 83% [dự toán] Thủ tướng giao và 79% …": the value before it is measured against it
        if cue.first > 0 and view.sylls[cue.first - 1] == ("vượt",) and (
                rules.target_list_item_words.ending_at(view, cue.first - 1) is None or _counts_targets(view, first_token)):
            continue  # "vượt mục tiêu Nghị quyết [0,36%]": by how much the plan was exceeded; "đạt và vượt kế hoạch
            # [20/22 chỉ tiêu]": how many were met; "đạt và vượt mục tiêu tăng trưởng [7,5%]": the plan's value
        if any(cue.last < c.first and c.last < first_token for c in rules.result_value.find(view)):
            continue  # "chỉ tiêu thu ngân sách: thực hiện [1.200 tỷ đồng]": what was done, not the plan
        run_start = cue_run_start(view, first_token)
        if any(cue.last < c.first and run_start <= c.first and c.last < first_token for c in rules.actual.find(view)):
            continue  # "chỉ tiêu tăng trưởng chỉ đạt được [7,18%]": a result word qualifies the number itself
        if (any(view.tokens[i].text == ":" for i in range(cue.last + 1, first_token))
                and _measured_in_clause(view.tokens, rules.not_target_after.find(view), cue.first)):
            continue  # "không đạt kế hoạch: tốc độ tăng trưởng [9,40%]": a list of results
        if cue.first > 0 and rules.baseline_introducers.ending_at(view, cue.first - 1) is not None \
                and not _names_plan_value(view, cue.last + 1, first_token):
            continue  # "so với kế hoạch năm 2023": a baseline; "so với chỉ tiêu [20.000 người]": the plan's value
        return cue
    return None


def _names_plan_value(view: TokenView, start: int, first_token: int) -> bool:
    """Only "là" or a bound word (`aside.plan_value_openers`) stands between a
    plan word measured against and the number: "so với kế hoạch [20.000 người]",
    "so với kế hoạch từ [95 - 95,3 triệu đồng]", "so với kế hoạch là [6 - 7%]"."""
    at = start
    if at < first_token and view.sylls[at] == ("là",):
        at += 1
    if at < first_token and (opener := cue_rules().aside_plan_value_openers.starting_at(view, at, first_token - 1)):
        at = opener.last + 1
    return at == first_token


def status_cues_of_text(text: str, start: int, end: int) -> list[Cue]:
    """Status cues of a sentence that holds no figure: only its scope matters,
    so syllables stand in for word tokens, and a sentence in which no status
    phrase occurs at all is not looked at further."""
    if not _status_phrases().search(text[start:end].lower()):
        return []
    return status_cues(TokenView(syllable_tokens(text, start, end)))


@lru_cache(maxsize=1)
def _status_phrases() -> regex.Pattern:
    """Any target or actual phrase as lower-case text, syllables apart by
    white space. Whatever the phrase sets find among syllables this finds
    too (a syllable is a maximal run of letters, marks and digits)."""
    rules = cue_rules()
    phrases = sorted(rules.target._phrases | rules.actual._phrases | rules.target._glued | rules.actual._glued,
                     key=len, reverse=True)
    alternation = "|".join(r"\s+".join(map(regex.escape, phrase)) for phrase in phrases if phrase)
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{alternation})(?![\p{{L}}\p{{M}}\p{{N}}])")


def _names_a_topic(view: TokenView, cue: Cue, rules) -> bool:
    """The indicators in general (`topic_plan_words`) right after a topic word
    (`topic_words`) that opens a clause a comma ends."""
    tokens = view.tokens
    if _cue_words(view, cue).lower() not in rules.topic_plan_words:
        return False
    topic = rules.topic_words.ending_at(view, cue.first - 1) if cue.first > 0 else None
    if topic is None or topic.first > 0 and tokens[topic.first - 1].text not in _PHRASE_ENDS:
        return False
    end = next((i for i in range(cue.last + 1, len(tokens)) if tokens[i].text in _PHRASE_ENDS), None)
    return end is not None and tokens[end].text == ","


_ADOPTION_REACH = 8  # tokens between a past auxiliary and the verb that adopts a plan ("đã được HĐND tỉnh khóa XII thông qua")


def _adopts_a_plan(view: TokenView, cue: Cue, rules) -> bool:
    """A past auxiliary of the passive ("đã được") whose verb, later in its
    clause with no number between, adopts a plan (`adoption_verbs`): it dates
    the adoption."""
    if _cue_words(view, cue).lower() not in rules.past_words or cue.last + 1 >= len(view.tokens) \
            or rules.passive_words.starting_at(view, cue.last + 1) is None:
        return False
    for i in range(cue.last + 1, min(len(view.tokens), cue.last + 1 + _ADOPTION_REACH)):
        if view.tokens[i].text in _PHRASE_ENDS or any(ch.isdigit() for ch in view.tokens[i].text):
            return False
        if rules.adoption_verbs.starting_at(view, i) is not None:
            return True
    return False


def _closes_measured_phrase(tokens: list[Token], measured: list[Cue], cue: Cue) -> bool:
    """A target word that ends its clause qualifies the noun before it, not a
    plan of its own: "đạt và vượt 20/22 chỉ tiêu Nghị quyết Đại hội … lần thứ
    XXII đề ra." (unlike "Nghị quyết đề ra mục tiêu …", where its object
    follows); with a word measured against earlier in that clause, it is measured too."""
    if cue.last + 1 < len(tokens) and tokens[cue.last + 1].text not in _PHRASE_ENDS:
        return False
    start = cue.first
    while start > 0 and tokens[start - 1].text not in _PHRASE_ENDS:
        start -= 1
    return any(start <= m.first and m.last < cue.first for m in measured)


# A year ("Năm 2025 đề ra mục tiêu", "nhiệm kỳ 2025-2030 đề ra") is no value a plan word measures.
_ENDS_ON_YEAR = regex.compile(r"(?:^|[-–/ ])(?:19|20)\d{2}$")


def _measured_in_clause(tokens: list[Token], measured: list[Cue], first: int) -> bool:
    """Right after a number ("67% kế hoạch"), or after "đạt/vượt/so với"
    earlier in the same clause, within a few words."""
    if first > 0 and (tokens[first - 1].text[-1:].isdigit() and not _ENDS_ON_YEAR.search(tokens[first - 1].text)
                      or tokens[first - 1].text == "%"):
        return True
    for cue in measured:
        if cue.last < first and first - cue.last <= 6:
            if not any(t.text in ",;:." for t in tokens[cue.last + 1 : first]):
                return True
    return False
