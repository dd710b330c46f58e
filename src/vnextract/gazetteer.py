"""The administrative units a text, a metadata sheet or a file name may name.

The units come from `vietnamadminunits` (provinces and their districts as
they stood before the July 2025 reorganisation, which is what most articles
name, and the provinces after it); `rules/localities.yaml` adds the former
names and short forms that writers still use. Shared by input reading (a
sheet's "Lào Cai" is "tỉnh Lào Cai") and the locality stage, so it sits
beside both rather than inside either.
"""
from __future__ import annotations

import importlib.util
import json
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import regex

from .rules import RuleError, load_rules


class District(NamedTuple):
    name: str  # "Đầm Hà"
    locality: str  # with its type word, lower case: "huyện Đầm Hà"
    province: str  # the province's bare name: "Quảng Ninh"


@lru_cache(maxsize=2)
def _units(era: str) -> dict:
    """One of vietnamadminunits' tables: "legacy" (before 2025) or "from_2025"."""
    try:
        return json.loads((_package_dir() / "data" / f"parser_{era}.json").read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise RuleError(f"the gazetteer needs the package vietnamadminunits ({exc}); pip install vietnamadminunits") from exc


def _package_dir():
    """Where vietnamadminunits keeps its tables, found without importing it:
    its `__init__` loads its parsers and pandas, half a second of every start."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None:
        raise ModuleNotFoundError("No module named 'vietnamadminunits'")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return resources.files("vietnamadminunits")


def _province_locality(full_name: str, short: str) -> str:
    """"Thành phố Hà Nội" → "TP Hà Nội" (the form SPEC examples use); "Tỉnh Lào Cai" → "tỉnh Lào Cai"."""
    return f"TP {short}" if full_name.lower().startswith("thành phố") else f"tỉnh {short}"


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """Bare province name (each spelling a writer may use) → the name with its
    type word ("Hà Nội" → "TP Hà Nội", "Hoà Bình" → "tỉnh Hòa Bình")."""
    found: dict[str, str] = {}
    for era in ("legacy", "from_2025"):
        for unit in _units(era)["DICT_PROVINCE"].values():
            locality = _province_locality(unit["province"], unit["provinceShort"])
            for spelling in spellings(unit["provinceShort"]):
                found.setdefault(spelling, locality)
    for name, locality in load_rules("localities").get("former_provinces", {}).items():
        for spelling in spellings(name):
            found.setdefault(spelling, locality)
    return found


@lru_cache(maxsize=1)
def districts() -> dict[str, list[District]]:
    """Bare district name → the districts of that name (several provinces may
    have one: "Châu Thành"), with their type words, before the 2025 reorganisation."""
    legacy = _units("legacy")
    short_of = {key: unit["provinceShort"] for key, unit in legacy["DICT_PROVINCE"].items()}
    found: dict[str, list[District]] = {}
    for province_key, units in legacy["DICT_PROVINCE_DISTRICT"].items():
        for unit in units.values():
            name = unit["districtShort"]
            district = District(name, f"{unit['districtType'].lower()} {name}", short_of[province_key])
            for spelling in spellings(name):
                found.setdefault(spelling, []).append(district)
    return found


def spellings(name: str) -> set[str]:
    """A name as writers spell it: both tone placements of oa/oe/uy ("Hòa" and
    "Hoà"), and hyphens with or without spaces ("Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu")."""
    forms = {name}
    words = name.split(" ")
    variants = [_tone_variants(w) for w in words]
    if any(len(v) > 1 for v in variants):
        forms.add(" ".join(v[-1] for v in variants))
    for form in list(forms):
        if " - " in form:
            forms.add(form.replace(" - ", "-"))
        elif "-" in form:
            forms.add(form.replace("-", " - "))
    return forms


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_GLIDE_PAIR = regex.compile(r"(?i)([ou])([" + _TONE_MARKS + r"]?)([aey])([" + _TONE_MARKS + r"]?)$")


def _tone_variants(word: str) -> list[str]:
    """[word] or [word, the same word with its tone on the other vowel of a
    final oa/oe/uy] ("hòa" ↔ "hoà", "thủy" ↔ "thuỷ")."""
    decomposed = unicodedata.normalize("NFD", word)
    m = _GLIDE_PAIR.search(decomposed)
    if m is None or not (m.group(2) or m.group(4)):
        return [word]
    tone = m.group(2) or m.group(4)
    moved = m.group(1) + ("" if m.group(2) else tone) + m.group(3) + (tone if m.group(2) else "")
    return [word, unicodedata.normalize("NFC", decomposed[: m.start()] + moved)]


@lru_cache(maxsize=1)
def _ascii_provinces() -> dict[str, str]:
    """Province name without marks or spaces ("quangninh") → locality."""
    return {_ascii(name): locality for name, locality in provinces().items()}


@lru_cache(maxsize=1)
def _ascii_districts() -> dict[str, list[District]]:
    """District name without marks or spaces ("damha") → the districts so named."""
    index: dict[str, list[District]] = {}
    for units in districts().values():
        for unit in units:
            same = index.setdefault(_ascii(unit.name), [])
            if unit not in same:
                same.append(unit)
    return index


def _ascii(name: str) -> str:
    """"Đầm Hà" → "damha": the form a URL slug or file name keeps."""
    return "".join(c for c in _unmarked(name) if c.isalnum())


def _unmarked(name: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


_SLUG_CITY = ("tp", "thanhpho")


@lru_cache(maxsize=1024)
def place_in_name(name: str) -> str | None:
    """The most specific unit a file name or URL slug names, or None:
    "chu-pah-gia-lai-chi-tieu-2024" → "huyện Chư Păh", "damha-2024" → "huyện
    Đầm Hà", "ba-ria-vung-tau-fdi-quy-1-2024" → "tỉnh Bà Rịa - Vũng Tàu",
    "tp-quang-ngai-9-thang-2019" → "thành phố Quảng Ngãi". A district counts
    when its name is unique in the country or its province is named too; a
    district named like its province only after "tp"."""
    parts = [p for p in regex.split(r"[^0-9a-z]+", _unmarked(name)) if p]
    province_names = _ascii_provinces()
    district_names = _ascii_districts()
    spans: list[tuple[int, str]] = []  # (first part, joined name) of the names the gazetteer knows, longest first
    i = 0
    while i < len(parts):
        for j in range(min(len(parts), i + 4), i, -1):
            key = "".join(parts[i:j])
            if (j > i + 1 or len(key) >= 5) and (key in province_names or key in district_names):
                spans.append((i, key))
                i = j
                break
        else:
            i += 1
    named = {key for _, key in spans if key in province_names}
    for i, key in spans:
        after_city_word = i > 0 and parts[i - 1] in _SLUG_CITY
        for unit in district_names.get(key, ()):
            own = _ascii(unit.province)
            if own == key and not after_city_word:
                continue  # "quang-ngai" is the province unless "tp-" says the city
            if own in named or len(district_names[key]) == 1 and key not in province_names:
                return unit.locality
    return next((province_names[key] for _, key in spans if key in province_names), None)
