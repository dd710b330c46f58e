"""The fuzzing campaign: hostile Vietnamese-like text against the extractor's invariants.

Texts are made of real syllables (from the rules and the dev corpus), numbers
in every written form the rules read (and some they must not), units, cue
words, brackets, lists, NFC and NFD pieces side by side, zero-width and
non-breaking spaces, control characters and very long lines. Properties:

* extraction never raises, and every record is SPEC-valid and grounded
  (`text[start:end] == span` in the NFC text);
* the NFD form of a text gives exactly the records of its NFC form;
* the output is deterministic: the same bytes from a second run and from
  worker processes as from the parent;
* a document's records do not depend on the documents around it, in one
  process or in a pool of workers that have seen other documents.

The fast suite runs them at the `ci` size. The campaign is the `fuzz`
profile (at least 10,000 examples each):

    HYPOTHESIS_PROFILE=fuzz PYTHONPATH=src python3 -m pytest tests/test_fuzz.py
    PYTHONPATH=src python3 -m pytest -m fuzz      # selects the same profile
"""
from __future__ import annotations

import multiprocessing
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from vnextract import extract
from vnextract.batch.tasks import Task, content_hash, extract_one, render
from vnextract.batch.workers import _Pool
from vnextract.inputs.documents import Document
from vnextract.pipeline import extract_document

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
_SYLLABLE = regex.compile(r"[\p{L}\p{M}]+")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], list[str], list[str], list[str]]:
    """(syllables, rule phrases, units, number words), NFC, sorted (stable across runs)."""
    syllables: set[str] = set()
    phrases: set[str] = set()
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            text = unicodedata.normalize("NFC", text)
            if len(text) <= 40 and not regex.search(r"[\\(){}\[\]?*+|^$]", text):
                phrases.add(text)  # a literal phrase, not a regex
            syllables.update(_SYLLABLE.findall(text))
    for path in sorted((ROOT / "corpus" / "dev").glob("*.txt")):
        syllables.update(_SYLLABLE.findall(unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))))
    units_rules = yaml.safe_load((ROOT / "rules" / "units.yaml").read_text(encoding="utf-8"))
    units = {form for entry in units_rules["measures"] for form in entry["forms"]}
    units.update(units_rules["counts"]["forms"])
    number_rules = yaml.safe_load((ROOT / "rules" / "numbers.yaml").read_text(encoding="utf-8"))
    number_words = {word for table in number_rules["words"].values() for word in table}
    number_words.update(number_rules["scales"])
    return sorted(syllables), sorted(phrases), sorted(units), sorted(number_words)


SYLLABLES, PHRASES, UNITS, NUMBER_WORDS = _vocabulary()

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]
ODD_SPACES = ["\u00a0", "\u202f", "\u2009", "\u3000", "\t", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]
CONTROLS = [chr(c) for c in range(32) if c != 10] + ["\x7f", "\x9b", "\ufffd", "\ufffe", "\U0001f600"]
SEPARATORS = [" "] * 8 + ["", "\n", "\n\n", "  ", ", ", "; ", " - ", ": "] + ODD_SPACES
PUNCT = list(".,;:!?/-–—%()[]{}\"'“”…•*+=@#&") + ["...", "(*)", "%)", "(%", ".,"]


def _grouped(n: int, mark: str) -> str:
    return f"{n:,}".replace(",", mark)


digits = st.integers(0, 10**12)
numbers = st.one_of(
    st.integers(0, 100).map(str),
    st.integers(1000, 10**10).map(lambda n: _grouped(n, ".")),  # 1.234.567
    st.integers(1000, 10**10).map(lambda n: _grouped(n, ",")),  # 1,234,567 (English style)
    st.tuples(st.integers(0, 99_999), st.integers(0, 999)).map(lambda t: f"{t[0]},{t[1]}"),  # 89,6
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),  # 7.5
    st.tuples(st.integers(1000, 10**7), st.integers(0, 99)).map(lambda t: f"{_grouped(t[0], '.')},{t[1]}"),
    st.integers(1900, 2100).map(str),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}/{t[1]}"),  # ratio or date
    st.tuples(st.integers(1, 31), st.integers(1, 12), st.integers(1990, 2035)).map(lambda t: "{}/{}/{}".format(*t)),
    st.tuples(st.integers(0, 99), st.sampled_from(["-", "–", " - ", " đến ", " tới ", "-", "%-"]),
              st.integers(0, 99)).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),  # ranges
    st.tuples(st.sampled_from(["-", "−", "âm ", "+", "~"]), st.integers(0, 999)).map(lambda t: f"{t[0]}{t[1]}"),
    st.lists(st.sampled_from(NUMBER_WORDS), min_size=1, max_size=6).map(" ".join),  # hai mươi mốt
    st.tuples(st.sampled_from(["I", "II", "III", "IV", "V", "X"]), st.sampled_from(["/", "-", " năm "]),
              st.integers(2000, 2030)).map(lambda t: "".join(map(str, t))),  # quý I/2024
    st.text("0123456789", min_size=20, max_size=80),  # far past float and int limits
    st.text("0123456789.,", min_size=1, max_size=12),  # stray marks
    st.sampled_from([".5", "5,", "5.", "007", "0,0", "1e9", "١٢٣", "５０", "½", "²"]),
)
quantities = st.tuples(
    st.sampled_from(["", "", "đạt ", "tăng ", "giảm ", "trên ", "từ ", "khoảng ", "ước đạt ", "vượt ", "gần ",
                     "phấn đấu ", "chỉ tiêu ", "so với ", "gấp ", "còn "]),
    numbers,
    st.sampled_from(["", " ", " ", "  ", "\u00a0", "\u202f"]),
    st.sampled_from(UNITS),
    st.sampled_from(["", "", " trở lên", " so với cùng kỳ", " kế hoạch", " so với năm 2020", "/năm",
                     "/người/năm", " dự toán", " (ước)", " năm 2025"]),
).map("".join)


