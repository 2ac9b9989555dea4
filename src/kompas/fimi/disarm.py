"""The DISARM framework (red: incident creator techniques; blue: countermeasures) and DISARM's incident data.

Read from the CSV export of DISARM's master spreadsheets (``csv_export/disarm_frameworks_*.csv`` and
``disarm_data_*.csv``) or, for the red framework only, from DISARM's STIX 2.1 bundle (attack patterns whose
``external_id`` is the technique id and whose kill-chain phase is the tactic). DISARM is licensed CC BY-SA 4.0:
Kompas reads it from where it lies (``../shared/data/fimi/disarm``) and ships none of it.

Some identifiers in the spreadsheets carry a stray leading no-break space (``\\xa0IT00000548``); every id is
stripped of whitespace, no-break spaces included, before use.

The parse functions take the text of each CSV file by name (:data:`FRAMEWORK_FILES`, :data:`INCIDENT_FILES`);
:func:`kompas.fimi.load.load_framework` and :func:`kompas.fimi.load.read_incidents` read them from a folder.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import pycountry

from kompas.fimi.incident import TECHNIQUE_ID, Actor, Evidence, Incident, Target, valid_date
from kompas.rejections import Rejection

TECHNIQUE_IN_TEXT = re.compile(r"\bT\d{4}(?:\.\d{3})?\b")
#: The files of DISARM's ``csv_export`` folder that hold the framework.
FRAMEWORK_FILES = ("disarm_frameworks_tactics.csv", "disarm_frameworks_techniques.csv",
                   "disarm_frameworks_metatechniques.csv", "disarm_frameworks_responsetypes.csv",
                   "disarm_frameworks_countermeasures.csv")
#: The files of DISARM's ``csv_export`` folder that hold its incidents (the last one names a DISARM folder).
INCIDENT_FILES = ("disarm_data_urls.csv", "disarm_data_incidenttechniques.csv", "disarm_data_incidents.csv")


@dataclass(frozen=True)
class Technique:
    """A red-framework technique (or sub-technique: ``T0049.001``), in one tactic."""

    id: str
    name: str
    tactic_id: str
    summary: str = ""


@dataclass(frozen=True)
class Countermeasure:
    """A blue-framework countermeasure and the red techniques it counters."""

    id: str
    name: str
    metatechnique: str  #: e.g. "M001" (Resilience)
    response_type: str  #: e.g. "D04" (Degrade)
    tactic: str
    summary: str
    techniques: tuple[str, ...]


@dataclass
class Framework:
    """Tactics (id -> name, in kill-chain order), techniques and countermeasures."""

    tactics: dict[str, str] = field(default_factory=dict)
    techniques: dict[str, Technique] = field(default_factory=dict)
    countermeasures: dict[str, Countermeasure] = field(default_factory=dict)
    metatechniques: dict[str, str] = field(default_factory=dict)
    response_types: dict[str, str] = field(default_factory=dict)

    def tactic_of(self, technique_id: str) -> str:
        """The tactic of a technique; a sub-technique falls back to its parent's; "" when unknown."""
        found = self.techniques.get(technique_id) or self.techniques.get(technique_id.split(".")[0])
        return found.tactic_id if found else ""

    def name_of(self, technique_id: str) -> str:
        found = self.techniques.get(technique_id)
        return found.name if found else ""

    def counters(self, technique_id: str) -> list[Countermeasure]:
        """The countermeasures that name this technique (or, for a sub-technique, its parent)."""
        parent = technique_id.split(".")[0]
        return [c for c in self.countermeasures.values()
                if technique_id in c.techniques or parent in c.techniques]


def clean_id(text: str) -> str:
    """An identifier without whitespace or no-break spaces around it."""
    return text.replace("\xa0", " ").strip()


def _where(source: str, name: str) -> str:
    """How a rejection names file ``name`` of the export folder ``source``."""
    return f"{source}/{name}" if source else name


