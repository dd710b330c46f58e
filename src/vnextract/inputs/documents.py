"""Stage 1: inputs → documents.

Reads text files (`.txt` in any encoding `inputs/encodings` knows), saved
news pages (`.html`, `.htm`: `inputs/html`), Word and PDF reports (`.docx`:
`inputs/office`, `.pdf`: `inputs/pdf`), folders of them, JSONL files of
`{"id"|"doc_id", "text"|"html"}` lines and standard input; the reader is
picked by the file's suffix. Every text is NFC-normalised here, once, because
all record offsets index the NFC text (SPEC §1). A bad input never raises out
of the iterator: it is yielded as a `DocumentFailure` naming the source and
the problem, so the good documents around it still produce their records.

JSONL files and JSONL on standard input are read a line at a time, as the
consumer asks for documents: a dump of any size needs the memory of one line.
"""
from __future__ import annotations

import json
import os
import sys
import unicodedata
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Iterable, Iterator, Union

from . import encodings
from .kinds import INPUT_SUFFIXES, check_readable
from .metadata import DocumentMeta, meta_from_fields, read_sheet


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
) -> Iterator[Item]:
    """Yield documents from every input in order; folders recursively, sorted.

    `meta` maps doc_id → metadata; a folder `X` with a sheet `X.sources.tsv`
    beside it (or `sources.tsv` inside it) adds that sheet's metadata too.
    `encoding` forces the encoding of text files and pages (else detected)."""
    meta = dict(meta or {})
    if encoding is not None:
        encoding = encodings.encoding_name(encoding)
    for item in inputs:
        name = str(item)
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _with_meta(_read_stream(stream, "<stdin>", default_id="stdin"), meta)
            continue
        path = Path(item)
        if path.is_dir():
            folder_meta = {**(_folder_sheet(path) if sheets else {}), **meta}
            for child in files_in(path):
                yield from _with_meta(_read_file(child, _doc_id_in_folder(child, path), encoding), folder_meta)
        elif path.exists():
            yield from _with_meta(_read_file(path, path.stem, encoding), meta)
        else:
            yield DocumentFailure(path.stem, name, "FileNotFoundError", "no such file or directory")


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
    `sorted(folder.rglob("*"))`, listing one directory at a time: an archive of
    many files is never held as a list of paths (which the workers forked
    during the run would carry too)."""
    names: list[str] = []
    subfolders: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.add(entry.name)
                    names.append(entry.name)
                elif _suffix(entry.name).lower() in INPUT_SUFFIXES and entry.is_file():
                    names.append(entry.name)
    except OSError:  # an unreadable folder holds no documents, as for rglob
        return
    names.sort()
    for name in names:
        if name in subfolders:
            yield from files_in(folder / name)  # symlinked folders are not followed, as by rglob
        else:
            yield folder / name


def _suffix(name: str) -> str:
    """`Path(name).suffix`, without making a Path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _with_meta(items: Iterator[Item], meta: dict[str, DocumentMeta]) -> Iterator[Item]:
    """A sheet's fields override what the document itself says (a page's date)."""
    for item in items:
        if isinstance(item, Document) and item.doc_id in meta:
            item = Document(item.doc_id, item.text, item.source, _overriding(meta[item.doc_id], item.meta))
        yield item


def _overriding(first: DocumentMeta, then: DocumentMeta) -> DocumentMeta:
    """Each field from `first` where it has one, else from `then`."""
    return DocumentMeta(locality=first.locality or then.locality,
                        year=first.year if first.year is not None else then.year)


def _folder_sheet(folder: Path) -> dict[str, DocumentMeta]:
    for sheet in (folder.parent / f"{folder.name}.sources.tsv", folder / "sources.tsv"):
        if sheet.is_file():
            return read_sheet(sheet)
    return {}


def _doc_id_in_folder(path: Path, root: Path) -> str:
    """File name without `.txt`; nested files keep their sub-folder to stay unique."""
    rel = path.relative_to(root).with_suffix("")
    return rel.as_posix()


