"""``kompas run``: the main job, the daily cycle of a space operations centre (:mod:`kompas.services.cycle`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.common import (
    CLASSIFICATION_OPTION,
    COMMUNITY_OPTION,
    RELEASABLE_OPTION,
    TLP_OPTION,
    console,
    err_console,
    fallback,
    output_folder,
)

SAMPLE = "sample"  #: The folder of kompas/data holding the bundled catalogue sample.


def find_space_data(explicit: Path | None) -> Path:
    """``--data``, else ``$KOMPAS_DATA``, else ``shared/data/space`` (:func:`kompas.locate.shared_data`), else the
    bundled sample (said on standard error)."""
    import os

    from kompas.files import packaged
    from kompas.locate import shared_data

    if explicit is not None:
        return explicit
    if os.environ.get("KOMPAS_DATA"):
        return Path(os.environ["KOMPAS_DATA"])
    found = shared_data("space")
    if found is not None:
        return found
    sample = packaged(SAMPLE)
    fallback("space", f"using the bundled {sample.name} ({sample})")
    return sample


def newest_snapshot(data: Path) -> Path:
    """The newest catalogue snapshot of a folder (:func:`kompas.services.cycle.snapshots_in`); a usage error when
    there is none."""
    from kompas.services.cycle import snapshots_in

    snapshots = snapshots_in(data)
    if not snapshots:
        raise typer.BadParameter(f"no active_*.tle or *.tle snapshot in {data}", param_hint="--data")
    return snapshots[-1]


def run(
    data: Annotated[Path | None, typer.Option(help="Folder of catalogue snapshots, active_*.tle (default: "
                                                   "../shared/data/space, else the bundled sample).",
                                              exists=True, file_okay=False)] = None,
    out: Annotated[Path, typer.Option(help="Output folder (created when missing; outputs are rewritten).",
                                      callback=output_folder)] = Path("out"),
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: $KOMPAS_DB, else "
                                                        "$KOMPAS_HOME/kompas.db).", show_default=False)] = None,
    days: Annotated[float, typer.Option(help="Screening window, days from the newest snapshot's time (its newest "
                                             "epoch, sets published days ahead left out).",
                                        min=0.01, max=30.0)] = 7.0,
    threshold_km: Annotated[float, typer.Option(help="Conjunction miss-distance threshold, km.", min=0.001)] = 5.0,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "CLEAR",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    hours: Annotated[float, typer.Option(help="Catalogue summary: propagation window, hours.", min=0.0)] = 24.0,
    step: Annotated[float, typer.Option(help="Catalogue summary: propagation step, seconds.", min=1.0)] = 60.0,
    frame: Annotated[str, typer.Option(help="Catalogue summary: frame of states_start.csv: teme, gcrs, itrf.")
                     ] = "gcrs",
    satcat: Annotated[list[Path] | None, typer.Option(
        "--satcat", help="SATCAT CSV (CelesTrak's columns; a full SATCAT when you have one; repeatable): owners, "
                         "launch dates, object types and RCS for the catalogue. Owners make same-operator approaches "
                         "routine; launch dates mark early-orbit phases.", exists=True, dir_okay=False)] = None,
) -> None:
    """The daily cycle: ingest the newest catalogue snapshot and the history beside it, store them on the platform,
    screen the protected assets against the whole catalogue (Pc, CDMs), detect events over the history, store
    everything under one marking, write the reports, and print what matters.

    Stored (idempotent: a rerun stores nothing twice): the newest snapshot's element sets, the conjunctions with
    their Pc and CDM, the events. Written into --out (rewritten on every run): threat_landscape.pdf and .html (the
    last 7 days of the history, with the screening's conjunction statistics), conjunctions.csv (the columns of
    kompas space screen, then pc), cdms/ (one CCSDS CDM per conjunction), events.json, summary.md,
    summary.json, catalogue.png, states_start.csv and rejections.txt. Exit status 0, or 1 when records or events
    were rejected (listed in rejections.txt and on standard error), 2 for unusable arguments or database.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from kompas.cli.space import StepBars
    from kompas.core.markings import MarkingError
    from kompas.services.cycle import SYSTEM_ORG, run_cycle, snapshots_in

    try:
        from kompas.core.markings import Marking

        marking = Marking.build(classification, tlp, releasable_to, community or [], SYSTEM_ORG)
    except (MarkingError, ValueError) as error:
        raise typer.BadParameter(str(error)) from None
    if frame.lower() not in ("teme", "gcrs", "itrf"):
        raise typer.BadParameter("expected teme, gcrs or itrf", param_hint="--frame")
    data_dir = find_space_data(data)
    newest_snapshot(data_dir)
    snapshots = snapshots_in(data_dir)
    console.rule(f"Kompas daily cycle: {snapshots[-1].name}"
                 + (f" and {len(snapshots) - 1} earlier snapshots" if len(snapshots) > 1 else ""))
    try:
        with StepBars() as progress:
            cycle = run_cycle(data_dir, out, db, marking, days=days, threshold_km=threshold_km, hours=hours,
                              step_s=step, frame=frame.lower(), progress=progress, satcat=satcat or [])
    except SQLAlchemyError as error:
        err_console.print(f"error: database: {str(error).splitlines()[0]}", highlight=False)
        raise typer.Exit(2) from None
    print_summary(cycle)
    raise typer.Exit(1 if cycle.rejections or cycle.rejected_events else 0)


