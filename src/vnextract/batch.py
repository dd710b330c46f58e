"""Batch runs: many documents → one output, in parallel, in input order, resumable.

Why it is built this way:

- **Workers are plain processes fed documents over a pipe** (the one being
  extracted plus one queued, so a worker never waits for the parent), and the
  parent knows which document each worker is on and since when. A document
  over the time limit is ended by killing its worker (which works even inside
  C code, where signals and exceptions cannot reach), a crash is pinned on the
  document that caused it, the worker is replaced and the queued document
  goes to the next free one. On Linux workers are forked from a parent that
  has already loaded the rules and models, so they start at once.
- **Results are written in input order through a bounded window** of documents
  in flight, so memory stays flat however long the input is, and the bytes
  written do not depend on the number of workers. Workers render their records
  to bytes themselves, which keeps the parent from becoming the bottleneck.
- **Nothing looks complete before it is.** Records stream into a hidden
  `.OUT.part` beside OUT, renamed over OUT when the run ends. A manifest
  `OUT.progress.jsonl` gets one line per finished document (doc_id, content
  hash, record count, error, byte offset of the part file after its records),
  always written after those records are flushed. `--resume` walks the inputs
  and the manifest side by side: while each document has the same doc_id and
  content hash as the manifest says, it is skipped and its records are kept;
  from the first new or changed document on, the part file and manifest are
  cut back to what was kept (dropping any torn write) and extraction goes on.
- **The Dask engine** sends partitions of the same work items to a cluster and
  merges the results back in input order through the same writer, so its
  output equals the local engine's.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sys
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence, Union

from .documents import Document, DocumentFailure, DocumentMeta, iter_documents
from .writers import RecordWriter, atomic_path, format_for

DEFAULT_TIMEOUT = 60.0
_PROGRESS_VERSION = 1
_WARM_UP = "Năm 2024, thu nhập bình quân đầu người của huyện đạt 89,6 triệu đồng, tăng 15% so với cùng kỳ."

Extractor = Callable[[Document], Sequence]


@dataclass(slots=True)
class Outcome:
    """What became of one input document: plain data, cheap to send between processes."""

    doc_id: str
    source: str
    digest: str | None  # content hash; None when the document could not be read
    records: int = 0
    data: bytes = b""  # the records, rendered in the output (or part) format
    error: tuple[str, str] | None = None  # (error type, message)
    kept: tuple[int, int] | None = None  # resumed: (part offset, manifest offset) after it


@dataclass(slots=True)
class _Task:
    document: Document
    digest: str


Job = Union[Outcome, _Task]


@dataclass(slots=True)
class Summary:
    documents: int = 0
    records: int = 0
    errors: int = 0
    resumed: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        resumed = f", {self.resumed} resumed" if self.resumed else ""
        return (f"vnextract: {self.documents} documents, {self.records} records, "
                f"{self.errors} errors in {self.seconds:.1f} s{resumed}")


def content_hash(document: Document) -> str:
    """sha256 of the NFC text and of the metadata that can change its records."""
    key = f"{document.text}\x00{document.meta.locality or ''}\x00{document.meta.year or ''}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(
    inputs: Iterable[Union[str, os.PathLike]],
    output: str | os.PathLike | None = None,
    fmt: str | None = None,
    *,
    meta: dict[str, DocumentMeta] | None = None,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    resume: bool = False,
    progress: bool = False,
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | None = None,
    stderr: IO[str] | None = None,
    extractor: Extractor | None = None,
    partition_size: int = 16,
) -> Summary:
    """Extract every input document into `output` (JSONL to `stdout` when None).

    `extractor` (Document → records) must be picklable by reference; it
    defaults to `pipeline.extract_document`. Failed documents do not stop the
    run: they are counted, reported on `stderr` and listed in
    `OUT.errors.jsonl`."""
    began = time.monotonic()
    fmt = format_for(output, fmt)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError("--workers must be at least 1")
    if timeout is not None and timeout <= 0:
        timeout = None
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}; choose local or dask")
    if scheduler and engine != "dask":
        raise ValueError("--scheduler needs --engine dask")
    stderr = stderr or sys.stderr
    if extractor is None:
        from .pipeline import extract_document as extractor
    if output is None:
        if fmt == "parquet":
            raise ValueError("Parquet needs an output file (-o)")
        if resume:
            raise ValueError("--resume needs an output file (-o)")
        sink: _StreamSink | _FileSink = _StreamSink(stdout or sys.stdout.buffer, fmt)
    else:
        sink = _FileSink(Path(output), fmt, resume)
        if resume and not sink.resuming:
            print(f"vnextract: nothing to resume for {output}; starting afresh", file=stderr)

    bar = _progress_bar(inputs, stderr) if progress else None
    say = bar.write if bar is not None else (lambda message: print(message, file=stderr))
    jobs = sink.jobs(iter_documents(inputs, stdin=stdin, meta=meta))
    if engine == "dask":
        outcomes = _dask_outcomes(jobs, extractor, sink.part_fmt, timeout, workers, scheduler, partition_size)
    else:
        outcomes = _local_outcomes(jobs, extractor, sink.part_fmt, timeout, workers)
    summary = Summary()
    try:
        for outcome in outcomes:
            sink.put(outcome)
            summary.documents += 1
            summary.records += outcome.records
            if outcome.kept is not None:
                summary.resumed += 1
            if outcome.error is not None:
                summary.errors += 1
                if outcome.kept is None:
                    say(f"vnextract: skipped {outcome.source}: {outcome.error[0]}: {outcome.error[1]}")
            if bar is not None:
                bar.update()
        sink.finish()
    finally:
        outcomes.close()
        sink.close()
        if bar is not None:
            bar.close()
    summary.seconds = time.monotonic() - began
    return summary


# ---------------------------------------------------------------- work items


def _jobs(items: Iterator[Union[Document, DocumentFailure]]) -> Iterator[Job]:
    """Documents become tasks; unreadable inputs are already finished."""
    for item in items:
        if isinstance(item, DocumentFailure):
            yield Outcome(item.doc_id, item.source, None, error=(item.error_type, item.message))
        else:
            yield _Task(item, content_hash(item))


def render(records: Iterable, fmt: str) -> bytes:
    """Records as the bytes a JSONL or CSV file holds for them (no CSV header)."""
    buffer = io.StringIO()
    writer = RecordWriter(buffer, fmt, header=False)
    for record in records:
        writer.write(record)
    return buffer.getvalue().encode("utf-8")


def _header(fmt: str, bom: bool) -> bytes:
    if fmt != "csv":
        return b""
    buffer = io.StringIO()
    RecordWriter(buffer, "csv")
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def _failed(task: _Task, error_type: str, message: str) -> Outcome:
    return Outcome(task.document.doc_id, task.document.source, task.digest, error=(error_type, message))


def _extract_one(extractor: Extractor, task: _Task, fmt: str, limit: float | None = None) -> Outcome:
    """Extract and render one document; any exception becomes its failure."""
    document = task.document
    try:
        with _time_limit(limit):
            records = extractor(document)
            data = render(records, fmt)
    except _TimeLimit:
        return _failed(task, "TimeoutError", f"no result within the per-document time limit of {limit:g} s")
    except Exception as err:  # one bad document must not cost the others
        return _failed(task, type(err).__name__, str(err) or repr(err))
    return Outcome(document.doc_id, document.source, task.digest, len(records), data)


class _TimeLimit(BaseException):
    """Raised into a thread whose document ran out of time. A BaseException, so
    that `except Exception` inside the rules cannot swallow it."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """A time limit for work running in a thread (Dask tasks), where neither
    signals nor killing a process are available: the limit is raised into the
    thread as an asynchronous exception, so it stops Python code only."""
    if not seconds:
        yield
        return
    import ctypes
    import threading

    thread = threading.get_ident()
    lock = threading.Lock()
    active = [True]

    def expire() -> None:
        with lock:
            if active[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(_TimeLimit))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        # Under the lock, so the exception can only be raised before this
        # point, inside the caller's `try`.
        with lock:
            active[0] = False
        timer.cancel()


# ---------------------------------------------------------------- local engine


def _local_outcomes(jobs: Iterator[Job], extractor: Extractor, fmt: str, timeout: float | None,
                    workers: int) -> Iterator[Outcome]:
    head = list(islice(jobs, workers))
    tasks = sum(isinstance(job, _Task) for job in head)
    if len(head) < workers:  # a short input needs no more workers than tasks
        workers = tasks
    if workers == 0:
        yield from head
        return
    context = _context()
    if context.get_start_method() == "fork":
        _warm(extractor)
    pool = _Pool(context, workers, extractor, fmt, timeout)
    try:
        yield from pool.imap(chain(head, jobs), window=max(32, 8 * workers))
    except BaseException:
        pool.close(kill=True)
        raise
    pool.close()


def _context():
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _warm(extractor: Extractor) -> None:
    """Load rules and models once in the parent, so forked workers share them
    instead of each loading its own."""
    try:
        extractor(Document("warm-up", _WARM_UP, "<warm-up>"))
    except Exception:  # a real document will report whatever is wrong
        pass


class _Slot:
    __slots__ = ("task", "outcome")

    def __init__(self, job: Job):
        self.task = job if isinstance(job, _Task) else None
        self.outcome = job if isinstance(job, Outcome) else None


class _Worker:
    __slots__ = ("process", "conn", "assigned", "started")

    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.assigned: deque[_Slot] = deque()  # sent, in order; the first is running
        self.started = 0.0  # when the running one began (at the latest)


class _Pool:
    """Worker processes, each holding the document it is on plus at most one
    more, queued in its pipe so that it never waits for the parent."""

    _QUEUE_BELOW = 16_000  # characters: a queued text must fit in the pipe's buffer

    def __init__(self, context, size: int, extractor: Extractor, fmt: str, timeout: float | None):
        self._context = context
        self._extractor = extractor
        self._fmt = fmt
        self._timeout = timeout
        self._waiting: deque[_Slot] = deque()
        self._workers: list[_Worker] = []
        for _ in range(size):
            self._workers.append(self._start())

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        # A forked worker inherits the parent's ends of every pipe; it closes
        # them, or it would never see end-of-file when the parent dies.
        fork = self._context.get_start_method() == "fork"
        inherited = [ours, *(w.conn for w in self._workers)] if fork else []
        process = self._context.Process(target=_serve, args=(theirs, self._extractor, self._fmt, inherited),
                                        name="vnextract-worker", daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def imap(self, jobs: Iterator[Job], window: int) -> Iterator[Outcome]:
        """Outcomes in job order, with at most `window` jobs between the next
        one to yield and the last one taken."""
        slots: deque[_Slot] = deque()
        more = True
        while True:
            while more and len(slots) < window:
                job = next(jobs, None)
                if job is None:
                    more = False
                    break
                slots.append(_Slot(job))
                if slots[-1].outcome is None:
                    self._waiting.append(slots[-1])
            self._dispatch()
            while slots and slots[0].outcome is not None:
                yield slots.popleft().outcome
            if not slots and not more:
                return
            if slots and slots[0].outcome is None:
                self._collect()

    def _dispatch(self) -> None:
        """Idle workers first; then a small task queued behind each running one."""
        for depth in (1, 2):
            for worker in self._workers:
                if not self._waiting:
                    return
                if len(worker.assigned) < depth and (
                        depth == 1 or len(self._waiting[0].task.document.text) < self._QUEUE_BELOW):
                    slot = self._waiting.popleft()
                    if not worker.assigned:
                        worker.started = time.monotonic()
                    worker.assigned.append(slot)
                    worker.conn.send(slot.task)

    def _collect(self) -> None:
        """Wait for at least one worker to answer or for the oldest to run out of time."""
        from multiprocessing.connection import wait

        busy = {worker.conn: worker for worker in self._workers if worker.assigned}
        wait_for = None
        if self._timeout is not None:
            oldest = min(worker.started for worker in busy.values())
            wait_for = max(0.0, oldest + self._timeout - time.monotonic())
        for conn in wait(list(busy), wait_for):
            worker = busy[conn]
            try:
                outcome = conn.recv()
            except (EOFError, OSError):
                worker.process.join()
                self._replace(worker, "WorkerCrash", f"the worker process died (exit code {worker.process.exitcode})")
                continue
            worker.assigned.popleft().outcome = outcome
            worker.started = time.monotonic()
        if self._timeout is not None:
            now = time.monotonic()
            for worker in list(self._workers):
                if worker.assigned and now - worker.started >= self._timeout:
                    self._replace(worker, "TimeoutError",
                                  f"no result within the per-document time limit of {self._timeout:g} s")

    def _replace(self, worker: _Worker, error_type: str, message: str) -> None:
        """The running document fails; the one queued behind it goes back to the front."""
        self._stop(worker, kill=True)
        slot = worker.assigned.popleft()
        slot.outcome = _failed(slot.task, error_type, message)
        self._waiting.extendleft(reversed(worker.assigned))
        self._workers.remove(worker)
        self._workers.append(self._start())

    def close(self, kill: bool = False) -> None:
        for worker in self._workers:
            self._stop(worker, kill)
        self._workers.clear()

    @staticmethod
    def _stop(worker: _Worker, kill: bool) -> None:
        if not kill:
            try:
                worker.conn.send(None)
            except OSError:
                kill = True
        if kill:
            worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def _serve(conn, extractor: Extractor, fmt: str, inherited: list) -> None:
    """Worker loop: a task in, an outcome out, until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for other in inherited:
        other.close()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(_extract_one(extractor, task, fmt))


