"""CCSDS Orbit Data Messages 3.0 (CCSDS 502.0-B-3): OEM, OPM and OCM, read and written in KVN and XML.

``read(text, source)`` detects the message type and encoding and returns an :class:`~kompas.space.odm.oem.Oem`,
:class:`~kompas.space.odm.opm.Opm` or :class:`~kompas.space.odm.ocm.Ocm`, or raises :class:`OdmError` (a
ValueError) whose ``rejections`` name the source, line, keyword and reason of every problem found.
``write(message, "kvn"|"xml")`` writes one back: numbers with the shortest text that reads back bit-identical,
epochs to the nanosecond, so ``read(write(m)) == m`` field by field, KVN -> XML -> KVN included. OMM stays in
:mod:`kompas.space.omm`.

Why hand-written (measured 2026-11-30 on the 30 OEM/OPM/OCM files of ``../shared/data/ccsds``, Orekit's test
corpus: 27 valid files and 3 that must be rejected; each library's own reader on each file):

- ``oem`` 0.4.5 (bradsease; OEM only): reads 5 of the 12 valid OEMs (fails on CLASSIFICATION and MESSAGE_ID
  header keys, accelerations, v2.0 files without INTERPOLATION_DEGREE, MRT day-of-year files); rejects the 3
  negative files, but at lines 37 and 44 where Orekit reports the time-system clash (line 33) and line 55 (line 24
  right).
- ``ccsds-ndm`` 3.1.1 (Imre, XML-first, GPL-3.0): reads 20 of 27 (all 12 OEMs and 8 OPMs, none of the 7 OCMs) and
  accepts all 3 negative OEMs (no rejection at all).
- ``ccsds-ndm-py`` 0.0.9 (Rust core, MPL-2.0): reads 21 of 27; rejects 6 valid files (OEMExample8: INTERPOLATION
  without degree; OPMExamplePartialManeuver; OCMExample1: TRAJ_BASIS SIMULATION; OCMExample2.xml without
  CENTER_NAME; OCMExample4: TRAJ_BASIS DETERMINED_OD; OCMMinimal: empty COV), and reports the negative files at
  line 48 (for 55), as an epoch error (for the keyword at line 24) and without a line (time systems).

None reads the whole corpus with errors at the right place, so the three messages are read here by one tokenizer
(:mod:`kompas.space.odm.common`) shared by KVN and XML (:mod:`kompas.space.odm.xmlio`, defusedxml), with one
parser per message. Size is bounded by :data:`~kompas.space.odm.common.MAX_LINES` lines per file and
:data:`~kompas.space.odm.xmlio.MAX_XML_DEPTH` nesting.
"""

from __future__ import annotations

import re
from typing import Literal

from kompas.rejections import Rejection
from kompas.space.odm.common import MAX_LINES, OdmError, tokenize_kvn
from kompas.space.odm.ocm import Ocm, OcmBlock
from kompas.space.odm.oem import Oem, OemCovariance, OemSegment
from kompas.space.odm.opm import Opm, OpmManeuver
from kompas.space.odm.xmlio import MAX_XML_DEPTH

__all__ = ["MAX_LINES", "MAX_XML_DEPTH", "Message", "Ocm", "OcmBlock", "OdmError", "Oem", "OemCovariance",
           "OemSegment", "Opm", "OpmManeuver", "detect", "read", "summary", "warnings", "write"]

Message = Oem | Opm | Ocm
_KVN_VERSION = re.compile(r"^\s*\ufeff?\s*CCSDS_(OEM|OPM|OCM|OMM)_VERS\s*=", re.MULTILINE)
_XML_ROOT = re.compile(r"<\s*(?:\w+:)?(oem|opm|ocm|omm)[\s>]")


def detect(text: str) -> tuple[str, str]:
    """(``"OEM"|"OPM"|"OCM"|"OMM"``, ``"kvn"|"xml"``), or ("", "") when neither is recognised."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        match = _XML_ROOT.search(text[:4096])
        return (match.group(1).upper(), "xml") if match else ("", "xml")
    first = next((line for line in head.splitlines() if line.strip() and not line.strip().startswith("COMMENT")),
                 "")
    match = _KVN_VERSION.match(first)
    return (match.group(1), "kvn") if match else ("", "kvn")


def read(text: str, source: str = "<text>") -> Message:
    """One OEM, OPM or OCM in KVN or XML; raises :class:`OdmError` with every rejection found."""
    kind, encoding = detect(text)
    if kind == "OMM":
        raise OdmError([Rejection(source, 1, "CCSDS_OMM_VERS", "an OMM: read it with kompas.space.omm")])
    if not kind:
        raise OdmError([Rejection(source, 1, "CCSDS_xxx_VERS" if encoding == "kvn" else "XML",
                                  "not an OEM, OPM or OCM (no CCSDS_OEM_VERS/OPM/OCM line or <oem>/<opm>/<ocm> "
                                  "root)")])
    module = _module(kind)
    if encoding == "xml":
        from kompas.space.odm.xmlio import local, parse

        tree = parse(text, source)
        if local(tree.root.tag).upper() != kind:
            raise OdmError([Rejection(source, tree.line(tree.root), "XML", f"root element <{local(tree.root.tag)}>"
                                      f" is not an {kind}")])
        tokens = module.xml_tokens(tree)
    else:
        tokens = tokenize_kvn(text, source)
    message: Message = module.read_tokens(tokens, source)
    return message


def write(message: Message, encoding: Literal["kvn", "xml"] = "kvn") -> str:
    """The message in KVN or XML."""
    module = _module(type(message).__name__.upper())
    text: str = module.write_xml(message) if encoding == "xml" else module.write_kvn(message)
    return text


def summary(message: Message) -> str:
    """One line describing the message (type, version, counts, span)."""
    text: str = _module(type(message).__name__.upper()).summary(message)
    return text


def warnings(message: Message) -> list[str]:
    """What a reader accepts but a user should know: covariances that are not positive semi-definite (the
    standard's examples have some, and Orekit reads them, so they are not rejections)."""
    from kompas.space.odm.common import format_epoch
    from kompas.space.odm.oem import covariance_problem

    found: list[str] = []
    if isinstance(message, Oem):
        for i, seg in enumerate(message.segments, start=1):
            for j, cov in enumerate(seg.covariances, start=1):
                if reason := covariance_problem(cov.matrix):
                    found.append(f"segment {i} covariance {j} ({format_epoch(cov.epoch)}): {reason}")
    elif isinstance(message, Opm):
        if message.covariance is not None and (reason := covariance_problem(message.covariance)):
            found.append(f"covariance: {reason}")
    else:
        for i, block in enumerate(message.covariances, start=1):
            try:
                matrices = block.matrices()
            except ValueError:
                continue
            for j, matrix in enumerate(matrices, start=1):
                if matrix.shape == (6, 6) and (reason := covariance_problem(matrix)):
                    found.append(f"COV block {i} line {j} ({format_epoch(block.epochs[j - 1])}): {reason}")
    return found


def _module(kind: str):  # type: ignore[no-untyped-def]
    from kompas.space.odm import ocm, oem, opm

    return {"OEM": oem, "OPM": opm, "OCM": ocm}[kind]
