"""What vnextract reads, and what a file it cannot read actually is.

A scanned page saved as `.png`, a metadata workbook or a slide deck given
as an article would otherwise reach the text decoder, whose advice (try
another encoding) cannot help. The first bytes say what such a file is, so
the message can say that and what to do instead. Kept free of heavy imports:
the command line's `--help` lists the kinds from here.
"""
from __future__ import annotations

import io
import zipfile

# The file suffixes read as documents (a folder is searched for these).
INPUT_SUFFIXES = (".txt", ".jsonl", ".html", ".htm", ".docx", ".pdf")
# The same, said to a person.
READABLE = ("vnextract reads .txt (any Vietnamese encoding), .html/.htm pages, .docx, .pdf and .jsonl files "
            "({\"id\", \"text\"|\"html\"} lines), folders of them, and - (standard input)")

_OCR = "; a scanned page needs OCR first (e.g. tesseract -l vie), its text saved as .txt"
# (leading bytes, what the file is, what to do instead)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _OCR),
    (b"\xff\xd8\xff", "a JPEG image", _OCR),
    (b"GIF87a", "a GIF image", _OCR),
    (b"GIF89a", "a GIF image", _OCR),
    (b"II*\x00", "a TIFF image", _OCR),
    (b"MM\x00*", "a TIFF image", _OCR),
    (b"BM", "a BMP image", _OCR),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office document (.doc, .xls)",
     "; save it as .docx (a report) or give a sheet to --meta as .xlsx"),
    (b"{\\rtf", "an RTF document", "; save it as .docx or .txt"),
    (b"Rar!\x1a\x07", "a RAR archive", "; unpack it and give the folder"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "; unpack it and give the folder"),
    (b"\x1f\x8b", "a gzip file", "; unpack it and give the files"),
)
# Zip packages, told apart by a part only they hold.
_PACKAGES = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)",
     "; a sheet of doc_id, locality, year goes to --meta; the articles themselves are needed as documents"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)", "; save it as .pdf"),
    ("word/document.xml", "a Word document (.docx)", "; give it the .docx suffix"),
    ("content.xml", "an OpenDocument file (.odt, .ods)", "; save it as .docx"),
)


def identify(data: bytes) -> tuple[str, str] | None:
    """(what the file is, what to do) for a file vnextract cannot read as
    text, from its first bytes; None when it may be text."""
    for start, kind, advice in _SIGNATURES:
        if data.startswith(start):
            if start == b"BM" and b"\x00" not in data[:64]:
                continue  # "BM…" also starts plain text
            return kind, advice
    if data.startswith(b"PK\x03\x04"):
        return _package(data)
    return None


def _package(data: bytes) -> tuple[str, str]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged zip package", "; check the file"
    for part, kind, advice in _PACKAGES:
        if part in names:
            return kind, advice
    return "a zip archive", "; unpack it and give the folder"


class FileKindError(ValueError):
    """A file of a kind vnextract does not read (an image, a workbook, an archive)."""


def check_readable(data: bytes) -> None:
    """FileKindError saying what the file is and what to do, for a file that
    is no text; nothing for one that may be."""
    found = identify(data)
    if found is not None:
        kind, advice = found
        raise FileKindError(f"this is {kind}, not an article{advice}. {READABLE}")
