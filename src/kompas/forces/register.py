"""The register's exchange format (issue 28): what a member state contributes, as JSON or CSV text, read into the
records of :mod:`kompas.forces.model` with one :class:`~kompas.rejections.Rejection` per bad row (pure: text in,
records and rejections out; the only files read are the bundled vocabularies and example set, by the loaders at
the end).

**JSON** (canonical; ``examples/forces/README.md`` documents every field with examples)::

    {"format": "kompas-forces/1", "edition": "2026", "illustrative": false, "source_url": "https://...",
     "elements": [{"id": "bg-hq", "nation": "PL", "name": "...", "type": "...", "component": "joint",
                   "strength": 200, "readiness_days": 10, "capabilities": {"force-hq": 1},
                   "available_from": "2026-01-01", "caveats": {"environments": ["permissive"]},
                   "transport": {"pax": 200}}],
     "experts": [...], "pools": [...], "stocks": [...]}

Each row is an object of its record's fields (dates ISO ``YYYY-MM-DD``, ``caveats`` a nested object, ``capabilities``
``{code: quantity}``, ``transport`` ``{need: quantity}``, lists as JSON lists). ``illustrative`` and ``source_url``
given at the top are inherited by the rows that do not state their own; ``description`` at the top documents the
file and is not read into the register. A row's ``notes`` says where its figures come from and what is invented.

**CSV**: one file per section, the section recognised from the header (:data:`CSV_COLUMNS`; the header starts with
``id``, names are matched without regard to case, any subset of a section's columns holding its required ones, in
any order). Lists are ``;``-separated (``languages``: ``en;fr``), maps ``code:qty;code:qty`` (``capabilities``,
``transport``), the caveats are columns of their own (``caveat_environments``, ``caveat_max_distance_km`` ...),
booleans ``true``/``false``. Rows whose first cell starts with ``#`` are comments; before the header, the comments
``# edition: 2026``, ``# illustrative: true`` and ``# source_url: https://...`` (the key in lower case, one value)
set the edition and the rows' defaults, as the JSON top level does. An empty cell is the field's default.

**Validation** (a bad field rejects its row, naming the field, the reason and the value; the other rows go through;
nothing is dropped silently): nations are ISO 3166-1 alpha-2 (``EU`` only as a stock holder: the Strategic
Warehouse); capability codes, expert profiles, components, environments, clearances and stock categories come from
the vocabularies (an unknown code is answered with the nearest known one); numbers are whole and within
:data:`BOUNDS`; ``available_from`` <= ``available_to``; texts are bounded (:data:`MAX_ID`, :data:`MAX_TEXT`,
:data:`MAX_NOTES`) and free of control characters; the second row with a ``NATION/ID`` already given (in any
section) is rejected. A submission of more than :data:`MAX_ROWS` rows or :data:`MAX_CHARS` characters raises
``ValueError``: send it in parts. The platform fields ``doc`` and ``marking_key`` are refused in a contribution
(the platform sets them) and read only with ``platform_fields=True`` (the platform's own storage).

:func:`parse` reads either; :func:`to_json` and :func:`to_csv` write them back (``parse(to_json(r)) == r``; CSV
cells are written spreadsheet-safe through :mod:`kompas.csvsafe` and read back unescaped). Which edition supersedes
which is the platform's decision, not this module's.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from kompas.core.markings import MarkingError, check_country
from kompas.csvsafe import FORMULA_START, safe_cell
from kompas.forces.model import (
    CLEARANCES,
    COMPONENTS,
    ENVIRONMENTS,
    SECTIONS,
    Caveats,
    Expert,
    ForceElement,
    Record,
    Register,
    RotationPool,
    StockItem,
)
from kompas.rejections import Rejection, Unit

__all__ = ["BOUNDS", "CSV_COLUMNS", "FORMAT", "MAX_CHARS", "MAX_ROWS", "REQUIRED", "STOCK_CATEGORIES", "Capability",
           "Profile", "capabilities", "capability_codes", "check_edition", "enablers", "example_editions", "format_of",
           "load_example", "parse", "profile_codes", "profiles", "record_dict", "to_csv", "to_json"]

FORMAT = "kompas-forces/1"  #: the JSON format's ``format`` value
EDITION = re.compile(r"^\d{4}(-(H1|H2|Q[1-4]|\d{2}))?$")  #: an edition: a year, a half, a quarter or a month
STOCK_CATEGORIES = ("vehicles", "it-communications", "protective", "medical", "other")  #: a StockItem's category
MAX_ROWS = 50_000  #: most rows in one submission (every section together); more raises ValueError
MAX_CHARS = 64_000_000  #: most characters in one submission; more raises ValueError
MAX_REJECTIONS = 10_000  #: most rejections listed for one submission (one more line counts the rest)
MAX_ID = 64  #: longest id (characters: letters, digits, ``._:-``)
MAX_TEXT = 200  #: longest name, type, holder, item, unit, task (characters)
MAX_NOTES = 2_000  #: longest notes, caveat notes, source URL (characters)
MAX_LIST = 100  #: most items in a list or map field
YEARS = (1990, 2100)  #: the years a date may fall in (inclusive)
#: Inclusive bounds of the numeric fields (units in the names: troops, days, months, km, counts).
BOUNDS: Mapping[str, tuple[float, float]] = MappingProxyType({
    "strength": (0, 100_000),  # troops
    "readiness_days": (0, 3_650),
    "notice_days": (0, 3_650),
    "lead_days": (0, 3_650),
    "units": (1, 10_000),
    "unit_strength": (1, 100_000),  # troops per unit
    "tour_months": (1, 60),
    "dwell_months": (0, 240),
    "quantity": (0, 10_000_000),
    "per_expert": (0, 1_000),
    "capabilities": (1, 100_000),  # units of a capability
    "transport": (0, 1_000_000),  # pax, vehicles, containers ...
    "max_distance_km": (0, 20_100),  # half the Earth's circumference, rounded up
    "max_duration_days": (1, 3_650),
})

_UNITS = {"strength": " troops", "unit_strength": " troops", "readiness_days": " days", "notice_days": " days",
          "lead_days": " days", "max_duration_days": " days", "tour_months": " months", "dwell_months": " months",
          "max_distance_km": " km"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")  # a capability code or transport need
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_INT = re.compile(r"^[+-]?\d{1,12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
#: A comment before the header that sets the edition or the rows' defaults: the key in lower case, one value.
_DIRECTIVE = re.compile(r"^#\s*(edition|illustrative|source_url):\s*(\S+)\s*$")
_UNESCAPE_INNER = re.compile(r"([;\r\n])'([=+\-@\t\r])")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")
_PLATFORM = ("doc", "marking_key")


class _Bad(ValueError):
    """One field of one row cannot be used."""

    def __init__(self, field: str, reason: str, value: Any = "") -> None:  # noqa: ANN401 (the value as read)
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason
        self.value = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


# --- vocabularies --------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Capability:
    """A capability code of ``capabilities.yaml``: what a requirement asks for and an element offers, counted in
    ``unit`` (a company, an aircraft, a ship, a terminal...); ``enabler``: the Strategic Compass strategic enabler
    it belongs to (a code of :func:`enablers`), if any."""

    code: str
    name: str
    component: str
    unit: str
    description: str
    enabler: str | None = None


@dataclasses.dataclass(frozen=True)
class Profile:
    """A civilian expert profile of ``profiles.yaml``: its ``sector`` of the Civilian Headline Goal 2008, where it
    fits one, and its ``function`` (operational, mission support or management)."""

    code: str
    name: str
    function: str
    description: str
    sector: str | None = None


def _vocabulary(name: str) -> dict[str, Any]:
    from kompas.files import read_packaged
    from kompas.texts import NoAliases, yaml_mapping

    return yaml_mapping(read_packaged(f"forces/{name}"), f"kompas/data/forces/{name}", NoAliases)


@cache
def enablers() -> Mapping[str, str]:
    """The Strategic Compass's strategic enablers: code -> name (``capabilities.yaml``, ``enablers``)."""
    data = _vocabulary("capabilities.yaml").get("enablers")
    if not isinstance(data, dict) or not data:
        raise ValueError("kompas/data/forces/capabilities.yaml: 'enablers' must map codes to entries")
    return MappingProxyType({str(code): str(entry["name"]) for code, entry in data.items()})


