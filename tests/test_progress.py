"""extract, show and track show the same progress bar (tqdm, documents counted first)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from vnextract.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = {
    "a": "Năm 2024, thu nhập bình quân đầu người đạt 89,6 triệu đồng.",
    "b": "Huyện phấn đấu năm 2024 thu nhập bình quân đầu người đạt 85 triệu đồng.",
    "c": "Tỷ lệ hộ nghèo giảm còn 1,2%.",
}


@pytest.fixture()
def folder(tmp_path):
    where = tmp_path / "bai"
    where.mkdir()
    for doc_id, text in ARTICLES.items():
        (where / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return where


def _bar(stderr: str) -> str:
    """The bar's last state: tqdm redraws the line with carriage returns."""
    lines = [part for part in re.split(r"[\r\n]", stderr) if "doc" in part and "|" in part]
    assert lines, stderr
    return lines[-1]


@pytest.mark.parametrize("command", [
    ["extract", "{folder}", "-o", "{tmp}/r.jsonl", "--workers", "1", "--progress"],
    ["show", "{folder}", "-o", "{tmp}/site", "--progress"],
    ["track", "{folder}", "-o", "{tmp}/t.csv", "--progress"],
], ids=lambda c: c[0])
def test_each_long_command_shows_the_same_progress_bar(folder, tmp_path, capsys, command):
    argv = [part.format(folder=folder, tmp=tmp_path) for part in command]
    assert main(argv) == 0
    bar = _bar(capsys.readouterr().err)
    assert "3/3" in bar and "100%" in bar and "doc/s" in bar, bar


@pytest.mark.parametrize("command", ["show", "track"])
def test_no_bar_unless_asked_or_on_a_terminal(folder, tmp_path, capsys, command):
    out = tmp_path / ("site" if command == "show" else "t.csv")
    assert main([command, str(folder), "-o", str(out)]) == 0
    assert "doc/s" not in capsys.readouterr().err
