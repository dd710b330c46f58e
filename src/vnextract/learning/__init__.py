"""Learning the decisions from a gold set: examples, fitting, grouped cross-validation.

    examples  the rules' candidates of each quantity, labelled by its gold record
    train     one logistic regression per decision → plain JSON weights
    folds     K folds grouped by document
    crossval  each fold scored by a model trained on the others, beside the rules alone

May import: `inputs`, `stages`, `evaluation`. Never batch, review or tracking.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..inputs.documents import Document, DocumentFailure
from .crossval import Fold, cross_validate, pooled
from .examples import Examples, collect_examples, gold_by_document
from .train import fit, write_model


@dataclass
class Training:
    documents: list[Document]
    failures: list[DocumentFailure]
    golds: dict[str, list[dict]]
    examples: Examples


def prepare(golds: list[dict], items) -> Training:
    """The documents that have gold records, and their examples; documents that
    cannot be read are kept apart, to be reported."""
    by_doc = gold_by_document(golds)
    documents, failures = [], []
    for item in items:
        if isinstance(item, DocumentFailure):
            failures.append(item)
        elif item.doc_id in by_doc:
            documents.append(item)
    return Training(documents, failures, by_doc, collect_examples(documents, by_doc))


def train(training: Training, output: str | Path) -> dict:
    """Fit on every example and write the model file; its data back."""
    data = fit(training.examples)
    write_model(data, output)
    return data


__all__ = ["pooled", "Examples", "Fold", "Training", "collect_examples", "cross_validate", "fit", "gold_by_document", "prepare",
           "train", "write_model"]
