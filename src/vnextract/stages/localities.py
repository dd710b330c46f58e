"""Stage 4b: places named in the text, and the article's subject.

A place is a type word followed by a capitalised name ("huyện Hải Hà",
"TP. HCM"), a fused form ("TPHCM"), a bare province name from the gazetteer
("Bắc Ninh" → "tỉnh Bắc Ninh"), a bare district name of a province the
article is about ("Tiên Yên" in an article on Quảng Ninh → "huyện Tiên
Yên"), a bare name already seen with a type word in the same article ("Chư
Păh" → "huyện Chư Păh"), or the whole country. The subject — the default
locality of every record — is the place the article names most, its title
and opening weighing most, and the unit its file name names counting too.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import NamedTuple

import regex

from ..folding import fold_locality
from ..gazetteer import (REFORM, ascii_key, communes, districts, holding_provinces, place_in_name, province_2025_of,
                         provinces, provinces_or_nearby)
from ..inputs.metadata import DocumentMeta
from ..rules import WORD_END as _RIGHT
from ..rules import WORD_START as _LEFT
from ..rules import load_rules, phrase_alternation

_NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}]+"
NATIONAL = "cả nước"  # the locality of a figure of the whole country (SPEC §2)


class Place(NamedTuple):
    start: int
    end: int
    locality: str  # the SPEC value: type word + name
    name: str  # the bare name, to find it again without its type word
    national: bool = False
    foreign: bool = False  # another country or a region: owns a figure, never the article's subject
    # "GDP", "Việt Nam", "Thái Lan": a word of the sentence too, which an indicator may hold
    # ("tốc độ tăng GDP", "thị trường khách Hàn Quốc"), so not cut out of its words.
    in_phrase: bool = False
    region: bool = False  # one of the country's regions: owns the figures named after it, like a unit


@lru_cache(maxsize=1)
def _compiled():
    rules = load_rules("localities")
    stop = phrase_alternation(rules["not_name_words"], case_sensitive=True)
    name = rf"(?!(?:{stop}){_RIGHT}){_NAME_WORD}(?:(?:[ \t]+|[ \t]*-[ \t]*)(?!(?:{stop}){_RIGHT}){_NAME_WORD})*"
    type_words = sorted(rules["type_words"], key=len, reverse=True)
    # A type word opens a sentence capitalised ("Huyện Tiên Yên đạt …"): its first letter may be either case.
    spelled = [f"[{t[0]}{t[0].upper()}]{regex.escape(t[1:])}" if t[:1].islower() else regex.escape(t) for t in type_words]
    typed = regex.compile(rf"{_LEFT}(?P<type>{'|'.join(spelled)})[ \t]*(?P<name>{name})")
    fused = regex.compile(rf"{_LEFT}(?:{phrase_alternation(rules['fused'], case_sensitive=True)}){_RIGHT}")
    said = rf"(?i:{phrase_alternation(rules['national'])})"
    # The country's name counts unless a capitalised word before it makes it part of a body's name.
    country = rf"(?<!\p{{Lu}}[\p{{Ll}}\p{{M}}]*[ \t]+)(?:{phrase_alternation(rules['country_name'], case_sensitive=True)})"
    # "Cục Thống kê tỉnh X" is the province's office: the national one only without a place after it.
    statistics = (rf"(?:{phrase_alternation(rules['national_statistics'], case_sensitive=True)})"
                  rf"(?![ \t]+(?:{phrase_alternation(rules['type_words'], case_sensitive=True)}|\p{{Lu}}))")
    national = regex.compile(rf"{_LEFT}(?:(?P<said>{said})|{country}|{statistics}){_RIGHT}")
    gazetteer = {**provinces(), **rules["aliases"]}
    bare = regex.compile(rf"{_LEFT}(?:{phrase_alternation(gazetteer, case_sensitive=True)}){_RIGHT}")
    any_case = regex.compile(rf"(?:{phrase_alternation(gazetteer)}){_RIGHT}", regex.IGNORECASE)
    # Names as written; a region with or without "vùng" (capitalised too, opening a sentence: "Vùng Tây Bắc có …").
    with_vung = set(rules["regions_named_with_vung"])
    bare_regions = [r for r in rules["regions"] if r not in with_vung]
    foreign = regex.compile(
        rf"{_LEFT}(?:(?P<foreign>{phrase_alternation(rules['foreign'], case_sensitive=True)})"
        rf"|[Vv]ùng[ \t]+(?P<region>{phrase_alternation(rules['regions'], case_sensitive=True)})"
        rf"|(?P<region_bare>{phrase_alternation(bare_regions, case_sensitive=True)})){_RIGHT}")
    province_types = frozenset(t.lower() for t in rules["province_type_words"])
    province_only = frozenset(t.lower() for t in rules["province_only_type_words"])
    folded_names = {" ".join(name.lower().split()): name for name in gazetteer}
    return (typed, fused, national, bare, gazetteer, foreign,
            (any_case, folded_names, province_types, frozenset(rules["regions"]), province_only))


def find_places(text: str, about: str | None = None, after_reform: bool = False, renamed: bool = False) -> list[Place]:
    """All place mentions, sorted by position, longest first where they overlap.
    `about` is a unit the article is known to be about (from its metadata or
    file name): the districts of its province count as places when named bare
    — or, in an article written after the 2025 reorganisation, the new
    commune that took a district's name ("Tiên Yên" → "xã Tiên Yên").
    `renamed`: the article predates a province's new name, so the bare new
    name is the former province ("Huế" before 2025 → "tỉnh Thừa Thiên Huế")."""
    typed, fused, national, bare, gazetteer, foreign, (any_case, folded_names, province_types, regions,
                                                       province_only) = _compiled()
    found: list[Place] = []
    for m in foreign.finditer(text):
        region = m.group("region") or m.group("region_bare")
        found.append(Place(m.start(), m.end(), f"vùng {region}" if region else m.group(), m.group(),
                           foreign=True, in_phrase=True, region=bool(region)))
    for m in fused.finditer(text):
        found.append(Place(m.start(), m.end(), m.group(), m.group()))
    for m in typed.finditer(text):
        kind, name, end = m.group("type"), m.group("name"), m.end()
        if name in regions:
            continue  # "các tỉnh Tây Nguyên": the region's provinces, found as the region
        written = kind[:1].lower() + kind[1:] if kind[1:2].islower() else kind  # "Huyện" → "huyện"; "TP." stays
        spelled = any_case.match(text, m.start("name")) if kind.lower() in province_types else None
        if spelled is None and kind.lower() in province_only and not _begins_a_province(name):
            continue  # "tỉnh Trung du", "UBND tỉnh Nguyễn Khắc Hiếu": no province's name
        if spelled and (spelled.end() > end or len(text[spelled.end():end].split()) >= _PERSON_NAME_WORDS):
            # "tỉnh Gia lai": the gazetteer's spelling; "UBND tỉnh Tây Ninh Võ Thành Trí": the province's name
            # ends where a person's begins (not "tỉnh Hà Nam Ninh", a former province of one more word)
            name, end = folded_names[" ".join(spelled.group().lower().split())], spelled.end()
            found.append(Place(m.start(), end, written + text[m.start() + len(kind):m.start("name")] + name,
                               spelled.group()))
            continue
        found.append(Place(m.start(), end, written + m.group()[len(kind):], name))
    for m in national.finditer(text):
        found.append(Place(m.start(), m.end(), NATIONAL, m.group(), national=True, in_phrase=m.group("said") is None))
    former = _former_names() if renamed else {}
    for m in bare.finditer(text):
        found.append(Place(m.start(), m.end(), former.get(m.group(), gazetteer[m.group()]), m.group()))
    # Bare names seen elsewhere in the article with a type word.
    typed_names = Counter()
    written: dict[str, str] = {}
    for place in found:
        if place.name != place.locality and not place.national and not place.foreign:
            typed_names[place.name] += 1
            written.setdefault(place.name, place.locality)
    if typed_names:
        for start, end, key in _find_names(text, frozenset(typed_names)):
            found.append(Place(start, end, written[key], text[start:end]))
    # Bare district names of the provinces the article names (or is about).
    named = {place.name for place in found if place.locality == gazetteer.get(place.name)}
    named.update(_provinces_of(about))
    in_provinces = _districts_of(frozenset(named), after_reform)
    if in_provinces:
        for start, end, key in _find_names(text, frozenset(in_provinces)):
            found.append(Place(start, end, in_provinces[key], text[start:end]))
    return _without_overlaps(found)


_PERSON_NAME_WORDS = 2  # a person's name after a province's has a family name and a given name at least


def _begins_a_province(name: str) -> bool:
    """A name after "tỉnh" spelled otherwise than the gazetteer, that a
    province's name is or begins with, marks and "c"/"k" aside: "Đắc Lắc",
    "Kontum", "Bà Rịa" (of "Bà Rịa – Vũng Tàu"); never one word that only
    opens one ("Nam", "Đồng")."""
    key = ascii_key(name).replace("c", "k")
    keys = _province_keys()
    return key in keys or len(name.split()) > 1 and any(k.startswith(key) for k in keys)


@lru_cache(maxsize=1)
def _province_keys() -> frozenset[str]:
    return frozenset(ascii_key(p).replace("c", "k") for p in provinces())


@lru_cache(maxsize=1)
def _former_names() -> dict[str, str]:
    """Bare new name → the former province it named before ("Huế" → "tỉnh
    Thừa Thiên Huế"), from rules/localities.yaml `renamed_provinces` and `former_provinces`."""
    rules = load_rules("localities")
    return {new: rules["former_provinces"][old] for old, new in rules["renamed_provinces"].items()}


def _provinces_of(locality: str | None) -> set[str]:
    """The bare province name(s) a locality is in: itself for a province, the
    gazetteer's province for a district."""
    if not locality:
        return set()
    name = _bare_name(locality)
    if name in provinces():
        return {name}
    return {d.province for d in districts().get(name, ())}


def _bare_name(locality: str) -> str:
    """"huyện Đầm Hà" → "Đầm Hà": the locality without its type word (rules/localities.yaml `type_words`)."""
    return _type_prefix().sub("", locality).strip()


@lru_cache(maxsize=1)
def _type_prefix() -> regex.Pattern:
    type_words = load_rules("localities")["type_words"]
    return regex.compile(rf"^(?:{phrase_alternation(type_words)})[ \t]+", regex.IGNORECASE)


@lru_cache(maxsize=64)
def _districts_of(province_names: frozenset[str], after_reform: bool = False) -> dict[str, str]:
    """Bare district name → locality, for the districts of these provinces;
    a district named like its province is left out (the bare name is the province).
    After the reorganisation a name that a new commune of the province holding
    them took ("xã Tiên Yên") is that commune: districts are no more."""
    folded = {fold_locality(name) for name in province_names}
    found = {
        name: unit.locality
        for name, units in districts().items()
        for unit in units
        if fold_locality(unit.province) in folded and fold_locality(name) not in folded
    }
    if after_reform and found:
        merged = {province_2025_of(name) for name in province_names} - {None}
        new_units = communes("from_2025")
        for name in found:
            same = [c for c in new_units.get(name, ()) if provinces().get(c.province) in merged]
            if len(same) == 1:
                found[name] = same[0].locality
    return found


_BLANKS = regex.compile(r"[ \t\u00a0]+")
_NAME_RUN = rf"{_NAME_WORD}(?:(?:[ \t\u00a0]+|[ \t\u00a0]*-[ \t\u00a0]*){_NAME_WORD})*"
_RUN = regex.compile(rf"{_LEFT}{_NAME_RUN}")
_SIMPLE_NAME = regex.compile(_NAME_RUN)
_WORD = regex.compile(_NAME_WORD)


@lru_cache(maxsize=2)
def _name_runs(text: str) -> list[list]:
    """The runs of capitalised words of a text, each as its word matches;
    found once for the two lookups of an article."""
    return [list(_WORD.finditer(text, run.start(), run.end())) for run in _RUN.finditer(text)]


def _find_names(text: str, names: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each bare occurrence of one of `names`, leftmost
    and longest first, not overlapping. Names made of capitalised words are
    looked up among the runs of such words — no pattern to build per article;
    any other name goes through a pattern of its own. A name inside a longer
    proper name in mid-sentence ("dự án Nam Hội An") is not the place; after
    a capitalised word that only opens a sentence ("Riêng Tiên Yên") it is."""
    simple = {name for name in names if _SIMPLE_NAME.fullmatch(name)}
    keyed = {_BLANKS.sub(" ", name): name for name in simple}
    longest = max((len(_WORD.findall(name)) for name in simple), default=0)
    firsts = {_WORD.match(name).group() for name in simple}
    hits = []
    if keyed:
        for words in _name_runs(text):
            i = 0
            while i < len(words):
                if words[i].group() not in firsts:  # most words start no name
                    i += 1
                    continue
                for j in range(min(len(words), i + longest), i, -1):
                    start, end = words[i].start(), words[j - 1].end()
                    name = keyed.get(_BLANKS.sub(" ", text[start:end]))
                    if name is not None and not (end < len(text) and text[end].isalnum()):
                        if i == 0 or _opens_sentence(text, words[0].start()):
                            hits.append((start, end, name))
                        i = j
                        break
                else:
                    i += 1
    others = names - simple
    if others:
        hits.extend((m.start(), m.end(), m.group()) for m in _names_pattern(frozenset(others)).finditer(text))
    return sorted(hits, key=lambda h: (h[0], h[0] - h[1]))


_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\n(\-–•*]|\d[.)])[ \t\u00a0]*$")


def _opens_sentence(text: str, position: int) -> bool:
    """Nothing but a sentence's or a list item's opening stands before `position`."""
    return bool(_SENTENCE_START.search(text[max(0, position - 8) : position]))


@lru_cache(maxsize=64)
def _names_pattern(names: frozenset[str]) -> regex.Pattern:
    """Bare occurrences of names; cached here (and only here: not in regex's
    own cache too), as a batch repeats its places."""
    return regex.compile(rf"{_LEFT}(?:{phrase_alternation(names, case_sensitive=True)}){_RIGHT}", cache_pattern=False)


def _without_overlaps(places: list[Place]) -> list[Place]:
    places = sorted(places, key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[Place] = []
    for place in places:
        if kept and place.start < kept[-1].end:
            continue
        kept.append(place)
    return kept


def subject(text: str, places: list[Place], named: str | None = None, after_reform: bool = False) -> str | None:
    """The article's main locality: most mentioned, the opening counting more,
    and `named` — the unit the file name names — counting as a title does.
    After the 2025 reorganisation a district form of the name ("huyện Tiên
    Yên (cũ)") ranks below the commune that took it ("xã Tiên Yên").

    Bare and typed mentions of one place count together (compared folded);
    the answer is its most frequent written form with a type word.
    """
    places = [p for p in places if not p.foreign]
    if named:
        name = _bare_name(named)
        # The text's own spelling of the unit ("huyện Đak Pơ" for the gazetteer's "Đăk Pơ").
        written = next((p for p in places if p.locality != p.name and not p.national
                        and ascii_key(p.name) == ascii_key(name) and _level(p.locality) == _level(named)), None)
        if written is not None:
            named, name = written.locality, written.name
        places = [Place(-1, -1, named, name), *places]
    if not places:
        return None
    first_line_end = text.find("\n")
    first_line_end = len(text) if first_line_end < 0 else first_line_end
    score: Counter = Counter()
    forms: dict[str, Counter] = {}
    first_seen: dict[str, int] = {}
    for place in places:
        key = fold_locality(place.name) if not place.national else NATIONAL
        weight = 4.0 if place.start < 0 else 3.0 if place.start < max(first_line_end, 200) else (2.0 if place.start < 600 else 1.0)
        score[key] += weight
        forms.setdefault(key, Counter())[place.locality] += 1 if place.locality != place.name else 0
        first_seen.setdefault(key, place.start)
    best = max(score, key=lambda k: (score[k], -first_seen[k]))
    return max(forms[best].items(), key=lambda kv: (_level(kv[0], after_reform), kv[1]))[0]


_LEVELS = (("tỉnh", 4), ("tp", 3), ("thành phố", 3), ("huyện", 3), ("thị xã", 3), ("quận", 3), ("xã", 1), ("phường", 1), ("thị trấn", 1))


_GONE_IN_2025 = ("huyện", "quận", "thị xã", "thị trấn")  # levels and types the reorganisation ended


def _level(locality: str, after_reform: bool = False) -> int:
    """An article about a district names its town too ("thị trấn Đầm Hà"):
    between two forms of one name, the higher administrative level is the
    subject — of the units in force: after 2025 a former district ranks lowest."""
    lowered = locality.lower()
    if after_reform and any(lowered.startswith(word + " ") for word in _GONE_IN_2025):
        return 0
    return next((level for word, level in _LEVELS if lowered.startswith(word + " ") or lowered.startswith(word + ".")), 2)


# ----------------------------------------------------- the 2025 reorganisation ---

@lru_cache(maxsize=1)
def _reform_markers() -> regex.Pattern:
    rules = load_rules("localities")["reform"]
    return regex.compile(rf"(?:{phrase_alternation(rules['markers'])})", regex.IGNORECASE)


_YEAR_IN_TEXT = regex.compile(r"(?<!\d)20[2-9]\d(?!\d)")


def after_reform(text: str, meta: DocumentMeta) -> bool:
    """Whether the article was written under the post-2025 units: its date
    (year, and month for 2025) when the metadata gives it; else the text's
    own words about the reorganisation ("sau sáp nhập", "(cũ)", "đặc khu"),
    in a text that names 2025 or a later year."""
    if meta.year is not None and meta.year != REFORM[0]:
        return meta.year > REFORM[0]
    if meta.year == REFORM[0] and meta.month is not None:
        return meta.month >= REFORM[1]
    if meta.year is None and max(map(int, _YEAR_IN_TEXT.findall(text)), default=0) < REFORM[0]:
        return False
    return bool(_reform_markers().search(text))


def places_and_named(text: str, file_name: str, meta: DocumentMeta, after: bool) -> tuple[list[Place], str | None]:
    """The article's places, and the unit its sheet or else its file name names."""
    named = meta.locality or place_in_name(file_name, after)
    renamed = not after and (meta.year is None or meta.year < REFORM[0])
    places = find_places(text, named, after, renamed)
    return places, meta.locality or named_unit(file_name, places, after)


def named_unit(file_name: str, places: list[Place], after: bool) -> str | None:
    """The unit a file name names: the gazetteer's reading of it, unless the
    name starts with a lower unit the text writes with its type word
    ("hung-thinh-hung-nguyen-…" and "xã Hưng Thịnh" in the text → "xã Hưng
    Thịnh", not "huyện Hưng Nguyên")."""
    named = place_in_name(file_name, after)
    slug = ascii_key(file_name)
    at = slug.find(ascii_key(_bare_name(named))) if named else len(slug)
    best = None
    for place in places:
        if place.national or place.locality == place.name or _level(place.locality) >= _level(named or "tỉnh x"):
            continue
        where = slug.find(ascii_key(place.name))
        if 0 <= where < at and (best is None or where < best[0]):
            best = (where, place.locality)
    return best[1] if best else named


def with_provinces(records: list, places: list[Place], main_place: str | None, after: bool) -> list:
    """Fill each record's `province` (pre-2025) and `province_2025` from its
    locality; a name several provinces share takes the province the article
    names or is about."""
    near = set()
    for locality in {p.locality for p in places if not p.national and not p.foreign} | {main_place} - {None}:
        if _level(locality) >= 3 or locality == main_place:
            near.add(holding_provinces(locality, after))
    near = frozenset(near - {(None, None)})
    found: dict = {}  # a document's records share a few localities: each is looked up once
    for record in records:
        pair = found.get(record.locality)
        if pair is None:
            pair = found[record.locality] = provinces_or_nearby(record.locality, after, near)
        record.province, record.province_2025 = pair
    return records


@lru_cache(maxsize=2)
def _yardstick(key: str = "national_yardstick_before") -> regex.Pattern:
    rules = load_rules("localities")
    spelled_rank = rf"thứ[ \t]+(?:{phrase_alternation(rules['rank_number_words'])})"  # "lớn thứ hai"
    return regex.compile(rf"{_LEFT}(?:(?:{phrase_alternation(rules[key])})(?:[ \t]+\d+)?|{spelled_rank})[ \t]*$",
                         regex.IGNORECASE)


_OPENING_TIME = regex.compile(r"^[ \t]*(?:[^,;:()]{0,40}(?<!\d)(?:19|20)\d{2}(?!\d)[^,;:()]{0,10},)?[ \t]*$")


def foreign_owns(text: str, sentence_start: int, place: Place) -> bool:
    """Another country owns a figure only as the subject its sentence opens
    with ("Năm 2024, Thái Lan đón …"); elsewhere it is a market or a partner
    of the article's place ("thị trường khách Hàn Quốc 24,4%"). A region owns
    the figures after it as a unit does ("Phân theo vùng, tại Tây Nguyên, tỷ lệ …"),
    unless it is a yardstick ("đứng thứ 4 khu vực Đồng bằng sông Cửu Long")."""
    if place.region:
        before = text[max(sentence_start, place.start - 30) : place.start]
        if _LIES_IN.search(before):
            return False  # "Tỉnh Bắc Kạn nằm trong vùng Đông Bắc có …": where the unit lies
        return not _yardstick().search(_REGION_WORD_BEFORE.sub("", before))
    return bool(_OPENING_TIME.match(text[sentence_start : place.start]))


_LIES_IN = regex.compile(r"(?:nằm[ \t]+trong|nằm[ \t]+ở|thuộc)[ \t]*$", regex.IGNORECASE)
_REGION_WORD_BEFORE = regex.compile(r"(?:khu[ \t]+vực|trong|của)[ \t]*$", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _country_name() -> regex.Pattern:
    return regex.compile(phrase_alternation(load_rules("localities")["country_name"], case_sensitive=True))


_IN_BRACKETS_AFTER = regex.compile(r"^[ \t]*\([^()]{0,20}$")


@lru_cache(maxsize=1)
def _former_after() -> regex.Pattern:
    words = load_rules("localities")["former_after"]
    return regex.compile(rf"[ \t]*(?:{phrase_alternation(words)})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _merge_verb() -> regex.Pattern:
    """The verbs of a merger (rules/units.yaml `merged_units`), the last one before a place."""
    verbs = load_rules("units")["merged_units"]["verbs"]
    return regex.compile(rf"(?i){_LEFT}(?:{phrase_alternation(verbs)}){_RIGHT}")


@lru_cache(maxsize=1)
def _merged_list_words() -> regex.Pattern:
    """What may stand between a merger's verb and a unit of its list: type
    words, counts, list marks and the marks of a former unit."""
    rules = load_rules("localities")
    words = phrase_alternation([*rules["type_words"], *rules["former_after"], "và", "các", "từ", "lại"])
    return regex.compile(rf"(?i)^(?:[\s,;:()\d]+|(?:{words}){_RIGHT})*$")


def in_merged_list(text: str, sentence_start: int, place: Place, earlier: list[Place]) -> bool:
    """"Xã Hòa Hội được thành lập trên cơ sở hợp nhất xã Hòa Hội (cũ), Hòa
    Bình và Hòa Hưng, có … dân số [36.174 người]": a unit in the list after a
    merger's verb is one of the units merged, which owns none of the new
    unit's figures."""
    verbs = list(_merge_verb().finditer(text, sentence_start, place.start))
    if not verbs:
        return False
    gap = text[verbs[-1].end() : place.start]
    if gap.lstrip()[:1] in (",", ";"):
        return False  # "Sau khi hợp nhất, tỉnh Gia Lai có …": the merger is done, the unit after it is the new one
    for other in reversed([p for p in earlier if verbs[-1].end() <= p.start and p.end <= place.start]):
        gap = gap[: other.start - verbs[-1].end()] + " " + gap[other.end - verbs[-1].end() :]
    return _merged_list_words().match(gap) is not None


def is_former(text: str, place: Place) -> bool:
    """A unit named as a former one ("huyện Tân Kỳ cũ", "Tiên Yên (cũ)"): it owns no figure."""
    return _former_after().match(text, place.end) is not None


def country_owns(text: str, sentence_start: int, place: Place, quantity_start: int, earlier: list[Place] = ()) -> bool:
    """Whether a mention of the whole country owns the figure after it: not
    when it is a yardstick ("cao nhất cả nước", "bình quân chung cả nước"),
    except for the figure in brackets right after a comparison's ("hơn … cả
    nước (3,55%)"; after a rank it is the ranked unit's); a
    bare statistic ("GDP") not after a lower unit its sentence names before it
    (older provincial reports call their own product "GDP")."""
    before = text[max(sentence_start, place.start - 30) : place.start]
    if _IN_BRACKETS_AFTER.match(text[place.end : quantity_start]):
        return not _yardstick("national_rank_before").search(before)
    if place.in_phrase and not _country_name().fullmatch(place.name) and any(
            not p.national and not p.foreign for p in earlier):
        return False
    return not _yardstick().search(before)


@lru_cache(maxsize=1)
def _breakdown_opening() -> regex.Pattern:
    words = load_rules("indicators")["phrase"]["breakdown_openers"]  # one table: the openers of a breakdown
    return regex.compile(rf"[ \t]*(?:{phrase_alternation(words)}){_RIGHT}", regex.IGNORECASE)


def breaks_down(text: str, previous_end: int, sentence_start: int) -> bool:
    """Whether a sentence right after the one that ended at `previous_end`
    opens by breaking its figure down ("Trong đó, rừng tự nhiên là …"), and so
    belongs to the place that sentence named."""
    return not text[previous_end:sentence_start].strip() and bool(_breakdown_opening().match(text, sentence_start))