def _reader(texts: Mapping[str, str], name: str, source: str) -> csv.DictReader:
    """A CSV reader over the text of file ``name``; ``ValueError`` naming it when it is not given."""
    if name not in texts:
        raise ValueError(f"{_where(source, name)}: missing (a DISARM csv_export folder holds it)")
    return csv.DictReader(io.StringIO(texts[name], newline=""))


def _rows(texts: Mapping[str, str], name: str, source: str) -> list[dict[str, str]]:
    return list(_reader(texts, name, source))


def parse_framework(texts: Mapping[str, str], source: str = "") -> Framework:
    """The framework from the text of each of :data:`FRAMEWORK_FILES` (file name -> text); ``source``, the folder
    they came from, names them in errors. Raises ``ValueError`` naming the file that is missing or lacks a
    column."""
    framework = Framework()
    name = FRAMEWORK_FILES[0]
    try:
        for row in sorted(_rows(texts, name, source), key=lambda r: float(r.get("rank") or 0)):
            framework.tactics[clean_id(row["disarm_id"])] = row["name"].strip()
        name = FRAMEWORK_FILES[1]
        for row in _rows(texts, name, source):
            tid = clean_id(row["disarm_id"])
            framework.techniques[tid] = Technique(tid, row["name"].strip(), clean_id(row["tactic_id"]),
                                                  (row.get("summary") or "").strip())
        name = FRAMEWORK_FILES[2]
        for row in _rows(texts, name, source):
            framework.metatechniques[clean_id(row["disarm_id"])] = row["name"].strip()
        name = FRAMEWORK_FILES[3]
        for row in _rows(texts, name, source):
            framework.response_types[clean_id(row["disarm_id"])] = row["name"].strip()
        name = FRAMEWORK_FILES[4]
        for row in _rows(texts, name, source):
            cid = clean_id(row["disarm_id"])
            framework.countermeasures[cid] = Countermeasure(
                cid, row["name"].strip(), clean_id(row["metatechnique"]).split(" ")[0],
                clean_id(row["responsetype"]).split(" ")[0], row["tactic"].strip(), row["summary"].strip(),
                tuple(dict.fromkeys(TECHNIQUE_IN_TEXT.findall(row.get("techniques") or ""))))
    except KeyError as error:
        raise ValueError(f"{_where(source, name)}: no column {error} (not DISARM's csv_export)") from None
    except (AttributeError, TypeError):  # a row shorter than the header: a value of None
        raise ValueError(f"{_where(source, name)}: a row lacks values (not DISARM's csv_export)") from None
    return framework


def techniques_from_stix(text: str) -> tuple[dict[str, str], dict[str, Technique]]:
    """Tactics (short name -> name) and techniques from a DISARM STIX 2.1 bundle (its attack patterns)."""
    bundle = json.loads(text)
    objects = bundle.get("objects", []) if isinstance(bundle, dict) else []
    tactics = {o.get("x_mitre_shortname", ""): o.get("name", "") for o in objects
               if isinstance(o, dict) and o.get("type") == "x-mitre-tactic"}
    techniques = {}
    for o in objects:
        if not isinstance(o, dict) or o.get("type") != "attack-pattern":
            continue
        ids = [r.get("external_id", "") for r in o.get("external_references", []) if isinstance(r, dict)]
        tid = next((i for i in ids if TECHNIQUE_ID.match(i)), None)
        if tid:
            phase = next((p.get("phase_name", "") for p in o.get("kill_chain_phases", [])), "")
            techniques[tid] = Technique(tid, str(o.get("name", "")), phase, str(o.get("description", ""))[:2000])
    return tactics, techniques


