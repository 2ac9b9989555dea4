"""CCSDS Conjunction Data Messages (CCSDS 508.0-B-1, CDM 1.0, and the keywords CDM 2.0 adds) in KVN and XML.

A :class:`CDM` keeps every keyword with its value and unit, in order, per section (header, relative
metadata/data, OBJECT1, OBJECT2), so that reading and writing round-trip; typed accessors give what the
probability engine needs: states (km, km/s, in the message's reference frame), RTN covariances (m, m/s)
and the hard-body radius.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.space.decision import Value as Assessment
    from kompas.space.ephemeris import Ephemeris
    from kompas.space.probability import Encounter
    from kompas.space.screening import Conjunction

#: Keyword -> XML group inside an object's ``<data>`` (everything else is ``<metadata>``).
_OD = ("TIME_LASTOB_START", "TIME_LASTOB_END", "RECOMMENDED_OD_SPAN", "ACTUAL_OD_SPAN", "OBS_AVAILABLE", "OBS_USED",
       "TRACKS_AVAILABLE", "TRACKS_USED", "RESIDUALS_ACCEPTED", "WEIGHTED_RMS")
_ADDITIONAL = ("AREA_PC", "AREA_PC_MIN", "AREA_PC_MAX", "AREA_DRG", "AREA_SRP", "OEB_PARENT_FRAME",
               "OEB_PARENT_FRAME_EPOCH", "OEB_Q1", "OEB_Q2", "OEB_Q3", "OEB_QC", "OEB_MAX", "OEB_INT", "OEB_MIN",
               "AREA_ALONG_OEB_MAX", "AREA_ALONG_OEB_INT", "AREA_ALONG_OEB_MIN", "RCS", "RCS_MIN", "RCS_MAX",
               "VM_ABSOLUTE", "VM_APPARENT_MIN", "VM_APPARENT", "VM_APPARENT_MAX", "REFLECTANCE", "MASS",
               "HBR", "CD_AREA_OVER_MASS", "CR_AREA_OVER_MASS", "THRUST_ACCELERATION", "SEDR", "MIN_DV", "MAX_DV",
               "LEAD_TIME_REQD_BEFORE_TCA", "APOAPSIS_ALTITUDE", "PERIAPSIS_ALTITUDE", "INCLINATION",
               "COV_CONFIDENCE", "COV_CONFIDENCE_METHOD")
_STATE = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
_RTN = ("R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG", "SRP", "THR")
#: Lower-triangle covariance keywords in message order: CR_R, CT_R, CT_T, CN_R, ...
COVARIANCE_KEYS = tuple(f"C{_RTN[i]}_{_RTN[j]}" for i in range(9) for j in range(i + 1))
_HEADER = ("CCSDS_CDM_VERS", "CLASSIFICATION", "CREATION_DATE", "ORIGINATOR", "MESSAGE_FOR", "MESSAGE_ID")
_RELATIVE_STATE = ("RELATIVE_POSITION_R", "RELATIVE_POSITION_T", "RELATIVE_POSITION_N", "RELATIVE_VELOCITY_R",
                   "RELATIVE_VELOCITY_T", "RELATIVE_VELOCITY_N")
_KVN_LINE = re.compile(r"^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*(?:\[(.*)\])?\s*$")


class CDMError(ValueError):
    """A message that cannot be read; ``rejection`` says where and why."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(str(rejection))
        self.rejection = rejection


@dataclass
class Section:
    """Ordered (keyword, value, unit) items of one part of a message; COMMENT lines keep their place."""

    items: list[tuple[str, str, str]] = field(default_factory=list)

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v, _ in self.items:
            if k == key:
                return v
        return default

    def number(self, key: str) -> float | None:
        value = self.get(key)
        return float(value) if value not in (None, "") else None

    def comments(self) -> list[str]:
        return [v for k, v, _ in self.items if k == "COMMENT"]

    def set(self, key: str, value: str, unit: str = "") -> None:
        for n, (k, _, _) in enumerate(self.items):
            if k == key:
                self.items[n] = (key, value, unit)
                return
        self.items.append((key, value, unit))


