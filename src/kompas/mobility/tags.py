"""OpenStreetMap tag values read into Kompas units (pure: strings in, numbers out).

Every reader returns ``(value, reason)``: ``(value, None)`` when the tag was read, ``(None, None)`` when the tag says
there is no posted limit or is absent (``none``, ``unsigned``, ``default``...: nothing to complain about, and the
limit stays unknown), ``(None, reason)`` when the value cannot be read; the reason names the value and says why, for a
:class:`~kompas.rejections.Rejection`.

The units follow the OSM wiki pages of each key (``Key:maxweight``, ``Key:maxheight``, ``Key:maxspeed``,
``Map_Features/Units``): a bare number is the key's default unit (t, m, km/h); explicit units are written after the
number, with or without a space. Decimals use a dot: a comma is refused (``3,5`` is ambiguous with a thousands
separator, and the wiki asks for a dot). The same choices as the routers' parsers (GraphHopper's ``OSMValueExtractor``,
OSRM's ``profiles/lib/measure.lua``) were read and kept where they agree with the wiki; two differ on purpose:
an approximate value (``~3.5``) is refused rather than scaled down, and a list of values (``12;8``) is refused for
weights and heights (it is a conditional limit a reader cannot resolve) but the lowest is taken for a speed.

Implicit speed limits (``maxspeed=FI:urban``) are resolved with :data:`IMPLICIT_MAXSPEED_KMH`, the general (car)
limits of the OSM wiki page "Default speed limits" (revision 2607051, 2023-10-21, as extracted by
westnordost/osm-legal-default-speeds, CC BY-SA 2.0). A zone the table lacks is refused, naming it.
"""

from __future__ import annotations

import math
import re

Reading = tuple[float | None, str | None]

SHORT_TON_T = 0.90718474  #: one US short ton (2,000 lb) in metric tonnes
LONG_TON_T = 1.0160469088  #: one imperial long ton (2,240 lb) in metric tonnes
POUND_T = 0.00045359237  #: one pound in metric tonnes
FOOT_M = 0.3048  #: one international foot in metres
INCH_M = 0.0254  #: one inch in metres
MPH_KMH = 1.609344  #: one mile per hour in km/h
KNOT_KMH = 1.852  #: one knot in km/h
WALK_KMH = 6.0  #: ``maxspeed=walk`` (walking pace), taken as 6 km/h

#: Values that mean "no posted limit" or "not known": read as None without a complaint.
NO_LIMIT = frozenset({"none", "no", "unsigned", "default", "unknown", "unlimited", "unrestricted", "no_sign",
                      "no_indications", "below_default", "signals", "variable", "implicit", "fixme"})

#: Plausible ranges; values outside are refused as probable tagging errors (e.g. kg written without a unit).
WEIGHT_RANGE_T = (0.5, 400.0)
AXLE_RANGE_T = (0.5, 60.0)
HEIGHT_RANGE_M = (1.0, 15.0)
WIDTH_RANGE_M = (0.5, 30.0)
SPEED_RANGE_KMH = (1.0, 400.0)
GAUGE_RANGE_MM = (300, 2000)

