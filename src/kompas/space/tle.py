"""Two-line element sets (TLE), with or without a title line (3LE), Alpha-5 catalogue numbers.

Layout (columns 1-based, as in the Space-Track and CelesTrak documentation)::

    1 NNNNNC NNNNNAAA NNNNN.NNNNNNNN +.NNNNNNNN +NNNNN-N +NNNNN-N N NNNNN
    2 NNNNN NNN.NNNN NNN.NNNN NNNNNNN NNN.NNNN NNN.NNNN NN.NNNNNNNNNNNNNN

Every line is checked for its number, length (69 characters; trailing blanks and CR ignored), blank
separator columns, modulo-10 checksum (digits count their value, ``-`` counts 1) and each numeric field.
A title line may be bare (CelesTrak) or prefixed ``0 `` (Space-Track 3LE). Lines starting with ``#`` are
comments. Every problem is returned as a :class:`~kompas.space.elements.Rejection`; parsing goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from sgp4.alpha5 import from_alpha5, to_alpha5

from kompas.rejections import Rejection
from kompas.space.elements import ElementSet, epoch_from_year_day, is_digits, validate
from kompas.times import now_utc as clock_utc

# Columns that must be blank, 0-based, per line number.
_BLANKS = {"1": (1, 8, 17, 32, 43, 52, 61, 63), "2": (1, 7, 16, 25, 33, 42, 51)}
_ALPHA5 = set("ABCDEFGHJKLMNPQRSTUVWXYZ")


def checksum(line: str) -> int:
    """Modulo-10 checksum of the first 68 characters of a TLE line."""
    total = 0
    for ch in line[:68]:
        if is_digits(ch):
            total += ord(ch) - 48
        elif ch == "-":
            total += 1
    return total % 10


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str


class _FieldError(ValueError):
    def __init__(self, field: str, value: str, reason: str):
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


def _float(text: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _FieldError(field, text.strip(), "not a number") from None


def _int(text: str, field: str, blank_ok: bool = True) -> int:
    stripped = text.strip()
    if not stripped and blank_ok:
        return 0
    if not is_digits(stripped.lstrip("+-")):
        raise _FieldError(field, stripped, "not an integer")
    return int(stripped)


def _implied_decimal(text: str, field: str) -> float:
    """``" 12345-3"`` -> 0.12345e-3 (TLE 'assumed decimal point' notation)."""
    body = text.strip()
    if not body:
        return 0.0
    sign = -1.0 if body[0] == "-" else 1.0
    body = body.lstrip("+-")
    if len(body) < 2 or body[-2] not in "+-" or not is_digits(body[:-2]) or not is_digits(body[-1]):
        raise _FieldError(field, text.strip(), "not in the assumed-decimal form ±NNNNN±N")
    mantissa, exponent = body[:-2], int(body[-2:])
    return sign * float("0." + mantissa) * 10.0**exponent


def _catalogue_number(text: str, field: str) -> int:
    raw = text.strip()
    if not raw:
        raise _FieldError(field, text, "missing catalogue number")
    if raw[0] in _ALPHA5 and is_digits(raw[1:]) and len(raw) == 5:
        return from_alpha5(raw)
    if is_digits(raw):
        return int(raw)
    raise _FieldError(field, raw, "not a catalogue number (digits or Alpha-5)")


def _check_layout(line: _Line, expected: str, source: str, check_checksum: bool = True) -> Rejection | None:
    text = line.text
    if len(text) != 69:
        return Rejection(source, line.number, f"line {expected}", f"has {len(text)} characters, expected 69",
                         text)
    for col in _BLANKS[expected]:
        if text[col] != " ":
            return Rejection(source, line.number, f"line {expected} column {col + 1}", "must be blank", text[col])
    if not check_checksum:
        return None
    if not is_digits(text[68]):
        return Rejection(source, line.number, f"line {expected} checksum", "not a digit", text[68])
    expected_sum = checksum(text)
    if int(text[68]) != expected_sum:
        return Rejection(source, line.number, f"line {expected} checksum",
                         f"is {text[68]}, computed {expected_sum}", text[68])
    return None


def _elements(name: str, l1: _Line, l2: _Line, source: str) -> ElementSet:
    a, b = l1.text, l2.text
    norad1 = _catalogue_number(a[2:7], "line 1 catalogue number")
    norad2 = _catalogue_number(b[2:7], "line 2 catalogue number")
    if norad1 != norad2:
        raise _FieldError("line 2 catalogue number", b[2:7], f"differs from line 1 ({a[2:7]})")
    year2 = _int(a[18:20], "epoch year", blank_ok=False)
    day = _float(a[20:32], "epoch day")
    if not 1.0 <= day < 367.0:
        raise _FieldError("epoch day", a[20:32].strip(), "must be in [1, 367)")
    year = year2 + (1900 if year2 >= 57 else 2000)
    launch = a[9:17].strip()
    intl = ""
    if launch:
        launch_year = int(launch[:2]) + (1900 if int(launch[:2]) >= 57 else 2000) if is_digits(launch[:2]) else 0
        intl = f"{launch_year:04d}-{launch[2:]}" if launch_year else launch
    return ElementSet(
        norad_id=norad1,
        epoch_utc=epoch_from_year_day(year, day),
        mean_motion_rev_day=_float(b[52:63], "mean motion"),
        eccentricity=_eccentricity(b[26:33]),
        inclination_deg=_float(b[8:16], "inclination"),
        raan_deg=_float(b[17:25], "right ascension of the ascending node"),
        arg_perigee_deg=_float(b[34:42], "argument of perigee"),
        mean_anomaly_deg=_float(b[43:51], "mean anomaly"),
        bstar_per_earth_radii=_implied_decimal(a[53:61], "bstar"),
        mean_motion_dot_rev_day2=_float(a[33:43], "mean motion dot"),
        mean_motion_ddot_rev_day3=_implied_decimal(a[44:52], "mean motion ddot"),
        name=name,
        intl_designator=intl,
        classification=a[7] if a[7] != " " else "U",
        element_set_no=_int(a[64:68], "element set number"),
        rev_at_epoch=_int(b[63:68], "revolution number"),
        ephemeris_type=_int(a[62], "ephemeris type"),
        source=f"{source}:{l1.number}",
    )


def _eccentricity(text: str) -> float:
    """``"0012345"`` -> 0.0012345 (7 digits, assumed leading decimal point)."""
    if len(text) != 7 or not is_digits(text):
        raise _FieldError("eccentricity", text, "must be 7 digits (assumed leading decimal point)")
    return float("0." + text)


#: Fields printed on line 2: their rejections point at line 2's number.
_LINE2_FIELDS = {"line 2 catalogue number", "mean motion", "eccentricity", "inclination",
                 "right ascension of the ascending node", "argument of perigee", "mean anomaly", "revolution number"}

_VALIDATE_FIELDS = {
    "MEAN_MOTION": "mean motion",
    "ECCENTRICITY": "eccentricity",
    "INCLINATION": "inclination",
    "RA_OF_ASC_NODE": "right ascension of the ascending node",
    "ARG_OF_PERICENTER": "argument of perigee",
    "MEAN_ANOMALY": "mean anomaly",
    "BSTAR": "bstar",
    "EPOCH": "epoch",
    "NORAD_CAT_ID": "catalogue number",
}


def parse_tle(text: str, source: str = "<text>", now_utc: np.datetime64 | None = None, *,
              check_checksum: bool = True) -> tuple[list[ElementSet], list[Rejection]]:
    """Parse TLE/3LE text into element sets and rejections (nothing raised, nothing dropped silently).

    ``source`` names the input in rejections (usually the file path); ``now_utc`` bounds future epochs.
    ``check_checksum=False`` accepts wrong checksums (only for hand-edited test sets such as Vallado's).
    """
    elsets: list[ElementSet] = []
    rejections: list[Rejection] = []
    now = now_utc if now_utc is not None else clock_utc()
    for item in _records(text, source):
        if isinstance(item, Rejection):
            rejections.append(item)
            continue
        name, l1, l2 = item
        layout = _check_layout(l1, "1", source, check_checksum) or _check_layout(l2, "2", source, check_checksum)
        if layout:
            rejections.append(layout)
            continue
        try:
            elset = _elements(name, l1, l2, source)
        except _FieldError as err:
            line = l2.number if err.field in _LINE2_FIELDS else l1.number
            rejections.append(Rejection(source, line, err.field, err.reason, err.value))
            continue
        problems = validate(elset, source, l1.number, now)
        for p in problems:
            field_name = _VALIDATE_FIELDS.get(p.field, p.field)
            line = l2.number if field_name in _LINE2_FIELDS else l1.number
            rejections.append(Rejection(p.source, line, field_name, p.reason, p.value))
        if problems:
            continue
        elsets.append(elset)
    return elsets, rejections


def _records(text: str, source: str) -> Iterator[tuple[str, _Line, _Line] | Rejection]:
    """Group lines into (title, line 1, line 2); yield a rejection for every line that fits nowhere."""
    pending_name: _Line | None = None
    pending_l1: _Line | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("1 "):
            if pending_l1:
                yield Rejection(source, pending_l1.number, "line 2", "missing after line 1", pending_l1.text[:20])
            pending_l1 = _Line(number, line)
        elif line.startswith("2 "):
            if pending_l1 is None:
                yield Rejection(source, number, "line 1", "missing before line 2", line[:20])
                pending_name = None
                continue
            name = ""
            if pending_name is not None and pending_name.number == pending_l1.number - 1:
                title = pending_name.text
                name = (title[2:] if title.startswith("0 ") else title).strip()
            elif pending_name is not None:
                yield Rejection(source, pending_name.number, "title line", "not followed by a TLE",
                                pending_name.text[:30])
            yield name, pending_l1, _Line(number, line)
            pending_name = pending_l1 = None
        else:
            if pending_l1:
                yield Rejection(source, pending_l1.number, "line 2", "missing after line 1", pending_l1.text[:20])
                pending_l1 = None
            if pending_name is not None:
                yield Rejection(source, pending_name.number, "title line", "not followed by a TLE",
                                pending_name.text[:30])
            pending_name = _Line(number, line)
    if pending_l1:
        yield Rejection(source, pending_l1.number, "line 2", "missing after line 1 (end of input)",
                        pending_l1.text[:20])
    elif pending_name is not None:
        yield Rejection(source, pending_name.number, "title line", "not followed by a TLE (end of input)",
                        pending_name.text[:30])


def format_tle(elset: ElementSet) -> tuple[str, str]:
    """Write an element set back as the two TLE lines (checksums computed)."""
    year = int(str(elset.epoch_utc)[:4])
    start = np.datetime64(f"{year:04d}-01-01T00:00:00", "ns")
    day = 1.0 + (elset.epoch_utc - start) / np.timedelta64(86_400_000_000_000, "ns")
    intl = elset.intl_designator
    intl_tle = f"{intl[2:4]}{intl[5:]}" if len(intl) > 5 and intl[4] == "-" else intl
    catno = to_alpha5(elset.norad_id)

    def implied(value: float) -> str:
        if value == 0.0:
            return " 00000+0"
        mantissa, exponent = f"{abs(value):.4e}".split("e")
        digits = mantissa.replace(".", "")
        exp = int(exponent) + 1
        if digits == "100000":
            digits, exp = "10000", exp + 1
        return f"{'-' if value < 0 else ' '}{digits[:5]}{'-' if exp < 0 else '+'}{abs(exp)}"

    ndot = f"{elset.mean_motion_dot_rev_day2:.8f}".replace("0.", ".", 1)
    ndot = ndot if ndot.startswith("-") else " " + ndot
    line1 = (f"1 {catno}{elset.classification or 'U'} {intl_tle:<8} {year % 100:02d}{day:012.8f} {ndot:>10} "
             f"{implied(elset.mean_motion_ddot_rev_day3)} {implied(elset.bstar_per_earth_radii)} "
             f"{elset.ephemeris_type:1d} {elset.element_set_no % 10000:4d}")
    ecc = f"{elset.eccentricity:.7f}"[2:]
    line2 = (f"2 {catno} {elset.inclination_deg:8.4f} {elset.raan_deg:8.4f} {ecc} {elset.arg_perigee_deg:8.4f} "
             f"{elset.mean_anomaly_deg:8.4f} {elset.mean_motion_rev_day:11.8f}{elset.rev_at_epoch % 100000:5d}")
    return line1 + str(checksum(line1)), line2 + str(checksum(line2))