@cache
def capabilities() -> Mapping[str, Capability]:
    """The capability codes (``kompas/data/forces/capabilities.yaml``, read refusing YAML aliases), by code."""
    data = _vocabulary("capabilities.yaml").get("capabilities")
    if not isinstance(data, dict) or not data:
        raise ValueError("kompas/data/forces/capabilities.yaml: 'capabilities' must map codes to entries")
    out = {}
    for code, entry in data.items():
        cap = Capability(str(code), str(entry["name"]), str(entry["component"]), str(entry["unit"]),
                         str(entry["description"]).strip(), entry.get("enabler"))
        if not _KEY.match(cap.code) or cap.component not in COMPONENTS or (
                cap.enabler is not None and cap.enabler not in enablers()):
            raise ValueError(f"kompas/data/forces/capabilities.yaml: {code}: malformed code, component or enabler")
        out[cap.code] = cap
    return MappingProxyType(out)


@cache
def profiles() -> Mapping[str, Profile]:
    """The civilian expert profiles (``kompas/data/forces/profiles.yaml``, read refusing YAML aliases), by code."""
    data = _vocabulary("profiles.yaml").get("profiles")
    if not isinstance(data, dict) or not data:
        raise ValueError("kompas/data/forces/profiles.yaml: 'profiles' must map codes to entries")
    out = {}
    for code, entry in data.items():
        prof = Profile(str(code), str(entry["name"]), str(entry["function"]), str(entry["description"]).strip(),
                       entry.get("sector"))
        if not _KEY.match(prof.code) or prof.function not in ("operational", "mission support", "management"):
            raise ValueError(f"kompas/data/forces/profiles.yaml: {code}: malformed code or function")
        out[prof.code] = prof
    return MappingProxyType(out)


def capability_codes() -> frozenset[str]:
    """The capability codes of ``capabilities.yaml``."""
    return frozenset(capabilities())


def profile_codes() -> frozenset[str]:
    """The expert profile codes of ``profiles.yaml``."""
    return frozenset(profiles())


