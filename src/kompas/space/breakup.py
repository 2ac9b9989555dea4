"""The NASA Standard Breakup Model: a break-up of a catalogued object, its fragments and their orbits (exercises).

**Reference.** Johnson, N.L., Krisko, P.H., Liou, J.-C., Anz-Meador, P.D. (2001), "NASA's new breakup model of
EVOLVE 4.0", Adv. Space Res. 28(9), 1377-1384 (the equation numbers below are the paper's). The equations were read
in the paper as restated by ESA's open implementation (esa/NASA-breakup-model-cpp, Schuhmacher, Gomez et al., TU
Munich / ESA ACT, 2021) and by Cimmino et al. (2021), "Tuning of NASA Standard Breakup Model for Fragmentation Events
Modelling", Aerospace 8(7) 185; no code was copied. Everything this module produces is **illustrative**: a model's
draw for an exercise, never an observation.

**Fragment count** (cumulative number of fragments of characteristic length >= L_c, metres):

- explosions: N(L_c) = 6 S L_c^-1.6; S is a scaling factor, 1 by default (the model's nominal value, fitted
  to upper stages of 600-1000 kg; studies of later explosions found other values per object type, so ``scale`` is
  an input);
- collisions (eq. 4): N(L_c) = 0.1 M^0.75 L_c^-1.71, M in kg. The energy-to-mass ratio EMR = 0.5 m_p v^2 / m_t
  (J/g; m_p the smaller, projectile mass, m_t the larger, target mass, v the impact speed) decides the branch:
  EMR > 40 J/g is catastrophic and M = m_t + m_p; otherwise M = m_p[kg] v[km/s]^2 (the published text lacks the
  square; ESA's implementation restores it after Horstman 2020, and so does this module).

**Sizes** are drawn from that power law by inverse transform between ``min_size_m`` and the parent's own
characteristic length (the model has no upper bound; the bound keeps a fragment from being larger than its
parent). The parent's length comes from its mass with the model's size-density relation (eq. 1: an equivalent
sphere of density 92.937 L_c^-0.74 kg/m^3, so L_c = (6 m / (92.937 pi))^(1/2.26)). The number drawn is the model's
N(min) - N(max) rounded to the nearest integer; :attr:`Breakup.expected_count` keeps the unrounded N(min).

**Area-to-mass ratio** (chi = log10(A/M [m^2/kg]), lambda_c = log10(L_c [m])):

- L_c > 11 cm (eqs. 5 and 6): the density mixture alpha N(mu_1, sigma_1) + (1 - alpha) N(mu_2, sigma_2), with the
  paper's piecewise-linear alpha, mu and sigma in lambda_c, one set for spacecraft, one for rocket bodies
  (:func:`area_to_mass_parameters`). It is sampled as a mixture: component 1 with probability alpha. (Some open
  implementations return alpha x1 + (1 - alpha) x2 of two draws, a different and narrower distribution.)
- L_c < 8 cm (eq. 7): N(mu_soc, sigma_soc), for both object classes.
- 8 to 11 cm: the paper bridges the two regimes. Here the bridge is linear in L_c *between distributions*: a
  fragment is drawn from the large-fragment distribution with probability beta = (L_c - 0.08) / 0.03, else from the
  small-fragment one, so every value stays on one of the model's distributions. (ESA's implementation instead
  interpolates two drawn A/M values; the two agree at both ends of the bridge.)

**Area and mass**: A = 0.540424 L_c^2 for L_c < 1.67 mm, 0.556945 L_c^2.0047077 otherwise (m^2);
mass = A / (A/M) (kg).

**Delta-v** (eqs. 11 and 12): log10(dv [m/s]) ~ N(mu, 0.4), mu = 0.2 chi + 1.85 (explosions), 0.9 chi + 2.9
(collisions); the direction is uniform on the sphere. Random numbers come from ``numpy.random.Generator(PCG64(seed))``:
a seed reproduces the break-up exactly.

**Mass budget.** The model does not conserve mass. As ESA's implementation does, fragments are removed from the end
of the (random, hence unbiased) draw order while their total mass exceeds the input mass (parent, plus projectile in
a collision); :attr:`Breakup.dropped_for_mass` counts them. No fragments are added.

**Orbits.** The parent's SGP4 state at the epoch (TEME, km, km/s) plus each fragment's delta-v is the fragment's
osculating state. SGP4 wants mean elements, so the state is fitted (:func:`fit_orbits`): start from the osculating
Keplerian elements taken as SGP4 mean elements, propagate them to the epoch with the reference ``sgp4`` code, move
the guessed state by the miss and repeat (fixed-point passes: SGP4's near-Earth periodic terms are of order J2, so
each pass shrinks the miss about a thousandfold); after 6 passes, Newton steps on a finite-difference Jacobian
finish the deep-space fragments (SDP4's lunar-solar terms make the fixed point slow). Stopping rule: position miss
<= 1 mm and velocity miss <= 1 micrometre/s, at most 16 passes. Measured on ten Cosmos 1408 break-ups (757-1,329
fragments each): 5 passes for the near-Earth fragments, up to 10 with the few deep-space ones; largest miss at the
epoch 0.63 mm and 1 micrometre/s (``tests/space/test_breakup.py`` checks 1 m and 1 mm/s through the propagator
the screening uses). B* = rho0 Cd (A/M) / 2 with rho0 = 0.15696615 kg/m^2/earth-radius (SGP4's reference density)
and Cd = 2.2, in 1/earth radii. A fragment is not turned into an element set (its reason is kept in
:attr:`Breakup.status`) when its perigee is below 100 km (it re-enters within a revolution), when it escapes
(e >= 1), or when SGP4 cannot represent it (e.g. SDP4 driving a very eccentric orbit's eccentricity past 1).
After an explosion or a catastrophic collision the parent no longer exists: :meth:`Breakup.catalogue_after` gives
the catalogue without it and with the fragments.

**Catalogue numbers.** Fragments are numbered ``first_norad_id + fragment index`` in 900,000,001-999,999,999: nine
digits, above the Alpha-5 TLE range (<= 339,999) of every catalogued object, so they can never be mistaken for a real
object; OMM carries them, TLE cannot (``format_tle`` refuses them). Names are ``<PARENT> EXERCISE DEB``; the
international designator is the parent's launch with piece letters (no I or O) continuing after the highest piece of
that launch in the given catalogue; ``origin="exercise"``.

**Refusals** (:class:`BreakupRefused`, a ``ValueError`` whose message says what to change): an object not in the
catalogue; an epoch more than ``max_propagation_days`` (30) from the object's nearest element set (SGP4 element sets
drift by kilometres per day; older ones would place the break-up in the wrong place); a parent SGP4 cannot propagate
to the epoch (decayed); no mass (give ``mass_kg``, the command's ``--mass-kg``) or a non-positive one; a projectile
mass without an impact speed or the reverse; more than ``max_fragments`` (100,000) fragments.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from sgp4.api import SatrecArray

from kompas.constants import EARTH_RADIUS_WGS72_KM, MU_WGS72_KM3_S2, SECONDS_PER_DAY, TWO_PI
from kompas.space.elements import EXERCISE_IDS, ElementSet, split_julian_date
from kompas.space.propagation import SGP4_ERRORS, satrec
from kompas.times import as_ns, utc_text_ms

__all__ = ["CATASTROPHIC_EMR_J_G", "CD", "FIRST_EXERCISE_NORAD_ID", "LAST_EXERCISE_NORAD_ID", "MAX_FRAGMENTS",
           "MAX_PROPAGATION_DAYS", "RHO0_KG_M2_ER", "Breakup", "BreakupRefused", "CollisionRegime", "FragmentSample",
           "GabbardInput", "OrbitFit", "area_from_size", "area_to_mass_cdf", "area_to_mass_parameters", "breakup",
           "bstar_from_area_to_mass", "characteristic_length_from_mass", "collision_regime", "delta_v_log10_mean",
           "fit_orbits", "fragment_count", "sample_area_to_mass", "sample_delta_v", "sample_fragments",
           "sample_sizes", "size_cdf"]

Kind = Literal["collision", "explosion"]
ObjectClass = Literal["spacecraft", "rocket_body"]

#: Energy-to-mass ratio above which a collision is catastrophic, J/g (Johnson et al. 2001).
CATASTROPHIC_EMR_J_G = 40.0
#: Exponent of the cumulative size law N(L_c) ~ L_c^-b (explosions; collisions, eq. 4).
SIZE_EXPONENT = {"explosion": 1.6, "collision": 1.71}
#: Upper bound of the small-fragment A/M regime and lower bound of the large-fragment one, m.
SMALL_MAX_M, LARGE_MIN_M = 0.08, 0.11
#: SGP4's reference atmospheric density for B*, kg/m^2/earth-radius, and the drag coefficient used here.
RHO0_KG_M2_ER, CD = 0.15696615, 2.2
#: No caller can ask for more fragments than this (raise ``min_size_m`` instead).
MAX_FRAGMENTS = 100_000
#: Largest distance, days, between the break-up epoch and the parent's nearest element set.
MAX_PROPAGATION_DAYS = 30.0
#: Synthetic catalogue numbers of exercise fragments: nine digits, beyond every real (Alpha-5) number.
FIRST_EXERCISE_NORAD_ID, LAST_EXERCISE_NORAD_ID = EXERCISE_IDS
#: A fragment whose osculating perigee altitude is below this (km) re-enters within a revolution: no element set.
REENTRY_PERIGEE_KM = 100.0
#: Orbit fit: position and velocity miss at the epoch (km, km/s), the most passes, the fixed-point ones.
FIT_TOLERANCE_KM, FIT_TOLERANCE_KM_S, FIT_MAX_PASSES, FIT_FIXED_PASSES = 1e-6, 1e-9, 16, 6
#: Piece letters of international designators (I and O are not used).
_PIECE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_ILLUSTRATIVE = "ILLUSTRATIVE: an exercise break-up drawn from the NASA Standard Breakup Model, not an observation"


class BreakupRefused(ValueError):  # noqa: N818 (reads as the message it carries)
    """A break-up that cannot be generated as asked; the message says why and what to change."""


# --- the model's equations ------------------------------------------------------------------------------------------

def fragment_count(kind: Kind, size_m: Any, *, model_mass_kg: float | None = None,  # noqa: ANN401
                   scale: float = 1.0) -> Any:  # noqa: ANN401
    """Cumulative number of fragments of characteristic length >= ``size_m`` (m; scalar or array) (eq. 4 for
    collisions).

    ``model_mass_kg`` is the collision's M (kg; see :func:`collision_regime`); ``scale`` the explosion's S."""
    size = np.asarray(size_m, dtype=float)
    if kind == "explosion":
        return 6.0 * scale * size ** -SIZE_EXPONENT["explosion"]
    if kind == "collision":
        if model_mass_kg is None:
            raise ValueError("a collision's fragment count needs model_mass_kg (M)")
        return 0.1 * model_mass_kg ** 0.75 * size ** -SIZE_EXPONENT["collision"]
    raise ValueError(f"unknown kind {kind!r}; expected 'collision' or 'explosion'")


@dataclass(frozen=True)
class CollisionRegime:
    """Which branch of the collision law applies: EMR (J/g), catastrophic or not, and the M of eq. 4 (kg)."""

    energy_to_mass_j_g: float
    catastrophic: bool
    model_mass_kg: float


def collision_regime(target_mass_kg: float, projectile_mass_kg: float, impact_speed_km_s: float) -> CollisionRegime:
    """EMR = 0.5 m_p v^2 / m_t (J/g), m_t the larger and m_p the smaller mass (kg), v in km/s; catastrophic when
    EMR > 40 J/g (M = m_t + m_p), else M = m_p v^2 (kg (km/s)^2, eq. 4 with the square restored)."""
    target, projectile = max(target_mass_kg, projectile_mass_kg), min(target_mass_kg, projectile_mass_kg)
    emr = 0.5 * projectile * (impact_speed_km_s * 1000.0) ** 2 / (target * 1000.0)
    catastrophic = emr > CATASTROPHIC_EMR_J_G
    model_mass = target + projectile if catastrophic else projectile * impact_speed_km_s ** 2
    return CollisionRegime(emr, catastrophic, model_mass)


def characteristic_length_from_mass(mass_kg: float) -> float:
    """The characteristic length (m) of an object of ``mass_kg`` (kg) by the model's size-density relation (eq. 1):
    a sphere of diameter L_c and density 92.937 L_c^-0.74 kg/m^3."""
    return (6.0 * mass_kg / (92.937 * math.pi)) ** (1.0 / 2.26)


def size_cdf(size_m: Any, kind: Kind, min_size_m: float, max_size_m: float | None = None) -> Any:  # noqa: ANN401
    """P(L_c <= size_m) for fragments drawn between ``min_size_m`` and ``max_size_m`` (m; None: no upper bound)."""
    b = SIZE_EXPONENT[kind]
    low = min_size_m ** -b
    high = 0.0 if max_size_m is None else max_size_m ** -b
    size = np.clip(np.asarray(size_m, dtype=float), min_size_m, max_size_m if max_size_m is not None else np.inf)
    return (low - size ** -b) / (low - high)


def sample_sizes(rng: np.random.Generator, n: int, kind: Kind, min_size_m: float,
                 max_size_m: float | None = None) -> np.ndarray:
    """``n`` characteristic lengths (m) from the power law of ``kind`` between the bounds, by inverse transform."""
    b = SIZE_EXPONENT[kind]
    low = min_size_m ** -b
    high = 0.0 if max_size_m is None else max_size_m ** -b
    u = rng.random(n)
    return np.asarray((low - u * (low - high)) ** (-1.0 / b))


def _ramp(lam: np.ndarray, lo: float, hi: float, below: float, above: float, slope: float, at: float,
          value_at: float) -> np.ndarray:
    """The paper's piecewise form: ``below`` for lambda <= lo, ``above`` for lambda >= hi, in between the printed
    line ``value_at + slope (lambda - at)``."""
    return np.where(lam <= lo, below, np.where(lam >= hi, above, value_at + slope * (lam - at)))


def area_to_mass_parameters(lambda_c: Any, object_class: ObjectClass) -> dict[str, np.ndarray]:  # noqa: ANN401
    """The A/M distribution parameters at lambda_c = log10(L_c [m]) (scalar or array), in log10(m^2/kg):

    ``alpha, mu1, sigma1, mu2, sigma2`` of the large-fragment mixture (eqs. 5 and 6, spacecraft or rocket body) and
    ``mu_soc, sigma_soc`` of the small-fragment normal (eq. 7), with the paper's printed coefficients."""
    lam = np.asarray(lambda_c, dtype=float)
    if object_class == "rocket_body":
        alpha = _ramp(lam, -1.4, 0.0, 1.0, 0.5, -0.3571, -1.4, 1.0)
        mu1 = _ramp(lam, -0.5, 0.0, -0.45, -0.9, -0.9, -0.5, -0.45)
        sigma1 = np.full_like(lam, 0.55)
        mu2 = np.full_like(lam, -0.9)
        sigma2 = _ramp(lam, -1.0, 0.1, 0.28, 0.1, -0.1636, -1.0, 0.28)
    elif object_class == "spacecraft":
        alpha = _ramp(lam, -1.95, 0.55, 0.0, 1.0, 0.4, -1.2, 0.3)
        mu1 = _ramp(lam, -1.1, 0.0, -0.6, -0.95, -0.318, -1.1, -0.6)
        sigma1 = _ramp(lam, -1.3, -0.3, 0.1, 0.3, 0.2, -1.3, 0.1)
        mu2 = _ramp(lam, -0.7, -0.1, -1.2, -2.0, -1.333, -0.7, -1.2)
        sigma2 = _ramp(lam, -0.5, -0.3, 0.5, 0.3, -1.0, -0.5, 0.5)
    else:
        raise ValueError(f"unknown object class {object_class!r}; expected 'spacecraft' or 'rocket_body'")
    mu_soc = _ramp(lam, -1.75, -1.25, -0.3, -1.0, -1.4, -1.75, -0.3)
    sigma_soc = np.where(lam <= -3.5, 0.2, 0.2 + 0.1333 * (lam + 3.5))
    return {"alpha": alpha, "mu1": mu1, "sigma1": sigma1, "mu2": mu2, "sigma2": sigma2, "mu_soc": mu_soc,
            "sigma_soc": sigma_soc}


