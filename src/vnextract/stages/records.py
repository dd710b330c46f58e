"""Stage 6: quantities → indicator records (SPEC §2).

Walks a document's sentences in order, carrying what a reader carries: the
target/actual scope opened by a cue ("phấn đấu:" … every item of the list),
the last period named, the last indicator (for "…, tăng 7% so với cùng kỳ"),
the locality of the paragraph. Only sentences that hold a quantity are
word-tokenised. The others matter only for the scope and period they hand
on, so their cues are read on syllables, and only back from the next
sentence with a quantity to the nearest one that has a cue; the walk stops
at the document's last quantity.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, fields
from functools import lru_cache

import regex

from . import cues as cue_stage
from . import evidence
from .candidates import indicator_candidates, status_features, year_candidates
from .cues import TokenView
from .decisions import Candidates, Model
from ..inputs.metadata import DocumentMeta
from ..folding import fold_locality, fold_text
from .indicators import (after_possession_verb, breakdown_item, clause_opens_with_cues, contribution_name,
                         count_named_by_noun, dateline_end, indicator_id, left_phrase, lexicon_phrase_before, list_head,
                         measure_after_count, measure_of_place_set, named_after, names_a_kind, names_contribution,
                         names_contributor_only, names_no_indicator, names_share_only, names_what_is_counted, only_counts,
                         nearest_words, opens_with_count_head, opens_with_head, opens_with_measure, ranked_measure,
                         respective_names, restates_measure, right_phrase, says_respectively, share_word_of_previous,
                         subject_before_with, subject_of_bare_measure, subject_of_clause_before, verb_before_amount,
                         with_contribution_named, with_sector_head, without_share_head)
from .localities import (Place, after_reform, breaks_down, country_owns, find_places, foreign_owns, in_merged_list, is_former,
                         places_and_named, subject, with_provinces)
from .periods import (Period, find_periods, first_year, is_part_of_year, names_a_body, names_a_list, names_calendar_year,
                      year_in_name)
from .quantities import Quantity, find_quantities
from ..rules import WORD_END, WORD_START, load_rules, phrase_alternation
from .segmentation import Sentence, iter_sentences, tokenize
from .tables import Table, TableValue, find_tables, table_values
from .units import scales


@dataclass(slots=True)
class Record:
    doc_id: str
    start: int
    end: int
    span: str
    value: float
    value_max: float | None
    unit: str
    norm_value: float
    norm_unit: str
    indicator: str
    indicator_id: str | None
    status: str
    kind: str
    direction: str | None
    comparator: str
    baseline: str | None
    period: str | None
    year: int | None
    locality: str | None
    sentence: str
    # The chance that status and indicator are both right, from the model (None when the rules alone decide).
    confidence: float | None = None
    # The provinces that hold `locality`, before and after the 2025 reorganisation
    # (stages/localities.with_provinces): not SPEC columns, not scored.
    province: str | None = None
    province_2025: str | None = None
    # Where the decisions came from (stages/evidence.py): not a SPEC column, kept in JSONL and the API.
    evidence: dict | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        """The SPEC fields as a plain dict, then `evidence`."""
        row = {name: getattr(self, name) for name in FIELDS}
        row["evidence"] = self.evidence
        return row


FIELDS = [f.name for f in fields(Record) if f.name != "evidence"]


@dataclass(slots=True)
class _Carried:
    """What one sentence hands to the next."""

    status: str = "actual"
    period: Period | None = None
    year: int | None = None
    indicator: str = ""
    # Which came later, the last status cue or the last period: a cue said
    # after a plan's year ("…vào năm 2025. … hiện đã có …") outweighs that year.
    status_is_newer: bool = False
    status_cued: bool = False  # whether any cue set `status` yet (else it is the default)
    calendar_year: int | None = None  # the year of the last phrase that named one calendar year ("năm 2023")
    status_end: int = -1  # where the sentence whose cue set `status` ends
    status_opens_list: bool = False  # that sentence ends with a colon: a list of items follows
    status_year: int | None = None  # the last year that sentence names: the plan's, when its cue set a plan's scope
    item_head: str = ""  # "- Cơ cấu tổng sản phẩm …:" ending a line: the measure of the bulleted lines after it
    item_bullet: str = ""  # the mark those lines open with


@dataclass(slots=True)
class _DocumentContext:
    """What every sentence of one document shares."""

    doc_id: str
    text: str
    places: list[Place]
    main_place: str | None
    published: int | None
    named_year: int | None = None  # the year the document's name is about ("…-ket-qua-2024"), for values the text dates nowhere
    section_place: str | None = None
    main_place_note: str = "subject"  # evidence for the default locality: "metadata" when the sheet gave it
    model: Model | None = None  # decides status, year and indicator over the rules' candidates; None: the cascade
    collect: list | None = None  # when given, every quantity's candidates are appended (training data)
    cascade_indicator: str = ""  # the cascade's phrase for the last value: what the next one inherits
    # The place the last record's sentence named, and where that sentence ends: "Trong đó, …" right after it breaks its figure down.
    last_place: tuple[Place, int] | None = None


@dataclass(slots=True)
class _SentenceContext:
    """One sentence that holds quantities, with its tokens and cues."""

    sentence: Sentence
    view: TokenView
    status_cues: list
    periods: list[Period]  # its own time phrases, baselines left out
    all_periods: list[Period]  # baselines too ("so với cùng kỳ năm 2023 (35,4 triệu USD)")
    skip: frozenset[int]  # tokens of time phrases and places: never part of an indicator
    values: frozenset[int]  # tokens of its quantities
    ranges: list  # [first, after) tokens of each quantity, in order
    breakdowns: dict = field(default_factory=dict)  # norm_unit -> the measure a breakdown of the sentence opened on


def build_records(doc_id: str, text: str, meta: DocumentMeta = DocumentMeta(), model: Model | None = None,
                  collect: list | None = None) -> list[Record]:
    """All records of one document, in text order; `meta` supplies the
    subject locality and the publication year where the text lacks them.
    `model` decides status, year and indicator (None: the rules' cascade);
    `collect` receives the candidates of every figure of the prose (each
    with its `start`; figures read from tables have none)."""
    periods = find_periods(text)
    tables = find_tables(text)  # their cells are read by column (stages/tables.py), never as prose
    quantities = find_quantities(text, excluded=[(p.start, p.end) for p in periods] + [(t.start, t.end) for t in tables])
    tables = [t for t in tables if t.has_figures]
    if not quantities and not tables:
        return []
    after = after_reform(text, meta)
    places, named = places_and_named(text, doc_id.rsplit("/", 1)[-1], meta, after)
    doc = _DocumentContext(doc_id, text, places, _main_place(text, places, meta, named, after), meta.year,
                           named_year=year_in_name(doc_id.rsplit("/", 1)[-1]),
                           main_place_note="metadata" if meta.locality else "subject", model=model, collect=collect)
    from_tables = _table_records(doc, tables, periods)
    if not quantities:
        return with_provinces(from_tables, places, doc.main_place, after)
    headings = _heading_places(text, places)
    carried = _Carried()
    between: list[tuple[Sentence, list[Period], int]] = []  # sentences without figures since the last one, framed
    records: list[Record] = []
    pending = list(reversed(quantities))
    pending_periods = list(reversed(periods))
    for sentence in iter_sentences(text, [(q.start, q.end) for q in quantities]):
        if carried.item_head and _line_bullet(text, sentence.start) != carried.item_bullet:
            carried.item_head = carried.item_bullet = ""
        in_sentence = _starting_in(pending, sentence)
        sentence_periods = _starting_in(pending_periods, sentence)
        frame = _frame_start(text, sentence.start)
        # "Theo báo cáo tại Đại hội … nhiệm kỳ 2025-2030, tốc độ tăng trưởng …": the source's name holds that time
        own_periods = [p for p in sentence_periods if not p.is_baseline
                       and not (p.end <= frame and names_a_body(text, sentence.start, p))
                       and not names_a_list(text, sentence.start, p)
                       and not _names_an_event(text, sentence, p)]
        heading = headings.get(text.rfind("\n", 0, sentence.start) + 1) if headings else None
        if heading is not None:
            doc.section_place = heading
        if not in_sentence:
            between.append((sentence, own_periods, frame))
            _open_item_head(carried, text, sentence, None, own_periods)
            continue
        _carry_between(carried, text, between, doc.published)
        between.clear()
        text_periods = _text_periods(text, own_periods, in_sentence, sentence.start)
        _turn_back_from_plan(carried, text_periods, frame, doc.published)
        spans = [(p.start, p.end) for p in sentence_periods]
        spans += [(p.start, p.end) for p in _places_within(places, sentence.start, sentence.end) if not p.in_phrase]
        if (dateline := dateline_end(text, sentence.start, sentence.end)) is not None:
            spans.append((sentence.start, dateline))
        edges = [x for span in [*spans, *((q.start, q.end) for q in in_sentence)] for x in span]
        view = TokenView(tokenize(text, sentence.start, sentence.end, edges))
        ranges = [view.token_range(q.start, q.end) for q in in_sentence]
        context = _SentenceContext(
            sentence,
            view,
            cue_stage.status_cues(view, ranges, _place_opening(view, places, sentence.start, sentence.end)),
            own_periods,
            sentence_periods,
            frozenset(i for start, end in spans for i in range(*view.token_range(start, end))),
            frozenset(i for first, after in ranges for i in range(first, after)),
            ranges,
        )
        floor = 0
        item_before = None  # the last record of the sentence outside a parenthesis: the list item before
        outside_by_unit: dict[str, Record] = {}  # the same, per unit
        previous = compared = None  # the sentence's last figure before this one, and the one before that
        outside_indicator = carried.indicator  # what the last figure outside brackets measured
        for k, (quantity, (first, after)) in enumerate(zip(in_sentence, ranges)):
            ceiling = ranges[k + 1][0] if k + 1 < len(ranges) else len(view.tokens)
            in_aside = cue_stage.aside_for(view, first) is not None
            if not in_aside:
                carried.indicator = outside_indicator  # "(chiếm tỷ trọng 99%), tăng [21,3%]": the aside's measure ends
            records.append(_record(doc, context, quantity, first, after, floor, ceiling, carried, previous, item_before,
                                   outside_by_unit.get(quantity.norm_unit), compared))
            floor = after
            if quantity.no_record:
                continue  # "[13 tỉnh] khu vực … đạt 8,4 tỷ USD": no figure, so nothing for the next to take
            previous, compared = records[-1], previous
            carried.indicator = doc.cascade_indicator
            if not in_aside:
                item_before = outside_by_unit[quantity.norm_unit] = records[-1]
                outside_indicator = carried.indicator
        if len(in_sentence) > 1 and says_respectively(sentence.text):
            _pair_respectively(doc.text, records[len(records) - len(in_sentence) :])
            carried.indicator = records[-1].indicator
        elif len(in_sentence) > 1:
            _pair_coordinated(doc.text, records[len(records) - len(in_sentence) :])
        if not pending:
            break  # what follows the last figure sets nothing any record reads
        _open_item_head(carried, text, sentence, view, sentence_periods)
        cues = cue_stage.outside_other_asides(view, context.status_cues)
        # an estimate, or a horizon ("đến năm 2025"), leaves in force what it made of the sentence's last value;
        # so does what that value is compared with ("phấn đấu … tăng 4,18% so với cùng kỳ.")
        estimated = records[-1].status if records and (cue_stage.estimate_before(view, cues) is not None
                                                       or cues and cue_stage.is_horizon(view, cues[-1])
                                                       or _compares_last_value(view, cues, ranges)) else None
        if _is_caption(text, sentence):
            continue  # a photo's caption stands beside the text: it leaves no scope and no time
        if not _is_headline(text, sentence):
            _carry_status(carried, cues, sentence_end(text, sentence), estimated, text_periods)
        _carry_period(carried, [p for p in text_periods if not _dates_a_clause_after(text, p, in_sentence[-1].end)],
                      frame)
    if any(q.no_record for q in quantities):
        policy = {q.start for q in quantities if q.no_record}
        records = [r for r in records if r.start not in policy]  # read as figures above, reported as none
    if from_tables:
        records = sorted(records + from_tables, key=lambda r: r.start)
    return with_provinces(records, places, doc.main_place, after)


_BETWEEN_LISTED = regex.compile(r"\s*(?:[-–,;]|và)\s*")


def _pair_respectively(text: str, records: list[Record]) -> None:
    """"khu vực I - II - III tương ứng là 40,97% - 16,18% - 39,77%": the values
    of a run joined only by dashes, commas or "và" take the names the first
    run's first value was given, in order; a later run of as many values (its
    plan: "(chỉ tiêu nghị quyết là 41,42% - 16,84% - 38,56%)") takes them too."""
    names = None
    for run in _runs(text, records, _BETWEEN_LISTED):
        if len(run) < 2:
            continue
        if names is None:
            names = respective_names(run[0].indicator, len(run)) or respective_names(
                _named_before_with(run[0].sentence), len(run)) or _names_of_values_before(records, run)
            if names is None:
                return
        if len(run) == len(names):
            _name_in_order(run, names, "respectively")


def _runs(text: str, records: list[Record], joiner: regex.Pattern,
          together=lambda first, record: True) -> list[list[Record]]:
    """The records split into runs of values only `joiner` stands between
    (and that `together` keeps with the run's first)."""
    runs, run = [], [records[0]]
    for prev, record in zip(records, records[1:]):
        if joiner.fullmatch(text, prev.end, record.start) and together(run[0], record):
            run.append(record)
        else:
            runs.append(run)
            run = [record]
    runs.append(run)
    return runs


def _name_in_order(run: list[Record], names: list[str], note: str) -> None:
    for record, name in zip(run, names):
        record.indicator, record.indicator_id = name, indicator_id(name)
        record.evidence["indicator"] = evidence.absent(note)


def _names_of_values_before(records: list[Record], run: list[Record]) -> list[str] | None:
    """"khu vực I chiếm 25,96%; khu vực II chiếm 22,26%; khu vực III chiếm 41,19%
    (cơ cấu tương ứng của năm 2018 là 26,69%; 21,63%; 41,27%)": a run that names
    nothing takes, in order, the names of as many values of its sentence before
    it, each named differently."""
    before = records[: records.index(run[0])][-len(run) :]
    names = [r.indicator for r in before]
    if len(before) < len(run) or None in names or len({fold_text(n) for n in names}) < len(names):
        return None
    return names


_JOINED_BY_AND = regex.compile(r"\s*,\s*|\s+và\s+")


def _pair_coordinated(text: str, records: list[Record]) -> None:
    """"tổng lượt khách và doanh thu du lịch … với 44 triệu lượt khách và 190.000
    tỷ đồng": values joined by commas and a last "và" that were all given one
    phrase naming as many things joined the same way take those names in order,
    as with "tương ứng" (a coordination answered by a coordination)."""
    for run in _runs(text, records, _JOINED_BY_AND, lambda first, record: record.indicator == first.indicator):
        if len(run) > 1 and text[run[-2].end : run[-1].start].strip() == "và" and " và " in (run[0].indicator or ""):
            names = respective_names(run[0].indicator, len(run))
            if names is not None:
                _name_in_order(run, names, "coordinated")


# "Cơ cấu kinh tế công nghiệp – dịch vụ - nông nghiệp với tỉ trọng tương ứng 63,99% - …": the names before "với"
_NAMES_BEFORE_WITH = regex.compile(r"(?:^|[,;:])[ \t]*(?:([^,;:()]+?)[ \t]*:)?[ \t]*([^,;:()]+?)[ \t]+với[ \t]+[^,;:()]{0,40}?"
                                   r"(?:tương[ \t]+ứng|lần[ \t]+lượt)", regex.IGNORECASE)


def _named_before_with(sentence: str) -> str:
    """The phrase before "với …tương ứng" in a sentence: the names a measure word after "với" lists
    (not places: "Bắc Giang và Hải Phòng với mức tăng lần lượt là …" are the values' localities),
    after the heading they are items of ("cơ cấu kinh tế: Công nghiệp - dịch vụ - … với tỉ trọng …")."""
    m = _NAMES_BEFORE_WITH.search(sentence or "")
    if not m or find_places(m.group(2)):
        return ""
    return f"{m.group(1)} {m.group(2)}" if m.group(1) else m.group(2)


_BULLETS = "+-–*•"
_BLANKS = regex.compile(r"\s*")


def _line_bullet(text: str, start: int) -> str:
    """The bullet mark a line opening at `start` begins with, or ""."""
    line = text.rfind("\n", 0, start) + 1
    if text[line:start].strip():
        return ""  # not at the line's start
    first = text[start : start + 1]
    return first if first and first in _BULLETS else ""


def _open_item_head(carried: _Carried, text: str, sentence: Sentence, view: TokenView | None,
                    periods: list[Period]) -> None:
    """"- Cơ cấu tổng sản phẩm trên địa bàn theo giá hiện hành:" ending its
    line, the next lines opening with another bullet ("+ Nông, lâm nghiệp …
    chiếm 26,38%"): its measure heads their values, while they last."""
    body = text[sentence.start : sentence.end].rstrip()
    if not body.endswith(":"):
        return
    after = sentence.start + len(body)
    line_end = text.find("\n", after)
    if text[after : len(text) if line_end < 0 else line_end].strip():
        return  # the colon does not end its line
    nxt = _BLANKS.match(text, after).end()
    bullet = _line_bullet(text, nxt) if nxt < len(text) else ""
    if not bullet or bullet == _line_bullet(text, sentence.start):
        return
    if view is None:
        view = TokenView(tokenize(text, sentence.start, sentence.end, []))
    colon = max((i for i, t in enumerate(view.tokens) if t.text == ":"), default=None)
    if colon is None:
        return
    times = frozenset(i for i, t in enumerate(view.tokens) if any(p.start <= t.start < p.end for p in periods))
    head = list_head(view, colon, times)
    if head and opens_with_head(head):
        carried.item_head, carried.item_bullet = head, bullet


def _starting_in(pending: list, sentence: Sentence) -> list:
    """Take off the end of `pending` (items in reverse text order) those that
    start before the sentence ends; keep the ones that start inside it."""
    inside = []
    while pending and pending[-1].start < sentence.end:
        item = pending.pop()
        if item.start >= sentence.start:
            inside.append(item)
    return inside


def _place_opening(view, places: list[Place], start: int, end: int) -> int | None:
    """The token after a place the sentence opens on ("Xã Nghĩa Hành sau khi …"), or None."""
    first = next((p for p in _places_within(places, start, end) if not p.in_phrase), None)
    if first is None or first.start - start > 1 or first.national or first.foreign or first.region:
        return None
    return view.token_range(first.start, first.end)[1]


def _places_within(places: list[Place], start: int, end: int) -> list[Place]:
    """Places (sorted, not overlapping) that lie wholly in [start, end)."""
    k = bisect_left(places, start, key=lambda p: p.start)
    found = []
    while k < len(places) and places[k].start < end:
        if places[k].end <= end:
            found.append(places[k])
        k += 1
    return found


def _record(doc: _DocumentContext, ctx: _SentenceContext, quantity: Quantity, first: int, after: int, floor: int,
            ceiling: int, carried: _Carried, previous: Record | None = None, item_before: Record | None = None,
            unit_before: Record | None = None, compared: Record | None = None) -> Record:
    """One record; the quantity is tokens [first, after), between the previous
    quantity's end (`floor`) and the next one's start (`ceiling`); `previous`
    is the record of the value before it in its sentence (`compared`, the one
    before that), `item_before` the
    last one outside a parenthesis (the list item before it), `unit_before`
    the last one outside a parenthesis in the quantity's unit."""
    view = ctx.view
    kind, direction = cue_stage.change_for(view, first, after, quantity.is_count)
    aside = cue_stage.aside_for(view, first)
    aside_kind = "plan" if quantity.plan_pair else _aside_kind(doc.text, ctx, aside, first, after)
    list_item = previous is not None and cue_stage.is_bare_list_item(view, first)
    kind_from = None  # evidence of a kind no cue word said
    if previous is not None and previous.kind == "change" and cue_stage.restates_in_brackets(view, aside, first, after) \
            and not doc.text[previous.end:view.tokens[aside.open].start].strip():
        kind, direction = previous.kind, previous.direction  # the change before the brackets, in another unit
        kind_from = evidence.absent("inherited")
    elif not cue_stage.has_kind_cue(view, first):
        sign = _sign(doc.text, quantity)
        if sign is not None:
            direction, sign_start, sign_end = sign  # "dệt (+6,1%)", "tăng trưởng GRDP -15,31%"
            kind, kind_from = "change", evidence.at(doc.text, sign_start, sign_end, "sign")
        elif (model_of := (compared if _gap_to_plan(view, previous, aside) else previous) if aside_kind == "plan"
              else item_before if list_item else None) is not None \
                and _reads_like(model_of, quantity):
            kind, direction = model_of.kind, model_of.direction
            kind_from = evidence.absent("inherited")
    proposals: list = []
    indicator = _indicator(view, quantity, first, after, floor, ctx, kind, carried, aside_kind, aside, proposals,
                           unit_before, previous is not None and previous.norm_unit == "count")
    if (broken := _breakdown(view, quantity, first, floor, ctx, unit_before, list_item, indicator)):
        indicator = " ".join(broken)  # "…, gồm: Lạc [5 ha], khoai lang 5 ha": a kind of what was broken down
        proposals.append(("breakdown", indicator))
    elif previous is not None and previous.norm_unit == "count" and (measure := measure_after_count(view, first, floor)):
        indicator = f"{measure} {previous.indicator}"  # "hỗ trợ 325 mô hình với tổng kinh phí [8,8 tỷ đồng]"
        proposals.append(("measure_of_count", indicator))
    elif previous is not None and (list_item or _is_name(indicator)) \
            and (headed := _with_item_head(previous.indicator, indicator)) != indicator:
        indicator = headed
        proposals.append(("item_head", indicator))
    elif previous is not None and (shared := with_sector_head(previous.indicator, indicator)) != indicator:
        indicator = shared  # "Giá trị sản xuất ngành nông nghiệp …; [công nghiệp] …": the same measure of another sector
        proposals.append(("sector_head", indicator))
    elif previous is not None and names_share_only(indicator) and not names_share_only(previous.indicator) and (
            previous.norm_unit == "count"
            or aside is not None and not doc.text[previous.end : view.tokens[aside.open].start].strip()):
        # "có 42/82 xã đạt chuẩn …, chiếm tỷ lệ [51%]", "ước đạt 255,8 nghìn tỷ đồng (chiếm tỷ trọng [99%])"
        indicator = f"{indicator} {previous.indicator}"
        proposals.append(("share_of_previous", indicator))
    own_period = _period_for(quantity, _not_the_start_points(doc.text, view, ctx.periods, previous),
                             doc.text, ctx.sentence.start)
    period = own_period or carried.period
    earlier = _earlier_year(ctx.periods, own_period, doc.text)
    year = _year_of(period, carried, doc.published, earlier, doc.named_year)
    # The name's year dates a value but says nothing of whether it is a plan or a result.
    status_year = year if doc.named_year is None else _year_of(period, carried, doc.published, earlier)
    if period is not None and period.is_checkpoint:
        status_year = None  # "Ước thực hiện giải ngân đến ngày 31/01/2026": a day counted to, no plan's horizon
    years = [("own", own_period.year if own_period is not None else None), ("earlier", earlier),
             ("carried", carried.year), ("published", doc.published), ("named", doc.named_year),
             ("sentence", next((p.year for p in ctx.periods if p.year is not None), None))]
    if own_period is not None and own_period.rule == "year_range" and cue_stage.starts_a_change(view, first, after) \
            and (start_year := first_year(own_period.text)) is not None:
        year = start_year  # "Từ năm 2016 - 2019, tỷ lệ hộ nghèo giảm từ [50,41%] xuống còn 19,59%": where 2016 stood
        years.append(("range_start", year))
    if aside_kind == "comparison":
        year = _compared_year(ctx, view, aside, quantity, year)
        years.append(("compared", year))
    elif kind == "level" and _same_period_after(view, after) and not cue_stage.states_ratio(view, first):
        # "thấp hơn mức tăng [5,75%] cùng kỳ năm 2016", "mức tăng [10,5%] của cùng kỳ năm trước": the
        # value is the compared period's
        year = _year_named_after(ctx, quantity, year)
        years.append(("compared", year))
    in_reach = cue_stage.outside_other_asides(view, ctx.status_cues, aside)  # cues of its sentence not in other asides
    before = [c for c in in_reach if c.last < first]
    scope = _scope_distance(doc.text, carried, ctx.sentence.start)
    plan_cue = None if aside_kind == "plan" else (cue_stage.states_plan_value(view, first, floor)
                                                  or cue_stage.plan_named_after(view, first, after))
    if aside_kind == "plan":
        # "(KH 10-11%)"; "được 60,46/[60 triệu] đạt 100,8%": the plan the result before the slash is written over
        if quantity.plan_pair or aside is None:
            slash = doc.text.rfind("/", 0, quantity.start)
            status_from = evidence.at(doc.text, slash, slash + 1, "plan_pair")
        else:
            status_from = evidence.aside_cue(doc.text, view, aside)
        status, rung = "target", "aside_plan"
    elif plan_cue:
        status, status_from, rung = "target", evidence.cue_at(doc.text, view, plan_cue), "plan_value"
    elif aside_kind == "comparison":
        status, status_from, rung = "actual", evidence.aside_cue(doc.text, view, aside), "comparison"
    elif (estimate := cue_stage.estimate_before(view, before)) is not None:
        # an estimate of a year still to come is a plan; of the year under way or past, a result
        future = _status_by_year(status_year, doc.published) == "target"
        planned = None if future else cue_stage.plan_before_estimate(view, before, estimate)
        if planned is not None and own_period is not None and own_period.start > view.tokens[planned.first].start:
            planned = None  # "… mục tiêu đến năm 2025 …, dự kiến đến cuối năm 2019 có thêm [2 xã]": its own time
        # an item of a list of plans ("Một số chỉ tiêu chủ yếu …, như sau: … 6. Tổng vốn đầu tư dự kiến huy động
        # [31.490 tỷ đồng]") estimates what the plan sets, not a result
        listed = own_period is None and carried.status == "target" and scope == "list"
        status = "target" if future or planned or listed else "actual"
        status_from, rung = evidence.cue_at(doc.text, view, planned or estimate), "estimate"
    elif before and cue_stage.is_horizon(view, before[-1]) and (
            _status_by_year(status_year, doc.published) == "actual"
            or status_year is not None and status_year == doc.published and len(before) == 1
            and carried.status == "actual" and carried.status_cued):
        # "Lũy kế đến năm 2021 có 32/32 xã …" written in 2022: the horizon is past, the count a result; "Trong
        # nhiệm kỳ vừa qua, … Quy mô nền kinh tế đến năm 2025 đạt …" written in 2025, among results, no plan word
        # before it: the year under way (SPEC §2)
        status, status_from, rung = "actual", evidence.cue_at(doc.text, view, before[-1]), "past_horizon"
    elif before:
        status, status_from, rung = before[-1].label, evidence.cue_at(doc.text, view, before[-1]), "cue"
    elif carried.status == "target" \
            and (own_period is None and not _plans_a_coming_year(carried.period, doc.published)
                 or own_period is not None and _status_by_year(status_year, doc.published) != "target") \
            and cue_stage.reports_results(view, ctx.ranges, in_reach, after, beside_plan_only=scope == "list"):
        # "…, đạt [49,7%] kế hoạch, bằng 101% so với cùng kỳ": the sentence reports results, a plan's scope ends
        status, status_from, rung = "actual", evidence.absent("sentence"), "sentence"
    elif own_period is None and carried.status_is_newer:
        status, status_from, rung = carried.status, evidence.absent("inherited"), "inherited_newer"
    elif own_period is not None and carried.status == "target" and _status_by_year(status_year, doc.published) is None \
            and scope == "paragraph" and _names_a_time(own_period):
        # a new paragraph that names a period under way reports it: a plan's scope does not reach it
        status, status_from, rung = "actual", evidence.absent("paragraph"), "paragraph"
    else:
        by_year = _status_by_year(status_year, doc.published)
        status = by_year or carried.status
        rung = "year" if by_year else "inherited" if carried.status_cued else "default"
        status_from = evidence.absent(rung)
    year = _result_year(status, year, doc.published)
    probabilities = None
    doc.cascade_indicator = indicator
    if doc.model is not None or doc.collect is not None:
        found = Candidates(
            status=status_features(view, first, after, floor, in_reach,
                                   rung=rung, cascade=status, aside_kind=aside_kind, plan_value=plan_cue is not None,
                                   carried_status=carried.status, carried_cued=carried.status_cued,
                                   carried_newer=carried.status_is_newer, own_period=own_period, year=year,
                                   published=doc.published,
                                   carried_from=scope),
            start=quantity.start, cascade_year=year, cascade_indicator=indicator)
        found.years = year_candidates(years, cascade=year, status=status, published=doc.published, own_period=own_period,
                                      own_right_after=own_period is not None and own_period.start >= quantity.end
                                      and bool(_PERIOD_RIGHT_AFTER.fullmatch(doc.text[quantity.end:own_period.start])))
        found.indicators = indicator_candidates(proposals, cascade=indicator, unit=quantity.unit,
                                                norm_unit=quantity.norm_unit, is_count=quantity.is_count, kind=kind,
                                                list_intro=_list_intro(view, first))
        if doc.collect is not None:
            doc.collect.append(found)
    if doc.model is not None:
        new_status, year, indicator, probabilities = doc.model.decide(found)
        if new_status != status:
            status, status_from = new_status, _status_evidence(doc.text, view, before, new_status)
        year = _result_year(status, year, doc.published)
    place = _locality_for(doc.text, quantity, ctx.sentence, doc.places)
    if place is None and doc.last_place is not None and breaks_down(doc.text, doc.last_place[1], ctx.sentence.start):
        place = doc.last_place[0]
    doc.last_place = (place, ctx.sentence.end) if place is not None else None
    record = Record(
        doc_id=doc.doc_id,
        start=quantity.start,
        end=quantity.end,
        span=quantity.span,
        value=quantity.value,
        value_max=quantity.value_max,
        unit=quantity.unit,
        norm_value=quantity.norm_value,
        norm_unit=quantity.norm_unit,
        indicator=indicator,
        indicator_id=indicator_id(indicator),
        status=status,
        kind=kind,
        direction=direction,
        comparator=cue_stage.comparator_for(view, first, after, floor),
        baseline=cue_stage.baseline_for(view, first, after, ceiling),
        period=period.text if period is not None else None,
        year=year,
        locality=place.locality if place is not None else doc.section_place or doc.main_place,
        sentence=ctx.sentence.text,
    )
    record.evidence = {
        "indicator": evidence.indicator(doc.text, ctx.sentence, quantity.start, quantity.end, indicator,
                                        carried.indicator, quantity.unit),
        "status": status_from,
        "kind": kind_from or evidence.kind(doc.text, view, first, after, kind),
        "comparator": evidence.comparator(doc.text, view, first, after, record.comparator),
        "period": evidence.period(doc.text, own_period, period),
        "locality": evidence.locality(doc.text, place, doc.section_place, doc.main_place_note),
    }
    if probabilities is not None:
        record.confidence = doc.model.confidence(probabilities)
    record.evidence["confidence"] = evidence.confidences(probabilities)
    return record


def _scope_distance(text: str, carried: _Carried, start: int) -> str:
    """How far back the carried scope was set: "list" (a sentence ending with a
    colon), "line" (the same paragraph), "paragraph" (an earlier one), "none"."""
    if not carried.status_cued or carried.status_end < 0:
        return "none"
    if carried.status_opens_list:
        return "list"
    return "paragraph" if text.find("\n", carried.status_end, start) >= 0 else "line"


def _status_evidence(text: str, view, before: list, status: str) -> dict:
    """The nearest cue before the value that says the status the model chose, else a note."""
    cue = next((c for c in reversed(before) if c.label == status), None)
    return evidence.cue_at(text, view, cue, "model")


def _is_name(phrase: str) -> bool:
    """A phrase of capitalised words only ("Thái Lan"; not an acronym such as
    "GRDP", nor a lexicon indicator): a name, not what is measured."""
    words = phrase.split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() and not w.isupper() for w in words) and not indicator_id(phrase)


