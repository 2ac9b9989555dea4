"""Incident sources, whatever their format: the EUvsDisinfo files, DISARM's incident files, a STIX 2.1 bundle or a
JSON list of incidents (the API's form). The format is recognised from the content when not named.

Pure parsing of text: :func:`kompas.fimi.load.read` and :func:`kompas.fimi.load.detect` read files and folders
through :mod:`kompas.files` and call the functions here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from kompas.fimi import euvsdisinfo
from kompas.fimi.incident import Incident, from_items
from kompas.rejections import Rejection

FORMATS = ("euvsdisinfo", "disarm", "stix", "json")
HEAD_CHARS = 4096  #: How much of a file's beginning :func:`detect_text` needs (characters).


@dataclass
class Read:
    """Incidents read from one path, its format, and each record that could not be read."""

    path: str
    format: str
    incidents: list[Incident] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def detect_text(head: str, source: str) -> str:
    """The format of one file from the beginning of its text (:data:`HEAD_CHARS` are enough): ``euvsdisinfo``,
    ``stix`` or ``json``; raises ``ValueError`` naming ``source`` when it is none Kompas reads."""
    head = head[:HEAD_CHARS].lstrip("\ufeff \r\n\t")
    if euvsdisinfo.is_cases(head) or euvsdisinfo.is_links(head):
        return "euvsdisinfo"
    if head.startswith("{") and '"bundle"' in head:
        return "stix"
    if head.startswith("["):
        return "json"
    raise ValueError(f"{source}: not an EUvsDisinfo CSV, a STIX 2.1 bundle or a JSON list of incidents")


def parse_euvsdisinfo(texts: Mapping[str, str], source: str) -> tuple[list[Incident], list[Rejection]]:
    """EUvsDisinfo's cases, from the texts of its files (file name -> text, in order): the cases file and
    optionally the publication links file, whose evidence is joined to the cases. ``source`` (the file or folder
    read) names the data in errors; each file's name names its rejections. Raises ``ValueError`` when no text is
    a cases file."""
    incidents: list[Incident] = []
    rejections: list[Rejection] = []
    links: dict = {}
    for name, text in texts.items():
        if euvsdisinfo.is_links(text[:200]):
            found, rejected = euvsdisinfo.read_links(text, name)
            links.update(found)
            rejections += rejected
    cases = [name for name, text in texts.items() if euvsdisinfo.is_cases(text[:200])]
    if not cases:
        raise ValueError(f"{source}: no EUvsDisinfo cases file (header {','.join(euvsdisinfo.CASE_COLUMNS)})")
    for name in cases:
        parsed = euvsdisinfo.read_cases(texts[name], name, links)
        incidents += parsed.incidents
        rejections += parsed.rejections
    return incidents, rejections


def read_json(text: str, source: str) -> tuple[list[Incident], list[Rejection]]:
    """A JSON list of incidents in their API form; each bad item is rejected with its number and field."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [Rejection(source, error.lineno, "json", f"not JSON: {error.msg}")]
    except RecursionError:  # (boundary, issue 18 #11)
        return [], [Rejection(source, 1, "json", "JSON nested too deeply")]
    if not isinstance(items, list):
        return [], [Rejection(source, 1, "json", "must be a list of incidents")]
    return from_items(items, source)
