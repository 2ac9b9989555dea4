"""SATCAT: the satellite catalogue's object metadata (CelesTrak SATCAT CSV column names).

Columns used: ``OBJECT_NAME, OBJECT_ID, NORAD_CAT_ID, OBJECT_TYPE, OPS_STATUS_CODE, OWNER, LAUNCH_DATE,
DECAY_DATE, RCS``. Dates may be ISO (``2024-03-01``) or US style (``3/1/2024``, as some mirrors re-format
them). RCS is in square metres. Unknown extra columns are ignored; a bad value rejects its row.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from kompas.rejections import Rejection
from kompas.space.elements import ObjectInfo, is_digits

OBJECT_TYPES = {"PAY": "PAY", "PAYLOAD": "PAY", "R/B": "R/B", "ROCKET BODY": "R/B", "DEB": "DEB",
                "DEBRIS": "DEB", "UNK": "UNK", "UNKNOWN": "UNK", "TBA": "UNK", "": ""}
SATCAT_KEYS = {"NORAD_CAT_ID", "OBJECT_TYPE", "OWNER"}


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date (YYYY-MM-DD or M/D/YYYY)")


def parse_satcat(text: str, source: str = "<text>") -> tuple[list[ObjectInfo], list[Rejection]]:
    """Parse SATCAT CSV into :class:`ObjectInfo` records and rejections."""
    infos: list[ObjectInfo] = []
    rejections: list[Rejection] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"NORAD_CAT_ID"} - set(reader.fieldnames or ())
    if missing:
        return [], [Rejection(source, 1, "header", "missing column NORAD_CAT_ID", ",".join(reader.fieldnames or ()))]
    for row in reader:
        line = reader.line_num
        if None in row:
            rejections.append(Rejection(source, line, "CSV", "more values than header columns"))
            continue
        get = {k: (v or "").strip() for k, v in row.items()}
        problems = []
        norad = get.get("NORAD_CAT_ID", "")
        if not is_digits(norad) or not 0 < int(norad) <= 339_999:
            problems.append(Rejection(source, line, "NORAD_CAT_ID", "must be an integer in 1..339999", norad))
        kind = get.get("OBJECT_TYPE", "").upper()
        if kind not in OBJECT_TYPES:
            problems.append(Rejection(source, line, "OBJECT_TYPE", "not one of PAY, R/B, DEB, UNK", kind))
        dates = {}
        for key in ("LAUNCH_DATE", "DECAY_DATE"):
            try:
                dates[key] = _date(get.get(key, ""))
            except ValueError as err:
                problems.append(Rejection(source, line, key, str(err), get.get(key, "")))
        rcs = None
        if get.get("RCS"):
            try:
                rcs = float(get["RCS"])
                if rcs < 0:
                    raise ValueError
            except ValueError:
                problems.append(Rejection(source, line, "RCS", "not a non-negative number (m^2)", get["RCS"]))
        if problems:
            rejections.extend(problems)
            continue
        infos.append(ObjectInfo(
            norad_id=int(norad), name=get.get("OBJECT_NAME", ""), intl_designator=get.get("OBJECT_ID", ""),
            object_type=OBJECT_TYPES[kind], owner=get.get("OWNER", ""), launch_date=dates["LAUNCH_DATE"],
            decay_date=dates["DECAY_DATE"], rcs_m2=rcs, ops_status=get.get("OPS_STATUS_CODE", ""),
            source=f"{source}:{line}"))
    return infos, rejections
