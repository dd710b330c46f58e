"""Which locality strings name the same place: the one function the tracking
table keys localities by.

"huyện Đầm Hà" = "Đầm Hà" (a bare name that is no province is a district),
"TP. Đà Nẵng" = "Đà Nẵng" (the gazetteer writes it with TP), but "thành phố
Quảng Ngãi" ≠ "tỉnh Quảng Ngãi" and "thị trấn Đầm Hà" ≠ "huyện Đầm Hà": the
type word's level is part of the key. Provinces come from `gazetteer`; below
the province, names are compared folded, so two districts of the same name in
different provinces share a key until the gazetteer can tell them apart (this
function is where that lookup goes).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..gazetteer import provinces as gazetteer_provinces
from ..folding import fold_locality, fold_text
from ..rules import load_rules


@dataclass(frozen=True, slots=True)
class PlaceKey:
    level: str  # national, province, district, commune, or "" when no locality is given
    name: str  # folded name without its type word


NO_PLACE = PlaceKey("", "")


@lru_cache(maxsize=1)
def _tables():
    rules = load_rules("tracking")
    type_words = sorted(
        ((fold_text(w), level) for level, words in rules["locality_levels"].items() for w in words),
        key=lambda item: -len(item[0]),
    )
    aliases = {fold_text(k): fold_text(v) for k, v in rules["locality_aliases"].items()}
    # Bare province name → "city" for the centrally-run cities the gazetteer writes with TP.
    provinces = {fold_text(bare): "city" if fold_locality(full).startswith("thành phố ") else "province"
                 for bare, full in gazetteer_provinces().items()}
    return type_words, aliases, provinces


@lru_cache(maxsize=4096)
def place_key(locality: str | None) -> PlaceKey:
    """The key two records' localities must share to be tracked together."""
    folded = fold_locality(locality)
    if not folded:
        return NO_PLACE
    type_words, aliases, provinces = _tables()
    level, bare = None, folded
    if folded not in aliases:
        for word, word_level in type_words:
            if folded == word or folded.startswith(word + " "):
                level, bare = word_level, folded[len(word):].strip()
                break
    if level == "national":
        return PlaceKey("national", "")
    bare = aliases.get(bare, bare)
    province_type = provinces.get(bare)
    if level in (None, "province") and (province_type or level == "province"):
        return PlaceKey("province", bare)
    if level == "city":
        # "thành phố Hà Nội" is the province; "thành phố Quảng Ngãi" is the city in tỉnh Quảng Ngãi.
        return PlaceKey("province" if province_type == "city" else "district", bare)
    return PlaceKey(level or "district", bare)
