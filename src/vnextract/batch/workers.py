"""The local engine: a pool of worker processes, with a per-document time limit.

Why it is built this way:

- **Workers are plain processes fed documents over a pipe** (the one being
  extracted plus one queued, so a worker never waits for the parent), and the
  parent knows which document each worker is on and since when. A document
  over the time limit is ended by killing its worker (which works even inside
  C code, where signals and exceptions cannot reach), a crash is pinned on the
  document that caused it, the worker is replaced and the queued document
  goes to the next free one. On Linux workers are forked from a parent that
  has already loaded the rules and models, so they start at once, and before
  the parent reads any input, so they carry nothing of it (a folder's
  listing, a metadata sheet) and their memory does not grow with the run.
- **Outcomes come back in input order through a bounded window** of jobs in
  flight (`_Pool.imap`), so the parent's memory stays flat however long the
  input is.
"""
from __future__ import annotations

import signal
import sys
import time
from collections import deque
from typing import Iterator

from ..inputs.documents import Document
from .tasks import Extractor, Job, Outcome, Task, extract_one, failed

_WARM_UP = "Năm 2024, thu nhập bình quân đầu người của huyện đạt 89,6 triệu đồng, tăng 15% so với cùng kỳ."


def local_outcomes(jobs: Iterator[Job], extractor: Extractor, fmt: str, timeout: float | None,
                   workers: int) -> Iterator[Outcome]:
    context = _context()
    if context.get_start_method() == "fork":
        _warm(extractor)
    pool = _Pool(context, workers, extractor, fmt, timeout)
    try:
        yield from pool.imap(jobs, window=max(32, 8 * workers))
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
        self.task = job if isinstance(job, Task) else None
        self.outcome = job if isinstance(job, Outcome) else None


class _Worker:
    __slots__ = ("process", "conn", "assigned", "started", "served")

    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.assigned: deque[_Slot] = deque()  # sent, in order; the first is running
        self.started = 0.0  # when the running one began (at the latest)
        self.served = 0  # outcomes it has sent back


class _Pool:
    """Worker processes, each holding the document it is on plus at most one
    more, queued in its pipe so that it never waits for the parent."""

    _QUEUE_BELOW = 16_000  # characters or bytes: a queued task must fit in the pipe's buffer

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
            for worker in list(self._workers):
                if not self._waiting:
                    return
                if len(worker.assigned) < depth and (
                        depth == 1 or self._waiting[0].task.size < self._QUEUE_BELOW):
                    self._send(worker, self._waiting.popleft())

    def _send(self, worker: _Worker, slot: _Slot) -> None:
        try:
            worker.conn.send(slot.task)
        except OSError:  # the worker has died; the task waits for another one
            self._waiting.appendleft(slot)
            if not worker.assigned:  # it died idle, with no document to blame
                worker.process.join()
                if not worker.served:  # a new worker that cannot start would die again
                    raise RuntimeError(f"a worker process died before its first document "
                                       f"(exit code {worker.process.exitcode})") from None
                self._restart(worker)
            return  # else `_collect` pins the death on the document it was running
        if not worker.assigned:
            worker.started = time.monotonic()
        worker.assigned.append(slot)

    def _collect(self) -> None:
        """Wait for at least one worker to answer or for the oldest to run out of time."""
        from multiprocessing.connection import wait

        busy = {worker.conn: worker for worker in self._workers if worker.assigned}
        if not busy:  # a worker was replaced before it took a task: dispatch again
            return
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
                self._replace(worker, "WorkerCrash", _death(worker.process.exitcode))
                continue
            worker.assigned.popleft().outcome = outcome
            worker.served += 1
            worker.started = time.monotonic()
        if self._timeout is not None:
            now = time.monotonic()
            for worker in list(self._workers):
                if worker.assigned and now - worker.started >= self._timeout:
                    self._replace(worker, "TimeoutError",
                                  f"no result within the per-document time limit of {self._timeout:g} s")

    def _replace(self, worker: _Worker, error_type: str, message: str) -> None:
        """The running document fails; the one queued behind it goes back to the front."""
        slot = worker.assigned.popleft()
        slot.outcome = failed(slot.task, error_type, message)
        self._waiting.extendleft(reversed(worker.assigned))
        self._restart(worker)

    def _restart(self, worker: _Worker) -> None:
        self._stop(worker, kill=True)
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


def _death(exitcode: int | None) -> str:
    """Why a worker died, as far as its exit code tells."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = "; the kernel kills a process so when memory runs out" if -exitcode == signal.SIGKILL else ""
        return f"the worker process was killed by {name} (signal {-exitcode}){why}"
    return f"the worker process died (exit code {exitcode})"


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
        conn.send(extract_one(extractor, task, fmt))
