"""underthesea's word-segmentation CRF, decoded from its own model file with
the features of each syllable computed once.

Why: `underthesea_core` turns every syllable into 43 feature strings (the
syllable and its neighbours, lower-cased, title-cased, digits, dictionary
look-ups), hands them to the tagger as Python strings, and the tagger hashes
them back: about 27 µs a syllable, most of vnextract's time. Those features
are sums over at most three neighbouring syllables, so their weights can be
added per syllable, per pair and per triple, and a syllable's share kept for
the next sentence (the syllables of a language are few; its pairs recur).
The tags are those of underthesea's tagger: the same templates
(`features.bin`), dictionary (`dictionary.bin`) and weights (`models.bin`,
a CRFsuite file), read the way `underthesea_core` reads them, and Viterbi
with its tie-breaking; `tests/test_stages.py` compares the two.

The two labels' weights travel as one complex number (B-W real, I-W
imaginary), so a sum over templates is one C-level `sum` instead of two.
"""
from __future__ import annotations

import re
import struct
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Sequence

_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?")
_I32 = re.compile(r"[+-]?[0-9]+")
# Two Viterbi scores closer than this are a tie to settle as underthesea_core
# would; the orders of summation differ by far less (about 1e-13).
_TIE = 1e-6
# Runs a cache generation holds before the next one starts (two are kept):
# memory stays bounded on any input, a few MB, as the weight tuples are
# shared (most runs of three syllables weigh alike), while a language's
# syllables and its common pairs stay at hand.
_CACHE_LIMIT = 20_000


def _is_i32(text: str) -> bool:
    """Whether Rust's `str::parse::<i32>` reads `text`: a sign, digits (leading
    zeros allowed), in range. Read without `int()` on the whole string, which
    refuses more than 4,300 digits."""
    if not _I32.fullmatch(text):
        return False
    sign = "-" if text[0] == "-" else ""
    digits = text.lstrip("+-").lstrip("0") or "0"
    return len(digits) <= 10 and -2**31 <= int(sign + digits) < 2**31


class ModelFormatError(ValueError):
    """The model file is not a CRFsuite model this reader knows."""


def read_crfsuite(path: Path) -> tuple[list[str], list[str], list[list[float]], list[list[float]]]:
    """Labels, attributes, state weights (one list per label, by attribute)
    and transition weights (from → to) of a CRFsuite model file, as
    `underthesea_core` loads it."""
    data = Path(path).read_bytes()
    if len(data) < 48 or data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ModelFormatError(f"{path}: not a CRFsuite model")
    (num_features, num_labels, num_attrs, off_features, off_labels, off_attrs) = struct.unpack_from(
        "<6I", data, 16)
    labels = _read_strings(data, off_labels, num_labels)
    attrs = _read_strings(data, off_attrs, num_attrs)
    if data[off_features : off_features + 4] != b"FEAT":
        raise ModelFormatError(f"{path}: no feature chunk")
    count = struct.unpack_from("<I", data, off_features + 8)[0] or num_features
    state = [[0.0] * len(attrs) for _ in labels]
    transition = [[0.0] * len(labels) for _ in labels]
    n_attrs, n_labels = len(attrs), len(labels)
    for kind, source, target, weight in struct.iter_unpack("<IIId", data[off_features + 12 : off_features + 12 + 20 * count]):
        if kind == 0 and source < n_attrs and target < n_labels:
            state[target][source] = weight
        elif kind == 1 and source < n_labels and target < n_labels:
            transition[source][target] = weight
    return labels, attrs, state, transition


def _read_strings(data: bytes, offset: int, count: int) -> list[str]:
    """The strings of a CQDB chunk by id, read through its backward links;
    ids are given in reading order, skipping empty slots, as underthesea_core does."""
    if data[offset : offset + 4] != b"CQDB":
        raise ModelFormatError("no string database where the header points")
    bwd_size, bwd_offset = struct.unpack_from("<II", data, offset + 16)
    strings: list[str] = []
    seen: set[str] = set()
    for (entry,) in struct.iter_unpack("<I", data[offset + bwd_offset : offset + bwd_offset + 4 * min(count, bwd_size)]):
        if entry == 0:
            continue
        size = struct.unpack_from("<I", data, offset + entry + 4)[0]
        key = data[offset + entry + 8 : offset + entry + 8 + size].split(b"\0", 1)[0].decode("utf-8", "replace")
        if key not in seen:
            seen.add(key)
            strings.append(key)
    return strings


class CachedCRFTagger:
    """B-W/I-W tags of a sentence of syllables; `predict` as underthesea's tagger."""

    def __init__(self, model_dir: Path, templates: Sequence[str], dictionary: Iterable[str]):
        labels, attrs, state, transition = read_crfsuite(Path(model_dir) / "models.bin")
        if len(labels) != 2:
            raise ModelFormatError(f"{model_dir}: {len(labels)} labels, expected 2")
        self.labels = labels
        self._model_dir, self._templates = Path(model_dir), list(templates)
        self._exact_tagger = None
        (self._t00, self._t01), (self._t10, self._t11) = transition
        self._dictionary = frozenset(dictionary)
        # Each template: the run of syllables it reads, as (first, last) offsets, and its function.
        read: dict[str, tuple[tuple[int, int], str | None]] = {}
        for template in templates:
            match = _TEMPLATE.fullmatch(template)
            if match is None:
                raise ModelFormatError(f"feature template {template!r} is not one this decoder knows")
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) is not None else first
            if last < first:
                raise ModelFormatError(f"feature template {template!r} reads backwards")
            read[template] = ((first, last), match.group(3))
        # A run of `width` syllables plays one role per span of that width (the
        # run as T[-2,-1] of one position is T[0,1] of another); a cache entry
        # holds its weight in every role.
        self._roles: dict[int, list[tuple[int, int]]] = {}
        for span, _ in read.values():
            roles = self._roles.setdefault(span[1] - span[0] + 1, [])
            if span not in roles:
                roles.append(span)
        # width → function → feature value → weight in each role. The model's
        # attributes are "template=value"; a value no attribute has weighs nothing.
        self._tables: dict[int, dict[str | None, dict[str, list[complex]]]] = {
            width: {} for width in self._roles}
        width_of = {template: span[1] - span[0] + 1 for template, (span, _) in read.items()}
        role_of = {template: self._roles[width_of[template]].index(span) for template, (span, _) in read.items()}
        for attribute, weight_b, weight_i in zip(attrs, state[0], state[1]):
            template, _, value = attribute.partition("=")
            width = width_of.get(template)
            if width is None:
                continue
            table = self._tables[width].setdefault(read[template][1], {})
            row = table.get(value)
            if row is None:
                row = table[value] = [0j] * len(self._roles[width])
            row[role_of[template]] += complex(weight_b, weight_i)
        # A position whose span lies past an edge reads "BOS" or "EOS" in every template of that span.
        self._edge = {span: tuple(sum((table[edge][role] for table in self._tables[width].values() if edge in table), 0j)
                                  for edge in ("BOS", "EOS"))
                      for width, roles in self._roles.items() for role, span in enumerate(roles)}
        # Per width: how many rows of edge weights pad the runs before and after,
        # those rows (every role reading BOS, then EOS) and each role's offset.
        self._padding = {
            width: (max(0, -min(first for first, _ in spans)), max(0, max(last for _, last in spans)),
                    tuple(self._edge[span][0] for span in spans), tuple(self._edge[span][1] for span in spans),
                    [(role, first) for role, (first, _) in enumerate(spans)])
            for width, spans in self._roles.items()}
        self._caches: dict[int, dict[str, tuple[complex, ...]]] = {width: {} for width in self._roles}
        self._older: dict[int, dict[str, tuple[complex, ...]]] = {width: {} for width in self._roles}
        self._shared: dict[tuple[complex, ...], tuple[complex, ...]] = {}

    def _value(self, text: str, function: str | None) -> str:
        """The feature value underthesea_core computes for a run of syllables."""
        if function is None:
            return text
        if function == "lower":
            return text.lower()
        if function == "isdigit":  # Rust's `str::parse::<i32>` succeeds
            return "True" if _is_i32(text) else "False"
        if function == "istitle":  # every part's first character is unchanged by upper-casing
            return "True" if all(p[:1] == p[:1].upper() for p in text.split(" ")) else "False"
        return "True" if text.lower() in self._dictionary else "False"  # is_in_dict

    def _weights(self, width: int, text: str) -> tuple[complex, ...]:
        """A run of `width` syllables (joined by spaces): its weight in each role."""
        cache = self._caches[width]
        found = cache.get(text)
        if found is None:
            found = self._older[width].get(text)
            if found is None:
                rows = [row for row in (table.get(self._value(text, function))
                                        for function, table in self._tables[width].items()) if row is not None]
                found = tuple(sum(parts, 0j) for parts in zip(*rows)) if rows else (0j,) * len(self._roles[width])
                found = self._shared.setdefault(found, found)
            if len(cache) >= _CACHE_LIMIT:
                # A new generation: the runs met since the last one stay at hand
                # while it fills, the ones not met again are dropped with it.
                self._older[width], cache = cache, {}
                self._caches[width] = cache
                if len(self._shared) >= _CACHE_LIMIT:
                    self._shared = {}
            cache[text] = found
        return found

    def emissions(self, words: Sequence[str]) -> list[complex]:
        """Each syllable's summed state weights, both labels in one complex.

        The runs of each width are padded with rows of edge weights, so every
        role reads its column as one slice: a position whose run starts before
        the sentence reads BOS (underthesea_core checks that first), one whose
        run ends past it EOS. The columns are summed in the templates' order."""
        n = len(words)
        columns = []
        weights = self._weights
        for width, (lead, trail, bos, eos, roles) in self._padding.items():
            cached = self._caches[width].get  # most runs are met again: no call for them
            runs = words if width == 1 else [" ".join(words[j : j + width]) for j in range(n - width + 1)]
            rows = [bos] * lead
            rows += [cached(run) or weights(width, run) for run in runs]
            rows += [eos] * (n + lead + trail - len(rows))
            for role, first in roles:
                columns.append(map(itemgetter(role), rows[lead + first : lead + first + n]))
        return [sum(parts, 0j) for parts in zip(*columns)]

    def predict(self, syllables: Sequence[Sequence[str]]) -> list[str]:
        """Viterbi over two labels, ties to the lower label as in underthesea_core.

        The emissions here are sums in another order than underthesea_core's,
        so they can differ from its own in the last bits: where two paths come
        closer than `_TIE` (runs of symbols the model has never seen score
        exactly alike), its tagger decides, so that the tags stay its tags."""
        if not syllables:
            return []
        emissions = self.emissions([s[0] for s in syllables])
        t00, t01, t10, t11 = self._t00, self._t01, self._t10, self._t11
        first = emissions[0]
        p0, p1 = first.real, first.imag
        back: list[tuple[int, int]] = []
        close = False
        for e in emissions[1:]:
            a, b = p0 + t00, p1 + t10
            c, d = p0 + t01, p1 + t11
            close = close or abs(a - b) < _TIE or abs(c - d) < _TIE
            to0, from0 = (b, 1) if b > a else (a, 0)
            to1, from1 = (d, 1) if d > c else (c, 0)
            p0, p1 = to0 + e.real, to1 + e.imag
            back.append((from0, from1))
        if (close or abs(p1 - p0) < _TIE) and self._exact() is not None:
            return self._exact().predict(syllables)
        label = 1 if p1 > p0 else 0
        path = [label]
        for pointers in reversed(back):
            label = pointers[label]
            path.append(label)
        names = self.labels
        return [names[y] for y in reversed(path)]

    def _exact(self) -> "CoreCRFTagger | None":
        """underthesea_core's own featurizer and tagger on the same model,
        made at the first near tie (None where underthesea_core cannot load it)."""
        if self._exact_tagger is None:
            try:
                self._exact_tagger = CoreCRFTagger(self._model_dir, self._templates, self._dictionary)
            except Exception:  # noqa: BLE001 - without it, this decoder's own call stands
                self._exact_tagger = False
        return self._exact_tagger or None


class CoreCRFTagger:
    """The same tags on `underthesea_core`'s featurizer and tagger (what
    underthesea's `word_tokenize` runs, its `FastCRFSequenceTagger.predict`)."""

    def __init__(self, model_dir: Path, templates: Sequence[str], dictionary: Iterable[str]):
        from underthesea_core import CRFFeaturizer, CRFTagger

        self._tagger = CRFTagger()
        self._tagger.load(str(Path(model_dir) / "models.bin"))
        self._featurizer = CRFFeaturizer(list(templates), set(dictionary))

    def predict(self, syllables: Sequence[Sequence[str]]) -> list[str]:
        return self._tagger.tag(self._featurizer.process([syllables])[0])
