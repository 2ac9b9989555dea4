"""Realism of the element-set-history covariance on held-out real data (../shared/data/space), as CARA tests it:
squared Mahalanobis distances of later element sets (and of Starlink SupGP operator-ephemeris fits) against the
covariance predicted for the screening set at that propagation age; the fraction inside the 95% ellipsoid must be
in a stated band. A small sample of objects keeps the test fast; benchmarks/covariance_realism.py runs the whole
catalogue.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from kompas.space import covariance, realism
from kompas.space.cdm import default_covariance_rtn
from kompas.space.elements import ElementSet
from kompas.space.tle import parse_tle

SPACE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "space"
NOW = np.datetime64("2026-12-01T00:00:00", "ns")
#: Band for the fraction inside the 95% ellipsoid on held-out data (goal 90-97%; the placeholder gives 20-45%).
BAND = (0.80, 0.99)


def _sample_text(text: str, ids: set[int]) -> str:
    """The 3LE records of ``ids`` only (parsing 15,000-object files whole would dominate the test's time)."""
    lines = text.splitlines()
    out = []
    for k in range(0, len(lines) - 2, 3):
        if lines[k + 1].startswith("1 ") and lines[k + 1][2:7].strip().isdigit() and int(lines[k + 1][2:7]) in ids:
            out += lines[k:k + 3]
    return "\n".join(out) + "\n"


def _load(name: str, ids: set[int]) -> list[ElementSet]:
    return parse_tle(_sample_text((SPACE / name).read_text(), ids), name, NOW)[0]


@pytest.fixture(scope="module")
def sample_ids() -> set[int]:
    if not (SPACE / "active_2026-05-05.tle").is_file():
        pytest.skip(f"element-set snapshots not found at {SPACE} (clone ../shared beside the repository)")
    newest = parse_tle((SPACE / "active_2026-05-05.tle").read_text(), "active", NOW)[0]
    ids = sorted(e.norad_id for e in newest)
    return set(ids[::20])  # every 20th object: ~770 objects, all regimes


def _split(files: list[str], ids: set[int], cutoff: np.datetime64
           ) -> tuple[dict[int, list[ElementSet]], list[ElementSet]]:
    history: dict[int, list[ElementSet]] = defaultdict(list)
    later: dict[tuple[int, np.datetime64], ElementSet] = {}
    for name in files:
        for e in _load(name, ids):
            if e.epoch_utc <= cutoff:
                history[e.norad_id].append(e)
            else:
                later.setdefault((e.norad_id, e.epoch_utc), e)
    return history, list(later.values())


def _fractions(model: covariance.CovarianceModel, held: covariance.Pairs) -> tuple[float, float]:
    cov = model.rtn_covariances(held.norad_id, held.age_s)[:, :3, :3]
    placeholder = np.array([default_covariance_rtn(abs(a) / 86400.0)[:3, :3] for a in held.age_s])
    return (realism.fraction_inside(realism.mahalanobis2(held.residual[:, :3], cov)),
            realism.fraction_inside(realism.mahalanobis2(held.residual[:, :3], placeholder)))


DAILY_CUTOFF = np.datetime64("2026-04-29T00:00:00", "ns")


@pytest.fixture(scope="module")
def daily(sample_ids) -> tuple[dict[int, list[ElementSet]], list[ElementSet]]:
    """The sample's sets up to 2026-04-29 (daily snapshots, and 04-20) by object, and the later ones (to 05-05)."""
    files = ["active_2026-04-20.tle"] + [f"active_2026-{d}.tle" for d in
                                         ("04-24", "04-25", "04-26", "04-27", "04-28", "04-29", "04-30", "05-01",
                                          "05-02", "05-03", "05-04", "05-05")]
    return _split(files, sample_ids, DAILY_CUTOFF)


def _held_out(history: dict[int, list[ElementSet]], later: list[ElementSet], objects: set[int]
              ) -> tuple[dict[int, ElementSet], covariance.Pairs]:
    """Each object's newest set before the cutoff (the set a screening would use) propagated to its later sets,
    up to 7 days."""
    newest = {n: max(history[n], key=lambda e: e.epoch_utc) for n in objects}
    held = covariance.prediction_residuals(newest, [e for e in later if e.norad_id in objects])
    keep = held.age_s <= 7 * 86400.0
    return newest, covariance.Pairs(held.norad_id[keep], held.age_s[keep], held.epoch_utc[keep],
                                    held.residual[keep])


@pytest.mark.shared
def test_held_out_later_element_sets_fall_inside_the_95_percent_ellipsoid(daily, capsys):
    # Fitted on the sets up to 2026-04-29; tested on later sets (to 05-05) it never saw.
    history, later = daily
    model = covariance.for_objects(history)
    _, held = _held_out(history, later, set(history))
    assert held.epoch_utc.min() > DAILY_CUTOFF  # held out
    inside, placeholder = _fractions(model, held)
    with capsys.disabled():
        print(f"\nheld-out GP sets: {len(held)} of {len(set(held.norad_id.tolist()))} objects; inside 95%: "
              f"model {inside:.1%}, placeholder {placeholder:.1%}")
    assert len(held) > 2000
    assert BAND[0] <= inside <= BAND[1]
    assert placeholder < 0.6  # the placeholder this replaces fails the same test


@pytest.mark.shared
def test_objects_without_history_take_a_realistic_population_prior(daily, capsys):
    history, later = daily
    ordered = sorted(history)
    model = covariance.for_objects({n: history[n] for n in ordered[::2]})
    unseen = set(ordered[1::2])
    newest, held = _held_out(history, later, unseen)
    assert not unseen & set(model.scale)
    cov = model.rtn_covariances(held.norad_id, held.age_s, newest)[:, :3, :3]
    inside = realism.fraction_inside(realism.mahalanobis2(held.residual[:, :3], cov))
    with capsys.disabled():
        print(f"\nobjects never fitted (population prior): {len(held)} held-out sets, inside 95%: {inside:.1%}")
    assert len(held) > 1000
    assert BAND[0] <= inside <= BAND[1]


@pytest.mark.shared
def test_starlink_supgp_operator_fits_fall_inside_the_95_percent_ellipsoid(capsys):
    if not (SPACE / "starlink-supgp_2026-04-24.tle").is_file():
        pytest.skip(f"Starlink SupGP not found at {SPACE}")
    supgp_all = parse_tle((SPACE / "starlink-supgp_2026-04-24.tle").read_text(), "supgp", NOW)[0]
    ids = sorted({e.norad_id for e in supgp_all})
    sample = set(ids[::15])  # ~690 Starlink satellites
    # Fitted on the weekly snapshots' sets with epochs before every SupGP epoch: the SupGP states are held out.
    cutoff = np.datetime64("2026-04-23T12:00:00", "ns")
    files = [f"active_2026-{d}.tle" for d in ("03-16", "03-23", "03-30", "04-06", "04-13", "04-20", "04-24")]
    history, _ = _split(files, sample, cutoff)
    model = covariance.for_objects(history)
    newest = {n: max(sets, key=lambda e: e.epoch_utc) for n, sets in history.items()}
    held = covariance.prediction_residuals(newest, [e for e in supgp_all if e.norad_id in sample])
    assert held.age_s.min() > 0
    inside, placeholder = _fractions(model, held)
    with capsys.disabled():
        print(f"\nStarlink SupGP states: {len(held)}; inside 95%: model {inside:.1%}, placeholder {placeholder:.1%}")
    assert len(held) > 500
    assert BAND[0] <= inside <= BAND[1]
    assert placeholder < 0.6
