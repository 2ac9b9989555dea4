"""Orbit Ephemeris Messages (OEM, CCSDS 502.0-B-3 section 5): read, write (KVN and XML), build from states.

An OEM holds segments; each segment has metadata (object, centre, frame, time system, span, interpolation),
ephemeris lines (epoch, position km, velocity km/s, optional acceleration km/s**2) and optional covariance
blocks (6x6 lower triangle, km**2, km**2/s, km**2/s**2). Epochs are kept as written, in the segment's own
TIME_SYSTEM (:meth:`OemSegment.epochs_utc` converts). All segments of one message must share a time system
(as Orekit requires).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kompas.rejections import Rejection
from kompas.space.odm.common import (
    MAX_LINES,
    OdmError,
    Token,
    comment_lines,
    format_epoch,
    format_number,
    is_epoch_text,
    kvn_lines,
    parse_epoch,
    parse_number,
    parse_numbers,
    to_utc,
)

HEADER_KEYS = ("CLASSIFICATION", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID")
HEADER_REQUIRED = ("CREATION_DATE", "ORIGINATOR")
METADATA_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH", "TIME_SYSTEM",
                 "START_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME", "STOP_TIME", "INTERPOLATION",
                 "INTERPOLATION_DEGREE")
METADATA_REQUIRED = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "START_TIME",
                     "STOP_TIME")
_EPOCH_KEYS = ("REF_FRAME_EPOCH", "START_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME", "STOP_TIME",
               "CREATION_DATE")
#: Default interpolation when a segment names none, and degree when INTERPOLATION comes without one (Orekit's).
DEFAULT_INTERPOLATION = "LAGRANGE"
DEFAULT_DEGREE = 1


@dataclass(eq=False)
class OemCovariance:
    """One covariance block: epoch (the segment's time system), frame, 6x6 matrix (km**2, km**2/s, km**2/s**2)."""

    epoch: np.datetime64
    frame: str
    matrix: np.ndarray
    frame_given: bool = True  #: COV_REF_FRAME written (else the segment's REF_FRAME applies)
    comments: list[str] = field(default_factory=list)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, OemCovariance) and self.epoch == other.epoch and self.frame == other.frame
                and self.frame_given == other.frame_given and self.comments == other.comments
                and _same(self.matrix, other.matrix))


@dataclass(eq=False)
class OemSegment:
    """One OEM segment: metadata keywords as in the standard, states (n, 6) km and km/s at epochs (n,)."""

    metadata: dict[str, str]
    epochs: np.ndarray  #: datetime64[ns], in the segment's TIME_SYSTEM
    states: np.ndarray  #: (n, 6) x, y, z km; vx, vy, vz km/s
    accelerations: np.ndarray | None = None  #: (n, 3) km/s**2, or None when no line has them
    covariances: list[OemCovariance] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  #: metadata comments
    data_comments: list[str] = field(default_factory=list)  #: comments at the start of the ephemeris data
    covariance_comments: list[str] = field(default_factory=list)  #: comments right after COVARIANCE_START

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, OemSegment) and self.metadata == other.metadata
                and _same(self.epochs, other.epochs) and _same(self.states, other.states)
                and _same(self.accelerations, other.accelerations) and self.covariances == other.covariances
                and self.comments == other.comments and self.data_comments == other.data_comments
                and self.covariance_comments == other.covariance_comments)

    @property
    def frame(self) -> str:
        """REF_FRAME."""
        return self.metadata["REF_FRAME"]

    @property
    def time_system(self) -> str:
        """TIME_SYSTEM."""
        return self.metadata["TIME_SYSTEM"]

    @property
    def interpolation(self) -> str:
        """INTERPOLATION (HERMITE, LAGRANGE, LINEAR, ...), default :data:`DEFAULT_INTERPOLATION`."""
        return self.metadata.get("INTERPOLATION", DEFAULT_INTERPOLATION).upper()

    @property
    def degree(self) -> int:
        """INTERPOLATION_DEGREE, default :data:`DEFAULT_DEGREE` (Orekit's default)."""
        text = self.metadata.get("INTERPOLATION_DEGREE")
        return int(text) if text else DEFAULT_DEGREE

    def epochs_utc(self) -> np.ndarray:
        """The epochs in UTC (datetime64[ns]); raises :class:`OdmError` for a time system that cannot be
        converted (UT1, MRT, GMST, SCLK, ...), naming it."""
        try:
            return to_utc(self.epochs, self.time_system)
        except ValueError as err:
            raise OdmError([Rejection("<oem>", 0, "TIME_SYSTEM", str(err), self.time_system)]) from None


