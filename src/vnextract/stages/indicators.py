"""Stage 5b: the indicator phrase of a quantity, and its lexicon id.

The phrase is cut from the sentence's word tokens. Left of the number it is
the noun phrase before the cue words ("thu NSNN đạt trên [598 tỷ đồng]");
list commas inside it are kept ("ngành nông, lâm, thủy sản"). A count, or a
share with nothing before it, takes the words after its unit ("[8/8 xã] đạt
chuẩn nông thôn mới", "[97%] người dân tham gia BHYT"). A number with no
phrase of its own ("…, tăng [7,53%] so với cùng kỳ") inherits the indicator
of the value before it, as a reader does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .cues import LabelledPhrases, PhraseSet, TokenView, cue_rules, cue_run_start, left_cues, opens_aside
from ..folding import fold_text
from ..rules import load_rules, phrase_alternation
from .segmentation import Token, join_tokens, pos_tags

_HARD_STOPS = frozenset(";.!?()[]…:")
_OPEN = frozenset("([“\"")
# How far right of a unit a phrase is looked for, in tokens: three times the
# longest indicator of the dev corpus (20), so that a sentence of thousands of
# figures is not walked to its end for each of them.
_RIGHT_WALK = 60


@dataclass(frozen=True)
class PhraseRules:
    breakers: PhraseSet
    leading: PhraseSet
    trailing: PhraseSet
    cut_at: PhraseSet
    price_basis: PhraseSet
    right_stops: PhraseSet
    item_joiners: PhraseSet
    heads: PhraseSet
    not_breakers: PhraseSet
    framing: PhraseSet
    framing_wholes: PhraseSet
    framing_places: PhraseSet
    breakdown_openers: PhraseSet
    source_words: PhraseSet
    aside_openers: PhraseSet
    bracket_aside_openers: PhraseSet
    clause_verbs: PhraseSet
    predicate_words: PhraseSet
    cause_openers: PhraseSet
    possession_verbs: PhraseSet
    subject_end_markers: PhraseSet
    count_links: PhraseSet  # "với" before a count named by its noun
    count_links_not_after: PhraseSet  # "cùng", "đối", "so": "với" is part of another link
    part_contribution: PhraseSet
    predicate_ends: frozenset[str]  # POS tags of a predicate's last word before a comma
    predicate_verbs: frozenset[str]  # POS tags of the verb before it
    verb_modifiers: frozenset[str]  # POS tags of an adverb after a verb ("trồng mới")
    verb_before_head: frozenset[str]  # POS tags of a verb and its particles before a head noun ("đem về")
    place_sets: PhraseSet
    measure_introducers: PhraseSet
    share_verbs: PhraseSet
    share_word_of_count: str  # the share word of a count ("tỷ lệ")
    share_word_of_amount: str  # … and of an amount ("tỷ trọng")
    share_heads: PhraseSet
    rank_about: PhraseSet
    rank_about_ends: PhraseSet
    enders: LabelledPhrases  # what is stripped from a phrase's end, looked up at once


@lru_cache(maxsize=1)
def phrase_rules() -> PhraseRules:
    phrase = load_rules("indicators")["phrase"]
    trailing = PhraseSet(phrase["trailing"])
    return PhraseRules(
        breakers=PhraseSet(phrase["breakers"]),
        leading=PhraseSet(phrase["leading"]),
        trailing=trailing,
        cut_at=PhraseSet(phrase["cut_at"]),
        price_basis=PhraseSet(phrase["price_basis"]),
        right_stops=PhraseSet(phrase["right_stops"]),
        item_joiners=PhraseSet(phrase["item_joiners"]),
        heads=PhraseSet(phrase["heads"]),
        not_breakers=PhraseSet(phrase["not_breakers"]),
        framing=PhraseSet(phrase["framing"]),
        framing_wholes=PhraseSet(phrase["framing_wholes"]),
        framing_places=PhraseSet(phrase["framing_places"]),
        breakdown_openers=PhraseSet(phrase["breakdown_openers"]),
        source_words=PhraseSet(phrase["source_words"]),
        aside_openers=PhraseSet(phrase["aside_openers"]),
        bracket_aside_openers=PhraseSet([*phrase["aside_openers"], *phrase["bracket_aside_openers"]]),
        clause_verbs=PhraseSet(phrase["clause_verbs"]),
        predicate_words=PhraseSet(phrase["predicate_words"]),
        cause_openers=PhraseSet(phrase["cause_openers"]),
        possession_verbs=PhraseSet(phrase["possession_verbs"]),
        subject_end_markers=PhraseSet(phrase["subject_end_markers"]),
        count_links=PhraseSet(phrase["count_after_with"]["word"]),
        count_links_not_after=PhraseSet(phrase["count_after_with"]["not_after"]),
        part_contribution=PhraseSet(phrase["part_contribution"]),
        predicate_ends=frozenset(phrase["clause_predicate"]["last_tags"]),
        predicate_verbs=frozenset(phrase["clause_predicate"]["verb_tags"]),
        verb_modifiers=frozenset(phrase["verb_modifier_tags"]),
        verb_before_head=frozenset(phrase["verb_before_head_tags"]),
        place_sets=PhraseSet(phrase["place_sets"]),
        measure_introducers=PhraseSet(phrase["measure_introducers"]),
        share_verbs=PhraseSet(phrase["share_verbs"]["verbs"]),
        share_word_of_count=phrase["share_verbs"]["of_count"],
        share_word_of_amount=phrase["share_verbs"]["of_amount"],
        share_heads=PhraseSet(phrase["share_heads"]),
        rank_about=PhraseSet(phrase["rank_about"]),
        rank_about_ends=PhraseSet(phrase["rank_about_ends"]),
        enders=LabelledPhrases([("ender", p) for p in (*cue_rules().qualifiers, trailing)]),
    )


def left_phrase(
    view: TokenView, first_token: int, floor: int, skip: frozenset[int], values: frozenset[int] = frozenset(),
) -> str:
    """The noun phrase that ends before token `first_token`, not reaching left of
    `floor` (the end of the previous quantity) — "" when only cue words, or
    only the previous value's baseline ("…, đạt 68% dự toán, tăng …"), are there,
    or the end of the previous item ("6 tàu cá xa bờ và [27 giếng khoan]": the
    value is named by the words after it). Tokens in `skip` (time
    phrases, places) never belong to a phrase; tokens in `values` (the
    sentence's quantities) end it."""
    tokens = view.tokens
    end = _cue_run_start(view, first_token, floor)
    if end - 1 > floor and tokens[end - 1].text == ")":
        # "thủy sản (chủ yếu là tôm) đạt hơn [1 tỷ USD]": an aside right before the verb says what the
        # figure is mostly made of; what is measured stands before it
        opening = next((i for i in range(end - 2, floor - 1, -1) if tokens[i].text == "("), None)
        if opening is not None and opening > floor and phrase_rules().bracket_aside_openers.starting_at(view, opening + 1):
            before = left_phrase(view, opening, floor, skip, values)
            if before:
                return before
    idx = [i for i in _segment(view, end, floor, skip, after_cues=end < first_token, values=values) if i not in skip]
    if floor > 0 and _is_continuation(view, idx, floor):
        # "đạt 100,9% so kế hoạch và thực hiện giải ngân đạt [100%]", "đạt 97% KH, công nghiệp - xây dựng
        # ước đạt [107%] KH": after "và" or a comma, a subject of its own
        joined = [k for k, i in enumerate(idx) if tokens[i].text.lower() in ("và", ",") or _links_a_measure(view, i)
                  or phrase_rules().breakdown_openers.ending_at(view, i) is not None]
        if not joined or not _has_content(view, idx[joined[-1] + 1 :]):
            return ""
        idx = idx[joined[-1] + 1 :]
    if floor > 0 and (_ends_an_item(view, idx, floor, end) or _whole_of_share_before(view, idx, floor, values)):
        return ""
    if floor > 0 and idx and idx[0] == floor and floor - 1 in values:
        # "81.000 ha quế, sơn tra [10.000 ha]": the words right after a value up to a comma are its own
        commas = [i for i in range(idx[0] + 1, idx[-1] + 1) if tokens[i].text == ","]
        if commas and not any(tokens[i].text in ";:.()" for i in range(floor, commas[-1])):
            idx = [i for i in idx if i > commas[-1]]
            if not idx:
                return ""  # "đào tạo nghề cho 400 lao động nông thôn, đạt [100%] KH": nothing of its own
    if idx and idx[0] > floor + 1 and tokens[idx[0] - 1].text == "," \
            and phrase_rules().aside_openers.starting_at(view, idx[0]) is not None:
        # "Xuất khẩu thủy sản, chủ yếu từ con tôm, ước đạt [383,4 triệu USD]": the aside says
        # what the figure is mostly made of; what is measured stands before it
        before = left_phrase(view, idx[0] - 1, floor, skip, values)
        if before:
            return before
    if idx and tokens[idx[-1]].text == "," and sum(tokens[i].text == "," for i in idx) == 1 \
            and any(i in skip for i in range(idx[-1] + 1, end)) \
            and phrase_rules().framing_places.starting_at(view, idx[0]) is not None:
        return ""  # "Ở khu vực phía Nam, An Giang đạt …": where, then who: nothing names the measure
    idx = _cut_modifiers(view, _strip_trailing(view, idx))
    idx = _after_last_breaker(view, idx)
    idx = _without_verb_before_head(view, _strip_trailing(view, _strip_leading(view, idx)))
    if (verb := _verb_of_clause_before(view, idx, end, skip)) is not None:
        # "khu vực công nghiệp, xây dựng vẫn giữ vai trò chủ đạo, 6 tháng ước đạt [X]": the
        # value's clause names no subject; the clause before it does, before its verb
        return left_phrase(view, verb, floor, skip, values)
    return _text(tokens, _reach_head(view, idx, floor, skip, values))


def _verb_of_clause_before(view: TokenView, idx: list[int], end: int, skip: frozenset[int]) -> int | None:
    """When the phrase lies wholly before a comma, with only time and place
    words between it and the value's cue words, the first clause verb inside
    it ("vẫn", "được", "đã"): its subject ends there."""
    if not idx or not any(view.tokens[i].text == "," for i in range(idx[-1] + 1, end)):
        return None
    if any(view.tokens[i].text != "," and i not in skip for i in range(idx[-1] + 1, end)):
        return None
    rules = phrase_rules()
    verb = next((c for c in rules.clause_verbs.find(view) if idx[0] < c.first <= idx[-1]), None)
    if verb is not None:
        return verb.first
    # or a verb and the adjective or adverb that qualifies it ("GDP … tăng trưởng khá,"), by their POS tags
    words = [i for i in idx if view.tokens[i].text != ","]
    tags = pos_tags(tuple(view.tokens[i].text for i in words))
    if tags is None:
        return None
    return next((words[k] for k in range(1, len(words) - 1)
                 if tags[k] in rules.predicate_verbs
                 and (tags[k + 1] in rules.predicate_ends or tags[k + 1] in rules.verb_modifiers)), None)


# How many tokens a verb and its particles take before a head noun, at most.
_VERB_BEFORE_HEAD = 3


def _without_verb_before_head(view: TokenView, idx: list[int]) -> list[int]:
    """", đem về doanh thu [12.000 tỷ đồng]", "liên kết tiêu thụ, mang lại giá
    trị [45 tỷ đồng]": a clause after a comma that opens on a verb and its
    particles right before a head noun is a predicate of a subject named
    before; the head's phrase is measured."""
    rules = phrase_rules()
    commas = [k for k, i in enumerate(idx) if view.tokens[i].text == ","]
    opening = commas[-1] + 1 if commas else 0
    if opening >= len(idx) or idx[opening] == 0 or view.tokens[idx[opening] - 1].text != ",":
        return idx  # the verb opens no clause: "để tính tỷ lệ che phủ" belongs to the phrase before
    for k in range(opening + 1, min(opening + _VERB_BEFORE_HEAD, len(idx) - 1) + 1):
        if idx[k] != idx[k - 1] + 1:
            return idx
        if rules.heads.starting_at(view, idx[k]) is not None:
            tags = pos_tags(tuple(view.tokens[i].text for i in idx[opening:k]))
            verbs = tags is not None and tags[0] in rules.predicate_verbs \
                and all(t in rules.verb_before_head for t in tags)
            return idx[k:] if verbs else idx
    return idx


# How far left of a cut phrase its head word is looked for, in tokens.
_HEAD_REACH = 30


def _reach_head(view: TokenView, idx: list[int], floor: int, skip: frozenset[int], values: frozenset[int]) -> list[int]:
    """A phrase cut inside a long noun phrase goes back to the head word that
    opens it ("Tỷ lệ lao động đã qua đào tạo có bằng cấp, [chứng chỉ] 37%"),
    when only words and list commas lie between: no number, clause edge, cue
    word or comma after a predicate (a cue there ends a clause of its own; the neutral phrases of
    cues.yaml, "đã qua đào tạo", are none). The farthest such head wins
    ("Diện tích đất … quy mô lớn, [ứng dụng công nghệ cao]"); a head that is a
    cue's object ("đạt mức khá") opens nothing; a phrase that names a lexicon
    indicator is whole already ("Về quy mô kinh tế, [GRDP] …")."""
    if not idx or _starts_with_head(view, idx) or indicator_id(_text(view.tokens, idx)):
        return idx
    tokens = view.tokens
    rules = cue_rules()
    objects_of = (rules.change_up, rules.change_down, rules.actual, rules.level)
    blocking = (*objects_of, rules.target)
    neutral = {j for c in rules.neutral.find(view) for j in range(c.first, c.last + 1)}  # "đã qua đào tạo"
    head = None
    for i in range(idx[0] - 1, max(floor, idx[0] - _HEAD_REACH) - 1, -1):
        if i in values or _has_digit(tokens[i]) or tokens[i].text in _HARD_STOPS:
            break
        if tokens[i].text == "," and (_ends_in_predicate(view, (start := _left_clause_start(view, i, floor)) + 1, i)
                                      or _stands_between(phrase_rules().predicate_words, view, start, i)):
            break  # "Cơ cấu kinh tế chuyển dịch theo hướng tích cực, [công nghiệp - xây dựng] …": a clause of its own
        if tokens[i].text == "," and _opens_a_whole(view, _left_clause_start(view, i, floor) + 1):
            break  # "Trong tổng giá trị sản xuất công nghiệp, [ngành chế biến] …": a frame, not the phrase's head
        if i not in neutral and any(p.starting_at(view, i) is not None for p in blocking):
            break
        if phrase_rules().heads.starting_at(view, i) is not None and not (
            i > 0 and any(p.ending_at(view, i - 1) is not None for p in objects_of)
        ):
            head = i
    if head is None:
        return idx
    return [j for j in range(head, idx[0]) if j not in skip] + idx


@lru_cache(maxsize=1)
def _dateline_pattern() -> regex.Pattern:
    patterns = load_rules("indicators")["phrase"]["datelines"]
    return regex.compile(rf"\s*(?:{'|'.join(f'(?:{p})' for p in patterns)})")


def dateline_end(text: str, start: int, end: int) -> int | None:
    """Where a dateline or agency tag that opens the sentence [start, end) ends ("(BNV) - "), or None."""
    found = _dateline_pattern().match(text, start, end)
    return found.end() if found else None


def nearest_words(view: TokenView, first_token: int, skip: frozenset[int], limit: int = 6) -> str:
    """Last resort when no phrase is found: the words just before the value
    in its sentence, numbers and punctuation left out ("Dân số 1,2 triệu, tăng [2%]")."""
    tokens = view.tokens
    end = _cue_run_start(view, first_token, 0)
    idx = [i for i in range(end) if i not in skip and not _has_digit(tokens[i]) and any(c.isalpha() for c in tokens[i].text)]
    idx = _strip_trailing(view, idx[-limit:])
    return _text(tokens, _strip_leading(view, idx))


def list_head(view: TokenView, colon: int, skip: frozenset[int]) -> str:
    """The noun phrase right before a colon that introduces a list of values
    ("Cơ cấu kinh tế: Công nghiệp 41,8%; dịch vụ 39,7%"), or "" (also when a
    verb stands between it and the colon: then the items are examples)."""
    tokens = view.tokens
    idx = [i for i in _segment(view, colon, 0, skip) if i not in skip]
    if any(_has_digit(tokens[i]) for i in idx) or _is_intro(view, idx):
        return ""
    clause = _clause_edge(tokens, colon, 0)
    measure = _measure_before_place_set(_text(tokens, [i for i in range(clause, colon) if i not in skip]))
    if measure:
        return measure  # "Giá trị sản xuất công nghiệp các huyện, thành phố có mức tăng trưởng khá: Vụ Bản tăng …"
    verbs = phrase_rules().clause_verbs
    if any(verbs.starting_at(view, i) is not None for i in idx):
        return ""  # "kinh tế tỉnh tiếp tục đà tăng trưởng tốt: GRDP tăng …": a clause, its items name themselves
    body = _strip_trailing(view, idx)
    idx = _strip_trailing(view, _strip_leading(view, _after_last_breaker(view, body)))
    if idx and any(i < idx[0] and _starts_with_verb(view, i) for i in body):
        return ""  # "đóng góp của một số ngành có tỷ trọng lớn … như sau:": a clause, its items name themselves
    tail = [i for i in range(idx[-1] + 1, colon) if i not in skip] if idx else []
    if any(any(c.isalnum() for c in tokens[i].text) for i in tail) and _strip_trailing(view, idx + tail) != idx:
        # "Một số mặt hàng tăng mạnh như: dệt may …": a clause before the colon, its items name themselves
        # (words a phrase drops at its end, "như sau", are no clause)
        return ""
    # "Cơ cấu kinh tế … ước … (theo giá hiện hành) như sau:": the heading without its price basis
    idx = _strip_trailing(view, _without_price_basis(view, idx)) if idx else idx
    head = _text(tokens, idx) if 0 < len(idx) <= 8 else ""
    return "" if head and names_no_indicator(head) else head  # "Huyện Tiên Yên: …": a place heads no list


_PARENS = frozenset("()")


def right_phrase(view: TokenView, after_token: int, skip: frozenset[int], values: frozenset[int] = frozenset()) -> str:
    """The words after a unit up to a clause boundary, a stop word or another
    value of the sentence (in `values`: "63,99% - [23,68%] - 3,74%"); numbers
    inside are kept ("xã đạt 19/19 tiêu chí về xây dựng nông thôn mới"). A
    parenthesis right after the unit, naming what is counted or holding a
    value of its own, is passed over ("02 xã (Đại An, Ngọc Biên) [đạt chuẩn
    nông thôn mới]", "2.045 xã (23%) [được công nhận …]")."""
    tokens = view.tokens
    stops = {c.first for c in phrase_rules().right_stops.find(view)}
    idx: list[int] = []
    i = after_token
    if i < len(tokens) and tokens[i].text == "(":
        close = next((j for j in range(i + 1, min(len(tokens), i + _RIGHT_WALK)) if tokens[j].text in _PARENS), None)
        if close is not None and tokens[close].text == ")" \
                and not any(_has_digit(tokens[j]) and j not in values for j in range(i, close)):
            i = after_token = close + 1  # names, or a value of its own: "2.045 xã (23%) [được công nhận …]"
    for bound in cue_rules().after:
        if i < len(tokens) and (hit := bound.starting_at(view, i)) is not None:
            # "từ 80 % [trở lên] các trường học …": the value's bound, then the words that name it; "từ 10 đảng
            # viên trở lên/năm": a rate, nothing named
            if hit.last + 1 < len(tokens) and tokens[hit.last + 1].text == "/":
                return ""
            i = after_token = hit.last + 1
            break
    changes = _change_before_number(view)
    while i < min(len(tokens), after_token + _RIGHT_WALK):
        text = tokens[i].text
        if text in _HARD_STOPS or i in stops and text != "và" or text == "," and i == after_token \
                or text == "/" and opens_aside(view, i):
            # a comma right after the unit: the unit says it all ("5,3 triệu lượt khách, doanh thu …");
            # a slash sets something beside the value ("tăng 18,4%/KH tăng 10-12%")
            break
        if i in changes or i in values and i > after_token and tokens[i - 1].text in _LISTED_BEFORE:
            # "374 ngàn lượt [tăng 3,8%]": a change of the value opens a clause of its own; "63,99% - [23,68%]":
            # the next value of a list (not a count the phrase holds: "xã đạt 19/19 tiêu chí")
            break
        if text in (",", "và") and not _list_continues(view, i, sum(tokens[j].text != "," for j in idx)):
            break
        if text == "," and not _strip_trailing(view, idx) \
                and not any(j in skip and tokens[j].text[:1].isupper() for j in range(after_token, i)):
            # "tăng lên [70 triệu đồng] vào năm 2025, đời sống …": nothing but a time or cue words before the
            # comma (names are a list: "[4 tỉnh] Nam Định, Hà Nam và …")
            break
        if i not in skip:
            idx.append(i)
        i += 1
    return _text(tokens, _strip_trailing(view, idx))


_LISTED_BEFORE = frozenset({"-", "–", "—", ",", ";"})
_CLAUSE_WALK = 12  # tokens after a comma within which a value makes what follows a clause of its own


def _change_before_number(view: TokenView) -> frozenset[int]:
    """Tokens where a change verb stands right before a number ("tăng 3,8%")."""
    found = view.memo.get(_change_before_number)
    if found is None:
        rules = cue_rules()
        tokens = view.tokens
        found = frozenset(c.first for p in (rules.change_up, rules.change_down) for c in p.find(view)
                          if c.last + 1 < len(tokens) and _has_digit(tokens[c.last + 1]))
        view.memo[_change_before_number] = found
    return found


def named_after(view: TokenView, after_token: int, skip: frozenset[int]) -> str:
    """"tăng 2,2 lần [về số dự án]": a change whose subject is named after it."""
    if after_token < len(view.tokens) and view.sylls[after_token] == ("về",):
        return right_phrase(view, after_token + 1, skip)
    return ""


def _list_continues(view: TokenView, at: int, length: int) -> bool:
    """After a comma or "và", a short noun fragment with more words to come
    continues a list of nouns ("100% [các cơ quan, đơn vị, UBND các xã] …");
    a new number does not ("22.939 hộ và 99.643 khẩu")."""
    tokens = view.tokens
    fragment = []
    for j in range(at + 1, min(len(tokens), at + 5)):
        if tokens[j].text in (",", ";", ".", ")", "(") or tokens[j].text == "và":
            break
        fragment.append(j)
    if not fragment or any(_has_digit(tokens[j]) for j in fragment):
        return False
    clause_end = next((j for j in range(at + 1, min(len(tokens), at + _CLAUSE_WALK)) if tokens[j].text in ",;:.()"),
                      min(len(tokens), at + _CLAUSE_WALK))
    if any(_has_digit(tokens[j]) for j in range(fragment[-1] + 1, clause_end)):
        return False  # ", tổng vốn đăng ký trên 818 triệu USD": a clause with a value of its own
    if tokens[at].text == "và":
        return True
    first = fragment[:1]
    if any(b.first == first[0] for b in _breakers(view)):
        return False  # "8 dự án FDI, nâng tổng số …": a verb opens the next clause
    return length <= 6 and not _has_cue(view, first) and phrase_rules().right_stops.starting_at(view, first[0]) is None


def _is_intro(view: TokenView, idx: list[int]) -> bool:
    """"Một số chỉ tiêu chủ yếu:" introduces targets; it names no indicator."""
    return cue_rules().target.inside(view, idx)


def clause_opens_with_cues(view: TokenView, first_token: int, floor: int) -> bool:
    """", giảm [50%] hộ cận nghèo": the clause holds only the value's cue words
    before it, so what the share is of comes after it."""
    end = _cue_run_start(view, first_token, floor)
    return end < first_token and (end == 0 or view.tokens[end - 1].text in (",", ";", ":"))


def share_word_of_previous(view: TokenView, first_token: int, floor: int, of_count: bool) -> str:
    """", chiếm [43,78%] giá trị tổng sản phẩm" after another value: the share
    word ("tỷ trọng", "tỷ lệ" of a count) the share of that value is named by,
    when a share verb opens the value's clause or follows that value right
    away ("hơn 592 tỷ đồng chiếm trên [23%] tổng vốn huy động"); else ""."""
    if floor <= 0 or not (clause_opens_with_cues(view, first_token, floor)
                          or _cue_run_start(view, first_token, floor) == floor < first_token):
        return ""
    if any(view.tokens[i].text == ";" for i in range(floor, _cue_run_start(view, first_token, floor))):
        return ""  # "…chiếm 34%; xây dựng - tiểu thủ công nghiệp, chiếm [24,3%]": a new item, with its own subject
    rules = phrase_rules()
    if rules.share_verbs.starting_at(view, _cue_run_start(view, first_token, floor), first_token - 1) is None:
        return ""
    return rules.share_word_of_count if of_count else rules.share_word_of_amount


def _cue_run_start(view: TokenView, first_token: int, floor: int) -> int:
    """Where the cue words right before the number begin ("ước đạt trên"), not below `floor`."""
    return max(cue_run_start(view, first_token), floor)


_SHARE_VERB_REACH = 3  # cue words between a share verb and its value ("chiếm tỷ trọng khoảng")


def _whole_of_share_before(view: TokenView, idx: list[int], floor: int, values: frozenset[int]) -> bool:
    """"thu nội địa …, chiếm 38,45% [tổng thu], tăng 9,24%": the words right
    after a share verb's value name the whole it is a share of, not what the
    next value measures (that goes on being the clause's subject)."""
    tokens = view.tokens
    if not idx or idx[0] != floor or not values or tokens[idx[0]].text.lower() == "và" or not (
            tokens[idx[-1]].text == "," or idx[-1] + 1 < len(tokens) and tokens[idx[-1] + 1].text == ","):
        return False  # the whole runs to a comma; "…chiếm 32,77% và thương mại dịch vụ chiếm …" names the next item
    first = floor
    while first > 0 and first - 1 in values:
        first -= 1
    verbs = phrase_rules().share_verbs
    for i in range(first - 1, max(-1, first - 1 - _SHARE_VERB_REACH), -1):
        if tokens[i].text in ",;:()":
            return False
        if verbs.starting_at(view, i, first - 1) is not None:
            return True
    return False


def _is_continuation(view: TokenView, idx: list[int], floor: int) -> bool:
    """Right after a value, a plan word or "so với" is that value's baseline,
    and what follows up to the verb is a second figure of the same indicator."""
    if not idx or idx[0] != floor:
        return False
    rules = cue_rules()
    return any(p.starting_at(view, idx[0], idx[-1]) for p in (rules.baseline_plan, rules.baseline_introducers))


def _links_a_measure(view: TokenView, i: int) -> bool:
    """Token i is "với" of its own, not part of "so với", "cùng với", "đối với"
    (rules/indicators.yaml `count_after_with`): "… so với cùng kỳ với [số vốn
    đăng ký] trên …" opens the next value's measure."""
    rules = phrase_rules()
    return rules.count_links.starting_at(view, i, i) is not None \
        and not (i > 0 and rules.count_links_not_after.ending_at(view, i - 1) is not None)


def _ends_an_item(view: TokenView, idx: list[int], floor: int, end: int) -> bool:
    """Words that run from the previous value to a joiner right before this
    one ("6 tàu [cá xa bờ] và 27 giếng khoan") end the previous item."""
    return bool(idx) and idx[0] == floor and end > floor and \
        phrase_rules().item_joiners.ending_at(view, end - 1) is not None


def _segment(
    view: TokenView, end: int, floor: int, skip: frozenset[int], after_cues: bool = False, values: frozenset[int] = frozenset()
) -> list[int]:
    """Token indices of the clause that ends at `end`, walking left.

    A parenthesis is part of the phrase ("tổng sản phẩm (GRDP)") unless it
    holds a value of its own ("chiếm 8,19% (giảm 3,44%…) và thuế…"), which is
    left out while the walk goes on. A comma is crossed while what lies right
    of it is a short list fragment ("nông, lâm, thủy sản") and no cue word or
    number stands just left of it; a colon is crossed when nothing but cue
    words follows it ("GRDP: Trên 10%")."""
    tokens = view.tokens
    kept: list[int] = []
    i = end - 1
    piece = 0  # content tokens since the last comma crossed
    walked = 0  # all tokens since then, time phrases included
    while i >= floor:
        text = tokens[i].text
        if i in skip and text in _HARD_STOPS:
            kept.append(i)  # "TP. HCM": a stop inside a place or time phrase ends nothing
            walked += 1
            i -= 1
            continue
        if text == "]" and _is_footnote_mark(tokens, i):
            walked += 3  # "Tổng sản phẩm trên địa bàn[1] (GRDP)": a footnote's mark is no part of the phrase
            i -= 3
            continue
        if text == ")":
            opening = _matching_open(tokens, i, 0)
            if opening is None:
                break
            group = range(opening, i + 1)
            if not any(_has_digit(tokens[j]) for j in group):
                kept.extend(reversed(group))
                piece += len(group)
            elif opening < floor:
                # The previous value was inside this parenthesis: the clause
                # goes on left of it, up to the value before.
                floor = 0
            walked += len(group)
            i = opening - 1
            continue
        if i in values:
            break
        if text == ",":
            fragment = [j for j in sorted(kept[len(kept) - walked :]) if j not in skip] if walked else []
            if _crosses_comma(view, i, fragment, piece, walked, floor, after_cues, skip):
                kept.append(i)
                piece = walked = 0
                i -= 1
                continue
            break
        if text == ":" and not _has_content(view, sorted(kept)):
            piece = walked = 0
            i -= 1
            continue
        if text in _HARD_STOPS:
            break
        kept.append(i)
        walked += 1
        if i not in skip:
            piece += 1
        i -= 1
    return sorted(kept)


def _is_footnote_mark(tokens, close: int) -> bool:
    """Whether the "]" at `close` ends a footnote's mark: one or two digits in
    square brackets written right after a word or a bracket ("địa bàn[1]", "(GRDP)[1]")."""
    return (close >= 3 and tokens[close - 2].text == "[" and tokens[close - 1].text.isdigit()
            and len(tokens[close - 1].text) <= 2 and tokens[close - 3].end == tokens[close - 2].start
            and (tokens[close - 3].text[-1:].isalpha() or tokens[close - 3].text == ")"))


def _crosses_comma(
    view: TokenView, comma: int, fragment: list[int], piece: int, walked: int, floor: int, after_cues: bool, skip: frozenset[int] = frozenset()
) -> bool:
    """Whether the phrase goes on left of this comma.

    Yes when nothing but the value's cue words follow the comma ("Quy mô GRDP
    được mở rộng, ước đạt …"), when only an adverbial does ("Về dịch vụ lưu
    trú, 6 tháng đầu năm tăng …"), or when a short list fragment does ("ngành
    nông, lâm, thủy sản"); never when a number or cue word closes the clause
    left of the comma, or that clause is a source or a verb phrase of its own
    ("Theo số liệu của …, GRDP …")."""
    if walked == 0 and after_cues and comma - 1 in skip:
        run = comma - 1
        while run - 1 in skip:
            run -= 1
        if run > floor and view.tokens[run - 1].text not in _HARD_STOPS and view.tokens[run - 1].text != "," \
                and not _ends_clause(view, run - 1, skip):
            return True  # "thu nhập bình quân đầu người đến năm 2030, đạt [90 triệu đồng]": the time ends the subject
    if _ends_clause(view, comma - 1, skip):
        return False
    if walked == 0:  # "X đã tăng so với năm 2016, ước đạt [39 vạn tấn]": X goes on
        return after_cues
    if comma - 1 in skip:  # "Tính chung 6 tháng đầu năm, [vốn đầu tư] tăng": a time or place frames the clause
        return False
    if _left_clause_breaks(view, comma, floor) or _closes_cause(view, comma, floor) and _is_subject(view, fragment):
        return False
    if not _has_content(view, fragment):
        return True
    if not 0 < piece <= 3 or _has_cue(view, fragment) or _starts_with_head(view, fragment):
        return False
    # A list of nouns, not a clause of its own on the left ("…, lễ hội được
    # tổ chức và phục hồi, tăng trưởng đạt …") nor a plan word opening the
    # fragment ("Đột phá khoa học, mục tiêu tăng trưởng …").
    start = _left_clause_start(view, comma, floor)
    if _stands_between(phrase_rules().clause_verbs, view, start, comma) \
            or _stands_between(phrase_rules().predicate_words, view, start, comma):
        return False
    return not names_no_indicator(view.tokens[fragment[0]].text) and not _ends_in_predicate(view, start + 1, comma)


def _closes_cause(view: TokenView, comma: int, floor: int) -> bool:
    """The comma closes a clause of cause or concession, the one right before
    it ("Tuy nhiên, nhờ áp dụng giống mới …, [năng suất lúa] đạt …"): what is
    before it says why, not what is measured."""
    tokens = view.tokens
    start = comma
    while start > floor and tokens[start - 1].text not in _HARD_STOPS and tokens[start - 1].text != ",":
        start -= 1  # the clause right before the comma only: "nhờ …, năng suất lúa, [ngô] đạt" is a list
    cue = phrase_rules().cause_openers.starting_at(view, start) if start < comma else None
    return cue is not None and cue.last < comma - 1


def _is_subject(view: TokenView, fragment: list[int]) -> bool:
    """The words right of the comma are the subject of a verb that follows
    them ("năng suất lúa [đạt]", "năng suất vẫn [đạt]"), not the tail of a
    list a preposition goes on from ("khu vực công nghiệp, xây dựng với mức tăng …")."""
    words = _strip_trailing(view, fragment)
    if not words:
        return False
    tokens = view.tokens
    for at in range(words[-1] + 1, min(len(tokens), words[-1] + 1 + _SUBJECT_REACH)):
        if any(p.starting_at(view, at) is not None for p in cue_rules().qualifiers):
            return True  # "năng suất lúa, ngô [đạt]": the list is the verb's subject
        if tokens[at].text in _HARD_STOPS or phrase_rules().breakers.starting_at(view, at) is not None:
            return False  # "… xây dựng [với] mức tăng …"
    return False


_SUBJECT_REACH = 8  # tokens after a phrase's piece within which its verb stands


def _stands_between(words: PhraseSet, view: TokenView, start: int, comma: int) -> bool:
    """Whether one of `words` (a clause verb, a word of a predicate only) starts in tokens (start, comma)."""
    return any(start < c.first < comma for c in words.find(view))


def verb_before_amount(view: TokenView, first_token: int, floor: int) -> bool:
    """A verb (or a verb and its adverb, "trồng mới") right before the amount,
    no cue word but a bound between ("huy động hơn"): the noun after the
    amount is its object."""
    run = left_cues(view, first_token)
    if any(kind not in ("comparator", "filler") for _, _, kind, _ in run):
        return False  # "đạt", "tăng": the amount is that verb's, no object follows
    end = run[-1][0] if run else first_token  # "huy động hơn [85,6 tỷ đồng]": a bound word between
    if end - floor < 1:
        return False
    rules = phrase_rules()
    start = max(floor, end - 2)
    tags = pos_tags(tuple(view.tokens[i].text for i in range(start, end)))
    if not tags:
        return False
    if tags[-1] in rules.predicate_verbs:
        return True
    return len(tags) > 1 and tags[-1] in rules.verb_modifiers and tags[-2] in rules.predicate_verbs


def _ends_in_predicate(view: TokenView, start: int, comma: int) -> bool:
    """The clause [start, comma) says something of its subject: it ends in a
    verb and the word that qualifies it, such as an adjective ("Kinh tế phát
    triển ổn định,", "Sản xuất nông nghiệp duy trì ổn định,"), unlike a noun
    and its modifier ("hộ nghèo, cận nghèo", "sử dụng nước sạch, nước hợp vệ
    sinh") or a list of nouns ("ngành nông, lâm, thủy sản")."""
    if comma - start < 2:
        return False
    rules = phrase_rules()
    tags = pos_tags(tuple(view.tokens[i].text for i in range(start, comma)))
    # ... and that verb is the clause's first after the subject's head, which may
    # be a verb itself ("Sản xuất nông nghiệp …"); a verb earlier makes the pair
    # part of its object ("số xã đạt chuẩn nông thôn mới nâng cao, kiểu mẫu").
    return (tags is not None and tags[-1] in rules.predicate_ends and tags[-2] in rules.predicate_verbs
            and not any(t in rules.predicate_verbs for t in tags[1:-2]))


def _opens_a_whole(view: TokenView, at: int) -> bool:
    """A frame that names a whole (rules/indicators.yaml `framing_wholes`)
    opens token `at`, not as part of a longer leading phrase ("trong đó"
    opens an item of a list)."""
    rules = phrase_rules()
    frame = rules.framing_wholes.starting_at(view, at) if at < len(view.tokens) else None
    if frame is None:
        return False
    lead = rules.leading.starting_at(view, at)
    return lead is None or lead.last <= frame.last


def _left_clause_start(view: TokenView, comma: int, floor: int) -> int:
    """The boundary token before the clause that ends at this comma."""
    start = comma - 1
    while start >= floor and view.tokens[start].text not in _HARD_STOPS and view.tokens[start].text != ",":
        start -= 1
    return start


def _left_clause_breaks(view: TokenView, comma: int, floor: int) -> bool:
    """The clause left of the comma holds a breaker, a cut phrase, or a verb
    of change or result ("Tổng mức đầu tư tăng mạnh, [thu ngân sách] …"): it is a clause of its own."""
    start = _left_clause_start(view, comma, floor)
    rules = cue_rules()
    nouns = rules.change_in_nouns.find(view)  # "giá trị tăng thêm trong sản xuất, kinh doanh": a noun, no verb
    verbs = [c for p in (rules.change_up, rules.change_down, rules.actual) for c in p.find(view)
             if not any(n.first <= c.first <= n.last for n in nouns)]
    cuts = phrase_rules().cut_at.find(view) + phrase_rules().price_basis.find(view)
    # "…, trong đó có bằng cấp, chứng chỉ đạt …": a word that opens the clause and the phrase is no clause's verb
    breakers = [c for c in _breakers(view) if not (c.first == start + 1 and phrase_rules().leading.starting_at(view, c.first))]
    return any(start < c.first < comma for c in [*breakers, *cuts, *verbs])


def _breakers(view: TokenView) -> list:
    """Breaker verbs of the sentence, less those inside fixed words ("đạt chuẩn", "nâng cao")."""
    found = view.memo.get(_breakers)
    if found is None:
        rules = phrase_rules()
        fixed = rules.not_breakers.find(view)
        found = [c for c in rules.breakers.find(view) if not any(f.first <= c.first <= f.last for f in fixed)]
        view.memo[_breakers] = found
    return found


def _starts_with_head(view: TokenView, idx: list[int]) -> bool:
    return bool(idx) and phrase_rules().heads.starting_at(view, idx[0]) is not None


def _has_digit(token: Token) -> bool:
    found = _DIGITED.get(token.text)
    if found is None:
        if len(_DIGITED) > 50_000:  # numbers make the texts unbounded
            _DIGITED.clear()
        found = _DIGITED[token.text] = any(map(str.isdigit, token.text))
    return found


_DIGITED: dict[str, bool] = {}  # token text → whether it holds a digit: asked of the same tokens per figure


def _ends_clause(view: TokenView, index: int, skip: frozenset[int] = frozenset()) -> bool:
    """A number, "%" or a cue word just before a comma closes a clause; the
    year a value was compared with does not ("đã tăng so với năm 2016, ước đạt …")."""
    if index < 0:
        return True
    if index in skip:  # a compared year, not a number of the clause's own
        start = index
        while start - 1 in skip:
            start -= 1
        if start > 0 and cue_rules().baseline_introducers.ending_at(view, start - 1) is not None:
            return False
    token = view.tokens[index]
    if _has_digit(token) or token.text == "%" or index > 0 and _has_digit(view.tokens[index - 1]):
        return True
    if token.text == ")":  # "dệt (+6,1%), [chế biến gỗ] …": a bracketed value closes its item
        opening = _matching_open(view.tokens, index, 0)
        if opening is not None and any(_has_digit(view.tokens[j]) for j in range(opening, index)):
            return True
    return phrase_rules().enders.ending_at(view, index) is not None


def _matching_open(tokens: list[Token], close: int, floor: int) -> int | None:
    depth = 0
    for j in range(close, floor - 1, -1):
        if tokens[j].text == ")":
            depth += 1
        elif tokens[j].text == "(":
            depth -= 1
            if depth == 0:
                return j
    return None


def _has_cue(view: TokenView, idx: list[int]) -> bool:
    return any(p.inside(view, idx) for p in cue_rules().qualifiers) or any(_has_digit(view.tokens[i]) for i in idx)


def _has_content(view: TokenView, idx: list[int]) -> bool:
    return bool(_strip_leading(view, _strip_trailing(view, idx)))


def _strip_trailing(view: TokenView, idx: list[int]) -> list[int]:
    """Drop cue words, fillers and dangling words from the end of a phrase."""
    enders = phrase_rules().enders
    fillers = cue_rules().fillers
    in_nouns = cue_rules().change_in_nouns
    kept = phrase_rules().not_breakers
    while idx:
        last = idx[-1]
        run_start = _run_start(idx)
        if (noun := in_nouns.ending_at(view, last, run_start)) is not None and noun.first in idx:
            break  # "giá trị tăng thêm": the change word is the noun's
        if (fixed := kept.ending_at(view, last, run_start)) is not None and fixed.first in idx:
            break  # "khối lượng thực hiện": the word is the compound's
        ender = enders.ending_at(view, last, run_start)
        cut = ender[0] if ender is not None else None
        if cut is None:
            filler = fillers.ending_at(view, last, run_start)
            cut = filler.first if filler else None
        if cut is None and (view.tokens[last].text in ",-–—:+" or view.tokens[last].text in _OPEN):
            cut = last
        if cut is None:
            break
        idx = [i for i in idx if i < cut]
    return idx


def _strip_leading(view: TokenView, idx: list[int]) -> list[int]:
    """Drop connectors, determiners and stray punctuation from the start, and
    a framing phrase up to its comma ("Trong khu vực công nghiệp và xây dựng,
    ngành công nghiệp tăng [5,33%]": the sector frames, the branch is measured)."""
    rules = phrase_rules()
    if idx and rules.framing.starting_at(view, idx[0]) is not None:
        commas = [k for k, i in enumerate(idx) if view.tokens[i].text == ","]
        if commas and commas[0] + 1 < len(idx):
            idx = idx[commas[0] + 1 :]
    while idx:
        text = view.tokens[idx[0]].text
        if text in ",;:-–—)+*•" or text in _OPEN and not any(view.tokens[i].text == ")" for i in idx):
            idx = idx[1:]
            continue
        cue = rules.leading.starting_at(view, idx[0], _run_end(idx))
        if cue is None and len(idx) > 2 and idx[1] == idx[0] + 1 and rules.place_sets.starting_at(view, idx[0], idx[0]):
            cue = rules.clause_verbs.starting_at(view, idx[1])  # "tỉnh đã giải ngân": the unit says it did
        if cue is None:
            break
        idx = [i for i in idx if i > cue.last]
    return idx


def _run_start(idx: list[int]) -> int:
    """First index of the contiguous run that ends `idx`."""
    k = len(idx) - 1
    while k > 0 and idx[k - 1] == idx[k] - 1:
        k -= 1
    return idx[k]


def _run_end(idx: list[int]) -> int:
    """Last index of the contiguous run that starts `idx`."""
    k = 0
    while k + 1 < len(idx) and idx[k + 1] == idx[k] + 1:
        k += 1
    return idx[k]


def _after_last_breaker(view: TokenView, idx: list[int]) -> list[int]:
    if not idx:
        return idx
    breakers = [c for c in _breakers(view) if idx[0] <= c.first and c.last <= idx[-1]]
    # "tỷ lệ số xã đạt chuẩn…", "tỷ lệ thôn có điện": a verb inside a phrase
    # that starts with an indicator head word belongs to the phrase.
    lead = _strip_leading(view, idx)
    if lead and _starts_with_head(view, lead):
        breakers = [c for c in breakers if c.first < lead[0] or c.first - lead[0] > 3]
    if not breakers:
        return idx
    last = breakers[-1].last
    rest = [i for i in idx if i > last]
    content = _strip_leading(view, _strip_trailing(view, rest))
    if content and _is_share_head(view, content):
        # "nhóm thủy sản chiếm tỷ trọng [3,65%]": a share of what the clause is about.
        subject = _strip_trailing(view, _strip_leading(view, _after_last_breaker(view, [i for i in idx if i < breakers[-1].first])))
        return content + subject
    words = [i for i in rest if view.tokens[i].text not in ",;:-–—)"]
    if content and cue_rules().plan_words.starting_at(view, words[0]) is None \
            and not names_no_indicator(_text(view.tokens, content)):
        return rest
    # Nothing after the verb ("GRDP phấn đấu từ [7,5%]"), only the plan
    # ("GRDP/người … đạt chỉ tiêu Đại hội đề ra là [10.370 USD]") or a grade
    # ("… đạt kết quả cao, đạt [194.000 tỷ đồng]"): the phrase is before it.
    first = breakers[-1].first
    return [i for i in idx if i < first and not any(b.first <= i <= b.last for b in breakers)]


def _is_share_head(view: TokenView, idx: list[int]) -> bool:
    """The phrase is a share word alone ("tỷ trọng", "tỷ lệ": `share_heads`), naming no whole."""
    found = phrase_rules().share_heads.starting_at(view, idx[0], idx[-1])
    return found is not None and found.last == idx[-1]


def _cut_modifiers(view: TokenView, idx: list[int]) -> list[int]:
    if not idx:
        return idx
    idx = _without_price_basis(view, idx)
    kept = set(idx)
    cuts = [c for c in phrase_rules().cut_at.find(view) if idx[0] < c.first <= idx[-1] and c.first in kept]
    if not cuts:
        return idx
    # "… so với năm 2022 với [tổng sản lượng] ước đạt", "… so với cùng kỳ và [xuất khẩu] tăng": a phrase
    # a breaker or a joiner opens after the modifier is the measure
    joiners = phrase_rules().item_joiners.find(view)
    later = [b.last for b in [*_breakers(view), *joiners] if b.first > cuts[0].last and b.last < idx[-1]]
    later.sort()
    if later and (rest := [i for i in idx if i > later[-1]]) and _has_content(view, rest):
        return rest
    return [i for i in idx if i < cuts[0].first]


def _without_price_basis(view: TokenView, idx: list[int]) -> list[int]:
    """The phrase less a price basis inside it and the year or brackets right after it."""
    bases = [c for c in phrase_rules().price_basis.find(view) if idx[0] < c.first <= idx[-1]]
    if not bases:
        return idx
    tokens, dropped = view.tokens, set()
    for basis in bases:
        dropped.update(range(basis.first, basis.last + 1))
        if basis.first - 1 in idx and tokens[basis.first - 1].text == "(":
            dropped.add(basis.first - 1)  # "(theo giá hiện hành)": its brackets go with it
        i = basis.last + 1
        while i in idx and (tokens[i].text.lower() == "năm" or tokens[i].text[:1].isdigit() or tokens[i].text in "()"):
            dropped.add(i)
            i += 1
    kept = [i for i in idx if i not in dropped]
    return kept if _has_content(view, kept) else idx


def _text(tokens: list[Token], idx: list[int]) -> str:
    return join_tokens([tokens[i] for i in idx])


@lru_cache(maxsize=None)
def _joined_phrases(keys: tuple[str, ...]) -> tuple[frozenset[tuple[str, ...]], int]:
    """Several word lists as one set of folded phrases, and the longest one's length."""
    lists = [_folded_phrases(key) for key in keys]
    return frozenset().union(*(p for p, _ in lists)), max(n for _, n in lists)


@lru_cache(maxsize=None)
def _folded_phrases(key: str) -> tuple[frozenset[tuple[str, ...]], int]:
    """A word list of rules/indicators.yaml `phrase` as folded syllables, and its longest entry's length."""
    words = load_rules("indicators")["phrase"][key]
    phrases = frozenset(tuple(fold_text(w).split()) for w in words)
    return phrases, max(len(p) for p in phrases)


def _folded(phrase: str) -> tuple[str, ...]:
    return tuple(fold_text(phrase).split())


@lru_cache(maxsize=2048)
def without_share_head(phrase: str) -> str:
    """"tỷ lệ hộ nghèo" → "hộ nghèo": what a share is of, for a value in
    another unit that inherits the phrase ("…, giảm [320 hộ]"); "" if nothing is left."""
    words = phrase.split()
    for head in _share_head_words():
        if [w.lower() for w in words[: len(head)]] == list(head):
            return " ".join(words[len(head):])
    return phrase


def after_possession_verb(view: TokenView, first_token: int) -> bool:
    """Whether the value stands right after a verb of having (rules/indicators.yaml
    `possession_verbs`), bound words between ("có hơn [78.850 ha]")."""
    verbs = phrase_rules().possession_verbs
    ends = {cue_run_start(view, first_token) - 1, *(last for _, last, _, _ in left_cues(view, first_token))}
    return any(verbs.ending_at(view, i) is not None for i in ends if i >= 0)


def count_named_by_noun(view: TokenView, first_token: int, after_token: int, floor: int, skip: frozenset[int],
                        values: frozenset[int]) -> bool:
    """"Du lịch phục hồi mạnh với [9,6 triệu lượt khách]", "74 tổ chức Đảng với
    [5.067 đảng viên]": a count right after "với" (rules/indicators.yaml
    `count_after_with`) that ends a clause with a verb of its own, or only the
    words of the count before it, is named by its noun alone; not the first
    of two values joined by "và", which share out the subjects before them
    ("tổng lượt khách và doanh thu … với [44 triệu lượt khách] và 190.000 tỷ đồng")."""
    rules = phrase_rules()
    link = rules.count_links.ending_at(view, first_token - 1)
    if link is None or link.first <= floor or rules.count_links_not_after.ending_at(view, link.first - 1) is not None:
        return False
    if after_token + 1 in values and view.sylls[after_token] == ("và",):
        return False
    link = link.first
    if floor > 0 and floor - 1 in values:
        return True  # the words between belong to the count before
    words = [i for i in range(_clause_edge(view.tokens, link, floor), link) if i not in skip]
    tags = pos_tags(tuple(view.tokens[i].text for i in words)) if words else None
    return tags is not None and any(t in rules.predicate_verbs for t in tags[1:])


def names_what_is_counted(phrase: str, noun: str) -> bool:
    """Whether `phrase` already names what a count of `noun` counts: it opens on
    a count head ("số lao động …", "dân số") or holds the noun's last word
    ("khách du lịch quốc tế" for "lượt khách")."""
    words, last = _folded(phrase), _folded(noun)[-1:]
    return bool(last) and last[0] in words or _opens_with(words, "count_heads")


def only_counts(noun: str) -> bool:
    """"người", "con", "lượt": a noun that only counts, adding nothing to the
    phrase before it ("tạo việc làm mới cho 10.300 người", "đàn lợn đạt 537.600 con")."""
    return " ".join(_folded(noun)) in _classifier_nouns()


@lru_cache(maxsize=1)
def _classifier_nouns() -> frozenset[str]:
    return frozenset(" ".join(_folded(n)) for n in load_rules("indicators")["phrase"]["classifier_nouns"])


def opens_with_count_head(phrase: str) -> bool:
    """Whether the phrase opens on a count's head word ("số hộ nghèo …"): it names what is counted."""
    return _opens_with(_folded(phrase), "count_heads")


def opens_with_head(phrase: str) -> bool:
    """Whether the phrase opens on a measure's head word ("thu nhập bình quân …",
    "tỷ lệ …"): it names its own measure."""
    return _opens_with(_folded(phrase), "heads")


def _opens_with(words: tuple[str, ...], key: str) -> bool:
    """Whether folded `words` open on an entry of the word list `key`."""
    entries, longest = _folded_phrases(key)
    return any(words[:n] in entries for n in range(1, longest + 1))


def names_share_only(phrase: str) -> bool:
    """Whether the phrase is a share word alone ("tỷ lệ"): a share of nothing named."""
    return _folded(phrase) in _folded_phrases("share_heads")[0]


@lru_cache(maxsize=1)
def _share_head_words() -> tuple[tuple[str, ...], ...]:
    heads = load_rules("indicators")["phrase"]["share_heads"]
    return tuple(sorted((tuple(h.lower().split()) for h in heads), key=len, reverse=True))


def names_contribution(phrase: str) -> bool:
    """Whether the phrase is a contribution verb alone ("đóng góp"): whose
    contribution it is, the clause's subject, is named before it."""
    return _folded(phrase) in _folded_phrases("contribution")[0]


def contribution_name(verb: str) -> str:
    """The contribution verb as the phrase names it: "đóng góp" for a verb that
    says it without the word ("làm giảm 0,2 điểm %": the contribution)."""
    named = load_rules("indicators")["phrase"]["contribution"][0]
    return verb if _folded(named)[-1] in _folded(verb) else named


def names_contributor_only(phrase: str) -> bool:
    """"(trong đó) khu vực tỉnh Quảng Ngãi (cũ) đóng góp [15.000 tỉ đồng]": a
    part and the verb that gives its share of the measure named before
    (rules/indicators.yaml `part_contribution`), no measure of its own."""
    split = _contribution_split(phrase, "part_contribution")
    return split is not None and names_no_indicator(split[0])


def with_contribution_named(phrase: str) -> str:
    """"xây dựng làm" (before "giảm [0,2 điểm %]") → "xây dựng đóng góp": a
    subject and a verb that says a contribution without the word."""
    split = _contribution_split(phrase, "contribution")
    return phrase if split is None else f"{split[0]} {contribution_name(split[1])}"


@lru_cache(maxsize=1024)
def _contribution_split(phrase: str, key: str) -> tuple[str, str] | None:
    """(subject, verb) of a phrase that ends in a contribution verb of the word
    list `key`, the longest entry first, with words before it; or None."""
    words, folded = phrase.split(), _folded(phrase)
    for entry in sorted(_folded_phrases(key)[0], key=len, reverse=True):
        if len(folded) > len(entry) and folded[-len(entry):] == entry:
            return " ".join(words[: -len(entry)]), " ".join(words[-len(entry):])
    return None


@lru_cache(maxsize=2048)
def measure_of_place_set(phrase: str) -> str:
    """"tỉnh, thành phố có tốc độ tăng GRDP dự ước dẫn đầu …" → "tốc độ tăng
    GRDP": what each place of a set has, for the places listed after it; ""
    when the phrase names no set of places."""
    m = _place_set_pattern().match(phrase)
    if m is None:
        return ""
    words = phrase[m.end() :]
    cut = _rank_cut_pattern().search(words)
    words = words[: cut.start()] if cut else words
    words = _trailing_cues_pattern().sub("", words).strip(" ,")
    return words if words and not names_no_indicator(words) else ""


def _measure_before_place_set(phrase: str) -> str:
    """"giá trị sản xuất công nghiệp các huyện, thành phố có mức tăng trưởng
    khá" → "giá trị sản xuất công nghiệp": the measure named before a set of
    places that "có" something, which each place listed after it has; ""."""
    m = _place_set_pattern(anchored=False).search(phrase)
    if m is None or m.start() == 0:
        return ""
    before = phrase[: m.start()].split(",")[-1].strip()
    return before if before and len(before.split()) <= 8 and not names_no_indicator(before) else ""


@lru_cache(maxsize=2)
def _place_set_pattern(anchored: bool = True) -> regex.Pattern:
    phrase = load_rules("indicators")["phrase"]
    sets, links = phrase_alternation(phrase["place_sets"]), phrase["place_set_links"]
    said, kept = phrase_alternation(links["said"]), phrase_alternation(links["kept"])
    start = "^" if anchored else r"(?<=[ \t,])"
    return regex.compile(rf"{start}(?:(?:{sets})(?:[ \t]*,[ \t]*|[ \t]+))+(?:(?:{said})[ \t]+|(?=(?:{kept})\b))",
                         regex.IGNORECASE)


@lru_cache(maxsize=1)
def _rank_cut_pattern() -> regex.Pattern:
    phrase = load_rules("indicators")["phrase"]
    return regex.compile(rf"(?<!\w)(?:{phrase_alternation(phrase['cut_at'] + phrase['price_basis'])})(?!\w)",
                         regex.IGNORECASE)


@lru_cache(maxsize=1)
def _trailing_cues_pattern() -> regex.Pattern:
    words = load_rules("cues")["status"]["estimate_words"]
    return regex.compile(rf"(?:[ \t]+(?:{phrase_alternation(words)}))+[ \t]*$", regex.IGNORECASE)


def ranked_measure(view: TokenView, skip: frozenset[int]) -> str:
    """What a ranking in the sentence ranks by: the words after "dẫn đầu về",
    up to the clause's end, a time or place, or the verb that names the
    ranked ("Dẫn đầu về [thu hút FDI] trên cả nước năm 2020 là TP.HCM")."""
    tokens = view.tokens
    rules = phrase_rules()
    for cue in rules.rank_about.find(view):
        idx = []
        for i in range(cue.last + 1, min(len(tokens), cue.last + 1 + _RIGHT_WALK)):
            if i in skip or tokens[i].text in _HARD_STOPS or tokens[i].text in ",(" \
                    or rules.rank_about_ends.starting_at(view, i) is not None:
                break
            idx.append(i)
        words = _text(tokens, _strip_trailing(view, idx))
        if words and not names_no_indicator(words):
            return words
    return ""


@lru_cache(maxsize=4096)
def names_no_indicator(phrase: str) -> bool:
    """Whether the phrase is made only of plan, document, source and place-type
    words (rules/indicators.yaml `not_indicators`), comparison and grading
    words ("thấp hơn nhiều", "kết quả cao") and a rank's ("Xếp thứ hai"),
    longest first from the left, or
    only of numbers and signs (a year: "(2018 là [5,9%])"; "1.763 tỷ đồng/[1.922 tỷ đồng]")."""
    if phrase and not any(c.isalpha() for c in phrase):
        return True
    if _made_of(phrase, "share_heads", "comparison_only") and not names_share_only(phrase):
        return True  # "chiếm tỷ lệ cao, ước đạt …": a share graded, of nothing named
    words = phrase.split()
    if 1 < len(words) <= 3 and _folded(words[-1]) in _folded_phrases("anaphora")[0]:
        return True  # "Mức vốn này bằng 42,5%", "địa phương trên đạt …": what the text named before
    if any(w.isdigit() for w in words) and any(not w.isdigit() for w in words):
        phrase = " ".join(w for w in words if not w.isdigit())  # "(KH 2023: …)": a plan word and its year
    if _made_of(phrase, "not_indicators", "comparison_only", "rank_words"):
        return True
    # "Vùng Đồng bằng sông Cửu Long đạt …", "13 tỉnh khu vực Đồng bằng sông Cửu Long đạt …", "các tỉnh miền
    # Trung đạt …": a region or a group of provinces owns the figure; the measure was named before
    without_regions = _regions().sub(" ", phrase)
    return without_regions != phrase and (not without_regions.strip() or _made_of(
        without_regions, "not_indicators", "rank_words", "region_words"))


@lru_cache(maxsize=1)
def _regions() -> regex.Pattern:
    """The country's regions (rules/localities.yaml), or a compass part of it ("miền Trung")."""
    names = load_rules("localities")["regions"]
    return regex.compile(rf"(?i)(?<!\p{{L}})(?:{phrase_alternation(names)}|miền[ \t]+(?:Bắc|Trung|Nam))(?!\p{{L}})")


def _made_of(phrase: str, *keys: str) -> bool:
    """Whether the phrase is made only of entries of these word lists ("kết quả cao": a result and a grade)."""
    phrases, longest = _joined_phrases(keys)
    sylls = _folded(phrase)
    i = 0
    while i < len(sylls):
        step = next((n for n in range(min(longest, len(sylls) - i), 0, -1) if sylls[i : i + n] in phrases), 0)
        if not step:
            return False
        i += step
    return bool(sylls)


@lru_cache(maxsize=1)
def _lexicon():
    entries = load_rules("indicators")["indicators"]
    synonyms: dict[str, str] = {}
    for entry in entries:
        for synonym in entry["synonyms"]:
            synonyms[fold_text(synonym)] = entry["id"]
    alternation = "|".join(regex.escape(s) for s in sorted(synonyms, key=len, reverse=True))
    return synonyms, regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternation})(?![\p{{L}}\p{{N}}])")


