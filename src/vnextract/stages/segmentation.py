"""Stage 2: document text → sentences and word tokens, aligned to offsets.

underthesea returns strings without offsets (and may rewrite them), so every
sentence and token is found again in the original text. Lines are split first:
`sent_tokenize` does not break at line ends, and headings ("Dấu ấn 2023") are
lines of their own in this genre. Tokenising is the costly step, so callers
ask only for the spans their rules need.

A sentence longer than `MAX_SENTENCE` characters (a table pasted as one
line, a dump without punctuation) is cut into pieces at the safest point
near the bound — a semicolon, else a list comma, else a space — because the
stages after this one look around each figure within its sentence, which
would cost the square of the sentence's length. Prose sentences are far
shorter than the bound (the longest in the dev corpus has 704 characters),
so their records do not change.

No sentence edge may fall inside a figure the rules found (`whole`): the
splitter reads "giá Rs. 20" as two sentences, and a record's sentence must
hold its span, so a sentence that ends inside one runs on into the next, and
a long one is never cut inside one.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple, Sequence

import regex

from .underthesea_parts import pos_tagger, sentence_splitter, word_tagger

_LINE = regex.compile(r"[^\n]+")
_NON_SPACE = regex.compile(r"\S+")

MAX_SENTENCE = 1_000
# Where a long sentence may be cut, safest first: after a semicolon, after a
# comma that separates list items (not a decimal comma), at white space.
_CUTS = (regex.compile(r"(?r);"), regex.compile(r"(?r),(?=\s)"), regex.compile(r"(?r)\s"))


class Sentence(NamedTuple):
    start: int
    end: int
    text: str


class Token(NamedTuple):
    """A word (or syllable, or mark) and where it stands. A named tuple: the
    pipeline makes a great many, and these are the cheapest to create."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


def join_tokens(tokens: list[Token]) -> str:
    """Tokens as written: touching ones joined directly, others by one space."""
    if not tokens:
        return ""
    out = tokens[0].text
    for prev, token in zip(tokens, tokens[1:]):
        out += ("" if token.start == prev.end else " ") + token.text
    return out


