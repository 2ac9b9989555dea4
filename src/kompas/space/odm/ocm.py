"""Orbit Comprehensive Messages (OCM, CCSDS 502.0-B-3 section 6): header, metadata and data blocks: trajectory
state histories (TRAJ), physical properties (PHYS), covariance histories (COV), manoeuvres (MAN), perturbations
(PERT), orbit determination (OD) and user-defined parameters (USER).

Data lines of TRAJ, COV and MAN start with a time: an absolute epoch, or seconds relative to the metadata's
EPOCH_TZERO; :attr:`OcmBlock.epochs` holds both resolved to datetime64[ns] (the message's TIME_SYSTEM) and
:attr:`OcmBlock.relative_s` the relative seconds as written (NaN for absolute times), so writing gives back
the form read. The column count of each line is checked against TRAJ_TYPE (Orekit's default CARTPV when absent),
COV_TYPE with COV_ORDERING (LTM/UTM: n(n+1)/2 values; FULL, LTMWCC, UTMWCC: n**2) and MAN_COMPOSITION.
Keyword values stay text (units dropped); those the standard defines as numbers are checked to be numbers.
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
from kompas.space.odm.oem import HEADER_KEYS, HEADER_REQUIRED, _same

METADATA_KEYS = (
    "OBJECT_NAME", "INTERNATIONAL_DESIGNATOR", "CATALOG_NAME", "OBJECT_DESIGNATOR", "ALTERNATE_NAMES",
    "ORIGINATOR_POC", "ORIGINATOR_POSITION", "ORIGINATOR_PHONE", "ORIGINATOR_EMAIL", "ORIGINATOR_ADDRESS",
    "TECH_ORG", "TECH_POC", "TECH_POSITION", "TECH_PHONE", "TECH_EMAIL", "TECH_ADDRESS", "PREVIOUS_MESSAGE_ID",
    "NEXT_MESSAGE_ID", "ADM_MSG_LINK", "CDM_MSG_LINK", "PRM_MSG_LINK", "RDM_MSG_LINK", "TDM_MSG_LINK", "OPERATOR",
    "OWNER", "COUNTRY", "CONSTELLATION", "OBJECT_TYPE", "TIME_SYSTEM", "EPOCH_TZERO", "OPS_STATUS",
    "ORBIT_CATEGORY", "OCM_DATA_ELEMENTS", "SCLK_OFFSET_AT_EPOCH", "SCLK_SEC_PER_SI_SEC", "PREVIOUS_MESSAGE_EPOCH",
    "NEXT_MESSAGE_EPOCH", "START_TIME", "STOP_TIME", "TIME_SPAN", "TAIMUTC_AT_TZERO", "NEXT_LEAP_EPOCH",
    "NEXT_LEAP_TAIMUTC", "UT1MUTC_AT_TZERO", "EOP_SOURCE", "INTERP_METHOD_EOP", "CELESTIAL_SOURCE")
METADATA_REQUIRED = ("TIME_SYSTEM", "EPOCH_TZERO")
#: Keywords allowed in each data block (USER: any USER_DEFINED_x).
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "TRAJ": ("TRAJ_ID", "TRAJ_PREV_ID", "TRAJ_NEXT_ID", "TRAJ_BASIS", "TRAJ_BASIS_ID", "INTERPOLATION",
             "INTERPOLATION_DEGREE", "PROPAGATOR", "CENTER_NAME", "TRAJ_REF_FRAME", "TRAJ_FRAME_EPOCH",
             "USEABLE_START_TIME", "USEABLE_STOP_TIME", "ORB_REVNUM", "ORB_REVNUM_BASIS", "ORB_AVERAGING",
             "TRAJ_TYPE", "TRAJ_UNITS"),
    "PHYS": ("MANUFACTURER", "BUS_MODEL", "DOCKED_WITH", "DRAG_CONST_AREA", "DRAG_COEFF_NOM", "DRAG_UNCERTAINTY",
             "INITIAL_WET_MASS", "WET_MASS", "DRY_MASS", "OEB_PARENT_FRAME", "OEB_PARENT_FRAME_EPOCH", "OEB_Q1",
             "OEB_Q2", "OEB_Q3", "OEB_QC", "OEB_MAX", "OEB_INT", "OEB_MIN", "AREA_ALONG_OEB_MAX",
             "AREA_ALONG_OEB_INT", "AREA_ALONG_OEB_MIN", "AREA_MIN_FOR_PC", "AREA_MAX_FOR_PC", "AREA_TYP_FOR_PC",
             "RCS", "RCS_MIN", "RCS_MAX", "SRP_CONST_AREA", "SOLAR_RAD_COEFF", "SOLAR_RAD_UNCERTAINTY",
             "VM_ABSOLUTE", "VM_APPARENT_MIN", "VM_APPARENT", "VM_APPARENT_MAX", "REFLECTANCE", "ATT_CONTROL_MODE",
             "ATT_ACTUATOR_TYPE", "ATT_KNOWLEDGE", "ATT_CONTROL", "ATT_POINTING", "AVG_MANEUVER_FREQ",
             "MAX_THRUST", "DV_BOL", "DV_REMAINING", "IXX", "IYY", "IZZ", "IXY", "IXZ", "IYZ"),
    "COV": ("COV_ID", "COV_PREV_ID", "COV_NEXT_ID", "COV_BASIS", "COV_BASIS_ID", "COV_REF_FRAME",
            "COV_FRAME_EPOCH", "COV_SCALE_MIN", "COV_SCALE_MAX", "COV_CONFIDENCE", "COV_TYPE", "COV_ORDERING",
            "COV_UNITS"),
    "MAN": ("MAN_ID", "MAN_PREV_ID", "MAN_NEXT_ID", "MAN_BASIS", "MAN_BASIS_ID", "MAN_DEVICE_ID",
            "MAN_PREV_EPOCH", "MAN_NEXT_EPOCH", "MAN_PURPOSE", "MAN_PRED_SOURCE", "MAN_REF_FRAME",
            "MAN_FRAME_EPOCH", "GRAV_ASSIST_NAME", "DC_TYPE", "DC_WIN_OPEN", "DC_WIN_CLOSE", "DC_MIN_CYCLES",
            "DC_MAX_CYCLES", "DC_EXEC_START", "DC_EXEC_STOP", "DC_REF_TIME", "DC_TIME_PULSE_DURATION",
            "DC_TIME_PULSE_PERIOD", "DC_REF_DIR", "DC_BODY_FRAME", "DC_BODY_TRIGGER", "DC_PA_START_ANGLE",
            "DC_PA_STOP_ANGLE", "MAN_COMPOSITION", "MAN_UNITS"),
    "PERT": ("ATMOSPHERIC_MODEL", "GRAVITY_MODEL", "EQUATORIAL_RADIUS", "GM", "N_BODY_PERTURBATIONS",
             "CENTRAL_BODY_ROTATION", "OBLATE_FLATTENING", "OCEAN_TIDES_MODEL", "SOLID_TIDES_MODEL",
             "REDUCTION_THEORY", "ALBEDO_MODEL", "ALBEDO_GRID_SIZE", "SHADOW_MODEL", "SHADOW_BODIES", "SRP_MODEL",
             "SW_DATA_SOURCE", "SW_DATA_EPOCH", "SW_INTERP_METHOD", "FIXED_GEOMAG_KP", "FIXED_GEOMAG_AP",
             "FIXED_GEOMAG_DST", "FIXED_F10P7", "FIXED_F10P7_MEAN", "FIXED_M10P7", "FIXED_M10P7_MEAN",
             "FIXED_S10P7", "FIXED_S10P7_MEAN", "FIXED_Y10P7", "FIXED_Y10P7_MEAN"),
    "OD": ("OD_ID", "OD_PREV_ID", "OD_METHOD", "OD_EPOCH", "DAYS_SINCE_FIRST_OBS", "DAYS_SINCE_LAST_OBS",
           "RECOMMENDED_OD_SPAN", "ACTUAL_OD_SPAN", "OBS_AVAILABLE", "OBS_USED", "TRACKS_AVAILABLE", "TRACKS_USED",
           "MAXIMUM_OBS_GAP", "OD_EPOCH_EIGMAJ", "OD_EPOCH_EIGINT", "OD_EPOCH_EIGMIN", "OD_MAX_PRED_EIGMAJ",
           "OD_MIN_PRED_EIGMIN", "OD_CONFIDENCE", "GDOP", "SOLVE_N", "SOLVE_STATES", "CONSIDER_N",
           "CONSIDER_PARAMS", "SEDR", "SENSORS_N", "SENSORS", "WEIGHTED_RMS", "DATA_TYPES"),
    "USER": (),
}
BLOCKS = tuple(BLOCK_KEYS)
_ONCE = ("PHYS", "PERT", "OD", "USER")
_LINES = {"TRAJ": "trajLine", "COV": "covLine", "MAN": "manLine"}
_XML_BLOCKS = {"traj": "TRAJ", "phys": "PHYS", "cov": "COV", "man": "MAN", "pert": "PERT", "od": "OD",
               "user": "USER"}
#: Keywords whose value must be a number.
NUMERIC = frozenset((
    "SCLK_OFFSET_AT_EPOCH", "SCLK_SEC_PER_SI_SEC", "TIME_SPAN", "TAIMUTC_AT_TZERO", "NEXT_LEAP_TAIMUTC",
    "UT1MUTC_AT_TZERO", "INTERPOLATION_DEGREE", "ORB_REVNUM", "ORB_REVNUM_BASIS", "COV_SCALE_MIN", "COV_SCALE_MAX",
    "COV_CONFIDENCE", "DC_WIN_OPEN", "DC_WIN_CLOSE", "DC_MIN_CYCLES", "DC_MAX_CYCLES", "DC_EXEC_START",
    "DC_EXEC_STOP", "DC_REF_TIME", "DC_TIME_PULSE_DURATION", "DC_TIME_PULSE_PERIOD", "DC_PA_START_ANGLE",
    "DC_PA_STOP_ANGLE", "EQUATORIAL_RADIUS", "GM", "CENTRAL_BODY_ROTATION", "OBLATE_FLATTENING", "ALBEDO_GRID_SIZE",
    "FIXED_GEOMAG_KP", "FIXED_GEOMAG_AP", "FIXED_GEOMAG_DST", "FIXED_F10P7", "FIXED_F10P7_MEAN", "FIXED_M10P7",
    "FIXED_M10P7_MEAN", "FIXED_S10P7", "FIXED_S10P7_MEAN", "FIXED_Y10P7", "FIXED_Y10P7_MEAN",
    "DAYS_SINCE_FIRST_OBS", "DAYS_SINCE_LAST_OBS", "RECOMMENDED_OD_SPAN", "ACTUAL_OD_SPAN", "OBS_AVAILABLE",
    "OBS_USED", "TRACKS_AVAILABLE", "TRACKS_USED", "MAXIMUM_OBS_GAP", "OD_EPOCH_EIGMAJ", "OD_EPOCH_EIGINT",
    "OD_EPOCH_EIGMIN", "OD_MAX_PRED_EIGMAJ", "OD_MIN_PRED_EIGMIN", "OD_CONFIDENCE", "GDOP", "SOLVE_N",
    "CONSIDER_N", "SEDR", "SENSORS_N", "WEIGHTED_RMS",
    *(k for k in BLOCK_KEYS["PHYS"] if k not in ("MANUFACTURER", "BUS_MODEL", "DOCKED_WITH", "OEB_PARENT_FRAME",
                                                  "OEB_PARENT_FRAME_EPOCH", "ATT_CONTROL_MODE",
                                                  "ATT_ACTUATOR_TYPE"))))
#: Keywords holding an epoch, absolute or (``*`` in the standard) relative to EPOCH_TZERO in seconds.
EPOCHS = frozenset(("CREATION_DATE", "EPOCH_TZERO", "PREVIOUS_MESSAGE_EPOCH", "NEXT_MESSAGE_EPOCH", "START_TIME",
                    "STOP_TIME", "NEXT_LEAP_EPOCH", "TRAJ_FRAME_EPOCH", "USEABLE_START_TIME", "USEABLE_STOP_TIME",
                    "OEB_PARENT_FRAME_EPOCH", "COV_FRAME_EPOCH", "MAN_PREV_EPOCH", "MAN_NEXT_EPOCH",
                    "MAN_FRAME_EPOCH", "SW_DATA_EPOCH", "OD_EPOCH"))
#: Number of elements of the state types (TRAJ_TYPE, COV_TYPE) whose size is fixed (SANA orbital elements).
ELEMENTS = {"CARTP": 3, "CARTPV": 6, "CARTPVA": 9, "KEPLERIAN": 6, "KEPLERIANMEAN": 6, "DELAUNAY": 6,
            "DELAUNAYMOD": 6, "ADBARV": 6, "LDBARV": 6, "ONSTATION": 6, "POINCARE": 6, "GEODETIC": 6}
DEFAULT_TRAJ_TYPE = "CARTPV"  #: Orekit's default when TRAJ_TYPE is absent
_TEXT_COLUMNS = frozenset(("DEPLOY_ID", "ACC_INTERP", "THR_INTERP"))


@dataclass(eq=False)
class OcmBlock:
    """One data block: ``kind`` (TRAJ, PHYS, COV, MAN, PERT, OD, USER), keyword values as written (units dropped),
    and for TRAJ, COV and MAN its data lines."""

    kind: str
    fields: dict[str, str]
    comments: list[str] = field(default_factory=list)
    epochs: np.ndarray = field(default_factory=lambda: np.zeros(0, "datetime64[ns]"))  #: resolved line times
    relative_s: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: s after EPOCH_TZERO as written, NaN
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  #: TRAJ/COV numbers after the time
    rows: list[tuple[str, ...]] = field(default_factory=list)  #: MAN columns after the time column(s), as text

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, OcmBlock) and self.kind == other.kind and self.fields == other.fields
                and self.comments == other.comments and _same(self.epochs, other.epochs)
                and _same(self.relative_s, other.relative_s) and _same(self.values, other.values)
                and self.rows == other.rows)

    def matrices(self) -> np.ndarray:
        """A COV block's covariances as (n, d, d) symmetric matrices (COV_UNITS, usually km**2, km**2/s,
        km**2/s**2) for the orderings LTM, UTM and FULL; raises ValueError for the correlation orderings
        (LTMWCC, UTMWCC), whose off-diagonal terms are not covariances."""
        if self.kind != "COV":
            raise ValueError(f"a {self.kind} block has no covariances")
        ordering = self.fields.get("COV_ORDERING", "LTM").upper()
        count = self.values.shape[1] if self.values.ndim == 2 else 0
        if ordering == "FULL":
            dim = int(round(count ** 0.5))
            return self.values.reshape(-1, dim, dim).copy()
        if ordering not in ("LTM", "UTM"):
            raise ValueError(f"COV_ORDERING {ordering} holds correlations, not covariances")
        dim = int(round(((8 * count + 1) ** 0.5 - 1) / 2))
        rows, cols = np.tril_indices(dim) if ordering == "LTM" else np.triu_indices(dim)
        out = np.zeros((self.values.shape[0], dim, dim))
        out[:, rows, cols] = self.values
        out[:, cols, rows] = self.values
        return out

    def column(self, name: str) -> np.ndarray:
        """A numeric MAN column by its MAN_COMPOSITION name (e.g. ``DV_X``, km/s)."""
        names = [n for n in composition(self.fields) if n not in ("TIME_ABSOLUTE", "TIME_RELATIVE")]
        index = names.index(name)
        return np.array([float(row[index]) for row in self.rows])


@dataclass(eq=False)
class Ocm:
    """An Orbit Comprehensive Message."""

    header: dict[str, str]
    metadata: dict[str, str]
    blocks: list[OcmBlock]
    version: str = "3.0"
    comments: list[str] = field(default_factory=list)  #: header comments
    metadata_comments: list[str] = field(default_factory=list)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Ocm) and self.header == other.header and self.metadata == other.metadata
                and self.blocks == other.blocks and self.version == other.version
                and self.comments == other.comments and self.metadata_comments == other.metadata_comments)

    @property
    def epoch_tzero(self) -> np.datetime64:
        """EPOCH_TZERO (datetime64[ns]), the origin of relative times."""
        return parse_epoch(self.metadata["EPOCH_TZERO"])

    @property
    def time_system(self) -> str:
        """TIME_SYSTEM."""
        return self.metadata["TIME_SYSTEM"]

    def of(self, kind: str) -> list[OcmBlock]:
        """The blocks of one kind, in message order."""
        return [b for b in self.blocks if b.kind == kind]

    @property
    def trajectories(self) -> list[OcmBlock]:
        """TRAJ blocks."""
        return self.of("TRAJ")

    @property
    def covariances(self) -> list[OcmBlock]:
        """COV blocks."""
        return self.of("COV")

    @property
    def maneuvers(self) -> list[OcmBlock]:
        """MAN blocks."""
        return self.of("MAN")

    def resolve(self, value: str) -> np.datetime64:
        """A keyword epoch (absolute, or seconds relative to EPOCH_TZERO) as datetime64[ns]."""
        if is_epoch_text(value):
            return parse_epoch(value)
        return self.epoch_tzero + _seconds(parse_number(value))


def composition(fields: dict[str, str]) -> list[str]:
    """MAN_COMPOSITION as a list of column names."""
    return [c.strip() for c in fields.get("MAN_COMPOSITION", "").split(",") if c.strip()]


def _seconds(value: float) -> np.timedelta64:
    return np.timedelta64(int(round(value * 1e9)), "ns")


# --- reading ---------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, tokens: list[Token], source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.pos = 0
        self.problems: list[Rejection] = []
        self.tzero: np.datetime64 | None = None

    def reject(self, line: int, key: str, reason: str, value: str = "") -> None:
        self.problems.append(Rejection(self.source, line, key, reason, value))

    def keyword(self, target: dict[str, str], tok: Token) -> None:
        if tok.key in target:
            if target[tok.key] != tok.value:  # the same value twice (OCMExample4) changes nothing: accepted
                self.reject(tok.line, tok.key, f"keyword repeated with another value (first {target[tok.key]!r})",
                            tok.value)
        elif not tok.value:
            self.reject(tok.line, tok.key, "empty value")
        elif tok.key in NUMERIC and not _is_number(tok.value):
            self.reject(tok.line, tok.key, "not a number", tok.value)
        elif tok.key in EPOCHS and not (is_epoch_text(tok.value) or (tok.key not in ("CREATION_DATE", "EPOCH_TZERO")
                                                                     and _is_number(tok.value))):
            self.reject(tok.line, tok.key, "not an epoch (absolute, or seconds relative to EPOCH_TZERO)", tok.value)
        else:
            target[tok.key] = tok.value

    def read(self) -> Ocm:
        tokens = self.tokens
        if not tokens or tokens[0].kind != "kv" or tokens[0].key != "CCSDS_OCM_VERS":
            raise OdmError([Rejection(self.source, tokens[0].line if tokens else 1, "CCSDS_OCM_VERS",
                                      "an OCM must start with CCSDS_OCM_VERS")])
        first = tokens[0]
        if first.value != "3.0":
            self.reject(first.line, "CCSDS_OCM_VERS", "unsupported version (3.0)", first.value)
        self.pos = 1
        header: dict[str, str] = {}
        comments: list[str] = []
        while self.pos < len(tokens) and not (tokens[self.pos].kind == "start" and tokens[self.pos].key == "META"):
            tok = tokens[self.pos]
            self.pos += 1
            if tok.kind == "comment":
                comments.append(tok.value)
            elif tok.kind == "kv" and tok.key in HEADER_KEYS:
                self.keyword(header, tok)
            else:
                self.reject(tok.line, tok.key or "data", "not an OCM header line (META_START missing?)", tok.value)
        for key in HEADER_REQUIRED:
            if key not in header:
                self.reject(first.line, key, "mandatory header keyword missing")
        metadata: dict[str, str] = {}
        meta_comments: list[str] = []
        if self.pos >= len(tokens):
            self.reject(first.line, "META_START", "metadata block missing")
            raise OdmError(self.problems)
        meta_line = tokens[self.pos].line
        self.pos += 1
        closed = False
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            self.pos += 1
            if tok.kind == "stop" and tok.key == "META":
                closed = True
                break
            if tok.kind == "comment":
                meta_comments.append(tok.value)
            elif tok.kind == "kv" and tok.key in METADATA_KEYS:
                self.keyword(metadata, tok)
            elif tok.kind == "kv":
                self.reject(tok.line, tok.key, "not an OCM metadata keyword", tok.value)
            else:
                self.reject(tok.line, tok.key or "data", "unexpected in OCM metadata (META_STOP missing?)")
                self.pos -= 1
                break
        if not closed:
            self.reject(meta_line, "META_STOP", "metadata block not closed")
        for key in METADATA_REQUIRED:
            if key not in metadata:
                self.reject(meta_line, key, "mandatory metadata keyword missing")
        if "EPOCH_TZERO" in metadata:
            try:
                self.tzero = parse_epoch(metadata["EPOCH_TZERO"])
            except ValueError as err:
                self.reject(meta_line, "EPOCH_TZERO", str(err), metadata["EPOCH_TZERO"])
        blocks: list[OcmBlock] = []
        seen: dict[str, int] = {}
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            self.pos += 1
            if tok.kind != "start" or tok.key not in BLOCKS:
                starts = ", ".join(b + "_START" for b in BLOCKS)
                self.reject(tok.line, tok.key or "data", f"expected a data block ({starts})",
                            tok.value or " ".join(tok.words)[:60])
                continue
            if tok.key in _ONCE and tok.key in seen:
                self.reject(tok.line, tok.key, f"a second {tok.key} block (only one allowed; first at line "
                                               f"{seen[tok.key]})")
            seen.setdefault(tok.key, tok.line)
            blocks.append(self.block(tok))
        if self.problems:
            raise OdmError(self.problems)
        return Ocm(header, metadata, blocks, first.value, comments, meta_comments)

    def block(self, start: Token) -> OcmBlock:
        kind = start.key
        fields: dict[str, str] = {}
        comments: list[str] = []
        lines: list[Token] = []
        closed = False
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.kind == "stop" and tok.key == kind:
                closed = True
                break
            if tok.kind == "comment":
                if fields or lines:
                    self.reject(tok.line, "COMMENT", f"comments are allowed only at the start of a {kind} block")
                comments.append(tok.value)
            elif tok.kind == "kv" and (tok.key in BLOCK_KEYS[kind]
                                       or (kind == "USER" and tok.key.startswith("USER_DEFINED_"))):
                if lines:
                    self.reject(tok.line, tok.key, f"keyword after the data lines of a {kind} block", tok.value)
                self.keyword(fields, tok)
            elif tok.kind == "kv":
                self.reject(tok.line, tok.key, f"not a keyword of an OCM {kind} block", tok.value)
            elif tok.kind == "data" and kind in _LINES:
                lines.append(tok)
            elif tok.kind == "data":
                self.reject(tok.line, kind, f"a {kind} block has no data lines", " ".join(tok.words)[:60])
            else:
                self.reject(tok.line, tok.key, f"unexpected in a {kind} block ({kind}_STOP missing?)")
                self.pos -= 1
                break
        if not closed:
            self.reject(start.line, f"{kind}_STOP", f"{kind} block not closed")
        block = OcmBlock(kind, fields, comments)
        if kind in _LINES:
            self.data_lines(block, lines, start)
        return block

    def time(self, tok: Token, word: str, relative: bool | None = None) -> tuple[np.datetime64, float] | None:
        """(epoch, relative seconds or NaN) of a line's time column."""
        if relative is not True and is_epoch_text(word):
            try:
                return parse_epoch(word), float("nan")
            except ValueError as err:
                self.reject(tok.line, "TIME", str(err), word)
                return None
        if relative is not False and _is_number(word) and self.tzero is not None:
            seconds = float(word)
            return self.tzero + _seconds(seconds), seconds
        self.reject(tok.line, "TIME", "not an epoch or seconds relative to EPOCH_TZERO" if relative is None else
                    ("not seconds relative to EPOCH_TZERO" if relative else "not an epoch"), word)
        return None

    def data_lines(self, block: OcmBlock, lines: list[Token], start: Token) -> None:
        kind = block.kind
        f = block.fields
        expected: int | None = None
        columns: list[str] = []
        if kind == "TRAJ":
            expected = ELEMENTS.get(f.get("TRAJ_TYPE", DEFAULT_TRAJ_TYPE).upper())
        elif kind == "COV":
            dim = ELEMENTS.get(f.get("COV_TYPE", "").upper())
            ordering = f.get("COV_ORDERING", "LTM").upper()
            if ordering not in ("LTM", "UTM", "FULL", "LTMWCC", "UTMWCC"):
                self.reject(start.line, "COV_ORDERING", "not LTM, UTM, FULL, LTMWCC or UTMWCC", ordering)
            if dim is not None:
                expected = dim * (dim + 1) // 2 if ordering in ("LTM", "UTM") else dim * dim
        else:
            columns = composition(f)
            if lines and not columns:
                self.reject(start.line, "MAN_COMPOSITION", "mandatory when a MAN block has data lines")
                return
        epochs: list[np.datetime64] = []
        relative: list[float] = []
        values: list[list[float]] = []
        rows: list[tuple[str, ...]] = []
        for tok in lines:
            words = tok.words
            if kind == "MAN":
                if len(words) != len(columns):
                    self.reject(tok.line, "MAN_COMPOSITION", f"{len(columns)} columns expected, got {len(words)}",
                                " ".join(words)[:60])
                    continue
                timed = self.man_time(tok, columns, words)
                ok = timed is not None
                body = [(c, w) for c, w in zip(columns, words, strict=True) if c not in ("TIME_ABSOLUTE",
                                                                                         "TIME_RELATIVE")]
                for name, word in body:
                    if name not in _TEXT_COLUMNS and not _is_number(word):
                        self.reject(tok.line, name, "not a number", word)
                        ok = False
                if not ok or timed is None:
                    continue
                epochs.append(timed[0])
                relative.append(timed[1])
                rows.append(tuple(w for _, w in body))
                continue
            count = len(words) - 1
            if expected is None:
                expected = count
            if count != expected:
                what = f"TRAJ_TYPE {f.get('TRAJ_TYPE', DEFAULT_TRAJ_TYPE)}" if kind == "TRAJ" else "COV_TYPE/ORDERING"
                self.reject(tok.line, kind, f"{expected} values after the time expected ({what}), got {count}",
                            " ".join(words)[:60])
                continue
            timed = self.time(tok, words[0])
            numbers = []
            for word in words[1:]:
                try:
                    numbers.append(parse_number(word if word != "0." else "0.0"))
                except ValueError:
                    self.reject(tok.line, kind, "not a number", word)
            if timed is None or len(numbers) != count:
                continue
            if epochs and timed[0] < epochs[-1]:
                self.reject(tok.line, "TIME", "times out of order", words[0])
                continue
            epochs.append(timed[0])
            relative.append(timed[1])
            values.append(numbers)
        block.epochs = np.array(epochs, dtype="datetime64[ns]")
        block.relative_s = np.array(relative, dtype=float)
        if kind == "MAN":
            block.rows = rows
        else:
            block.values = np.array(values, dtype=float).reshape(len(values), expected or 0)

    def man_time(self, tok: Token, columns: list[str], words: tuple[str, ...]) -> tuple[np.datetime64, float] | None:
        given = dict(zip(columns, words, strict=True))
        absolute = self.time(tok, given["TIME_ABSOLUTE"], relative=False) if "TIME_ABSOLUTE" in given else None
        rel = self.time(tok, given["TIME_RELATIVE"], relative=True) if "TIME_RELATIVE" in given else None
        if "TIME_ABSOLUTE" not in given and "TIME_RELATIVE" not in given:
            self.reject(tok.line, "MAN_COMPOSITION", "needs TIME_ABSOLUTE or TIME_RELATIVE")
            return None
        if absolute is not None:
            return absolute[0], rel[1] if rel is not None else float("nan")
        return rel


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def read_tokens(tokens: list[Token], source: str) -> Ocm:
    """An OCM from its tokens (KVN lines or the translated XML); raises :class:`OdmError`."""
    return _Reader(tokens, source).read()


