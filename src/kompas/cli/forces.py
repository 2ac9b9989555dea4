"""`kompas forces`: the Compass's "Act" information systems on contributed data. The register of force elements,
civilian experts, rotation pools and stocks (contributed per member state under markings, editions kept); the Rapid
Deployment Capacity overview and force generation for a crisis (exact, CP-SAT); rotations for a standing mission;
a civilian mission of 200 experts in 30 days; capability planning against scenarios, and the report. The same
service as ``/api/v1/forces/...`` (:mod:`kompas.services.forces`).

Without ``--user`` a command reads as the platform itself (every contribution); with it, as that user may see.
``--example`` reads the shipped ILLUSTRATIVE example set instead (public facts split into invented modules; no open
data exists on national offers). The marking of every answer is printed on standard error.
"""

from __future__ import annotations

import json
from datetime import date
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

app = typer.Typer(help="Forces and people: the register (force elements, civilian experts, rotation pools, stocks) "
                       "contributed under markings, the Rapid Deployment Capacity overview and force generation, "
                       "rotations, 200 civilian experts in 30 days, capability planning and its report.",
                  no_args_is_help=True)

USER_READ = Annotated[str | None, typer.Option("--user", help="Read as this platform user (default: the "
                                                              "platform's own view, every contribution).")]
EXAMPLE = Annotated[bool, typer.Option("--example", help="Use the shipped ILLUSTRATIVE example set instead of the "
                                                         "contributions.")]
EDITION = Annotated[str | None, typer.Option("--edition", help="The register edition (default: the newest "
                                                               "visible).")]
FORMAT = Annotated[str, typer.Option("--format", help="table or json.")]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _note(text: str) -> None:
    err_console.print(text, highlight=False, markup=False)


def _view(db: Any, user: str | None, edition: str | None, example: bool) -> Any:  # noqa: ANN401
    """(store, viewer, RegisterView) for the options."""
    from kompas.services import forces as service

    store = None if example else _store(db)
    viewer = None
    if user and store is not None:
        from kompas.cli.compass import platform_user

        viewer = platform_user(store, user).viewer
    try:
        return store, viewer, service.view(store, viewer, edition, example=example)
    except service.ForcesError as error:
        raise _fail(str(error)) from None


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise _fail(f"--format is table or json (got {fmt!r})")


def _footer(answer: dict[str, Any]) -> None:
    from kompas.core.markings import Marking

    banner = Marking.from_dict(answer["marking"]).banner()
    _note(f"marking: {banner}; edition {answer.get('edition') or '-'}"
          + ("; ILLUSTRATIVE (the example set: public facts split into invented modules)"
             if answer.get("illustrative") else ""))


def _json(answer: Any) -> None:  # noqa: ANN401
    console.print_json(json.dumps(answer, default=str))


