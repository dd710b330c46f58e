"""Records → tracking rows: load them, pair each plan set beside its result,
group records by place, indicator and year, and pick each row's target and result.

A row is one locality × indicator × horizon (a year, or the span of a
multi-year plan: "giai đoạn 2021-2025" is judged by the 2025 result or by a
result for the same span). Its target is the first one stated; its result the
latest for that year (the share of the year it covers first: a year-end report
beats a 9-month one; then the result beside the target, then a final figure
over an estimate). Every other record of the row is kept in `folded`, and two
sources that disagree are said in `disagreements`.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..evaluation.scoring import syllable_f1
from ..inputs.documents import names_record_fields
from ..inputs.spreadsheet import first_row
from ..folding import fold_text
from ..rules import load_rules
from .periods import horizon as horizon_of, share_of_year, span_of
from .places import PlaceKey, place_key
from .verdicts import Verdict, is_rate, judge, lower_is_better, stated_ratio, vietnamese_number

RECORD_SUFFIXES = (".csv", ".parquet", ".xlsx")
JSON_SUFFIXES = (".jsonl", ".json", ".ndjson")
REQUIRED = ("doc_id", "start", "end", "span", "value", "norm_value", "norm_unit", "indicator",
            "status", "kind", "comparator", "year", "locality")


@dataclass
class Row:
    """One locality × indicator × year of the tracking table."""

    locality: str
    indicator: str
    indicator_id: str | None
    year: int | None
    horizon: str  # "2024", or "2021-2025" for a multi-year plan
    verdict: str
    ratio: float | None
    ratio_source: str | None
    reason: str
    pair: str  # "in-article", "cross-article", or "" without a result
    share_of_year: float | None
    target: dict | None
    actual: dict | None
    stated: dict | None  # "đạt X% kế hoạch": the share of the plan the article states
    disagreements: list[str] = field(default_factory=list)
    folded: list[dict] = field(default_factory=list)  # every other record of the row, with its "role"

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Loaded:
    records: list[dict]
    problems: list[str]  # one line per input that could not be read, naming it
    documents: int


# ------------------------------------------------------------------ loading ---

def load_records(inputs: Iterable[str], meta=None, progress=None) -> Loaded:
    """Records from records files (JSONL, CSV, Excel, Parquet written by `extract`) and
    from articles (.txt, folders, JSONL of {id, text}, -), which are extracted
    first. An input that cannot be read is named in `problems`; the others count.
    `progress` (a tqdm bar, see `count_inputs`) steps once per article and per records file."""
    records: list[dict] = []
    problems: list[str] = []
    documents: set[str] = set()
    for source in inputs:
        try:
            if _is_records_file(source):
                found = _checked(source, _read_records_file(source, problems))
                if progress is not None:
                    progress.update()
            else:
                found = _extracted(source, meta, problems, progress)
        except (ValueError, OSError) as err:
            problems.append(f"{source}: {err}" if str(source) not in str(err) else str(err))
            continue
        documents.update(r["doc_id"] for r in found)
        records.extend(found)
    return Loaded(records, problems, len(documents))


def count_inputs(inputs: Iterable[str]) -> int | None:
    """The steps of `load_records`: one per records file, one per article."""
    from ..inputs.documents import count_documents

    total = 0
    for source in inputs:
        count = 1 if _is_records_file(source) else count_documents([source])
        if count is None:
            return None
        total += count
    return total


def _read_records_file(source: str, problems: list[str]) -> list[dict]:
    """Its records; a row that is no record is named in `problems`, and the
    file's other records (of other documents, often) still count."""
    from ..outputs.writers import read_records

    return read_records(source, skipped=problems)


def records_files(inputs: Iterable[str]) -> list[str]:
    """The inputs that are records files (read as they are), not articles."""
    return [str(source) for source in inputs if _is_records_file(source)]


def _is_records_file(source: str) -> bool:
    """A records file: a CSV or Parquet file, a workbook whose header names a
    record's fields (another workbook is a report to extract), or JSON lines of records."""
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and path.is_file():
        return names_record_fields(first_row(path))
    if suffix in RECORD_SUFFIXES:
        return True
    if suffix not in JSON_SUFFIXES or not path.is_file():
        return False
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except (json.JSONDecodeError, RecursionError):
                    return False
                return isinstance(first, dict) and names_record_fields(first)
    return False