def _bridge_weight(size_m: np.ndarray) -> np.ndarray:
    """Probability of the large-fragment distribution: 0 below 8 cm, 1 above 11 cm, linear in L_c between."""
    return np.clip((size_m - SMALL_MAX_M) / (LARGE_MIN_M - SMALL_MAX_M), 0.0, 1.0)


def area_to_mass_cdf(chi: Any, size_m: float, object_class: ObjectClass) -> Any:  # noqa: ANN401
    """P(log10(A/M) <= chi) for a fragment of ``size_m`` (m): the model's distribution including the bridge."""
    from scipy.stats import norm

    p = area_to_mass_parameters(math.log10(size_m), object_class)
    chi = np.asarray(chi, dtype=float)
    large = p["alpha"] * norm.cdf(chi, p["mu1"], p["sigma1"]) + (1 - p["alpha"]) * norm.cdf(chi, p["mu2"], p["sigma2"])
    small = norm.cdf(chi, p["mu_soc"], p["sigma_soc"])
    beta = _bridge_weight(np.asarray(size_m))
    return beta * large + (1 - beta) * small


def sample_area_to_mass(rng: np.random.Generator, size_m: np.ndarray, object_class: ObjectClass) -> np.ndarray:
    """One A/M (m^2/kg) per characteristic length ``size_m`` (m), from the model's distributions (module docstring)."""
    size_m = np.asarray(size_m, dtype=float)
    n = size_m.size
    p = area_to_mass_parameters(np.log10(size_m), object_class)
    z = rng.standard_normal((3, n))
    u = rng.random((2, n))
    large = np.where(u[0] < p["alpha"], p["mu1"] + p["sigma1"] * z[0], p["mu2"] + p["sigma2"] * z[1])
    small = p["mu_soc"] + p["sigma_soc"] * z[2]
    chi = np.where(u[1] < _bridge_weight(size_m), large, small)
    return np.asarray(10.0 ** chi)


