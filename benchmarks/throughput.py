"""Throughput, scaling, memory and start-up of `vnextract extract`, in one run.

    PYTHONPATH=src python benchmarks/throughput.py

Builds (once, cached in benchmarks/_corpus/) a corpus of 2,000 articles from
corpus/dev: every number of an article rescaled by one seeded factor, keeping
its written form (`89,6` → `91,3`, `1.400` → `1.530`; years, dates, small
counts and document numbers untouched), and its province and district names
swapped for another pair. Then, on that same text, it reports:

- bare `underthesea.word_tokenize` over every text: the reference;
- `vnextract extract --workers 1` (the whole CLI, start-up included) and its
  ratio to the reference, plus the bare `extract_document` loop in-process,
  on the corpus and on the 67 dev articles once each (text the word
  segmenter's caches have not seen: the corpus repeats its articles);
- `--workers 2` and its speed-up over one worker;
- peak RSS of each worker process for 1k and 10k documents (the 10k corpus is
  the 2k cycled with new ids);
- wall time of a one-document CLI run.

The reference, the in-process loop and the two CLI runs are timed back to
back in each of `--rounds` rounds (5 by default), each loop in a fresh
process, the CLI runs in the order 1, 2, 2, 1 workers; ratios are taken
within a round and the median is printed with every round's figure, because
the speed of a shared machine drifts from one minute to the next. After each
round a pure-Python loop in one and in two processes shows how much of a
second core the machine gave at that moment.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from functools import partial
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
SHEET = ROOT / "corpus" / "dev.sources.tsv"
CACHE = ROOT / "benchmarks" / "_corpus"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
CLI = [sys.executable, "-m", "vnextract.cli", "extract"]
SEED = 20240601

# (province, district) pairs that stand in for an article's own names.
PLACES = [
    ("Nghệ An", "Quỳnh Lưu"), ("Thái Bình", "Kiến Xương"), ("Hà Tĩnh", "Cẩm Xuyên"),
    ("Bắc Giang", "Lục Ngạn"), ("Đồng Tháp", "Cao Lãnh"), ("Sơn La", "Mộc Châu"),
    ("Bình Định", "Phù Cát"), ("Long An", "Đức Hòa"), ("Hòa Bình", "Lương Sơn"),
    ("Tiền Giang", "Cái Bè"), ("Phú Yên", "Tuy An"), ("Nam Định", "Hải Hậu"),
    ("Quảng Trị", "Hải Lăng"), ("Vĩnh Long", "Long Hồ"), ("Yên Bái", "Văn Chấn"),
]

# A Vietnamese number as written: `1.400`, `89,6`, `1.234,5`, `150`.
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?(?![\w/]|[.,]\d|-\w)")
_PLACE = re.compile(r"^\s*([^/(]+?)\s*(?:\(|/|$)(?:\s*(?:huyện|thị xã|thành phố|TP|xã)\s+([^(]+?)\s*$)?")


def _rescale(match: re.Match, factor: float) -> str:
    whole, fraction = match.group(1), match.group(2) or ""
    grouped = "." in whole
    value = float(whole.replace(".", "") + fraction.replace(",", "."))
    if not grouped and not fraction and (value < 13 or 1900 <= value <= 2100):
        return match.group(0)  # small counts, months, quarters, years
    decimals = len(fraction) - 1 if fraction else 0
    text = f"{value * factor:,.{decimals}f}"
    if not grouped:
        text = text.replace(",", "")
    return text.translate(str.maketrans({",": ".", ".": ","}))


def _places(sheet: Path) -> dict[str, tuple[str, ...]]:
    """doc_id → the province and district names the article is about."""
    names = {}
    with open(sheet, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            match = _PLACE.match(row["province/locality"])
            if match and not row["province/locality"].startswith("multi"):
                names[row["doc_id"]] = tuple(n for n in match.groups() if n and not n.startswith("TP "))
    return names


def build_corpus(size: int = 2000) -> list[tuple[str, str]]:
    """`size` (doc_id, text) variants of the dev articles, the same every run."""
    rng = random.Random(SEED)
    sources = sorted(DEV.glob("*.txt"))
    places = _places(SHEET)
    docs = []
    for i in range(size):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8")
        factor = rng.uniform(0.8, 1.25)
        text = _NUMBER.sub(partial(_rescale, factor=factor), text)
        province, district = rng.choice(PLACES)
        for old, new in zip(places.get(source.stem, ()), (province, district)):
            text = text.replace(old, new)
        docs.append((f"{source.stem}-v{i:05d}", text))
    return docs


def _write_folder(folder: Path, docs: list[tuple[str, str]]) -> Path:
    """The documents as .txt files; rewritten only when they differ from the cached ones."""
    digest = hashlib.sha256("\0".join(f"{doc_id}\0{text}" for doc_id, text in docs).encode()).hexdigest()
    marker = folder / ".fingerprint"
    if not marker.exists() or marker.read_text() != digest:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for doc_id, text in docs:
            (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        marker.write_text(digest)
    return folder


def _timed(command: list[str], stdin_path: Path | None = None) -> tuple[float, dict[int, int], int]:
    """Wall seconds, peak RSS (bytes) of each child process, and the parent's
    peak, of one command (reading `stdin_path` on its standard input, if given)
    that must succeed."""
    seconds, peaks, parent, status, err = _timed_status(command, stdin_path)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()}")
    return seconds, peaks, parent


def _timed_status(command: list[str], stdin_path: Path | None = None) -> tuple[float, dict[int, int], int, int, bytes]:
    """`_timed`, for a command that may fail: its exit status and stderr too."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdin=stdin, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}
    parent_peak = [0]

    def watch() -> None:
        # VmHWM is a running peak, so sparse polling loses nothing but the last
        # moments of a process; listing children is the costly part, done once a second.
        root = psutil.Process(process.pid)
        children: list[psutil.Process] = []
        polls = 0
        while process.poll() is None:
            try:
                if polls % 5 == 0:
                    children = root.children(recursive=True)
                parent_peak[0] = max(parent_peak[0], _peak_rss(root))
                for child in children:
                    peaks[child.pid] = max(peaks.get(child.pid, 0), _peak_rss(child))
            except psutil.Error:
                pass
            polls += 1
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - began
    watcher.join()
    if stdin_path:
        stdin.close()
    return seconds, peaks, parent_peak[0], process.returncode, err