def _checked(source: str, records: list[dict]) -> list[dict]:
    missing = sorted({name for r in records for name in REQUIRED if name not in r})
    if missing:
        raise ValueError(f"{source}: not a records file: no {', '.join(missing)} (write it with `vnextract extract`)")
    return records


def _extracted(source: str, meta, problems: list[str], progress=None) -> list[dict]:
    from ..pipeline import extract_documents

    out = []
    for item, records in extract_documents([source], meta=meta):
        if progress is not None:
            progress.update()
        if not hasattr(item, "text"):
            problems.append(str(item))
            continue
        out.extend(r.to_dict() for r in records)
    return out


# ------------------------------------------------------------------ matching ---

@dataclass
class _Item:
    record: dict  # the record as tracked (a copy: a plan beside a result takes its indicator)
    order: int
    place: PlaceKey
    role: str  # target, actual, or stated (a share of the plan)
    horizon: tuple[int, int] | None
    share: float | None
    cluster: int = -1


@lru_cache(maxsize=1)
def _rules():
    rules = load_rules("tracking")
    growth = {base: growth_id for growth_id, bases in rules["growth_of"].items() for base in bases}
    return (
        float(rules["indicator_similarity"]),
        frozenset(fold_text(w) for w in rules["plan_indicators"]),
        tuple(fold_text(w) for w in rules["plan_baselines"]),
        growth,
    )


def is_plan_word(indicator: str | None) -> bool:
    """An indicator that is only a plan word ("kế hoạch", "KH"): a plan beside a result."""
    return fold_text(indicator) in _rules()[1]


def is_plan_baseline(baseline: str | None) -> bool:
    folded = fold_text(baseline)
    return any(folded == w or folded.startswith(w + " ") for w in _rules()[2])


def growth_id(record: dict) -> str | None:
    """The growth indicator a change in % of a base indicator reports ("GRDP tăng 7%")."""
    if record.get("kind") == "change" and (record.get("norm_unit") or "") == "%":
        return _rules()[3].get(record.get("indicator_id"))
    return None


GROUPINGS = ("locality", "province", "province_2025")