def _breakdown(view, quantity: Quantity, first: int, floor: int, ctx: _SentenceContext,
               unit_before: Record | None, list_item: bool, item: str) -> tuple[str, str] | None:
    """The measure an amount's item is a kind of, and the kind, or None: after a breakdown's
    opener, the measure of the last amount in the same unit before it in the
    clause ("diện tích dân tự chuyển đổi là 22 ha, gồm: [Lạc] 5 ha"), else the
    phrase before the opener ("Diện tích canh tác hiện gồm [lúa] 1.974 ha");
    a bare list item after such an item takes the same measure ("…, [màu]
    1.086 ha"). The measure opens on a head word; the item names a kind only."""
    if quantity.is_count or quantity.norm_unit in ("%", "pp", "times"):
        return None
    found = breakdown_item(view, first, floor, ctx.skip)
    if found is None:
        measure = ctx.breakdowns.get(quantity.norm_unit, "") if list_item and names_a_kind(item) else ""
        return (measure, item) if measure and fold_text(measure) not in fold_text(item) else None
    opener, item = found
    tokens = view.tokens
    after_unit_before = view.token_range(unit_before.start, unit_before.end)[1] if unit_before is not None else None
    if after_unit_before is not None and not any(tokens[i].text in ";:." for i in range(after_unit_before, opener)):
        measure = unit_before.indicator
    else:
        measure = left_phrase(view, opener, floor, ctx.skip, ctx.values)
    if not opens_with_measure(measure) or fold_text(measure) in fold_text(item):
        return None
    ctx.breakdowns[quantity.norm_unit] = measure
    return measure, item


