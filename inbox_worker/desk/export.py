"""`leads export`: leads as CSV for a spreadsheet or JSON for a program.

The columns come in one fixed order (EXPORT_COLUMNS), so a sheet or script
built on an export keeps working with the next. CSV is UTF-8 with a byte
order mark and CRLF line ends, which is what makes Excel read accents
right on a double click. A text cell that starts with =, +, -, @, a tab or a
carriage return is prefixed with a single quote, so no spreadsheet ever runs
what a stranger typed as their name (CSV/formula injection, OWASP); this
includes phone numbers written +31..., which then show as text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

EXPORT_COLUMNS = (
    "id",
    "email",
    "name",
    "organisation",
    "org_type",
    "phone",
    "participants",
    "language",
    "status",
    "opted_out",
    "created",
    "updated",
    "messages",
    "last_message",
    "replies_sent",
    "bookings",
    "notes",
)

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text a spreadsheet would read as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# What `--delimiter` accepts: a comma, or the semicolon Excel expects where a
# comma is the decimal sign (Dutch, German, French settings), or a tab.
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}


def write_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    out: TextIO,
    *,
    delimiter: str = ",",
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """The one CSV writer of every command: BOM, header, CRLF, formula-safe cells.

    `out` must be opened with newline="" (the csv module writes the CRLF).
    Returns the number of rows written.
    """
    out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralise(row.get(c)) for c in columns])
        count += 1
        progress(1)
    return count


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    out: TextIO,
    *,
    delimiter: str = ",",
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Write the header and one line per lead; returns the number of leads."""
    return write_table(rows, EXPORT_COLUMNS, out, delimiter=delimiter, progress=progress)


def write_json(
    rows: Iterable[Mapping[str, Any]],
    out: TextIO,
    *,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """A JSON array with one lead object per line: valid JSON, and diffable."""
    count = 0
    out.write("[")
    for row in rows:
        record = {c: row.get(c) for c in EXPORT_COLUMNS}
        out.write(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
        count += 1
        progress(1)
    out.write("\n]\n")
    return count
