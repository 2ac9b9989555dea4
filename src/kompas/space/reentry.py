"""Re-entry prediction for low-perigee objects: numerical decay with a fitted ballistic coefficient, or SGP4.

Two methods, chosen per object by :func:`predict`:

- ``"drag"`` (when the object's element-set history allows a fit): the newest set's SGP4 state at its epoch is
  propagated by :mod:`kompas.space.decay` (two-body + J2 + drag, NRLMSISE-00 thermoNET, real F10.7/Ap) with the
  ballistic coefficient ``B = C_D A / m`` fitted by :func:`fit_ballistic` to the decay of the semi-major axis
  between the object's element sets, until its height falls under 100 km. The window spans the re-entries of
  ``B + K_SIGMA sigma_B`` with F10.7 raised by :data:`SOLAR_SPREAD` (earliest) and ``B - K_SIGMA sigma_B`` with
  F10.7 lowered by it (latest). Indices after the epoch are not known at prediction time, so by default they are
  the persistence forecast of :meth:`kompas.space.decay.SpaceWeather.forecast_from`; ``space_weather="observed"``
  uses the indices observed later (a hindcast, to separate the model from the forecast).
  ``SOLAR_SPREAD`` = 20%: in heyoka's table, the persistence forecast of the daily F10.7 3 to 14 days ahead
  (every day of 2025-11-02..2026-05-20) is off by 15% (median), 31% (90th percentile); density at 200-300 km
  scales roughly as F10.7. ``K_SIGMA`` and ``SOLAR_SPREAD`` were set before the comparison was first run and not
  tuned on it.
- ``"sgp4"`` (the baseline, and the fallback without a usable history): the newest set is propagated with SGP4 in
  steps of :data:`STEP_S` until it is below :data:`~kompas.space.screening.REENTRY_ALTITUDE_KM` or SGP4 fails
  (the same test screening uses); the window is the prediction +- :data:`WINDOW_FRACTION` of the remaining
  lifetime, the usual rule for re-entry predictions made from orbital elements alone.

How well each does on the objects that left the shared snapshots: ``benchmarks/reentry.py`` (and
``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kompas.constants import NS_PER_SECOND, SECONDS_PER_DAY
from kompas.space import decay
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.propagation import Propagator, satrec
from kompas.space.screening import max_radius_km, reentered

STEP_S = 600.0
WINDOW_FRACTION = 0.2
BSTAR_TO_B = 12.741621  #: B (m^2/kg) per B* (1/earth radii): B* = rho0 B / 2, rho0 = 0.15696615 kg/m^2/ER (Vallado).
BSTAR_SIGMA = 0.5  #: Relative uncertainty given to a B converted from B* (SGP4's density is not the thermoNET's).
FIT_DAYS = 21.0  #: The fit uses the element sets of the last FIT_DAYS before the newest (older decay is stale).
MIN_INTERVALS = 2  #: Fewer intervals between distinct element sets than this: B from B* (no residual spread).
MIN_GAP_S = 3600.0  #: Element sets closer than this are not a separate interval (same-day refits).
K_SIGMA = 2.0  #: The window spans B +- K_SIGMA sigma_B.
SOLAR_SPREAD = 0.2  #: The window spans F10.7 (and its 81-day mean) x (1 -+ SOLAR_SPREAD).
LATE_FACTOR = 3.0  #: The window's late edge is searched up to this many nominal lifetimes.
MIN_B_M2_KG = 1e-4  #: Smallest ballistic coefficient propagated (a fit at or below 0 is no decay signal).


@dataclass
class ReentryPrediction:
    """Predicted re-entry (None: not within the horizon) and its window, UTC.

    ``method``: ``"drag"`` or ``"sgp4"`` (see the module docstring); for ``"drag"`` the ballistic coefficient
    used (m^2/kg), its one-sigma uncertainty and where it came from (``"history"`` fit or ``"bstar"``).
    """

    norad_id: int
    name: str
    epoch_utc: np.datetime64
    perigee_km: float
    reentry_utc: np.datetime64 | None
    window_utc: tuple[np.datetime64, np.datetime64] | None
    method: str = "sgp4"
    ballistic_m2_kg: float | None = None
    ballistic_sigma_m2_kg: float | None = None
    ballistic_source: str = ""


@dataclass(frozen=True)
class BallisticFit:
    """A ballistic coefficient ``B = C_D A / m`` (m^2/kg), its one-sigma uncertainty, the number of element-set
    intervals it was fitted to (0: converted from B*) and ``source`` (``"history"`` or ``"bstar"``)."""

    b_m2_kg: float
    sigma_m2_kg: float
    intervals: int
    source: str


def teme_state(elset: ElementSet) -> np.ndarray:
    """The SGP4 TEME state (km, km/s) of ``elset`` at its own epoch; raises ``ValueError`` if SGP4 fails."""
    jd, fr = split_julian_date(np.array([elset.epoch_utc], dtype="datetime64[ns]"))
    code, r, v = satrec(elset).sgp4(float(jd[0]), float(fr[0]))
    if code != 0:
        raise ValueError(f"{elset.norad_id}: SGP4 error {code} at the element set's epoch")
    return np.array([*r, *v], dtype=float)


def from_bstar(elset: ElementSet) -> BallisticFit:
    """B from the set's B* (:data:`BSTAR_TO_B`), uncertain by :data:`BSTAR_SIGMA`; a B* at or under 0 gives
    :data:`MIN_B_M2_KG`."""
    b = max(BSTAR_TO_B * elset.bstar_per_earth_radii, MIN_B_M2_KG)
    return BallisticFit(b, BSTAR_SIGMA * b, 0, "bstar")


def fit_ballistic(history: Sequence[ElementSet], weather: decay.SpaceWeather | None = None) -> BallisticFit:
    """Least-squares ballistic coefficient from the decay between the element sets of ``history`` (one object).

    For each interval between consecutive sets (of the last :data:`FIT_DAYS`, at least :data:`MIN_GAP_S` apart)
    the first set's SGP4 state is propagated numerically (:func:`kompas.space.decay.propagate`, the observed
    indices of ``weather``) to the second set's epoch, accumulating ``g_i``, the drag-driven change of the
    semi-major axis per unit B along that orbit. The observed change ``da_i`` is the difference of the sets'
    mean semi-major axes (from the Kozai mean motion). ``B = sum(g da) / sum(g^2)``; its sigma is
    ``sqrt(sum(r^2) / (n - 1) / sum(g^2))`` from the residuals ``r = da - B g``. With fewer than
    :data:`MIN_INTERVALS` intervals, or a fit at or under 0 (no decay seen: noise or a manoeuvre), B comes from
    the newest set's B* (:func:`from_bstar`).
    """
    sets = sorted(history, key=lambda e: e.epoch_utc)
    if not sets:
        raise ValueError("no element sets to fit a ballistic coefficient to")
    newest = sets[-1]
    start = newest.epoch_utc - np.timedelta64(int(FIT_DAYS * SECONDS_PER_DAY), "s")
    kept: list[ElementSet] = []
    for e in sets:
        if e.epoch_utc < start:
            continue
        if kept and (e.epoch_utc - kept[-1].epoch_utc) / np.timedelta64(1, "s") < MIN_GAP_S:
            kept[-1] = e
        else:
            kept.append(e)
    if len(kept) - 1 < MIN_INTERVALS:
        return from_bstar(newest)
    weather = weather or decay.SpaceWeather.bundled()
    b_ref = from_bstar(newest).b_m2_kg
    g, da = [], []
    for first, second in zip(kept, kept[1:], strict=False):
        duration = float((second.epoch_utc - first.epoch_utc) / np.timedelta64(1, "s"))
        try:
            state = teme_state(first)
        except ValueError:
            continue
        result = decay.propagate(state, first.epoch_utc, b_ref, weather, duration)
        if result.reentered:
            continue
        g.append(result.drag_da_per_b)
        da.append(second.semi_major_axis_km - first.semi_major_axis_km)
    if len(g) < MIN_INTERVALS:
        return from_bstar(newest)
    gv, dav = np.array(g), np.array(da)
    norm = float(gv @ gv)
    b = float(gv @ dav) / norm
    if not b > MIN_B_M2_KG:
        return from_bstar(newest)
    residual = dav - b * gv
    sigma = float(np.sqrt(residual @ residual / (gv.size - 1) / norm))
    return BallisticFit(b, sigma, gv.size, "history")


def _when(epoch: np.datetime64, seconds: float) -> np.datetime64:
    return epoch + np.timedelta64(int(seconds * NS_PER_SECOND), "ns")


def predict_drag(elset: ElementSet, fit: BallisticFit, horizon_days: float = 90.0,
                 space_weather: str = "forecast") -> ReentryPrediction:
    """Re-entry of one object by numerical decay from its newest set with the ballistic coefficient ``fit``.

    ``space_weather``: ``"forecast"`` (indices observed up to the set's epoch, then persistence) or
    ``"observed"`` (the bundled table throughout, a hindcast). Raises ``ValueError`` when the bundled table does
    not reach the set's epoch (an older heyoka; :func:`predict` then falls back to the SGP4 rule). The latest
    edge of the window is searched up to :data:`LATE_FACTOR` times the nominal lifetime (the window ends there if
    it has not re-entered by then); the prediction is None when the nominal propagation does not re-enter within
    the horizon.
    """
    if space_weather not in ("forecast", "observed"):
        raise ValueError(f"space_weather must be 'forecast' or 'observed', not {space_weather!r}")
    table = decay.SpaceWeather.bundled()
    epoch = float(decay.mjd(elset.epoch_utc))
    if not table.covers(epoch - 1.0, epoch + (horizon_days if space_weather == "observed" else 0.0)):
        raise ValueError(f"{elset.norad_id}: the space-weather table ({table.source}, to MJD {table.mjd[-1]:.0f}) "
                         f"does not cover the element set's epoch (MJD {epoch:.1f})")
    weather = table.forecast_from(epoch) if space_weather == "forecast" else table
    state = teme_state(elset)
    horizon = horizon_days * SECONDS_PER_DAY
    nominal = decay.propagate(state, elset.epoch_utc, fit.b_m2_kg, weather, horizon)
    when = window = None
    if nominal.reentered:
        early = decay.propagate(state, elset.epoch_utc, fit.b_m2_kg + K_SIGMA * fit.sigma_m2_kg,
                                weather.scaled(1.0 + SOLAR_SPREAD), nominal.elapsed_s)
        late = decay.propagate(state, elset.epoch_utc, max(fit.b_m2_kg - K_SIGMA * fit.sigma_m2_kg, MIN_B_M2_KG),
                               weather.scaled(1.0 - SOLAR_SPREAD), LATE_FACTOR * nominal.elapsed_s)
        when = _when(elset.epoch_utc, nominal.elapsed_s)
        window = (_when(elset.epoch_utc, early.elapsed_s), _when(elset.epoch_utc, late.elapsed_s))
    return ReentryPrediction(elset.norad_id, elset.name, elset.epoch_utc, elset.perigee_altitude_km, when, window,
                             "drag", fit.b_m2_kg, fit.sigma_m2_kg, fit.source)


def predict(elsets: Sequence[ElementSet], horizon_days: float = 90.0,
            histories: Mapping[int, Sequence[ElementSet]] | None = None, space_weather: str = "forecast",
            method: str = "auto") -> list[ReentryPrediction]:
    """Re-entry of each object within ``horizon_days`` of its newest set ``elsets[i]``.

    ``method``: ``"sgp4"`` (the baseline for every object), ``"drag"`` (every object, B from its history in
    ``histories`` or from B*) or ``"auto"`` (``"drag"`` where ``histories`` gives a fitted B, ``"sgp4"``
    otherwise). ``histories`` maps NORAD ids to element-set histories (sets after the newest are ignored).
    """
    if method not in ("auto", "drag", "sgp4"):
        raise ValueError(f"method must be 'auto', 'drag' or 'sgp4', not {method!r}")
    out: list[ReentryPrediction | None] = [None] * len(elsets)
    baseline = []
    for i, e in enumerate(elsets):
        if method == "sgp4":
            baseline.append(i)
            continue
        past = [h for h in (histories or {}).get(e.norad_id, ()) if h.epoch_utc <= e.epoch_utc] or [e]
        fit = fit_ballistic(past)
        if method == "auto" and fit.source != "history":
            baseline.append(i)
            continue
        try:
            out[i] = predict_drag(e, fit, horizon_days, space_weather)
        except (ValueError, ArithmeticError):
            baseline.append(i)
    for i, p in zip(baseline, predict_sgp4([elsets[i] for i in baseline], horizon_days), strict=True):
        out[i] = p
    return [p for p in out if p is not None]


def predict_sgp4(elsets: Sequence[ElementSet], horizon_days: float = 90.0) -> list[ReentryPrediction]:
    """The baseline: SGP4 decay of each object, window +- :data:`WINDOW_FRACTION` of the remaining lifetime
    (vectorised over objects)."""
    if not elsets:
        return []
    prop = Propagator.from_elements(elsets)
    epochs = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    offsets = np.arange(0.0, horizon_days * SECONDS_PER_DAY + STEP_S, STEP_S)
    first = np.full(len(elsets), np.inf)
    bound = max_radius_km(elsets)
    for k, offset in enumerate(offsets):
        jd, fr = split_julian_date(epochs + np.timedelta64(int(offset * NS_PER_SECOND), "ns"))
        states, codes = prop.each(jd, fr)
        gone = reentered(states[None], codes[None], bound)[0]
        first = np.where(gone & ~np.isfinite(first), offsets[k], first)
        if np.isfinite(first).all():
            break
    out = []
    for e, epoch, t in zip(elsets, epochs, first, strict=True):
        when = None if not np.isfinite(t) else epoch + np.timedelta64(int(t * NS_PER_SECOND), "ns")
        half = None if when is None else np.timedelta64(int(WINDOW_FRACTION * t * NS_PER_SECOND), "ns")
        out.append(ReentryPrediction(e.norad_id, e.name, epoch, e.perigee_altitude_km, when,
                                     None if when is None else (when - half, when + half)))
    return out
