"""The Dask engine: the same work items, extracted on a Dask cluster.

It sends partitions of the tasks to a cluster and merges the results back in
input order through the same writer, so its output equals the local engine's.
Its workers run tasks in threads, where a document cannot be killed, so the
per-document time limit is the one `tasks.extract_one` raises into the thread.
dask and distributed are imported only when this engine runs.
"""
from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Iterator

from .tasks import Extractor, Job, Outcome, Task, extract_one, failed


def dask_outcomes(jobs: Iterator[Job], extractor: Extractor, fmt: str, timeout: float | None, workers: int,
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
            tasks = [job for job in chunk if isinstance(job, Task)]
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


def _extract_partition(extractor: Extractor, tasks: list[Task], fmt: str, limit: float | None) -> list[Outcome]:
    return [extract_one(extractor, task, fmt, limit) for task in tasks]


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
            yield next(results) if results is not None else failed(job, *error)

