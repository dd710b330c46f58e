"""Scoring of predicted indicator records against a gold set (SPEC §4).

Pure functions over record dicts; ``evaluate`` keeps every scored unit so the
report can be broken down by document or by any record key after the fact.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..folding import fold_locality, fold_text
from ..outputs.writers import safe_row

FIELDS = ("value", "norm_unit", "indicator", "status", "kind", "direction", "comparator", "year", "locality")
# The record test (§4 step 4) is exactly these four field tests together.
RECORD_FIELDS = frozenset({"value", "norm_unit", "indicator", "status"})
# Confidence bands the eval reports: below 0.5, 0.5 to 0.9, 0.9 and above.
CONFIDENCE_BOUNDS = (0.5, 0.9)
# Record keys shown in error items; `value` is judged on norm_value and value_max.
SHOWN = ("norm_value", "value_max", "norm_unit", "indicator", "status", "kind", "direction", "comparator", "year", "locality")


def syllable_f1(a: str | None, b: str | None) -> float:
    """F1 of the folded syllable multisets; 0 when either side is empty."""
    sa, sb = fold_text(a).split(), fold_text(b).split()
    if not sa or not sb:
        return 0.0
    common = sum((Counter(sa) & Counter(sb)).values())
    return 2 * common / (len(sa) + len(sb))  # = 2PR/(P+R), exact at the 0.5 threshold


def indicator_match(pred: dict, gold: dict) -> bool:
    """Same lexicon id, or indicator phrases sharing at least half their syllables (F1 ≥ 0.5)."""
    pid = pred.get("indicator_id")
    if pid and pid == gold.get("indicator_id"):
        return True
    return syllable_f1(pred.get("indicator"), gold.get("indicator")) >= 0.5


def values_equal(a: float | None, b: float | None) -> bool:
    """Relative tolerance 1e-6, so 0 only equals 0; None only equals None."""
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6)
    except (TypeError, ValueError):
        return False


def _same(key: str) -> Callable[[dict, dict], bool]:
    return lambda p, g: p.get(key) == g.get(key)


FIELD_TESTS: dict[str, Callable[[dict, dict], bool]] = {
    "value": lambda p, g: values_equal(p.get("norm_value"), g.get("norm_value"))
    and values_equal(p.get("value_max"), g.get("value_max")),
    "norm_unit": lambda p, g: fold_text(p.get("norm_unit")) == fold_text(g.get("norm_unit")),
    "indicator": indicator_match,
    "status": _same("status"),
    "kind": _same("kind"),
    "direction": _same("direction"),
    "comparator": _same("comparator"),
    "year": _same("year"),
    "locality": lambda p, g: fold_locality(p.get("locality")) == fold_locality(g.get("locality")),
}


def align(preds: Sequence[dict], golds: Sequence[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(pred_index, gold_index)`` of overlapping ``[start, end)`` spans
    in one document: largest overlap first, ties to the earlier gold start, then the
    earlier predicted start (then list order, so the result never depends on chance)."""
    candidates = []
    for j, g in enumerate(golds):
        for i, p in enumerate(preds):
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                candidates.append((-overlap, g["start"], p["start"], j, i))
    candidates.sort()
    used_p, used_g, pairs = set(), set(), []
    for *_, j, i in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs)


@dataclass(frozen=True)
class Score:
    """TP/FP/FN with the derived P, R, F1 (0 when a denominator is 0)."""

    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        """Required gold records: each is either paired (TP) or missed (FN)."""
        return self.tp + self.fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self) -> dict:
        return {"p": self.p, "r": self.r, "f1": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "support": self.support}


@dataclass(frozen=True)
class Outcome:
    """One scored unit: a non-optional ``pair``, an unpaired prediction (``FP``)
    or an unpaired required gold record (``FN``)."""

    doc_id: str
    type: str
    gold: dict | None
    pred: dict | None
    wrong: tuple[str, ...] = ()  # fields that differ, for pairs

    @property
    def record_ok(self) -> bool:
        return self.type == "pair" and RECORD_FIELDS.isdisjoint(self.wrong)


