"""Military transport aircraft: what they carry, how fast, and the runway they need (pure: YAML text in).

The bundled table is ``kompas/data/mobility/aircraft.yaml`` (A400M, C-17A, C-130J-30): every figure there is a
``{value, source, note}`` mapping whose source names a public page (listed in the file and in the folder's
README.md). :func:`parse_aircraft` reads such a table; a figure without a source is rejected (the table is what the
answers cite), a figure a source does not give is ``null`` and stays ``None`` here (not checked, never guessed).

Units: payload t (metric tonnes), hold dimensions m, cruise km/h, runway length and width m.

:func:`fit` answers whether a vehicle fits in the hold (mass against payload, width and height against the hold,
length against the hold when known) and how many fit per aircraft by a plain floor-area bound: lanes side by side
(hold width / vehicle width) times rows (hold length / vehicle length), capped by payload / mass. It ignores tie-down
space, centre of gravity, floor and axle loading limits and shoring, so it is an upper bound a loadmaster may lower.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from kompas.rejections import Rejection
from kompas.texts import NoAliases

_FIGURES = ("payload_t", "hold_length_m", "hold_width_m", "hold_height_m", "cruise_kmh", "troops")
_REQUIRED = ("payload_t", "hold_width_m", "hold_height_m", "cruise_kmh")
_RUNWAY_FIGURES = ("length_m", "width_m")


@dataclass(frozen=True)
class RunwayRule:
    """The shortest, narrowest runway an aircraft is planned onto (m), whether it may be unpaved, at which mass."""

    length_m: float
    width_m: float | None
    unpaved: bool
    mass_basis: str = ""
    source: str = ""  #: the source key(s) of the length and width figures


@dataclass(frozen=True)
class Aircraft:
    """A transport aircraft type; ``None`` where no public source gave the figure."""

    name: str
    payload_t: float
    hold_width_m: float
    hold_height_m: float
    cruise_kmh: float
    runway: RunwayRule
    hold_length_m: float | None = None
    troops: int | None = None
    aliases: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)  #: figure -> source key
    notes: Mapping[str, str] = field(default_factory=dict)  #: figure -> why this value
    references: Mapping[str, str] = field(default_factory=dict)  #: source key -> "title <url>"

    def cites(self, figure: str) -> str:
        """The reference (title and address) behind ``figure`` (e.g. ``"payload_t"``, ``"runway.length_m"``)."""
        key = self.sources.get(figure, "")
        return self.references.get(key, key)


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def find(table: Mapping[str, Aircraft], name: str) -> Aircraft | None:
    """The aircraft of ``table`` called ``name`` or one of its aliases (case, spaces and hyphens ignored)."""
    wanted = _key(name)
    for aircraft in table.values():
        if wanted in {_key(aircraft.name), *(_key(a) for a in aircraft.aliases)}:
            return aircraft
    return None


class _Bad(ValueError):
    """One bad field of one aircraft entry."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _figure(entry: Mapping[str, Any], name: str, sources: Mapping[str, Any], required: bool,
            cited: dict[str, str], notes: dict[str, str], prefix: str = "") -> Any:  # noqa: ANN401 (YAML value)
    """The value of the ``{value, source, note}`` mapping ``entry[name]`` (None when null and not required)."""
    label = prefix + name
    raw = entry.get(name)
    if raw is None:
        if required:
            raise _Bad(label, "missing")
        return None
    if not isinstance(raw, Mapping) or "value" not in raw:
        raise _Bad(label, f"must be a mapping {{value, source}} so that the figure is cited, got {raw!r}")
    source = str(raw.get("source") or "")
    if not source:
        raise _Bad(label, "has no source: every figure must cite one")
    if source not in sources:
        raise _Bad(label, f"source {source!r} is not listed under 'sources'")
    cited[label] = source
    if raw.get("note"):
        notes[label] = " ".join(str(raw["note"]).split())
    value = raw["value"]
    if value is None:
        if required:
            raise _Bad(label, "is null but required")
        return None
    return value


def _positive(value: Any, label: str) -> float:  # noqa: ANN401 (YAML value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise _Bad(label, f"must be a positive number, got {value!r}")
    return float(value)


