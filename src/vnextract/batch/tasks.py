"""Batch work items: a task (a document and its content hash) in, an outcome out.

These are the plain data passed between the batch stages — the sinks turn
documents into jobs, an engine (`workers` or `dask_engine`) turns tasks into
outcomes, the sinks write the outcomes — so they live here, below all of
them, and every stage imports them from this one place. `extract_one` is the
one way a task becomes an outcome, whichever engine runs it: the records are
rendered to bytes where they were extracted, and any failure, a time limit
included, becomes the document's error instead of stopping the run.
"""
from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, Union

from ..inputs.documents import Document, DocumentFailure, Unread
from ..outputs.writers import RecordWriter

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
class Task:
    document: Document | Unread  # an Unread file is read where it is extracted
    digest: str

    @property
    def size(self) -> int:
        """What the task weighs in a pipe: characters of a text, bytes of a file."""
        document = self.document
        return len(document.data) if isinstance(document, Unread) else len(document.text)


Job = Union[Outcome, Task]


def content_hash(document: Document | Unread) -> str:
    """sha256 of the NFC text (of a file not yet read: its bytes, suffix and
    forced encoding) and of the metadata that can change its records."""
    meta = f"{document.meta.locality or ''}\x00{document.meta.year or ''}"
    if isinstance(document, Unread):
        digest = hashlib.sha256(document.data)
        digest.update(f"\x00{document.suffix}\x00{document.encoding or ''}\x00{meta}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:16]
    key = f"{document.text}\x00{meta}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def jobs(items: Iterator[Union[Document, DocumentFailure]]) -> Iterator[Job]:
    """Documents become tasks; unreadable inputs are already finished."""
    for item in items:
        if isinstance(item, DocumentFailure):
            yield Outcome(item.doc_id, item.source, None, error=(item.error_type, item.message))
        else:
            yield Task(item, content_hash(item))


def render(records: Iterable, fmt: str) -> bytes:
    """Records as the bytes a JSONL or CSV file holds for them (no CSV header)."""
    buffer = io.StringIO()
    writer = RecordWriter(buffer, fmt, header=False)
    for record in records:
        writer.write(record)
    return buffer.getvalue().encode("utf-8")


def failed(task: Task, error_type: str, message: str) -> Outcome:
    return Outcome(task.document.doc_id, task.document.source, task.digest, error=(error_type, message))


def extract_one(extractor: Extractor, task: Task, fmt: str, limit: float | None = None) -> Outcome:
    """Read (a file not yet read), extract and render one document; any
    exception becomes its failure."""
    document = task.document
    try:
        with _time_limit(limit):
            if isinstance(document, Unread):
                document = document.read()
                if isinstance(document, DocumentFailure):
                    return failed(task, document.error_type, document.message)
            records = extractor(document)
            data = render(records, fmt)
    except _TimeLimit:
        return failed(task, "TimeoutError", f"no result within the per-document time limit of {limit:g} s")
    except MemoryError:
        return failed(task, "MemoryError", "out of memory on this document; lower the --max-* limits "
                                           "or give the run more memory")
    except Exception as err:  # one bad document must not cost the others
        return failed(task, type(err).__name__, str(err) or repr(err))
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
