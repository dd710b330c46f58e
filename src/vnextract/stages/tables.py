"""Stage 2b: indicator tables in a document's text, read as a reader reads them.

Every reader writes a table the same way (one line per row, cells separated
by a tab), and users paste them as pipe rows (`| a | b |`, Markdown too) or
one cell per line; this stage finds all three in the NFC text, with each
cell's offsets, so a table's figures are grounded like any other.

A table is read from its header: each column's role (rules/tables.yaml:
label, place, unit, target, actual, comparison, verdict …) and its period and year
(periods.yaml on the header, else a bare year there, else the caption or the
text before the table). A table whose header names no figure column but
whose first column does ("Kế hoạch 2023", "Thực hiện 2023") is transposed
first. Each data row gives one value per figure column: the number in its
cell, its unit from the cell, the row label ("GRDP (tỷ đồng)"), the unit
column or the column header, in that order. Rows after "Trong đó:" are parts
of the row above and take its unit when they have none. In a table of
places (a column headed "Tỉnh, thành phố") each row is a place, the
locality of its figures, and a figure column's header names the measure.

The values come back as plain data (`TableValue`); stages/records.py makes
them records, so a table's records are ordinary ones.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import regex

from ..folding import fold_text
from ..rules import load_rules, phrase_alternation
from .numbers import NumberMatch, find_numbers
from .periods import Period, find_periods
from .quantities import find_quantities
from .units import UnitMatch, match_unit


class Cell(NamedTuple):
    start: int  # offsets of the cell's text without its surrounding blanks
    end: int
    text: str
    indent: int = 0  # blanks before the text: an indented label is a part of the row above


@dataclass
class Column:
    role: str  # index, label, unit, target, actual, comparison, verdict, value (a year only), other
    header: Cell | None = None  # the header cell that gave the role
    period: Period | None = None
    kind: str = "level"
    baseline: str | None = None
    estimate: Cell | None = None  # the header cell that says the figures are estimates
    previous: bool = False  # "cùng kỳ": the result of the period compared with
    unit: tuple[Cell, int, int] | None = None  # "(%)" in the header: the cell and the unit's offsets


@dataclass
class Table:
    start: int
    end: int
    layout: str  # tab, pipe or lines (one cell per line)
    grid: list[list[Cell]]  # rows as found, padded to one width
    header_rows: int = 0
    columns: list[Column] = field(default_factory=list)
    transposed: bool = False
    caption: tuple[int, int] | None = None  # the lines right before the table

    @property
    def header(self) -> list[list[Cell]]:
        return self.grid[: self.header_rows]

    @property
    def rows(self) -> list[list[Cell]]:
        return self.grid[self.header_rows :]

    @property
    def has_figures(self) -> bool:
        return any(c.role in _FIGURE_ROLES for c in self.columns)


class TableValue(NamedTuple):
    """One figure of a table: the SPEC fields a table decides, with their evidence spans."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    norm_value: float
    norm_unit: str
    indicator: str
    status: str
    kind: str
    direction: str | None
    comparator: str
    baseline: str | None
    period: Period | None
    year: int | None
    row: tuple[int, int]  # the row's span: the record's sentence
    label: Cell | None  # the indicator as written in its row label
    part_of: str | None  # the row above a "Trong đó:" part
    header: Cell | None  # the header cell that gave the status
    kind_at: tuple[int, int] | None  # the change verb in the cell, or the header of a change column
    comparator_at: tuple[int, int] | None
    unit_at: tuple[int, int] | None  # the unit cell, the label's or header's brackets, or the number's own unit
    caption: tuple[int, int] | None
    place: Cell | None = None  # the row's place, in a table of places


_FIGURE_ROLES = frozenset(["target", "actual", "comparison", "value", "measure"])
# Row labels: what each row measures, or (a place column) where it is measured.
_LABEL_ROLES = frozenset(["label", "place"])
_YEAR = regex.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
_MARKDOWN_RULE = regex.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?)?[ \t]*$")
_INDEX_CELL = regex.compile(r"^(?:[0-9]{1,2}(?:\.[0-9]{1,2})*\.?|[IVXLC]{1,6}\.?|[a-zđ][.)]|[-–+•*])$")
_COLUMN_NUMBER = regex.compile(r"^\(?(?:[0-9]{1,2}|[A-Z])\)?(?:[ \t]*=[ \t]*.{1,12})?$")
_MOST_CELL_CHARS = 120  # a longer line is prose: it ends a table written one cell per line
_MOST_HEADER_CHARS = 60
_MOST_TABLE_CELL_CHARS = 400  # a longer "cell" is a paragraph: lines of them are prose with tabs, no table


# ------------------------------------------------------------------ rules ---


def _fold(s: str) -> str:
    """A header folded as its phrases are: lower case, one tone placement,
    "/", "%", "+", "-" kept as words ("TH/KH" = "th / kh")."""
    spaced = regex.sub(r"([/%+\-()])", r" \1 ", unicodedata.normalize("NFC", s).lower())
    return " ".join(fold_text(t) if t.isalpha() else t for t in spaced.split())


