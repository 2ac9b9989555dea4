"""Force packages as data: vehicles and the units made of them (pure: YAML text in).

A :class:`Vehicle` carries what the network asks of it: mass t, axle load t, length, width and height m, the NATO
military load class (MLC, STANAG 2021 / AEP-3.12.1.5), whether it is tracked, whether it goes on a standard flat
wagon, and how many fit in one aircraft of each type. A :class:`Package` is vehicles with counts, personnel and a
convoy speed, and says what it needs: its heaviest vehicle, axle, height, width, MLC, the sorties of an aircraft
type and the trains it takes.

**Figures and their sources.** In the YAML each vehicle figure is either a number or ``{value, source, note}``;
:attr:`Vehicle.sources` keeps the source of every figure given so, and the bundled files
(``kompas/data/mobility/packages``) cite every one. A figure that is not given stays ``None`` (not checked, never
guessed), except:

- ``mlc``: when not given it is **estimated** (:func:`estimate_mlc`) from the mass by the weights of STANAG 2021's
  hypothetical vehicles: a tracked class N vehicle weighs N short tons, a wheeled one about N / 0.85 short tons, and
  the estimate is the smallest standard class at or above the vehicle (standard classes
  :data:`STANDARD_CLASSES`). A real vehicle MLC also depends on its axle spacing and track geometry: the estimate
  is marked (:attr:`Vehicle.mlc_basis`) and answers say so;
- ``axle_load_t``: when not given and ``axles`` is, mass / axles (an even split, marked as such); tracked vehicles
  have no axle load (road axle limits do not apply as such; the MLC governs);
- ``air``: when not given for an aircraft type and an aircraft table is passed, the floor-area bound of
  :func:`kompas.mobility.aircraft.fit` (an upper bound a loadmaster may lower), marked ``computed``.

**Composition.** No open data gives the real vehicles of a real unit. Packages marked ``illustrative: true`` say so
wherever they are shown; the examples are all illustrative.

Units: masses t (metric tonnes), lengths m, speeds km/h.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from kompas.mobility.aircraft import Aircraft, find, fit
from kompas.rejections import Rejection
from kompas.texts import NoAliases

SHORT_TON_T = 0.90718474  #: metric tonnes per US short ton (the unit of STANAG 2021's hypothetical vehicles)
WHEELED_FACTOR = 0.85  #: a wheeled class-N hypothetical vehicle weighs about N / 0.85 short tons (STANAG 2021)
#: Classes of STANAG 2021's hypothetical vehicles (the numbers bridge signs show).
STANDARD_CLASSES: tuple[int, ...] = (4, 8, 12, 16, 20, 24, 30, 40, 50, 60, 70, 80, 90, 100, 120, 150)
DEFAULT_CONVOY_KMH = 60.0  #: a road convoy's planning speed when the package does not state one
#: Wagons one military train takes: a 740 m TEN-T train (Regulation (EU) 1315/2013, art. 39) less the locomotive,
#: about 20 m per heavy flat wagon; a planning figure, to be replaced by the railway's own.
DEFAULT_WAGONS_PER_TRAIN = 30
_NUMBERS = ("mass_t", "axle_load_t", "length_m", "width_m", "height_m")
_REQUIRED = ("mass_t", "length_m", "width_m", "height_m")


def estimate_mlc(mass_t: float, tracked: bool) -> int:
    """The MLC estimated from the mass alone (see the module docstring): the smallest standard class whose
    hypothetical vehicle is at least as heavy (tracked: class = short tons; wheeled: class = 0.85 x short tons);
    above 150 the short tons (tracked) or 0.85 x short tons (wheeled) rounded up."""
    tons = mass_t / SHORT_TON_T
    needed = tons if tracked else WHEELED_FACTOR * tons
    for cls in STANDARD_CLASSES:
        if cls >= needed - 1e-9:
            return cls
    return math.ceil(needed)


MAX_COUNT = 100_000  #: vehicles of one type in a package (a bound on the cost of one request)


@dataclass(frozen=True)
class Vehicle:
    """A vehicle type: masses t, lengths m; ``None`` where not stated (see the module docstring)."""

    name: str
    mass_t: float
    length_m: float
    width_m: float
    height_m: float
    mlc: int
    tracked: bool = False
    axle_load_t: float | None = None
    rail: bool = True  #: fits a standard heavy flat wagon (possibly as an out-of-gauge load needing a permit)
    air: Mapping[str, int] = field(default_factory=dict)  #: aircraft name -> how many fit in one aircraft
    mlc_basis: str = "stated"  #: "stated" or "estimated from the mass (STANAG 2021 hypothetical vehicles)"
    axle_basis: str = "stated"
    air_basis: Mapping[str, str] = field(default_factory=dict)  #: aircraft name -> "stated" or the computed reason
    per_wagon: int = 1  #: how many go on one flat wagon
    sources: Mapping[str, str] = field(default_factory=dict)  #: figure -> source (title or address)
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Package:
    """A force package: vehicles with counts; ``illustrative`` when its composition is made up (say so)."""

    name: str
    items: tuple[tuple[Vehicle, int], ...]
    personnel: int = 0
    convoy_speed_kmh: float = DEFAULT_CONVOY_KMH
    illustrative: bool = True
    source: str = ""

    @property
    def vehicles(self) -> int:
        """How many vehicles in all."""
        return sum(count for _, count in self.items)

    @property
    def heaviest_t(self) -> float:
        """The mass of the heaviest vehicle, t."""
        return max((v.mass_t for v, _ in self.items), default=0.0)

    @property
    def max_axle_t(self) -> float | None:
        """The heaviest axle load of any wheeled vehicle, t (``None``: no vehicle states or implies one)."""
        axles = [v.axle_load_t for v, _ in self.items if v.axle_load_t is not None]
        return max(axles) if axles else None

    @property
    def max_height_m(self) -> float:
        """The tallest vehicle, m."""
        return max((v.height_m for v, _ in self.items), default=0.0)

    @property
    def max_width_m(self) -> float:
        """The widest vehicle, m."""
        return max((v.width_m for v, _ in self.items), default=0.0)

    @property
    def max_mlc(self) -> int:
        """The highest military load class of its vehicles."""
        return max((v.mlc for v, _ in self.items), default=0)

    @property
    def rail(self) -> bool:
        """Whether every vehicle goes on a standard flat wagon."""
        return all(v.rail for v, _ in self.items)

    @property
    def estimated(self) -> list[str]:
        """What was estimated rather than stated (MLCs, axle loads, air loads), one line per vehicle and figure."""
        out = []
        for vehicle, _ in self.items:
            if vehicle.mlc_basis != "stated":
                out.append(f"{vehicle.name}: MLC {vehicle.mlc} {vehicle.mlc_basis}")
            if vehicle.axle_load_t is not None and vehicle.axle_basis != "stated":
                out.append(f"{vehicle.name}: axle load {vehicle.axle_load_t:.1f} t {vehicle.axle_basis}")
            for name, basis in vehicle.air_basis.items():
                if basis != "stated":
                    out.append(f"{vehicle.name}: {vehicle.air.get(name, 0)} per {name}, computed ({basis})")
        return out

    def sorties(self, aircraft: str | Aircraft) -> int | None:
        """Sorties of ``aircraft`` (a name or an :class:`Aircraft`) to lift every vehicle, each type loaded on its
        own aircraft (``ceil(count / per aircraft)`` summed; mixed loads may need fewer); ``None`` when a vehicle
        does not fit in it or its fit is not known. Personnel are taken to ride with the vehicles."""
        name = aircraft if isinstance(aircraft, str) else aircraft.name
        total = 0
        for vehicle, count in self.items:
            per = vehicle.air.get(name, 0)
            if per <= 0:
                return None
            total += math.ceil(count / per)
        return total

    def trains(self, wagons_per_train: int = DEFAULT_WAGONS_PER_TRAIN) -> int | None:
        """Trains to move every vehicle (``per_wagon`` of a type to a wagon), ``None`` when one cannot go by rail."""
        if not self.rail:
            return None
        wagons = sum(math.ceil(count / max(1, v.per_wagon)) for v, count in self.items)
        return math.ceil(wagons / max(1, wagons_per_train))


class _Bad(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _cited(raw: Any, label: str, sources: dict[str, str], notes: dict[str, str]) -> Any:  # noqa: ANN401
    """The value of a figure given bare or as ``{value, source, note}``, recording its source and note."""
    if not isinstance(raw, Mapping):
        return raw
    if raw.get("source"):
        sources[label] = " ".join(str(raw["source"]).split())
    if raw.get("note"):
        notes[label] = " ".join(str(raw["note"]).split())
    return raw.get("value")


def _number(raw: Any, label: str, sources: dict[str, str], notes: dict[str, str]) -> float | None:  # noqa: ANN401
    """A figure given as a number or ``{value, source, note}``; records the source; None when absent or null."""
    if raw is None:
        return None
    value = _cited(raw, label, sources, notes)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise _Bad(label, f"must be a positive number, got {value!r}")
    return float(value)


def _flag(raw: Any, label: str, default: bool, sources: dict[str, str], notes: dict[str, str]) -> bool:  # noqa: ANN401
    if raw is None:
        return default
    value = _cited(raw, label, sources, notes)
    if not isinstance(value, bool):
        raise _Bad(label, f"must be true or false, got {value!r}")
    return value


def _vehicle(key: str, entry: Mapping[str, Any], aircraft: Mapping[str, Aircraft] | None) -> Vehicle:
    if not isinstance(entry, Mapping):
        raise _Bad(key, f"not a mapping: {entry!r}")
    sources: dict[str, str] = {}
    notes: dict[str, str] = {}
    values = {n: _number(entry.get(n), n, sources, notes) for n in _NUMBERS}
    for name in _REQUIRED:
        if values[name] is None:
            raise _Bad(name, "missing")
    mass = float(values["mass_t"] or 0)
    tracked = _flag(entry.get("tracked"), "tracked", False, sources, notes)
    rail = _flag(entry.get("rail"), "rail", True, sources, notes)
    axles = _number(entry.get("axles"), "axles", sources, notes)
    axle_load, axle_basis = values["axle_load_t"], "stated"
    if axle_load is None and axles is not None and not tracked:
        axle_load, axle_basis = mass / axles, f"estimated: {mass:g} t / {axles:g} axles, an even split"
    raw_mlc = _number(entry.get("mlc"), "mlc", sources, notes)
    if raw_mlc is not None and raw_mlc != int(raw_mlc):
        raise _Bad("mlc", f"must be a whole class number, got {raw_mlc!r}")
    mlc = int(raw_mlc) if raw_mlc is not None else estimate_mlc(mass, tracked)
    mlc_basis = "stated" if raw_mlc is not None else \
        "estimated from the mass (STANAG 2021 hypothetical-vehicle weights; the real MLC depends on geometry)"
    per_wagon = _number(entry.get("per_wagon"), "per_wagon", sources, notes)
    air: dict[str, int] = {}
    air_basis: dict[str, str] = {}
    stated = entry.get("air") or {}
    if not isinstance(stated, Mapping):
        raise _Bad("air", "must map aircraft names to how many fit in one")
    for name, count in stated.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise _Bad(f"air.{name}", f"must be a whole number >= 0, got {count!r}")
        known = find(aircraft, str(name)) if aircraft else None
        air[known.name if known else str(name)] = count
        air_basis[known.name if known else str(name)] = "stated"
    for plane in (aircraft or {}).values():
        if plane.name not in air:
            got = fit(mass, float(values["length_m"] or 0), float(values["width_m"] or 0),
                      float(values["height_m"] or 0), plane)
            air[plane.name] = got.per_aircraft
            air_basis[plane.name] = got.reason
    return Vehicle(name=str(entry.get("name") or key), mass_t=mass, length_m=float(values["length_m"] or 0),
                   width_m=float(values["width_m"] or 0), height_m=float(values["height_m"] or 0), mlc=mlc,
                   tracked=tracked, axle_load_t=axle_load, rail=rail, air=air, mlc_basis=mlc_basis,
                   axle_basis=axle_basis, air_basis=air_basis, per_wagon=int(per_wagon or 1), sources=sources,
                   notes=notes)


def parse_vehicles(text: str, source: str, aircraft: Mapping[str, Aircraft] | None = None
                   ) -> tuple[dict[str, Vehicle], list[Rejection]]:
    """A vehicle catalogue (YAML ``vehicles: {key: {name, mass_t, ...}}``) by key, and one :class:`Rejection` per
    bad vehicle (unit ``item``: its 1-based place in the mapping; the reason names the key and field)."""
    try:
        document = yaml.load(text, Loader=NoAliases)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        return {}, [Rejection(source, 0, "", f"not YAML: {error}", unit="item")]
    entries = document.get("vehicles") if isinstance(document, Mapping) else None
    if not isinstance(entries, Mapping):
        return {}, [Rejection(source, 0, "vehicles", "a mapping under 'vehicles' is expected", unit="item")]
    return _vehicles(entries, source, aircraft)


def _vehicles(entries: Mapping[str, Any], source: str, aircraft: Mapping[str, Aircraft] | None
              ) -> tuple[dict[str, Vehicle], list[Rejection]]:
    out: dict[str, Vehicle] = {}
    rejections = []
    for number, (key, entry) in enumerate(entries.items(), start=1):
        try:
            out[str(key)] = _vehicle(str(key), entry, aircraft)
        except _Bad as bad:
            rejections.append(Rejection(source, number, bad.field, f"vehicle {key}: {bad.field} {bad.reason}",
                                        unit="item"))
    return out, rejections


def parse_package(text: str, source: str, catalogue: Mapping[str, Vehicle] | None = None,
                  aircraft: Mapping[str, Aircraft] | None = None) -> tuple[Package | None, list[Rejection]]:
    """A package from YAML (``package: {name, personnel, convoy_speed_kmh, illustrative, source}``, optional
    ``vehicles: {key: {...}}`` of its own, ``items: [{vehicle: key, count: N}]``), vehicles looked up in its own
    ``vehicles`` first, then in ``catalogue``; ``aircraft`` fills the air loads not stated. Returns ``(None,
    rejections)`` when the package cannot be built (no name, no usable item); otherwise the package of the good items
    and one :class:`Rejection` per bad field or item (unit ``item``: 0 for the package's own fields, else the item's
    1-based number in ``items``)."""
    try:
        document = yaml.load(text, Loader=NoAliases)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        return None, [Rejection(source, 0, "", f"not YAML: {error}", unit="item")]
    if not isinstance(document, Mapping):
        return None, [Rejection(source, 0, "", "not a YAML mapping with 'package' and 'items'", unit="item")]
    head = document.get("package")
    if not isinstance(head, Mapping) or not str(head.get("name") or "").strip():
        return None, [Rejection(source, 0, "package.name", "missing (package: {name: ...})", unit="item")]
    rejections: list[Rejection] = []
    own: dict[str, Vehicle] = {}
    if document.get("vehicles") is not None:
        if isinstance(document["vehicles"], Mapping):
            own, bad = _vehicles(document["vehicles"], source, aircraft)
            rejections += bad
        else:
            rejections.append(Rejection(source, 0, "vehicles", "must be a mapping of vehicle keys", unit="item"))
    known = {**(catalogue or {}), **own}
    items: list[tuple[Vehicle, int]] = []
    entries = document.get("items")
    if not isinstance(entries, list):
        rejections.append(Rejection(source, 0, "items", "a list of {vehicle, count} is expected", unit="item"))
        entries = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            rejections.append(Rejection(source, number, "", f"item {number}: not a mapping", unit="item"))
            continue
        key = str(entry.get("vehicle") or "")
        count = entry.get("count")
        if key not in known:
            rejections.append(Rejection(source, number, "vehicle", f"item {number}: unknown vehicle {key!r}"
                                        + (f" (known: {', '.join(sorted(known))})" if known else ""), unit="item"))
            continue
        if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_COUNT:
            shown = repr(count) if len(repr(count)) <= 40 else repr(count)[:37] + "..."
            rejections.append(Rejection(source, number, "count", f"item {number}: count must be a whole number from "
                                                                  f"1 to {MAX_COUNT:,}, got {shown}", unit="item"))
            continue
        items.append((known[key], count))
    if not items:
        rejections.append(Rejection(source, 0, "items", "no usable item: the package is empty", unit="item"))
        return None, rejections
    personnel, speed = head.get("personnel", 0), head.get("convoy_speed_kmh", DEFAULT_CONVOY_KMH)
    if isinstance(personnel, bool) or not isinstance(personnel, int) or personnel < 0:
        rejections.append(Rejection(source, 0, "package.personnel", f"must be a whole number >= 0, got "
                                                                    f"{personnel!r} (0 used)", unit="item"))
        personnel = 0
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0 < speed <= 150:
        rejections.append(Rejection(source, 0, "package.convoy_speed_kmh", f"must be a speed in (0, 150] km/h, got "
                                    f"{speed!r} ({DEFAULT_CONVOY_KMH:g} used)", unit="item"))
        speed = DEFAULT_CONVOY_KMH
    illustrative = head.get("illustrative", True)
    if not isinstance(illustrative, bool):
        rejections.append(Rejection(source, 0, "package.illustrative", f"must be true or false, got "
                                                                       f"{illustrative!r} (true used)", unit="item"))
        illustrative = True
    return Package(name=str(head["name"]).strip(), items=tuple(items), personnel=personnel,
                   convoy_speed_kmh=float(speed), illustrative=illustrative,
                   source=" ".join(str(head.get("source") or "").split())), rejections
