"""`kompas exercise`: the space exercise programme (issue 29). The multi-annual plan, a break-up with the NASA
Standard Breakup Model, a scenario built by the engines (break-up and conjunction surge, GNSS interference surge,
cyber intrusion on a ground segment, hostile approach), its master scenario events list, the release of its injects
and the after-action review. The same service as ``/api/v1/exercises/...`` (:mod:`kompas.services.exercise`).

Everything an exercise makes is marked ``EXERCISE <CODE>`` and reaches only its participants, in its context (the
API's ``X-Kompas-Exercise`` header; for every other command, the environment variable ``KOMPAS_EXERCISE``).
"""

from __future__ import annotations

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
    progress_bar,
    text_file,
    utc_time,
)

app = typer.Typer(help="Space exercises: the multi-annual plan, break-ups (NASA Standard Breakup Model), scenarios "
                       "built by the engines, their master scenario events list, injects released onto the "
                       "platform marked EXERCISE, and the after-action review.", no_args_is_help=True)

USER = Annotated[str, typer.Option("--user", help="Act as this platform user (their organisation must take part in "
                                                  "the exercise).")]
CODE = Annotated[str, typer.Argument(help="The exercise's code, e.g. SPX27-TECH.")]
FORMAT = Annotated[str, typer.Option("--format", help="table or json.")]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _json(answer: Any) -> None:  # noqa: ANN401 (JSON)
    console.print_json(json.dumps(answer, default=str))


def _check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json")) -> None:
    if fmt not in allowed:
        raise typer.BadParameter(f"{fmt!r}: expected {' or '.join(allowed)}", param_hint="--format")


@app.command("plan")
def plan(path: Annotated[Path | None, typer.Option("--plan", help="A plan file (default: the shipped "
                                                                    "ILLUSTRATIVE plan 2027-2030).",
                                                   callback=text_file)] = None,
         fmt: FORMAT = "table") -> None:
    """The multi-annual plan of space security and defence exercises by year and level, with the precedents it
    builds on (real, verified or not) and the plan-level findings. Exit 1 when the plan has rejections."""
    from kompas.services import exercise as service

    _check_format(fmt)
    view = service.plan_view(path)
    if fmt == "json":
        _json(view)
    else:
        console.print(view["title"], highlight=False, markup=False)
        for e in view["exercises"]:
            objectives = "; ".join(f"{o['id']} {o['workflow']}:{'/'.join(o['steps'])}"
                                   + (" (Art. 42(7))" if o.get("art_42_7") else "") for o in e["objectives"])
            console.print(f"  {e['year']} {e['code']:<12} {e['level']:<20} {e['kind']:<12} {e['scenario']:<15} "
                          f"{objectives}", highlight=False, markup=False)
        for f in view["findings"]:
            err_console.print(f"finding: {f}", highlight=False, markup=False)
        for r in view["rejections"]:
            err_console.print(f"rejected: {r}", highlight=False, markup=False)
    raise typer.Exit(1 if view["rejections"] else 0)


