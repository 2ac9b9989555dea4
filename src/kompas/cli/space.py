"""``kompas space ...``: ingest element sets, propagate them."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from kompas.cli.common import (
    console,
    err_console,
    hbr_table_file,
    input_files,
    output_file,
    output_folder,
    primaries_spec,
    progress_bar,
    text_file,
)
from kompas.core import limits
from kompas.files import load_catalog
from kompas.private import open_private, private_dir, write_private
from kompas.rejections import Rejection
from kompas.services.space import (
    SCREEN_HEADER,
    STATES_HEADER,
    conjunction_csv_row,
    conjunction_row,
    csv_text,
    write_states,
)
from kompas.space.catalog import Catalog
from kompas.space.elements import ElementSet, format_time_utc, parse_time_utc
from kompas.space.frames import FRAMES
from kompas.space.ingest import FORMATS, IngestReport
from kompas.space.omm import write_json
from kompas.space.propagation import SGP4_ERRORS, propagate, time_grid

app = typer.Typer(help="Space domain awareness: element sets, catalogue, propagation, conjunctions.",
                  no_args_is_help=True)

class StepBars:
    """A ``progress(step, done, total)`` callback for the services (:mod:`kompas.services`) that draws one progress
    bar per step (:func:`kompas.cli.common.progress_bar`): a new step label closes the previous bar. Use it as a
    context manager (the last bar is closed on exit)."""

    def __init__(self) -> None:
        self._step: str | None = None
        self._bar = ExitStack()
        self._advance: Callable[[int], None] = lambda done: None
        self._ticks = 1

    def __call__(self, step: str, done: float, total: float) -> None:
        if step != self._step:  # the bar's length is the step's first total; later totals are scaled to it
            self._bar.close()
            self._bar, self._step, self._ticks = ExitStack(), step, max(1, round(total))
            self._advance = self._bar.enter_context(progress_bar(step, self._ticks))
        self._advance(round(done * self._ticks / total) if total else 0)

    def __enter__(self) -> StepBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.close()


def print_reports(reports: list[IngestReport]) -> int:
    """Counts per file, then every rejection as PATH:LINE: field: reason. Returns the rejected count."""
    for r in reports:
        extra = []
        if r.repeats:
            extra.append(f"{r.repeats} already known")
        if r.revised:
            extra.append(f"{r.revised} revised an earlier set of the same epoch")
        if r.metadata:
            extra.append(f"{r.metadata} SATCAT records")
        more = f" ({'; '.join(extra)})" if extra else ""
        console.print(f"{r.source}: {r.format}: {r.accepted} accepted, {r.rejected} rejected{more}",
                      highlight=False, soft_wrap=True)
    rejected = 0
    for r in reports:
        for rejection in r.rejections:
            print(str(rejection))
        rejected += r.rejected
    return rejected


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="TLE/3LE, OMM (KVN, XML, JSON, CSV) or SATCAT CSV files, "
                                                      "folders of them, or glob patterns ('data/active_*.tle').",
                                                 callback=input_files)],
    fmt: Annotated[str | None, typer.Option("--format", help=f"Force a format: {', '.join(FORMATS)}.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write every accepted element set (the whole history) "
                                                  "as CelesTrak-style OMM JSON (default: nothing written).",
                                             callback=output_file)] = None,
) -> None:
    """Read element sets and report, per file, what was accepted and every rejected record.

    Each rejected record is printed as PATH:LINE: field: reason. Exit status 0 when nothing was rejected,
    1 otherwise.
    """
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    catalog, reports = load_catalog(paths, fmt=fmt)
    rejected = print_reports(reports)
    console.print(f"catalogue: {len(catalog)} objects, {catalog.element_set_count} element sets", highlight=False)
    if out is not None:
        write_private(out, write_json(catalog.elements()))
        console.print(f"written: {out}", highlight=False)
    raise typer.Exit(1 if rejected else 0)


def _select(catalog: Catalog, ids: str | None, start: np.datetime64) -> tuple[list[ElementSet], list[str]]:
    if ids is None:
        return [obj.at(start) for obj in catalog], []
    wanted, unknown = [], []
    for token in ids.split(","):
        token = token.strip()
        if not token:
            continue
        if not token.isdigit():
            raise typer.BadParameter(f"{token!r} is not a NORAD id", param_hint="--ids")
        obj = catalog.get(int(token))
        if obj is None or not obj.history:
            unknown.append(token)
        else:
            wanted.append(obj.at(start))
    return wanted, unknown


@app.command("propagate")
def propagate_command(
    catalog_path: Annotated[list[Path], typer.Option("--catalog", help="Element-set file, folder or glob "
                                                     "pattern, any format `ingest` reads (repeatable).",
                                                     callback=input_files)],
    start: Annotated[str, typer.Option(help="First time, ISO 8601 UTC, e.g. 2026-05-05T00:00:00Z (inclusive).")],
    end: Annotated[str, typer.Option(help="Last time, ISO 8601 UTC (inclusive when on the step grid).")],
    step: Annotated[float, typer.Option(help="Step in seconds.", min=0.001)] = 60.0,
    ids: Annotated[str | None, typer.Option(help="Comma-separated NORAD ids (default: every object).")] = None,
    frame: Annotated[str, typer.Option(help=f"Output frame: {', '.join(FRAMES)}.")] = "teme",
    out: Annotated[Path | None, typer.Option(help="CSV file to write (default: standard output).",
                                             callback=output_file)] = None,
) -> None:
    """Propagate objects with SGP4/SDP4 and write states as CSV.

    Header: norad_id,time_utc,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s. Each object uses its newest element
    set with epoch at or before --start (else its oldest). States SGP4 cannot compute (decayed,
    eccentricity out of range...) are left out and listed on standard error; exit status 1 then, else 0.
    """
    try:
        t0, t1 = parse_time_utc(start), parse_time_utc(end)
        times = time_grid(t0, t1, step)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None
    if frame.lower() not in FRAMES:
        raise typer.BadParameter(f"expected one of {', '.join(FRAMES)}", param_hint="--frame")
    catalog, reports = load_catalog(catalog_path)
    rejected = sum(r.rejected for r in reports)
    if rejected:
        err_console.print(f"warning: {rejected} records rejected while reading the catalogue "
                          f"(`kompas space ingest` lists them)", highlight=False)
    elsets, unknown = _select(catalog, ids, t0)
    if unknown:
        err_console.print(f"not in the catalogue: {', '.join(unknown)}", highlight=False)
    if not elsets:
        err_console.print("nothing to propagate", highlight=False)
        raise typer.Exit(2)
    handle = open_private(out, "w", newline="") if out else sys.stdout
    failures: dict[int, tuple[int, np.datetime64]] = {}
    try:
        handle.write(STATES_HEADER + "\n")
        with progress_bar("propagating", len(elsets)) as advance:
            for chunk in propagate(elsets, times, frame.lower(), progress=lambda done, total: advance(done)):
                write_states(handle, chunk)
                failures.update(chunk.errors())
    finally:
        if out:
            handle.close()
    for norad_id, (code, when) in sorted(failures.items()):
        err_console.print(f"{norad_id}: SGP4 error {code} ({SGP4_ERRORS.get(code, 'unknown')}) from "
                          f"{format_time_utc(np.array([when]))[0]}: later states omitted", highlight=False)
    if out:
        err_console.print(f"written: {out} ({len(elsets)} objects x {len(times)} times, frame {frame.lower()})",
                          highlight=False)
    raise typer.Exit(1 if failures or unknown else 0)


def _primaries(spec: str | None) -> set[int] | None:
    """``--primaries``: comma-separated NORAD ids, or a file of ids (one per line or comma-separated)."""
    if spec is None:
        return None
    path = Path(spec)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        from kompas.files import load_assets

        try:
            return set(load_assets(path))
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--primaries") from None
    text = path.read_text() if path.is_file() else spec
    ids = set()
    for token in text.replace("\n", ",").split(","):
        token = token.split("#")[0].strip()
        if token:
            if not token.isdigit():
                raise typer.BadParameter(f"{token!r} is not a NORAD id", param_hint="--primaries")
            ids.add(int(token))
    return ids


@app.command()
def screen(
    catalog_path: Annotated[list[Path], typer.Option("--catalog", help="Element-set file, folder or glob "
                                                     "pattern (repeatable).", callback=input_files)],
    primaries: Annotated[str | None, typer.Option(help="NORAD ids (comma-separated), a file of ids, or a "
                                                       "protected-assets YAML, to screen against the catalogue "
                                                       "(default: all vs all).", callback=primaries_spec)] = None,
    start: Annotated[str | None, typer.Option(help="Window start, ISO 8601 UTC (default: newest element-set "
                                                   "epoch in the catalogue).")] = None,
    days: Annotated[float, typer.Option(help="Window length in days.", min=1e-6)] = 7.0,
    threshold_km: Annotated[float, typer.Option(help="Miss-distance threshold, km.", min=1e-6)] = 5.0,
    step: Annotated[float, typer.Option(help="Sampling step, s (margins keep every step complete; 60 is "
                                             "fastest for LEO).", min=1.0, max=600.0)] = 60.0,
    out: Annotated[Path | None, typer.Option(help="CSV file (default: standard output).",
                                             callback=output_file)] = None,
    cdm_dir: Annotated[Path | None, typer.Option(help="Write a CCSDS CDM (KVN) per conjunction in this folder "
                                                      "(created when missing; default: no CDMs).",
                                                 callback=output_folder)] = None,
    hbr_table: Annotated[Path | None, typer.Option(help="CARA HBR_Mass_Estimates CSV for the CDMs' hard-body "
                                                        "radii (default: 5 m per object).",
                                                   callback=hbr_table_file)] = None,
    workers: Annotated[int | None, typer.Option(help="Run on a local Dask cluster of N worker processes.",
                                                min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Run on the Dask scheduler at this address "
                                                       "(tcp://host:8786).")] = None,
    partitions: Annotated[int | None, typer.Option(help="All vs all: split the pairs into about N groups by radius "
                                                 "shell (pairs of shells that never meet are not screened); the "
                                                 "jobs are time blocks x partitions. Each partition propagates "
                                                 "its objects again: for a catalogue one worker cannot hold, not "
                                                 "for speed (default 1: time blocks only).",
                                            min=1, max=256)] = None,
    ephemeris: Annotated[list[Path] | None, typer.Option("--ephemeris", help="Operator ephemeris, CCSDS OEM (KVN or "
                                                         "XML; repeatable): screened as primaries against the "
                                                         "catalogue, interpolated as its header says; replaces the "
                                                         "object's element set.")] = None,
    all_pairs: Annotated[bool, typer.Option("--all", help="With --ephemeris: all vs all (ephemerides and "
                                                          "catalogue), not ephemerides as primaries.")] = False,
) -> None:
    """Find every close approach under the threshold in the window (see kompas.space.screening).

    CSV columns: primary_id,secondary_id,tca_utc,miss_km,v_rel_km_s,r_km,t_km,n_km (the secondary relative to
    the primary in the primary's RTN frame), then the RTN relative velocity, names, a label ("same-object" for
    objects published with identical elements, reported once; "window-start"/"window-end" for a pair already
    under the threshold at the window's edge whose closest approach lies outside the window) and the ids
    sharing those elements. All vs all:
    the lower NORAD id is the primary. Exit status 0, or 1 when some objects could not be propagated (listed
    on standard error).
    """
    from kompas.space import screening

    if workers and scheduler:
        raise typer.BadParameter("give --workers or --scheduler, not both")
    catalog, reports = load_catalog(catalog_path)
    rejected = sum(r.rejected for r in reports)
    if rejected:
        err_console.print(f"warning: {rejected} records rejected while reading the catalogue "
                          f"(`kompas space ingest` lists them)", highlight=False)
    if len(catalog) == 0:
        err_console.print("the catalogue is empty", highlight=False)
        raise typer.Exit(2)
    try:
        t0 = parse_time_utc(start) if start else max(obj.latest.epoch_utc for obj in catalog)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--start") from None
    wanted = _primaries(primaries)
    elsets: list[Any] = [obj.at(t0) for obj in catalog if obj.history]
    if wanted is not None:
        missing = sorted(wanted - {e.norad_id for e in elsets})
        if missing:
            err_console.print(f"primaries not in the catalogue: {', '.join(map(str, missing))}", highlight=False)
        if not wanted - set(missing):
            raise typer.Exit(2)
    ephemerides = _read_ephemerides(ephemeris or [], elsets)
    if ephemeris and not ephemerides:
        raise typer.Exit(2)
    if ephemerides:  # the operator's ephemeris is the best source for its object: its element set is left out,
        # and so are the sets published with identical elements (docked modules: the same object)
        replaced = [e for e in elsets if e.norad_id in ephemerides]
        same = {x.norad_id: r.norad_id for r in replaced for x in elsets
                if x.norad_id not in ephemerides and _same_elements(x, r)}
        for member, owner in sorted(same.items()):
            err_console.print(f"{member}: published with {owner}'s elements: screened as {owner}'s ephemeris",
                              highlight=False)
        elsets = [e for e in elsets if e.norad_id not in ephemerides and e.norad_id not in same]
        if not all_pairs:
            wanted = (wanted or set()) | set(ephemerides)
    names = {obj.info.norad_id: obj.info.name or obj.latest.name for obj in catalog if obj.history}
    elsets = [dataclasses.replace(e, name=names.get(e.norad_id) or e.name) for e in elsets]
    elsets += list(ephemerides.values())

    client = cluster = None
    mapper = screening.thread_map(os.cpu_count() or 1)
    if workers or scheduler:
        import distributed

        if scheduler:
            client = distributed.Client(scheduler)
        else:
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
            client = distributed.Client(cluster)
        mapper = screening.dask_map(client)
    try:
        with StepBars() as progress:
            step_name = f"screening {len(elsets)} objects, {days:g} d"
            result = screening.screen(elsets, t0, days * 86400.0, threshold_km, primaries=wanted, step_s=step,
                                      partitions=partitions or 1, map_blocks=mapper,
                                      progress=partial(progress, step_name))
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    handle = open_private(out, "w", newline="") if out else sys.stdout
    try:
        handle.write(SCREEN_HEADER + "\n")
        handle.writelines(conjunction_csv_row(conjunction_row(c)) + "\n" for c in result.conjunctions)
    finally:
        if out:
            handle.close()
    if cdm_dir is not None:
        _write_cdms(result, elsets, catalog, cdm_dir, hbr_table, ephemerides)
    from kompas.space.ephemeris import ERRORS as EPHEMERIS_ERRORS
    from kompas.space.ephemeris import OUTSIDE_SPAN

    for norad_id, code in sorted(result.errors.items()):
        if code == OUTSIDE_SPAN:
            err_console.print(f"{norad_id}: {EPHEMERIS_ERRORS[code]}: screened only inside it", highlight=False)
            continue
        err_console.print(f"{norad_id}: {SGP4_ERRORS.get(code, 'unknown SGP4 error')}: not screened after that",
                          highlight=False)
    found = sum(1 for c in result.conjunctions if c.label != "same-object")
    err_console.print(f"{found} conjunctions under {threshold_km:g} km between {format_time_utc(np.array([t0]))[0]}"
                      f" and +{days:g} d among {len(elsets)} objects"
                      + (f"; written: {out}" if out else ""), highlight=False)
    raise typer.Exit(1 if any(code != OUTSIDE_SPAN for code in result.errors.values()) else 0)


def _same_elements(a: ElementSet, b: ElementSet) -> bool:
    """Identical epoch and mean elements (as :func:`kompas.space.screening.same_object_groups` groups them)."""
    return (a.epoch_utc, a.mean_motion_rev_day, a.eccentricity, a.inclination_deg, a.raan_deg, a.arg_perigee_deg,
            a.mean_anomaly_deg, a.bstar_per_earth_radii) == (b.epoch_utc, b.mean_motion_rev_day, b.eccentricity,
                                                            b.inclination_deg, b.raan_deg, b.arg_perigee_deg,
                                                            b.mean_anomaly_deg, b.bstar_per_earth_radii)


def _designator(text: str) -> str:
    """International designator in one spelling: ``1998-067-A``, ``1998-067A`` and ``98067A`` -> ``1998-067A``."""
    t = text.strip().upper().replace(" ", "")
    if "-" not in t and len(t) >= 6 and t[:5].isdigit():  # TLE form YYNNNP
        t = ("19" if int(t[:2]) >= 57 else "20") + t[:2] + "-" + t[2:]
    parts = t.split("-")
    return parts[0] + "-" + "".join(parts[1:]) if len(parts) > 1 else t


def _read_ephemerides(paths: list[Path], elsets: list) -> dict[int, Any]:
    """Each OEM file as ephemerides by NORAD id (OBJECT_ID a NORAD number, or an international designator found in
    the catalogue, else an id from 900000000 up); unreadable files and segments that cannot be screened are
    listed on standard error (``PATH:LINE: keyword: reason``) and left out."""
    from kompas.space import ephemeris as eph_module
    from kompas.space import odm

    by_designator = {_designator(e.intl_designator): e.norad_id for e in elsets if e.intl_designator}
    out: dict[int, Any] = {}
    for path in paths:
        try:
            message = odm.read(path.read_text(errors="replace"), str(path))
        except OSError as err:
            err_console.print(f"{path}: {err.strerror or err}", highlight=False)
            continue
        except ValueError as err:
            for r in getattr(err, "rejections", None) or [err]:
                err_console.print(str(r), highlight=False)
            continue
        segments = getattr(message, "segments", None)
        if segments is None or not hasattr(segments[0] if segments else None, "states"):
            err_console.print(f"{path}: not an OEM (an ephemeris is needed to screen)", highlight=False)
            continue
        objects: dict[str, list] = {}
        for seg in segments:
            objects.setdefault(seg.metadata.get("OBJECT_ID") or seg.metadata.get("OBJECT_NAME", ""), []).append(seg)
        for object_id, segs in objects.items():
            norad = (int(object_id) if object_id.strip().isdigit() else
                     by_designator.get(_designator(object_id), 900000000 + len(out)))
            try:
                out[norad] = eph_module.from_segments(segs, norad, segs[0].metadata.get("OBJECT_NAME", ""), str(path))
            except ValueError as err:
                err_console.print(f"{path}:0: {object_id}: {err}", highlight=False)
    return out


def _write_cdms(result: Any, elsets: list, catalog: Any, cdm_dir: Path, hbr_table: Path | None,
                ephemerides: dict[int, Any] | None = None) -> None:
    """One CCSDS CDM per conjunction (:func:`kompas.space.cdm.for_conjunctions`: ages of the element sets screened),
    each object's covariance fitted on the element-set history given (several snapshots, the 14 days before the
    sets screened; :func:`kompas.core.jobs.history_covariance`), the placeholder where there is none."""
    from kompas.core.jobs import HISTORY_DAYS, history_covariance
    from kompas.files import load_hbr_table
    from kompas.space import cdm

    table = load_hbr_table(hbr_table) if hbr_table else {}
    private_dir(cdm_dir)
    found = [c for c in result.conjunctions if c.label != "same-object"]
    screened = {e.norad_id: e for e in elsets}
    since = max(e.epoch_utc for e in elsets) - np.timedelta64(round(HISTORY_DAYS * 86400), "s")
    with progress_bar("covariance from the element-set history", 1) as advance:
        sets = {n: e for n, e in screened.items() if isinstance(e, ElementSet)}
        covariance = history_covariance({o.info.norad_id: [e for e in o.history if since <= e.epoch_utc] for o in
                                         catalog if o.info.norad_id in sets}, sets,
                                        {o.info.norad_id: o.info.object_type for o in catalog if o.info.object_type})
        advance(1.0)
    derived = cdm.for_conjunctions(found, {n: e.epoch_utc for n, e in screened.items()},
                                   created_utc=np.datetime64("now", "ns"), hbr_m=table, covariance=covariance,
                                   ephemerides=ephemerides)
    for message, _ in derived:
        write_private(cdm_dir / f"{message.message_id}.cdm", cdm.write_kvn(message))
    model = "the default element-set model" if covariance is None else "each object's element-set history"
    err_console.print(f"written: {len(derived)} CDMs in {cdm_dir} (covariance from {model}; Pc to decide on, "
                      f"with its basis)", highlight=False)


@app.command()
def pc(
    cdms: Annotated[list[Path], typer.Argument(help="CCSDS CDM files (KVN or XML), folders of them or glob "
                                                    "patterns.", callback=input_files)],
    method: Annotated[str, typer.Option(help="auto (the default: one value to decide on, chosen as NASA CARA's "
                                             "PcMultiStep: Foster's 2D Pc when none of its usage checks fails, "
                                             "else Hall's Nc3D, else a two-body Monte Carlo), foster (2D Pc, "
                                             "states adjusted to the true TCA), chan, maxpc, nc2d, nc3d (Hall "
                                             "2021), mc (two-body Monte Carlo over the encounter window), "
                                             "mc-line (straight-line Monte Carlo) or all.")] = "auto",
    hbr_m: Annotated[float | None, typer.Option(help="Combined hard-body radius, m (default: the CDM's HBR).",
                                                min=0.0)] = None,
    cumulative: Annotated[bool, typer.Option(help="Also print, on standard error, the cumulative Pc "
                                                  "1 - prod(1 - Pc) of each primary object over its distinct "
                                                  "encounters (the auto value; CDMs of the same pair with TCAs "
                                                  "within 10 minutes are updates of one encounter: the newest "
                                                  "CREATION_DATE counts).")] = False,
    seed: Annotated[int, typer.Option(help="Random seed of the Monte Carlo methods.")] = 0,
    mc_max_samples: Annotated[int, typer.Option(help="Most samples a Monte Carlo draws for one CDM: it samples "
                                                     "until its 95% interval excludes 1e-4 and 1e-5, or this "
                                                     "many (about 200,000 a second on two cores).",
                                                min=1000, max=1_000_000_000)] = 20_000_000,
) -> None:
    """Collision probability of each CDM. CSV on standard output:
    file,message_id,method,pc,basis,flags,pc_low,pc_high.

    basis: the method the value comes from (pc2d, nc3d or mc; for auto, the one chosen). flags: the 2D method's
    usage checks that failed (space-separated names, kompas.space.usage). pc_low, pc_high: the Clopper-Pearson 95%
    interval of a Monte Carlo value (empty otherwise). The hard-body radius comes from --hbr-m, else the CDM (HBR
    keyword or CARA's "COMMENT HBR = x \\[m]"). A non-positive-definite covariance is repaired by eigenvalue
    clipping and flagged. Unreadable CDMs are reported on standard error as FILE:LINE: field: reason; exit status
    1 then.
    """
    from kompas.space import cdm as cdm_io
    from kompas.space import decision, probability

    methods = decision.METHODS if method == "all" else (method,)
    if any(m not in decision.METHODS for m in methods):
        raise typer.BadParameter(f"expected one of {', '.join(decision.METHODS)} or all", param_hint="--method")
    print("file,message_id,method,pc,basis,flags,pc_low,pc_high")
    failed = 0
    encounters: list[dict] = []
    for path in cdms:
        try:
            message = cdm_io.parse(path.read_text(), str(path))
            hbr = hbr_m if hbr_m is not None else message.hard_body_radius_m()
            if hbr is None:
                raise ValueError("no hard-body radius in the CDM: give --hbr-m")
            enc = cdm_io.encounter(message)
        except (ValueError, OSError, UnicodeDecodeError) as err:
            err_console.print(f"{path}: {err}", highlight=False)
            failed += 1
            continue
        for m in methods:
            try:
                found = decision.evaluate(m, enc, hbr, seed=seed, max_samples=mc_max_samples)
            except ValueError as err:
                err_console.print(f"{path}: {m}: {err}", highlight=False)
                failed += 1
                continue
            if m == "auto" and cumulative:
                encounters.append(_encounter(path, message, found.pc))
            value = "" if found.pc is None else f"{found.pc:.10e}"
            low, high = found.interval or ("", "")
            print(f"{csv_text(str(path))},{csv_text(message.message_id)},{m},{value},{found.basis},"
                  f"{' '.join(found.flags)},{low},{high}")
    if cumulative:
        if "auto" not in methods:
            err_console.print("--cumulative sums the auto values: give --method auto or all", highlight=False)
        from kompas.services.space import latest_updates

        latest = latest_updates([e for e in encounters if e["tca_utc"]], {e["id"]: e["created"] for e in encounters})
        for primary in sorted({e["primary_id"] for e in encounters}):
            mine = [e for e in latest if e["primary_id"] == primary]
            read = sum(e["primary_id"] == primary for e in encounters)
            err_console.print(f"cumulative Pc of {primary} over {len(mine)} encounters ({read} CDMs): "
                              f"{probability.cumulative(e['pc'] for e in mine):.6e}", highlight=False)
    raise typer.Exit(1 if failed else 0)


def _encounter(path: Path, message: Any, pc: float | None) -> dict:
    """A CDM as one update of an encounter, for :func:`kompas.services.space.latest_updates`."""
    from kompas.times import parse_ccsds_time_utc, utc_text_ms

    def designator(k: int) -> int:
        text = message.objects[k].get("OBJECT_DESIGNATOR") or ""
        return int(text) if text.strip().isdigit() else -1 - k

    try:
        tca = utc_text_ms(parse_ccsds_time_utc(message.relative.get("TCA") or ""))
    except ValueError:
        tca = ""
    return {"id": str(path), "primary_id": designator(0), "secondary_id": designator(1), "tca_utc": tca,
            "created": message.header.get("CREATION_DATE") or "", "pc": pc}


@app.command()
def events(
    catalog_path: Annotated[list[Path], typer.Option("--catalog", help="Element-set files, folders or glob "
                                                     "patterns (the history: give many snapshots, e.g. "
                                                     "'space/active_*.tle'), and optionally a SATCAT CSV for "
                                                     "owners (repeatable).", callback=input_files)],
    since: Annotated[str | None, typer.Option(help="Keep events from this time, ISO 8601 UTC.")] = None,
    until: Annotated[str | None, typer.Option(help="Keep events before this time, ISO 8601 UTC.")] = None,
    out: Annotated[Path | None, typer.Option(help="Events JSON file (default: standard output).",
                                             callback=output_file)] = None,
    plots: Annotated[Path | None, typer.Option(help="Write a Gabbard diagram (PNG) per debris cloud in this folder "
                                                    "(created when missing; default: no plots).",
                                               callback=output_folder)] = None,
    assets: Annotated[Path | None, typer.Option(help="Protected assets YAML (default: the EU and member-state "
                                                     "assets shipped in kompas/data/assets.yaml).",
                                                callback=text_file)] = None,
    proximity_days: Annotated[float, typer.Option(help="Proximity window: the last D days of the history.",
                                                  min=0.0)] = 7.0,
) -> None:
    """Detect security-relevant events in the element-set history and write them as a JSON list.

    Detected: manoeuvres (kompas.space.manoeuvres); proximity of other objects to protected assets, repeated
    or sustained, and after manoeuvres (kompas.space.proximity, screened over the last --proximity-days);
    fragmentations with their break-up epoch (kompas.space.fragmentation); GEO relocations and drifts
    (kompas.space.geo); re-entries of objects whose newest set has a perigee under 250 km (kompas.space.reentry).
    Each event has id, type, norad_ids, start_utc, end_utc, epoch_utc, severity, confidence and evidence (schema:
    kompas.space.events.SCHEMA); owners come from a SATCAT given with --catalog. A summary per type goes to
    standard error.
    """
    from kompas.files import ASSETS, load_assets
    from kompas.services.space import count_by_type, detect_events
    from kompas.space import events as ev

    try:
        lo = parse_time_utc(since) if since else None
        hi = parse_time_utc(until) if until else None
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None
    try:
        protected = load_assets(assets or ASSETS)
    except ValueError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    with progress_bar("reading history", 1) as advance:
        catalog, reports = load_catalog(catalog_path)
        advance(1)
    if len(catalog) == 0:
        err_console.print(f"error: --catalog: no element sets in {', '.join(map(str, catalog_path))}",
                          highlight=False)
        raise typer.Exit(2)
    rejected = sum(r.rejected for r in reports)
    with StepBars() as progress:
        found = detect_events(catalog, protected, proximity_days, lo, hi, plots, progress)
    text = ev.to_json(found)
    if out:
        write_private(out, text + "\n")
    else:
        sys.stdout.write(text + "\n")
    err_console.print(f"{len(catalog)} objects, {catalog.element_set_count} element sets "
                      f"({rejected} rejected records); events: "
                      + ", ".join(f"{n} {t}" for t, n in count_by_type(found).items())
                      + (f"; written: {out}" if out else ""), highlight=False)
    raise typer.Exit(1 if rejected else 0)


@app.command()
def report(
    events_path: Annotated[Path, typer.Option("--events", help="Events JSON from `kompas space events`.",
                                              callback=text_file)],
    start: Annotated[str, typer.Option("--from", help="Period start, ISO 8601 UTC.")],
    end: Annotated[str, typer.Option("--to", help="Period end, ISO 8601 UTC.")],
    out: Annotated[Path, typer.Option(help="Report file: .html or .pdf.",
                                      callback=output_file)] = Path("report.html"),
    conjunctions: Annotated[Path | None, typer.Option(help="Conjunctions CSV from `kompas space screen` for the "
                                                           "protected assets' statistics (default: none).",
                                                      callback=text_file)] = None,
    assets: Annotated[Path | None, typer.Option(help="Protected assets YAML (default: the shipped EU and "
                                                     "member-state assets).", callback=text_file)] = None,
    banner: Annotated[str, typer.Option(help="Classification banner printed on every page.")] = "UNCLASSIFIED",
    handling: Annotated[str, typer.Option(help="Handling line printed with the banner.")] = "",
) -> None:
    """The space threat landscape report for a period, as HTML or PDF.

    Key findings; events by type against the previous period of the same length; a timeline; proximity to
    protected assets with the distance over time; manoeuvres by object family and a timeline of the largest
    outside the constellations; fragmentations with Gabbard diagrams; GEO relocations; re-entries; conjunction
    statistics for the protected assets (--conjunctions); events by owner. The classification banner and handling
    line are on every page. Malformed events or conjunction rows are listed on standard output (SOURCE: item N /
    FILE:LINE: field: reason) and left out; exit status 1 then, 2 for unusable arguments.
    """

    from kompas.files import ASSETS, load_assets, load_conjunctions
    from kompas.reports.document import FORMATS
    from kompas.reports.threat_landscape import write
    from kompas.space.events import check

    if out.suffix.lower() not in FORMATS:
        err_console.print(f"error: {out}: the report is written as .html or .pdf", highlight=False)
        raise typer.Exit(2)
    try:
        start_text = str(format_time_utc(np.array([parse_time_utc(start)]))[0])
        end_text = str(format_time_utc(np.array([parse_time_utc(end)]))[0])
        if end_text <= start_text:
            raise ValueError(f"--to {end} is not after --from {start}")
        events, rejected = check(limits.loads(events_path.read_text()), str(events_path))  # depth, text checked
        problems: list[Rejection | str] = list(rejected)
        rows = None
        if conjunctions is not None:
            rows, bad_rows = load_conjunctions(conjunctions)
            problems += bad_rows
        protected = load_assets(assets or ASSETS)
    except ValueError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    for problem in problems:
        print(problem)
    with progress_bar(f"writing {out.name}", 1) as advance:
        try:
            write(events, start_text, end_text, banner, out, handling, rows, protected)
        except RuntimeError as error:  # no PDF renderer on this machine
            err_console.print(f"error: {error}", highlight=False)
            raise typer.Exit(2) from None
        advance(1)
    err_console.print(f"written: {out} ({len(events)} events" + (f", {len(rows)} conjunctions" if rows else "")
                      + f", {len(problems)} rejected)", highlight=False)
    raise typer.Exit(1 if problems else 0)


@app.command()
def avoid(
    cdm_path: Annotated[Path | None, typer.Option("--cdm", help="A CCSDS CDM (KVN or XML) with both covariances: "
                                                               "OBJECT1 is the object that manoeuvres.",
                                                  callback=text_file)] = None,
    conjunction: Annotated[str | None, typer.Option(help="A stored conjunction's id (the platform, as --user "
                                                         "sees it; its primary manoeuvres).")] = None,
    user: Annotated[str | None, typer.Option(help="The platform user whose view --conjunction is read in.")] = None,
    catalog_path: Annotated[list[Path] | None, typer.Option("--catalog", help="Element sets to screen the "
                                                            "smallest burns against (with --cdm; the primary's "
                                                            "set is found by OBJECT_DESIGNATOR). With "
                                                            "--conjunction the platform's are used.",
                                                            callback=input_files)] = None,
    secondaries: Annotated[bool, typer.Option(help="Screen the smallest burns against the catalogue (the "
                                                   "platform's with --conjunction, --catalog with --cdm).")] = False,
    threshold: Annotated[float, typer.Option(help="Pc the smallest burn must bring Pc under (CARA red: 1e-4).",
                                             min=1e-12, max=0.5)] = 1e-4,
    max_dv: Annotated[float, typer.Option("--max-dv", help="Largest burn size, m/s (sizes from 1 mm/s, six per "
                                                          "decade, either way).", min=1e-4, max=10.0)] = 1.0,
    leads: Annotated[str, typer.Option(help="Burn times before TCA, orbits: FIRST:LAST:STEP.")] = "0.5:3:0.25",
    hbr_m: Annotated[float | None, typer.Option(help="Combined hard-body radius, m (default: the CDM's).",
                                                min=1e-3)] = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the Pc / miss-distance plot (PNG) here.",
                                             callback=output_file)] = None,
    after_tca_h: Annotated[float, typer.Option(help="Screen the manoeuvred primary until this long after TCA, "
                                                    "hours.", min=0.0, max=168.0)] = 24.0,
    db: Annotated[str | None, typer.Option("--db", help="Platform database URL (with --conjunction).")] = None,
) -> None:
    """Collision-avoidance trade space: Pc (2D, Foster) and miss distance against radial and along-track burns of
    the primary and the burn time before TCA, and the smallest burn per direction (+/- radial, +/- along-track)
    that brings Pc under --threshold. CSV on standard output: kind (grid or minimum), direction, lead_orbits,
    lead_s, dv_m_s, pc, miss_m; with --secondaries then the conjunctions each smallest burn would have with the
    catalogue (secondary,burn,secondary_id,name,tca_utc,miss_km,new). The burn's effect is two-body + J2 from the
    TCA state (kompas.space.avoidance states its accuracy). Exit status 2 for unusable input."""
    from kompas.services.avoidance import AvoidanceError, encounter_of, trade_table
    from kompas.space import avoidance as av
    from kompas.space import cdm as cdm_io

    if (cdm_path is None) == (conjunction is None):
        raise typer.BadParameter("give --cdm FILE or --conjunction ID (one of them)")
    try:
        first, last, step = (float(x) for x in leads.split(":"))
        if not (0 < first <= last <= 20 and step > 0) or (last - first) / step > 40:
            raise ValueError
    except ValueError:
        raise typer.BadParameter(f"{leads!r}: expected FIRST:LAST:STEP orbits, 0 < FIRST <= LAST <= 20, at most "
                                 "41 lead times", param_hint="--leads") from None
    lead_list = [round(first + k * step, 9) for k in range(int((last - first) / step + 1e-9) + 1)]
    up = np.geomspace(min(1e-3, max_dv / 10.0), max_dv, 19)
    sizes = [float(x) for x in np.concatenate([-up[::-1], [0.0], up])]
    if conjunction is not None:
        _avoid_stored(conjunction, user, db, sizes, lead_list, threshold, secondaries, after_tca_h, out)
        return
    assert cdm_path is not None
    try:
        message = cdm_io.parse(cdm_path.read_text(), str(cdm_path))
        enc, hbr = encounter_of(message, hbr_m)
        trade = av.trade_space(enc, hbr, sizes_m_s=sizes, leads_orbits=lead_list, threshold=threshold)
    except (ValueError, AvoidanceError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    for line in trade_table(trade):
        print(line)
    _summary(trade)
    if secondaries:
        _avoid_secondaries(message, catalog_path, trade, after_tca_h)
    if out is not None:
        _avoid_plot(trade, out, f"{message.objects[0].get('OBJECT_NAME')} / {message.objects[1].get('OBJECT_NAME')}, "
                                f"TCA {message.relative.get('TCA')}")


def _summary(trade: Any) -> None:
    pc0 = "undefined" if trade.pc0 is None else f"{trade.pc0:.3e}"
    err_console.print(f"Pc without a burn: {pc0}, miss {trade.miss0_m:.1f} m; threshold {trade.threshold:g}",
                      highlight=False)
    if not trade.minimum:
        err_console.print("no burn on the grid brings Pc under the threshold" if trade.pc0 is None
                          or trade.pc0 >= trade.threshold else "Pc is already under the threshold", highlight=False)
    for b in trade.minimum:
        err_console.print(f"smallest {b.label} burn: {b.dv_m_s * 100:+.2f} cm/s {b.lead_orbits:g} orbits "
                          f"({b.lead_s / 60:.1f} min) before TCA: Pc {b.pc:.2e}, miss {b.miss_m:.0f} m",
                          highlight=False)


def _avoid_plot(trade: Any, out: Path, title: str) -> None:
    from kompas.space import avoidance as av

    fig = av.figure(trade, title)
    fig.savefig(out, dpi=120)
    err_console.print(f"written: {out}", highlight=False)


def _avoid_secondaries(message: Any, catalog_path: list[Path] | None, trade: Any, after_tca_h: float) -> None:
    from kompas.space import avoidance as av

    if not catalog_path:
        raise typer.BadParameter("--secondaries with --cdm needs --catalog", param_hint="--catalog")
    catalog, _ = load_catalog(catalog_path)
    designator = (message.objects[0].get("OBJECT_DESIGNATOR") or "").strip()
    primary_id = int(designator) if designator.isdigit() else -1
    tca = message.tca_utc
    elsets = [obj.at(tca) for obj in catalog if obj.history]
    primary = next((e for e in elsets if e.norad_id == primary_id), None)
    if primary is None:
        err_console.print(f"error: the primary {designator or '?'} is not in the catalogue", highlight=False)
        raise typer.Exit(2)
    found = av.secondary_conjunctions(primary, elsets, tca, trade.minimum, after_tca_s=after_tca_h * 3600.0)
    print("kind,burn,secondary_id,secondary_name,tca_utc,miss_km,new")
    for label, rows in found.items():
        for r in rows:
            print(f"secondary,{label},{r.secondary_id},{csv_text(r.secondary_name)},"
                  f"{format_time_utc(np.array([r.tca_utc]))[0]},{r.miss_km:.4f},{str(r.new).lower()}")


def _avoid_stored(conjunction: str, user: str | None, db: str | None, sizes: list[float], leads: list[float],
                  threshold: float, secondaries: bool, after_tca_h: float, out: Path | None) -> None:
    from kompas.cli.admin import _store
    from kompas.cli.compass import platform_user
    from kompas.services.avoidance import AvoidanceError, conjunction_trade_space
    from kompas.space import avoidance as av

    store = _store(db)
    account = platform_user(store, user or "")
    try:
        found = conjunction_trade_space(store, account.viewer, conjunction, sizes_m_s=sizes, leads_orbits=leads,
                                        threshold=threshold, secondaries=secondaries,
                                        after_tca_s=after_tca_h * 3600.0)
    except (ValueError, AvoidanceError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if found is None:
        err_console.print(f"error: no conjunction {conjunction} that {user} may see", highlight=False)
        raise typer.Exit(2)
    data, marking = found
    print(f"# {marking.banner()}")
    print("kind,direction,lead_orbits,lead_s,dv_m_s,pc,miss_m")
    for d, direction in enumerate(data["directions"]):
        for k, lead in enumerate(data["leads_orbits"]):
            for s, size in enumerate(data["sizes_m_s"]):
                pc = data["pc"][d][k][s]
                print(f"grid,{direction},{lead:g},{data['leads_s'][k]:.1f},{size:.6g},"
                      f"{'' if pc is None else f'{pc:.6e}'},{data['miss_m'][d][k][s]:.3f}")
    for b in data["minimum"]:
        print(f"minimum,{b['label']},{b['lead_orbits']:g},{b['lead_s']:.1f},{b['dv_m_s']:.6g},{b['pc']:.6e},"
              f"{b['miss_m']:.3f}")
    for r in data.get("secondaries", []):
        print(f"secondary,{r['burn']},{r['secondary_id']},{csv_text(r['secondary_name'])},{r['tca_utc']},"
              f"{r['miss_km']:.4f},{str(r['new']).lower()}")
    if out is not None:
        trade = av.TradeSpace(np.array(data["sizes_m_s"]), np.array(data["leads_orbits"]), np.array(data["leads_s"]),
                              np.array(data["pc"], dtype=float), np.array(data["miss_m"]), data["pc0"],
                              data["miss0_m"], threshold, data["hbr_m"], data["period_s"], np.zeros((2, 0, 6)),
                              [av.Burn(b["direction"], b["dv_m_s"], b["lead_s"], b["lead_orbits"], b["pc"],
                                       b["miss_m"]) for b in data["minimum"]])
        _avoid_plot(trade, out, f"conjunction {conjunction} ({marking.banner()})")
