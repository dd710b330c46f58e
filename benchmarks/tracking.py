"""Tracking at scale: the dev corpus replicated 1×, 10× and 30×.

    PYTHONPATH=src python benchmarks/tracking.py [--times 1,10,30] [--split corpus/splits/dev-67.txt]

Prints figures; it asserts nothing about time (the machine is shared).

The split's articles are extracted once (with the corpus's sheet); their
records are then copied under new doc_ids (`<doc_id>~<k>`), as if the same
reports came from k more sources, so every row gathers k times its records.
For each size: the time of `track_records` (pairing, grouping, verdicts) and
of `write_tracking` to a folder (the page, CSV and JSON; its imports are
made before the first timing), and the time per record, which stays flat
when tracking grows linearly with its input.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _records(split: Path) -> tuple[list[dict], int]:
    from vnextract.inputs.metadata import read_sheet
    from vnextract.pipeline import extract_documents

    ids = [line.split("#", 1)[0].strip() for line in split.read_text(encoding="utf-8").splitlines()]
    paths = [str(ROOT / "corpus" / "dev" / f"{doc_id}.txt") for doc_id in ids if doc_id]
    sheet = read_sheet(ROOT / "corpus" / "dev.sources.tsv")
    records = [r.to_dict() for _, found in extract_documents(paths, meta=sheet) for r in found]
    return records, len(paths)


def _replicated(records: list[dict], times: int) -> list[dict]:
    return [dict(r, doc_id=f"{r['doc_id']}~{k}" if k else r["doc_id"]) for k in range(times) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", default="1,10,30", help="copies of the corpus, comma-separated")
    parser.add_argument("--split", default=str(ROOT / "corpus" / "splits" / "dev-67.txt"),
                        help="the doc_ids to replicate (default: the dev-67 split)")
    args = parser.parse_args()
    from vnextract.tracking import track_records, write_tracking

    began = time.perf_counter()
    base, documents = _records(Path(args.split))
    print(f"extracted {documents} documents, {len(base)} records in {time.perf_counter() - began:.1f} s")
    with tempfile.TemporaryDirectory() as folder:  # imports (Altair for the page) out of the first timing
        write_tracking(track_records(base[:50]), Path(folder) / "warm-up")
    print(f"{'times':>5} {'documents':>9} {'records':>8} {'rows':>6} {'track s':>8} {'write s':>8} {'µs/record':>10}")
    for times in (int(t) for t in args.times.split(",")):
        records = _replicated(base, times)
        began = time.perf_counter()
        rows = track_records(records)
        tracked = time.perf_counter() - began
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            write_tracking(rows, Path(folder) / "tracking")
            written = time.perf_counter() - began
        per_record = (tracked + written) / len(records) * 1e6
        print(f"{times:>5} {documents * times:>9} {len(records):>8} {len(rows):>6} {tracked:>8.2f} {written:>8.2f} "
              f"{per_record:>10.0f}")


if __name__ == "__main__":
    main()
