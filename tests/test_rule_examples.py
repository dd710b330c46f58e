"""Every example in rules/*.yaml, run through the stage it documents.

The cases are collected from the YAML files at import time, so a user who adds
a rule with examples gets them checked without touching this file. Each case
id names the file, the place of the example in it and the example text.

Families:
  units.yaml       every measure and every section with `examples`: the first
                   quantity (the second with `second: true`) has that unit and
                   norm_value; `count: false`: the first number is no quantity
                   (and nothing is, when the text holds at most one number)
  cues.yaml        "[bracketed]" quantity → expected status/kind/direction/
                   comparator/baseline of its record (through `extract`)
  periods.yaml     text → some period phrase equal to `period`, with `year`
  localities.yaml  "[bracketed]" quantity → its record's `locality`; reform
                   examples (not_reform_examples): an undated text is (is not)
                   read against the post-2025 units
  indicators.yaml  phrase → `indicator_id`; phrase_examples: "[bracketed]"
                   quantity → record `indicator` with syllable F1 ≥ 0.5
  encodings.yaml   legacy (Windows-1252 characters of a TCVN3/VNI file) → text;
                   detect: text written in an encoding is detected as it
  tables.yaml      header → column role (and year); `not:` headers name no
                   role; label → indicator (and unit); cell → value,
                   value_max, comparator; not_cells hold no figure
numbers.yaml examples are run by tests/test_numbers.py, tracking.yaml's by
tests/test_tracking.py and file_kinds.yaml's by tests/test_hostile_inputs.py; here it is only checked that they load (and that each
numbers.yaml entry has examples).
"""
from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from vnextract import extract
from vnextract.folding import fold_text
from vnextract.inputs.metadata import DocumentMeta
from vnextract.stages.indicators import indicator_id
from vnextract.stages.records import build_records
from vnextract.stages.numbers import find_numbers
from vnextract.stages.segmentation import split_sentences, tokenize
from vnextract.stages.periods import find_periods, year_in_name
from vnextract.stages.quantities import find_quantities
from vnextract.stages.tables import cell_figure, header_column, header_role, row_label
from vnextract.rules import load_rules, rules_dir
from vnextract.evaluation.scoring import syllable_f1

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = ("numbers", "units", "cues", "periods", "localities", "indicators", "segmentation", "encodings", "tracking",
              "features", "tables", "file_kinds")


def _rules(name: str) -> dict:
    return load_rules(name)


def _short(text: str, width: int = 48) -> str:
    """The example for a test id, folded to ASCII so pytest shows it readably."""
    text = " ".join(str(text).split()).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.encode("ascii", "replace").decode()
    return text if len(text) <= width else text[: width - 3] + "..."


# Examples that fail because of a bug in src/ or a conflict in rules/ (see the
# report of the test author). Keyed by (file, section, example text): strict, so a fix
# makes the case XPASS and fail until its entry here is removed.
KNOWN_FAILURES: dict[tuple[str, str, str], str] = {}


def _marks(file: str, where: str, text: str):
    reason = KNOWN_FAILURES.get((file, where.split("#")[0], text))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _case(file: str, where: str, example: dict, text_key: str = "text"):
    value = example.get(text_key) if isinstance(example, dict) else example
    return pytest.param(example, id=f"{file}.yaml:{where}:{_short(value)}", marks=_marks(file, where, value))


def _unbracket(text: str) -> tuple[str, int, str]:
    """Text without the brackets, the start of the bracketed quantity, and its text."""
    assert text.count("[") == 1 and text.count("]") == 1, f"example needs exactly one [quantity]: {text!r}"
    start = text.index("[")
    end = text.index("]")
    assert start < end, text
    inner = text[start + 1 : end]
    return text[:start] + inner + text[end + 1 :], start, inner


def _record_at(text: str, published: int | None = None, name: str = "example"):
    """(plain text, record whose span starts at the bracket) for a bracketed
    example, decided by the rules alone; `published`: the article's year;
    `name`: the document's."""
    plain, start, inner = _unbracket(text)
    records = build_records(name, unicodedata.normalize("NFC", plain), DocumentMeta(year=published))
    found = [r for r in records if r.start == start]
    assert found, (
        f"no record starts at the bracketed quantity {inner!r} (offset {start}); "
        f"records: {[(r.start, r.span) for r in records]}"
    )
    assert len(found) == 1
    record = found[0]
    assert plain[record.start : record.end] == record.span
    return plain, record


