"""The extraction stages, one module each, in pipeline order: segmentation,
numbers, units, quantities, tables, cues, periods, localities, indicators, records.

May import: `inputs` (for document metadata), `rules`, `folding`, `gazetteer`.
Never batch, outputs, evaluation or review.
"""