@app.command("breakup")
def breakup(
    catalog: Annotated[Path, typer.Option("--catalog", help="Element sets (TLE/3LE, or OMM .json/.xml) holding the "
                                                            "object.", callback=text_file)],
    norad_id: Annotated[int, typer.Option("--object", help="The NORAD id of the object that breaks up.", min=1)],
    epoch: Annotated[str | None, typer.Option("--epoch", help="When, ISO 8601 UTC (default: its newest element "
                                                              "set).", callback=utc_time)] = None,
    kind: Annotated[str, typer.Option("--kind", help="collision or explosion.")] = "collision",
    mass_kg: Annotated[float | None, typer.Option("--mass-kg", help="The object's mass, kg (needed: no mass table "
                                                                    "is shipped).")] = None,
    min_size_m: Annotated[float, typer.Option("--min-size-m", help="The smallest fragment generated, m.")] = 0.1,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the same seed, the same fragments).")] = 0,
    fragments: Annotated[int, typer.Option("--fragments", help="How many fragments to list.", min=0)] = 20,
    fmt: FORMAT = "table",
) -> None:
    """A break-up with the NASA Standard Breakup Model (Johnson et al. 2001): fragments of at least --min-size-m
    with size, area-to-mass and delta-v, the model's expected count, and each fragment's orbit (SGP4 elements
    fitted to its state) or fate. Example: kompas exercise breakup --catalog active.tle --object 13552
    --epoch 2021-11-15T02:47:31Z --mass-kg 1750."""
    from kompas.services import exercise as service

    _check_format(fmt)
    if kind not in ("collision", "explosion"):
        raise typer.BadParameter(f"{kind!r}: expected collision or explosion", param_hint="--kind")
    try:
        found = service.run_breakup(service.read_catalog(catalog), norad_id, epoch, kind, mass_kg, min_size_m, seed)
    except (service.ExerciseError, OSError, ValueError) as error:
        raise _fail(str(error)) from None
    view = service.breakup_view(found, fragments)
    if fmt == "json":
        _json(view)
        return
    s = view["summary"]
    console.print(f"{s['kind']} break-up of {s['parent_name']} ({s['parent_norad_id']}) at {s['epoch_utc']}, mass "
                  f"{s['mass_kg']:g} kg ({s['mass_source']})", highlight=False, markup=False)
    console.print(f"model: {s['expected_count']:.0f} fragments >= {s['min_size_m']:g} m expected; generated "
                  f"{s['generated']} ({s['dropped_for_mass']} left out to conserve mass); fates "
                  f"{json.dumps(s['fates'])}", highlight=False, markup=False)
    console.print(f"{'size m':>8} {'A/M m2/kg':>10} {'mass kg':>10} {'dv m/s':>8}  fate", highlight=False,
                  markup=False)
    for row in view["fragments"]:
        console.print(f"{row['size_m']:>8.3f} {row['area_to_mass_m2_kg']:>10.4f} {row['mass_kg']:>10.4f} "
                      f"{row['delta_v_m_s']:>8.1f}  {row['status']}", highlight=False, markup=False)
    err_console.print(view["label"], highlight=False, markup=False)