@dataclass
class CDM:
    """A conjunction data message: header, relative section and the two objects."""

    header: Section
    relative: Section
    objects: tuple[Section, Section]

    @property
    def message_id(self) -> str:
        return self.header.get("MESSAGE_ID", "") or ""

    @property
    def tca_utc(self) -> np.datetime64:
        """TCA, UTC (calendar or CCSDS day-of-year form, e.g. ``2018-231T05:18:32.104``)."""
        from kompas.times import parse_ccsds_time_utc

        return parse_ccsds_time_utc(self.relative.get("TCA") or "")

    def state(self, index: int) -> np.ndarray:
        """OBJECT1 (0) or OBJECT2 (1) state: x, y, z km and vx, vy, vz km/s in its REF_FRAME."""
        values = [self.objects[index].number(k) for k in _STATE]
        if any(v is None for v in values):
            raise ValueError(f"OBJECT{index + 1} has no complete state vector")
        return np.array(values, dtype=float)

    def covariance_rtn(self, index: int) -> np.ndarray | None:
        """OBJECT1/2 6x6 position-velocity covariance in its RTN frame (m^2, m^2/s, m^2/s^2), or None."""
        obj = self.objects[index]
        if obj.get("CR_R") is None:
            return None
        cov = np.zeros((6, 6))
        for key in COVARIANCE_KEYS[:21]:
            row, col = key[1:].split("_")
            i, j = _RTN.index(row), _RTN.index(col)
            cov[i, j] = cov[j, i] = obj.number(key) or 0.0
        return cov

    def hard_body_radius_m(self) -> float | None:
        """HBR from a CDM 2.0 ``HBR`` keyword or a ``COMMENT HBR = x [m]`` line (as CARA writes it)."""
        for section in (self.relative, *self.objects):
            if section.get("HBR") is not None:
                return section.number("HBR")
        for section in (self.header, self.relative):
            for comment in section.comments():
                match = re.match(r"\s*HBR\s*=\s*([0-9.eE+-]+)", comment)
                if match:
                    return float(match.group(1))
        return None


def parse_kvn(text: str, source: str = "<text>") -> CDM:
    """Read a KVN CDM. Raises :class:`CDMError` naming the line and keyword on malformed input."""
    sections = [Section(), Section(), Section(), Section()]
    part = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("COMMENT"):
            sections[part].items.append(("COMMENT", line[7:].strip(), ""))
            continue
        match = _KVN_LINE.match(line)
        if not match:
            raise CDMError(Rejection(source, number, "line", "not KEYWORD = value [unit]", line[:60]))
        key, value, unit = match.group(1), match.group(2), match.group(3) or ""
        if key == "OBJECT":
            if value not in ("OBJECT1", "OBJECT2"):
                raise CDMError(Rejection(source, number, "OBJECT", "must be OBJECT1 or OBJECT2", value))
            part = 2 if value == "OBJECT1" else 3
        elif part == 0 and key not in _HEADER:
            part = 1
        sections[part].items.append((key, value, unit))
    cdm = CDM(sections[0], sections[1], (sections[2], sections[3]))
    _check(cdm, source)
    return cdm


def _check(cdm: CDM, source: str) -> None:
    if cdm.header.get("CCSDS_CDM_VERS") is None:
        raise CDMError(Rejection(source, 1, "CCSDS_CDM_VERS", "missing: not a CDM"))
    if cdm.relative.get("TCA") is None:
        raise CDMError(Rejection(source, 0, "TCA", "missing"))
    for index, obj in enumerate(cdm.objects):
        if obj.get("OBJECT") is None:
            raise CDMError(Rejection(source, 0, f"OBJECT{index + 1}", "section missing"))
        for key in _STATE:
            value = obj.get(key)
            try:
                float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise CDMError(Rejection(source, 0, f"OBJECT{index + 1}.{key}", "missing or not a number",
                                         value or "")) from None


def write_kvn(cdm: CDM) -> str:
    """KVN text (keywords padded to CARA's layout)."""
    lines = []
    for section in (cdm.header, cdm.relative, *cdm.objects):
        for key, value, unit in section.items:
            if key == "COMMENT":
                lines.append(f"COMMENT {value}".rstrip())
            else:
                lines.append(f"{key:<44}= {value}" + (f" [{unit}]" if unit else ""))
    return "\n".join(lines) + "\n"