# --------------------------------------------------------------------- units ---

UNIT_EXAMPLE_KEYS = {"text", "unit", "norm_value", "second", "count", "record"}


def _unit_sections(rules: dict):
    """(where, examples) for every example list of units.yaml: each measure, and
    every top-level section that has `examples` (so a new section is run too)."""
    for entry in rules["measures"]:
        yield f"measures[{entry['norm_unit']}]", entry.get("examples") or []
    for key, section in rules.items():
        if key != "measures" and isinstance(section, dict) and "examples" in section:
            yield key, section["examples"] or []


def _unit_cases(counted: bool):
    cases = []
    for where, examples in _unit_sections(_rules("units")):
        for i, ex in enumerate(examples):
            if "record" not in ex and (ex.get("count") is not False) == counted:
                cases.append(_case("units", f"{where}#{i}", ex))
    return cases


@pytest.mark.parametrize("example", _unit_cases(counted=True))
def test_units_example(example):
    """The first quantity (the second with `second: true`) has that unit and norm_value."""
    assert set(example) <= UNIT_EXAMPLE_KEYS, f"unknown keys {set(example) - UNIT_EXAMPLE_KEYS}: add a runner"
    quantities = find_quantities(example["text"])
    index = 1 if example.get("second") else 0
    assert len(quantities) > index, f"found only {[q.span for q in quantities]} in {example['text']!r}"
    q = quantities[index]
    assert example["text"][q.start : q.end] == q.span
    assert q.unit == example["unit"], (q.span, q.unit)
    assert math.isclose(q.norm_value, float(example["norm_value"]), rel_tol=1e-9), (q.span, q.norm_value)


@pytest.mark.parametrize(
    "example",
    [_case("units", f"{where}#{i}", ex) for where, examples in _unit_sections(_rules("units"))
     for i, ex in enumerate(examples) if "record" in ex],
)
def test_units_no_record_example(example):
    """`record: false`: the first number of the text (the second with `second:
    true`) is a quantity that gives no record; `record: true`, one that does."""
    assert set(example) <= UNIT_EXAMPLE_KEYS, f"unknown keys {set(example) - UNIT_EXAMPLE_KEYS}: add a runner"
    text = example["text"]
    index = 1 if example.get("second") else 0
    first = find_quantities(text)[index]
    assert first.start == find_numbers(text)[0][index].start, first.span
    if example["record"]:  # a guard: the same words around a figure that is one
        assert not first.no_record and any(r.start == first.start for r in extract(text)), first.span
        return
    assert first.no_record, first.span
    assert all(r.start != first.start for r in extract(text)), [r.span for r in extract(text)]


@pytest.mark.parametrize(
    "entry",
    [pytest.param(e, id=f"units.yaml:measures[{e['norm_unit']}]") for e in _rules("units")["measures"]],
)
def test_units_measure_examples_have_the_entry_norm_unit(entry):
    for ex in entry["examples"]:
        first = find_quantities(ex["text"])[0]
        assert first.norm_unit == entry["norm_unit"], (ex["text"], first.norm_unit)


@pytest.mark.parametrize("example", _unit_cases(counted=False))
def test_units_not_a_count_example(example):
    """`count: false`: the (first) number of the text is not a quantity; where the
    text holds at most one number (not_count_compounds, time_units), nothing is."""
    assert set(example) <= UNIT_EXAMPLE_KEYS, f"unknown keys {set(example) - UNIT_EXAMPLE_KEYS}: add a runner"
    text = example["text"]
    found, _ = find_numbers(text)  # an ordinal ("lần thứ 16") is not even a number here
    quantities = find_quantities(text)
    if len(found) <= 1:
        assert quantities == [], [q.span for q in quantities]
        assert extract(text) == []
    else:
        assert all(q.start != found[0].start for q in quantities), [q.span for q in quantities]
        assert all(r.start != found[0].start for r in extract(text))


