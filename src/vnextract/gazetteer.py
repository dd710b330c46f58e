"""The administrative units a text or a metadata sheet may name.

Shared by input reading (a sheet's "Lào Cai" is "tỉnh Lào Cai") and the
locality stage, so it sits beside them rather than inside either.
"""
from __future__ import annotations

from functools import lru_cache

from .rules import load_rules


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """Bare province name → the name with its type word ("Hà Nội" → "TP Hà Nội")."""
    rules = load_rules("localities")
    return {name: f"{type_word} {name}" for type_word, names in rules["provinces"].items() for name in names}