def _sub(parent: ET.Element, key: str, value: str, unit: str) -> None:
    element = ET.SubElement(parent, key)
    element.text = value
    if unit:
        element.set("units", unit)


def write_xml(cdm: CDM) -> str:
    """CCSDS NDM/XML CDM (``<cdm>`` with header, relativeMetadataData and two segments)."""
    root = ET.Element("cdm", {"id": "CCSDS_CDM_VERS", "version": cdm.header.get("CCSDS_CDM_VERS", "1.0") or "1.0"})
    header = ET.SubElement(root, "header")
    for key, value, unit in cdm.header.items:
        if key != "CCSDS_CDM_VERS":
            _sub(header, key, value, unit)
    body = ET.SubElement(root, "body")
    relative = ET.SubElement(body, "relativeMetadataData")
    state = None
    for key, value, unit in cdm.relative.items:
        if key in _RELATIVE_STATE:
            state = state if state is not None else ET.SubElement(relative, "relativeStateVector")
            _sub(state, key, value, unit)
        else:
            _sub(relative, key, value, unit)
    for obj in cdm.objects:
        segment = ET.SubElement(body, "segment")
        metadata = ET.SubElement(segment, "metadata")
        data = ET.SubElement(segment, "data")
        groups: dict[str, ET.Element] = {}
        pending_comments: list[str] = []
        for key, value, unit in obj.items:
            if key == "COMMENT":
                pending_comments.append(value)
                continue
            if key in _OD:
                name = "odParameters"
            elif key in _ADDITIONAL:
                name = "additionalParameters"
            elif key in _STATE:
                name = "stateVector"
            elif key in COVARIANCE_KEYS:
                name = "covarianceMatrix"
            else:
                name = ""
            if name and name not in groups:
                groups[name] = ET.SubElement(data, name)
            parent = groups[name] if name else metadata
            for comment in pending_comments:
                _sub(parent, "COMMENT", comment, "")
            pending_comments = []
            _sub(parent, key, value, unit)
        for comment in pending_comments:
            _sub(data, "COMMENT", comment, "")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


MAX_XML_DEPTH = 32  #: Deepest element nesting read (a CDM nests 5 deep).


def parse_xml(text: str, source: str = "<text>") -> CDM:
    """Read an XML CDM (any grouping elements are flattened back into keyword order)."""
    try:
        root = defused_fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ET.ParseError as error:
        raise CDMError(Rejection(source, error.position[0], "xml", str(error))) from None
    except DefusedXmlException as error:  # a DTD, so entities: the billion-laughs bomb, XXE
        raise CDMError(Rejection(source, 1, "xml", f"XML with a DTD or entities is refused "
                                                   f"({type(error).__name__})")) from None
    if root.tag.split("}")[-1] != "cdm":
        raise CDMError(Rejection(source, 1, "xml", f"root element is <{root.tag}>, not <cdm>"))
    stack = [(root, 1)]
    while stack:  # before the (recursive) reading below: no CDM nests deeper than a few levels
        element, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise CDMError(Rejection(source, 1, "xml", f"nested deeper than {MAX_XML_DEPTH} elements (no CDM is)"))
        stack.extend((child, depth + 1) for child in element)

    def leaves(element: ET.Element, section: Section) -> None:
        for child in element:
            if len(child):
                leaves(child, section)
            else:
                section.items.append((child.tag.split("}")[-1], (child.text or "").strip(), child.get("units", "")))

    header = Section([("CCSDS_CDM_VERS", root.get("version", "1.0"), "")])
    relative, objects = Section(), []
    for child in root:
        tag = child.tag.split("}")[-1]
        if tag == "header":
            leaves(child, header)
        elif tag == "body":
            for part in child:
                name = part.tag.split("}")[-1]
                if name == "relativeMetadataData":
                    leaves(part, relative)
                elif name == "segment":
                    section = Section()
                    leaves(part, section)
                    objects.append(section)
    if len(objects) != 2:
        raise CDMError(Rejection(source, 1, "segment", f"expected 2 segments, found {len(objects)}"))
    cdm = CDM(header, relative, (objects[0], objects[1]))
    _check(cdm, source)
    return cdm