# ---------------------------------------------------------------------- cues ---

CUE_FIELDS = ("status", "kind", "direction", "comparator", "baseline")
# Asides also say which year and which indicator a value belongs to.
ASIDE_FIELDS = CUE_FIELDS + ("year", "indicator")


def _walk_examples(node, path=""):
    """(path, examples list) for every `*examples*` list in a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            if "examples" in str(key) and isinstance(value, list):
                yield sub, value
            else:
                yield from _walk_examples(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_examples(value, f"{path}[{i}]")


def _cue_cases():
    cases = []
    for path, examples in _walk_examples(_rules("cues")):
        for i, ex in enumerate(examples):
            cases.append(_case("cues", f"{path}#{i}", ex))
    return cases


@pytest.mark.parametrize("example", _cue_cases())
def test_cues_example(example):
    """`published`: the year the example's article was written, when the cue needs it."""
    expected = {k: v for k, v in example.items() if k not in ("text", "published")}
    assert expected and set(expected) <= set(ASIDE_FIELDS), f"unknown fields in cue example: {sorted(expected)}"
    _, record = _record_at(example["text"], example.get("published"))
    got = {k: getattr(record, k) for k in expected}
    assert got == expected, f"span {record.span!r}"


def test_cue_examples_cover_every_comparator_and_direction():
    rules = _rules("cues")
    comparators = set(rules["comparator"]["before"]) | set(rules["comparator"]["after"])
    shown = {ex["comparator"] for ex in rules["comparator"]["examples"]}
    assert comparators <= shown | {"="}, f"comparators without an example: {sorted(comparators - shown)}"
    directions = {ex.get("direction") for ex in rules["change"]["examples"]}
    assert {"up", "down", None} <= directions
    kinds = {ex["kind"] for ex in rules["change"]["examples"]}
    assert kinds == {"level", "change"}


# ------------------------------------------------------------------- periods ---

def _period_cases():
    cases = []
    for rule in _rules("periods")["rules"]:
        for i, ex in enumerate(rule.get("examples") or []):
            cases.append(_case("periods", f"rules[{rule['name']}]#{i}", ex))
    return cases


@pytest.mark.parametrize("example", [_case("periods", f"{key}#{i}", ex)
                                     for key in ("part_of_year_examples", "not_period_after_examples",
                                                 "opening_period_examples", "term_name_examples", "item_date_examples")
                                     for i, ex in enumerate(_rules("periods")[key])])
def test_year_example(example):
    """"[bracketed]" value of an article written in `published` → its record's `year`."""
    assert set(example) == {"text", "published", "year"}, example
    _, record = _record_at(example["text"], example["published"])
    assert record.year == example["year"]


@pytest.mark.parametrize("example", [_case("periods", f"name_year_examples#{i}", ex, "name")
                                     for i, ex in enumerate(_rules("periods")["name_year_examples"])])
def test_name_year_example(example):
    assert set(example) == {"name", "year"}, example
    assert year_in_name(example["name"]) == example["year"]


@pytest.mark.parametrize("example", [_case("periods", f"name_year_records#{i}", ex)
                                     for i, ex in enumerate(_rules("periods")["name_year_records"])])
def test_name_year_record(example):
    """A value the text dates nowhere takes the year of the document's name."""
    assert set(example) == {"text", "name", "published", "year"}, example
    _, record = _record_at(example["text"], example["published"], example["name"])
    assert record.year == example["year"]


@pytest.mark.parametrize("example", _period_cases())
def test_periods_example(example):
    periods = find_periods(example["text"])
    matching = [p for p in periods if p.text == example["period"]]
    assert matching, f"expected period {example['period']!r}, found {[p.text for p in periods]}"
    period = matching[0]
    assert example["text"][period.start : period.end] == period.text
    if example["year"] == "present":
        assert period.is_present and period.year is None
    else:
        assert not period.is_present
        assert period.year == example["year"]
        assert period.year is None or isinstance(period.year, int)


# ---------------------------------------------------------------- localities ---

def _locality_cases():
    return [_case("localities", f"examples#{i}", ex) for i, ex in enumerate(_rules("localities")["examples"])]