@dataclass(eq=False)
class Oem:
    """An Orbit Ephemeris Message."""

    header: dict[str, str]
    segments: list[OemSegment]
    version: str = "3.0"
    comments: list[str] = field(default_factory=list)  #: header comments

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Oem) and self.header == other.header and self.segments == other.segments
                and self.version == other.version and self.comments == other.comments)

    @classmethod
    def from_states(cls, object_name: str, object_id: str, frame: str, time_system: str, epochs: Any,
                    states: Any, covariances: Sequence[tuple[Any, Any]] = (), interpolation: str = "HERMITE",
                    degree: int = 5, originator: str = "KOMPAS", center_name: str = "EARTH",
                    creation_date: np.datetime64 | None = None, accelerations: Any = None) -> Oem:
        """A one-segment OEM from epochs (n,) and states (n, 6) km, km/s; ``covariances`` is a sequence of
        (epoch, 6x6 matrix km**2...) in ``frame``. Raises :class:`OdmError` for unsorted epochs, a wrong shape or
        a covariance that is not symmetric positive semi-definite."""
        t = np.asarray(epochs, dtype="datetime64[ns]").reshape(-1)
        x = np.asarray(states, dtype=float)
        problems: list[Rejection] = []
        if x.shape != (t.size, 6) or t.size == 0:
            problems.append(Rejection("<states>", 0, "states", f"need (n, 6) states for n >= 1 epochs, got "
                                      f"{x.shape} for {t.size}"))
        elif np.any(np.diff(t) < np.timedelta64(0, "ns")):
            problems.append(Rejection("<states>", 0, "epochs", "epochs not in increasing order"))
        elif not np.all(np.isfinite(x)):
            problems.append(Rejection("<states>", 0, "states", "not finite"))
        acc = None if accelerations is None else np.asarray(accelerations, dtype=float)
        if acc is not None and acc.shape != (t.size, 3):
            problems.append(Rejection("<states>", 0, "accelerations", f"need ({t.size}, 3), got {acc.shape}"))
        covs: list[OemCovariance] = []
        for index, (epoch, matrix) in enumerate(covariances, start=1):
            m = np.asarray(matrix, dtype=float)
            reason = covariance_problem(m)
            if reason:
                problems.append(Rejection("<states>", 0, f"covariance {index}", reason))
                continue
            covs.append(OemCovariance(np.datetime64(epoch, "ns"), frame, m.copy(), frame_given=True))
        if problems:
            raise OdmError(problems)
        created = creation_date if creation_date is not None else np.datetime64("now", "s")
        metadata = {"OBJECT_NAME": object_name, "OBJECT_ID": object_id, "CENTER_NAME": center_name,
                    "REF_FRAME": frame, "TIME_SYSTEM": time_system, "START_TIME": format_epoch(t[0]),
                    "STOP_TIME": format_epoch(t[-1]), "INTERPOLATION": interpolation,
                    "INTERPOLATION_DEGREE": str(int(degree))}
        header = {"CREATION_DATE": format_epoch(np.asarray([created], dtype="datetime64[ns]")[0]),
                  "ORIGINATOR": originator}
        segment = OemSegment(metadata, t.copy(), x.copy(), None if acc is None else acc.copy(), covs)
        return cls(header, [segment])


