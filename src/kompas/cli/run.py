"""``kompas run``: the main job. Until conjunction screening exists: summarise the newest catalogue
snapshot and propagate every object through the next day."""

from __future__ import annotations

import json
import os
import time
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from kompas.cli.common import console, err_console, progress_bar
from kompas.cli.space import CSV_HEADER, print_reports, write_csv_rows
from kompas.files import load_catalog
from kompas.reports.catalogue import plot_catalogue
from kompas.space.elements import format_time_utc
from kompas.space.propagation import SGP4_ERRORS, States, propagate, time_grid
from kompas.space.summary import EARTH_RADIUS_KM, summarise

SAMPLE = "data/sample"


def find_space_data(explicit: Path | None) -> Path:
    """--data, else $KOMPAS_DATA, else ../shared/data/space (beside the checkout or the cwd), else the sample."""
    if explicit is not None:
        return explicit
    if os.environ.get("KOMPAS_DATA"):
        return Path(os.environ["KOMPAS_DATA"])
    repo = Path(__file__).resolve().parents[3]
    for base in (Path.cwd(), repo):
        candidate = base.parent / "shared" / "data" / "space"
        if candidate.is_dir():
            return candidate
    return Path(str(files("kompas") / SAMPLE))


def newest_snapshot(data: Path) -> Path:
    snapshots = sorted(data.glob("active_*.tle")) or sorted(data.glob("*.tle"))
    if not snapshots:
        raise typer.BadParameter(f"no active_*.tle or *.tle snapshot in {data}", param_hint="--data")
    return snapshots[-1]


def run(
    data: Annotated[Path | None, typer.Option(help="Folder of snapshots (default: ../shared/data/space, else the "
                                                   "bundled sample).", exists=True, file_okay=False)] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("out"),
    hours: Annotated[float, typer.Option(help="Propagation window, hours.", min=0.0)] = 24.0,
    step: Annotated[float, typer.Option(help="Propagation step, seconds.", min=1.0)] = 60.0,
    frame: Annotated[str, typer.Option(help="Frame of the written states: teme, gcrs, itrf.")] = "gcrs",
) -> None:
    """Main job: ingest the newest catalogue snapshot, summarise it, propagate every object.

    Writes summary.json, summary.md, catalogue.png, states_start.csv (every object at the start time)
    and rejections.txt into --out, and prints where they are.
    """
    data_dir = find_space_data(data)
    snapshot = newest_snapshot(data_dir)
    console.rule(f"Kompas main job: {snapshot.name}")
    catalog, reports = load_catalog([snapshot])
    rejected = print_reports(reports)
    elsets = catalog.latest()
    epochs = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    # Start at the snapshot's median epoch, on the hour; element-set ages are counted back from there.
    start = np.datetime64(np.sort(epochs)[len(epochs) // 2], "h").astype("datetime64[ns]")
    summary = summarise(elsets, start)
    times = time_grid(start, start + np.timedelta64(round(hours * 3600e9), "ns"), step)
    out.mkdir(parents=True, exist_ok=True)

    altitude = np.full((len(elsets), 2), np.nan)
    failures: dict[int, tuple[int, np.datetime64]] = {}
    states_path = out / "states_start.csv"
    began = time.perf_counter()
    with states_path.open("w") as handle, progress_bar("propagating", len(elsets)) as advance:
        handle.write(CSV_HEADER + "\n")
        row = 0
        for chunk in propagate(elsets, times, frame, progress=lambda done, total: advance(done)):
            radius = np.linalg.norm(chunk.position_km, axis=-1) - EARTH_RADIUS_KM
            with np.errstate(invalid="ignore"):
                altitude[row:row + len(chunk)] = np.c_[np.nanmin(radius, axis=1), np.nanmax(radius, axis=1)] \
                    if np.isfinite(radius).any() else np.nan
            first = States(chunk.norad_ids, chunk.times_utc[:1], chunk.frame, chunk.position_km[:, :1],
                           chunk.velocity_km_s[:, :1], chunk.error_code[:, :1])
            write_csv_rows(handle, first)
            failures.update(chunk.errors())
            row += len(chunk)
    elapsed = time.perf_counter() - began
    n_states = len(elsets) * len(times)

    result = summary.as_dict() | {
        "snapshot": str(snapshot), "rejected_records": rejected,
        "propagation": {"start_utc": str(format_time_utc(times[:1])[0]), "hours": hours, "step_s": step,
                        "frame": frame, "states": n_states,
                        "objects_with_sgp4_errors": {str(k): {"code": c, "reason": SGP4_ERRORS.get(c, "?"),
                                                              "from_utc": str(format_time_utc(np.array([t]))[0])}
                                                     for k, (c, t) in sorted(failures.items())}},
    }
    (out / "summary.json").write_text(json.dumps(result, indent=2))
    (out / "rejections.txt").write_text("".join(f"{r}\n" for rep in reports for r in rep.rejections))
    plot = plot_catalogue(elsets, summary, altitude, out / "catalogue.png",
                          f"{snapshot.name}: {len(elsets)} objects, reference {str(summary.reference_utc)[:16]}Z")
    md = [f"# Catalogue summary: {snapshot.name}", "",
          f"- objects: {summary.objects} ({rejected} records rejected)",
          "- regimes: " + ", ".join(f"{k} {v}" for k, v in summary.regimes.items()),
          "- constellations: " + ", ".join(f"{k} {v}" for k, v in list(summary.constellations.items())[:8]),
          f"- element-set age: median {summary.epoch_age_days_median:.2f} d, 95% {summary.epoch_age_days_p95:.2f} d,"
          f" max {summary.epoch_age_days_max:.1f} d; {summary.stale_over_7_days} older than 7 days",
          f"- propagated: {n_states:,} states ({len(elsets)} objects x {len(times)} times, {frame}) from "
          f"{format_time_utc(times[:1])[0]}; {len(failures)} objects hit an SGP4 error", "",
          "![catalogue](catalogue.png)", ""]
    (out / "summary.md").write_text("\n".join(md))

    console.print("\n".join(md[2:7]), highlight=False)
    for norad_id, (code, when) in sorted(failures.items()):
        err_console.print(f"{norad_id}: SGP4 error {code} ({SGP4_ERRORS.get(code, '?')}) from "
                          f"{format_time_utc(np.array([when]))[0]}", highlight=False)
    console.print(f"propagation: {n_states / elapsed:,.0f} states/s on this machine "
                  "(ratios against baselines: benchmarks/RESULTS.md)", highlight=False)
    console.print("outputs:", highlight=False)
    for path in (out / "summary.md", out / "summary.json", plot, states_path, out / "rejections.txt"):
        console.print(f"  {path}", highlight=False)
