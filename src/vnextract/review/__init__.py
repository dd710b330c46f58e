"""Records in front of a person: highlighted in their text (displaCy), as
Label Studio tasks to correct into a gold set, and as spans of a spaCy pipeline.

May import: `inputs`, `stages`, `outputs`, `evaluation`, `pipeline`. Never batch.
"""
