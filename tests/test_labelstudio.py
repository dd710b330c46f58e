"""Label Studio round trip: the config Label Studio accepts, tasks whose
predictions fit it, and exports read back as gold records (SPEC §3) that
score against the extraction as they should. Exports are written the way
Label Studio writes them; no server is needed."""
from __future__ import annotations

import copy
import json

import pytest
from label_studio_sdk.label_interface import LabelInterface

from conftest import DEV, record_problems
from vnextract import evaluate, extract
from vnextract.cli import main
from vnextract.outputs.writers import load_jsonl_records
from vnextract.review.labelstudio import labelling_config, task

TEXT = ("Năm 2023, thu nhập bình quân đầu người của huyện Hải Hà đạt 89,6 triệu đồng, tăng 10% so với năm 2022. "
        "Toàn huyện có 8/8 xã đạt chuẩn nông thôn mới; thu ngân sách xã đạt 950 triệu, doanh thu du lịch khoảng một trăm tỷ. "
        "Phấn đấu năm 2024 tỷ lệ hộ nghèo giảm xuống còn 1,2%, thu hút 1.400 lượt khách du lịch.")


@pytest.fixture(scope="module")
def interface() -> LabelInterface:
    return LabelInterface(labelling_config())


@pytest.fixture(scope="module")
def dev_round_trip(tmp_path_factory):
    """The dev corpus exported through the CLI, 'labelled' by accepting every
    prediction, and imported back."""
    out = tmp_path_factory.mktemp("ls")
    assert main(["labelstudio", "export", str(DEV), "-o", str(out / "tasks.json")]) == 0
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    export = []
    for n, t in enumerate(tasks, 1):
        export.append({**t, "id": n, "annotations": [_annotation(t["predictions"][0]["result"])]})
    (out / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    assert main(["labelstudio", "import", str(out / "export.json"), "-o", str(out / "gold.jsonl")]) == 0
    return out, tasks, load_jsonl_records(out / "gold.jsonl")


def _annotation(result: list[dict], **extra) -> dict:
    """An annotation as Label Studio exports it: the result items plus its bookkeeping."""
    items = [{**copy.deepcopy(item), "origin": "prediction"} for item in result]
    return {"id": 1, "completed_by": 1, "result": items, "was_cancelled": False, "ground_truth": False,
            "created_at": "2026-11-30T09:00:00.000000Z", "updated_at": "2026-11-30T09:05:00.000000Z",
            "lead_time": 12.5, **extra}


def _region(region_id: str, text: str, start: int, end: int, **fields) -> list[dict]:
    """One hand-drawn region: its span and per-region fields, as Label Studio writes them."""
    where = {"start": start, "end": end}
    items = [{"id": region_id, "from_name": "record", "to_name": "text", "type": "labels", "origin": "manual",
              "value": {**where, "text": text[start:end], "labels": ["Record"]}}]
    for name, value in fields.items():
        if isinstance(value, list):
            kind, payload = "choices", {"choices": value}
        elif isinstance(value, (int, float)):
            kind, payload = "number", {"number": value}
        else:
            kind, payload = "textarea", {"text": [value]}
        items.append({"id": region_id, "from_name": name, "to_name": "text", "type": kind, "origin": "manual",
                      "value": {**where, **payload}})
    return items


def test_the_config_is_one_label_studio_accepts(interface):
    interface.validate()
    controls = {c.name: c.tag for c in interface.controls}
    assert controls["record"] == "Labels"
    for name in ("status", "kind", "direction", "comparator", "optional"):
        assert controls[name] == "Choices"
    for name in ("indicator", "period", "locality", "baseline"):
        assert controls[name] == "TextArea"
    assert controls["year"] == "Number"
    assert all(c.attr.get("perRegion") == "true" for c in interface.controls if c.name != "record")


def test_the_config_command_prints_it(capsys, tmp_path):
    assert main(["labelstudio", "config"]) == 0
    assert capsys.readouterr().out == labelling_config()
    assert main(["labelstudio", "config", "-o", str(tmp_path / "c.xml")]) == 0
    assert (tmp_path / "c.xml").read_text(encoding="utf-8") == labelling_config()


def test_every_exported_prediction_fits_the_config(interface, dev_round_trip):
    _, tasks, _ = dev_round_trip
    assert len(tasks) == len(list(DEV.glob("*.txt")))
    for t in tasks:
        assert interface.validate_prediction(t["predictions"][0], return_errors=True) == [], t["data"]["doc_id"]
        for item in t["predictions"][0]["result"]:
            if item["type"] == "labels":
                assert t["data"]["text"][item["value"]["start"]:item["value"]["end"]] == item["value"]["text"]
    # The validator is not blind: a status outside the config is caught.
    broken = copy.deepcopy(tasks[0]["predictions"][0])
    next(i for i in broken["result"] if i["from_name"] == "status")["value"]["choices"] = ["planned"]
    assert interface.validate_prediction(broken, return_errors=True)


def test_accepting_every_prediction_gives_gold_equal_to_the_extraction(dev_round_trip):
    out, tasks, gold = dev_round_trip
    predicted = []
    for t in tasks:
        predicted.extend(r.to_dict() for r in _extract_like_export(t))
    report = evaluate(gold, predicted)
    assert report.record.f1 == 1.0 and report.mention.f1 == 1.0
    assert len(gold) == len(predicted) > 1000
    by_place = {(p["doc_id"], p["start"]): p for p in predicted}
    for g in gold:
        p = by_place[(g["doc_id"], g["start"])]
        assert {k: v for k, v in g.items() if k != "optional"} == {k: p[k] for k in g if k != "optional"}
        assert g["optional"] is False


def _extract_like_export(t: dict):
    """The extraction the export ran (the folder's metadata sheet included)."""
    from vnextract.pipeline import extract_documents

    path = DEV / f"{t['data']['doc_id']}.txt"
    (_, records), = extract_documents([path], meta=_sheet())
    return records


def _sheet():
    from conftest import SHEET
    from vnextract.inputs.metadata import read_sheet

    return read_sheet(SHEET)


def test_eval_scores_the_imported_gold_through_the_cli(dev_round_trip, tmp_path, capsys):
    out, _, _ = dev_round_trip
    capsys.readouterr()
    assert main(["eval", "--gold", str(out / "gold.jsonl"), "--json", str(tmp_path / "r.json"), str(DEV)]) == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert json.dumps(report).count('"f1": 1.0') >= 2
    assert "record P=1.000 R=1.000 F1=1.000" in capsys.readouterr().out


def test_export_from_a_records_file_equals_export_by_extraction(dev_round_trip, tmp_path):
    out, tasks, _ = dev_round_trip
    assert main(["extract", str(DEV), "-o", str(tmp_path / "r.csv")]) == 0
    assert main(["labelstudio", "export", str(DEV), "--records", str(tmp_path / "r.csv"),
                 "-o", str(tmp_path / "t.json")]) == 0
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == tasks


def test_records_of_other_documents_are_refused(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text(json.dumps({"doc_id": "zzz", "start": 0, "end": 1}) + "\n", encoding="utf-8")
    assert main(["labelstudio", "export", str(tmp_path / "a.txt"), "--records", str(tmp_path / "r.jsonl"),
                 "-o", str(tmp_path / "t.json")]) == 2
    assert "zzz" in capsys.readouterr().err and not (tmp_path / "t.json").exists()


def _hand_made_export() -> list[dict]:
    """A labeller's corrections of the predictions for TEXT: 89,6 triệu đồng
    gets its indicator retyped; 10% is kept; 8/8 xã becomes a target; 1,2% is
    deleted; 1.400 lượt khách is marked optional; two missed figures are drawn
    by hand, one with a typed quantity ("950 triệu", money the sentence does
    not call money, read as "950 triệu đồng"), one
    with typed values ("một trăm tỷ", which the reader cannot read)."""
    pred = task("haiha", TEXT, [r.to_dict() for r in extract(TEXT, "haiha")])["predictions"][0]["result"]
    grouped: dict[str, list[dict]] = {}
    for item in pred:
        grouped.setdefault(item["id"], []).append(item)
    regions = {items[0]["value"]["text"]: items for items in grouped.values()}
    assert set(regions) == {"89,6 triệu đồng", "10%", "8/8 xã", "1,2%", "1.400 lượt khách"}

    def changed(items: list[dict], name: str, value: dict) -> list[dict]:
        return [{**i, "value": {**i["value"], **value}} if i["from_name"] == name else i for i in items]

    result = changed(regions["89,6 triệu đồng"], "indicator", {"text": ["thu nhập bình quân"]})
    result += regions["10%"]
    result += changed(regions["8/8 xã"], "status", {"choices": ["target"]})
    first = regions["1.400 lượt khách"][0]
    result += regions["1.400 lượt khách"] + [{**first, "from_name": "optional", "type": "choices", "value": {
        "start": first["value"]["start"], "end": first["value"]["end"], "choices": ["optional"]}}]
    at = TEXT.index("950 triệu")
    result += _region("hand1", TEXT, at, at + len("950 triệu"), status=["actual"], kind=["level"], comparator=["="],
                      indicator="thu ngân sách xã", quantity="950 triệu đồng", period="Năm 2023", locality="huyện Hải Hà")
    at = TEXT.index("một trăm tỷ")
    result += _region("hand2", TEXT, at, at + len("một trăm tỷ"), status=["actual"], kind=["level"],
                      comparator=["~"], indicator="doanh thu du lịch", value=100, unit="tỷ đồng", year=2023)
    return [{"id": 7, "data": {"text": TEXT, "doc_id": "haiha"},
             "annotations": [_annotation([]), _annotation(result, id=2, updated_at="2026-11-30T10:00:00Z")],
             "predictions": [{"model_version": "vnextract", "result": pred}]}]


def test_a_hand_made_export_with_corrections(interface, tmp_path, capsys):
    export = _hand_made_export()
    assert interface.validate_prediction(export[0]["annotations"][1], return_errors=True) == []  # same check
    (tmp_path / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    assert main(["labelstudio", "import", str(tmp_path / "export.json"), "-o", str(tmp_path / "gold.jsonl"),
                 "--texts", str(tmp_path / "docs")]) == 0
    gold_list = load_jsonl_records(tmp_path / "gold.jsonl")
    gold = {g["span"]: g for g in gold_list}
    assert list(gold) == ["89,6 triệu đồng", "10%", "8/8 xã", "950 triệu", "một trăm tỷ", "1.400 lượt khách"]
    for g in gold_list:
        assert record_problems({**g, "sentence": TEXT}, TEXT) == [], g
    assert gold["89,6 triệu đồng"]["indicator"] == "thu nhập bình quân" and gold["89,6 triệu đồng"]["norm_value"] == 89_600_000
    assert (gold["10%"]["kind"], gold["10%"]["direction"], gold["10%"]["baseline"]) == ("change", "up", "năm 2022")
    assert gold["8/8 xã"]["status"] == "target" and gold["8/8 xã"]["indicator_id"] == "new_rural_communes"
    assert gold["1.400 lượt khách"]["optional"] is True and gold["1.400 lượt khách"]["norm_value"] == 1400
    typed = gold["950 triệu"]  # the typed quantity, read by the extractor's reader; year from the typed period
    assert (typed["value"], typed["unit"], typed["norm_value"], typed["norm_unit"], typed["year"]) == (
        950, "triệu đồng", 950e6, "VND", 2023)
    words = gold["một trăm tỷ"]  # typed value and unit; the unit's scale comes from the reader
    assert (words["value"], words["norm_value"], words["norm_unit"], words["comparator"]) == (100, 1e11, "VND", "~")
    assert words["locality"] is None and words["indicator_id"] == "tourism_revenue"  # the lexicon id of the typed phrase
    # The texts travel with the gold set, and eval scores the corrections as such:
    # 89,6 and 10% pair as they were; 8/8 xã (now a target) is one FP and one FN;
    # 1,2% was deleted (an FP); 1.400 is optional (dropped); the two drawn by hand were missed (FN).
    assert (tmp_path / "docs" / "haiha.txt").read_text(encoding="utf-8") == TEXT
    capsys.readouterr()
    assert main(["eval", "--gold", str(tmp_path / "gold.jsonl"), "--json", str(tmp_path / "r.json"),
                 str(tmp_path / "docs")]) == 0
    report = evaluate(gold_list, [r.to_dict() for r in extract(TEXT, "haiha")])
    assert (report.record.tp, report.record.fp, report.record.fn) == (2, 2, 3)
    assert "record P=0.500 R=0.400" in capsys.readouterr().out


def test_regions_whose_text_no_longer_matches_are_all_reported(tmp_path, capsys):
    export = _hand_made_export()
    export[0]["data"]["text"] = TEXT.replace("89,6", "98,6").replace("Toàn huyện", "Cả huyện")
    (tmp_path / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    assert main(["labelstudio", "import", str(tmp_path / "export.json"), "-o", str(tmp_path / "g.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "'89,6 triệu đồng' is not the task's text" in err and "task 7 (haiha)" in err
    assert err.count("is not the task's text") >= 2  # every broken region, not the first only
    assert not (tmp_path / "g.jsonl").exists()


def test_a_region_without_status_or_quantity_is_an_error():
    from vnextract.review.labelstudio import gold_records

    text = "Huyện có nhiều xã đạt chuẩn."
    bare = _region("a", text, 9, 14, kind=["level"])
    with pytest.raises(ValueError, match="region a: 'nhiều' at 9-14 has no status"):
        gold_records([{"id": 1, "data": {"text": text}, "annotations": [_annotation(bare)]}])
    no_number = _region("b", text, 9, 14, status=["actual"])
    with pytest.raises(ValueError, match="reads as no quantity; mark the number and its unit, or type"):
        gold_records([{"id": 1, "data": {"text": text}, "annotations": [_annotation(no_number)]}])
    with pytest.raises(ValueError, match="a list of tasks"):
        gold_records({"data": {"text": text}})


def test_which_annotation_counts():
    from vnextract.review.labelstudio import gold_records

    text = "Thu nhập đạt 50 triệu đồng."
    actual = _region("r", text, 13, 26, status=["actual"], indicator="thu nhập")
    target = _region("r", text, 13, 26, status=["target"], indicator="thu nhập")
    tasks = [
        {"id": 1, "data": {"text": text, "doc_id": "later"},
         "annotations": [_annotation(actual, updated_at="2026-01-02T00:00:00Z"),
                         _annotation(target, updated_at="2026-01-01T00:00:00Z")]},
        {"id": 2, "data": {"text": text, "doc_id": "truth"},
         "annotations": [_annotation(actual, updated_at="2026-01-02T00:00:00Z"),
                         _annotation(target, ground_truth=True)]},
        {"id": 3, "data": {"text": text, "doc_id": "cancelled"},
         "annotations": [_annotation(actual, was_cancelled=True)]},
        {"id": 4, "data": {"text": text, "doc_id": "unlabelled"}, "annotations": []},
    ]
    golds, notes = gold_records(tasks)
    assert {g["doc_id"]: g["status"] for g in golds} == {"later": "actual", "truth": "target"}
    assert golds[0]["norm_value"] == 50_000_000 and golds[0]["unit"] == "triệu đồng"
    assert len(notes) == 2 and "cancelled" in notes[0] and "unlabelled" in notes[1]


def test_offsets_past_the_basic_plane_are_label_studios_utf16_ones(interface):
    from vnextract.review.labelstudio import gold_records

    text = "🌾🌾 Năng suất lúa đạt 60 tạ/ha, thu nhập đạt 50 triệu đồng."
    t = task("emoji", text, [r.to_dict() for r in extract(text, "emoji")])
    labels = [i["value"] for i in t["predictions"][0]["result"] if i["type"] == "labels"]
    assert labels and all(v["start"] == text.index(v["text"]) + 2 for v in labels)  # two emoji: two extra units
    golds, _ = gold_records([{**t, "annotations": [_annotation(t["predictions"][0]["result"])]}])
    assert [(g["start"], g["end"], g["span"]) for g in golds] == [(r.start, r.end, r.span) for r in extract(text)]
    for g in golds:
        assert text[g["start"]:g["end"]] == g["span"]
