"""One type for every rejected input record, whatever the domain or the format.

Bad input never crashes a batch and is never dropped silently (DESIGN.md): readers return the good records and one
:class:`Rejection` per bad one, naming its source (file, upload or feed), its place in that source, the field, the
reason and the offending value. Adapters print a rejection as ``str(rejection)`` and serialise it with
:meth:`Rejection.as_dict`.

Places come in two units:

- ``"line"``: a line of a text file (TLE, CSV, OMM KVN), printed ``SOURCE:LINE: field: reason (got 'value')``,
  as compilers do, so editors can jump to it;
- ``"item"``: the N-th record of a JSON or YAML list (1-based), printed ``SOURCE: item N: field: reason``; the
  reasons of these records name the offending value themselves, so it is not repeated.

Line or item 0 means the source as a whole (a missing column, a file that is not JSON): ``SOURCE: reason`` for
items; ``SOURCE:0: field: reason`` for lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["line", "item"]


@dataclass(frozen=True, slots=True)
class Rejection:
    """One rejected record: where it was, which field, what value and why."""

    source: str  #: file path, upload name or feed the record came from
    line: int  #: line (unit "line") or 1-based record number (unit "item"); 0: the source as a whole
    field: str  #: the field (column, key) found wrong; "" when the record as a whole is
    reason: str  #: why, in words a contributor can act on
    value: str = ""  #: the offending value as read ("" when absent or not a single value)
    unit: Unit = "line"  #: what ``line`` counts (see the module docstring)

    def __str__(self) -> str:
        if self.unit == "item":
            where = f"{self.source}: item {self.line}" if self.line else self.source
            return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"
        shown = f" (got {self.value!r})" if self.value else ""
        return f"{self.source}:{self.line}: {self.field}: {self.reason}{shown}"

    def as_dict(self) -> dict[str, str | int]:
        """The JSON form (the API's ``RejectionOut``): source, line, field, reason, value."""
        return {"source": self.source, "line": self.line, "field": self.field, "reason": self.reason,
                "value": self.value}
