"""`kompas mobility`: can a force package move from A to B by a date, over which roads, railways, ports and
airfields, and what stops it. Networks (named or built), route feasibility with every obstacle named and costed,
stress tests, criticality rankings, tag coverage, airfields per aircraft, contributions and the 2022 analysis as a
report. The same service as ``/api/v1/mobility/...`` (:mod:`kompas.services.mobility`).

Without ``--user`` a command reads as the platform itself (every contribution); with it, as that user may see. The
sources of the network used (OpenStreetMap ODbL, RINF, OurAirports...) are named on standard error after every
answer, with the marking; ILLUSTRATIVE inputs (the shipped packages, lead times and test network) are flagged.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import UTC, datetime
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
    text_file,
)

app = typer.Typer(help="Military mobility: multimodal networks (OSM, RINF, airfields, contributed), route "
                       "feasibility for force packages with every obstacle named and costed, stress tests, "
                       "criticality rankings, tag coverage and the mobility report.", no_args_is_help=True)
network_app = typer.Typer(help="Networks: list the named ones, build one from OSM extracts, RINF, airfields and "
                               "contributions.", no_args_is_help=True)
app.add_typer(network_app, name="network")

USER_READ = Annotated[str | None, typer.Option("--user", help="Read as this platform user (default: the "
                                                              "platform's own view, every contribution).")]
NETWORK = Annotated[str, typer.Option("--network", help="A named network (kompas mobility network list) or a file "
                                                        "built by 'kompas mobility network build'.")]
PACKAGE = Annotated[Path | None, typer.Option("--package", help="The force package (YAML, "
                                                                "examples/mobility/README.md); default: the shipped "
                                                                "ILLUSTRATIVE mechanised infantry battalion.")]
PACKAGE_NAME = Annotated[str | None, typer.Option("--package-name", help="A shipped package by name "
                                                                          "(mech-battalion, "
                                                                          "light-company).")]
BORDERS = Annotated[Path | None, typer.Option("--borders", help="Border lead times (YAML); default: the shipped "
                                                                "ILLUSTRATIVE table.")]
FORMAT = Annotated[str, typer.Option("--format", help="table or json.")]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _viewer(store: Any, user: str | None) -> Any:  # noqa: ANN401 (Store, Viewer)
    from kompas.cli.compass import platform_user

    return platform_user(store, user).viewer if user else None


def _read(path: Path | None) -> str | None:
    from kompas.files import read_text

    if path is None:
        return None
    try:
        return read_text(path)
    except OSError as error:
        raise _fail(str(error)) from None


def _network(name: str) -> tuple[str, Any]:
    """(name, built network or None) for ``--network``."""
    from kompas.mobility import load

    if name in load.NETWORKS:
        return name, None
    path = Path(name)
    if not path.exists():
        raise _fail(f"no network named {name!r} and no such file (named: {', '.join(load.NETWORKS)})")
    try:
        return path.stem, load.network_file(path)
    except (OSError, ValueError) as error:
        raise _fail(f"{name}: {error}") from None


def _time(text: str | None, option: str) -> datetime | None:
    from kompas.services.mobility import parse_utc

    try:
        return parse_utc(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from None


def _footer(found: dict[str, Any], user: str | None) -> None:
    for source in found.get("sources", []):
        text = source.get("attribution") or source.get("note")
        if text:
            err_console.print(f"source: {text}", highlight=False, markup=False)
    flags = [k for k, v in found.get("illustrative", {}).items() if v]
    if flags:
        err_console.print(f"ILLUSTRATIVE inputs (not real data): {', '.join(flags)}", highlight=False, markup=False)
    for item in found.get("rejections", []):
        err_console.print(f"{item['source']}: item {item['line']}: {item['field']}: {item['reason']}",
                          highlight=False, markup=False)
    err_console.print(f"marking: {found['banner']}"
                      + ("" if user else " (the platform's own view: every contribution; --user reads as a user)"),
                      highlight=False, markup=False)


def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 24:.1f} d" if value >= 48 else f"{value:.1f} h"


def _steps(legs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The legs with consecutive sections of one road or line (same name and mode) run together; a section shows
    its mode (road, rail) as its kind."""
    out: list[dict[str, Any]] = []
    for leg in legs:
        kind = leg["mode"] if leg["kind"] == "link" else leg["kind"]
        last = out[-1] if out else None
        if leg["kind"] == "link" and last is not None and last["kind"] == kind and last["name"] == leg["name"]:
            last["km"] += leg["km"]
            last["end_h"] = leg["end_h"]
        else:
            out.append({**leg, "kind": kind})
    return out


