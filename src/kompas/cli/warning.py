"""`kompas warning`: early warning of armed conflict, scored as the VIEWS 2023/24 prediction challenge scores it,
and the climate-security watchlist. The same service as the API (:mod:`kompas.services.warning`).

``evaluate`` prints, per model, the mean CRPS, IGN and MIS over a window's country-months (the four challenge
benchmarks rebuilt from the actuals, and Kompas's own model); ``forecast`` a window's forecast per country;
``warnings`` the warnings the thresholds raise (as envelope events with ``--format json``); ``watchlist`` the
climate-security watchlist and its changes. The citations of the data used (VIEWS, UCDP, and the context sources)
are printed on standard error after every answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from kompas.cli.common import console, err_console, progress_bar

app = typer.Typer(help="Early warning of armed conflict: country-month forecasts of state-based conflict deaths "
                       "scored as the VIEWS 2023/24 challenge does (CRPS, ignorance score, mean interval score) "
                       "against its four benchmarks rebuilt by Kompas, warnings raised from them, and the "
                       "climate-security watchlist.", no_args_is_help=True)

WINDOW = Annotated[int, typer.Option("--window", min=2018, max=2030, help="The forecast window: a calendar year "
                                                                           "(cut-off 31 October of the year before). "
                                                                           "Only windows the data can serve: evaluate "
                                                                           "needs the window's actuals (2018-2023 "
                                                                           "with the shared data), forecast and "
                                                                           "warnings a cut-off within them "
                                                                           "(2019-2024).")]
FMT = Annotated[str, typer.Option("--format", help="table or json.")]
SEED = Annotated[int, typer.Option("--seed", help="Shifts the seeds of the random draws (benchmarks and Kompas).")]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _sources(lines: list[str]) -> None:
    for line in lines:
        err_console.print(f"source: {line}", highlight=False, markup=False)


def _run(label: str, work: Any) -> Any:  # noqa: ANN401 (whatever the service returns)
    """``work()`` under a progress line; missing data or an impossible window end the command in one line."""
    from kompas.files import NoSuchPath
    from kompas.warning.baselines import MissingHistory

    with progress_bar(label, 1) as advance:
        try:
            found = work()
        except (NoSuchPath, MissingHistory, ValueError, KeyError) as error:
            raise _fail(str(error).strip("'\"")) from None
        advance(1)
    return found


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _check(fmt: str, models: Sequence[str] = (), formats: tuple[str, ...] = ("table", "json")) -> None:
    """Refuse an unknown ``--format`` or ``--model`` before any work (usage error, exit 2)."""
    from kompas.services import warning as service

    if fmt not in formats:
        raise typer.BadParameter(f"expected {' or '.join(formats)}", param_hint="--format")
    unknown = [m for m in models if m not in service.MODELS]
    if unknown:
        raise typer.BadParameter(f"{unknown[0]!r}: one of {', '.join(service.MODELS)}", param_hint="--model")


def _emit(fmt: str, document: Any, table: Callable[[], Any]) -> None:  # noqa: ANN401 (JSON-ready data)
    """``document`` as JSON on standard output (``--format json``), else the rich table ``table()`` builds."""
    if fmt == "json":
        print(json.dumps(document, indent=1, default=str))
    else:
        console.print(table())


@app.command()
def evaluate(window: WINDOW,
             model: Annotated[list[str] | None, typer.Option("--model", help="conflictology, poisson, bootstrap, "
                                                                              "zero or kompas (repeatable; default: "
                                                                              "all five).")] = None,
             fmt: FMT = "table", seed: SEED = 0) -> None:
    """Score models over a window's country-months as the VIEWS challenge does: mean CRPS (deaths), ignorance
    score (bits, 11 bins, ensembles resampled to 1,000) and mean interval score of the 90% interval (deaths);
    lower is better. Benchmarks are rebuilt from the actuals; the Kompas model is trained only on data before the
    window's cut-off. The same as GET /api/v1/warning/evaluate."""
    from kompas.services import warning as service

    _check(fmt, model or [])
    found = _run(f"scoring window {window}", lambda: service.evaluate(window, model or service.MODELS, seed))

    def table() -> Any:  # noqa: ANN401 (a rich Table)
        from rich.table import Table

        out = Table("model", "crps", "ign", "mis", "cells", "note",
                    title=f"VIEWS window {window} (cut-off {found['cutoff']}): mean scores, lower is better")
        for row in found["scores"]:
            note = row.get("error") or "; ".join(row["notes"][:1])
            out.add_row(row["model"], _number(row["crps"], 3), _number(row["ign"], 4), _number(row["mis"], 2),
                        str(row["cells"]), note)
        return out

    _emit(fmt, found, table)
    if fmt != "json" and found["crps_ratio"] is not None:
        console.print(f"kompas / conflictology CRPS: {found['crps_ratio']:.3f}", highlight=False)
    _sources(found["sources"])


