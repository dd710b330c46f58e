"""The dev set end to end: through the public API and through the CLI.

The dev corpus is extracted once for this module (with its metadata sheet,
corpus/dev.sources.tsv, picked up beside the folder) and evaluated once.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from vnextract.inputs.documents import Document
from vnextract.inputs.metadata import read_sheet
from vnextract.pipeline import extract_documents
from vnextract.evaluation.scoring import evaluate, values_equal
from vnextract.outputs.writers import load_jsonl_records, read_records

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"
SHEET = ROOT / "corpus" / "dev.sources.tsv"
SAMPLES = ("haiha-2024", "damha-2024")
SUMMARY = re.compile(
    r"^record P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3} mention P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3}$"
)


def _nfc_text(doc_id: str) -> str:
    return unicodedata.normalize("NFC", (DEV / f"{doc_id}.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev():
    """doc_id → (Document, records), extracted once through the public API."""
    out = {}
    for item, records in extract_documents([str(DEV)]):
        assert isinstance(item, Document), f"dev document failed: {item}"
        out[item.doc_id] = (item, records)
    return out


@pytest.fixture(scope="module")
def gold():
    return load_jsonl_records(GOLD)


@pytest.fixture(scope="module")
def report(dev, gold):
    predicted = [r.to_dict() for _, records in dev.values() for r in records]
    return evaluate(gold, predicted)


@pytest.fixture(scope="module")
def api_count(dev):
    return sum(len(records) for _, records in dev.values())


# ------------------------------------------------------- grounding and schema ---

def test_every_dev_file_is_extracted_with_its_sheet(dev):
    assert set(dev) == {p.stem for p in DEV.glob("*.txt")}
    sheet = read_sheet(SHEET)
    for doc_id, (doc, _) in dev.items():
        assert doc.meta == sheet[doc_id]
        assert doc.text == _nfc_text(doc_id)


def test_dev_records_grounded_and_schema_valid(dev, check_record):
    problems = []
    for doc_id, (doc, records) in dev.items():
        text = _nfc_text(doc_id)
        assert records, f"{doc_id}: no records"
        for r in records:
            assert r.doc_id == doc_id
            try:
                check_record(r, text)
            except AssertionError as err:
                problems.append(f"{doc_id}: {err}")
    assert not problems, "\n".join(problems[:30])


def test_dev_records_in_text_order_without_overlaps(dev):
    for doc_id, (_, records) in dev.items():
        for a, b in zip(records, records[1:]):
            assert a.end <= b.start, f"{doc_id}: {a.span!r}@{a.start} overlaps or precedes {b.span!r}@{b.start}"


def test_gold_is_grounded_too(gold, dev):
    """The gold set itself indexes the NFC texts (else every score is meaningless)."""
    for g in gold:
        text = dev[g["doc_id"]][0].text
        assert text[g["start"] : g["end"]] == g["span"], g


# ----------------------------------------------------------- sample articles ---

# Required gold records the extractor currently gets wrong (strict: remove the
# entry when fixed). Keyed by (doc_id, gold start).
KNOWN_SAMPLE_FAILURES: dict[tuple[str, int], str] = {}


def _sample_gold_cases():
    cases = []
    for g in load_jsonl_records(GOLD):
        if g["doc_id"] in SAMPLES and not g.get("optional"):
            reason = KNOWN_SAMPLE_FAILURES.get((g["doc_id"], g["start"]))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            span = unicodedata.normalize("NFD", g["span"])
            span = "".join(c for c in span if not unicodedata.combining(c)).replace("đ", "d")
            cases.append(pytest.param(g, id=f"{g['doc_id']}@{g['start']}:{span}", marks=marks))
    return cases


@pytest.mark.parametrize("g", _sample_gold_cases())
def test_sample_required_gold_record_found(g, dev):
    _, records = dev[g["doc_id"]]
    overlapping = [r for r in records if r.start < g["end"] and g["start"] < r.end]
    assert overlapping, f"gold {g['span']!r}@{g['start']} not found"
    r = max(overlapping, key=lambda r: min(r.end, g["end"]) - max(r.start, g["start"]))
    got = {"value": r.value, "norm_value": r.norm_value, "norm_unit": r.norm_unit, "status": r.status,
           "comparator": r.comparator}
    want = {k: g[k] for k in got}
    assert values_equal(r.value, g["value"]) and values_equal(r.norm_value, g["norm_value"]), (got, want)
    assert (r.norm_unit, r.status, r.comparator) == (g["norm_unit"], g["status"], g["comparator"]), (got, want)


def test_sample_articles_have_all_required_gold(gold):
    required = [g for g in gold if g["doc_id"] in SAMPLES and not g.get("optional")]
    assert {g["doc_id"] for g in required} == set(SAMPLES)
    assert len(required) >= 40


NOT_RECORDS = ("16-NQ/HU", "10/8/2021", "2020-2025", "lần thứ XXV", "2020 – 2025", "06-NQ/TU", "17/5/2021")


@pytest.mark.parametrize("phrase", NOT_RECORDS)
def test_sample_articles_no_record_over_non_quantities(phrase, dev):
    occurrences = 0
    for doc_id in SAMPLES:
        doc, records = dev[doc_id]
        for m in re.finditer(re.escape(phrase), doc.text):
            occurrences += 1
            hit = [r.span for r in records if r.start < m.end() and m.start() < r.end]
            assert hit == [], f"{doc_id}: record {hit} over {phrase!r} at {m.start()}"
    assert occurrences, f"{phrase!r} not found in the sample articles"


# ------------------------------------------------------------ score floors ---

SPLITS = ROOT / "corpus" / "splits"
# Record F1 floors per split, with the shipped model (trained on all 99) and
# with the rules alone: the articles the rules were written from (dev-67) and
# those added later (new-32), at the level reached when they were set; a
# change that costs accuracy must say so here.
RECORD_FLOORS = {("dev-67", "default"): 0.95, ("new-32", "default"): 0.935,
                 ("dev-67", "rules"): 0.95, ("new-32", "rules"): 0.935}


def _split(name: str) -> set[str]:
    return set((SPLITS / f"{name}.txt").read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def rules_records(dev):
    """The dev documents decided by the rules alone."""
    from vnextract.stages.records import build_records

    return [r.to_dict() for document, _ in dev.values()
            for r in build_records(document.doc_id, document.text, document.meta, model=None)]


def test_mention_and_record_f1_floors(report):
    assert report.mention.f1 >= 0.99, report.summary_line()
    assert report.record.f1 >= 0.945, report.summary_line()


@pytest.mark.parametrize("split, model", RECORD_FLOORS, ids=[f"{s}-{m}" for s, m in RECORD_FLOORS])
def test_record_f1_floor_per_split(split, model, dev, gold, rules_records):
    docs = _split(split)
    predicted = rules_records if model == "rules" else [r.to_dict() for _, records in dev.values() for r in records]
    scored = evaluate([g for g in gold if g["doc_id"] in docs], [p for p in predicted if p["doc_id"] in docs])
    assert scored.record.f1 >= RECORD_FLOORS[split, model], scored.summary_line()


def test_counts_reach_nouns_the_list_does_not_name():
    """With the counted nouns of units.yaml cut to places, the part-of-speech
    rule still finds the gold counts (scripts/counted_nouns_ablation.py prints
    all three ways): the list is not what finds them."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "counted_nouns_ablation.py"
    out = subprocess.run([sys.executable, str(script), "--way", "places+pos"], capture_output=True, text=True,
                         check=True)
    scored = json.loads(out.stdout.strip().splitlines()[-1])
    assert scored["counts_found"] >= 0.95 * scored["counts"], scored
    assert scored["mention_f1"] >= 0.99, scored


