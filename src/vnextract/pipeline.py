"""The public pipeline: documents → records, one straight line of stages.

documents (read, NFC) → sentences/tokens (segmentation) → quantities
(numbers, units) → records (cues, periods, localities, indicators; status,
year and indicator decided by the model over the rules' candidates) → writers.
"""
from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator, Union

from .inputs.documents import Document, DocumentFailure, DocumentMeta, iter_documents, normalize_text
from .stages.decisions import DEFAULT_MODEL, Model, load_model
from .inputs.limits import DEFAULT_LIMITS, Limits
from .stages.records import Record, build_records

# The model the commands of this process (and the workers it starts) decide with:
# a file written by `vnextract train`, "rules" for the rules alone, unset for the shipped model.
MODEL_VARIABLE = "VNEXTRACT_MODEL"


@contextmanager
def using_model(name: "str | Path") -> Iterator[Model | None]:
    """Decide with this model inside the block, in this process and the workers
    it starts (they read `VNEXTRACT_MODEL`); the model is read, and a bad file
    reported, at once. The setting before it is restored after."""
    model = load_model(str(name))
    before = os.environ.get(MODEL_VARIABLE)
    os.environ[MODEL_VARIABLE] = str(name) if str(name) in ("rules", "default") else str(Path(name).resolve())
    try:
        yield model
    finally:
        if before is None:
            os.environ.pop(MODEL_VARIABLE, None)
        else:
            os.environ[MODEL_VARIABLE] = before


def model_identity() -> str:
    """What decides in this run, as a resume manifest records it: "rules", or
    the hash of the model file in force (the shipped one by default)."""
    name = os.environ.get(MODEL_VARIABLE) or "default"
    if name == "rules":
        return "rules"
    path = DEFAULT_MODEL if name == "default" else Path(name)
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return f"unreadable:{name}"


def decisions_in_force() -> "str | Model":
    """What decides now, as a value another process can be given: "rules", or
    the model itself (a path may not exist where the work is sent)."""
    model = current_model()
    return "rules" if model is None else model


def current_model(model: "str | Path | Model | None" = None) -> Model | None:
    """`model` when given, else the one `using_model` set, else the shipped model."""
    if model is not None:
        return load_model(model)
    return load_model(os.environ.get(MODEL_VARIABLE) or None)


def extract(text: str, doc_id: str = "doc", model: "str | Path | Model | None" = None) -> list[Record]:
    """Records of one text (NFC-normalised first: offsets index the NFC text).
    `model`: a model file, a loaded model, or "rules"; default the shipped model."""
    return build_records(doc_id, normalize_text(text), model=current_model(model))


def extract_document(document: Document, model: "str | Path | Model | None" = None) -> list[Record]:
    return build_records(document.doc_id, document.text, document.meta, model=current_model(model))


def extract_documents(
    inputs: Iterable[Union[str, "object"]],
    stdin: IO[bytes] | None = None,
    meta: dict[str, DocumentMeta] | None = None,
    sheets: bool = True,
    encoding: str | None = None,
    model: "str | Path | Model | None" = None,
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
            yield item, extract_document(item, model)
        except Exception as err:  # one bad document must not cost the others
            yield DocumentFailure(item.doc_id, item.source, type(err).__name__, str(err)), []