def track_records(records: Iterable[dict], by: str = "locality") -> list[Row]:
    """The tracking table of records (dicts with the SPEC fields), in a stable
    order, one row per place × indicator × year. `by` names the place:
    the record's `locality`, or the province that holds it before
    (`province`) or after (`province_2025`) the 2025 reorganisation, so that a
    district's target and its province's result, or a former province and
    the merged one, fall in one group (the whole country keeps its locality)."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    records = list(records)
    if by != "locality" and records and all(by not in r for r in records):
        raise ValueError(f"the records have no {by} column: extract them again with this version to group by it")
    items = [_item(_placed(dict(r), by), i) for i, r in enumerate(records)]
    _attach_plans(items)
    _read_growth(items)
    clusters = _cluster(items)
    pools: dict[tuple, list[_Item]] = {}
    members: dict[tuple, list[_Item]] = {}  # the items of each place × indicator group, in order
    for item in items:
        members.setdefault((item.place, item.cluster), []).append(item)
        if item.role in ("target", "stated"):
            pools.setdefault((item.place, item.cluster, item.horizon), [])
    names = _place_names(items)
    rows = [_row(key, members[key[:2]], clusters, names[key[0]]) for key in pools]
    return sorted(rows, key=lambda r: (fold_text(r.locality), fold_text(r.indicator), r.year or 0, r.horizon))


def track(inputs: Iterable[str], meta=None, by: str = "locality") -> list[Row]:
    """The tracking table of records files and articles; an input that cannot be
    read raises ValueError naming it (the CLI goes on without it instead)."""
    loaded = load_records(list(inputs), meta=meta)
    if loaded.problems:
        raise ValueError("; ".join(loaded.problems))
    return track_records(loaded.records, by)


def _placed(record: dict, by: str) -> dict:
    """The record with the place it is tracked under as its locality."""
    if by != "locality" and record.get(by):
        record["locality"] = record[by]
    return record


def _item(record: dict, order: int) -> _Item:
    stated = (record.get("status") == "actual" and (record.get("norm_unit") or "") == "%"
              and record.get("value_max") is None and is_plan_baseline(record.get("baseline")))
    role = "stated" if stated else ("target" if record.get("status") == "target" else "actual")
    return _Item(
        record, order, place_key(record.get("locality")), role,
        horizon_of(record.get("period"), record.get("year")), share_of_year(record.get("period")),
    )


def _read_growth(items: list[_Item]) -> None:
    """"GRDP tăng 7,78%" is the growth rate 7,78%: a change in % of a base
    indicator becomes a level of its growth indicator (a fall a negative level)."""
    for item in items:
        record = item.record
        as_growth = growth_id(record) if item.role != "stated" else None
        if as_growth:
            sign = -1.0 if record.get("direction") == "down" else 1.0
            note = f"a change of {record.get('indicator')} in %, read as its growth rate"
            record.update(
                indicator_id=as_growth, kind="level", direction=None,
                norm_value=sign * record["norm_value"], value=sign * record["value"],
                tracking_note="; ".join(n for n in (record.get("tracking_note"), note) if n),
            )


def _same_sentence(a: dict, b: dict) -> bool:
    return a.get("doc_id") == b.get("doc_id") and bool(a.get("sentence")) and a.get("sentence") == b.get("sentence")


def _attach_plans(items: list[_Item]) -> None:
    """A plan set beside a result: a figure right after a result in the same
    sentence, with a plan word between them ("đạt 9,4% (KH 10-11%)", "tăng
    7,78% (kế hoạch từ 7% trở lên)"), is that result's target. It takes the
    result's indicator when it names only the plan word, and the result's kind
    when it says none of its own ("tăng 7,78% (kế hoạch 7%)")."""
    by_sentence: dict[tuple, list[_Item]] = {}
    for item in items:
        by_sentence.setdefault((item.record.get("doc_id"), item.record.get("sentence")), []).append(item)
    for group in by_sentence.values():
        group.sort(key=lambda i: i.record.get("start") or 0)
        for before, item in zip(group, group[1:]):
            plan, result = item.record, before.record
            named_by_plan_word = is_plan_word(plan.get("indicator"))
            if (item.role == "stated" or before.role != "actual" or is_plan_word(result.get("indicator"))
                    or not (item.role == "target" or named_by_plan_word)
                    or not _names_a_plan(_between(result, plan))):
                continue
            notes = [f"the plan beside the result {result.get('span')!r}"]
            if named_by_plan_word:
                plan.update(indicator=result.get("indicator"), indicator_id=result.get("indicator_id"))
                notes.append("its indicator")
            if plan.get("kind") == "level" and result.get("kind") != "level" and plan.get("norm_unit") == result.get("norm_unit"):
                plan.update(kind=result.get("kind"), direction=result.get("direction"))
                notes.append("its kind")
            plan["tracking_note"] = ": ".join([notes[0], " and ".join(notes[1:])]) if len(notes) > 1 else notes[0]
            plan["tracking_beside"] = result.get("start")  # the result this plan was set beside
            item.role, item.place = "target", before.place
            item.horizon = horizon_of(plan.get("period"), plan.get("year"))


def _between(a: dict, b: dict) -> str | None:
    """The sentence text between two of its records (a before b), or None when
    their spans cannot be placed in it."""
    sentence, gap = a.get("sentence") or "", (b.get("start") or 0) - (a.get("end") or 0)
    if gap < 0:
        return None
    at = sentence.find(a.get("span") or "\0")
    while at >= 0:
        end = at + len(a["span"])
        if sentence[end + gap: end + gap + len(b.get("span") or "")] == b.get("span"):
            return sentence[end:end + gap]
        at = sentence.find(a["span"], at + 1)
    return None


def _names_a_plan(text: str | None) -> bool:
    folded = f" {fold_text(text)} "
    return any(f" {word} " in folded for word in _rules()[1])


def _cluster(items: list[_Item]) -> list[tuple[str, str | None]]:
    """Indicator groups per place: one per lexicon id, and phrases without an id
    joining the group with a phrase of syllable F1 ≥ the threshold. Returns each
    group's (name, id); a target's phrase names the group when there is one.

    Linear in the records: a group keeps each distinct phrase once (syllable F1
    reads only the folded syllables), and a phrase already in a group of its
    place goes to the first such group without a search, as the search would
    send it there (F1 1, the highest, first group first)."""
    threshold = _rules()[0]
    groups: list[dict] = []
    at_place: dict[PlaceKey, list[int]] = {}
    by_id: dict[tuple, int] = {}
    known: dict[tuple, int] = {}  # (place, folded syllables) → the first group holding such a phrase
    ordered = sorted(items, key=lambda i: (i.record.get("indicator_id") is None, i.order))
    for item in ordered:
        rec = item.record
        phrase = rec.get("indicator") or ""
        syllables = (item.place, tuple(sorted(fold_text(phrase).split())))
        if rec.get("indicator_id"):
            index = by_id.get((item.place, rec["indicator_id"]))
        else:
            index = known.get(syllables) if syllables[1] else None
            if index is None:
                index = _closest(groups, at_place.get(item.place, ()), phrase, threshold)
        if index is None:
            index = len(groups)
            groups.append({"id": rec.get("indicator_id"), "phrases": {}, "names": []})
            at_place.setdefault(item.place, []).append(index)
            if rec.get("indicator_id"):
                by_id[(item.place, rec["indicator_id"])] = index
        group = groups[index]
        group["phrases"].setdefault(syllables[1], phrase)
        group["names"].append((item.role != "target", item.order, phrase))
        if syllables[1]:
            known[syllables] = min(known.get(syllables, index), index)
        item.cluster = index
    return [(min(g["names"])[2], g["id"]) for g in groups]


def _closest(groups: list[dict], indexes: Iterable[int], phrase: str | None, threshold: float) -> int | None:
    """The first of the groups `indexes` with the best syllable F1 ≥ threshold to `phrase`."""
    best, best_score = None, threshold
    for index in indexes:
        score = max((syllable_f1(phrase, p) for p in groups[index]["phrases"].values()), default=0.0)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = index, score
    return best


def _eligible(item: _Item, horizon: tuple[int, int] | None) -> bool:
    """A result counts for a horizon when it is for its last year, or for the same span."""
    if horizon is None:
        return item.horizon is None
    span = span_of(item.record.get("period"))
    if span:
        return span == horizon
    return item.record.get("year") == horizon[1]


def _comparable(a: dict | None, b: dict | None) -> bool:
    return a is not None and b is not None and _measure(a) == _measure(b)


def _measure(record: dict) -> tuple:
    """What two records must share to be compared: kind and unit."""
    return record.get("kind"), (record.get("norm_unit") or "").casefold()


def _row(key: tuple, members: list[_Item], clusters: list[tuple[str, str | None]], place_name: str) -> Row:
    """The row of `key` (place, indicator group, horizon) from the members of its group."""
    place, cluster, horizon = key
    targets = [i for i in members if i.role == "target" and i.horizon == horizon]
    results = [i for i in members if i.role == "actual" and _eligible(i, horizon)]
    stated_all = [i for i in members if i.role == "stated" and _eligible(i, horizon)]
    usable = [i for i in results if i.share is not None]

    measures = {_measure(a.record) for a in usable}  # a target with a comparable result comes first
    target = min(targets, key=lambda t: (_measure(t.record) not in measures, t.order), default=None)
    t_rec = target.record if target else None
    if target is not None:
        actual = max(usable, key=lambda a: (
            _comparable(t_rec, a.record), a.share, span_of(a.record.get("period")) == horizon,
            _same_sentence(t_rec, a.record) and t_rec.get("tracking_beside") == a.record.get("start"),
            _same_sentence(t_rec, a.record),
            a.record.get("comparator") != "~", a.order), default=None)
        a_rec = actual.record if actual else None
        stated = max(stated_all, key=lambda s: (
            a_rec is not None and _same_sentence(a_rec, s.record), s.share or 0.0, -s.order), default=None)
    else:
        # Only a stated share of the plan: the result it is said of is the one in its sentence.
        stated = max(stated_all, key=lambda s: (s.share or 0.0, -s.order), default=None)
        actual = max(usable, key=lambda a: (
            _same_sentence(stated.record, a.record), a.record.get("kind") == "level", a.share,
            a.record.get("comparator") != "~", a.order), default=None)
        a_rec = actual.record if actual else None
    s_rec = stated.record if stated else None
    implied = False
    if t_rec is None and actual is not None and stated is not None:
        later = _later_result(stated, actual, usable)
        if later is not None:
            # "9 tháng: 4.522 tỷ đồng, đạt 69,79% kế hoạch" states the plan (6.479 tỷ đồng);
            # the year-end result is judged against it.
            t_rec, actual, a_rec, implied = _implied_plan(s_rec, a_rec), later, later.record, True

    name, indicator_id = clusters[cluster]
    lower = lower_is_better(name, indicator_id)
    share = actual.share if actual else (stated.share if stated else None)
    verdict = judge(t_rec, a_rec, s_rec, lower, share)
    chosen = {id(x) for x in (target, actual, stated) if x is not None}
    if implied:
        verdict = Verdict(verdict.verdict, verdict.ratio, verdict.ratio_source,
                          f"{verdict.reason}, the plan implied by {s_rec.get('span')} ({s_rec.get('doc_id')})")
    folded = [dict(i.record, role=_folded_role(i)) for i in targets + results + stated_all if id(i) not in chosen]
    return Row(
        locality=place_name,
        indicator=name,
        indicator_id=indicator_id,
        year=horizon[1] if horizon else None,
        horizon=(f"{horizon[0]}-{horizon[1]}" if horizon[0] != horizon[1] else str(horizon[1])) if horizon else "",
        verdict=verdict.verdict,
        ratio=verdict.ratio,
        ratio_source=verdict.ratio_source,
        reason=verdict.reason,
        pair=_pair(t_rec, a_rec or s_rec),
        share_of_year=share if (a_rec or s_rec) else None,
        target=t_rec,
        actual=a_rec,
        stated=s_rec,
        disagreements=_disagreements(target, actual, verdict, targets, usable, None if implied else s_rec, lower, share),
        folded=folded,
    )


def _later_result(stated: _Item, named: _Item, results: list[_Item]) -> _Item | None:
    """A result for more of the year than the one a stated share of the plan is
    said of (in its sentence, an amount), in the same unit: a year-end report after
    a 9-month one."""
    record = named.record
    if (not _same_sentence(stated.record, record) or record.get("kind") != "level" or is_rate(record.get("norm_unit"))
            or not record.get("norm_value") or stated.share is None or named.share is None):
        return None
    later = [r for r in results if (r.share or 0.0) > max(stated.share, named.share) and _comparable(r.record, record)]
    return max(later, key=lambda r: (r.share, r.record.get("comparator") != "~", r.order), default=None)


def _implied_plan(stated: dict, named: dict) -> dict:
    """The plan a stated share gives: value / share ("4.522 tỷ đồng, đạt 69,79% kế
    hoạch" → 6.479 tỷ đồng), kept at the stated share's place in the text."""
    ratio = stated_ratio(stated)
    return dict(
        stated, status="target", kind="level", direction=None, comparator="=", value_max=None,
        value=named["value"] / ratio, unit=named.get("unit"), norm_value=named["norm_value"] / ratio,
        norm_unit=named.get("norm_unit"), shown=f"{vietnamese_number(named['value'] / ratio)} {named.get('unit')}",
        tracking_note=f"the plan implied by {named.get('span')!r} being {stated.get('span')} of it",
    )


def _folded_role(item: _Item) -> str:
    if item.role == "actual" and item.share is None:
        return "actual (not the year to date)"
    return item.role


def _place_names(items: list[_Item]) -> dict[PlaceKey, str]:
    """One written name per place: the form its records use most (the first on a tie)."""
    counts: dict[PlaceKey, Counter] = {}
    for item in items:
        if item.record.get("locality"):
            counts.setdefault(item.place, Counter())[item.record["locality"]] += 1
    names = {place: counter.most_common(1)[0][0] for place, counter in counts.items()}
    return {item.place: names.get(item.place, "") for item in items}


def _pair(target: dict | None, result: dict | None) -> str:
    if result is None:
        return ""
    if target is None or target.get("doc_id") == result.get("doc_id"):
        return "in-article"
    return "cross-article"


def _differs(a: dict, b: dict) -> bool:
    tolerance = float(load_rules("tracking")["value_tolerance"])

    def close(x, y):
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-12)

    return not (close(a.get("norm_value"), b.get("norm_value")) and close(a.get("value_max"), b.get("value_max"))
                and (a.get("comparator") or "=") == (b.get("comparator") or "="))


def _where(record: dict) -> str:
    return f"{record.get('span')} ({record.get('doc_id')})"


def _disagreements(target, actual, verdict: Verdict, targets, results, stated, lower, share) -> list[str]:
    out = []
    if target is not None:
        for other in targets:
            if other is not target and _comparable(other.record, target.record) and _differs(other.record, target.record):
                out.append(f"another target: {_where(other.record)} against {_where(target.record)}")
    if actual is not None:
        for other in results:
            if (other is not actual and other.share == actual.share and _comparable(other.record, actual.record)
                    and _differs(other.record, actual.record)):
                out.append(f"another result: {_where(other.record)} against {_where(actual.record)}")
    if stated is not None and verdict.ratio_source == "computed":
        by_plan = judge(None, None, stated, lower, share)
        if by_plan.verdict != verdict.verdict:
            out.append(f"the stated {_where(stated)} of the plan says {by_plan.verdict}; the figures say {verdict.verdict}")
    return out