def split_sentences(text: str, whole: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """Sentences with offsets: line by line, then underthesea's sentence
    splitter; none cuts a span of `whole` (sorted, disjoint)."""
    return list(iter_sentences(text, whole))


def iter_sentences(text: str, whole: Sequence[tuple[int, int]] = ()) -> Iterator[Sentence]:
    """`split_sentences`, a line at a time: a caller that has what it needs
    stops before the rest of the text is split."""
    ends = [end for _, end in whole]
    held: int | None = None  # the start of a sentence that ends inside a span of `whole`
    sentence = None
    for sentence in _split(text):
        start = sentence.start if held is None else held
        k = bisect_right(ends, sentence.end)  # the first span that ends after the sentence
        if k < len(whole) and whole[k][0] < sentence.end:
            held = start
            continue
        held = None
        if start != sentence.start:
            sentence = Sentence(start, sentence.end, text[start : sentence.end])
        if sentence.end - sentence.start > MAX_SENTENCE:
            yield from _pieces(text, sentence, whole, ends)
        else:
            yield sentence
    if held is not None:  # the last one ends inside a span: a piece of text it never reached
        yield from _pieces(text, Sentence(held, sentence.end, text[held : sentence.end]), whole, ends)


def _split(text: str) -> Iterator[Sentence]:
    """Lines, then underthesea's sentences within each line."""
    sent_tokenize = sentence_splitter()
    for line in _LINE.finditer(text):
        sentences: list[Sentence] = []
        line_text = line.group()
        if not line_text.strip():
            continue
        cursor = 0
        for piece in sent_tokenize(line_text) if _has_sentence_end(line_text) else [line_text]:
            found = _find_words(line_text, piece, cursor)
            if found is None:
                continue
            start, end = found
            glued_stop, glued_next = _glued_stop()
            if sentences and start == cursor and glued_stop.search(line_text, 0, cursor) \
                    and glued_next.match(line_text, start):
                # "(KV.I)": a stop glued to what follows ends no sentence
                last = sentences.pop()
                start = last.start - line.start()
            sentences.append(Sentence(line.start() + start, line.start() + end, line_text[start:end]))
            cursor = end
        if cursor < len(line_text.rstrip()):
            # Whatever the splitter dropped still belongs to the last sentence.
            rest_end = len(line_text.rstrip())
            if sentences:
                last = sentences.pop()
                sentences.append(Sentence(last.start, line.start() + rest_end, text[last.start : line.start() + rest_end]))
            else:
                sentences.append(Sentence(line.start(), line.start() + rest_end, line_text[:rest_end]))
        yield from sentences


def _pieces(text: str, sentence: Sentence, whole: Sequence[tuple[int, int]] = (), ends: Sequence[int] = (),
            bound: int = MAX_SENTENCE) -> Iterator[Sentence]:
    """A long sentence as pieces of at most `bound` characters, cut at the
    safest point in the second half of that range (a run of `bound`
    characters with no space in it is cut where the bound falls), never
    inside a span of `whole` (one that holds the cut moves it to its start,
    or to its end when it starts the piece); `ends` are the spans' ends."""
    start, end = sentence.start, sentence.end
    while end - start > bound:
        low, high = start + bound // 2, start + bound
        cut = high
        for pattern in _CUTS:
            found = pattern.search(text, low, high)
            if found is not None:
                cut = found.end() if found.group() in ";," else found.start()
                break
        k = bisect_right(ends, cut)
        if k < len(whole) and whole[k][0] < cut:
            cut = whole[k][0] if whole[k][0] > start else whole[k][1]
            if cut >= end:
                break
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        yield Sentence(start, piece_end, text[start:piece_end])
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield Sentence(start, end, text[start:end])


@lru_cache(maxsize=1)
def _glued_stop() -> tuple[regex.Pattern, regex.Pattern]:
    from ..rules import load_rules

    rules = load_rules("segmentation")
    return regex.compile(rules["glued_stop"]), regex.compile(rules["glued_next"])


def _has_sentence_end(line: str) -> bool:
    """Skip the splitter for lines that cannot hold two sentences."""
    return any(mark in line[:-1] for mark in ".!?…")


def _find_words(haystack: str, piece: str, cursor: int) -> tuple[int, int] | None:
    """Locate `piece` (whose white space may differ) in `haystack` from `cursor`."""
    words = piece.split()
    if not words:
        return None
    start = haystack.find(words[0], cursor)
    if start < 0:
        return None
    end = start + len(words[0])
    for word in words[1:]:
        nxt = haystack.find(word, end)
        if nxt < 0:
            return None
        end = nxt + len(word)
    return start, end


def tokenize(text: str, start: int = 0, end: int | None = None, boundaries: Iterable[int] = ()) -> list[Token]:
    """underthesea word tokens of `text[start:end]` with offsets into `text`.

    No word runs across an offset in `boundaries` (the edges of places, time
    phrases and numbers the rules found): the segmenter sometimes glues a
    word to a name ("GRDP Khánh Hoà"), and the rules must see both."""
    end = len(text) if end is None else end
    cuts = sorted({b for b in boundaries if start < b < end})
    tokens: list[Token] = []
    n, j = len(cuts), 0  # cuts[j] is the first cut right of the token's start
    for s, e in _token_offsets(text[start:end]):
        s, e = start + s, start + e
        while j < n and cuts[j] <= s:
            j += 1
        if j == n or cuts[j] >= e:
            tokens.append(Token(s, e, text[s:e]))
            continue
        inside = cuts[j : bisect_left(cuts, e, j)]
        for a, b in zip([s, *inside], [*inside, e]):
            piece = text[a:b]
            a, b = a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))
            if a < b:
                tokens.append(Token(a, b, text[a:b]))
    return tokens


