"""The learned decisions: training, the shipped model, confidence, and the
commands that take a model (`train`, `eval --cv`, `--model`, `show --below`,
`labelstudio export --order uncertain`)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vnextract import extract
from vnextract.evaluation.scoring import evaluate
from vnextract.outputs.writers import load_jsonl_records, read_records, write_records
from vnextract.stages.decisions import DEFAULT_MODEL, ModelError, load_model, read_model

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"
FEW = ("haiha-2024", "damha-2024", "ca-mau-dai-hoi-dang-bo-2020", "lao-cai-25-chi-tieu-2024",
       "phu-tho-nghi-quyet-ktxh-2023", "quang-binh-viec-lam-2016")
SENTENCE = "Năm 2023, thu ngân sách đạt 1.200 tỷ đồng. Phấn đấu năm 2025 thu nhập bình quân đạt 80 triệu đồng."


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("VNEXTRACT_MODEL", None)
    return subprocess.run([sys.executable, "-m", "vnextract.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def few(tmp_path_factory):
    """Six dev articles and their gold: a small gold set of a user's own."""
    folder = tmp_path_factory.mktemp("few")
    docs = folder / "docs"
    docs.mkdir()
    for doc_id in FEW:
        (docs / f"{doc_id}.txt").write_bytes((ROOT / "corpus" / "dev" / f"{doc_id}.txt").read_bytes())
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in load_jsonl_records(GOLD)
                            if g["doc_id"] in FEW), encoding="utf-8")
    return docs, gold


def test_train_reproduces_the_shipped_model_byte_for_byte(tmp_path):
    out = tmp_path / "model.json"
    proc = _cli("train", "--gold", "corpus/gold/dev.jsonl", "corpus/dev", "-o", str(out), "--cv", "0")
    assert proc.returncode == 0, proc.stderr
    assert "trained on 99 documents" in proc.stdout
    assert out.read_bytes() == DEFAULT_MODEL.read_bytes(), "run scripts/train_default_model.sh and commit the model"


def test_shipped_model_is_small_plain_json():
    assert DEFAULT_MODEL.stat().st_size <= 5 * 2**20
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    for decision in ("status", "year", "indicator", "confidence"):
        assert isinstance(data[decision]["bias"], float)
        assert all(isinstance(k, str) and isinstance(v, float) for k, v in data[decision]["weights"].items())


def test_deciding_loads_no_learning_library():
    """The model is read as JSON and applied by hand: no scikit-learn at extraction."""
    code = ("import sys; from vnextract import extract; "
            f"r = extract({SENTENCE!r}); assert r and r[0].confidence is not None, r; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'lightgbm')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.stdout.strip() == "[]"


def test_train_on_a_users_gold_prints_its_data_and_cross_validation(few, tmp_path):
    docs, gold = few
    out = tmp_path / "mine.json"
    proc = _cli("train", "--gold", str(gold), str(docs), "-o", str(out), "--cv", "2")
    assert proc.returncode == 0, proc.stderr
    assert f"trained on {len(FEW)} documents" in proc.stdout
    assert "rules F1" in proc.stdout and "model F1" in proc.stdout
    assert len([line for line in proc.stdout.splitlines() if line.split()[:1] in (["1"], ["2"])]) == 2
    assert read_model(out).meta["documents"] == len(FEW)
    # The trained model is used by extract and eval.
    pred = tmp_path / "pred.jsonl"
    proc = _cli("extract", str(docs), "-o", str(pred), "--model", str(out))
    assert proc.returncode == 0, proc.stderr
    records = load_jsonl_records(pred)
    assert records and all(0.0 <= r["confidence"] <= 1.0 for r in records)


def test_eval_cv_prints_rules_beside_the_model_per_fold(few):
    docs, gold = few
    proc = _cli("eval", "--gold", str(gold), str(docs), "--cv", "3")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split() for line in proc.stdout.splitlines() if line.split()[:1] in (["1"], ["2"], ["3"])]
    assert len(rows) == 3 and all(0.0 <= float(row[3]) <= 1.0 and 0.0 <= float(row[4]) <= 1.0 for row in rows)
    assert "micro over the folds" in proc.stdout