@lru_cache(maxsize=1)
def _respectively() -> tuple[regex.Pattern, regex.Pattern]:
    words = load_rules("indicators")["phrase"]["respectively"]
    alternation = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    cue = regex.compile(rf"(?i)(?<!\p{{L}})(?:{alternation})(?!\p{{L}})")
    tail = regex.compile(rf"(?i)[\s,]*(?:{alternation})(?:\s+là)?[\s,:]*$")
    return cue, tail


def says_respectively(text: str) -> bool:
    """"tương ứng", "lần lượt": the sentence pairs a list of names with a list of values."""
    return _respectively()[0].search(text) is not None


_NAME_SEPARATOR = regex.compile(r"\s*[-–]\s*|\s*,\s*|\s+và\s+")


def respective_names(phrase: str, count: int) -> list[str] | None:
    """"cơ cấu khu vực I-II-III-thuế sản phẩm tương ứng là 41,57% - 15,45% - …":
    the phrase names `count` items apart by dashes, commas or "và"; the words
    before the first item (as long as the second) are the head every item shares
    ("cơ cấu khu vực I", "cơ cấu khu vực II", …). None when the counts differ."""
    phrase = _respectively()[1].sub("", phrase).strip()
    parts = [p for p in _NAME_SEPARATOR.split(phrase) if p]
    if len(parts) != count or count < 2:
        return None
    words = parts[0].split()
    second = parts[1].split()
    # The first name starts where the second's first word last stands in it ("tỷ lệ hộ nghèo và hộ cận
    # nghèo": "hộ nghèo"), else it is as long as the second ("tổng lượt khách và doanh thu du lịch").
    shared = [i for i, word in enumerate(words[1:], 1) if word.casefold() == second[0].casefold()]
    size = len(words) - shared[-1] if shared else min(len(second), len(words))
    head = " ".join(words[:-size])
    return [f"{head} {name}".strip() for name in [" ".join(words[-size:]), *parts[1:]]]


