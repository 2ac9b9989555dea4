"""The DISARM framework (red: incident creator techniques; blue: countermeasures) and DISARM's incident data.

Read from the CSV export of DISARM's master spreadsheets (``csv_export/disarm_frameworks_*.csv`` and
``disarm_data_*.csv``) or, for the red framework only, from DISARM's STIX 2.1 bundle (attack patterns whose
``external_id`` is the technique id and whose kill-chain phase is the tactic). DISARM is licensed CC BY-SA 4.0:
Kompas reads it from where it lies (``../shared/data/fimi/disarm``) and ships none of it.

Some identifiers in the spreadsheets carry a stray leading no-break space (``\\xa0IT00000548``); every id is
stripped of whitespace, no-break spaces included, before use.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from kompas.fimi.incident import TECHNIQUE_ID, Actor, Evidence, Incident, Target, valid_date
from kompas.rejections import Rejection

TECHNIQUE_IN_TEXT = re.compile(r"\bT\d{4}(?:\.\d{3})?\b")


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


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_framework(folder: str | Path) -> Framework:
    """The framework from a DISARM folder holding ``csv_export/`` (or from the ``csv_export`` folder itself)."""
    folder = Path(folder)
    export = folder / "csv_export" if (folder / "csv_export").is_dir() else folder
    framework = Framework()
    for row in sorted(_rows(export / "disarm_frameworks_tactics.csv"), key=lambda r: float(r.get("rank") or 0)):
        framework.tactics[clean_id(row["disarm_id"])] = row["name"].strip()
    for row in _rows(export / "disarm_frameworks_techniques.csv"):
        tid = clean_id(row["disarm_id"])
        framework.techniques[tid] = Technique(tid, row["name"].strip(), clean_id(row["tactic_id"]),
                                              row.get("summary", "").strip())
    for row in _rows(export / "disarm_frameworks_metatechniques.csv"):
        framework.metatechniques[clean_id(row["disarm_id"])] = row["name"].strip()
    for row in _rows(export / "disarm_frameworks_responsetypes.csv"):
        framework.response_types[clean_id(row["disarm_id"])] = row["name"].strip()
    for row in _rows(export / "disarm_frameworks_countermeasures.csv"):
        cid = clean_id(row["disarm_id"])
        framework.countermeasures[cid] = Countermeasure(
            cid, row["name"].strip(), clean_id(row["metatechnique"]).split(" ")[0],
            clean_id(row["responsetype"]).split(" ")[0], row["tactic"].strip(), row["summary"].strip(),
            tuple(dict.fromkeys(TECHNIQUE_IN_TEXT.findall(row.get("techniques", "")))))
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


def read_incidents(folder: str | Path) -> tuple[list[Incident], list[Rejection]]:
    """DISARM's incidents with their techniques (``disarm_data_incidents.csv``, ``disarm_data_incidenttechniques.csv``
    and the source dates in ``disarm_data_urls.csv``).

    First seen is 1 January of ``year_started`` when given (DISARM records only the year), else the earliest
    publication date of the incident's sources; an incident with neither is rejected (no date to place it).
    """
    folder = Path(folder)
    export = folder / "csv_export" if (folder / "csv_export").is_dir() else folder
    name = "disarm_data_incidents.csv"
    published: dict[str, str] = {}
    archives: dict[str, str] = {}
    for row in _rows(export / "disarm_data_urls.csv"):
        url = clean_id(row["url_id"])
        day = clean_id(row.get("pub_date", "")).replace("/", "-")
        if valid_date(day):
            published[url] = day
        archive = clean_id(row.get("archive_link", ""))
        archives[url] = archive if archive.startswith(("http://", "https://")) else ""
    techniques: dict[str, list[str]] = defaultdict(list)
    rejections: list[Rejection] = []
    links_name = "disarm_data_incidenttechniques.csv"
    with (export / links_name).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            ids = [clean_id(t) for t in row.get("technique_ids", "").split(",") if clean_id(t)]
            bad = [t for t in ids if not TECHNIQUE_ID.match(t)]
            if bad:
                rejections.append(Rejection(f"{export / links_name}", reader.line_num, "technique_ids",
                                            "is not a DISARM technique id", bad[0]))
            techniques[clean_id(row["incident_id"])].extend(t for t in ids if TECHNIQUE_ID.match(t))
    incidents = []
    with (export / name).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            line, iid = reader.line_num, clean_id(row["disarm_id"])
            if not re.fullmatch(r"I\d{5}", iid):
                rejections.append(Rejection(str(export / name), line, "disarm_id", "is not an incident id I00000",
                                            iid))
                continue
            urls = [u for u in re.split(r"[\s,]+", clean_id(row.get("urls", ""))) if u.startswith("http")]
            year = clean_id(row.get("year_started", ""))
            dates = sorted(published[u] for u in urls if u in published)
            first = f"{year}-01-01" if re.fullmatch(r"(19|20)\d\d", year) else (dates[0] if dates else "")
            if not first:
                rejections.append(Rejection(str(export / name), line, "year_started",
                                            "no date: neither year_started nor a dated source", iid))
                continue
            actors = [_actor(a) for a in re.split(r"[,;]", row.get("attributions_seen", "")) if a.strip()]
            targets = [Target(c.strip(), "country") for c in re.split(r"[,;]", row.get("found_in_country", ""))
                       if c.strip() and c.strip() != "World"]
            incidents.append(Incident(
                ref=f"DISARM {iid}", source="disarm", title=row["name"].strip() or iid, first_seen=first,
                last_seen=max([first, *dates]), summary=row.get("summary", "").strip()[:5000],
                actors=[a for a in actors if a.name != "Unknown"], targets=targets,
                techniques=list(dict.fromkeys(techniques.get(iid, []))),
                evidence=[Evidence(u, archives.get(u, ""), published.get(u, "")) for u in urls],
                confidence="medium"))
    return incidents, rejections


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


def is_disarm_folder(path: Path) -> bool:
    export = path / "csv_export" if (path / "csv_export").is_dir() else path
    return (export / "disarm_data_incidents.csv").is_file()

