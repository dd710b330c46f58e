"""Inputs → documents: files, folders, JSONL and standard input read into NFC
text, with the metadata (subject locality, year) a sheet or a line gives.

May import: `rules`, `folding`, `gazetteer`, `progress`, `workbooks`. Never the stages, outputs, batch or review.
"""