def lexicon_phrase_before(view: TokenView, first_token: int, skip: frozenset[int]) -> str:
    """"Quy mô kinh tế Kiên Giang vươn lên …; năm 2022, Kiên Giang đạt [116
    nghìn tỷ đồng]": the last lexicon indicator named earlier in the sentence,
    as written there, for a first value with no phrase of its own; ""."""
    tokens = view.tokens
    idx = [i for i in range(first_token) if i not in skip]
    if not idx:
        return ""
    _synonyms, pattern = _lexicon()
    found = list(pattern.finditer(fold_text(_text(tokens, idx))))
    if not found:
        return ""
    folded = found[-1].group()
    # The fewest tokens that hold its last occurrence, as written.
    i = next((i for i in range(len(idx) - 1, -1, -1) if folded in fold_text(_text(tokens, idx[i:]))), None)
    if i is None:
        return folded
    j = next(j for j in range(i + 1, len(idx) + 1) if folded in fold_text(_text(tokens, idx[i:j])))
    return _text(tokens, _strip_leading(view, _strip_trailing(view, idx[i:j]))) or folded


@lru_cache(maxsize=4096)
def indicator_id(phrase: str | None) -> str | None:
    """Lexicon id of the longest synonym the phrase contains (compared folded).
    Cached: an indicator recurs across the values that inherit it."""
    if not phrase:
        return None
    synonyms, pattern = _lexicon()
    folded = fold_text(phrase)
    best = max(pattern.finditer(folded, overlapped=True), key=lambda m: len(m.group()), default=None)
    return synonyms[best.group()] if best else None


