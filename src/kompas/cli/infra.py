"""`kompas infra`: critical infrastructure dependencies: what each member state's connectivity rests on (cables,
power and gas interconnection, internet exchanges, suppliers and owners), stress tests (named elements, a
supplier's, an owner's, everything in an area or along an anchor track), the elements of a region ranked by the
damage their loss causes, the cable-map vintages compared, elements contributed under markings, and incidents
recorded as events. The same service as ``/api/v1/infra/...`` (:mod:`kompas.services.infra`).

Without ``--user`` a command reads as the platform itself (every contribution); with it, as that user may see. The
public data (TeleGeography's cable and exchange maps, CC BY-NC-SA 3.0, non-commercial; PyPSA-Eur's grid data,
CC-BY-4.0) is named with its licence on standard error after every answer.
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
    text_file,
)

app = typer.Typer(help="Critical infrastructure: submarine cables, internet exchanges and the power grid; "
                       "dependencies per member state, stress tests, rankings, vintages, contributed elements and "
                       "incidents.", no_args_is_help=True)

USER_READ = Annotated[str | None, typer.Option("--user", help="Read as this platform user (default: the "
                                                              "platform's own view, every contribution).")]
COUNTRY = Annotated[list[str] | None, typer.Option("--country", help="A country (ISO 3166 alpha-2, e.g. FI; "
                                                                     "repeatable).")]
ROW_FIELDS = ("from_country", "to_country", "kind", "before", "after", "unit")


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _fmt(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(f"expected {' or '.join(allowed)}", param_hint="--format")
    return fmt


def _viewer(store: Any, user: str | None) -> Any:  # noqa: ANN401 (Store, Viewer)
    from kompas.cli.compass import platform_user

    return platform_user(store, user).viewer if user else None


def _marking(account: Any, classification: str, tlp: str, releasable_to: list[str] | None,  # noqa: ANN401
             community: list[str] | None) -> Any:  # noqa: ANN401 (Marking)
    from kompas.core.markings import Marking, MarkingError

    try:
        return Marking.build(classification, tlp, releasable_to, community or [], account.org)
    except MarkingError as error:
        raise _fail(str(error)) from None


def _number(value: float) -> str:
    """``1000.0`` -> ``1000``, ``491.6`` -> ``491.6``: the CSV's numbers as written by hand."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0").rstrip(".")


def _footer(found: dict[str, Any], user: str | None) -> None:
    """The notes, caveats, sources with their licences and the marking, on standard error."""
    for caveat in found.get("caveats", []):
        err_console.print(f"caveat: {caveat}", highlight=False, markup=False)
    for item in found.get("notes", []):
        err_console.print(f"note: {item}", highlight=False, markup=False)
    for source in found.get("sources", []):
        if source.get("attribution"):
            err_console.print(f"source: {source['attribution']}", highlight=False, markup=False)
    err_console.print(f"marking: {found['marking']['banner']}"
                      + ("" if user else " (the platform's own view: every contribution; --user reads as a user)"),
                      highlight=False, markup=False)


def _area(path: Path | None, buffer_km: float | None) -> str | None:
    from kompas.files import read_text

    if path is None:
        if buffer_km is not None:
            raise typer.BadParameter("needs --area (a line or polygon in GeoJSON)", param_hint="--buffer-km")
        return None
    try:
        return read_text(path)
    except OSError as error:
        raise _fail(str(error)) from None


