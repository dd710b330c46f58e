"""A static review report: each document's text with its records highlighted.

`write_report` turns documents (the inputs of `extract`) into a folder —
`index.html`, one row per document, and one page per document under
`docs/` — or, for one document, into one page. The pages open from disk:
the CSS and the script are inlined, nothing is fetched, and the
Content-Security-Policy allows only that script and style (by hash).

Article text, indicators, file names and gold fields are untrusted: all of
it is HTML-escaped here, the data the script reads is JSON in a
`<script type="application/json">` element with `<`, `>`, `&` and U+2028/9
escaped (so no string can close the element), and the script writes text
only through `textContent`.

With a gold set, each document is scored as `vnextract eval` scores it
(`evaluation.scoring`): a record paired with gold but with wrong fields is
marked `wrong` (the fields and gold values in its row), a record with no gold
`fp`, and a gold figure nobody found `missed`, in the text and the table.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import regex

from ..evaluation.gold import read_gold
from ..evaluation.scoring import SHOWN, evaluate
from ..inputs.documents import DocumentFailure
from ..inputs.limits import DEFAULT_LIMITS, Limits
from ..inputs.metadata import DocumentMeta
from ..outputs.writers import atomic_path
from ..stages.evidence import KEYS as EVIDENCE_KEYS

# The record fields a page shows and embeds; `sentence` is left out (the text is on the page).
SHOWN_FIELDS = ("start", "end", "span", "value", "value_max", "unit", "norm_value", "norm_unit", "indicator",
                "indicator_id", "status", "kind", "direction", "comparator", "baseline", "period", "year", "locality",
                "confidence")
TABLE_COLUMNS = (("span", "span"), ("value", "value"), ("indicator", "indicator"), ("status", "status"),
                 ("kind", "kind"), ("comparator", "cmp"), ("period", "period"), ("year", "year"),
                 ("locality", "locality"), ("confidence", "conf."))
# Confidence bands a record's row and mark are coloured by: at least 0.9, at least 0.5, below.
CONFIDENCE_BANDS = ((0.9, "conf-high"), (0.5, "conf-mid"), (0.0, "conf-low"))

_CELL_OF = {"norm_unit": "value", "direction": "kind"}  # the table cell that shows a scored field


@dataclass
class DocumentReport:
    """One document's page: its text, records and (with gold) what the scoring says of them."""

    doc_id: str
    source: str
    text: str = ""
    records: list[dict] = field(default_factory=list)
    error: str | None = None  # why the document could not be read or extracted
    scored: bool = False
    marks: dict[int, dict] = field(default_factory=dict)  # record index → {"error": "fp"|"wrong", "fields", "gold"}
    missed: list[dict] = field(default_factory=list)  # gold records nobody found
    golds: list[dict] = field(default_factory=list)  # its gold records, for the scores of the whole report
    page: str = ""  # file name of its page in the folder
    below: float | None = None  # show only the records whose confidence is below this, least certain first

    def shown(self) -> list[int]:
        """Indices of the records the page shows, in the order its table lists them."""
        if self.below is None:
            return list(range(len(self.records)))
        low = [k for k, r in enumerate(self.records) if r.get("confidence") is not None and r["confidence"] < self.below]
        return sorted(low, key=lambda k: (self.records[k]["confidence"], k))

    @property
    def counts(self) -> dict:
        statuses = Counter(r["status"] for r in self.records)
        errors = len(self.marks) + len(self.missed) if self.scored else None
        return {"records": len(self.records), "targets": statuses["target"], "actuals": statuses["actual"],
                "errors": errors}