_WORD = regex.compile(r"\S+")


def with_sector_head(previous: str, phrase: str) -> str:
    """"Giá trị sản xuất ngành nông nghiệp …; [công nghiệp] ước thực hiện …":
    a phrase that is a sector's name alone, after a value whose phrase ends in
    another sector's name, takes that phrase's head ("Giá trị sản xuất ngành
    công nghiệp"); any other phrase is returned as it is."""
    sectors = _folded_phrases("sectors")[0]
    item = _folded(phrase)
    if item not in sectors:
        return phrase
    # the words of the phrase before and where each starts; punctuation alone ("-") is no word
    words = [(m.start(), w) for m in _WORD.finditer(previous) for w in fold_text(m.group()).split()[:1]]
    for sector in sorted(sectors, key=len, reverse=True):
        n = len(sector)
        if n < len(words) and tuple(w for _, w in words[-n:]) == sector and sector != item:
            # the head must end in a sector's type word or a measure ("Giá trị sản xuất ngành", "tỷ trọng"),
            # not "Nông, lâm," of a longer name
            head = tuple(w for _, w in words[:-n])
            if any(head[len(head) - len(end) :] == end for end in _folded_phrases("sector_head_ends")[0]):
                return f"{previous[: words[-n][0]]}{phrase}"
            return phrase
    return phrase