@cache
def _languages() -> frozenset[str]:
    import pycountry

    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def _nearest(value: str, known: Iterable[str]) -> str:
    found = difflib.get_close_matches(value, list(known), n=1, cutoff=0.0)
    return found[0] if found else ""


def check_edition(edition: str) -> str:
    """``edition`` when it is a year, a half, a quarter or a month (``2026``, ``2026-H1``, ``2026-Q3``,
    ``2026-05``); ``ValueError`` saying so otherwise."""
    if not isinstance(edition, str) or not EDITION.match(edition) or (
            edition[5:].isdigit() and not 1 <= int(edition[5:]) <= 12):
        raise ValueError(f"edition {edition!r} is not a year, half, quarter or month (2026, 2026-H1, 2026-Q3, "
                         "2026-05)")
    return edition


# --- one field -----------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    kind: str
    required: bool = False


_SPEC: dict[str, tuple[_Field, ...]] = {
    "elements": (
        _Field("id", "id", True), _Field("nation", "nation", True), _Field("name", "text", True),
        _Field("type", "text", True), _Field("component", "component", True), _Field("strength", "int", True),
        _Field("readiness_days", "int", True), _Field("capabilities", "capabilities"),
        _Field("available_from", "date"), _Field("available_to", "date"), _Field("caveats", "caveats"),
        _Field("transport", "transport")),
    "experts": (
        _Field("id", "id", True), _Field("nation", "nation", True), _Field("profile", "profile", True),
        _Field("languages", "languages"), _Field("clearance", "clearance"), _Field("available_from", "date"),
        _Field("available_to", "date"), _Field("notice_days", "int"), _Field("pdt_done", "bool"),
        _Field("heat_done", "bool"), _Field("medical_done", "bool"), _Field("unit", "text")),
    "pools": (
        _Field("id", "id", True), _Field("nation", "nation", True), _Field("capability", "capability", True),
        _Field("units", "int", True), _Field("unit_strength", "int", True), _Field("tour_months", "int"),
        _Field("dwell_months", "int"), _Field("readiness_days", "int"), _Field("available_from", "date"),
        _Field("available_to", "date")),
    "stocks": (
        _Field("id", "id", True), _Field("nation", "stock_nation", True), _Field("holder", "text", True),
        _Field("item", "text", True), _Field("category", "category", True), _Field("quantity", "int", True),
        _Field("lead_days", "int"), _Field("per_expert", "float")),
}
_COMMON = (_Field("illustrative", "bool"), _Field("source_url", "url"), _Field("notes", "notes"))
_CLASSES: dict[str, type[Any]] = {"elements": ForceElement, "experts": Expert, "pools": RotationPool,
                                  "stocks": StockItem}
_CAVEATS = (("environments", "environments"), ("max_distance_km", "float"), ("max_duration_days", "int"),
            ("excluded_tasks", "tasks"), ("not_with", "nations"), ("requires", "codes"), ("notes", "notes"))


def _fields(section: str, platform_fields: bool) -> tuple[_Field, ...]:
    """The fields of ``section`` in the format's order."""
    platform = tuple(_Field(n, "platform") for n in _PLATFORM) if platform_fields else ()
    return _SPEC[section] + _COMMON + platform


#: The columns of each section's CSV, in the order :func:`to_csv` writes them (``doc``, ``marking_key`` are added
#: with ``platform_fields``); the required ones: :data:`REQUIRED`.
CSV_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    section: tuple(c for f in _fields(section, False)
                   for c in ([f"caveat_{n}" for n, _ in _CAVEATS] if f.kind == "caveats" else [f.name]))
    for section in SECTIONS})
REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType({
    section: tuple(f.name for f in _SPEC[section] if f.required) for section in SECTIONS})


