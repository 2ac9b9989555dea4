"""``kompas space ...``: ingest element sets, propagate them."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from kompas.cli.common import console, err_console, progress_bar
from kompas.files import load_catalog
from kompas.space.catalog import Catalog
from kompas.space.elements import ElementSet, format_time_utc, parse_time_utc
from kompas.space.frames import FRAMES
from kompas.space.ingest import FORMATS, IngestReport
from kompas.space.omm import write_json
from kompas.space.propagation import SGP4_ERRORS, States, propagate, time_grid

app = typer.Typer(help="Space domain awareness: element sets, catalogue, propagation, conjunctions.",
                  no_args_is_help=True)

CSV_HEADER = "norad_id,time_utc,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s"
PROXIMITY_SERIES_STEP_S = 60.0  #: Step of the distance-over-time series kept with each proximity event.
REENTRY_PERIGEE_KM = 250.0  #: `kompas space events` predicts re-entry for newest sets with a lower perigee.


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
                                                      "or directories of them.", exists=True)],
    fmt: Annotated[str | None, typer.Option("--format", help=f"Force a format: {', '.join(FORMATS)}.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write every accepted element set (the whole history) "
                                                  "as CelesTrak-style OMM JSON.")] = None,
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
        out.write_text(write_json(catalog.elements()))
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


def write_csv_rows(handle, states: States) -> None:
    """Append ``states`` as CSV rows (km to mm, km/s to um/s), object by object; error states skipped."""
    times = format_time_utc(states.times_utc)
    for i, norad_id in enumerate(states.norad_ids):
        good = states.error_code[i] == 0
        r, v = states.position_km[i][good], states.velocity_km_s[i][good]
        handle.writelines(
            f"{norad_id},{t},{x:.6f},{y:.6f},{z:.6f},{vx:.9f},{vy:.9f},{vz:.9f}\n"
            for t, (x, y, z), (vx, vy, vz) in zip(times[good], r, v, strict=True))


@app.command("propagate")
def propagate_command(
    catalog_path: Annotated[list[Path], typer.Option("--catalog", help="Element-set file(s) or directory: "
                                                     "any format `ingest` reads.", exists=True)],
    start: Annotated[str, typer.Option(help="First time, ISO 8601 UTC, e.g. 2026-05-05T00:00:00Z (inclusive).")],
    end: Annotated[str, typer.Option(help="Last time, ISO 8601 UTC (inclusive when on the step grid).")],
    step: Annotated[float, typer.Option(help="Step in seconds.", min=0.001)] = 60.0,
    ids: Annotated[str | None, typer.Option(help="Comma-separated NORAD ids (default: every object).")] = None,
    frame: Annotated[str, typer.Option(help=f"Output frame: {', '.join(FRAMES)}.")] = "teme",
    out: Annotated[Path | None, typer.Option(help="CSV file to write (default: standard output).")] = None,
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
    handle = out.open("w", newline="") if out else sys.stdout
    failures: dict[int, tuple[int, np.datetime64]] = {}
    try:
        handle.write(CSV_HEADER + "\n")
        with progress_bar("propagating", len(elsets)) as advance:
            for chunk in propagate(elsets, times, frame.lower(), progress=lambda done, total: advance(done)):
                write_csv_rows(handle, chunk)
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


SCREEN_HEADER = ("primary_id,secondary_id,tca_utc,miss_km,v_rel_km_s,r_km,t_km,n_km,"
                 "vr_km_s,vt_km_s,vn_km_s,primary_name,secondary_name,label,same_object_ids")


def _csv_text(value: str) -> str:
    return f'"{value}"' if ("," in value or '"' in value) else value


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
    catalog_path: Annotated[list[Path], typer.Option("--catalog", help="Element-set file(s) or directory.",
                                                     exists=True)],
    primaries: Annotated[str | None, typer.Option(help="NORAD ids (comma-separated), a file of ids, or a "
                                                       "protected-assets YAML, to screen against the catalogue "
                                                       "(default: all vs all).")] = None,
    start: Annotated[str | None, typer.Option(help="Window start, ISO 8601 UTC (default: newest element-set "
                                                   "epoch in the catalogue).")] = None,
    days: Annotated[float, typer.Option(help="Window length in days.", min=1e-6)] = 7.0,
    threshold_km: Annotated[float, typer.Option(help="Miss-distance threshold, km.", min=1e-6)] = 5.0,
    step: Annotated[float, typer.Option(help="Sampling step, s (margins keep every step complete; 60 is "
                                             "fastest for LEO).", min=1.0, max=600.0)] = 60.0,
    out: Annotated[Path | None, typer.Option(help="CSV file (default: standard output).")] = None,
    cdm_dir: Annotated[Path | None, typer.Option(help="Write a CCSDS CDM (KVN) per conjunction here.")] = None,
    hbr_table: Annotated[Path | None, typer.Option(help="CARA HBR_Mass_Estimates CSV for the CDMs' hard-body "
                                                        "radii (default: 5 m per object).")] = None,
    workers: Annotated[int | None, typer.Option(help="Run on a local Dask cluster of N worker processes.",
                                                min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Run on the Dask scheduler at this address "
                                                       "(tcp://host:8786).")] = None,
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
    elsets = [obj.at(t0) for obj in catalog if obj.history]
    if wanted is not None:
        missing = sorted(wanted - {e.norad_id for e in elsets})
        if missing:
            err_console.print(f"primaries not in the catalogue: {', '.join(map(str, missing))}", highlight=False)
        if not wanted - set(missing):
            raise typer.Exit(2)
    names = {obj.info.norad_id: obj.info.name or obj.latest.name for obj in catalog if obj.history}
    elsets = [dataclasses.replace(e, name=names.get(e.norad_id) or e.name) for e in elsets]

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
        with progress_bar(f"screening {len(elsets)} objects, {days:g} d", 1) as advance:
            result = screening.screen(elsets, t0, days * 86400.0, threshold_km, primaries=wanted, step_s=step,
                                      map_blocks=mapper,
                                      progress=lambda done, total: advance(done / total))
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    handle = out.open("w", newline="") if out else sys.stdout
    try:
        handle.write(SCREEN_HEADER + "\n")
        times = format_time_utc(np.array([c.tca_utc for c in result.conjunctions], dtype="datetime64[ns]"))
        for c, when in zip(result.conjunctions, times, strict=True):
            r, t, n = c.rtn_km
            vr, vt, vn = c.rtn_velocity_km_s
            handle.write(f"{c.primary_id},{c.secondary_id},{when},{c.miss_km:.6f},{c.v_rel_km_s:.6f},{r:.6f},"
                         f"{t:.6f},{n:.6f},{vr:.6f},{vt:.6f},{vn:.6f},{_csv_text(c.primary_name)},"
                         f"{_csv_text(c.secondary_name)},{c.label},{' '.join(map(str, c.same_object_ids))}\n")
    finally:
        if out:
            handle.close()
    if cdm_dir is not None:
        _write_cdms(result, catalog, cdm_dir, hbr_table)
    for norad_id, code in sorted(result.errors.items()):
        err_console.print(f"{norad_id}: {SGP4_ERRORS.get(code, 'unknown SGP4 error')}: not screened after that",
                          highlight=False)
    found = sum(1 for c in result.conjunctions if c.label != "same-object")
    err_console.print(f"{found} conjunctions under {threshold_km:g} km between {format_time_utc(np.array([t0]))[0]}"
                      f" and +{days:g} d among {len(elsets)} objects"
                      + (f"; written: {out}" if out else ""), highlight=False)
    raise typer.Exit(1 if result.errors else 0)


def _write_cdms(result, catalog: Catalog, cdm_dir: Path, hbr_table: Path | None) -> None:
    from kompas.files import DEFAULT_HBR_M, load_hbr_table
    from kompas.space import cdm

    table = load_hbr_table(hbr_table) if hbr_table else {}
    cdm_dir.mkdir(parents=True, exist_ok=True)
    created = np.datetime64("now", "ns")
    written = 0
    for c in result.conjunctions:
        if c.label == "same-object":
            continue
        hbr = table.get(c.primary_id, DEFAULT_HBR_M) + table.get(c.secondary_id, DEFAULT_HBR_M)
        ages = tuple(float((c.tca_utc - catalog[i].at(c.tca_utc).epoch_utc) / np.timedelta64(1, "D"))
                     for i in (c.primary_id, c.secondary_id))
        message, _ = cdm.for_screening(c, created_utc=created, hbr_m=hbr, ages_days=ages)
        (cdm_dir / f"{message.message_id}.cdm").write_text(cdm.write_kvn(message))
        written += 1
    err_console.print(f"written: {written} CDMs in {cdm_dir} (covariance from the default element-set model)",
                      highlight=False)


@app.command()
def pc(
    cdms: Annotated[list[Path], typer.Argument(help="CCSDS CDM files, KVN or XML.", exists=True, dir_okay=False)],
    method: Annotated[str, typer.Option(help="foster (2D Pc, states adjusted to the true TCA), chan, maxpc, mc "
                                             "(Monte Carlo, 1e6 samples) or all.")] = "foster",
    hbr_m: Annotated[float | None, typer.Option(help="Combined hard-body radius, m (default: the CDM's HBR).",
                                                min=0.0)] = None,
) -> None:
    """Collision probability of each CDM. CSV on standard output: file,message_id,method,pc.

    The hard-body radius comes from --hbr-m, else the CDM (HBR keyword or CARA's "COMMENT HBR = x [m]").
    Unreadable CDMs are reported on standard error as FILE:LINE: field: reason; exit status 1 then.
    """
    from kompas.space import cdm as cdm_io
    from kompas.space import probability

    methods = probability.METHODS if method == "all" else (method,)
    if any(m not in probability.METHODS for m in methods):
        raise typer.BadParameter(f"expected one of {', '.join(probability.METHODS)} or all", param_hint="--method")
    print("file,message_id,method,pc")
    failed = 0
    for path in cdms:
        try:
            message = cdm_io.parse(path.read_text(), str(path))
            hbr = hbr_m if hbr_m is not None else message.hard_body_radius_m()
            if hbr is None:
                raise ValueError("no hard-body radius in the CDM: give --hbr-m")
            enc = probability.adjust_to_tca(cdm_io.encounter(message))
        except (ValueError, OSError, UnicodeDecodeError) as err:
            err_console.print(f"{path}: {err}", highlight=False)
            failed += 1
            continue
        for m in methods:
            try:
                if m == "foster":
                    value = probability.pc_foster(enc, hbr)
                elif m == "chan":
                    value = probability.pc_chan(enc, hbr)
                elif m == "maxpc":
                    value = probability.pc_max(enc, hbr)[0]
                else:
                    value = probability.pc_monte_carlo(enc, hbr)[0]
            except ValueError as err:
                err_console.print(f"{path}: {m}: {err}", highlight=False)
                failed += 1
                continue
            print(f"{_csv_text(str(path))},{_csv_text(message.message_id)},{m},{value:.10e}")
    raise typer.Exit(1 if failed else 0)


def _proximities(catalog: Catalog, assets_path: Path | None, days: float, manoeuvres: list) -> list:
    """Proximity events around the protected assets over the last ``days`` of the history."""
    from kompas.files import ASSETS, load_assets
    from kompas.space import events as ev
    from kompas.space.proximity import GEO_KM, HIGH_ORBIT_KM, LEO_KM, distance_series, group, near_shells
    from kompas.space.screening import screen, thread_map

    try:
        assets = load_assets(assets_path or ASSETS)
    except ValueError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    elsets = [obj.latest for obj in catalog]
    end = max(e.epoch_utc for e in elsets)
    start = end - np.timedelta64(int(days * 86400e9), "ns")
    times: dict[int, list] = {}
    for m in manoeuvres:
        times.setdefault(m.norad_id, []).append(m.epoch_utc)
    found = []
    for high in (False, True):
        ids = {n for n in assets if n in catalog and (catalog[n].latest.semi_major_axis_km > HIGH_ORBIT_KM) == high}
        if not ids:
            continue
        distance = GEO_KM if high else LEO_KM
        near = near_shells(elsets, ids, distance)
        with progress_bar(f"proximity ({'GEO' if high else 'LEO/MEO'} assets)", 1) as advance:
            result = screen(near, start, days * 86400.0, distance, primaries=ids,
                            map_blocks=thread_map(os.cpu_count() or 1), progress=lambda d, t: advance(d / t))
        latest = {e.norad_id: e for e in near}
        found += [ev.from_proximity(p, distance_series(latest[p.asset.norad_id], latest[p.other_id], start, end,
                                                       PROXIMITY_SERIES_STEP_S))
                  for p in group(result.conjunctions, assets, times)]
    return found


def _fragmentations(catalog: Catalog, plots: Path | None) -> list:
    """A fragmentation event per debris cloud (each object's earliest element set is nearest the break-up)."""
    from kompas.space import events as ev
    from kompas.space.fragmentation import breakup_epoch, clouds

    earliest = {obj.info.norad_id: obj.history[0] for obj in catalog if obj.history}
    found = []
    for cloud in clouds(list(earliest.values())):
        members = [earliest[n] for n in cloud.norad_ids]
        first = min(e.epoch_utc for e in members)
        estimate = breakup_epoch(members, cloud.parent_id, first - np.timedelta64(90, "D"), first)
        found.append(ev.from_cloud(cloud, estimate, first, members=members))
        if plots is not None:
            from kompas.reports.gabbard import plot_gabbard

            plots.mkdir(parents=True, exist_ok=True)
            plot_gabbard(members, plots / f"gabbard_{cloud.designator}.png", f"Cloud {cloud.designator}",
                         cloud.parent_id)
    return found


@app.command()
def events(
    catalog_path: Annotated[list[Path], typer.Option("--catalog", help="Element-set files (the history: give many "
                                                     "snapshots), directories, and optionally a SATCAT CSV for "
                                                     "owners.", exists=True)],
    since: Annotated[str | None, typer.Option(help="Keep events from this time, ISO 8601 UTC.")] = None,
    until: Annotated[str | None, typer.Option(help="Keep events before this time, ISO 8601 UTC.")] = None,
    out: Annotated[Path | None, typer.Option(help="Events JSON file (default: standard output).")] = None,
    plots: Annotated[Path | None, typer.Option(help="Write a Gabbard diagram (PNG) per debris cloud here.")] = None,
    assets: Annotated[Path | None, typer.Option(help="Protected assets YAML (default: the EU and member-state "
                                                     "assets shipped in kompas/data/assets.yaml).",
                                                exists=True)] = None,
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
    from kompas.space import events as ev
    from kompas.space.manoeuvres import detect

    with progress_bar("reading history", 1) as advance:
        catalog, reports = load_catalog(catalog_path)
        advance(1)
    rejected = sum(r.rejected for r in reports)
    with progress_bar("manoeuvres", 1) as advance:
        manoeuvres = detect(obj.history for obj in catalog)
        found = [ev.from_manoeuvre(m) for m in manoeuvres]
        advance(1)
    if proximity_days > 0:
        found += _proximities(catalog, assets, proximity_days, manoeuvres)
    found += _fragmentations(catalog, plots)
    from kompas.space.geo import behaviour

    found += [ev.from_relocation(r) for obj in behaviour([o.history for o in catalog]) for r in obj.relocations]
    from kompas.space.reentry import predict

    low = [obj.latest for obj in catalog if obj.latest.perigee_altitude_km < REENTRY_PERIGEE_KM]
    found += [ev.from_reentry(p) for p in predict(low) if p.reentry_utc is not None]
    lo = parse_time_utc(since) if since else None
    hi = parse_time_utc(until) if until else None
    found = [e for e in found if (lo is None or e.epoch_utc >= lo) and (hi is None or e.epoch_utc < hi)]
    owners = {obj.info.norad_id: obj.info.owner for obj in catalog if obj.info.owner}
    text = ev.to_json(ev.with_owners(found, owners))
    if out:
        out.write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    counts = {t: sum(e.type == t for e in found) for t in ev.TYPES}
    err_console.print(f"{len(catalog)} objects, {catalog.element_set_count} element sets "
                      f"({rejected} rejected records); events: "
                      + ", ".join(f"{n} {t}" for t, n in counts.items() if n) + (f"; written: {out}" if out else ""),
                      highlight=False)
    raise typer.Exit(1 if rejected else 0)


@app.command()
def report(
    events_path: Annotated[Path, typer.Option("--events", help="Events JSON from `kompas space events`.",
                                              exists=True)],
    start: Annotated[str, typer.Option("--from", help="Period start, ISO 8601 UTC.")],
    end: Annotated[str, typer.Option("--to", help="Period end, ISO 8601 UTC.")],
    out: Annotated[Path, typer.Option(help="Report file: .html or .pdf.")] = Path("report.html"),
    conjunctions: Annotated[Path | None, typer.Option(help="Conjunctions CSV from `kompas space screen` for the "
                                                           "protected assets' statistics.", exists=True)] = None,
    assets: Annotated[Path | None, typer.Option(help="Protected assets YAML (default: the shipped EU and "
                                                     "member-state assets).", exists=True)] = None,
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
    import json

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
        events, problems = check(json.loads(events_path.read_text()), str(events_path))
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
