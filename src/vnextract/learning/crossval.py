"""Grouped cross-validation: each fold's documents are scored by a model
trained on the other folds' documents only, beside the rules alone on the
same documents (SPEC §4 scoring)."""
from __future__ import annotations

from dataclasses import dataclass

from ..evaluation.scoring import EvalReport, evaluate
from ..inputs.documents import Document
from ..stages.records import build_records
from .examples import Examples
from .folds import folds_of
from ..stages.decisions import Model
from .train import fit


@dataclass
class Fold:
    documents: list[str]
    rules: EvalReport
    model: EvalReport
    golds: list[dict]
    predictions: list[dict]  # the model's records of the fold's documents


def pooled(folds: list[Fold]) -> EvalReport:
    """The model's records of every fold scored together (each by the model that did not see it)."""
    return evaluate([g for f in folds for g in f.golds], [p for f in folds for p in f.predictions])


def predictions(documents: list[Document], model) -> list[dict]:
    return [r.to_dict() for d in documents for r in build_records(d.doc_id, d.text, d.meta, model=model)]


def cross_validate(documents: list[Document], golds: dict[str, list[dict]], examples: Examples, k: int) -> list[Fold]:
    scored = [d for d in documents if golds.get(d.doc_id)]
    by_id = {d.doc_id: d for d in scored}
    result = []
    for test_ids in folds_of(list(by_id), k):
        held_out = set(test_ids)
        model = Model(fit(examples, keep=set(by_id) - held_out))
        docs = [by_id[i] for i in test_ids]
        fold_golds = [g for d in docs for g in golds.get(d.doc_id, [])]
        predicted = predictions(docs, model)
        result.append(Fold(test_ids, evaluate(fold_golds, predictions(docs, None)), evaluate(fold_golds, predicted),
                           fold_golds, predicted))
    return result
