"""The administrative units a text, a metadata sheet or a file name may name.

The units come from `vietnamadminunits` (provinces and their districts as
they stood before the July 2025 reorganisation, which is what most articles
name, and the provinces after it; the communes of both sets and the
converter between them, read on first need); `rules/localities.yaml` adds
the former names and short forms that writers still use. Shared by input reading (a
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
    official = load_rules("localities").get("official_spellings", {})
    found: dict[str, list[District]] = {}
    for province_key, units in legacy["DICT_PROVINCE_DISTRICT"].items():
        for unit in units.values():
            name = official.get(unit["districtShort"], unit["districtShort"])
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
    return {ascii_key(name): locality for name, locality in provinces().items()}


@lru_cache(maxsize=1)
def _ascii_districts() -> dict[str, list[District]]:
    """District name without marks or spaces ("damha") → the districts so named."""
    return _index_by(districts(), ascii_key)


def ascii_key(name: str) -> str:
    """"Đầm Hà" → "damha": the form a URL slug or file name keeps."""
    return "".join(c for c in _unmarked(name) if c.isalnum())


def _unmarked(name: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


_SLUG_SEPARATORS = regex.compile(r"[^0-9a-z]+")
_SLUG_CITY = ("tp", "thanhpho")
_SLUG_DISTRICT = ("huyen", "quan", "tx", "thixa")
_SLUG_COMMUNE = {"xa": "xã", "phuong": "phường", "thitran": "thị trấn", "tt": "thị trấn", "dackhu": "đặc khu"}


@lru_cache(maxsize=2)
def _ascii_communes(era: str) -> dict[str, list["Commune"]]:
    """Commune name without marks or spaces ("phonghai") → the communes so named in one era."""
    return _index_by(communes(era), ascii_key)


def _index_by(units_by_name: dict[str, list], key_of) -> dict[str, list]:
    """The units of a by-name table again, under `key_of(name)`, each once per
    key, in the table's order; a name's key is made once, not once per spelling
    the table lists the name under."""
    index: dict[str, list] = {}
    keys: dict[str, str] = {}
    seen: set = set()
    for units in units_by_name.values():
        for unit in units:
            key = keys.get(unit.name)
            if key is None:
                key = keys[unit.name] = key_of(unit.name)
            if (key, unit) not in seen:
                seen.add((key, unit))
                index.setdefault(key, []).append(unit)
    return index


def _commune_in_name(parts: list[str], named_provinces: set[str], after_reform: bool) -> str | None:
    """"xa-phong-hai-lao-cai" → "xã Phong Hải": a commune type word, then a
    commune's name, of the province the name gives (or the only one so named);
    the units in force first."""
    eras = ("from_2025", "legacy") if after_reform else ("legacy", "from_2025")
    for i in range(len(parts)):
        for width in (2, 1):
            kind = _SLUG_COMMUNE.get("".join(parts[i : i + width]))
            if kind is None:
                continue
            for j in range(min(len(parts), i + width + 4), i + width + 1, -1):  # two syllables at least: "xa-hoi" is xã hội
                key = "".join(parts[i + width : j])
                for era in eras:
                    units = [c for c in _ascii_communes(era).get(key, ()) if c.locality.startswith(kind + " ")]
                    in_named = [c for c in units if _province_of_era(c, era) & named_provinces]
                    chosen = in_named or (units if len({c.province for c in units}) == 1 else [])
                    if chosen:
                        return chosen[0].locality
                if named_provinces and _names_a_unit_at(parts, j) and (spelled := _commune_spelling(key)):
                    # "xa-tam-phuoc-ba-ria-vung-tau": a commune the tables miss in that province (or list
                    # under another type since), named with the province: the name as the slug types it
                    return f"{kind} {spelled}"
    return None


def _names_a_unit_at(parts: list[str], at: int) -> bool:
    """A province or a district of the slug starts right at `parts[at]`
    ("xa-tam-phuoc-[ba-ria-vung-tau]"), so the commune's words end there."""
    provinces, districts = _ascii_provinces(), _ascii_districts()
    return any("".join(parts[at:k]) in provinces or "".join(parts[at:k]) in districts
               for k in range(at + 1, min(len(parts), at + 4) + 1))


