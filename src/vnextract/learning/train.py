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

from ..stages.decisions import DECISIONS, Model, templates
from .examples import Examples

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


def fit(examples: Examples, keep: set[str] | None = None) -> dict:
    """The model's JSON data from the examples of the documents in `keep` (all when None)."""
    settings = _settings()
    data = {"format": FORMAT}
    for decision in DECISIONS:
        rows = [(ex[-2], ex[-1]) for ex in examples.by_decision()[decision] if keep is None or ex[0] in keep]
        data[decision] = fit_decision(rows, float(settings["C"][decision]), int(settings["min_count"]),
                                      tuple(settings.get("ignored", {}).get(decision, ())))
    docs = {ex[0] for ex in examples.status if keep is None or ex[0] in keep}
    data["meta"] = {"documents": len(docs), "records": sum(1 for ex in examples.status if keep is None or ex[0] in keep)}
    return data


def to_model(data: dict) -> Model:
    return Model(data)


def write_model(data: dict, path: str | Path) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0, separators=(",", ":")) + "\n"
    Path(path).write_text(text, encoding="utf-8")
