"""Batch runs: many documents → one output, in parallel, in input order, resumable.

A straight line of stages with plain data between them (`tasks`): the input
documents become jobs (`sinks`, which on resume turn the documents already
done into kept outcomes), an engine turns the tasks among them into outcomes
(`workers`, the local process pool, or `dask_engine`), and the sink writes
the outcomes in input order. This module checks the options, wires the stages
together, counts, reports and shows progress.

Why it is built this way:

- **Results are written in input order through a bounded window** of documents
  in flight, so memory stays flat however long the input is, and the bytes
  written do not depend on the number of workers. Workers render their records
  to bytes themselves, which keeps the parent from becoming the bottleneck.
- **Each concern is its own module**: the local engine (`workers`), the Dask
  engine (`dask_engine`) and the output with its resume manifest (`sinks`)
  each explain there why they are built the way they are. This module imports
  them; they import only `tasks`, never this module.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Iterable, Union

from .dask_engine import dask_outcomes
from ..inputs.documents import DocumentMeta, count_documents, files_in, iter_documents
from ..inputs.limits import DEFAULT_LIMITS, Limits
from .sinks import FileSink, StreamSink
from .tasks import Extractor
from .workers import local_outcomes
from ..outputs.writers import EVIDENCE_FORMAT, WHOLE_FILE_FORMATS, format_for
from ..progress import counted, progress_bar

DEFAULT_TIMEOUT = 60.0


@dataclass(slots=True)
class Summary:
    documents: int = 0
    records: int = 0
    errors: int = 0
    resumed: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        resumed = f", {self.resumed} resumed" if self.resumed else ""
        return (f"vnextract: {counted(self.documents, 'document')}, {counted(self.records, 'record')}, "
                f"{counted(self.errors, 'error')} in {self.seconds:.1f} s{resumed}")


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
    encoding: str | None = None,
    evidence: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Summary:
    """Extract every input document into `output` (JSONL to `stdout` when None).

    `extractor` (Document → records) must be picklable; it defaults to
    `pipeline.extract_document` (on Dask, with the model in force bound to it,
    so workers elsewhere decide with it). Failed documents do not stop the
    run: they are counted, reported on `stderr` and listed in
    `OUT.errors.jsonl`. `encoding` forces the encoding of text files and
    pages (else each is detected). `evidence` adds the evidence columns to a
    CSV or Parquet output (JSONL always carries them). Files are read in the
    workers, under `timeout`, within `limits` (`inputs/limits`)."""
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
        from ..pipeline import decisions_in_force, extract_document as extractor

        if engine == "dask":  # a cluster's workers do not see this process's --model: it travels with the work
            extractor = partial(extractor, model=decisions_in_force())
    if output is None:
        if fmt in WHOLE_FILE_FORMATS:
            raise ValueError(f"{fmt} needs an output file (-o)")
        if resume:
            raise ValueError("--resume needs an output file (-o)")
        sink: StreamSink | FileSink = StreamSink(stdout or sys.stdout.buffer,
                                                 EVIDENCE_FORMAT if evidence and fmt == "csv" else fmt)
    else:
        sink = FileSink(Path(output), fmt, resume, evidence=evidence)
        if resume and not sink.resuming:
            why = sink.afresh_because or "nothing to resume"
            print(f"vnextract: {output}: {why}; starting afresh", file=stderr)

    try:
        bar = _progress_bar(inputs, stderr) if progress else None
    except BaseException:
        sink.close()
        raise
    say = bar.write if bar is not None else (lambda message: print(message, file=stderr))
    jobs = sink.jobs(iter_documents(inputs, stdin=stdin, meta=meta, encoding=encoding, limits=limits, defer=True,
                                    notices=lambda message: say(f"vnextract: {message}")))
    if engine == "dask":
        outcomes = dask_outcomes(jobs, extractor, sink.part_fmt, timeout, workers, scheduler, partition_size)
    else:
        outcomes = local_outcomes(jobs, extractor, sink.part_fmt, timeout, workers)
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


# ---------------------------------------------------------------- progress


def _progress_bar(inputs: Iterable, stream: IO[str]):
    return progress_bar(count_documents(inputs), stream)
