"""Stage 1: inputs → documents.

Reads text files (`.txt` in any encoding `inputs/encodings` knows), saved
news pages (`.html`, `.htm`: `inputs/html`), Word and PDF reports (`.docx`:
`inputs/office`, `.pdf`: `inputs/pdf`), spreadsheets (`.xlsx`:
`inputs/spreadsheet`), folders of them, JSONL files of
`{"id"|"doc_id", "text"|"html"}` lines and standard input; the reader is
picked by the file's suffix. Every text is NFC-normalised here, once, because
all record offsets index the NFC text (SPEC §1). A bad input never raises out
of the iterator: it is yielded as a `DocumentFailure` naming the source and
the problem, so the good documents around it still produce their records.

JSONL files and JSONL on standard input are read a line at a time, as the
consumer asks for documents: a dump of any size needs the memory of one line.
"""
from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Union

import regex

from . import encodings
from .kinds import INPUT_SUFFIXES, READS
from .limits import DEFAULT_LIMITS, JSON_BYTES_PER_CHAR, MB, LimitError, Limits
from .metadata import DocumentMeta, Sheet, meta_from_fields, print_notice, read_sheet
from ..progress import counted


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    source: str
    meta: DocumentMeta = DocumentMeta()


@dataclass(frozen=True, slots=True)
class DocumentFailure:
    """A document that could not be read; `source` is the file (and line)."""

    doc_id: str
    source: str
    error_type: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


Item = Union[Document, DocumentFailure]


def normalize_text(text: str) -> str:
    """NFC only: offsets must survive, so nothing else is rewritten."""
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, source: str, encoding: str | None = None) -> str:
    """NFC text of a text file: UTF-8 (a BOM is dropped), else the encoding
    detected or given (`inputs/encodings`); ValueError naming what was tried."""
    return encodings.decode_bytes(data, source, encoding)


