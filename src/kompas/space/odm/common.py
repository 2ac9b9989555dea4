"""What OEM, OPM and OCM share: the KVN line tokens, numbers, epochs, time systems and the error type.

A KVN message is read as a list of :class:`Token` (one per non-blank line: a keyword/value pair, a comment, a
block marker such as ``META_START``, or a data line of blank-separated words); an XML message is translated into
the same tokens (:mod:`kompas.space.odm.xmlio`), so one parser per message type checks both encodings with the
same rules and reports the same line numbers a user sees in the file.

Numbers are written with :func:`repr` (the shortest text that reads back to the same float, bit for bit) and
epochs with as many fractional digits as their nanoseconds need, so ``read(write(x)) == x`` holds exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from kompas.rejections import Rejection

#: Most lines (KVN) or elements (XML) read in one file: about 120 MB of ephemeris; a larger file is refused
#: with one rejection rather than read into memory.
MAX_LINES = 1_000_000
#: Longest line read (characters); an ODM line is under 200.
MAX_LINE_CHARS = 10_000

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_MARKER = re.compile(r"^([A-Z]+)_(START|STOP)$")
_NUM = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER = re.compile(f"^{_NUM}$")
_NUMBERS = re.compile(f"^{_NUM}(?: {_NUM})*$")
_UNITS = re.compile(r"^(.*?)\s*\[([^\]]*)\]$")
_EPOCH_TEXT = re.compile(r"^\d{4}-(\d{2}-\d{2}|\d{3})T\d{2}:\d{2}:(\d{2}|60)(\.\d+)?Z?$")


class OdmError(ValueError):
    """A malformed Orbit Data Message: :attr:`rejections` says where (source, line, keyword) and why."""

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        self.rejections = list(rejections)
        first = str(self.rejections[0]) if self.rejections else "malformed message"
        more = f" (and {len(self.rejections) - 1} more)" if len(self.rejections) > 1 else ""
        super().__init__(first + more)


@dataclass(frozen=True, slots=True)
class Token:
    """One line of a message: ``kind`` is ``kv`` (keyword = value), ``comment``, ``start``/``stop`` (a block
    marker; ``key`` names the block, e.g. ``META``), or ``data`` (``words`` holds the blank-separated values)."""

    line: int
    kind: str
    key: str = ""
    value: str = ""
    words: tuple[str, ...] = ()
    units: str = ""


def tokenize_kvn(text: str, source: str) -> list[Token]:
    """The tokens of a KVN message; raises :class:`OdmError` for a line that is none of the four kinds."""
    tokens: list[Token] = []
    problems: list[Rejection] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            raise OdmError([Rejection(source, number, "", f"more than {MAX_LINES} lines (MAX_LINES); not read")])
        if len(raw) > MAX_LINE_CHARS:
            problems.append(Rejection(source, number, "", f"line longer than {MAX_LINE_CHARS} characters"))
            continue
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if line == "COMMENT" or line.startswith(("COMMENT ", "COMMENT\t", "COMMENT=")):
            text = line[7:].strip()
            if text[:2] in ("= ", "=\t"):  # "COMMENT = text" (OCMExample3): the text, as Orekit reads it
                text = text[1:].strip()
            tokens.append(Token(number, "comment", "COMMENT", text))
            continue
        marker = _MARKER.match(line)
        if marker:
            tokens.append(Token(number, marker.group(2).lower(), marker.group(1)))
            continue
        key, sep, value = line.partition("=")
        if sep:
            key = key.strip()
            if not _KEY.match(key):
                problems.append(Rejection(source, number, key[:40], "not a keyword (upper-case letters, digits, _)"))
                continue
            value, units = split_units(key, value.strip())
            tokens.append(Token(number, "kv", key, value, units=units))
            continue
        tokens.append(Token(number, "data", words=tuple(line.split())))
    if problems:
        raise OdmError(problems)
    return tokens


def split_units(key: str, value: str) -> tuple[str, str]:
    """``"6655.99 [km]"`` -> ``("6655.99", "km")``; a value that is a unit list (``TRAJ_UNITS``) is kept whole."""
    if key.endswith("_UNITS"):
        return value, ""
    match = _UNITS.match(value)
    if match and match.group(1):
        return match.group(1), match.group(2).strip()
    return value, ""


def parse_number(text: str) -> float:
    """A CCSDS real (``[+-]digits[.digits][e[+-]digits]``); raises ValueError otherwise (no inf/nan)."""
    if not _NUMBER.match(text.strip()):
        raise ValueError("not a number")
    return float(text)


def parse_numbers(words: tuple[str, ...] | list[str]) -> list[float] | None:
    """Several CCSDS reals at once (one regular-expression match for a whole data line); None when any is not one
    (then check them one by one with :func:`parse_number` to say which)."""
    if not _NUMBERS.match(" ".join(words)):
        return None
    return [float(w) for w in words]


def parse_epoch(text: str) -> np.datetime64:
    """A CCSDS epoch (``YYYY-MM-DDThh:mm:ss[.f][Z]`` or ``YYYY-DDDThh:mm:ss[.f][Z]``) as datetime64[ns]."""
    value = text.strip()
    if not _EPOCH_TEXT.match(value):
        raise ValueError("not a CCSDS epoch (YYYY-MM-DDThh:mm:ss[.f] or YYYY-DDDThh:mm:ss[.f])")
    value = value.rstrip("Z")
    if ":60" in value[14:19]:
        raise ValueError("a leap second (ss = 60) cannot be a state epoch here")
    date, _, clock = value.partition("T")
    if len(date) == 8:  # day of year
        day = np.datetime64(date[:4] + "-01-01", "D") + np.timedelta64(int(date[5:]) - 1, "D")
        date = str(day)
    head, _, frac = clock.partition(".")
    if len(frac) > 9 and frac[9:].strip("0"):
        raise ValueError("more than 9 significant fractional digits (finer than a nanosecond)")
    try:
        parsed = np.datetime64(f"{date}T{head}", "s").astype("datetime64[ns]")
    except ValueError:
        raise ValueError("not a valid date or time of day") from None
    if int(head[:2]) > 23 or int(head[3:5]) > 59 or int(head[6:8]) > 59 or str(parsed)[:10] != date:
        raise ValueError("not a valid date or time of day")
    return parsed + np.timedelta64(int((frac + "000000000")[:9]), "ns")


def is_epoch_text(text: str) -> bool:
    """Whether a keyword value has the shape of a CCSDS epoch (a leap second included)."""
    return bool(_EPOCH_TEXT.match(text.strip()))


def format_epoch(epoch: np.datetime64) -> str:
    """An epoch with just the fractional digits its nanoseconds need (reads back to the same datetime64[ns])."""
    text = np.datetime_as_string(epoch.astype("datetime64[ns]"), unit="ns")
    head, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{head}.{frac}" if frac else head


def format_number(value: float) -> str:
    """The shortest decimal text that reads back to the same float (Python's repr), in CCSDS syntax."""
    text = repr(float(value))
    if text in ("nan", "inf", "-inf"):
        raise ValueError(f"{text} cannot be written in an ODM")
    return text


def kvn_lines(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """``KEY = value`` lines, keywords padded to one column."""
    items = list(pairs)
    width = max((len(k) for k, _ in items), default=0)
    return [f"{k.ljust(width)} = {v}" for k, v in items]


def comment_lines(comments: Iterable[str]) -> list[str]:
    """``COMMENT text`` lines."""
    return [f"COMMENT {c}".rstrip() for c in comments]


# --- time systems --------------------------------------------------------------------------------

#: Time systems converted to UTC by :func:`to_utc` (astropy's time scales; GPS is TAI - 19 s).
CONVERTIBLE_TIME_SYSTEMS = ("UTC", "TAI", "GPS", "TT", "TDB", "TCG", "TCB")


def to_utc(epochs: np.ndarray, time_system: str) -> np.ndarray:
    """Epochs (datetime64[ns]) in a CCSDS TIME_SYSTEM converted to UTC; raises ValueError naming a time system
    that cannot be converted without more data (UT1, MRT, GMST, SCLK, MET, MTC, TCB is converted)."""
    system = time_system.strip().upper()
    values = np.asarray(epochs, dtype="datetime64[ns]")
    if system == "UTC":
        return values.copy()
    if system not in CONVERTIBLE_TIME_SYSTEMS:
        raise ValueError(f"time system {time_system} cannot be converted to UTC (convertible: "
                         f"{', '.join(CONVERTIBLE_TIME_SYSTEMS)})")
    from astropy.time import Time  # deferred: astropy is slow to import and only needed here

    if system == "GPS":
        values, system = values + np.timedelta64(19, "s"), "TAI"
    if values.size == 0:
        return values
    utc = Time(values, format="datetime64", scale=system.lower()).utc
    return np.asarray(utc.datetime64, dtype="datetime64[ns]")