@app.command()
def forecast(window: WINDOW,
             model: Annotated[str, typer.Option("--model", help="The model whose forecast to show.")] = "kompas",
             top: Annotated[int, typer.Option("--top", min=1, max=500, help="Rows shown.")] = 30,
             fmt: FMT = "table", seed: SEED = 0) -> None:
    """A window's forecast per country, most deaths expected first: expected deaths in the year, the month with the
    highest probability of 25 or more deaths and that probability, the probability of 1,000 or more in the year."""
    from kompas.services import warning as service

    _check(fmt, [model])
    found = _run(f"forecasting {window}", lambda: service.forecast(window, model, top, seed))

    def table() -> Any:  # noqa: ANN401 (a rich Table)
        from rich.table import Table

        out = Table("country", "iso3", "expected deaths", "peak month", "P(>=25 in it)", "P(>=1000 in year)",
                    title=f"{model} forecast of {window} (data up to {found['cutoff']}, {found['draws']} draws)")
        for row in found["rows"]:
            out.add_row(row["country"], row["iso3"], _number(row["expected_year"], 0), row["peak_month"],
                        f"{row['p_month_25']:.2f}", f"{row['p_year_1000']:.2f}")
        return out

    _emit(fmt, found, table)
    if fmt != "json":
        for line in found["notes"]:
            err_console.print(f"note: {line}", highlight=False, markup=False)
    _sources(found["sources"])


@app.command()
def warnings(window: WINDOW,
             model: Annotated[str, typer.Option("--model", help="The model whose forecast raises them.")] = "kompas",
             deaths: Annotated[float, typer.Option("--deaths", min=1, help="Deaths in a month that warn.")] = 25,
             probability: Annotated[float, typer.Option("--probability", min=0.01, max=1,
                                                        help="Probability at or above which a warning is raised."
                                                        )] = 0.5,
             year_deaths: Annotated[float, typer.Option("--year-deaths", min=1, help="Deaths in the year that "
                                                                                     "warn.")] = 1000,
             fmt: Annotated[str, typer.Option("--format", help="table, or json (the envelope events).")] = "table",
             seed: SEED = 0,
             record: Annotated[bool, typer.Option("--record", help="Store the warnings on the platform as your "
                                                                   "organisation's events (UNCLASSIFIED // TLP:CLEAR: "
                                                                   "public data), for alerts, the fused picture and "
                                                                   "the threat analysis (needs --user).")] = False,
             user: Annotated[str | None, typer.Option("--user", help="Platform user recording them.")] = None,
             db: Annotated[str | None, typer.Option("--db", help="Database URL (default: $KOMPAS_DB, else "
                                                                 "$KOMPAS_HOME/kompas.db).")] = None) -> None:
    """The warnings a forecast raises: P(>= --deaths in a month) or P(>= --year-deaths in the year) at or above
    --probability; severity high from 0.9, medium from 0.7. As events of domain intel, type conflict-warning;
    `--record` stores them on the platform."""
    from kompas.services import warning as service
    from kompas.warning.alerts import Threshold

    _check(fmt, [model])
    if record and not user:
        raise typer.BadParameter("--record needs --user (the warnings become that organisation's events)",
                                 param_hint="--user")
    thresholds = (Threshold(deaths, probability, "month"), Threshold(year_deaths, probability, "year"))
    found, events = _run(f"warnings {window}", lambda: service.warnings(window, model, thresholds, seed))
    if record:
        from kompas.cli.admin import _store
        from kompas.cli.compass import platform_user

        store = _store(db)
        done = service.record(store, platform_user(store, user or ""), events)
        err_console.print(f"recorded: {done['recorded']} warnings ({done['existing']} already stored), "
                          f"{done['banner']}", highlight=False, markup=False)
    def table() -> Any:  # noqa: ANN401 (a rich Table)
        from rich.table import Table

        out = Table("severity", "country", "iso3", "threshold", "probability", "months", "expected deaths",
                    title=f"{len(found)} conflict warnings, {model} forecast of {window}")
        for w in found:
            months = (f"{len(w.months)}, peak {w.as_dict()['peak_month']}" if w.threshold.span == "month"
                      else "the year")
            out.add_row(w.severity, w.country, w.iso3, w.threshold.describe(), f"{w.probability:.2f}", months,
                        _number(w.expected_fatalities, 0))
        return out

    _emit(fmt, {"window": window, "model": model, "events": [service.event_dict(e) for e in events],
                "sources": service.sources(model)}, table)
    _sources(service.sources(model))


@app.command()
def watchlist(year: Annotated[int | None, typer.Option("--year", min=1997, max=2100, help="The edition (as of 31 "
                                                                                         "December; default: the "
                                                                                         "latest the data allow).")
                              ] = None,
              previous: Annotated[int | None, typer.Option("--previous", help="Compare with this edition "
                                                                              "(default: the year before).")] = None,
              top: Annotated[int, typer.Option("--top", min=1, max=300, help="Rows of the table.")] = 20,
              fmt: FMT = "table") -> None:
    """The climate-security watchlist: countries ranked by ND-GAIN vulnerability and readiness, IPC acute food
    insecurity and UCDP conflict history, each explained, with the changes since the previous edition."""
    from kompas.services import warning as service

    _check(fmt)
    edition = _run("building the watchlist", lambda: service.watchlist(year or service.latest_edition(), previous))

    def table() -> Any:  # noqa: ANN401 (a rich Table)
        from rich.table import Table

        out = Table("rank", "country", "iso3", "score", "why",
                    title=f"climate-security watchlist {edition.year} (data: "
                          + ", ".join(f"{k} {v}" for k, v in edition.data.items()) + ")")
        for row in edition.rows[:top]:
            out.add_row(str(row.rank), row.name, row.iso3, f"{row.score:.1f}", row.explanation)
        return out

    _emit(fmt, edition.as_dict(), table)
    if fmt != "json" and edition.changes is not None:
        c = edition.changes
        console.print(f"since {c.previous_year}: entered the top {c.top_n}: {', '.join(c.entered) or 'none'}; "
                      f"left: {', '.join(c.left) or 'none'}", highlight=False)
    _sources([f"{s['citation']} {s['licence']}".strip() for s in edition.sources])