def parse(text: str, source: str = "<text>") -> CDM:
    """KVN or XML, told apart by the first character."""
    return parse_xml(text, source) if text.lstrip().startswith("<") else parse_kvn(text, source)


def encounter(cdm: CDM) -> Encounter:
    """The message as a :class:`kompas.space.probability.Encounter`: states in m and m/s, covariances rotated
    from each object's RTN frame into the message's inertial frame (None where the message has none)."""
    from kompas.space.probability import Encounter, rtn_to_inertial

    states = [cdm.state(k) * 1000.0 for k in (0, 1)]
    covs = []
    for k in (0, 1):
        cov = cdm.covariance_rtn(k)
        covs.append(None if cov is None else rtn_to_inertial(states[k], cov))
    return Encounter(states[0], states[1], covs[0], covs[1])


#: An object's covariance for a CDM: ``(norad_id, age_days) -> 6x6 RTN`` (m^2, m^2/s, m^2/s^2), or None when
#: nothing is known of that object (the placeholder :func:`default_covariance_rtn` is used, and the CDM says so).
Covariance = Callable[[int, float], "np.ndarray | None"]

#: Default element-set (TLE) position uncertainty, 1-sigma in the object's RTN frame (m) at the element
#: set's epoch, and its growth per day of propagation. Along-track dominates and grows fastest; the values
#: are of the order published for SGP4 prediction errors in LEO (e.g. Vallado et al., AIAA 2006-6753, and
#: CelesTrak SOCRATES's practice of screening TLEs without covariance). They are a placeholder for real
#: covariance and every CDM carrying them says so.
DEFAULT_SIGMA_RTN_M = (100.0, 500.0, 100.0)
DEFAULT_GROWTH_RTN_M_PER_DAY = (50.0, 1000.0, 50.0)
DEFAULT_SIGMA_VELOCITY_M_S = 0.5


def default_covariance_rtn(age_days: float) -> np.ndarray:
    """6x6 RTN covariance (m^2, m^2/s^2) of an element set ``age_days`` after its epoch (diagonal)."""
    age = max(0.0, float(age_days))
    sigma = [s + g * age for s, g in zip(DEFAULT_SIGMA_RTN_M, DEFAULT_GROWTH_RTN_M_PER_DAY, strict=True)]
    return np.diag([s * s for s in sigma] + [DEFAULT_SIGMA_VELOCITY_M_S**2] * 3)


#: CDM ``COLLISION_PROBABILITY_METHOD`` per basis of :func:`kompas.space.decision.assess`: only SANA's
#: registered names (https://sanaregistry.org/r/cdm_cpm/) are written; Hall's Nc3D and the Monte Carlo have
#: none, so those CDMs name the method in a COMMENT and leave the keyword out (strict readers refuse unknown names).
CCSDS_PC_METHOD = {"pc2d": "FOSTER-1992"}
BASIS_TEXT = {"pc2d": "Foster (1992) 2D Pc, states adjusted to the true TCA (NASA CARA Pc2D)",
              "nc3d": "Hall (2021) 3D Nc, two-body curvilinear motion (NASA CARA Pc3D_Hall)",
              "mc": "two-body Monte Carlo from both states and covariances (NASA CARA Pc_SDMC)"}


