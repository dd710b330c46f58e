"""The tracking table as one static HTML page: first an overview of every
judged target (per indicator, the result as a share of the target, by year and
locality, coloured met / not met / on track), then per locality a table of
indicators × years coloured by verdict, and per indicator with several years a
small chart of target against result (Vega-Altair, rendered to SVG by
vl-convert and inlined: the page loads nothing, and its Content-Security-Policy
forbids every remote resource and every script). All text from the articles is
escaped; the SVG is parsed and stripped of scripts and event attributes.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from html import escape

from ..folding import fold_text
from .matching import Row
from .verdicts import VERDICTS

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
COLOURS = {"met": "#c8e6c9", "not met": "#ffcdd2", "on track": "#fff59d", "unknown": "#e0e0e0"}
SVG_NS = "http://www.w3.org/2000/svg"
_SCALES = {"VND": (1e9, "tỷ đồng"), "USD": (1e6, "triệu USD")}
_OVERVIEW_INDICATORS = 12  # the indicators with most judged rows; every row is in the tables below

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;font-size:.9em}
th{background:#f4f4f4;text-align:left}
td.cell small{color:#555}
.legend span{display:inline-block;padding:.1em .6em;margin-right:.4em;border:1px solid #bbb}
figure{display:inline-block;margin:.3em 1em .3em 0}
figcaption{font-size:.85em;max-width:22em}
#overview{display:block;margin:1em 0}
#overview figcaption{max-width:none;color:#555}
details{margin:.2em 0}
.sentence{color:#444;font-size:.9em}
""" + "".join(f".v-{name.replace(' ', '-')}{{background:{colour}}}" for name, colour in COLOURS.items())


def render_page(rows: list[Row]) -> str:
    """The whole page; the same rows give the same bytes."""
    counts = Counter(r.verdict for r in rows)
    by_place: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_place[row.locality].append(row)
    parts = [
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">",
        "<meta name=\"referrer\" content=\"no-referrer\">",
        "<title>vnextract: targets and results</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Targets and results</h1>",
        f"<p>{len(rows)} rows in {len(by_place)} localities: "
        + ", ".join(f"{counts.get(v, 0)} {escape(v)}" for v in VERDICTS) + "</p>",
        "<p class=\"legend\">" + "".join(f"<span class=\"v-{v.replace(' ', '-')}\">{escape(v)}</span>" for v in VERDICTS) + "</p>",
        _overview(rows),
        "<ul>" + "".join(f"<li><a href=\"#place-{i}\">{escape(_place(name))}</a> ({len(by_place[name])})</li>"
                         for i, name in enumerate(by_place)) + "</ul>",
    ]
    for i, (name, place_rows) in enumerate(by_place.items()):
        parts.append(_section(i, name, place_rows))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _overview(rows: list[Row]) -> str:
    """Every judged row at a glance: one panel per indicator, localities down,
    years across, each cell coloured by its verdict and labelled with the
    result as a share of the target. Rows without a verdict are left to the tables."""
    judged = [r for r in rows if r.verdict != "unknown"]
    if not judged:
        return ""
    # One panel per lexicon id (places may word it differently), else per folded phrase,
    # named by its most common wording.
    key = {id(r): r.indicator_id or fold_text(r.indicator) for r in judged}
    per_indicator = Counter(key.values())
    wordings: dict[str, Counter] = defaultdict(Counter)
    for r in judged:
        wordings[key[id(r)]][r.indicator] += 1
    name = {k: c.most_common(1)[0][0] for k, c in wordings.items()}
    chosen = sorted(per_indicator, key=lambda k: (-per_indicator[k], name[k]))[:_OVERVIEW_INDICATORS]
    shown = [name[k] for k in chosen]
    data = [{"indicator": name[key[id(r)]], "locality": _place(r.locality), "year": r.horizon or "(no year)",
             "verdict": r.verdict, "label": "" if r.ratio is None else f"{r.ratio:.0%}"}
            for r in judged if key[id(r)] in chosen]
    left = len(per_indicator) - len(chosen)
    caption = (f"{len(judged)} rows with a verdict, {len(per_indicator)} indicators; a cell is the result as a share "
               f"of the target" + (f"; the {len(shown)} indicators with most rows here, {left} more in the tables below"
                                    if left else ""))
    return (f"<figure id=\"overview\">{_overview_svg(data, shown)}<figcaption>{escape(caption)}</figcaption></figure>")


def _overview_svg(data: list[dict], indicators: list[str]) -> str:
    import altair as alt
    import pandas as pd
    import vl_convert

    base = alt.Chart(pd.DataFrame(data)).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("locality:N", title=None, axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color("verdict:N", legend=None,
                        scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values()))))
    labels = base.mark_text(fontSize=11, color="#222222").encode(text="label:N")
    chart = (
        alt.layer(cells, labels)
        .properties(width=alt.Step(56), height=alt.Step(20))
        .facet(facet=alt.Facet("indicator:N", title=None, sort=indicators,
                               header=alt.Header(labelLimit=320, labelFontWeight="bold", labelAnchor="start")),
               columns=3)
        .resolve_scale(x="independent", y="independent")
    )
    return _clean_svg(vl_convert.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[]))


