"""PDF reports with a text layer → text, by pypdf.

pypdf was chosen over pdfminer.six by trying both on the Vietnamese test
report (tests/fixtures/inputs/article.pdf, justified lines): both get every
letter and tone mark right, but pdfminer doubled the spaces of justified
lines and took 17 ms against pypdf's 7 ms. pypdf's layout mode keeps what
the page shows: a blank line where a paragraph gap is, and each line's
length. The lines a page broke are joined back into their paragraphs (by a
space, so a sentence is never cut by a line end): a paragraph ends at a
blank line, or at a line that stops well short of the text's right edge.
Page numbers alone on the first or last line of a page are dropped.

A scanned PDF (pages that are images, with no text layer), a
password-protected or truncated PDF get an error that says so and what to do.
"""
from __future__ import annotations

import io
import logging
import unicodedata

import regex

from .limits import DEFAULT_LIMITS, LimitError, Limits


class PDFError(ValueError):
    """A PDF whose text cannot be read; the message says why and what to do."""


_PAGE_NUMBER = regex.compile(r"(?i)^[\s\-–—]*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—]*$")
_SHORT_LINE = 0.8  # a line ending before this share of the right edge ends its paragraph


def read_pdf(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """NFC text of a PDF's text layer; PDFError when there is none to read,
    LimitError when it has more pages than `limits` allow (checked before any
    page is laid out) or its text grows past the character limit."""
    if not data.lstrip()[:1024].startswith(b"%PDF"):
        raise PDFError("not a PDF file (it does not start with %PDF)")
    if b"%%EOF" not in data[-4096:]:
        raise PDFError("the PDF is truncated (it has no end-of-file marker): copy or download it again")
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on odd files are not the user's problem
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PDFError("the PDF is password-protected: remove the password (for example "
                           "`qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and read the copy")
        limits.check_pages(len(reader.pages))
        pages, size = [], 0
        for page in reader.pages:
            pages.append(_page_text(page))
            size += len(pages[-1]) - pages[-1].count(" ")  # layout mode pads lines with spaces
            limits.check_chars(size, "the text of the pages read so far")
    except (PDFError, LimitError):
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise PDFError(f"a damaged PDF that cannot be read ({type(err).__name__}: {err})") from None
    except Exception as err:  # pypdf may fail in many ways on broken files; say which
        raise PDFError(f"a PDF that cannot be read ({type(err).__name__}: {err})") from None
    if not any(text.strip() for text in pages):
        if any(_has_images(page) for page in reader.pages):
            raise PDFError(f"no text layer: a scanned PDF ({len(pages)} page(s) of images only); "
                           "run OCR on it first (for example `ocrmypdf --language vie in.pdf out.pdf`)")
        raise PDFError(f"the PDF holds no text ({len(pages)} page(s))")
    return unicodedata.normalize("NFC", join_layout_lines(pages))


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode needs font metrics some files lack; plain mode does not
        return page.extract_text() or ""


def _has_images(page) -> bool:
    try:
        return bool(page.images)
    except Exception:
        return False


def join_layout_lines(pages: list[str]) -> str:
    """Paragraphs of laid-out page texts: lines joined by a space, paragraphs
    separated by a blank line (see the module docstring)."""
    lines: list[str | None] = []  # None: a paragraph gap
    for page in pages:
        page_lines = page.split("\n")
        kept = [i for i, line in enumerate(page_lines) if line.strip()]
        for edge in (kept[:1] + kept[-1:]):
            if _PAGE_NUMBER.match(page_lines[edge]):
                page_lines[edge] = ""
        for line in page_lines:
            lines.append(line.rstrip() if line.strip() else None)
    ends = sorted(len(line) for line in lines if line)
    if not ends:
        return ""
    right_edge = ends[int(0.9 * (len(ends) - 1))]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line is None:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(" ".join(line.split()))
        if len(line) < _SHORT_LINE * right_edge:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
