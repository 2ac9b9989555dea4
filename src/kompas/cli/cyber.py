"""`kompas cyber`: share cyber incidents (MISP, STIX 2.1, Kompas JSON) under their markings, list and export them,
read members' sightings merged per indicator, declare inventories and see their exposure to CISA's Known Exploited
Vulnerabilities, and rank ATT&CK groups as leads. The same service as ``/api/v1/cyber/...``
(:mod:`kompas.services.cyber`)."""

from __future__ import annotations

import datetime as dt
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
)

app = typer.Typer(help="Cyber situational awareness: incidents shared under markings (MISP, STIX 2.1), sightings, "
                       "exposure to known exploited vulnerabilities, ATT&CK actors as leads.")

FMT = Annotated[str, typer.Option("--format", help="json or table.")]
USER_READ = Annotated[str | None, typer.Option("--user", help="Read as this platform user (default: the "
                                                              "platform's own view).")]


def _marking(account: Any, classification: str, tlp: str, releasable_to: list[str] | None,  # noqa: ANN401
             community: list[str] | None) -> Any:  # noqa: ANN401 (Marking)
    from kompas.core.markings import Marking, MarkingError

    try:
        return Marking.build(classification, tlp, releasable_to, community or [], account.org)
    except MarkingError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None


def _viewer(store: Any, user: str | None) -> Any:  # noqa: ANN401
    from kompas.cli.compass import platform_user

    return platform_user(store, user).viewer if user else None


def _fmt(fmt: str) -> str:
    if fmt not in ("json", "table"):
        raise typer.BadParameter("expected json or table", param_hint="--format")
    return fmt


@app.command("ingest")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="MISP event files, STIX 2.1 bundles or Kompas incident JSON "
                                                     "(folders and glob patterns are expanded).",
                                                callback=input_files)],
    user: Annotated[str, typer.Option("--user", help="Shared on behalf of this platform user.")],
    fmt: Annotated[str | None, typer.Option("--format", help="misp, stix or json (default: recognised from the "
                                                             "content).")] = None,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Share cyber incidents and sightings. MISP events keep their tags (TLP, PAP, admiralty scale, estimative
    language, EUCI, RSIT, NIS2) and STIX bundles their marking definitions as Kompas markings; the marking options
    apply to Kompas JSON records that name none. Your organisation becomes the originator. Each incident is also a
    platform event (domain cyber), and sightings are merged per indicator without naming you to other
    organisations. Bad records are listed as `source: item N: field: reason` and the good ones shared; the exit
    code is 1 when any was rejected."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.services import cyber as service

    store = _store(db)
    account = platform_user(store, user)
    marking = _marking(account, classification, tlp, releasable_to, community)
    rejected = 0
    for path in paths:
        try:
            done = service.ingest(store, account, read_text(path), str(path), fmt, marking)
        except (OSError, StoreError, MarkingError) as error:
            err_console.print(f"error: {error}", highlight=False)
            raise typer.Exit(2) from None
        if done.format != "json" and (classification, tlp, releasable_to, community) != (
                "UNCLASSIFIED", "AMBER", None, None):
            console.print(f"  note: {path} is {done.format}: its own markings were used, not the marking options",
                          highlight=False)
        console.print(f"{path}: {done.format}: {len(done.added)} incidents shared, {len(done.replaced)} updated, "
                      f"{done.sightings} sightings, {len(done.rejected)} rejected", highlight=False)
        for note in done.notes:
            console.print(f"  note: {note}", highlight=False)
        for rejection in done.rejected:
            err_console.print(str(rejection), highlight=False)
        rejected += len(done.rejected)
    raise typer.Exit(1 if rejected else 0)