def _commune_spelling(key: str) -> str | None:
    """The marked spelling of a commune name without marks or spaces
    ("tamphuoc" → "Tam Phước"), when every unit so keyed spells it alike."""
    names = {c.name for era in ("legacy", "from_2025") for c in _ascii_communes(era).get(key, ())}
    return names.pop() if len(names) == 1 else None


def _province_of_era(commune: "Commune", era: str) -> set[str]:
    """The provinces (with type word) a commune's province is or lies in, for matching names of either era."""
    if era == "from_2025":
        return {province_2025(commune.province)} - {None}
    return {legacy_province(commune.province), province_2025_of(commune.province)} - {None}


@lru_cache(maxsize=1024)
def place_in_name(name: str, after_reform: bool = False) -> str | None:
    """The most specific unit a file name or URL slug names, or None:
    "chu-pah-gia-lai-chi-tieu-2024" → "huyện Chư Păh", "damha-2024" → "huyện
    Đầm Hà", "ba-ria-vung-tau-fdi-quy-1-2024" → "tỉnh Bà Rịa - Vũng Tàu",
    "tp-quang-ngai-9-thang-2019" → "thành phố Quảng Ngãi". A district counts
    when its province is named too, or when its name is unique in the country
    and no other province is named ("phu-binh-an-giang" is An Giang's, not
    Thái Nguyên's Phú Bình); a district named like its province only after "tp"."""
    parts = [p for p in _SLUG_SEPARATORS.split(_unmarked(name)) if p]
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
    commune = _commune_in_name(parts, {province_names[key] for key in named}, after_reform)
    if commune:
        return commune
    for i, key in spans:
        after_city_word = i > 0 and parts[i - 1] in _SLUG_CITY
        for unit in district_names.get(key, ()):
            own = ascii_key(unit.province)
            if own == key and not after_city_word:
                continue  # "quang-ngai" is the province unless "tp-" says the city
            if own in named or len(district_names[key]) == 1 and key not in province_names \
                    and not _elsewhere(unit.province, [province_names[k] for k in named]):
                if after_reform and not (i > 0 and parts[i - 1] in _SLUG_DISTRICT):
                    renamed = [c for c in _ascii_communes("from_2025").get(key, ())
                               if c.locality.startswith("xã ") and _merged_into().get(unit.province) == province_2025(c.province)]
                    if len(renamed) == 1:
                        return renamed[0].locality
                return unit.locality
    return next((province_names[key] for _, key in spans if key in province_names), None)


def _elsewhere(province: str, named: list[str]) -> bool:
    """Whether a district's province (bare) is known to be none of the named
    provinces (with type words), compared as the post-2025 provinces that hold
    them: "phu-binh-an-giang" names An Giang, and huyện Phú Bình is Thái Nguyên's."""
    def holder(name: str) -> str | None:
        return province_2025_of(name) or province_2025(name)

    own = holder(province)
    others = [holder(_bare(p)) for p in named]
    return bool(named) and own is not None and all(o is not None and o != own for o in others)


# ----------------------------------------------------- the 2025 reorganisation ---

# Since 1 July 2025 Vietnam has 34 provinces and no district level; an article
# names the units in force when it was written. These functions give both
# sets of units and the way from one to the other (vietnamadminunits'
# converter tables), for the locality stage and for the `province` and
# `province_2025` columns.

REFORM = (2025, 7)  # (year, month) the post-2025 units came into force


class Commune(NamedTuple):
    name: str  # "Phong Hải"
    locality: str  # with its type word, lower case: "xã Phong Hải", "đặc khu Vân Đồn"
    province: str  # the province's bare name, in the commune's own era
    key: str  # the converter's key: "tinhlaocai_huyenbaothang_xabancam" (pre-2025), "xaphonghai" (post-2025)


_DISAMBIGUATION = regex.compile(r"\s*\([^)]*\)$")