def _with_item_head(previous: str, item: str) -> str:
    """"thị trường Hàn Quốc tăng 20,3%, [Nhật Bản] 8%": a list item that is a
    bare name takes the common noun the item before it put before its name."""
    words = previous.split()
    k = next((i for i, w in enumerate(words) if w[:1].isupper()), None)
    if not k or k > 6 or not item[:1].isupper() or not all(w[:1].isupper() for w in item.split()):
        return item
    head = " ".join(words[:k])
    return item if head.lower() in item.lower() else f"{head} {item}"


_SIGN = regex.compile(r"[-−]|âm(?!\w)", regex.IGNORECASE)


def _sign(text: str, quantity: Quantity) -> tuple[str, int, int] | None:
    """A signed figure is a change: "-15,31%" or "âm 2%" down (the sign is in
    the span), "+6,1%" up (the "+" stands before it); with where the sign is written."""
    if quantity.number.negative:
        sign = _SIGN.search(quantity.span)  # it opens the span, or follows a currency prefix ("USD -0,5")
        if sign is None:
            return "down", quantity.start, quantity.end
        return "down", quantity.start + sign.start(), quantity.start + sign.end()
    if text[max(0, quantity.start - 1) : quantity.start] == "+":
        return "up", quantity.start - 1, quantity.start
    return None


