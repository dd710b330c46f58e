"""Explain an article's records visually: displaCy entity view as HTML.

Each record's span is an entity labelled with its status and kind
("TARGET", "ACTUAL ▲" …) and a title giving indicator, value and period, so
a reader can check every figure against its sentence at a glance.
"""
from __future__ import annotations

import html
from pathlib import Path

from ..inputs.documents import DocumentFailure, iter_documents
from ..stages.records import Record
from ..stages.segmentation import Token, spacy_doc

_COLOURS = {"TARGET": "#fde68a", "ACTUAL": "#a7f3d0"}


def render_html(path: str | Path, encoding: str | None = None) -> str:
    from ..pipeline import extract_document

    item = next(iter_documents([path], encoding=encoding))
    if isinstance(item, DocumentFailure):
        raise ValueError(str(item))
    return records_html(item.text, extract_document(item), title=item.doc_id)


def records_html(text: str, records: list[Record], title: str = "") -> str:
    """A standalone HTML page: the text with each record's span highlighted."""
    from spacy import displacy

    doc = spacy_doc(text, _tokens_at_record_edges(text, records))
    spans = []
    for record in records:
        span = doc.char_span(record.start, record.end, label=_label(record))
        if span is not None:
            spans.append(span)
    doc.ents = spans
    options = {"colors": {label: _COLOURS[label.split()[0]] for label in {s.label_ for s in spans}}}
    if spans:
        body = displacy.render(doc, style="ent", page=False, options=options)
    else:  # displaCy warns on a text without entities; there is nothing to mark
        body = f"<div>{html.escape(text)}</div><p>No figures found.</p>"
    rows = "\n".join(
        f"<tr><td>{html.escape(r.span)}</td><td>{html.escape(r.indicator)}</td><td>{r.status}</td>"
        f"<td>{r.kind}</td><td>{html.escape(r.comparator)}</td><td>{r.norm_value:g} {html.escape(r.norm_unit)}</td>"
        f"<td>{html.escape(r.period or '')}</td><td>{r.year or ''}</td><td>{html.escape(r.locality or '')}</td></tr>"
        for r in records
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><h2>{html.escape(title)}</h2>{body}<table border='1' cellpadding='3'>"
        "<tr><th>span</th><th>indicator</th><th>status</th><th>kind</th><th>cmp</th><th>value</th>"
        f"<th>period</th><th>year</th><th>locality</th></tr>{rows}</table></body></html>"
    )


def _label(record: Record) -> str:
    arrow = {"up": " ▲", "down": " ▼"}.get(record.direction or "", "")
    return f"{record.status.upper()}{arrow}"


def _tokens_at_record_edges(text: str, records: list[Record]) -> list[Token]:
    """Whitespace tokens, split again at every record boundary, so each
    record span falls on token edges."""
    import regex

    cuts = sorted({0, len(text), *(r.start for r in records), *(r.end for r in records)})
    tokens: list[Token] = []
    for left, right in zip(cuts, cuts[1:]):
        for m in regex.finditer(r"\S+", text[left:right]):
            tokens.append(Token(left + m.start(), left + m.end(), m.group()))
    return tokens
