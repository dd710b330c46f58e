"""What vnextract reads: the suffixes a folder is searched for, and the same
said to a person (in `--help` and in every message about a file it cannot
read). What such a file is instead is told from its first bytes
(`rules/file_kinds.yaml`, read by `inputs/documents.py`). Kept free of heavy
imports: the command line's `--help` reads it.
"""
from __future__ import annotations

# The file suffixes read as documents (a folder is searched for these); .ods gives an error saying to save as .xlsx.
INPUT_SUFFIXES = (".txt", ".jsonl", ".html", ".htm", ".docx", ".pdf", ".xlsx", ".ods")
# The same, said to a person.
READS = ("text files (.txt, UTF-8 or a legacy Vietnamese code page), saved pages (.html, .htm), "
         "Word documents (.docx), PDF files with a text layer (.pdf), Excel workbooks (.xlsx), "
         "JSONL files (.jsonl) and folders of them")
READABLE = f"vnextract reads {READS}, and - (standard input)"