@app.command("assess")
def assess(
    country: COUNTRY = None,
    share: Annotated[float, typer.Option("--share", min=0.01, max=0.99, help="A single point of failure removes more "
                                                                             "than this share of a pair's direct "
                                                                             "capacity.")] = 0.5,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Dependency metrics per member state (default: every EU member state): international cables, neighbour
    countries and landing-station diversity; power (MW) and gas (GWh/d) interconnection per neighbour; internet
    exchange concentration; supplier and owner concentration (HHI, EU27 / like-minded shares, and how many cables
    have a supplier recorded at all); single points of failure; redundancy (carrier-disjoint paths). CSV: one row
    per country and neighbour with the capacity of each measure."""
    from kompas.core.store import StoreError
    from kompas.services import infra as service

    _fmt(fmt, ("table", "json", "csv"))
    store = _store(db)
    try:
        found = service.assess(store, _viewer(store, user), country or [], share)
    except StoreError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["country", "neighbour", "measure", "value", "unit"])
        for c in found["countries"]:
            for neighbour, count in c["cables"].get("neighbours", {}).items():
                writer.writerow([c["country"], neighbour, "cables", count, "cables"])
            for measure, unit in (("hvdc_mw", "MW"), ("ac_mw", "MW"), ("pipeline_gwh_d", "GWh/d")):
                for neighbour, value in (c["power"].get(measure) or {}).items():
                    writer.writerow([c["country"], neighbour, measure, _number(value), unit])
        typer.echo(out.getvalue(), nl=False)
    else:
        for c in found["countries"]:
            cables, supp = c["cables"], c["suppliers"]
            neighbours = ", ".join(f"{n} {k}" for n, k in cables.get("neighbours", {}).items()) or "-"
            console.print(f"\n{c['country']} {c['name']}: {cables.get('international', 0)} international cables to "
                          f"{cables.get('distinct_neighbours', 0)} countries ({neighbours}), "
                          f"{cables.get('landing_stations', 0)} landing stations", highlight=False, markup=False)
            for measure, label in (("hvdc_mw", "HVDC (rated MW)"),
                                   ("ac_mw", "AC lines (thermal MW, an upper bound, not transfer capacity)"),
                                   ("pipeline_gwh_d", "pipelines (GWh/d)")):
                per = c["power"].get(measure) or {}
                if per:
                    console.print(f"  {label}: " + ", ".join(f"{n} {_number(v)}" for n, v in per.items()),
                                  highlight=False, markup=False)
            coverage = supp.get("coverage", {})
            if coverage.get("total"):
                groups = ", ".join(f"{g.replace('_', '-')} {v:g}%" for g, v in (supp.get("groups") or {}).items()
                                   if v)
                hhi = f"HHI {supp['hhi']:,.0f}" if supp.get("hhi") is not None else "no HHI"
                console.print(f"  suppliers: {hhi}, recorded for {coverage.get('recorded')} of {coverage.get('total')}"
                              f" cables" + (f"; by home country {groups}" if groups else ""), highlight=False,
                              markup=False)
            if c["exchanges"].get("count"):
                x = c["exchanges"]
                console.print(f"  internet exchanges: {x['count']} in {x['buildings']} buildings; top city "
                              f"{x['top_city']['city']} ({x['top_city']['share_pct']}%)", highlight=False,
                              markup=False)
            for point in c["single_points"][:10]:
                console.print(f"  single point: {point['name']} ({point['ref']}): {'; '.join(point['reasons'])}",
                              highlight=False, markup=False)
            if len(c["single_points"]) > 10:
                console.print(f"  ... and {len(c['single_points']) - 10} more single points (--format json)",
                              highlight=False)
    _footer(found, user)


@app.command("stress")
def stress(
    remove: Annotated[list[str] | None, typer.Option("--remove", help="An element to remove: a name, an id or "
                                                                      "kind:id (\"Estlink 2\", C-Lion1, "
                                                                      "landing:hanko-finland; repeatable).")] = None,
    supplier: Annotated[list[str] | None, typer.Option("--supplier", help="Remove everything this supplier built "
                                                                          "(repeatable).")] = None,
    owner: Annotated[list[str] | None, typer.Option("--owner", help="Remove everything this owner owns "
                                                                    "(repeatable).")] = None,
    area: Annotated[Path | None, typer.Option("--area", help="Remove everything in this GeoJSON area: a polygon (a "
                                                             "sea area) or a line with --buffer-km (an anchor "
                                                             "track).", callback=text_file)] = None,
    buffer_km: Annotated[float | None, typer.Option("--buffer-km", min=0.001, max=500.0,
                                                    help="Corridor half-width around the area's lines (km).")] = None,
    country: Annotated[list[str] | None, typer.Option("--country", help="Only the pairs of this country, which "
                                                                        "rows start from (repeatable; default: "
                                                                        "every pair, from the first country of "
                                                                        "each element named).")] = None,
    avoid: Annotated[list[str] | None, typer.Option("--avoid", help="Alternative paths never transit this country "
                                                                    "(repeatable).")] = None,
    record: Annotated[bool, typer.Option("--record", help="Store the result as a stress-test event (needs "
                                                          "--user).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="csv (rows from_country,to_country,kind,before,after,unit), "
                                                      "json (everything: alternatives, exchanges cut) or table.")
                   ] = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """What losing elements costs: per country pair and measure (cables, hvdc_mw, ac_mw, pipeline_gwh_d, ixp) the
    direct capacity before and after, the pairs that can no longer reach each other, alternative paths (json) and
    the internet exchanges cut off. Routes are drawn, not surveyed: an area or buffer is approximate by kilometres
    (printed as a caveat). Unknown or ambiguous names end with exit 2, listing candidates."""
    from kompas.core.store import StoreError
    from kompas.services import infra as service

    _fmt(fmt, ("table", "json", "csv"))
    if record and not user:
        raise typer.BadParameter("recording a stress test needs --user", param_hint="--record")
    text = _area(area, buffer_km)
    store = _store(db)
    try:
        scenario = service.scenario_of(remove or [], supplier or [], owner or [], text, buffer_km, avoid or [])
        found = service.stress(store, _viewer(store, user), scenario, record, country or [], user or "")
    except StoreError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ROW_FIELDS)
        for row in found["rows"]:
            writer.writerow([row["from_country"], row["to_country"], row["kind"], _number(row["before"]),
                             _number(row["after"]), row["unit"]])
        typer.echo(out.getvalue(), nl=False)
    else:
        console.print(f"removed {len(found['removed'])}: " + ", ".join(f"{r['name']} ({r['ref']})"
                                                                       for r in found["removed"][:20])
                      + (" ..." if len(found["removed"]) > 20 else ""), highlight=False, markup=False)
        for row in found["rows"]:
            console.print(f"  {row['from_country']}-{row['to_country']} {row['kind']:15} {_number(row['before']):>9}"
                          f" -> {_number(row['after']):>9} {row['unit']}", highlight=False, markup=False)
        for pair in found["disconnected"]:
            console.print(f"  disconnected ({pair['group']}): {pair['from_country']} - {pair['to_country']}",
                          highlight=False, markup=False)
        for key, alt in found["alternatives"].items():
            how = (f"still reachable leaving through {', '.join(alt['exits']) or '-'}; shortest paths through "
                   f"{', '.join(alt['transit']) or '-'} ({alt['shortest_hops']} hops)") if alt.get("reachable") \
                else "no alternative path"
            console.print(f"  {key}: {how}", highlight=False, markup=False)
        for x in found["exchanges_cut"]:
            console.print(f"  exchange cut off: {x['name']} ({x['city']}, {x['country']})", highlight=False,
                          markup=False)
    hidden = found.get("hidden") or {}
    if hidden.get("rows") or hidden.get("disconnected"):
        err_console.print(f"note: {hidden.get('rows', 0):,} rows and {hidden.get('disconnected', 0):,} disconnected "
                          "pairs of other countries left out (--country)", highlight=False, markup=False)
    if found.get("event_id"):
        err_console.print(f"recorded as event {found['event_id']}" + ("" if found.get("recorded") else
                                                                      " (already recorded)"), highlight=False)
    _footer(found, user)


@app.command("rank")
def rank(
    country: COUNTRY = None,
    area: Annotated[Path | None, typer.Option("--area", help="Only elements in this GeoJSON area (polygon, or line "
                                                             "with --buffer-km).", callback=text_file)] = None,
    buffer_km: Annotated[float | None, typer.Option("--buffer-km", min=0.001, max=500.0,
                                                    help="Corridor half-width around the area's lines (km).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Most elements listed.")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """The elements of a region (carriers joining the countries given, their landing stations and buildings; or
    those in an area) ranked by the damage their loss alone causes: pairs disconnected, pairs left without a direct
    carrier, share of direct capacity removed, exchanges cut off."""
    from kompas.core.store import StoreError
    from kompas.infra.areas import AreaError, parse_area
    from kompas.services import infra as service

    _fmt(fmt, ("table", "json"))
    text = _area(area, buffer_km)
    store = _store(db)
    try:
        shape = parse_area(text, buffer_km, str(area)) if text is not None else None
        found = service.rank(store, _viewer(store, user), country or [], shape, limit)
    except (StoreError, AreaError) as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        for k, item in enumerate(found["ranking"], 1):
            console.print(f"{k:3}. {item['name']} ({item['ref']}): {item['disconnected']} pairs disconnected, "
                          f"{item['pairs_without_direct']} without a direct carrier, capacity share lost "
                          f"{item['capacity_share_lost']}, {item['exchanges_cut']} exchanges cut; "
                          f"{'; '.join(item['pairs'][:3])}", highlight=False, markup=False)
    _footer(found, user)


@app.command("vintages")
def vintages(country: COUNTRY = None,
             fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table") -> None:
    """The June 2021 and late 2022 cable maps compared: cables added, retired and changed (landings, owners,
    suppliers); with --country only those landing in one of the countries."""
    from kompas.core.store import StoreError
    from kompas.services import infra as service

    _fmt(fmt, ("table", "json"))
    try:
        found = service.vintages(country or [])
    except StoreError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        for key in ("added", "retired", "changed"):
            items = found.get(key) or []
            console.print(f"{key}: {len(items)}", highlight=False)
            for item in items[:40]:
                what = "; ".join(f"{field} {', '.join(map(str, change['before'])) or '-'} -> "
                                 f"{', '.join(map(str, change['after'])) or '-'}"
                                 for field, change in item.items() if isinstance(change, dict)
                                 and {"before", "after"} <= set(change) and isinstance(change["before"], list)
                                 and isinstance(change["after"], list))
                console.print(f"  {item.get('name', '')} ({item.get('ref', '')})" + (f": {what}" if what else ""),
                              highlight=False, markup=False)
            if len(items) > 40:
                console.print(f"  ... and {len(items) - 40} more (--format json)", highlight=False)
        if found.get("note"):
            err_console.print(f"note: {found['note']}", highlight=False, markup=False)
    _footer(found, "public")


@app.command("contribute")
def contribute(
    path: Annotated[Path, typer.Argument(help="The elements: Kompas infrastructure CSV or GeoJSON "
                                              "(examples/infra/README.md).", callback=text_file)],
    user: Annotated[str, typer.Option("--user", help="Contributed on behalf of this platform user's "
                                                     "organisation.")],
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Add your organisation's elements (pipelines, capacities, private cables, links) under a marking; they are
    merged into the network of those who may see them, an element with a public id completing and replacing the
    public one. Bad rows are listed as `source: line N: field: reason` and the good ones stored; exit 1 when any
    was rejected."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.services import infra as service

    store = _store(db)
    account = platform_user(store, user)
    marking = _marking(account, classification, tlp, releasable_to, community)
    try:
        done = service.contribute(store, account, read_text(path), str(path), marking)
    except (OSError, StoreError, MarkingError) as error:
        raise _fail(str(error)) from None
    console.print(f"{path}: {len(done['added'])} elements added, {len(done['replaced'])} replaced, "
                  f"{len(done['rejected'])} rejected ({marking.banner()})", highlight=False, markup=False)
    for item in done["rejected"]:
        err_console.print(f"{item['source']}: {item['record']}: {item['field']}: {item['reason']}", highlight=False,
                          markup=False)
    raise typer.Exit(1 if done["rejected"] else 0)


@app.command("elements")
def elements(
    kind: Annotated[str | None, typer.Option("--kind", help="landing, cable, link, building or exchange.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv (the contribution format) or geojson.")
                   ] = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """The contributed elements you may see, newest first, with their markings and contributors (csv and geojson
    write them in the contribution format)."""
    from kompas.infra.contributed import from_dict, to_csv, to_geojson
    from kompas.services import infra as service

    _fmt(fmt, ("table", "json", "csv", "geojson"))
    if kind is not None and kind not in ("landing", "cable", "link", "building", "exchange"):
        raise typer.BadParameter("expected landing, cable, link, building or exchange", param_hint="--kind")
    store = _store(db)
    found = service.contributed(store, _viewer(store, user), kind, None, 10_000)
    if fmt == "json":
        console.print_json(json.dumps(found))
    elif fmt in ("csv", "geojson"):
        items = [from_dict(i["element"]) for i in found["items"]]
        typer.echo(to_csv(items) if fmt == "csv" else json.dumps(to_geojson(items), ensure_ascii=False), nl=False)
    else:
        for item in found["items"]:
            e = item["element"]
            console.print(f"{item['ref']:40} {e.get('name', '')[:40]:40} by {item['contributed_by']} "
                          f"({item['source'][:40]}, {item['added_utc'][:19]})"
                          + (" replaces the public one" if item["replaces_public"] else "")
                          + f"  {item['marking']['banner']}", highlight=False, markup=False)
    for item in found.get("notes", []):
        err_console.print(f"note: {item}", highlight=False, markup=False)
    for source in found.get("sources", []):
        err_console.print(f"source: {source['attribution']}", highlight=False, markup=False)
    err_console.print(f"{len(found['items'])} elements; marking: {found['marking']['banner']}", highlight=False,
                      markup=False)


@app.command("withdraw")
def withdraw(
    user: Annotated[str, typer.Option("--user", help="Withdrawn on behalf of this platform user (their "
                                                     "organisation's elements).")],
    source: Annotated[str | None, typer.Option("--source", help="The name the contribution was sent under (the file "
                                                                "path given to `kompas infra contribute`, or the "
                                                                "API's source).")] = None,
    ref: Annotated[list[str] | None, typer.Option("--ref", help="An element to withdraw as kind:id (repeatable; with "
                                                               "--source: only those of that source).")] = None,
    db: DB = None,
) -> None:
    """Withdraw your organisation's contributed elements (those sent under --source, and/or the elements --ref),
    every marking you may see: the public elements they replaced are back for every reader. Prints each element
    withdrawn; exit 1 when nothing matched."""
    from kompas.cli.compass import platform_user
    from kompas.core.store import StoreError
    from kompas.services import infra as service

    if source is None and not ref:
        raise typer.BadParameter("name what to withdraw: --source or --ref", param_hint="--source")
    store = _store(db)
    account = platform_user(store, user)
    try:
        done = service.withdraw(store, account, source, ref or [])
    except StoreError as error:
        raise _fail(str(error)) from None
    for item in done["withdrawn"]:
        console.print(f"{item['ref']:40} ({item['source'][:60]}, {item['added_utc'][:19]})  "
                      f"{item['marking']['banner']}", highlight=False, markup=False)
    err_console.print(f"{done['count']} elements withdrawn for {account.org}", highlight=False, markup=False)
    raise typer.Exit(0 if done["count"] else 1)


@app.command("incident")
def incident(
    asset: Annotated[list[str], typer.Option("--asset", help="A damaged asset: name, id or kind:id (repeatable).")],
    time_utc: Annotated[str, typer.Option("--time", help="When the damage happened (ISO 8601 UTC).")],
    user: Annotated[str, typer.Option("--user", help="Recorded on behalf of this platform user.")],
    cause: Annotated[str, typer.Option("--cause", help="anchor-drag, sabotage, fishing, accident, technical-failure, "
                                                       "natural or unknown.")] = "unknown",
    vessel: Annotated[str, typer.Option("--vessel", help="A vessel suspected (name, IMO or MMSI): a suspicion, "
                                                         "never an attribution.")] = "",
    lat: Annotated[float | None, typer.Option("--lat", min=-90, max=90, help="Where (degrees).")] = None,
    lon: Annotated[float | None, typer.Option("--lon", min=-180, max=180, help="Where (degrees).")] = None,
    title: Annotated[str, typer.Option("--title", help="A title (default: damage to <assets>).")] = "",
    note: Annotated[str, typer.Option("--note", help="What is known, and from where.")] = "",
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DB = None,
) -> None:
    """Record damage to infrastructure assets as an incident event (domain infra) under a marking, with the stress
    result of losing them: the response engine reads it (kompas respond, /api/v1/events/{id}/options). Computed on
    the public data and the contributions your marking covers."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.services import infra as service

    _fmt(fmt, ("table", "json"))
    store = _store(db)
    account = platform_user(store, user)
    marking = _marking(account, classification, tlp, releasable_to, community)
    fields = {"assets": asset, "time_utc": time_utc, "cause": cause, "vessel": vessel, "lat": lat, "lon": lon,
              "title": title, "note": note}
    try:
        found = service.record_incident(store, account, fields, marking)
    except (StoreError, MarkingError) as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        console.print_json(json.dumps(found))
    else:
        console.print(f"incident {found['id']} ({found['severity']}): "
                      + ", ".join(f"{a['name']} ({a['ref']})" for a in found["assets"])
                      + ("" if found["recorded"] else " (already recorded)"), highlight=False, markup=False)
        for row in found["stress"]["rows"]:
            console.print(f"  {row['from_country']}-{row['to_country']} {row['kind']:15} {_number(row['before']):>9}"
                          f" -> {_number(row['after']):>9} {row['unit']}", highlight=False, markup=False)
    _footer(found, user)


@app.command("report")
def report(
    country: COUNTRY = None,
    scenarios: Annotated[Path | None, typer.Option(
        "--scenarios", help="Stress tests to include: a JSON list of {title, remove, suppliers, owners, avoid, area "
                            "(GeoJSON), buffer_km} (default: the Baltic cases of November and December 2024; [] for "
                            "none).", dir_okay=False)] = None,
    out: Annotated[Path, typer.Option("--out", help="The report: .pdf or .html.", dir_okay=False)] = Path(
        "infra_report.pdf"),
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Write the critical-infrastructure dependency report: the EU picture (supplier coverage and concentration,
    the least connected states, single points of failure), a section per member state (default: the EU27), the
    stress tests, the Baltic elements ranked by damage and the two cable-map vintages; banner-marked with the
    combined marking of the contributions used, the data sources' attribution and licence on every page."""
    from kompas.private import write_private
    from kompas.reports.infra import report as build

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("the report is written as .pdf or .html", param_hint="--out")
    specs = None
    if scenarios is not None:
        from kompas.files import read_text

        try:
            specs = json.loads(read_text(scenarios))
        except OSError as error:
            raise _fail(str(error)) from None
        except json.JSONDecodeError as error:
            raise _fail(f"{scenarios}: line {error.lineno}: not JSON ({error.msg})") from None
        if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
            raise _fail(f"{scenarios}: a JSON list of stress tests (objects) is expected")
    store = _store(db)
    err_console.print(f"writing the report on {', '.join(country) if country else 'the EU27'} ...", highlight=False)
    try:
        done = build(store, _viewer(store, user), tuple(country or ()), specs, fmt)
    except ValueError as error:
        raise _fail(str(error)) from None
    write_private(out, done.content)
    console.print(f"written: {out} ({done.marking.banner()})", highlight=False)
