"""Recognise an element-set or SATCAT text and parse it; merge the results into a catalogue.

:func:`parse_text` picks the parser from the content (and the file name as a hint): TLE/3LE, OMM in KVN,
XML, JSON or CSV, or SATCAT CSV. :func:`ingest` adds a parsed text to a :class:`Catalog` and returns
the per-source counts the ``kompas space ingest`` command prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from kompas.space import omm, satcat, sources, tle
from kompas.space.catalog import Added, Catalog
from kompas.space.elements import ElementSet, ObjectInfo, Rejection

FORMATS = ("tle", "omm-kvn", "omm-xml", "omm-json", "omm-csv", "satcat-csv")


@dataclass
class Parsed:
    """What one text held: its format, the good records and the rejections."""

    source: str
    format: str
    elements: list[ElementSet] = field(default_factory=list)
    infos: list[ObjectInfo] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass
class IngestReport:
    """Counts for one source after merging into a catalogue."""

    source: str
    format: str
    accepted: int = 0
    repeats: int = 0
    revised: int = 0
    metadata: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Number of rejected records (a record with several bad fields counts once)."""
        return len({r.line for r in self.rejections})


def detect_format(text: str, name: str = "") -> str:
    """Guess the format of ``text``; ``name`` (a file name) breaks ties. Returns one of :data:`FORMATS`."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    lower = name.lower()
    if head.startswith("<"):
        return "omm-xml"
    if head.startswith(("[", "{")):
        return "omm-json"
    first = head.splitlines()[0] if head else ""
    if "CCSDS_OMM_VERS" in head[:2000] and "=" in first:
        return "omm-kvn"
    if "," in first and "NORAD_CAT_ID" in first.upper():
        header = {c.strip().upper() for c in first.split(",")}
        if "MEAN_MOTION" in header or "EPOCH" in header:
            return "omm-csv"
        return "satcat-csv"
    if lower.endswith((".kvn", ".omm")):
        return "omm-kvn"
    return "tle"


def parse_text(text: str, source: str, fmt: str | None = None, now_utc: np.datetime64 | None = None,
               origin: str | None = None) -> Parsed:
    """Parse ``text`` (named ``source`` in rejections) in ``fmt`` or the detected format.

    Each element set's :attr:`~kompas.space.elements.ElementSet.origin` (its source: ``gp``, ``supgp``, ``oem``,
    ``contributed``) is ``origin`` when given (raises ``ValueError`` for another value), else what the name
    ``source`` says (:func:`kompas.space.sources.source_of_file`), else what a TLE's classification says (``C``:
    SupGP, :func:`kompas.space.sources.source_of_tle`), else ``gp``."""
    fmt = fmt or detect_format(text, source)
    chosen = sources.check(origin) if origin is not None else sources.source_of_file(source)
    parsed = Parsed(source, fmt)
    if fmt == "satcat-csv":
        parsed.infos, parsed.rejections = satcat.parse_satcat(text, source)
        return parsed
    parser = {"tle": tle.parse_tle, "omm-kvn": omm.parse_kvn, "omm-xml": omm.parse_xml,
              "omm-json": omm.parse_json, "omm-csv": omm.parse_csv}.get(fmt)
    if parser is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    parsed.elements, parsed.rejections = parser(text, source, now_utc)
    parsed.elements = with_origin(parsed.elements, chosen, by_classification=fmt == "tle")
    return parsed


def with_origin(elsets: list[ElementSet], origin: str | None, by_classification: bool = False) -> list[ElementSet]:
    """``elsets`` with their source set to ``origin`` (None: by the TLE classification when
    ``by_classification``, else left as parsed, ``gp``); sets already of that source are returned as they are."""
    out = []
    for elset in elsets:
        wanted = origin if origin is not None else (
            sources.source_of_tle(elset.classification) if by_classification else elset.origin)
        out.append(elset if elset.origin == wanted else replace(elset, origin=wanted))
    return out


def ingest(catalog: Catalog, parsed: Parsed) -> IngestReport:
    """Merge a parsed text into ``catalog``.

    ``accepted`` counts element sets new to the catalogue, ``repeats`` identical ones it already had,
    ``revised`` re-issues of a known epoch that replaced the earlier set; two sets for the same object and
    epoch inside one source are a duplicate and the second is rejected.
    """
    report = IngestReport(parsed.source, parsed.format, rejections=list(parsed.rejections))
    seen: dict[tuple[int, np.datetime64], str] = {}
    for elset in parsed.elements:
        key = (elset.norad_id, elset.epoch_utc)
        line = int(elset.source.rsplit(":", 1)[1])
        if key in seen:
            report.rejections.append(Rejection(parsed.source, line, "NORAD_CAT_ID",
                                               f"duplicate of the element set at {seen[key]}", str(elset.norad_id)))
            continue
        seen[key] = elset.source
        outcome = catalog.add(elset)
        if outcome is Added.NEW:
            report.accepted += 1
        elif outcome is Added.REPEAT:
            report.repeats += 1
        else:
            report.revised += 1
    for info in parsed.infos:
        catalog.add_info(info)
        report.metadata += 1
    report.rejections.sort(key=lambda r: r.line)
    return report
