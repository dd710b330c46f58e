"""The parts of underthesea that vnextract uses, loaded without importing
the `underthesea` package.

Why: the package's `__init__` imports every pipeline it has (chunking, NER,
POS tagging, text normalisation with joblib, classification with requests),
about half a second that every run and every fresh worker pays before the
first document. vnextract needs three of them: the sentence splitter, the
word-segmentation CRF and the part-of-speech CRF (asked only what the word
after a bare number is). They are loaded from underthesea's own files: the
splitter's module, which is pure Python and self-contained, and the CRFs'
model files, decoded by `word_crf` (or run on `underthesea_core`, the
engine underthesea runs them on).
Where this version of underthesea is laid out differently, each part comes
from the package's public API instead: the same results, a slower start.
"""
from __future__ import annotations

import importlib.util
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from .word_crf import CachedCRFTagger, CoreCRFTagger


@lru_cache(maxsize=1)
def sentence_splitter() -> Callable[[str], list[str]]:
    """underthesea's `sent_tokenize`."""
    package = _package_dir()
    module_file = package / "pipeline" / "sent_tokenize" / "__init__.py" if package else None
    if module_file is not None and module_file.is_file():
        try:
            spec = importlib.util.spec_from_file_location("vnextract._underthesea_sent_tokenize", module_file)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.sent_tokenize("Thử. Thử.")
            return module.sent_tokenize
        except Exception:  # noqa: BLE001 - any surprise here means: use the public API
            pass
    from underthesea import sent_tokenize

    return sent_tokenize


def _templates_and_dictionary(model_dir: Path) -> tuple[list[str], set[str]]:
    """The feature templates and the word dictionary of the model, written by
    joblib.dump as plain pickles (a list and a set of str) inside the
    installed underthesea package."""
    with open(model_dir / "features.bin", "rb") as handle:
        templates = pickle.load(handle)
    with open(model_dir / "dictionary.bin", "rb") as handle:
        dictionary = pickle.load(handle)
    return templates, dictionary


@lru_cache(maxsize=1)
def word_tagger():
    """The word-segmentation CRF: an object whose `predict([[syllable], ...])`
    gives one B-W/I-W tag per syllable; None if no way works, and then the
    caller uses `word_tokenize` itself.

    First choice: the model decoded by `CachedCRFTagger` (the same tags, a
    fraction of the time); then underthesea_core's own tagger on the same
    files; then underthesea's public API."""
    model_dir = _model_dir()
    if model_dir is not None:
        try:
            files = _templates_and_dictionary(model_dir)
        except Exception:  # noqa: BLE001 - any surprise here means: use the public API
            files = None
        for make in (CachedCRFTagger, CoreCRFTagger) if files is not None else ():
            try:
                tagger = make(model_dir, *files)
                tagger.predict([["thử"]])
                return tagger
            except Exception:  # noqa: BLE001 - any surprise here means: try the next way
                pass
    try:
        import underthesea.pipeline.word_tokenize as word_tokenize_module

        word_tokenize_module.word_tokenize("khởi động")  # loads the bundled model
        tagger = word_tokenize_module.word_tokenize_model
        tagger.predict([["thử"]])
        return tagger
    except (ImportError, AttributeError, TypeError):
        return None


@lru_cache(maxsize=1)
def pos_tagger():
    """The part-of-speech CRF of `pos_tag(..., model="v2.0")` (VLSP 2013 tags:
    N noun, Nc classifier, Np name, V verb, M number …): an object whose
    `predict([[word], ...])` gives one "B-<tag>" per word; None where this
    version of underthesea has no such model, and then no rule asks for tags.

    First choice: underthesea_core's tagger on the model's files; then the
    tagger underthesea's public `pos_tag` loads for that model."""
    model_dir = _model_dir("pos_tag")
    if model_dir is not None:
        try:
            tagger = CoreCRFTagger(model_dir, *_templates_and_dictionary(model_dir))
            tagger.predict([["thử"]])
            return tagger
        except Exception:  # noqa: BLE001 - any surprise here means: use the public API
            pass
    try:
        import underthesea.pipeline.pos_tag as pos_tag_module

        if pos_tag_module.pos_model_v2 is None:  # (a second call of this version's pos_tag fails)
            pos_tag_module.pos_tag("khởi động", model="v2.0")  # loads the model
        tagger = pos_tag_module.pos_model_v2
        tagger.predict([["thử"]])
        return tagger
    except (ImportError, AttributeError, TypeError):
        return None


def _model_dir(pipeline: str = "word_tokenize") -> Path | None:
    """The folder of the one CRF model that underthesea's `pipeline` loads, if
    it is where this version of underthesea keeps it."""
    package = _package_dir()
    models = sorted((package / "pipeline" / pipeline / "models").glob("*/models.bin")) if package else []
    return models[0].parent if len(models) == 1 else None


@lru_cache(maxsize=1)
def _package_dir() -> Path | None:
    """Where underthesea is installed, found without importing it."""
    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))
