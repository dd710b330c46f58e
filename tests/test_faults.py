"""Batch faults, with real processes: a run killed with SIGKILL at several
points and then `--resume`d writes the bytes of an uninterrupted run; two runs
on one `-o` refuse to collide; a full disk or an unwritable target is a clear
error that keeps the finished part; a rule regex that runs too long fails its
document only."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnextract.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
ENV.pop("VNEXTRACT_RULES", None)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="flock, fork, rlimits, /dev/full")


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnextract.cli", *map(str, args)], cwd=ROOT, env=env or ENV,
                          capture_output=True, timeout=120, **kwargs)


def _files(out: Path) -> list[str]:
    """What a run left beside `out`: the part file, manifest, lock, errors file."""
    return sorted(p.name for p in out.parent.iterdir() if out.name in p.name and p.name != out.name)


def _subset(folder: Path, count: int) -> Path:
    folder.mkdir()
    for path in sorted(DEV.glob("*.txt"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """Twelve dev articles and the output of an uninterrupted run, per format."""
    base = tmp_path_factory.mktemp("faults")
    folder = _subset(base / "in", 12)
    reference = {}
    for fmt in ("csv", "jsonl"):
        out = base / f"clean.{fmt}"
        assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 0
        reference[fmt] = out.read_bytes()
    return folder, reference


# ------------------------------------------------------------ SIGKILL, resume

# Runs the CLI and SIGKILLs its own process at a chosen point: `after:N`, once
# N documents are written (records flushed, manifest line written), or
# `inside:N`, while writing document N+1: its records are flushed to the part
# file but its manifest line is not.
_KILL_AT = """
import os, signal, sys
from vnextract.batch import sinks
from vnextract.cli import main

where, n = sys.argv[1].split(":")
n = int(n)
put, dumps = sinks.FileSink.put, sinks.json.dumps
state = {"done": 0, "armed": False}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

class Json:
    loads = staticmethod(sinks.json.loads)
    @staticmethod
    def dumps(obj, **kw):
        if state["armed"]:
            die()
        return dumps(obj, **kw)

def counting_put(self, outcome):
    state["armed"] = where == "inside" and state["done"] == n
    put(self, outcome)
    state["armed"] = False
    state["done"] += 1
    if where == "after" and state["done"] == n:
        die()

sinks.json = Json
sinks.FileSink.put = counting_put
sys.exit(main(sys.argv[2:]))
"""


def _extract(capsys, *args) -> tuple[int, str]:
    """The CLI in this process (the faults are the other processes'): exit status, last stderr line."""
    capsys.readouterr()
    status = main(["extract", *map(str, args)])
    return status, capsys.readouterr().err.strip().splitlines()[-1]


def _resume(capsys, folder: Path, out: Path) -> int:
    """`--resume`; how many documents it kept."""
    status, summary = _extract(capsys, folder, "-o", out, "--workers", "2", "--resume")
    assert status == 0 and summary.endswith(" resumed"), summary
    return int(summary.split(", ")[-1].split()[0])


def _run_killed(point: str, *args) -> None:
    done = subprocess.run([sys.executable, "-c", _KILL_AT, point, *map(str, args)], cwd=ROOT, env=ENV,
                          capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


@pytest.mark.parametrize("fmt, kills", [
    ("csv", ["after:1"]),
    ("csv", ["inside:6"]),
    ("jsonl", ["after:11"]),
    ("jsonl", ["after:3", "inside:8"]),  # the resumed run is killed too
])
def test_sigkill_then_resume_writes_the_bytes_of_an_uninterrupted_run(tmp_path, capsys, corpus, fmt, kills):
    folder, reference = corpus
    out = tmp_path / f"out.{fmt}"
    for k, point in enumerate(kills):
        _run_killed(point, "extract", folder, "-o", out, "--workers", "2", *(["--resume"] if k else []))
        assert not out.exists()  # nothing looks complete
        # the kernel dropped the lock with the process; its file stays and must not block
        assert _files(out) == [f".{out.name}.part", f"{out.name}.lock", f"{out.name}.progress.jsonl"]
    kept = int(kills[-1].split(":")[1])
    assert _resume(capsys, folder, out) == kept
    assert out.read_bytes() == reference[fmt]
    assert _files(out) == []


@pytest.mark.parametrize("fmt, seed", [("jsonl", 2)])
def test_sigkill_from_outside_at_a_random_point_then_resume(tmp_path, capsys, fmt, seed):
    """The kill comes from another process, whenever the manifest says enough
    documents are done, wherever the run then is (reading, extracting, writing)."""
    folder = _subset(tmp_path / "in", 20)
    clean = tmp_path / f"clean.{fmt}"
    assert main(["extract", str(folder), "-o", str(clean), "--workers", "1"]) == 0
    out = tmp_path / f"out.{fmt}"
    manifest = tmp_path / f"{out.name}.progress.jsonl"
    at = random.Random(seed).randint(2, 12)
    run = subprocess.Popen([sys.executable, "-m", "vnextract.cli", "extract", str(folder), "-o", str(out),
                            "--workers", "2"], cwd=ROOT, env=ENV, stderr=subprocess.PIPE)
    began = time.monotonic()
    while run.poll() is None and time.monotonic() - began < 60:
        if manifest.exists() and manifest.read_bytes().count(b"\n") > at:  # the header line, then one per document
            run.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    run.communicate(timeout=60)
    assert run.returncode == -signal.SIGKILL, f"the run ended before the kill, at document {at}"
    assert not out.exists()
    assert _resume(capsys, folder, out) >= at
    assert out.read_bytes() == clean.read_bytes()
    assert _files(out) == []


# ------------------------------------------------------------------ the lock

# A run whose first document waits until the file argv[3] exists, so that it
# holds the lock for as long as the test needs.
_HOLD = """
import os, sys, time
from vnextract.batch.run import run
from vnextract.pipeline import extract_document

def wait_then_extract(document):
    while not os.path.exists(sys.argv[3]):
        time.sleep(0.01)
    return extract_document(document)

summary = run([sys.argv[1]], sys.argv[2], workers=1, extractor=wait_then_extract)
print(summary.line(), file=sys.stderr)
"""


def test_a_second_run_on_the_same_output_stops_with_a_clear_message(tmp_path, capsys, corpus):
    folder, reference = corpus
    out = tmp_path / "out.csv"
    go = tmp_path / "go"
    lock = tmp_path / "out.csv.lock"
    first = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder), str(out), str(go)], cwd=ROOT, env=ENV,
                             stderr=subprocess.PIPE)
    try:
        began = time.monotonic()
        while not (lock.exists() and lock.read_text() == str(first.pid)):
            assert first.poll() is None and time.monotonic() - began < 60, "the first run never took the lock"
            time.sleep(0.01)
        refused = [_extract(capsys, folder, "-o", out, "--workers", "1", *more) for more in ([], ["--resume"])]
    finally:
        go.touch()
        _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err.decode()
    for status, message in refused:
        assert status == 2
        assert f"{out} is being written by another vnextract run (process {first.pid}, lock {lock})" in message
        assert "wait for it to end, or write to another -o" in message
    assert out.read_bytes() == reference["csv"]  # the refused runs touched nothing
    assert _files(out) == []  # the lock is gone with the run
    assert _extract(capsys, folder, "-o", out, "--workers", "1")[0] == 0
    assert out.read_bytes() == reference["csv"]


