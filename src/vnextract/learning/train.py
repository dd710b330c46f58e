"""Fitting the decisions: one L2-regularised logistic regression per decision
(scikit-learn), written as plain JSON weights that `stages/decisions.py`
reads without scikit-learn.

Deterministic: features are sorted, the solver (lbfgs) has no randomness,
weights are rounded, and the JSON is written with sorted keys, so training
twice on the same gold gives the same bytes.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..stages.decisions import CONFIDENCE_INPUTS, DECISIONS, Model, confidence_inputs, templates
from .examples import Examples
from .folds import folds_of

FORMAT = "vnextract-decisions/1"


def _settings() -> dict:
    return templates()["training"]


def fit_decision(rows: list[tuple[list[str], bool]], c: float, min_count: int, ignored: tuple[str, ...] = ()) -> dict:
    """Weights (feature → float) and bias of one logistic regression."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for features, _ in rows for f in set(features) if not f.startswith(ignored))
    vocabulary = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocabulary)}
    labels = [bool(label) for _, label in rows]
    if len(set(labels)) < 2 or not vocabulary:
        share = sum(labels) / len(labels) if labels else 0.5
        share = min(max(share, 1e-3), 1 - 1e-3)
        return {"bias": round(float(np.log(share / (1 - share))), 6), "weights": {}}
    data, cols, indptr = [], [], [0]
    for features, _ in rows:
        present = sorted({index[f] for f in features if f in index})
        cols += present
        data += [1.0] * len(present)
        indptr.append(len(cols))
    matrix = csr_matrix((data, cols, indptr), shape=(len(rows), len(vocabulary)))
    learner = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)
    learner.fit(matrix, labels)
    weights = {f: round(float(w), 5) for f, w in zip(vocabulary, learner.coef_[0]) if round(float(w), 5) != 0.0}
    return {"bias": round(float(learner.intercept_[0]), 5), "weights": weights}


def _fit_decisions(examples: Examples, keep: set[str]) -> dict:
    settings = _settings()
    data = {"format": FORMAT}
    for decision in DECISIONS:
        rows = [(ex[-2], ex[-1]) for ex in examples.by_decision()[decision] if ex[0] in keep]
        data[decision] = fit_decision(rows, float(settings["C"][decision]), int(settings["min_count"]),
                                      tuple(settings.get("ignored", {}).get(decision, ())))
    return data


def _held_out_decisions(examples: Examples, keep: set[str], k: int) -> list[tuple[list[float], bool]]:
    """For each quantity of `keep`'s documents: the decision probabilities of a
    model fitted without its document (grouped folds), and whether the record
    those decisions make is right (status and an accepted indicator)."""
    rows = []
    for held_out in folds_of(sorted(keep), k):
        held = set(held_out)
        model = Model(_fit_decisions(examples, keep - held))
        for doc_id, candidates, gold_status, accepted in examples.quantities:
            if doc_id in held:
                status, _year, indicator, probabilities = model.decide(candidates)
                rows.append((confidence_inputs(probabilities), status == gold_status and indicator in accepted))
    return rows


def fit(examples: Examples, keep: set[str] | None = None) -> dict:
    """The model's JSON data from the examples of the documents in `keep` (all when None):
    the decisions, and the record confidence calibrated on held-out decisions."""
    keep = {ex[0] for ex in examples.status} if keep is None else set(keep) & {ex[0] for ex in examples.status}
    settings = _settings()
    data = _fit_decisions(examples, keep)
    if len(keep) >= 2:
        held_out = _held_out_decisions(examples, keep, int(settings["calibration_folds"]))
        data["confidence"] = fit_calibration(held_out, float(settings["C"]["confidence"]))
    else:  # one document: no decision can be made without it
        data["confidence"] = None
    data["meta"] = {"documents": len(keep), "records": sum(1 for ex in examples.status if ex[0] in keep)}
    return data


def fit_calibration(rows: list[tuple[list[float], bool]], c: float) -> dict | None:
    """A logistic regression from the decisions' log-odds to whether the record is right."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    labels = [ok for _, ok in rows]
    if len(set(labels)) < 2:
        return None  # nothing to calibrate on: the model's confidence is the product of its probabilities
    learner = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)
    learner.fit(np.array([x for x, _ in rows]), labels)
    return {"bias": round(float(learner.intercept_[0]), 5),
            "weights": {name: round(float(w), 5) for name, w in zip(CONFIDENCE_INPUTS, learner.coef_[0])}}


def write_model(data: dict, path: str | Path) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0, separators=(",", ":")) + "\n"
    Path(path).write_text(text, encoding="utf-8")