class _Reader:
    """Converts one field's raw value (a JSON value, or a CSV cell when ``csv``) into the model's type, within
    bounds; raises :class:`_Bad` naming the field (``caveat_x`` in CSV, ``caveats.x`` in JSON)."""

    def __init__(self, csv_cells: bool, filer: str | None = None) -> None:
        self.csv = csv_cells
        self.filer = filer  #: the filing organisation's country: a row's own nation must be it (EU: any)

    def sub(self, parent: str, name: str) -> str:
        return f"caveat_{name}" if self.csv and parent == "caveats" else f"{parent}.{name}"

    def text(self, name: str, raw: Any, limit: int = MAX_TEXT, lines: bool = False) -> str:  # noqa: ANN401
        if not isinstance(raw, str):
            raise _Bad(name, "must be text", raw)
        value = raw.strip()
        if len(value) > limit:
            raise _Bad(name, f"longer than {limit:,} characters", value[:80] + "...")
        if (_CONTROL if lines else _CONTROL_LINE).search(value):
            raise _Bad(name, "holds control characters", value)
        return value

    def ident(self, name: str, raw: Any) -> str:  # noqa: ANN401
        value = self.text(name, raw, MAX_ID)
        if not _ID.match(value):
            raise _Bad(name, f"must be 1-{MAX_ID} letters, digits or ._:- starting with a letter or digit", value)
        return value

    def nation(self, name: str, raw: Any, eu: bool = False) -> str:  # noqa: ANN401
        value = self.text(name, raw, 8)
        try:
            code = check_country(value)
        except MarkingError:
            raise _Bad(name, "not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, PL)", value) from None
        if code == "EU" and not eu:
            raise _Bad(name, "EU is a nation only for a stock holder (the Strategic Warehouse); give the "
                             "contributing state", value)
        if self.filer is not None and self.filer != "EU" and code != self.filer:
            raise _Bad(name, f"your organisation files for {self.filer} only (an EU body may file for any state)",
                       value)
        return code

    def other_nation(self, name: str, raw: Any) -> str:  # noqa: ANN401
        """A nation named in a row (a caveat's ``not_with``), not the row's own: any state."""
        filer, self.filer = self.filer, None
        try:
            return self.nation(name, raw)
        finally:
            self.filer = filer

    def choice(self, name: str, raw: Any, known: Sequence[str], what: str) -> str:  # noqa: ANN401
        value = self.text(name, raw, MAX_TEXT)
        if value not in known:
            hint = f"one of {', '.join(known)}" if len(known) <= 8 else f"nearest known: {_nearest(value, known)!r}"
            raise _Bad(name, f"unknown {what} {value!r} ({hint})", value)
        return value

    def code(self, name: str, raw: Any) -> str:  # noqa: ANN401
        return self.choice(name, raw, tuple(capabilities()), "capability code")

    def integer(self, name: str, raw: Any, bound: str) -> int:  # noqa: ANN401
        if self.csv:
            cell = self.text(name, raw, 32)
            if not _INT.match(cell):
                raise _Bad(name, "must be a whole number", cell)
            value = int(cell)
        elif isinstance(raw, bool) or not isinstance(raw, int):
            raise _Bad(name, "must be a whole number", raw)
        else:
            value = raw
        low, high = BOUNDS[bound]
        if not low <= value <= high:
            raise _Bad(name, f"must be from {low:,.0f} to {high:,.0f}{_UNITS.get(bound, '')}", str(value))
        return value

    def number(self, name: str, raw: Any, bound: str) -> float:  # noqa: ANN401
        if self.csv:
            cell = self.text(name, raw, 32)
            if not _NUMBER.match(cell):
                raise _Bad(name, "must be a number", cell)
            value = float(cell)
        elif isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise _Bad(name, "must be a number", raw)
        else:
            value = float(raw)
        low, high = BOUNDS[bound]
        if not (math.isfinite(value) and low <= value <= high):
            raise _Bad(name, f"must be from {low:,.0f} to {high:,.0f}{_UNITS.get(bound, '')}", str(raw))
        return value

    def boolean(self, name: str, raw: Any) -> bool:  # noqa: ANN401
        if self.csv and isinstance(raw, str):
            cell = raw.strip().lower()
            if cell in _TRUE or cell in _FALSE:
                return cell in _TRUE
        elif isinstance(raw, bool):
            return raw
        raise _Bad(name, "must be true or false", raw)

    def day(self, name: str, raw: Any) -> date:  # noqa: ANN401
        value = self.text(name, raw, 16)
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise _Bad(name, "must be a date YYYY-MM-DD", value) from None
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise _Bad(name, f"must be a date from {YEARS[0]} to {YEARS[1]}", value)
        return day

    def items(self, name: str, raw: Any) -> list[Any]:  # noqa: ANN401
        """A list field's items: a JSON list, or a ``;``-separated CSV cell."""
        if self.csv and isinstance(raw, str):
            values: list[Any] = [v.strip() for v in raw.split(";") if v.strip()]
        elif isinstance(raw, list):
            values = raw
        else:
            raise _Bad(name, "must be a list", raw)
        if len(values) > MAX_LIST:
            raise _Bad(name, f"more than {MAX_LIST} items", f"{len(values)} items")
        return values

    def unique(self, name: str, values: list[str]) -> tuple[str, ...]:
        seen = set()
        for value in values:
            if value in seen:
                raise _Bad(name, f"{value!r} is given twice", value)
            seen.add(value)
        return tuple(values)

    def mapping(self, name: str, raw: Any, bound: str, known: Sequence[str] | None, what: str
                ) -> dict[str, int]:  # noqa: ANN401
        """``{code: quantity}``: a JSON object, or ``code:qty;code:qty`` in CSV; codes from ``known`` (any
        lower-case code when None); quantities whole numbers within ``BOUNDS[bound]``."""
        pairs: list[tuple[Any, Any]]
        if self.csv and isinstance(raw, str):
            pairs = []
            for part in self.items(name, raw):
                code, sep, qty = part.partition(":")
                if not sep:
                    raise _Bad(name, "must be code:quantity pairs separated by ';'", part)
                pairs.append((code.strip(), qty.strip()))
        elif isinstance(raw, dict):
            dups = getattr(raw, "duplicates", ())
            if dups:
                raise _Bad(name, f"{dups[0]!r} is given twice", dups[0])
            pairs = list(raw.items())
            if len(pairs) > MAX_LIST:
                raise _Bad(name, f"more than {MAX_LIST} entries", f"{len(pairs)} entries")
        else:
            raise _Bad(name, "must be an object of code: quantity", raw)
        out: dict[str, int] = {}
        for code, qty in pairs:
            if known is not None:
                code = self.choice(name, code, known, what)
            elif not isinstance(code, str) or not _KEY.match(code):
                raise _Bad(name, f"{what} must be lower-case letters, digits and '-'", code)
            if code in out:
                raise _Bad(name, f"{code!r} is given twice", code)
            out[code] = self.integer(f"{name}.{code}" if not self.csv else name, qty, bound)
        return out

    def caveats(self, name: str, raw: Any) -> Caveats:  # noqa: ANN401
        if not isinstance(raw, dict):
            raise _Bad(name, "must be an object of caveats", raw)
        dups = getattr(raw, "duplicates", ())
        if dups:
            raise _Bad(name, f"{dups[0]!r} is given twice", dups[0])
        known = [n for n, _ in _CAVEATS]
        for key in raw:
            if key not in known:
                raise _Bad(self.sub(name, str(key)), f"unknown caveat (nearest known: {_nearest(str(key), known)!r})",
                           str(key))
        kwargs: dict[str, Any] = {}
        for key, kind in _CAVEATS:
            value = raw.get(key)
            if value is None or value == "" or value == []:
                continue
            field = self.sub(name, key)
            if kind == "float":
                kwargs[key] = self.number(field, value, key)
            elif kind == "int":
                kwargs[key] = self.integer(field, value, key)
            elif kind == "notes":
                kwargs[key] = self.text(field, value, MAX_NOTES, lines=True)
            else:
                items = self.items(field, value)
                if kind == "environments":
                    items = [self.choice(field, v, ENVIRONMENTS, "environment") for v in items]
                elif kind == "nations":
                    items = [self.other_nation(field, v) for v in items]
                elif kind == "codes":
                    items = [self.code(field, v) for v in items]
                else:
                    items = [self.text(field, v) for v in items]
                kwargs[key] = self.unique(field, items)
        return Caveats(**kwargs)

    def value(self, field: _Field, raw: Any, name: str) -> Any:  # noqa: ANN401 (the model's type of the field)
        kind = field.kind
        if kind == "id":
            return self.ident(name, raw)
        if kind in ("nation", "stock_nation"):
            return self.nation(name, raw, eu=kind == "stock_nation")
        if kind == "text":
            return self.text(name, raw)
        if kind in ("notes", "platform"):
            return self.text(name, raw, MAX_NOTES, lines=kind == "notes")
        if kind == "url":
            url = self.text(name, raw, MAX_NOTES)
            if url and not _URL.match(url):
                raise _Bad(name, "must be an http:// or https:// address", url)
            return url
        if kind == "component":
            return self.choice(name, raw, COMPONENTS, "component")
        if kind == "profile":
            return self.choice(name, raw, tuple(profiles()), "profile")
        if kind == "capability":
            return self.code(name, raw)
        if kind == "clearance":
            return self.choice(name, raw, CLEARANCES, "clearance")
        if kind == "category":
            return self.choice(name, raw, STOCK_CATEGORIES, "category")
        if kind == "int":
            return self.integer(name, raw, field.name)
        if kind == "float":
            return self.number(name, raw, field.name)
        if kind == "bool":
            return self.boolean(name, raw)
        if kind == "date":
            return self.day(name, raw)
        if kind == "languages":
            items = self.items(name, raw)
            langs = []
            for item in items:
                lang = self.text(name, item, 8).lower()
                if lang not in _languages():
                    raise _Bad(name, f"{lang!r} is not an ISO 639-1 language code (e.g. en, fr, de)", lang)
                langs.append(lang)
            return self.unique(name, langs)
        if kind == "capabilities":
            return self.mapping(name, raw, "capabilities", tuple(capabilities()), "capability code")
        if kind == "transport":
            return self.mapping(name, raw, "transport", None, "a transport need")
        if kind == "caveats":
            return self.caveats(name, raw)
        raise AssertionError(kind)  # pragma: no cover


