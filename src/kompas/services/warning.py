"""The early-warning service: conflict forecasts scored as the VIEWS 2023/24 challenge scores them, warnings raised
from them into the event envelope, and the climate-security watchlist, for the CLI (``kompas warning``) and the API
alike.

- :func:`evaluate`: per model, mean CRPS, IGN and MIS over a window's country-months (:mod:`kompas.warning.evaluate`),
  with the Kompas/conflictology CRPS ratio; only windows whose 12 months the actuals hold
  (:func:`windows`: 2018-2023 with the shared data);
- :func:`forecast`: a window's forecast summarised per country (expected deaths, the probabilities the warnings use);
  only windows whose cut-off month is within the actuals (2019-2024 with the shared data), as for :func:`warnings`;
- :func:`warnings`: the thresholds' warnings as envelope events (domain ``intel``, type ``conflict-warning``);
- :func:`watchlist`: helper C's :func:`kompas.context.watchlist.build` over the shared context data, with the changes
  since the previous edition.

Every answer carries ``sources``: the citations of the data it rests on (VIEWS/UCDP always; the context sources
when used).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from kompas.core.envelope import Envelope, from_warning
from kompas.warning import alerts, load
from kompas.warning import evaluate as scoring
from kompas.warning.evaluate import MODELS
from kompas.warning.features import cutoff_date, month_label

__all__ = ["MODELS", "evaluate", "event_dict", "forecast", "latest_edition", "record", "sources", "warnings",
           "watchlist", "windows"]


def windows() -> dict[str, list[int]]:
    """The windows the shared actuals can serve, computed from them: ``evaluate`` (all 12 months observed) and
    ``forecast`` (the cut-off month, October of the year before, within the actuals; for warnings too)."""
    panel = load.views_data().panel
    return {"evaluate": scoring.evaluation_windows(panel), "forecast": scoring.forecast_windows(panel)}


def event_dict(event: Envelope) -> dict[str, Any]:
    """A warning's envelope event as the CLI's JSON and the API show it."""
    return {"id": event.id, "domain": event.domain, "type": event.type, "time_utc": event.time_utc,
            "start_utc": event.start_utc, "end_utc": event.end_utc, "title": event.title,
            "severity": event.severity, "place": event.place.as_dict(), "actors": [a.as_dict() for a in event.actors],
            "evidence": event.evidence, "payload": event.payload}


def sources(model: str = "") -> list[str]:
    """The citations of what a warning answer rests on: VIEWS and UCDP GED; for ``kompas`` the context sources the
    model used too."""
    out = [load.CITATION]
    if model == "kompas":
        out += list(load.context_data().sources)
    return list(dict.fromkeys(out))


def evaluate(window: int, models: Sequence[str] = MODELS, seed: int = 0) -> dict[str, Any]:
    """``{"window", "cutoff", "scores": [ModelScore.as_dict()...], "crps_ratio", "sources"}``: each model's mean
    CRPS, IGN and MIS over the window's country-months; ``crps_ratio`` is Kompas's CRPS over conflictology's (None
    unless both were scored)."""
    chosen = list(dict.fromkeys(models or MODELS))
    found = scoring.evaluate(window, chosen, seed)
    ratio = scoring.crps_ratio(found)
    return {"window": window, "cutoff": cutoff_date(window).isoformat(), "scores": [s.as_dict() for s in found],
            "crps_ratio": ratio, "sources": sources("kompas" if "kompas" in chosen else ""), "windows": windows()}


def forecast(window: int, model: str = "kompas", top: int = 30, seed: int = 0) -> dict[str, Any]:
    """The forecast of ``window`` by ``model`` summarised per country, highest expected deaths first (``top``
    rows): expected deaths in the year, the peak month's expected deaths and probability of 25 or more, the
    probability of 1,000 or more in the year; and the model's notes."""
    made = scoring.forecast(model, window, seed)
    views = load.views_data()
    iso3 = load.views_iso3()
    rows: list[dict[str, Any]] = []
    for country in np.unique(made.country_id):
        mask = made.country_id == country
        samples = made.samples[mask]
        months = made.month_id[mask]
        p25 = (samples >= 25).mean(axis=1)
        peak = int(np.argmax(p25))
        rows.append({"country_id": int(country), "country": views.countries.get(int(country), ""),
                     "iso3": iso3.get(int(country), ""), "expected_year": float(samples.mean(axis=1).sum()),
                     "peak_month": month_label(int(months[peak])), "expected_peak_month": float(samples[peak].mean()),
                     "p_month_25": float(p25[peak]), "p_year_1000": float((samples.sum(axis=0) >= 1000).mean())})
    rows.sort(key=lambda r: (-r["expected_year"], r["country_id"]))
    return {"window": window, "model": model, "cutoff": cutoff_date(window).isoformat(), "draws": made.draws,
            "countries": len(rows), "rows": rows[:top], "notes": list(made.notes), "sources": sources(model)}


