"""UTC times and dates as Kompas reads, computes with, stores and prints them.

- In memory a time is a ``numpy.datetime64`` with nanosecond unit (``datetime64[ns]``), UTC, no time zone.
- **Stored form** (database columns, sortable as text): ISO 8601 with nanoseconds and ``Z``,
  ``2026-05-01T12:00:00.000000000Z`` (:func:`utc_text_ns`).
- **JSON form** (files, API responses, reports): ISO 8601 with milliseconds and ``Z``, ``2026-05-01T12:00:00.000Z``
  (:func:`utc_text_ms`, :func:`format_time_utc` for arrays).
- **Input**: ISO 8601 with ``Z``, ``+00:00`` or no suffix, any precision (:func:`parse_time_utc`).
- **Dates** (UTC calendar days) are ``datetime.date``, written ``YYYY-MM-DD`` (:func:`parse_date`); a day's start
  as a time is ``YYYY-MM-DDT00:00:00Z`` (:func:`day_start_utc`).
"""

from __future__ import annotations

import re
import time
from datetime import date
from typing import Any

import numpy as np

#: The JSON form's pattern (what :func:`utc_text_ms` writes), for schemas and checks.
UTC_MS_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"


#: The span of ``datetime64[ns]`` (1677-09-21 to 2262-04-11), with a day's margin: a later or earlier time would
#: wrap around silently (year 2999 became 1829) rather than fail.
MIN_UTC = np.datetime64("1677-09-22", "us")
MAX_UTC = np.datetime64("2262-04-10", "us")


def parse_time_utc(text: str) -> np.datetime64:
    """Parse an ISO 8601 UTC time (``Z`` or ``+00:00`` suffix optional) to ``datetime64[ns]``.

    Raises ``ValueError`` with a readable message on anything else.
    """
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1]
    elif cleaned.endswith("+00:00"):
        cleaned = cleaned[:-6]
    try:
        wide = np.datetime64(cleaned, "us")  # microseconds reach year 294,000: a range check before narrowing
        if not MIN_UTC <= wide <= MAX_UTC:
            raise ValueError(f"{text!r} is outside {MIN_UTC.astype(object).year}-{MAX_UTC.astype(object).year}")
        return np.datetime64(cleaned, "ns")
    except ValueError as error:
        if "is outside" in str(error):
            raise ValueError(f"not a time Kompas can hold: {error} (nanosecond times)") from None
        raise ValueError(f"not an ISO 8601 UTC time: {text!r} (expected e.g. 2026-05-05T00:00:00Z)") from None


_DAY_OF_YEAR = re.compile(r"^(\d{4})-(\d{3})(T.*)?$")


def parse_ccsds_time_utc(text: str) -> np.datetime64:
    """A CCSDS ASCII time (CCSDS 301.0-B-4 ASCII A ``YYYY-MM-DDThh:mm:ss.d`` or B, day of year,
    ``YYYY-DDDThh:mm:ss.d``), UTC, to ``datetime64[ns]``; raises ValueError with a readable message otherwise."""
    cleaned = text.strip()
    found = _DAY_OF_YEAR.match(cleaned.rstrip("Zz"))
    if found is None:
        return parse_time_utc(cleaned)
    year, day, rest = int(found.group(1)), int(found.group(2)), found.group(3) or ""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= (366 if leap else 365):
        raise ValueError(f"not a CCSDS time: {text!r} (day of year {day} out of range)")
    start = parse_time_utc(f"{year:04d}-01-01{rest or 'T00:00:00'}")
    return start + np.timedelta64(day - 1, "D")


def format_time_utc(times_utc: Any) -> np.ndarray:
    """ISO 8601 strings with milliseconds and ``Z`` (the JSON form) for an array of ``datetime64`` UTC times."""
    text = np.datetime_as_string(np.asarray(times_utc, dtype="datetime64[ms]"), unit="ms")
    return np.char.add(text, "Z")


def utc_text_ms(time_utc: np.datetime64 | str) -> str:
    """One time in the JSON form: ``YYYY-MM-DDTHH:MM:SS.fffZ`` (truncated to the millisecond)."""
    return str(format_time_utc(np.array([time_utc], dtype="datetime64[ns]"))[0])


def utc_text_ns(time_utc: np.datetime64 | str) -> str:
    """One time in the stored form: ``YYYY-MM-DDTHH:MM:SS.fffffffffZ`` (fixed width, sorts as text)."""
    return str(np.datetime_as_string(np.array([time_utc], dtype="datetime64[ns]"), unit="ns")[0]) + "Z"


def as_ns(time_utc: np.datetime64 | str) -> np.datetime64:
    """A ``datetime64`` of any unit (or an ISO 8601 text without zone) as ``datetime64[ns]``."""
    if isinstance(time_utc, np.datetime64):
        return time_utc.astype("datetime64[ns]")
    return np.datetime64(time_utc, "ns")


def now_utc() -> np.datetime64:
    """The clock's current UTC time, ``datetime64[ns]``."""
    return np.datetime64(time.time_ns(), "ns")


def now_text_ns() -> str:
    """The clock's current UTC time in the stored form (:func:`utc_text_ns`)."""
    return utc_text_ns(now_utc())


def parse_date(text: str) -> date:
    """A UTC calendar date from ``YYYY-MM-DD`` (exactly that form); ``ValueError`` naming the text otherwise."""
    if not (isinstance(text, str) and len(text) == 10):
        raise ValueError(f"not a date YYYY-MM-DD: {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date YYYY-MM-DD: {text!r}") from None


def is_date(text: str) -> bool:
    """True for a calendar date written ``YYYY-MM-DD``."""
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def day_start_utc(day: date | int) -> str:
    """The start of a UTC day (a ``date`` or its ``toordinal()``) as ``YYYY-MM-DDT00:00:00Z``."""
    as_date = date.fromordinal(day) if isinstance(day, int) else day
    return as_date.isoformat() + "T00:00:00Z"