def covariance_problem(matrix: np.ndarray, tolerance: float = 1e-9) -> str:
    """Why a 6x6 matrix is not a covariance ("" when it is): shape, finite, symmetric, positive semi-definite
    (smallest eigenvalue >= -tolerance x largest)."""
    if matrix.shape != (6, 6):
        return f"must be 6x6, got {matrix.shape}"
    if not np.all(np.isfinite(matrix)):
        return "not finite"
    scale = float(np.max(np.abs(matrix))) or 1.0
    if not np.allclose(matrix, matrix.T, rtol=0.0, atol=1e-12 * scale):
        return "not symmetric"
    eig = np.linalg.eigvalsh(matrix)
    if eig[0] < -tolerance * max(float(eig[-1]), 0.0) or eig[-1] < 0.0:
        return f"not positive semi-definite (smallest eigenvalue {eig[0]:.3e}, largest {eig[-1]:.3e})"
    return ""


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    nan = a.dtype.kind == "f"
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=nan))


# --- reading ---------------------------------------------------------------------------------------

class _Reader:
    """Walks the tokens of one OEM and collects rejections."""

    def __init__(self, tokens: list[Token], source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.pos = 0
        self.problems: list[Rejection] = []

    def reject(self, token: Token | int, key: str, reason: str, value: str = "") -> None:
        line = token if isinstance(token, int) else token.line
        self.problems.append(Rejection(self.source, line, key, reason, value))

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def epoch(self, token: Token, text: str, key: str) -> np.datetime64 | None:
        try:
            return parse_epoch(text)
        except ValueError as err:
            self.reject(token, key, str(err), text)
            return None

    def read(self) -> Oem:
        first = self.peek()
        if first is None or first.kind != "kv" or first.key != "CCSDS_OEM_VERS":
            self.reject(first.line if first else 1, "CCSDS_OEM_VERS", "an OEM must start with CCSDS_OEM_VERS")
            raise OdmError(self.problems)
        version = first.value
        if version not in ("1.0", "2.0", "3.0"):
            self.reject(first, "CCSDS_OEM_VERS", "unsupported version (1.0, 2.0, 3.0)", version)
        self.pos = 1
        header: dict[str, str] = {}
        comments: list[str] = []
        while (tok := self.peek()) is not None and not (tok.kind == "start" and tok.key == "META"):
            self.pos += 1
            if tok.kind == "comment":
                comments.append(tok.value)
            elif tok.kind == "kv" and tok.key in HEADER_KEYS:
                self.keyword(header, tok)
            elif tok.kind == "kv":
                self.reject(tok, tok.key, "not an OEM header keyword", tok.value)
            else:
                self.reject(tok, tok.key or "data", "unexpected before META_START in the OEM header")
        for key in HEADER_REQUIRED:
            if key not in header:
                self.reject(first, key, "mandatory header keyword missing")
        segments: list[OemSegment] = []
        first_system: tuple[str, int] | None = None
        while self.peek() is not None:
            segment, system_line = self.segment()
            if segment is None:
                break
            system = segment.metadata.get("TIME_SYSTEM", "")
            if first_system is None:
                first_system = (system, system_line)
            elif system and system != first_system[0]:
                self.reject(system_line, "TIME_SYSTEM", f"inconsistent time systems: {first_system[0]} (line "
                            f"{first_system[1]}) and {system} in one OEM", system)
            segments.append(segment)
        if not segments and not self.problems:
            self.reject(first, "META_START", "an OEM needs at least one segment")
        if self.problems:
            raise OdmError(self.problems)
        return Oem(header, segments, version, comments)

    def keyword(self, target: dict[str, str], tok: Token) -> None:
        if tok.key in target:
            self.reject(tok, tok.key, "keyword repeated", tok.value)
        elif not tok.value:
            self.reject(tok, tok.key, "empty value")
        elif tok.key in _EPOCH_KEYS and not is_epoch_text(tok.value):
            self.reject(tok, tok.key, "not a CCSDS epoch", tok.value)
        elif tok.key == "INTERPOLATION_DEGREE" and not (tok.value.isdigit()):
            self.reject(tok, tok.key, "not a non-negative integer", tok.value)
        else:
            target[tok.key] = tok.value

    def segment(self) -> tuple[OemSegment | None, int]:
        start = self.peek()
        assert start is not None
        if not (start.kind == "start" and start.key == "META"):
            self.reject(start, start.key or "data", "expected META_START")
            self.pos = len(self.tokens)
            return None, 0
        self.pos += 1
        metadata: dict[str, str] = {}
        meta_comments: list[str] = []
        system_line = start.line
        closed = False
        while (tok := self.peek()) is not None:
            self.pos += 1
            if tok.kind == "stop" and tok.key == "META":
                closed = True
                break
            if tok.kind == "comment":
                meta_comments.append(tok.value)
            elif tok.kind == "kv" and tok.key in METADATA_KEYS:
                self.keyword(metadata, tok)
                if tok.key == "TIME_SYSTEM":
                    system_line = tok.line
            elif tok.kind == "kv":
                self.reject(tok, tok.key, "not an OEM metadata keyword", tok.value)
            else:
                self.reject(tok, tok.key or "data", "unexpected in OEM metadata (META_STOP missing?)")
                break
        if not closed:
            self.reject(start, "META_STOP", "metadata block not closed")
        for key in METADATA_REQUIRED:
            if key not in metadata:
                self.reject(start, key, "mandatory metadata keyword missing")
        data_comments: list[str] = []
        data_start = self.pos
        epochs: list[np.datetime64] = []
        rows: list[list[float]] = []
        accs: list[list[float] | None] = []
        last: tuple[np.datetime64, int] | None = None
        while (tok := self.peek()) is not None and tok.kind in ("comment", "data", "kv"):
            self.pos += 1
            if tok.kind == "comment":
                if rows:
                    self.reject(tok, "COMMENT", "comments are allowed only before the first ephemeris line")
                else:
                    data_comments.append(tok.value)
                continue
            if tok.kind == "kv":
                self.reject(tok, tok.key, "keyword not allowed within the ephemeris data (META_START or "
                                          "COVARIANCE_START missing?)", tok.value)
                continue
            if len(self.tokens) > MAX_LINES:
                break
            words = tok.words
            if len(words) not in (7, 10):
                self.reject(tok, "EPHEMERIS", f"an ephemeris line has 7 values (epoch, x, y, z, vx, vy, vz) or 10 "
                                              f"(with ax, ay, az), got {len(words)}", " ".join(words)[:60])
                continue
            epoch = self.epoch(tok, words[0], "EPOCH")
            values = self.numbers(tok, words[1:], ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT",
                                                   "Z_DDOT"))
            if epoch is None or values is None:
                continue
            if last is not None and epoch < last[0]:
                self.reject(tok, "EPOCH", f"epochs out of order: before the line {last[1]} epoch", words[0])
                continue
            last = (epoch, tok.line)
            epochs.append(epoch)
            rows.append(values[:6])
            accs.append(values[6:] if len(values) == 9 else None)
        covariances: list[OemCovariance] = []
        cov_comments: list[str] = []
        tok = self.peek()
        if tok is not None and tok.kind == "start" and tok.key == "COVARIANCE":
            covariances, cov_comments = self.covariance_block(metadata.get("REF_FRAME", ""))
        elif tok is not None and not (tok.kind == "start" and tok.key == "META"):
            self.reject(tok, tok.key or "data", "unexpected here (META_START or COVARIANCE_START expected)")
            self.pos += 1
        if not rows and not any(t.kind == "data" for t in self.tokens[data_start:self.pos]):
            self.reject(start, "EPHEMERIS", "segment without ephemeris lines")
        self.check_span(metadata, epochs, start)
        acc_array = None
        if any(a is not None for a in accs):
            acc_array = np.array([a if a is not None else [np.nan] * 3 for a in accs], dtype=float)
        segment = OemSegment(metadata, np.array(epochs, dtype="datetime64[ns]"),
                             np.array(rows, dtype=float).reshape(-1, 6), acc_array, covariances, meta_comments,
                             data_comments, cov_comments)
        return segment, system_line

    def check_span(self, metadata: dict[str, str], epochs: list[np.datetime64], start: Token) -> None:
        bounds = {}
        for key in ("START_TIME", "STOP_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME"):
            if key in metadata:
                with contextlib.suppress(ValueError):
                    bounds[key] = parse_epoch(metadata[key])
        if "START_TIME" in bounds and "STOP_TIME" in bounds and bounds["STOP_TIME"] < bounds["START_TIME"]:
            self.reject(start, "STOP_TIME", "before START_TIME", metadata["STOP_TIME"])
        if epochs and "START_TIME" in bounds and epochs[0] < bounds["START_TIME"]:
            self.reject(start, "START_TIME", "after the first ephemeris epoch", metadata["START_TIME"])
        if epochs and "STOP_TIME" in bounds and epochs[-1] > bounds["STOP_TIME"]:
            self.reject(start, "STOP_TIME", "before the last ephemeris epoch", metadata["STOP_TIME"])

    def numbers(self, tok: Token, words: Sequence[str], names: Sequence[str]) -> list[float] | None:
        fast = parse_numbers(list(words))
        if fast is not None:
            return fast
        values: list[float] = []
        ok = True
        for word, name in zip(words, names, strict=False):
            try:
                values.append(parse_number(word))
            except ValueError:
                self.reject(tok, name, "not a number", word)
                ok = False
        return values if ok else None

    def covariance_block(self, segment_frame: str) -> tuple[list[OemCovariance], list[str]]:
        start = self.tokens[self.pos]
        self.pos += 1
        blocks: list[OemCovariance] = []
        leading: list[str] = []
        pending: list[str] = []
        current: dict[str, Any] | None = None
        rows: list[tuple[Token, list[float]]] = []

        def finish() -> None:
            if current is None:
                return
            if len(rows) != 6:
                self.reject(current["line"], "COVARIANCE", f"a covariance needs 6 lower-triangle rows, got {len(rows)}")
                return
            matrix = np.zeros((6, 6))
            for i, (_, row) in enumerate(rows):
                matrix[i, :i + 1] = row
                matrix[:i + 1, i] = row
            if current["epoch"] is not None:
                frame = current.get("frame")
                blocks.append(OemCovariance(current["epoch"], frame or segment_frame, matrix, frame is not None,
                                            current["comments"]))

        closed = False
        while (tok := self.peek()) is not None:
            self.pos += 1
            if tok.kind == "stop" and tok.key == "COVARIANCE":
                closed = True
                break
            if tok.kind == "comment":
                (pending if (current is not None or blocks) else leading).append(tok.value)
            elif tok.kind == "kv" and tok.key == "EPOCH":
                finish()
                current = {"line": tok.line, "epoch": self.epoch(tok, tok.value, "EPOCH"), "comments": pending}
                pending, rows = [], []
            elif tok.kind == "kv" and tok.key == "COV_REF_FRAME" and current is not None and not rows:
                current["frame"] = tok.value
            elif tok.kind == "data" and current is not None:
                i = len(rows)
                if i >= 6:
                    self.reject(tok, "COVARIANCE", "more than 6 lower-triangle rows (EPOCH missing?)")
                    continue
                if len(tok.words) != i + 1:
                    self.reject(tok, "COVARIANCE", f"lower-triangle row {i + 1} needs {i + 1} values, got "
                                                   f"{len(tok.words)}", " ".join(tok.words)[:60])
                    current["epoch"] = None
                    rows.append((tok, [0.0] * (i + 1)))
                    continue
                values = self.numbers(tok, tok.words, [f"COVARIANCE row {i + 1}"] * 6)
                rows.append((tok, values if values is not None else [0.0] * (i + 1)))
                if values is None:
                    current["epoch"] = None
            elif tok.kind == "kv":
                self.reject(tok, tok.key, "not allowed in a covariance block (EPOCH, COV_REF_FRAME, rows)",
                            tok.value)
            else:
                self.reject(tok, tok.key or "data", "unexpected in a covariance block (COVARIANCE_STOP missing?)")
                self.pos -= 1
                break
        finish()
        if not closed:
            self.reject(start, "COVARIANCE_STOP", "covariance section not closed")
        if pending:
            self.reject(start, "COMMENT", "comments after the last covariance are not allowed")
        return blocks, leading