def test_model_rules_decides_by_the_rules_and_gives_no_confidence():
    by_rules = extract(SENTENCE, model="rules")
    assert [r.status for r in by_rules] == ["actual", "target"]
    assert all(r.confidence is None for r in by_rules)
    assert all(r.evidence["confidence"] == {"status": None, "indicator": None, "year": None} for r in by_rules)
    decided = extract(SENTENCE)
    assert [r.status for r in decided] == ["actual", "target"]
    for record in decided:
        assert 0.0 <= record.confidence <= 1.0
        assert set(record.evidence["confidence"]) == {"status", "indicator", "year"}


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ('{"status": {}}', "make one with `vnextract train`"),
    ('{"status": {"weights": {}}, "year": {"weights": {}, "bias": 0}, "indicator": {"weights": {}, "bias": 0}}',
     "status.bias is not a finite number"),
    ('{"status": {"weights": [], "bias": 0}, "year": {"weights": {}, "bias": 0}, "indicator": {"weights": {}, "bias": 0}}',
     "status.weights is not a map of names to finite numbers"),
    ('{"status": {"weights": {"a": NaN}, "bias": 0}, "year": {"weights": {}, "bias": 0}, "indicator": {"weights": {}, "bias": 0}}',
     "status.weights is not a map of names to finite numbers"),
    ('{"status": {"weights": {}, "bias": Infinity}, "year": {"weights": {}, "bias": 0}, "indicator": {"weights": {}, "bias": 0}}',
     "status.bias is not a finite number"),
], ids=["not-json", "no-weights", "no-bias", "weights-a-list", "nan-weight", "infinite-bias"])
def test_a_bad_model_file_is_an_error_naming_it(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        read_model(bad)
    proc = _cli("extract", "corpus/dev/haiha-2024.txt", "--model", str(bad))
    assert proc.returncode == 2 and str(bad) in proc.stderr and "Traceback" not in proc.stderr


def test_missing_model_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ModelError, match="cannot read the model file"):
        load_model(tmp_path / "nope.json")


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_confidence_is_written_and_read_back(tmp_path, suffix):
    records = extract(SENTENCE)
    out = tmp_path / f"records{suffix}"
    write_records(records, out, evidence=True)
    back = read_records(out)
    assert [b["confidence"] for b in back] == [r.confidence for r in records]
    assert [b["evidence"]["confidence"] for b in back] == [r.evidence["confidence"] for r in records]


def test_confidence_orders_records_by_how_often_they_are_right():
    """On the dev set, records the model is surer of are more often right."""
    dev = ROOT / "corpus" / "dev"
    from vnextract.pipeline import extract_documents

    preds = [r.to_dict() for _, records in extract_documents([str(dev)]) for r in records]
    bands = evaluate(load_jsonl_records(GOLD), preds).calibration()
    shares = [b["right"] / b["records"] for b in bands if b["records"] >= 20]
    assert len(shares) >= 2 and shares == sorted(shares), bands


def test_labelstudio_export_uncertain_first(few, tmp_path):
    docs, _ = few
    out = tmp_path / "tasks.json"
    proc = _cli("labelstudio", "export", str(docs), "-o", str(out), "--order", "uncertain")
    assert proc.returncode == 0, proc.stderr
    scores = [t["predictions"][0]["score"] for t in json.loads(out.read_text(encoding="utf-8"))]
    assert len(scores) == len(FEW) and scores == sorted(scores)