@app.command("contribute")
def contribute(
    path: Annotated[Path, typer.Argument(help="Register rows in the Kompas forces format (JSON, or CSV of one "
                                              "section; examples/forces/README.md).", callback=text_file)],
    user: Annotated[str, typer.Option("--user", help="Contributed on behalf of this platform user's "
                                                     "organisation.")],
    edition: Annotated[str | None, typer.Option("--edition", help="The edition (e.g. 2026); required for CSV; for "
                                                                  "JSON it must agree with the text's.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="A title (default: edition, nations and "
                                                              "counts).")] = None,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Add your state's offers (force elements, experts, rotation pools, stocks) under a marking; rows of another
    state are refused (an EU body may file for any). Bad rows are listed (file, line or item, field, reason) and
    the good ones stored; exit 1 when any was rejected. A newer document of the same edition under the same marking
    supersedes your earlier rows of the same nation and section; one under another marking (a restricted add-on)
    stands beside them."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.services import forces as service

    store = _store(db)
    account = platform_user(store, user)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        done = service.contribute(store, account, read_text(path), marking, str(path), edition, title)
    except (StoreError, MarkingError, service.ForcesError, OSError) as error:
        raise _fail(str(error)) from None
    document = store.document_of_contribution(account.viewer, done.id)
    rows = len({(r.source, r.line) for r in done.rejected})
    _say(f"{path}: stored as document {document} ({marking.banner()}; contribution {done.id}), "
         f"{rows} row(s) rejected" + (f" ({len(done.rejected)} problems)" if len(done.rejected) != rows else ""))
    for item in done.rejected:
        _note(str(item))
    raise typer.Exit(1 if done.rejected else 0)


@app.command("editions")
def editions(user: USER_READ = None, example: EXAMPLE = False, fmt: FORMAT = "table", db: DB = None) -> None:
    """The register's editions you may see, with nations and record counts."""
    from kompas.services import forces as service

    _check_format(fmt)
    store = None if example else _store(db)
    viewer = None
    if user and store is not None:
        from kompas.cli.compass import platform_user

        viewer = platform_user(store, user).viewer
    rows = service.editions(store, viewer, example=example)
    if fmt == "json":
        _json(rows)
        return
    if not rows:
        _note("no edition is visible to you (contribute one, or use --example)")
    for r in rows:
        _say(f"{r['edition']}: {len(r['nations'])} nations, {r['elements']} elements, {r['experts']} experts, "
             f"{r['pools']} pools, {r['stocks']} stocks" + (" (ILLUSTRATIVE example)" if r["example"] else
                                                              f" from {r['documents']} document(s)"))


@app.command("overview")
def overview(edition: EDITION = None, user: USER_READ = None, example: EXAMPLE = False, fmt: FORMAT = "table",
             db: DB = None) -> None:
    """The Rapid Deployment Capacity overview: every element you may see, by component, capability (quantity,
    nations, fastest readiness) and nation, with readiness bands."""
    from kompas.services import forces as service

    _check_format(fmt)
    _, _, view = _view(db, user, edition, example)
    answer = service.overview(view)
    if fmt == "json":
        _json(answer)
    else:
        _say(f"edition {answer['edition']}: {answer['elements']} elements, {answer['troops']:,} troops, "
             f"{answer['experts']} experts, {answer['pools']} rotation pools, {answer['stocks']} stock lines")
        _say("by component: " + ", ".join(f"{k} {v['elements']} ({v['troops']:,} troops)"
                                          for k, v in answer["by_component"].items()))
        _say("readiness: " + ", ".join(f"{k} days: {v}" for k, v in answer["readiness_bands"].items()))
        for cap, c in answer["by_capability"].items():
            _say(f"  {cap:30} {c['quantity']:>4} from {len(c['nations']):>2} nation(s), fastest "
                 f"{c['fastest_days']} days")
    _footer(answer)


@app.command("elements")
def elements(capability: Annotated[str | None, typer.Option("--capability", help="Only elements offering this "
                                                                                   "capability code.")] = None,
             nation: Annotated[str | None, typer.Option("--nation", help="Only this nation (ISO alpha-2).")] = None,
             max_readiness: Annotated[int | None, typer.Option("--max-readiness", help="Ready within this many "
                                                                                       "days.", min=0)] = None,
             limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 1000,
             edition: EDITION = None, user: USER_READ = None, example: EXAMPLE = False, fmt: FORMAT = "table",
             db: DB = None) -> None:
    """The force elements you may see, fastest first."""
    from kompas.services import forces as service

    _check_format(fmt)
    from kompas.forces import register

    if capability is not None and capability not in register.capability_codes():
        raise _fail(f"unknown capability code {capability!r} (kompas/data/forces/capabilities.yaml; e.g. "
                    "infantry-company, medical-role2, strategic-airlift)")
    _, _, view = _view(db, user, edition, example)
    answer = service.elements(view, capability, nation.upper() if nation else None, max_readiness, limit)
    if fmt == "json":
        _json(answer)
    else:
        for e in answer["elements"]:
            caps = ", ".join(f"{k} x{v}" for k, v in e["capabilities"].items())
            _say(f"{e['nation']}/{e['id']:24} {e['strength']:>5} troops, ready {e['readiness_days']:>3} d  {caps}")
        _say(f"{answer['total']} element(s)")
    _footer(answer)


@app.command("scenarios")
def scenarios(fmt: FORMAT = "table") -> None:
    """The shipped scenarios (ILLUSTRATIVE: the EU's own are not public; every assumed figure says so)."""
    from kompas.services import forces as service

    _check_format(fmt)
    rows = service.scenario_list()
    if fmt == "json":
        _json(rows)
        return
    for s in rows:
        _say(f"{s['name']:40} {s['response_days']:>4} d response, {s['duration_days']:>4} d, "
             f"{s['environment']}, {s['distance_km']:g} km, {len(s['requirements'])} requirements"
             + (" (ILLUSTRATIVE)" if s["illustrative"] else ""))


@app.command("cases")
def cases(fmt: FORMAT = "table") -> None:
    """The shipped planning cases: scenarios run at the same time, for gaps, trends and the report (--case)."""
    from kompas.services import forces as service

    _check_format(fmt)
    rows = service.case_list()
    if fmt == "json":
        _json(rows)
        return
    for c in rows:
        _say(f"{c['name']:40} " + " + ".join(f"{s['name']} x{s['count']}" for s in c["scenarios"])
             + (f"  ({c['title']})" if c["title"] else ""))
    _note("a scenario's name (kompas forces scenarios) is a case of that scenario alone")


@app.command("generate")
def generate(
    scenario: Annotated[str, typer.Argument(help="A shipped scenario's name (kompas forces scenarios) or a YAML/JSON "
                                                 "file with one scenario.")],
    start: Annotated[str | None, typer.Option("--start", help="The decision day (YYYY-MM-DD): elements must be "
                                                              "available for the whole operation (without it, "
                                                              "availability windows are not checked).")] = None,
    troop_weight: Annotated[int, typer.Option("--troop-weight", min=0, max=1000, help="Objective weight per troop "
                                                                                      "in the force.")] = 2,
    fairness: Annotated[int, typer.Option("--fairness", min=0, max=1000, help="Objective weight per troop of the "
                                                                              "largest national share (0: "
                                                                              "none).")] = 1,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=600, help="Solver limit, "
                                                                                     "seconds.")] = 60.0,
    edition: EDITION = None, user: USER_READ = None, example: EXAMPLE = False, fmt: FORMAT = "table",
    db: DB = None,
) -> None:
    """The best force for a crisis scenario from what you may see: every requirement covered, at most the ceiling
    (5,000 troops for the RDC), readiness within the response time, national caveats respected, the burden spread
    across contributors. When no force can, the fewest requirements that must go uncovered, each with why.
    Exit 1 when infeasible."""
    from kompas.forces.generation import Weights
    from kompas.services import forces as service

    _check_format(fmt)
    _, _, view = _view(db, user, edition, example)
    try:
        chosen = service.scenario_from_argument(scenario)
        day = date.fromisoformat(start) if start else None
        answer = service.generate(view, chosen, Weights(troop_weight, fairness), time_limit, day)
    except ValueError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(answer)
    else:
        _print_generation(answer)
    _footer(answer)
    raise typer.Exit(1 if answer["status"] == "infeasible" else 0)