def write_report(inputs: Iterable, output: str | os.PathLike, gold: str | os.PathLike | None = None,
                 meta: dict[str, DocumentMeta] | None = None, encoding: str | None = None,
                 limits: Limits = DEFAULT_LIMITS, below: float | None = None, progress=None) -> list[DocumentReport]:
    """Extract the inputs and write the report to `output`: a folder (index and
    one page per document), or a `.html` file for a single document. `below`:
    show only the records whose confidence is below it, least certain first;
    `progress` (a tqdm bar) steps once per document extracted."""
    reports = collect(inputs, gold, meta, encoding, limits, progress)
    for report in reports:
        report.below = below
    target = Path(output)
    if target.suffix.lower() in (".html", ".htm"):
        if len(reports) != 1:
            raise ValueError(f"{output}: {len(reports)} documents do not fit one page; give a folder to -o")
        if reports[0].error is not None:  # a page of nothing but the failure would hide it
            raise ValueError(f"{reports[0].source}: {reports[0].error}")
        with atomic_path(target, "w", encoding="utf-8") as handle:
            handle.write(document_page(reports[0]))
        return reports
    pages = target / "docs"
    pages.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for report in reports:
        report.page = _page_name(report.doc_id, taken)
        with atomic_path(pages / report.page, "w", encoding="utf-8") as handle:
            handle.write(_page_or_failure(report))
    for stale in pages.glob("*.html"):  # pages of an earlier report in this folder would be listed nowhere
        if stale.name not in taken:
            stale.unlink()
    with atomic_path(target / "index.html", "w", encoding="utf-8") as handle:
        handle.write(index_page(reports, scored=gold is not None))
    return reports


def _page_or_failure(report: DocumentReport) -> str:
    """The document's page; when it cannot be shown, a page that says why, and
    the report carries the error, so one document never costs the others."""
    try:
        return document_page(report, index="../index.html").encode("utf-8").decode("utf-8")
    except (ValueError, UnicodeError) as err:
        report.error = f"{type(err).__name__}: cannot show the document: {err}"
        report.text, report.records, report.marks, report.missed = "", [], {}, []
        return document_page(report, index="../index.html")


def collect(inputs: Iterable, gold: str | os.PathLike | None = None, meta: dict[str, DocumentMeta] | None = None,
            encoding: str | None = None, limits: Limits = DEFAULT_LIMITS, progress=None) -> list[DocumentReport]:
    """Every input document with its records, scored against `gold` when given."""
    from ..pipeline import extract_documents

    golds: dict[str, list[dict]] | None = None
    if gold is not None:
        golds = {}
        for record in read_gold(gold):
            golds.setdefault(record["doc_id"], []).append(record)
    reports = []
    for item, records in extract_documents(inputs, meta=meta, encoding=encoding, limits=limits):
        if progress is not None:
            progress.update()
        if isinstance(item, DocumentFailure):
            reports.append(DocumentReport(item.doc_id, item.source, error=f"{item.error_type}: {item.message}"))
            continue
        rows = [r.to_dict() for r in records]
        report = DocumentReport(item.doc_id, item.source, item.text, rows)
        if golds is not None:
            _score(report, golds.get(item.doc_id, []))
        reports.append(report)
    return reports


def _score(report: DocumentReport, golds: list[dict]) -> None:
    """The eval's error report for one document, attached to its records."""
    report.scored = True
    report.golds = golds
    index = {id(r): k for k, r in enumerate(report.records)}
    for outcome in evaluate(golds, report.records).outcomes:
        gold = {k: outcome.gold.get(k) for k in ("start", "end", "span", "value", "unit", *SHOWN)} if outcome.gold else None
        if outcome.type == "FN":
            report.missed.append(gold)
        elif outcome.type == "FP":
            report.marks[index[id(outcome.pred)]] = {"error": "fp", "fields": [], "gold": None}
        elif outcome.wrong:
            report.marks[index[id(outcome.pred)]] = {"error": "wrong", "fields": list(outcome.wrong), "gold": gold}


# ------------------------------------------------------------------- pages ---


