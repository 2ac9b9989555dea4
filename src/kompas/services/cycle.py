"""The daily cycle: what a space operations centre does each morning, as one workflow on the platform.

1. **read** the newest catalogue snapshot and the history beside it (every ``active_*.tle`` in the folder);
2. **platform**: create or upgrade the database and the cycle's system organisation and user (:data:`SYSTEM_ORG`,
   :data:`SYSTEM_USER`) when missing;
3. **store** the newest snapshot's element sets under the cycle's marking (once per file: a rerun finds the
   contribution by its source, the file's name and SHA-256);
4. **screen** the protected assets against the whole catalogue for the next days from the newest snapshot's time
   (:func:`reference_time`), with Pc and CCSDS CDMs, through the platform
   (:func:`kompas.core.jobs.screen_catalogue`: conjunction ids are stable, a rerun stores nothing twice);
5. **events** over the history (:func:`kompas.services.space.detect_events`), stored under the same marking
   (:func:`kompas.core.jobs.store_space_events`, idempotent);
6. **outputs** into the output folder: the threat landscape report (HTML and PDF) for the last days of the
   history up to that time, with the screening's conjunctions as a forecast, written by the one report workflow
   (:func:`kompas.services.reports.threat_landscape`, over the events the cycle's user may see);
   ``conjunctions.csv`` (the columns
   of `kompas space screen`, then ``pc``, ``pc_basis``, ``pc_flags``,
   ``pc_low``, ``pc_high``: a Monte Carlo Pc's 95% interval), ``cdms/`` (one CDM per conjunction),
   ``events.json``, and the
   catalogue summary of the newest snapshot (``summary.md``, ``summary.json``, ``catalogue.png``,
   ``states_start.csv``, ``rejections.txt``);
7. **picture**: the fused picture from the report period's start on (what happened, and what is expected after:
   approaches, re-entries) as the cycle's user may see it (every domain's events on
   the platform, linked into situations: :func:`kompas.services.fusion.picture`), as ``picture.geojson`` (events,
   situation centroids and hulls) and ``situations.json``, each with the combined marking of what it holds.

No printing: long steps report through ``progress(step, done, total)``; :class:`Cycle` carries what a summary
needs and the seconds each step took.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kompas.core.markings import Marking, combine
from kompas.private import open_private, private_dir, write_private
from kompas.services.space import (
    SCREEN_HEADER,
    STATES_HEADER,
    MapBlocks,
    Progress,
    conjunction_csv_row,
    detect_events,
    screen_assets,
    write_states,
)
from kompas.space.catalog import Catalog
from kompas.space.elements import ElementSet, Rejection
from kompas.space.events import Event
from kompas.space.proximity import Asset
from kompas.times import utc_text_ms

if TYPE_CHECKING:
    from kompas.core.store import Store

SYSTEM_ORG = "KOMPAS"  #: The organisation the cycle stores under (created when missing).
SYSTEM_COUNTRY = "EU"
SYSTEM_USER = "kompas-cycle"  #: The cycle's own user (its token is never shown: nobody signs in as it).
SCREEN_DAYS = 7.0  #: Screening window from the newest snapshot's reference time (:func:`reference_time`), days.
THRESHOLD_KM = 5.0  #: Conjunction miss-distance threshold, km.
REPORT_DAYS = 7.0  #: The report covers the last days of the history.
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
TYPE_ORDER = {"proximity": 0, "fragmentation": 1, "geo_relocation": 2, "geo_drift": 3, "reentry": 4, "manoeuvre": 5}


@dataclass
class Cycle:
    """What one run of the daily cycle did (times as ISO 8601 UTC text with ``Z``)."""

    data_dir: Path
    snapshots: list[Path]
    database: str
    marking: Marking
    assets: dict[int, Asset] = field(default_factory=dict)  #: the protected assets
    threshold_km: float = THRESHOLD_KM
    #: "now" for the newest snapshot (:func:`reference_time`): the screening starts and the report's period ends here
    reference_utc: np.datetime64 = field(default_factory=lambda: np.datetime64("NaT", "ns"))
    objects: int = 0  #: objects in the history
    element_sets: int = 0  #: element sets in the history
    rejections: list[Rejection] = field(default_factory=list)  #: records rejected while reading
    stored_element_sets: int = 0  #: element sets stored by this run (0 when the snapshot was stored before)
    screening: tuple[str, str] = ("", "")  #: screening window
    conjunctions: list[dict] = field(default_factory=list)  #: the window's conjunctions with protected assets
    new_conjunctions: int = 0
    events: list[Event] = field(default_factory=list)
    new_events: int = 0
    situations: int = 0  #: situations in the fused picture of the report period
    rejected_events: list[Rejection] = field(default_factory=list)
    period: tuple[str, str] = ("", "")  #: the report's period
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  #: wall time per step
    cpu_seconds: dict[str, float] = field(default_factory=dict)  #: CPU time of the process per step (all threads)
    notes: list[str] = field(default_factory=list)  #: what could not be done, and why
    step_seconds: dict[str, float] = field(default_factory=dict)  #: wall time per progress step (finer)

    @property
    def newest(self) -> Path:
        return self.snapshots[-1]

    @property
    def report_marking(self) -> Marking:
        """The combined marking of everything the outputs use: the events (the cycle's marking) and the
        conjunctions (each marked from its two inputs, which other contributors' element sets may raise)."""
        return combine([self.marking, *(c["marking"] for c in self.conjunctions)])

    def is_formation(self, conjunction: Mapping) -> bool:
        """Both objects are protected assets of one owner (a formation such as TerraSAR-X/TanDEM-X, a fleet): their
        operator plans these approaches."""
        a, b = (self.assets.get(conjunction[k]) for k in ("primary_id", "secondary_id"))
        return a is not None and b is not None and a.owner == b.owner

    @property
    def formation(self) -> int:
        """Conjunctions between protected assets of one owner (:meth:`is_formation`)."""
        return sum(self.is_formation(c) for c in self.conjunctions)

    def top_conjunctions(self, n: int = 10) -> list[dict]:
        """The ``n`` conjunctions of highest Pc (then smallest miss distance), formations left out."""
        return sorted((c for c in self.conjunctions if not self.is_formation(c)),
                      key=lambda c: (-(c.get("pc") or 0.0), c["miss_km"]))[:n]

    def notable_events(self, n: int = 10) -> list[Event]:
        """The report period's ``n`` most notable events: high severity first; within a severity, approaches to the
        protected assets, fragmentations, GEO relocations and drifts, re-entries, then manoeuvres, those of objects
        outside the large constellations (routine orbit raising and station keeping) first; then the most
        confident, the newest."""
        from kompas.reports.threat_landscape import CONSTELLATION_MIN, family

        start, end = (np.datetime64(t.rstrip("Z"), "ns") for t in self.period)
        now = [e for e in self.events if start <= e.epoch_utc < end]
        families: dict[str, set[int]] = {}
        for e in now:
            if e.type == "manoeuvre":
                families.setdefault(family(e.names[0] if e.names else ""), set()).add(e.norad_ids[0])
        large = {f for f, objects in families.items() if len(objects) >= CONSTELLATION_MIN}

        def rank(e: Event) -> tuple:
            routine = e.type == "manoeuvre" and family(e.names[0] if e.names else "") in large
            return (SEVERITY_ORDER[e.severity], TYPE_ORDER.get(e.type, len(TYPE_ORDER)), routine, -e.confidence,
                    -int(e.epoch_utc.astype("datetime64[ns]").astype(np.int64)))

        return sorted(now, key=rank)[:n]


def read_satcat(catalog: Catalog, paths: Sequence[Path]) -> list[Rejection]:
    """Add the SATCAT records of ``paths`` (CSV, CelesTrak's columns) to ``catalog``'s object information; returns
    the records rejected (``PATH:LINE: field: reason``). A file that is not a SATCAT is one rejection, nothing read
    from it."""
    from kompas.files import read_text
    from kompas.space.ingest import ingest, parse_text

    rejections: list[Rejection] = []
    for path in paths:
        parsed = parse_text(read_text(path), str(path))
        if parsed.elements or (not parsed.infos and not parsed.rejections):
            rejections.append(Rejection(str(path), 0, "", "not a SATCAT CSV (OBJECT_NAME, OBJECT_ID, NORAD_CAT_ID, "
                                                          "OWNER, ... columns)"))
            continue
        rejections += ingest(catalog, parsed).rejections
    return rejections


def snapshots_in(data_dir: Path) -> list[Path]:
    """The catalogue snapshots of a folder, oldest first: ``active_*.tle``, else every ``*.tle``."""
    return sorted(data_dir.glob("active_*.tle")) or sorted(data_dir.glob("*.tle"))


def companions(snapshot: Path) -> list[Path]:
    """Files read with a snapshot: ``assets_<date>.tle`` beside it for the same date (the protected assets' own
    element sets, as the bundled sample ships them)."""
    match = re.search(r"\d{4}-\d{2}-\d{2}", snapshot.name)
    if not match:
        return []
    return sorted(p for p in snapshot.parent.glob(f"assets_{match.group(0)}*.tle") if p != snapshot)


PREDICTED_AHEAD_DAYS = 1.0  #: Sets dated this long after a snapshot's median epoch are predictions.


def reference_time(elsets: Sequence[ElementSet]) -> np.datetime64:
    """The time a snapshot describes: its newest epoch, leaving out sets dated more than
    :data:`PREDICTED_AHEAD_DAYS` after its median epoch (predicted sets published ahead: in active_2026-05-05.tle
    CXO, XMM-Newton and two Cluster satellites are dated up to 2.6 days after everything else)."""
    epochs = np.sort(np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]"))
    ahead = epochs[len(epochs) // 2] + np.timedelta64(round(PREDICTED_AHEAD_DAYS * 86400e9), "ns")
    return epochs[epochs <= ahead][-1]


def default_marking() -> Marking:
    """UNCLASSIFIED, TLP:CLEAR, no releasability restriction, originated by :data:`SYSTEM_ORG`."""
    return Marking.build("UNCLASSIFIED", "CLEAR", None, (), SYSTEM_ORG)


@contextmanager
def _timed(cycle: Cycle, step: str) -> Iterator[None]:
    """Add the wall and CPU seconds of the block to ``cycle``'s record of ``step``."""
    began, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        cycle.seconds[step] = cycle.seconds.get(step, 0.0) + time.perf_counter() - began
        cycle.cpu_seconds[step] = cycle.cpu_seconds.get(step, 0.0) + time.process_time() - cpu


class _StepClock:
    """A progress callback that records the wall time of each progress step and passes the call on."""

    def __init__(self, seconds: dict[str, float], progress: Progress | None) -> None:
        self.seconds, self.progress = seconds, progress
        self.step: str | None = None
        self.began = time.perf_counter()

    def __call__(self, step: str, done: float, total: float) -> None:
        now = time.perf_counter()
        if self.step is not None:
            self.seconds[self.step] = self.seconds.get(self.step, 0.0) + now - self.began
        self.step, self.began = step, now
        if self.progress is not None:
            self.progress(step, done, total)

    def finish(self) -> None:
        """Close the last step."""
        if self.step is not None:
            self.seconds[self.step] = self.seconds.get(self.step, 0.0) + time.perf_counter() - self.began
            self.step = None


def run_cycle(data_dir: Path, out_dir: Path, db: str | None = None, marking: Marking | None = None,
              assets: Mapping[int, Asset] | None = None, days: float = SCREEN_DAYS,
              threshold_km: float = THRESHOLD_KM, report_days: float = REPORT_DAYS, proximity_days: float = 7.0,
              hours: float = 24.0, step_s: float = 60.0, frame: str = "gcrs", pdf: bool = True,
              progress: Progress | None = None, map_blocks: MapBlocks | None = None,
              satcat: Sequence[Path] = ()) -> Cycle:
    """Run the daily cycle on the snapshots of ``data_dir`` into the database ``db`` (None: the default, see
    :func:`kompas.core.db.database_url`) and the folder ``out_dir`` (see the module docstring).

    ``marking`` (default :func:`default_marking`) marks what the cycle stores; ``assets`` are the protected assets
    (default: the shipped ``kompas/data/assets.yaml``). ``hours``, ``step_s`` and ``frame`` set the catalogue
    summary's propagation (0 hours: none). ``pdf=False`` writes the report as HTML only. ``satcat``: SATCAT CSV
    files (CelesTrak's columns; a full SATCAT when one is at hand) whose owners, launch dates, object types and
    RCS complete the catalogue (:func:`read_satcat`): owners rate same-operator approaches as routine and the
    launch date marks an object's early-orbit phase. Raises ``ValueError``
    when the folder holds no snapshot; the database and every output are left consistent on a rerun (nothing is
    stored twice, outputs are rewritten).
    """
    from kompas.core.db import database_url, make_engine, upgrade
    from kompas.core.store import Store
    from kompas.files import ASSETS, load_assets

    snapshots = snapshots_in(data_dir)
    if not snapshots:
        raise ValueError(f"no active_*.tle or *.tle snapshot in {data_dir}")
    marking = marking or default_marking()
    assets = dict(assets) if assets is not None else load_assets(ASSETS)
    cycle = Cycle(data_dir, snapshots, database_url(db), marking, assets, threshold_km)
    report = _StepClock(cycle.step_seconds, progress)

    with _timed(cycle, "read"):
        catalog, newest, cycle.rejections = read_history(snapshots, report)
        cycle.rejections += read_satcat(catalog, satcat)
        cycle.objects, cycle.element_sets = len(catalog), catalog.element_set_count
        cycle.reference_utc = reference_time([e for sets in newest.values() for e in sets])
    with _timed(cycle, "platform"):
        report("database", 0, 1)
        upgrade(cycle.database)
        store = Store(make_engine(cycle.database))
        user_id = system_user(store, marking)
        report("database", 1, 1)
    with _timed(cycle, "store"):
        report("storing the newest element sets", 0, 1)
        cycle.stored_element_sets = sum(store_snapshot(store, user_id, path, elsets, marking)
                                        for path, elsets in newest.items())
        report("storing the newest element sets", 1, 1)
    with _timed(cycle, "screen"):
        cycle.new_conjunctions, cycle.screening, cycle.conjunctions = screen_assets(
            store, catalog, assets, days, threshold_km, report, map_blocks, cycle.reference_utc, marking)
    with _timed(cycle, "events"):
        cycle.events = detect_events(catalog, assets, proximity_days, progress=report, map_blocks=map_blocks)
    with _timed(cycle, "store events"):
        from kompas.core.jobs import store_space_events

        report(f"storing {len(cycle.events)} events", 0, 1)
        stored = store_space_events(store, [e.as_dict() for e in cycle.events], marking, source="kompas run")
        cycle.new_events, cycle.rejected_events = len(stored.ids), list(stored.rejected)
        report(f"storing {len(cycle.events)} events", 1, 1)
    private_dir(out_dir)
    with _timed(cycle, "outputs"):
        cycle.outputs |= write_files(cycle, out_dir, report)
    with _timed(cycle, "report"):
        end = cycle.reference_utc
        cycle.period = (utc_text_ms(end - np.timedelta64(round(report_days * 86400e9), "ns")), utc_text_ms(end))
        cycle.outputs |= write_report(cycle, store, assets, out_dir, pdf, report)
    with _timed(cycle, "summary"):
        cycle.outputs |= write_catalogue_summary(newest[snapshots[-1]], snapshots[-1], cycle.rejections, out_dir,
                                                 hours, step_s, frame, report)
    with _timed(cycle, "picture"):
        cycle.outputs |= write_picture(cycle, store, out_dir, report)
    with _timed(cycle, "mobility"):
        cycle.outputs |= write_mobility(store, out_dir, report)
    with _timed(cycle, "forces"):
        cycle.outputs |= write_forces(store, out_dir, report)
    report.finish()
    return cycle


def read_history(snapshots: Sequence[Path], progress: Progress) -> tuple[Catalog, dict[Path, list[ElementSet]],
                                                                         list[Rejection]]:
    """The history of every snapshot (with its :func:`companions`), the element sets of each file of the newest
    snapshot, and every rejected record."""
    from kompas.files import read_text
    from kompas.space.ingest import ingest, parse_text

    catalog, rejections = Catalog(), []
    newest: dict[Path, list[ElementSet]] = {}
    step = f"reading {len(snapshots)} snapshots"
    progress(step, 0, len(snapshots))
    for done, snapshot in enumerate(snapshots, 1):
        for path in [snapshot, *companions(snapshot)]:
            parsed = parse_text(read_text(path), str(path))
            rejections += ingest(catalog, parsed).rejections
            if snapshot == snapshots[-1]:
                newest[path] = list({e.norad_id: e for e in reversed(parsed.elements)}.values())[::-1]
                # one set per object: the first of a repeated object (as the ingest keeps it), in file order
        progress(step, done, len(snapshots))
    return catalog, newest, rejections


def system_user(store: Store, marking: Marking) -> int:
    """The id of the cycle's user (:data:`SYSTEM_USER` of :data:`SYSTEM_ORG`), created with its organisation when
    missing (cleared for ``marking``'s classification)."""
    account = store.account(SYSTEM_USER)
    if account is not None:
        return account.user_id
    from kompas.core.store import StoreError

    with suppress(StoreError):  # the organisation may exist already
        store.add_org(SYSTEM_ORG, SYSTEM_COUNTRY, "agency", "Kompas daily cycle")
    store.add_user(SYSTEM_USER, SYSTEM_ORG, marking.classification)
    account = store.account(SYSTEM_USER)
    assert account is not None
    return account.user_id


def store_snapshot(store: Store, user_id: int, path: Path, elsets: Sequence[ElementSet],
                   marking: Marking) -> int:
    """Store a snapshot's element sets under ``marking`` once: the contribution's source names the file and its
    SHA-256, so a rerun (or the same file under another path) stores nothing. Returns the sets stored."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    source = f"kompas run: {path.name} sha256:{digest}"
    if store.contribution_by_source(source) is not None:
        return 0
    return store.store_element_sets(user_id, "tle", source, elsets, [], marking).accepted


def write_files(cycle: Cycle, out_dir: Path, progress: Progress) -> dict[str, Path]:
    """``conjunctions.csv``, ``cdms/`` (the stored CDM of each conjunction; older files removed) and
    ``events.json``."""
    from kompas.space.events import to_json

    progress("writing conjunctions, CDMs and events", 0, 3)
    csv_path = out_dir / "conjunctions.csv"
    with open_private(csv_path, "w", newline="") as handle:
        handle.write(SCREEN_HEADER + ",pc,pc_basis,pc_flags,pc_low,pc_high\n")
        for c in cycle.conjunctions:
            low, high = c.get("pc_interval") or ("", "")
            handle.write(conjunction_csv_row(c) + "," + ("" if c["pc"] is None else f"{c['pc']:.6e}") + ","
                         + (c.get("pc_basis") or "") + "," + " ".join(c.get("pc_flags") or ()) + f",{low},{high}\n")
    progress("writing conjunctions, CDMs and events", 1, 3)
    cdm_dir = out_dir / "cdms"
    private_dir(cdm_dir)
    for old in cdm_dir.glob("*.cdm"):
        old.unlink()
    for c in cycle.conjunctions:
        if c["cdm"]:
            write_private(cdm_dir / f"{c['message_id'] or c['id']}.cdm", c["cdm"])
    progress("writing conjunctions, CDMs and events", 2, 3)
    events_path = out_dir / "events.json"
    write_private(events_path, to_json(cycle.events) + "\n")
    progress("writing conjunctions, CDMs and events", 3, 3)
    return {"conjunctions": csv_path, "cdms": cdm_dir, "events": events_path}


def write_picture(cycle: Cycle, store: Store, out_dir: Path, progress: Progress) -> dict[str, Path]:
    """The fused picture from the report period's start on (every domain's events the cycle's user may see, linked
    into situations) as ``picture.geojson`` and ``situations.json``."""
    from kompas.services import fusion

    progress("fused picture", 0, 1)
    account = store.account(SYSTEM_USER)
    assert account is not None
    answer = fusion.picture(store, account.viewer, since=cycle.period[0], limit=fusion.MAX_LIMIT)
    geojson_path, situations_path = out_dir / "picture.geojson", out_dir / "situations.json"
    write_private(geojson_path, json.dumps(fusion.geojson(answer), indent=1))
    write_private(situations_path, json.dumps({k: answer[k] for k in answer if k != "events"}, indent=1))
    cycle.situations = len(answer.get("situations", []))
    progress("fused picture", 1, 1)
    return {"picture": geojson_path, "situations": situations_path}


def write_mobility(store: Store, out_dir: Path, progress: Progress) -> dict[str, Path]:
    """The mobility corridors of every named network on this machine (the ILLUSTRATIVE gauge-test network always,
    the German rail network with ``../shared``), planned for the standard package as the cycle's user sees the
    network (contributions applied): per corridor whether it moves, first and last arrival, the narrowest element
    and every obstacle with its cost, as ``mobility.json``."""
    from kompas.mobility import load
    from kompas.services import mobility

    account = store.account(SYSTEM_USER)
    assert account is not None
    out: dict[str, Any] = {"package": None, "networks": {}}
    names = [n for n in load.NETWORKS if load.corridors(n)]
    for k, name in enumerate(names):
        progress("mobility corridors", k, len(names))
        try:
            chosen = load.corridors(name)
            plans = []
            for corridor in chosen:
                found = mobility.route(store, account.viewer, str(corridor["from"]), str(corridor["to"]),
                                       network=name, alternatives=False)
                plan = found["plan"]
                out["package"] = found["package"]["name"]
                plans.append({"corridor": corridor["name"], "feasible": plan["feasible"], "km": plan["km"],
                              "hours": plan["hours"], "complete_hours": plan["complete_hours"],
                              "narrowest": (plan["throughput"] or {}).get("narrowest"),
                              "obstacles": [{k2: o[k2] for k2 in ("kind", "name", "reason", "cost_hours", "blocks")}
                                            for o in plan["obstacles"]],
                              "banner": found["banner"]})
            out["networks"][name] = {"corridors": plans, "sources": found["sources"],
                                     "illustrative": found["illustrative"]}
        except mobility.MobilityError as error:  # the network's data is not on this machine
            out["networks"][name] = {"missing": str(error)}
    progress("mobility corridors", len(names), len(names))
    banners = {c["banner"] for n in out["networks"].values() for c in n.get("corridors", [])}
    out["banners"] = sorted(banners)  # each corridor carries its own; the file is marked with them all
    path = out_dir / "mobility.json"
    write_private(path, json.dumps(out, indent=1))
    return {"mobility": path}


def write_forces(store: Store, out_dir: Path, progress: Progress) -> dict[str, Path]:
    """The forces picture as the cycle's user sees the register (issue 28): the Rapid Deployment Capacity overview,
    force generation for each shipped RDC scenario and the capability review of the standard case, as
    ``forces.json``. With no register contribution on the platform it is built from the ILLUSTRATIVE example set
    and says so (``example``)."""
    from kompas.services import forces

    account = store.account(SYSTEM_USER)
    assert account is not None
    views = forces.views(store, account.viewer) or forces.views(None, None, example=True)
    latest = views[-1]
    rdc = [s for s in forces.scenarios() if s.name.startswith("rdc-")]
    out: dict[str, Any] = {"overview": forces.overview(latest), "generation": {}}
    for k, scenario in enumerate(rdc):
        progress("force generation", k, len(rdc))
        answer = forces.generate(latest, scenario, time_limit_s=20.0)
        out["generation"][scenario.name] = {key: answer[key] for key in (
            "status", "troops", "max_troops", "shares", "missing", "partial", "ceiling_binds", "marking",
            "illustrative")} | {"elements": [c["element"] for c in answer["chosen"]]}
    progress("force generation", len(rdc), len(rdc))
    out["review"] = forces.review(views, forces.DEFAULT_CASE)
    out["banner"] = out["review"]["banner"]  # every document of every edition: covers the overview and generation
    out["example"] = latest.example
    path = out_dir / "forces.json"
    write_private(path, json.dumps(out, indent=1, default=str))
    return {"forces": path}


def write_report(cycle: Cycle, store: Store, assets: Mapping[int, Asset], out_dir: Path, pdf: bool,
                 progress: Progress) -> dict[str, Path]:
    """The threat landscape report of the period through the one report workflow
    (:func:`kompas.services.reports.threat_landscape`): the space events the cycle's user may see in
    :attr:`Cycle.period` against the period before, with the screening's conjunction statistics (a forecast for
    :attr:`Cycle.screening`), as HTML (and PDF), marked with the combined marking of the events read, the cycle's
    marking and the conjunctions' (at least :attr:`Cycle.report_marking`)."""
    from kompas.private import write_private
    from kompas.services import reports

    account = store.account(SYSTEM_USER)
    if account is None:  # created by the platform step of run_cycle
        raise ValueError(f"the cycle's user {SYSTEM_USER} is missing from {cycle.database}")
    formats = ("html", "pdf") if pdf else ("html",)
    step = "writing the threat landscape report"
    progress(step, 0, len(formats) + 1)
    html = reports.threat_landscape(store, account.viewer, *cycle.period, "html", conjunctions=cycle.conjunctions,
                                    assets=assets,
                                    conjunction_window=cycle.screening if cycle.screening[0] else None,
                                    used=[cycle.report_marking])
    out = {}
    for done, fmt in enumerate(formats, 1):
        progress(step, done, len(formats) + 1)
        path = out_dir / f"threat_landscape.{fmt}"
        try:
            rendered = html if fmt == "html" else reports.render(html.content.decode("utf-8"), fmt, path.stem,
                                                                 html.marking)
        except RuntimeError as error:  # no PDF renderer on this machine: the HTML is written all the same
            cycle.notes.append(f"threat_landscape.{fmt} not written: {error}")
            continue
        out[f"report_{fmt}"] = write_private(path, rendered.content)  # 0600: reports carry marked content
    progress(step, len(formats) + 1, len(formats) + 1)
    return out


def write_catalogue_summary(elsets: Sequence[ElementSet], snapshot: Path, rejections: Sequence[Rejection],
                            out_dir: Path, hours: float, step_s: float, frame: str,
                            progress: Progress) -> dict[str, Path]:
    """The newest snapshot's catalogue summary (orbit regimes, constellations, element-set ages), each object
    propagated ``hours`` at ``step_s`` in ``frame`` (its first state in ``states_start.csv``, its altitude band in
    ``catalogue.png``): ``summary.json``, ``summary.md``, ``catalogue.png``, ``states_start.csv``,
    ``rejections.txt``."""
    from kompas.reports.catalogue import plot_catalogue
    from kompas.space.propagation import SGP4_ERRORS, propagate, time_grid
    from kompas.space.summary import EARTH_RADIUS_KM, summarise
    from kompas.times import format_time_utc

    epochs = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    # Start at the snapshot's median epoch, on the hour; element-set ages are counted back from there.
    start = np.datetime64(np.sort(epochs)[len(epochs) // 2], "h").astype("datetime64[ns]")
    summary = summarise(elsets, start)
    times = time_grid(start, start + np.timedelta64(round(hours * 3600e9), "ns"), step_s)
    altitude = np.full((len(elsets), 2), np.nan)
    failures: dict[int, tuple[int, np.datetime64]] = {}
    states_path = out_dir / "states_start.csv"
    step = f"propagating {len(elsets)} objects {hours:g} h"
    progress(step, 0, len(elsets))
    # The altitude band does not depend on the frame (a rotation keeps the radius), so the whole window is
    # propagated in TEME and only the first state is rotated into ``frame`` (rotating every state is work the band
    # does not need).
    row = 0
    for chunk in propagate(elsets, times, "teme", progress=lambda done, total: progress(step, done, total)):
        radius = np.linalg.norm(chunk.position_km, axis=-1) - EARTH_RADIUS_KM
        with np.errstate(invalid="ignore"), _quiet_nan():
            altitude[row:row + len(chunk)] = np.c_[np.nanmin(radius, axis=1), np.nanmax(radius, axis=1)] \
                if np.isfinite(radius).any() else np.nan
        failures.update(chunk.errors())
        row += len(chunk)
    with open_private(states_path, "w") as handle:
        handle.write(STATES_HEADER + "\n")
        for first in propagate(elsets, times[:1], frame):
            write_states(handle, first)
    n_states = len(elsets) * len(times)
    result = summary.as_dict() | {
        "snapshot": str(snapshot), "rejected_records": len({(r.source, r.line) for r in rejections}),
        "propagation": {"start_utc": str(format_time_utc(times[:1])[0]), "hours": hours, "step_s": step_s,
                        "frame": frame, "states": n_states,
                        "objects_with_sgp4_errors": {str(k): {"code": c, "reason": SGP4_ERRORS.get(c, "?"),
                                                              "from_utc": utc_text_ms(t)}
                                                     for k, (c, t) in sorted(failures.items())}},
    }
    write_private(out_dir / "summary.json", json.dumps(result, indent=2))
    write_private(out_dir / "rejections.txt", "".join(f"{r}\n" for r in rejections))
    plot = plot_catalogue(elsets, summary, altitude, out_dir / "catalogue.png",
                          f"{snapshot.name}: {len(elsets)} objects, reference {str(summary.reference_utc)[:16]}Z")
    md = [f"# Catalogue summary: {snapshot.name}", "",
          f"- objects: {summary.objects} ({result['rejected_records']} records rejected)",
          "- regimes: " + ", ".join(f"{k} {v}" for k, v in summary.regimes.items()),
          "- constellations: " + ", ".join(f"{k} {v}" for k, v in list(summary.constellations.items())[:8]),
          f"- element-set age: median {summary.epoch_age_days_median:.2f} d, 95% {summary.epoch_age_days_p95:.2f} d,"
          f" max {summary.epoch_age_days_max:.1f} d; {summary.stale_over_7_days} older than 7 days",
          f"- propagated: {n_states:,} states ({len(elsets)} objects x {len(times)} times, {frame}) from "
          f"{format_time_utc(times[:1])[0]}; {len(failures)} objects hit an SGP4 error", "",
          "![catalogue](catalogue.png)", ""]
    write_private(out_dir / "summary.md", "\n".join(md))
    return {"summary_md": out_dir / "summary.md", "summary_json": out_dir / "summary.json", "catalogue_png": plot,
            "states_start": states_path, "rejections": out_dir / "rejections.txt"}


@contextmanager
def _quiet_nan() -> Iterator[None]:
    """Objects with no state at all give all-NaN rows: their band is NaN, without a warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield



