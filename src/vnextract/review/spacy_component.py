"""vnextract as a spaCy pipeline component, to combine it with other components.

`nlp.add_pipe("vnextract")` works on any `Language` (the factory is
registered through the `spacy_factories` entry point, so installing the
package is enough): it runs the whole extraction on `doc.text` and puts one
span per record in `doc.spans["vnextract"]`, labelled with the record's
status, with `span._.record` the record as a dict. The extraction reads the
text itself (its own sentences and words), so it does not depend on the
pipeline's tokenizer; a span covers the tokens the figure falls in
(`span._.record["start"]`/`["end"]` are exact character offsets into
`doc.text`, and equal the span's when the tokens are vnextract's).

`nlp()` builds a pipeline whose tokenizer is vnextract's own: underthesea
words aligned to the text, sentence starts set, so `doc.sents` are the
sentences the rules see.

The rules come from the rules folder (`$VNEXTRACT_RULES`, see
`vnextract.rules`), which is global to the process, not per component.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from ..inputs.documents import normalize_text
from ..inputs.metadata import DocumentMeta
from ..pipeline import current_model
from ..stages.records import build_records
from ..stages.segmentation import iter_sentences, spacy_doc, tokenize

FACTORY = "vnextract"
TOKENIZER = "vnextract.Tokenizer.v1"
_RECORDS = "vnextract_records"  # doc.user_data key: spans key → the records, by span id

if not Span.has_extension("record"):
    Span.set_extension("record", getter=lambda span: _record_of(span))


def _record_of(span: Span) -> dict | None:
    """The record of a span this component made (found by its span id, so two
    figures inside one token of a coarse tokenizer keep their own records)."""
    if not span.id_.startswith(f"{FACTORY}:"):
        return None
    _, key, index = span.id_.split(":", 2)
    records = span.doc.user_data.get((_RECORDS, key)) or []
    i = int(index)
    return records[i] if i < len(records) else None


@Language.factory(
    FACTORY,
    assigns=["doc.spans"],
    default_config={"spans_key": "vnextract", "model": ""},
)
def make_vnextract(nlp: Language, name: str, spans_key: str, model: str) -> "VnextractComponent":
    """`model`: a file written by `vnextract train`, "rules", or "" for the shipped model."""
    return VnextractComponent(spans_key, model)


class VnextractComponent:
    """Records of a Doc as spans. `doc.user_data["doc_id"]`, `["locality"]`,
    `["year"]` and `["month"]` stand in for the document's id and metadata
    when set (the month tells a 2025 article before or after the July reorganisation)."""

    def __init__(self, spans_key: str = "vnextract", model: str = ""):
        if ":" in spans_key:
            raise ValueError(f"spans_key {spans_key!r}: no ':' in the key, it is part of each span's id")
        self.spans_key = spans_key
        self.model = current_model(model or None)

    def __call__(self, doc: Doc) -> Doc:
        text = normalize_text(doc.text)
        back = _offsets_back(doc.text, text)
        meta = DocumentMeta(locality=doc.user_data.get("locality"), year=doc.user_data.get("year"),
                            month=doc.user_data.get("month"))
        records, spans = [], []
        for record in build_records(str(doc.user_data.get("doc_id", "doc")), text, meta, model=self.model):
            row = record.to_dict()
            if back is not None:
                row["start"], row["end"] = back[record.start], back[record.end]
                row["span"] = doc.text[row["start"]:row["end"]]
            span = doc.char_span(row["start"], row["end"], alignment_mode="expand")
            if span is None:
                continue  # offsets outside every token: the text has only white space there
            spans.append(Span(doc, span.start, span.end, label=record.status,
                              span_id=f"{FACTORY}:{self.spans_key}:{len(records)}"))
            records.append(row)
        doc.user_data[(_RECORDS, self.spans_key)] = records
        doc.spans[self.spans_key] = spans
        return doc


def _offsets_back(original: str, nfc: str) -> list[int] | None:
    """Index in `original` of each index of its NFC form (None when they are
    the same text): normalised one grapheme cluster at a time, so a record's
    edges, which fall between clusters, map exactly."""
    if original == nfc:
        return None
    back: list[int] = []
    built = []
    for cluster in regex.finditer(r"\X", original):
        piece = unicodedata.normalize("NFC", cluster.group())
        back.extend([cluster.start()] * len(piece))
        built.append(piece)
    back.append(len(original))
    if "".join(built) != nfc:
        raise ValueError("the text does not normalise to NFC cluster by cluster; pass NFC text "
                         "(unicodedata.normalize('NFC', text))")
    return back


# ------------------------------------------------------------- tokenizer ---


class VnTokenizer:
    """vnextract's segmentation as a spaCy tokenizer: underthesea words
    aligned to the text (white space kept, `doc.text == text`), and each
    sentence's first word a sentence start."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        sentences = list(iter_sentences(text))
        tokens = [t for s in sentences for t in tokenize(text, s.start, s.end)]
        doc = spacy_doc(text, tokens, vocab=self.vocab)
        starts = {s.start for s in sentences}
        for token in doc:
            token.is_sent_start = token.i == 0 or token.idx in starts
        return doc

    # Nothing to save: the segmenter and its rules are the installed ones.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "VnTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "VnTokenizer":
        return self


@registry.tokenizers(TOKENIZER)
def create_tokenizer() -> Callable[[Language], VnTokenizer]:
    return lambda nlp: VnTokenizer(nlp.vocab)


def vnextract_nlp(lang: str = "xx") -> Language:
    """A ready pipeline: vnextract's tokenizer and the vnextract component."""
    import spacy

    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    nlp.add_pipe(FACTORY)
    return nlp