def _gap_to_plan(view: TokenView, previous: Record | None, aside) -> bool:
    """"chiếm 35,1%, thấp hơn 0,4% so với chỉ tiêu UBND tỉnh giao ([35,5%])":
    the value before the brackets is the gap to the plan they give, which is
    the plan of the value compared, not of the gap."""
    if previous is None or previous.kind != "change" or aside is None:
        return False
    at = view.token_range(previous.start, previous.end)[1]
    if at >= aside.open:
        return False
    rules = cue_stage.cue_rules()
    introducer = rules.baseline_introducers.starting_at(view, at, aside.open - 1)
    return introducer is not None and rules.plan_words.starting_at(view, introducer.last + 1) is not None


def _reads_like(previous: Record | None, quantity: Quantity) -> bool:
    """A value with no kind word of its own is a change like the value before
    it when it is the plan of that value ("tăng 7,78% (kế hoạch từ [7%] trở
    lên)") or the next item of its list ("Hà Nội tăng 5,97%; Đà Nẵng [3,74%]"),
    in the same unit."""
    return previous is not None and previous.kind == "change" and previous.norm_unit == quantity.norm_unit


def _year_of(period: Period | None, carried: _Carried, published: int | None, earlier: int | None = None,
             named: int | None = None) -> int | None:
    """The period's end year; "đến nay" is the year of publication; a phrase
    without a year takes the year in force — an earlier phrase of the same
    sentence ("Nhiệm kỳ 2025-2030, … hàng năm đạt …"), else the one carried
    (for a part of a year, "6 tháng đầu năm", the last calendar year named,
    not a plan's horizon) — and at last the year the document's name is
    about ("…-ket-qua-2024", published in 2025), else the article's year."""
    if period is not None and period.year is not None:
        return period.year
    if period is not None and period.is_present and published is not None:
        return published
    if earlier is not None:
        return earlier
    in_force = carried.calendar_year if period is not None and is_part_of_year(period) else carried.year
    if in_force is not None:
        return in_force
    return named if named is not None else published


def _plans_a_coming_year(period: Period | None, published: int | None) -> bool:
    """The plan in force is for a calendar year still to come ("giao chỉ tiêu …
    năm 2025", written in December 2024): no result of that year can be
    reported yet, whatever the sentence compares it with ("tăng 6,57% so với
    cùng kỳ"); unlike a horizon ("đến năm 2025"), which results often follow."""
    return period is not None and names_calendar_year(period) and _status_by_year(period.year, published) == "target"


def _names_a_time(period: Period) -> bool:
    """A period that dates its value (a year, a part of one, "đến nay"), not a
    recurring one ("hàng năm", "mỗi năm"), which plans and results share."""
    return period.year is not None or period.is_present or is_part_of_year(period)


def _earlier_year(periods: list[Period], period: Period | None, text: str) -> int | None:
    """The year of the last time phrase with a year before `period` in its
    sentence, not an earlier list item's date."""
    if period is None or period.year is not None:
        return None
    return next((p.year for p in reversed(periods) if p.end <= period.start and p.year is not None
                 and not _item_date_before(text, p, period.start)), None)


