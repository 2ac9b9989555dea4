"""Ephemeris screening: interpolation against CARA's examples, and ephemerides made of an element set's own SGP4
states screened against the catalogue give the same conjunctions as the element set.

Tolerances: ephemerides of SGP4 states every 60 s reproduce SGP4 to 1 m in LEO (Hermite: SGP4's velocity is
not the derivative of its position, ~2 cm/s, which is what limits the Hermite fit; Lagrange degree 7: < 1 cm),
so the same conjunctions must come out with the miss within 1 m and the TCA within 10 ms.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.io

from kompas.space import ephemeris as E
from kompas.space import odm
from kompas.space.elements import split_julian_date
from kompas.space.odm.oem import Oem, write_kvn
from kompas.space.propagation import Propagator
from kompas.space.screening import EPS_KM_S2, object_eps, screen
from kompas.space.tle import parse_tle

START = np.datetime64("2026-05-06T00:00:00", "ns")
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
STEP = np.timedelta64(60, "s")


def _sgp4_ephemeris(elset, start, seconds, method, degree, step=STEP, through_oem=False):
    """The element set's own SGP4 states every ``step`` as an ephemeris; ``through_oem``: written as an OEM (KVN,
    TEME, UTC) by :mod:`kompas.space.odm` and read back, as an operator's file would come."""
    epochs = start + step * np.arange(int(seconds // (step / np.timedelta64(1, "s"))) + 1)
    states, codes = Propagator.from_elements([elset]).grid(*split_julian_date(epochs))
    assert not codes.any()
    if through_oem:
        oem = Oem.from_states(elset.name, str(elset.norad_id), "TEME", "UTC", epochs, states[:, :, 0],
                              interpolation=method, degree=degree)
        message = odm.read(write_kvn(oem), "sgp4.oem")
        return E.from_segments(message.segments, elset.norad_id, elset.name, "sgp4.oem")
    return E.from_states(elset.norad_id, elset.name, epochs, states[:, :, 0], method=method, degree=degree,
                         source="sgp4")


@pytest.fixture(scope="module")
def shared_data() -> Path:
    """../shared/data, or skip saying so."""
    if not (SHARED_DATA / "ccsds").is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (clone ../shared beside the repository)")
    return SHARED_DATA


@pytest.fixture(scope="module")
def catalogue(shared_space: Path):
    elsets, _ = parse_tle((shared_space / "active_2026-05-05.tle").read_text())
    leo = sorted((e for e in elsets if e.mean_motion_rev_day > 11.25), key=lambda e: e.norad_id)
    return leo[::10]  # 1454 LEO objects


@pytest.fixture(scope="module")
def reference(catalogue):
    """Element-set screening of six primaries with real (crossing) conjunctions against the subset, one day."""
    found = screen(catalogue, START, 86400.0, 5.0)
    crossing = [c for c in found.conjunctions if c.label == "" and c.v_rel_km_s > 1.0]
    primaries: list[int] = []
    for c in crossing:
        if c.primary_id not in primaries and len(primaries) < 6:
            primaries.append(c.primary_id)
    assert len(primaries) == 6
    return primaries, screen(catalogue, START, 86400.0, 5.0, primaries=primaries)


@pytest.mark.shared
@pytest.mark.parametrize(("method", "degree"), [("HERMITE", 5), ("LAGRANGE", 7)])
def test_sgp4_made_ephemerides_give_the_same_conjunctions(catalogue, reference, method, degree):
    primaries, expected = reference
    objects = [_sgp4_ephemeris(e, START - np.timedelta64(1, "h"), 26 * 3600, method, degree, through_oem=True)
               if e.norad_id in primaries else e for e in catalogue]
    got = screen(objects, START, 86400.0, 5.0, primaries=primaries)
    want = {(c.primary_id, c.secondary_id, round(float((c.tca_utc - START) / np.timedelta64(1, "s")))): c
            for c in expected.conjunctions}
    have = {(c.primary_id, c.secondary_id, round(float((c.tca_utc - START) / np.timedelta64(1, "s")))): c
            for c in got.conjunctions}
    assert len(want) >= 6 and set(want) == set(have)
    for key, c in want.items():
        d = have[key]
        assert abs(float((d.tca_utc - c.tca_utc) / np.timedelta64(1, "ns"))) < 1e7, key  # 10 ms
        assert abs(d.miss_km - c.miss_km) < 1e-3, key  # 1 m
        assert d.label == c.label


@pytest.mark.shared
def test_ephemeris_span_inside_the_window(catalogue, reference):
    """An ephemeris that starts and stops off the sampling grid: exactly the element set's conjunctions inside its
    span, none outside (no extrapolation), plus pairs already close at its span's edges labelled as such."""
    primaries, expected = reference
    first, last = 3 * 3600 + 17 * 60 + 23.5, 17 * 3600 + 41 * 60 + 7.25
    begin = START + np.timedelta64(round(first * 1e9), "ns")
    objects = [_sgp4_ephemeris(e, begin, last - first, "LAGRANGE", 7, np.timedelta64(30, "s"))
               if e.norad_id in primaries else e for e in catalogue]
    stop = objects[[o.norad_id for o in objects].index(primaries[0])].stop_utc
    got = screen(objects, START, 86400.0, 5.0, primaries=primaries)
    inner = [c for c in got.conjunctions if c.label == ""]
    assert all(begin <= c.tca_utc <= stop for c in got.conjunctions)
    want = {(c.primary_id, c.secondary_id) for c in expected.conjunctions if begin < c.tca_utc < stop}
    assert want and want == {(c.primary_id, c.secondary_id) for c in inner}
    assert {c.label for c in got.conjunctions} <= {"", "ephemeris-start", "ephemeris-stop"}
    assert {c.label for c in got.conjunctions if c.label} <= {"ephemeris-start", "ephemeris-stop"}


@pytest.mark.shared
def test_interpolation_bound_covers_the_interpolant(catalogue):
    """The screening margin's bound on |r'' - g(r)| is at least the interpolant's own, by finite differences
    between the bound's grid points, and never below SGP4's EPS."""
    eph = _sgp4_ephemeris(catalogue[100], START, 6 * 3600, "HERMITE", 5)
    t = np.linspace(1.0, 6 * 3600 - 1.0, 20001)
    h = 1e-2
    values, codes = eph.states_at(np.concatenate([t - h, t, t + h]))
    assert not codes.any()
    r = values[0].reshape(3, -1, 3)
    acc = (r[2] - 2 * r[1] + r[0]) / h**2
    grav = -E.MU_WGS72_KM3_S2 * r[1] / np.linalg.norm(r[1], axis=1, keepdims=True) ** 3
    measured = np.max(np.linalg.norm(acc - grav, axis=1))
    assert 1e-6 < measured <= eph.accel_bound_km_s2
    assert object_eps([eph], 60.0)[0] >= max(EPS_KM_S2, eph.accel_bound_km_s2)


def test_hermite_and_lagrange_reproduce_polynomials_of_their_degree():
    t = np.arange(0.0, 3600.0, 60.0)
    epochs = START + (t * 1e9).astype("timedelta64[ns]")
    poly = np.polynomial.Polynomial([7000.0, 1.0, 1e-3, 1e-6, 1e-9, 3e-13])
    x, v = poly(t), poly.deriv()(t)
    states = np.stack([x, 0.5 * x, 0.1 * x, v, 0.5 * v, 0.1 * v], axis=1)
    q = np.arange(0.0, 3540.0, 7.3)
    for method, degree in (("HERMITE", 5), ("LAGRANGE", 5)):
        eph = E.from_states(1, "poly", epochs, states, method=method, degree=degree)
        values, codes = eph.states_at(q)
        assert not codes.any()
        assert np.max(np.abs(values[0][:, 0] - poly(q))) < 1e-8
        assert np.max(np.abs(values[1][:, 0] - poly.deriv()(q))) < 1e-9
    # degree 3 Hermite (2 nodes) cannot follow a quintic: the degree is honoured, not raised
    cubic = E.from_states(1, "poly", epochs, states, method="HERMITE", degree=3)
    assert cubic.nodes == 2 and np.max(np.abs(cubic.states_at(q)[0][0][:, 0] - poly(q))) > 1e-6
    assert E.nodes_for("HERMITE", 7) == 4 and E.nodes_for("LAGRANGE", 7) == 8
    outside = E.from_states(1, "poly", epochs, states).states_at(np.array([-1.0, 3541.0 + 60]))
    assert list(outside[1]) == [E.OUTSIDE_SPAN, E.OUTSIDE_SPAN] and np.isnan(outside[0]).all()


def _cara(path: Path) -> SimpleNamespace:
    d = scipy.io.loadmat(path)["StateCovInterpExample"][0, 0]
    return SimpleNamespace(**{k: np.asarray(d[k], dtype=float) for k in d.dtype.names})


#: CARA's printed LagrangeInterp differences (StateCovInterpExamplesExpectedOutput.txt): position (5-point
#: Hermite), velocity (5-point Lagrange) minus truth, km and km/s; median |covariance residual| (5-point Lagrange).
CARA_PRINTED = {
    "StateCovInterpExample1.mat": ((6.025120e-05, 8.798968e-05, -4.016793e-05),
                                   (-2.173872e-07, 1.680602e-07, 4.474194e-08), 4.144998e-08),
    "StateCovInterpExample2.mat": ((-4.378185e-05, -9.775057e-05, 3.511146e-05),
                                   (9.562439e-08, -2.931099e-08, -2.969061e-08), 2.297272e-08),
}


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(CARA_PRINTED))
def test_against_cara_state_interpolation(shared_data: Path, name):
    """5-point Hermite positions and 5-point Lagrange velocities and covariances, as CARA's LagrangeInterp, match
    its printed differences from the truth (positions to 1e-5 relative: printed with 7 digits); covariances to
    rounding."""
    ex = _cara(shared_data / "cara-methods" / "interpolation" / name)
    times = ex.T5[0] - ex.T5[0, 0]  # seconds
    epochs = np.datetime64("2020-01-01T00:00:00", "ns") + (times * 1e9).astype("timedelta64[ns]")
    at = ex.T[0, 0] - ex.T5[0, 0]
    hermite = E.from_states(1, "cara", epochs, ex.X5.T, method="HERMITE", degree=9)  # 5 nodes
    lagrange = E.from_states(1, "cara", epochs, np.concatenate([ex.X5[3:6].T, ex.X5[3:6].T], axis=1),
                             method="LAGRANGE", degree=4)  # velocities as the interpolated quantity
    assert hermite.nodes == 5 and lagrange.nodes == 5
    position = hermite.states_at(np.array([at]))[0][0, 0]
    velocity = lagrange.states_at(np.array([at]))[0][0, 0]
    printed_r, printed_v, printed_median = CARA_PRINTED[name]
    np.testing.assert_allclose(position - ex.X[0:3, 0], printed_r, rtol=1e-5, atol=1e-12)
    # velocities: 2e-11 km/s absolute (2e-12 of the speed: rounding of the polynomial solve)
    np.testing.assert_allclose(velocity - ex.X[3:6, 0], printed_v, rtol=1e-5, atol=2e-11)
    cov = np.zeros((6, 6))
    for row in range(6):
        elements = ex.P5[row].T  # (5 epochs, 6 columns) of this row
        eph = E.from_states(1, "cov", epochs, np.concatenate([elements[:, 0:3], elements[:, 3:6]], axis=1),
                            method="LAGRANGE", degree=4)
        cov[row, 0:3] = eph.states_at(np.array([at]))[0][0, 0]
        eph = E.from_states(1, "cov", epochs, np.concatenate([elements[:, 3:6], elements[:, 0:3]], axis=1),
                            method="LAGRANGE", degree=4)
        cov[row, 3:6] = eph.states_at(np.array([at]))[0][0, 0]
    # CARA's median residual is rounding (4e-13 of the elements); ours, from a monomial solve, is within 2e-11 of them
    scale = np.max(np.abs(ex.P))
    assert printed_median / scale < 1e-12 and np.median(np.abs(cov - ex.P)) < 2e-11 * scale
    # the CDM path: linear in time between the bracketing epochs (T1, T2), diagonal within 2% of CARA's truth
    w = (ex.T[0, 0] - ex.T1[0, 0]) / (ex.T2[0, 0] - ex.T1[0, 0])
    linear = (1 - w) * ex.P1 + w * ex.P2
    assert np.max(np.abs(np.diag(linear) / np.diag(ex.P) - 1)) < 0.02


def test_rejects_what_it_cannot_screen():
    states = np.tile(np.array([[7000.0, 0.0, 0.0, 0.0, 7.5, 0.0]]), (3, 1))
    epochs = START + STEP * np.arange(3)
    with pytest.raises(E.EphemerisError, match="CENTER_NAME 'MARS BARYCENTER'"):
        E.frame_to_teme("EME2000", "MARS BARYCENTER", epochs, states)
    with pytest.raises(E.EphemerisError, match="REF_FRAME 'TOD'"):
        E.frame_to_teme("TOD", "EARTH", epochs, states)
    with pytest.raises(E.EphemerisError, match="INTERPOLATION 'SPLINE'"):
        E.nodes_for("SPLINE", 3)
    segment = SimpleNamespace(metadata={"CENTER_NAME": "EARTH", "REF_FRAME": "EME2000", "TIME_SYSTEM": "TCG"},
                              epochs=epochs, states=states, covariances=[])
    with pytest.raises(E.EphemerisError, match="TIME_SYSTEM 'TCG'"):
        E.from_segments([segment], 1)


@pytest.mark.shared
def test_iss_oem_frames_and_span(shared_data: Path):
    """The real ISS OEM (EME2000, UTC, hourly states): converted to TEME through the frame bias and GCRS, passing
    through its nodes, nothing outside its span. (No 2022 element sets are shared to screen it against.)"""
    lines = (shared_data / "ccsds" / "oem" / "ISS.resampled.truncated.txt").read_text().splitlines()
    rows = [line.split() for line in lines if line[:4].isdigit() and len(line.split()) == 7]
    epochs = np.array([r[0] for r in rows], dtype="datetime64[ns]")
    states = np.array([[float(x) for x in r[1:]] for r in rows])
    segment = SimpleNamespace(metadata={"CENTER_NAME": "Earth", "REF_FRAME": "EME2000", "TIME_SYSTEM": "UTC",
                                        "USEABLE_START_TIME": "2022-01-17T12:00:00.000",
                                        "USEABLE_STOP_TIME": "2022-01-18T12:00:00.000"},
                              epochs=epochs, states=states, covariances=[])
    eph = E.from_segments([segment], 25544, "ISS")
    assert eph.method == "LAGRANGE" and eph.nodes == E.DEFAULT_DEGREE + 1
    teme = E.frame_to_teme("EME2000", "EARTH", epochs, states)
    # TEME and EME2000 differ by precession-nutation since J2000 (~0.3 deg in 2022): kilometres, not metres
    shift = np.linalg.norm(teme[:, 0:3] - states[:, 0:3], axis=1)
    assert np.all((shift > 10.0) & (shift < 60.0))
    gcrs = E.frame_to_teme("GCRF", "EARTH", epochs, states)
    # the frame bias: a rotation by 23.1 mas (IAU 2006: dalpha0 -14.6, xi0 -16.6, eta0 -6.8 mas), so each
    # position moves by at most 23.1 mas x |r| (0.76 m at the ISS), by less where r is near the rotation axis
    angle_mas = (np.linalg.norm(gcrs[:, 0:3] - teme[:, 0:3], axis=1) / np.linalg.norm(states[:, 0:3], axis=1)
                 / np.pi * 180 * 3600e3)
    assert np.all(angle_mas <= 23.2) and angle_mas.max() > 20.0
    jd, fr = split_julian_date(epochs)
    at_nodes, codes = eph.teme(jd, fr)
    assert not codes.any() and np.max(np.abs(at_nodes.T[:, 0:3] - teme[:, 0:3])) < 1e-6
    jd, fr = split_julian_date(np.array([epochs[0] - np.timedelta64(1, "s"), epochs[-1] + np.timedelta64(1, "s")]))
    assert list(eph.teme(jd, fr)[1]) == [E.OUTSIDE_SPAN, E.OUTSIDE_SPAN]


def test_the_screen_command_with_an_ephemeris(tmp_path: Path):
    """`kompas space screen --ephemeris`: an OEM of an object's own SGP4 states (OBJECT_ID its international
    designator, with covariance blocks) replaces its element set and finds what `--primaries` finds; the CDMs carry
    the OEM's covariance and say which source each object came from; an OEM about Mars is refused, saying why."""
    from typer.testing import CliRunner

    from kompas.cli import app
    from kompas.space.tle import parse_tle as read

    sample = Path(__file__).resolve().parents[2] / "src" / "kompas" / "data" / "sample" / "active_2026-05-05_sample.tle"
    elsets, _ = read(sample.read_text())
    target = next(e for e in elsets if e.norad_id == 26400)  # ISS (ZVEZDA), 2000-037A
    start = np.datetime64("2026-05-05T12:00:00", "ns")
    epochs = start + STEP * np.arange(6 * 60 + 1)
    states, _ = Propagator.from_elements([target]).grid(*split_julian_date(epochs))
    cov = np.diag([1e-2, 4e-2, 1e-2, 1e-8, 1e-8, 1e-8])
    oem = Oem.from_states("ISS", "2000-037A", "TEME", "UTC", epochs, states[:, :, 0],
                          covariances=[(epochs[0], cov), (epochs[-1], 2 * cov)], interpolation="LAGRANGE", degree=7)
    path = tmp_path / "iss.oem"
    path.write_text(write_kvn(oem))
    common = ["space", "screen", "--catalog", str(sample), "--start", "2026-05-05T12:00:00Z", "--days", "0.25",
              "--threshold-km", "200"]  # the 615-object sample is sparse
    plain = CliRunner().invoke(app, [*common, "--primaries", "26400", "--out", str(tmp_path / "gp.csv")])
    assert plain.exit_code == 0, plain.output
    run = CliRunner().invoke(app, [*common, "--ephemeris", str(path), "--out", str(tmp_path / "oem.csv"),
                                   "--cdm-dir", str(tmp_path / "cdms")])
    assert run.exit_code == 0, run.output

    def pairs(name: str) -> set[tuple[str, str, str]]:
        rows = (tmp_path / name).read_text().splitlines()[1:]
        return {(r.split(",")[0], r.split(",")[1], r.split(",")[2][:19]) for r in rows if "same-object" not in r}

    found = pairs("oem.csv")
    assert found and found == pairs("gp.csv")
    cdms = sorted((tmp_path / "cdms").glob("*.cdm"))
    assert len(cdms) == len(found)
    text = cdms[0].read_text()
    assert "COMMENT Source = OEM" in text and "COMMENT Source = GP element set" in text
    assert "Covariance: from the OEM covariance blocks, linear in time" in text
    mars = Oem.from_states("X", "2000-037A", "EME2000", "UTC", epochs, states[:, :, 0], center_name="MARS BARYCENTER")
    (tmp_path / "mars.oem").write_text(write_kvn(mars))
    refused = CliRunner().invoke(app, [*common, "--ephemeris", str(tmp_path / "mars.oem")])
    assert refused.exit_code == 2 and "CENTER_NAME 'MARS BARYCENTER'" in refused.output
