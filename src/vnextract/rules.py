"""Locate and load the YAML rule files, so every stage reads its rules the same way."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import yaml


# Word edges for rule regexes: a letter or digit may not continue the match.
WORD_START = r"(?<![\p{L}\p{N}])"
WORD_END = r"(?![\p{L}\p{N}])"


# libyaml's safe loader when PyYAML was built with it: the same documents,
# read several times faster (rules are loaded at every start).
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, refusing a key written twice in one mapping (YAML
    would keep the last: a second `examples_x:` list would hide the first)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice (line {key_node.start_mark.line + 1})", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_LOADER = _Loader


class RuleError(Exception):
    """A rule file is missing or cannot be read; the message names the file."""


# Seconds a rule regex may run for one match, and for a whole-text scan per
# 100,000 characters. Rules are written by users, and a pattern that
# backtracks must cost its document, not hang the batch.
REGEX_TIMEOUT = 2.0


class RuleTimeout(TimeoutError):
    """A rule pattern ran past REGEX_TIMEOUT on a text; that document fails."""


class BoundedPattern:
    """A compiled rule regex whose every call has a time limit (the `regex`
    module's `timeout=`); running over it raises `RuleTimeout`, naming the
    rule file and pattern and where in the text it was."""

    __slots__ = ("pattern", "name")

    def __init__(self, pattern, name: str):
        self.pattern = pattern
        self.name = name

    def _timeout(self, pos: int) -> RuleTimeout:
        return RuleTimeout(f"rule pattern {self.name} ran over {REGEX_TIMEOUT:g} s at character {pos} "
                           f"(it backtracks on this text; simplify it)")

    def match(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.pattern.match(string, pos, endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise self._timeout(pos) from None

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.pattern.fullmatch(string, pos, endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise self._timeout(pos) from None

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.pattern.search(string, pos, endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise self._timeout(pos) from None

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None):
        """All matches; the limit covers the whole scan, so it grows with the text."""
        size = (len(string) if endpos is None else endpos) - pos
        limit = REGEX_TIMEOUT * max(1.0, size / 100_000)
        last = pos
        try:
            for m in self.pattern.finditer(string, pos, endpos, timeout=limit):
                last = m.start()
                yield m
        except TimeoutError:
            raise self._timeout(last) from None


def rules_dir() -> Path:
    """The rules folder: $VNEXTRACT_RULES, else the repo's rules/, else the installed copy."""
    env = os.environ.get("VNEXTRACT_RULES")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2] / "rules"
    if repo.is_dir():
        return repo
    return Path(sys.prefix) / "share" / "vnextract" / "rules"


def load_rules(name: str) -> dict:
    """Load `<rules_dir>/<name>.yaml` (parsed once per path per process)."""
    return _load(rules_dir() / f"{name}.yaml")


@functools.cache
def _load(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: bad YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleError(f"{path}: top level must be a mapping")
    return data


def phrase_alternation(phrases, case_sensitive: bool = False) -> str:
    """A regex alternation of literal phrases, longest first so the longest wins;
    a space in a phrase matches any run of blanks. Lower-cased unless `case_sensitive`."""
    forms = {p if case_sensitive else str(p).lower() for p in phrases}
    ordered = sorted(forms, key=len, reverse=True)
    return "|".join(r"[ \t\u00a0]+".join(_escape(part) for part in f.split(" ")) for f in ordered)


def expand_patterns(pattern: str, named: dict[str, str], _depth: int = 0) -> str:
    """Replace `{name}` by the named sub-pattern (HeidelTime style), recursively.

    Only known names are replaced, so regex quantifiers such as `\\d{1,2}` stay."""
    if _depth > 10:
        raise RuleError(f"pattern references nest too deep: {pattern}")
    out = pattern
    for name, sub in named.items():
        token = "{" + name + "}"
        if token in out:
            out = out.replace(token, "(?:" + expand_patterns(sub, named, _depth + 1) + ")")
    return out


def _escape(text: str) -> str:
    import regex

    return regex.escape(text)