#: General (car) default speed limits by ``country:zone`` in km/h, from the OSM wiki page "Default speed limits"
#: (revision 2607051, 2023-10-21). ``None``: no general limit (German motorways; ``maxspeed:advisory`` 130 km/h).
#: ``trunk``/``motorroad`` both name the motorroad (expressway) class. Heavy vehicles have lower limits in most
#: countries (e.g. 80 km/h on FI and DE rural roads): a convoy's own speed is set by the force package.
IMPLICIT_MAXSPEED_KMH: dict[str, float | None] = {
    "AT:urban": 50, "AT:rural": 100, "AT:motorway": 130, "AT:trunk": 100, "AT:motorroad": 100,
    "AT:living_street": WALK_KMH,
    "BG:urban": 50, "BG:rural": 90, "BG:motorway": 140, "BG:trunk": 120, "BG:motorroad": 120, "BG:living_street": 20,
    "CZ:urban": 50, "CZ:rural": 90, "CZ:motorway": 130, "CZ:trunk": 110, "CZ:motorroad": 110, "CZ:living_street": 20,
    "DE:urban": 50, "DE:rural": 100, "DE:motorway": None, "DE:living_street": WALK_KMH,
    "DK:urban": 50, "DK:rural": 80, "DK:motorway": 130, "DK:trunk": 80, "DK:motorroad": 80, "DK:living_street": 15,
    "EE:urban": 50, "EE:rural": 90, "EE:living_street": 20,
    "ES:urban": 30, "ES:rural": 90, "ES:motorway": 120, "ES:living_street": 20,
    "FI:urban": 50, "FI:rural": 100, "FI:living_street": 20,
    "FR:urban": 50, "FR:rural": 80, "FR:motorway": 130, "FR:living_street": 20,
    "GR:urban": 50, "GR:rural": 90, "GR:motorway": 130, "GR:trunk": 110, "GR:motorroad": 110,
    "HR:urban": 50, "HR:rural": 90, "HR:motorway": 130, "HR:trunk": 110, "HR:motorroad": 110,
    "HR:living_street": WALK_KMH,
    "HU:urban": 50, "HU:rural": 90, "HU:motorway": 130, "HU:trunk": 110, "HU:motorroad": 110, "HU:living_street": 20,
    "IE:urban": 50, "IE:rural": 80, "IE:motorway": 120,
    "IT:urban": 50,
    "LT:urban": 50, "LT:rural": 90, "LT:motorway": 130, "LT:trunk": 120, "LT:motorroad": 120, "LT:living_street": 20,
    "LU:urban": 50, "LU:rural": 90, "LU:motorway": 130, "LU:living_street": 20,
    "LV:urban": 50, "LV:rural": 90, "LV:trunk": 110, "LV:motorroad": 110, "LV:living_street": 20,
    "MT:urban": 50, "MT:rural": 80,
    "NL:urban": 50, "NL:rural": 80, "NL:motorway": 130, "NL:trunk": 100, "NL:motorroad": 100, "NL:living_street": 15,
    "NO:urban": 50, "NO:rural": 80, "NO:motorway": 110, "NO:living_street": WALK_KMH,
    "PL:urban": 50, "PL:rural": 90, "PL:motorway": 140, "PL:living_street": 20,
    "PT:urban": 50, "PT:rural": 90, "PT:motorway": 120, "PT:trunk": 100, "PT:motorroad": 100, "PT:living_street": 20,
    "RO:urban": 50, "RO:rural": 90, "RO:motorway": 130, "RO:living_street": 20,
    "SE:urban": 50, "SE:rural": 70, "SE:motorway": 110, "SE:living_street": WALK_KMH,
    "SI:urban": 50, "SI:rural": 90, "SI:motorway": 130, "SI:living_street": 10,
    "SK:urban": 50, "SK:rural": 90, "SK:motorway": 130, "SK:trunk": 130, "SK:motorroad": 130, "SK:living_street": 20,
    "UA:urban": 50, "UA:rural": 90, "UA:motorway": 130, "UA:living_street": 20,
}

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_WEIGHT = re.compile(_NUMBER + r"\s*(t|tonnes?|tons?|metric tons?|kg|st|short tons?|lt|long tons?|lbs?)?", re.ASCII)
_LENGTH = re.compile(_NUMBER + r"\s*(m|metres?|meters?|cm)?", re.ASCII)
_FEET_INCHES = re.compile(r"(\d+)\s*(?:'|ft|feet|foot)\s*(?:(\d+(?:\.\d+)?)\s*(?:\"|''|in|inch(?:es)?))?", re.ASCII)
_INCHES = re.compile(r"(\d+(?:\.\d+)?)\s*(?:\"|''|in|inch(?:es)?)", re.ASCII)
_SPEED = re.compile(_NUMBER + r"\s*(km/h|kmh|kph|mph|knots?)?", re.ASCII)
_ZONE = re.compile(r"([a-z]{2}(?:-[a-z0-9]{1,3})?):([a-z_]+)", re.ASCII)


def _plain(value: str | None) -> str | None:
    """The value trimmed and lower-cased; None when absent or empty."""
    if value is None:
        return None
    text = value.strip().lower()
    return text or None


def _check(number: float, bounds: tuple[float, float], raw: str, what: str, unit: str) -> Reading:
    """``number`` when it lies in ``bounds``, else the reason why not."""
    low, high = bounds
    if not math.isfinite(number) or not low <= number <= high:
        return None, f"{raw!r} is not a plausible {what} ({number:g} {unit}; expected {low:g}-{high:g} {unit})"
    return number, None