def document_page(report: DocumentReport, index: str | None = None) -> str:
    """One document: the text with its records (and missed gold) marked, and the records table."""
    counts = report.counts
    summary = f"{counts['records']} records: {counts['targets']} targets, {counts['actuals']} actuals"
    if report.below is not None:
        summary = (f"{len(report.shown())} of {counts['records']} records shown: confidence below {report.below:g}, "
                   f"least certain first (all: {counts['targets']} targets, {counts['actuals']} actuals)")
    if report.scored:
        summary += f"; {counts['errors']} errors against the gold set ({len(report.missed)} missed)"
    back = f'<a class="back" href="{_attr(index)}">← all documents</a>' if index else ""
    if report.error is not None:
        body = f'<p class="failure">{_esc(report.error)}</p>'
    else:
        body = (f'<div class="panes"><section class="text-pane"><div id="text" class="text">{_marked_text(report)}</div>'
                f'</section><section class="table-pane">{_filters(report)}<div id="evidence" class="evidence" '
                f'aria-live="polite"></div>{_records_table(report)}</section></div>')
    data = {"records": [_shown(r) for r in report.records], "marks": {str(k): v for k, v in report.marks.items()},
            "missed": report.missed, "evidence_keys": list(EVIDENCE_KEYS)}
    return _page(report.doc_id, "document",
                 f'<header>{back}<h1>{_esc(report.doc_id)}</h1><p class="source">{_esc(report.source)}</p>'
                 f'<p class="summary">{_esc(summary)}</p>{_legend(report.scored)}</header>{body}', data)


def index_page(reports: list[DocumentReport], scored: bool = False) -> str:
    """Every document, one row each, sortable, with a search box."""
    below = next((r.below for r in reports if r.below is not None), None)
    head = [("document", "text"), ("records", "number"), ("targets", "number"), ("actuals", "number")]
    if below is not None:
        head.append((f"below {below:g}", "number"))
    if scored:
        head.append(("errors", "number"))
    cells = "".join(f'<th data-type="{kind}" tabindex="0" aria-sort="none">{name}</th>' for name, kind in head)
    rows = []
    for report in reports:
        counts = report.counts
        link = (f'<a href="docs/{_attr(report.page)}">{_esc(report.doc_id)}</a>' if report.page
                else _esc(report.doc_id))
        if report.error is not None:
            link += f' <span class="failure">{_esc(report.error)}</span>'
        values = [counts["records"], counts["targets"], counts["actuals"]]
        values += ([len(report.shown())] if below is not None else []) + ([counts["errors"]] if scored else [])
        numbers = "".join(f'<td data-value="{v if v is not None else -1}">{"" if v is None else v}</td>' for v in values)
        rows.append(f'<tr class="doc{" failed" if report.error else ""}" data-search="{_attr(report.doc_id.lower())}">'
                    f'<td data-value="{_attr(report.doc_id.lower())}">{link}</td>{numbers}</tr>')
    total = sum(len(r.records) for r in reports)
    failed = sum(r.error is not None for r in reports)
    summary = f"{len(reports)} documents, {total} records" + (f", {failed} could not be read" if failed else "")
    if below is not None:
        summary += (f"; the pages show only the records with confidence below {below:g} "
                    f"({sum(len(r.shown()) for r in reports)} in all), least certain first")
    body = (f'<header><h1>vnextract review</h1><p class="summary">{_esc(summary)}</p>'
            f'{_scores(reports) if scored else ""}'
            '<label class="search">Search <input id="search" type="search" placeholder="document name" '
            'autocomplete="off"></label></header>'
            f'<table id="documents" class="sortable"><thead><tr>{cells}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return _page("vnextract review", "index", body, {})


def _scores(reports: list[DocumentReport]) -> str:
    """The eval's summary of the documents shown: mention and record P/R/F1
    (the table `vnextract eval` prints for them) and the field accuracy."""
    scored = [r for r in reports if r.scored]
    result = evaluate([g for r in scored for g in r.golds], [rec for r in scored for rec in r.records])
    head = "".join(f"<th>{name}</th>" for name in ("", "P", "R", "F1", "TP", "FP", "FN", "support"))
    rows = "".join(
        f"<tr><th>{name}</th><td>{s.p:.3f}</td><td>{s.r:.3f}</td><td>{s.f1:.3f}</td><td>{s.tp}</td><td>{s.fp}</td>"
        f"<td>{s.fn}</td><td>{s.support}</td></tr>" for name, s in (("mention", result.mention), ("record", result.record)))
    fields = "".join(f'<span class="accuracy"><b>{_esc(name)}</b> {value:.3f}</span>'
                     for name, value in result.field_accuracy.items())
    note = (f"Scored against the gold set on the {len(scored)} documents read, as <code>vnextract eval</code> "
            f"scores them; a record is right when its value, unit, indicator and status are.")
    return (f'<section class="scores"><table id="scores"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            f'<p id="field-accuracy">field accuracy over {result.pairs} pairs: {fields}</p>'
            f'<p id="scores-note" class="summary">{note}</p></section>')


def _page(title: str, kind: str, body: str, data: dict) -> str:
    css, script = _asset("report.css"), _asset("report.js")
    policy = (f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(script)}'; "
              "img-src 'none'; base-uri 'none'; form-action 'none'")
    return (
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{css}</style></head>"
        f'<body data-page="{kind}">{body}'
        f'<script type="application/json" id="report-data">{script_json(data)}</script>'
        f"<script>{script}</script></body></html>\n"
    )