@pytest.mark.parametrize("example", _locality_cases())
def test_localities_example(example):
    _, record = _record_at(example["text"])
    assert record.locality == example["locality"], f"span {record.span!r}"


@pytest.mark.parametrize("text, after", [
    *[pytest.param(t, True, id=f"localities.yaml:reform.examples#{i}") for i, t in enumerate(_rules("localities")["reform"]["examples"])],
    *[pytest.param(t, False, id=f"localities.yaml:reform.not_reform_examples#{i}")
      for i, t in enumerate(_rules("localities")["reform"]["not_reform_examples"])],
])
def test_reform_example(text, after):
    """A text without a date is read against the post-2025 units only when it speaks of the change."""
    from vnextract.inputs.metadata import DocumentMeta
    from vnextract.stages.localities import after_reform

    assert after_reform(text, DocumentMeta()) is after


# ---------------------------------------------------------------- indicators ---

def _indicator_cases():
    cases = []
    for entry in _rules("indicators")["indicators"]:
        for i, phrase in enumerate(entry.get("examples") or []):
            cases.append(pytest.param(entry["id"], phrase, marks=_marks("indicators", f"indicators[{entry['id']}]", phrase),
                                      id=f"indicators.yaml:indicators[{entry['id']}]#{i}:{_short(phrase)}"))
    return cases


@pytest.mark.parametrize("expected_id, phrase", _indicator_cases())
def test_indicators_example(expected_id, phrase):
    assert indicator_id(phrase) == expected_id


def _phrase_cases():
    phrase = _rules("indicators")["phrase"]
    return [_case("indicators", f"phrase.{key}#{i}", ex)
            for key in phrase if key.endswith("_examples")  # every list of examples, a new one too
            for i, ex in enumerate(phrase[key])]


@pytest.mark.parametrize("example", _phrase_cases())
def test_indicators_phrase_example(example):
    """The phrase matches as SPEC §4 scores it (syllable F1 ≥ 0.5); with
    `exact: true`, it is the expected phrase itself (folded)."""
    _, record = _record_at(example["text"])
    if example.get("exact"):
        assert fold_text(record.indicator) == fold_text(example["indicator"]), record.indicator
        return
    f1 = syllable_f1(record.indicator, example["indicator"])
    assert f1 >= 0.5, f"indicator {record.indicator!r} vs expected {example['indicator']!r}: F1={f1:.2f}"


def test_indicator_lexicon_size_and_unique_ids():
    entries = _rules("indicators")["indicators"]
    ids = [e["id"] for e in entries]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids)), "duplicate indicator ids"
    owner: dict[str, str] = {}
    for e in entries:
        assert e.get("synonyms"), f"{e['id']}: no synonyms"
        for synonym in e["synonyms"]:
            key = fold_text(synonym)
            # The lexicon maps each folded synonym to one id; a second owner would silently win.
            assert owner.setdefault(key, e["id"]) == e["id"], f"synonym {synonym!r} of {owner[key]} and {e['id']}"


# ---------------------------------------------------------------- segmentation ---

def _segmentation_cases():
    cases = []
    for syllable, entry in _rules("segmentation")["split_last"].items():
        for i, ex in enumerate(entry["examples"]):
            cases.append(_case("segmentation", f"split_last[{syllable}].examples#{i}", ex))
    return cases


@pytest.mark.parametrize("example", _segmentation_cases())
def test_segmentation_example(example):
    words = [t.text for t in tokenize(example["text"])]
    for word in example["words"]:
        assert word in words, f"{word!r} not a word of {words}"


@pytest.mark.parametrize("example", [_case("segmentation", f"glued_stop_examples#{i}", ex)
                                     for i, ex in enumerate(_rules("segmentation")["glued_stop_examples"])])
def test_glued_stop_example(example):
    assert len(split_sentences(example["text"])) == example["sentences"]


# ------------------------------------------------------------ encodings.yaml ---


def _encoding_cases():
    rules = _rules("encodings")
    for name in ("tcvn3", "vni"):
        for i, example in enumerate(rules[name]["examples"]):
            yield pytest.param(name, example, id=f"encodings.yaml:{name}#{i}:{_short(example['text'])}")


