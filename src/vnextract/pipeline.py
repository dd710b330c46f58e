"""The public pipeline: documents → records, one straight line of stages.

documents (read, NFC) → sentences/tokens (segmentation) → quantities
(numbers, units) → records (cues, periods, localities, indicators) → writers.
"""
from __future__ import annotations

from typing import IO, Iterable, Iterator, Union

from .inputs.documents import Document, DocumentFailure, DocumentMeta, iter_documents, normalize_text
from .inputs.limits import DEFAULT_LIMITS, Limits
from .stages.records import Record, build_records


def extract(text: str, doc_id: str = "doc") -> list[Record]:
    """Records of one text (NFC-normalised first: offsets index the NFC text)."""
    return build_records(doc_id, normalize_text(text))


def extract_document(document: Document) -> list[Record]:
    return build_records(document.doc_id, document.text, document.meta)


def extract_documents(
    inputs: Iterable[Union[str, "object"]],
    stdin: IO[bytes] | None = None,
    meta: dict[str, DocumentMeta] | None = None,
    sheets: bool = True,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[Document | DocumentFailure, list[Record]]]:
    """For each input document, in order: the document (or why it failed) and its records.

    An exception inside one document becomes a `DocumentFailure` for it; the
    batch goes on. `sheets=False` ignores the sheets found beside folders (text alone).
    `limits` bound what each input may cost (`inputs/limits`)."""
    for item in iter_documents(inputs, stdin=stdin, meta=meta, sheets=sheets, encoding=encoding, limits=limits):
        if isinstance(item, DocumentFailure):
            yield item, []
            continue
        try:
            yield item, extract_document(item)
        except Exception as err:  # one bad document must not cost the others
            yield DocumentFailure(item.doc_id, item.source, type(err).__name__, str(err)), []