_WITH_REACH = 6  # tokens between "với" and the value: a measure word and its cue words
_SENTENCE_MARKS = frozenset(";:.!?")


_KIND_WORDS = 4  # tokens of the kind a breakdown's item names ("dưa hấu các loại")


def breakdown_item(view: TokenView, first_token: int, floor: int, skip: frozenset[int]) -> tuple[int, str] | None:
    """"…, gồm: [Lạc] 5 ha", "…, trong đó, [lúa] 8.450,2 ha": the first token of
    a breakdown's opener (rules/indicators.yaml `breakdown_openers`) and the
    kind named between it and the value, or None. The kind is a few words
    right before the number, with no cue word, head word, number, place or
    time, and no lexicon indicator ("trong đó diện tích lúa", "trong đó thu nội
    địa ước đạt": the item names its own measure)."""
    tokens = view.tokens
    if first_token == 0 or cue_run_start(view, first_token) != first_token:
        return None
    rules = phrase_rules()
    for i in range(first_token - 1, max(floor, first_token - _KIND_WORDS - 2) - 1, -1):
        if (opener := rules.breakdown_openers.ending_at(view, i)) is None:
            continue
        at = i + 1
        while at < first_token and tokens[at].text in ",:":
            at += 1
        kind = list(range(at, first_token))
        if not kind or len(kind) > _KIND_WORDS or any(j in skip or not tokens[j].text[:1].isalpha() for j in kind) \
                or not names_a_kind(_text(tokens, kind)):
            return None  # names_a_kind: no head word, no number, no lexicon indicator, no sector
        return opener.first, _text(tokens, kind)
    return None