def parse_incidents(texts: Mapping[str, str], source: str = "") -> tuple[list[Incident], list[Rejection]]:
    """DISARM's incidents with their techniques, from the text of each of :data:`INCIDENT_FILES` (file name ->
    text: ``disarm_data_urls.csv`` for the source dates, ``disarm_data_incidenttechniques.csv``,
    ``disarm_data_incidents.csv``); ``source``, the folder they came from, names them in rejections
    (``SOURCE/FILE:LINE: field: reason``). Raises ``ValueError`` naming a missing file or column.

    First seen is 1 January of ``year_started`` when given (DISARM records only the year), else the earliest
    publication date of the incident's sources; an incident with neither is rejected (no date to place it).
    """
    urls_name, links_name, name = INCIDENT_FILES
    published: dict[str, str] = {}
    archives: dict[str, str] = {}
    current = urls_name
    try:
        for row in _rows(texts, urls_name, source):
            url = clean_id(row["url_id"])
            day = clean_id(row.get("pub_date") or "").replace("/", "-")
            if valid_date(day):
                published[url] = day
            archive = clean_id(row.get("archive_link") or "")
            archives[url] = archive if archive.startswith(("http://", "https://")) else ""
        techniques: dict[str, list[str]] = defaultdict(list)
        rejections: list[Rejection] = []
        current = links_name
        reader = _reader(texts, links_name, source)
        for row in reader:
            ids = [clean_id(t) for t in (row.get("technique_ids") or "").split(",") if clean_id(t)]
            bad = [t for t in ids if not TECHNIQUE_ID.match(t)]
            if bad:
                rejections.append(Rejection(_where(source, links_name), reader.line_num, "technique_ids",
                                            "is not a DISARM technique id", bad[0]))
            techniques[clean_id(row["incident_id"])].extend(t for t in ids if TECHNIQUE_ID.match(t))
        current = name
        incidents: list[Incident] = []
        reader = _reader(texts, name, source)
        for row in reader:
            found = _incident(row, reader.line_num, _where(source, name), published, archives, techniques)
            if isinstance(found, Rejection):
                rejections.append(found)
            else:
                incidents.append(found)
    except KeyError as error:
        raise ValueError(f"{_where(source, current)}: no column {error} (not DISARM's csv_export)") from None
    except (AttributeError, TypeError):  # a row shorter than the header: a value of None
        raise ValueError(f"{_where(source, current)}: a row lacks values (not DISARM's csv_export)") from None
    return incidents, rejections


def _incident(row: dict[str, str], line: int, where: str, published: dict[str, str], archives: dict[str, str],
              techniques: dict[str, list[str]]) -> Incident | Rejection:
    """One row of ``disarm_data_incidents.csv`` as an incident, or the rejection saying why it is not one."""
    iid = clean_id(row["disarm_id"])
    if not re.fullmatch(r"I\d{5}", iid):
        return Rejection(where, line, "disarm_id", "is not an incident id I00000", iid)
    urls = [u for u in re.split(r"[\s,]+", clean_id(row.get("urls") or "")) if u.startswith("http")]
    year = clean_id(row.get("year_started") or "")
    dates = sorted(published[u] for u in urls if u in published)
    first = f"{year}-01-01" if re.fullmatch(r"(19|20)\d\d", year) else (dates[0] if dates else "")
    if not first:
        return Rejection(where, line, "year_started", "no date: neither year_started nor a dated source", iid)
    actors = [_actor(a) for a in re.split(r"[,;]", row.get("attributions_seen") or "") if a.strip()]
    targets = [Target(c.strip(), "country") for c in re.split(r"[,;]", row.get("found_in_country") or "")
               if c.strip() and c.strip() != "World"]
    return Incident(
        ref=f"DISARM {iid}", source="disarm", title=row["name"].strip() or iid, first_seen=first,
        last_seen=max([first, *dates]), summary=(row.get("summary") or "").strip()[:5000],
        actors=[a for a in actors if a.name != "Unknown"], targets=targets,
        techniques=list(dict.fromkeys(techniques.get(iid, []))),
        evidence=[Evidence(u, archives.get(u, ""), published.get(u, "")) for u in urls],
        confidence="medium")


def _actor(name: str) -> Actor:
    """An attributed state: DISARM names states ("Russia", "SaudiArabia"); the category is "state-linked" (a
    documented attribution to the state, without a stated channel relationship), "unattributed" for Unknown."""
    name = name.strip()
    if name.lower() == "unknown":
        return Actor("Unknown")
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    try:
        state = pycountry.countries.search_fuzzy(spaced)[0].alpha_3
    except LookupError:
        state = ""
    return Actor(spaced, "state-linked", state)