def _print_generation(a: dict[str, Any]) -> None:
    s = a["scenario"]
    force = "the best force for everything not missing" if a["partial"] else "force"
    _say(f"{s['name']}: {a['status']}; {force}: {a['troops']:,} of at most {a['max_troops']:,} troops, "
         f"{len(a['chosen'])} elements ({a['seconds']} s; {a['considered']} considered, "
         f"{len(a['excluded'])} excluded, {a['irrelevant']} offer none of the capabilities)")
    if a["chosen"]:
        _say("shares: " + ", ".join(f"{n} {t:,}" for n, t in a["shares"].items()))
        for e in a["chosen"]:
            caps = ", ".join(f"{k} x{v}" for k, v in e["capabilities"].items())
            _say(f"  {e['element']:28} {e['strength']:>5} troops, ready {e['readiness_days']:>3} d  {caps}  "
                 f"[{e['marking']}]")
        for c in a["covers"]:
            _say(f"  {c['capability']:30} {c['covered']}/{c['required']}" + (f" ({c['task']})" if c["task"] else ""))
    for m in a["missing"]:
        _say(f"MISSING {m['capability']} x{m['required']}" + (f" ({m['task']})" if m["task"] else "")
             + f": {m['reason']}")
    if a["ceiling_binds"]:
        _say(f"without the {a['max_troops']:,}-troop ceiling every requirement is covered with "
             f"{a['troops_without_ceiling']:,} troops")
    if a["excluded"]:
        _note(f"{len(a['excluded'])} element(s) excluded, e.g. " + "; ".join(
            f"{x['element']}: {x['reason']}" for x in a["excluded"][:3]))