def area_from_size(size_m: Any) -> Any:  # noqa: ANN401
    """Average cross-section area (m^2) of a fragment of characteristic length ``size_m`` (m) (the model's two
    power laws, split at 1.67 mm)."""
    size = np.asarray(size_m, dtype=float)
    return np.where(size < 0.00167, 0.540424 * size ** 2, 0.556945 * size ** 2.0047077)


def delta_v_log10_mean(kind: Kind, chi: Any) -> Any:  # noqa: ANN401
    """Mean of log10(delta-v [m/s]) given chi = log10(A/M [m^2/kg]): eq. 11 (explosions), eq. 12 (collisions)."""
    chi = np.asarray(chi, dtype=float)
    if kind == "explosion":
        return 0.2 * chi + 1.85
    if kind == "collision":
        return 0.9 * chi + 2.9
    raise ValueError(f"unknown kind {kind!r}; expected 'collision' or 'explosion'")


#: Standard deviation of log10(delta-v [m/s]) (eqs. 11 and 12).
DELTA_V_LOG10_SIGMA = 0.4


def sample_delta_v(rng: np.random.Generator, area_to_mass: np.ndarray, kind: Kind) -> tuple[np.ndarray, np.ndarray]:
    """Delta-v magnitudes (m/s) from the model given A/M (m^2/kg), and unit directions (n, 3) uniform on the sphere
    (z uniform in [-1, 1], azimuth uniform: Archimedes' theorem)."""
    chi = np.log10(np.asarray(area_to_mass, dtype=float))
    n = chi.size
    speed = 10.0 ** (delta_v_log10_mean(kind, chi) + DELTA_V_LOG10_SIGMA * rng.standard_normal(n))
    z = rng.uniform(-1.0, 1.0, n)
    azimuth = rng.uniform(0.0, TWO_PI, n)
    ring = np.sqrt(1.0 - z * z)
    return np.asarray(speed), np.column_stack([ring * np.cos(azimuth), ring * np.sin(azimuth), z])