@app.command("build")
def build(
    scenario: Annotated[Path, typer.Argument(help="The scenario, YAML or JSON (examples/exercise/).",
                                             callback=text_file)],
    user: USER,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "GREEN",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    fmt: FORMAT = "table",
    db: DB = None,
) -> None:
    """Register the exercise (your organisation and the scenario's participants take part) and build its scenario
    with the engines: the break-up and the screening of its fragments against the protected assets (conjunctions
    stored), the GNSS surge, the intrusion, the approach; the master scenario events list is stored. Everything is
    marked EXERCISE and the given marking."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.services import exercise as service

    _check_format(fmt)
    store = _store(db)
    account = platform_user(store, user)
    try:
        spec = service.parse_scenario(read_text(scenario), str(scenario))
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        with progress_bar(f"building {spec.code}", 100) as advance:
            built = service.build(store, account, spec, marking,
                                  progress=lambda step, done, total: advance(100.0 * done / max(total, 1)))
    except (service.ExerciseError, StoreError, MarkingError, OSError) as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(built.as_dict())
        return
    console.print(f"exercise {built.code}: {len(built.msel.schedule)} injects, MSEL document {built.document_id}",
                  highlight=False, markup=False)
    for note in built.notes:
        console.print(f"  {note}", highlight=False, markup=False)
    for r in built.rejections:
        err_console.print(f"rejected: {r}", highlight=False, markup=False)
    err_console.print(built.marking.banner(), highlight=False, markup=False)


@app.command("msel")
def msel(code: CODE, user: USER, fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
         db: DB = None) -> None:
    """The exercise's master scenario events list, with each inject's release; csv is the controllers' sheet
    (serial, time, from, to, method, inject, expected action)."""
    from kompas.cli.compass import platform_user
    from kompas.core.store import StoreError
    from kompas.exercise.msel import msel_csv
    from kompas.services import exercise as service

    _check_format(fmt, ("table", "json", "csv"))
    store = _store(db)
    account = platform_user(store, user)
    try:
        if fmt == "csv":
            found, _, marking = service.stored_msel(store, account, code)
            typer.echo(msel_csv(found), nl=False)
            err_console.print(marking.banner(), highlight=False, markup=False)
            return
        view = service.msel_view(store, account, code)
    except (service.ExerciseError, StoreError) as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(view)
        return
    for row in view["injects"]:
        state = f"released {row['released_utc']}" if row["released_utc"] else ("due" if row["due"] else "pending")
        console.print(f"{row['serial']:>3} {row['time']} {row['inject_id']:<11} {state:<35} {row['inject'][:80]}",
                      highlight=False, markup=False)
    err_console.print(view["marking"]["banner"], highlight=False, markup=False)


@app.command("run")
def run(code: CODE, user: USER,
        until: Annotated[str | None, typer.Option("--until", help="Release the injects due by this time, ISO 8601 "
                                                                  "UTC (default: now).", callback=utc_time)] = None,
        db: DB = None) -> None:
    """Release the exercise's due injects onto the platform as events marked EXERCISE (each once; run it again as
    the exercise goes on)."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.services import exercise as service

    store = _store(db)
    account = platform_user(store, user)
    try:
        done = service.release(store, account, code, until)
    except (service.ExerciseError, StoreError, MarkingError) as error:
        raise _fail(str(error)) from None
    console.print(f"exercise {done['exercise']}: released {len(done['released'])} injects "
                  f"({', '.join(done['released']) or 'none'}); {done['already']} already out, {done['pending']} "
                  "pending", highlight=False, markup=False)
    err_console.print(done["marking"]["banner"], highlight=False, markup=False)


@app.command("review")
def review(code: CODE, user: USER,
           lessons: Annotated[Path | None, typer.Option("--lessons", help="Lessons, YAML or JSON: lessons: a list of "
                                                                           "{text, owner, due (YYYY-MM-DD), "
                                                                           "objective}.",
                                                        callback=text_file)] = None,
           fmt: FORMAT = "table", db: DB = None) -> None:
    """The after-action review: when the platform raised each inject, when each expected response step was taken
    (on time, late, missed), each objective met or not; --lessons become commitments-register entries."""
    from datetime import date

    from kompas.cli.compass import platform_user
    from kompas.core.store import StoreError
    from kompas.exercise.review import Lesson
    from kompas.files import read_text
    from kompas.services import exercise as service
    from kompas.texts import yaml_mapping

    _check_format(fmt)
    store = _store(db)
    account = platform_user(store, user)
    try:
        items = [] if lessons is None else list(yaml_mapping(read_text(lessons), str(lessons)).get("lessons") or [])
        taught = [Lesson(str(x["text"]), str(x["owner"]), date.fromisoformat(str(x["due"])),
                         str(x.get("objective", ""))) for x in items]
        answer = service.review(store, account, code, taught)
    except (service.ExerciseError, StoreError, OSError, ValueError, KeyError, TypeError) as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        _json(answer)
        return
    t = answer["totals"]
    console.print(f"exercise {code}: {t['injects']} injects, {t['raised']} raised on time or after, "
                  f"{t['not_raised']} not raised; {t['steps_expected']} expected steps: {t['on_time']} on time, "
                  f"{t['late']} late, {t['missed']} missed ({t['on_time_pct']:.0f} % on time)",
                  highlight=False, markup=False)
    for o in answer.get("objectives") or []:
        console.print(f"  objective {o.get('id')}: {o.get('status')}", highlight=False, markup=False)
    err_console.print(answer["marking"]["banner"], highlight=False, markup=False)
