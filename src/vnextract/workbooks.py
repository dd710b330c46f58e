"""The first sheet of an Excel workbook, row by row: the one reader of the
metadata sheets, the records workbooks and a workbook's header row.

It reads the cells the file stores, not the extent the file claims: a sheet
whose one far cell sits at XFD1048576 claims 16,384 columns by 1,048,576
rows, and a reader that walks that grid never ends. Whatever goes wrong while
the workbook is opened or its rows are read (zip, XML and openpyxl's own
errors) is a `WorkbookError`, which the caller names with its file.
"""
from __future__ import annotations

import io
import os
from contextlib import contextmanager
from typing import Iterator


class WorkbookError(ValueError):
    """A workbook that cannot be read; the message says what failed."""


@contextmanager
def first_sheet_rows(workbook: "bytes | str | os.PathLike") -> Iterator[Iterator[tuple]]:
    """The rows of the first sheet, each a tuple of cell values as far as its
    last stored cell, in a read-only workbook closed on leaving the block.
    A ValueError the caller raises inside the block passes through."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook,
                             read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - zipfile, XML and openpyxl's own errors alike
        raise WorkbookError(f"not a readable Excel workbook ({type(err).__name__}: {err})") from None
    try:
        if not book.worksheets:
            yield iter(())
            return
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        yield sheet.iter_rows(values_only=True)
    except ValueError:
        raise
    except Exception as err:  # noqa: BLE001 - met while the rows are read
        raise WorkbookError(f"not a readable Excel workbook ({type(err).__name__}: {err})") from None
    finally:
        book.close()
