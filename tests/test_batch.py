"""Batch engine: order and bytes independent of workers, resume after a kill,
failures and time limits as errors, the Dask engine, stdout streaming."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnextract.batch import dask_engine, tasks, workers
from vnextract.batch import run as batch
from vnextract.cli import main
from vnextract.inputs.documents import Document, iter_documents
from vnextract.pipeline import extract_document, using_model
from vnextract.outputs.writers import json_line

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnextract.cli", *args], cwd=ROOT, env=ENV,
                          capture_output=True, timeout=120, **kwargs)


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name and out.name in p.name)


def _expected_lines(folder: Path) -> list[dict]:
    return [json.loads(json_line(record)) for doc in iter_documents([folder]) if isinstance(doc, Document)
            for record in extract_document(doc)]


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """Output of `--workers 1` on the dev folder, per format."""
    folder = tmp_path_factory.mktemp("reference")
    outputs = {}
    for fmt in ("jsonl", "csv", "parquet"):
        out = folder / f"dev.{fmt}"
        assert main(["extract", str(DEV), "-o", str(out), "--workers", "1"]) == 0
        outputs[fmt] = out.read_bytes()
    return outputs


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_two_workers_write_the_same_bytes_as_one(tmp_path, reference, fmt):
    out = tmp_path / f"dev.{fmt}"
    assert main(["extract", str(DEV), "-o", str(out), "--workers", "2"]) == 0
    assert out.read_bytes() == reference[fmt]
    assert _leftovers(out) == []  # no .part, manifest or errors file
    if fmt == "csv":
        assert reference[fmt].startswith(b"\xef\xbb\xbfdoc_id,")


def test_batch_records_equal_direct_extraction(reference):
    lines = [json.loads(line) for line in reference["jsonl"].decode("utf-8").splitlines()]
    assert lines == _expected_lines(DEV)
    assert {line["doc_id"] for line in lines} == {doc.doc_id for doc in iter_documents([DEV])}


# ------------------------------------------------------------------ resume

_KILLER = """
import os, signal, sys
from vnextract.batch.run import run
from vnextract.pipeline import extract_document

def kill_the_run(document):
    if document.doc_id == sys.argv[3]:
        os.kill(os.getppid(), signal.SIGKILL)  # the batch process dies mid-run
        os._exit(0)
    return extract_document(document)