def _print_plan(plan: dict[str, Any]) -> None:
    origin, destination = plan["origin"]["name"], plan["destination"]["name"]
    if not plan["feasible"]:
        console.print(f"{origin} → {destination}: NO FEASIBLE PLAN over {', '.join(plan['modes'])}: "
                      f"{plan['why_none']}", highlight=False, markup=False)
    else:
        whole = _hours(plan["complete_hours"]) if plan["complete_hours"] is not None else \
            f"unknown ({plan['batches']} batches, no capacity stated)"
        line = (f"{origin} → {destination}: {plan['km']:,.0f} km, first arrival after {_hours(plan['hours'])}, "
                f"whole package after {whole}")
        if plan.get("arrive_utc"):
            line += f" (first {plan['arrive_utc']})"
        if "meets_by" in plan:
            line += f"; by {plan['by_utc']}: {'YES' if plan['meets_by'] else 'NO'}"
        console.print(line, highlight=False, markup=False)
        if plan["ideal_hours"] is not None and plan["hours"] is not None:
            console.print(f"  ideal route ignoring every obstacle: {_hours(plan['ideal_hours'])}", highlight=False,
                          markup=False)
        for step in _steps(plan["legs"]):
            console.print(f"  {_hours(step['start_h']):>8}  {step['kind']:<8} {step['name']} "
                          f"({step['km']:,.1f} km, {_hours(step['end_h'] - step['start_h'])})" if step["km"] else
                          f"  {_hours(step['start_h']):>8}  {step['kind']:<8} {step['name']} "
                          f"({_hours(step['end_h'] - step['start_h'])})", highlight=False, markup=False)
    if plan["obstacles"]:
        console.print("  obstacles (cost when enforced alone; saving when lifted alone):", highlight=False,
                      markup=False)
        for o in plan["obstacles"]:
            cost = "no way round" if o["blocks"] else _hours(o["cost_hours"]) if o["cost_hours"] is not None \
                else "not costed"
            saving = "; lifting it alone opens the way" if o.get("unblocks") else \
                f"; lifting it alone saves {_hours(o['saving_hours'])}" if o.get("saving_hours") is not None else ""
            console.print(f"    {o['kind']:<8} {o['name']}: {o['reason']}  [+{cost}{saving}]", highlight=False,
                          markup=False)
    for mode, why in (plan.get("unable") or {}).items():
        console.print(f"  the package cannot go by {mode}: {why}", highlight=False, markup=False)
    throughput = plan.get("throughput") or {}
    if throughput.get("vehicles_per_day"):
        narrowest = next((e["name"] for e in throughput.get("elements", []) if e["id"] == throughput["narrowest"]),
                         throughput["narrowest"])
        console.print(f"  throughput: {throughput['vehicles_per_day']:.0f} vehicles/day, narrowest: {narrowest}",
                      highlight=False, markup=False)
    for note in plan["assumptions"]:
        console.print(f"  assumed: {note}", highlight=False, markup=False)


@network_app.command("list")
def network_list(fmt: FORMAT = "table") -> None:
    """The named networks, whether their data is on this machine, and their size."""
    from kompas.mobility import load

    rows: list[dict[str, Any]] = []
    for name, about in load.NETWORKS.items():
        try:
            counts: dict[str, int] | None = load.named(name).counts()
        except load.MissingData:
            counts = None
        rows.append({"name": name, "about": about, "available": counts is not None, "counts": counts})
    if fmt == "json":
        console.print_json(json.dumps(rows))
        return
    for row in rows:
        size = ", ".join(f"{v:,} {k}" for k, v in (row["counts"] or {}).items() if v) or "data not on this machine"
        console.print(f"{row['name']:<11} {row['about']}\n            {size}", highlight=False, markup=False)


