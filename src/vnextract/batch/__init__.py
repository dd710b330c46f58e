"""Batch runs: ordering, resume, local worker processes, output sinks, the Dask engine.

May import: `inputs`, `stages`, `outputs`, `pipeline` and the top-level helpers.
Never evaluation or review.
"""
