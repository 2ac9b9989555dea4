"""The collision probability to decide on, and every Pc method by name: the one dispatch behind
`kompas space pc`, the CDMs screening writes, the platform's conjunctions and the API (pure functions; states m,
m/s, covariances m^2, as :class:`kompas.space.probability.Encounter`).

:func:`assess` is NASA CARA's PcMultiStep choice (:func:`kompas.space.usage.assess`): Foster's 2D Pc when none of
its usage checks fails, else Hall's Nc3D (:mod:`kompas.space.hall`) when its own checks pass, else the two-body
Monte Carlo (:func:`kompas.space.montecarlo.pc_dynamic_monte_carlo`) over the whole encounter segment, sampled
until its Clopper-Pearson interval lies on one side of the decision threshold (1e-4 by default) or the sample
budget runs out. :func:`evaluate` runs one named method (``auto`` is :func:`assess`). Non-positive-definite
covariances are repaired by eigenvalue clipping (:func:`kompas.space.covrepair.repair`) and flagged
``covariance_remediated``, for every method, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kompas.space import covrepair, hall, montecarlo, probability, usage
from kompas.space.probability import Encounter, adjust_to_tca

#: Methods :func:`evaluate` knows, in the order ``--method all`` prints them.
METHODS = ("auto", "foster", "chan", "maxpc", "nc2d", "nc3d", "mc", "mc-line")
#: What an ``auto`` value can come from.
BASES = ("pc2d", "nc3d", "mc")
#: Samples the Monte Carlo may draw for one conjunction before it gives its estimate undecided.
MC_MAX_SAMPLES = 4_000_000
#: The decision threshold the Monte Carlo samples against (CARA's red threshold).
DECISION_PC = 1e-4


@dataclass(frozen=True)
class Value:
    """One method's value: ``pc`` (None when it could not be computed), ``basis`` (for ``auto`` the method chosen:
    ``pc2d``, ``nc3d`` or ``mc``; else the method's own name, ``foster`` as ``pc2d``), ``flags`` (usage checks
    failed, ``covariance_remediated``), and for Monte Carlo values the Clopper-Pearson 95% interval and
    whether it decided against :data:`DECISION_PC`."""

    pc: float | None
    basis: str
    flags: tuple[str, ...] = ()
    interval: tuple[float, float] | None = None
    decision: str | None = None


def _monte_carlo(enc: Encounter, hbr_m: float, seed: int, threshold: float,
                 max_samples: int) -> montecarlo.MonteCarloResult:
    return montecarlo.pc_dynamic_monte_carlo(enc, hbr_m, threshold=threshold, max_samples=max_samples, seed=seed)


def assess(enc: Encounter, hbr_m: float, *, seed: int = 0, threshold: float = DECISION_PC,
           max_samples: int = MC_MAX_SAMPLES) -> Value:
    """The ``auto`` value of an encounter (states at the CDM's TCA; they are not moved): the 2D Pc, Nc3D or
    Monte Carlo as PcMultiStep chooses, with every flag raised on the way. Raises ValueError only for a
    degenerate geometry (no relative speed)."""
    runs: list[montecarlo.MonteCarloResult] = []

    def mc(work: Encounter, hbr: float) -> float:
        runs.append(_monte_carlo(work, hbr, seed, threshold, max_samples))
        return runs[-1].pc

    found = usage.assess(enc, hbr_m, mc=mc)
    value = Value(found.pc, found.basis, found.flags)
    if runs:
        value = replace(value, interval=(runs[-1].low, runs[-1].high), decision=runs[-1].decision)
    return value


def evaluate(method: str, enc: Encounter, hbr_m: float, *, seed: int = 0) -> Value:
    """One method's value by name (:data:`METHODS`). Raises ValueError for an unknown method, or when the method
    cannot be applied (no covariance, no relative speed, an unbound orbit for the two-body methods)."""
    if method == "auto":
        return assess(enc, hbr_m, seed=seed)
    if method not in METHODS:
        raise ValueError(f"unknown Pc method {method!r}: expected one of {', '.join(METHODS)}")
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
        run = _monte_carlo(work, hbr_m, seed, DECISION_PC, MC_MAX_SAMPLES)
        return Value(run.pc, "mc", flags, (run.low, run.high), run.decision)
    pc, low, high = probability.pc_monte_carlo(adjust_to_tca(work), hbr_m, seed=seed)
    return Value(pc, "mc-line", flags, (low, high))