def read_tokens(tokens: list[Token], source: str) -> Oem:
    """An OEM from its tokens (KVN lines or the translated XML); raises :class:`OdmError`."""
    return _Reader(tokens, source).read()


# --- writing ---------------------------------------------------------------------------------------

def _state_line(epoch: np.datetime64, state: np.ndarray, acc: np.ndarray | None) -> str:
    values = list(state) + ([] if acc is None or np.isnan(acc).all() else list(acc))
    return " ".join([format_epoch(epoch)] + [format_number(v) for v in values])


def write_kvn(oem: Oem) -> str:
    """The OEM in KVN; reads back equal (numbers to the bit, epochs to the nanosecond)."""
    lines = [f"CCSDS_OEM_VERS = {oem.version}"] + comment_lines(oem.comments)
    lines += kvn_lines((k, oem.header[k]) for k in HEADER_KEYS if k in oem.header)
    for seg in oem.segments:
        lines += ["", "META_START"] + comment_lines(seg.comments)
        lines += kvn_lines((k, seg.metadata[k]) for k in METADATA_KEYS if k in seg.metadata)
        lines += ["META_STOP", ""] + comment_lines(seg.data_comments)
        for i in range(seg.epochs.size):
            acc = None if seg.accelerations is None else seg.accelerations[i]
            lines.append(_state_line(seg.epochs[i], seg.states[i], acc))
        if seg.covariances or seg.covariance_comments:
            lines += ["", "COVARIANCE_START"] + comment_lines(seg.covariance_comments)
            for cov in seg.covariances:
                lines += comment_lines(cov.comments)
                lines.append(f"EPOCH = {format_epoch(cov.epoch)}")
                if cov.frame_given:
                    lines.append(f"COV_REF_FRAME = {cov.frame}")
                for i in range(6):
                    lines.append(" ".join(format_number(v) for v in cov.matrix[i, :i + 1]))
            lines.append("COVARIANCE_STOP")
    return "\n".join(lines) + "\n"


