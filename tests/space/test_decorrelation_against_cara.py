"""Pc with the density-forecast cross-correlation (CARA Pc_CovXCorr) against CARA's unit-test values.

Reference: ../shared/data/cara-methods/expected_decorrelation.csv (Pc_CovXCorr_UnitTest.m): CDM01 8.16e-6 and CDM03
3.20e-5 at HBR 6 m, RelTol 5e-3. The CDM02 row comes from a test CARA has commented out (only one object carries DCP
values): it is printed for information, not counted.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from kompas.space import cdm as cdm_io
from kompas.space.decorrelation import DCP, dcp_from_comments, itrf_to_inertial, pc_covxcorr, rtn_basis
from kompas.space.probability import Encounter, pc_circle, pc_foster, rtn_to_inertial

METHODS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cara-methods"


def _inputs(file: str) -> tuple[list[np.ndarray], list[np.ndarray], list[DCP | None]]:
    """CARA's reading of a decorrelation CDM: ITRF states to inertial (m, m/s), RTN covariances rotated with each
    object's inertial state, DCP values from the object's comments (an incomplete set counts as none)."""
    message = cdm_io.parse_kvn((METHODS / file).read_text(), file)
    states, covs, dcps = [], [], []
    for k in (0, 1):
        frame = (message.objects[k].get("REF_FRAME") or "").upper()
        state = message.state(k) * 1000.0
        state = itrf_to_inertial(state) if frame == "ITRF" else state
        cov = message.covariance_rtn(k)
        assert cov is not None
        states.append(state)
        covs.append(rtn_to_inertial(state, cov))
        try:
            dcps.append(dcp_from_comments(message.objects[k].comments()))
        except ValueError:
            dcps.append(None)
    return states, covs, dcps


@pytest.mark.shared
def test_pc_covxcorr_matches_cara(capsys):
    path = METHODS / "expected_decorrelation.csv"
    if not path.is_file():
        pytest.skip(f"CARA method references not found at {path} (clone ../shared beside the repository)")
    with path.open() as f:
        rows = [row for row in csv.DictReader(f) if row["method"] == "Pc_CovXCorr"]
    active = [row for row in rows if row["comparator"] != "disabled"]
    lines = [f"{'case':5} {'CDM':40} {'CARA':>10} {'Kompas':>13} {'rel.err':>9} {'Pc no corr.':>12}  note"]
    checked, worst, failures = 0, 0.0, []
    for row in rows:
        states, covs, dcps = _inputs(row["file"])
        hbr = float(row["hbr_m"])
        expected = float(row["expected"])
        result = pc_covxcorr(states[0], states[1], covs[0], covs[1], hbr, dcps[0], dcps[1])
        plain = pc_foster(Encounter(states[0], states[1], covs[0], covs[1]), hbr)
        name = Path(row["file"]).name
        if row["comparator"] == "disabled":
            # CARA's Pc_CovXCorr returns no value when only one object has DCP data; the disabled test's number
            # is the uncorrected Pc. Information only.
            assert result is None
            lines.append(f"{row['case']:5} {name:40} {expected:10.3e} {'(none)':>13} {'':9} {plain:12.4e}  "
                         f"CARA test disabled; uncorrected Pc vs its value: {abs(plain / expected - 1):.1e}")
            continue
        assert row["comparator"] == "eq" and row["tol_type"] == "rel"
        assert result is not None, name
        err = abs(result.pc / expected - 1)
        ok = err <= float(row["tolerance"])
        worst = max(worst, err)
        checked += 1
        if not ok:
            failures.append((name, result.pc, expected))
        lines.append(f"{row['case']:5} {name:40} {expected:10.3e} {result.pc:13.6e} {err:9.2e} {plain:12.4e}"
                     f"{'' if ok else '  FAIL'}")
        # CARA's self-consistency checks in the same test (RelTol 5e-3): the returned covariance alone gives the
        # same Pc, and a zero density uncertainty gives back the uncorrected Pc.
        assert pc_foster(Encounter(states[0], states[1], result.cov_rel_m2, np.zeros((3, 3))), hbr) == \
            pytest.approx(result.pc, rel=5e-3)
        zero = [DCP(0.0, d.sensitivity_rtn_pos_m, d.sensitivity_rtn_vel_m_s) for d in dcps if d is not None]
        uncorrelated = pc_covxcorr(states[0], states[1], covs[0], covs[1], hbr, zero[0], zero[1])
        assert uncorrelated is not None and uncorrelated.pc == pytest.approx(plain, rel=5e-3)
    with capsys.disabled():
        print("\nPc_CovXCorr against CARA (expected_decorrelation.csv)\n" + "\n".join(lines)
              + f"\nrows checked {checked} of {len(active)} active ({len(rows)} in the table), "
                f"worst relative error {worst:.2e}")
    assert not failures, failures
    assert checked == len(active) == 2


def test_dcp_comments_are_read_and_incomplete_sets_refused():
    comments = ["DCP Density Forecast Uncertainty=2.2E-01 ",
                "DCP Sensitivity Vector RTN Pos=-1.5E+00 1.4E+02  -3.2E-02 [m]",
                "DCP Sensitivity Vector RTN Vel=-1.6E-01 1.1E-03  -6.7E-06 [m/sec]", "HBR = 6 [m]"]
    dcp = dcp_from_comments(comments)
    assert dcp is not None and dcp.sigma == 0.22
    np.testing.assert_array_equal(dcp.sensitivity_rtn_pos_m, [-1.5, 140.0, -0.032])
    assert dcp_from_comments(["HBR = 6 [m]"]) is None
    with pytest.raises(ValueError):
        dcp_from_comments(comments[:2])


def test_itrf_velocity_gains_the_earth_rotation():
    state = np.array([7.0e6, 0.0, 0.0, 0.0, 7.0e3, 0.0])
    inertial = itrf_to_inertial(state)
    np.testing.assert_allclose(inertial[3:6], [0.0, 7.0e3 + 7.292115e-5 * 7.0e6, 0.0])
    np.testing.assert_array_equal(inertial[0:3], state[0:3])


def test_fully_correlated_identical_errors_cancel_in_the_relative_covariance():
    # Two objects whose large along-track errors come from the same density term (P_k = base + sigma^2 G_k G_k'):
    # the shared part cancels in the relative covariance, P1 + P2 - sigma^2 (G1 G2' + G2 G1') = 2 base +
    # sigma^2 (G1 - G2)(G1 - G2)'. Crossing at right angles, G1 - G2 lies along the relative velocity, so the
    # encounter-plane covariance shrinks to 2 base and the Pc of a 20 m miss rises more than tenfold.
    s1 = np.array([7.0e6, 0.0, 0.0, 0.0, 7.5e3, 0.0])
    s2 = np.array([7.0e6 + 20.0, 0.0, 0.0, 0.0, 0.0, 7.5e3])
    g_rtn = np.array([0.0, 1000.0, 0.0])
    sigma = 0.3
    dcp = DCP(sigma, g_rtn, np.zeros(3))
    g1, g2 = rtn_basis(s1) @ g_rtn, rtn_basis(s2) @ g_rtn
    base = np.eye(3) * 25.0
    cov1, cov2 = base + sigma**2 * np.outer(g1, g1), base + sigma**2 * np.outer(g2, g2)
    result = pc_covxcorr(s1, s2, cov1, cov2, 10.0, dcp, dcp)
    assert result is not None
    expected = base * 2 + sigma**2 * np.outer(g1 - g2, g1 - g2)
    np.testing.assert_allclose(result.cov_rel_m2, expected, atol=1e-6)
    assert result.pc == pytest.approx(pc_circle(np.array([20.0, 0.0]), np.eye(2) * 50.0, 10.0), rel=1e-9)
    assert result.pc > 10 * result.pc_uncorrelated