def test_show_below_lists_only_the_uncertain_records_least_certain_first(tmp_path):
    page = tmp_path / "haiha.html"
    proc = _cli("show", "corpus/dev/haiha-2024.txt", "-o", str(page), "--below", "0.9")
    assert proc.returncode == 0, proc.stderr
    html = page.read_text(encoding="utf-8")
    import re

    shown = [float(v) for v in re.findall(r'<tr class="rec [^"]*" tabindex="0" data-i="\d+" data-status="\w+" '
                                          r'data-confidence="([0-9.]+)"', html)]
    every = [r.confidence for r in extract((ROOT / "corpus/dev/haiha-2024.txt").read_text(encoding="utf-8"))]
    assert shown == sorted(round(c, 2) for c in every if c < 0.9)
    assert 'class="rec' in html and "conf-" in html
    assert f"{len(shown)} of {len(every)} records shown: confidence below 0.9" in html  # the page says it filters


def test_show_below_says_so_on_the_index(tmp_path):
    proc = _cli("show", "corpus/dev/haiha-2024.txt", "corpus/dev/damha-2024.txt", "-o", str(tmp_path / "r"),
                "--below", "0.9")
    assert proc.returncode == 0, proc.stderr
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "only the records with confidence below 0.9" in index and ">below 0.9</th>" in index
    from vnextract.review.report import collect

    reports = collect([str(ROOT / "corpus/dev/haiha-2024.txt"), str(ROOT / "corpus/dev/damha-2024.txt")])
    for report in reports:
        report.below = 0.9
    shown = sum(len(r.shown()) for r in reports)
    assert f"({shown} shown: confidence below 0.9)" in proc.stderr  # the terminal says it filters too


def test_model_option_holds_for_its_command_only(tmp_path, capsys):
    """`main([... "--model", "rules"])` in a process does not change what a later call decides with."""
    from vnextract.cli import main
    from vnextract.pipeline import MODEL_VARIABLE

    article = tmp_path / "a.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    ruled, default = tmp_path / "rules.jsonl", tmp_path / "default.jsonl"
    assert main(["extract", str(article), "-o", str(ruled), "--model", "rules", "--workers", "1"]) == 0
    assert MODEL_VARIABLE not in os.environ
    assert main(["extract", str(article), "-o", str(default), "--workers", "1"]) == 0
    assert all(r["confidence"] is None for r in load_jsonl_records(ruled))
    assert all(r["confidence"] is not None for r in load_jsonl_records(default))


def test_a_retrained_model_file_is_read_again(tmp_path):
    """A model file written anew in the same place is what the next extraction uses."""
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    path = tmp_path / "m.json"
    for bias in (9.0, -9.0):  # status: all targets, then all results
        data["status"] = {"bias": bias, "weights": {}}
        path.write_text(json.dumps(data), encoding="utf-8")
        os.utime(path, ns=(int(bias) * 10**9 + 2 * 10**18, int(bias) * 10**9 + 2 * 10**18))
        assert {r.status for r in extract(SENTENCE, model=str(path))} == {"target" if bias > 0 else "actual"}