def restates_measure(phrase: str) -> bool:
    """A measure word alone that says again the measure of the value before it
    in its sentence (rules/indicators.yaml `restating_measures`: "… ; luỹ kế 9
    tháng giá trị ước đạt …")."""
    return _folded(phrase) in _folded_phrases("restating_measures")[0]


def names_a_kind(phrase: str) -> bool:
    """A few words with no head word ("màu", "cây ăn trái"): an item of a
    breakdown, not a measure; a sector's name ("nông nghiệp") is no kind: a
    sector is named by itself, or takes the head of the sector before it."""
    return bool(phrase) and len(phrase.split()) <= _KIND_WORDS and not opens_with_head(phrase) \
        and not indicator_id(phrase) and not any(c.isdigit() for c in phrase) \
        and _folded(phrase) not in _folded_phrases("sectors")[0]


def opens_with_measure(phrase: str) -> bool:
    """The phrase opens on a head word, after "tổng" if any ("Tổng diện tích gieo trồng")."""
    words = phrase.split()
    return opens_with_head(phrase) or len(words) > 1 and _folded(words[0]) == ("tổng",) \
        and opens_with_head(" ".join(words[1:]))


def subject_before_with(view: TokenView, first_token: int, floor: int, skip: frozenset[int],
                        values: frozenset[int] = frozenset()) -> str:
    """"Ngành xây dựng … tăng trưởng khá với tốc độ [8,5%]", "… là trụ cột
    tăng trưởng khi đạt mức tăng trưởng [21,38%]": a bare measure word right
    before the value, after a word that introduces it (rules/indicators.yaml
    `measure_introducers`), measures the clause's subject, the noun phrase
    before the first verb of the last clause before that word (a verb right
    after a measure word is part of the subject: "tốc độ tăng trưởng ngành
    công nghiệp đạt …"); a clause with no subject of its own (", thấp hơn
    tốc độ tăng [6,58%] …") compares the subject of the clause before it.
    The measure and its subject ("tốc độ Ngành xây dựng"), the subject alone
    when it names its measure, or ""."""
    tokens = view.tokens
    introducers = phrase_rules().measure_introducers
    intro = next((c for i in range(first_token - 1, max(floor, first_token - _WITH_REACH) - 1, -1)
                  if (c := introducers.ending_at(view, i)) is not None), None)
    if intro is None:
        return ""
    measures = _folded_phrases("bare_measures")[0]
    # the measure word, with the value's cue words ("mức tăng [28,32%]") or before them
    # ("giá trị ước đạt [2.971 tỷ đồng]")
    for end in (first_token, _cue_run_start(view, first_token, intro.last + 1)):
        between = [i for i in range(intro.last + 1, end) if i not in skip]
        if _folded(" ".join(s for i in between for s in view.sylls[i])) in measures:
            break
    else:
        return ""
    start = _clause_edge(tokens, intro.first, floor)
    clause = max((i + 1 for i in _commas_outside_brackets(tokens, start, intro.first)), default=start)
    subject = _clause_subject(view, clause, intro.first, start, skip, values)
    if not subject and clause < intro.first and _starts_with_verb(view, intro.first):
        # "ngành kinh doanh bất động sản có mức tăng trưởng [6,38%]": the introducer is the clause's verb
        subject = left_phrase(view, intro.first, clause, skip, values)
    if not subject and clause > 0 and tokens[clause - 1].text == ",":
        before = clause - 1  # the clause before the comma, back to the sentence's edge
        edge = _clause_edge(tokens, before, 0)
        opening = max((i + 1 for i in _commas_outside_brackets(tokens, edge, before)), default=edge)
        subject = _clause_subject(view, opening, before, edge, skip, values)
        value = next((i for i in range(opening, before) if i in values), None)
        if not subject and value is not None:
            # "tổng số vốn đã giải ngân hơn 43.000 tỉ đồng, đạt tỷ lệ [63%]": what the value before measures
            subject = left_phrase(view, value, edge, skip, values)
    if not subject or names_no_indicator(subject):
        return ""
    if any(_folded(subject)[: len(h)] == h for h in _folded_phrases("heads")[0]):
        return subject  # "tốc độ tăng trưởng ngành công nghiệp … với mức [8%]": the subject names its measure
    return f"{_text(tokens, between)} {subject}"


