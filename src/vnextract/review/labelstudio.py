"""Label Studio round trip: records out as pre-annotations, corrected regions back as a gold set.

A labeller should correct the extractor, not start from an empty page, so
`tasks` turns each document into a Label Studio task whose `predictions`
are vnextract's records: one `Labels` region per record span plus the
per-region fields of `CONFIG` (status, kind, direction, comparator,
indicator, baseline, period, year, locality, optional). `gold_records`
reads a Label Studio JSON export back into SPEC §3 gold records. Values are
not typed by the labeller: they are read from the region's text by the same
number and unit reader the extractor uses (in the document's context first,
so "gấp 7,2 lần" reads as it does during extraction). Only where that reading
is wrong does the labeller fill the value fields, which then win.

The formats are Label Studio's documented JSON (tasks, `predictions` /
`annotations` with `result` items sharing a region `id`); no server or SDK
is needed at run time.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping
from xml.sax.saxutils import quoteattr

from ..stages.indicators import indicator_id
from ..stages.periods import find_periods
from ..stages.quantities import Quantity, find_quantities

TEXT = "text"  # the Text object's name and the task data key holding the document
RECORD = "record"  # the Labels control that marks a record's span
RECORD_LABEL = "Record"
MODEL_VERSION = "vnextract"

# Per-region choice fields: control name → allowed values (SPEC §2).
CHOICES = {
    "status": ("target", "actual"),
    "kind": ("level", "change"),
    "direction": ("up", "down"),
    "comparator": ("=", ">", ">=", "<", "<=", "~"),
}
TEXTS = ("indicator", "baseline", "period", "locality")  # per-region free text, as written in the article
OPTIONAL = "optional"  # a one-box choice: the region is a borderline mention (SPEC §3)
# Only where the reader gets the span wrong: a quantity phrase to read instead
# of the span ("8 xã"), or the values themselves.
VALUE_TEXTS = ("quantity", "unit", "norm_unit")
VALUE_NUMBERS = ("value", "value_max", "norm_value")
YEAR = "year"

GOLD_FIELDS = ("doc_id", "start", "end", "span", "value", "value_max", "unit", "norm_value", "norm_unit",
               "indicator", "indicator_id", "status", "kind", "direction", "comparator", "baseline",
               "period", "year", "locality", "optional")


def labelling_config() -> str:
    """The Label Studio labelling configuration that `tasks` and `gold_records` fit."""
    def choices(name: str, values: Iterable[str], required: bool, hint: str) -> str:
        options = "".join(f"<Choice value={quoteattr(v)}/>" for v in values)
        req = ' required="true"' if required else ""
        return (f'    <Header value={quoteattr(hint)} size="6"/>\n'
                f'    <Choices name="{name}" toName="{TEXT}" perRegion="true" choice="single-radio"'
                f' showInline="true"{req}>{options}</Choices>\n')

    def textarea(name: str, hint: str) -> str:
        return (f'    <Header value={quoteattr(hint)} size="6"/>\n'
                f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" editable="true" maxSubmissions="1"'
                f' rows="1"/>\n')

    def number(name: str, hint: str) -> str:
        return (f'    <Header value={quoteattr(hint)} size="6"/>\n'
                f'    <Number name="{name}" toName="{TEXT}" perRegion="true"/>\n')

    fields = (
        choices("status", CHOICES["status"], True, "status: target (aimed at) or actual (achieved, estimated)")
        + choices("kind", CHOICES["kind"], True, "kind: level, or change (tăng, giảm, gấp, vượt … kế hoạch)")
        + choices("direction", CHOICES["direction"], False, "direction of a change (none for a level)")
        + choices("comparator", CHOICES["comparator"], True, "comparator: the bound word before the number")
        + textarea("indicator", "indicator, as written, without verb and number")
        + textarea("baseline", "baseline of a change or share (kế hoạch, cùng kỳ, năm 2020)")
        + textarea("period", "period, as written (năm 2024, 6 tháng đầu năm 2023)")
        + number(YEAR, "year the value refers to")
        + textarea("locality", "locality with its type word (huyện Hải Hà)")
        + f'    <Header value="borderline mention: neither rewarded nor punished" size="6"/>\n'
        f'    <Choices name="{OPTIONAL}" toName="{TEXT}" perRegion="true" choice="multiple">'
        f'<Choice value="{OPTIONAL}"/></Choices>\n'
        '    <Header value="Only when the span reads wrong: a quantity to read instead, or the values" size="5"/>\n'
        + textarea("quantity", "quantity to read instead of the span (e.g. 8 xã)")
        + number("value", "value as written")
        + number("value_max", "upper end of a range")
        + textarea("unit", "unit as written, lower-cased")
        + number("norm_value", "value in the base unit")
        + textarea("norm_unit", "base unit (VND, USD, %, pp, count, ha …)")
    )
    return (
        "<View>\n"
        "  <Style>.htx-text{ white-space: pre-wrap; }</Style>\n"
        f'  <Labels name="{RECORD}" toName="{TEXT}"><Label value="{RECORD_LABEL}" background="#fde68a"/></Labels>\n'
        f'  <Text name="{TEXT}" value="${TEXT}"/>\n'
        '  <View visibleWhen="region-selected">\n'
        f"{fields}"
        "  </View>\n"
        "</View>\n"
    )


# ------------------------------------------------------------------ export ---


def task(doc_id: str, text: str, records: Iterable[Mapping]) -> dict:
    """One Label Studio task: the document and its records as a prediction."""
    result: list[dict] = []
    units = _utf16_offsets(text) if _has_astral(text) else None
    records = sorted(records, key=lambda r: (r["start"], r["end"]))
    for i, record in enumerate(records):
        result.extend(_regions(f"vx{i}", record, text, units))
    prediction = {"model_version": MODEL_VERSION, "result": result}
    confidences = [r["confidence"] for r in records if r.get("confidence") is not None]
    if confidences:
        # Label Studio sorts and filters tasks by their prediction's score: the mean record confidence.
        prediction["score"] = round(sum(confidences) / len(confidences), 4)
    return {"data": {TEXT: text, "doc_id": doc_id}, "predictions": [prediction]}


def uncertain_first(tasks: list[dict]) -> list[dict]:
    """Tasks by their prediction's score, lowest first; tasks without one
    (no records, or the rules alone) keep their order after them."""
    def score(task: dict) -> float:
        value = task["predictions"][0].get("score")
        return value if value is not None else float("inf")

    return sorted(tasks, key=score)


def _regions(region_id: str, record: Mapping, text: str, units: list[int] | None) -> list[dict]:
    """A record as result items of one region. Offsets are Label Studio's,
    UTF-16 code units (`units` maps Python indices to them when the text has
    characters past the Basic Multilingual Plane)."""
    start, end = record["start"], record["end"]
    span = text[start:end]
    if span != record.get("span", span):
        raise ValueError(f"{record.get('doc_id')}: record at {start}-{end} says {record.get('span')!r} but the "
                         f"text there is {span!r}; extract the records again from these documents")
    where = {"start": units[start], "end": units[end]} if units else {"start": start, "end": end}

    def item(name: str, kind: str, value: dict) -> dict:
        return {"id": region_id, "from_name": name, "to_name": TEXT, "type": kind, "value": {**where, **value}}

    out = [item(RECORD, "labels", {"text": span, "labels": [RECORD_LABEL]})]
    for name in CHOICES:
        if record.get(name) is not None:
            out.append(item(name, "choices", {"choices": [record[name]]}))
    for name in TEXTS:
        if record.get(name):
            out.append(item(name, "textarea", {"text": [record[name]]}))
    if record.get(YEAR) is not None:
        out.append(item(YEAR, "number", {"number": int(record[YEAR])}))
    if record.get(OPTIONAL):
        out.append(item(OPTIONAL, "choices", {"choices": [OPTIONAL]}))
    return out


def tasks_from_documents(pairs: Iterable[tuple[object, list]]) -> tuple[list[dict], list[str]]:
    """Tasks for `extract_documents`-style pairs (document, records); the
    documents that failed, as messages, beside them."""
    tasks, failures = [], []
    for document, records in pairs:
        if not hasattr(document, "text"):
            failures.append(str(document))
            continue
        tasks.append(task(document.doc_id, document.text, [_as_dict(r) for r in records]))
    return tasks, failures


def _as_dict(record) -> Mapping:
    return record if isinstance(record, Mapping) else record.to_dict()


# ------------------------------------------------------------------ import ---


@dataclass
class _Region:
    region_id: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    fields: dict = field(default_factory=dict)


def gold_records(export: list, source: str = "export") -> tuple[list[dict], list[str]]:
    """Gold records (SPEC §3) from a Label Studio JSON export, and notes on the
    tasks that gave none (no annotation, or only cancelled ones).

    Of several annotations of a task, the one marked ground truth wins, else
    the last updated. Every region whose span no longer matches the task's
    text, or that lacks a status, is collected and raised as one ValueError,
    so a labeller fixes them all in one pass."""
    if not isinstance(export, list):
        raise ValueError(f"{source}: expected Label Studio's JSON export (a list of tasks), "
                         f"got {type(export).__name__}; export the project as JSON, not JSON-MIN or CSV")
    golds: list[dict] = []
    notes: list[str] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for n, item in enumerate(export, 1):
        where = f"{source}: task {item.get('id', n) if isinstance(item, dict) else n}"
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict) or TEXT not in item["data"]:
            problems.append(f"{where}: not a task with data.{TEXT}")
            continue
        text = item["data"][TEXT]
        doc_id = str(item["data"].get("doc_id") or f"task-{item.get('id', n)}")
        if doc_id in seen:
            problems.append(f"{where}: doc_id {doc_id!r} is also {seen[doc_id]}; each document once")
            continue
        seen[doc_id] = where
        annotation = _chosen_annotation(item.get("annotations") or [])
        if annotation is None:
            notes.append(f"{where} ({doc_id}): no annotation (or only cancelled ones); not in the gold set")
            continue
        regions = _regions_of(annotation.get("result") or [])
        records = []
        for region in regions:
            try:
                records.append(_gold_record(doc_id, text, region))
            except ValueError as err:
                problems.append(f"{where} ({doc_id}), region {region.region_id}: {err}")
        golds.extend(sorted(records, key=lambda r: (r["start"], r["end"])))
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ValueError(f"{len(problems)} regions cannot become gold records; fix them in Label Studio "
                         f"and export again:\n  {shown}{more}")
    return golds, notes


def _chosen_annotation(annotations: list) -> dict | None:
    usable = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not usable:
        return None
    truth = [a for a in usable if a.get("ground_truth")]
    return max(truth or usable, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))


def _regions_of(result: list) -> list[_Region]:
    """Result items grouped by region id; only groups with a record span are regions."""
    by_id: dict[str, _Region] = {}
    for item in result:
        if not isinstance(item, dict) or "id" not in item or item.get("type") == "relation":
            continue
        region = by_id.setdefault(str(item["id"]), _Region(str(item["id"])))
        value = item.get("value") or {}
        name, kind = item.get("from_name"), item.get("type")
        if kind == "labels" or name == RECORD:
            region.start, region.end, region.text = value.get("start"), value.get("end"), value.get("text")
        elif kind == "choices":
            region.fields[name] = list(value.get("choices") or [])
        elif kind == "textarea":
            typed = [t for t in (value.get("text") or []) if str(t).strip()]
            region.fields[name] = str(typed[-1]).strip() if typed else None
        elif kind == "number":
            region.fields[name] = value.get("number")
        if region.start is None and "start" in value and "end" in value:
            region.start, region.end = value["start"], value["end"]
    return [r for r in by_id.values() if r.start is not None]


def _gold_record(doc_id: str, text: str, region: _Region) -> dict:
    start, end = _python_offsets(text, region)
    span = text[start:end]
    fields = region.fields
    status = _choice(fields, "status")
    if status is None:
        raise ValueError(f"{span!r} at {start}-{end} has no status (target or actual)")
    values = _values(text, start, end, fields)
    indicator = fields.get("indicator") or ""
    period = fields.get("period")
    year = fields.get(YEAR)
    if year is None and period:
        years = [p.year for p in find_periods(period) if p.year is not None]
        year = years[-1] if years else None
    kind = _choice(fields, "kind") or "level"
    return {
        "doc_id": doc_id, "start": start, "end": end, "span": span, **values,
        "indicator": indicator, "indicator_id": indicator_id(indicator),
        "status": status, "kind": kind,
        "direction": _choice(fields, "direction") if kind == "change" else None,
        "comparator": _choice(fields, "comparator") or "=",
        "baseline": fields.get("baseline"), "period": period,
        "year": int(year) if year is not None else None,
        "locality": fields.get("locality"),
        "optional": OPTIONAL in (fields.get(OPTIONAL) or []),
    }


def _choice(fields: dict, name: str) -> str | None:
    chosen = fields.get(name) or []
    if len(chosen) > 1:
        raise ValueError(f"{name} has several choices {chosen}; choose one")
    if chosen and chosen[0] not in CHOICES[name]:
        raise ValueError(f"{name} {chosen[0]!r} is not one of {', '.join(CHOICES[name])}")
    return chosen[0] if chosen else None


def _python_offsets(text: str, region: _Region) -> tuple[int, int]:
    """The region's offsets as Python indices into the task text. Label Studio
    counts in UTF-16 code units, which differ from Python's only past the
    Basic Multilingual Plane (an emoji); Python indices are accepted too. A
    region whose text is not the task's text at its offsets is an error,
    never guessed at."""
    start, end = region.start, region.end
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise ValueError(f"offsets {start!r}-{end!r} are not a span")
    candidates = []
    if _has_astral(text):
        index = _utf16_index(text)
        if end < len(index):
            candidates.append((index[start], index[end]))
    candidates.append((start, end))
    for a, b in candidates:
        if b <= len(text) and (region.text is None or text[a:b] == region.text):
            return a, b
    if region.text is None:
        raise ValueError(f"offsets {start}-{end} run past the text's end")
    raise ValueError(f"the region's text {region.text!r} is not the task's text at {start}-{end} "
                     f"({text[start:end]!r}); was the task's text changed after labelling? "
                     f"Re-export the tasks and label that region again")


def _has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)


def _utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of each Python index (and of the end)."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


def _utf16_index(text: str) -> list[int]:
    """Python index of each UTF-16 offset (the position before each code unit, and the end)."""
    index: list[int] = []
    for i, ch in enumerate(text):
        index.extend([i] * (2 if ord(ch) > 0xFFFF else 1))
    index.append(len(text))
    return index


def _values(text: str, start: int, end: int, fields: dict) -> dict:
    """value … norm_unit of a region: read from the text by the extractor's
    reader (or from the quantity the labeller typed), then whatever the
    labeller typed, field by field, on top. A typed unit is read by the same
    reader, so "tỷ đồng" brings its scale and VND."""
    typed_quantity = fields.get("quantity")
    read = _read(typed_quantity) if typed_quantity else _read_in_context(text, start, end)
    if typed_quantity and read is None:
        raise ValueError(f"the typed quantity {typed_quantity!r} reads as no number with a unit")
    out = {"value": None, "value_max": None, "unit": None, "norm_value": None, "norm_unit": None}
    scale = 1.0
    if read is not None:
        out.update(value=read.value, value_max=read.value_max, unit=read.unit,
                   norm_value=read.norm_value, norm_unit=read.norm_unit)
        scale = read.norm_value / read.value if read.value else 1.0
    if fields.get("unit"):
        out["unit"] = fields["unit"]
        unit = _read(f"1 {fields['unit']}")
        if unit is not None and unit.end - unit.start == len(fields["unit"]) + 2:
            scale, out["norm_unit"] = unit.norm_value, unit.norm_unit
            if out["value"] is not None and fields.get("value") is None:
                out["norm_value"] = out["value"] * scale
    for name in VALUE_NUMBERS:
        if fields.get(name) is not None:
            out[name] = float(fields[name])
    if fields.get("value") is not None and fields.get("norm_value") is None:
        out["norm_value"] = out["value"] * scale
    if fields.get("norm_unit"):
        out["norm_unit"] = fields["norm_unit"]
    missing = [k for k in ("value", "norm_value", "norm_unit") if out[k] is None]
    if missing:
        raise ValueError(f"{text[start:end]!r} at {start}-{end} reads as no quantity; mark the number and its "
                         f"unit, or type the quantity (or value, unit, norm_value, norm_unit)")
    if out["unit"] is None:
        out["unit"] = out["norm_unit"]
    return out


def _read_in_context(text: str, start: int, end: int) -> Quantity | None:
    """The quantity the extractor finds at exactly this span, else the first
    the span holds when read alone."""
    for quantity in _quantities(text):
        if (quantity.start, quantity.end) == (start, end):
            return quantity
    return _read(text[start:end])


def _read(phrase: str) -> Quantity | None:
    found = find_quantities(phrase)
    return found[0] if found else None


@lru_cache(maxsize=8)
def _quantities(text: str) -> tuple[Quantity, ...]:
    periods = find_periods(text)
    return tuple(find_quantities(text, excluded=[(p.start, p.end) for p in periods]))


# ------------------------------------------------------------- files ---


def read_export(path: str | os.PathLike) -> list:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not JSON ({err.msg}, line {err.lineno}); export the project as JSON") from None
    except RecursionError:
        raise ValueError(f"{path}: not JSON a project export holds (nested too deeply); export the project as JSON") from None


def gold_line(record: Mapping) -> str:
    return json.dumps({k: record.get(k) for k in GOLD_FIELDS}, ensure_ascii=False)
