"""What reading saved pages costs next to extracting their records.

    PYTHONPATH=src python3 benchmarks/html_reading.py [--repeat 3]

Wraps every dev article in the site chrome of the test fixture page
(tests/fixtures/inputs/make_fixtures.py: menus, related links, comments,
footer), then times, on one core and in-process, reading each page to its
article text (trafilatura) and extracting the records of that text. Prints
the totals, the per-page means and their ratio, plus how many pages read back
to exactly their .txt. The best of `--repeat` rounds is kept for each.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "inputs"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from make_fixtures import page

    from vnextract.inputs.documents import Document
    from vnextract.inputs.html import read_html
    from vnextract.pipeline import extract_document

    texts = {p.stem: p.read_text(encoding="utf-8").rstrip("\n") for p in sorted((ROOT / "corpus" / "dev").glob("*.txt"))}
    pages = {name: page(text).encode("utf-8") for name, text in texts.items()}
    read_html(pages[next(iter(pages))])  # load trafilatura and the rules before timing
    extract_document(Document("warm", texts[next(iter(texts))], "warm"))

    def read_all():
        return {name: read_html(data)[0] for name, data in pages.items()}

    def extract_all(read):
        return sum(len(extract_document(Document(name, text, name))) for name, text in read.items())

    read_times, extract_times = [], []
    for _ in range(args.repeat):
        began = time.perf_counter()
        read = read_all()
        read_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        records = extract_all(read)
        extract_times.append(time.perf_counter() - began)
    n = len(pages)
    read_s, extract_s = min(read_times), min(extract_times)
    same = sum(1 for name, text in read.items() if text == texts[name])
    kb = sum(len(d) for d in pages.values()) / 1000
    print(f"vnextract HTML reading, {n} dev articles wrapped as pages ({kb:,.0f} kB of HTML)")
    print(f"  read pages (trafilatura → text)   {read_s:6.2f} s   {1000 * read_s / n:6.1f} ms/page")
    print(f"  extract records from that text    {extract_s:6.2f} s   {1000 * extract_s / n:6.1f} ms/page ({records} records)")
    print(f"  reading / extraction              {read_s / extract_s:6.2f}×")
    print(f"  pages read back to exactly their .txt: {same}/{n}")


if __name__ == "__main__":
    main()