# ---------------------------------------------------------------- Dask engine


def _dask_outcomes(jobs: Iterator[Job], extractor: Extractor, fmt: str, timeout: float | None, workers: int,
                   scheduler: str | None, partition_size: int) -> Iterator[Outcome]:
    """Partitions of tasks as futures on a Dask cluster, merged back in input
    order; at most two partitions per worker thread are in flight."""
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError as err:
        raise ValueError("--engine dask needs dask and distributed: pip install 'vnextract[dask]'") from err
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(scheduler or cluster)
    try:
        window = 2 * max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        while chunk := list(islice(jobs, partition_size)):
            tasks = [job for job in chunk if isinstance(job, _Task)]
            future = client.submit(_extract_partition, extractor, tasks, fmt, timeout, pure=False) if tasks else None
            pending.append((chunk, future))
            if len(pending) >= window:
                yield from _merge(*pending.popleft())
        while pending:
            yield from _merge(*pending.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _extract_partition(extractor: Extractor, tasks: list[_Task], fmt: str, limit: float | None) -> list[Outcome]:
    return [_extract_one(extractor, task, fmt, limit) for task in tasks]


def _merge(chunk: list[Job], future) -> Iterator[Outcome]:
    results: Iterator[Outcome] | None = None
    if future is not None:
        try:
            results = iter(future.result())
        except Exception as err:  # a lost worker fails its partition, not the run
            error = (type(err).__name__, str(err) or repr(err))
    for job in chunk:
        if isinstance(job, Outcome):
            yield job
        else:
            yield next(results) if results is not None else _failed(job, *error)


# ---------------------------------------------------------------- output


class _StreamSink:
    """Standard output: records in input order as they come, nothing to resume."""

    resuming = False

    def __init__(self, stream: IO[bytes], fmt: str):
        self.part_fmt = fmt
        self._stream = stream
        stream.write(_header(fmt, bom=False))

    def jobs(self, items) -> Iterator[Job]:
        return _jobs(items)

    def put(self, outcome: Outcome) -> None:
        if outcome.data:
            self._stream.write(outcome.data)
            self._stream.flush()

    def finish(self) -> None:
        self._stream.flush()

    def close(self) -> None:
        pass


class _FileSink:
    """OUT via `.OUT.part` and the manifest `OUT.progress.jsonl` (see the module docstring)."""

    def __init__(self, target: Path, fmt: str, resume: bool):
        self.fmt = fmt
        self.part_fmt = "jsonl" if fmt == "parquet" else fmt  # Parquet is converted at the end
        self.target = target
        self.part = target.with_name(f".{target.name}.part")
        self.manifest = target.with_name(f"{target.name}.progress.jsonl")
        self.errors_path = target.with_name(f"{target.name}.errors.jsonl")
        self.errors: list[Outcome] = []
        self._part: IO[bytes] | None = None
        self._manifest: IO[bytes] | None = None
        target.parent.mkdir(parents=True, exist_ok=True)
        header = self._resumable_header() if resume else None
        self.resuming = header is not None
        if header is None:
            self._start_afresh()
        else:
            self._end, self._manifest_end = header  # what is kept so far

    def _manifest_header(self) -> dict:
        from . import __version__

        return {"vnextract_progress": _PROGRESS_VERSION, "version": __version__, "format": self.part_fmt}

    def _resumable_header(self) -> tuple[int, int] | None:
        """(part offset, manifest offset) after the headers, or None when the
        files are missing or belong to another format or version."""
        try:
            with open(self.manifest, "rb") as handle:
                line = handle.readline()
            size = self.part.stat().st_size
            header = json.loads(line)
        except (OSError, ValueError):
            return None
        if not line.endswith(b"\n") or not isinstance(header, dict):
            return None
        end = header.pop("end", None)
        if header != self._manifest_header() or not isinstance(end, int) or not 0 <= end <= size:
            return None
        return end, len(line)

    def _start_afresh(self) -> None:
        header = _header(self.part_fmt, bom=True)
        self._part = open(self.part, "wb")
        self._part.write(header)
        self._part.flush()
        line = json.dumps({**self._manifest_header(), "end": len(header)}).encode() + b"\n"
        self._manifest = open(self.manifest, "wb")
        self._manifest.write(line)
        self._manifest.flush()
        self._end, self._manifest_end = len(header), len(line)

    def jobs(self, items) -> Iterator[Job]:
        """Tasks, with the documents a resumed run already finished turned into kept outcomes."""
        entries = self._entries() if self.resuming else None
        for job in _jobs(items):
            if entries is not None:
                found = next(entries, None)
                key = (job.document.doc_id, job.digest) if isinstance(job, _Task) else (job.doc_id, None)
                if found is not None and (found[0]["doc_id"], found[0]["hash"]) == key:
                    entry, manifest_end = found
                    error = tuple(entry["error"]) if entry["error"] else None
                    yield Outcome(key[0], entry["source"], key[1], entry["records"], error=error,
                                  kept=(entry["end"], manifest_end))
                    continue
                entries.close()
                entries = None
            yield job

    def _entries(self) -> Iterator[tuple[dict, int]]:
        """Manifest entries whose records are all in the part file, each with the
        manifest offset after it; stops at the first torn or inconsistent line."""
        size = self.part.stat().st_size
        end, offset = self._end, self._manifest_end
        with open(self.manifest, "rb") as handle:
            handle.seek(offset)
            for line in handle:
                try:
                    entry = json.loads(line)
                    valid = line.endswith(b"\n") and end <= entry["end"] <= size and all(
                        key in entry for key in ("doc_id", "hash", "source", "records", "error"))
                except (ValueError, TypeError, KeyError):
                    valid = False
                if not valid:
                    return
                end = entry["end"]
                offset += len(line)
                yield entry, offset

    def put(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self.errors.append(outcome)
        if outcome.kept is not None:
            self._end, self._manifest_end = outcome.kept
            return
        self._open()
        self._part.write(outcome.data)
        self._part.flush()
        self._end += len(outcome.data)
        line = json.dumps({"doc_id": outcome.doc_id, "hash": outcome.digest, "source": outcome.source,
                           "records": outcome.records, "error": outcome.error, "end": self._end}).encode() + b"\n"
        self._manifest.write(line)
        self._manifest.flush()
        self._manifest_end += len(line)

    def _open(self) -> None:
        """On resume, the first write cuts both files back to what was kept."""
        if self._part is not None:
            return
        self._part = open(self.part, "r+b")
        self._part.truncate(self._end)
        self._part.seek(self._end)
        self._manifest = open(self.manifest, "r+b")
        self._manifest.truncate(self._manifest_end)
        self._manifest.seek(self._manifest_end)

    def finish(self) -> None:
        """Errors file first, then OUT, then drop the manifest: a kill at any
        point leaves either a resumable run or a complete one."""
        self._open()
        self.close()
        if self.errors:
            with atomic_path(self.errors_path, "w", encoding="utf-8", errors="backslashreplace") as handle:
                for outcome in self.errors:
                    handle.write(json.dumps({"doc_id": outcome.doc_id, "source": outcome.source,
                                             "error_type": outcome.error[0], "message": outcome.error[1]},
                                            ensure_ascii=False) + "\n")
        else:
            self.errors_path.unlink(missing_ok=True)
        if self.fmt == "parquet":
            _jsonl_to_parquet(self.part, self.target)
            self.part.unlink()
        else:
            os.replace(self.part, self.target)
        self.manifest.unlink()

    def close(self) -> None:
        for handle in (self._part, self._manifest):
            if handle is not None:
                handle.close()


def _jsonl_to_parquet(source: Path, target: Path, batch: int = 10_000) -> None:
    """Stream the JSONL part file into Parquet, one row group per `batch` records."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .records import FIELDS

    types = {"start": pa.int64(), "end": pa.int64(), "year": pa.int64(),
             "value": pa.float64(), "value_max": pa.float64(), "norm_value": pa.float64()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in FIELDS])
    with atomic_path(target, "wb") as handle, open(source, encoding="utf-8") as lines:
        writer = pq.ParquetWriter(handle, schema)
        while rows := [json.loads(line) for line in islice(lines, batch)]:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        writer.close()


# ---------------------------------------------------------------- progress


def _progress_bar(inputs: Iterable, stream: IO[str]):
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: workers are forked while the bar runs

    return Bar(total=_count_documents(inputs), unit="doc", file=stream, smoothing=0.1, dynamic_ncols=True)


def _count_documents(inputs: Iterable) -> int | None:
    """A cheap count for the ETA: files, and non-blank lines of JSONL; None for stdin."""
    total = 0
    for item in inputs:
        path = Path(item)
        if str(item) == "-":
            return None
        if path.is_dir():
            files = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".jsonl")]
        else:
            files = [path]
        for file in files:
            if file.suffix.lower() == ".jsonl":
                try:
                    with open(file, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total
