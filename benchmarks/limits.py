"""Limits: pathological inputs, and memory as a streamed input grows.

    PYTHONPATH=src python benchmarks/limits.py [--sizes 10,30,100] [--stdin-sizes 10,100]

Prints figures; it asserts nothing about time (the machine is shared).

- **Pathological inputs**: one 120 kB line of 20,000 figures ("12,5% 12,5% …",
  one sentence to the splitter), the same line at 5,000 to 40,000 figures to
  show how the cost grows, and a 530 kB "article" of ordinary text (the dev
  corpus concatenated into one document). Each is timed in-process
  (`extract`, rules and models loaded before) and through the CLI
  (`vnextract extract FILE -o OUT.jsonl --workers 1`, start-up included).
- **Streaming memory**: JSONL inputs of growing size (default 10, 30 and
  100 MB, lines of 25 kB: a sentence with two figures and figure-free text),
  read from a `.jsonl` file and from standard input with `--workers 2`; peak
  RSS (VmHWM) of the parent and of each worker. Flat means the input is read
  as the workers need it, never whole.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from throughput import CLI, ROOT, _timed  # the same runner and RSS watcher, beside this file

DEV = ROOT / "corpus" / "dev"

_PAD = "Tỉnh tiếp tục đẩy mạnh cải cách hành chính, thu hút đầu tư và phát triển du lịch cộng đồng. "


def _figures_line(count: int) -> str:
    return " ".join(["12,5%"] * count) + "\n"


def _article(at_least: int) -> str:
    """The dev articles, one after another, until the text is `at_least` bytes of UTF-8."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(DEV.glob("*.txt"))]
    out: list[str] = []
    size = 0
    while size < at_least:
        for text in texts:
            out.append(text)
            size += len(text.encode("utf-8")) + 1
            if size >= at_least:
                break
    return "\n".join(out)


def _in_process(text: str) -> tuple[float, int]:
    from vnextract import extract

    began = time.perf_counter()
    records = extract(text, doc_id="bench")
    return time.perf_counter() - began, len(records)


def _run(command: list[str], stdin_path: Path | None = None) -> tuple[float, int, list[int]]:
    """Wall seconds, the parent's peak RSS and each worker's, of one CLI run
    (measured as throughput.py measures its runs)."""
    seconds, workers, parent = _timed(command, stdin_path)
    return seconds, parent, sorted(workers.values(), reverse=True)


def _jsonl(path: Path, megabytes: int) -> int:
    """A JSONL file of about `megabytes` MB; returns its number of lines."""
    target = megabytes * 1_000_000
    size = lines = 0
    with open(path, "w", encoding="utf-8") as handle:
        while size < target:
            text = (f"Năm 2024, thu nhập bình quân đầu người của huyện đạt {50 + lines % 40},6 triệu đồng, "
                    f"tăng {lines % 20}% so với cùng kỳ. " + _PAD * 260)
            line = json.dumps({"id": f"d{lines}", "text": text}, ensure_ascii=False) + "\n"
            handle.write(line)
            size += len(line.encode("utf-8"))
            lines += 1
    return lines


def _mb(n: int) -> str:
    return f"{n / 1e6:.0f} MB"


def pathological(work: Path) -> None:
    print("pathological inputs")
    from vnextract import extract

    extract("Năm 2024 thu nhập đạt 5%.", doc_id="warm-up")  # rules and models loaded
    for count in (5_000, 10_000, 20_000, 40_000):
        seconds, records = _in_process(_figures_line(count))
        print(f"  one line of {count:>6,} figures ({len(_figures_line(count).encode()) / 1000:>4.0f} kB), "
              f"in-process  {seconds:6.2f} s, {records} records, {seconds / count * 1e6:.0f} µs/figure")
    cases = [("one line of 20,000 figures", "figures.txt", _figures_line(20_000)),
             ("the dev corpus as one article", "article.txt", _article(530_000))]
    for label, name, text in cases:
        path = work / name
        path.write_text(text, encoding="utf-8")
        seconds, records = _in_process(text)
        wall, parent, _ = _run([*CLI, str(path), "-o", str(work / f"{name}.jsonl"), "--workers", "1"])
        print(f"  {label} ({path.stat().st_size / 1000:.0f} kB): in-process {seconds:.2f} s, "
              f"{records} records; CLI {wall:.2f} s wall (start-up included)")


def streaming(work: Path, sizes: list[int], stdin_sizes: list[int]) -> None:
    print("streaming memory (--workers 2, peak RSS)")
    for megabytes in sorted(set(sizes) | set(stdin_sizes)):
        path = work / f"input-{megabytes}.jsonl"
        lines = _jsonl(path, megabytes)
        for via in ("file", "stdin"):
            if megabytes not in (sizes if via == "file" else stdin_sizes):
                continue
            out = work / "out.jsonl"
            if via == "file":
                wall, parent, workers = _run([*CLI, str(path), "-o", str(out), "--workers", "2"])
            else:
                wall, parent, workers = _run([*CLI, "-", "-o", str(out), "--workers", "2"], stdin_path=path)
            print(f"  {_mb(path.stat().st_size):>6} JSONL ({lines:>5} lines) via {via:<5}  "
                  f"parent {_mb(parent)}, workers {', '.join(_mb(w) for w in workers[:2])}; {wall:.1f} s")
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,30,100", help="MB of JSONL read from a file")
    parser.add_argument("--stdin-sizes", default="10,100", help="MB of JSONL read from standard input")
    parser.add_argument("--skip-streaming", action="store_true")
    args = parser.parse_args()
    print(f"vnextract limits, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="vnextract-limits-") as tmp:
        work = Path(tmp)
        pathological(work)
        if not args.skip_streaming:
            streaming(work, [int(s) for s in args.sizes.split(",") if s],
                      [int(s) for s in args.stdin_sizes.split(",") if s])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
