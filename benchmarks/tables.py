"""What reading tables costs on prose: `extract` over the dev articles with
and without the table stage, in one process.

    PYTHONPATH=src python benchmarks/tables.py [--rounds 5]

The dev articles hold no tables, so the only cost is looking for them
(`stages/tables.find_tables` over every text). Each round extracts every
article once with the stage and once with `find_tables` replaced by a
function that finds nothing, in alternating order (the word segmenter's
caches are warmed by a first pass that is not timed); the median of the
rounds' ratios is printed with every round's figures, as a shared machine's
speed drifts. Also printed: `find_tables` alone over the same texts, and the
same on a report that is all tables (the six-format fixture pasted 200 times).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from vnextract.inputs.documents import iter_documents
from vnextract.pipeline import extract_document
from vnextract.stages import records as records_stage
from vnextract.stages import tables as tables_stage

ROOT = Path(__file__).resolve().parents[1]


def _loop(documents) -> float:
    start = time.perf_counter()
    for document in documents:
        extract_document(document)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    documents = [d for d in iter_documents([str(ROOT / "corpus" / "dev")]) if hasattr(d, "text")]
    chars = sum(len(d.text) for d in documents)
    real = records_stage.find_tables
    _loop(documents)  # warm the caches
    ratios, without = [], []
    for k in range(args.rounds):
        timings = {}
        for with_tables in ((True, False) if k % 2 == 0 else (False, True)):
            records_stage.find_tables = real if with_tables else (lambda text: [])
            timings[with_tables] = _loop(documents)
        records_stage.find_tables = real
        ratio = timings[True] / timings[False]
        ratios.append(ratio)
        without.append(timings[False])
        print(f"round {k + 1}: with tables {timings[True]:.2f} s, without {timings[False]:.2f} s, "
              f"ratio {ratio:.3f}")
    start = time.perf_counter()
    for document in documents:
        tables_stage.find_tables(document.text)
    alone = time.perf_counter() - start
    print(f"{len(documents)} prose articles ({chars:,} characters): extract with the table stage takes "
          f"{statistics.median(ratios):.3f}× the time without it (median of {args.rounds} rounds), "
          f"throughput cost {100 * (1 - 1 / statistics.median(ratios)):+.1f} %")
    print(f"find_tables alone over the same texts: {alone * 1000:.0f} ms, "
          f"{100 * alone / statistics.median(without):.1f} % of the median extract time without it "
          f"({statistics.median(without):.2f} s)")
    report = ((ROOT / "tests" / "fixtures" / "tables" / "results-pipe.txt").read_text(encoding="utf-8") + "\n\n") * 200
    start = time.perf_counter()
    found = tables_stage.find_tables(report)
    values = sum(len(tables_stage.table_values(report, t, 2023)) for t in found)
    print(f"a report of {len(found)} tables ({len(report):,} characters): {values} figures read in "
          f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