# --- writing ---------------------------------------------------------------------------------------

def _lines_of(block: OcmBlock) -> list[str]:
    out = []
    if block.kind == "MAN":
        columns = composition(block.fields)
        for i, row in enumerate(block.rows):
            words = []
            if "TIME_ABSOLUTE" in columns:
                words.append(format_epoch(block.epochs[i]))
            if "TIME_RELATIVE" in columns:
                words.append(format_number(block.relative_s[i]))
            out.append(" ".join(words + list(row)))
        return out
    for i in range(block.epochs.size):
        time = (format_epoch(block.epochs[i]) if np.isnan(block.relative_s[i])
                else format_number(block.relative_s[i]))
        out.append(" ".join([time] + [format_number(v) for v in block.values[i]]))
    return out


def _ordered(block: OcmBlock) -> list[tuple[str, str]]:
    keys = BLOCK_KEYS[block.kind]
    known = [(k, block.fields[k]) for k in keys if k in block.fields]
    return known + sorted((k, v) for k, v in block.fields.items() if k not in keys)


def write_kvn(ocm: Ocm) -> str:
    """The OCM in KVN; reads back equal (relative times stay relative)."""
    lines = [f"CCSDS_OCM_VERS = {ocm.version}"] + comment_lines(ocm.comments)
    lines += kvn_lines((k, ocm.header[k]) for k in HEADER_KEYS if k in ocm.header)
    lines += ["", "META_START"] + comment_lines(ocm.metadata_comments)
    lines += kvn_lines((k, ocm.metadata[k]) for k in METADATA_KEYS if k in ocm.metadata) + ["META_STOP"]
    for block in ocm.blocks:
        lines += ["", f"{block.kind}_START"] + comment_lines(block.comments) + kvn_lines(_ordered(block))
        lines += _lines_of(block) + [f"{block.kind}_STOP"]
    return "\n".join(lines) + "\n"