def _marked_text(report: DocumentReport) -> str:
    """The text cut at every record, evidence and missed-gold edge into pieces
    (`span.t`, with their offsets), records wrapped in `mark.record`. Records
    never overlap, so the marks nest; evidence and gold, which may cross a
    record's edge, are marked on the pieces."""
    text = report.text
    shown = set(report.shown())
    records = [r if k in shown else None for k, r in enumerate(report.records)]
    edges = {0, len(text)}
    for r in filter(None, records):
        edges.update((r["start"], r["end"]))
        for entry in (r.get("evidence") or {}).values():
            if entry and entry.get("start") is not None:
                edges.update((entry["start"], entry["end"]))
    for g in report.missed:
        edges.update((g["start"], g["end"]))
    edges = sorted(e for e in edges if 0 <= e <= len(text))
    starts = {r["start"]: k for k, r in enumerate(records) if r is not None}
    ends = {r["end"] for r in records if r is not None}
    out = []
    for left, right in zip(edges, edges[1:]):
        if left in starts:
            k = starts[left]
            r = records[k]
            error = report.marks.get(k, {}).get("error", "")
            title = f'{r["status"]} · {r["indicator"]} · {r["norm_value"]:g} {r["norm_unit"]}'
            out.append(f'<mark class="record {_attr(r["status"])}{" " + error if error else ""} {_band(r)}" tabindex="0" '
                       f'data-i="{k}" data-start="{r["start"]}" data-end="{r["end"]}" title="{_attr(title)}">')
        missed = [j for j, g in enumerate(report.missed) if g["start"] <= left and right <= g["end"]]
        extra = f' missed" data-gold="{missed[0]}" title="missed: {_attr(_gold_title(report.missed[missed[0]]))}' \
            if missed else ""
        out.append(f'<span class="t{extra}" data-s="{left}" data-e="{right}">{_esc(text[left:right])}</span>')
        if right in ends:
            out.append("</mark>")
    return "".join(out)