run([sys.argv[1]], sys.argv[2], workers=2, extractor=kill_the_run)
"""


def _killed_run(folder: Path, out: Path, at: str) -> None:
    done = subprocess.run([sys.executable, "-c", _KILLER, str(folder), str(out), at], env=ENV,
                          capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    assert not out.exists()  # nothing looks complete
    assert (out.parent / f".{out.name}.part").exists() and (out.parent / f"{out.name}.progress.jsonl").exists()


def test_resume_after_a_kill_equals_a_clean_run(tmp_path, reference):
    out = tmp_path / "dev.jsonl"
    names = [doc.doc_id for doc in iter_documents([DEV])]
    _killed_run(DEV, out, at=names[25])
    # A torn write at the moment of the kill: half a record and half a manifest line.
    with open(tmp_path / ".dev.jsonl.part", "ab") as part:
        part.write(b'{"doc_id": "torn", "sta')
    with open(tmp_path / "dev.jsonl.progress.jsonl", "ab") as manifest:
        manifest.write(b'{"doc_id": "torn", "ha')
    summary = batch.run([DEV], out, resume=True, workers=2)
    assert 0 < summary.resumed <= 25 and summary.documents == len(names) and summary.errors == 0
    assert out.read_bytes() == reference["jsonl"]  # no duplicates, nothing lost
    assert _leftovers(out) == []


def test_resume_extracts_again_a_document_changed_since(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(DEV, folder)
    out = tmp_path / "out.csv"
    docs = sorted(folder.glob("*.txt"))
    _killed_run(folder, out, at=docs[30].stem)
    changed = docs[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThu nhập bình quân đầu người đạt 77,7 triệu đồng.\n",
                       encoding="utf-8")
    summary = batch.run([folder], out, resume=True, workers=2)
    assert summary.resumed == 3  # the documents before the changed one
    clean = tmp_path / "clean.csv"
    batch.run([folder], clean, workers=1)
    assert out.read_bytes() == clean.read_bytes()
    assert b"77,7 tri" in out.read_bytes()


def test_resume_with_another_model_starts_afresh(tmp_path, capsys):
    """Records decided by one model are not kept in a run resumed with another."""
    folder = tmp_path / "in"
    folder.mkdir()
    for doc in sorted(DEV.glob("*.txt"))[:6]:
        shutil.copy(doc, folder / doc.name)
    out = tmp_path / "out.jsonl"
    _killed_run(folder, out, at=sorted(folder.glob("*.txt"))[4].stem)
    with using_model("rules"):
        summary = batch.run([folder], out, resume=True, workers=1)
        clean = tmp_path / "clean.jsonl"
        batch.run([folder], clean, workers=1)
    assert summary.resumed == 0
    assert "decided by another model (--model); starting afresh" in capsys.readouterr().err
    assert out.read_bytes() == clean.read_bytes()


def test_resume_without_a_previous_run_starts_afresh(tmp_path, reference, capsys):
    out = tmp_path / "dev.jsonl"
    summary = batch.run([DEV], out, resume=True, workers=2)
    assert summary.resumed == 0 and out.read_bytes() == reference["jsonl"]
    assert "starting afresh" in capsys.readouterr().err


# ------------------------------------------------------------------ failures


def test_bad_documents_go_to_the_errors_file_and_the_run_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DEV / "haiha-2024.txt", folder / "a-good.txt")
    (folder / "b-bad.txt").write_bytes("Thu nhập đạt 5%".encode("utf-8") + b"\xff\xfe\n")
    good_line = json.dumps({"id": "c-line", "text": (DEV / "damha-2024.txt").read_text(encoding="utf-8")})
    (folder / "c.jsonl").write_text(good_line + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "2"]) == 1
    errors = _read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert [(e["doc_id"], e["error_type"]) for e in errors] == [("b-bad", "DecodeError"), ("c:2", "JSONError")]
    assert all(set(e) == {"doc_id", "source", "error_type", "message"} and e["message"] for e in errors)
    assert errors[0]["source"].endswith("b-bad.txt") and errors[1]["source"].endswith("c.jsonl:2")
    assert _read_jsonl(out) == _expected_lines(folder)
    assert {line["doc_id"] for line in _read_jsonl(out)} == {"a-good", "c-line"}
    summary = capsys.readouterr().err.splitlines()[-1]
    assert summary.startswith("vnextract: 4 documents, ") and ", 2 errors in " in summary


def _hang_or_die(document: Document):
    """Test extractor: hangs (in C, out of reach of signals) or crashes on cue."""
    if document.doc_id == "hang":
        time.sleep(600)
    if document.doc_id == "crash":
        os._exit(3)
    return extract_document(document)


def test_time_limit_and_crash_become_errors(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "hang", "m", "crash", "z"):
        shutil.copy(DEV / "haiha-2024.txt", folder / f"{name}.txt")
    out = tmp_path / "out.jsonl"
    began = time.monotonic()
    summary = batch.run([folder], out, workers=2, timeout=1.5, extractor=_hang_or_die)
    assert time.monotonic() - began < 20
    assert (summary.documents, summary.errors) == (5, 2)
    errors = {e["doc_id"]: e["error_type"] for e in _read_jsonl(tmp_path / "out.jsonl.errors.jsonl")}
    assert errors == {"hang": "TimeoutError", "crash": "WorkerCrash"}
    survivors = [doc for doc in iter_documents([folder]) if doc.doc_id in ("a", "m", "z")]
    assert _read_jsonl(out) == [json.loads(json_line(r)) for doc in survivors for r in extract_document(doc)]


def _spin(document: Document):
    while True:
        pass


def _pool_tasks(*names: str) -> list[tasks.Task]:
    return [tasks.Task(Document(name, f"Năm 2024, doanh thu đạt {i + 5} tỷ đồng.", "<test>"), str(i))
            for i, name in enumerate(names)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")
def test_a_worker_that_died_idle_is_replaced_and_its_task_goes_elsewhere():
    pool = workers._Pool(workers._context(), 1, extract_document, "jsonl", None)
    try:
        [first] = pool.imap(iter(_pool_tasks("first")), window=4)
        assert first.error is None and first.records == 1
        dead = pool._workers[0].process
        dead.kill()
        dead.join()
        outcomes = list(pool.imap(iter(_pool_tasks("a", "b", "c")), window=4))
        assert [(o.doc_id, o.error, o.records) for o in outcomes] == [("a", None, 1), ("b", None, 1), ("c", None, 1)]
        assert pool._workers[0].process is not dead
    finally:
        pool.close(kill=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")
def test_a_worker_that_dies_before_its_first_document_stops_the_run_with_a_clear_error():
    pool = workers._Pool(workers._context(), 1, extract_document, "jsonl", None)
    try:
        pool._workers[0].process.kill()
        pool._workers[0].process.join()
        with pytest.raises(RuntimeError, match="died before its first document"):
            list(pool.imap(iter(_pool_tasks("a")), window=4))
    finally:
        pool.close(kill=True)


def test_time_limit_inside_a_thread_stops_python_code():
    """The Dask engine's limit (tasks run in worker threads): an async exception."""
    task = tasks.Task(Document("spin", "x", "<test>"), "0")
    began = time.monotonic()
    [outcome] = dask_engine._extract_partition(_spin, [task], "jsonl", 0.3)
    assert outcome.error[0] == "TimeoutError" and time.monotonic() - began < 5


# ------------------------------------------------------------------ Dask, stdout


def test_dask_engine_on_a_local_cluster_equals_local(tmp_path, reference):
    out = tmp_path / "dev.csv"
    done = _cli("extract", str(DEV), "-o", str(out), "--engine", "dask", "--workers", "2")
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes() == reference["csv"]


def test_dask_workers_started_without_the_model_setting_decide_with_it(tmp_path):
    """A cluster's workers do not share the client's environment: `--model`
    must reach them with the work (here: workers started before it was set)."""
    from distributed import LocalCluster

    folder = tmp_path / "in"
    folder.mkdir()
    for doc in sorted(DEV.glob("*.txt"))[:4]:
        shutil.copy(doc, folder / doc.name)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with using_model("rules"):
            batch.run([folder], tmp_path / "dask.jsonl", engine="dask", scheduler=cluster.scheduler_address)
            batch.run([folder], tmp_path / "local.jsonl", workers=1)
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()


def test_stdout_streams_jsonl():
    done = _cli("extract", "corpus/dev/haiha-2024.txt")
    assert done.returncode == 0, done.stderr.decode()
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert lines == _expected_lines(DEV / "haiha-2024.txt") and lines
    assert done.stderr.decode().startswith("vnextract: 1 document, ")


def test_usage_errors_exit_2(tmp_path):
    assert main(["extract", str(DEV), "--resume"]) == 2
    assert main(["extract", str(DEV), "-o", str(tmp_path / "x.jsonl"), "--workers", "0"]) == 2
    assert main(["extract", str(DEV), "-o", str(tmp_path / "x.jsonl"), "--scheduler", "tcp://x:1"]) == 2
