"""Reading incident sources from disk, whatever their format: the EUvsDisinfo files, a DISARM folder, a STIX 2.1
bundle or a JSON list of incidents (the API's form). The format is recognised from the content when not named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kompas.fimi import disarm, euvsdisinfo, stix
from kompas.fimi.incident import Incident, from_items
from kompas.rejections import Rejection

FORMATS = ("euvsdisinfo", "disarm", "stix", "json")


@dataclass
class Read:
    """Incidents read from one path, its format, and each record that could not be read."""

    path: str
    format: str
    incidents: list[Incident] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def detect(path: Path) -> str:
    """The format of ``path`` (a file or folder); raises ValueError when it is none Kompas reads."""
    if path.is_dir():
        if disarm.is_disarm_folder(path):
            return "disarm"
        if any(euvsdisinfo.is_cases(_text(p)[:200]) for p in path.glob("*.csv")):
            return "euvsdisinfo"
        raise ValueError(f"{path}: a folder without DISARM csv_export files or an EUvsDisinfo cases file")
    head = _text(path)[:4096].lstrip("\ufeff \r\n\t")
    if euvsdisinfo.is_cases(head) or euvsdisinfo.is_links(head):
        return "euvsdisinfo"
    if head.startswith("{") and '"bundle"' in head:
        return "stix"
    if head.startswith("["):
        return "json"
    raise ValueError(f"{path}: not an EUvsDisinfo CSV, a STIX 2.1 bundle or a JSON list of incidents")


def read(path: str | Path, fmt: str | None = None) -> Read:
    """Read one path. EUvsDisinfo: the cases file, or a folder with the cases file and optionally the publication
    links file (their evidence is joined to the cases). Raises ValueError for a path of no known format."""
    path = Path(path)
    fmt = fmt or detect(path)
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    out = Read(str(path), fmt)
    if fmt == "euvsdisinfo":
        files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
        texts = {p: _text(p) for p in files}
        links: dict = {}
        for p, text in texts.items():
            if euvsdisinfo.is_links(text[:200]):
                found, rejected = euvsdisinfo.read_links(text, str(p))
                links.update(found)
                out.rejections += rejected
        cases = [p for p, text in texts.items() if euvsdisinfo.is_cases(text[:200])]
        if not cases:
            raise ValueError(f"{path}: no EUvsDisinfo cases file (header {','.join(euvsdisinfo.CASE_COLUMNS)})")
        for p in cases:
            parsed = euvsdisinfo.read_cases(texts[p], str(p), links)
            out.incidents += parsed.incidents
            out.rejections += parsed.rejections
    elif fmt == "disarm":
        out.incidents, out.rejections = disarm.read_incidents(path)
    elif fmt == "stix":
        out.incidents, out.rejections = stix.import_bundle(_text(path), str(path))
    else:
        out.incidents, out.rejections = read_json(_text(path), str(path))
    return out


def read_json(text: str, source: str) -> tuple[list[Incident], list[Rejection]]:
    """A JSON list of incidents in their API form; each bad item is rejected with its number and field."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [Rejection(source, error.lineno, "json", f"not JSON: {error.msg}")]
    if not isinstance(items, list):
        return [], [Rejection(source, 1, "json", "must be a list of incidents")]
    return from_items(items, source)
