"""Stage 6c: the decisions a model makes over the rules' candidates.

For each quantity the rules propose what a reader could take
(`stages/candidates.py`): the status cues in reach (and the rung of the
rules' own order that would decide), the years of the time phrases in
reach, the indicator phrases the phrase rules cut. Each proposal is
described by named features (their windows and buckets in
`rules/features.yaml`). A model — logistic weights over those feature
names, plain JSON written by `vnextract train` — scores them:

- status: one probability of `target`;
- year and indicator: one score per candidate, the highest wins (a ranker
  read pointwise).

The record's `confidence`, the chance that its status and indicator are
both right, is a last logistic regression over the chosen decisions'
log-odds, fitted on decisions made without the record's document (the
plain product of the two probabilities when a model has no such
calibration). With no model (`--model rules`) the rules' answer is kept
and the confidence is left empty.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..rules import load_rules

DECISIONS = ("status", "year", "indicator")
DEFAULT_MODEL = Path(__file__).resolve().parent / "model" / "default.json"


@dataclass(slots=True)
class Candidates:
    """What the rules propose for one quantity, with the features of each proposal."""

    status: list[str] = field(default_factory=list)  # features of the quantity for the status decision
    years: dict = field(default_factory=dict)  # year (or None) → features
    indicators: dict = field(default_factory=dict)  # phrase → features
    start: int = 0  # where the quantity starts in the text
    cascade_year: int | None = None
    cascade_indicator: str = ""


@lru_cache(maxsize=1)
def templates() -> dict:
    """The features' windows and buckets, and the training settings (`rules/features.yaml`)."""
    return load_rules("features")


# What the record's confidence is computed from: the log-odds of the chosen status and indicator.
CONFIDENCE_INPUTS = ("status", "indicator")


def confidence_inputs(probabilities: dict) -> list[float]:
    return [_logit(probabilities[name]) for name in CONFIDENCE_INPUTS]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


class Model:
    """Logistic weights per decision over named features, and a calibration of
    the record's confidence; read from plain JSON."""

    __slots__ = ("weights", "bias", "path", "meta", "calibration")

    def __init__(self, data: dict, path: str = ""):
        self.weights = {d: data[d]["weights"] for d in DECISIONS}
        self.bias = {d: float(data[d]["bias"]) for d in DECISIONS}
        self.calibration = data.get("confidence")
        self.meta = data.get("meta", {})
        self.path = path

    def confidence(self, probabilities: dict) -> float:
        """The chance that the record as written is right (SPEC §4: its status and
        indicator): calibrated on decisions made without the record's document,
        or the product of the two probabilities for a model without calibration."""
        if self.calibration is None:
            return round(probabilities["status"] * probabilities["indicator"], 4)
        weights = self.calibration["weights"]
        z = float(self.calibration["bias"]) + sum(
            weights[name] * x for name, x in zip(CONFIDENCE_INPUTS, confidence_inputs(probabilities)))
        return round(_sigmoid(z), 4)

    def score(self, decision: str, features: list[str]) -> float:
        return self.bias[decision] + sum(filter(None, map(self.weights[decision].get, features)))

    def probability(self, decision: str, features: list[str]) -> float:
        return _sigmoid(self.score(decision, features))

    def choose(self, decision: str, candidates: dict):
        """The candidate with the highest score, and its probability of being right.
        Ties go to the first proposed (the rules' order)."""
        best, best_score = None, -math.inf
        for key, features in candidates.items():
            s = self.score(decision, features)
            if s > best_score:
                best, best_score = key, s
        return best, _sigmoid(best_score)

    def decide(self, found: Candidates) -> tuple[str, int | None, str, dict]:
        """Status, year and indicator of one quantity, and each decision's probability."""
        p_target = self.probability("status", found.status)
        status = "target" if p_target >= 0.5 else "actual"
        p_status = p_target if status == "target" else 1.0 - p_target
        year, p_year = self.choose("year", found.years) if found.years else (found.cascade_year, 1.0)
        if found.indicators:
            indicator, p_indicator = self.choose("indicator", found.indicators)
        else:
            indicator, p_indicator = found.cascade_indicator, 0.5
        return status, year, indicator, {"status": p_status, "year": p_year, "indicator": p_indicator}


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class ModelError(ValueError):
    """A model file that cannot be read: the message names the file and what is wrong."""


def read_model(path: str | Path) -> Model:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ModelError(f"{path}: cannot read the model file ({err.strerror or err})") from None
    except ValueError as err:
        raise ModelError(f"{path}: not a vnextract model (not JSON: {err})") from None
    except RecursionError:
        raise ModelError(f"{path}: not a vnextract model (JSON nested too deeply)") from None
    problem = _model_problem(data)
    if problem:
        raise ModelError(f"{path}: not a vnextract model ({problem}; make one with `vnextract train`)")
    return Model(data, str(path))


def _finite(x) -> bool:
    """A JSON number that is no NaN or infinity (Python's json reads both),
    which would make every probability NaN and every record's confidence with it."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _model_problem(data) -> str | None:
    """What keeps `data` from being a model: each decision (and the confidence,
    when there) needs a numeric `bias` and `weights` from names to numbers."""
    if not isinstance(data, dict):
        return "not a JSON object"
    parts = [*DECISIONS, *(["confidence"] if data.get("confidence") is not None else [])]
    for part in parts:
        entry = data.get(part)
        if not isinstance(entry, dict):
            return f"no {part!r} weights"
        bias, weights = entry.get("bias"), entry.get("weights")
        if not _finite(bias):
            return f"{part}.bias is not a finite number"
        if not isinstance(weights, dict) or not all(isinstance(k, str) and _finite(v) for k, v in weights.items()):
            return f"{part}.weights is not a map of names to finite numbers"
    if data.get("confidence") is not None and set(data["confidence"]["weights"]) != set(CONFIDENCE_INPUTS):
        return f"confidence.weights must weigh {', '.join(CONFIDENCE_INPUTS)}"
    return None


@lru_cache(maxsize=8)
def _cached_model(path: str, stamp: tuple[int, int]) -> Model:
    """Read once per file version (`stamp`: its modification time and size)."""
    return read_model(path)


def _model_at(path: str) -> Model:
    try:
        info = os.stat(path)
    except OSError as err:
        raise ModelError(f"{path}: cannot read the model file ({err.strerror or err})") from None
    return _cached_model(path, (info.st_mtime_ns, info.st_size))


def load_model(name: "str | Path | Model | None" = None) -> Model | None:
    """`None` or "default": the model shipped with the package; "rules": no
    model (the rules' cascade decides); else a model file written by `vnextract train`."""
    if isinstance(name, Model):
        return name
    if name is None or name == "default":
        return _model_at(str(DEFAULT_MODEL)) if DEFAULT_MODEL.exists() else None
    if name == "rules":
        return None
    return _model_at(str(Path(name).resolve()))
