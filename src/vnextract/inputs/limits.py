"""Hard limits on what one input may cost, checked before it is inflated.

A small file can unpack into gigabytes (a zip bomb `.docx`), hold millions
of empty paragraphs, or declare a hundred thousand PDF pages. Each bound is
checked from what the file declares (its size on disk, the sizes in a zip
package's directory, a PDF's page count) before the costly step runs, and
each one is an option: the error names the limit and the option that raises
it. Reading runs in the batch workers under `--timeout` as well, which bounds
what these do not.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MB = 1_000_000
JSON_BYTES_PER_CHAR = 12  # the most an escaped JSON string spends on a character: `\ud835\udfcf`


class LimitError(ValueError):
    """An input over one of the limits; the message names the option that raises it."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds on one input (see the module docstring); the CLI option of each field is
    `--max-` + its name with dashes (`file_mb` → `--max-file-mb`)."""

    file_mb: float = 100.0  # a file as stored (a .docx, .pdf, .html, .txt)
    part_mb: float = 10.0  # one part of a .docx, unpacked (document.xml, where the text is)
    unpacked_mb: float = 200.0  # all parts of a .docx together, unpacked
    pages: int = 2_000  # pages of a PDF
    chars: int = 5_000_000  # characters of a document's text

    def over(self, what: str, amount: str, field: str, limit: str) -> LimitError:
        option = "--max-" + field.replace("_", "-")
        return LimitError(f"{what} is {amount}, over the limit of {limit} ({option}); "
                          f"if the file is trusted, raise it, e.g. {option} {_raised(getattr(self, field))}")

    def check_file_size(self, size: int) -> None:
        if size > self.file_mb * MB:
            raise self.over("the file", _mb(size), "file_mb", _mb(self.file_mb * MB))

    def check_chars(self, count: int, what: str = "the text") -> None:
        if count > self.chars:
            raise self.over(what, f"{count:,} characters", "chars", f"{self.chars:,}")

    def check_encoded_text(self, size: int, per_char: int = 4, what: str = "the text") -> None:
        """A text of `size` bytes holds at least size / `per_char` characters:
        4 in any encoding, 12 in a JSON line (a character escaped as a
        surrogate pair, `\\ud835\\udfcf`)."""
        if size // per_char > self.chars:
            raise self.over(what, f"at least {size // per_char:,} characters ({_mb(size)})", "chars",
                            f"{self.chars:,}")

    def json_line_bytes(self) -> int:
        """The longest JSON line that can hold a text within the character limit."""
        return JSON_BYTES_PER_CHAR * (self.chars + 1) + MB  # and its other fields

    def check_pages(self, count: int) -> None:
        if count > self.pages:
            raise self.over("the PDF", f"{count:,} pages", "pages", f"{self.pages:,}")

    def check_package(self, package: zipfile.ZipFile) -> None:
        """The sizes a zip package's directory declares, part by part and in
        total; Python's zipfile never unpacks a part past its declared size."""
        total = 0
        for info in package.infolist():
            if info.file_size > self.part_mb * MB:
                raise self.over(f"the part {info.filename}", f"{_mb(info.file_size)} unpacked", "part_mb",
                                _mb(self.part_mb * MB))
            total += info.file_size
        if total > self.unpacked_mb * MB:
            raise self.over("the package", f"{_mb(total)} unpacked", "unpacked_mb", _mb(self.unpacked_mb * MB))


DEFAULT_LIMITS = Limits()


def check_office_package(data: bytes, limits: Limits, error: type[Exception], old: str, app: str, kind: str,
                         suffix: str) -> None:
    """An Office file (.docx, .xlsx) is a zip package within `limits`, checked
    from its directory before anything is unpacked; else `error` saying what
    it is instead: `old` for an old binary or password-protected file, or no
    zip, or a damaged one. `app` ("Word"), `kind` ("Word document") and
    `suffix` (".docx") name it."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise error(old)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise error(f"not {'an' if app[0] in 'AEIOU' else 'a'} {app} {suffix} file "
                    f"({'an' if suffix[1] in 'aeiox' else 'a'} {suffix} is a zip package; this file is not one)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            limits.check_package(package)
    except zipfile.BadZipFile as err:
        raise error(f"a damaged zip package, not a readable {kind} ({err})") from None


def _mb(size: float) -> str:
    value = size / MB
    return f"{value:,.0f} MB" if value >= 10 else f"{value:.3g} MB"


def _raised(value: float) -> str:
    return f"{value * 10:g}"
