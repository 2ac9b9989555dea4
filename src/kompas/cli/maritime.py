"""`kompas maritime`: AIS in (raw NMEA or CSV, plain or .gz), tracks, behaviour detected and undersea infrastructure
watched. The same service as the API (:mod:`kompas.services.maritime`).

``ingest`` decodes and reports what it read (messages by type, "not available" values blanked, every rejected line
with its reason); ``detect`` screens the tracks and prints the events (``type``, ``mmsi``, ``start_utc``,
``end_utc``, ``lat``, ``lon``, ``asset``, ``evidence``), near which undersea asset, as a table, JSON, CSV,
GeoJSON, CISE-shaped JSON or a STIX 2.1 bundle. The attribution of the data used (the cable map is CC BY-NC-SA,
non-commercial) is printed on standard error after every answer.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import (
    CLASSIFICATION_OPTION,
    COMMUNITY_OPTION,
    RELEASABLE_OPTION,
    TLP_OPTION,
    console,
    err_console,
    input_files,
    progress_bar,
)

app = typer.Typer(help="Maritime awareness: AIS decoded (NMEA, DMA/NOAA/provider CSV), tracks, behaviour (gaps and "
                       "going dark, stops, loitering, drift, anchor drags, encounters, identity anomalies, data "
                       "errors) and undersea cables and links watched.", no_args_is_help=True)

PATHS = Annotated[list[Path], typer.Argument(help="AIS files: raw NMEA (!AIVDM with tag blocks, $PGHP or USCG "
                                                  "suffixes) or CSV (Danish Maritime Authority, NOAA/MarineCadastre, "
                                                  "provider exports), plain or .gz; folders and quoted glob "
                                                  "patterns too.", callback=input_files)]
FORMATS = ("table", "json", "csv", "geojson", "cise", "stix")
EVENT_FIELDS = ("type", "mmsi", "start_utc", "end_utc", "lat", "lon", "asset", "evidence")


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _read(paths: list[Path]) -> Any:  # noqa: ANN401 (Ingest)
    """Every file read (a bar per file on a terminal), merged; an unreadable file ends the command naming it."""
    from kompas.files import NoSuchPath, Unreadable
    from kompas.maritime.load import read_ais
    from kompas.maritime.model import Ingest

    parts = []
    with progress_bar("reading AIS", len(paths)) as advance:
        for done, path in enumerate(paths, 1):
            try:
                parts.append(read_ais(path))
            except (NoSuchPath, Unreadable) as error:
                raise _fail(str(error)) from None
            advance(done)
    return Ingest.merge(parts)


def _rejections_out(rejections: list[Any], target: Path | None, shown: int) -> None:
    """The first ``shown`` rejections on standard error and, with ``target``, all of them as CSV there."""
    for rejection in rejections[:shown]:
        err_console.print(f"rejected: {rejection}", highlight=False, markup=False)
    if len(rejections) > shown:
        err_console.print(f"... and {len(rejections) - shown} more rejections"
                          + ("" if target else " (--rejections FILE writes them all)"), highlight=False)
    if target is not None:
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["source", "line", "field", "reason", "value"])
            writer.writeheader()
            for rejection in rejections:
                writer.writerow(rejection.as_dict())
        err_console.print(f"{len(rejections)} rejections written to {target}", highlight=False)


USER_READ = Annotated[str | None, typer.Option("--user", help="Read as this platform user (default: the platform's "
                                                              "own view, every contribution).")]
START = Annotated[str | None, typer.Option("--start", help="Window start, ISO 8601 UTC (default: all).")]
END = Annotated[str | None, typer.Option("--end", help="Window end, ISO 8601 UTC (default: all).")]
AREA = Annotated[str | None, typer.Option("--area", help="baltic, or lon_min,lat_min,lon_max,lat_max (default: "
                                                         "everywhere).")]


def _box(area: str | None) -> tuple[float, float, float, float] | None:
    from kompas.maritime.load import BALTIC_BOX

    if not area:
        return None
    if area == "baltic":
        return BALTIC_BOX
    try:
        x0, y0, x1, y1 = (float(v) for v in area.split(","))
    except ValueError:
        raise typer.BadParameter("baltic, or lon_min,lat_min,lon_max,lat_max", param_hint="--area") from None
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise typer.BadParameter("longitudes -180..180, latitudes -90..90, each minimum below its maximum",
                                 param_hint="--area")
    return x0, y0, x1, y1


def _time(value: str | None, option: str) -> str | None:
    from kompas.times import parse_time_utc

    if not value:
        return None
    try:
        parse_time_utc(value)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from None
    return value if value.endswith("Z") else value + "Z"


def _window(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    from kompas.times import parse_time_utc

    first, last = _time(start, "--start"), _time(end, "--end")
    if first and last and parse_time_utc(last) <= parse_time_utc(first):
        raise typer.BadParameter("the window ends before it starts", param_hint="--end")
    return first, last


def _viewer(store: Any, user: str | None) -> Any:  # noqa: ANN401 (Store, Viewer)
    from kompas.cli.compass import platform_user

    return platform_user(store, user).viewer if user else None


@app.command()
def ingest(paths: PATHS,
           fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
           rejections: Annotated[Path | None, typer.Option("--rejections", help="Write every rejected line "
                                                                                  "(source, line, field, reason, "
                                                                                  "value) to this CSV file.")] = None,
           show: Annotated[int, typer.Option("--show", min=0, help="Rejections printed on standard error.")] = 20,
           contribute: Annotated[bool, typer.Option("--contribute", help="Store the timed positions on the "
                                                                         "platform as --user's organisation's, under "
                                                                         "the marking given.")] = False,
           user: Annotated[str | None, typer.Option("--user", help="With --contribute: on behalf of this platform "
                                                                   "user's organisation.")] = None,
           source: Annotated[str | None, typer.Option("--source", help="With --contribute: the name to store it "
                                                                       "under (default: the first file's name).")
                             ] = None,
           kind: Annotated[str, typer.Option("--kind", help="With --contribute: ais, radar (your own radar tracks) "
                                                            "or tracks (fused).")] = "ais",
           attribution: Annotated[str, typer.Option("--attribution", help="With --contribute: the data's licence "
                                                                          "or credit, shown wherever it is used.")
                                  ] = "",
           classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
           tlp: TLP_OPTION = "CLEAR",
           releasable_to: RELEASABLE_OPTION = None,
           community: COMMUNITY_OPTION = None,
           db: DB = None,
           ) -> None:
    """Decode AIS files and report what was read: sentences, messages by type, positions and static reports kept,
    "not available" values blanked, duplicates, tracks, and every line rejected with its reason. With
    --contribute, store the timed positions on the platform under a marking (public AIS: UNCLASSIFIED, TLP:CLEAR,
    the default; your own radar tracks may be SECRET), one batch per UTC day."""
    if fmt not in ("table", "json"):
        raise typer.BadParameter("expected table or json", param_hint="--format")
    if kind not in ("ais", "radar", "tracks"):
        raise typer.BadParameter("ais, radar or tracks", param_hint="--kind")
    if contribute and not user:
        raise typer.BadParameter("--contribute needs --user (whose organisation contributes)", param_hint="--user")
    if user and not contribute:
        raise typer.BadParameter("--user is for --contribute (decoding alone needs no user)", param_hint="--user")
    from kompas.maritime.load import mid_flags
    from kompas.maritime.tracks import build_tracks

    data = _read(paths)
    built = build_tracks(data, mid_flags()[0])
    everything = [*data.rejections, *built.rejections]
    counts = {**data.counts, "positions": len(data.positions), "static reports": len(data.statics), **built.counts}
    stored = None
    credits = _credits(paths)
    if contribute:
        stored = _contribute(data, user or "", source or paths[0].name, kind, attribution or " ".join(credits),
                             (classification, tlp, releasable_to, community), db)
    if fmt == "json":
        print(json.dumps({"files": [str(p) for p in paths], "counts": counts,
                          "rejections": [r.as_dict() for r in everything[:1000]],
                          "rejections_total": len(everything), "contributed": stored}, indent=2))
    else:
        from rich.table import Table

        table = Table("what", "count", title=f"AIS read from {len(paths)} file(s)")
        for key in sorted(counts, key=_count_order):
            table.add_row(key, f"{counts[key]:,}")
        console.print(table)
        if stored is not None:
            console.print(f"contributed: {stored['stored_fixes']:,} positions in {len(stored['batches'])} batch(es) "
                          f"as {stored['source']} ({stored['banner']})", highlight=False, markup=False)
    _rejections_out(everything, rejections, show if fmt == "table" else 0)
    for note in credits:
        err_console.print(f"source: {note}", highlight=False, markup=False)
    if not len(data.positions) and not data.statics:
        err_console.print("error: no AIS message could be read from the file(s)", highlight=False)
        raise typer.Exit(1)


#: The order of ingest's counts: what was read, then what was kept, then the tracks, then the message types.
_ORDER = ("lines", "comments", "other NMEA sentences", "sentences", "rows", "messages", "rejected", "positions",
          "position not available", "sog not available", "cog not available", "heading not available",
          "status not defined", "static reports", "untimed", "duplicate receptions", "position jumps",
          "speed glitches", "mmsi in two places", "fixes", "tracks")


def _count_order(key: str) -> tuple[int, int, str]:
    if key.startswith("type ") and key[5:].isdigit():
        return (1, int(key[5:]), key)
    return (0, _ORDER.index(key) if key in _ORDER else len(_ORDER), key)


def _credits(paths: list[Path]) -> list[str]:
    """The attribution the files read ask for (the shared recordings' folders are known)."""
    from kompas.maritime.load import known_attribution

    return list(dict.fromkeys(c for c in (known_attribution(p) for p in paths) if c))


def _contribute(data: Any, user: str, source: str, kind: str, attribution: str,  # noqa: ANN401 (Ingest)
                marking_parts: tuple, db: Any) -> dict:  # noqa: ANN401
    from kompas.cli.compass import platform_user
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.services import maritime as service

    store = _store(db)
    account = platform_user(store, user)
    classification, tlp, releasable_to, community = marking_parts
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        done = service.contribute(store, account, data, marking, source, kind, attribution)
    except (StoreError, MarkingError) as error:
        raise _fail(str(error)) from None
    done["banner"] = marking.banner()
    return done


@app.command()
def screen(user: USER_READ = None, start: START = None, end: END = None, area: AREA = None,
           assets: Annotated[str, typer.Option("--assets", help="baltic, all or none.")] = "baltic",
           record: Annotated[bool, typer.Option("--record", help="Store the behaviour events (domain maritime) "
                                                                 "under the combined marking, for alerts, the "
                                                                 "picture and kompas respond (needs --user).")
                             ] = False,
           fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
           limit: Annotated[int, typer.Option("--limit", min=1, help="Rows of the table.")] = 200,
           db: DB = None) -> None:
    """Screen the positions contributed on the platform that you may see, fused from every contribution, in a
    window and area: the same events as `kompas maritime detect`, marked with the combination of the batches read
    (the banner). The same service as POST /api/v1/maritime/screen."""
    if fmt not in ("table", "json"):
        raise typer.BadParameter("expected table or json", param_hint="--format")
    if assets not in ("baltic", "all", "none"):
        raise typer.BadParameter("baltic, all or none", param_hint="--assets")
    from kompas.core.store import StoreError
    from kompas.services import maritime as service

    box = _box(area)
    first, last = _window(start, end)
    store = _store(db)
    viewer = _viewer(store, user)
    if record and viewer is None:
        raise typer.BadParameter("--record needs --user (the events are theirs to see)", param_hint="--user")
    with progress_bar("screening", 1) as advance:
        try:
            found = service.screen_view(store, viewer, first, last, box, assets, record=record, by=user or "")
        except StoreError as error:
            raise _fail(str(error)) from None
        advance(1)
    if fmt == "json":
        print(json.dumps(found, indent=1))
    else:
        from rich.table import Table

        err_console.print(found["banner"], highlight=False, markup=False)
        table = Table("type", "mmsi", "vessel", "start_utc", "end_utc", "asset",
                      title=f"{found['events_total']} maritime events ({found['banner']})")
        for row in found["events"][:limit]:
            table.add_row(row["type"], str(row["mmsi"]), (row["vessel"] or {}).get("name", ""), row["start_utc"],
                          row["end_utc"], row["asset"])
        console.print(table)
        if record:
            console.print(f"recorded: {found['recorded']} events", highlight=False)
    for note in found["attribution"]:
        err_console.print(f"source: {note}", highlight=False, markup=False)


@app.command()
def contributions(user: USER_READ = None,
                  fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
                  db: DB = None) -> None:
    """The batches of positions contributed on the platform that you may see (one per UTC day of a contribution),
    newest first, with their contributor, source, kind, window, counts and marking."""
    from kompas.services import maritime as service

    store = _store(db)
    items = service.contributions(store, _viewer(store, user))
    if fmt == "json":
        print(json.dumps(items, indent=1))
        return
    from rich.table import Table

    table = Table("id", "org", "source", "kind", "start_utc", "end_utc", "fixes", "vessels", "marking",
                  title=f"{len(items)} batches")
    for item in items:
        table.add_row(item["id"], item["org"], item["source"], item["kind"], item["start_utc"], item["end_utc"],
                      f"{item['fixes']:,}", str(item["vessels"]), item["banner"])
    console.print(table)


@app.command()
def withdraw(user: Annotated[str, typer.Option("--user", help="On behalf of this platform user's organisation.")],
             source: Annotated[str | None, typer.Option("--source", help="The name the contribution was sent "
                                                                         "under.")] = None,
             batch: Annotated[list[str] | None, typer.Option("--batch", help="A batch id (repeatable).")] = None,
             db: DB = None) -> None:
    """Withdraw your organisation's contributed positions: those sent under --source and/or the --batch ids.
    Audited."""
    from kompas.cli.compass import platform_user
    from kompas.core.store import StoreError
    from kompas.services import maritime as service

    store = _store(db)
    try:
        gone = service.withdraw(store, platform_user(store, user), source, tuple(batch or ()))
    except StoreError as error:
        raise _fail(str(error)) from None
    if not gone:
        raise _fail("nothing withdrawn: no batch of your organisation has that source or id (kompas maritime "
                    "contributions --user NAME lists them with their full ids)")
    console.print(f"withdrawn: {len(gone)} batch(es), {sum(g['fixes'] for g in gone):,} positions",
                  highlight=False)


@app.command()
def report(start: START = None, end: END = None,
           area: Annotated[str, typer.Option("--area", help="baltic, or lon_min,lat_min,lon_max,lat_max.")
                           ] = "baltic",
           name: Annotated[str, typer.Option("--name", help="The sea area's name on the report (default: from "
                                                            "--area).")] = "",
           assets: Annotated[str | None, typer.Option("--assets", help="baltic, all or none (default: baltic for "
                                                                      "the Baltic, else all).")] = None,
           out: Annotated[Path, typer.Option("--out", help="The report: .pdf or .html.", dir_okay=False)] = Path(
               "maritime_report.pdf"),
           user: USER_READ = None, db: DB = None) -> None:
    """Write the maritime report for a sea area and period: the vessels and positions read, a map, the alerts near
    undersea assets first, the events by type with their evidence, data quality, the method and thresholds;
    banner-marked with the combined marking of the contributions read, the sources' attribution on every page.
    The same report as POST /api/v1/reports/maritime."""
    from kompas.private import write_private
    from kompas.reports.maritime import report as build

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("the report is written as .pdf or .html", param_hint="--out")
    chosen = assets or ("baltic" if area == "baltic" else "all")
    if chosen not in ("baltic", "all", "none"):
        raise typer.BadParameter("baltic, all or none", param_hint="--assets")
    box = _box(area)
    first, last = _window(start, end)
    title = name or ("Baltic Sea" if area == "baltic" else area)
    store = _store(db)
    err_console.print(f"writing the maritime report on {title} ...", highlight=False)
    try:
        done = build(store, _viewer(store, user), first, last, box, title, chosen, fmt)
    except ValueError as error:
        raise _fail(str(error)) from None
    write_private(out, done.content)
    console.print(f"written: {out} ({done.marking.banner()})", highlight=False)


@app.command("detect")
def detect_command(
        paths: PATHS,
        assets: Annotated[str, typer.Option("--assets", help="Undersea assets to watch: baltic (the Baltic seabed "
                                                             "index), all (every cable and HVDC link), none, or a "
                                                             "GeoJSON file of lines (name, accuracy_km).")] = "baltic",
        fmt: Annotated[str, typer.Option("--format", help="table, json, csv, geojson, cise or stix.")] = "table",
        only: Annotated[list[str] | None, typer.Option("--only", help="Event types to print (repeatable): dark, "
                                                                      "reception_gap, stop, loitering, drift, "
                                                                      "anchor_drag, encounter, identity, "
                                                                      "position_jump, speed_glitch.")] = None,
        alerts_only: Annotated[bool, typer.Option("--alerts", help="Only events near an undersea asset.")] = False,
        data_errors: Annotated[bool, typer.Option("--data-errors/--no-data-errors", help="Include data errors "
                                                                                          "(position jumps, speed "
                                                                                          "glitches).")] = True,
        buffer_km: Annotated[float, typer.Option("--buffer-km", min=0.0, max=50.0, help="Watch distance added to "
                                                                                        "each route's accuracy, "
                                                                                        "km.")] = 1.0,
        gap_hours: Annotated[float, typer.Option("--gap-hours", min=0.05, max=240.0, help="Shortest AIS gap "
                                                                                         "reported, hours.")] = 1.0,
        stop_minutes: Annotated[float, typer.Option("--stop-minutes", min=1.0, max=10_000.0, help="Shortest stop, "
                                                                                                 "minutes.")] = 60.0,
        stop_diameter_m: Annotated[float, typer.Option("--stop-diameter-m", min=10.0, max=20_000.0, help="A stop "
                                                                                                        "stays within "
                                                                                                        "this, m.")
                                   ] = 1000.0,
        loiter_hours: Annotated[float, typer.Option("--loiter-hours", min=0.25, max=240.0, help="Shortest "
                                                                                               "loitering, hours.")
                                ] = 2.0,
        limit: Annotated[int, typer.Option("--limit", min=1, help="Rows of the table.")] = 200,
        classification: Annotated[str, typer.Option("--classification", help="With --format cise or stix: the "
                                                                              "marking of what the files hold.")
                                  ] = "UNCLASSIFIED",
        tlp: Annotated[str, typer.Option("--tlp", help="With --format cise or stix: the TLP of what the files "
                                                       "hold.")] = "CLEAR",
) -> None:
    """Screen AIS files: tracks per vessel, behaviour events with their evidence, and alerts naming the undersea
    cable or link an event happened near (route accuracy stated)."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected {', '.join(FORMATS)}", param_hint="--format")
    from kompas.maritime.detect import DEFAULT
    from kompas.maritime.events import TYPES
    from kompas.services.maritime import ASSET_CHOICES, screen

    wanted = set(only or TYPES)
    unknown = wanted - set(TYPES)
    if unknown:
        raise typer.BadParameter(f"unknown {', '.join(sorted(unknown))}; known: {', '.join(TYPES)}",
                                 param_hint="--only")
    extra: list[Any] = []
    choice = assets
    if assets not in ASSET_CHOICES:
        from kompas.files import NoSuchPath, Unreadable, read_text
        from kompas.maritime.watch import parse_assets_geojson

        try:
            extra, rejected = parse_assets_geojson(read_text(assets), assets)
        except (NoSuchPath, Unreadable) as error:
            raise _fail(f"--assets: {error} (or use baltic, all, none)") from None
        for rejection in rejected:
            err_console.print(f"rejected: {rejection}", highlight=False, markup=False)
        if not extra:
            raise _fail(f"--assets {assets}: no asset could be read")
        choice = "none"
    rules = DEFAULT.with_(gap_min_s=gap_hours * 3600.0, stop_min_s=stop_minutes * 60.0,
                          stop_diameter_m=stop_diameter_m, loiter_min_s=loiter_hours * 3600.0)
    data = _read(paths)
    with progress_bar("screening", 1) as advance:
        found = screen(data, rules, assets=choice, extra_assets=extra, buffer_km=buffer_km)
        advance(1)
    events = [e for e in (found.alerts if alerts_only else found.events)
              if e.type in wanted and (data_errors or not e.data_error)]
    from kompas.core.markings import Marking, MarkingError

    try:
        marking = Marking.build(classification, tlp)
    except MarkingError as error:
        raise _fail(str(error)) from None
    credits = _credits(paths)
    _print_events(events, fmt, [*found.attribution, *credits], limit, marking)
    rejected_total = len(data.rejections) + len(found.built.rejections)
    err_console.print(f"{len(events)} events ({len(found.alerts)} near undersea assets, {len(found.assets)} "
                      f"assets watched) from {found.built.counts.get('tracks', 0)} tracks; {rejected_total} input "
                      "lines rejected (kompas maritime ingest --rejections FILE lists them)", highlight=False)
    for note in [*found.attribution, *credits]:
        err_console.print(f"source: {note}", highlight=False, markup=False)


def _print_events(events: list[Any], fmt: str, attribution: list[str], limit: int, marking: Any) -> None:  # noqa: ANN401
    from kompas.maritime.export import to_cise, to_geojson

    if fmt == "json":
        print(json.dumps([e.as_dict() for e in events], indent=1))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EVENT_FIELDS)
        for event in events:
            row = event.as_dict()
            writer.writerow([row["type"], row["mmsi"], row["start_utc"], row["end_utc"], row["lat"], row["lon"],
                             row["asset"], json.dumps(row["evidence"], separators=(",", ":"))])
        print(out.getvalue(), end="")
    elif fmt == "geojson":
        print(json.dumps(to_geojson(events, attribution)))
    elif fmt == "cise":
        print(json.dumps(to_cise([e.as_dict() for e in events], marking.banner(), attribution), indent=1))
    elif fmt == "stix":
        print(json.dumps(_stix(events, marking), indent=1))
    else:
        from rich.table import Table

        wide = console.width >= 150
        table = Table("type", "mmsi", "vessel", "start (UTC)", "end (UTC)", *(("lat", "lon") if wide else ()),
                      "asset", "with" if wide else "", title=f"{len(events)} maritime events"
                      + (f" (first {limit})" if len(events) > limit else ""))
        for column in table.columns[:5]:
            column.no_wrap = True
        for event in events[:limit]:
            row = event.as_dict()
            when = (row["start_utc"][:16].replace("T", " "), row["end_utc"][:16].replace("T", " "))
            table.add_row(row["type"], str(row["mmsi"]), (row["vessel"] or {}).get("name", ""), *when,
                          *((f"{row['lat']:.4f}", f"{row['lon']:.4f}") if wide else ()), row["asset"],
                          str(row["other_mmsi"] or "") if wide else "")
        console.print(table)


def _stix(events: list[Any], marking: Any) -> dict:  # noqa: ANN401 (Marking)
    """A STIX 2.1 bundle of the events, through the platform's envelope, under ``marking``."""
    from kompas.core.envelope import from_maritime_event
    from kompas.core.stix import export_events

    rows = []
    for event in events:
        envelope = from_maritime_event(event.as_dict(), "kompas maritime detect")
        rows.append({"id": envelope.id, "domain": envelope.domain, "kind": envelope.type,
                     "time_utc": envelope.time_utc, "start_utc": envelope.start_utc, "end_utc": envelope.end_utc,
                     "title": envelope.title, "severity": envelope.severity, "norad_ids": [],
                     "actors": [a.as_dict() for a in envelope.actors], "place": envelope.place.as_dict(),
                     "evidence": envelope.evidence, "detail": envelope.payload, "marking": marking.as_dict()})
    return export_events(rows, observed=True)