def _common_refusal(raw: str, text: str, what: str) -> str | None:
    """The reason shared by every numeric reader (approximations, comma decimals, lists), or None."""
    if text.startswith(("~", "ca", "approx", "<", ">")):
        return f"{raw!r} is an approximate or bounded {what}: give the posted value"
    if ";" in text:
        return f"{raw!r} lists several values: a conditional {what} cannot be read as one limit"
    if "," in text:
        return f"{raw!r} uses a comma: OSM writes decimals with a dot"
    return None


def parse_weight_t(value: str | None, what: str = "weight", bounds: tuple[float, float] = WEIGHT_RANGE_T) -> Reading:
    """A ``maxweight``-style value in metric tonnes (t).

    ``12``, ``12 t``, ``12t``, ``12 tonnes`` -> 12.0; ``8000 kg`` -> 8.0; ``3.5 st`` (US short tons) -> 3.175;
    ``lt`` long tons, ``lbs`` pounds. ``none``/``unsigned``/``default`` -> (None, None)."""
    text = _plain(value)
    if text is None or text in NO_LIMIT:
        return None, None
    raw = value or ""
    refusal = _common_refusal(raw, text, what)
    if refusal:
        return None, refusal
    match = _WEIGHT.fullmatch(text)
    if not match:
        return None, f"{raw!r} is not a {what} (expected a number in t, or with a unit: kg, st, lt, lbs)"
    number, unit = float(match.group(1)), match.group(2) or "t"
    if unit == "kg":
        number /= 1000.0
    elif unit in ("st", "short ton", "short tons"):
        number *= SHORT_TON_T
    elif unit in ("lt", "long ton", "long tons"):
        number *= LONG_TON_T
    elif unit in ("lb", "lbs"):
        number *= POUND_T
    return _check(number, bounds, raw, what, "t")


def parse_axleload_t(value: str | None) -> Reading:
    """A ``maxaxleload`` value in metric tonnes per axle (same units as :func:`parse_weight_t`)."""
    return parse_weight_t(value, "axle load", AXLE_RANGE_T)


def parse_length_m(value: str | None, what: str = "height", bounds: tuple[float, float] = HEIGHT_RANGE_M) -> Reading:
    """A ``maxheight``/``maxwidth`` value in metres.

    ``3.8``, ``3.8 m``, ``3.8m``, ``380 cm`` -> 3.8; ``12'6"`` (feet and inches) -> 3.81; ``12'``, ``12 ft``;
    ``default``/``none``/``below_default`` (lower than the default but not posted) -> (None, None)."""
    text = _plain(value)
    if text is None or text in NO_LIMIT:
        return None, None
    raw = value or ""
    refusal = _common_refusal(raw, text, what)
    if refusal:
        return None, refusal
    if match := _FEET_INCHES.fullmatch(text):
        number = int(match.group(1)) * FOOT_M + float(match.group(2) or 0.0) * INCH_M
    elif match := _INCHES.fullmatch(text):
        number = float(match.group(1)) * INCH_M
    elif match := _LENGTH.fullmatch(text):
        number = float(match.group(1)) / (100.0 if match.group(2) == "cm" else 1.0)
    else:
        return None, f"{raw!r} is not a {what} (expected metres, e.g. 3.8, or feet and inches, e.g. 12'6\")"
    return _check(number, bounds, raw, what, "m")


def parse_width_m(value: str | None) -> Reading:
    """A ``maxwidth`` value in metres (same forms as :func:`parse_length_m`)."""
    return parse_length_m(value, "width", WIDTH_RANGE_M)


