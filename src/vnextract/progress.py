"""The progress bar of the long commands (extract, show, track): tqdm on
stderr, one step per document, so every command reads the same; and the
counts their summary lines say."""
from __future__ import annotations

from typing import IO


def progress_bar(total: int | None, stream: IO[str]):
    """A tqdm bar of `total` documents (None: count without an ETA) on `stream`."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: workers are forked while the bar runs

    return Bar(total=total, unit="doc", file=stream, smoothing=0.1, dynamic_ncols=True)


def counted(number: int, noun: str) -> str:
    """"1 document", "2 documents": a count as the summary lines say it."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