def warnings(window: int, model: str = "kompas",
             thresholds: Sequence[alerts.Threshold] = alerts.DEFAULT_THRESHOLDS, seed: int = 0,
             scope: str = "") -> tuple[list[alerts.ConflictWarning], list[Envelope]]:
    """The warnings ``model``'s forecast of ``window`` raises under ``thresholds``, and their envelopes (domain
    ``intel``, type ``conflict-warning``; ``scope`` goes into the ids, see :func:`kompas.core.envelope.
    from_warning`)."""
    made = scoring.forecast(model, window, seed)
    found = alerts.warnings(made, thresholds, load.views_data().countries, load.views_iso3())
    source = f"kompas warning {model} {window}"
    return found, [from_warning(w.as_dict(), source, scope) for w in found]


def record(store: Any, account: Any, events: Sequence[Envelope], marking: Any = None) -> dict[str, Any]:  # noqa: ANN401
    """Store warnings on the platform as ``account``'s organisation's events (domain ``intel``, type
    ``conflict-warning``), so that alerts, the fused picture, the response engine and the threat analysis see them.
    They rest on public data only, so the default marking is UNCLASSIFIED // TLP:CLEAR with the organisation as
    originator (a ``marking`` given may raise it: the organisation's own forecast, shared with its partners). The
    same warning recorded again under the same marking is stored once (idempotent); audited."""
    from kompas.core import audit
    from kompas.core.markings import Marking
    from kompas.core.store import events as platform_events

    chosen = marking if marking is not None else Marking.build("UNCLASSIFIED", "CLEAR", originator=account.org)
    store.check_marking(account, chosen)
    done = platform_events.store(store, [(e, chosen) for e in events], "kompas warning")
    audit.append(store.engine, account.name, "warning-record", "events", "ok",
                 f"{len(done.ids)} warnings recorded, {len(done.existing)} already ({chosen.banner()})")
    return {"recorded": len(done.ids), "existing": len(done.existing),
            "rejected": [{"line": r.line, "field": r.field, "reason": r.reason} for r in done.rejected],
            "banner": chosen.banner(), "marking": chosen.as_dict()}


def latest_edition() -> int:
    """The latest watchlist edition the shared data allow (:func:`kompas.context.watchlist.last_edition`: ND-GAIN
    year ``y`` public from ``y + 2``, UCDP year ``y`` from ``y + 1``: 2024 with ND-GAIN and UCDP to 2023)."""
    from kompas.context import watchlist as context_watchlist
    from kompas.context.load import watchlist_inputs

    return context_watchlist.last_edition(watchlist_inputs())


def watchlist(year: int, previous: int | None = None) -> Any:  # noqa: ANN401 (kompas.context.watchlist.Watchlist)
    """The climate-security watchlist edition of ``year`` (helper C's :func:`kompas.context.watchlist.build` over
    ND-GAIN, IPC and UCDP read from ../shared), with its changes since the edition of ``previous`` (default: the
    year before, when it can be built)."""
    from kompas.context import watchlist as context_watchlist
    from kompas.context.load import watchlist_inputs

    inputs = watchlist_inputs()
    before = None
    earlier = previous if previous is not None else year - 1
    try:
        before = context_watchlist.build(inputs, earlier)
    except ValueError:
        if previous is not None:
            raise
    return context_watchlist.build(inputs, year, before)
