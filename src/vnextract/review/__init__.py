"""Records in front of a person: a static review report (highlighted in their
text, with their evidence and the eval's errors), Label Studio tasks to
correct into a gold set, and spans of a spaCy pipeline.

May import: `inputs`, `stages`, `outputs`, `evaluation`, `pipeline`. Never batch.
"""