def _records_table(report: DocumentReport) -> str:
    gold_head = "<th>gold</th>" if report.scored else ""
    head = "".join(f"<th>{_esc(label)}</th>" for _, label in TABLE_COLUMNS)
    rows = []
    for k in report.shown():
        r = report.records[k]
        mark = report.marks.get(k)
        wrong = set(mark["fields"]) if mark else set()
        cells = []
        for key, _ in TABLE_COLUMNS:
            value = _cell(r, key)
            bad = any(_CELL_OF.get(f, f) == key for f in wrong)
            gold_value = _cell(mark["gold"], key) if bad and mark and mark["gold"] else None
            shown = _esc(value) + (f'<span class="gold-value">gold: {_esc(gold_value or "—")}</span>' if gold_value is not None else "")
            cells.append(f'<td class="{key}{" wrong" if bad else ""}">{shown}</td>')
        gold_cell = ""
        if report.scored:
            verdict = {"fp": "not in gold", "wrong": "wrong: " + ", ".join(mark["fields"])}[mark["error"]] if mark else "ok"
            gold_cell = f'<td class="verdict">{_esc(verdict)}</td>'
        error = f' {mark["error"]}' if mark else ""
        rows.append(f'<tr class="rec {_attr(r["status"])}{error} {_band(r)}" tabindex="0" data-i="{k}" '
                    f'data-status="{_attr(r["status"])}" data-confidence="{_attr(_cell(r, "confidence"))}" '
                    f'data-indicator="{_attr(_folded(r))}">{"".join(cells)}{gold_cell}</tr>')
    for j, g in enumerate(report.missed):
        cells = "".join(f'<td class="{key}">{_esc(_cell(g, key))}</td>' for key, _ in TABLE_COLUMNS)
        rows.append(f'<tr class="gold missed" tabindex="0" data-gold="{j}" data-status="{_attr(g.get("status") or "")}" '
                    f'data-indicator="{_attr(_folded(g))}">{cells}<td class="verdict">missed</td></tr>')
    if not rows:
        return '<p class="empty">No figures found.</p>'
    return (f'<table id="records"><thead><tr>{head}{gold_head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _filters(report: DocumentReport) -> str:
    statuses = sorted({r["status"] for r in report.records} | {g.get("status") or "" for g in report.missed} - {""})
    options = "".join(f'<option value="{_attr(s)}">{_esc(s)}</option>' for s in statuses)
    return ('<div class="filters"><label>Status <select id="status-filter"><option value="">all</option>'
            f'{options}</select></label> <label>Indicator <input id="indicator-filter" type="search" '
            'placeholder="phrase or id" autocomplete="off"></label></div>')


def _legend(scored: bool) -> str:
    items = ['<span class="record target">target</span>', '<span class="record actual">actual</span>']
    items += [f'<span class="ev ev-{k}">{k}</span>' for k in EVIDENCE_KEYS]
    if scored:
        items += ['<span class="record wrong">wrong field</span>', '<span class="record fp">not in gold</span>',
                  '<span class="missed">missed gold</span>']
    return f'<p class="legend">{" ".join(items)}</p>'


def _band(record: dict) -> str:
    """The confidence band's class ("conf-high" …), "conf-none" under the rules alone."""
    confidence = record.get("confidence")
    if confidence is None:
        return "conf-none"
    return next(name for bound, name in CONFIDENCE_BANDS if confidence >= bound)


def _cell(record: dict, key: str) -> str:
    value = record.get(key)
    if key == "confidence":
        return "" if value is None else f"{value:.2f}"
    if key == "value":  # as written when it can be (89.6 triệu đồng), else in the base unit
        written = record.get("value") is not None and record.get("unit")
        number = record.get("value") if written else record.get("norm_value")
        top = record.get("value_max")
        unit = record.get("unit") if written else record.get("norm_unit")
        shown = "" if number is None else f"{number:g}"
        return f"{shown}{'' if top is None else f' – {top:g}'} {unit or ''}".strip()
    if key == "kind" and record.get("direction"):
        return f"{value} {'▲' if record['direction'] == 'up' else '▼'}"
    return "" if value is None else str(value)


def _gold_title(gold: dict) -> str:
    return f"{gold.get('span')} · {gold.get('status')} · {gold.get('indicator')}"


def _shown(record: dict) -> dict:
    return {**{k: record.get(k) for k in SHOWN_FIELDS}, "evidence": record.get("evidence")}


def _folded(record: dict) -> str:
    return f"{record.get('indicator') or ''} {record.get('indicator_id') or ''}".lower()


# ---------------------------------------------------------------- escaping ---

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data) -> str:
    """JSON that is safe inside a `<script>` element: no `<`, `>` or `&` (so no
    `</script>` or `<!--`), and no U+2028/9 line separators."""
    raw = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return regex.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], raw)


def _esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _attr(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_UNSAFE_NAME = regex.compile(r"[^\p{L}\p{N}._-]+")


def _page_name(doc_id: str, taken: set[str]) -> str:
    """A file name for a document's page: its id with anything but letters,
    digits, `.`, `_` and `-` replaced, plus a short hash so that ids that
    differ only in those characters get different pages."""
    stem = _UNSAFE_NAME.sub("_", doc_id).strip("._")[:80]
    stem = stem.encode("utf-8", "ignore")[:120].decode("utf-8", "ignore") or "document"  # far below 255 bytes
    digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    name = f"{stem}-{digest}.html"
    n = 1
    while name in taken:
        n += 1
        name = f"{stem}-{digest}-{n}.html"
    taken.add(name)
    return name


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _sha256(content: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii")