def bstar_from_area_to_mass(area_to_mass: Any) -> Any:  # noqa: ANN401
    """B* (1/earth radii) = rho0 Cd (A/M) / 2 with rho0 = 0.15696615 kg/m^2/earth-radius, Cd = 2.2; A/M in m^2/kg."""
    return RHO0_KG_M2_ER * CD * np.asarray(area_to_mass, dtype=float) / 2.0


@dataclass
class FragmentSample:
    """Fragments of one break-up, one row each: characteristic length (m), A/M (m^2/kg), area (m^2), mass (kg),
    delta-v magnitude (m/s) and direction (unit vectors, TEME when applied to an orbit)."""

    size_m: np.ndarray
    area_to_mass_m2_kg: np.ndarray
    area_m2: np.ndarray
    mass_kg: np.ndarray
    delta_v_m_s: np.ndarray
    direction: np.ndarray

    def __len__(self) -> int:
        return int(self.size_m.size)

    def head(self, n: int) -> FragmentSample:
        """The first ``n`` fragments (draw order)."""
        return FragmentSample(self.size_m[:n], self.area_to_mass_m2_kg[:n], self.area_m2[:n], self.mass_kg[:n],
                              self.delta_v_m_s[:n], self.direction[:n])

    @property
    def delta_v_km_s(self) -> np.ndarray:
        """Delta-v vectors (n, 3), km/s."""
        return self.direction * (self.delta_v_m_s / 1000.0)[:, None]