@app.command("sustain")
def sustain(deployed: Annotated[int, typer.Argument(help="Troops (or people) deployed at all times.", min=1)],
            tour: Annotated[int, typer.Option("--tour", min=1, max=60, help="Tour length, months.")] = 6,
            dwell: Annotated[int, typer.Option("--dwell", min=0, max=240, help="Months home between two tours.")] = 12,
            months: Annotated[int | None, typer.Option("--months", min=1, max=1200, help="A finite operation's "
                                                                                          "length, months.")] = None,
            overlap: Annotated[float, typer.Option("--overlap", min=1.0, max=3.0, help="Relief-in-place factor "
                                                                                       "(1: none).")] = 1.0,
            fmt: FORMAT = "table") -> None:
    """The sustainment rules of thumb, no data: the pool that keeps DEPLOYED in the field indefinitely (60,000 with
    6-month tours and 12 months' dwell: 180,000, the Helsinki Headline Goal's "around 180,000"), and with --months
    the distinct people a finite operation deploys (one year: 120,000)."""
    from kompas.services import forces as service

    _check_format(fmt)
    try:
        answer = service.sustainment(deployed, tour, dwell, months, overlap)
    except service.ForcesError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(answer)
        return
    per = answer["units_per_deployed"] * overlap
    _say(f"{deployed:,} deployed, {tour}-month tours, {dwell} months' dwell"
         + (f", overlap {overlap:g}" if overlap != 1 else "") + f": a pool of {answer['pool_steady_state']:,} "
         f"sustains it indefinitely ({per:.3g} per deployed: P = D x (t + w) / t x o)")
    if months is not None:
        _say(f"a {months}-month operation deploys {answer['rotations_needed']:,} distinct people "
             "(D x min(ceil(T / t), 1 + ceil(w / t)): nobody needs to go twice when T <= t + w)")
        if months < tour + dwell:
            _say(f"the two differ because the operation ends before a rested unit could return (t + w = "
                 f"{tour + dwell} months); they agree from {tour + dwell} months on")
    _note("the rules and their published references (Helsinki Headline Goal, RAND): --format json")


