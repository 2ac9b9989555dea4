"""``kompas space ...``: ingest element sets, propagate them."""

from __future__ import annotations

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

app = typer.Typer(help="Space domain awareness: element sets, catalogue, propagation.", no_args_is_help=True)

CSV_HEADER = "norad_id,time_utc,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s"


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
