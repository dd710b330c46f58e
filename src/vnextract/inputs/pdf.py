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

Tables are found by pdfplumber: ruled tables by their lines, unruled ones
by the alignment of their words (kept only when most rows hold figures
and the cells are short, so a page of prose in columns is no table). A
page with a table is read by pdfplumber in bands: the text above, between
and below its tables laid out as pypdf's is, each table one line per row,
its cells separated by a tab (the layout stages/tables.py reads). Pages
without tables keep pypdf's text.

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
    tables = _tables(data)
    if tables:
        pages = [piece for i, page in enumerate(pages) for piece in tables.get(i, [page])]
    return unicodedata.normalize("NFC", join_layout_lines(pages))


_UNRULED = {"vertical_strategy": "text", "horizontal_strategy": "text"}
_FIGURE = regex.compile(r"[0-9]")


def _tables(data: bytes) -> dict[int, list]:
    """Page index → the page as pieces (layout text of a band, or a table as
    rows of cells), for the pages where pdfplumber finds a table; {} when it
    finds none or cannot read the file (pypdf's text then stands)."""
    try:
        import pdfplumber
    except ImportError:
        return {}
    found: dict[int, list] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages):
                tables = [t for t in page.find_tables() if _is_table(t.extract(), ruled=True)]
                if not tables:
                    tables = [t for t in page.find_tables(_UNRULED) if _is_table(t.extract(), ruled=False)]
                if tables:
                    found[i] = _bands(page, sorted(tables, key=lambda t: t.bbox[1]))
    except Exception:  # a file pdfplumber cannot read is read by pypdf alone
        return {}
    return found


def _is_table(rows: list[list[str | None]], ruled: bool) -> bool:
    cells = [[" ".join((c or "").split()) for c in row] for row in rows]
    if len(cells) < 2 or max((len(r) for r in cells), default=0) < 2:
        return False
    if ruled:
        return True
    filled = [c for row in cells for c in row if c]
    with_figures = sum(1 for row in cells if sum(1 for c in row if _FIGURE.search(c)) >= 2)
    return (len(cells) >= 3 and max(len(r) for r in cells) >= 3 and with_figures * 2 >= len(cells)
            and sum(len(c) for c in filled) / max(1, len(filled)) < 40)


def _bands(page, tables) -> list:
    pieces: list = []
    top = 0
    for table in tables:
        x0, t0, x1, t1 = table.bbox
        if t0 > top:
            pieces.append(_band_text(page, top, t0))
        pieces.append([[" ".join((c or "").split()) for c in row] for row in table.extract()])
        top = max(top, t1)
    if top < page.height:
        pieces.append(_band_text(page, top, page.height))
    return pieces


def _band_text(page, top: float, bottom: float) -> str:
    try:
        return page.crop((0, top, page.width, bottom)).extract_text(layout=True) or ""
    except ValueError:  # a band outside the page's box
        return ""


class _TableBlock(str):
    """A table's lines among the page lines: kept as they are, never joined."""


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


def join_layout_lines(pages: list) -> str:
    """Paragraphs of laid-out page texts: lines joined by a space, paragraphs
    separated by a blank line (see the module docstring). A piece that is a
    table (rows of cells) is a block of its own: one line per row, cells
    separated by a tab."""
    lines: list = []  # None: a paragraph gap; a str: a table block
    for page in pages:
        if isinstance(page, list):
            rows = ["\t".join(row) for row in page if any(row)]
            lines.append(None)
            lines.append(_TableBlock("\n".join(rows)))
            lines.append(None)
            continue
        page_lines = page.split("\n")
        kept = [i for i, line in enumerate(page_lines) if line.strip()]
        for edge in (kept[:1] + kept[-1:]):
            if _PAGE_NUMBER.match(page_lines[edge]):
                page_lines[edge] = ""
        for line in page_lines:
            lines.append(line.rstrip() if line.strip() else None)
    ends = sorted(len(line) for line in lines if line and not isinstance(line, _TableBlock))
    right_edge = ends[int(0.9 * (len(ends) - 1))] if ends else 0
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line is None or isinstance(line, _TableBlock):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if line:
                paragraphs.append(str(line))
            continue
        current.append(" ".join(line.split()))
        if len(line) < _SHORT_LINE * right_edge:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