class _Rules(NamedTuple):
    families: list[tuple[str, tuple[str, ...], str]]  # (role, folded phrases, kind)
    estimate: tuple[str, ...]
    previous: tuple[str, ...]
    parts_opener: regex.Pattern
    parts_closer: regex.Pattern  # "…, trong đó:" at the end of a label
    numbering: regex.Pattern
    sub_numbering: regex.Pattern
    unit_in_brackets: regex.Pattern
    column_units: dict[str, str]
    comparators: list[tuple[str, str]]  # (folded words, symbol), longest first
    signs: dict[str, str]
    changes: list[tuple[str, str]]  # (folded change verb, direction), longest first
    levels: tuple[str, ...]  # "giảm còn", "xuống còn": a level after a change verb
    verdict_cells: tuple[str, ...]
    footnotes: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    rules = load_rules("tables")
    roles = rules["roles"]

    def folded(words) -> tuple[str, ...]:
        return tuple(f for f in (_fold(str(w)) for w in words) if f)

    families = [(role, folded(roles[role]), "level") for role in ("index", "verdict", "unit")]
    families += [("comparison", folded(f["phrases"]), f["kind"]) for f in roles["comparison"]]
    families.append(("place_exact", tuple(_bare(str(w)) for w in roles["place"]), "level"))
    families.append(("label_exact", folded(roles["label"]), "level"))
    families.append(("actual", folded(roles["actual"]), "level"))
    families.append(("target", folded(load_rules("tracking")["plan_baselines"]), "level"))
    bounds = load_rules("cues")["comparator"]["before"]
    comparators = sorted(((_fold(str(w)), symbol) for symbol, words in bounds.items() for w in words),
                         key=lambda pair: -len(pair[0]))
    change = load_rules("cues")["change"]
    changes = sorted(((_fold(str(w)), direction) for direction in ("up", "down") for w in change[direction]),
                     key=lambda pair: -len(pair[0]))
    return _Rules(
        families,
        folded(roles["estimate"]),
        folded(roles["previous"]),
        regex.compile(rf"^[ \t]*(?:{'|'.join(regex.escape(w) for w in rules['parts_opener'])})(?![\p{{L}}])[ \t]*:?[ \t]*",
                      regex.IGNORECASE),
        regex.compile(rf"[ \t]*[,;–-]?[ \t]*(?:{'|'.join(regex.escape(w) for w in rules['parts_opener'])})[ \t]*:[ \t]*$",
                      regex.IGNORECASE),
        regex.compile(rules["numbering"]),
        regex.compile(rules["sub_numbering"]),
        regex.compile(rules["unit_in_brackets"]),
        {_fold(k): v["norm_unit"] for k, v in rules["column_units"].items()},
        comparators,
        dict(rules["cell_signs"]),
        changes,
        folded(change["level_after"]),
        folded(rules["verdict_cells"]),
        frozenset(str(mark) for mark in rules["cell_footnotes"]),
    )


def _bare(text: str) -> str:
    """A header folded without its commas and slashes: "Tỉnh, thành phố" = "Tỉnh/thành phố"."""
    return " ".join(regex.sub(r"[,/]", " ", _fold(text)).split())


def _has(folded_text: str, phrases: tuple[str, ...]) -> str | None:
    padded = f" {folded_text} "
    return next((p for p in phrases if f" {p} " in padded), None)


def header_role(text: str) -> tuple[str, str] | None:
    """(role, kind) a header cell names, or None. "Chỉ tiêu" alone (or
    "Chỉ tiêu chủ yếu") names the label column; with a period it is a plan."""
    if len(text) > 2 * _MOST_HEADER_CHARS:
        return None  # a sentence that names a plan is no header
    folded = _fold(text)
    if not folded:
        return None
    for role, phrases, kind in _rules().families:
        if role == "place_exact":
            if _bare(text) in phrases:
                return "place", kind
            continue
        if role == "label_exact":
            bare = _fold(_YEAR.sub(" ", text)).strip()
            if bare in phrases and not _YEAR.search(text) and not find_periods(text):
                return "label", kind
            continue
        if _has(folded, phrases):
            return role, kind
    return None


# -------------------------------------------------------------- finding ---


def find_tables(text: str) -> list[Table]:
    """Tables of the text, in order: runs of tab or pipe rows, and tables
    written one cell per line under a header of short lines."""
    tables: list[Table] = []
    lines = _lines(text)
    k = 0
    while k < len(lines):
        start, end = lines[k]
        line = text[start:end]
        # A tab between two words opens a tab table (a tab that only indents a
        # paragraph does not); a row of it may start with empty cells.
        layout = "tab" if "\t" in line.strip() else "pipe" if _pipe_cells(text, start, end) else None
        if layout is not None:
            rows, j = [], k
            while j < len(lines):
                s, e = lines[j]
                here = text[s:e]
                if layout == "tab" and "\t" in here and here.strip() and (
                        "\t" in here.strip() or here.count("\t") + 1 == len(rows[0])):
                    rows.append(_split(text, s, e, "\t"))
                elif layout == "pipe" and _MARKDOWN_RULE.match(text, s, e) and rows:
                    pass
                elif layout == "pipe" and (cells := _pipe_cells(text, s, e)):
                    rows.append(cells)
                else:
                    break
                j += 1
            if len(rows) >= 2 and max(len(c.text) for r in rows for c in r) <= _MOST_TABLE_CELL_CHARS:
                table = _table(text, rows, layout, start, lines[j - 1][1])
                if table.has_figures or any(len(r) > 2 or "|" in text[r[0].start - 2 : r[0].start] for r in rows):
                    tables.append(table)
                    k = j
                    continue
        elif (found := _one_cell_per_line(text, lines, k)) is not None:
            table, k = found
            tables.append(table)
            continue
        k += 1
    return tables


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in regex.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e - 1 if e > s and text[e - 1] == "\r" else e) for s, e in spans]