# --- one row -------------------------------------------------------------------------------------------------------


def _empty(raw: Any) -> bool:  # noqa: ANN401
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _build(section: str, row: Mapping[str, Any], reader: _Reader, defaults: Mapping[str, Any],
           platform_fields: bool) -> tuple[Record | None, list[_Bad]]:
    """The record of one row (None when a field is bad) and every bad field. ``row`` maps field names to raw values
    (for CSV, the caveat columns already gathered into a ``caveats`` mapping)."""
    prefix = "" if reader.csv else f"{section}."
    spec = _fields(section, platform_fields)
    names = {f.name for f in spec}
    bad: list[_Bad] = []
    dups = getattr(row, "duplicates", ())
    if dups:
        bad.append(_Bad(prefix + dups[0], "given twice in the row", dups[0]))
    for key in row:
        if key in _PLATFORM and not platform_fields:
            if not _empty(row[key]):
                bad.append(_Bad(prefix + key, "is set by the platform when the contribution is stored: remove it",
                                row[key]))
        elif key not in names:
            bad.append(_Bad(prefix + str(key), f"unknown field (nearest known: {_nearest(str(key), names)!r})",
                            str(key)))
    kwargs: dict[str, Any] = {}
    for field in spec:
        raw = row.get(field.name)
        if _empty(raw) and field.name in defaults:
            raw = defaults[field.name]
        if _empty(raw) or (field.kind == "caveats" and not reader.csv and raw == {}):
            if field.required:
                bad.append(_Bad(prefix + field.name, "is required"))
            continue
        try:
            kwargs[field.name] = reader.value(field, raw, prefix + field.name)
        except _Bad as error:
            bad.append(error)
    start, end = kwargs.get("available_from"), kwargs.get("available_to")
    if start is not None and end is not None and start > end:
        bad.append(_Bad(prefix + "available_to", f"is before available_from ({start.isoformat()})", end.isoformat()))
    if bad:
        return None, bad
    if section == "elements":
        kwargs.setdefault("capabilities", {})  # the model gives it no default
    return _CLASSES[section](**kwargs), []


