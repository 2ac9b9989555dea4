"""Orbit Parameter Messages (OPM, CCSDS 502.0-B-3 section 3): one state vector with optional osculating
Keplerian elements, spacecraft parameters, a 6x6 covariance, manoeuvres (``MAN_*``) and user-defined parameters.

Units are the standard's: km, km/s, deg, km**3/s**2, kg, m**2, s; the covariance km**2, km**2/s, km**2/s**2.
Units written in brackets are accepted and dropped. Following Orekit, a manoeuvre needs its ignition epoch,
reference frame and three delta-v components; duration and delta-mass may be left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kompas.rejections import Rejection
from kompas.space.odm.common import (
    OdmError,
    Token,
    comment_lines,
    format_epoch,
    format_number,
    is_epoch_text,
    kvn_lines,
    parse_epoch,
    parse_number,
)
from kompas.space.odm.oem import COV_NAMES, HEADER_KEYS, HEADER_REQUIRED, _same, lower_triangle

METADATA_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH", "TIME_SYSTEM")
METADATA_REQUIRED = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM")
STATE_KEYS = ("EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
KEPLERIAN_KEYS = ("SEMI_MAJOR_AXIS", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                  "ARG_OF_PERICENTER", "TRUE_ANOMALY", "MEAN_ANOMALY", "GM")
SPACECRAFT_KEYS = ("MASS", "SOLAR_RAD_AREA", "SOLAR_RAD_COEFF", "DRAG_AREA", "DRAG_COEFF")
COVARIANCE_KEYS = ("COV_REF_FRAME", *COV_NAMES)
MANEUVER_KEYS = ("MAN_EPOCH_IGNITION", "MAN_DURATION", "MAN_DELTA_MASS", "MAN_REF_FRAME", "MAN_DV_1", "MAN_DV_2",
                 "MAN_DV_3")
MANEUVER_REQUIRED = ("MAN_EPOCH_IGNITION", "MAN_REF_FRAME", "MAN_DV_1", "MAN_DV_2", "MAN_DV_3")
#: Sections in the order the standard writes them.
SECTIONS = ("header", "metadata", "state", "keplerian", "spacecraft", "covariance", "maneuver", "user")
_XML_SECTIONS = {"stateVector": "state", "keplerianElements": "keplerian", "spacecraftParameters": "spacecraft",
                 "covarianceMatrix": "covariance", "maneuverParameters": "maneuver",
                 "userDefinedParameters": "user"}
_XML_NAMES = {v: k for k, v in _XML_SECTIONS.items()}


def section_of(key: str) -> str:
    """The OPM section a keyword belongs to ("" when none)."""
    for name, keys in (("header", HEADER_KEYS), ("metadata", METADATA_KEYS), ("state", STATE_KEYS),
                       ("keplerian", KEPLERIAN_KEYS), ("spacecraft", SPACECRAFT_KEYS),
                       ("covariance", COVARIANCE_KEYS), ("maneuver", MANEUVER_KEYS)):
        if key in keys:
            return name
    return "user" if key.startswith("USER_DEFINED_") and len(key) > 13 else ""


@dataclass(eq=False)
class OpmManeuver:
    """One manoeuvre: ``fields`` holds MAN_* values as read (units dropped)."""

    fields: dict[str, str]
    comments: list[str] = field(default_factory=list)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OpmManeuver) and self.fields == other.fields and self.comments == other.comments

    @property
    def epoch_ignition(self) -> np.datetime64:
        """MAN_EPOCH_IGNITION (datetime64[ns], the message's time system)."""
        return parse_epoch(self.fields["MAN_EPOCH_IGNITION"])

    @property
    def ref_frame(self) -> str:
        """MAN_REF_FRAME."""
        return self.fields["MAN_REF_FRAME"]

    @property
    def duration_s(self) -> float:
        """MAN_DURATION in s (NaN when not given)."""
        return float(self.fields["MAN_DURATION"]) if "MAN_DURATION" in self.fields else float("nan")

    @property
    def delta_mass_kg(self) -> float:
        """MAN_DELTA_MASS in kg (negative; NaN when not given)."""
        return float(self.fields["MAN_DELTA_MASS"]) if "MAN_DELTA_MASS" in self.fields else float("nan")

    @property
    def dv_km_s(self) -> np.ndarray:
        """(MAN_DV_1, MAN_DV_2, MAN_DV_3) in km/s, in MAN_REF_FRAME."""
        return np.array([float(self.fields[f"MAN_DV_{i}"]) for i in (1, 2, 3)])


@dataclass(eq=False)
class Opm:
    """An Orbit Parameter Message."""

    header: dict[str, str]
    metadata: dict[str, str]
    epoch: np.datetime64  #: datetime64[ns] in TIME_SYSTEM
    state: np.ndarray  #: (6,) km, km/s in REF_FRAME
    keplerian: dict[str, float] = field(default_factory=dict)  #: SEMI_MAJOR_AXIS km, angles deg, GM km**3/s**2
    spacecraft: dict[str, float] = field(default_factory=dict)  #: MASS kg, areas m**2, coefficients
    covariance: np.ndarray | None = None  #: (6, 6) km**2, km**2/s, km**2/s**2
    cov_ref_frame: str | None = None  #: COV_REF_FRAME (None: REF_FRAME)
    maneuvers: list[OpmManeuver] = field(default_factory=list)
    user: dict[str, str] = field(default_factory=dict)  #: USER_DEFINED_x -> value
    version: str = "3.0"
    comments: dict[str, list[str]] = field(default_factory=dict)  #: section -> its leading comments

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Opm) and self.header == other.header and self.metadata == other.metadata
                and self.epoch == other.epoch and _same(self.state, other.state)
                and self.keplerian == other.keplerian and self.spacecraft == other.spacecraft
                and _same(self.covariance, other.covariance) and self.cov_ref_frame == other.cov_ref_frame
                and self.maneuvers == other.maneuvers and self.user == other.user and self.version == other.version
                and {k: v for k, v in self.comments.items() if v} == {k: v for k, v in other.comments.items() if v})

    @property
    def frame(self) -> str:
        """REF_FRAME."""
        return self.metadata["REF_FRAME"]

    @property
    def time_system(self) -> str:
        """TIME_SYSTEM."""
        return self.metadata["TIME_SYSTEM"]