def from_conjunction(conjunction: Conjunction, *, created_utc: np.datetime64, hbr_m: float,
                     ages_days: tuple[float, float], originator: str = "KOMPAS",
                     assessment: Assessment | None = None, covariance: Covariance | None = None,
                     ephemerides: Mapping[int, Ephemeris] | None = None) -> CDM:
    """A CDM 1.0 for a screened :class:`kompas.space.screening.Conjunction`: each object's covariance from
    ``covariance(norad_id, age_days)`` (6x6 RTN, m^2, m^2/s, m^2/s^2; e.g. the element-set-history model,
    :func:`kompas.space.covariance.cdm_covariance`), else the placeholder :func:`default_covariance_rtn`; with
    ``assessment`` (:func:`kompas.space.decision.assess`) its Pc, the method it comes from and the usage checks
    the 2D method failed. An object screened from an operator ephemeris (``ephemerides``: NORAD id ->
    :class:`kompas.space.ephemeris.Ephemeris`) carries the OEM's covariance at TCA (RTN, interpolated as
    :meth:`~kompas.space.ephemeris.Ephemeris.covariance_rtn` says, in a COMMENT); every object says its source."""
    from kompas.space.covariance import CDM_COMMENT
    from kompas.times import utc_text_ms

    def when(t: np.datetime64) -> str:
        return utc_text_ms(t).rstrip("Z")  # CCSDS times carry no zone letter

    c = conjunction
    tca = when(c.tca_utc)
    message_id = f"{c.primary_id:09d}_conj_{c.secondary_id:09d}_{tca.replace('-', '').replace(':', '')[:15]}"
    header = Section([("CCSDS_CDM_VERS", "1.0", ""), ("CREATION_DATE", when(created_utc), ""),
                      ("ORIGINATOR", originator, ""), ("MESSAGE_FOR", c.primary_name or str(c.primary_id), ""),
                      ("MESSAGE_ID", message_id, "")])
    relative = Section([("TCA", tca, ""), ("MISS_DISTANCE", f"{c.miss_km * 1000:.3f}", "m"),
                        ("RELATIVE_SPEED", f"{c.v_rel_km_s * 1000:.3f}", "m/s")])
    for key, value in zip(_RELATIVE_STATE, (*c.rtn_km, *c.rtn_velocity_km_s), strict=True):
        relative.items.append((key, f"{value * 1000:.3f}", "m" if "POSITION" in key else "m/s"))
    if assessment is not None and assessment.pc is not None:
        relative.items.append(("COLLISION_PROBABILITY", f"{assessment.pc:.6e}", ""))
        if assessment.basis in CCSDS_PC_METHOD:
            relative.items.append(("COLLISION_PROBABILITY_METHOD", CCSDS_PC_METHOD[assessment.basis], ""))
        relative.items.append(("COMMENT", f"Pc basis = {assessment.basis}: {BASIS_TEXT[assessment.basis]}", ""))
        if assessment.flags:
            relative.items.append(("COMMENT", "Pc2D usage checks failed: " + " ".join(assessment.flags), ""))
        if assessment.interval is not None:
            low, high = assessment.interval
            relative.items.append(("COMMENT", f"Pc 95% interval = [{low:.3e}, {high:.3e}] (Clopper-Pearson)", ""))
    relative.items.append(("COMMENT", f"HBR = {hbr_m:g} [m]", ""))
    objects = []
    for index, (norad_id, name, state, age) in enumerate(
            ((c.primary_id, c.primary_name, c.primary_state, ages_days[0]),
             (c.secondary_id, c.secondary_name, c.secondary_state, ages_days[1]))):
        eph = (ephemerides or {}).get(norad_id)
        from_oem = None if eph is None else eph.covariance_rtn(c.tca_utc)
        if eph is not None:
            modelled = None if from_oem is None else from_oem[0] * 1e6  # km -> m
            source = (f"Source = OEM ({eph.source or 'operator ephemeris'}): state interpolated "
                      f"({eph.method} degree {eph.degree}, {eph.nodes} nodes) in TEME, rotated TEME -> GCRF")
            cov_text = ("Covariance: from the OEM covariance blocks, " + from_oem[1] if from_oem is not None else
                        "Covariance: the OEM carries none; Kompas default element-set uncertainty model, not from "
                        "observations")
        else:
            modelled = None if covariance is None else covariance(norad_id, age)
            source = (f"Source = GP element set: state from SGP4 (element set {age:.2f} d before TCA) rotated "
                      "TEME -> GCRF")
            cov_text = ("Covariance: Kompas default element-set uncertainty model, not from observations"
                        if modelled is None else CDM_COMMENT)
        cov = default_covariance_rtn(age) if modelled is None else modelled
        obj = Section([("OBJECT", f"OBJECT{index + 1}", ""), ("OBJECT_DESIGNATOR", f"{norad_id:09d}", ""),
                       ("CATALOG_NAME", "SATCAT", ""), ("OBJECT_NAME", name or "UNKNOWN", ""),
                       ("INTERNATIONAL_DESIGNATOR", "UNKNOWN", ""), ("EPHEMERIS_NAME", "NONE", ""),
                       ("COVARIANCE_METHOD", "DEFAULT" if modelled is None else "CALCULATED", ""),
                       ("MANEUVERABLE", "N/A", ""), ("REF_FRAME", "GCRF", ""),
                       ("COMMENT", source, ""), ("COMMENT", cov_text, "")])
        for key, value, unit in zip(_STATE, state, ("km",) * 3 + ("km/s",) * 3, strict=True):
            obj.items.append((key, f"{value:.9f}", unit))
        for key in COVARIANCE_KEYS[:21]:
            row, col = key[1:].split("_")
            i, j = _RTN.index(row), _RTN.index(col)
            unit = "m**2" if i < 3 and j < 3 else ("m**2/s" if j < 3 else "m**2/s**2")
            obj.items.append((key, f"{cov[i, j]:.6e}", unit))
        objects.append(obj)
    return CDM(header, relative, (objects[0], objects[1]))