class _Collector:
    """The records and rejections of one submission: refuses a second row with a key already given."""

    def __init__(self, source: str, unit: Unit, edition: str) -> None:
        self.source, self.unit = source, unit
        self.register = Register(edition)
        self.rejections: list[Rejection] = []
        self.seen: dict[str, str] = {}
        self.rows = 0

    def count(self) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise ValueError(f"{self.source}: more than {MAX_ROWS:,} rows in one submission: send it in parts")

    def reject(self, line: int, field: str, reason: str, value: str = "") -> None:
        value = value if len(value) <= 200 else value[:200] + "..."
        if self.unit == "item" and value:
            reason = f"{reason} (got {value!r})"
        self.rejections.append(Rejection(self.source, line, field, reason, value, self.unit))

    def add(self, section: str, record: Record | None, bad: list[_Bad], line: int, where: str) -> None:
        if record is not None:
            first = self.seen.get(record.key)
            if first is not None:
                field = "id" if self.unit == "line" else f"{section}.id"
                self.reject(line, field, f"{record.key} is given twice (first at {first}): the first is kept",
                            record.id)
                return
            self.seen[record.key] = where
            getattr(self.register, section).append(record)
        for error in bad:
            self.reject(line, error.field, error.reason, error.value)

    def result(self) -> tuple[Register, list[Rejection]]:
        rejections = self.rejections
        if len(rejections) > MAX_REJECTIONS:
            more = len(rejections) - MAX_REJECTIONS
            rejections = rejections[:MAX_REJECTIONS] + [Rejection(
                self.source, 0, "", f"{more:,} more rejections not listed", "", self.unit)]
        return self.register, rejections


# --- reading -------------------------------------------------------------------------------------------------------


def format_of(text: str) -> str:
    """``json`` when ``text`` (after a byte-order mark and white space) starts with ``{``, else ``csv``."""
    return "json" if text.lstrip("\ufeff \t\r\n").startswith("{") else "csv"


def parse(text: str, source: str, fmt: str | None = None, *, edition: str | None = None,
          platform_fields: bool = False, filer: str | None = None) -> tuple[Register, list[Rejection]]:
    """The register in ``text`` (``fmt`` ``"json"`` or ``"csv"``, recognised by :func:`format_of` when None) and a
    rejection for every row (or the file) that cannot be used; the good rows go through. ``edition`` is the
    edition when the text states none (when both are given they must agree). ``platform_fields``: read ``doc`` and
    ``marking_key`` (the platform's own storage; refused in a contribution). Raises ``ValueError`` only for a
    submission beyond :data:`MAX_CHARS` characters or :data:`MAX_ROWS` rows, or an unknown ``fmt``. ``filer``: the
    filing organisation's country; a row of another nation is rejected (``EU``, an EU body: any nation)."""
    if not isinstance(text, str):
        raise ValueError(f"{source}: not text")
    if len(text) > MAX_CHARS:
        raise ValueError(f"{source}: larger than {MAX_CHARS:,} characters: send it in parts")
    fmt = format_of(text) if fmt is None else fmt.lower()
    if fmt not in ("json", "csv"):
        raise ValueError(f"unknown format {fmt!r}: json or csv")
    text = text.removeprefix("\ufeff")
    if fmt == "json":
        return _parse_json(text, source, edition, platform_fields, filer)
    return _parse_csv(text, source, edition, platform_fields, filer)


def _edition(stated: str | None, given: str | None) -> str:
    """The submission's edition; ``ValueError`` with the reason when it is malformed or the two disagree."""
    for value in (stated, given):
        if value is not None:
            check_edition(value)
    if stated is not None and given is not None and stated != given:
        raise ValueError(f"the text states edition {stated!r} but edition {given!r} was given")
    return stated if stated is not None else (given or "")


