"""The figures README.md quotes are what the code prints now (no timings:
those come from benchmarks/ with their command)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def figures():
    """scripts/readme_figures.py, loaded once: the corpus is extracted once for both tests."""
    spec = importlib.util.spec_from_file_location("readme_figures", ROOT / "scripts" / "readme_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_quotes_the_figures_the_code_prints(figures):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(figures.blocks_in(text)) == set(figures.BLOCKS)
    stale = figures.stale(text)
    assert not stale, (
        f"README.md quotes figures the code no longer prints (blocks {', '.join(stale)}): run "
        f"`python3 scripts/readme_figures.py --write` and commit README.md; "
        f"`python3 scripts/readme_figures.py` shows the difference")


def test_a_changed_figure_is_found_and_rewritten(figures):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = figures.blocks_in(text)["example-records"]
    broken = text.replace(block, block.replace("damha-2024,", "damha-2023,", 1))
    assert set(figures.stale(broken)) == {"example-records"}
    assert figures.rewritten(broken) == text
