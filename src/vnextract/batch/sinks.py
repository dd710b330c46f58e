"""Output sinks: outcomes written in input order, and the resume manifest.

Why it is built this way:

- **Nothing looks complete before it is.** Records stream into a hidden
  `.OUT.part` beside OUT, renamed over OUT when the run ends. A manifest
  `OUT.progress.jsonl` gets one line per finished document (doc_id, content
  hash, record count, error, byte offset of the part file after its records),
  always written after those records are flushed. `--resume` walks the inputs
  and the manifest side by side: while each document has the same doc_id and
  content hash as the manifest says, it is skipped and its records are kept;
  from the first new or changed document on, the part file and manifest are
  cut back to what was kept (dropping any torn write) and extraction goes on.
- **Parquet is written last**: records stream as JSONL into the part file,
  which is converted when the run ends.
- **One run per output.** `OUT.lock` beside OUT is held with `flock` for the
  whole run, so a second run on the same `-o` stops at once with a message
  instead of interleaving its writes; the kernel drops the lock when a run
  dies, so a killed run never blocks its `--resume`.
- **A failed write keeps what is done.** When the disk is full or the target
  cannot be written, the error says so, and the part file and manifest keep
  every document finished before it, for `--resume`.
"""
from __future__ import annotations

import errno
import io
import json
import os
from itertools import islice
from pathlib import Path
from typing import IO, Iterator

from . import tasks
from .tasks import Job, Outcome, Task
from ..outputs.writers import EVIDENCE_FORMAT, WHOLE_FILE_FORMATS, RecordWriter, atomic_path

_PROGRESS_VERSION = 2  # 2: a file's hash is of its bytes, read in the workers


def _header(fmt: str, bom: bool) -> bytes:
    if fmt not in ("csv", EVIDENCE_FORMAT):
        return b""
    buffer = io.StringIO()
    RecordWriter(buffer, fmt)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


class StreamSink:
    """Standard output: records in input order as they come, nothing to resume."""

    resuming = False

    def __init__(self, stream: IO[bytes], fmt: str):
        self.part_fmt = fmt
        self._stream = stream
        self._write(_header(fmt, bom=False))

    def jobs(self, items) -> Iterator[Job]:
        return tasks.jobs(items)

    def put(self, outcome: Outcome) -> None:
        if outcome.data:
            self._write(outcome.data)

    def finish(self) -> None:
        self._write(b"")

    def _write(self, data: bytes) -> None:
        """Write and flush; a failure (a full disk) names standard output. A
        closed pipe (`| head`) stays a BrokenPipeError, which is not an error."""
        try:
            self._stream.write(data)
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OSError(err.errno, f"cannot write standard output: {err.strerror or err}") from None

    def close(self) -> None:
        pass


class FileSink:
    """OUT via `.OUT.part` and the manifest `OUT.progress.jsonl` (see the module docstring)."""

    def __init__(self, target: Path, fmt: str, resume: bool, evidence: bool = False):
        self.fmt = fmt
        self.evidence = evidence  # evidence columns in a CSV or Parquet file (JSONL always has them)
        self.part_fmt = "jsonl" if fmt in WHOLE_FILE_FORMATS else fmt  # Parquet and Excel are converted at the end
        if evidence and fmt == "csv":
            self.part_fmt = EVIDENCE_FORMAT
        self.target = target
        self.part = target.with_name(f".{target.name}.part")
        self.manifest = target.with_name(f"{target.name}.progress.jsonl")
        self.errors_path = target.with_name(f"{target.name}.errors.jsonl")
        self.errors: list[Outcome] = []
        self._part: IO[bytes] | None = None
        self._manifest: IO[bytes] | None = None
        self._lock: _Lock | None = None
        self.finished = 0  # documents whose records are in the part file
        self.afresh_because = ""  # why an earlier run cannot be resumed, when it says more than "nothing to resume"
        try:
            for folder in (target.parent, *target.parent.parents):
                if folder.exists():
                    if not folder.is_dir():
                        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder")
                    break
            target.parent.mkdir(parents=True, exist_ok=True)
            self._lock = _Lock(target.with_name(f"{target.name}.lock"), target)
            header = self._resumable_header() if resume else None
            self.resuming = header is not None
            if header is None:
                self._start_afresh()
            else:
                self._end, self._manifest_end = header  # what is kept so far
        except OSError as err:
            self.close()
            if isinstance(err, OutputLocked):
                raise
            raise OSError(err.errno, f"cannot write {target}: {err.strerror or err}; "
                                     f"choose another -o, or make its folder writable") from None

    def _manifest_header(self) -> dict:
        """What the kept records depend on: a run resumed with another version,
        format or model (`--model`) starts afresh."""
        from .. import __version__
        from ..pipeline import model_identity

        return {"vnextract_progress": _PROGRESS_VERSION, "version": __version__, "format": self.part_fmt,
                "decisions": model_identity()}

    def _resumable_header(self) -> tuple[int, int] | None:
        """(part offset, manifest offset) after the headers, or None when the
        files are missing or belong to another format or version."""
        try:
            with open(self.manifest, "rb") as handle:
                line = handle.readline()
            size = self.part.stat().st_size
            header = json.loads(line)
        except (OSError, ValueError, RecursionError):
            return None
        if not line.endswith(b"\n") or not isinstance(header, dict):
            return None
        end = header.pop("end", None)
        wanted = self._manifest_header()
        if header != wanted or not isinstance(end, int) or not 0 <= end <= size:
            if "decisions" in header and \
                    {k: v for k, v in header.items() if k != "decisions"} == {k: v for k, v in wanted.items() if k != "decisions"}:
                self.afresh_because = "its records were decided by another model (--model)"
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
        for job in tasks.jobs(items):
            if entries is not None:
                found = next(entries, None)
                key = (job.document.doc_id, job.digest) if isinstance(job, Task) else (job.doc_id, None)
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
                except (ValueError, TypeError, KeyError, RecursionError):
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
            self.finished += 1
            return
        try:
            self._open()
            self._part.write(outcome.data)
            self._part.flush()
            self._end += len(outcome.data)
            line = json.dumps({"doc_id": outcome.doc_id, "hash": outcome.digest, "source": outcome.source,
                               "records": outcome.records, "error": outcome.error, "end": self._end}).encode() + b"\n"
            self._manifest.write(line)
            self._manifest.flush()
        except OSError as err:
            raise self._write_failed(err, self.part) from None
        self._manifest_end += len(line)
        self.finished += 1

    def _write_failed(self, err: OSError, where: Path) -> OSError:
        """The error of a failed write: what failed, and that the finished part is kept."""
        hint = "free some space" if err.errno in (errno.ENOSPC, errno.EDQUOT) else "fix the problem"
        return OSError(err.errno, f"cannot write {where}: {err.strerror or err}; the {self.finished} documents "
                                  f"finished so far are kept: {hint}, then run the same command with --resume")

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
        where = self.part
        try:
            self._open()
            self._close_files(strict=True)
            where = self.errors_path
            if self.errors:
                with atomic_path(self.errors_path, "w", encoding="utf-8", errors="backslashreplace") as handle:
                    for outcome in self.errors:
                        handle.write(json.dumps({"doc_id": outcome.doc_id, "source": outcome.source,
                                                 "error_type": outcome.error[0], "message": outcome.error[1]},
                                                ensure_ascii=False) + "\n")
            else:
                self.errors_path.unlink(missing_ok=True)
            where = self.target
            if self.fmt == "parquet":
                _jsonl_to_parquet(self.part, self.target, evidence=self.evidence)
                self.part.unlink()
            elif self.fmt == "xlsx":
                _jsonl_to_xlsx(self.part, self.target, evidence=self.evidence)
                self.part.unlink()
            else:
                os.replace(self.part, self.target)
        except OSError as err:
            raise self._write_failed(err, where) from None
        self.manifest.unlink()

    def _close_files(self, strict: bool = False) -> None:
        """Close the part file and manifest; a flush that fails here fails
        `finish` (`strict`), but not the clean-up after another error."""
        for handle in (self._part, self._manifest):
            if handle is not None and not handle.closed:
                try:
                    handle.close()
                except OSError:
                    if strict:
                        raise

    def close(self) -> None:
        self._close_files()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