def for_screening(conjunction: Conjunction, *, created_utc: np.datetime64, hbr_m: float, ages_days: tuple[float, float],
                  originator: str = "KOMPAS", covariance: Covariance | None = None,
                  ephemerides: Mapping[int, Ephemeris] | None = None) -> tuple[CDM, Assessment | None]:
    """The CDM of a screened conjunction (covariance as :func:`from_conjunction`) and the Pc to decide on
    (:func:`kompas.space.decision.assess`: Foster's 2D Pc, or Hall's Nc3D or a two-body Monte Carlo where the
    2D method's usage checks fail); the assessment is None for a degenerate geometry (no relative speed)."""
    from kompas.space.decision import SCREENING_FIRST_BATCH, SCREENING_MAX_SAMPLES, SCREENING_PCS, assess

    message = from_conjunction(conjunction, created_utc=created_utc, hbr_m=hbr_m, ages_days=ages_days,
                               originator=originator, covariance=covariance, ephemerides=ephemerides)
    try:
        found = assess(encounter(message), hbr_m, thresholds=SCREENING_PCS, max_samples=SCREENING_MAX_SAMPLES,
                       first_batch=SCREENING_FIRST_BATCH,
                       cov_vel_check_level=1)  # the placeholder has no position-velocity correlation
    except ValueError:
        return message, None
    return from_conjunction(conjunction, created_utc=created_utc, hbr_m=hbr_m, ages_days=ages_days,
                            originator=originator, assessment=found, covariance=covariance,
                            ephemerides=ephemerides), found


DEFAULT_HBR_M = 5.0  #: Hard-body radius (m) of an object absent from a hard-body radius table.


def for_conjunctions(conjunctions: Sequence[Conjunction], epochs_utc: Mapping[int, np.datetime64], *,
                     created_utc: np.datetime64, hbr_m: Mapping[int, float] | None = None,
                     originator: str = "KOMPAS", covariance: Covariance | None = None,
                     ephemerides: Mapping[int, Ephemeris] | None = None) -> list[tuple[CDM, Assessment | None]]:
    """The CDM and Pc assessment (:func:`for_screening`) of every screened conjunction (same-object rows left out by
    the caller): the ages at TCA of the element sets screened (``epochs_utc``: NORAD id -> epoch of the set used)
    and each object's hard-body radius from ``hbr_m`` (NORAD id -> m), :data:`DEFAULT_HBR_M` when absent; the
    combined radius is their sum. The one CDM derivation of `kompas space screen --cdm-dir`, the platform's
    screening jobs and the daily cycle."""
    radii = hbr_m or {}
    day = np.timedelta64(1, "D")
    out = []
    for c in conjunctions:
        ages = (float((c.tca_utc - epochs_utc[c.primary_id]) / day),
                float((c.tca_utc - epochs_utc[c.secondary_id]) / day))
        hbr = radii.get(c.primary_id, DEFAULT_HBR_M) + radii.get(c.secondary_id, DEFAULT_HBR_M)
        out.append(for_screening(c, created_utc=created_utc, hbr_m=hbr, ages_days=ages, originator=originator,
                                 covariance=covariance, ephemerides=ephemerides))
    return out