_STATE_NAMES = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
_ACC_NAMES = ("X_DDOT", "Y_DDOT", "Z_DDOT")
COV_NAMES = ("CX_X", "CY_X", "CY_Y", "CZ_X", "CZ_Y", "CZ_Z", "CX_DOT_X", "CX_DOT_Y", "CX_DOT_Z", "CX_DOT_X_DOT",
             "CY_DOT_X", "CY_DOT_Y", "CY_DOT_Z", "CY_DOT_X_DOT", "CY_DOT_Y_DOT", "CZ_DOT_X", "CZ_DOT_Y", "CZ_DOT_Z",
             "CZ_DOT_X_DOT", "CZ_DOT_Y_DOT", "CZ_DOT_Z_DOT")


def write_xml(oem: Oem) -> str:
    """The OEM in XML (the NDM/XML schema's ``<oem>``); reads back equal."""
    from kompas.space.odm.xmlio import Builder

    b = Builder("oem", "CCSDS_OEM_VERS", oem.version)
    with b.element("header"):
        b.comments(oem.comments)
        b.leaves((k, oem.header[k]) for k in HEADER_KEYS if k in oem.header)
    with b.element("body"):
        for seg in oem.segments:
            with b.element("segment"):
                with b.element("metadata"):
                    b.comments(seg.comments)
                    b.leaves((k, seg.metadata[k]) for k in METADATA_KEYS if k in seg.metadata)
                with b.element("data"):
                    b.comments(seg.data_comments)
                    for i in range(seg.epochs.size):
                        with b.element("stateVector"):
                            b.leaf("EPOCH", format_epoch(seg.epochs[i]))
                            b.leaves(zip(_STATE_NAMES, map(format_number, seg.states[i]), strict=True))
                            acc = None if seg.accelerations is None else seg.accelerations[i]
                            if acc is not None and not np.isnan(acc).all():
                                b.leaves(zip(_ACC_NAMES, map(format_number, acc), strict=True))
                    for index, cov in enumerate(seg.covariances):
                        with b.element("covarianceMatrix"):
                            b.comments((seg.covariance_comments if index == 0 else []) + cov.comments)
                            b.leaf("EPOCH", format_epoch(cov.epoch))
                            if cov.frame_given:
                                b.leaf("COV_REF_FRAME", cov.frame)
                            b.leaves(zip(COV_NAMES, (format_number(v) for v in lower_triangle(cov.matrix)),
                                         strict=True))
    return b.text()