@network_app.command("build")
def network_build(
    out: Annotated[Path, typer.Option("--out", help="Where to write the network (Kompas mobility GeoJSON).")],
    network: Annotated[list[str] | None, typer.Option("--network", help="A named network to include "
                                                                        "(repeatable).")] = None,
    osm: Annotated[list[Path] | None, typer.Option("--osm", help="An OpenStreetMap extract (.osm.pbf, .osm, "
                                                                 ".osm.gz; repeatable).")] = None,
    contributed: Annotated[list[Path] | None, typer.Option("--contributed", help="A contribution in the Kompas "
                                                                                 "mobility format (repeatable).")
                           ] = None,
    attach_km: Annotated[float, typer.Option("--attach-km", min=0.0, max=100.0, help="Join airfields and ports "
                                                                                     "to the nearest road place "
                                                                                     "within this distance.")] = 10.0,
) -> None:
    """Build one multimodal network from named networks, OSM extracts and contributions; airfields and ports are
    joined to the road network; write it in the Kompas mobility format and print what it holds, its tag coverage
    and every rejected record."""
    from kompas.mobility import load
    from kompas.mobility.contributed import apply, to_geojson
    from kompas.mobility.model import Network
    from kompas.mobility.network import attach

    built = Network()
    try:
        for name in network or []:
            built = built.merge(load.named(name))
        with console.status("reading OSM extracts") if osm else nullcontext():
            for path in osm or []:
                built = built.merge(load.osm_file(path))
        contributions = [load.contribution_file(p) for p in contributed or []]
    except (load.MissingData, OSError, ValueError) as error:
        raise _fail(str(error)) from None
    if not (network or osm or contributed):
        raise typer.BadParameter("name at least one --network, --osm or --contributed", param_hint="--network")
    built = apply(built, contributions, [p.name for p in contributed or []])
    for c in contributions:
        built.rejections.extend(c.rejections)
    built = attach(built, within_km=attach_km)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(to_geojson(built, out.stem)), encoding="utf-8")
    counts = ", ".join(f"{v:,} {k}" for k, v in built.counts().items())
    console.print(f"{out}: {counts}", highlight=False, markup=False)
    from kompas.mobility.coverage import coverage as measure

    for line in measure(built).lines():
        console.print(f"  coverage: {line}", highlight=False, markup=False)
    for r in built.rejections[:200]:
        err_console.print(str(r), highlight=False, markup=False)
    if len(built.rejections) > 200:
        err_console.print(f"... and {len(built.rejections) - 200:,} more rejections", highlight=False, markup=False)
    for source in built.sources:
        if source.get("attribution"):
            err_console.print(f"source: {source['attribution']}", highlight=False, markup=False)
    raise typer.Exit(1 if built.rejections else 0)


