"""CCSDS ODM 3.0 (OEM, OPM, OCM) against Orekit's test corpus (../shared/data/ccsds, PROVENANCE.md) and the values
Orekit's own parser tests expect of it (src/test/java/org/orekit/files/ccsds/ndm/odm/{oem,opm,ocm}/*ParserTest.java,
commit fe4aee84); exact round trips; precise rejections; a property test on generated messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.space import odm
from kompas.space.odm import Ocm, OdmError, Oem, Opm
from kompas.space.odm.common import format_epoch, parse_epoch, to_utc
from kompas.space.odm.oem import covariance_problem, write_kvn, write_xml

CCSDS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ccsds"
VALID = {
    "oem": ["ISS.resampled.truncated.txt", "OEMExample1.txt", "OEMExample2.txt", "OEMExample3.txt",
            "OEMExample3.xml", "OEMExample4.txt", "OEMExample5.txt", "OEMExample5ITRF.txt", "OEMExample6.txt",
            "OEMExample8.txt", "OEMExample9.txt", "test_cov.oem"],
    "opm": ["OPMExample1.txt", "OPMExample2.txt", "OPMExample3.txt", "OPMExample3.xml", "OPMExample4.txt",
            "OPMExample5.txt", "OPMExample6.txt", "OPMExamplePartialManeuver.txt"],
    "ocm": ["OCMExample1.txt", "OCMExample2.txt", "OCMExample2.xml", "OCMExample3.txt", "OCMExample4.txt",
            "OCMExample5ITRF.txt", "OCMMinimal.txt"],
}
ALL_VALID = [f"{kind}/{name}" for kind, names in VALID.items() for name in names]


@pytest.fixture(scope="module")
def ccsds() -> Path:
    if not CCSDS.is_dir():
        pytest.skip(f"real data not found at {CCSDS} (clone ../shared beside the repository)")
    return CCSDS


def load(ccsds: Path, name: str) -> odm.Message:
    return odm.read((ccsds / name).read_text(), name)


# --- the corpus: every valid file read, round trips exact ----------------------------------------------------

@pytest.mark.shared
def test_the_corpus_is_complete(ccsds):
    """Every OEM/OPM/OCM file of the corpus is in the lists above (no file silently untested)."""
    found = {f"{d}/{p.name}" for d in VALID for p in (ccsds / d).iterdir()}
    negatives = {"oem/OEM-inconsistent-time-systems.txt", "oem/OEM-keyword-within-ephemeris.txt",
                 "oem/OEM-too-few-covariance-columns.txt"}
    assert found == set(ALL_VALID) | negatives


@pytest.mark.shared
@pytest.mark.parametrize("name", ALL_VALID)
def test_round_trip_exact(ccsds, name):
    """read(write(x)) == x for KVN, XML and KVN -> XML -> KVN, numbers to the bit, epochs to the nanosecond."""
    message = load(ccsds, name)
    kind = name.split("/")[0]
    assert type(message).__name__.lower() == kind
    kvn = odm.read(odm.write(message, "kvn"), "kvn")
    xml = odm.read(odm.write(message, "xml"), "xml")
    again = odm.read(odm.write(xml, "kvn"), "kvn2")
    assert kvn == message and xml == message and again == message
    assert odm.write(again, "kvn") == odm.write(message, "kvn")  # the text too, once normalised
    assert odm.detect(odm.write(message, "xml")) == (kind.upper(), "xml")


# --- OEM: counts and values from Orekit's OemParserTest ------------------------------------------------------

@pytest.mark.shared
@pytest.mark.parametrize(("name", "segments", "states", "covariances"), [
    ("ISS.resampled.truncated.txt", 1, 25, 0), ("OEMExample1.txt", 3, 13, 3), ("OEMExample2.txt", 2, 8, 0),
    ("OEMExample3.txt", 3, 9, 3), ("OEMExample3.xml", 1, 4, 1), ("OEMExample4.txt", 1, 3, 0),
    ("OEMExample5.txt", 1, 49, 0), ("OEMExample5ITRF.txt", 1, 49, 0), ("OEMExample6.txt", 3, 9, 0),
    ("OEMExample8.txt", 2, 8, 0), ("OEMExample9.txt", 2, 8, 0), ("test_cov.oem", 1, 2, 1)])
def test_oem_counts(ccsds, name, segments, states, covariances):
    oem = load(ccsds, f"oem/{name}")
    assert isinstance(oem, Oem)
    assert len(oem.segments) == segments
    assert sum(s.epochs.size for s in oem.segments) == states
    assert sum(len(s.covariances) for s in oem.segments) == covariances
    for seg in oem.segments:
        assert seg.states.shape == (seg.epochs.size, 6) and seg.epochs.dtype == np.dtype("datetime64[ns]")


@pytest.mark.shared
def test_oem_iss_first_and_last_states(ccsds):
    """The real NASA/JSC ISS ephemeris: 25 states, 23 data comments of which 2 are empty (OemParserTest:859)."""
    oem = load(ccsds, "oem/ISS.resampled.truncated.txt")
    assert isinstance(oem, Oem)
    seg = oem.segments[0]
    assert seg.metadata["OBJECT_ID"] == "1998-067-A" and seg.frame == "EME2000" and seg.time_system == "UTC"
    assert len(seg.data_comments) == 23 and seg.data_comments[13] == "" and seg.data_comments[20] == ""
    assert seg.epochs[0] == np.datetime64("2022-01-17T12:00:00", "ns")
    assert seg.epochs[-1] == np.datetime64("2022-01-18T12:00:00", "ns")
    np.testing.assert_array_equal(seg.states[0], [545.284043961596, 4217.457419990610, 5288.809933277320,
                                                  -7.63639664838008, 0.16882788525720, 0.65634287389035])
    np.testing.assert_array_equal(seg.states[-1], [-686.092044989599, -4188.202787453680, -5317.900983066790,
                                                   7.60432652821943, -0.66585703863869, -0.45178827864052])
    assert np.all(np.diff(seg.epochs) == np.timedelta64(3600, "s"))
    r = np.linalg.norm(seg.states[:, :3], axis=1)
    assert np.all((r > 6700) & (r < 6850))  # ISS altitude: ~330..470 km
    assert seg.interpolation == "LAGRANGE" and seg.degree == 1  # none given: the defaults


@pytest.mark.shared
def test_oem_example1_values(ccsds):
    """OemParserTest.testParseOEM1: metadata, first state, the segment-3 covariance (km**2 here, m**2 there)."""
    oem = load(ccsds, "oem/OEMExample1.txt")
    assert isinstance(oem, Oem)
    assert oem.header["CLASSIFICATION"] == "public, test-data"
    first = oem.segments[0]
    assert first.metadata["CENTER_NAME"] == "MARS BARYCENTER" and first.interpolation == "HERMITE"
    assert first.degree == 7
    assert first.data_comments == ["This file was produced by M.R. Somebody, MSOO NAV/JPL, 1996NOV 04. It is",
                                   "to be used for DSN scheduling purposes only."]
    np.testing.assert_array_equal(first.states[0], [2789.619, -280.045, -1746.755, 4.73372, -2.49586, -1.04195])
    assert first.accelerations is None
    cov = oem.segments[2].covariances[0]
    assert cov.epoch == np.datetime64("1996-12-28T21:29:07.267", "ns") and cov.frame == "RTN"
    expected_lower = [[3.3313494e-04], [4.6189273e-04, 6.7824216e-04], [-3.0700078e-04, -4.2212341e-04, 3.2319319e-04],
                      [-3.3493650e-07, -4.6860842e-07, 2.4849495e-07, 4.2960228e-10],
                      [-2.2118325e-07, -2.8641868e-07, 1.7980986e-07, 2.6088992e-10, 1.7675147e-10],
                      [-3.0413460e-07, -4.9894969e-07, 3.5403109e-07, 1.8692631e-10, 1.0088625e-10, 6.2244443e-10]]
    for i, row in enumerate(expected_lower):
        for j, value in enumerate(row):
            assert cov.matrix[i, j] == value and cov.matrix[j, i] == value
    assert oem.segments[2].covariances[1].frame == "EME2000"
    assert oem.segments[1].covariances[0].frame == "EME2000"


@pytest.mark.shared
def test_oem_default_degree_and_accelerations(ccsds):
    """OemParserTest:787-800: INTERPOLATION without degree -> 1; the second segment 7. OEMExample3.xml: X_DDOT."""
    oem = load(ccsds, "oem/OEMExample8.txt")
    assert isinstance(oem, Oem)
    assert [s.degree for s in oem.segments] == [1, 7]
    xml = load(ccsds, "oem/OEMExample3.xml")
    assert isinstance(xml, Oem)
    acc = xml.segments[0].accelerations
    assert acc is not None and acc[0].tolist() == [0.008, 0.001, -0.159]
    assert xml.header["MESSAGE_ID"] == "OEM 201113719185"


@pytest.mark.shared
@pytest.mark.parametrize(("name", "line", "field", "words"), [
    ("OEM-too-few-covariance-columns.txt", 55, "COVARIANCE", "row 5 needs 5 values, got 4"),
    ("OEM-keyword-within-ephemeris.txt", 24, "USER_DEFINED_TEST_KEY", "not allowed within the ephemeris"),
    ("OEM-inconsistent-time-systems.txt", 33, "TIME_SYSTEM", "UTC (line 11) and TCG")])
def test_oem_negative_files(ccsds, name, line, field, words):
    """Rejected where Orekit rejects them (line 55, line 24; the UTC/TCG clash named), nothing else reported."""
    with pytest.raises(OdmError) as raised:
        load(ccsds, f"oem/{name}")
    (rejection,) = raised.value.rejections
    assert rejection.source == f"oem/{name}" and rejection.line == line and rejection.field == field
    assert words in rejection.reason


@pytest.mark.shared
def test_oem_time_systems(ccsds):
    """UTC passes through; MRT (OEMExample2) cannot be converted and is named."""
    iss = load(ccsds, "oem/ISS.resampled.truncated.txt")
    assert isinstance(iss, Oem)
    assert np.array_equal(iss.segments[0].epochs_utc(), iss.segments[0].epochs)
    mrt = load(ccsds, "oem/OEMExample2.txt")
    assert isinstance(mrt, Oem)
    with pytest.raises(OdmError, match="MRT"):
        mrt.segments[0].epochs_utc()


def test_time_scales_to_utc():
    """TAI - UTC = 37 s since 2017; GPS = TAI - 19 s; TT = TAI + 32.184 s."""
    t = np.array(["2022-01-17T12:00:37"], dtype="datetime64[ns]")
    assert to_utc(t, "TAI")[0] == np.datetime64("2022-01-17T12:00:00", "ns")
    assert to_utc(t, "GPS")[0] == np.datetime64("2022-01-17T12:00:19", "ns")  # GPS - UTC = 18 s
    tt = np.array(["2022-01-17T12:01:09.184"], dtype="datetime64[ns]")
    assert abs((to_utc(tt, "TT")[0] - np.datetime64("2022-01-17T12:00:00", "ns")) / np.timedelta64(1, "ns")) <= 1
    with pytest.raises(ValueError, match="UT1"):
        to_utc(t, "UT1")


# --- OPM ------------------------------------------------------------------------------------------------

@pytest.mark.shared
def test_opm_manoeuvres(ccsds):
    """OpmParserTest: OPMExample2 has 2 manoeuvres (DV -23.257, 16.8316, -8.93444 m/s in EME2000/J2000, then
    1.015, -1.873, 0 m/s in RTN), OPMExample5 3, the partial one 1 without duration and delta-mass."""
    opm = load(ccsds, "opm/OPMExample2.txt")
    assert isinstance(opm, Opm)
    assert len(opm.maneuvers) == 2 and opm.spacecraft["MASS"] == 1913.0
    first, second = opm.maneuvers
    np.testing.assert_array_equal(first.dv_km_s, [-0.02325700, 0.01683160, -0.00893444])
    assert first.duration_s == 132.6 and first.delta_mass_kg == -18.418 and first.ref_frame == "J2000"
    assert first.epoch_ignition == np.datetime64("2000-06-03T09:00:34.1", "ns")
    assert first.comments == ["2 planned maneuvers", "First maneuver: AMF-3",
                              "Non-impulsive, thrust direction fixed in inertial frame"]
    np.testing.assert_array_equal(second.dv_km_s, [0.001015, -0.001873, 0.0])
    assert second.ref_frame == "RTN" and second.duration_s == 0.0
    assert opm.keplerian["SEMI_MAJOR_AXIS"] == 41399.5123 and opm.keplerian["GM"] == 398600.4415
    five = load(ccsds, "opm/OPMExample5.txt")
    assert isinstance(five, Opm) and len(five.maneuvers) == 3 and five.maneuvers[2].comments == []
    partial = load(ccsds, "opm/OPMExamplePartialManeuver.txt")
    assert isinstance(partial, Opm) and len(partial.maneuvers) == 1
    assert np.isnan(partial.maneuvers[0].duration_s) and np.isnan(partial.maneuvers[0].delta_mass_kg)


@pytest.mark.shared
def test_opm_state_and_covariance(ccsds):
    kvn, xml = load(ccsds, "opm/OPMExample3.txt"), load(ccsds, "opm/OPMExample3.xml")
    assert isinstance(kvn, Opm) and isinstance(xml, Opm)
    np.testing.assert_array_equal(xml.state, [6503.514, 1239.647, -717.49, -0.87316, 8.74042, -4.191076])
    assert xml.covariance is not None and xml.cov_ref_frame == "ITRF1997"
    assert xml.covariance[1, 0] == xml.covariance[0, 1] == 0.722 and xml.covariance[5, 5] == 0.991
    assert xml.header["MESSAGE_ID"] == "OPM 201113719185"
    assert sum(o.covariance is not None for o in (kvn, xml)) == 2


# --- OCM ------------------------------------------------------------------------------------------------

@pytest.mark.shared
def test_ocm_relative_times_resolved(ccsds):
    """OcmParserTest: OCMExample1 mixes relative times and an absolute epoch: 0, 10, 20 and 500 s after
    EPOCH_TZERO 1998-12-18T14:28:15.1172."""
    ocm = load(ccsds, "ocm/OCMExample1.txt")
    assert isinstance(ocm, Ocm)
    (traj,) = ocm.trajectories
    seconds = (traj.epochs - ocm.epoch_tzero) / np.timedelta64(1, "s")
    assert seconds.tolist() == [0.0, 10.0, 20.0, 500.0]
    assert np.isnan(traj.relative_s[1]) and traj.relative_s[3] == 500.0
    assert traj.values.shape == (4, 6) and traj.values[3, 0] == 2164.375


@pytest.mark.shared
def test_ocm_example4_blocks(ccsds):
    """OcmParserTest on the full-featured OCMExample4: 3 TRAJ (3 lines each, at 0/300/600, 1800.., 2800.. s), 2 COV
    (3 and 1 lines), 3 MAN (2, 2 and 8 lines), PHYS, PERT, OD, USER; MAN_*_EPOCH relative times."""
    ocm = load(ccsds, "ocm/OCMExample4.txt")
    assert isinstance(ocm, Ocm)
    assert [b.kind for b in ocm.blocks] == ["TRAJ"] * 3 + ["PHYS"] + ["COV"] * 2 + ["MAN"] * 3 + ["PERT", "OD",
                                                                                                  "USER"]
    t0 = ocm.epoch_tzero

    def seconds(epochs: np.ndarray) -> list[float]:
        return ((epochs - t0) / np.timedelta64(1, "s")).tolist()

    assert [seconds(b.epochs) for b in ocm.trajectories] == [[0, 300, 600], [1800, 2100, 2400], [2800, 3100, 3400]]
    assert [b.values.shape[1] for b in ocm.trajectories] == [9, 3, 6]
    assert ocm.trajectories[0].values[2, 8] == -0.006  # Orekit: -6.0 m/s**2
    cov0, cov1 = ocm.covariances
    assert seconds(cov0.epochs) == [0, 300, 600] and seconds(cov1.epochs) == [1800]
    matrices = cov0.matrices()
    assert matrices[0, 0, 0] == 1.1 and matrices[1, 2, 1] == 13.2 and matrices[2, 4, 5] == 26.5
    assert cov1.values.shape == (1, 36)
    with pytest.raises(ValueError, match="UTMWCC"):
        cov1.matrices()
    assert [b.epochs.size for b in ocm.maneuvers] == [2, 2, 8]
    m0, m1, m2 = ocm.maneuvers
    assert seconds(m0.epochs) == [0, 600] and seconds(m1.epochs) == [1000, 1600]
    assert seconds(m2.epochs)[:2] == [35100, 35160] and m2.rows[0][0] == "BEE_1"
    assert m1.column("DV_X")[1] == 0.025  # Orekit: 25.0 m/s
    assert (ocm.resolve(m0.fields["MAN_PREV_EPOCH"]) - t0) / np.timedelta64(1, "s") == -100.0
    assert (ocm.resolve(m0.fields["MAN_FRAME_EPOCH"]) - t0) / np.timedelta64(1, "s") == 2.3
    assert len(ocm.comments) == 2 and len(ocm.metadata_comments) == 1
    assert ocm.of("PHYS")[0].fields["IXX"] == "1000.0"


@pytest.mark.shared
def test_ocm_example3_manoeuvres_and_xml(ccsds):
    """OCMExample3: 2 MAN blocks, 10 deployments at 500..590 s and one thrust arc; comments "= text" read as text.
    OCMExample2 in KVN and XML: the same TRAJ line and PERT values."""
    ocm = load(ccsds, "ocm/OCMExample3.txt")
    assert isinstance(ocm, Ocm)
    deploy, thrust = ocm.maneuvers
    assert deploy.comments[0] == "Ten 1kg objects deployed from 200kg host over 100 s timespan"
    assert ((deploy.epochs - ocm.epoch_tzero) / np.timedelta64(1, "s")).tolist() == [500.0 + 10 * i
                                                                                     for i in range(10)]
    assert deploy.column("DEPLOY_DV_X")[0] == 2.8773e-4 and deploy.column("DEPLOY_DV_CDA")[0] == 0.033
    assert thrust.epochs[0] - ocm.epoch_tzero == np.timedelta64(500, "s")
    kvn, xml = load(ccsds, "ocm/OCMExample2.txt"), load(ccsds, "ocm/OCMExample2.xml")
    assert isinstance(kvn, Ocm) and isinstance(xml, Ocm)
    assert xml.time_system == kvn.time_system == "UT1"
    assert xml.trajectories[0].values[0, 0] == 2854.5 and xml.of("USER")[0].fields == {"USER_DEFINED_EARTH_MODEL":
                                                                                         "WGS-84"}


# --- malformed messages (no shared data needed) --------------------------------------------------------

OEM_TEXT = """CCSDS_OEM_VERS = 3.0
CREATION_DATE = 2026-01-01T00:00:00
ORIGINATOR = TEST
META_START
OBJECT_NAME = SAT
OBJECT_ID = 2026-001A
CENTER_NAME = EARTH
REF_FRAME = EME2000
TIME_SYSTEM = UTC
START_TIME = 2026-01-01T00:00:00
STOP_TIME = 2026-01-01T00:02:00
META_STOP
2026-01-01T00:00:00 7000.0 0.0 0.0 0.0 7.5 0.0
2026-01-01T00:01:00 6999.0 450.0 0.0 -0.5 7.5 0.0
2026-01-01T00:02:00 6996.0 900.0 0.0 -1.0 7.5 0.0
"""


@pytest.mark.parametrize(("old", "new", "line", "field", "reason"), [
    ("ORIGINATOR = TEST\n", "", 1, "ORIGINATOR", "mandatory"),
    ("OBJECT_ID = 2026-001A\n", "OBJECT_ID = 2026-001A\nFOO = 1\n", 7, "FOO", "not an OEM metadata keyword"),
    ("REF_FRAME = EME2000\n", "", 4, "REF_FRAME", "mandatory"),
    ("6999.0 450.0", "6999.0 4x50.0", 14, "Y", "not a number"),
    ("2026-01-01T00:01:00", "2026-01-01T00:03:00", 15, "EPOCH", "out of order"),
    ("2026-01-01T00:01:00", "2026-02-30T00:01:00", 14, "EPOCH", "not a valid date"),
    (" -1.0 7.5 0.0\n", " -1.0 7.5\n", 15, "EPHEMERIS", "7 values"),
    ("STOP_TIME = 2026-01-01T00:02:00", "STOP_TIME = 2026-01-01T00:01:00", 4, "STOP_TIME", "before the last"),
    ("META_STOP\n", "", 12, "data", "META_STOP missing"),
    ("INTERP", "INTERP", 0, "", ""),
])
def test_oem_rejections(old, new, line, field, reason):
    text = OEM_TEXT.replace(old, new)
    if text == OEM_TEXT:
        assert odm.read(text, "ok.oem").segments[0].epochs.size == 3  # the unmodified message is accepted
        return
    with pytest.raises(OdmError) as raised:
        odm.read(text, "bad.oem")
    found = [(r.line, r.field) for r in raised.value.rejections if reason in r.reason]
    assert (line, field) in found, raised.value.rejections
    assert all(r.source == "bad.oem" for r in raised.value.rejections)


def test_oem_covariance_rows_and_keywords():
    cov = ("COVARIANCE_START\nEPOCH = 2026-01-01T00:00:00\n1.0\n0.1 1.0\n0.1 0.1 1.0\n0.0 0.0 0.0 1.0\n"
           "0.0 0.0 0.0 0.0 1.0\n0.0 0.0 0.0 0.0 0.0 1.0\nCOVARIANCE_STOP\n")
    oem = odm.read(OEM_TEXT + cov, "cov.oem")
    assert isinstance(oem, Oem)
    (c,) = oem.segments[0].covariances
    assert c.frame == "EME2000" and not c.frame_given and c.matrix[0, 1] == c.matrix[1, 0] == 0.1
    with pytest.raises(OdmError, match="not allowed in a covariance block"):
        odm.read(OEM_TEXT + cov.replace("EPOCH =", "FOO = 1\nEPOCH ="), "cov.oem")
    with pytest.raises(OdmError, match="6 lower-triangle rows"):
        odm.read(OEM_TEXT + cov.replace("0.0 0.0 0.0 0.0 0.0 1.0\n", ""), "cov.oem")


def test_opm_rejections():
    text = """CCSDS_OPM_VERS = 3.0
