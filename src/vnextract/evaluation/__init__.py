"""Scoring predicted records against a gold set (SPEC §4).

May import: `outputs` (reading records files), `folding`. Never stages, batch or review.
"""
