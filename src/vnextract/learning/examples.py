"""Training examples: the rules' candidates of each quantity, labelled by the gold record it aligns with.

A quantity pairs with a gold record as the scorer pairs them (SPEC §4:
overlapping spans, largest overlap first); optional gold records and
quantities no gold record holds give no example. Labels:

- status: whether the gold record is a target;
- year: for each candidate year, whether it is the gold year (a quantity
  whose gold year no rule proposes gives no year examples);
- indicator: for each candidate phrase, whether the scorer would accept it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..evaluation.scoring import align, indicator_match
from ..inputs.documents import Document
from ..stages.indicators import indicator_id
from ..stages.records import build_records


@dataclass
class Examples:
    """Feature lists and labels per decision, with the document each came from (for grouped folds)."""

    status: list = field(default_factory=list)  # (doc_id, features, is_target)
    year: list = field(default_factory=list)  # (doc_id, group, features, is_gold)
    indicator: list = field(default_factory=list)
    # Per paired quantity: (doc_id, its candidates, the gold status, the candidate phrases the scorer accepts),
    # for calibrating the record's confidence on decisions made without its document.
    quantities: list = field(default_factory=list)
    documents: int = 0
    records: int = 0

    def by_decision(self) -> dict:
        return {"status": self.status, "year": self.year, "indicator": self.indicator}


def gold_by_document(golds: Iterable[dict]) -> dict[str, list[dict]]:
    found = defaultdict(list)
    for gold in golds:
        found[gold["doc_id"]].append(gold)
    return found


def collect_examples(documents: Iterable[Document], golds: dict[str, list[dict]]) -> Examples:
    """Examples from every document that has gold records."""
    examples = Examples()
    group = 0
    for document in documents:
        doc_golds = golds.get(document.doc_id)
        if not doc_golds:
            continue
        found: list = []
        records = build_records(document.doc_id, document.text, document.meta, model=None, collect=found)
        examples.documents += 1
        by_start = {candidates.start: candidates for candidates in found}  # figures of tables have none
        preds = [{"start": r.start, "end": r.end} for r in records]
        for pi, gi in align(preds, doc_golds):
            gold = doc_golds[gi]
            candidates = by_start.get(records[pi].start)
            if gold.get("optional") or candidates is None:
                continue
            examples.records += 1
            doc_id = document.doc_id
            examples.status.append((doc_id, candidates.status, gold.get("status") == "target"))
            if gold.get("year") in candidates.years:
                group += 1
                examples.year += [(doc_id, group, features, year == gold.get("year"))
                                  for year, features in candidates.years.items()]
            labels = {phrase: indicator_match({"indicator": phrase, "indicator_id": indicator_id(phrase)}, gold)
                      for phrase in candidates.indicators}
            examples.quantities.append((doc_id, candidates, gold.get("status"),
                                        frozenset(p for p, ok in labels.items() if ok)))
            if any(labels.values()):
                group += 1
                examples.indicator += [(doc_id, group, features, labels[phrase])
                                       for phrase, features in candidates.indicators.items()]
    return examples