class OutputLocked(OSError):
    """Another run is writing the same output."""


class _Lock:
    """`OUT.lock`, held with `flock` while a run writes OUT (see the module docstring)."""

    def __init__(self, path: Path, target: Path):
        try:
            import fcntl
        except ImportError:  # no flock (Windows): runs are not kept apart
            self.path, self._handle = path, None
            return
        self.path = path
        while True:
            handle = open(path, "a+b")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().decode("ascii", "replace").strip() or "?"
                handle.close()
                raise OutputLocked(errno.EBUSY, f"{target} is being written by another vnextract run "
                                                f"(process {holder}, lock {path}); wait for it to end, "
                                                f"or write to another -o") from None
            try:
                same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # else the run before ours removed it as we opened it: take the new one
                break
            handle.close()
        handle.truncate(0)
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Remove the lock file while still holding it, then let it go."""
        if self._handle is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        self._handle.close()
        self._handle = None


def _jsonl_to_parquet(source: Path, target: Path, batch: int = 10_000, evidence: bool = False) -> None:
    """Stream the JSONL part file into Parquet, one row group per `batch` records
    (with the evidence columns when `evidence`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..outputs.writers import EVIDENCE_COLUMNS, table_row
    from ..stages.records import FIELDS

    types = {"start": pa.int64(), "end": pa.int64(), "year": pa.int64(),
             "value": pa.float64(), "value_max": pa.float64(), "norm_value": pa.float64(), "confidence": pa.float64()}
    types.update({c: pa.int64() for c in EVIDENCE_COLUMNS if c.endswith(("_start", "_end"))})
    types.update({c: pa.float64() for c in EVIDENCE_COLUMNS if c.startswith("evidence_confidence_")})
    names = FIELDS + EVIDENCE_COLUMNS if evidence else FIELDS
    schema = pa.schema([(name, types.get(name, pa.string())) for name in names])
    with atomic_path(target, "wb") as handle, open(source, encoding="utf-8") as lines:
        writer = pq.ParquetWriter(handle, schema)
        while rows := [table_row(json.loads(line), evidence) for line in islice(lines, batch)]:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        writer.close()


def _jsonl_to_xlsx(source: Path, target: Path, evidence: bool = False) -> None:
    """Stream the JSONL part file into an Excel workbook, one row per record."""
    from ..outputs.writers import EVIDENCE_COLUMNS, table_row, write_xlsx
    from ..stages.records import FIELDS

    names = FIELDS + EVIDENCE_COLUMNS if evidence else FIELDS
    with atomic_path(target, "wb") as handle, open(source, encoding="utf-8") as lines:
        rows = (table_row(json.loads(line), evidence) for line in lines)
        write_xlsx(handle, names, ([row.get(n) for n in names] for row in rows), title="records")
