"""The collision probability to decide on, and every Pc method by name: the one dispatch behind
`kompas space pc`, the CDMs screening writes, the platform's conjunctions and the API (pure functions; states m,
m/s, covariances m^2, as :class:`kompas.space.probability.Encounter`).

:func:`assess` is NASA CARA's PcMultiStep choice (:func:`kompas.space.usage.assess`): Foster's 2D Pc when none of
its usage checks fails, else Hall's Nc3D (:mod:`kompas.space.hall`) when its own checks pass, else the two-body
Monte Carlo (:func:`kompas.space.montecarlo.pc_dynamic_monte_carlo`) over the whole encounter segment, sampled
until its Clopper-Pearson interval lies on one side of each decision threshold (1e-4 and 1e-5 by default) or the
sample budget runs out (the interval is looked at after each doubling batch, a dozen looks at most: its 95% is
nominal, not corrected for the repeated looks). :func:`evaluate` runs one named method (``auto`` is
:func:`assess`). Non-positive-definite covariances are repaired by eigenvalue clipping
(:func:`kompas.space.covrepair.repair`) and flagged ``covariance_remediated``, for every method, never an exception;
a degenerate geometry is a ValueError, a value that is not a probability is None, flagged ``pc_undefined``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kompas.space import covrepair, hall, montecarlo, probability, usage
from kompas.space.probability import Encounter, adjust_to_tca

#: Methods :func:`evaluate` knows, in the order ``--method all`` prints them.
METHODS = ("auto", "foster", "chan", "maxpc", "nc2d", "nc3d", "mc", "mc-line")
#: What an ``auto`` value can come from.
BASES = ("pc2d", "nc3d", "mc")
#: Samples the Monte Carlo may draw for one conjunction before it gives its estimate undecided (about a minute
#: on two cores: 48901_conj_48903's 1.17e-5 needs 2e7 to be told from 1e-5).
MC_MAX_SAMPLES = 20_000_000
#: The thresholds the Monte Carlo samples until its interval excludes (NASA CARA's red and yellow Pc levels).
DECISION_PCS = (1e-4, 1e-5)
#: The screening's budget per conjunction: decided against the red threshold only (the daily cycle screens
#: hundreds of conjunctions), from a first batch of 40,000 samples (no hit in 40,000 puts the 95% upper bound at
#: 9.2e-5: the common formation or docked pair is decided in one batch).
SCREENING_PCS, SCREENING_MAX_SAMPLES, SCREENING_FIRST_BATCH = (1e-4,), 1_000_000, 40_000


@dataclass(frozen=True)
class Value:
    """One method's value: ``pc`` (None when it could not be computed), ``basis`` (for ``auto`` the method chosen:
    ``pc2d``, ``nc3d`` or ``mc``; else the method's own name, ``foster`` as ``pc2d``), ``flags`` (usage checks
    failed, ``covariance_remediated``), and for Monte Carlo values the Clopper-Pearson 95% interval and, per
    threshold sampled against, ``above``, ``below`` or ``undecided`` (the budget ran out with the threshold
    inside the interval: act on the interval, not the estimate)."""

    pc: float | None
    basis: str
    flags: tuple[str, ...] = ()
    interval: tuple[float, float] | None = None
    decisions: tuple[tuple[float, str], ...] = ()


def _monte_carlo(enc: Encounter, hbr_m: float, seed: int, thresholds: tuple[float, ...], max_samples: int,
                 first_batch: int = 100_000) -> montecarlo.MonteCarloResult:
    return montecarlo.pc_dynamic_monte_carlo(enc, hbr_m, threshold=thresholds, max_samples=max_samples, seed=seed,
                                             first_batch=min(first_batch, max_samples))


def _mc_value(run: montecarlo.MonteCarloResult, basis: str, flags: tuple[str, ...]) -> Value:
    """A Monte Carlo run as a value; ``mc_undecided`` when the budget ran out with a threshold inside the interval,
    ``mc_unresolved`` / ``mc_unbound`` when samples were counted as misses because their closest approach was not
    settled or their orbit not elliptic (both bias the estimate low)."""
    extra = (("mc_undecided",) if "undecided" in run.decisions else ()) \
        + (("mc_unresolved",) if run.unresolved else ()) + (("mc_unbound",) if run.unbound else ())
    return Value(run.pc, basis, (*flags, *extra), (run.low, run.high),
                 tuple(zip(run.thresholds, run.decisions, strict=True)))


def assess(enc: Encounter, hbr_m: float, *, seed: int = 0, thresholds: tuple[float, ...] = DECISION_PCS,
           max_samples: int = MC_MAX_SAMPLES, first_batch: int = 100_000, cov_vel_check_level: int = 2) -> Value:
    """The ``auto`` value of an encounter (states at the CDM's TCA; they are not moved): the 2D Pc, Nc3D or
    Monte Carlo as PcMultiStep chooses, with every flag raised on the way. ``cov_vel_check_level`` is CARA's
    ``CovVelCheckLevel`` (2, CARA's default for CDMs: the checks are skipped, flagged, when an object's
    position-velocity covariance block is all zero; 1: only when its velocity variances are, for covariance
    models without position-velocity correlation such as Kompas's placeholder). Raises ValueError only for a
    degenerate geometry (no relative speed)."""
    _needs_covariances(enc)
    runs: list[montecarlo.MonteCarloResult] = []

    def mc(work: Encounter, hbr: float) -> float:
        runs.append(_monte_carlo(work, hbr, seed, thresholds, max_samples, first_batch))
        return runs[-1].pc

    try:
        found = usage.assess(enc, hbr_m, mc=mc, cov_vel_check_level=cov_vel_check_level)
    except (ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError) as error:
        raise ValueError(f"degenerate encounter geometry ({error})") from None
    flags = found.flags
    if "covariance_remediated" not in flags and any(covrepair.repair(c)[1] for c in (enc.cov1, enc.cov2)):
        flags = (*flags, "covariance_remediated")  # also where the checks were skipped (no velocity covariance)
    if "covariance_invalid" in flags:  # CARA gives no Pc for an invalid covariance
        return Value(None, found.basis, flags)
    return _checked(_mc_value(runs[-1], found.basis, flags) if runs else Value(found.pc, found.basis, flags))


def _needs_covariances(enc: Encounter) -> None:
    for k, cov in enumerate((enc.cov1, enc.cov2)):
        if cov is None:
            raise ValueError(f"OBJECT{k + 1} has no covariance: this method needs both")


def _checked(value: Value) -> Value:
    """A value that is not a probability (NaN from a degenerate geometry) is given as None, flagged."""
    if value.pc is None or (math.isfinite(value.pc) and 0.0 <= value.pc <= 1.0):
        return value
    return Value(None, value.basis, (*value.flags, "pc_undefined"), value.interval, value.decisions)


def evaluate(method: str, enc: Encounter, hbr_m: float, *, seed: int = 0, max_samples: int = MC_MAX_SAMPLES
             ) -> Value:
    """One method's value by name (:data:`METHODS`; the Monte Carlo methods draw at most ``max_samples``). Raises
    ValueError for an unknown method, or when the method cannot be applied (no covariance, no relative speed, an
    unbound orbit for the two-body methods)."""
    if method == "auto":
        return assess(enc, hbr_m, seed=seed, max_samples=max_samples)
    if method not in METHODS:
        raise ValueError(f"unknown Pc method {method!r}: expected one of {', '.join(METHODS)}")
    _needs_covariances(enc)
    try:
        return _checked(_evaluate(method, enc, hbr_m, seed, max_samples))
    except (ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError) as error:
        raise ValueError(f"degenerate encounter geometry ({error})") from None


def _evaluate(method: str, enc: Encounter, hbr_m: float, seed: int, max_samples: int) -> Value:
    cov1, bad1 = covrepair.repair(enc.cov1)
    cov2, bad2 = covrepair.repair(enc.cov2)
    flags = ("covariance_remediated",) if bad1 or bad2 else ()
    work = Encounter(enc.state1, enc.state2, cov1, cov2)
    if method == "foster":
        return Value(usage.pc2d_value(work, hbr_m), "pc2d", flags)
    if method == "chan":
        return Value(probability.pc_chan(adjust_to_tca(work), hbr_m), "chan", flags)
    if method == "maxpc":
        return Value(probability.pc_max(adjust_to_tca(work), hbr_m)[0], "maxpc", flags)
    if method == "nc2d":
        return Value(hall.nc2d(work, hbr_m).value, "nc2d", flags)
    if method == "nc3d":
        return Value(hall.nc3d(work, hbr_m).value, "nc3d", flags)
    if method == "mc":
        return _mc_value(_monte_carlo(work, hbr_m, seed, DECISION_PCS, max_samples), "mc", flags)
    pc, low, high = probability.pc_monte_carlo(adjust_to_tca(work), hbr_m, seed=seed)
    return Value(pc, "mc-line", flags, (low, high))
