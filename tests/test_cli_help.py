"""Every command's --help says what it reads and shows two examples."""
from __future__ import annotations

import pytest

from vnextract.cli import main

DOCUMENT_COMMANDS = [["extract"], ["eval"], ["show"], ["text"], ["track"], ["labelstudio", "export"], ["tables"],
                     ["train"]]
OTHER_COMMANDS = [[], ["labelstudio"], ["labelstudio", "config"], ["labelstudio", "import"]]


def _help(command, capsys) -> str:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", DOCUMENT_COMMANDS + OTHER_COMMANDS, ids=lambda c: " ".join(c) or "vnextract")
def test_help_shows_two_examples_of_the_command(command, capsys):
    text = _help(command, capsys)
    examples = text.split("examples:", 1)[1].splitlines() if "examples:" in text else []
    runs = [line for line in examples if line.strip().startswith(" ".join(["vnextract", *command]))]
    assert len(runs) >= 2, text


@pytest.mark.parametrize("command", DOCUMENT_COMMANDS + [[]], ids=lambda c: " ".join(c) or "vnextract")
def test_help_lists_every_input_kind(command, capsys):
    text = " ".join(_help(command, capsys).split())
    for kind in (".txt", ".html", ".docx", ".pdf", ".jsonl", "folder", "standard input"):
        assert kind in text, (kind, text)
