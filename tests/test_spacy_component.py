"""The spaCy component: registered by entry point, usable on any Language,
its spans the records of `extract`, in one process or several."""
from __future__ import annotations

import tomllib
import unicodedata
from importlib.metadata import entry_points

import pytest
import spacy

import vnextract
from conftest import DEV, ROOT, python_output
from vnextract import extract
from vnextract.review import spacy_component
from vnextract.stages.segmentation import split_sentences

TEXTS = [
    "Năm 2023, thu nhập bình quân đầu người của huyện đạt 89,6 triệu đồng, tăng 10% so với năm 2022.",
    "Phấn đấu năm 2024 có 8/8 xã đạt chuẩn nông thôn mới.",
    "Không có con số nào ở đây.",
]


def _as_records(doc, key: str = "vnextract") -> list[dict]:
    return [span._.record for span in doc.spans[key]]


def _expected(text: str, doc_id: str = "doc") -> list[dict]:
    return [r.to_dict() for r in extract(text, doc_id=doc_id)]


def test_pyproject_registers_the_factory_and_the_tokenizer_by_entry_point():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    module, _, name = meta["spacy_factories"]["vnextract"].partition(":")
    assert (module, name) == ("vnextract.review.spacy_component", "make_vnextract")
    assert getattr(spacy_component, name) is spacy.registry.factories.get("vnextract")
    module, _, name = meta["spacy_tokenizers"][spacy_component.TOKENIZER].partition(":")
    assert getattr(spacy_component, name) is spacy.registry.tokenizers.get(spacy_component.TOKENIZER)


def test_the_installed_package_lets_spacy_find_the_component_by_itself():
    """Installed (pip install -e . does it), spaCy loads the factory from the
    entry point without vnextract being imported first."""
    found = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert found.get("vnextract") == "vnextract.review.spacy_component:make_vnextract", (
        "the package is not installed with its entry points: pip install -e .")
    code = ("import sys, spacy; nlp = spacy.blank('xx'); nlp.add_pipe('vnextract'); "
            "doc = nlp('Thu nhập đạt 89,6 triệu đồng.'); "
            "print([(s.text, s.label_) for s in doc.spans['vnextract']])")
    assert python_output(code) == "[('89,6 triệu đồng', 'actual')]"


@pytest.mark.parametrize("path", sorted(DEV.glob("*.txt"))[:3], ids=lambda p: p.stem)
def test_on_a_blank_pipeline_the_spans_are_the_records(path):
    text = path.read_text(encoding="utf-8")
    nlp = spacy.blank("xx")
    nlp.add_pipe("vnextract")
    doc = nlp(text)
    expected = _expected(text)
    assert expected and _as_records(doc) == expected
    for span, record in zip(doc.spans["vnextract"], expected):
        assert span.label_ == record["status"]
        # spaCy's own tokens may be coarser than a figure: the span covers it.
        assert span.start_char <= record["start"] < record["end"] <= span.end_char


def test_vnextract_nlp_uses_its_own_aligned_tokens_and_sentences():
    text = (DEV / "haiha-2024.txt").read_text(encoding="utf-8")
    nlp = vnextract.nlp()
    assert nlp.pipe_names == ["vnextract"]
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] != text.split()  # words, not white space pieces
    assert any(" " in t.text for t in doc)  # "thu nhập": underthesea's multi-syllable words
    assert [s.text.strip() for s in doc.sents if s.text.strip()] == [s.text for s in split_sentences(text)]
    expected = _expected(text)
    assert _as_records(doc) == expected
    for span, record in zip(doc.spans["vnextract"], expected):  # the figures fall on token edges
        assert (span.start_char, span.end_char, span.text) == (record["start"], record["end"], record["span"])


def test_pipe_with_two_processes_gives_the_records_of_one():
    nlp = vnextract.nlp()
    docs = list(nlp.pipe(TEXTS, n_process=2, batch_size=1))
    assert [d.text for d in docs] == TEXTS
    assert [_as_records(d) for d in docs] == [_expected(t) for t in TEXTS]
    assert [[s.label_ for s in d.spans["vnextract"]] for d in docs] == [["actual", "actual"], ["target"], []]


def test_a_text_not_in_nfc_keeps_its_own_offsets():
    text = unicodedata.normalize("NFD", TEXTS[0])
    assert text != TEXTS[0]
    doc = vnextract.nlp()(text)
    records = _as_records(doc)
    assert [r["norm_value"] for r in records] == [r["norm_value"] for r in _expected(TEXTS[0])]
    for span, record in zip(doc.spans["vnextract"], records):
        assert text[record["start"]:record["end"]] == record["span"] == span.text


def test_doc_id_and_metadata_come_from_user_data():
    nlp = spacy.blank("xx")
    nlp.add_pipe("vnextract")
    doc = nlp.make_doc("Thu nhập bình quân đạt 89,6 triệu đồng.")
    doc.user_data.update({"doc_id": "haiha", "locality": "huyện Hải Hà", "year": 2024})
    (record,) = _as_records(nlp(doc))
    assert (record["doc_id"], record["locality"], record["year"]) == ("haiha", "huyện Hải Hà", 2024)


def test_it_combines_with_other_components_and_its_own_spans_key():
    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("vnextract", config={"spans_key": "figures"})

    @spacy.Language.component("targets_only")
    def targets_only(doc):
        doc.spans["targets"] = [s for s in doc.spans["figures"] if s.label_ == "target"]
        return doc

    nlp.add_pipe("targets_only")
    doc = nlp(" ".join(TEXTS))
    assert "vnextract" not in doc.spans
    assert [s._.record["span"] for s in doc.spans["targets"]] == ["8/8 xã"]
    assert len(list(doc.sents)) == 3
    with pytest.raises(ValueError, match="no ':'"):
        spacy.blank("xx").add_pipe("vnextract", config={"spans_key": "a:b"})


def test_the_pipeline_saves_and_loads(tmp_path):
    nlp = vnextract.nlp()
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert isinstance(loaded.tokenizer, spacy_component.VnTokenizer)
    doc = loaded(TEXTS[0])
    assert _as_records(doc) == _expected(TEXTS[0])


def test_importing_the_package_does_not_load_spacy():
    code = "import sys, vnextract; assert callable(vnextract.nlp); print('spacy' in sys.modules)"
    assert python_output(code) == "False"