@app.command("rotations")
def rotations(
    scenario: Annotated[str | None, typer.Argument(help="A shipped scenario (one position per requirement); or give "
                                                        "--mission.")] = None,
    mission_file: Annotated[Path | None, typer.Option("--mission", help="A mission as JSON: name, start, months, "
                                                                        "decision, positions [{id, capability, "
                                                                        "units | troops | needs}].")] = None,
    start: Annotated[str | None, typer.Option("--start", help="With a scenario: the first day (default: the first "
                                                              "of next month).")] = None,
    decision: Annotated[str | None, typer.Option("--decision", help="With a scenario: when units can first be "
                                                                    "asked (default: today, or the start when it "
                                                                    "is past).")] = None,
    months: Annotated[int | None, typer.Option("--months", min=1, max=120, help="With a scenario: its length "
                                                                                "(default: its duration).")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.5, max=600, help="Solver limit, s.")] = 60.0,
    edition: EDITION = None, user: USER_READ = None, example: EXAMPLE = False, fmt: FORMAT = "table",
    db: DB = None,
) -> None:
    """Rotations for a standing mission from the rotation pools you may see: the tours (tour length and dwell rule
    respected), the gaps forecast month by month, what each contributor is asked for and by when, and the
    sustainment ratio next to the rules of thumb. Exit 1 when a gap is forecast."""
    from kompas.files import read_text
    from kompas.services import forces as service

    _check_format(fmt)
    if (scenario is None) == (mission_file is None):
        raise _fail("give a scenario or --mission FILE")
    _, _, view = _view(db, user, edition, example)
    try:
        if mission_file is not None:
            try:
                data = json.loads(read_text(mission_file))
            except json.JSONDecodeError as exc:
                raise _fail(f"{mission_file}: not JSON ({exc})") from None
            mission = service.rotation_mission_from_data(data, str(mission_file))
        else:
            today = date.today()
            first = date(today.year + today.month // 12, today.month % 12 + 1, 1)
            begin = date.fromisoformat(start) if start else first
            asked = date.fromisoformat(decision) if decision else min(today, begin)
            mission = service.rotation_mission(service.scenario_named(scenario or ""), begin, months, asked)
        answer = service.rotations(view, mission, time_limit)
    except (ValueError, OSError) as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(answer)
    else:
        _print_rotations(answer)
    _footer(answer)
    raise typer.Exit(1 if answer.get("first_gap") else 0)


def _print_rotations(a: dict[str, Any]) -> None:
    m = a["mission"]
    _say(f"{m['name']}: {m['months']} months from {m['start']} (decided {m.get('decision') or m['start']}); "
         f"{a['status']}; {a['filled_unit_months']:,} of {a['needed_unit_months']:,} unit-months filled")
    gap = a["first_gap"]
    if gap:
        ahead = gap["months_ahead"]
        _say(f"first gap: month {gap['month']} ({gap['start']}, {ahead} month{'s' if ahead != 1 else ''} after the "
             "decision): "
             + ", ".join(f"{k} {v}" for k, v in gap["shortfall"].items()))
    short: dict[str, list[int]] = {}
    for g in a["gaps"]:
        if g["shortfall"]:
            short.setdefault(g["position"], []).append(g["month"])
    for position, months in short.items():
        _say(f"  gap {position}: {len(months)} month(s), months {months[0]}..{months[-1]}")
    _say("sustainment (distinct units / most deployed at once):")
    for s in a["sustainment"]:
        if s["capability"] and s["deployed_at_once"]:
            rule = s["rules"][0] if s["rules"] else {}
            _say(f"  {s['capability']:28} {s['distinct_units']:>3} / {s['deployed_at_once']:<3} = {s['ratio']:.2f}"
                 f"  (indefinitely: {rule.get('units_per_deployed_steady_state', '-')})")
    _say("asks per contributor (ask by = tour start - readiness):")
    for nation in a["asks"]:
        _say(f"  {nation['nation']}: {nation['units']} unit(s), {nation['unit_months']} unit-months, first ask "
             f"{nation['first_ask']}; " + "; ".join(f"{t['capability']} {t['start']}..{t['end']} by {t['ask_by']}"
                                                    for t in nation["asks"][:3])
             + (" ..." if len(nation["asks"]) > 3 else ""))


@app.command("deploy")
def deploy(
    scenario: Annotated[str | None, typer.Argument(help="A shipped civilian scenario (default "
                                                        "civilian-200-in-30).")] = None,
    decision: Annotated[str | None, typer.Option("--decision", help="The Council decision (YYYY-MM-DD; default "
                                                                    "today, the example set: 1 March of its "
                                                                    "edition).")] = None,
    deadline: Annotated[int | None, typer.Option("--deadline", min=0, max=3650, help="Days after the decision "
                                                                                     "(default: the scenario's "
                                                                                     "response time).")] = None,
    call_lead: Annotated[int, typer.Option("--call-lead", min=0, max=365, help="Days before the decision the call "
                                                                               "for contributions went out.")] = 0,
    runs: Annotated[int, typer.Option("--runs", min=100, max=100_000, help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    levers: Annotated[bool, typer.Option("--levers/--no-levers", help="Also what would shorten it.")] = True,
    edition: EDITION = None, user: USER_READ = None, example: EXAMPLE = False, fmt: FORMAT = "table",
    db: DB = None,
) -> None:
    """A civilian mission (200 experts in 30 days) from the roster and stocks you may see: the day-by-day plan with
    its critical path, the probability of meeting the deadline by simulation, and what would shorten it; every
    assumed parameter listed. Exit 1 when the plan misses the deadline."""
    from kompas.services import forces as service

    _check_format(fmt)
    _, _, view = _view(db, user, edition, example)
    try:
        chosen = service.scenario_named(scenario) if scenario else None
        day = date.fromisoformat(decision) if decision else service.default_decision(view)
        mission = service.civilian_mission(chosen, day, deadline, call_lead)
        answer = service.deploy(view, mission, runs, seed, levers)
    except ValueError as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(answer)
    else:
        _print_deployment(answer)
    _footer(answer)
    raise typer.Exit(0 if answer["plan"]["feasible"] else 1)


def _print_deployment(a: dict[str, Any]) -> None:
    p, s = a["plan"], a["simulation"]
    m = p["mission"]
    done = (f"the {m['size']}th expert in theatre on day {p['completion_day']:.1f}" if p["completion_day"] is not None
            else "the mission cannot be filled")
    _say(f"{m['name'] or 'mission'}: {m['size']} experts by day {m['deadline_days']} after {m['decision']}: "
         f"{'feasible' if p['feasible'] else 'NOT feasible'}, {done}; bottleneck {p['bottleneck']}")
    if p["shortfall"]:
        _say("roster short: " + ", ".join(f"{k} {v}" for k, v in p["shortfall"].items()))
    _say(f"P(in theatre by day {s['deadline_days']}) = {s['probability']:.3f} (95% {s['ci_low']:.3f}-"
         f"{s['ci_high']:.3f}, {s['runs']:,} runs); day of the last arrival, percentiles: "
         + ", ".join(f"{k}%: {'never' if v is None else f'{v:.1f}'}" for k, v in s["percentiles"].items())
         + (" ('never': in that share of runs the mission is never filled)" if None in s["percentiles"].values()
            else ""))
    _say("critical path (the last expert's chain):")
    for step in p["critical_path"]:
        _say(f"  day {step['start_day']:>6.1f} - {step['end_day']:>6.1f}  {step['stage']:16} {step['who']:14} "
             f"{step['note']}")
    if a.get("levers"):
        _say("what would shorten it (alone, the same random draws):")
    for lever in (a.get("levers") or [])[:6]:
        gain = lever["gain_plan_days"]
        saves = "-" if gain is None else f"saves {gain:.1f} days" if gain > 0 else "saves nothing"
        day = f"{lever['plan_day']:.1f}" if lever["plan_day"] is not None else "-"
        _say(f"  {lever['lever']:24} plan day {day} ({saves}), P {lever['probability']:.3f}: "
             f"{lever['description']}")
    _note("assumed (no public figure): " + ", ".join(a["assumed"]) if a.get("assumed") else "")


from kompas.cli import forces_report  # noqa: E402 (registers `report` on this app; it imports this module's options)

forces_report.register(app)