def _aside_kind(text: str, ctx: _SentenceContext, aside, first: int, after: int) -> str:
    """What the parenthesis a value stands in says of it: "plan", "comparison"
    (also a bare value right after a compared period: "so với cùng kỳ năm
    2023 (35,4 triệu USD)"), or ""."""
    if aside is None:
        return ""
    if aside.kind:
        return aside.kind
    tokens = ctx.view.tokens
    comma = next((i for i in range(first - 1, aside.open, -1) if tokens[i].text in ",;"), None)
    if comma is not None and cue_stage.cue_rules().aside_plan.starting_at(ctx.view, comma + 1, first - 1) is not None:
        return "plan"  # "(vượt, kế hoạch [7.197 tỷ đồng])": the plan opens the value's own part of the aside
    if first == aside.open + 1 and after == aside.close:
        if cue_stage.compared_with_plan(ctx.view, aside.open):
            return "plan"  # "so với kịch bản tăng trưởng 9 tháng (12,7%)"
        paren_start = ctx.view.tokens[aside.open].start
        before = text[ctx.sentence.start : paren_start].rstrip()
        compared = [p for p in ctx.all_periods if p.is_baseline and p.end == ctx.sentence.start + len(before)]
        if compared or cue_stage.ends_with_comparison(ctx.view, aside.open):
            return "comparison"
    return ""


def _compared_year(ctx: _SentenceContext, view, aside, quantity: Quantity, year: int | None) -> int | None:
    """The year of the period compared with: named inside the aside or right
    before it ("cùng kỳ năm 2022"), else the year before the value's own."""
    opening = view.tokens[aside.open].start
    named = [p for p in ctx.all_periods if p.year is not None and (opening < p.start < quantity.start or p.end <= opening)]
    if named and (named[-1].start > opening or opening - named[-1].end <= 2):
        return named[-1].year
    return year - 1 if year is not None else None


_NAMED_AFTER = 30  # characters after a value within which the compared period's year is named


def _same_period_after(view, after: int) -> bool:
    """"mức tăng [5,75%] cùng kì năm 2016", "mức tăng [10,5%] của cùng kỳ năm
    trước": a level named as the same period's of another year (not "so với
    cùng kỳ", nor "gấp 2 lần cùng kỳ": a change and its baseline)."""
    start = after + 1 if after < len(view.tokens) and view.sylls[after] == ("của",) else after
    words = [s for i in range(start, min(start + 2, len(view.tokens))) for s in view.sylls[i]][:2]
    return [w.lower().replace("kì", "kỳ") for w in words] == ["cùng", "kỳ"]


def _year_named_after(ctx: _SentenceContext, quantity: Quantity, year: int | None) -> int | None:
    """The year of the compared period named right after a value ("cùng kỳ năm
    2016"), else the year before the value's own ("cùng kỳ năm trước")."""
    named = next((p for p in ctx.all_periods
                  if p.year is not None and 0 <= p.start - quantity.end <= _NAMED_AFTER), None)
    if named is not None:
        return named.year
    return year - 1 if year is not None else None


def _result_year(status: str, year: int | None, published: int | None) -> int | None:
    """A result is never of a year still to come (the plan year was carried
    over): its year is then the article's, whatever decided the status."""
    return published if status == "actual" and _status_by_year(year, published) == "target" else year


def _status_by_year(year: int | None, published: int | None) -> str | None:
    """Without a cue, a year after publication is a plan, one before it a result."""
    if year is None or published is None or year == published:
        return None
    return "target" if year > published else "actual"


def _main_place(text: str, places: list[Place], meta: DocumentMeta, named: str | None, after: bool = False) -> str | None:
    """The sheet's locality, written as the article writes it when it does
    ("TPHCM" for "TP Hồ Chí Minh"); else the place the article (and its file
    name) names most."""
    if meta.locality:
        wanted = _place_key(meta.locality)
        for place in places:
            if _place_key(place.locality) == wanted:
                return place.locality
        return meta.locality
    return subject(text, places, named, after)


def _place_key(locality: str) -> str:
    """Type word and name, folded; "TPHCM" = "TP. HCM" = "TP Hồ Chí Minh"."""
    folded = fold_locality(locality).replace("tphcm", "thành phố hcm")
    return folded.replace("hcm", "hồ chí minh").replace(" ", "")


def _indicator(view, quantity, first, after, floor, ctx: _SentenceContext, kind: str, carried, aside_kind: str = "",
               aside=None, proposals: list | None = None, unit_before: Record | None = None,
               previous_is_count: bool = False) -> str:
    """The cascade's indicator phrase; every phrase it weighed on the way goes
    into `proposals` as (source, phrase), for the model to weigh instead."""
    propose = proposals.append if proposals is not None else (lambda item: None)
    skip = ctx.skip
    left = left_phrase(view, first, floor, skip, ctx.values)
    propose(("left", left))
    if left and (names_no_indicator(left)
                 or quantity.norm_unit != "pp" and carried.indicator and names_contributor_only(left)):
        left = ""  # "Nghị quyết đề ra", "kế hoạch", "mức": what names a plan or a source, not what is measured
    if not left and (clause_subject := subject_of_clause_before(view, first, floor, skip, ctx.values)):
        left = clause_subject  # "khu vực nông, lâm nghiệp và thủy sản là ngành ít chịu tác động …, tăng [2,88%]"
        propose(("clause_subject", left))
    if left and (measured := subject_of_bare_measure(view, first, floor, skip, ctx.values)):
        left = measured  # "Quy mô GRDP được mở rộng; giá trị cả năm ước đạt [181,8 nghìn tỷ đồng]"
        propose(("clause_subject", left))
    if with_subject := subject_before_with(view, first, floor, skip, ctx.values):
        left = with_subject  # "Ngành xây dựng … tăng trưởng khá với tốc độ [8,5%]"
        propose(("with_subject", left))
    if carried.indicator:
        propose(("inherited", carried.indicator))
        if left and floor > 0 and not names_share_only(left) and _shortens(left, carried.indicator):
            left = carried.indicator  # "Tổng thu ngân sách nhà nước … đạt …; tổng thu giai đoạn 2016-2018 là [7.254 tỷ đồng]"
            propose(("inherited_whole", left))
        elif left and floor > 0 and unit_before is not None and restates_measure(left) \
                and unit_before.unit.lower() == quantity.unit.lower():
            # "Kim ngạch xuất khẩu … đạt 62 triệu USD …; luỹ kế 9 tháng giá trị ước đạt [587,8 triệu USD]": the
            # measure of the value before in the same unit (not "141.230 tấn, giá trị [2.260 tỷ đồng]", nor "67,78
            # triệu đồng/người, …, giá trị [104 triệu đồng/ha]")
            left = unit_before.indicator
            propose(("inherited_whole", left))
        if left and floor > 0 and names_contribution(left):  # "khu vực dịch vụ tăng 6,85%, đóng góp [2,59 điểm phần trăm]"
            left = f"{carried.indicator} {contribution_name(left)}"
            propose(("subject_left", left))
    if left and quantity.norm_unit == "pp":
        left = with_contribution_named(left)  # "xây dựng làm giảm [0,2 điểm %]"
    if aside_kind and not left and carried.indicator:
        return carried.indicator  # "(KH 8-8,5%)": the plan of the value before the parenthesis
    if not left and aside is not None and not aside_kind and unit_before is not None \
            and _names_only_a_place(view, max(floor, aside.open + 1), first, skip):
        # "thu hoạch 6.000 ha, đạt 23% diện tích (huyện A 1.600 ha, B [1.000 ha])": a breakdown by place of
        # the value before the parenthesis in the same unit
        propose(("unit_before", unit_before.indicator))
        return unit_before.indicator
    if not left and aside is not None and after == aside.close and (all(
        view.tokens[i].text in "+-−" for i in range(aside.open + 1, first)
    ) or (floor == 0 or view.tokens[floor].text in ",;:)") and cue_stage.cue_run_start(view, first) == aside.open + 1):
        # "cao hơn bình quân chung cả nước ([3,55%])", "…: sản xuất kim loại (tăng [39,96%])": a figure in
        # brackets, with no words but its cue words, measures the words before them (unless they are the
        # noun of the value before: "3,12 triệu lượt khách tham quan, du lịch (tăng 7,9%)")
        left = left_phrase(view, aside.open, floor, skip, ctx.values)
        propose(("before_aside", left))
        if left and names_no_indicator(left):
            left = ""
    head = _head_before(view, first, skip) or carried.item_head
    if head:
        propose(("list_head", head))
    if left and head and head.lower() not in left.lower() and not opens_with_head(left):
        left = f"{head} {left}"
        propose(("head_left", left))
    inherited = carried.indicator if quantity.norm_unit == "%" else without_share_head(carried.indicator)
    if inherited and not left and (measure := measure_of_place_set(inherited)):
        inherited = measure  # "10 tỉnh, thành phố có tốc độ tăng GRDP … gồm: Bắc Giang tăng [13,45%]"
    if quantity.is_count:
        right = "" if quantity.over_plan else right_phrase(view, after, skip, ctx.values)  # "[8959]/8500 con"
        noun = _strip_scale(quantity.unit.split("/")[0])
        propose(("noun", noun))
        if right:
            propose(("noun_right", f"{noun} {right}"))
            return f"{noun} {right}"
        if left and not opens_with_count_head(left) and count_named_by_noun(view, first, after, floor, skip, ctx.values):
            return noun  # "Du lịch phục hồi mạnh với [9,6 triệu lượt khách]"
        if not left and head and (_names_words(head, noun) or names_what_is_counted(head, noun)):
            return head  # "Hộ nghèo: toàn tỉnh có [36.951 hộ]": the label names what is counted
        if not left and noun.lower() in inherited.lower().split():
            return inherited
        counts_as_before = unit_before is not None and _same_noun(noun, _strip_scale(unit_before.unit.split("/")[0]))
        if not left and only_counts(noun) and counts_as_before:
            return unit_before.indicator  # "đàn trâu, bò có trên 283.000 con, tăng 2,64%, bằng [7.300 con]"
        if not left and kind == "change" and counts_as_before and unit_before.norm_unit == "count":
            propose(("count_before", unit_before.indicator))
            return unit_before.indicator
        if left and (_names_words(left, noun) or names_what_is_counted(left, noun)):
            # "tuổi thọ bình quân đạt [74 tuổi]", "dân số đạt [1,2 triệu người]": the phrase already names what
            # it counts; a count is of what a share was of ("Tỷ lệ hộ nghèo … giảm [553 hộ]")
            return without_share_head(left) or left
        if left and only_counts(noun):
            return left  # "đàn lợn đạt [537.600 con]", "BHTN [191.379 người]"
        return f"{left} {noun}".strip()
    if quantity.norm_unit not in ("%", "pp", "times"):
        noun_after = "" if quantity.over_plan else right_phrase(view, after, skip, ctx.values)
        if noun_after:
            propose(("right", noun_after))
            if not left and (floor > 0 or after_possession_verb(view, first) or verb_before_amount(view, first, floor)):
                # "400 triệu USD vốn FDI và [5.000 tỷ đồng] vốn DDI": each item names its own; "Toàn tỉnh có
                # [78.850 ha] cây ăn quả", "dự kiến hoàn thành [3.245 km] đường bộ cao tốc": what is had or
                # done is named after the amount
                return noun_after
            if left and first > 0 and view.sylls[first - 1] == ("được",) \
                    and not any(c.isdigit() for c in noun_after):
                # "gieo trồng được [26.936,4 ha] cây trồng các loại": the verb's object follows its amount
                propose(("left_right", f"{left} {noun_after}"))
                return f"{left} {noun_after}"
            if left and not any(c.isdigit() for c in noun_after) and verb_before_amount(view, first, floor):
                # "triển khai trồng mới [320 ha] cây công nghiệp": the verb's object follows its amount
                propose(("left_right", f"{left} {noun_after}"))
                return f"{left} {noun_after}"
            if indicator_id(noun_after) and not indicator_id(left or carried.indicator or ""):
                # "Thu hút [250 triệu USD] vốn đầu tư nước ngoài": what is measured is named after the value
                propose(("left_right", f"{left} {noun_after}".strip()))
                return f"{left} {noun_after}".strip()
    subject = named_after(view, after, skip)
    if subject:
        propose(("named_after", subject))
    if subject and kind == "change":
        return subject
    share_of = ""
    if quantity.norm_unit == "%" and not cue_stage.baseline_for(view, first, after, len(view.tokens)):
        share_of = "" if _compared_period_after(view, after, ctx.all_periods) else right_phrase(view, after, skip, ctx.values)
        if share_of and names_no_indicator(share_of):
            share_of = ""  # "đạt [109,2%] Nghị quyết": a ratio to the plan, not a share of it
        if share_of:
            propose(("share_of", f"{head} {share_of}".strip() if head else share_of))
    share_word = share_word_of_previous(view, first, floor, previous_is_count) if quantity.norm_unit == "%" else ""
    if share_word and inherited:
        # ", chiếm [43,78%] giá trị tổng sản phẩm": the share of what the value before measures
        share = inherited if without_share_head(inherited) != inherited else f"{share_word} {inherited}"
        propose(("share_of_previous", share))
        return share
    if share_of and (not left or clause_opens_with_cues(view, first, floor) or first > 0 and view.sylls[first - 1] == ("với",)):
        # "… được đẩy mạnh với [80%] cán bộ, công chức cấp xã được bồi dưỡng …": the words after the share
        return f"{head} {share_of}".strip() if head else share_of
    if not left and head and floor == 0:
        return head  # "Giá trị sản xuất công nghiệp các huyện … có mức tăng trưởng khá: huyện Vụ Bản tăng [18,3%]"
    topic = lexicon_phrase_before(view, first, skip) if not left and floor == 0 else ""
    if topic:
        propose(("lexicon_before", topic))
        return topic
    ranked = "" if left else ranked_measure(view, skip)
    if ranked:
        propose(("ranked", ranked))
        return ranked  # "Với [4,4 tỷ USD], TP.HCM là địa phương dẫn đầu về thu hút FDI"
    nearest = "" if left or inherited else nearest_words(view, first, skip)
    return left or inherited or nearest or quantity.unit


