"""Bytes → NFC text, in whichever encoding a Vietnamese file was saved.

UTF-8 (with or without BOM) is tried first and costs nothing more than
before; a BOM names UTF-16/32. Anything else is a legacy file: Windows-1258
(whose tone marks are combining characters, composed here by NFC), or one of
the pre-Unicode font encodings TCVN3 and VNI, whose tables are data in
`rules/encodings.yaml`. Which one is decided by reading each candidate as
Vietnamese: the right decoding yields words that are Vietnamese syllables, a
wrong one yields symbols inside words ("B¶o") or impossible vowel groups.
charset-normalizer, a maintained detector, adds its own guess (it finds
UTF-16/32 without a BOM and other encodings), and its guess is named in the
error when nothing reads as Vietnamese, so the user knows what to pass to
`--encoding`.
"""
from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

import regex

from ..rules import load_rules


class DecodeError(ValueError):
    """Bytes that are not text in any encoding tried; the message says what was tried."""


# Names a user may give to --encoding, beyond Python's own codec names.
_ALIASES = {
    "tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "vntime": "tcvn3", ".vntime": "tcvn3",
    "vni": "vni", "vni-windows": "vni", "vni-win": "vni", "vni-times": "vni",
    "windows-1258": "cp1258", "cp1258": "cp1258", "cp-1258": "cp1258", "win1258": "cp1258",
    "utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig",
}
_LEGACY = ("cp1258", "tcvn3", "vni")
_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32",
           "cp1258": "Windows-1258", "tcvn3": "TCVN3", "vni": "VNI"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
TRIED = "UTF-8, UTF-16/32 (with BOM), Windows-1258, TCVN3 and VNI"


def encoding_name(name: str) -> str:
    """The codec behind a user's --encoding NAME; an unknown name is an error naming the choices."""
    key = name.strip().lower().replace("_", "-")
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        codec = codecs.lookup(key)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}; use utf-8, utf-16, utf-32, windows-1258, tcvn3, vni "
                         "or any Python codec name") from None
    if not getattr(codec, "_is_text_encoding", True):  # base64, zlib, rot13, hex: bytes to bytes
        raise ValueError(f"{name!r} is no text encoding; use utf-8, utf-16, utf-32, windows-1258, tcvn3, vni "
                         "or another codec of characters")
    return codec.name


def label(encoding: str) -> str:
    return _LABELS.get(encoding, encoding)


def decode_bytes(data: bytes, source: str = "", encoding: str | None = None) -> str:
    """NFC text of `data`: in `encoding` when given, else detected (see the module docstring)."""
    if encoding is not None:
        return unicodedata.normalize("NFC", decode_as(data, encoding_name(encoding)))
    text, _ = detect(data)
    return unicodedata.normalize("NFC", text)


def decode_as(data: bytes, encoding: str) -> str:
    """`data` in one named encoding; an error says where it does not fit."""
    if encoding == "tcvn3":
        return _tcvn3(data)
    if encoding == "vni":
        return _vni(data)
    if encoding in ("utf-8", "utf-16", "utf-32") and any(data.startswith(bom) for bom, _ in _BOMS):
        encoding = {"utf-8": "utf-8-sig"}.get(encoding, encoding)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise DecodeError(f"not valid {label(encoding)}: byte 0x{data[err.start]:02x} at offset {err.start}"
                          f"{_hint(data)}") from None