@lru_cache(maxsize=2)
def communes(era: str) -> dict[str, list[Commune]]:
    """Bare commune, ward or town name → the units so named in one era:
    "legacy" (xã, phường, thị trấn under a district) or "from_2025" (xã,
    phường, đặc khu directly under one of the 34 provinces)."""
    units = _units(era)
    short_of = {key: unit["provinceShort"] for key, unit in units["DICT_PROVINCE"].items()}
    found: dict[str, list[Commune]] = {}

    def add(province_key: str, key: str, unit: dict) -> None:
        name, kind = unit["wardShort"], unit["wardType"]
        if not (isinstance(name, str) and isinstance(kind, str)):
            return  # island districts without communes (Hoàng Sa, Côn Đảo) have an empty row
        if "(" in name:
            name = _DISAMBIGUATION.sub("", name)  # "Đầm Hà (Thị trấn)": the table's own disambiguation
        commune = Commune(name, f"{kind.lower()} {name}", short_of[province_key], key)
        for spelling in spellings(name):
            same = found.setdefault(spelling, [])
            if commune not in same:
                same.append(commune)

    if era == "legacy":
        for table in ("DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED", "DICT_PROVINCE_DISTRICT_WARD_ACCENTED"):
            for province_key, district_units in units[table].items():
                for district_key, wards in district_units.items():
                    for ward_key, unit in wards.items():
                        add(province_key, f"{province_key}_{district_key}_{ward_key}", unit)
    else:
        for table in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED"):
            for province_key, wards in units[table].items():
                for ward_key, unit in wards.items():
                    add(province_key, ward_key, unit)
    return found


