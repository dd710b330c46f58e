"""Explaining records to a person: the records highlighted in their text.

May import: `inputs`, `stages`, `outputs`, `evaluation`, `pipeline`. Never batch.
"""
