"""Stage 6b: what the rules propose for a quantity's status, year and
indicator, each proposal described by named features (`rules/features.yaml`).

Features are plain strings ("cue_last=target:phấn đấu", "src=left",
"rel=+1"): the cue classes and phrases of `cues.yaml`, the clause and list
structure the phrase finders walk, the year of a time phrase against the
article's, and the syllables around the number. A model weighs them
(`stages/decisions.py`); the rules' own cascade answer is one feature among them.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import regex

from ..rules import load_rules
from .cues import Cue, TokenView
from .indicators import indicator_id, names_no_indicator

_CLAUSE_EDGES = frozenset(",;:()")
_LETTER = regex.compile(r"\p{L}")
_DIGIT = regex.compile(r"\d")


@lru_cache(maxsize=1)
def _settings() -> tuple[dict, list[int], list[int]]:
    rules = load_rules("features")
    return rules["windows"], list(rules["distance_buckets"]), list(rules["length_buckets"])


def _bucket(value: int, bounds: list[int]) -> str:
    k = bisect_left(bounds, value)
    return str(bounds[k]) if k < len(bounds) else f">{bounds[-1]}"


def _relation(year: int | None, published: int | None) -> str:
    """A year against the article's: "-2" (or earlier), "-1", "0", "+1", "+2" (or later), "?"."""
    if year is None or published is None:
        return "?"
    d = max(-2, min(2, year - published))
    return f"{d:+d}" if d else "0"


def _cue_text(view: TokenView, cue: Cue) -> str:
    texts = view.memo.get(_cue_text)
    if texts is None:  # a sentence's cues are read again for each of its figures
        texts = view.memo[_cue_text] = {}
    text = texts.get(cue)
    if text is None:
        text = texts[cue] = " ".join(" ".join(view.sylls[i]) for i in range(cue.first, cue.last + 1))
    return text


def _syllables(view: TokenView, first: int, after: int) -> list[str]:
    """The syllables with a letter of tokens [first, after)."""
    words = view.memo.get(_syllables)
    if words is None:  # once per sentence, for all its figures
        words = view.memo[_syllables] = [[s for s in sylls if _LETTERED.get(s) or _has_letter(s)] for sylls in view.sylls]
    return [s for i in range(first, after) for s in words[i]]


_LETTERED: dict[str, bool] = {}  # syllable → whether it holds a letter: few syllables recur in every sentence


def _has_letter(syllable: str) -> bool:
    found = _LETTERED.get(syllable)
    if found is None:
        if len(_LETTERED) > 50_000:  # numbers make the texts unbounded
            _LETTERED.clear()
        found = _LETTERED[syllable] = _LETTER.search(syllable) is not None
    return found


def _clause_start(view: TokenView, first: int, floor: int) -> int:
    i = first - 1
    while i >= floor and view.tokens[i].text not in _CLAUSE_EDGES:
        i -= 1
    return i + 1