def _read_file(path: Path, doc_id: str, encoding: str | None = None) -> Iterator[Item]:
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl_file(path, doc_id)
        return
    try:
        data = path.read_bytes()
    except OSError as err:
        yield DocumentFailure(doc_id, str(path), type(err).__name__, err.strerror or str(err))
        return
    suffix = path.suffix.lower()
    try:
        text, meta = read_content(data, suffix, encoding)
    except ValueError as err:
        yield DocumentFailure(doc_id, str(path), _error_type(err), str(err))
    except Exception as err:  # a library failing on a broken file must not stop the others
        yield DocumentFailure(doc_id, str(path), type(err).__name__, f"cannot read the file: {err}")
    else:
        yield Document(doc_id, text, str(path), meta)


def read_content(data: bytes, suffix: str, encoding: str | None = None) -> tuple[str, DocumentMeta]:
    """(NFC text, metadata it carries) of a file's bytes, by the reader for its suffix."""
    if suffix in (".html", ".htm"):
        from .html import read_html

        return read_html(data, encoding)
    if suffix == ".docx":
        from .office import read_docx

        return read_docx(data), DocumentMeta()
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(data), DocumentMeta()
    check_readable(data)  # an image or a workbook named as text: say what it is, not which encodings failed
    return decode_bytes(data, "", encoding), DocumentMeta()


def _error_type(err: ValueError) -> str:
    """DecodeError, PageError, WordError, PDFError, FileKindError: the reader's own error name."""
    name = type(err).__name__
    return "DecodeError" if name in ("ValueError", "UnicodeDecodeError") else name


def _read_jsonl_file(path: Path, doc_id: str) -> Iterator[Item]:
    """The documents of a JSONL file, a line at a time while the file is open."""
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield DocumentFailure(doc_id, str(path), type(err).__name__, err.strerror or str(err))
        return
    with handle:
        try:
            yield from _read_jsonl(handle, str(path))
        except OSError as err:  # a read that fails half-way (a disk error, a vanished mount)
            yield DocumentFailure(doc_id, str(path), type(err).__name__, f"reading stopped: {err.strerror or err}")


def _read_stream(stream: IO[bytes], source: str, default_id: str) -> Iterator[Item]:
    """Standard input is JSONL when its first non-blank line is a JSON object
    (then read a line at a time), else one text (read whole)."""
    head: list[bytes] = []
    for raw in stream:
        head.append(raw)
        if raw.strip():
            break
    if b"".join(head).lstrip().startswith(b"{"):
        yield from _read_jsonl(chain(head, stream), source)
        return
    data = b"".join(head) + stream.read()
    try:
        yield Document(default_id, decode_bytes(data, source), source)
    except ValueError as err:
        yield DocumentFailure(default_id, source, "DecodeError", str(err))


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines as `bytes.splitlines` cuts the whole input (at \\n, \\r and \\r\\n),
    from an iterator of `\\n`-ended chunks, so numbering matches the file's."""
    for chunk in chunks:
        yield from chunk.splitlines()


def _read_jsonl(chunks: Iterable[bytes], source: str) -> Iterator[Item]:
    for number, raw in enumerate(_lines(chunks), start=1):
        if not raw.strip():
            continue
        where = f"{source}:{number}"
        fallback_id = f"{Path(source).stem}:{number}"
        try:
            obj = json.loads(decode_bytes(raw, where))
        except ValueError as err:
            yield DocumentFailure(fallback_id, where, "JSONError", f"not a JSON object: {err}")
            continue
        if not isinstance(obj, dict):
            yield DocumentFailure(fallback_id, where, "JSONError", "line is not a JSON object")
            continue
        doc_id = obj.get("doc_id", obj.get("id"))
        text = obj.get("text")
        if doc_id is not None and text is None and isinstance(obj.get("html"), str):
            yield _page_in_line(str(doc_id), obj, where)
            continue
        if doc_id is None or not isinstance(text, str):
            yield DocumentFailure(
                str(doc_id) if doc_id is not None else fallback_id,
                where,
                "JSONError",
                'expected fields "id" (or "doc_id") and "text" (or "html", a string)',
            )
            continue
        yield Document(str(doc_id), normalize_text(text), where, meta_from_fields(obj))


def _page_in_line(doc_id: str, obj: dict, where: str) -> Item:
    """A JSONL line holding a saved page: its article text; the line's fields override the page's."""
    from .html import read_html

    try:
        text, page_meta = read_html(obj["html"])
    except ValueError as err:
        return DocumentFailure(doc_id, where, _error_type(err), str(err))
    return Document(doc_id, text, where, _overriding(meta_from_fields(obj), page_meta))
