"""Hostile inputs: what one bad file costs a run, in time and memory.

    PYTHONPATH=src python benchmarks/hostile.py [--src DIR] [--only NAME,…] [--timeout S]

Prints figures; it asserts nothing about time (the machine is shared).

Each input is built here, in a temporary folder, next to a good article, and
run through `vnextract extract FOLDER -o OUT.jsonl --workers 1` (the code
under `--src`, default this checkout's `src/`; point it at another checkout
to compare). For each: the wall time, the peak RSS (VmHWM) of the parent and
of the worker, the exit status and the error the bad file got.

- **paragraphs**: a 330 kB `.docx` holding 2.6 million empty paragraphs
  (16 MB of `document.xml` once unpacked).
- **zip bomb**: a 1 MB `.docx` whose `document.xml` unpacks to 1 GB (of
  blank space before the article's text).
- **pages**: a 100,000-page PDF (one blank page object listed 100,000 times).
- **paragraphs, limit raised**: the first one with `--max-part-mb 100`, so
  that only `--timeout` bounds it.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from throughput import ROOT, _timed_status  # the same runner and RSS watcher, beside this file

FIXTURE = ROOT / "tests" / "fixtures" / "inputs" / "article.docx"
ARTICLE = ROOT / "tests" / "fixtures" / "inputs" / "article.txt"


def _docx(paragraphs: int = 0, padding: int = 0) -> bytes:
    """The fixture article with `paragraphs` empty paragraphs and `padding`
    bytes of blank space before its text, in `word/document.xml`."""
    source = zipfile.ZipFile(FIXTURE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                package.writestr(info.filename, data)
                continue
            at = data.index(b"<w:body>") + len(b"<w:body>")
            with package.open(info.filename, "w", force_zip64=True) as part:
                part.write(data[:at] + b"<w:p/>" * paragraphs)
                block = b" " * (1 << 20)
                for _ in range(padding >> 20):
                    part.write(block)
                part.write(data[at:])
    return out.getvalue()


def _pdf(pages: int) -> bytes:
    """A PDF whose page tree lists one blank page `pages` times."""
    kids = b" ".join([b"3 0 R"] * pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


CASES = {
    "paragraphs": (lambda: ("paragraphs.docx", _docx(paragraphs=2_600_000)), []),
    "zip bomb": (lambda: ("bomb.docx", _docx(padding=1 << 30)), []),
    "pages": (lambda: ("pages.pdf", _pdf(100_000)), []),
    "paragraphs, limit raised": (lambda: ("paragraphs.docx", _docx(paragraphs=2_600_000)), ["--max-part-mb", "100"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", default=str(ROOT / "src"), help="the vnextract source folder to run")
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--timeout", default="60", help="--timeout of each run (default 60)")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = args.src
    import throughput

    throughput.ENV["PYTHONPATH"] = args.src
    names = args.only.split(",") if args.only else list(CASES)
    print(f"vnextract hostile inputs, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f}, code from {args.src}")
    for name in names:
        build, options = CASES[name]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            file_name, data = build()
            (folder / file_name).write_bytes(data)
            (folder / "z-good.txt").write_bytes(ARTICLE.read_bytes())
            out = Path(tmp) / "out.jsonl"
            command = [sys.executable, "-m", "vnextract.cli", "extract", str(folder), "-o", str(out),
                       "--workers", "1", "--timeout", args.timeout, *options]
            seconds, workers, parent, status, _ = _timed_status(command)
            errors = out.with_name(out.name + ".errors.jsonl")
            error = "none"
            if errors.exists():
                first = json.loads(errors.read_text(encoding="utf-8").splitlines()[0])
                error = f"{first['error_type']}: {first['message'][:110]}"
            good = out.exists() and "z-good" in out.read_text(encoding="utf-8")
            worker = max(workers.values(), default=0)  # 0: over before the watcher listed it
            worker_mb = f"{worker / 1e6:6.0f} MB" if worker else "   (gone)"
            print(f"  {name:<26} {len(data) / 1e6:6.2f} MB  {seconds:6.1f} s  parent {parent / 1e6:6.0f} MB  "
                  f"worker {worker_mb}  exit {status}  good article written: {good}\n"
                  f"  {'':<26} error: {error}")


if __name__ == "__main__":
    main()
