"""Text folding for comparing indicator, locality and unit strings (SPEC "Folding text").

Vietnamese writers put tone marks in two conventions (``hoà`` / ``hòa``) and
sometimes on the wrong letter (``Qúy``). Folding strips each syllable's tone and
puts it back by one fixed rule, so the same word compares equal whoever wrote it,
and the result still reads as Vietnamese (``thành phố``), which keeps reports legible.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook above, dot below
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED = frozenset("ăâêôơư")  # a vowel with a quality mark always carries the tone
_NOT_PUNCTUATION = frozenset("%‰")  # unit signs: folding them away would make `%` equal to ``


class _PunctuationToSpace(dict):
    """``str.translate`` table filled on demand: Unicode punctuation (P*) → space."""

    def __missing__(self, cp: int) -> int:
        ch = chr(cp)
        out = 32 if unicodedata.category(ch)[0] == "P" and ch not in _NOT_PUNCTUATION else cp
        self[cp] = out
        return out


_PUNCTUATION_TO_SPACE = _PunctuationToSpace()


def _tone_index(syllable: str) -> int:
    """Index of the letter that takes the tone, by the traditional placement
    (``hòa``, ``thủy``, ``khỏe``, ``quý``, ``giá``, ``hoàng``, ``người``)."""
    n = len(syllable)
    # In `qu` and `gi` before a vowel, the u / i is part of the consonant.
    i = 2 if syllable[:2] in ("qu", "gi") and n > 2 and syllable[2] in _VOWELS else 0
    while i < n and syllable[i] not in _VOWELS:
        i += 1
    j = i
    while j < n and syllable[j] in _VOWELS:
        j += 1
    if i == j:  # no vowel: leave the mark on the last letter
        return n - 1
    marked = [k for k in range(i, j) if syllable[k] in _MARKED]
    if marked:
        return marked[-1]  # ươ → ơ
    if j - i >= 3:
        return i + 1  # oai, uyu → middle
    if j - i == 2 and j == n:
        return i  # open diphthong: hòa, mùa, hai
    return j - 1  # single vowel, or closed syllable: hoàn, huỳnh


@lru_cache(maxsize=1 << 16)
def _fold_syllable(token: str) -> str:
    if token.isascii():
        return token
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", token):
        if ch in _TONES:
            tone = tone or ch
        else:
            kept.append(ch)
    bare = unicodedata.normalize("NFC", "".join(kept))
    if not tone:
        return bare
    k = _tone_index(bare) + 1
    return unicodedata.normalize("NFC", bare[:k] + tone + bare[k:])


@lru_cache(maxsize=1 << 13)
def fold_text(s: str | None) -> str:
    """NFC, lower case, one tone placement, punctuation and dashes as spaces,
    white space collapsed; None folds to ``""``."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).lower().translate(_PUNCTUATION_TO_SPACE)
    return " ".join(_fold_syllable(token) for token in s.split())


# `tp` / `tx` as a whole word or before a dot (`tp.hcm`), and `h.`; matched
# before punctuation turns the dot into a space and the abbreviation becomes ambiguous.
_TYPE_WORD = re.compile(r"(?<!\w)(?:(tp|tx)(?:\.|(?!\w))|h\.)")
_TYPE_NAME = {"tp": " thành phố ", "tx": " thị xã ", None: " huyện "}


@lru_cache(maxsize=1 << 13)
def fold_locality(s: str | None) -> str:
    """``fold_text`` with the administrative type words unified
    (``TP. Đà Nẵng`` = ``thành phố Đà Nẵng``, ``h. Hải Hà`` = ``huyện Hải Hà``)."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).lower()
    return fold_text(_TYPE_WORD.sub(lambda m: _TYPE_NAME[m.group(1)], s))
