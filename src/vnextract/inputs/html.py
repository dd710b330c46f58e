"""Saved news pages → the article's text and what the page says about it.

trafilatura (offline, on the file: nothing is fetched) finds the article and
drops the site around it: menus, related links, comments, footers (favouring
precision, so a page of links alone is no article). Its
paragraphs, headings, list items and table rows come back as the blocks of
the text, separated by a blank line as in a plain-text article, so sentences
and lists survive and offsets index one stable text. A table is one line per
row, its cells separated by a tab (the layout stages/tables.py reads); a cell
spanning columns or rows (colspan, rowspan) is written once, in its first
slot, and the slots it covers are left empty, so every row keeps the grid's
columns and no figure is written twice. The page title leads the
text when the body does not start with it (titles name the place and often
the headline figure, and the locality stage weighs the title most). The
publication date gives the year, as a sheet's `year` column would; a sheet or
JSONL field still overrides it.
"""
from __future__ import annotations

import codecs
import unicodedata

import regex

from .encodings import DecodeError, decode_bytes, encoding_name
from .metadata import DocumentMeta, parse_month, parse_year


class PageError(ValueError):
    """A page that holds no article to read."""


_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", regex.IGNORECASE)
_CELL_SEPARATOR = "\t"


def read_html(page: bytes | str, encoding: str | None = None) -> tuple[str, DocumentMeta]:
    """(NFC text, metadata) of a saved page; PageError when it holds no article."""
    markup = page if isinstance(page, str) else _decode(page, encoding)
    if not markup.strip():
        raise PageError("empty page: the file holds no HTML")
    import trafilatura

    found = trafilatura.bare_extraction(markup, include_comments=False, include_tables=True, favor_precision=True,
                                        include_images=False, include_links=False, with_metadata=True,
                                        deduplicate=False)
    blocks = _blocks(found.body) if found is not None and found.body is not None else []
    if not blocks:
        if (depth := _nesting_depth(markup)) > _PARSER_DEPTH:
            raise PageError(f"elements nested {depth:,} deep: the HTML parser reads {_PARSER_DEPTH} levels and "
                            "drops the text below them; save the page's text instead")
        raise PageError("no article text found in the page (only menus, links or other boilerplate); "
                        "a listing or index page has nothing to extract")
    title = " ".join((found.title or "").split())
    if title and blocks[0] != title:
        blocks.insert(0, title)
    text = unicodedata.normalize("NFC", "\n\n".join(blocks))
    return text, DocumentMeta(year=parse_year(found.date) if found.date else None,
                              month=parse_month(found.date) if found.date else None)


# libxml2's HTML parser (under lxml, under trafilatura) stops descending here.
_PARSER_DEPTH = 256
_TAG = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>|<!--.*?-->", regex.DOTALL)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements a browser closes when one of the same name opens (an unclosed <p> or <li> is no nesting).
_SELF_CLOSING = frozenset("p li dt dd tr td th option".split())


def _nesting_depth(markup: str) -> int:
    """How deep the page's elements nest, as a browser builds its tree: a
    page with nothing found is told apart from one whose text lies past the
    parser's depth."""
    stack: list[str] = []
    open_names: dict[str, int] = {}  # name → how many of the stack's elements have it
    deepest = 0
    for m in _TAG.finditer(markup):
        closing, name, empty = m.group(1), (m.group(2) or "").lower(), m.group(3)
        if not name or empty or name in _VOID:
            continue
        if closing or (name in _SELF_CLOSING and stack and stack[-1] == name):
            if open_names.get(name):  # close it and every element opened inside it
                while True:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
            if closing:
                continue
        stack.append(name)
        open_names[name] = open_names.get(name, 0) + 1
        deepest = max(deepest, len(stack))
    return deepest


def _decode(data: bytes, encoding: str | None) -> str:
    """The page's characters: --encoding, else a BOM or UTF-8, else the page's
    own <meta charset>, else the Vietnamese-aware detection."""
    if encoding is None and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            declared = _META_CHARSET.search(data[:8192])
            if declared:
                try:
                    return decode_bytes(data, encoding=encoding_name(declared.group(1).decode("ascii")))
                except (ValueError, DecodeError):
                    pass  # a wrong declaration: detect instead
    return decode_bytes(data, encoding=encoding)


def _blocks(body) -> list[str]:
    """trafilatura's tree of the article → text blocks (paragraphs, headings,
    list items as "- " lines, table rows as cells joined by a tab)."""
    blocks: list[str] = []
    for element in body:
        tag = element.tag
        if tag == "list":
            block = "\n".join(f"- {line}" for line in _items(element))
        elif tag == "table":
            block = "\n".join(_rows(element))
        else:
            block = _lines(_inline(element))
        if block:
            blocks.append(block)
    return blocks


def _inline(element) -> str:
    """An element's text with its line breaks (<lb/>) as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lines(text: str) -> str:
    """White space as a browser shows it: runs collapsed, each line trimmed, empty lines dropped."""
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


def _items(element) -> list[str]:
    lines = []
    for item in element:
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)
        text = " ".join(_inline(item).split())
        if text:
            lines.append(text)
        for child in nested:
            lines.extend(_items(child))
    return lines


def _rows(table) -> list[str]:
    rows = []
    for row in table.iter("row"):
        cells = [" ".join(_inline(cell).split()) for cell in row if cell.tag == "cell"]
        if any(cells):
            rows.append(_CELL_SEPARATOR.join(cells))
    return rows