FIELD_FLOORS = {"value": 0.99, "norm_unit": 0.99, "status": 0.99, "comparator": 0.99, "kind": 0.98,
                "year": 0.965, "locality": 0.98, "indicator": 0.95}


@pytest.mark.parametrize("field, floor", FIELD_FLOORS.items())
def test_field_accuracy_floor(report, field, floor):
    accuracy = report.field_accuracy[field]
    assert accuracy >= floor, f"{field}: {accuracy:.3f} < {floor} ({report.micro.field_correct[field]}/{report.pairs})"


def test_every_dev_document_is_scored(report, dev):
    assert set(report.documents) == set(dev)


# ---------------------------------------------------------------------- CLI ---

def _cli(*args: str, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("VNEXTRACT_RULES", None)
    return subprocess.run([sys.executable, "-m", "vnextract.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def cli_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def cli_csv(cli_dir):
    out = cli_dir / "records.csv"
    proc = _cli("extract", "corpus/dev", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, proc


@pytest.fixture(scope="module")
def cli_eval(cli_dir):
    json_path, errors_path = cli_dir / "r.json", cli_dir / "e.csv"
    proc = _cli("eval", "--gold", "corpus/gold/dev.jsonl", "corpus/dev", "--json", str(json_path),
                "--errors", str(errors_path), "--by", "doc")
    return proc, json_path, errors_path


def test_cli_extract_csv(cli_csv, api_count, spec_columns):
    out, proc = cli_csv
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == spec_columns
    assert len(frame) == api_count
    assert re.search(rf"\b{api_count} records\b", proc.stderr) and re.search(r"(?<!\d)0 errors\b", proc.stderr), proc.stderr
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []  # no temp files


def test_cli_extract_csv_matches_api(cli_csv, dev):
    # Read back as a user's script would: cells made safe for spreadsheets ("'-15,31%") come back raw.
    out, _ = cli_csv
    api = [(r.doc_id, r.start, r.end, r.span, r.status, r.locality or "") for _, recs in dev.values() for r in recs]
    cli = [(r["doc_id"], r["start"], r["end"], r["span"], r["status"], r["locality"] or "") for r in read_records(out)]
    assert sorted(cli) == sorted(api)


def test_cli_extract_single_file_jsonl_to_stdout(dev, check_record):
    proc = _cli("extract", "corpus/dev/haiha-2024.txt")
    assert proc.returncode == 0, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    rows = [json.loads(l) for l in lines]
    assert rows and all(r["doc_id"] == "haiha-2024" for r in rows)
    text = _nfc_text("haiha-2024")
    for r in rows:
        check_record(r, text)
    assert proc.stdout.endswith("\n")
    assert re.search(r"(?<!\d)1 documents?\b", proc.stderr) and re.search(rf"(?<!\d){len(rows)} records\b", proc.stderr)


def test_cli_extract_meta_option(tmp_path):
    """--meta applies a sheet to a single file (no folder beside it)."""
    sheet = tmp_path / "meta.tsv"
    sheet.write_text("doc_id\tlocality\tyear\nx\tGia Lai / huyện Chư Păh\t2023\n", encoding="utf-8")
    doc = tmp_path / "x.txt"
    doc.write_text("Tổng thu ngân sách đạt 598 tỷ đồng.\n", encoding="utf-8")
    proc = _cli("extract", str(doc), "--meta", str(sheet))
    assert proc.returncode == 0, proc.stderr
    [row] = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    assert row["locality"] == "huyện Chư Păh" and row["year"] == 2023


def test_cli_eval(cli_eval, report, dev):
    proc, json_path, errors_path = cli_eval
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.rstrip("\n").splitlines()
    assert SUMMARY.match(lines[-1]), lines[-1]
    assert lines[-1] == report.summary_line()
    for doc_id in dev:  # --by doc
        assert any(l.startswith(doc_id) for l in lines), doc_id
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["record"]["f1"] == pytest.approx(report.record.f1)
    assert data["mention"]["f1"] == pytest.approx(report.mention.f1)
    assert errors_path.read_bytes().startswith(b"\xef\xbb\xbf")
    errors = pd.read_csv(errors_path, encoding="utf-8-sig", keep_default_na=False)
    assert {"doc_id", "error", "fields"} <= set(errors.columns)
    assert len(errors) == len(report.errors)
    assert set(errors["error"]) <= {"FP", "FN", "pair"}


def test_cli_eval_pred_csv_gives_the_same_summary(cli_csv, cli_eval):
    out, _ = cli_csv
    folder_proc, _, _ = cli_eval
    proc = _cli("eval", "--gold", "corpus/gold/dev.jsonl", "--pred", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip("\n").splitlines()[-1] == folder_proc.stdout.rstrip("\n").splitlines()[-1]


def test_cli_bad_file_in_folder(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(DEV / f"{name}.txt", folder / f"{name}.txt")
    bad = folder / "broken.txt"
    bad.write_bytes("Thu nhập đạt 5%".encode("utf-8") + b"\xc3\x28 \xff")
    out = tmp_path / "out.jsonl"
    proc = _cli("extract", str(folder), "-o", str(out))
    assert proc.returncode != 0
    assert str(bad) in proc.stderr or "broken.txt" in proc.stderr, proc.stderr
    rows = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines() if l.strip()]
    assert {r["doc_id"] for r in rows} == set(SAMPLES)
    expected = sum(len(recs) for _, recs in extract_documents([str(DEV / f"{n}.txt") for n in SAMPLES]))
    assert len(rows) == expected


def test_cli_show_writes_html(tmp_path):
    out = tmp_path / "p.html"
    proc = _cli("show", "corpus/dev/haiha-2024.txt", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<mark" in page and "89,6 triệu đồng" in page


def test_cli_show_bad_file_is_an_error_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    proc = _cli("show", str(bad), "-o", str(tmp_path / "p.html"))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "bad.txt" in proc.stderr
    assert not (tmp_path / "p.html").exists()


def test_cli_usage_errors(tmp_path):
    proc = _cli("extract", "corpus/dev/haiha-2024.txt", "-o", str(tmp_path / "x.ods"))
    assert proc.returncode == 2 and "format" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
    proc = _cli("eval", "--gold", "corpus/gold/dev.jsonl")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_eval_with_no_document_of_the_gold_set_says_nothing_to_score(tmp_path, capsys):
    from vnextract.cli import main

    (tmp_path / "other.txt").write_text("Năm 2024, thu nhập bình quân đạt 60 triệu đồng.", encoding="utf-8")
    assert main(["eval", "--gold", str(GOLD), str(tmp_path / "other.txt")]) == 1
    captured = capsys.readouterr()
    assert "nothing to score" in captured.err and "F1" not in captured.out


def test_eval_pred_of_an_unknown_kind_names_the_kinds_it_reads(tmp_path, capsys):
    from vnextract.cli import main

    assert main(["eval", "--gold", str(GOLD), "--pred", str(ROOT / "corpus" / "dev" / "haiha-2024.txt")]) == 2
    err = capsys.readouterr().err
    assert "haiha-2024.txt" in err and ".jsonl" in err and "--format" not in err


def test_a_records_csv_given_as_gold_says_what_gold_is(tmp_path, capsys):
    from vnextract.cli import main

    records = tmp_path / "records.csv"
    assert main(["extract", str(ROOT / "corpus" / "dev" / "haiha-2024.txt"), "-o", str(records)]) == 0
    capsys.readouterr()
    assert main(["eval", "--gold", str(records), str(ROOT / "corpus" / "dev" / "haiha-2024.txt")]) == 2
    err = capsys.readouterr().err
    assert "JSONL" in err and "--pred" in err and "malformed JSON" not in err