def _same_noun(noun: str, other: str) -> bool:
    """"người" and "lượt người", "khách" and "lượt khách": one count's noun ends the other's."""
    a, b = noun.lower().split(), other.lower().split()
    return bool(a) and bool(b) and (a[-len(b):] == b or b[-len(a):] == a)


def _names_only_a_place(view, start: int, end: int, skip: frozenset[int]) -> bool:
    """Tokens [start, end) are a place (or time) and punctuation only: "huyện Vĩnh Linh"."""
    named = [i for i in range(start, end) if any(c.isalnum() for c in view.tokens[i].text)]
    return bool(named) and all(i in skip for i in named)


def _names_words(phrase: str, words: str) -> bool:
    """Whether `phrase` holds `words`, whole syllables in a row, case aside."""
    have, wanted = phrase.lower().split(), words.lower().split()
    return bool(wanted) and any(have[i : i + len(wanted)] == wanted for i in range(len(have) - len(wanted) + 1))


def _shortens(phrase: str, earlier: str) -> bool:
    """Whether `phrase` is the first words of `earlier`, said again for short
    ("tổng thu" after "Tổng thu ngân sách nhà nước trên địa bàn")."""
    short, whole = fold_text(phrase).split(), fold_text(earlier).split()
    return 2 <= len(short) < len(whole) and whole[: len(short)] == short and not any(c.isdigit() for c in earlier)


def _compared_period_after(view, after: int, periods=()) -> bool:
    """"mức tăng [8,1%] của cùng kỳ năm trước", "vượt qua con số [6,14%] của năm
    2023": the words after the value name the period it belongs to (a
    comparison), not what it is a share of."""
    start = after + 1 if after < len(view.tokens) and view.sylls[after] == ("của",) else after
    if start >= len(view.tokens):
        return False
    if start > after and any(p.start == view.tokens[start].start for p in periods):
        return True
    return cue_stage.cue_rules().aside_comparison.starting_at(view, start) is not None


def _list_intro(view, first: int) -> str:
    """The two syllables before the nearest colon before the value ("như:", "gồm:", "tế:")."""
    colons = _colons(view)
    k = bisect_left(colons, first)
    if k == 0:
        return ""
    colon = colons[k - 1]
    words = [s for i in range(max(0, colon - 2), colon) for s in view.sylls[i]]
    return " ".join(words[-2:])


def _colons(view) -> list[int]:
    """The sentence's colons, found once per sentence, not walked back for every value."""
    colons = view.memo.get("colons")
    if colons is None:
        colons = view.memo["colons"] = [i for i, token in enumerate(view.tokens) if token.text == ":"]
    return colons


def _head_before(view, first, skip) -> str:
    """The list head of the nearest colon before the number in its sentence."""
    colons = _colons(view)
    k = bisect_left(colons, first)
    if k == 0:
        return ""
    colon = colons[k - 1]
    tokens = view.tokens
    if any(tokens[i].text == ";" for i in range(colon + 1, first)) and any(tokens[i].text == ";" for i in range(colon)):
        return ""  # "…; Tỷ lệ dân số tham gia BHYT: ước thực hiện 83%; Trồng mới rừng …": an item's own label ends with it
    if _closes_before(tokens, colon + 1, first):
        return ""  # "(trong đó, BHXH tự nguyện: 7.299 người); BHTN [191.379 người]": a label in brackets heads nothing after them
    key = ("list head", colon)  # the values of one list share it
    head = view.memo.get(key)
    if head is None:
        head = view.memo[key] = list_head(view, colon, skip)
    return head


def _closes_before(tokens, start: int, end: int) -> bool:
    """A bracket open before token `start` closes before token `end`."""
    depth = 0
    for i in range(start, end):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            if depth == 0:
                return True
            depth -= 1
    return False


def _strip_scale(unit: str) -> str:
    words = unit.split()
    while len(words) > 1 and words[0] in scales():
        words = words[1:]
    return " ".join(words)


_PERIOD_RIGHT_AFTER = regex.compile(r"[ \t\u00a0]*(?:\([ \t\u00a0]*)?(?:(?:vào|trong|đến|tới|của)[ \t\u00a0]+)?$")
# "mức tăng [8,56%] của quý II/2022": a period the value belongs to, named as another time's.
_PERIOD_OF_VALUE = regex.compile(r"[ \t\u00a0]+của[ \t\u00a0]+$")


def _open_paren(text: str, position: int, sentence_start: int) -> int | None:
    """Where the parenthesis that holds `position` opens in its sentence, or None."""
    opening = text.rfind("(", sentence_start, position)
    return None if opening < 0 or text.find(")", opening, position) >= 0 else opening


def _in_figures_aside(text: str, period: Period, sentence_start: int, own_aside: int | None) -> bool:
    """The time phrase stands in a parenthesis (not the value's own) that also
    holds a figure: "(năm 2018 là 3.344 tỉ đồng)", not "(nhiệm kỳ 2020 - 2025)"."""
    opening = _open_paren(text, period.start, sentence_start)
    if opening is None or opening == own_aside:
        return False
    closing = text.find(")", period.end)
    rest = text[opening + 1 : period.start] + text[period.end : closing if closing >= 0 else len(text)]
    return any(ch.isdigit() for ch in rest)


