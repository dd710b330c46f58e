"""The progress bar of the long commands (extract, show, track): tqdm on
stderr, one step per document, so every command reads the same."""
from __future__ import annotations

from typing import IO


def progress_bar(total: int | None, stream: IO[str]):
    """A tqdm bar of `total` documents (None: count without an ETA) on `stream`."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: workers are forked while the bar runs

    return Bar(total=total, unit="doc", file=stream, smoothing=0.1, dynamic_ncols=True)