@pytest.mark.parametrize("name,example", list(_encoding_cases()))
def test_encoding_example(name, example):
    from vnextract.inputs.encodings import decode_bytes, detect

    data = example["legacy"].encode("cp1252")
    assert decode_bytes(data, encoding=name) == example["text"]
    assert detect(data)[1] == name


@pytest.mark.parametrize("example", _rules("encodings")["detect"],
                         ids=lambda e: f"encodings.yaml:detect:{e['encoding']}:{_short(e['text'])}")
def test_encoding_detect_example(example):
    from vnextract.inputs.encodings import detect, encode_cp1258, encode_legacy

    encoding = example["encoding"]
    data = encode_cp1258(example["text"]) if encoding == "cp1258" else encode_legacy(example["text"], encoding)
    text, found = detect(data)
    assert found == encoding
    assert unicodedata.normalize("NFC", text) == example["text"]


# ------------------------------------------------- rule files: load, coverage ---

@pytest.mark.parametrize("name", RULE_FILES, ids=[f"{n}.yaml" for n in RULE_FILES])
def test_rule_file_loads_and_is_nfc(name):
    data = load_rules(name)
    assert isinstance(data, dict) and data
    path = rules_dir() / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text, f"{path} is not NFC"
    # Plain yaml too, so the file is valid for any reader.
    assert yaml.safe_load(text) == data


# -------------------------------------------------------------------- features ---

def _feature_cases():
    return [_case("features", f"examples#{i}", ex) for i, ex in enumerate(_rules("features")["examples"])]


@pytest.mark.parametrize("example", _feature_cases())
def test_features_example(example):
    """The bracketed quantity's candidates carry the named features: `status`
    among its status features, `indicator` on some indicator candidate."""
    assert set(example) <= {"text", "status", "indicator"} and len(example) > 1, example
    plain, start, inner = _unbracket(example["text"])
    found: list = []
    records = build_records("example", unicodedata.normalize("NFC", plain), collect=found)
    assert any(r.start == start for r in records), f"no record at {inner!r}"
    candidates = next(c for c in found if c.start == start)
    missing = [f for f in example.get("status", []) if f not in candidates.status]
    missing += [f for f in example.get("indicator", []) if not any(f in fs for fs in candidates.indicators.values())]
    assert not missing, f"missing features {missing}"


def test_no_unknown_rule_files():
    """A YAML file in rules/ that no stage reads would be silently ignored."""
    present = {p.stem for p in rules_dir().glob("*.yaml")}
    assert present == set(RULE_FILES), f"unexpected or missing rule files: {present ^ set(RULE_FILES)}"


def _entries_needing_examples():
    """(label, examples) for every rule entry that must carry examples."""
    out = []
    numbers = _rules("numbers")
    out.append(("numbers.yaml:word_examples", numbers["word_examples"]))
    for section in ("scales", "patterns", "not_quantities", "finders"):
        for key, spec in numbers[section].items():
            out.append((f"numbers.yaml:{section}.{key}", spec.get("examples") if isinstance(spec, dict) else None))
    units = _rules("units")
    for entry in units["measures"]:
        out.append((f"units.yaml:measures[{entry['norm_unit']}]", entry.get("examples")))
    for section in ("per_suffixes", "counts", "not_count_compounds", "time_units"):
        out.append((f"units.yaml:{section}", units[section].get("examples")))
    for where, examples in _unit_sections(units):
        out.append((f"units.yaml:{where}", examples))
    cues = _rules("cues")
    for label in ("target", "actual"):
        out.append((f"cues.yaml:status.{label}", cues["status"][label].get("examples")))
    if cues["status"].get("neutral"):
        out.append(("cues.yaml:status.neutral", cues["status"].get("examples_neutral")))
    for section in ("change", "comparator", "baseline"):
        out.append((f"cues.yaml:{section}", cues[section].get("examples")))
    for rule in _rules("periods")["rules"]:
        out.append((f"periods.yaml:rules[{rule['name']}]", rule.get("examples")))
    out.append(("localities.yaml:examples", _rules("localities").get("examples")))
    indicators = _rules("indicators")
    for entry in indicators["indicators"]:
        out.append((f"indicators.yaml:indicators[{entry['id']}]", entry.get("examples")))
    out.append(("indicators.yaml:phrase.phrase_examples", indicators["phrase"].get("phrase_examples")))
    for syllable, entry in _rules("segmentation")["split_last"].items():
        out.append((f"segmentation.yaml:split_last[{syllable}]", entry.get("examples")))
    encodings = _rules("encodings")
    for name in ("tcvn3", "vni"):
        out.append((f"encodings.yaml:{name}", encodings[name].get("examples")))
    out.append(("encodings.yaml:detect", encodings.get("detect")))
    return out