def lower_triangle(matrix: np.ndarray) -> list[float]:
    """Row by row lower triangle of a square matrix (the CCSDS order)."""
    return [float(matrix[i, j]) for i in range(matrix.shape[0]) for j in range(i + 1)]


def summary(oem: Oem) -> str:
    """One line: segments, states, covariances, objects, time span."""
    states = sum(s.epochs.size for s in oem.segments)
    covs = sum(len(s.covariances) for s in oem.segments)
    names = sorted({s.metadata.get("OBJECT_NAME", "?") for s in oem.segments})
    span = ""
    if states:
        first = min(s.epochs[0] for s in oem.segments if s.epochs.size)
        last = max(s.epochs[-1] for s in oem.segments if s.epochs.size)
        span = f", {format_epoch(first)} to {format_epoch(last)} {oem.segments[0].time_system}"
    return (f"OEM {oem.version}: {len(oem.segments)} segment(s), {states} states, {covs} covariance(s), "
            f"object(s) {', '.join(names)}{span}")


def segments_states(oem: Oem) -> Iterable[tuple[OemSegment, np.ndarray, np.ndarray]]:
    """(segment, epochs, states) per segment, for callers that only need the trajectory."""
    for seg in oem.segments:
        yield seg, seg.epochs, seg.states


def xml_tokens(tree: Any) -> list[Token]:
    """The KVN tokens of an ``<oem>`` XML tree (:class:`kompas.space.odm.xmlio.Tree`)."""
    from kompas.space.odm.xmlio import local

    tokens = [tree.version_token("CCSDS_OEM_VERS")]
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
            in_cov = False
            for kind, item in tree.expect(part, ("COMMENT", "stateVector", "covarianceMatrix")):
                if kind == "COMMENT":
                    tokens += tree.leaves_of([item])
                elif kind == "stateVector":
                    names = [local(c.tag) for c in item]
                    expected = ["EPOCH", *_STATE_NAMES] + ([*_ACC_NAMES] if len(names) == 10 else [])
                    if names != expected:
                        tree.reject(item, "stateVector", f"children must be {', '.join(expected[:7])}[, X_DDOT, "
                                                         f"Y_DDOT, Z_DDOT] in this order, got {', '.join(names)}")
                        continue
                    tokens.append(Token(tree.line(item), "data", words=tuple(tree.text(c) for c in item)))
                else:
                    if not in_cov:
                        tokens.append(Token(tree.line(item), "start", "COVARIANCE"))
                        in_cov = True
                    tokens += _xml_covariance(tree, item)
            if in_cov:
                tokens.append(Token(tree.line(part), "stop", "COVARIANCE"))
    tree.done()
    return tokens


def _xml_covariance(tree: Any, item: Any) -> list[Token]:
    from kompas.space.odm.xmlio import local

    tokens: list[Token] = []
    values: dict[str, Any] = {}
    for child in item:
        tag = local(child.tag)
        if tag in ("COMMENT", "EPOCH", "COV_REF_FRAME"):
            tokens += tree.leaves_of([child])
        elif tag in COV_NAMES and tag not in values:
            values[tag] = child
        else:
            tree.reject(child, tag, "element not allowed in <covarianceMatrix> (or repeated)")
    missing = [n for n in COV_NAMES if n not in values]
    if missing:
        tree.reject(item, missing[0], "covariance element missing")
        return tokens
    k = 0
    for i in range(6):
        row = [values[COV_NAMES[k + j]] for j in range(i + 1)]
        k += i + 1
        tokens.append(Token(tree.line(row[0]), "data", words=tuple(tree.text(c) for c in row)))
    return tokens
