"""Records → files and tables: JSONL, CSV (for Excel), Parquet, DataFrame, and
reading them back.

May import: `stages` (the record type), `rules`, `folding`. Never batch, evaluation or review.
"""