# ------------------------------------------------- full disk, unwritable target


def _file_size_limit(limit: int):
    def set_limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return set_limit


@pytest.mark.parametrize("fmt", ["csv"])
def test_a_full_disk_is_a_clear_error_and_resume_finishes_the_run(tmp_path, capsys, corpus, fmt):
    folder, reference = corpus
    out = tmp_path / f"out.{fmt}"
    full = _cli("extract", folder, "-o", out, "--workers", "2", preexec_fn=_file_size_limit(len(reference[fmt]) // 2))
    assert full.returncode == 2
    message = full.stderr.decode().strip().splitlines()[-1]
    assert message.startswith(f"vnextract: error: [Errno {27}] cannot write {tmp_path / f'.{out.name}.part'}: "
                              f"File too large; the ")
    kept = int(message.split("; the ")[1].split()[0])
    assert 0 < kept < 12
    assert message.endswith("documents finished so far are kept: fix the problem, "
                            "then run the same command with --resume")
    assert not out.exists()
    assert _resume(capsys, folder, out) == kept
    assert out.read_bytes() == reference[fmt]


def test_standard_output_on_a_full_disk_is_a_clear_error(tmp_path):
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "vnextract.cli", "extract", str(DEV / "haiha-2024.txt")],
                              cwd=ROOT, env=ENV, stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines()[-1] == (
        "vnextract: error: [Errno 28] cannot write standard output: No space left on device")


def test_a_target_that_is_a_folder_keeps_the_finished_part_for_resume(tmp_path, capsys, corpus):
    folder, reference = corpus
    out = tmp_path / "out.jsonl"
    out.mkdir()
    assert _extract(capsys, folder, "-o", out, "--workers", "2") == (2, (
        f"vnextract: error: [Errno 21] cannot write {out}: Is a directory; the 12 documents finished so far "
        f"are kept: fix the problem, then run the same command with --resume"))
    out.rmdir()
    assert _resume(capsys, folder, out) == 12
    assert out.read_bytes() == reference["jsonl"]


def test_a_target_in_a_folder_that_is_a_file_is_a_clear_error(tmp_path, capsys, corpus):
    folder, _ = corpus
    (tmp_path / "notes").write_text("x")
    out = tmp_path / "notes" / "out.csv"
    assert _extract(capsys, folder, "-o", out) == (2, (
        f"vnextract: error: [Errno 20] cannot write {out}: {tmp_path / 'notes'} is a file, not a folder; "
        f"choose another -o, or make its folder writable"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


# ------------------------------------------------------- a runaway rule regex

_RUNAWAY = """
  # backtracks without end on "năm qqq…q" (a test's rule)
  - name: runaway
    regex: 'năm{sp}(?:q|qq)+[0-9]'
    year: null
"""


def test_a_rule_regex_that_runs_too_long_fails_its_document_only(tmp_path, corpus):
    folder, reference = corpus
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    periods = rules / "periods.yaml"
    text = periods.read_text(encoding="utf-8")
    periods.write_text(text.replace("\nrules:\n", "\nrules:\n" + _RUNAWAY, 1), encoding="utf-8")
    inputs = tmp_path / "in"
    shutil.copytree(folder, inputs)
    (inputs / "zz-runaway.txt").write_text(f"Trong năm {'q' * 60}, doanh thu đạt 5 tỷ đồng.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    began = time.monotonic()
    done = _cli("extract", inputs, "-o", out, "--workers", "2", env={**ENV, "VNEXTRACT_RULES": str(rules)})
    assert time.monotonic() - began < 60  # never a hang (the regex limit is 2 s)
    assert done.returncode == 1
    assert "vnextract: skipped " in done.stderr.decode() and "zz-runaway.txt: RuleTimeout: " in done.stderr.decode()
    [error] = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert (error["doc_id"], error["error_type"]) == ("zz-runaway", "RuleTimeout")
    assert error["message"].startswith("rule pattern periods.yaml: rules ran over 2 s at character 6 ")
    assert out.read_bytes() == reference["jsonl"]  # every other document's records, as without the rule