def _aircraft(entry: Mapping[str, Any], sources: Mapping[str, Any]) -> Aircraft:
    name = str(entry.get("name") or "").strip()
    if not name:
        raise _Bad("name", "missing")
    cited: dict[str, str] = {}
    notes: dict[str, str] = {}
    values: dict[str, float | None] = {}
    for figure in _FIGURES:
        raw = _figure(entry, figure, sources, figure in _REQUIRED, cited, notes)
        values[figure] = None if raw is None else _positive(raw, figure)
    runway = entry.get("runway")
    if not isinstance(runway, Mapping):
        raise _Bad("runway", "missing (a mapping with length_m, width_m, unpaved, mass_basis)")
    length = _positive(_figure(runway, "length_m", sources, True, cited, notes, "runway."), "runway.length_m")
    raw_width = _figure(runway, "width_m", sources, False, cited, notes, "runway.")
    width = None if raw_width is None else _positive(raw_width, "runway.width_m")
    unpaved = _figure(runway, "unpaved", sources, True, cited, notes, "runway.")
    if not isinstance(unpaved, bool):
        raise _Bad("runway.unpaved", f"must be true or false, got {unpaved!r}")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list):
        raise _Bad("aliases", "must be a list of names")
    references = {k: f"{v.get('title', k)} <{v.get('url', '')}>" if isinstance(v, Mapping) else str(v)
                  for k, v in sources.items()}
    troops = values["troops"]
    return Aircraft(name=name, payload_t=float(values["payload_t"] or 0),
                    hold_width_m=float(values["hold_width_m"] or 0),
                    hold_height_m=float(values["hold_height_m"] or 0), cruise_kmh=float(values["cruise_kmh"] or 0),
                    hold_length_m=values["hold_length_m"], troops=None if troops is None else int(troops),
                    runway=RunwayRule(length_m=length, width_m=width, unpaved=unpaved,
                                      mass_basis=" ".join(str(runway.get("mass_basis", "")).split()),
                                      source=cited.get("runway.length_m", "")),
                    aliases=tuple(str(a) for a in aliases), sources=cited, notes=notes, references=references)


def parse_aircraft(text: str, source: str) -> tuple[dict[str, Aircraft], list[Rejection]]:
    """The aircraft of a YAML table (``sources: {key: {title, url}}``, ``aircraft: [...]``, see the bundled
    ``aircraft.yaml``) by name, and one :class:`Rejection` (unit ``item``: the entry's 1-based number) per bad entry,
    naming the field; the good entries go through."""
    try:
        document = yaml.load(text, Loader=NoAliases)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        return {}, [Rejection(source, 0, "", f"not YAML: {error}", unit="item")]
    if not isinstance(document, Mapping) or not isinstance(document.get("aircraft"), list):
        return {}, [Rejection(source, 0, "aircraft", "a list under 'aircraft' is expected", unit="item")]
    sources = document.get("sources") or {}
    if not isinstance(sources, Mapping):
        return {}, [Rejection(source, 0, "sources", "must be a mapping of source keys", unit="item")]
    table: dict[str, Aircraft] = {}
    rejections: list[Rejection] = []
    for number, entry in enumerate(document["aircraft"], start=1):
        if not isinstance(entry, Mapping):
            rejections.append(Rejection(source, number, "", f"not a mapping: {entry!r}", unit="item"))
            continue
        try:
            aircraft = _aircraft(entry, sources)
        except _Bad as bad:
            name = entry.get("name") or "?"
            rejections.append(Rejection(source, number, bad.field, f"{name}: {bad.field} {bad.reason}", unit="item"))
            continue
        if aircraft.name in table:
            rejections.append(Rejection(source, number, "name", f"{aircraft.name}: listed twice (the first is kept)",
                                        unit="item"))
            continue
        table[aircraft.name] = aircraft
    return table, rejections


@dataclass(frozen=True)
class Fit:
    """Whether a load fits one aircraft and how many: ``per_aircraft`` 0 when it does not (``reason`` says why)."""

    per_aircraft: int
    reason: str


def fit(mass_t: float, length_m: float, width_m: float, height_m: float, aircraft: Aircraft) -> Fit:
    """How many loads of this mass (t) and size (m) one ``aircraft`` lifts: the floor-area bound of the module
    docstring (lanes x rows, capped by payload / mass), 0 with the reason when any limit is exceeded."""
    name = aircraft.name
    if mass_t > aircraft.payload_t:
        return Fit(0, f"{mass_t:g} t > {name}'s payload {aircraft.payload_t:g} t")
    if width_m > aircraft.hold_width_m:
        return Fit(0, f"{width_m:g} m wide > {name}'s hold {aircraft.hold_width_m:g} m")
    if height_m > aircraft.hold_height_m:
        return Fit(0, f"{height_m:g} m high > {name}'s hold {aircraft.hold_height_m:g} m")
    if aircraft.hold_length_m is not None and length_m > aircraft.hold_length_m:
        return Fit(0, f"{length_m:g} m long > {name}'s hold {aircraft.hold_length_m:g} m")
    by_mass = int(aircraft.payload_t // mass_t) if mass_t > 0 else 10**6
    lanes = max(1, int(aircraft.hold_width_m // width_m)) if width_m > 0 else 1
    if aircraft.hold_length_m is None or length_m <= 0:
        return Fit(by_mass, f"{by_mass} by payload ({name}'s hold length is not known: length not checked)")
    rows = max(1, int(aircraft.hold_length_m // length_m))
    count = min(by_mass, lanes * rows)
    limit = "payload" if by_mass <= lanes * rows else "floor area"
    return Fit(count, f"{count} per {name} (limited by {limit}: {by_mass} by mass, {lanes} x {rows} by floor)")
