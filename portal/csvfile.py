"""What the portal's CSV imports (cases, staff) share: decoding the file, reading its records
with their line numbers, naming its columns, and an error tied to a line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

NOT_UTF8 = "the file is not UTF-8 text: save it as a CSV file in UTF-8 and try again"


@dataclass(frozen=True)
class RowError:
    """Why one line of the file cannot be imported (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class BadCsv(Exception):
    """The file is not valid CSV; *row_error* says where."""

    def __init__(self, row_error: RowError) -> None:
        super().__init__(str(row_error))
        self.row_error = row_error


def decode(data: bytes) -> tuple[str, RowError | None]:
    """*data* as UTF-8 text (with or without a byte order mark), or an error on the line
    where the first bad byte is."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return "", RowError(data[: error.start].count(b"\n") + 1, NOT_UTF8)


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line where the record starts, cells) of the CSV *text*, skipping blank lines
    and empty rows; raise :class:`BadCsv` where the text stops being CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise BadCsv(RowError(start, f"the file is not valid CSV: {error}")) from error
        if any(cell.strip() for cell in cells):
            yield start, cells


def column_name(heading: str) -> str:
    """A header cell as a column name: trimmed, lower case, spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", heading.strip()).casefold()