@pytest.mark.parametrize("label, examples", [pytest.param(l, e, id=l) for l, e in _entries_needing_examples()])
def test_every_rule_entry_has_examples(label, examples):
    assert examples, f"{label} has no examples"


# Example lists each runner above executes (list indices written as []).
RUN_EXAMPLE_LISTS = {
    "periods": {"rules[].examples", "part_of_year_examples", "not_period_after_examples", "name_year_examples",
                "name_year_records", "opening_period_examples", "term_name_examples", "item_date_examples"},
    "localities": {"examples", "reform.examples", "reform.not_reform_examples"},
    "indicators": {"indicators[].examples", "phrase.phrase_examples", "phrase.not_indicator_examples",
                   "phrase.clause_verb_examples", "phrase.share_head_examples", "phrase.respectively_examples",
                   "phrase.dateline_examples", "phrase.contribution_examples",
                   "phrase.framing_examples", "phrase.sector_examples", "phrase.aside_opener_examples",
                   "phrase.bare_measure_examples", "phrase.item_joiner_examples", "phrase.object_examples",
                   "phrase.verb_before_head_examples", "phrase.count_head_examples",
                   "phrase.share_verb_examples", "phrase.coordinated_examples",
                   "phrase.place_set_examples"},
    "segmentation": {"split_last.ước.examples", "split_last.ước tính.examples", "glued_stop_examples"},
}


@pytest.mark.parametrize("name", ["units", "cues", "periods", "localities", "indicators", "segmentation"])
def test_every_example_list_is_run(name):
    """A rule family that grows a new `examples` list must get a runner here."""
    paths = {re.sub(r"\[\d+\]", "[]", path) for path, _ in _walk_examples(_rules(name))}
    if name == "units":
        unrun = {p for p in paths if p != "measures[].examples" and not re.fullmatch(r"\w+\.examples", p)}
    elif name == "cues":
        unrun = set()  # every examples* list of cues.yaml is collected by _cue_cases
    elif name == "indicators":  # every phrase.*_examples list is collected by _phrase_cases
        unrun = {p for p in paths - RUN_EXAMPLE_LISTS[name] if not re.fullmatch(r"phrase\.\w+_examples", p)}
    else:
        unrun = paths - RUN_EXAMPLE_LISTS[name]
    assert not unrun, f"{name}.yaml: example lists no test runs: {sorted(unrun)}"


def test_example_fields_are_well_formed():
    """Bracketed examples have exactly one bracket pair; unit examples carry unit and norm_value."""
    for path, examples in _walk_examples(_rules("cues")):
        for ex in examples:
            _unbracket(ex["text"])
    for ex in _rules("localities")["examples"]:
        _unbracket(ex["text"])
    for ex in _rules("indicators")["phrase"]["phrase_examples"]:
        _unbracket(ex["text"])
    for case in _unit_cases(counted=True):
        ex = case.values[0]
        assert {"text", "unit", "norm_value"} <= set(ex), ex
    for rule in _rules("periods")["rules"]:
        for ex in rule["examples"]:
            assert {"text", "period", "year"} <= set(ex), ex
            assert ex["year"] is None or ex["year"] == "present" or isinstance(ex["year"], int), ex


# ------------------------------------------------------------------ RuleError ---

_BROKEN_SCRIPT = r"""
import sys
from vnextract.rules import RuleError
from vnextract import extract
try:
    extract("Tỷ lệ đô thị hóa đạt 36,3%.")
except RuleError as err:
    print("RULEERROR", err)
    sys.exit(0)
print("NO ERROR")
sys.exit(3)
"""