def _cell(text: str, start: int, end: int) -> Cell:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return Cell(start, start, "", 0)
    lead = len(raw) - len(raw.lstrip())
    s = start + lead
    return Cell(s, s + len(stripped), stripped, lead)


def _split(text: str, start: int, end: int, separator: str) -> list[Cell]:
    cells, at = [], start
    while True:
        k = text.find(separator, at, end)
        if k < 0:
            cells.append(_cell(text, at, end))
            return cells
        cells.append(_cell(text, at, k))
        at = k + len(separator)


def _pipe_cells(text: str, start: int, end: int) -> list[Cell] | None:
    """Cells of a pipe row: `| a | b |` (borders optional), at least three
    cells, or two between borders; two cells without borders ("Chỉ tiêu |
    Kết quả") only when the line holds a digit or names a column (a run of
    them is kept only when it is an indicator table); None for other lines."""
    line = text[start:end]
    if line.count("|") == 1 and not line.strip().startswith("|") and not line.strip().endswith("|"):
        cells = _split(text, start, end, "|")
        if all(c.text for c in cells) and any(ch.isalpha() for ch in cells[0].text):
            return cells
        return None
    if line.count("|") < 2:
        return None
    bordered = line.strip().startswith("|") and line.strip().endswith("|") and len(line.strip()) > 1
    s, e = start, end
    if bordered:
        s = text.index("|", start) + 1
        e = text.rindex("|", start, end)
    cells = _split(text, s, e, "|")
    if len(cells) < (2 if bordered else 3):
        return None
    return cells


def _table(text: str, rows: list[list[Cell]], layout: str, start: int, end: int) -> Table:
    caption = _caption(text, start)
    while len(rows) > 2 and sum(1 for c in rows[0] if c.text) == 1:
        # a title row merged across the table ("Biểu kết quả … năm 2023"): its caption
        title = next(c for c in rows[0] if c.text)
        caption = (title.start, title.end)
        rows = rows[1:]
    width = max(len(r) for r in rows)
    grid = [r + [Cell(r[-1].end, r[-1].end, "")] * (width - len(r)) for r in rows]
    table = Table(start, end, layout, grid, caption=caption)
    _read(table)
    return table


