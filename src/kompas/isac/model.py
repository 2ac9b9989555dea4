"""Space ISAC incident reports: the record Kompas keeps, its closed vocabularies and its JSON form.

**Source of the fields.** The Space ISAC's reporting elements for RF electromagnetic interference (EMI) events as
its contribution to the OASIS SATIS TC lists them ("RF EMI to STIX Notional Mapping", 2025, read from
``../shared/data/space-threats/satis/stix-mapping-proof-of-concept.md``: the consolidated reporting components and
the notional reporting format), plus what issue 29 adds: the affected segment, TLP and PAP, Kompas markings and the
reporter's wish to stay anonymous or pseudonymous.

================================  ====================================================================================
field                             meaning (units in the name)
================================  ====================================================================================
``id``                            UUID text; the same report read twice has the same id (:func:`report_id`)
``title``, ``summary``            the report's TITLE and SUMMARY
``start_utc``, ``stop_utc``       UTC event start / stop (SATIS "UTC correlated event start/stop"), stored form
                                  ``YYYY-MM-DDTHH:MM:SS.fffffffffZ``; ``stop_utc`` None when not stated
``reported_utc``                  when the report reached the ISAC (None when not stated)
``segment``                       :data:`SEGMENTS`: space, ground, link (an uplink/downlink), user (receivers)
``interference``                  :data:`INTERFERENCE_TYPES` (closed vocabulary, sources there)
``band``                          :class:`Band`: IEEE 521 letter and/or a range in MHz
``locations``                     :class:`Location` points (degrees WGS-84, optional radius km) or named regions
``satellites``                    :class:`Satellite` (NORAD id and/or name); ``norad_ids`` their ids
``constellation``,                the SATIS "satellite constellation" and "associated ground station"
``ground_station``
``link``                          ``uplink``, ``downlink`` or "" (SATIS "uplink or downlink impacted")
``payload_impact``                SATIS "exhibited anomaly payload impact" / "sensor effect" as written
``impact_level``                  :data:`IMPACT_LEVELS` (SPARTA's impact techniques, ordered by severity)
``post_event_status``             :data:`POST_EVENT_STATUSES`
``sparta_ids``, ``attack_ids``    SPARTA technique ids (``EX-0016.03``) and MITRE ATT&CK ids (``T1565``)
``pap``                           :class:`PAP` (Permissible Actions Protocol)
``marking``                       the Kompas :class:`~kompas.core.markings.Marking` (classification, TLP, ...)
``reporter``                      the contributing organisation's code: known to the platform, never shown to
                                  other members unless ``disclosure`` is ``named`` (nor as an originator or a
                                  releasability code of the shared marking: :attr:`IsacReport.shared_marking`)
``pseudonym``, ``disclosure``     :data:`DISCLOSURES`: anonymous, pseudonymous (a stable pseudonym), named
``sensor_range``                  :class:`Band`: the sensor's operating range (SATIS "sensor wavelength/frequency")
``sensor_fov_deg``                sensor field of view, degrees
``pointing``                      :class:`Attitude` quaternions during the anomaly
``state_start``, ``state_end``    :class:`EcefState`: the satellite's ECEF position (km) and velocity (km/s) at
                                  anomaly start and end
``polarization``, ``beam_format``,  the SATIS anomaly details as written (laser fields for laser events)
``pulse``, ``laser_colour``,
``event_association``
``norad_ids_obfuscated``          True when the source says its NORAD ids are obfuscated (never enrich them)
``references``                    URLs the report cites
``notes``                         what a reader derived or converted (GPS -> UTC, a derived segment ...)
``source``                        where the report was read from
================================  ====================================================================================

The model is pure: construction validates every field and raises :class:`IsacError` (field, reason, value);
:meth:`IsacReport.as_dict` / :func:`report_from_dict` are the JSON form (the "Kompas ISAC JSON" of
:mod:`kompas.isac.reader`) and are exact inverses.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from kompas.core.markings import TLP, Marking, MarkingError
from kompas.times import parse_time_utc, utc_text_ns

__all__ = ["DISCLOSURES", "FAMILIES", "IEEE_BANDS", "IMPACT_LEVELS", "IMPACT_TECHNIQUES", "INTERFERENCE_TYPES",
           "ITU_BANDS", "LOCATION_KINDS", "NAMESPACE", "POST_EVENT_STATUSES", "SEGMENTS", "SPARTA_ID", "PAP",
           "Attitude", "Band", "EcefState", "IsacError", "IsacReport", "Location", "Satellite", "band_letters",
           "itu_band", "report_from_dict", "report_id"]

NAMESPACE = uuid.UUID("8c0e4a52-61d7-4f2b-9a3e-5b7d2c1f0e94")  #: namespace of Kompas's derived ISAC ids (UUID 5)

SEGMENTS = ("space", "ground", "link", "user")  #: the segment a report concerns (issue 29; ENISA's segments)

#: The closed vocabulary of interference (anomaly) types and where each comes from. SATIS: the notional format's
#: "TYPE (i.e., EMI, Laser, Kinetic)" and the element "Anomaly Type Capture (Interference, Jamming, Spoofing, Space
#: WX)"; issue 29: "jamming, spoofing, cyber intrusion, physical, RPO".
INTERFERENCE_TYPES: dict[str, str] = {
    "jamming": "intentional RF interference denying a signal (SATIS 'Jamming'; SPARTA EX-0016)",
    "spoofing": "a counterfeit signal taken for a genuine one (SATIS 'Spoofing'; SPARTA EX-0014)",
    "unknown-emi": "RF electromagnetic interference not (yet) attributed to jamming (SATIS type 'EMI', 'RFI', "
                   "'Interference')",
    "laser": "laser illumination of a sensor (SATIS type 'Laser')",
    "kinetic": "a kinetic effect on a space object (SATIS type 'Kinetic')",
    "cyber-intrusion": "unauthorised access to a ground, space or user system (issue 29 'cyber intrusion')",
    "physical": "a physical attack on a ground asset (issue 29 'physical')",
    "rpo": "an unannounced rendezvous and proximity operation (issue 29 'RPO'; SPARTA IA-0005, REC-0005.03)",
    "space-weather": "a natural space-weather effect (SATIS 'Space WX')",
}
#: The family each interference type clusters with (:mod:`kompas.isac.cluster`): RF interference in one family,
#: because a surge of jamming is typically reported by some as jamming, by others as unexplained EMI or spoofing.
FAMILIES: dict[str, str] = {"jamming": "rf", "spoofing": "rf", "unknown-emi": "rf", "laser": "directed-energy",
                            "kinetic": "kinetic", "cyber-intrusion": "cyber", "physical": "physical",
                            "rpo": "proximity", "space-weather": "natural"}
#: Impact levels, least to most severe: SPARTA's impact techniques (IMP-0004 Degradation, IMP-0002 Disruption,
#: IMP-0003 Denial, IMP-0005 Destruction), in the order of their definitions (reduce effectiveness; temporarily
#: impair; temporarily eliminate; permanently eliminate); "unknown" when the reporter does not say.
IMPACT_LEVELS = ("unknown", "none", "degradation", "disruption", "denial", "destruction")
IMPACT_TECHNIQUES = {"IMP-0004": "degradation", "IMP-0002": "disruption", "IMP-0003": "denial",
                     "IMP-0005": "destruction"}  #: SPARTA impact technique -> impact level
POST_EVENT_STATUSES = ("unknown", "operational", "degraded", "non-operational")  #: SATIS "post event status"
DISCLOSURES = ("anonymous", "pseudonymous", "named")  #: how the reporter is shown to other members
LOCATION_KINDS = ("interference", "sub-satellite", "ground-station")  #: what a location is the place of
LINKS = ("", "uplink", "downlink")
#: SPARTA ids as the MISP galaxy spells them: techniques ``EX-0016``, sub-techniques ``EX-0016.03``, related-work
#: threats ``SV-AV-1``.
SPARTA_ID = re.compile(r"^(?:(?:REC|RD|IA|EX|PER|DE|LM|EXF|IMP)-\d{4}(?:\.\d{2})?|SV-[A-Z]{2,3}-\d{1,2})$")
ATTACK_ID = re.compile(r"^(?:T\d{4}(?:\.\d{3})?)$")  #: ATT&CK (Enterprise and ICS) technique ids

#: IEEE Std 521-2002 letter designations for radar-frequency bands (MHz; lower edge included, upper excluded, the
#: last band closed). Checked against the table reproduced by the National Academies' "Handbook of Frequency
#: Allocations and Spectrum Protection for Scientific Uses" (2015), appendix B, through the search tool.
IEEE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("HF", 3.0, 30.0), ("VHF", 30.0, 300.0), ("UHF", 300.0, 1000.0), ("L", 1000.0, 2000.0), ("S", 2000.0, 4000.0),
    ("C", 4000.0, 8000.0), ("X", 8000.0, 12000.0), ("Ku", 12000.0, 18000.0), ("K", 18000.0, 27000.0),
    ("Ka", 27000.0, 40000.0), ("V", 40000.0, 75000.0), ("W", 75000.0, 110000.0), ("mm", 110000.0, 300000.0))
#: ITU band names (Recommendation ITU-R V.431, bands 4-12), MHz.
ITU_BANDS: tuple[tuple[str, float, float], ...] = (
    ("VLF", 0.003, 0.03), ("LF", 0.03, 0.3), ("MF", 0.3, 3.0), ("HF", 3.0, 30.0), ("VHF", 30.0, 300.0),
    ("UHF", 300.0, 3000.0), ("SHF", 3000.0, 30000.0), ("EHF", 30000.0, 300000.0), ("THF", 300000.0, 3000000.0))
_LETTERS = {name.lower(): name for name, _, _ in IEEE_BANDS}


class IsacError(ValueError):
    """A field that is not valid: ``field`` says where (a JSON path), ``reason`` why, ``value`` what was read."""

    def __init__(self, field: str, reason: str, value: object = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.value = field, reason, str(value)[:200]


class PAP(IntEnum):
    """The Permissible Actions Protocol: what a recipient may do with the information (MISP's ``PAP`` taxonomy,
    which the OASIS PAP marking-definition extension expresses in STIX), least to most restrictive. ``WHITE`` is
    read as ``CLEAR`` (the taxonomy keeps both; TLP 2.0 renamed WHITE to CLEAR the same way)."""

    CLEAR = 0
    GREEN = 1
    AMBER = 2
    RED = 3

    @property
    def label(self) -> str:
        """``PAP:AMBER`` (the MISP tag)."""
        return f"PAP:{self.name}"

    @classmethod
    def parse(cls, text: str) -> PAP:
        """Accept ``AMBER``, ``pap:amber``, ``PAP:AMBER``; ``WHITE`` is CLEAR. Raises :class:`IsacError`."""
        key = str(text).strip().upper().removeprefix("PAP:")
        key = "CLEAR" if key == "WHITE" else key
        if key not in cls.__members__:
            raise IsacError("pap", "not a PAP level: CLEAR, GREEN, AMBER or RED", text)
        return cls[key]


def band_letters(low_mhz: float, high_mhz: float) -> tuple[str, ...]:
    """The IEEE 521 letters a range (MHz) touches, in frequency order (a single frequency: ``low == high``)."""
    last = len(IEEE_BANDS) - 1
    return tuple(name for i, (name, lo, hi) in enumerate(IEEE_BANDS)
                 if lo <= high_mhz and (low_mhz < hi or (i == last and low_mhz <= hi)))


def itu_band(low_mhz: float, high_mhz: float) -> str:
    """The ITU-R V.431 band name(s) of a range (MHz), ``/``-joined when it spans more than one."""
    names = [name for name, lo, hi in ITU_BANDS if lo <= high_mhz and low_mhz < hi]
    return "/".join(names)


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise IsacError(name, "must be a finite number", repr(value))
    return float(value)


@dataclass(frozen=True)
class Band:
    """A frequency band: an IEEE 521 ``letter`` (``L``, ``Ku``; several joined by ``/``) and/or a range
    ``low_mhz``..``high_mhz`` (MHz; a single frequency has ``low == high``). A range alone gets its letter(s)
    derived; a letter and a range must agree (the range must touch the letter's band)."""

    low_mhz: float | None = None
    high_mhz: float | None = None
    letter: str = ""

    def __post_init__(self) -> None:
        if (self.low_mhz is None) != (self.high_mhz is None):
            raise IsacError("band", "give both low_mhz and high_mhz (equal for one frequency), or neither")
        letters = [part.strip() for part in self.letter.split("/") if part.strip()] if self.letter else []
        canonical = []
        for part in letters:
            found = _LETTERS.get(part.lower().removesuffix("-band").removesuffix(" band").strip())
            if found is None:
                raise IsacError("band.letter", "not an IEEE 521 letter band (HF, VHF, UHF, L, S, C, X, Ku, K, Ka, "
                                "V, W, mm)", part)
            canonical.append(found)
        if self.low_mhz is not None and self.high_mhz is not None:
            low, high = _finite(self.low_mhz, "band.low_mhz"), _finite(self.high_mhz, "band.high_mhz")
            if not 0 < low <= high:
                raise IsacError("band", "need 0 < low_mhz <= high_mhz", f"{low}..{high}")
            derived = band_letters(low, high)
            if canonical and not set(canonical) & set(derived):
                raise IsacError("band.letter", f"{'/'.join(canonical)}-band does not contain {low:g}-{high:g} MHz "
                                f"(IEEE 521: {'/'.join(derived) or 'outside 3 MHz-300 GHz'})", self.letter)
            object.__setattr__(self, "low_mhz", low)
            object.__setattr__(self, "high_mhz", high)
            canonical = canonical or list(derived)
        if not canonical and self.low_mhz is None:
            raise IsacError("band", "a band needs a letter or a range in MHz")
        object.__setattr__(self, "letter", "/".join(dict.fromkeys(canonical)))

    @property
    def letters(self) -> tuple[str, ...]:
        """The IEEE letters (from the range when there is one, else as stated)."""
        if self.low_mhz is not None and self.high_mhz is not None:
            return band_letters(self.low_mhz, self.high_mhz)
        return tuple(self.letter.split("/")) if self.letter else ()

    @property
    def range_mhz(self) -> tuple[float, float] | None:
        """(low, high) MHz: the stated range, else the edges of the stated letter band(s); None if neither."""
        if self.low_mhz is not None and self.high_mhz is not None:
            return self.low_mhz, self.high_mhz
        edges = [(lo, hi) for name, lo, hi in IEEE_BANDS if name in self.letters]
        return (min(e[0] for e in edges), max(e[1] for e in edges)) if edges else None

    @property
    def itu(self) -> str:
        """The ITU-R V.431 band name(s) of :attr:`range_mhz` ("" when unknown)."""
        found = self.range_mhz
        return itu_band(*found) if found else ""

    def as_dict(self) -> dict[str, Any]:
        return {"low_mhz": self.low_mhz, "high_mhz": self.high_mhz, "letter": self.letter}


@dataclass(frozen=True)
class Location:
    """A place of the report: a point (``lat_deg``/``lon_deg``, degrees WGS-84, longitude normalised to
    [-180, 180)) with an optional ``radius_km``, and/or a named ``region``. ``kind``: :data:`LOCATION_KINDS`
    (where the interference was correlated, the satellite's sub-satellite point, a ground station);
    ``norad_id``: the satellite this point was observed by (SATIS use case 3 ties each point to one satellite);
    ``label``: the source's name for it ("RF EMI Incident 5")."""

    lat_deg: float | None = None
    lon_deg: float | None = None
    radius_km: float | None = None
    region: str = ""
    norad_id: int | None = None
    label: str = ""
    kind: str = "interference"

    def __post_init__(self) -> None:
        if (self.lat_deg is None) != (self.lon_deg is None):
            raise IsacError("location", "give both lat_deg and lon_deg, or neither")
        if self.lat_deg is not None and self.lon_deg is not None:
            lat, lon = _finite(self.lat_deg, "location.lat_deg"), _finite(self.lon_deg, "location.lon_deg")
            if not -90.0 <= lat <= 90.0:
                raise IsacError("location.lat_deg", "must be in [-90, 90] degrees", lat)
            object.__setattr__(self, "lat_deg", lat)
            if not -180.0 <= lon < 180.0:  # 335.36 E -> -24.64 (rounded to 1e-9 deg: no float residue)
                lon = round((lon + 180.0) % 360.0 - 180.0, 9)
            object.__setattr__(self, "lon_deg", lon)
        elif not str(self.region).strip():
            raise IsacError("location", "a location needs lat_deg/lon_deg or a region name")
        if self.radius_km is not None and not _finite(self.radius_km, "location.radius_km") > 0:
            raise IsacError("location.radius_km", "must be positive (km)", self.radius_km)
        if self.kind not in LOCATION_KINDS:
            raise IsacError("location.kind", f"not one of {', '.join(LOCATION_KINDS)}", self.kind)
        if self.norad_id is not None:
            _norad(self.norad_id, "location.norad_id")
        object.__setattr__(self, "region", str(self.region).strip())
        object.__setattr__(self, "label", str(self.label).strip())

    @property
    def point(self) -> bool:
        """Whether it has coordinates."""
        return self.lat_deg is not None

    def as_dict(self) -> dict[str, Any]:
        return {"lat_deg": self.lat_deg, "lon_deg": self.lon_deg, "radius_km": self.radius_km, "region": self.region,
                "norad_id": self.norad_id, "label": self.label, "kind": self.kind}


def _norad(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 1_000_000_000:
        raise IsacError(name, "a NORAD id is a positive integer (below 10^9)", repr(value))
    return value


@dataclass(frozen=True)
class Satellite:
    """An affected satellite: its NORAD catalogue id (None when the source gives only a name) and its name."""

    norad_id: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.norad_id is not None:
            _norad(self.norad_id, "satellites.norad_id")
        object.__setattr__(self, "name", str(self.name).strip())
        if self.norad_id is None and not self.name:
            raise IsacError("satellites", "a satellite needs a NORAD id or a name")

    @property
    def label(self) -> str:
        """``SMOS (NORAD 36036)``, ``NORAD 36036`` or the name."""
        if self.norad_id is None:
            return self.name
        return f"{self.name} (NORAD {self.norad_id})" if self.name else f"NORAD {self.norad_id}"

    def as_dict(self) -> dict[str, Any]:
        return {"norad_id": self.norad_id, "name": self.name}


def _vector(values: object, n: int, name: str) -> tuple[float, ...]:
    if not isinstance(values, Sequence) or isinstance(values, str) or len(values) != n:
        raise IsacError(name, f"must be a list of {n} numbers", repr(values))
    return tuple(_finite(v, name) for v in values)


def _stored_time(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise IsacError(name, "must be an ISO 8601 UTC time text", repr(value))
    try:
        return utc_text_ns(parse_time_utc(value))
    except ValueError as error:
        raise IsacError(name, str(error), value) from None


@dataclass(frozen=True)
class EcefState:
    """A satellite state in an Earth-centred Earth-fixed frame (ITRF / WGS-84): position km, velocity km/s,
    at ``time_utc`` (stored form). SATIS reports give metres and m/s in GPS time: the reader converts."""

    time_utc: str
    position_km: tuple[float, float, float]
    velocity_km_s: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "time_utc", _stored_time(self.time_utc, "state.time_utc"))
        object.__setattr__(self, "position_km", _vector(self.position_km, 3, "state.position_km"))
        if self.velocity_km_s is not None:
            object.__setattr__(self, "velocity_km_s", _vector(self.velocity_km_s, 3, "state.velocity_km_s"))
        radius = math.dist(self.position_km, (0.0, 0.0, 0.0))
        if not 6300.0 <= radius <= 500_000.0:
            raise IsacError("state.position_km", "not an Earth-orbit position: |r| must be 6,300-500,000 km",
                            f"{radius:.1f} km")

    def as_dict(self) -> dict[str, Any]:
        return {"time_utc": self.time_utc, "position_km": list(self.position_km),
                "velocity_km_s": None if self.velocity_km_s is None else list(self.velocity_km_s)}


@dataclass(frozen=True)
class Attitude:
    """A sensor pointing sample: a quaternion at ``time_utc``, components in the order the reporter gave them
    (SATIS does not say whether the scalar comes first or last)."""

    time_utc: str
    quaternion: tuple[float, float, float, float]

    def __post_init__(self) -> None:
        object.__setattr__(self, "time_utc", _stored_time(self.time_utc, "pointing.time_utc"))
        q = _vector(self.quaternion, 4, "pointing.quaternion")
        norm = math.sqrt(sum(c * c for c in q))
        if abs(norm - 1.0) > 1e-3:
            raise IsacError("pointing.quaternion", "a rotation quaternion has norm 1", f"norm {norm:.6f}")
        object.__setattr__(self, "quaternion", q)

    def as_dict(self) -> dict[str, Any]:
        return {"time_utc": self.time_utc, "quaternion": list(self.quaternion)}


def report_id(*parts: str) -> str:
    """A deterministic report id (UUID 5) from identifying parts (source, title, start)."""
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def _choice(value: object, allowed: Iterable[str], name: str) -> str:
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        shown = ", ".join(o or '""' for o in options)
        raise IsacError(name, f"not one of {shown}", repr(value))
    return value


def _ids(values: Iterable[str], pattern: re.Pattern[str], name: str, what: str) -> tuple[str, ...]:
    out = []
    for value in values:
        text = str(value).strip()
        if not pattern.match(text):
            raise IsacError(name, f"{text!r} is not a {what} id", text)
        out.append(text)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class IsacReport:
    """One Space ISAC incident report (see the module docstring for every field)."""

    id: str
    title: str
    start_utc: str
    interference: str
    summary: str = ""
    stop_utc: str | None = None
    reported_utc: str | None = None
    segment: str = "space"
    band: Band | None = None
    locations: tuple[Location, ...] = ()
    satellites: tuple[Satellite, ...] = ()
    constellation: str = ""
    ground_station: str = ""
    link: str = ""
    payload_impact: str = ""
    impact_level: str = "unknown"
    post_event_status: str = "unknown"
    sparta_ids: tuple[str, ...] = ()
    attack_ids: tuple[str, ...] = ()
    pap: PAP = PAP.AMBER
    marking: Marking = field(default_factory=Marking)
    reporter: str = ""
    pseudonym: str = ""
    disclosure: str = "anonymous"
    sensor_range: Band | None = None
    sensor_fov_deg: float | None = None
    pointing: tuple[Attitude, ...] = ()
    state_start: EcefState | None = None
    state_end: EcefState | None = None
    polarization: str = ""
    beam_format: str = ""
    pulse: str = ""
    laser_colour: str = ""
    event_association: str = ""
    norad_ids_obfuscated: bool = False
    references: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "id", str(uuid.UUID(str(self.id))))
        except ValueError:
            raise IsacError("id", "must be a UUID", self.id) from None
        if not isinstance(self.title, str) or not self.title.strip():
            raise IsacError("title", "a report needs a title", repr(self.title))
        object.__setattr__(self, "title", self.title.strip())
        object.__setattr__(self, "start_utc", _stored_time(self.start_utc, "start_utc"))
        for name in ("stop_utc", "reported_utc"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _stored_time(value, name))
        if self.stop_utc is not None and self.stop_utc < self.start_utc:
            raise IsacError("stop_utc", f"is before start_utc {self.start_utc}", self.stop_utc)
        _choice(self.interference, INTERFERENCE_TYPES, "interference")
        _choice(self.segment, SEGMENTS, "segment")
        _choice(self.link, LINKS, "link")
        _choice(self.impact_level, IMPACT_LEVELS, "impact_level")
        _choice(self.post_event_status, POST_EVENT_STATUSES, "post_event_status")
        _choice(self.disclosure, DISCLOSURES, "disclosure")
        if not isinstance(self.pap, PAP):
            object.__setattr__(self, "pap", PAP.parse(str(self.pap)))
        if not isinstance(self.marking, Marking):
            raise IsacError("marking", "must be a Kompas Marking", repr(self.marking))
        for name, kind in (("band", Band), ("sensor_range", Band), ("state_start", EcefState),
                           ("state_end", EcefState)):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                raise IsacError(name, f"must be a {kind.__name__}", repr(value))
        for name, member in (("locations", Location), ("satellites", Satellite), ("pointing", Attitude)):
            items = tuple(getattr(self, name))
            if not all(isinstance(item, member) for item in items):
                raise IsacError(name, f"must be a list of {member.__name__}")
            object.__setattr__(self, name, items)
        object.__setattr__(self, "sparta_ids", _ids(self.sparta_ids, SPARTA_ID, "sparta_ids", "SPARTA"))
        object.__setattr__(self, "attack_ids", _ids(self.attack_ids, ATTACK_ID, "attack_ids", "MITRE ATT&CK"))
        if self.sensor_fov_deg is not None and not 0 < _finite(self.sensor_fov_deg, "sensor_fov_deg") <= 360:
            raise IsacError("sensor_fov_deg", "must be in (0, 360] degrees", self.sensor_fov_deg)
        if self.disclosure == "pseudonymous" and not self.pseudonym.strip():
            raise IsacError("pseudonym", "a pseudonymous report needs the pseudonym the platform gave the reporter")
        if self.disclosure == "named" and not self.reporter.strip():
            raise IsacError("reporter", "a named report needs the reporter")
        for name in ("summary", "constellation", "ground_station", "payload_impact", "reporter", "pseudonym",
                     "polarization", "beam_format", "pulse", "laser_colour", "event_association", "source"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise IsacError(name, "must be text", repr(value))
            object.__setattr__(self, name, value.strip())
        for name in ("references", "notes"):
            object.__setattr__(self, name, tuple(str(v) for v in getattr(self, name)))
        if not isinstance(self.norad_ids_obfuscated, bool):
            raise IsacError("norad_ids_obfuscated", "must be true or false", repr(self.norad_ids_obfuscated))

    @property
    def norad_ids(self) -> tuple[int, ...]:
        """The affected satellites' NORAD ids, in the report's order."""
        return tuple(dict.fromkeys(s.norad_id for s in self.satellites if s.norad_id is not None))

    @property
    def family(self) -> str:
        """The interference family (:data:`FAMILIES`)."""
        return FAMILIES[self.interference]

    @property
    def contributor(self) -> str:
        """Who other members see as the contributor: the reporter when named, the pseudonym, or "anonymous"."""
        return {"named": self.reporter, "pseudonymous": self.pseudonym}.get(self.disclosure, "anonymous")

    @property
    def shared_marking(self) -> Marking:
        """The marking as it leaves the platform. Unless the reporter asked to be named, without originators and
        without the reporter's (and originators') own codes in the releasability list (:meth:`Marking.build` adds
        the originator there so that a contributor keeps sight of its report: exported, it would name it); the
        countries and other organisations listed stay."""
        if self.disclosure == "named":
            return self.marking
        m = self.marking
        own = {self.reporter.strip().upper()} | set(m.originators)
        rel = None if m.releasable_to is None else m.releasable_to - own
        return Marking(m.classification, m.tlp, rel, m.clauses, frozenset(), m.caveats)

    def as_dict(self, hide_reporter: bool = False) -> dict[str, Any]:
        """The JSON form (:func:`report_from_dict` reads it back). ``hide_reporter``: leave out the reporter and
        the marking's originators unless the report is named (what is shared with other members)."""
        hidden = hide_reporter and self.disclosure != "named"
        marking = dict(self.shared_marking.as_dict() if hidden else self.marking.as_dict())
        marking.pop("banner", None)
        return {
            "id": self.id, "title": self.title, "summary": self.summary, "start_utc": self.start_utc,
            "stop_utc": self.stop_utc, "reported_utc": self.reported_utc, "segment": self.segment,
            "interference": self.interference, "band": None if self.band is None else self.band.as_dict(),
            "locations": [loc.as_dict() for loc in self.locations],
            "satellites": [s.as_dict() for s in self.satellites], "constellation": self.constellation,
            "ground_station": self.ground_station, "link": self.link, "payload_impact": self.payload_impact,
            "impact_level": self.impact_level, "post_event_status": self.post_event_status,
            "sparta_ids": list(self.sparta_ids), "attack_ids": list(self.attack_ids), "pap": self.pap.name,
            "marking": marking, "reporter": "" if hidden else self.reporter, "pseudonym": self.pseudonym,
            "disclosure": self.disclosure,
            "sensor_range": None if self.sensor_range is None else self.sensor_range.as_dict(),
            "sensor_fov_deg": self.sensor_fov_deg, "pointing": [p.as_dict() for p in self.pointing],
            "state_start": None if self.state_start is None else self.state_start.as_dict(),
            "state_end": None if self.state_end is None else self.state_end.as_dict(),
            "polarization": self.polarization, "beam_format": self.beam_format, "pulse": self.pulse,
            "laser_colour": self.laser_colour, "event_association": self.event_association,
            "norad_ids_obfuscated": self.norad_ids_obfuscated, "references": list(self.references),
            "notes": list(self.notes), "source": self.source}


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IsacError(key, "must be text", repr(value))
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise IsacError(key, "must be a list", type(value).__name__)
    return value


def _object(value: Any, name: str) -> Mapping[str, Any]:  # noqa: ANN401 (decoded JSON)
    if not isinstance(value, Mapping):
        raise IsacError(name, "must be an object", type(value).__name__)
    return value


def _band(value: Any, name: str) -> Band | None:  # noqa: ANN401 (decoded JSON)
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return Band(letter=value)
        data = _object(value, name)
        unknown = set(data) - {"low_mhz", "high_mhz", "letter"}
        if unknown:
            raise IsacError(f"{name}.{sorted(unknown)[0]}", "unknown field (low_mhz, high_mhz, letter)")
        return Band(data.get("low_mhz"), data.get("high_mhz"), _text(data, "letter"))
    except IsacError as error:
        raise IsacError(error.field.replace("band", name, 1), error.reason, error.value) from None


def _nested(kind: Any, data: Mapping[str, Any], prefix: str) -> Any:  # noqa: ANN401 (a dataclass, and one built)
    """``kind(**data)``, naming a failing field by its JSON path (``locations[2].lat_deg``)."""
    names = set(kind.__dataclass_fields__)
    unknown = set(data) - names
    if unknown:
        raise IsacError(f"{prefix}.{sorted(unknown)[0]}", f"unknown field ({', '.join(sorted(names))})")
    try:
        return kind(**data)
    except IsacError as error:
        last = error.field.rsplit(".", 1)[-1] if "." in error.field else ""
        raise IsacError(f"{prefix}.{last}" if last else prefix, error.reason, error.value) from None
    except TypeError as error:
        raise IsacError(prefix, str(error)) from None


_KNOWN = frozenset(IsacReport.__dataclass_fields__) | {"tlp"}


def report_from_dict(data: Any, default_id: str = "") -> IsacReport:  # noqa: ANN401 (decoded JSON)
    """A report from its JSON form (:meth:`IsacReport.as_dict`; the Kompas ISAC JSON). ``marking`` may be a
    :meth:`Marking.as_dict` object, or left out with a bare ``tlp`` (the marking is then UNCLASSIFIED under that
    TLP); ``band`` and ``sensor_range`` may be a letter text (``"L"``). ``id`` may be left out when ``default_id``
    is given. Raises :class:`IsacError` naming the first bad field by its JSON path."""
    data = _object(data, "report")
    unknown = set(data) - _KNOWN
    if unknown:
        raise IsacError(sorted(unknown)[0], "unknown field of a Kompas ISAC report")
    for key in ("title", "start_utc", "interference"):
        if data.get(key) in (None, ""):
            raise IsacError(key, "missing: a report needs a title, a start_utc and an interference type")
    if data.get("marking") is not None:
        try:
            marking = Marking.from_dict(dict(_object(data["marking"], "marking")))
        except MarkingError as error:
            raise IsacError("marking", str(error)) from None
    else:
        try:
            marking = Marking(tlp=TLP.parse(_text(data, "tlp") or "AMBER"))
        except MarkingError as error:
            raise IsacError("tlp", str(error), data.get("tlp")) from None
    state: dict[str, EcefState | None] = {}
    for key in ("state_start", "state_end"):
        state[key] = None if data.get(key) is None else _nested(EcefState, _object(data[key], key), key)
    fov = data.get("sensor_fov_deg")
    obfuscated = data.get("norad_ids_obfuscated", False)
    return IsacReport(
        id=_text(data, "id") or default_id, title=_text(data, "title"), start_utc=data["start_utc"],
        interference=data["interference"], summary=_text(data, "summary"), stop_utc=data.get("stop_utc"),
        reported_utc=data.get("reported_utc"), segment=data.get("segment", "space"),
        band=_band(data.get("band"), "band"),
        locations=tuple(_nested(Location, _object(v, f"locations[{i}]"), f"locations[{i}]")
                        for i, v in enumerate(_list(data, "locations"))),
        satellites=tuple(_nested(Satellite, _object(v, f"satellites[{i}]"), f"satellites[{i}]")
                         for i, v in enumerate(_list(data, "satellites"))),
        constellation=_text(data, "constellation"), ground_station=_text(data, "ground_station"),
        link=data.get("link") or "", payload_impact=_text(data, "payload_impact"),
        impact_level=data.get("impact_level", "unknown"), post_event_status=data.get("post_event_status", "unknown"),
        sparta_ids=tuple(_list(data, "sparta_ids")), attack_ids=tuple(_list(data, "attack_ids")),
        pap=PAP.parse(_text(data, "pap") or "AMBER"), marking=marking, reporter=_text(data, "reporter"),
        pseudonym=_text(data, "pseudonym"), disclosure=data.get("disclosure", "anonymous"),
        sensor_range=_band(data.get("sensor_range"), "sensor_range"), sensor_fov_deg=fov,
        pointing=tuple(_nested(Attitude, _object(v, f"pointing[{i}]"), f"pointing[{i}]")
                       for i, v in enumerate(_list(data, "pointing"))),
        state_start=state["state_start"], state_end=state["state_end"], polarization=_text(data, "polarization"),
        beam_format=_text(data, "beam_format"), pulse=_text(data, "pulse"), laser_colour=_text(data, "laser_colour"),
        event_association=_text(data, "event_association"), norad_ids_obfuscated=obfuscated,
        references=tuple(str(r) for r in _list(data, "references")), notes=tuple(str(n) for n in _list(data, "notes")),
        source=_text(data, "source"))