def _brackets(inner: st.SearchStrategy) -> st.SearchStrategy:
    pairs = [("(", ")"), ("[", "]"), ("“", "”"), ('"', '"'), ("(", ""), ("", ")"), ("((", "))")]
    return st.tuples(st.sampled_from(pairs), inner).map(lambda t: f"{t[0][0]}{t[1]}{t[0][1]}")


def _lists(item: st.SearchStrategy) -> st.SearchStrategy:
    joins = [", ", "; ", " và ", "\n- ", "\n+ ", "\n• ", ",", ";", " hoặc "]
    return st.tuples(st.sampled_from(joins), st.lists(item, min_size=2, max_size=6)).map(lambda t: t[0].join(t[1]))


words = st.one_of(st.sampled_from(SYLLABLES), st.sampled_from(PHRASES))
simple = st.one_of(words, words, numbers, quantities, quantities, st.sampled_from(PUNCT))
pieces = st.one_of(
    simple, simple, simple,
    _brackets(simple),
    _lists(st.one_of(words, quantities)),
    st.sampled_from(ZERO_WIDTH + CONTROLS),
    st.sampled_from(SYLLABLES).map(str.upper),
)


def _normal_form(text_and_form: tuple[str, str]) -> str:
    text, form = text_and_form
    return unicodedata.normalize(form, text) if form else text


mixed_pieces = st.tuples(pieces, st.sampled_from(["", "", "NFD", "NFC", "NFKD"])).map(_normal_form)
lines_of = st.lists(st.tuples(mixed_pieces, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda items: "".join(p + s for p, s in items)
)
# One line far over the sentence bound: a table pasted from a PDF.
long_lines = st.tuples(st.lists(st.one_of(quantities, numbers, words), min_size=1, max_size=5),
                       st.sampled_from([" ", "  ", "; ", ", ", "\t", "\u00a0", ""]),
                       st.integers(100, 600)).map(lambda t: t[1].join(t[0] * t[2]))
texts = st.one_of(lines_of, lines_of, lines_of, long_lines,
                  st.tuples(lines_of, long_lines, lines_of).map("\n".join))


def _key(records) -> list[dict]:
    return [r.to_dict() for r in records]


# --------------------------------------------------------------- robustness ---

@given(texts)
@example("12,5% " * 1200)
@example("\u200b5%\u00a0" * 900)
@example("đầu năm 2024 " * 700)
@example("x" * 5000 + " 5%")
@example(" ".join(["giá Rs. 20"] * 100))  # found by the campaign: a sentence edge inside a figure
def test_fuzz_extract_never_raises_and_records_are_grounded(check_record, text):
    records = extract(text, doc_id="f")
    nfc = unicodedata.normalize("NFC", text)
    for record in records:
        check_record(record, nfc)
        assert nfc[record.start : record.end] == record.span
    assert all(a.end <= b.start for a, b in zip(records, records[1:]))


# ---------------------------------------------------------------------- NFC ---

@given(texts)
@example("Thu nhập bình quân đạt 89,6 triệu đồng\u200b; tỷ lệ hộ nghèo giảm còn 1,2%.")
def test_fuzz_nfd_input_gives_the_records_of_nfc(text):
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert _key(extract(nfd, doc_id="n")) == _key(extract(nfc, doc_id="n"))


# ------------------------------------------------------------ determinism ---

@pytest.fixture(scope="module")
def pool():
    """Two worker processes that live for the whole module: they see every
    example in turn, as the workers of a long batch do."""
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    workers = _Pool(context, 2, extract_document, "jsonl", timeout=None)
    yield workers
    workers.close()


def _pooled(pool: _Pool, texts: list[str]) -> list[bytes]:
    tasks = []
    for k, text in enumerate(texts):
        document = Document(f"d{k}", unicodedata.normalize("NFC", text), f"<fuzz {k}>")
        tasks.append(Task(document, content_hash(document)))
    outcomes = list(pool.imap(iter(tasks), window=8))
    assert [o.error for o in outcomes] == [None] * len(texts)
    return [o.data for o in outcomes]


def _alone(text: str, doc_id: str) -> bytes:
    document = Document(doc_id, unicodedata.normalize("NFC", text), "<alone>")
    outcome = extract_one(extract_document, Task(document, content_hash(document)), "jsonl")
    assert outcome.error is None, outcome.error
    return outcome.data


@given(texts)
def test_fuzz_output_is_the_same_bytes_twice_and_from_workers(pool, text):
    first = render(extract(text, doc_id="d0"), "jsonl")
    assert render(extract(text, doc_id="d0"), "jsonl") == first
    assert _pooled(pool, [text]) == [first]


# -------------------------------------------------------------- neighbours ---

@given(st.lists(texts, min_size=2, max_size=4), st.data())
def test_fuzz_records_do_not_depend_on_the_documents_around(pool, neighbours, data):
    at = data.draw(st.integers(0, len(neighbours)), label="position")
    text = data.draw(texts, label="document")
    batch = [*neighbours[:at], text, *neighbours[at:]]
    alone = _alone(text, f"d{at}")
    for k, other in enumerate(batch):  # in one process, after the others
        if k != at:
            extract(other, doc_id=f"d{k}")
    assert _alone(text, f"d{at}") == alone
    assert _pooled(pool, batch)[at] == alone