CREATION_DATE = 2026-01-01T00:00:00
ORIGINATOR = TEST
OBJECT_NAME = SAT
OBJECT_ID = 2026-001A
CENTER_NAME = EARTH
REF_FRAME = EME2000
TIME_SYSTEM = UTC
EPOCH = 2026-01-01T00:00:00
X = 7000.0 [km]
Y = 0.0
Z = 0.0
X_DOT = 0.0
Y_DOT = 7.5
Z_DOT = 0.0
MAN_EPOCH_IGNITION = 2026-01-01T01:00:00
MAN_REF_FRAME = RTN
MAN_DV_1 = 0.001
MAN_DV_2 = 0.0
MAN_DV_3 = 0.0
"""
    opm = odm.read(text, "ok.opm")
    assert isinstance(opm, Opm) and opm.state[0] == 7000.0 and opm.maneuvers[0].dv_km_s[0] == 0.001
    cases = [(text.replace("Y = 0.0\n", ""), 1, "Y", "mandatory"),
             (text.replace("MAN_DV_3 = 0.0\n", ""), 16, "MAN_DV_3", "mandatory in a manoeuvre"),
             (text.replace("Z = 0.0", "Z = zero"), 12, "Z", "not a number"),
             (text + "X = 1.0\n", 21, "X", "out of place"),
             (text.replace("MAN_EPOCH", "CX_X = 1.0\nMAN_EPOCH"), 16, "CY_X", "covariance incomplete"),
             (text.replace("X_DOT", "X_DOTT"), 13, "X_DOTT", "not an OPM keyword")]
    for bad, line, field, reason in cases:
        with pytest.raises(OdmError) as raised:
            odm.read(bad, "bad.opm")
        assert any((r.line, r.field) == (line, field) and reason in r.reason for r in raised.value.rejections), \
            (field, raised.value.rejections)


def test_ocm_rejections():
    text = """CCSDS_OCM_VERS = 3.0