def sample_fragments(kind: Kind, n: int, min_size_m: float, max_size_m: float | None, object_class: ObjectClass,
                     seed: int | np.random.Generator = 0) -> FragmentSample:
    """``n`` fragments drawn from the model (sizes, A/M, area, mass, delta-v), reproducible from ``seed``."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.Generator(np.random.PCG64(seed))
    size = sample_sizes(rng, n, kind, min_size_m, max_size_m)
    area_to_mass = sample_area_to_mass(rng, size, object_class)
    area = np.asarray(area_from_size(size))
    speed, direction = sample_delta_v(rng, area_to_mass, kind)
    return FragmentSample(size, area_to_mass, area, area / area_to_mass, speed, direction)


# --- orbits ---------------------------------------------------------------------------------------------------------

def _osculating_elements(r: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
    """Keplerian elements of TEME states r (n, 3) km, v (n, 3) km/s with WGS-72 mu: semi-major axis (km),
    eccentricity, inclination, RAAN, argument of perigee, mean anomaly (deg, in [0, 360)). Angles go through
    atan2 in the orbit plane (node line and its normal), so that near-circular and near-equatorial orbits stay
    well conditioned; NaN when e >= 1."""
    mu = MU_WGS72_KM3_S2
    radius = np.linalg.norm(r, axis=1)
    speed2 = np.einsum("ij,ij->i", v, v)
    h = np.cross(r, v)
    h_norm = np.linalg.norm(h, axis=1)
    ecc_vec = ((speed2 - mu / radius)[:, None] * r - np.einsum("ij,ij->i", r, v)[:, None] * v) / mu
    ecc = np.linalg.norm(ecc_vec, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1.0 / (2.0 / radius - speed2 / mu)
    inclination = np.arccos(np.clip(h[:, 2] / h_norm, -1.0, 1.0))
    raan = np.arctan2(h[:, 0], -h[:, 1])
    node = np.column_stack([np.cos(raan), np.sin(raan), np.zeros_like(raan)])
    normal = np.cross(h / h_norm[:, None], node)
    latitude = np.arctan2(np.einsum("ij,ij->i", r, normal), np.einsum("ij,ij->i", r, node))
    perigee = np.arctan2(np.einsum("ij,ij->i", ecc_vec, normal), np.einsum("ij,ij->i", ecc_vec, node))
    true_anomaly = latitude - perigee
    with np.errstate(invalid="ignore"):
        eccentric = 2.0 * np.arctan2(np.sqrt(1.0 - ecc) * np.sin(true_anomaly / 2.0),
                                     np.sqrt(1.0 + ecc) * np.cos(true_anomaly / 2.0))
    mean_anomaly = eccentric - ecc * np.sin(eccentric)
    bound = (ecc < 1.0) & (a > 0.0)
    deg = np.degrees
    return {"a_km": np.where(bound, a, np.nan), "e": ecc, "i_deg": deg(inclination),
            "raan_deg": deg(raan) % 360.0, "argp_deg": deg(perigee) % 360.0,
            "m_deg": np.where(bound, deg(mean_anomaly) % 360.0, np.nan)}


@dataclass
class OrbitFit:
    """Result of :func:`fit_orbits`: element sets (None where none), a status per state ("orbiting" or the reason),
    and the miss at the epoch of each fitted set: position (km) and velocity (km/s), NaN where none."""

    elsets: list[ElementSet | None]
    status: list[str]
    miss_km: np.ndarray
    miss_km_s: np.ndarray
    passes: int


def _trial_sets(guess: np.ndarray, rows: np.ndarray, epoch: np.datetime64, bstar: np.ndarray,
                norad_ids: Sequence[int], names: Sequence[str], designators: Sequence[str], origin: str,
                source: str) -> tuple[list[ElementSet | None], np.ndarray, np.ndarray]:
    """Element sets from guessed osculating states (m, 6) taken as SGP4 mean elements, and what the reference
    ``sgp4`` code makes of them at the epoch: (sets, error codes (m,), states (m, 6)). Code 255: not elliptic."""
    el = _osculating_elements(guess[:, :3], guess[:, 3:])
    sets: list[ElementSet | None] = []
    for j, k in enumerate(rows):
        if not np.isfinite(el["a_km"][j]):
            sets.append(None)
            continue
        n_rev_day = math.sqrt(MU_WGS72_KM3_S2 / el["a_km"][j] ** 3) * SECONDS_PER_DAY / TWO_PI
        sets.append(ElementSet(int(norad_ids[k]), epoch, n_rev_day, float(el["e"][j]), float(el["i_deg"][j]),
                               float(el["raan_deg"][j]), float(el["argp_deg"][j]), float(el["m_deg"][j]),
                               float(bstar[k]), name=names[k], intl_designator=designators[k], element_set_no=1,
                               source=source, origin=origin))
    codes = np.full(len(sets), 255, dtype=np.int64)
    got = np.full((len(sets), 6), np.nan)
    good = [j for j, e in enumerate(sets) if e is not None]
    if good:
        jd, fr = split_julian_date(np.array([epoch]))
        error, r, v = SatrecArray([satrec(e) for e in sets if e is not None]).sgp4(jd, fr)
        codes[good] = error[:, 0]
        got[good] = np.hstack([r[:, 0, :], v[:, 0, :]])
    return sets, codes, got


def fit_orbits(epoch_utc: np.datetime64, r_km: np.ndarray, v_km_s: np.ndarray, bstar_per_earth_radii: np.ndarray,
               norad_ids: Sequence[int], names: Sequence[str], designators: Sequence[str], *,
               origin: str = "exercise", source: str = "") -> OrbitFit:
    """SGP4 element sets that reproduce the TEME states r (n, 3) km and v (n, 3) km/s at ``epoch_utc``.

    The guessed osculating state is turned into Keplerian elements taken as SGP4 mean elements and propagated to
    the epoch with the reference ``sgp4`` code; the guess is then moved by the miss (fixed-point passes, enough for
    near-Earth orbits, where SGP4's periodic terms are of order J2) and, after 6 such passes, by a Newton step on a
    finite-difference Jacobian (deep-space orbits, whose lunar-solar periodic terms make the fixed point slow). Stops
    when the miss is within 1 mm and 1 micrometre/s, after at most 16 passes (then the status gives the miss)."""
    epoch = as_ns(epoch_utc)
    target = np.hstack([r_km, v_km_s])
    n = target.shape[0]
    status = ["orbiting"] * n
    first = _osculating_elements(r_km, v_km_s)
    perigee_km = first["a_km"] * (1.0 - first["e"]) - EARTH_RADIUS_WGS72_KM
    for k in range(n):
        if not np.isfinite(first["a_km"][k]):
            status[k] = "escapes: hyperbolic or parabolic orbit (e >= 1)"
        elif perigee_km[k] < REENTRY_PERIGEE_KM:
            status[k] = f"re-enters: perigee {perigee_km[k]:.0f} km, below {REENTRY_PERIGEE_KM:.0f} km"
    guess = target.copy()
    elsets: list[ElementSet | None] = [None] * n
    miss_km = np.full(n, np.nan)
    miss_km_s = np.full(n, np.nan)
    meta = (epoch, np.asarray(bstar_per_earth_radii, dtype=float), norad_ids, names, designators, origin, source)
    todo = np.array([k for k in range(n) if status[k] == "orbiting"], dtype=np.int64)
    passes = 0
    while todo.size and passes < FIT_MAX_PASSES:
        passes += 1
        sets, codes, got = _trial_sets(guess[todo], todo, *meta)
        miss = target[todo] - got
        still = []
        for j, k in enumerate(todo):
            if codes[j]:
                reason = "the fitted elements left the elliptic range" if codes[j] == 255 else \
                    SGP4_ERRORS.get(int(codes[j]), f"SGP4 error {codes[j]}")
                status[k], elsets[k], miss_km[k], miss_km_s[k] = f"no SGP4 fit: {reason}", None, np.nan, np.nan
                continue
            elsets[k] = sets[j]
            miss_km[k], miss_km_s[k] = np.linalg.norm(miss[j, :3]), np.linalg.norm(miss[j, 3:])
            if miss_km[k] > FIT_TOLERANCE_KM or miss_km_s[k] > FIT_TOLERANCE_KM_S:
                still.append(j)
        if not still:
            todo = todo[:0]
            break
        rows, miss = todo[still], miss[still]
        step = miss if passes <= FIT_FIXED_PASSES else _newton_step(guess[rows], rows, got[still], miss, meta)
        for _ in range(20):  # a step that would leave the elliptic range is halved (very eccentric orbits)
            trial = _osculating_elements(guess[rows, :3] + step[:, :3], guess[rows, 3:] + step[:, 3:])
            bad = ~np.isfinite(trial["a_km"])
            if not bad.any():
                break
            step[bad] *= 0.5
        guess[rows] += step
        todo = rows
    for k in todo:  # not converged within the passes: keep the set, say how far it is
        status[k] = f"orbiting (fit miss {miss_km[k] * 1e3:.3g} m after {passes} passes)"
    return OrbitFit(elsets, status, miss_km, miss_km_s, passes)


def _newton_step(guess: np.ndarray, rows: np.ndarray, got: np.ndarray, miss: np.ndarray, meta: tuple) -> np.ndarray:
    """Newton step on the state: solve J step = miss with J the finite-difference Jacobian of SGP4's state at the
    epoch with respect to the guessed state (1 m and 1 mm/s perturbations); the plain miss where J fails."""
    m = guess.shape[0]
    h = np.array([1e-3, 1e-3, 1e-3, 1e-6, 1e-6, 1e-6])
    perturbed = np.repeat(guess, 6, axis=0) + np.tile(np.diag(h), (m, 1))
    _, codes, moved = _trial_sets(perturbed, np.repeat(rows, 6), *meta)
    jac = ((moved.reshape(m, 6, 6) - got[:, None, :]) / h[None, :, None]).transpose(0, 2, 1)
    ok = ~(codes.reshape(m, 6).any(axis=1)) & np.isfinite(jac).all(axis=(1, 2))
    step = miss.copy()
    if ok.any():
        with contextlib.suppress(np.linalg.LinAlgError):  # a singular J: the plain miss
            step[ok] = np.linalg.solve(jac[ok], miss[ok][:, :, None])[:, :, 0]
    return step


# --- a break-up from a catalogue ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GabbardInput:
    """Exactly what :func:`kompas.reports.gabbard.gabbard_figure` takes: ``gabbard_figure(**g.as_kwargs())``.
    Periods in minutes, altitudes in km (WGS-72 spherical Earth, as :class:`ElementSet` computes them)."""

    period_min: list[float]
    apogee_km: list[float]
    perigee_km: list[float]
    title: str
    parent: tuple[float, float, float, str] | None

    def as_kwargs(self) -> dict[str, Any]:
        return {"period_min": self.period_min, "apogee_km": self.apogee_km, "perigee_km": self.perigee_km,
                "title": self.title, "parent": self.parent}


@dataclass
class Breakup:
    """A generated break-up (module docstring). Masses kg, sizes m, A/M m^2/kg, delta-v m/s, times UTC.

    ``fragments`` are in draw order (after the mass budget); ``elsets[k]`` is fragment k's element set or None, its
    reason in ``status[k]``; ``expected_count`` is the model's N(min_size_m) (unrounded); ``model_mass_kg`` the M
    of eq. 4 (collisions); ``fit_miss_km`` the largest position miss at the epoch of the fitted sets."""

    parent: ElementSet
    kind: Kind
    epoch_utc: np.datetime64
    object_class: ObjectClass
    mass_kg: float
    mass_source: str
    projectile_mass_kg: float | None
    impact_speed_km_s: float | None
    energy_to_mass_j_g: float | None
    catastrophic: bool | None
    model_mass_kg: float | None
    scale: float
    min_size_m: float
    max_size_m: float
    expected_count: float
    seed: int
    fragments: FragmentSample
    dropped_for_mass: int
    elsets: list[ElementSet | None]
    status: list[str]
    fit_miss_km: float
    parent_position_km: np.ndarray
    parent_velocity_km_s: np.ndarray
    notes: list[str] = field(default_factory=list)

    @property
    def parent_destroyed(self) -> bool:
        """Whether the whole parent breaks up: explosions and catastrophic collisions."""
        return self.kind == "explosion" or bool(self.catastrophic)

    def catalogue_after(self, elsets: Sequence[ElementSet]) -> list[ElementSet]:
        """``elsets`` as they stand after the break-up: the parent's sets gone when it is destroyed, the fragments'
        sets added (what a conjunction screening of the exercise should take)."""
        gone = self.parent.norad_id if self.parent_destroyed else None
        return [e for e in elsets if e.norad_id != gone] + self.orbiting

    @property
    def orbiting(self) -> list[ElementSet]:
        """The fragments' element sets (those that orbit), ready for propagation and screening."""
        return [e for e in self.elsets if e is not None]

    def gabbard(self) -> GabbardInput:
        """Apogee and perigee against period of the orbiting fragments, the parent starred (see GabbardInput)."""
        frag = self.orbiting
        label = self.parent.name or str(self.parent.norad_id)
        return GabbardInput([e.period_min for e in frag], [e.apogee_altitude_km for e in frag],
                            [e.perigee_altitude_km for e in frag],
                            f"EXERCISE (illustrative): {label} {self.kind}, NASA SBM",
                            (self.parent.period_min, self.parent.apogee_altitude_km, self.parent.perigee_altitude_km,
                             label))

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per fragment: number, size, A/M, mass, delta-v, orbit (or None) and status."""
        out = []
        f = self.fragments
        for k in range(len(f)):
            e = self.elsets[k]
            out.append({"norad_id": e.norad_id if e else None, "size_m": float(f.size_m[k]),
                        "area_to_mass_m2_kg": float(f.area_to_mass_m2_kg[k]), "area_m2": float(f.area_m2[k]),
                        "mass_kg": float(f.mass_kg[k]), "delta_v_m_s": float(f.delta_v_m_s[k]),
                        "perigee_km": e.perigee_altitude_km if e else None,
                        "apogee_km": e.apogee_altitude_km if e else None,
                        "period_min": e.period_min if e else None, "status": self.status[k]})
        return out

    def summary(self) -> dict[str, Any]:
        """The break-up in figures (JSON-ready), labelled illustrative."""
        reasons: dict[str, int] = {}
        for s in self.status:
            key = "orbiting, fit not converged" if s.startswith("orbiting (") else s.split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        return {"label": _ILLUSTRATIVE, "parent_norad_id": self.parent.norad_id, "parent_name": self.parent.name,
                "kind": self.kind, "epoch_utc": utc_text_ms(self.epoch_utc), "object_class": self.object_class,
                "mass_kg": self.mass_kg, "mass_source": self.mass_source,
                "projectile_mass_kg": self.projectile_mass_kg, "impact_speed_km_s": self.impact_speed_km_s,
                "energy_to_mass_j_g": self.energy_to_mass_j_g, "catastrophic": self.catastrophic,
                "model_mass_kg": self.model_mass_kg, "parent_destroyed": self.parent_destroyed, "scale": self.scale,
                "min_size_m": self.min_size_m,
                "max_size_m": self.max_size_m, "expected_count": self.expected_count,
                "generated": len(self.fragments), "dropped_for_mass": self.dropped_for_mass,
                "fragment_mass_kg": float(self.fragments.mass_kg.sum()), "fates": reasons,
                "fit_miss_km": self.fit_miss_km, "seed": self.seed, "notes": list(self.notes)}


def _pieces(start: int, count: int) -> list[str]:
    """Piece letters number ``start``, ``start + 1``, ... (0 = A, 23 = Z, 24 = AA, ...; "" beyond ZZZ)."""
    out = []
    for k in range(start, start + count):
        letters = ""
        for width in (1, 2, 3):
            span = len(_PIECE_LETTERS) ** width
            if k < span:
                for _ in range(width):
                    k, digit = divmod(k, len(_PIECE_LETTERS))
                    letters = _PIECE_LETTERS[digit] + letters
                break
            k -= span
        out.append(letters)
    return out


def _piece_number(piece: str) -> int:
    """Inverse of :func:`_pieces` (-1 when not a piece)."""
    if not piece or len(piece) > 3 or any(c not in _PIECE_LETTERS for c in piece):
        return -1
    base = sum(len(_PIECE_LETTERS) ** w for w in range(1, len(piece)))
    value = 0
    for c in piece:
        value = value * len(_PIECE_LETTERS) + _PIECE_LETTERS.index(c)
    return base + value


def _class_of(parent: ElementSet, object_class: ObjectClass | None) -> ObjectClass:
    if object_class is not None:
        if object_class not in ("spacecraft", "rocket_body"):
            raise BreakupRefused(f"unknown object class {object_class!r}; expected 'spacecraft' or 'rocket_body'")
        return object_class
    return "rocket_body" if "R/B" in parent.name.upper() else "spacecraft"


def _positive(value: float | None, what: str) -> None:
    if value is not None and not (math.isfinite(value) and value > 0):
        raise BreakupRefused(f"{what} must be a positive number, got {value!r}")


def breakup(elsets: Sequence[ElementSet], norad_id: int, epoch_utc: np.datetime64 | str, kind: Kind = "collision",
            mass_kg: float | None = None, min_size_m: float = 0.1, seed: int = 0, *,
            projectile_mass_kg: float | None = None, impact_speed_km_s: float | None = None, scale: float = 1.0,
            object_class: ObjectClass | None = None, masses_kg: Mapping[int, float] | None = None,
            max_size_m: float | None = None, max_fragments: int = MAX_FRAGMENTS,
            max_propagation_days: float = MAX_PROPAGATION_DAYS, conserve_mass: bool = True,
            first_norad_id: int = FIRST_EXERCISE_NORAD_ID) -> Breakup:
    """Break up catalogued object ``norad_id`` at ``epoch_utc`` with the NASA Standard Breakup Model (module
    docstring); every fragment >= ``min_size_m`` (m) with its size, A/M, mass, delta-v and SGP4 element set.

    ``mass_kg``: the object's mass (kg); else ``masses_kg[norad_id]`` (e.g. a CARA mass table); else refused.
    Collisions: with ``projectile_mass_kg`` (kg) and ``impact_speed_km_s`` (km/s) the EMR picks the branch; with
    neither, the collision is taken as catastrophic with a projectile too light to count (M = ``mass_kg``: a
    hit-to-kill interceptor of tens of kg changes N by a few per cent), and a note says so. ``scale``: the explosion's
    S. ``object_class``: spacecraft or rocket_body (default: rocket_body when the name says R/B). ``max_size_m``:
    largest fragment (default: the parent's length from its mass, eq. 1). ``conserve_mass``: remove fragments from
    the end of the draw while their mass exceeds the input mass (ESA's rule; False keeps the model's count).
    ``first_norad_id``: the first synthetic catalogue number (give the next free one for a second break-up in the
    same scenario). Refusals: :class:`BreakupRefused`."""
    if kind not in ("collision", "explosion"):
        raise BreakupRefused(f"unknown kind {kind!r}; expected 'collision' or 'explosion'")
    epoch = as_ns(epoch_utc)
    mine = [e for e in elsets if e.norad_id == norad_id]
    if not mine:
        raise BreakupRefused(f"NORAD {norad_id} is not in the catalogue given ({len(elsets)} element sets)")
    parent = min(mine, key=lambda e: abs(int((e.epoch_utc - epoch) / np.timedelta64(1, "s"))))
    gap_days = abs((parent.epoch_utc - epoch) / np.timedelta64(1, "D"))
    if gap_days > max_propagation_days:
        raise BreakupRefused(
            f"epoch {epoch}Z is {gap_days:.1f} days from the nearest element set of NORAD {norad_id} (epoch "
            f"{parent.epoch_utc}Z); the limit is {max_propagation_days:g} days (SGP4 element sets drift by km per "
            f"day): choose an epoch within it or load element sets nearer the epoch")
    notes = [_ILLUSTRATIVE]
    for value, what in ((mass_kg, "mass_kg (--mass-kg)"), (projectile_mass_kg, "projectile_mass_kg"),
                        (impact_speed_km_s, "impact_speed_km_s"), (scale, "scale"), (max_size_m, "max_size_m")):
        _positive(value, what)
    if mass_kg is not None:
        mass, mass_source = float(mass_kg), "given"
    elif masses_kg is not None and norad_id in masses_kg:
        mass, mass_source = float(masses_kg[norad_id]), "mass table"
        _positive(mass, f"the mass table's mass of NORAD {norad_id}")
    else:
        raise BreakupRefused(f"no mass for NORAD {norad_id} ({parent.name or 'unnamed'}): give it with --mass-kg "
                             f"(mass_kg=...); the fragment count and the mass budget depend on it")
    if not (isinstance(min_size_m, int | float) and math.isfinite(min_size_m) and min_size_m >= 0.001):
        raise BreakupRefused(f"min_size_m must be at least 0.001 m (the model's range starts at 1 mm), "
                             f"got {min_size_m!r}")
    if not FIRST_EXERCISE_NORAD_ID <= first_norad_id <= LAST_EXERCISE_NORAD_ID:
        raise BreakupRefused(f"first_norad_id must be in {FIRST_EXERCISE_NORAD_ID:,}-{LAST_EXERCISE_NORAD_ID:,} "
                             f"(synthetic numbers that no catalogued object can have), got {first_norad_id}")
    klass = _class_of(parent, object_class)
    emr = catastrophic = model_mass = None
    budget = mass
    if kind == "collision":
        if (projectile_mass_kg is None) != (impact_speed_km_s is None):
            raise BreakupRefused("give both projectile_mass_kg and impact_speed_km_s (the energy-to-mass ratio needs "
                                 "both), or neither for a catastrophic collision with a negligible projectile")
        if projectile_mass_kg is not None and impact_speed_km_s is not None:
            regime = collision_regime(mass, projectile_mass_kg, impact_speed_km_s)
            emr, catastrophic, model_mass = regime.energy_to_mass_j_g, regime.catastrophic, regime.model_mass_kg
            budget = mass + projectile_mass_kg
            notes.append(f"collision: EMR {emr:.1f} J/g, {'catastrophic' if catastrophic else 'non-catastrophic'} "
                         f"(threshold {CATASTROPHIC_EMR_J_G:g} J/g), M = {model_mass:.4g}")
        else:
            catastrophic, model_mass = True, mass
            notes.append("collision taken as catastrophic with a negligible projectile mass: M = the object's mass")
        expected = float(fragment_count("collision", min_size_m, model_mass_kg=model_mass))
    else:
        expected = float(fragment_count("explosion", min_size_m, scale=scale))
        notes.append(f"explosion scaling factor S = {scale:g} (1 is the model's nominal value)")
    top = max_size_m if max_size_m is not None else characteristic_length_from_mass(budget)
    if top <= min_size_m:
        raise BreakupRefused(f"min_size_m {min_size_m:g} m is not below the largest fragment size {top:.3g} m")
    count_above_top = float(fragment_count(kind, top, model_mass_kg=model_mass, scale=scale))
    n = int(round(expected - count_above_top))
    if n > max_fragments:
        raise BreakupRefused(f"the model gives {n:,} fragments >= {min_size_m:g} m, more than the limit of "
                             f"{max_fragments:,}: raise min_size_m (--min-size-m)")
    if first_norad_id + n - 1 > LAST_EXERCISE_NORAD_ID:
        raise BreakupRefused(f"{n:,} fragments from {first_norad_id} run past {LAST_EXERCISE_NORAD_ID:,}")

    sat = satrec(parent)
    jd, fr = split_julian_date(np.array([epoch]))
    code, r0, v0 = sat.sgp4(float(jd[0]), float(fr[0]))
    if code:
        raise BreakupRefused(f"NORAD {norad_id} cannot be propagated to {epoch}Z: "
                             f"{SGP4_ERRORS.get(code, f'SGP4 error {code}')}")
    fragments = sample_fragments(kind, n, min_size_m, top, klass, seed)
    total = np.cumsum(fragments.mass_kg)
    kept = int(np.searchsorted(total, budget, side="right")) if conserve_mass else n
    dropped = n - kept
    if dropped:
        fragments = fragments.head(kept)
        notes.append(f"{dropped} fragments removed from the end of the draw to keep the fragments' mass within "
                     f"{budget:g} kg")
    r = np.tile(np.asarray(r0), (kept, 1))
    v = np.asarray(v0)[None, :] + fragments.delta_v_km_s
    launch = parent.intl_designator[:8] if len(parent.intl_designator) >= 8 else ""
    taken = [_piece_number(e.intl_designator[8:]) for e in elsets if launch and e.intl_designator[:8] == launch]
    pieces = _pieces(max(taken, default=0) + 1, kept) if launch else [""] * kept
    label = parent.name.strip() or f"NORAD {norad_id}"
    fit = fit_orbits(epoch, r, v, np.asarray(bstar_from_area_to_mass(fragments.area_to_mass_m2_kg)),
                     [first_norad_id + k for k in range(kept)], [f"{label} EXERCISE DEB"] * kept,
                     [launch + p for p in pieces],
                     source=f"exercise break-up of NORAD {norad_id} at {epoch}Z (NASA SBM, seed {seed})")
    if any(not p for p in pieces) and launch:
        notes.append("pieces beyond ZZZ cannot be written: those fragments carry the launch designator alone")
    miss = fit.miss_km[np.isfinite(fit.miss_km)]
    return Breakup(parent, kind, epoch, klass, mass, mass_source, projectile_mass_kg, impact_speed_km_s, emr,
                   catastrophic, model_mass, scale, min_size_m, top, expected, seed, fragments, dropped, fit.elsets,
                   fit.status, float(miss.max()) if miss.size else float("nan"), np.asarray(r0), np.asarray(v0),
                   notes)