def test_train_on_one_or_two_documents(tmp_path, few):
    docs, gold = few
    one = tmp_path / "one"
    one.mkdir()
    (one / f"{FEW[0]}.txt").write_bytes((docs / f"{FEW[0]}.txt").read_bytes())
    out = tmp_path / "one.json"
    proc = _cli("train", "--gold", str(gold), str(one), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert read_model(out).calibration is None  # nothing held out to calibrate on: the product of the probabilities
    two = tmp_path / "two"
    two.mkdir()
    for doc_id in FEW[:2]:
        (two / f"{doc_id}.txt").write_bytes((docs / f"{doc_id}.txt").read_bytes())
    proc = _cli("eval", "--gold", str(gold), str(two), "--cv", "5")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("2-fold cross-validation")


def test_training_examples_skip_the_figures_of_tables():
    """A table's figures have no prose candidates: the examples of a document
    with one are its prose figures, each with its own candidates."""
    from vnextract.inputs.documents import Document, DocumentMeta
    from vnextract.learning import prepare

    prose = "Năm 2023, thu ngân sách đạt 1.200 tỷ đồng."
    table = ("Chỉ tiêu\tĐVT\tKế hoạch năm 2023\tThực hiện năm 2023\n"
             "Thu ngân sách nhà nước trên địa bàn\tTỷ đồng\t420\t455,6\n")
    text = f"{prose}\n\n{table}\nNăm 2024, thu nhập bình quân đạt 70 triệu đồng."
    golds = [{"doc_id": "t", "start": text.index(span), "end": text.index(span) + len(span), "span": span,
              "status": "actual", "indicator": indicator} for span, indicator in
             [("1.200 tỷ đồng", "thu ngân sách"), ("455,6", "thu ngân sách"), ("70 triệu đồng", "thu nhập bình quân")]]
    training = prepare(golds, [Document("t", text, "t.txt", DocumentMeta(year=2024))])
    assert training.examples.records == 2
    assert [q[1].start for q in training.examples.quantities] == [golds[0]["start"], golds[2]["start"]]


# ------------------------------------------------- --model on records already made


def test_track_says_model_does_not_redecide_records_read_from_a_file(tmp_path, capsys):
    from vnextract.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Năm 2024, huyện phấn đấu thu nhập bình quân đạt 60 triệu đồng. "
                       "Năm 2024, thu nhập bình quân đạt 58 triệu đồng.", encoding="utf-8")
    records = tmp_path / "records.jsonl"
    assert main(["extract", str(article), "-o", str(records)]) == 0
    capsys.readouterr()
    assert main(["track", str(records), "-o", str(tmp_path / "t.csv"), "--model", "rules"]) == 0
    err = capsys.readouterr().err
    assert f"--model does not apply to {records}" in err


def test_labelstudio_export_refuses_model_with_records(tmp_path, capsys):
    from vnextract.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Năm 2024, thu nhập bình quân đạt 58 triệu đồng.", encoding="utf-8")
    records = tmp_path / "records.jsonl"
    assert main(["extract", str(article), "-o", str(records)]) == 0
    capsys.readouterr()
    status = main(["labelstudio", "export", str(article), "--records", str(records), "-o", str(tmp_path / "t.json"),
                   "--model", "rules"])
    assert status == 2
    assert "--records" in capsys.readouterr().err and not (tmp_path / "t.json").exists()


@pytest.mark.parametrize("command", ["train", "eval"])
def test_a_docs_list_naming_documents_without_gold_says_which(few, tmp_path, command):
    docs, gold = few
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{FEW[0]}\nhaiha-2042\n", encoding="utf-8")
    out = ["-o", str(tmp_path / "m.json"), "--cv", "0"] if command == "train" else []
    proc = _cli(command, "--gold", str(gold), str(docs), "--docs", str(ids), *out)
    assert proc.returncode == 0, proc.stderr
    assert f"{ids}: 1 of its 2 doc_ids has no gold record in {gold}: haiha-2042" in proc.stderr
    ids.write_text("haiha-2042\n", encoding="utf-8")
    proc = _cli(command, "--gold", str(gold), str(docs), "--docs", str(ids), *out)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{ids}: none of its 1 doc_ids has a gold record in {gold}" in proc.stderr


@pytest.mark.parametrize("content, problem", [
    (None, "cannot read (No such file or directory)"),
    (b"\xff\xfehaiha", "not UTF-8 text (byte 0xff at position 0)"),
], ids=["missing", "not-utf8"])
def test_an_unreadable_docs_list_is_an_error_naming_it(few, tmp_path, content, problem):
    docs, gold = few
    ids = tmp_path / "ids.txt"
    if content is not None:
        ids.write_bytes(content)
    for command, out in (("train", ["-o", str(tmp_path / "m.json")]), ("eval", [])):
        proc = _cli(command, "--gold", str(gold), str(docs), "--docs", str(ids), *out)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"vnextract: error: {ids}: {problem}" in proc.stderr


def test_train_counts_one_document_in_the_singular(few, tmp_path):
    docs, gold = few
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{FEW[0]}\n", encoding="utf-8")
    proc = _cli("train", "--gold", str(gold), str(docs), "--docs", str(ids), "-o", str(tmp_path / "m.json"), "--cv", "0")
    assert proc.returncode == 0, proc.stderr
    assert "trained on 1 document:" in proc.stdout