CREATION_DATE = 2026-01-01T00:00:00
ORIGINATOR = TEST
META_START
TIME_SYSTEM = UTC
EPOCH_TZERO = 2026-01-01T00:00:00
META_STOP
TRAJ_START
TRAJ_TYPE = CARTP
0.0 7000.0 0.0 0.0
60.0 6999.0 450.0 0.0
TRAJ_STOP
MAN_START
MAN_COMPOSITION = TIME_RELATIVE, DV_X, DV_Y, DV_Z
30.0 0.001 0.0 0.0
MAN_STOP
"""
    ocm = odm.read(text, "ok.ocm")
    assert isinstance(ocm, Ocm) and ocm.maneuvers[0].epochs[0] == np.datetime64("2026-01-01T00:00:30", "ns")
    cases = [(text.replace("60.0 6999.0 450.0 0.0", "60.0 6999.0 450.0"), 11, "TRAJ", "3 values"),
             (text.replace("60.0 6999.0", "-60.0 6999.0"), 11, "TIME", "out of order"),
             (text.replace("30.0 0.001 0.0 0.0", "30.0 0.001 0.0"), 15, "MAN_COMPOSITION", "4 columns"),
             (text.replace("EPOCH_TZERO = 2026-01-01T00:00:00\n", ""), 4, "EPOCH_TZERO", "mandatory"),
             (text.replace("TRAJ_TYPE", "TRAJ_TYP"), 9, "TRAJ_TYP", "not a keyword of an OCM TRAJ block"),
             (text + "PHYS_START\nWET_MASS = heavy\nPHYS_STOP\n", 18, "WET_MASS", "not a number"),
             (text.replace("TRAJ_STOP\n", ""), 12, "MAN", "TRAJ_STOP missing")]
    for bad, line, field, reason in cases:
        with pytest.raises(OdmError) as raised:
            odm.read(bad, "bad.ocm")
        assert any((r.line, r.field) == (line, field) and reason in r.reason for r in raised.value.rejections), \
            (field, raised.value.rejections)


def test_xml_shape_and_safety():
    oem = odm.read(OEM_TEXT, "x.oem")
    xml = write_xml(oem)  # type: ignore[arg-type]
    bad = xml.replace("<X>7000.0</X>", "<W>7000.0</W>")
    with pytest.raises(OdmError) as raised:
        odm.read(bad, "bad.xml")
    assert raised.value.rejections[0].field == "stateVector" and raised.value.rejections[0].line > 0
    with pytest.raises(OdmError, match="not allowed in <data>"):
        odm.read(xml.replace("<stateVector>", "<stateVectors>", 1).replace("</stateVector>", "</stateVectors>", 1),
                 "bad.xml")
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE oem [<!ENTITY a "aaaa">]>\n<oem version="3.0">&a;</oem>\n'
    with pytest.raises(OdmError, match="DTD or entities"):
        odm.read(bomb, "bomb.xml")
    deep = '<oem version="3.0">' + "<a>" * 40 + "</a>" * 40 + "</oem>"
    with pytest.raises(OdmError, match="deeper"):
        odm.read(deep, "deep.xml")
    with pytest.raises(OdmError, match="not well-formed"):
        odm.read(xml[: len(xml) // 2], "cut.xml")
    with pytest.raises(OdmError, match="not an OEM, OPM or OCM"):
        odm.read("hello", "x.txt")


def test_size_bound(monkeypatch):
    from kompas.space.odm import common

    monkeypatch.setattr(common, "MAX_LINES", 10)
    with pytest.raises(OdmError, match="more than 10 lines"):
        odm.read(OEM_TEXT, "long.oem")


# --- the builder and the property test ------------------------------------------------------------------

def test_from_states_round_trip_and_checks():
    epochs = np.array(["2026-05-05T00:00:00", "2026-05-05T00:01:00.000000001"], dtype="datetime64[ns]")
    states = np.array([[7000.123456789, -1.0 / 3.0, 1e-300, 7.5, 0.1, -0.2], [6999.0, 450.0, 0.0, -0.5, 7.5, 0.0]])
    cov = np.diag([1e-3, 2e-3, 3e-3, 1e-9, 2e-9, 3e-9])
    oem = Oem.from_states("SAT", "2026-001A", "TEME", "UTC", epochs, states, [(epochs[0], cov)], degree=7,
                          creation_date=np.datetime64("2026-05-05T01:02:03"))
    for text in (write_kvn(oem), write_xml(oem)):
        back = odm.read(text, "built")
        assert back == oem
    seg = oem.segments[0]
    assert seg.interpolation == "HERMITE" and seg.degree == 7 and seg.metadata["STOP_TIME"] == \
        "2026-05-05T00:01:00.000000001"
    with pytest.raises(OdmError, match="not positive semi-definite"):
        Oem.from_states("S", "I", "TEME", "UTC", epochs, states, [(epochs[0], -cov)])
    asym = cov.copy()
    asym[0, 1] = 1e-4
    assert covariance_problem(asym) == "not symmetric"
    with pytest.raises(OdmError, match="increasing"):
        Oem.from_states("S", "I", "TEME", "UTC", epochs[::-1], states)


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", min_size=1, max_size=12).map(str.strip).filter(bool)
comments = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC.,:()-0123456789", max_size=30)
                    .map(str.strip), max_size=2)


@st.composite
def oems(draw: st.DrawFn) -> Oem:
    segments = []
    for _ in range(draw(st.integers(1, 2))):
        n = draw(st.integers(1, 5))
        start = draw(st.integers(0, 2_000_000_000)) * 10**9 + draw(st.integers(0, 10**9 - 1))
        steps = draw(st.lists(st.integers(0, 10**12), min_size=n, max_size=n))
        epochs = (np.int64(start) + np.cumsum(steps)).astype("datetime64[ns]")
        states = np.array(draw(st.lists(finite, min_size=6 * n, max_size=6 * n))).reshape(n, 6)
        acc = None
        if draw(st.booleans()):
            acc = np.array(draw(st.lists(finite, min_size=3 * n, max_size=3 * n))).reshape(n, 3)
        seg = Oem.from_states(draw(names), draw(names), draw(st.sampled_from(["EME2000", "TEME", "GCRF"])),
                              draw(st.sampled_from(["UTC", "TAI", "TT"])), epochs, states, (),
                              draw(st.sampled_from(["HERMITE", "LAGRANGE"])), draw(st.integers(1, 9)),
                              creation_date=np.datetime64("2026-01-01"), accelerations=acc).segments[0]
        for _ in range(draw(st.integers(0, 2))):
            lower = draw(st.lists(finite, min_size=21, max_size=21))
            matrix = np.zeros((6, 6))
            k = 0
            for i in range(6):
                for j in range(i + 1):
                    matrix[i, j] = matrix[j, i] = lower[k]
                    k += 1
            frame = draw(st.sampled_from([None, "RTN", "EME2000"]))
            seg.covariances.append(odm.OemCovariance(epochs[0], frame or seg.frame, matrix, frame is not None))
        seg.comments, seg.data_comments = draw(comments), draw(comments)
        segments.append(seg)
    for seg in segments[1:]:
        seg.metadata["TIME_SYSTEM"] = segments[0].time_system
    return Oem({"CREATION_DATE": "2026-01-01T00:00:00", "ORIGINATOR": draw(names)}, segments,
               comments=draw(comments))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(oems())
def test_property_oem_round_trip(oem):
    """Any OEM (any finite float, nanosecond epochs, covariances, accelerations, comments) survives KVN, XML and
    KVN -> XML -> KVN exactly."""
    kvn = odm.read(write_kvn(oem), "gen")
    xml = odm.read(write_xml(oem), "gen")
    assert kvn == oem and xml == oem
    assert odm.read(write_kvn(xml), "gen") == oem  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.integers(-(2**62), 2**62))
def test_property_epoch_text(ns):
    epoch = np.datetime64(ns, "ns")
    if not 0 <= epoch.astype("datetime64[Y]").astype(int) + 1970 <= 9999:
        return
    assert parse_epoch(format_epoch(epoch)) == epoch


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_property_garbage_never_crashes(text):
    """Arbitrary text is read or rejected with OdmError, never another exception."""
    for head in ("", "CCSDS_OEM_VERS = 3.0\n", "CCSDS_OPM_VERS = 3.0\n", "CCSDS_OCM_VERS = 3.0\n"):
        try:
            odm.read(head + text, "fuzz")
        except OdmError as err:
            assert err.rejections and all(r.source == "fuzz" for r in err.rejections)


# --- the command line (kompas space odm ...) -------------------------------------------------------------

@pytest.mark.shared
def test_cli_check_and_convert(ccsds, tmp_path):
    from typer.testing import CliRunner

    from kompas.cli.odm import app

    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(ccsds / "oem")])
    assert checked.exit_code == 1
    assert "12 read, 3 rejected" in checked.output
    assert "OEM-too-few-covariance-columns.txt:55: COVARIANCE:" in checked.output
    assert "OEM-keyword-within-ephemeris.txt:24: USER_DEFINED_TEST_KEY:" in checked.output
    assert "OEM-inconsistent-time-systems.txt:33: TIME_SYSTEM:" in checked.output
    good = runner.invoke(app, ["check", str(ccsds / "opm" / "OPMExample2.txt"), str(ccsds / "ocm")])
    assert good.exit_code == 0, good.output
    assert "EUTELSAT W4" in good.output and "2 manoeuvre(s)" in good.output and "8 read, 0 rejected" in good.output
    source = ccsds / "ocm" / "OCMExample4.txt"
    xml, kvn = tmp_path / "o.xml", tmp_path / "o.txt"
    assert runner.invoke(app, ["convert", str(source), "--to", "xml", "-o", str(xml)]).exit_code == 0
    assert runner.invoke(app, ["convert", str(xml), "--to", "kvn", "-o", str(kvn)]).exit_code == 0
    assert odm.read(kvn.read_text(), "k") == odm.read(source.read_text(), "s")
    assert xml.read_text().lstrip().startswith("<?xml") and (xml.stat().st_mode & 0o077) == 0
    bad_to = runner.invoke(app, ["convert", str(source), "--to", "json", "-o", str(kvn)])
    assert bad_to.exit_code == 2
    rejected = runner.invoke(app, ["convert", str(ccsds / "oem" / "OEM-keyword-within-ephemeris.txt"), "--to",
                                   "xml", "-o", str(tmp_path / "never.xml")])
    assert rejected.exit_code == 1 and not (tmp_path / "never.xml").exists()


def test_cli_check_without_shared_data(tmp_path):
    from typer.testing import CliRunner

    from kompas.cli.odm import app

    good, bad, binary = tmp_path / "a.oem", tmp_path / "b.oem", tmp_path / "c.oem"
    good.write_text(OEM_TEXT)
    bad.write_text(OEM_TEXT.replace("7.5 0.0\n2026-01-01T00:01:00", "7.5 0.0\nFOO = 1\n2026-01-01T00:01:00"))
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(app, ["check", str(good), str(bad), str(binary)])
    assert result.exit_code == 1
    assert f"{good}: OEM 3.0: 1 segment(s), 3 states" in result.output
    assert f"{bad}:14: FOO: keyword not allowed within the ephemeris data" in result.output
    assert f"{binary}:0: FILE: not UTF-8 text" in result.output
    assert "1 read, 2 rejected" in result.output


@st.composite
def opms(draw: st.DrawFn) -> Opm:
    state = np.array(draw(st.lists(finite, min_size=6, max_size=6)))
    kep = {}
    if draw(st.booleans()):
        kep = dict(zip(["SEMI_MAJOR_AXIS", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
                        draw(st.sampled_from(["TRUE_ANOMALY", "MEAN_ANOMALY"])), "GM"],
                       draw(st.lists(finite, min_size=7, max_size=7)), strict=True))
    spacecraft = dict(zip(["MASS", "DRAG_AREA"], draw(st.lists(finite, min_size=2, max_size=2)), strict=True))
    covariance = None
    if draw(st.booleans()):
        lower = draw(st.lists(finite, min_size=21, max_size=21))
        covariance = np.zeros((6, 6))
        rows, cols = np.tril_indices(6)
        covariance[rows, cols] = lower
        covariance[cols, rows] = lower
    maneuvers = [odm.OpmManeuver({"MAN_EPOCH_IGNITION": "2026-01-01T00:00:00", "MAN_REF_FRAME": "RTN",
                                  **{f"MAN_DV_{i}": repr(v) for i, v in enumerate(dvs, start=1)}}, draw(comments))
                 for dvs in draw(st.lists(st.lists(finite, min_size=3, max_size=3), max_size=2))]
    return Opm({"CREATION_DATE": "2026-01-01T00:00:00", "ORIGINATOR": draw(names)},
               {"OBJECT_NAME": draw(names), "OBJECT_ID": draw(names), "CENTER_NAME": "EARTH", "REF_FRAME": "GCRF",
                "TIME_SYSTEM": "UTC"}, np.datetime64(draw(st.integers(0, 2**60)), "ns"), state, kep, spacecraft,
               covariance, draw(st.sampled_from([None, "RTN"])) if covariance is not None else None, maneuvers,
               {"USER_DEFINED_X": draw(names)} if draw(st.booleans()) else {},
               comments={"header": draw(comments), "state": draw(comments)})


@st.composite
def ocms(draw: st.DrawFn) -> Ocm:
    from kompas.space.odm.ocm import OcmBlock

    tzero = np.datetime64(draw(st.integers(0, 2**60)), "ns")
    n = draw(st.integers(1, 4))
    relative = np.sort(np.array(draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n)), dtype=float) / 8)
    absolute = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    epochs = np.array([tzero + np.timedelta64(int(round(s * 1e9)), "ns") for s in relative], dtype="datetime64[ns]")
    relative[np.array(absolute)] = np.nan
    traj = OcmBlock("TRAJ", {"TRAJ_TYPE": "CARTPV", "TRAJ_REF_FRAME": "GCRF"}, draw(comments), epochs, relative,
                    np.array(draw(st.lists(finite, min_size=6 * n, max_size=6 * n))).reshape(n, 6))
    man = OcmBlock("MAN", {"MAN_ID": draw(names), "MAN_COMPOSITION": "TIME_ABSOLUTE,DV_X,THR_INTERP"}, [],
                   epochs[:1], np.array([np.nan]), rows=[(repr(draw(finite)), draw(st.sampled_from(["ON", "OFF"])))])
    user = OcmBlock("USER", {"USER_DEFINED_A": draw(names)}, draw(comments))
    return Ocm({"CREATION_DATE": "2026-01-01T00:00:00", "ORIGINATOR": draw(names)},
               {"TIME_SYSTEM": "UTC", "EPOCH_TZERO": format_epoch(tzero), "OBJECT_NAME": draw(names)},
               [traj, man, user], comments=draw(comments))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(opms(), ocms()))
def test_property_opm_ocm_round_trip(message):
    """Generated OPMs (state, Keplerian, covariance, manoeuvres) and OCMs (relative and absolute times mixed)
    survive KVN, XML and KVN -> XML -> KVN exactly."""
    kvn = odm.read(odm.write(message, "kvn"), "gen")
    xml = odm.read(odm.write(message, "xml"), "gen")
    assert kvn == message and xml == message
    assert odm.read(odm.write(xml, "kvn"), "gen") == message


def test_xml_in_ndm_container_and_opm_sections():
    """An ``<ndm>`` holding one ODM is read as that message; a keyword in the wrong OPM XML section is rejected
    with its line."""
    oem = odm.read(OEM_TEXT, "x.oem")
    body = write_xml(oem).split("\n", 1)[1]  # type: ignore[arg-type]
    assert odm.read(f'<?xml version="1.0"?>\n<ndm>\n{body}</ndm>\n', "ndm.xml") == oem
    with pytest.raises(OdmError, match="exactly one ODM"):
        odm.read(f"<ndm>\n{body}{body}</ndm>\n", "two.xml")
    opm_text = OEM_TEXT.replace("CCSDS_OEM_VERS", "CCSDS_OPM_VERS").split("META_START")[0] + (
        "OBJECT_NAME = S\nOBJECT_ID = I\nCENTER_NAME = EARTH\nREF_FRAME = GCRF\nTIME_SYSTEM = UTC\n"
        "EPOCH = 2026-01-01T00:00:00\nX = 1.0\nY = 2.0\nZ = 3.0\nX_DOT = 0.1\nY_DOT = 0.2\nZ_DOT = 0.3\nMASS = 100.0\n")
    opm = odm.read(opm_text, "x.opm")
    xml = odm.write(opm, "xml")
    assert odm.read(xml, "x.xml") == opm
    moved = xml.replace("<MASS>100.0</MASS>", "").replace("<Z_DOT>0.3</Z_DOT>", "<Z_DOT>0.3</Z_DOT><MASS>1.0</MASS>")
    with pytest.raises(OdmError) as raised:
        odm.read(moved, "moved.xml")
    (rejection,) = raised.value.rejections
    assert rejection.field == "MASS" and "not allowed in <stateVector>" in rejection.reason and rejection.line > 10