@lru_cache(maxsize=1)
def _converter() -> dict:
    try:
        return json.loads((_package_dir() / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise RuleError(f"the gazetteer needs the package vietnamadminunits ({exc}); pip install vietnamadminunits") from exc


def _province_names(era: str) -> dict[str, str]:
    """Province key ("tinhlaocai") → its locality ("tỉnh Lào Cai") in one era."""
    return {key: _province_locality(unit["province"], unit["provinceShort"])
            for key, unit in _units(era)["DICT_PROVINCE"].items()}


@lru_cache(maxsize=1)
def _merged_into() -> dict[str, str]:
    """Bare pre-2025 province name → the post-2025 province that holds it ("Yên Bái" → "tỉnh Lào Cai")."""
    legacy = {key: unit["provinceShort"] for key, unit in _units("legacy")["DICT_PROVINCE"].items()}
    new = _province_names("from_2025")
    return {legacy[old]: new[key] for key, olds in _converter()["DICT_PROVINCE"].items() for old in olds if old in legacy}


@lru_cache(maxsize=1)
def _former_province_of() -> dict[tuple[str, str], str]:
    """(post-2025 province key, commune key) → the pre-2025 province most of
    its parts lay in, with its type word."""
    legacy = _province_names("legacy")
    tables = _converter()
    parts: dict[tuple[str, str], list[str]] = {}
    for province_key, wards in tables["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            parts.setdefault((province_key, ward_key), []).extend(old.split("_", 1)[0] for old in olds)
    for province_key, olds in tables["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for new in news:
                parts.setdefault((province_key, new["newWardKey"]), []).append(old.split("_", 1)[0])
    found = {}
    for key, olds in parts.items():
        known = [k for k in olds if k in legacy]
        if known:
            found[key] = legacy[max(set(known), key=known.count)]
    return found


@lru_cache(maxsize=1)
def _province_keys_2025() -> dict[str, str]:
    """Bare post-2025 province name → its key."""
    return {unit["provinceShort"]: key for key, unit in _units("from_2025")["DICT_PROVINCE"].items()}


def province_2025_of(province: str) -> str | None:
    """The post-2025 province (with its type word) that holds a pre-2025 one,
    named bare ("Hà Giang" → "tỉnh Tuyên Quang"); None for a name that is no province."""
    return _merged_into().get(province)


def former_province_of(commune: Commune) -> str | None:
    """The pre-2025 province (with its type word) a post-2025 commune was made from."""
    key = _province_keys_2025().get(commune.province)
    return _former_province_of().get((key, commune.key)) if key else None


def legacy_province(name: str) -> str | None:
    """A pre-2025 province named bare, with its type word; None when no pre-2025 province has that name."""
    return next((loc for key, loc in _province_names("legacy").items()
                 if _units("legacy")["DICT_PROVINCE"][key]["provinceShort"] == name), None)


def province_2025(name: str) -> str | None:
    """A post-2025 province named bare, with its type word; None when no post-2025 province has that name."""
    key = _province_keys_2025().get(name)
    return _province_names("from_2025")[key] if key else None


@lru_cache(maxsize=1)
def _type_levels() -> list[tuple[str, str]]:
    """(folded type word, level) longest first, from rules/tracking.yaml `locality_levels`."""
    from .folding import fold_text

    levels = load_rules("tracking")["locality_levels"]
    pairs = [(fold_text(w), level) for level, words in levels.items() for w in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def _folded_indexes() -> dict[str, dict]:
    """Folded bare name → units, for each kind of unit the columns look up."""
    from .folding import fold_text

    rules = load_rules("localities")
    legacy = {fold_text(u["provinceShort"]): u["provinceShort"] for u in _units("legacy")["DICT_PROVINCE"].values()}
    new = {fold_text(u["provinceShort"]): u["provinceShort"] for u in _units("from_2025")["DICT_PROVINCE"].values()}
    # "Thừa Thiên Huế" (tỉnh until 2025) → its locality and the gazetteer's name for its area ("Huế").
    former = {fold_text(name): (locality, rules["renamed_provinces"][_bare(locality)])
              for name, locality in rules.get("former_provinces", {}).items()}
    aliases = {fold_text(k): fold_text(_bare(v)) for k, v in rules["aliases"].items()}
    aliases.update({fold_text(k): fold_text(v) for k, v in load_rules("tracking")["locality_aliases"].items()})
    return {"legacy": legacy, "from_2025": new, "former": former, "aliases": aliases}


def _bare(locality: str) -> str:
    words = locality.split(" ", 1)
    return words[1] if len(words) > 1 and words[0].lower().rstrip(".") in ("tp", "tỉnh") else locality


@lru_cache(maxsize=2)
def _folded_communes(era: str) -> dict[str, list[Commune]]:
    from .folding import fold_text

    return _index_by(communes(era), fold_text)


@lru_cache(maxsize=1)
def _folded_districts() -> dict[str, list[District]]:
    from .folding import fold_text

    return _index_by(districts(), fold_text)


@lru_cache(maxsize=4096)
def holding_provinces(locality: str | None, after_reform: bool, near: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """(pre-2025 province, post-2025 province) that hold a locality, each with
    its type word: "huyện Hải Hà" → ("tỉnh Quảng Ninh", "tỉnh Quảng Ninh"),
    "tỉnh Hà Giang" → ("tỉnh Hà Giang", "tỉnh Tuyên Quang"). A name shared by
    units of several provinces takes the one among `near` (post-2025 provinces,
    with type word, the article names); a commune name is read against the
    units in force (`after_reform`) first. (None, None) for the whole country,
    a foreign place, or a name the gazetteer cannot place."""
    from .folding import fold_locality

    folded = fold_locality(locality)
    if not folded:
        return None, None
    indexes = _folded_indexes()
    level, bare = None, folded
    if folded not in indexes["aliases"]:
        for word, word_level in _type_levels():
            if folded == word or folded.startswith(word + " "):
                level, bare = word_level, folded[len(word):].strip()
                break
    if level == "national" or not bare:
        return None, None
    bare = indexes["aliases"].get(bare, bare)
    if bare in indexes["former"] and level in (None, "province"):
        former, now = indexes["former"][bare]
        return former, province_2025_of(now)
    if level in (None, "province", "city"):
        old, new = indexes["legacy"].get(bare), indexes["from_2025"].get(bare)
        is_city_province = level != "city" or (province_2025(new) or legacy_province(old) or "").startswith("TP")
        if (old or new) and (is_city_province or not _folded_districts().get(bare)):
            if after_reform and new:
                return legacy_province(new), province_2025(new)
            return (legacy_province(old), province_2025_of(old)) if old else (legacy_province(new), province_2025(new))
    if level in (None, "district", "city"):
        # "Đăk Glei" is the gazetteer's "Đắk Glei": compared without marks when the folded name is not found.
        units = _folded_districts().get(bare) or _ascii_districts().get(ascii_key(bare), ())
        found = _pick([d.province for d in units], near)
        if found:
            return legacy_province(found), province_2025_of(found)
    if level in (None, "commune"):
        eras = ("from_2025", "legacy") if after_reform else ("legacy", "from_2025")
        for era in eras:
            units = [c for c in _folded_communes(era).get(bare, ()) if _same_type(c.locality, folded, level)]
            if era == "from_2025":
                found = _pick([c.province for c in units], near, already_2025=True)
                if found:
                    unit = next(c for c in units if c.province == found)
                    return former_province_of(unit), province_2025(found)
            else:
                found = _pick([c.province for c in units], near)
                if found:
                    return legacy_province(found), province_2025_of(found)
    return None, None


def provinces_or_nearby(locality: str | None, after_reform: bool, nearby: frozenset[tuple[str, str]]) -> tuple[str | None, str | None]:
    """`holding_provinces`, with `nearby` the (province, province_2025) pairs of
    the places the article is about; a district or commune the gazetteer does
    not know (merged away before its tables were made: "huyện Đạ Tẻh") lies in
    the article's province when the article has only one."""
    from .folding import fold_locality

    near = frozenset(p for pair in nearby for p in pair if p)
    found = holding_provinces(locality, after_reform, near)
    if found != (None, None) or len(nearby) != 1:
        return found
    level = next((lv for word, lv in _type_levels() if fold_locality(locality).startswith(word + " ")), None)
    return next(iter(nearby)) if level in ("district", "commune") else found


def _same_type(commune_locality: str, folded: str, level: str | None) -> bool:
    """"xã Tiên Yên" is no "phường Tiên Yên"; a bare name may be either."""
    from .folding import fold_locality

    return level is None or folded.split(" ", 1)[0] == fold_locality(commune_locality).split(" ", 1)[0] or folded.startswith("tt ")


def _pick(provinces_of_units: list[str], near: frozenset[str], already_2025: bool = False) -> str | None:
    """The one province (bare name) among the units' provinces: the only one,
    else the only one `near` names (provinces with their type word, of
    either era), else the only one inside a province `near` names."""
    distinct = list(dict.fromkeys(provinces_of_units))
    if len(distinct) <= 1:
        return distinct[0] if distinct else None
    own = province_2025 if already_2025 else legacy_province
    named = [p for p in distinct if own(p) in near]
    if len(named) == 1:
        return named[0]
    inside = [p for p in distinct if (province_2025(p) if already_2025 else province_2025_of(p)) in near]
    return inside[0] if len(inside) == 1 else None


def unit_named(name: str, province: str, after_reform: bool) -> str | None:
    """A unit named bare in a sheet ("Tiên Yên" in "Quảng Ninh / Tiên Yên"),
    with its type word, from the units in force: a new commune after the
    reorganisation ("xã Tiên Yên"), a district before it ("huyện Tiên Yên");
    the other era when the name is only there. None when the province holds
    no unit of that name."""
    merged = province_2025_of(province) or province_2025(province)

    def new_commune():
        found = [c for c in communes("from_2025").get(name, ()) if province_2025(c.province) == merged]
        return found[0].locality if len(found) == 1 else None

    def district():
        found = [d for d in districts().get(name, ()) if d.province == province]
        return found[0].locality if len(found) == 1 else None

    def old_commune():
        found = [c for c in communes("legacy").get(name, ()) if c.province == province]
        return found[0].locality if len(found) == 1 else None

    order = (new_commune, district, old_commune) if after_reform else (district, old_commune, new_commune)
    return next((found for find in order if (found := find())), None)