def _run_with_rules(rules_path: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "VNEXTRACT_RULES": str(rules_path)}
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "vnextract.cli", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("broken", ["units", "cues", "periods"])
def test_rule_error_names_the_broken_file(tmp_path, broken):
    """Run in a subprocess so the rule caches of this process stay clean."""
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / f"{broken}.yaml").write_text("measures: [unclosed\n  - {text: \n", encoding="utf-8")
    proc = _run_with_rules(rules, script=_BROKEN_SCRIPT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "RULEERROR" in proc.stdout
    assert str(rules / f"{broken}.yaml") in proc.stdout
    assert "bad YAML" in proc.stdout


def test_rule_error_for_missing_and_non_mapping_file(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / "periods.yaml").unlink()
    proc = _run_with_rules(rules, script=_BROKEN_SCRIPT)
    assert "RULEERROR" in proc.stdout, proc.stdout + proc.stderr
    assert str(rules / "periods.yaml") in proc.stdout and "cannot read" in proc.stdout

    shutil.copy(rules_dir() / "periods.yaml", rules / "periods.yaml")
    (rules / "units.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    proc = _run_with_rules(rules, script=_BROKEN_SCRIPT)
    assert "RULEERROR" in proc.stdout, proc.stdout + proc.stderr
    assert str(rules / "units.yaml") in proc.stdout and "mapping" in proc.stdout


def test_cli_reports_a_broken_rule_file(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / "cues.yaml").write_text("status: {target: [\n", encoding="utf-8")
    proc = _run_with_rules(rules, "extract", "corpus/dev/haiha-2024.txt")
    assert proc.returncode != 0
    assert str(rules / "cues.yaml") in proc.stderr, proc.stderr


def test_rule_cache_is_clean_after_in_process_reload(tmp_path, monkeypatch):
    """In-process: pointing VNEXTRACT_RULES at a copy and clearing the cache reads
    the copy; restoring the environment and the cache gives the repo rules back."""
    from vnextract import rules as rules_module

    original = load_rules("units")
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    (copy / "units.yaml").write_text("measures: [\n", encoding="utf-8")
    monkeypatch.setenv("VNEXTRACT_RULES", str(copy))
    rules_module._load.cache_clear()
    try:
        with pytest.raises(rules_module.RuleError, match=re.escape(str(copy / "units.yaml"))):
            load_rules("units")
    finally:
        monkeypatch.delenv("VNEXTRACT_RULES")
        rules_module._load.cache_clear()
    assert load_rules("units") == original


# -------------------------------------------------------------------- tables ---


@pytest.mark.parametrize("example", [_case("tables", f"roles.examples#{i}", ex, "header")
                                     for i, ex in enumerate(_rules("tables")["roles"]["examples"])])
def test_tables_header_example(example):
    column = header_column(example["header"])
    assert column.role == example["role"], (example["header"], column.role)
    if "year" in example:
        assert column.period is not None and column.period.year == example["year"]


@pytest.mark.parametrize("example", [_case("tables", f"roles.not#{i}", ex, "header")
                                     for i, ex in enumerate(_rules("tables")["roles"]["not"])])
def test_tables_not_header_example(example):
    assert header_role(example["header"]) is None


@pytest.mark.parametrize("example", [_case("tables", f"label_examples#{i}", ex, "label")
                                     for i, ex in enumerate(_rules("tables")["label_examples"])])
def test_tables_label_example(example):
    indicator, unit = row_label(example["label"])
    assert indicator == example["indicator"]
    assert unit == example.get("unit")


@pytest.mark.parametrize("example", [_case("tables", f"cell_examples#{i}", ex, "cell")
                                     for i, ex in enumerate(_rules("tables")["cell_examples"])])
def test_tables_cell_example(example):
    found = cell_figure(example["cell"])
    assert found is not None, example["cell"]
    value, value_max, comparator = found
    assert math.isclose(value, example["value"])
    assert value_max == example.get("value_max")
    assert comparator == example.get("comparator", "=")


@pytest.mark.parametrize("cell", [_case("tables", f"not_cells#{i}", ex) for i, ex in enumerate(_rules("tables")["not_cells"])])
def test_tables_not_cell_example(cell):
    assert cell_figure(cell) is None