@dataclass(frozen=True)
class Tally:
    """Mention and record scores plus field-correct counts over a set of outcomes."""

    mention: Score
    record: Score
    pairs: int
    field_correct: dict[str, int]

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> Tally:
        types = Counter()
        bad_pairs = 0
        correct = dict.fromkeys(FIELDS, 0)
        for o in outcomes:
            types[o.type] += 1
            if o.type == "pair":
                bad_pairs += not o.record_ok
                for f in FIELDS:
                    correct[f] += f not in o.wrong
        pairs, fp, fn = types["pair"], types["FP"], types["FN"]
        return cls(Score(pairs, fp, fn), Score(pairs - bad_pairs, fp + bad_pairs, fn + bad_pairs), pairs, correct)

    @property
    def field_accuracy(self) -> dict[str, float]:
        return {f: c / self.pairs if self.pairs else 0.0 for f, c in self.field_correct.items()}

    def to_dict(self) -> dict:
        return {"mention": self.mention.to_dict(), "record": self.record.to_dict(), "pairs": self.pairs,
                "field_correct": dict(self.field_correct), "field_accuracy": self.field_accuracy}


def _error_item(o: Outcome) -> dict:
    item = {"doc_id": o.doc_id, "error": o.type, "fields": list(o.wrong), "record_ok": o.record_ok}
    for side, rec in (("gold", o.gold), ("pred", o.pred)):
        for key in ("start", "end", "span"):
            item[f"{side}_{key}"] = rec.get(key) if rec is not None else None
    item["gold"] = {k: o.gold.get(k) for k in SHOWN} if o.gold is not None else None
    item["pred"] = {k: o.pred.get(k) for k in SHOWN} if o.pred is not None else None
    item["sentence"] = next((r["sentence"] for r in (o.pred, o.gold) if r and r.get("sentence")), None)
    return item