def subject_of_bare_measure(view: TokenView, first_token: int, floor: int, skip: frozenset[int],
                            values: frozenset[int]) -> str:
    """"Quy mô GRDP được mở rộng; giá trị cả năm ước đạt [181,8 nghìn tỷ
    đồng]": a clause whose phrase is a bare measure word alone
    (rules/indicators.yaml `bare_measures`), after a clause with no figure,
    measures that clause's subject: the subject when it names its own measure
    ("Quy mô GRDP"), else the measure word and the subject; or "". So does a
    clause that opens on where its figure comes from (`source_words`: "Thu
    ngân sách … đạt kết quả nổi bật, số liệu cập nhật trên hệ thống … đạt
    [28.569 tỷ đồng]"), by the subject alone."""
    tokens = view.tokens
    run = _cue_run_start(view, first_token, floor)
    depth, boundary = 0, None
    for i in range(run - 1, floor - 1, -1):
        text = tokens[i].text
        if text in "()":
            depth += 1 if text == ")" else -1
            continue
        if depth == 0 and text in ",;":
            boundary = i
            break
        if depth == 0 and text in _HARD_STOPS:
            return ""
    if boundary is None or boundary <= floor and floor > 0:
        return ""
    between, depth = [], 0
    for i in range(boundary + 1, run):
        depth += (tokens[i].text == "(") - (tokens[i].text == ")")
        if depth == 0 and i not in skip and tokens[i].text != ")":
            between.append(i)  # "giá trị cả năm (giá hiện hành)": the measure word, less times and asides
    measure = _folded(" ".join(s for i in between for s in view.sylls[i]))
    source = bool(between) and phrase_rules().source_words.starting_at(view, between[0]) is not None
    if measure not in _folded_phrases("bare_measures")[0] and not source:
        return ""
    edge = _clause_edge(tokens, boundary, 0)
    if any(i in values for i in range(edge, boundary)):
        return ""
    opening = max((i + 1 for i in _commas_outside_brackets(tokens, edge, boundary)), default=edge)
    subject = _clause_subject(view, opening, boundary, edge, skip, values)
    if not subject or names_no_indicator(subject) or _folded(subject) in _folded_phrases("bare_measures")[0]:
        return ""
    first = next((i for i in range(opening, boundary) if i not in skip), boundary)
    if first == boundary or _folded(subject)[: len(view.sylls[first])] != _folded(" ".join(view.sylls[first])):
        return ""  # "… đặt mục tiêu phấn đấu xây dựng địa phương đạt chuẩn …; tốc độ tăng trưởng …": no subject
    return subject if source or opens_with_head(subject) else f"{_text(tokens, between)} {subject}"


