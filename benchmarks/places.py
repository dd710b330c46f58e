"""What reading places across the 2025 reorganisation costs, in CPU seconds.

    PYTHONPATH=src python benchmarks/places.py

Each figure is the CPU time (not wall time: the machine is shared) of a fresh
process, median of `--runs` runs:

- the gazetteer's tables a document may need: the pre-2025 and post-2025
  commune tables (read only for an article that names a commune, or whose
  file name does) and the converter between the two sets of units;
- a one-document extraction in-process, start-up included, for a district
  article (corpus/dev/haiha-2024.txt) and for a post-2025 commune article
  (corpus/dev/xa-phong-hai-lao-cai-dai-hoi-2025.txt);
- the province columns of every record of the 99 dev articles, once the
  tables are read.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TABLES = """
import time
from vnextract import gazetteer
t = time.process_time(); gazetteer.provinces(); gazetteer.districts(); base = time.process_time() - t
t = time.process_time(); gazetteer.communes("legacy"); legacy = time.process_time() - t
t = time.process_time(); gazetteer.communes("from_2025"); new = time.process_time() - t
t = time.process_time(); gazetteer._converter(); gazetteer._former_province_of(); conv = time.process_time() - t
print(base, legacy, new, conv)
"""

ONE_DOCUMENT = """
import time
t = time.process_time()
from vnextract.inputs.documents import iter_documents
from vnextract.pipeline import extract_document
[doc] = list(iter_documents([{path!r}]))
extract_document(doc)
print(time.process_time() - t)
"""

COLUMNS = """
import time
from vnextract.inputs.documents import iter_documents
from vnextract.pipeline import extract_document
from vnextract.stages import localities
from vnextract.stages.records import build_records
docs = list(iter_documents([{folder!r}]))
spent = 0.0
real = localities.with_provinces
def timed(*args):
    global spent
    t = time.process_time(); out = real(*args); spent += time.process_time() - t
    return out
import vnextract.stages.records as records
records.with_provinces = timed
n = sum(len(extract_document(d)) for d in docs)
print(spent, n)
"""


def _run(code: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return [float(x) for x in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tables = [_run(TABLES) for _ in range(args.runs)]
    rows = [
        ("provinces and districts (read at every start)", statistics.median(t[0] for t in tables)),
        ("pre-2025 communes (on first need)", statistics.median(t[1] for t in tables)),
        ("post-2025 communes (on first need)", statistics.median(t[2] for t in tables)),
        ("converter and former provinces (on first need)", statistics.median(t[3] for t in tables)),
    ]
    for name in ("haiha-2024", "xa-phong-hai-lao-cai-dai-hoi-2025"):
        path = str(ROOT / "corpus" / "dev" / f"{name}.txt")
        runs = [_run(ONE_DOCUMENT.format(path=path))[0] for _ in range(args.runs)]
        rows.append((f"one document in-process, start included: {name}", statistics.median(runs)))
    spent, count = _run(COLUMNS.format(folder=str(ROOT / "corpus" / "dev")))
    print(f"vnextract places: CPU seconds, median of {args.runs} fresh processes")
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"  {label:<{width}}  {seconds:.3f} s")
    print(f"  province columns of {int(count)} dev records (99 articles, tables included): {spent:.3f} s")


if __name__ == "__main__":
    main()