def _place(name: str) -> str:
    return name or "(no locality)"


def _section(index: int, name: str, rows: list[Row]) -> str:
    horizons = sorted({r.horizon for r in rows}, key=lambda h: (h.split("-")[-1], h))
    indicators: dict[tuple, dict[str, Row]] = {}
    for row in rows:
        indicators.setdefault((row.indicator, row.indicator_id), {})[row.horizon] = row
    out = [f"<section id=\"place-{index}\"><h2>{escape(_place(name))}</h2>", "<table><tr><th>indicator</th>"]
    out += [f"<th>{escape(h or '(no year)')}</th>" for h in horizons]
    out.append("</tr>")
    for (indicator, indicator_id), cells in indicators.items():
        label = escape(indicator) + (f" <small>({escape(indicator_id)})</small>" if indicator_id else "")
        out.append(f"<tr><th>{label}</th>")
        for horizon in horizons:
            row = cells.get(horizon)
            out.append(_cell(row) if row else "<td></td>")
        out.append("</tr>")
    out.append("</table>")
    charts = [_chart(indicator, list(cells.values())) for (indicator, _), cells in indicators.items()]
    out += [c for c in charts if c]
    out.append("<details><summary>sources of every row</summary>")
    out += [_sources(row) for row in rows]
    out.append("</details></section>")
    return "\n".join(out)


def _cell(row: Row) -> str:
    target = row.target.get("span") if row.target else "—"
    actual = (row.actual or row.stated or {}).get("span", "—")
    ratio = f"<br><small>{row.ratio:.1%} ({escape(row.ratio_source or '')})</small>" if row.ratio is not None else ""
    flag = " ⚠" if row.disagreements else ""
    return (f"<td class=\"cell v-{row.verdict.replace(' ', '-')}\" title=\"{escape(row.reason)}\">"
            f"<b>{escape(row.verdict)}</b>{flag}<br>{escape(str(target))} → {escape(str(actual))}{ratio}</td>")


def _sources(row: Row) -> str:
    def said(label: str, record: dict | None) -> str:
        if not record:
            return ""
        return (f"<div><b>{label}</b> {escape(str(record.get('span')))} — {escape(str(record.get('doc_id')))}"
                f" @{escape(str(record.get('start')))}: <span class=\"sentence\">{escape(str(record.get('sentence') or ''))}</span></div>")

    folded = "".join(f"<li>{escape(str(r.get('span')))} [{escape(str(r.get('role')))}] — {escape(str(r.get('doc_id')))}"
                     f": <span class=\"sentence\">{escape(str(r.get('sentence') or ''))}</span></li>" for r in row.folded)
    notes = "".join(f"<li>{escape(d)}</li>" for d in row.disagreements)
    return (f"<details><summary>{escape(row.indicator)} {escape(row.horizon)}: {escape(row.verdict)} — "
            f"{escape(row.reason)}</summary>{said('target', row.target)}{said('result', row.actual)}"
            f"{said('share of plan', row.stated)}"
            + (f"<p>disagreements:</p><ul>{notes}</ul>" if notes else "")
            + (f"<p>folded records:</p><ul>{folded}</ul>" if folded else "") + "</details>")


def _chart(indicator: str, rows: list[Row]) -> str:
    """Target against result over the years, when an indicator has several years in one unit."""
    points = []
    for row in rows:
        if row.year is None or "-" in row.horizon:
            continue
        for series, record in (("target", row.target), ("result", row.actual)):
            if record and record.get("norm_value") is not None:
                points.append((row.year, series, record))
    units = Counter((r.get("kind"), r.get("norm_unit")) for _, _, r in points)
    if not units:
        return ""
    (kind, unit), _ = units.most_common(1)[0]
    points = [(y, s, r) for y, s, r in points if (r.get("kind"), r.get("norm_unit")) == (kind, unit)]
    if len({y for y, _, _ in points}) < 2:
        return ""
    scale, label = _SCALES.get(unit, (1.0, unit))
    data = [{"year": str(y), "series": s, "value": r["norm_value"] / scale} for y, s, r in points]
    svg = _svg(data, f"{label} ({kind})" if kind == "change" else str(label))
    return f"<figure>{svg}<figcaption>{escape(indicator)}</figcaption></figure>"


def _svg(data: list[dict], unit: str) -> str:
    import altair as alt
    import pandas as pd
    import vl_convert

    chart = (
        alt.Chart(pd.DataFrame(data))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=unit),
            color=alt.Color("series:N", title=None,
                            scale=alt.Scale(domain=["target", "result"], range=["#1f77b4", "#d62728"])),
        )
        .properties(width=200, height=110)
    )
    return _clean_svg(vl_convert.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[]))


def _clean_svg(svg: str) -> str:
    """The SVG without scripts, foreign content, event attributes or outside links."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1].lower()
            if tag in ("script", "foreignobject", "iframe", "image"):
                parent.remove(child)
        for name in list(parent.attrib):
            bare = name.rsplit("}", 1)[-1].lower()
            value = parent.attrib[name].strip().lower()
            if bare.startswith("on") or (bare == "href" and not value.startswith("#")):
                del parent.attrib[name]
    return ET.tostring(root, encoding="unicode")