def print_summary(cycle) -> None:  # noqa: ANN001 (kompas.services.cycle.Cycle)
    """What the operations centre reads first: what was stored, the top conjunctions, the notable events, where
    the outputs are and how to open the picture."""
    from kompas.core.db import database_url
    from kompas.services.cycle import SYSTEM_ORG

    show = lambda text: console.print(text, highlight=False)  # noqa: E731
    rejected = len({(r.source, r.line) for r in cycle.rejections})
    show(f"history: {len(cycle.snapshots)} snapshots, {cycle.objects} objects, {cycle.element_sets} element sets"
         f" ({rejected} records rejected)")
    show(f"stored under {cycle.marking.banner()}: "
         + (f"{cycle.stored_element_sets} element sets of {cycle.newest.name}" if cycle.stored_element_sets
            else f"{cycle.newest.name} already stored")
         + f", {cycle.new_conjunctions} new conjunctions, {cycle.new_events} new events"
         + (f" ({len(cycle.rejected_events)} events rejected)" if cycle.rejected_events else "")
         + f" in {_shown(cycle.database)}")
    start, end = cycle.screening
    others = [c for c in cycle.conjunctions if not cycle.is_formation(c)]
    show(f"\nConjunctions of the protected assets with other owners' objects, {start[:16]} to {end[:16]} UTC: "
         f"{len(others)} under {cycle.threshold_km:g} km, {sum(c['miss_km'] < 1.0 for c in others)} under 1 km")
    top = cycle.top_conjunctions(10)
    if top:
        show("Top 10 by Pc (TCA UTC, asset / other object, miss distance, relative speed, Pc and its basis):")
        for c in top:
            pc = "-" if c["pc"] is None else f"{c['pc']:.1e}" + (f" ({c['pc_basis']})" if c.get("pc_basis") else "")
            show(f"  {c['tca_utc'][:16].replace('T', ' ')}  {c['primary_name']} ({c['primary_id']}) / "
                 f"{c['secondary_name']} ({c['secondary_id']})  {c['miss_km']:.3f} km  {c['v_rel_km_s']:.2f} km/s"
                 f"  Pc {pc}")
    if cycle.formation:
        show(f"  ({cycle.formation} approaches between protected assets of one owner, flying in formation, left "
             f"out)")
    counts: dict[str, int] = {}
    for e in cycle.events:
        counts[e.type] = counts.get(e.type, 0) + 1
    show("\nEvents over the history: " + (", ".join(f"{n} {t}" for t, n in counts.items()) or "none"))
    notable = cycle.notable_events(10)
    period = f"{cycle.period[0][:16]} to {cycle.period[1][:16]} UTC"
    show(f"Notable events, {period} (high severity first):" if notable else f"No event in {period}.")
    for e in notable:
        show(f"  {e.severity:<6} {e.type:<14} {str(e.epoch_utc)[:16]}  {e.summary}")
    show(f"\nFused picture of the period: {cycle.situations} situations linked across domains (picture.geojson, "
         "situations.json; `kompas intel picture --user NAME` on the platform)")
    show("\nOutputs:")
    for path in cycle.outputs.values():
        show(f"  {path}")
    for note in cycle.notes:
        err_console.print(f"note: {note}", highlight=False)
    problems = [str(r) for r in cycle.rejections] + [f"event {r}" for r in cycle.rejected_events]
    for line in problems[:20]:
        err_console.print(line, highlight=False)
    if len(problems) > 20:
        err_console.print(f"... {len(problems) - 20} more (rejections.txt)", highlight=False)
    show("Steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in cycle.seconds.items())
         + f"; total {sum(cycle.seconds.values()):.1f} s")
    db_option = "" if cycle.database == database_url(None) else f" --db {_shown(cycle.database)}"
    show(f"\nThe picture: `kompas serve{db_option}`, then open http://127.0.0.1:8000/web/ and sign in with the "
         f"token printed by `kompas admin add-user NAME --org {SYSTEM_ORG} --clearance UNCLASSIFIED"
         f"{db_option}` (once per analyst).")


def _shown(url: str) -> str:
    """A URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
