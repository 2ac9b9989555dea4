"""PcMultiStep-style usage flags and the ``auto`` choice (kompas.space.usage) against CARA's verdicts on its 27
test conjunctions (the ``Comment`` column of ../shared/data/cara/expected_pc.csv) and its NPD case."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.space import cdm as cdm_io
from kompas.space import usage
from kompas.space.covrepair import clip_eigenvalues, repair
from tests.space.cara import METHODS, cara_cases


@pytest.mark.shared
def test_flags_and_basis_agree_with_caras_verdict_on_all_27(capsys):
    cases = cara_cases()
    lines, checked = [], 0
    calls = []
    for row, message in cases:
        enc = cdm_io.encounter(message)
        hbr = float(row["HBR_m"])
        a = usage.assess(enc, hbr, mc=lambda e, h: (calls.append(1), 1.5e-4)[1])
        pc2d_violated = any(f in usage.PC2D_FLAGS for f in a.flags)
        nc3d_violated = any(f in usage.NC3D_FLAGS for f in a.flags)
        comment = row["Comment"]
        if comment.startswith("No 2D-Pc method usage violation"):
            assert not pc2d_violated and a.basis == "pc2d", (row["Conjunction_ID"], a.flags)
            assert a.pc == pytest.approx(float(row["Pc2D"]), rel=1e-6)
        elif comment.startswith("2D-Pc method"):  # under- or overestimation: 2D Pc violated, Nc3D usable
            assert "pc2d_inaccurate" in a.flags and not nc3d_violated and a.basis == "nc3d", row["Conjunction_ID"]
            assert a.pc == pytest.approx(float(row["Nc3D"]), rel=1e-3)
        else:
            assert comment.startswith("3D-Nc method usage violation")
            assert pc2d_violated and nc3d_violated and a.basis == "mc", (row["Conjunction_ID"], a.flags)
            assert a.pc == 1.5e-4
            assert usage.choose(enc, hbr)[0:2] == (None, "mc")  # no Monte Carlo engine given: no value
        # every 'auto' value on the same side of CARA's decision thresholds as CARA's best estimate (its Nc3D
        # where the 2D Pc is violated, the Monte Carlo otherwise; the mc stand-in is not checked)
        if a.basis != "mc":
            best = float(row["Pc2D"]) if a.basis == "pc2d" else float(row["Nc3D"])
            for threshold in (1e-4, 1e-5, 1e-7):
                assert (a.pc >= threshold) == (best >= threshold), row["Conjunction_ID"]
        checked += 1
        lines.append(f"{row['Conjunction_ID']:58} {comment[:48]:48} {a.basis:5} {a.pc:11.4e} {','.join(a.flags)}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert checked == 27 and len(calls) == 2


@pytest.mark.shared
def test_npd_covariance_is_remediated_flagged_and_never_raises():
    path = METHODS / "omitron" / "OmitronTestCase_Test07_NonPDCovariance.cdm"
    if not path.is_file():
        pytest.skip(f"CARA Omitron cases not found at {path.parent}")
    enc = cdm_io.encounter(cdm_io.parse_kvn(path.read_text()))
    pc, basis, flags = usage.choose(enc, 20.0)
    assert "pc2d_npd" in flags or "covariance_remediated" in flags
    assert basis in ("nc3d", "mc")
    assert pc is None or abs(pc) <= 1e-10  # CARA: Pc = 0 (abs 1e-10) for Pc2D_Foster, PcElrod and Pc3D_Hall
    assert usage.pc2d_value(enc, 20.0) == pytest.approx(0.0, abs=1e-10)


def test_eigenvalue_clipping_repairs_and_reports():
    a = np.array([[4.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, -1e-3]])  # eigenvalues 5, 0, -1e-3
    rem = clip_eigenvalues(a, 1e-2)
    assert not rem.positive_definite and rem.clipped
    assert np.linalg.eigvalsh(rem.matrix)[0] == pytest.approx(1e-2)
    assert rem.det == pytest.approx(5 * 1e-2 * 1e-2)
    assert np.allclose(rem.inverse @ rem.matrix, np.eye(3), atol=1e-9)
    fixed, was_npd = repair(a)
    assert was_npd and np.linalg.eigvalsh(fixed)[0] >= -1e-12
    good = np.diag([1.0, 2.0, 3.0])
    rem2 = clip_eigenvalues(good, 1e-3)
    assert rem2.positive_definite and not rem2.clipped and rem2.matrix is not None
    assert repair(None) == (None, False)
