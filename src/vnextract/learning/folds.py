"""Folds grouped by document: every quantity of a document falls in the same fold."""
from __future__ import annotations


def folds_of(doc_ids: list[str], k: int) -> list[list[str]]:
    """K groups of the documents (scikit-learn's GroupKFold over their ids: no randomness)."""
    from sklearn.model_selection import GroupKFold

    ids = sorted(doc_ids)
    if len(ids) < 2:
        raise ValueError(f"folds need at least 2 documents with gold records, not {len(ids)}")
    k = max(2, min(k, len(ids)))
    return [[ids[i] for i in test] for _, test in GroupKFold(n_splits=k).split(ids, groups=ids)]