class _Obj(dict[str, Any]):
    """A JSON object that remembers the keys given twice (``json`` keeps the last silently)."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, Any]]) -> _Obj:
    out = _Obj()
    dups = []
    for key, value in pairs:
        if key in out:
            dups.append(key)
        out[key] = value
    if dups:
        out.duplicates = tuple(dups)
    return out


_TOP = ("format", "edition", "illustrative", "source_url", "description") + SECTIONS


def _parse_json(text: str, source: str, given: str | None, platform_fields: bool,
                filer: str | None = None) -> tuple[Register, list[Rejection]]:
    whole = _Collector(source, "item", given or "")
    try:
        doc = json.loads(text, object_pairs_hook=_pairs)
    except (ValueError, RecursionError) as error:
        whole.reject(0, "", f"not JSON: {error}" if not isinstance(error, RecursionError) else "nested too deeply")
        return whole.result()
    if not isinstance(doc, dict):
        whole.reject(0, "", f"not a {FORMAT} document (a JSON object with elements, experts, pools, stocks)")
        return whole.result()
    problems = [f"{key!r} is given twice" for key in getattr(doc, "duplicates", ())]
    if doc.get("format", FORMAT) != FORMAT:
        problems.append(f"format {doc.get('format')!r} is not {FORMAT!r}")
    stated = doc.get("edition")
    try:
        edition = _edition(stated if stated is None or isinstance(stated, str) else str(stated), given)
    except ValueError as error:
        problems.append(str(error))
        edition = ""
    if problems:
        for problem in problems:
            whole.reject(0, "", problem)
        return whole.result()
    out = _Collector(source, "item", edition)
    reader = _Reader(csv_cells=False, filer=filer)
    defaults: dict[str, Any] = {}
    for key in ("illustrative", "source_url"):
        if key in doc:
            try:
                defaults[key] = reader.value(next(f for f in _COMMON if f.name == key), doc[key], key)
            except _Bad as error:
                out.reject(0, key, error.reason, error.value)
    for key in doc:
        if key not in _TOP:
            out.reject(0, str(key), f"unknown key (nearest known: {_nearest(str(key), _TOP)!r})")
    for section in SECTIONS:
        rows = doc.get(section, [])
        if not isinstance(rows, list):
            out.reject(0, section, "must be a list of objects")
            continue
        if out.rows + len(rows) > MAX_ROWS:
            raise ValueError(f"{source}: more than {MAX_ROWS:,} rows in one submission: send it in parts")
        for number, row in enumerate(rows, 1):
            out.count()
            if not isinstance(row, dict):
                out.reject(number, section, "not a JSON object")
                continue
            record, bad = _build(section, row, reader, defaults, platform_fields)
            out.add(section, record, bad, number, f"{section} item {number}")
    return out.result()


def _unescape(cell: str) -> str:
    """The text :func:`kompas.csvsafe.safe_cell` wrote as ``cell`` (its ``'`` before a formula start removed)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START) and not _NUMBER.match(cell[1:]):
        cell = cell[1:]
    return _UNESCAPE_INNER.sub(r"\1\2", cell) if "'" in cell else cell


def _section_of(header: list[str]) -> tuple[str | None, str]:
    """The section whose columns the header names, or None and why not."""
    names = set(header)
    extra = set(_PLATFORM)
    fits = [s for s in SECTIONS if set(REQUIRED[s]) <= names and names <= set(CSV_COLUMNS[s]) | extra]
    if len(fits) == 1:
        return fits[0], ""
    best = max(SECTIONS, key=lambda s: (len(names & set(CSV_COLUMNS[s])), -len(set(REQUIRED[s]) - names)))
    unknown = sorted(names - set(CSV_COLUMNS[best]) - extra)
    if unknown:
        near = _nearest(unknown[0], CSV_COLUMNS[best])
        return None, f"unknown column {unknown[0]!r} for {best} (nearest known: {near!r})"
    missing = [c for c in REQUIRED[best] if c not in names]
    return None, f"the header names no section's required columns ({best} needs {', '.join(missing)})"


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of ``text`` with the line each starts on; a ``csv.Error`` is raised as ``ValueError(line)``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Bad("", f"cannot read the CSV from here on: {error}", str(line)) from None
        yield line, row


def _parse_csv(text: str, source: str, given: str | None, platform_fields: bool,
               filer: str | None = None) -> tuple[Register, list[Rejection]]:
    out = _Collector(source, "line", given or "")
    reader = _Reader(csv_cells=True, filer=filer)
    defaults: dict[str, Any] = {}
    stated: str | None = None
    header: list[str] | None = None
    section = ""
    try:
        for line, cells in _csv_rows(text):
            if not any(c.strip() for c in cells):
                continue
            if cells[0].lstrip().startswith("#"):
                match = _DIRECTIVE.match(",".join(cells).strip()) if header is None else None
                if match:
                    key, value = match.group(1), match.group(2)
                    if key == "edition":
                        stated = value
                    else:
                        try:
                            defaults[key] = reader.value(next(f for f in _COMMON if f.name == key), value, key)
                        except _Bad as error:
                            out.reject(line, key, error.reason, error.value)
                continue
            if header is None:
                try:
                    out.register.edition = _edition(stated, given)
                except ValueError as error:
                    out.reject(line, "edition", str(error), stated or "")
                    return out.result()
                header = [c.strip().lower() for c in cells]
                problem = _header_problem(header, platform_fields)
                if problem:
                    out.reject(line, problem[0], problem[1], problem[2])
                    return out.result()
                section = _section_of(header)[0] or ""
                continue
            out.count()
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                out.reject(line, "", f"{len(cells)} cells but the header names {len(header)} columns", extra[0])
                continue
            row: dict[str, Any] = {}
            caveats: dict[str, str] = {}
            for name, cell in zip(header, cells, strict=False):
                cell = _unescape(cell)
                if name.startswith("caveat_"):
                    if cell.strip():
                        caveats[name.removeprefix("caveat_")] = cell
                else:
                    row[name] = cell
            if caveats:
                row["caveats"] = caveats
            record, bad = _build(section, row, reader, defaults, platform_fields)
            out.add(section, record, bad, line, f"line {line}")
    except _Bad as broken:
        out.reject(int(broken.value), "", broken.reason)
    if header is None:
        out.reject(0, "", "no header row: the first row that is not a comment must name the columns")
    return out.result()


def _header_problem(header: list[str], platform_fields: bool) -> tuple[str, str, str] | None:
    """Why ``header`` cannot be read (field, reason, value), or None."""
    if header[0] != "id":
        return "", "the header must start with the column id (a row starting with # is a comment)", header[0]
    for name in header:
        if header.count(name) > 1:
            return name, "column named twice", name
        if not name:
            return "", "a column without a name", ""
        if name in _PLATFORM and not platform_fields:
            return name, "is set by the platform when the contribution is stored: remove the column", name
    section, why = _section_of(header)
    if section is None:
        return "", why, ""
    return None


# --- writing -------------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:  # noqa: ANN401 (a model value -> its JSON value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Caveats):
        return {n: _plain(getattr(value, n)) for n, _ in _CAVEATS
                if getattr(value, n) != getattr(_NO_CAVEATS, n)}
    return value


_NO_CAVEATS = Caveats()
_ALWAYS = frozenset({"illustrative", "source_url"})


def _row(record: Record, section: str, platform_fields: bool) -> dict[str, Any]:
    """The JSON object of one record: its fields in the format's order, those at their default left out."""
    out: dict[str, Any] = {}
    defaults = {f.name: f for f in dataclasses.fields(record)}
    for field in _fields(section, platform_fields):
        value = getattr(record, field.name)
        spec = defaults[field.name]
        default = (spec.default if spec.default is not dataclasses.MISSING
                   else spec.default_factory() if spec.default_factory is not dataclasses.MISSING else None)
        if field.required or field.name in _ALWAYS or value != default:
            out[field.name] = _plain(value)
    return out


def record_dict(record: Record, *, platform_fields: bool = False) -> dict[str, Any]:
    """The JSON row of one record, as :func:`to_json` writes it (dates ISO, tuples as lists, fields at their default
    left out); ``platform_fields`` adds ``doc`` and ``marking_key``."""
    section = next(s for s, c in _CLASSES.items() if isinstance(record, c))
    return _row(record, section, platform_fields)


def to_json(register: Register, *, description: str = "", platform_fields: bool = False) -> str:
    """``register`` in the canonical JSON format, one row per line (``parse(to_json(r)) == r``). ``description``
    documents the file (not read back into the register); ``platform_fields`` writes ``doc`` and ``marking_key``."""
    head: dict[str, Any] = {"format": FORMAT, "edition": register.edition}
    if description:
        head["description"] = description
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    for i, section in enumerate(SECTIONS):
        rows = [json.dumps(_row(r, section, platform_fields), ensure_ascii=False)
                for r in getattr(register, section)]
        end = "" if i == len(SECTIONS) - 1 else ","
        if rows:
            lines += [f" {json.dumps(section)}: ["] + [f"  {r}," for r in rows[:-1]] + [f"  {rows[-1]}", f" ]{end}"]
        else:
            lines.append(f" {json.dumps(section)}: []{end}")
    return "\n".join(lines + ["}"]) + "\n"


def _cell(value: Any) -> str:  # noqa: ANN401 (a model value -> its CSV text)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(register: Register, section: str, *, platform_fields: bool = False) -> str:
    """One section of ``register`` in the CSV format (:data:`CSV_COLUMNS`), spreadsheet-safe; parsing it gives the
    same records. ``platform_fields`` adds ``doc`` and ``marking_key``."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}: one of {', '.join(SECTIONS)}")
    columns = list(CSV_COLUMNS[section]) + (list(_PLATFORM) if platform_fields else [])
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    for record in getattr(register, section):
        cells = []
        for column in columns:
            if column.startswith("caveat_"):
                value = getattr(record.caveats, column.removeprefix("caveat_"))
            else:
                value = getattr(record, column)
            cells.append(safe_cell(_cell(value)))
        writer.writerow(cells)
    return handle.getvalue()


# --- the bundled example set ---------------------------------------------------------------------------------------

EXAMPLE_FOLDER = "forces/example"  #: the illustrative example set, under ``kompas/data``


def example_editions() -> list[str]:
    """The editions of the bundled illustrative example set (``kompas/data/forces/example/register_*.json``)."""
    from kompas.files import packaged

    names = (p.name for p in packaged(EXAMPLE_FOLDER).iterdir())
    return sorted(n.removeprefix("register_").removesuffix(".json") for n in names
                  if n.startswith("register_") and n.endswith(".json"))


def load_example(edition: str) -> Register:
    """The bundled illustrative register of ``edition`` (every row ``illustrative``, with its ``source_url``;
    ``kompas/data/forces/README.md`` says what is public fact and what is invented). ``ValueError`` when there is
    no such edition or the file does not read cleanly."""
    from kompas.files import read_packaged

    if edition not in example_editions():
        raise ValueError(f"no example edition {edition!r}: one of {', '.join(example_editions())}")
    name = f"{EXAMPLE_FOLDER}/register_{edition}.json"
    register, rejections = parse(read_packaged(name), f"kompas/data/{name}", "json")
    if rejections:
        raise ValueError(f"kompas/data/{name}: {len(rejections)} rejections, first: {rejections[0]}")
    return register

