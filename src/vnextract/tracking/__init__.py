"""Targets against results: one row per locality × indicator × year saying
whether the target was met, from records files or from articles extracted first.

    from vnextract.tracking import track, write_tracking
    rows = track(["corpus/dev"])             # or records files: .jsonl, .csv, .parquet
    write_tracking(rows, "outputs/tracking")  # a folder: index.html, tracking.csv, tracking.json

Stages, one module each: `places` (which localities are the same), `periods`
(share of the year, spans), `matching` (loading, in-article plans, indicator
groups, rows), `verdicts` (met / not met / on track / unknown), `writing`
(CSV, Parquet, JSON) and `page` (the HTML page with its charts).

May import: `outputs` (reading records files), `pipeline` and `inputs` (extracting
articles first), `evaluation` (the SPEC's syllable F1), `rules`, `folding`,
`gazetteer`. Never batch or review.
"""
from __future__ import annotations

from .matching import Row, load_records, track, track_records
from .writing import write_tracking

__all__ = ["Row", "load_records", "track", "track_records", "write_tracking"]