def _caption(text: str, start: int) -> tuple[int, int] | None:
    """The line right before the table (blank lines between allowed) when it
    is short: a title ("Biểu kết quả thực hiện … năm 2023"), not prose."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0 or text.count("\n", end, start) > 2:
        return None
    line_start = text.rfind("\n", 0, end) + 1
    if end - line_start > 300 or "\t" in text[line_start:end] or text.count("|", line_start, end) >= 2:
        return None
    while text[line_start].isspace():
        line_start += 1
    return line_start, end


# A table written one cell per line: a header of short lines, each naming a
# column, then rows of as many cells, each row opened by its number when the
# first column is "TT".


def _one_cell_per_line(text: str, lines: list[tuple[int, int]], k: int) -> tuple[Table, int] | None:
    header: list[Cell] = []
    j = k
    blanks = 0  # cells pasted as paragraphs: a blank line between each two
    while j < len(lines):
        s, e = lines[j]
        cell = _cell(text, s, e)
        if not cell.text and header and blanks and s < e and _next_names_column(text, lines, j + 1):
            header.append(cell)  # a cell of blanks between cells pasted as paragraphs: an empty header cell
            j += 1
            continue
        if s == e and header and j + 1 < len(lines) and lines[j + 1][0] < lines[j + 1][1]:
            blanks += 1
            j += 1
            continue
        if not cell.text or len(cell.text) > _MOST_HEADER_CHARS or not (
                _names_column(cell.text) or header and _is_place_header(header[0].text) and _names_measure(cell.text)):
            break
        header.append(cell)
        j += 1
    while j > k and not text[lines[j - 1][0]:lines[j - 1][1]].strip():
        j -= 1
    blank_separated = len(header) > 1 and blanks >= len(header) - 1
    roles = [(header_role(c.text) or ("value", ""))[0] if c.text else "other" for c in header]
    if len(header) < 3 and not (len(header) == 2 and roles[0] == "place") \
            or not _FIGURE_ROLES.intersection(roles) or roles[0] not in ("index", "label", "place"):
        return None
    width = len(header)
    indexed = roles[0] == "index"
    unit_column = roles.index("unit") if "unit" in roles else None
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    cells: list[Cell] = []
    end = header[-1].end
    after_blank = False
    while j < len(lines):
        s, e = lines[j]
        cell = _cell(text, s, e)
        if not cell.text:
            if blank_separated and s < e and cells:
                cells.append(cell)  # a cell of blanks, pasted as a paragraph: an empty cell that keeps the columns
            after_blank = True
            j += 1
            continue
        if _is_prose(cell.text, after_blank and not blank_separated):
            break
        after_blank = False
        cells.append(cell)
        end = cell.end
        j += 1
    while cells and not cells[-1].text:
        cells.pop()
    while j > 0 and lines[j - 1][0] > end:  # give back the blank lines after the last cell
        j -= 1
    # Cut the cells into rows: a row opens at its number (followed by a label)
    # or at a "Trong đó:" line; without a number column, every `width` cells.
    opener = _rules().parts_opener
    last_number = None  # the last row number: a row opens at the next one, not at any small figure
    numbers_repeat = False  # every row number so far was the same
    for i, cell in enumerate(cells):
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        opens = False
        if indexed and _INDEX_CELL.match(cell.text) and nxt is not None and _label_like(nxt.text):
            opens = not current or len(current) >= 2 or bool(opener.match(current[0].text))
            number = cell.text.rstrip(".")
            if opens and number.isdigit():
                # the next number opens a row; so does the same one again when every row so far had it
                # (a numbered list copied with each item's number lost: "1.", "1.", "1.")
                if last_number is not None and int(number) != last_number + 1 \
                        and not (int(number) == last_number and numbers_repeat):
                    opens = False
                else:
                    numbers_repeat = last_number is None or int(number) == last_number
                    last_number = int(number)
        if opener.match(cell.text) and _label_like(cell.text):
            opens = True
        if current and len(current) == 1 and _label_like(cell.text) and opener.fullmatch(current[0].text):
            opens = True  # "Trong đó:" alone is a row of its own; the parts follow it
        if indexed and len(current) >= 2 and _label_like(cell.text) and _DASHED_LABEL.match(cell.text):
            opens = True  # "- Nông Lâm Ngư nghiệp (%)": a part's row, which has no number of its own
        if not indexed and len(current) >= width:
            opens = True
        if opens and current:
            rows.append(current)
            current = []
        current.append(cell)
    if current:
        rows.append(current)
    if not rows:
        return None
    aligned = [_align(r, width, indexed, unit_column) for r in rows]
    if sum(1 for r in aligned if any(_figure_cell(c) for c in r)) == 0:
        return None
    grid = [header] + aligned
    table = Table(header[0].start, end, "lines", grid, caption=_caption(text, header[0].start))
    _read(table)
    return table, j


_DASHED_LABEL = regex.compile(r"^[-–+•*][ \t]*\p{L}")


def _next_names_column(text: str, lines: list[tuple[int, int]], j: int) -> bool:
    """Whether the next line with text names a column (a header goes on after a cell of blanks)."""
    for s, e in lines[j:]:
        if text[s:e].strip():
            return _names_column(text[s:e].strip())
    return False


def _is_prose(text: str, after_blank: bool) -> bool:
    """A line that ends a table written one cell per line: a long line, a
    sentence, or after a blank line a line of many words."""
    words = len(text.split())
    return (len(text) > _MOST_CELL_CHARS or (text.endswith((".", ";", "!", "?")) and words >= 6)
            or (after_blank and words >= 10))


def _label_like(text: str) -> bool:
    """A row label: words, not a number, not a verdict, not a lone unit."""
    letters = sum(ch.isalpha() for ch in text)
    return (letters >= 4 and header_role(text) is None and not _figure_text(text)
            and _fold(text) not in _rules().verdict_cells)


def _align(row: list[Cell], width: int, indexed: bool, unit_column: int | None) -> list[Cell]:
    """A row lacking cells: without its number it starts at the label; a
    missing unit leaves the unit column empty when the cell there is a figure
    or words no unit reads; other gaps are at the end."""
    row = list(row)
    empty = Cell(row[0].start, row[0].start, "")
    if indexed and not _INDEX_CELL.match(row[0].text) and len(row) < width:
        row.insert(0, empty)
    if unit_column is not None and len(row) < width and unit_column < len(row):
        here = row[unit_column]
        if _figure_cell(here) or _unit_match(here.text) is None:
            row.insert(unit_column, Cell(here.start, here.start, ""))
    last = row[-1]
    return row[:width] + [Cell(last.end, last.end, "")] * (width - len(row))


def _figure_text(text: str) -> bool:
    return _cell_number(text) is not None


def _figure_cell(cell: Cell) -> bool:
    return bool(cell.text) and _figure_text(cell.text)


# -------------------------------------------------------------- reading ---


def _read(table: Table) -> None:
    """Header rows, column roles and periods; a table whose figure columns
    are its rows is transposed first."""
    _read_header(table)
    if not table.has_figures and len(table.grid) >= 2 and len(table.grid[0]) >= 2:
        first_column = [row[0] for row in table.grid[1:] if row[0].text]
        named = [header_role(c.text) for c in first_column]
        if first_column and sum(1 for n in named if n and n[0] in _FIGURE_ROLES) >= 2 or (
            first_column and all(_YEAR.fullmatch(c.text) for c in first_column)):
            table.grid = [list(column) for column in zip(*table.grid)]
            table.transposed = True
            _read_header(table)
    if any(c.role == "place" for c in table.columns):
        for column, cell in zip(table.columns, _lowest_header_cells(table)):
            if column.role in ("value", "other") and cell is not None and _names_measure(cell.text):
                column.role, column.header = "measure", cell
    if table.has_figures and not any(c.role in _LABEL_ROLES for c in table.columns):
        for column, cells in zip(table.columns, zip(*table.rows) if table.rows else []):
            if column.role == "other" and any(_label_like(c.text) for c in cells):
                column.role = "label"
                break


def _read_header(table: Table) -> None:
    grid = table.grid
    count = 0
    for i, row in enumerate(grid[:4]):
        texts = [c.text for c in row if c.text]
        if not texts:
            break
        named = [t for t in texts if _names_column(t)]
        numbering = all(_COLUMN_NUMBER.match(t) for t in texts)
        plain_numbers = [t for t in texts if _figure_text(t) and not _YEAR.fullmatch(t)]
        if numbering and i > 0:
            count = i + 1
            continue
        if plain_numbers or len(named) * 2 < len(texts):
            break
        count = i + 1
    table.header_rows = count
    header = grid[:count]
    # A group header over several columns ("Năm 2023" over "KH" and "TH")
    # spans the empty cells right of it when the row below names them.
    for i in range(len(header) - 1):
        row = header[i]
        for c in range(1, len(row)):
            if not row[c].text and row[c - 1].text and header[i + 1][c].text:
                row[c] = row[c - 1]
    table.columns = [_column([header[i][c] for i in range(len(header))]) for c in range(len(grid[0]))]


def _lowest_header_cells(table: Table) -> list[Cell | None]:
    """Each column's lowest header cell with text."""
    return [next((row[c] for row in reversed(table.header) if row[c].text), None) for c in range(len(table.columns))]


