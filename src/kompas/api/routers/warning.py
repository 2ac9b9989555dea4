"""Early warning of armed conflict (issue 26): ``/api/v1/warning/evaluate`` (per model, mean CRPS, IGN and MIS over a
VIEWS window's country-months, with the Kompas/conflictology CRPS ratio), ``/api/v1/warning/forecast`` (a window's
forecast per country), ``/api/v1/warning/warnings`` (the warnings the thresholds raise, as envelope events) and
``/api/v1/warning/watchlist`` (the climate-security watchlist and its changes). Service:
:mod:`kompas.services.warning`; the same as ``kompas warning``. Every answer cites its sources (VIEWS, UCDP, and
ND-GAIN/IPC where used).

The challenge data are read once per server process and the forecasts built once per window and model (the last six
kept, their samples as compact integers); only the windows the actuals can serve are accepted (computed from them:
:func:`kompas.services.warning.windows`), others are 422 naming the windows that can be asked for. Building the
Kompas model fits a gradient-boosting model (about 1-6 s on two cores), so those requests run behind a gate: one at
a time per process, others answered 503 with Retry-After.
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query

from kompas.api.deps import Caller, StoreDep, note
from kompas.api.errors import ERRORS
from kompas.core.gate import Busy, Gate
from kompas.core.store import Account
from kompas.services import warning as service

T = TypeVar("T")
router = APIRouter(tags=["warning"])
HEAVY = Gate("conflict forecasts", slots=1, wait_s=2.0, per_holder=1)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "Another forecast is being computed: retry after Retry-After seconds"}}
Model = Literal["conflictology", "poisson", "bootstrap", "zero", "kompas"]
WINDOW = Annotated[int, Query(ge=2018, le=2030, description="The forecast window (a calendar year; cut-off 31 "
                                                            "October of the year before). Only the windows the "
                                                            "data can serve are answered (422 otherwise): evaluate "
                                                            "those with actuals, forecast and warnings those whose "
                                                            "cut-off is within the actuals (with the shared data: "
                                                            "2018-2023 and 2019-2024).")]


def _run(work: Callable[[], T], who: Account) -> T:
    """``work()`` behind the gate; missing data or an impossible window are 404/422 with the reason."""
    from kompas.files import NoSuchPath
    from kompas.warning.baselines import MissingHistory
    from kompas.warning.evaluate import MissingActuals

    try:
        with HEAVY.enter(holder=who.user_id):
            return work()
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
    except NoSuchPath as error:
        raise HTTPException(404, f"data not available on this server: {error}") from None
    except (MissingActuals, MissingHistory) as error:
        raise HTTPException(422, str(error)) from None


@router.get("/api/v1/warning/evaluate", responses={**ERRORS, **BUSY})
def evaluate(who: Caller, store: StoreDep, window: WINDOW,
             model: Annotated[list[Model] | None, Query(description="Repeatable; default: all five.")] = None
             ) -> dict:
    """Per model, the mean CRPS (deaths), ignorance score (bits) and mean interval score of the 90% interval
    (deaths) over the window's country-months, as the VIEWS 2023/24 challenge computes them (lower is better);
    ``crps_ratio`` is Kompas's CRPS over the conflictology benchmark's. A model that cannot be built for the window
    (no history before its cut-off) has ``error`` set and null scores."""
    models = list(model or service.MODELS)
    found = _run(lambda: service.evaluate(window, models), who)
    note(store, who, "read", "warning/evaluate", detail=f"window {window}: {', '.join(models)}")
    return found


@router.get("/api/v1/warning/forecast", responses={**ERRORS, **BUSY})
def forecast(who: Caller, store: StoreDep, window: WINDOW, model: Annotated[Model, Query()] = "kompas",
             top: Annotated[int, Query(ge=1, le=500)] = 30) -> dict:
    """A window's forecast per country, most deaths expected first: expected deaths in the year, the peak month's
    probability of 25 or more deaths, the probability of 1,000 or more in the year."""
    found = _run(lambda: service.forecast(window, model, top), who)
    note(store, who, "read", "warning/forecast", detail=f"window {window}: {model}")
    return found


@router.get("/api/v1/warning/warnings", responses={**ERRORS, **BUSY})
def warnings(who: Caller, store: StoreDep, window: WINDOW, model: Annotated[Model, Query()] = "kompas",
             deaths: Annotated[float, Query(ge=1, le=1e7)] = 25,
             year_deaths: Annotated[float, Query(ge=1, le=1e8)] = 1000,
             probability: Annotated[float, Query(ge=0.01, le=1)] = 0.5) -> dict:
    """The warnings the forecast raises: P(>= ``deaths`` in a month) or P(>= ``year_deaths`` in the year) at or
    above ``probability``, as envelope events (domain ``intel``, type ``conflict-warning``; severity high from 0.9,
    medium from 0.7)."""
    from kompas.warning.alerts import Threshold

    thresholds = (Threshold(deaths, probability, "month"), Threshold(year_deaths, probability, "year"))
    found, events = _run(lambda: service.warnings(window, model, thresholds), who)
    note(store, who, "read", "warning/warnings", detail=f"window {window}: {len(found)} warnings")
    return {"window": window, "model": model, "count": len(events),
            "events": [service.event_dict(e) for e in events],
            "sources": service.sources(model)}


@router.get("/api/v1/warning/watchlist", responses={**ERRORS, **BUSY})
def watchlist(who: Caller, store: StoreDep,
              year: Annotated[int | None, Query(ge=1997, le=2100, description="The edition (default: the latest "
                                                                              "the data allow).")] = None,
              previous: Annotated[int | None, Query(ge=1997, le=2100)] = None) -> dict:
    """The climate-security watchlist edition: countries ranked by ND-GAIN vulnerability and readiness, IPC acute
    food insecurity and UCDP conflict, each explained, the changes since the ``previous`` edition (default: the
    year before), the method and the sources."""
    def build() -> dict:
        try:
            edition = service.watchlist(year or service.latest_edition(), previous)
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
        return dict(edition.as_dict())

    found = _run(build, who)
    note(store, who, "read", "warning/watchlist", detail=f"edition {found.get('year')}")
    return found