@app.command("incidents")
def incidents(
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Most incidents listed.")] = 50,
    rsit_class: Annotated[str | None, typer.Option("--rsit-class", help="Only this RSIT class (e.g. fraud).")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Only this NIS2 sector (e.g. energy).")] = None,
    member_state: Annotated[str | None, typer.Option("--member-state", help="Only those affecting this member state "
                                                                            "(ISO code, e.g. DE).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only from this day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only up to this day (YYYY-MM-DD).")] = None,
    fmt: FMT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """The shared incidents you may see, newest first: RSIT class and type, NIS2 sectors, member states, the
    NIS2 reporting clocks (early warning 24 h, notification 72 h, final report one month) and the marking."""
    from kompas.services import cyber as service

    store = _store(db)
    for day, option in ((since, "--since"), (until, "--until")):
        if day is not None:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise typer.BadParameter(f"{day!r} is not a day YYYY-MM-DD", param_hint=option) from None
    found = service.incident_list(store, _viewer(store, user), limit, rsit_class=rsit_class, sector=sector,
                                  member_state=member_state.upper() if member_state else None, since=since,
                                  until=until)
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    for item in found["items"]:
        clocks = "; ".join(f"{c['report']} {c['status']}" for c in item["nis2_clocks"]) or "no NIS2 clock"
        console.print(f"{item['date']}  {item['id']}  [{item['rsit_class'] or '-'}/{item['rsit_type'] or '-'}]  "
                      f"{item['title'][:70]}  ({', '.join(item['nis2']['sectors']) or '-'}; "
                      f"{', '.join(item['member_states']) or '-'}; {clocks})  {item['marking']['banner']}",
                      highlight=False, markup=False)
    err_console.print(f"{len(found['items'])} incidents; marking: {found['marking']['banner']}"
                      + ("" if user else " (the platform's own view: every record; --user reads as a user)"),
                      highlight=False)


@app.command("export")
def export(
    incident: Annotated[list[str], typer.Option("--incident", help="An incident's id (repeat for several: STIX "
                                                                   "only).")],
    out: Annotated[Path, typer.Option("--out", help="The file: .misp.json (MISP event) or .json (STIX 2.1 "
                                                    "bundle).", dir_okay=False)],
    fmt: Annotated[str, typer.Option("--format", help="misp or stix.")] = "stix",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Export incidents as you may see them (their observables, the sightings you may see, observers you may not
    know left out) as a MISP event or a STIX 2.1 bundle carrying their markings; exit 2 for an incident you may
    not see."""
    from kompas.core.store import StoreError
    from kompas.private import write_private
    from kompas.services import cyber as service

    if fmt not in ("misp", "stix"):
        raise typer.BadParameter("expected misp or stix", param_hint="--format")
    if out.name.endswith(".misp.json") and fmt != "misp":
        raise typer.BadParameter(f"{out.name} names a MISP event: give --format misp (or another name)",
                                 param_hint="--out")
    store = _store(db)
    try:
        found = service.export(store, _viewer(store, user), incident, fmt)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if found is None:
        err_console.print("error: an incident you may not see (or none with that id)", highlight=False)
        raise typer.Exit(2)
    data, marking = found
    write_private(out, json.dumps(data, indent=1, ensure_ascii=False).encode())
    console.print(f"written: {out} ({marking.banner()})", highlight=False)


@app.command("sightings")
def sightings(
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Most indicators (newest sighted "
                                                                        "first).")] = 50,
    fmt: FMT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Members' sightings merged per indicator as you may see them: how many, first and last seen, the observers
    you may know and how many sightings are undisclosed."""
    from kompas.services import cyber as service

    store = _store(db)
    found = service.indicators(store, _viewer(store, user), None, limit)
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    for item in found:
        console.print(f"{item['type']:12} {item['value'][:60]:60} {item['count']:4} sightings x{item['sightings']}  "
                      f"{item['first_seen_utc']} .. {item['last_seen_utc']}  by {', '.join(item['observers']) or '-'}"
                      f" (+{item['undisclosed']} undisclosed)  {item['marking']['banner']}", highlight=False,
                      markup=False)


@app.command("inventory")
def inventory(
    path: Annotated[Path, typer.Argument(help="Your inventory: the Kompas inventory CSV (member, cpe, declared"
                                              "[, assets, criticality, note]).", dir_okay=False)],
    user: Annotated[str, typer.Option("--user", help="Declared on behalf of this platform user's "
                                                     "organisation.")],
    classification: CLASSIFICATION_OPTION = "RESTRICTED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Declare the products your organisation runs (CPE 2.3 names) under a marking (RESTRICTED by default: an
    inventory tells where to attack), replacing your declaration under that marking. Rows of other members and bad
    rows are listed as `file:line: field: reason`; exit 1 when any was rejected."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.services import cyber as service

    store = _store(db)
    account = platform_user(store, user)
    marking = _marking(account, classification, tlp, releasable_to, community)
    try:
        count, rejected = service.declare_inventory(store, account, read_text(path), str(path), marking)
    except (OSError, StoreError, MarkingError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"{path}: {count} products declared for {account.org} ({marking.banner()})", highlight=False)
    for rejection in rejected:
        err_console.print(str(rejection), highlight=False)
    raise typer.Exit(1 if rejected else 0)


@app.command("exposure")
def exposure(
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day (YYYY-MM-DD; default today).")] = None,
    member: Annotated[str | None, typer.Option("--member", help="One member's exposure only.")] = None,
    inventory_files: Annotated[list[Path] | None, typer.Option(
        "--inventory", help="Inventory CSV files to match instead of the platform's declarations (nothing "
                            "stored).", dir_okay=False)] = None,
    fmt: FMT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Exposure to CISA's Known Exploited Vulnerabilities: per member and in aggregate, from the declarations you
    may see (or from --inventory files): each CVE matched, since when (the later of its addition to KEV and the
    declaration), CISA's due date, ransomware use. KEV names no versions: every match is "potentially exposed -
    verify the version"."""
    from kompas.services import cyber as service

    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a day YYYY-MM-DD", param_hint="--as-of") from None
    if inventory_files:
        found = service.exposure_of_files(inventory_files, day)
    else:
        store = _store(db)
        found = service.exposure_view(store, _viewer(store, user), day, member)
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    agg = found["aggregate"]
    console.print(f"KEV {found['catalogue_version']}, as of {found['as_of']}: {agg['members_exposed']} of "
                  f"{agg['members']} members exposed, {agg['exposures']} exposures to {agg['cves']} CVEs "
                  f"({agg['ransomware_cves']} used by ransomware), {agg['overdue']} past CISA's due date; "
                  f"{found['status']}", highlight=False)
    for m in found["members"]:
        console.print(f"\n{m['member']}: {m['matched']} of {m['declared']} products matched, "
                      f"{len(m['exposures'])} CVEs", highlight=False)
        worst = sorted(m["exposures"], key=lambda e: e["exposed_since"], reverse=True)
        worst = sorted(worst, key=lambda e: e["ransomware"] != "Known")  # ransomware first, then the newest
        for e in worst[:15]:
            console.print(f"  {e['cve_id']:16} {e['vendor_project']} {e['product']}: {e['vulnerability_name'][:60]} "
                          f"(since {e['exposed_since']}, due {e['due_date']}"
                          f"{', ransomware' if e['ransomware'] == 'Known' else ''})", highlight=False, markup=False)
        if len(m["exposures"]) > 15:
            console.print(f"  ... and {len(m['exposures']) - 15} more (--format json)", highlight=False)
    for note in found.get("notes", []):
        err_console.print(f"note: {note}", highlight=False)
    if "marking" in found:
        err_console.print(f"marking: {found['marking']['banner']}", highlight=False)


@app.command("actors")
def actors(
    techniques: Annotated[str, typer.Option("--techniques", help="ATT&CK technique ids, comma-separated "
                                                                 "(T1566,T1059.001).")] = "",
    malware: Annotated[str, typer.Option("--malware", help="Malware or tool names or S-ids, comma-separated.")] = "",
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Most groups listed.")] = 10,
    campaigns: Annotated[bool, typer.Option("--campaigns", help="Rank ATT&CK campaigns instead of groups.")] = False,
    fmt: FMT = "table",
) -> None:
    """ATT&CK groups ranked by overlap with the techniques and software of an incident (rare ones count more,
    software more than techniques): each with group_id (G0034), name, score and the shared techniques and
    software. An analyst's lead, never an attribution: member states record attributions."""
    from kompas.core.store import StoreError
    from kompas.services import cyber as service

    try:
        found = service.actors(techniques.split(","), malware.split(","), top, campaigns)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    console.print(f"{found['label']} ({found['method']})", highlight=False)
    for k, lead in enumerate(found["leads"], 1):
        ident = lead.get("group_id") or lead.get("campaign_id")
        console.print(f"{k:2}. {ident} {lead['name']}: score {lead['score']:.3f}; techniques "
                      f"{', '.join(lead['shared_techniques']) or '-'}; software "
                      f"{', '.join(lead['shared_software']) or '-'}", highlight=False, markup=False)
    for note in found["notes"]:
        err_console.print(f"note: {note}", highlight=False)


@app.command("report")
def report(
    since: Annotated[str, typer.Option("--since", help="First day (YYYY-MM-DD, included).")],
    until: Annotated[str, typer.Option("--until", help="Last day (YYYY-MM-DD, included).")],
    out: Annotated[Path, typer.Option("--out", help="The report: .pdf or .html.", dir_okay=False)] = Path(
        "cyber_report.pdf"),
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Write the periodic cyber threat report: incidents per week, NIS2 sector, RSIT class and member state, the
    NIS2 clocks, surges, techniques and software, indicators sighted by several members, exposure to known
    exploited vulnerabilities, the EU cyber sanctions and the ATT&CK groups they concern; banner-marked with the
    combined marking of everything it used."""
    from kompas.core.store import StoreError
    from kompas.private import write_private
    from kompas.services import cyber as service

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("the report is written as .pdf or .html", param_hint="--out")
    store = _store(db)
    try:
        done = service.report(store, _viewer(store, user), since, until, fmt)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    write_private(out, done.content)
    console.print(f"written: {out} ({done.marking.banner()})", highlight=False)


@app.command("campaigns")
def campaigns(
    since: Annotated[str, typer.Option("--since", help="First day (YYYY-MM-DD).")],
    until: Annotated[str, typer.Option("--until", help="Last day (YYYY-MM-DD).")],
    threshold: Annotated[float, typer.Option("--threshold", min=0.01, max=1.0, help="Similarity to link two "
                                                                                   "incidents.")] = 0.4,
    fmt: FMT = "table",
    user: USER_READ = None,
    db: DB = None,
) -> None:
    """Candidate campaigns: the incidents you may see in the period (the newest 300) linked across members by
    shared techniques, software and infrastructure, with the ATT&CK groups their pooled evidence points to. An
    analyst's lead, never an attribution."""
    from kompas.core.store import StoreError
    from kompas.services import cyber as service

    store = _store(db)
    try:
        found = service.campaigns(store, _viewer(store, user), since, until, threshold)
    except StoreError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    console.print(f"{len(found['candidates'])} candidate campaigns among {found['compared']} incidents "
                  f"(threshold {threshold}); a lead, not an attribution", highlight=False)
    for k, c in enumerate(found["candidates"], 1):
        leads = ", ".join(f"{lead['group_id']} {lead['name']}" for lead in c["leads"]) or "-"
        console.print(f"\n{k}. {len(c['incidents'])} incidents sharing {', '.join(c['shared'][:6]) or '-'}; "
                      f"ATT&CK leads: {leads}  {c['marking']['banner']}", highlight=False, markup=False)
        for i in c["incidents"]:
            console.print(f"   {i['date']} {i['id']} {i['title'][:70]} (shared by {i['shared_by']})", highlight=False,
                          markup=False)
