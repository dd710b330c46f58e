"""Hostile and mistaken inputs: nothing is dropped without a word, every
document's cost is bounded, and one bad document never costs the others, in
every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vnextract.cli import main
from vnextract.inputs.documents import Document, DocumentFailure, iter_documents
from vnextract.inputs.limits import Limits

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
ENV.pop("VNEXTRACT_RULES", None)

ARTICLE = "Năm 2024, thu nhập bình quân đầu người của huyện đạt 89,6 triệu đồng, tăng 15% so với cùng kỳ.\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _cli(*args, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnextract.cli", *map(str, args)], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def _doc_ids(out: Path) -> set[str]:
    return {json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()}


# ------------------------------------------------ nothing dropped silently


def test_a_symlink_loop_is_one_error_and_the_other_files_are_read(tmp_path, capsys):
    folder = tmp_path / "archive"
    _write(folder / "a.txt", ARTICLE)
    _write(folder / "z.txt", ARTICLE)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 1
    assert _doc_ids(out) == {"a", "z"}
    err = capsys.readouterr().err
    assert err.count("loop.txt") == 1 and "symbolic link" in err
    assert "2 documents" not in err and "3 documents" in err


def test_a_loop_of_two_links_in_a_subfolder_costs_only_itself(tmp_path):
    folder = tmp_path / "archive"
    _write(folder / "sub" / "b.txt", ARTICLE)
    (folder / "sub" / "x.txt").symlink_to(folder / "sub" / "y.txt")
    (folder / "sub" / "y.txt").symlink_to(folder / "sub" / "x.txt")
    items = list(iter_documents([folder]))
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["sub/b"]
    assert sorted(Path(i.source).name for i in items if isinstance(i, DocumentFailure)) == ["x.txt", "y.txt"]


def test_files_of_other_kinds_are_listed_once_as_skipped(tmp_path, capsys):
    folder = tmp_path / "archive"
    _write(folder / "a.txt", ARTICLE)
    for name in ("scan-1.png", "scan-2.png", "bundle.zip", "notes.md", "sub/photo.jpg"):
        _write(folder / name, b"x")
    _write(folder / ".DS_Store", b"x")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if "skipped 5 files" in line]
    assert str(folder) in line and "bundle.zip" in line and ".txt" in line
    assert ".DS_Store" not in err


def test_an_empty_text_file_is_an_error_naming_it(tmp_path, capsys):
    folder = tmp_path / "archive"
    _write(folder / "a.txt", ARTICLE)
    _write(folder / "empty.txt", "")
    _write(folder / "blank.txt", " \n\t\n")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err and "blank.txt" in err and "no text" in err
    assert _doc_ids(out) == {"a"}


@pytest.mark.parametrize("kind", ["empty folder", "empty jsonl", "only images"])
def test_inputs_with_no_document_say_so_and_exit_1(tmp_path, capsys, kind):
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder
    if kind == "empty jsonl":
        target = _write(folder / "docs.jsonl", "")
    elif kind == "only images":
        _write(folder / "a.png", PNG)
    out = tmp_path / "out.csv"
    assert main(["extract", str(target), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no documents" in err and str(target) in err


def test_a_fifo_is_refused_not_read_forever(tmp_path):
    folder = tmp_path / "archive"
    _write(folder / "a.txt", ARTICLE)
    os.mkfifo(folder / "pipe.txt")
    out = tmp_path / "out.jsonl"
    given = _cli("extract", folder / "pipe.txt", "-o", out, "--workers", "1", timeout=60)
    assert given.returncode == 1 and "pipe.txt" in given.stderr and "not a regular file" in given.stderr
    listed = _cli("extract", folder, "-o", out, "--workers", "1", timeout=60)
    assert listed.returncode == 1 and "pipe.txt" in listed.stderr
    assert _doc_ids(out) == {"a"}


@pytest.mark.parametrize("name, data, kind", [
    ("scan.png", PNG, "PNG image"),
    ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "JPEG image"),
    ("bundle.zip", b"PK\x03\x04" + bytes(40), "zip archive"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "old Office"),
    ("data.gz", b"\x1f\x8b\x08" + bytes(40), "gzip"),
], ids=["png", "jpeg-named-txt", "zip", "doc", "gzip"])
def test_a_file_of_another_kind_is_named_with_what_is_read(tmp_path, capsys, name, data, kind):
    path = _write(tmp_path / name, data)
    assert main(["extract", str(path), "-o", str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert name in err and kind in err and ".docx" in err and ".pdf" in err
    assert "encoding" not in err


def _kind_examples() -> tuple[list, list]:
    from vnextract.rules import load_rules

    rules = load_rules("file_kinds")
    return rules["examples"], rules["not"]


@pytest.mark.parametrize("example", _kind_examples()[0], ids=lambda e: e["kind"][:30])
def test_file_kind_examples(example):
    from vnextract.inputs.documents import file_kind

    assert file_kind(bytes.fromhex(example["bytes"]))["name"] == example["kind"]


@pytest.mark.parametrize("text", _kind_examples()[1])
def test_texts_are_no_file_kind(text):
    from vnextract.inputs.documents import file_kind

    for encoding in ("utf-8", "utf-16"):
        assert file_kind(text.encode(encoding)) is None


# ------------------------------------- every document's cost is bounded

FIXTURES = ROOT / "tests" / "fixtures" / "inputs"


def _docx(paragraphs: int = 0, extra: dict[str, bytes] | None = None) -> bytes:
    """The fixture article as a .docx, with `paragraphs` empty paragraphs before
    its text and `extra` parts added: small files that unpack large."""
    import io
    import zipfile

    source = zipfile.ZipFile(FIXTURES / "article.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + b"<w:p/>" * paragraphs + data[at:]
            package.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def _pdf(pages: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _errors(out: Path) -> dict[str, dict]:
    errors = out.with_name(out.name + ".errors.jsonl")
    return {e["doc_id"]: e for e in map(json.loads, errors.read_text(encoding="utf-8").splitlines())}


@pytest.mark.parametrize("name, data, option, words", [
    ("part.docx", _docx(paragraphs=400_000), ["--max-part-mb", "1"], ["word/document.xml", "MB unpacked"]),
    ("bomb.docx", _docx(extra={f"word/media/pad{i}.bin": bytes(900_000) for i in range(3)}),
     ["--max-unpacked-mb", "2"], ["the package", "unpacked"]),
    ("long.pdf", _pdf(3), ["--max-pages", "2"], ["3 pages"]),
    ("long.txt", ARTICLE * 40, ["--max-chars", "2000"], ["characters"]),
    ("big.txt", ARTICLE * 40, ["--max-file-mb", "0.001"], ["the file is"]),
], ids=["docx-part", "docx-bomb", "pdf-pages", "text-chars", "file-size"])
def test_each_limit_is_an_option_and_its_error_names_it(tmp_path, name, data, option, words):
    folder = tmp_path / "in"
    _write(folder / name, data)
    _write(folder / "z-good.txt", ARTICLE)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1", *option]) == 1
    error = _errors(out)[Path(name).stem]
    assert error["error_type"] == "LimitError"
    assert option[0] in error["message"] and all(w in error["message"] for w in words)
    assert _doc_ids(out) == {"z-good"}
    assert main(["extract", str(folder / name), "-o", str(tmp_path / "raised.jsonl"),
                 option[0], "1000000"]) in (0, 1)  # raised, the limit is no longer the problem
    raised = tmp_path / "raised.jsonl.errors.jsonl"
    assert not raised.exists() or "LimitError" not in raised.read_text(encoding="utf-8")


def test_a_jsonl_text_over_the_character_limit_is_its_lines_error(tmp_path):
    path = _write(tmp_path / "docs.jsonl", json.dumps({"id": "long", "text": ARTICLE * 40}, ensure_ascii=False)
                  + "\n" + json.dumps({"id": "short", "text": ARTICLE}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(path), "-o", str(out), "--max-chars", "2000"]) == 1
    assert _errors(out)["long"]["error_type"] == "LimitError" and _doc_ids(out) == {"short"}


def test_reading_runs_in_the_worker_under_the_time_limit(tmp_path):
    """300,000 empty paragraphs in a 40 kB .docx take seconds to read: the
    time limit ends the worker reading it, and the next document is written."""
    folder = tmp_path / "in"
    _write(folder / "a-slow.docx", _docx(paragraphs=300_000))
    _write(folder / "b-good.txt", ARTICLE)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1", "--timeout", "0.5"]) == 1
    assert _errors(out)["a-slow"]["error_type"] == "TimeoutError"
    assert _doc_ids(out) == {"b-good"}


def _out_of_memory(document: Document):
    from vnextract.pipeline import extract_document

    if document.doc_id == "b-memory":
        raise MemoryError()
    if document.doc_id == "c-killed":
        os.kill(os.getpid(), 9)
    return extract_document(document)


def test_memory_exhausted_or_a_killed_worker_is_that_documents_error(tmp_path):
    from vnextract.batch.run import run

    folder = tmp_path / "in"
    for name in ("a-good", "b-memory", "c-killed", "d-good"):
        _write(folder / f"{name}.txt", ARTICLE)
    out = tmp_path / "out.jsonl"
    summary = run([folder], out, workers=1, extractor=_out_of_memory)
    assert (summary.documents, summary.errors) == (4, 2)
    errors = _errors(out)
    assert errors["b-memory"]["error_type"] == "MemoryError" and "memory" in errors["b-memory"]["message"]
    assert errors["c-killed"]["error_type"] == "WorkerCrash" and "SIGKILL" in errors["c-killed"]["message"]
    assert _doc_ids(out) == {"a-good", "d-good"}


# ----------------------- one bad document never costs the others, in every command

SURROGATE_LINE = '{"id": "broken", "text": "Thu ng\\u00e2n s\\u00e1ch \\u0111\\u1ea1t 12 t\\u1ef7 \\ud800."}\n'


def _jsonl_with_a_lone_surrogate(tmp_path: Path) -> Path:
    good = json.dumps({"id": "good", "text": ARTICLE}, ensure_ascii=False)
    return _write(tmp_path / "docs.jsonl", SURROGATE_LINE + good + "\n")


def test_a_lone_surrogate_is_its_documents_error_in_every_command(tmp_path, capsys):
    source = _jsonl_with_a_lone_surrogate(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(source), "-o", str(out)]) == 1
    assert _doc_ids(out) == {"good"}
    assert main(["show", str(source), "-o", str(tmp_path / "report")]) == 1
    pages = sorted(p.name for p in (tmp_path / "report" / "docs").iterdir())
    assert (tmp_path / "report" / "index.html").is_file() and any(p.startswith("good-") for p in pages)
    assert main(["labelstudio", "export", str(source), "-o", str(tmp_path / "tasks.json")]) == 1
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == ["good"]
    err = capsys.readouterr().err
    assert err.count("docs.jsonl:1") >= 3 and "surrogate" in err


def test_show_writes_a_document_with_a_long_vietnamese_file_name(tmp_path, capsys):
    words = ("Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế xã hội " * 6).split()
    name = ""
    while len(f"{name} {words[0]}.txt".encode("utf-8")) <= 255:  # the longest legal name
        name = f"{name} {words.pop(0)}".strip()
    source = _write(tmp_path / "in" / f"{name}.txt", ARTICLE)
    assert len(source.name.encode("utf-8")) > 240
    _write(tmp_path / "in" / "b.txt", ARTICLE)
    assert main(["show", str(tmp_path / "in"), "-o", str(tmp_path / "report")]) == 0
    assert len(list((tmp_path / "report" / "docs").iterdir())) == 2
    single = tmp_path / "single" / f"{name}.html"
    assert main(["show", str(source), "-o", str(single)]) == 0 and single.is_file()


def _export(*doc_ids: str) -> list[dict]:
    at = ARTICLE.index("89,6")
    region = {"id": "r1", "from_name": "record", "to_name": "text", "type": "labels",
              "value": {"start": at, "end": at + len("89,6 triệu đồng"), "text": "89,6 triệu đồng",
                        "labels": ["Record"]}}
    status = {"id": "r1", "from_name": "status", "to_name": "text", "type": "choices",
              "value": {"start": region["value"]["start"], "end": region["value"]["end"], "choices": ["actual"]}}
    return [{"id": n, "data": {"text": ARTICLE, "doc_id": doc_id},
             "annotations": [{"id": n, "result": [region, status], "was_cancelled": False}]}
            for n, doc_id in enumerate(doc_ids, 1)]


def test_labelstudio_import_checks_every_id_before_writing_anything(tmp_path, capsys):
    export = _write(tmp_path / "export.json", json.dumps(_export("a-first", "../escape")))
    texts, gold = tmp_path / "texts", tmp_path / "gold.jsonl"
    assert main(["labelstudio", "import", str(export), "-o", str(gold), "--texts", str(texts)]) == 2
    assert "../escape" in capsys.readouterr().err
    assert not texts.exists() and not gold.exists()


def test_labelstudio_import_of_a_tasks_file_says_an_export_is_needed(tmp_path, capsys):
    tasks = tmp_path / "tasks.json"
    assert main(["labelstudio", "export", str(_write(tmp_path / "a.txt", ARTICLE)), "-o", str(tasks)]) == 0
    gold = tmp_path / "gold.jsonl"
    assert main(["labelstudio", "import", str(tasks), "-o", str(gold)]) == 1
    err = capsys.readouterr().err
    assert "no annotations" in err and "export" in err and str(tasks) in err
    assert not gold.exists()


def test_control_characters_never_reach_an_output_cell(tmp_path):
    text = "Năm 2024, thu nhập\x00 bình quân\x1b[31m đầu người\x07 của huyện đạt 89,6 triệu đồng\x0c.\n"
    source = _write(tmp_path / "a.jsonl", json.dumps({"id": "a", "text": text}) + "\n")
    out = tmp_path / "out.csv"
    assert main(["extract", str(source), "-o", str(out)]) == 0
    cells = out.read_text(encoding="utf-8-sig")
    assert "89,6 triệu đồng" in cells
    assert not [c for c in cells if (ord(c) < 32 and c not in "\t\n\r") or 127 <= ord(c) < 160]
    jsonl = tmp_path / "out.jsonl"
    assert main(["extract", str(source), "-o", str(jsonl)]) == 0
    [record] = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert "\x00" in record["sentence"]  # JSONL keeps the raw value, escaped


# ------------------------------------------------ eval and metadata sheets


def _gold_of(doc_id: str) -> list[dict]:
    from vnextract import extract

    return [{k: v for k, v in r.to_dict().items() if k != "evidence"} for r in extract(ARTICLE, doc_id)]


def test_eval_scores_only_the_documents_on_both_sides_and_says_so(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    rows = _gold_of("a") + _gold_of("b") + _gold_of("c")
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    _write(tmp_path / "in" / "a.txt", ARTICLE)
    _write(tmp_path / "in" / "extra.txt", ARTICLE)
    assert main(["eval", "--gold", str(gold), str(tmp_path / "in")]) == 0
    captured = capsys.readouterr()
    assert "gold has 3 documents, 1 of them among the inputs; scoring only those 1" in captured.err
    assert "1 input documents have no gold records" in captured.err
    assert "record P=1.000 R=1.000" in captured.out
    assert main(["eval", "--gold", str(gold), str(tmp_path / "in"), "--all-gold"]) == 0
    assert "R=0.333" in capsys.readouterr().out


def test_meta_rows_that_match_nothing_or_cannot_be_read_are_warned_with_their_row(tmp_path, capsys):
    folder = tmp_path / "in"
    _write(folder / "a.txt", ARTICLE)
    sheet = _write(tmp_path / "sheet.tsv", "doc_id\tlocality\tyear\n"
                                           "a\thuyện Hải Hà\t2024\n"
                                           "typo-a\thuyện Hải Hà\t2024\n"
                                           "b\thuyện Hải Hà\tnăm ngoái\n")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--meta", str(sheet)]) == 0
    err = capsys.readouterr().err
    assert f"{sheet}, row 4: year 'năm ngoái'" in err
    assert f"{sheet}: 2 rows name no document among the inputs" in err and "row 3 (typo-a)" in err


@pytest.mark.parametrize("command", [["show"], ["labelstudio", "export"]], ids=["show", "labelstudio-export"])
def test_other_commands_say_when_the_inputs_hold_no_document(tmp_path, capsys, command):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert main([*command, str(folder), "-o", str(tmp_path / "out")]) == 1
    assert "no documents" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_jsonl_line_is_bounded_by_what_json_can_spend_on_a_character(tmp_path):
    """Escaped JSON spends up to 12 bytes on a character (a surrogate pair):
    a line within the character limit is read however it is escaped, and a
    line too long to be within it is refused as it is read, never held whole."""
    text = "Đạt ướcượng 𝟏 " * 68 + "ở" * 48  # 1,000 characters, none ASCII but the spaces
    escaped = json.dumps({"id": "escaped", "text": text})  # \\u1ea1, \\ud835\\udfcf …: about 5,900 bytes
    huge = json.dumps({"id": "huge", "text": "x" * 40_000})  # refused once read
    endless = json.dumps({"id": "endless", "text": "x" * 1_100_000})  # refused as it is read
    path = _write(tmp_path / "docs.jsonl", f"{escaped}\n{huge}\n{endless}\n"
                  + json.dumps({"id": "last", "text": ARTICLE}) + "\n")
    assert len(text) == 1_000 and len(escaped) > 4 * 1_000
    items = {i.doc_id: i for i in iter_documents([path], limits=Limits(chars=1_000))}
    assert isinstance(items["escaped"], Document) and items["escaped"].text == text
    assert isinstance(items["last"], Document)
    failures = [i for i in items.values() if isinstance(i, DocumentFailure)]
    assert [f.source.rsplit(":", 1)[1] for f in failures] == ["2", "3"]
    assert all(f.error_type == "LimitError" and "--max-chars" in f.message for f in failures)
    assert "over 1,012,012 bytes" in failures[1].message


@pytest.mark.parametrize("data, words", [(b"", "no text"), (PNG, "a PNG image")], ids=["empty", "image"])
def test_standard_input_is_read_as_a_file_is(data, words):
    import io

    [failure] = list(iter_documents(["-"], stdin=io.BytesIO(data)))
    assert isinstance(failure, DocumentFailure) and failure.source == "<stdin>" and words in failure.message


def test_eval_of_inputs_with_no_document_says_so_and_exits_1(tmp_path, capsys):
    gold = _write(tmp_path / "gold.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _gold_of("a")))
    (tmp_path / "empty").mkdir()
    assert main(["eval", "--gold", str(gold), str(tmp_path / "empty")]) == 1
    assert "nothing to score" in capsys.readouterr().err


def test_the_readme_states_each_bound_with_its_option_and_default():
    import re
    from dataclasses import fields

    from vnextract.inputs.limits import DEFAULT_LIMITS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Limits and safety"):readme.index("## The record")]
    rows = dict(re.findall(r"^\|[^|]+\| `(--max-[a-z-]+)` \| ([\d,.]+) \|", section, re.M))
    expected = {"--max-" + f.name.replace("_", "-"): getattr(DEFAULT_LIMITS, f.name) for f in fields(DEFAULT_LIMITS)}
    assert {option: float(value.replace(",", "")) for option, value in rows.items()} == expected
    help_text = subprocess.run([sys.executable, "-m", "vnextract.cli", "extract", "--help"], cwd=ROOT, env=ENV,
                               capture_output=True, text=True, timeout=60).stdout
    assert all(option in help_text for option in expected)


@pytest.mark.parametrize("command", [
    ["extract", "{missing}", "-o", "{out}"],
    ["show", "{missing}", "-o", "{out}"],
    ["labelstudio", "export", "{missing}", "-o", "{out}"],
    ["track", "{missing}", "-o", "{out}"],
    ["train", "--gold", "{gold}", "{missing}", "-o", "{out}"],
    ["eval", "--gold", "{gold}", "{missing}", "--json", "{out}"],
    ["tables", "{missing}"],
    ["text", "{missing}"],
], ids=lambda c: " ".join(c[:2]) if c[0] == "labelstudio" else c[0])
def test_inputs_that_do_not_exist_are_named_and_nothing_is_written(tmp_path, capsys, command):
    """A mistyped folder is no batch of failed documents: the command names it,
    exits 1 and leaves the output of an earlier run as it was."""
    gold = _write(tmp_path / "gold.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _gold_of("a")))
    out = _write(tmp_path / "earlier-output", "the records of an earlier run\n")
    missing = tmp_path / "corpus" / "new"
    argv = [a.format(missing=missing, out=out, gold=gold) for a in command]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{missing}: no such file or directory" in err and "nothing was read or written" in err
    assert out.read_text(encoding="utf-8") == "the records of an earlier run\n"


# ------------------------------------------- inputs found by a probe of every command


def test_a_json_line_nested_too_deeply_is_its_lines_error_in_every_reader(tmp_path, capsys):
    """json.loads raises RecursionError, no ValueError, past ~1,000 levels."""
    deep = "[" * 3000 + "]" * 3000
    good = _write(tmp_path / "good.txt", ARTICLE)
    docs = _write(tmp_path / "d.jsonl", '{"id": "a", "text": ' + deep + "}\n")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(good), str(docs), "-o", str(out), "--workers", "1"]) == 1
    assert _doc_ids(out) == {"good"}
    assert "d.jsonl:1" in capsys.readouterr().err
    records = _write(tmp_path / "r.jsonl", '{"doc_id": ' + deep + "}\n")
    assert main(["eval", "--gold", str(records), str(good)]) == 2
    assert f"{records}:1" in capsys.readouterr().err
    assert main(["track", str(records), "-o", str(tmp_path / "t.csv")]) == 1
    assert "r.jsonl" in capsys.readouterr().err
    model = _write(tmp_path / "m.json", deep)
    assert main(["extract", str(good), "--model", str(model), "-o", str(tmp_path / "m.jsonl")]) == 2
    assert "m.json" in capsys.readouterr().err


@pytest.mark.parametrize("year", ["true", "-99999999999999999999999", "[2024]"])
def test_a_jsonl_year_that_is_no_year_is_not_the_documents_year(tmp_path, year):
    """A bool or an integer past int64 must not reach the Parquet writer as a year."""
    docs = _write(tmp_path / "d.jsonl", '{"id": "b", "text": "Doanh thu đạt 5 tỷ đồng.", "year": ' + year + "}\n")
    out = tmp_path / "out.parquet"
    assert main(["extract", str(docs), "-o", str(out), "--workers", "1"]) == 0
    import pandas as pd

    years = [None if pd.isna(y) else int(y) for y in pd.read_parquet(out)["year"]]
    assert years == ([2024] if year == "[2024]" else [None]), years


def test_eval_pred_records_without_a_doc_id_are_named(tmp_path, capsys):
    good = _write(tmp_path / "a.txt", ARTICLE)
    gold = _write(tmp_path / "gold.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _gold_of("a")))
    rows = _gold_of("a")
    rows[0]["doc_id"] = None
    pred = _write(tmp_path / "pred.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert main(["eval", "--gold", str(gold), "--pred", str(pred)]) == 2
    err = capsys.readouterr().err
    assert str(pred) in err and "doc_id" in err and "Traceback" not in err
    assert good.exists()


@pytest.mark.parametrize("kind", ["huge field", "broken xml"])
def test_a_metadata_sheet_that_cannot_be_read_is_named(tmp_path, capsys, kind):
    folder = tmp_path / "d"
    _write(folder / "good.txt", ARTICLE)
    if kind == "huge field":
        sheet = _write(tmp_path / "d.sources.tsv", "doc_id\tlocality\tyear\ngood\t" + "x" * 200_000 + "\t2024\n")
    else:
        import openpyxl
        import zipfile

        book = openpyxl.Workbook()
        book.active.append(["doc_id", "year"])
        book.active.append(["good", 2024])
        whole = tmp_path / "whole.xlsx"
        book.save(whole)
        sheet = tmp_path / "meta.xlsx"
        with zipfile.ZipFile(whole) as source, zipfile.ZipFile(sheet, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    argv = ["extract", str(folder), "-o", str(tmp_path / "o.jsonl")] + ([] if kind == "huge field" else ["--meta", str(sheet)])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert str(sheet) in err and "Traceback" not in err


def _far_cell_workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Chỉ tiêu", "Kế hoạch 2024", "Thực hiện 2024"])
    sheet.append(["Thu ngân sách (tỷ đồng)", 1200, 1250])
    sheet["XFD1048576"] = "x"
    book.save(path)
    return path


@pytest.mark.parametrize("command", [["text"], ["tables"], ["extract", "--workers", "1", "-o", "{out}"]],
                         ids=["text", "tables", "extract"])
def test_a_workbook_with_one_far_cell_is_read_in_bounded_time(tmp_path, command):
    """One cell at XFD1048576 makes the sheet's grid 16,384 × 1,048,576: only
    the filled cells are read."""
    book = _far_cell_workbook(tmp_path / "far.xlsx")
    argv = [a.format(out=tmp_path / "o.jsonl") for a in command]
    proc = _cli(argv[0], str(book), *argv[1:], timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_metadata_workbook_with_one_far_cell_is_read_in_bounded_time(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["doc_id", "year"])
    book.active.append(["good", 2021])
    book.active["XFD1048576"] = "x"
    book.save(tmp_path / "meta.xlsx")
    _write(tmp_path / "d" / "good.txt", ARTICLE)
    proc = _cli("extract", tmp_path / "d", "--meta", tmp_path / "meta.xlsx", "-o", tmp_path / "o.jsonl", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert {json.loads(line)["year"] for line in (tmp_path / "o.jsonl").read_text().splitlines()} == {2024}


def test_a_word_cell_spanning_a_hundred_million_columns_is_that_documents_error(tmp_path, capsys):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Thu ngân sách"
    table.cell(0, 1).text = "1.200 tỷ đồng"
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "100000000")
    table.cell(0, 0)._tc.get_or_add_tcPr().append(span)
    document.save(tmp_path / "span.docx")
    good = _write(tmp_path / "good.txt", ARTICLE)
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(good), str(tmp_path / "span.docx"), "-o", str(out), "--workers", "1"]) == 1
    assert _doc_ids(out) == {"good"}
    err = capsys.readouterr().err
    assert "span.docx" in err and "spans 100,000,001 columns" in err and "--max-chars" not in err


def test_a_file_name_that_is_not_utf8_costs_nothing(tmp_path, capsys):
    folder = tmp_path / "bn"
    _write(folder / "good.txt", ARTICLE)
    name = os.fsencode(folder) + b"/bad\xff\xfe.txt"
    with open(name, "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 0
    assert _doc_ids(out) == {"good", "bad\ufffd\ufffd"}
    for command in (["show", str(folder), "-o", str(tmp_path / "report")],
                    ["labelstudio", "export", str(folder), "-o", str(tmp_path / "tasks.json")]):
        assert main(command) == 0, capsys.readouterr().err


def test_a_number_past_the_float_range_gives_no_record_and_output_stays_json(tmp_path):
    text = "GRDP năm 2024 đạt 1" + "0" * 400 + " tỷ đồng. Thu ngân sách đạt 500 tỷ đồng.\n"
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(_write(tmp_path / "inf.txt", text)), "-o", str(out), "--workers", "1"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in JSONL"))["span"] for line in lines] \
        == ["500 tỷ đồng"]


def test_a_gold_file_that_is_not_utf8_is_named(tmp_path, capsys):
    good = _write(tmp_path / "a.txt", ARTICLE)
    gold = _write(tmp_path / "gold.jsonl", json.dumps(_gold_of("a")[0], ensure_ascii=False).encode() + b"\n\xff\xfe\n")
    assert main(["eval", "--gold", str(gold), str(good)]) == 2
    err = capsys.readouterr().err
    assert f"{gold}:2: not UTF-8 text (byte 0xff at column 1)" in err


def test_a_records_cell_that_is_no_number_names_its_row_and_column(tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert main(["extract", str(_write(tmp_path / "a.txt", ARTICLE)), "-o", str(out), "--workers", "1"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("value")] = "abc"
    lines[2] = ",".join(cells)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    assert main(["track", str(out), "-o", str(tmp_path / "t.csv")]) == 1
    assert f"{out}, row 3: value 'abc' is not a number" in capsys.readouterr().err


def test_a_page_declaring_a_codec_of_bytes_is_read_by_detection(tmp_path, capsys):
    """<meta charset="base64"> (or zlib, hex) names no text encoding: the page is
    decoded as if it declared none; --encoding base64 is refused up front."""
    page = ("<html><head><meta charset=\"base64\"><title>Hải Hà</title></head><body><article><p>"
            + ARTICLE.strip() + "</p><p>" + ARTICLE.strip() + "</p></article></body></html>")
    path = _write(tmp_path / "page.html", page.encode("utf-16-le"))  # no BOM, no UTF-8: the declaration is read
    out = tmp_path / "o.jsonl"
    main(["extract", str(path), "-o", str(out), "--workers", "1"])
    assert "LookupError" not in capsys.readouterr().err
    assert main(["extract", str(path), "--encoding", "base64", "-o", str(out)]) == 2
    assert "'base64' is no text encoding" in capsys.readouterr().err


def test_a_jsonl_line_with_empty_text_is_its_lines_error(tmp_path, capsys):
    """As an empty file is: a document with no text is said, not passed over."""
    docs = _write(tmp_path / "d.jsonl", '{"id": "empty", "text": ""}\n{"id": "blank", "text": "  \\n"}\n'
                  + json.dumps({"id": "a", "text": ARTICLE}, ensure_ascii=False) + "\n")
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(docs), "-o", str(out), "--workers", "1"]) == 1
    assert _doc_ids(out) == {"a"}
    err = capsys.readouterr().err
    assert "d.jsonl:1" in err and "d.jsonl:2" in err and "no text" in err


def test_an_id_met_twice_in_a_jsonl_file_is_the_second_lines_error(tmp_path, capsys):
    """Two texts under one doc_id would give records whose offsets index either."""
    docs = _write(tmp_path / "d.jsonl", "".join(json.dumps({"id": "a", "text": t}, ensure_ascii=False) + "\n"
                                                for t in (ARTICLE, "Thu ngân sách đạt 500 tỷ đồng.")))
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(docs), "-o", str(out), "--workers", "1"]) == 1
    spans = [json.loads(line)["span"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert "500 tỷ đồng" not in spans and "89,6 triệu đồng" in spans
    assert "d.jsonl:2" in (err := capsys.readouterr().err) and "first on line 1" in err


def test_a_word_table_merged_down_a_thousand_rows_is_read(tmp_path):
    """python-docx resolves each continued cell through the rows above it,
    recursively: past about a thousand rows that overflows the stack."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=1_200, cols=2)
    for k, row in enumerate(table.rows):  # texts first: python-docx's own lookups are what is slow once merged
        first, second = row._tr.tc_lst
        if k == 0:
            docx.table._Cell(first, table).text = "Thu ngân sách (tỷ đồng)"
        docx.table._Cell(second, table).text = f"{k + 1}"
    for k, row in enumerate(table.rows):
        merge = OxmlElement("w:vMerge")
        if k == 0:
            merge.set(qn("w:val"), "restart")
        row._tr.tc_lst[0].get_or_add_tcPr().append(merge)
    document.save(tmp_path / "merged.docx")
    proc = _cli("text", tmp_path / "merged.docx", timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Thu ngân sách (tỷ đồng)\t1" and lines[1] == "\t2" and lines[-1] == "\t1200"


def test_a_page_nested_past_the_parsers_depth_says_so(tmp_path, capsys):
    depth = 5000
    page = ("<html><body>" + "<div>" * depth + "<p>" + ARTICLE.strip() + "</p>" + "</div>" * depth
            + "</body></html>")
    deep = _write(tmp_path / "deep.html", page)
    good = _write(tmp_path / "good.txt", ARTICLE)
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(deep), str(good), "-o", str(out), "--workers", "1"]) == 1
    assert _doc_ids(out) == {"good"}
    err = capsys.readouterr().err
    assert "deep.html" in err and f"elements nested {depth + 3:,} deep" in err
    assert "boilerplate" not in err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_track_skips_a_bad_records_row_and_keeps_the_rest_of_its_file(tmp_path, capsys, suffix):
    two = ARTICLE + "Năm 2025, thu nhập bình quân đầu người của huyện phấn đấu đạt 95 triệu đồng.\n"
    out = tmp_path / f"r{suffix}"
    assert main(["extract", str(_write(tmp_path / "a.txt", two)), str(_write(tmp_path / "b.txt", two)),
                 "-o", str(out), "--workers", "1"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    if suffix == ".csv":
        header = lines[0].split(",")
        cells = lines[2].split(",")
        cells[header.index("value")] = "abc"
        lines[2] = ",".join(cells)
        where = f"{out}, row 3: value 'abc' is not a number"
    else:
        lines[1] = lines[1][:40]
        where = f"{out}:2: malformed JSON"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = tmp_path / "t.csv"
    assert main(["track", str(out), "-o", str(table)]) == 1
    err = capsys.readouterr().err
    assert where in err and "skipped" in err
    kept = len(lines) - 1 - (suffix == ".csv")
    assert f"from {kept} records of 2 documents" in err