def _is_place_header(text: str) -> bool:
    return (header_role(text) or ("",))[0] == "place"


def _names_measure(text: str) -> bool:
    """A header that names what a column measures, with its unit or its
    period: "Tăng trưởng GRDP 2026 - 2030 (%)", "Thu ngân sách 2023 (tỷ đồng)"."""
    name = _measure_name(text)
    return bool(name) and sum(ch.isalpha() for ch in name) >= 3 and (
        _rules().unit_in_brackets.search(text) is not None or _period_in(Cell(0, len(text), text)) is not None)


def _measure_name(text: str) -> str:
    """A measure header without its unit in brackets and its time: "Tăng trưởng GRDP"."""
    m = _rules().unit_in_brackets.search(text)
    if m:
        text = text[: m.start()]
    for p in reversed([p for p in find_periods(text) if p.year is not None]):
        text = text[: p.start] + text[p.end :]
    text = _YEAR.sub(" ", text)
    return " ".join(text.split()).strip(" ,:-–")


def _header_year(text: str) -> bool:
    """A header that is only a time: "2023", "Năm 2023", "6 tháng đầu năm 2024"."""
    text = text.strip()
    if _YEAR.fullmatch(text):
        return True
    periods = [p for p in find_periods(text) if p.year is not None]
    return len(periods) == 1 and len(text) - len(periods[0].text) <= 2


def _names_column(text: str) -> bool:
    return header_role(text) is not None or _header_year(text)


def _column(cells: list[Cell]) -> Column:
    rules = _rules()
    column = Column("other")
    for cell in reversed(cells):  # the lowest header cell says most
        if not cell.text:
            continue
        role = header_role(cell.text)
        if role is not None and column.header is None:
            column.role, column.kind = role
            column.header = cell
            if role[0] == "comparison":
                column.baseline = _baseline(cell.text)
            folded = _fold(cell.text)
            if role[0] == "actual" and _has(folded, rules.estimate):
                column.estimate = cell
            column.previous = role[0] == "actual" and bool(_has(folded, rules.previous))
        if column.period is None:
            column.period = _period_in(cell)
        if column.unit is None and (m := rules.unit_in_brackets.search(cell.text)):
            column.unit = (cell, cell.start + m.start("unit"), cell.start + m.end("unit"))
    if column.header is None and column.period is not None and column.period.year is not None:
        column.role = "value"  # "2022 | 2023": a year alone, its status by the year
        column.header = next(c for c in reversed(cells) if c.text)
    return column


def _baseline(header: str) -> str | None:
    """What a comparison column measures against, as its header writes it:
    the plan ("TH/KH" → "KH") or the same period before ("cùng kỳ")."""
    m = _baseline_words().search(header)
    return m.group() if m else None