def write_xml(ocm: Ocm) -> str:
    """The OCM in XML (the NDM/XML schema's ``<ocm>``); reads back equal."""
    from kompas.space.odm.xmlio import Builder

    b = Builder("ocm", "CCSDS_OCM_VERS", ocm.version)
    names = {v: k for k, v in _XML_BLOCKS.items()}
    with b.element("header"):
        b.comments(ocm.comments)
        b.leaves((k, ocm.header[k]) for k in HEADER_KEYS if k in ocm.header)
    with b.element("body"), b.element("segment"):
        with b.element("metadata"):
            b.comments(ocm.metadata_comments)
            b.leaves((k, ocm.metadata[k]) for k in METADATA_KEYS if k in ocm.metadata)
        with b.element("data"):
            for block in ocm.blocks:
                with b.element(names[block.kind]):
                    b.comments(block.comments)
                    b.leaves(_ordered(block))
                    for line in _lines_of(block):
                        b.leaf(_LINES[block.kind], line)
    return b.text()


def xml_tokens(tree: Any) -> list[Token]:
    """The KVN tokens of an ``<ocm>`` XML tree."""
    from kompas.space.odm.xmlio import local

    tokens = [tree.version_token("CCSDS_OCM_VERS")]
    header = tree.header()
    if header is not None:
        tokens += tree.leaves(header)
    for segment in tree.body_segments():
        for tag, part in tree.expect(segment, ("metadata", "data")):
            if tag == "metadata":
                tokens.append(Token(tree.line(part), "start", "META"))
                tokens += tree.leaves(part)
                tokens.append(Token(tree.line(part), "stop", "META"))
                continue
            for name, item in tree.expect(part, tuple(_XML_BLOCKS)):
                kind = _XML_BLOCKS[name]
                tokens.append(Token(tree.line(item), "start", kind))
                for child in item:
                    if local(child.tag) == _LINES.get(kind):
                        tokens.append(Token(tree.line(child), "data", words=tuple(tree.text(child).split())))
                    else:
                        tokens += tree.leaves_of([child])
                tokens.append(Token(tree.line(item), "stop", kind))
    tree.done()
    return tokens


def summary(ocm: Ocm) -> str:
    """One line: object, EPOCH_TZERO, blocks and their line counts."""
    counts = []
    for kind in BLOCKS:
        found = ocm.of(kind)
        if found:
            lines = sum(b.epochs.size for b in found)
            counts.append(f"{len(found)} {kind}" + (f" ({lines} lines)" if kind in _LINES else ""))
    return (f"OCM {ocm.version}: {ocm.metadata.get('OBJECT_NAME', '?')}, EPOCH_TZERO {ocm.metadata.get('EPOCH_TZERO')}"
            f" {ocm.metadata.get('TIME_SYSTEM')}, " + ", ".join(counts))