def iter_documents(
    inputs: Iterable[Union[str, Path]],
    stdin: IO[bytes] | None = None,
    meta: dict[str, DocumentMeta] | None = None,
    sheets: bool = True,
    encoding: str | None = None,
    notices: Callable[[str], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    defer: bool = False,
) -> Iterator[Item]:
    """Yield documents from every input in order; folders recursively, sorted.

    `meta` maps doc_id → metadata; a folder `X` with a sheet `X.sources.tsv`
    beside it (or `sources.tsv` inside it) adds that sheet's metadata too.
    `encoding` forces the encoding of text files and pages (else detected).
    `notices` receives what is worth a word but is no document's error: the
    files of other kinds a folder holds, an input with no document in it
    (default: printed on standard error). `limits` bound what each input
    may cost (`inputs/limits`). With `defer`, files other than JSONL come as
    `Unread` bytes, for a batch to read in its workers."""
    notices = notices or print_notice
    sheet = meta if isinstance(meta, Sheet) else None
    meta = dict(meta or {})
    matched: set[str] = set()
    if encoding is not None:
        encoding = encodings.encoding_name(encoding)
    for item in _all_inputs(inputs, stdin, meta, sheets, encoding, notices, limits, defer):
        if sheet is not None and item.doc_id in sheet:
            matched.add(item.doc_id)
        yield item
    if sheet is not None and len(matched) < len(sheet):
        unmatched = sorted((row, doc_id) for doc_id, row in sheet.rows.items() if doc_id not in matched)
        shown = ", ".join(f"row {row} ({doc_id})" for row, doc_id in unmatched[:5])
        notices(f"{sheet.path}: {len(unmatched)} rows name no document among the inputs: {shown}"
                f"{' …' if len(unmatched) > 5 else ''}; a document's id is its file name without the suffix "
                f"(with its sub-folder inside a folder) or its JSONL id")


def _all_inputs(inputs, stdin, meta, sheets, encoding, notices, limits, defer) -> Iterator[Item]:
    """The items of every input, in order (see `iter_documents`)."""
    for item in inputs:
        name = str(item)
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _counted(_with_meta(_read_stream(stream, "<stdin>", "stdin", limits), meta),
                                "<stdin>", "standard input", notices)
            continue
        path = Path(item)
        if path.is_dir():
            folder_meta = {**(_folder_sheet(path, notices) if sheets else {}), **meta}
            yield from _counted(_with_meta(_read_folder(path, encoding, notices, limits, defer), folder_meta),
                                name, "the folder", notices)
        elif path.exists():
            yield from _counted(_with_meta(_read_file(path, _readable(path.stem), encoding, limits, defer), meta),
                                name, "the file", notices)
        elif path.is_symlink():
            yield DocumentFailure(_readable(path.stem), name, "NotReadable", _loop_or_dangling(path))
        else:
            yield DocumentFailure(_readable(path.stem), name, "FileNotFoundError", "no such file or directory")


def _counted(items: Iterator[Item], name: str, what: str, notices: Callable[[str], None]) -> Iterator[Item]:
    """The items of one input, with a notice when it holds none."""
    count = 0
    for item in items:
        count += 1
        yield item
    if not count:
        notices(f"{name}: no documents in {what}; vnextract reads {READS}")


def _read_folder(folder: Path, encoding: str | None, notices: Callable[[str], None], limits: Limits,
                 defer: bool) -> Iterator[Item]:
    """The documents of a folder; an entry that cannot be read is its own
    failure, and the files of other kinds are named once, at the end."""
    skipped: list[Path] = []
    for entry in folder_entries(folder):
        if isinstance(entry, Path):
            yield from _read_file(entry, _doc_id_in_folder(entry, folder), encoding, limits, defer)
        elif entry.problem is None:
            skipped.append(entry)
        else:
            doc_id = _doc_id_in_folder(entry.path, folder) if entry.path != folder else folder.name
            yield DocumentFailure(doc_id, _readable(str(entry.path)), "NotReadable", entry.problem)
    if skipped:
        names = sorted(p.path.relative_to(folder).as_posix() for p in skipped)
        suffixes = sorted({_suffix(p.path.name).lower() or "no suffix" for p in skipped})
        notices(f"{folder}: skipped {counted(len(names), 'file')} of kinds vnextract does not read "
                f"({', '.join(suffixes[:6])}{', …' if len(suffixes) > 6 else ''}): "
                f"{', '.join(names[:5])}{' …' if len(names) > 5 else ''}; it reads {READS}")


def _loop_or_dangling(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return _LOOP
    return "a symbolic link to nothing (its target is gone)"


_LOOP = "a symbolic link that loops back on itself: remove it, or point it at a file"
_NOT_REGULAR = ("not a regular file (a FIFO, a socket or a device): refused, as reading it might never end; "
                "copy what it holds into a file and give that")
_UNSEEN = ("sources.tsv",)  # a folder's own metadata sheet is no document nor a skipped file


@dataclass(frozen=True, slots=True)
class Passed:
    """A folder entry that is not read. `problem` says why when that is an
    error (a looping link, a folder that cannot be listed, a FIFO); None for a
    file of a kind vnextract does not read, which is only counted."""

    path: Path
    problem: str | None = None


def count_documents(inputs: Iterable[Union[str, Path]]) -> int | None:
    """A cheap count for a progress bar's ETA: files, and non-blank lines of
    JSONL; None when standard input is among the inputs."""
    total = 0
    for item in inputs:
        path = Path(item)
        if str(item) == "-":
            return None
        for file in files_in(path) if path.is_dir() else [path]:
            if file.suffix.lower() == ".jsonl":
                try:
                    with open(file, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def files_in(folder: Path) -> Iterator[Path]:
    """The files of `INPUT_SUFFIXES` under `folder`, recursively, in the order of
    `sorted(folder.rglob("*"))` (`folder_entries` without what it passes over)."""
    return (entry for entry in folder_entries(folder) if isinstance(entry, Path))


def folder_entries(folder: Path) -> Iterator[Union[Path, Passed]]:
    """The files of `INPUT_SUFFIXES` under `folder` and the entries passed over,
    recursively, in the order of `sorted(folder.rglob("*"))`, listing one
    directory at a time: an archive of many files is never held as a list of
    paths (which the workers forked during the run would carry too). An entry
    that cannot be examined (a looping link, a folder without permission)
    costs only itself, never the rest of its folder."""
    found: list[tuple[str, str]] = []  # (name, "dir" | "file" | "skip" | "unseen" | a problem)
    problem = None
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                found.append((entry.name, _entry_kind(entry)))
    except OSError as err:
        problem = Passed(folder, f"the folder cannot be listed: {err.strerror or err}")
    found.sort()
    for name, kind in found:
        if kind == "dir":
            yield from folder_entries(folder / name)  # symlinked folders are not followed, as by rglob
        elif kind == "file":
            yield folder / name
        elif kind == "skip":
            yield Passed(folder / name)
        elif kind != "unseen":
            yield Passed(folder / name, kind)
    if problem is not None:
        yield problem


def _entry_kind(entry: os.DirEntry) -> str:
    """What a folder entry is to the reader (see `folder_entries`)."""
    wanted = _suffix(entry.name).lower() in INPUT_SUFFIXES
    hidden = entry.name.startswith(".") or entry.name in _UNSEEN
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file():
            return "file" if wanted else "unseen" if hidden else "skip"
        if entry.is_symlink():
            os.stat(entry.path)  # raises for a loop or a link to nothing
            return "unseen" if hidden else "skip"  # a linked folder: not followed
    except OSError as err:
        if err.errno == errno.ELOOP:
            return _LOOP
        if isinstance(err, FileNotFoundError):
            return "a symbolic link to nothing (its target is gone)" if wanted else "unseen" if hidden else "skip"
        return f"cannot be examined: {err.strerror or err}"
    return _NOT_REGULAR if wanted else "unseen" if hidden else "skip"


def _suffix(name: str) -> str:
    """`Path(name).suffix`, without making a Path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _with_meta(items: Iterator[Item], meta: dict[str, DocumentMeta]) -> Iterator[Item]:
    """A sheet's fields override what the document itself says (a page's date)."""
    for item in items:
        if isinstance(item, Document) and item.doc_id in meta:
            item = Document(item.doc_id, item.text, item.source, _overriding(meta[item.doc_id], item.meta))
        elif isinstance(item, Unread) and item.doc_id in meta:
            item = replace(item, meta=_overriding(meta[item.doc_id], item.meta))
        yield item


def _overriding(first: DocumentMeta, then: DocumentMeta) -> DocumentMeta:
    """Each field from `first` where it has one, else from `then`."""
    dated = first if first.year is not None else then
    return DocumentMeta(locality=first.locality or then.locality, year=dated.year,
                        month=dated.month if dated.month is not None or dated.year != then.year else then.month)


def _folder_sheet(folder: Path, notices: Callable[[str], None]) -> dict[str, DocumentMeta]:
    for sheet in (folder.parent / f"{folder.name}.sources.tsv", folder / "sources.tsv"):
        if sheet.is_file():
            return read_sheet(sheet, notices)
    return {}


def _doc_id_in_folder(path: Path, root: Path) -> str:
    """File name without `.txt`; nested files keep their sub-folder to stay unique."""
    rel = path.relative_to(root).with_suffix("")
    return _readable(rel.as_posix())


def _readable(name: str) -> str:
    """A file name as text: bytes that are no UTF-8 (which Python keeps as lone
    surrogates, and no output can write) become U+FFFD, so that the file is
    read and its records written under a name close to its own."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Unread:
    """A file's bytes, not yet read into a document: what a batch sends to its
    workers, so that the costly part of reading (unpacking a .docx, laying out
    a PDF, decoding) runs there, under the per-document time limit, and a
    file that exhausts memory costs a worker, never the run. `meta` is what a
    sheet says about it, which overrides what the file itself says."""

    doc_id: str
    source: str
    data: bytes
    suffix: str
    encoding: str | None = None
    meta: DocumentMeta = DocumentMeta()
    limits: Limits = DEFAULT_LIMITS

    def read(self) -> Item:
        """The document, or why it cannot be read; never raises for a bad file."""
        try:
            text, meta = read_content(self.data, self.suffix, self.encoding, self.limits)
        except ValueError as err:
            return DocumentFailure(self.doc_id, self.source, _error_type(err), str(err))
        except MemoryError:
            return DocumentFailure(self.doc_id, self.source, "MemoryError",
                                   "out of memory while reading the file; lower the --max-* limits or give "
                                   "the run more memory")
        except Exception as err:  # a library failing on a broken file must not stop the others
            return DocumentFailure(self.doc_id, self.source, type(err).__name__, f"cannot read the file: {err}")
        return Document(self.doc_id, text, self.source, _overriding(self.meta, meta))


def _read_file(path: Path, doc_id: str, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS,
               defer: bool = False) -> Iterator[Item | Unread]:
    """The documents of a file; with `defer`, an `Unread` for a file that is
    not JSONL (its bytes only: the bounded, cheap part of reading)."""
    source = _readable(str(path))
    try:
        status = os.stat(path)
    except OSError as err:
        problem = _LOOP if err.errno == errno.ELOOP else err.strerror or str(err)
        yield DocumentFailure(doc_id, source, "NotReadable", problem)
        return
    if not stat.S_ISREG(status.st_mode):
        yield DocumentFailure(doc_id, source, "NotReadable", _NOT_REGULAR)
        return
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl_file(path, doc_id, limits)
        return
    try:
        limits.check_file_size(status.st_size)
        data = _read_at_most(path, int(limits.file_mb * MB))
        limits.check_file_size(len(data))  # a file that grew since its size was read
    except LimitError as err:
        yield DocumentFailure(doc_id, source, "LimitError", str(err))
        return
    except OSError as err:
        yield DocumentFailure(doc_id, source, type(err).__name__, err.strerror or str(err))
        return
    unread = Unread(doc_id, source, data, path.suffix.lower(), encoding, limits=limits)
    yield unread if defer else unread.read()


def _read_at_most(path: Path, size: int, chunk: int = 1 << 20) -> bytes:
    """The file's bytes, or about its first `size` + 1 when it is longer (a
    file that grew since its size was checked)."""
    parts, read = [], 0
    with open(path, "rb") as handle:
        while read <= size and (part := handle.read(chunk)):
            parts.append(part)
            read += len(part)
    return b"".join(parts)


def read_content(data: bytes, suffix: str, encoding: str | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> tuple[str, DocumentMeta]:
    """(NFC text, metadata it carries) of a file's bytes, by the reader for its
    suffix, within `limits` (LimitError naming the one it passes)."""
    meta = DocumentMeta()
    if suffix in (".html", ".htm"):
        from .html import read_html

        text, meta = read_html(data, encoding)
    elif suffix == ".docx":
        from .office import read_docx

        text = read_docx(data, limits)
    elif suffix == ".pdf":
        from .pdf import read_pdf

        text = read_pdf(data, limits)
    elif suffix in (".xlsx", ".ods"):
        from .spreadsheet import first_row, read_xlsx

        text = read_xlsx(data, suffix, limits)
        if names_record_fields(first_row(data)):
            raise RecordsFile(RECORDS_ADVICE)
    else:
        limits.check_encoded_text(len(data))
        text = read_text(data, encoding)
        if _is_records_header(text.split("\n", 1)[0]):
            raise RecordsFile(RECORDS_ADVICE)
    limits.check_chars(len(text))
    return text, meta


class EmptyDocument(ValueError):
    """A file that holds no text."""


class RecordsFile(ValueError):
    """A file of records written by `vnextract extract`, given where documents are read."""


RECORDS_ADVICE = ("holds records written by `vnextract extract`, not documents: give it to `vnextract track`, "
                  "`vnextract eval --pred` or `vnextract labelstudio export --records`")


def names_record_fields(names) -> bool:
    """Whether field or column names are a record's (a records file written by extract), not a document's."""
    return {"span", "norm_value"} <= set(names)


def _is_records_header(line: str) -> bool:
    """A CSV header line that names a record's fields."""
    return names_record_fields(cell.strip().strip('"').lstrip("\ufeff") for cell in line.split(","))


class FileKindError(ValueError):
    """A file of a kind vnextract does not read (an image, an archive …)."""


def read_text(data: bytes, encoding: str | None = None) -> str:
    """NFC text of a text file; FileKindError when its first bytes say it is an
    image, an archive or another kind of file (`rules/file_kinds.yaml`),
    EmptyDocument when it holds nothing but blank space."""
    kind = file_kind(data)
    if kind is not None:
        raise FileKindError(f"{kind['name']}, not a document vnextract reads: {kind['advice']}. "
                            f"vnextract reads {READS}")
    text = decode_bytes(data, "", encoding)
    if not text.strip():
        raise EmptyDocument("no text: " + ("the file is empty" if not data else
                                           "the file holds only blank space"))
    return text


def file_kind(data: bytes) -> dict | None:
    """The entry of `rules/file_kinds.yaml` whose first bytes `data` starts with,
    if any; for a zip, the Office package whose own part it holds."""
    for kind in _file_kinds():
        at = kind["at"]
        if any(data.startswith(magic, at) for magic in kind["magic"]):
            return _package(data, kind["packages"]) or kind
    return None


def _package(data: bytes, packages: tuple[dict, ...]) -> dict | None:
    if not packages:
        return None
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((p for p in packages if p["part"] in names), None)


@lru_cache(maxsize=1)
def _file_kinds() -> tuple[dict, ...]:
    from ..rules import load_rules

    return tuple({"name": k["name"], "advice": k["advice"], "at": int(k.get("at", 0)),
                  "magic": tuple(bytes.fromhex(m) for m in k["magic"]), "packages": tuple(k.get("packages", ()))}
                 for k in load_rules("file_kinds")["kinds"])


def _error_type(err: ValueError) -> str:
    """DecodeError, PageError, WordError, PDFError, SpreadsheetError, FileKindError, RecordsFile: the reader's own
    error name."""
    name = type(err).__name__
    return "DecodeError" if name in ("ValueError", "UnicodeDecodeError") else name


def _read_jsonl_file(path: Path, doc_id: str, limits: Limits) -> Iterator[Item]:
    """The documents of a JSONL file, a line at a time while the file is open."""
    source = _readable(str(path))
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield DocumentFailure(doc_id, source, type(err).__name__, err.strerror or str(err))
        return
    with handle:
        try:
            yield from _read_jsonl(_capped_lines(handle, limits.json_line_bytes()), source, limits)
        except OSError as err:  # a read that fails half-way (a disk error, a vanished mount)
            yield DocumentFailure(doc_id, source, type(err).__name__, f"reading stopped: {err.strerror or err}")


def _read_stream(stream: IO[bytes], source: str, default_id: str, limits: Limits) -> Iterator[Item]:
    """Standard input is JSONL when its first non-blank line is a JSON object
    (then read a line at a time), else one text (read whole)."""
    head: list[bytes] = []
    for raw in stream:
        head.append(raw)
        if raw.strip():
            break
    if b"".join(head).lstrip().startswith(b"{"):
        yield from _read_jsonl(chain(head, _capped_lines(stream, limits.json_line_bytes())), source, limits)
        return
    data = b"".join(head)
    data += stream.read(max(0, int(limits.file_mb * MB) + 1 - len(data)))
    try:
        limits.check_file_size(len(data))
        limits.check_encoded_text(len(data))
        yield Document(default_id, read_text(data), source)
    except ValueError as err:
        yield DocumentFailure(default_id, source, _error_type(err), str(err))


_TOO_LONG = b"\x00too long\x00"  # stands for a line cut off unread (compared by identity)


def _capped_lines(stream: IO[bytes], cap: int) -> Iterator[bytes]:
    """The `\\n`-ended chunks of a stream, each at most `cap` bytes: the rest of
    a longer one is read past in small pieces, never held, and `_TOO_LONG`
    stands for it."""
    while line := stream.readline(cap + 1):
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
            pass
        yield _TOO_LONG


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines as `bytes.splitlines` cuts the whole input (at \\n, \\r and \\r\\n),
    from an iterator of `\\n`-ended chunks, so numbering matches the file's."""
    for chunk in chunks:
        if chunk is _TOO_LONG:
            yield chunk
        else:
            yield from chunk.splitlines()


def _read_jsonl(chunks: Iterable[bytes], source: str, limits: Limits) -> Iterator[Item]:
    """The documents of JSONL lines; an id met again in the same file is that
    line's error, since records are told apart by their doc_id and offsets."""
    first_line: dict[str, int] = {}
    for item in _read_jsonl_lines(chunks, source, limits):
        if isinstance(item, Document):
            line = int(item.source.rsplit(":", 1)[1])
            if item.doc_id in first_line:
                yield DocumentFailure(item.doc_id, item.source, "DuplicateId",
                                      f"id {item.doc_id!r} again (first on line {first_line[item.doc_id]}): each "
                                      f"document needs an id of its own, which its records' offsets refer to")
                continue
            first_line[item.doc_id] = line
        yield item


def _read_jsonl_lines(chunks: Iterable[bytes], source: str, limits: Limits) -> Iterator[Item]:
    for number, raw in enumerate(_lines(chunks), start=1):
        if not raw.strip():
            continue
        where = f"{source}:{number}"
        fallback_id = f"{Path(source).stem}:{number}"
        try:
            if raw is _TOO_LONG:
                raise limits.over("the line", f"over {limits.json_line_bytes():,} bytes", "chars", f"{limits.chars:,}")
            limits.check_encoded_text(len(raw), JSON_BYTES_PER_CHAR, "the line")
        except LimitError as err:
            yield DocumentFailure(fallback_id, where, "LimitError", str(err))
            continue
        try:
            obj = json.loads(decode_bytes(raw, where))
        except ValueError as err:
            yield DocumentFailure(fallback_id, where, "JSONError", f"not a JSON object: {err}")
            continue
        except RecursionError:  # json.loads past about a thousand levels of [ or {
            yield DocumentFailure(fallback_id, where, "JSONError", "not a JSON object: nested too deeply")
            continue
        if not isinstance(obj, dict):
            yield DocumentFailure(fallback_id, where, "JSONError", "line is not a JSON object")
            continue
        if "text" not in obj and names_record_fields(obj):
            yield DocumentFailure(Path(source).stem, source, "RecordsFile", RECORDS_ADVICE)
            return  # one word for the whole file, not one per record
        doc_id = obj.get("doc_id", obj.get("id"))
        text = obj.get("text")
        broken = _lone_surrogate({"id": doc_id, "text": text, "html": obj.get("html")})
        if broken:
            yield DocumentFailure(str(doc_id).encode("utf-8", "backslashreplace").decode() if doc_id is not None
                                  else fallback_id, where, "JSONError", broken)
            continue
        if doc_id is not None and text is None and isinstance(obj.get("html"), str):
            yield _within(_page_in_line(str(doc_id), obj, where), limits)
            continue
        if doc_id is None or not isinstance(text, str):
            yield DocumentFailure(
                str(doc_id) if doc_id is not None else fallback_id,
                where,
                "JSONError",
                'expected fields "id" (or "doc_id") and "text" (or "html", a string)',
            )
            continue
        if not text.strip():
            yield DocumentFailure(str(doc_id), where, "EmptyDocument",
                                  "no text: the line's text is empty" if not text else "no text: the line's text is blank")
            continue
        yield _within(Document(str(doc_id), normalize_text(text), where, meta_from_fields(obj)), limits)


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _lone_surrogate(fields: dict) -> str | None:
    """What is wrong when a field holds a lone surrogate (a `\\ud800` escape
    without its pair), which is no character and cannot be written as UTF-8."""
    for name, value in fields.items():
        if isinstance(value, str) and (found := _SURROGATE.search(value)):
            return (f'the "{name}" field holds a lone surrogate (\\u{ord(found.group()):04x}) at character '
                    f"{found.start()}, which is no Unicode character: the program that wrote the JSON split a "
                    f"character's escape pair; fix it there")
    return None


def _within(item: Item, limits: Limits) -> Item:
    """The document, or a LimitError failure when its text is over the character limit."""
    if isinstance(item, Document):
        try:
            limits.check_chars(len(item.text))
        except LimitError as err:
            return DocumentFailure(item.doc_id, item.source, "LimitError", str(err))
    return item


def _page_in_line(doc_id: str, obj: dict, where: str) -> Item:
    """A JSONL line holding a saved page: its article text; the line's fields override the page's."""
    from .html import read_html

    try:
        text, page_meta = read_html(obj["html"])
    except ValueError as err:
        return DocumentFailure(doc_id, where, _error_type(err), str(err))
    return Document(doc_id, text, where, _overriding(meta_from_fields(obj), page_meta))