@lru_cache(maxsize=1)
def _baseline_words() -> regex.Pattern:
    words = [*load_rules("tracking")["plan_baselines"], *load_rules("tables")["roles"]["previous"]]
    return regex.compile(rf"(?<![\p{{L}}])(?:{phrase_alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


def _period_in(cell: Cell) -> Period | None:
    """The time phrase of a header cell (offsets in the document), else a bare year."""
    found = [p for p in find_periods(cell.text) if p.year is not None]
    if found:
        p = found[-1]
        return p._replace(start=cell.start + p.start, end=cell.start + p.end)
    m = _YEAR.search(cell.text)
    if m:
        return Period(cell.start + m.start(), cell.start + m.end(), m.group(), int(m.group()), "year", False)
    return None


# --------------------------------------------------------------- values ---


class _CellNumber(NamedTuple):
    number: NumberMatch  # offsets in the cell's text
    comparator: str
    comparator_at: tuple[int, int] | None  # offsets in the cell's text
    unit: UnitMatch | None  # written in the cell ("1.200 tỷ đồng", "8,5%")
    span_end: int  # end of the number and its own unit, in the cell's text
    direction: str | None = None  # "Giảm 2": a change, and which way
    verb_at: tuple[int, int] | None = None  # the change verb, in the cell's text


@lru_cache(maxsize=4096)
def _cell_number(text: str) -> _CellNumber | None:
    """The figure a cell holds: one number or range, at most a bound word or
    sign before it and its unit after it; None for words only ("Hoàn thành")."""
    if not any(ch.isdigit() for ch in text):
        return None
    numbers, _ = find_numbers(text, unit_at=lambda pos: getattr(match_unit(text, pos), "norm_unit", None))
    if len(numbers) != 1:
        return None
    number = numbers[0]
    unit = None
    span_end = number.end
    quantities = [q for q in find_quantities(text) if q.start <= number.start < q.end]
    if quantities:
        q = quantities[0]
        unit = match_unit(text, number.end)
        span_end = q.end
    rest = text[span_end:].strip()
    if rest in _rules().footnotes:
        rest = ""  # "455,6 (*)": a note mark, not part of the figure
    bound_after = None  # "Từ 10% trở lên": a bound after the figure
    if rest and (hit := _bound_after(text, span_end)) is not None:
        bound_after, rest = hit, ""
    if rest and not (rest == "%" and unit is None):
        return None
    if rest == "%":
        unit = match_unit(text, number.end) or match_unit("1%", 1)
        span_end = text.index("%", number.end) + 1
    before = text[: number.start]
    lead = before.strip()
    comparator, at, direction, verb_at = "=", None, None, None
    if bound_after is not None:
        comparator, at = bound_after[0], bound_after[1]
        if _fold(lead) == "từ":
            lead = ""
    rules = _rules()
    if lead:
        first = len(before) - len(before.lstrip())
        folded = _fold(lead)
        if folded in rules.levels:
            return _CellNumber(number, comparator, at, unit, span_end)  # "giảm còn 2"
        verb = next(((words, way) for words, way in rules.changes if folded.startswith(words)
                     and (len(folded) == len(words) or folded[len(words)] == " ")), None)
        if verb is not None and verb[0] not in (w for w, _ in rules.comparators if w == folded):
            direction = verb[1]
            folded = folded[len(verb[0]):].strip()
            words = len(verb[0].split())
            rest = lead.split()[words:]
            verb_end = first + len(" ".join(lead.split()[:words]))
            verb_at = (first, verb_end)
            first = first + (len(lead) - len(" ".join(rest)) if rest else len(lead))
            lead = " ".join(rest)
        if lead:
            hit = next((symbol for words, symbol in rules.comparators if folded == words), None)
            if hit is None:
                hit = rules.signs.get(lead.replace(" ", ""))
            if hit is None:
                return None
            comparator = hit
            at = (first, first + len(lead))
    return _CellNumber(number, comparator, at, unit, span_end, direction, verb_at)


def _bound_after(text: str, end: int) -> tuple[str, tuple[int, int]] | None:
    """"trở lên" / "trở xuống" right after a figure and ending its cell: (comparator, offsets)."""
    m = _bounds_after().match(text, end)
    if m is None:
        return None
    words = _fold(m.group("words"))
    symbol = next(symbol for symbol, phrases in load_rules("cues")["comparator"]["after"].items()
                  if words in (_fold(str(p)) for p in phrases))
    return symbol, (m.start("words"), m.end("words"))


@lru_cache(maxsize=1)
def _bounds_after() -> regex.Pattern:
    phrases = [p for ps in load_rules("cues")["comparator"]["after"].values() for p in ps]
    return regex.compile(rf"[ \t]*(?P<words>{phrase_alternation(phrases)})[ \t]*$", regex.IGNORECASE)


@lru_cache(maxsize=1024)
def _unit_match(words: str) -> UnitMatch | None:
    """The unit a unit cell or a bracket names ("Tỷ đồng", "%", "bác sĩ"),
    read by the unit stage as if it followed a number."""
    words = " ".join(words.split())
    if not words:
        return None
    probe = f"1 {words}"
    m = match_unit(probe, 1, (0, len(probe)))
    if m is not None and m.end == len(probe):
        return m
    norm = _rules().column_units.get(_fold(words))
    if norm is not None:
        return UnitMatch(len(probe), words.lower(), 1.0, norm, False)
    return None


def _column_unit(words: str) -> UnitMatch | None:
    """A unit column's word; one the unit rules do not know is a counted noun."""
    m = _unit_match(words)
    if m is not None:
        return m
    if any(ch.isalpha() for ch in words) and len(words.split()) <= 4 and not any(ch.isdigit() for ch in words):
        return UnitMatch(0, " ".join(words.lower().split()), 1.0, "count", True)
    return None


class _Label(NamedTuple):
    cell: Cell | None  # the indicator as written (offsets in the document)
    unit: tuple[UnitMatch, int, int] | None
    opens_parts: bool  # "Trong đó:" alone
    is_part: bool  # "Trong đó: thu nội địa", "- thu nội địa", "2.1", indented
    parts_follow: bool = False  # "Tổng thu ngân sách, trong đó:": the rows after it are its parts


def _label(cell: Cell, index: Cell | None) -> _Label:
    rules = _rules()
    text, start = cell.text, cell.start
    is_part = False
    m = rules.numbering.match(text)
    if m:
        is_part = text[: m.end()].strip()[:1] in "-–+•*" or bool(rules.sub_numbering.match(text[: m.end()]))
        start, text = start + m.end(), text[m.end():]
    if index is not None and index.text and rules.sub_numbering.match(index.text):
        is_part = True
    opener = rules.parts_opener.match(text)
    if opener:
        if not text[opener.end():].strip():
            return _Label(None, None, True, False)
        start, text = start + opener.end(), text[opener.end():]
        is_part = True
    parts_follow = False
    closing = rules.parts_closer.search(text)
    if closing and closing.start() > 0:
        text, parts_follow = text[: closing.start()], True
    unit = None
    m = rules.unit_in_brackets.search(text)
    if m and (u := _unit_match(m.group("unit"))) is not None:
        unit = (u, start + m.start("unit"), start + m.end("unit"))
        text = text[: m.start()]
    else:
        text = text.rstrip(" \t:")
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if not text:
        return _Label(None, unit, False, is_part)
    return _Label(Cell(start + lead, start + lead + len(text), text), unit, False, is_part, parts_follow)


def table_values(text: str, table: Table, published: int | None = None,
                 periods_before: list[Period] = ()) -> list[TableValue]:
    """The figures of one table, row by row, left to right."""
    if not table.has_figures:
        return []
    columns = table.columns
    fallback = _table_period(text, table, periods_before)
    if any(c.role == "place" for c in columns):
        return _place_values(text, table, fallback, published)
    label_at = next((i for i, c in enumerate(columns) if c.role == "label"), None)
    index_at = next((i for i, c in enumerate(columns) if c.role == "index"), None)
    unit_at = next((i for i, c in enumerate(columns) if c.role == "unit"), None)
    values: list[TableValue] = []
    parent: tuple[str, tuple[UnitMatch, int, int] | None] | None = None  # the row above "Trong đó:"
    in_parts = False
    previous: tuple[str, tuple[UnitMatch, int, int] | None, int] | None = None
    for row in table.rows:
        label = _label(row[label_at], row[index_at] if index_at is not None else None) if label_at is not None else None
        if label is not None and label.opens_parts:
            if previous is not None:
                parent, in_parts = (previous[0], previous[1]), True
            continue
        indent = row[label_at].indent if label_at is not None else 0
        indented = label is not None and previous is not None and indent > previous[2]
        part = in_parts and label is not None and (label.is_part or indented)
        if in_parts and not part:
            in_parts, parent = False, None
        if indented and not part:  # a row indented under the row above is a part of it
            part, parent = True, (previous[0], previous[1])
        if label is None or label.cell is None:
            continue
        row_unit = label.unit
        if row_unit is None and unit_at is not None and row[unit_at].text:
            u = _column_unit(row[unit_at].text)
            if u is not None:
                row_unit = (u, row[unit_at].start, row[unit_at].end)
        if row_unit is None and part and parent is not None:
            row_unit = parent[1]
        row_span = (row[0].start if row[0].text else min(c.start for c in row if c.text), max(c.end for c in row))
        for k, column in enumerate(columns):
            if column.role not in _FIGURE_ROLES or not row[k].text:
                continue
            value = _value(text, table, row, k, column, label, row_unit, row_span, fallback, published,
                           parent[0] if part and parent else None)
            if value is not None:
                values.append(value)
        if not part:
            previous = (label.cell.text, row_unit, indent)
        if label.parts_follow:
            parent, in_parts = (label.cell.text, row_unit), True
    return values


def _place_values(text: str, table: Table, fallback: Period | None, published: int | None) -> list[TableValue]:
    """The figures of a table of places: each figure column belongs to the
    place column nearest left of it (two places may share a row), names its
    measure in its header, and each row's place is the figures' locality."""
    columns = table.columns
    values: list[TableValue] = []
    for row in table.rows:
        row_span = (min(c.start for c in row if c.text), max(c.end for c in row if c.text)) if any(
            c.text for c in row) else None
        for k, column in enumerate(columns):
            if column.role not in _FIGURE_ROLES or not row[k].text:
                continue
            owner = next((j for j in range(k - 1, -1, -1) if columns[j].role == "place"), None)
            if owner is None or not row[owner].text or column.header is None:
                continue
            header = column.header
            name = (_measure_name(header.text) if column.role == "measure" else "") or header.text
            # the evidence is the measure's words where the header opens with them, else the whole header
            label = _Label(Cell(header.start, header.start + len(name), name), None, False, False)
            if text[label.cell.start : label.cell.end] != name:
                label = _Label(Cell(header.start, header.end, header.text), None, False, False)
            place = row[owner]
            value = _value(text, table, [place, row[k]], 1, column, label, None,
                           (min(place.start, row[k].start), max(place.end, row[k].end)), fallback, published, None)
            if value is not None:
                values.append(value._replace(indicator=name, place=place))
    return values


def _table_period(text: str, table: Table, periods_before: list[Period]) -> Period | None:
    """The period of a table's columns that name none: the caption's, else the
    last one named before the table."""
    if table.caption is not None:
        s, e = table.caption
        found = [p for p in find_periods(text[s:e]) if p.year is not None]
        if found:
            p = found[-1]
            return p._replace(start=s + p.start, end=s + p.end)
    with_year = [p for p in periods_before if p.year is not None and p.end <= table.start]
    return with_year[-1] if with_year else None


def _value(text: str, table: Table, row: list[Cell], k: int, column: Column, label: _Label,
           row_unit, row_span, fallback: Period | None, published: int | None, part_of: str | None) -> TableValue | None:
    cell = row[k]
    read = _cell_number(cell.text)
    if read is None:
        return None
    number = read.number
    start = cell.start + number.start
    end = cell.start + read.span_end
    unit, unit_span = None, None
    if read.unit is not None:
        unit, unit_span = read.unit, (start, end)
    elif column.role == "comparison":
        unit = _unit_match("%")
        unit_span = (column.unit[1], column.unit[2]) if column.unit else None
    elif row_unit is not None:
        unit, unit_span = row_unit[0], (row_unit[1], row_unit[2])
    elif column.unit is not None and (u := _unit_match(text[column.unit[1]:column.unit[2]])) is not None:
        unit, unit_span = u, (column.unit[1], column.unit[2])
    if unit is None:
        return None
    value = number.value
    value_max = number.value_max
    if number.kind == "ratio":
        value_max = None
    # A column whose header names no time ("Cùng kỳ", "Tăng/giảm (%)", "So
    # sánh TH/KH") is of the period the table's results name, else the caption's.
    named = [c.period for c in table.columns if c.period is not None and c.period.year and c.role in _FIGURE_ROLES]
    results = [c.period for c in table.columns if c.period is not None and c.period.year and c.role == "actual"]
    period = column.period or next(iter(results + named), None) or fallback
    year = period.year if period is not None else published
    if column.previous and column.period is None:  # "Cùng kỳ": the same period a year before
        period = None
        year = year - 1 if year is not None else None
    if column.role == "target":
        status = "target"
    elif column.role in ("value", "measure"):
        status = "target" if published is not None and year is not None and year > published else "actual"
    else:
        status = "actual"
    kind, direction = "level", None
    kind_at = None
    if read.direction is not None:
        kind, direction = "change", read.direction
        kind_at = (cell.start + read.verb_at[0], cell.start + read.verb_at[1])
    elif column.role == "comparison" and column.kind == "change" or number.negative:
        kind, direction = "change", "down" if number.negative else "up"
        if column.role == "comparison" and column.kind == "change" and column.header is not None:
            kind_at = (column.header.start, column.header.end)
    comparator, comparator_at = read.comparator, None
    if read.comparator_at is not None:
        comparator_at = (cell.start + read.comparator_at[0], cell.start + read.comparator_at[1])
    elif column.estimate is not None:
        comparator = "~"
        comparator_at = (column.estimate.start, column.estimate.end)
    scale = unit.scale
    return TableValue(
        start=start,
        end=end,
        value=value,
        value_max=value_max,
        unit=unit.unit,
        norm_value=value * scale,
        norm_unit=unit.norm_unit,
        indicator=label.cell.text,
        status=status,
        kind=kind,
        direction=direction,
        comparator=comparator,
        baseline=column.baseline,
        period=period,
        year=year,
        row=row_span,
        label=label.cell,
        part_of=part_of,
        header=column.header,
        kind_at=kind_at,
        comparator_at=comparator_at,
        unit_at=unit_span,
        caption=table.caption,
    )


# ------------------------------------------------------------- showing ---


def show_table(table: Table, fmt: str = "tsv") -> str:
    """A table as found, for a person to check how it was read: TSV with a
    first column saying what each line is (`role`: each column's role and
    year; `header`; `row`), or Markdown with the roles as its header row."""
    roles = [c.role + (f" {c.period.year}" if c.period is not None and c.period.year else "") for c in table.columns]
    if fmt == "markdown":
        def line(cells):
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        out = [line(roles), "|" + "|".join("---" for _ in roles) + "|"]
        out += [line([f"**{c.text}**" if c.text else "" for c in row]) for row in table.header]
        out += [line([c.text for c in row]) for row in table.rows]
        return "\n".join(out)
    out = ["\t".join(["role", *roles])]
    out += ["\t".join(["header", *(c.text for c in row)]) for row in table.header]
    out += ["\t".join(["row", *(c.text for c in row)]) for row in table.rows]
    return "\n".join(out)


def header_column(text: str) -> Column:
    """How one header cell reads: its role, period and year."""
    return _column([Cell(0, len(text), text)])


def row_label(text: str) -> tuple[str, str | None]:
    """(indicator, unit) of a row label: numbering and "Trong đó:" dropped, a unit in brackets taken out."""
    label = _label(Cell(0, len(text), text), None)
    unit = text[label.unit[1] : label.unit[2]] if label.unit else None
    return (label.cell.text if label.cell else "", unit)


def cell_figure(text: str) -> tuple[float, float | None, str] | None:
    """(value, value_max, comparator) of a cell, or None when it holds no figure."""
    read = _cell_number(text)
    if read is None:
        return None
    return read.number.value, read.number.value_max, read.comparator