def _write_atomic(path: str | os.PathLike, text: str, encoding: str) -> None:
    """Write through a temp file in the same folder so readers never see half a report."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding=encoding, newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; a report is for everyone
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@dataclass
class EvalReport:
    """Micro-averaged and per-document scores, with the outcomes they came from."""

    micro: Tally
    documents: dict[str, Tally]
    outcomes: list[Outcome] = field(repr=False)

    @property
    def mention(self) -> Score:
        return self.micro.mention

    @property
    def record(self) -> Score:
        return self.micro.record

    @property
    def pairs(self) -> int:
        return self.micro.pairs

    @property
    def field_accuracy(self) -> dict[str, float]:
        return self.micro.field_accuracy

    @cached_property
    def errors(self) -> list[dict]:
        """Every FP, FN and pair with a wrong field, in document order."""
        return [_error_item(o) for o in self.outcomes if o.type != "pair" or o.wrong]

    def by_document(self) -> dict[str, Tally]:
        return dict(self.documents)

    def by_key(self, key: str) -> dict[str, Tally]:
        """Scores grouped by a record key: pairs and FNs by the gold's value (the
        prediction's when the gold has none), FPs by the prediction's."""
        groups = defaultdict(list)
        for o in self.outcomes:
            value = o.gold.get(key) if o.gold is not None else None
            if value is None and o.pred is not None:
                value = o.pred.get(key)
            groups["(none)" if value is None else str(value)].append(o)
        return {name: Tally.of(groups[name]) for name in sorted(groups)}

    def to_dict(self) -> dict:
        return {**self.micro.to_dict(), "documents": {d: t.to_dict() for d, t in self.documents.items()},
                "errors": self.errors}

    def summary_line(self) -> str:
        r, m = self.record, self.mention
        return f"record P={r.p:.3f} R={r.r:.3f} F1={r.f1:.3f} mention P={m.p:.3f} R={m.r:.3f} F1={m.f1:.3f}"

    def format_table(self, by: Sequence[str] = ()) -> str:
        """Plain-text report; ``by`` adds breakdowns (``doc`` = per document, else a record key).
        The last line is always ``summary_line()``."""
        lines = [f"{'':<8}{'P':>7}{'R':>7}{'F1':>7}{'TP':>7}{'FP':>7}{'FN':>7}{'support':>9}"]
        for name, s in (("mention", self.mention), ("record", self.record)):
            lines.append(f"{name:<8}{s.p:>7.3f}{s.r:>7.3f}{s.f1:>7.3f}{s.tp:>7}{s.fp:>7}{s.fn:>7}{s.support:>9}")
        lines += ["", f"field accuracy over {self.pairs} pairs"]
        for f, acc in self.field_accuracy.items():
            lines.append(f"  {f:<12}{acc:>7.3f}  ({self.micro.field_correct[f]}/{self.pairs})")
        for key in by:
            rows = self.by_document() if key == "doc" else self.by_key(key)
            width = max([len(key), *map(len, rows)])
            lines += ["", f"{key:<{width}}{'support':>9}{'mention P':>11}{'R':>7}{'F1':>7}"
                          f"{'record P':>10}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
            for name, t in rows.items():
                m, r = t.mention, t.record
                lines.append(f"{name:<{width}}{m.support:>9}{m.p:>11.3f}{m.r:>7.3f}{m.f1:>7.3f}"
                             f"{r.p:>10.3f}{r.r:>7.3f}{r.f1:>7.3f}{r.tp:>6}{r.fp:>6}{r.fn:>6}")
        bands = self.calibration()
        if bands:
            lines += ["", "records by confidence (right = a true positive record)",
                      f"{'confidence':<12}{'records':>9}{'right':>7}{'share right':>13}"]
            for band in bands:
                share = f"{band['right'] / band['records']:.3f}" if band["records"] else "–"
                lines.append(f"{band['band']:<12}{band['records']:>9}{band['right']:>7}{share:>13}")
        lines += ["", self.summary_line()]
        return "\n".join(lines)

    def calibration(self, bounds: Sequence[float] = CONFIDENCE_BOUNDS) -> list[dict]:
        """Predicted records (paired or not; those paired with optional gold left
        out, as in every count) by confidence band, with how many were right; []
        when no prediction carries a confidence."""
        scored = [(o.pred["confidence"], o.record_ok) for o in self.outcomes
                  if o.pred is not None and o.pred.get("confidence") is not None]
        if not scored:
            return []
        edges = [0.0, *bounds, 1.0]
        rows = []
        for k, (low, high) in enumerate(zip(edges, edges[1:])):
            last = k == len(edges) - 2
            inside = [ok for p, ok in scored if low <= p < high or (last and p == high)]
            rows.append({"band": f"[{low:g}, {high:g}{']' if last else ')'}", "records": len(inside), "right": sum(inside)})
        return rows

    def write_errors_csv(self, path: str | os.PathLike) -> None:
        """One row per error; UTF-8 with BOM so Excel shows the Vietnamese correctly."""
        columns = ["doc_id", "error", "fields", "record_ok", "gold_start", "gold_end", "gold_span",
                   "pred_start", "pred_end", "pred_span"]
        columns += [f"{side}_{k}" for k in SHOWN for side in ("gold", "pred")] + ["sentence"]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, columns)
        writer.writeheader()
        for item in self.errors:
            row = {k: v for k, v in item.items() if k not in ("gold", "pred")}
            row["fields"] = ",".join(item["fields"])
            for side in ("gold", "pred"):
                for k, v in (item[side] or {}).items():
                    row[f"{side}_{k}"] = v
            writer.writerow(safe_row(row))
        _write_atomic(path, buf.getvalue(), "utf-8-sig")

    def write_json(self, path: str | os.PathLike) -> None:
        _write_atomic(path, json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")


def _score_document(doc_id: str, golds: list[dict], preds: list[dict]) -> list[Outcome]:
    """Steps 1–2 of §4 for one document: align, then drop whatever touches optional gold."""
    pairs = align(preds, golds)
    paired_p = {i for i, _ in pairs}
    paired_g = {j for _, j in pairs}
    out = []
    for i, j in pairs:
        g, p = golds[j], preds[i]
        if not g.get("optional"):
            out.append(Outcome(doc_id, "pair", g, p, tuple(f for f, ok in FIELD_TESTS.items() if not ok(p, g))))
    out += [Outcome(doc_id, "FP", None, p) for i, p in enumerate(preds) if i not in paired_p]
    out += [Outcome(doc_id, "FN", g, None) for j, g in enumerate(golds)
            if j not in paired_g and not g.get("optional")]
    out.sort(key=lambda o: ((r := o.gold if o.gold is not None else o.pred)["start"], r["end"]))
    return out


def evaluate(golds: Iterable[dict], preds: Iterable[dict]) -> EvalReport:
    """Score predictions against gold records (SPEC §4), per document and micro-averaged
    over every document that appears on either side."""
    docs: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for g in golds:
        docs[g["doc_id"]][0].append(g)
    for p in preds:
        docs[p["doc_id"]][1].append(p)
    outcomes, documents = [], {}
    for doc_id in sorted(docs):
        doc_outcomes = _score_document(doc_id, *docs[doc_id])
        documents[doc_id] = Tally.of(doc_outcomes)
        outcomes += doc_outcomes
    return EvalReport(Tally.of(outcomes), documents, outcomes)