def parse_maxspeed_kmh(value: str | None) -> Reading:
    """A ``maxspeed`` value in km/h.

    ``80``, ``80 km/h`` -> 80.0; ``50 mph`` -> 80.47; ``5 knots``; ``walk`` -> :data:`WALK_KMH`; ``FI:urban`` and
    other ``country:zone`` values -> :data:`IMPLICIT_MAXSPEED_KMH` (``DE:motorway``: None, no general limit);
    ``none`` (no limit), ``signals``, ``variable`` -> (None, None); ``60;80`` -> the lowest, 60.0."""
    text = _plain(value)
    if text is None or text in NO_LIMIT:
        return None, None
    raw = value or ""
    if text == "walk":
        return WALK_KMH, None
    if zone := _ZONE.fullmatch(text):
        key = f"{zone.group(1).upper()}:{zone.group(2)}"
        if key in IMPLICIT_MAXSPEED_KMH:
            return IMPLICIT_MAXSPEED_KMH[key], None
        return None, f"{raw!r} is an implicit limit this table lacks (kompas.mobility.tags.IMPLICIT_MAXSPEED_KMH)"
    if ";" in text:
        parts = [parse_maxspeed_kmh(part) for part in text.split(";")]
        bad = [reason for _, reason in parts if reason]
        if bad:
            return None, f"{raw!r}: {bad[0]}"
        numbers = [number for number, _ in parts if number is not None]
        return (min(numbers), None) if numbers else (None, None)
    if "," in text:
        return None, f"{raw!r} uses a comma: OSM writes decimals with a dot"
    match = _SPEED.fullmatch(text)
    if not match:
        return None, f"{raw!r} is not a speed (expected km/h, e.g. 80, or '50 mph', 'walk', 'FI:urban')"
    number = float(match.group(1)) * {"mph": MPH_KMH, "knot": KNOT_KMH, "knots": KNOT_KMH}.get(match.group(2), 1.0)
    return _check(number, SPEED_RANGE_KMH, raw, "speed", "km/h")


def parse_gauge_mm(value: str | None) -> tuple[tuple[int, ...] | None, str | None]:
    """A rail ``gauge`` in mm: ``1435`` -> (1435,); a dual-gauge track ``1435;1520`` -> (1435, 1520), in the order
    written (OSM lists the gauges of a multi-gauge track separated by ``;``)."""
    text = _plain(value)
    if text is None:
        return None, None
    raw = value or ""
    gauges: list[int] = []
    for part in text.split(";"):
        part = part.strip().removesuffix("mm").strip()
        if not (part.isascii() and part.isdigit()):
            return None, f"{raw!r} is not a gauge (expected whole millimetres, e.g. 1435 or 1435;1520)"
        gauge = int(part)
        if not GAUGE_RANGE_MM[0] <= gauge <= GAUGE_RANGE_MM[1]:
            return None, f"{raw!r} is not a plausible gauge ({gauge} mm; expected {GAUGE_RANGE_MM[0]}-" \
                         f"{GAUGE_RANGE_MM[1]} mm)"
        if gauge not in gauges:
            gauges.append(gauge)
    return tuple(gauges), None


#: ``electrified`` values meaning a powered line (OSM wiki ``Key:electrified``).
ELECTRIFIED_YES = frozenset({"yes", "contact_line", "rail", "4th_rail", "ground-level_power_supply"})


def parse_electrified(value: str | None) -> tuple[bool | None, str | None]:
    """``electrified``: ``contact_line``, ``rail``, ``4th_rail``, ``yes`` (and lists of them) -> True; ``no`` ->
    False; absent -> None."""
    text = _plain(value)
    if text is None or text in ("unknown",):
        return None, None
    if text == "no":
        return False, None
    parts = [part.strip() for part in text.split(";")]
    if all(part in ELECTRIFIED_YES for part in parts):
        return True, None
    return None, f"{value!r} is not an electrification (expected contact_line, rail, 4th_rail, yes or no)"


#: ``oneway`` values: forward one-way, and the reversed one (``-1``: one way against the way's direction).
ONEWAY_YES = frozenset({"yes", "true", "1"})
ONEWAY_NO = frozenset({"no", "false", "0", "reversible", "alternating"})


def parse_oneway(value: str | None) -> tuple[int | None, str | None]:
    """``oneway``: 1 (with the way's direction), -1 (against it), 0 (both ways; ``reversible`` and ``alternating``
    are both ways at different times, so traversable both ways), None when absent."""
    text = _plain(value)
    if text is None:
        return None, None
    if text in ONEWAY_YES:
        return 1, None
    if text == "-1":
        return -1, None
    if text in ONEWAY_NO:
        return 0, None
    return None, f"{value!r} is not a oneway value (expected yes, no, -1, reversible)"