def subject_of_clause_before(view: TokenView, first_token: int, floor: int, skip: frozenset[int],
                             values: frozenset[int]) -> str:
    """"khu vực nông, lâm nghiệp và thủy sản là ngành ít chịu tác động của
    dịch, tăng [2,88%]": a change whose clause opens on its verb, after a
    comma that ends a clause with no figure, is of that clause's subject (the
    noun phrase before its first verb), or ""."""
    tokens = view.tokens
    run = left_cues(view, first_token)
    if not any(kind == "change" for *_, kind, _ in run):
        return ""
    before = _cue_run_start(view, first_token, floor) - 1
    while before > floor and before in skip:
        before -= 1
    if before <= floor or tokens[before].text != ",":
        return ""
    edge = _clause_edge(tokens, before, 0)
    if any(i in values for i in range(edge, before)):
        return ""
    subject = _clause_subject(view, edge, before, edge, skip, values)
    # a name alone ("Mỹ là thị trường xuất khẩu lớn nhất …") is who, not what is measured
    return subject if any(w[:1].islower() for w in subject.split()) and not names_no_indicator(subject) else ""


def measure_after_count(view: TokenView, first_token: int, floor: int) -> str:
    """"phê duyệt chủ trương đầu tư cho 19 dự án với tổng vốn hơn [9.689 tỷ
    đồng]", "hỗ trợ 325 mô hình với tổng kinh phí [8,8 tỷ đồng]": a bare measure
    after "với", with only the count's noun phrase between the count before it
    (ending at `floor`) and "với", measures what the count counts. The measure
    words, or ""."""
    tokens = view.tokens
    run = _cue_run_start(view, first_token, floor)
    joint = next((i for i in range(run - 1, floor - 1, -1) if view.sylls[i] == ("với",)), None)
    if joint is None:
        return ""
    between = list(range(joint + 1, run))
    if not between or _folded(" ".join(s for i in between for s in view.sylls[i])) not in _folded_phrases("bare_measures")[0]:
        return ""
    if any(_has_digit(tokens[i]) or tokens[i].text in ";:.()" for i in range(floor, joint)):
        return ""
    return _text(tokens, between)


def _commas_outside_brackets(tokens, start: int, end: int) -> list[int]:
    """The commas of tokens [start, end) not inside brackets ("Khu vực I (nông, lâm
    nghiệp và thủy sản) chiếm …": that comma lists, it ends no clause)."""
    depth, commas = 0, []
    for i in range(start, end):
        text = tokens[i].text
        depth += (text == "(") - (text == ")" and depth > 0)
        if text == "," and depth == 0:
            commas.append(i)
    return commas


def _starts_with_verb(view: TokenView, i: int) -> bool:
    """Whether token i opens on a verb that ends a subject (rules/indicators.yaml `subject_ends`)."""
    return _folded(" ".join(view.sylls[i]))[:1] in _folded_phrases("subject_ends")[0]


def _clause_edge(tokens, i: int, floor: int) -> int:
    """The first token of the clause token i stands in: back from i to a sentence mark ("." ";" ":"), not below `floor`."""
    while i > floor and tokens[i - 1].text not in _SENTENCE_MARKS:
        i -= 1
    return i


def _clause_subject(view: TokenView, clause: int, end: int, floor: int, skip: frozenset[int],
                    values: frozenset[int]) -> str:
    """The noun phrase before the first verb of tokens [clause, end), or ""; a
    marker of aspect ("đã") ends it too, unless the phrase opens on a head word
    ("số vốn đã giải ngân tăng khá …": the head's phrase holds a clause)."""
    rules = phrase_rules()
    opening = next((i for i in range(clause, end) if i not in skip), end)
    markers = rules.subject_end_markers if rules.heads.starting_at(view, opening) is None else None
    verb = next((i for i in range(clause, end) if i not in skip
                 and (_starts_with_verb(view, i) or markers is not None and markers.starting_at(view, i) is not None)
                 and not (i > 0 and rules.heads.ending_at(view, i - 1) is not None)), None)
    return left_phrase(view, verb, floor, skip, values) if verb is not None else ""