@lru_cache(maxsize=2048)
def pos_tags(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """underthesea's POS tags (VLSP 2013) of a run of words, or None without a
    tagger (cached: list items and table rows repeat). Read only where a rule
    asks what a word is: the few words around a bare count or a comma."""
    tagger = pos_tagger()
    if tagger is None:
        return None
    # One space between the syllables of a word: underthesea_core's features
    # split on it, and an empty piece ("15/5/2024  553,73") makes it panic.
    try:
        return tuple(tag.partition("-")[2] for tag in tagger.predict([[" ".join(w.split())] for w in words]))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a panic of underthesea_core is no Exception; the words go untagged
        return None


@lru_cache(maxsize=512)
def _token_offsets(chunk: str) -> tuple[tuple[int, int], ...]:
    """Word spans of a chunk. Cached (small): headings and list items recur."""
    tagger = word_tagger()
    if tagger is None:
        return _aligned_word_tokenize(chunk)
    found = list(_SYLLABLE.finditer(chunk))
    if not found:
        return ()
    tags = tagger.predict([[m.group()] for m in found])
    words: list[list[tuple[int, int]]] = []  # the syllable spans of each word
    for tag, m in zip(tags, found):
        if words and tag == "I-W" and chunk[words[-1][-1][1] : m.start()].isspace():
            words[-1].append(m.span())
        else:
            words.append([m.span()])
    split_last = _split_last()
    spans: list[tuple[int, int]] = []
    for word in words:
        if len(word) == 1:
            spans.append(word[0])
        else:
            spans.extend(_repaired(chunk, word, split_last))
    return tuple(spans)


def _repaired(chunk: str, syllables: list[tuple[int, int]], split_last: dict[str, frozenset[str]]) -> list[tuple[int, int]]:
    """Cut a glued cue (one or two syllables) off the end of a word (rules/segmentation.yaml)."""
    whole = (syllables[0][0], syllables[-1][1])
    for size in (2, 1):
        if len(syllables) <= size:
            continue
        compounds = split_last.get(" ".join(chunk[a:b] for a, b in syllables[-size:]).lower())
        if compounds is None:
            continue
        if " ".join(chunk[a:b] for a, b in syllables).lower() in compounds:
            return [whole]
        return [(syllables[0][0], syllables[-size - 1][1]), (syllables[-size][0], syllables[-1][1])]
    return [whole]


@lru_cache(maxsize=1)
def _split_last() -> dict[str, frozenset[str]]:
    from ..rules import load_rules

    rules = load_rules("segmentation")["split_last"]
    return {syllable: frozenset(c.lower() for c in entry["compounds"]) for syllable, entry in rules.items()}


def _aligned_word_tokenize(chunk: str) -> tuple[tuple[int, int], ...]:
    from underthesea import word_tokenize

    offsets: list[tuple[int, int]] = []
    cursor = 0
    for token in word_tokenize(chunk, use_token_normalize=False):
        found = _find_words(chunk, token, cursor)
        if found is None:
            continue
        offsets.append(found)
        cursor = found[1]
    return tuple(offsets)


_SYLLABLE = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[.,/][\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]")


def syllable_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Syllables and punctuation: a cheap stand-in for word tokens where only
    multi-word cue phrases are looked for (sentences that hold no number)."""
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _SYLLABLE.finditer(text, start, end)]


def spacy_doc(text: str, tokens: list[Token], vocab=None):
    """A spaCy `Doc` whose `.text` equals `text`, built from aligned tokens
    (in `vocab`, a pipeline's, when given).

    `spacy.blank("vi")` needs pyvi, so the Doc is made from words and spaces.
    Non-space characters the tokeniser skipped become words of their own and
    white space other than one blank becomes a space token, so nothing is lost.
    """
    from spacy.tokens import Doc

    segments: list[tuple[int, int]] = []
    cursor = 0
    for token in [*tokens, Token(len(text), len(text), "")]:
        segments.extend(m.span() for m in _NON_SPACE.finditer(text, cursor, token.start))
        if token.text:
            segments.append((token.start, token.end))
        cursor = token.end
    words: list[str] = []
    spaces: list[bool] = []
    previous_end = 0
    for start, end in segments:
        gap = text[previous_end:start]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            words.append(gap)
            spaces.append(False)
        words.append(text[start:end])
        spaces.append(False)
        previous_end = end
    if previous_end < len(text):
        words.append(text[previous_end:])
        spaces.append(False)
    return Doc(vocab if vocab is not None else _vocab(), words=words, spaces=spaces)


@lru_cache(maxsize=1)
def _vocab():
    from spacy.vocab import Vocab

    return Vocab()