@app.command("route")
def route(
    origin: Annotated[str, typer.Option("--from", help="Where the package starts: a place id, a name or "
                                                       "'lat,lon'.")],
    destination: Annotated[str, typer.Option("--to", help="Where it must arrive (same forms).")],
    package: PACKAGE = None,
    package_name: PACKAGE_NAME = None,
    by: Annotated[str | None, typer.Option("--by", help="Must the whole package be there by this date or time "
                                                        "(UTC)?")] = None,
    start: Annotated[str | None, typer.Option("--start", help="When the movement starts and permissions are "
                                                              "asked for (UTC; default now).")] = None,
    network: NETWORK = "gauge-test",
    borders: BORDERS = None,
    mode: Annotated[list[str] | None, typer.Option("--mode", help="Allowed modes: road, rail, air, sea "
                                                                  "(repeatable; default all).")] = None,
    aircraft: Annotated[str | None, typer.Option("--aircraft", help="Aircraft for air legs: A400M, C-17A, "
                                                                    "C-130J-30.")] = None,
    fmt: FORMAT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """The fastest feasible plan for the package, every obstacle of the ideal route named and costed (a bridge
    below its MLC, a gauge break, a runway too short, a border's lead time), waits and transshipments, throughput
    and the last vehicle's arrival; then the best plan for each set of modes. Exit 1 when no plan is feasible or
    it misses --by."""
    from kompas.services import mobility as service

    name, built = _network(network)
    store = _store(db)
    start_utc = _time(start, "--start") or datetime.now(UTC).replace(microsecond=0)
    by_utc = _time(by, "--by")
    try:
        found = service.route(store, _viewer(store, user), origin, destination, network=name, built=built,
                              package_text=_read(package), package_name=package_name,
                              borders_text=_read(borders), start_utc=start_utc, by_utc=by_utc, modes=mode,
                              aircraft=aircraft)
    except service.MobilityError as error:
        raise _fail(str(error)) from None
    plan = found["plan"]
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        pkg = found["package"]
        plane = f"; aircraft {found['aircraft']} ({found['aircraft_chosen_by']})" if found["aircraft"] else ""
        console.print(f"{pkg['name']}: {pkg['vehicles']} vehicles, heaviest {pkg['heaviest_t']:g} t, MLC "
                      f"{pkg['max_mlc']}{plane}", highlight=False, markup=False)
        _print_plan(plan)
        if found["alternatives"]:
            console.print("alternatives:", highlight=False, markup=False)
            for alt in found["alternatives"]:
                state = _hours(alt["complete_hours"]) if alt["feasible"] else "infeasible"
                console.print(f"  {'+'.join(alt['modes']):<20} {state}", highlight=False, markup=False)
    _footer(found, user)
    raise typer.Exit(0 if plan["feasible"] and plan.get("meets_by", True) is not False else 1)


CORRIDOR = Annotated[list[str] | None, typer.Option("--corridor", help="A corridor as FROM>TO (place ids or names; "
                                                                       "repeatable); default: the network's "
                                                                       "shipped corridors.")]


def _pairs(corridor: list[str] | None) -> list[tuple[str, str]]:
    pairs = []
    for item in corridor or []:
        frm, sep, to = item.partition(">")
        if not sep or not frm.strip() or not to.strip():
            raise typer.BadParameter(f"{item!r}: expected FROM>TO (ids or names)", param_hint="--corridor")
        pairs.append((frm.strip(), to.strip()))
    return pairs


@app.command("stress")
def stress(
    remove: Annotated[list[str] | None, typer.Option("--remove", help="An element to remove: a link, transfer or "
                                                                      "place id, a place name, or border:CC (every "
                                                                      "road and rail crossing of country CC; "
                                                                      "repeatable).")
                      ] = None,
    area: Annotated[Path | None, typer.Option("--area", help="Remove every place in this area and every section "
                                                             "crossing it (GeoJSON polygon, or a line with "
                                                             "--buffer-km).")] = None,
    buffer_km: Annotated[float | None, typer.Option("--buffer-km", min=0.0, max=500.0, help="Widen the area by "
                                                                                           "this many km.")] = None,
    events: Annotated[bool, typer.Option("--events", help="Also remove the transport assets that recorded "
                                                          "incidents (mobility, infrastructure, cyber) name.")
                      ] = False,
    since: Annotated[str | None, typer.Option("--since", help="With --events: only incidents from this time "
                                                              "(UTC).")] = None,
    corridor: CORRIDOR = None,
    network: NETWORK = "gauge-test",
    package: PACKAGE = None,
    package_name: PACKAGE_NAME = None,
    borders: BORDERS = None,
    fmt: FORMAT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Which corridors fail or slow down when a bridge, junction, border crossing or airfield (or everything in an
    area, or what recorded incidents name) is lost, and what each detour costs. Exit 1 when a corridor fails."""
    from kompas.infra.areas import AreaError, parse_area
    from kompas.services import mobility as service

    name, built = _network(network)
    store = _store(db)
    shape = None
    if area is not None:
        try:
            shape = parse_area(_read(area) or "", buffer_km, str(area))
        except AreaError as error:
            raise _fail(str(error)) from None
    try:
        found = service.stress(store, _viewer(store, user), remove or [], shape, network=name, built=built,
                               pairs=_pairs(corridor), package_text=_read(package), package_name=package_name,
                               borders_text=_read(borders), events=events,
                               since_utc=_time(since, "--since"))
    except service.MobilityError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        for event in found["events"]:
            console.print(f"incident {event['id']} ({event['time_utc'][:16]}): {event['title']}", highlight=False,
                          markup=False)
        console.print(f"removed {len(found['removed'])} element(s): {', '.join(found['removed'][:10])}"
                      + (" ..." if len(found["removed"]) > 10 else ""), highlight=False, markup=False)
        for o in found["outcomes"]:
            state = "FAILS" if o["failed"] else "no plan before" if o["before_hours"] is None else \
                f"+{_hours(o['added_hours'])}" if o["added_hours"] else "unchanged"
            console.print(f"  {o['corridor']}: {_hours(o['before_hours'])} → {_hours(o['after_hours'])}  {state}",
                          highlight=False, markup=False)
            after = found["plans"].get(o["corridor"], {})
            if o["failed"] and after.get("why_none"):
                console.print(f"      {after['why_none']}", highlight=False, markup=False)
    _footer(found, user)
    raise typer.Exit(1 if found["failed"] else 0)


@app.command("rank")
def rank(
    corridor: CORRIDOR = None,
    network: NETWORK = "gauge-test",
    package: PACKAGE = None,
    package_name: PACKAGE_NAME = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="How many elements to list.")] = 25,
    fmt: FORMAT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """The elements whose loss breaks the most corridors, then adds the most hours (every element on a corridor's
    fastest path is tried; the others cannot change it)."""
    from kompas.services import mobility as service

    name, built = _network(network)
    store = _store(db)
    try:
        with console.status("ranking elements"):
            found = service.rank(store, _viewer(store, user), network=name, built=built, pairs=_pairs(corridor),
                                 package_text=_read(package), package_name=package_name, limit=limit)
    except service.MobilityError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        for n, r in enumerate(found["ranking"], start=1):
            what = f"breaks {len(r['failed'])}" if r["failed"] else f"+{_hours(r['added_hours'])}"
            console.print(f"{n:>3}. {r['kind']:<8} {r['name']} {('(' + r['section'] + ')') if r['section'] else ''}"
                          f"  {what} of {len(found['corridors'])} corridors", highlight=False, markup=False)
    _footer(found, user)


@app.command("coverage")
def coverage(
    network: NETWORK = "gauge-test",
    cell_deg: Annotated[float, typer.Option("--cell-deg", min=0.01, max=10.0, help="Grid cell size for the "
                                                                                   "per-area figures, degrees.")
                        ] = 1.0,
    fmt: FORMAT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """How much of the network states each limit (maxweight, maxheight, gauge, MLC...), per link class and area:
    the honest measure of what a plan on open data rests on."""
    from kompas.services import mobility as service

    name, built = _network(network)
    store = _store(db)
    try:
        found = service.coverage(store, _viewer(store, user), name, built, cell_deg)
    except service.MobilityError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        for line in found["summary"]:
            console.print(line, highlight=False, markup=False)
        cells = [a for a in found["areas"] if a != "all"]
        if cells:
            console.print(f"per area ({len(cells)} cells of {found['cell_deg']:g}°): --format json", highlight=False,
                          markup=False)
    _footer(found, user)


@app.command("airfields")
def airfields(
    aircraft: Annotated[str, typer.Option("--aircraft", help="A400M, C-17A or C-130J-30.")],
    country: Annotated[list[str] | None, typer.Option("--country", help="ISO 3166 alpha-2 (repeatable; default "
                                                                        "LT LV EE PL FI DE).")] = None,
    fmt: FORMAT = "table",
) -> None:
    """The airfields the aircraft can use by its runway rule (length, width, surface; the rule and its source are
    printed), and the longest runway of each."""
    import pycountry

    from kompas.mobility import load
    from kompas.mobility.airfields import usable
    from kompas.services import mobility as service

    unknown = [c for c in country or [] if pycountry.countries.get(alpha_2=c.upper()) is None]
    if unknown:
        raise typer.BadParameter(f"not ISO 3166 alpha-2 codes: {', '.join(unknown)}", param_hint="--country")
    try:
        plane = service.aircraft_named(aircraft)
        fields, _ = load.airfield_table(tuple(c.upper() for c in country) if country else load.AIRFIELD_COUNTRIES)
    except (service.MobilityError, load.MissingData) as error:
        raise _fail(str(error)) from None
    assert plane is not None
    rows = []
    for key, field in sorted(fields.items()):
        ok, why = usable(field, plane)
        if ok:
            rows.append({"id": key, "name": field.name, "country": field.country, "runway": why})
    if fmt == "json":
        console.print_json(json.dumps({"aircraft": plane.name, "rule": vars(plane.runway), "airfields": rows}))
    else:
        for row in rows:
            console.print(f"{row['id']:<10} {row['country']}  {row['name']}: {row['runway']}", highlight=False,
                          markup=False)
        console.print(f"{len(rows)} airfields can take the {plane.name} (runway rule: "
                      f"{plane.runway.length_m:,.0f} m x {plane.runway.width_m or 0:g} m, "
                      f"{'paved or unpaved' if plane.runway.unpaved else 'paved'}; {plane.cites('runway.length_m')})",
                      highlight=False, markup=False)
    err_console.print(f"source: {load.SOURCES['ourairports']['attribution']}", highlight=False, markup=False)


@app.command("contribute")
def contribute(
    path: Annotated[Path, typer.Argument(help="Elements or attributes in the Kompas mobility format (GeoJSON; "
                                              "examples/mobility/README.md).", callback=text_file)],
    user: Annotated[str, typer.Option("--user", help="Contributed on behalf of this platform user's "
                                                     "organisation.")],
    title: Annotated[str | None, typer.Option("--title", help="A title (default: the file name).")] = None,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Add what the open data lacks (a bridge's military load class, loading ramps, transshipment sites, port
    capacities, whole networks) under a marking; it is applied to the networks it touches for those who may see
    it. Bad features are listed and the good ones stored; exit 1 when any was rejected."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.services import mobility as service

    store = _store(db)
    account = platform_user(store, user)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        done = service.contribute(store, account, _read(path) or "", title or path.name, marking, str(path))
    except (StoreError, MarkingError) as error:
        raise _fail(str(error)) from None
    console.print(f"{path}: stored as {done.id} ({marking.banner()}), {len(done.rejected)} feature(s) rejected",
                  highlight=False, markup=False)
    for item in done.rejected:
        err_console.print(str(item), highlight=False, markup=False)
    raise typer.Exit(1 if done.rejected else 0)


@app.command("incident")
def incident(
    asset: Annotated[list[str], typer.Option("--asset", help="A transport asset lost: a link, transfer or place id, "
                                                             "or a place name (repeatable).")],
    user: Annotated[str, typer.Option("--user", help="Recorded by this platform user's organisation.")],
    time: Annotated[str | None, typer.Option("--time", help="When (UTC; default now).")] = None,
    cause: Annotated[str, typer.Option("--cause", help="sabotage, cyber-attack, accident, technical-failure, "
                                                       "natural, blockade or unknown.")] = "unknown",
    title: Annotated[str | None, typer.Option("--title", help="A title (default: the assets named).")] = None,
    network: NETWORK = "gauge-test",
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Record damage to transport assets as an incident event (domain mobility) carrying what losing them does to
    the network's corridors; the fused picture, alerts and the response engine see it, and 'kompas mobility stress
    --events' removes the assets it names."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.services import mobility as service

    name, built = _network(network)
    if built is not None:
        raise _fail("incidents are recorded on a named network")
    store = _store(db)
    account = platform_user(store, user)
    when = _time(time, "--time") or datetime.now(UTC).replace(microsecond=0)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        done = service.record_incident(store, account, asset, when.isoformat().replace("+00:00", "Z"), cause,
                                       marking, name, title or "")
    except (service.MobilityError, StoreError, MarkingError) as error:
        raise _fail(str(error)) from None
    state = "recorded" if done["recorded"] else "already recorded"
    console.print(f"incident {done['id']} {state} ({done['banner']}): severity {done['severity']}, "
                  f"{len(done['failed'])} corridor(s) fail: {', '.join(done['failed']) or 'none'}",
                  highlight=False, markup=False)


from kompas.cli import mobility_report  # noqa: E402 (registers `report` on this app; it imports this module's options)

mobility_report.register(app)