def read_tokens(tokens: list[Token], source: str) -> Opm:
    """An OPM from its tokens (KVN lines or the translated XML); raises :class:`OdmError`."""
    problems: list[Rejection] = []

    def reject(line: int, key: str, reason: str, value: str = "") -> None:
        problems.append(Rejection(source, line, key, reason, value))

    if not tokens or tokens[0].kind != "kv" or tokens[0].key != "CCSDS_OPM_VERS":
        raise OdmError([Rejection(source, tokens[0].line if tokens else 1, "CCSDS_OPM_VERS",
                                  "an OPM must start with CCSDS_OPM_VERS")])
    version = tokens[0].value
    if version not in ("1.0", "2.0", "3.0"):
        reject(tokens[0].line, "CCSDS_OPM_VERS", "unsupported version (1.0, 2.0, 3.0)", version)
    values: dict[str, dict[str, tuple[str, int]]] = {s: {} for s in SECTIONS if s != "maneuver"}
    comments: dict[str, list[str]] = {}
    maneuvers: list[tuple[int, dict[str, str], list[str]]] = []
    pending: list[str] = []
    current = "header"
    for tok in tokens[1:]:
        if tok.kind == "comment":
            pending.append(tok.value)
            continue
        if tok.kind != "kv":
            reject(tok.line, tok.key or "data", "an OPM has only KEYWORD = value lines and comments",
                   " ".join(tok.words)[:60])
            continue
        section = section_of(tok.key)
        if not section:
            reject(tok.line, tok.key, "not an OPM keyword", tok.value)
            continue
        if SECTIONS.index(section) < SECTIONS.index(current):
            reject(tok.line, tok.key, f"out of place: {section} keyword after the {current} section", tok.value)
            continue
        if not tok.value:
            reject(tok.line, tok.key, "empty value")
            continue
        new_maneuver = section == "maneuver" and (tok.key == "MAN_EPOCH_IGNITION" or not maneuvers
                                                  or tok.key in maneuvers[-1][1])
        if section != current or new_maneuver or (section != "maneuver" and not values[section]):
            if section == "maneuver" and tok.key != "MAN_EPOCH_IGNITION":
                reject(tok.line, tok.key, "a manoeuvre starts with MAN_EPOCH_IGNITION", tok.value)
            if section == "maneuver":
                maneuvers.append((tok.line, {}, pending))
            elif pending:
                comments.setdefault(section, []).extend(pending)
            pending = []
            current = section
        elif pending:
            reject(tok.line, "COMMENT", "comments are allowed only at the start of a section")
            pending = []
        if not _value_ok(tok, reject):
            continue
        target = maneuvers[-1][1] if section == "maneuver" else None
        if target is not None:
            target[tok.key] = tok.value
        elif tok.key in values[section]:
            reject(tok.line, tok.key, "keyword repeated", tok.value)
        else:
            values[section][tok.key] = (tok.value, tok.line)
    if pending:
        reject(tokens[-1].line, "COMMENT", "comments at the end of the message belong to no section")
    first = tokens[0].line
    for section, required in (("header", HEADER_REQUIRED), ("metadata", METADATA_REQUIRED), ("state", STATE_KEYS)):
        for key in required:
            if key not in values[section]:
                reject(first, key, "mandatory keyword missing")
    kep = values["keplerian"]
    if kep:
        needed = ["ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "GM"]
        line = min(v[1] for v in kep.values())
        for key in needed:
            if key not in kep:
                reject(line, key, "mandatory in the Keplerian elements")
        if ("SEMI_MAJOR_AXIS" in kep) == ("MEAN_MOTION" in kep):
            reject(line, "SEMI_MAJOR_AXIS", "give exactly one of SEMI_MAJOR_AXIS and MEAN_MOTION")
        if ("TRUE_ANOMALY" in kep) == ("MEAN_ANOMALY" in kep):
            reject(line, "TRUE_ANOMALY", "give exactly one of TRUE_ANOMALY and MEAN_ANOMALY")
    cov = values["covariance"]
    matrix = None
    if cov:
        line = min(v[1] for v in cov.values())
        missing = [k for k in COV_NAMES if k not in cov]
        if missing:
            reject(line, missing[0], f"covariance incomplete: {len(missing)} of 21 terms missing")
        else:
            matrix = _matrix([float(cov[k][0]) for k in COV_NAMES])
    for line, fields, _ in maneuvers:
        for key in MANEUVER_REQUIRED:
            if key not in fields:
                reject(line, key, "mandatory in a manoeuvre")
    if problems:
        raise OdmError(problems)
    state = values["state"]
    return Opm(
        header={k: v for k, (v, _) in values["header"].items()},
        metadata={k: v for k, (v, _) in values["metadata"].items()},
        epoch=parse_epoch(state["EPOCH"][0]),
        state=np.array([float(state[k][0]) for k in STATE_KEYS[1:]]),
        keplerian={k: float(v) for k, (v, _) in kep.items()},
        spacecraft={k: float(v) for k, (v, _) in values["spacecraft"].items()},
        covariance=matrix,
        cov_ref_frame=cov["COV_REF_FRAME"][0] if "COV_REF_FRAME" in cov else None,
        maneuvers=[OpmManeuver(fields, c) for _, fields, c in maneuvers],
        user={k: v for k, (v, _) in values["user"].items()},
        version=version,
        comments=comments,
    )


_TEXT_KEYS = ("CLASSIFICATION", "ORIGINATOR", "MESSAGE_ID", "OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME",
              "TIME_SYSTEM", "COV_REF_FRAME", "MAN_REF_FRAME")
_EPOCH_KEYS = ("CREATION_DATE", "REF_FRAME_EPOCH", "EPOCH", "MAN_EPOCH_IGNITION")


def _value_ok(tok: Token, reject: Any) -> bool:
    if tok.key in _TEXT_KEYS or tok.key.startswith("USER_DEFINED_"):
        return True
    if tok.key in _EPOCH_KEYS:
        try:
            parse_epoch(tok.value)
        except ValueError as err:
            if not (tok.key in ("CREATION_DATE", "REF_FRAME_EPOCH") and is_epoch_text(tok.value)):
                reject(tok.line, tok.key, str(err), tok.value)
                return False
        return True
    try:
        parse_number(tok.value)
    except ValueError:
        reject(tok.line, tok.key, "not a number", tok.value)
        return False
    return True


def _matrix(terms: list[float]) -> np.ndarray:
    matrix = np.zeros((6, 6))
    k = 0
    for i in range(6):
        for j in range(i + 1):
            matrix[i, j] = matrix[j, i] = terms[k]
            k += 1
    return matrix


def _sections(opm: Opm) -> list[tuple[str, list[tuple[str, str]], list[str]]]:
    """(section, keyword/value pairs, comments) in writing order, a manoeuvre per entry."""
    c = opm.comments
    out: list[tuple[str, list[tuple[str, str]], list[str]]] = [
        ("header", [(k, opm.header[k]) for k in HEADER_KEYS if k in opm.header], c.get("header", [])),
        ("metadata", [(k, opm.metadata[k]) for k in METADATA_KEYS if k in opm.metadata], c.get("metadata", [])),
        ("state", [("EPOCH", format_epoch(opm.epoch))]
         + [(k, format_number(v)) for k, v in zip(STATE_KEYS[1:], opm.state, strict=True)], c.get("state", [])),
    ]
    if opm.keplerian or c.get("keplerian"):
        out.append(("keplerian", [(k, format_number(opm.keplerian[k])) for k in KEPLERIAN_KEYS if k in opm.keplerian],
                    c.get("keplerian", [])))
    if opm.spacecraft or c.get("spacecraft"):
        out.append(("spacecraft", [(k, format_number(opm.spacecraft[k])) for k in SPACECRAFT_KEYS
                                   if k in opm.spacecraft], c.get("spacecraft", [])))
    if opm.covariance is not None:
        pairs = [("COV_REF_FRAME", opm.cov_ref_frame)] if opm.cov_ref_frame else []
        pairs += [(k, format_number(v)) for k, v in zip(COV_NAMES, lower_triangle(opm.covariance), strict=True)]
        out.append(("covariance", pairs, c.get("covariance", [])))
    for man in opm.maneuvers:
        out.append(("maneuver", [(k, man.fields[k]) for k in MANEUVER_KEYS if k in man.fields], man.comments))
    if opm.user or c.get("user"):
        out.append(("user", sorted(opm.user.items()), c.get("user", [])))
    return out


def write_kvn(opm: Opm) -> str:
    """The OPM in KVN; reads back equal."""
    lines = [f"CCSDS_OPM_VERS = {opm.version}"]
    for _, pairs, comments in _sections(opm):
        lines += comment_lines(comments) + kvn_lines(pairs) + [""]
    return "\n".join(lines)


def write_xml(opm: Opm) -> str:
    """The OPM in XML (the NDM/XML schema's ``<opm>``); reads back equal."""
    from kompas.space.odm.xmlio import Builder

    b = Builder("opm", "CCSDS_OPM_VERS", opm.version)
    sections = _sections(opm)
    with b.element("header"):
        b.comments(sections[0][2])
        b.leaves(sections[0][1])
    with b.element("body"), b.element("segment"):
        with b.element("metadata"):
            b.comments(sections[1][2])
            b.leaves(sections[1][1])
        with b.element("data"):
            for name, pairs, comments in sections[2:]:
                with b.element(_XML_NAMES[name]):
                    b.comments(comments)
                    b.leaves(pairs)
    return b.text()


def xml_tokens(tree: Any) -> list[Token]:
    """The KVN tokens of an ``<opm>`` XML tree."""
    tokens = [tree.version_token("CCSDS_OPM_VERS")]
    header = tree.header()
    if header is not None:
        tokens += tree.leaves(header)
    for segment in tree.body_segments():
        for tag, part in tree.expect(segment, ("metadata", "data")):
            if tag == "metadata":
                tokens += tree.leaves(part)
                continue
            for name, item in tree.expect(part, ("COMMENT", *_XML_SECTIONS)):
                if name == "COMMENT":
                    tokens += tree.leaves_of([item])
                    continue
                for token in tree.leaves(item):
                    if token.kind == "kv" and section_of(token.key) != _XML_SECTIONS[name]:
                        tree.problems.append(Rejection(tree.source, token.line, token.key,
                                                       f"element not allowed in <{name}>", token.value))
                    else:
                        tokens.append(token)
    tree.done()
    return tokens


def summary(opm: Opm) -> str:
    """One line: object, epoch, sections present."""
    parts = [f"OPM {opm.version}: {opm.metadata.get('OBJECT_NAME', '?')}, epoch {format_epoch(opm.epoch)} "
             f"{opm.time_system}, {opm.frame}"]
    if opm.keplerian:
        parts.append("Keplerian elements")
    if opm.spacecraft:
        parts.append("spacecraft parameters")
    if opm.covariance is not None:
        parts.append("covariance")
    parts.append(f"{len(opm.maneuvers)} manoeuvre(s)")
    return ", ".join(parts)