def _not_the_start_points(text: str, view, periods: list[Period], previous: Record | None) -> list[Period]:
    """The periods less the one right after the value a change starts from
    ("tăng từ 40 triệu đồng năm 2020 lên [45 triệu đồng]"): the start's time, not the end's."""
    if previous is None or not periods:
        return periods
    first, after = view.token_range(previous.start, previous.end)
    if not cue_stage.starts_a_change(view, first, after):
        return periods
    return [p for p in periods
            if p.start < previous.end or not _PERIOD_RIGHT_AFTER.fullmatch(text[previous.end:p.start])]


def _period_for(quantity: Quantity, periods: list[Period], text: str, sentence_start: int = 0) -> Period | None:
    """The time phrase right after the number ("8.000 USD vào năm 2030"),
    else the nearest before it in its sentence, else the first one after it
    in the same clause. A multiple looks back only: the time after it is what
    it multiplies ("gấp 1,5 lần năm 2020")."""
    if quantity.norm_unit == "times":
        periods = [p for p in periods if p.end <= quantity.start]
    own_aside = _open_paren(text, quantity.start, sentence_start)
    # "chiếm 26,20% (năm 2022 chiếm 27,12%); … chiếm [33,53%]": a time inside another value's aside is that value's
    periods = [p for p in periods if not _in_figures_aside(text, p, sentence_start, own_aside)]
    after = next((p for p in periods if p.start >= quantity.end), None)
    if after is not None and after.year is not None and _PERIOD_RIGHT_AFTER.fullmatch(text[quantity.end : after.start]):
        return after
    before = [p for p in periods if p.end <= quantity.start and not _item_date_before(text, p, quantity.start)]
    dated_after = next((p for p in periods if p.start >= quantity.end and p.year is not None
                        and not _CLAUSE_EDGE.search(text, quantity.end, p.start)), None)
    if before and before[-1].is_present and dated_after is not None:
        return dated_after  # "Đến nay …; [2 xã] được công nhận đạt chuẩn NTM nâng cao năm 2023": when it was done
    if before:
        return before[-1]
    for p in periods:
        if p.start >= quantity.end and not _CLAUSE_EDGE.search(text, quantity.end, p.start):
            return p
    return None


@lru_cache(maxsize=1)
def _item_date_words() -> regex.Pattern:
    return regex.compile(rf"(?i){WORD_START}(?:{phrase_alternation(load_rules('periods')['item_date_after'])})[ \t]+$")


# How far before a time phrase its introducing word ("vào") is looked for, in characters.
_ITEM_DATE_REACH = 12


def _item_date_before(text: str, period: Period, start: int) -> bool:
    """"xã đạt chuẩn Nông thôn mới vào năm 2018 (…); tỷ lệ hộ nghèo … [6,95%]":
    the date of an event inside an earlier list item (rules/periods.yaml
    `item_date_after`, with words of its item before it) dates nothing after
    the ";" that ends the item; a date that opens its sentence or item ("Vào
    năm 2023, …") frames what follows."""
    if ";" not in text[period.end : start]:
        return False
    word = _item_date_words().search(text, max(0, period.start - _ITEM_DATE_REACH), period.start)
    if word is None:
        return False
    opening = max(text.rfind(mark, 0, word.start()) for mark in ";:.\n") + 1
    return any(ch.isalpha() for ch in text[opening : word.start()])


# Between a number and a time phrase after it, what puts them in two clauses.
_CLAUSE_EDGE = regex.compile(r"[;,:]")


def _text_periods(text: str, periods: list[Period], quantities: list[Quantity], sentence_start: int) -> list[Period]:
    """The sentence's periods that can be the text's time after it: not one a
    single value owns ("thấp hơn mức tăng 8,56% của quý II/2022", "(mức tăng 9
    tháng năm 2023 chỉ là 5,64%)")."""
    return [p for p in periods
            if not any(_PERIOD_OF_VALUE.fullmatch(text, q.end, p.start) for q in quantities)
            and not _in_figures_aside(text, p, sentence_start, None)]


def _names_an_event(text: str, sentence: Sentence, period: Period) -> bool:
    """"Đại hội Thi đua yêu nước tỉnh lần thứ VI, giai đoạn 2025-2030 diễn ra
    với sự tham dự của 381 đại biểu": a term right after a congress's name, in
    a sentence with no plan word, is part of that name, not the time of its figures."""
    if period.rule != "year_range" or not text[sentence.start : period.start].rstrip().endswith(",") \
            or not names_a_body(text, sentence.start, period):
        return False
    return not any(c.label == "target" for c in cue_stage.status_cues_of_text(text, sentence.start, sentence.end))


def _carry_between(carried: _Carried, text: str, between: list[tuple[Sentence, list[Period], int]],
                   published: int | None = None) -> None:
    """Carry the scope and period of sentences without figures over to the next
    one with figures. Only the last of them with a status cue can set the
    status, so cues are looked for from the end back to it, not in all."""
    between = [b for b in between if not _is_caption(text, b[0])]
    with_cues, cues = -1, []
    for k in range(len(between) - 1, -1, -1):
        sentence = between[k][0]
        cues = cue_stage.status_cues_of_text(text, sentence.start, sentence.end)
        if cues:
            with_cues = k
            break
    for k, (sentence, periods, frame) in enumerate(between):
        if k == with_cues and not _is_headline(text, sentence) and not _announces_event(text, sentence):
            _carry_status(carried, cues, sentence_end(text, sentence), periods=periods)
        elif periods and k > with_cues and not _announces_event(text, sentence):
            # a sentence that sets no scope leaves no time a name holds ("… dự Đại hội …, nhiệm kỳ 2025-2030.");
            # its source ("Theo báo cáo tại kỳ họp, năm 2025, …") names nothing the time is part of (a meeting
            # announced leaves the year it reviews, below)
            periods = [p for p in periods if not names_a_body(text, frame, p)]
        if periods and _announces_event(text, sentence):
            # "tổ chức hội nghị … tổng kết nhiệm vụ năm 2019 và triển khai phương hướng, nhiệm vụ năm 2020": the
            # report after it is of the year the meeting reviews
            calendar = [p for p in periods if names_calendar_year(p)]
            review = _review_word().search(text, sentence.start, sentence.end)
            reviewed = [p for p in calendar if review is not None and p.start >= review.end()]
            periods = (reviewed or calendar)[:1]
        _turn_back_from_plan(carried, periods, frame, published)
        _carry_period(carried, periods, frame)


@lru_cache(maxsize=1)
def _event_openers() -> regex.Pattern:
    words = phrase_alternation(load_rules("cues")["status"]["event_openers"])
    return regex.compile(rf"(?i){WORD_START}(?:{words}){WORD_END}")


@lru_cache(maxsize=1)
def _review_word() -> regex.Pattern:
    words = phrase_alternation(load_rules("cues")["status"]["event_review_words"])
    return regex.compile(rf"(?i){WORD_START}(?:{words}){WORD_END}")


def _announces_event(text: str, sentence: Sentence) -> bool:
    """"UBND tỉnh tổ chức họp báo thông tin tình hình … quý III và phương
    hướng, nhiệm vụ trọng tâm quý IV": a sentence that announces a meeting names
    what it covers, results and plans alike; it sets no scope."""
    return _event_openers().search(text, sentence.start, sentence.end) is not None


@lru_cache(maxsize=1)
def _caption_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    status = load_rules("cues")["status"]
    return regex.compile(status["caption_credit"]), regex.compile(status["caption_opener"])


@lru_cache(maxsize=2)
def _caption_lines(text: str) -> frozenset[int]:
    """Where the lines of a text that are a photo's caption start: one pass
    over the text, read by every sentence on them."""
    credit, opener = _caption_patterns()
    found = set()
    for line in _LINE.finditer(text):
        body = line.group()
        if "nh" not in body:
            continue  # no "Ảnh" on the line
        m = credit.search(body)
        if opener.match(body) or m is not None and all(w[:1].isupper() or not w[:1].isalpha()
                                                      for w in m.group("credit").split()):
            found.add(line.start())
    return frozenset(found)


def _is_caption(text: str, sentence: Sentence) -> bool:
    """"… dự kiến mang tên tỉnh Tây Ninh, … - Ảnh: TL": a sentence on a line
    that ends on a photo's credit, or opens on "Ảnh:", is the photo's caption."""
    return text.rfind("\n", 0, sentence.start) + 1 in _caption_lines(text)


_LINE = regex.compile(r"[^\n]+")


def _is_headline(text: str, sentence: Sentence) -> bool:
    """The article's first line, ending without a full stop, that says what
    somebody does ("Xã Nghĩa Dân phấn đấu trở thành đô thị trước năm 2030"): a
    title, whose plan or result word sets no scope for the body under it. A
    first line that opens on its cue ("Các chỉ tiêu chủ yếu") heads a section."""
    if _BLANKS.match(text, 0, sentence.start).end() != sentence.start:
        return False  # not the article's first words
    line_end = text.find("\n", sentence.start)
    if line_end < 0 or line_end > sentence.end:
        return False
    line = text[sentence.start : line_end].rstrip()
    if not line or line[-1] in ".:!?;…":
        return False
    cues = cue_stage.status_cues_of_text(text, sentence.start, sentence.start + len(line))
    return bool(cues) and cues[0].first > 1


def _carry_period(carried: _Carried, periods: list[Period], start: int) -> None:
    """The time a sentence leaves in force: its last period, unless it opens
    with one ("Năm 2024, là năm thứ tư thực hiện Nghị quyết … nhiệm kỳ 2020 -
    2025."): what it frames is the sentence's time, what follows only names things."""
    if periods:
        opening = _opening_year(periods, start) is not None
        carried.period = periods[0] if opening else periods[-1]
        carried.status_is_newer = False
        with_year = [p for p in periods if p.year is not None][: 1 if opening else None]
        if with_year:
            carried.year = with_year[-1].year
        calendar = [p for p in with_year if names_calendar_year(p)]
        if calendar:
            carried.calendar_year = calendar[-1].year