def status_features(view: TokenView, first: int, after: int, floor: int, cues: list[Cue], *, rung: str,
                    cascade: str, aside_kind: str, plan_value: bool, carried_status: str, carried_cued: bool,
                    carried_newer: bool, own_period, year: int | None, published: int | None,
                    carried_from: str = "none") -> list[str]:
    """Features of one quantity for its status (target or actual)."""
    windows, distances, _ = _settings()
    features = [f"rung={rung}", f"cascade={cascade}", f"rung={rung}&cascade={cascade}", f"aside={aside_kind}",
                f"carried={carried_status}"]
    if plan_value:
        features.append("plan_value")
    if carried_cued:
        features += [f"carried_cued={carried_status}", f"carried_from={carried_status}:{carried_from}"]
    if carried_newer:
        features.append(f"carried_newer={carried_status}")
    before = [c for c in cues if c.last < first]
    for c in before:
        features.append(f"cue_any={c.label}:{_cue_text(view, c)}")
    if before:
        last = before[-1]
        clause = _clause_start(view, first, 0)
        features += [f"cue_last={last.label}:{_cue_text(view, last)}", f"cue_last={last.label}",
                     f"cue_dist={last.label}:{_bucket(first - last.last - 1, distances)}",
                     f"cue_clause={last.label}:{'same' if last.first >= clause else 'earlier'}"]
    else:
        features.append("cue_last=none")
    for c in cues:
        if c.first >= after:
            features.append(f"cue_after={c.label}:{_cue_text(view, c)}")
    rel = _relation(year, published)
    features += [f"rel={rel}", f"rel={rel}&cascade={cascade}", f"rel={rel}&rung={rung}"]
    if before:
        features += [f"cue_last={before[-1].label}:{_cue_text(view, before[-1])}&rel={rel}",
                     f"cue_last={before[-1].label}&rel={rel}"]
    if carried_cued:
        features.append(f"carried_from={carried_status}:{carried_from}&rel={rel}")
    if own_period is not None:
        features += ["own_period", f"own_rule={own_period.rule}", f"own_rel={_relation(own_period.year, published)}"]
        if own_period.is_present:
            features.append("own_present")
        features += [f"pw={s}" for s in own_period.text.lower().split() if s.isalpha()]
    clause = _clause_start(view, first, floor)
    left = _syllables(view, max(clause, first - windows["left_syllables"]), first)
    features += [f"l={s}" for s in left[-windows["left_syllables"]:]]
    features += [f"l2={a} {b}" for a, b in zip(left, left[1:])]
    features += [f"r={s}" for s in _syllables(view, after, min(len(view.tokens), after + windows["right_syllables"]))]
    features += [f"s={s}" for s in _syllables(view, 0, min(first, windows["sentence_start"]))]
    return features


def year_candidates(proposals: list[tuple[str, int | None]], *, cascade: int | None, status: str,
                    published: int | None, own_period, own_right_after: bool = False) -> dict:
    """Each year some rule proposes ("own", "earlier", "carried", "published",
    "compared" …), with the sources that propose it and where it stands
    against the article's year. The cascade's year is always among them."""
    found: dict = {}
    for source, year in [("cascade", cascade), *proposals]:
        if year is None and source != "cascade":
            continue
        found.setdefault(year, []).append(f"ys={source}")
    own_rule = own_period.rule if own_period is not None else "none"
    for year, features in found.items():
        rel = _relation(year, published)
        features += [f"rel={rel}", f"rel={rel}&status={status}", f"own_rule={own_rule}&rel={rel}"]
        features += [f"{f}&rel={rel}" for f in features if f.startswith("ys=") and "&" not in f]
        if year is None:
            features.append("none")
    if own_right_after and own_period.year is not None and own_period.year in found:
        return {own_period.year: found[own_period.year]}  # "giảm từ 58,2% năm 2006": the value's own time, named with it
    return found


def indicator_candidates(proposals: list[tuple[str, str]], *, cascade: str, unit: str, norm_unit: str,
                         is_count: bool, kind: str, list_intro: str = "") -> dict:
    """Each phrase some rule proposes ("left", "right", "list_head", "inherited",
    …), with its features; `list_intro`: the words before the colon that opens
    the value's list ("như:", "gồm:")."""
    _, _, lengths = _settings()
    found: dict = {}

    def add(phrase: str, features: list[str]) -> None:
        phrase = phrase.strip()
        if phrase:
            found.setdefault(phrase, []).extend(features)

    for source, phrase in [("cascade", cascade), *proposals]:
        add(phrase, [f"src={source}"])
    shape = "count" if is_count else norm_unit if norm_unit in ("%", "VND", "USD") else "other"
    for phrase, features in found.items():
        sylls = phrase.split()
        sources = [f for f in features if f.startswith("src=")]
        features += [f"len={_bucket(len(sylls), lengths)}", f"first={sylls[0].lower()}", f"last={sylls[-1].lower()}"]
        features += [f"{s}&{shape}" for s in sources]
        features += [f"{s}&kind={kind}" for s in sources]
        if list_intro:
            features += [f"{s}&intro={w}" for s in sources for w in list_intro.split()]
        if phrase[:1].isupper():
            features.append("upper")
        if _DIGIT.search(phrase):
            features.append("digit")
        if "(" in phrase or ")" in phrase:
            features.append("paren")
        if " - " in phrase or " – " in phrase:
            features.append("dash")
        if indicator_id(phrase):
            features.append("has_id")
        if names_no_indicator(phrase):
            features.append("no_indicator")
        if phrase.lower() == unit.lower():
            features.append("is_unit")
    return found
