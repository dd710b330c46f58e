"""Records → files and tables: JSONL, CSV (for Excel), Parquet, DataFrame, and
reading them back.

May import: `stages` (the record type), `rules`, `folding`, `workbooks`. Never batch, evaluation or review.
"""