def _dates_a_clause_after(text: str, period: Period, last_figure_end: int) -> bool:
    """"Toàn huyện có thêm 3 xã …, xã Thọ Vực đạt chuẩn NTM kiểu mẫu năm 2023.":
    a time in a clause of its own after the sentence's last figure dates that
    clause's event, not the sentences after it."""
    if period.start < last_figure_end:
        return False
    edges = list(_CLAUSE_EDGE.finditer(text, last_figure_end, period.start))
    # the clause names an event of its own before the time, not only the time ("…, tính đến hết năm 2024.")
    return bool(edges) and len(text[edges[-1].end() : period.start].split()) >= 2


def _turn_back_from_plan(carried: _Carried, periods: list[Period], start: int, published: int | None) -> None:
    """A sentence that opens on a year before the plan's, and not after the
    text's own, turns back to results: "… triển khai nhiệm vụ năm 2026. Năm
    2025, thu ngân sách …" ends the plan's scope before its figures are read."""
    year = _opening_year(periods, start)
    if year is not None and not carried.status_is_newer and carried.status == "target" and carried.status_cued \
            and carried.status_year is not None and year < carried.status_year \
            and (published is None or year <= published):
        carried.status, carried.status_cued = "actual", False


@lru_cache(maxsize=1)
def _source_opener() -> regex.Pattern:
    words = phrase_alternation(load_rules("cues")["status"]["source_openers"])
    return regex.compile(rf"(?i)(?:{words})(?!\w)[^,;:.\n]{{1,80}},[ \t]*")


def _frame_start(text: str, start: int) -> int:
    """Where a sentence's frame starts: after the source it opens on ("Theo báo
    cáo tại kỳ họp, năm 2025, …" is framed by "năm 2025"), else at its start."""
    m = _source_opener().match(text, start)
    return m.end() if m else start


def _opening_year(periods: list[Period], start: int) -> int | None:
    """The year of the time phrase a sentence starting at `start` opens with, or None."""
    if periods and periods[0].year is not None and 0 <= periods[0].start - start <= 1:
        return periods[0].year
    return None


def _carry_status(carried: _Carried, status_cues: list, end: tuple[int, bool] = (-1, False),
                  estimated: str | None = None, periods: list[Period] = ()) -> None:
    """The last cue of a sentence sets the scope the next sentences inherit; an
    estimate word, what it made of the sentence's last value (`estimated`: "dự
    kiến đến cuối năm 2019 đạt …" written in 2019 reports a result)."""
    if status_cues:
        carried.status = estimated or status_cues[-1].label
        carried.status_is_newer = True
        carried.status_cued = True
        carried.status_end, carried.status_opens_list = end
        carried.status_year = next((p.year for p in reversed(periods) if p.year is not None), None)


def _compares_last_value(view: TokenView, cues: list, ranges: list) -> bool:
    """The sentence's last cue is a comparison in the clause of its last value
    ("tăng 4,18% [so với cùng kỳ]."): it says what that value is measured
    against, not whether it is a plan or a result."""
    if not cues or not ranges or cues[-1].first < ranges[-1][1]:
        return False
    if cue_stage.cue_rules().baseline_introducers.starting_at(view, cues[-1].first) is None:
        return False
    return not any(view.tokens[i].text in ",;:" for i in range(ranges[-1][1], cues[-1].first))


def sentence_end(text: str, sentence: Sentence) -> tuple[int, bool]:
    """Where a sentence ends, and whether it ends with a colon (it opens a list)."""
    return sentence.end, text[sentence.start : sentence.end].rstrip().endswith(":")


@lru_cache(maxsize=1)
def _not_owner_pattern():
    rules = load_rules("localities")
    words, topic = phrase_alternation(rules["not_owner_after"]), phrase_alternation(rules["topic_before"])
    return regex.compile(rf"(?<![\p{{L}}])(?:(?P<topic>{topic})|{words})\s*$", regex.IGNORECASE)


def _locality_for(text: str, quantity: Quantity, sentence: Sentence, places: list[Place]) -> Place | None:
    """The place named before the number in its sentence, unless it is only
    the object of a comparison ("so với", "với"), the country as a yardstick
    ("đứng thứ 8 cả nước"), another country that only names a market, a
    former unit ("huyện Tân Kỳ cũ") or one merged into a new unit ("hợp nhất
    xã A, B và C"), or a province that qualifies the unit before it ("thị xã
    Đông Triều, tỉnh Quảng Ninh")."""
    not_owner = _not_owner_pattern()
    candidates = _places_within(places, sentence.start, quantity.start)
    for k in range(len(candidates) - 1, -1, -1):
        place = candidates[k]
        window = max(0, place.start - 12)
        if (other := not_owner.search(text[window : place.start])) \
                and not (other.group("topic") and _opens_clause(text, sentence.start, window + other.start())) \
                or is_former(text, place) \
                or in_merged_list(text, sentence.start, place, candidates[:k]):
            continue
        if place.national and not country_owns(text, sentence.start, place, quantity.start, candidates[:k]):
            continue
        if place.foreign and not foreign_owns(text, sentence.start, place):
            continue
        if k > 0 and not candidates[k - 1].national and _qualifies(text, candidates[k - 1], place):
            return candidates[k - 1]
        return place
    return None


def _opens_clause(text: str, sentence_start: int, at: int) -> bool:
    """Position `at` opens its sentence or a clause after a comma ("Đối với tỉnh
    Thái Bình, …"; not "Chính sách ưu đãi đối với huyện …")."""
    before = text[sentence_start:at].rstrip()
    return not before or before[-1] in ",;:"


def _qualifies(text: str, unit: Place, parent: Place) -> bool:
    """"thị xã Đông Triều, tỉnh Quảng Ninh": a province right after a lower unit."""
    between = text[unit.end : parent.start]
    return len(between) <= 3 and not between.strip(" ,-–") and parent.locality.lower().startswith(("tỉnh", "tp", "thành phố"))


_HEADING_NUMBER = regex.compile(r"^(?:[\dIVXivx]+[.)]|[-–•*])?\s*")
# "Hà Nam: 10,39%": after the place, a colon or dash and the place's headline figure
_HEADLINE_FIGURE = regex.compile(r"[ \t]*[:–-][ \t]*[+-]?\d[\d.,]*[ \t]*%?[ \t.]*")


def _heading_places(text: str, places: list[Place]) -> dict[int, str]:
    """Line start → place, for lines that are only a place name ("Hà Nội",
    "2. Bắc Giang"): such a line heads a section about that place."""
    headings: dict[int, str] = {}
    for place in places:
        line_start = text.rfind("\n", 0, place.start) + 1
        line_end = text.find("\n", place.start)
        line_end = len(text) if line_end < 0 else line_end
        if place.end > line_end or line_start in headings:
            continue
        line = text[line_start:line_end].strip()
        rest = line[_HEADING_NUMBER.match(line).end() :]
        name = text[place.start : place.end]
        if name == rest.strip(" .:") or rest.startswith(name) and _HEADLINE_FIGURE.fullmatch(rest, len(name)):
            headings[line_start] = place.locality
    return headings


def _table_records(doc: _DocumentContext, tables: list[Table], periods: list[Period]) -> list[Record]:
    """The records of a document's indicator tables (stages/tables.py): the
    locality is a place in the table's caption, else the document's subject."""
    records = []
    for table in tables:
        place = None
        if table.caption is not None:
            place = next(iter(_places_within(doc.places, *table.caption)), None)
        for value in table_values(doc.text, table, doc.published, periods):
            # in a table of places, the row's place ("Hà Nội", "CẢ NƯỚC")
            row_place = next(iter(_places_within(doc.places, value.place.start, value.place.end)), None) \
                if value.place is not None else None
            records.append(_table_record(doc, value, row_place or place))
    return records


def _table_record(doc: _DocumentContext, value: TableValue, place: Place | None) -> Record:
    text = doc.text
    record = Record(
        doc_id=doc.doc_id,
        start=value.start,
        end=value.end,
        span=text[value.start : value.end],
        value=value.value,
        value_max=value.value_max,
        unit=value.unit,
        norm_value=value.norm_value,
        norm_unit=value.norm_unit,
        indicator=value.indicator,
        indicator_id=indicator_id(value.indicator),
        status=value.status,
        kind=value.kind,
        direction=value.direction,
        comparator=value.comparator,
        baseline=value.baseline,
        period=value.period.text if value.period is not None else None,
        year=value.year,
        locality=place.locality if place is not None else doc.main_place,
        sentence=text[value.row[0] : value.row[1]],
    )
    header = value.header
    record.evidence = {
        "indicator": evidence.at(text, value.label.start, value.label.end,
                                 f"part of: {value.part_of}" if value.part_of else "row label"),
        "status": evidence.at(text, header.start, header.end, "column header") if header else evidence.absent("default"),
        "kind": evidence.at(text, *value.kind_at) if value.kind_at else evidence.absent("default"),
        "comparator": (evidence.at(text, *value.comparator_at) if value.comparator_at else evidence.absent("default")),
        "period": (evidence.at(text, value.period.start, value.period.end) if value.period is not None
                   else evidence.absent("none")),
        "locality": evidence.locality(text, place, None, doc.main_place_note),
        # read from the table's columns, not decided by the model: no gold set of tables calibrates a confidence
        "confidence": evidence.confidences(None),
    }
    return record
