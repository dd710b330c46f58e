"""vnextract: indicator records (targets and results) from Vietnamese news articles.

    from vnextract import extract, to_frame
    records = extract("Huyện phấn đấu năm 2024 mức tăng trưởng kinh tế từ 17,7% trở lên.", doc_id="x")
    df = to_frame(records)
    df = to_frame(extract_documents(["corpus/dev"]))   # failures in df.attrs["failures"]
    rows = read_records("records.csv")                 # dicts, the CSV's formula guard undone

    nlp = vnextract.nlp()       # a spaCy pipeline: vnextract's tokenizer + the "vnextract" component
    doc = nlp("Thu nhập bình quân đạt 89,6 triệu đồng.")
    [(s.text, s.label_, s._.record["indicator"]) for s in doc.spans["vnextract"]]

Heavy modules (underthesea, pandas, spaCy) load on first use, so importing
the package and starting the CLI stay cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["extract", "extract_documents", "to_frame", "read_records", "Record", "evaluate", "nlp", "__version__"]


def nlp(lang: str = "xx"):
    """A spaCy pipeline, ready: vnextract's aligned underthesea tokenizer and
    the `vnextract` component (`doc.spans["vnextract"]`, `span._.record`).
    Add other components to it, or add "vnextract" to a pipeline of your own."""
    from .review.spacy_component import vnextract_nlp

    return vnextract_nlp(lang)


def __getattr__(name: str):
    if name in ("extract", "extract_documents"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("to_frame", "read_records"):
        from .outputs import writers

        return getattr(writers, name)
    if name == "Record":
        from .stages.records import Record

        return Record
    if name == "evaluate":
        from .evaluation.scoring import evaluate

        return evaluate
    raise AttributeError(f"module 'vnextract' has no attribute {name!r}")