def _peak_rss(process: psutil.Process) -> int:
    """VmHWM (the kernel's own peak) where there is one, else the current RSS."""
    try:
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        if not os.path.isdir("/proc"):
            return process.memory_info().rss
    return 0  # the process has just ended


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def _parallel_capacity(n: int = 10_000_000) -> float:
    """Speed-up of a pure-Python loop in 2 processes over 1, right now: what
    the machine (and whatever else runs on it) leaves for `--workers 2`."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_burn, [1000, 1000])
        began = time.perf_counter()
        pool.map(_burn, [n])
        one = time.perf_counter() - began
        began = time.perf_counter()
        pool.map(_burn, [n, n], chunksize=1)
        two = time.perf_counter() - began
    return 2 * one / two


def _time_loop(loop: str, folder: Path) -> float:
    """Seconds the loop over the folder's documents takes in a fresh process
    (models loaded and warmed first, not timed)."""
    out = subprocess.run([sys.executable, __file__, "--loop", loop, str(folder)], cwd=ROOT, env=ENV,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _run_loop(loop: str, folder: Path) -> None:
    """Print the seconds one loop takes: bare word_tokenize, or extract_document."""
    if loop == "reference":  # nothing of vnextract loaded
        from underthesea import word_tokenize

        word_tokenize("Khởi động mô hình.")
        texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
        began = time.perf_counter()
        for text in texts:
            word_tokenize(text)
    else:
        from vnextract.inputs.documents import iter_documents
        from vnextract.pipeline import extract, extract_document

        documents = list(iter_documents([folder]))
        extract("Năm 2024, thu nhập bình quân đầu người đạt 89,6 triệu đồng.")
        began = time.perf_counter()
        for document in documents:
            extract_document(document)
    print(time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (median reported)")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--loop", nargs=2, metavar=("LOOP", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop:
        _run_loop(args.loop[0], Path(args.loop[1]))
        return

    docs = build_corpus(2000)
    corpus_2k = _write_folder(CACHE / "2k", docs)
    corpus_1k = _write_folder(CACHE / "1k", docs[:1000])
    corpus_10k = _write_folder(CACHE / "10k", [(f"{doc_id}-c{k}", text) for k in range(5) for doc_id, text in docs])
    texts = [text for _, text in docs]
    # The corpus repeats 67 articles with new figures and names, so the word
    # segmenter's caches (stages/word_crf.py) see much of its text again; the
    # 67 articles once each, in a fresh process, show the cost on text never seen.
    dev_files = sorted(DEV.glob("*.txt"))
    dev_kib = sum(len(p.read_text(encoding="utf-8").encode("utf-8")) for p in dev_files) / 1024
    kib = sum(len(t.encode("utf-8")) for t in texts) / 1024
    n = len(texts)
    rows: list[tuple[str, str]] = [("corpus", f"{n} documents, {kib:,.0f} kB UTF-8 (mean {kib / n:.2f} kB)")]
    capacity = _parallel_capacity()
    rows.append(("machine: 2 processes vs 1, pure-Python loop",
                 f"{capacity:.2f}× (load average {os.getloadavg()[0]:.2f} before the run)"))

    # The machine's speed drifts by 10-20 % over minutes, so each round times
    # the reference and every contender back to back, ratios are taken within
    # a round, and the median round is reported with the range. Each loop runs
    # in a fresh process of its own, so none inherits another's memory.
    seconds: dict[str, list[float]] = {"reference": [], "in-process": [], "w1": [], "w2": [],
                                       "reference-dev": [], "in-process-dev": []}
    capacities: list[float] = []  # what the machine gave two processes, measured in each round
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for loop in ("reference", "in-process"):
                seconds[loop].append(_time_loop(loop, corpus_2k))
                seconds[f"{loop}-dev"].append(_time_loop(loop, DEV))
            # w1, w2, w2, w1: a drift in the machine's speed over the round
            # weighs on both alike, and each figure is the mean of its two runs.
            took = {1: [], 2: []}
            for workers in (1, 2, 2, 1):
                took[workers].append(
                    _timed([*CLI, str(corpus_2k), "-o", f"{tmp}/w{workers}.jsonl", "--workers", str(workers)])[0])
            for workers, runs in took.items():
                seconds[f"w{workers}"].append(statistics.mean(runs))
            capacities.append(_parallel_capacity())
            if Path(f"{tmp}/w1.jsonl").read_bytes() != Path(f"{tmp}/w2.jsonl").read_bytes():
                raise SystemExit("--workers 1 and --workers 2 wrote different bytes")

        def rate(key: str, size: float = kib, count: int = n) -> str:
            took = statistics.median(seconds[key])
            return f"{size / took:,.1f} kB/s, {count / took:,.1f} docs/s"

        def ratio(numerator: str, denominator: str, unit: str) -> str:
            per_round = [a / b for a, b in zip(seconds[numerator], seconds[denominator])]
            spread = f" (rounds: {', '.join(f'{r:.2f}' for r in per_round)})" if len(per_round) > 1 else ""
            return f"{statistics.median(per_round):.2f}× {unit}{spread}"

        rows.append(("underthesea.word_tokenize (reference)", rate("reference")))
        rows.append(("extract_document loop, in-process",
                     f"{rate('in-process')}, {ratio('reference', 'in-process', 'reference')}"))
        rows.append(("extract_document loop, the 67 dev articles once each",
                     f"{rate('in-process-dev', dev_kib, len(dev_files))}, {ratio('reference-dev', 'in-process-dev', 'reference')}"))
        rows.append(("vnextract extract --workers 1 (CLI)", f"{rate('w1')}, {ratio('reference', 'w1', 'reference')}"))
        rows.append(("vnextract extract --workers 2 (CLI)", f"{rate('w2')}, {ratio('w1', 'w2', 'one worker')}"))
        rows.append(("machine: 2 processes vs 1, after each round",
                     f"{statistics.median(capacities):.2f}× (rounds: {', '.join(f'{c:.2f}' for c in capacities)})"))
        rss = {}
        for label, folder in (("1k", corpus_1k), ("10k", corpus_10k)):
            _, peaks, parent = _timed([*CLI, str(folder), "-o", f"{tmp}/{label}.jsonl", "--workers", "2"])
            rss[label] = max(peaks.values())
            rows.append((f"peak RSS per worker, {label} docs (--workers 2)",
                         ", ".join(f"{p / 2**20:.0f} MB" for p in peaks.values()) + f"; parent {parent / 2**20:.0f} MB"))
        rows.append(("peak RSS per worker, 10k vs 1k", f"{(rss['10k'] / rss['1k'] - 1) * 100:+.1f} %"))

    startups = []
    for _ in range(args.startup_runs):
        took, _, _ = _timed([*CLI, "corpus/dev/haiha-2024.txt"])
        startups.append(took)
    rows.append(("one-document CLI run (corpus/dev/haiha-2024.txt)",
                 f"{statistics.median(startups):.2f} s wall (median of {len(startups)})"))

    width = max(len(label) for label, _ in rows)
    print(f"vnextract throughput, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    main()