def detect(data: bytes) -> tuple[str, str]:
    """(text, encoding) of bytes in an unknown encoding; DecodeError when none fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise DecodeError(f"starts with a {label(encoding)} byte-order mark but is not valid "
                                  f"{label(encoding)} (byte offset {err.start})") from None
    has_nul = b"\x00" in data
    if not has_nul:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as err:
            utf8_error = f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
    else:
        utf8_error = "contains NUL bytes"
    guess = _detector_guess(data)
    candidates = ([] if has_nul else list(_LEGACY)) + ([guess[0]] if guess and guess[0] not in _LEGACY else [])
    best: tuple[float, str, str] | None = None
    for encoding in candidates:
        try:
            text = decode_as(data, encoding)
        except (DecodeError, LookupError):
            continue
        share = vietnamese_share(text)
        if share is not None and (best is None or share > best[0]):
            best = (share, text, encoding)
    if best is not None and best[0] >= _syllables()[1]:
        return best[1], best[2]
    if guess and has_nul and guess[0].startswith("utf_"):
        # UTF-16/32 without a BOM and without a Vietnamese letter: plain ASCII text.
        try:
            text = decode_as(data, guess[0])
        except DecodeError:
            text = ""
        if text and text.isascii() and all(c.isprintable() or c in "\r\n\t" for c in text):
            return text, guess[0]
    said = f"; charset-normalizer guesses {guess[0]} ({guess[1]})" if guess else ""
    if has_nul and not guess:
        raise DecodeError("binary data (it contains NUL bytes), not text: not a document vnextract reads "
                          f"(a UTF-16 or UTF-32 text file reads with --encoding utf-16 or utf-32){_hint(data)}")
    what = "binary data (it contains NUL bytes), not text" if has_nul else utf8_error
    raise DecodeError(f"{what}; tried {TRIED} and none reads as Vietnamese text{said}. "
                      f"If you know the encoding, pass --encoding NAME{_hint(data)}")


def vietnamese_share(text: str) -> float | None:
    """Share of the words holding a non-ASCII character that are Vietnamese
    syllables (None when there is no such word: any decoding reads it)."""
    syllable = _syllables()[0]
    words = [w for w in _WORDS.findall(text) if not w.isascii()]
    if not words:
        return None
    good = sum(1 for w in words if _is_syllable(w, syllable))
    return good / len(words)


# Words: split at white space, ASCII punctuation and digits, and the
# punctuation Windows-1252 keeps in 0x80–0x9F (no legacy table uses those
# bytes), so a symbol a wrong decoding puts inside a word stays in it.
_WORDS = regex.compile(r"[^\s!-@\[-`{-~\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00a0]+")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _is_syllable(word: str, syllable: regex.Pattern) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONES)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return syllable.fullmatch(bare) is not None


@lru_cache(maxsize=1)
def _syllables() -> tuple[regex.Pattern, float]:
    rules = load_rules("encodings")["syllables"]

    def alternation(items):
        return "|".join(regex.escape(str(i)) for i in sorted(items, key=len, reverse=True))

    pattern = (f"(?:{alternation(rules['onsets'])})?"
               f"(?:(?:{alternation(rules['vowels'])})(?:{alternation(rules['finals'])})?|{alternation(rules['open_vowels'])})")
    return regex.compile(pattern), float(rules["min_share"])


@lru_cache(maxsize=1)
def _cp1252_chars() -> str:
    """The Windows-1252 character of every byte (Latin-1 for its five unused bytes)."""
    return "".join(bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in range(256))


@lru_cache(maxsize=2)
def legacy_table(name: str) -> dict[str, str]:
    """Unicode letter → its Windows-1252 characters in the `name` encoding (rules/encodings.yaml)."""
    table: dict[str, str] = {}
    for row in load_rules("encodings")[name]["letters"]:
        table.update({str(k): str(v) for k, v in row.items()})
    return table


@lru_cache(maxsize=1)
def _tcvn3_bytes() -> dict[int, str]:
    chars = _cp1252_chars()
    byte_of = {c: b for b, c in enumerate(chars)}
    table = {b: c for b, c in enumerate(chars)}
    for letter, code in legacy_table("tcvn3").items():
        table[byte_of[code]] = letter
    return table


def _tcvn3(data: bytes) -> str:
    table = _tcvn3_bytes()
    return "".join(table[b] for b in data)


@lru_cache(maxsize=1)
def _vni_pattern() -> tuple[regex.Pattern, dict[str, str]]:
    reverse = {code: letter for letter, code in legacy_table("vni").items() if code != letter}
    codes = sorted(reverse, key=len, reverse=True)  # a mark after its base letter wins over the base alone
    return regex.compile("|".join(regex.escape(c) for c in codes)), reverse


def _vni(data: bytes) -> str:
    pattern, reverse = _vni_pattern()
    text = data.decode("latin-1").translate(_latin1_to_cp1252())
    return pattern.sub(lambda m: reverse[m.group()], text)


@lru_cache(maxsize=1)
def _latin1_to_cp1252() -> dict[int, str]:
    return {b: c for b, c in enumerate(_cp1252_chars()) if chr(b) != c}


def encode_legacy(text: str, name: str) -> bytes:
    """Unicode text written in TCVN3 or VNI (for making test files); TCVN3
    writes a toned capital as its lowercase byte, as the .VnTimeH font did."""
    table = legacy_table(name)
    byte_of = {c: b for b, c in enumerate(_cp1252_chars())}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = table.get(ch) or table.get(ch.lower()) if ord(ch) > 127 else ch
        if code is None:
            code = ch
        for c in code:
            if c not in byte_of:
                raise ValueError(f"{ch!r} cannot be written in {label(name)}")
            out.append(byte_of[c])
    return bytes(out)


def encode_cp1258(text: str) -> bytes:
    """Unicode text in Windows-1258, tone marks as combining characters where
    the code page has no precomposed letter (as Windows writes it)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def _detector_guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best encoding (Python codec name) and language, or None for binary data."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    return best.encoding, best.language or "unknown language"


def _hint(data: bytes) -> str:
    """What a misnamed binary file probably is."""
    if data.startswith(b"%PDF"):
        return " (the file is a PDF: give it the .pdf suffix)"
    if data.startswith(b"PK\x03\x04"):
        return " (the file is a zip package, e.g. a Word .docx: give it its own suffix)"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return " (the file is an old binary Office document, e.g. .doc: save it as .docx)"
    return ""
