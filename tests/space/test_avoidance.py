"""The manoeuvre trade space (kompas.space.avoidance) against the closed-form impulsive-manoeuvre dynamics of a
circular orbit (Clohessy-Wiltshire, the circular limit of Bombardelli 2014 / Bombardelli & Hernando-Ayuso 2015),
a nonlinear propagation, SGP4 itself, and its own decision rule (zero burn, smallest burn)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from kompas.constants import MU_WGS72_KM3_S2
from kompas.space import avoidance as av
from kompas.space import cdm
from kompas.space.elements import split_julian_date
from kompas.space.frames import rtn_axes
from kompas.space.probability import Encounter
from kompas.space.screening import screen
from kompas.space.tle import parse_tle
from kompas.space.usage import pc2d_value
from tests.space.cara import CARA, need

DATA = Path(__file__).resolve().parents[1] / "data"
#: MetOp-B (817 km, near-circular, sun-synchronous) against a Fengyun 1C fragment: Pc2D 1.56e-3 in CARA's table.
METOP = "000038771_conj_000030802_20201216_182131_20201215_171306"
IRIDIUM, COSMOS = 24946, 22675
COLLISION = np.datetime64("2009-02-10T16:55:59", "ns")


def displacement_rtn(state: np.ndarray, leads_s: np.ndarray, dv_rtn_km_s: np.ndarray, j2: bool) -> np.ndarray:
    """Position change at TCA in the RTN frame at TCA (km) of an impulse given in the RTN frame at each burn."""
    phi, burn = av.transitions(state, leads_s, j2)
    at_tca = rtn_axes(state[0:3], state[3:6])
    return np.stack([at_tca @ phi[k][0:3, 3:6] @ rtn_axes(burn[k, 0:3], burn[k, 3:6]).T @ dv_rtn_km_s
                     for k in range(len(leads_s))])


def worst_against_clohessy_wiltshire(state: np.ndarray, orbits: np.ndarray, j2: bool) -> dict[str, float]:
    """Largest error against the closed form, relative to the displacement (along-track burns) or to a radial /
    normal burn's largest displacement (4 dv / n, dv / n: their displacement passes through zero)."""
    period = av.period_s(state)
    n = 2 * math.pi / period
    leads = orbits * period
    out = {}
    for axis, name in enumerate("RTN"):
        dv = np.eye(3)[axis] * 1e-4
        got = displacement_rtn(state, leads, dv, j2)
        errors = []
        for k, lead in enumerate(leads):
            expected = av.clohessy_wiltshire(n, lead, dv)
            scale = {"R": 4e-4 / n, "T": float(np.linalg.norm(expected)), "N": 1e-4 / n}[name]
            errors.append(float(np.linalg.norm(got[k] - expected)) / scale)
        out[name] = max(errors)
    return out


ORBITS = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0])


def test_two_body_burn_displacement_is_the_closed_form_of_a_circular_orbit():
    r = 7000.0
    v = math.sqrt(MU_WGS72_KM3_S2 / r)
    inclination = math.radians(98.0)
    state = np.array([r, 0.0, 0.0, 0.0, v * math.cos(inclination), v * math.sin(inclination)])
    worst = worst_against_clohessy_wiltshire(state, ORBITS, j2=False)
    assert max(worst.values()) < 1e-5, worst  # measured 3e-7


@pytest.mark.shared
def test_j2_burn_displacement_of_a_near_circular_leo_orbit_is_within_the_stated_tolerance():
    need(CARA / "cdm" / f"{METOP}.cdm")
    message = cdm.parse_kvn((CARA / "cdm" / f"{METOP}.cdm").read_text(), METOP)
    worst = worst_against_clohessy_wiltshire(message.state(0), ORBITS, j2=True)
    assert worst["T"] < 0.01 and worst["R"] < 0.03, worst  # measured 0.56% and 2.0%
    assert worst["T"] > 1e-4  # J2 is in the model: not the closed form itself


def test_the_linear_displacement_matches_a_nonlinear_propagation():
    elsets = {e.norad_id: e for e in parse_tle((DATA / "iridium33_cosmos2251_2009-02-09.tle").read_text(), "x")[0]}
    jd, fr = split_julian_date(np.array([COLLISION]))
    state = av._sgp4_state(elsets[IRIDIUM], jd[0], fr[0])
    lead = 3.0 * av.period_s(state)
    phi, burn = av.transitions(state, [lead])
    assert np.allclose(av.propagate(burn[0], [lead])[0], state, atol=1e-6)  # there and back: the same flow
    for size, tolerance in ((1e-3, 0.01), (1e-4, 0.001)):  # 1 m/s and 10 cm/s along-track (0.4% and 0.04%)
        dv = rtn_axes(burn[0, 0:3], burn[0, 3:6]).T @ np.array([0.0, size, 0.0])
        moved = av.propagate(burn[0] + np.concatenate([np.zeros(3), dv]), [lead])[0]
        linear = phi[0][0:3, 3:6] @ dv
        assert np.linalg.norm(moved[0:3] - state[0:3] - linear) < tolerance * np.linalg.norm(linear)


def test_the_adjusted_element_set_makes_the_burn_and_then_moves_as_the_transition_matrix_says():
    elsets = {e.norad_id: e for e in parse_tle((DATA / "iridium33_cosmos2251_2009-02-09.tle").read_text(), "x")[0]}
    iridium = elsets[IRIDIUM]
    jd, fr = split_julian_date(np.array([COLLISION]))
    at_tca = av._sgp4_state(iridium, jd[0], fr[0])
    period = av.period_s(at_tca)
    for orbits in (0.5, 1.5, 3.0):
        lead = orbits * period
        burn_utc = COLLISION - np.timedelta64(round(lead * 1e9), "ns")
        bj, bf = split_julian_date(np.array([burn_utc]))
        before = av._sgp4_state(iridium, bj[0], bf[0])
        phi, burn = av.transitions(at_tca, [lead])
        for dv_rtn in ((0.0, 0.1, 0.0), (0.1, 0.0, 0.0), (0.0, -0.02, 0.0)):
            adjusted = av.manoeuvred_elements(iridium, burn_utc, dv_rtn)
            after = av._sgp4_state(adjusted, bj[0], bf[0])
            dv = rtn_axes(before[0:3], before[3:6]).T @ np.array(dv_rtn) / 1000.0
            assert np.abs(after[0:3] - before[0:3]).max() < 1e-6  # km: the burn is impulsive
            assert np.abs(after[3:6] - before[3:6] - dv).max() < 1e-8  # km/s
            moved = av._sgp4_state(adjusted, jd[0], fr[0])[0:3] - at_tca[0:3]
            predicted = phi[0][0:3, 3:6] @ (rtn_axes(burn[0, 0:3], burn[0, 3:6]).T @ np.array(dv_rtn) / 1000.0)
            error = float(np.linalg.norm(moved - predicted))
            assert error < max(0.01 * float(np.linalg.norm(predicted)), 2e-3), (orbits, dv_rtn, error)


@pytest.fixture(scope="module")
def metop() -> tuple[cdm.CDM, av.TradeSpace]:
    need(CARA / "cdm" / f"{METOP}.cdm")
    message = cdm.parse_kvn((CARA / "cdm" / f"{METOP}.cdm").read_text(), METOP)
    return message, av.trade_space(cdm.encounter(message), 10.0)


@pytest.mark.shared
def test_zero_burn_reproduces_the_original_pc_exactly(metop):
    message, trade = metop
    original = pc2d_value(cdm.encounter(message), 10.0)
    assert original == pytest.approx(1.5591439922686598e-3, rel=1e-9)  # CARA's Pc2D for this CDM
    zero = int(np.flatnonzero(trade.sizes_m_s == 0.0)[0])
    assert trade.pc0 == original
    assert np.all(trade.pc[:, :, zero] == original)
    assert np.all(trade.miss_m[:, :, zero] == trade.miss0_m)
    assert trade.miss0_m == pytest.approx(147.8149, abs=1e-3)  # CARA's miss distance


@pytest.mark.shared
def test_the_smallest_burn_brings_pc_under_the_threshold_and_a_10_percent_smaller_one_does_not(metop):
    message, trade = metop
    enc = cdm.encounter(message)
    assert sorted(b.label for b in trade.minimum) == ["+along-track", "+radial", "-along-track", "-radial"]
    for burn in trade.minimum:
        k = int(np.flatnonzero(trade.leads_s == burn.lead_s)[0])
        pc, _ = av.evaluate(enc, trade, burn.direction, burn.dv_m_s, k)
        assert pc is not None and pc < trade.threshold == av.RED_PC
        smaller, _ = av.evaluate(enc, trade, burn.direction, 0.9 * burn.dv_m_s, k)
        assert smaller is not None and smaller >= trade.threshold
        # no lead time of the grid does it with a grid size smaller than this burn
        d = av.DIRECTIONS.index(burn.direction)
        sizes = trade.sizes_m_s
        cheaper = (np.abs(sizes) < abs(burn.dv_m_s)) & (np.sign(sizes) == np.sign(burn.dv_m_s))
        assert not np.any(trade.pc[d][:, cheaper] < trade.threshold)
    # the cheapest: an along-track burn a few orbits ahead (the -3 dv tau drift), centimetres per second
    cheapest = min(trade.minimum, key=lambda b: abs(b.dv_m_s))
    assert cheapest.direction == "along-track" and abs(cheapest.dv_m_s) < 0.05


@pytest.mark.shared
def test_plot_and_summary(metop):
    _, trade = metop
    fig = av.figure(trade, "MetOp-B / FY-1C DEB")
    assert len(fig.axes) == 8  # four panels and their colour bars
    data = json.loads(json.dumps(av.summary(trade)))
    assert len(data["pc"]) == 2 and len(data["pc"][0]) == len(trade.leads_s)
    assert len(data["minimum"]) == 4


def test_bad_parameters_are_refused():
    r, v = 7.0e6, 7546.0  # m, m/s: a crossing at 7000 km
    cov = np.diag([1e4, 1e4, 1e4, 1.0, 1.0, 1.0])
    enc = Encounter(np.array([r, 0, 0, 0, v, 0]), np.array([r + 100.0, 0, 0, 0, 0, v]), cov, cov)
    for kwargs in ({"threshold": 0.0}, {"threshold": 1.5}, {"leads_orbits": [0.5, -1.0]}, {"sizes_m_s": []},
                   {"sizes_m_s": [float("nan")]}):
        with pytest.raises(ValueError):
            av.trade_space(enc, 10.0, **kwargs)


def iridium_cosmos() -> tuple[dict, cdm.CDM]:
    """The 2009 collision screened with Iridium 33 as the primary, and its CDM (Kompas's default covariance)."""
    elsets = {e.norad_id: e for e in parse_tle((DATA / "iridium33_cosmos2251_2009-02-09.tle").read_text(), "x")[0]}
    found = screen(list(elsets.values()), np.datetime64("2009-02-10T16:00:00", "ns"), 3600.0, 5.0,
                   primaries={IRIDIUM}).conjunctions
    (conjunction,) = found
    ages = tuple(float((conjunction.tca_utc - elsets[n].epoch_utc) / np.timedelta64(1, "D")) for n in (IRIDIUM, COSMOS))
    message, _ = cdm.for_screening(conjunction, created_utc=COLLISION, hbr_m=10.0, ages_days=ages)  # type: ignore
    return elsets, message


def test_secondary_screening_finds_the_moved_encounter_where_the_trade_space_puts_it():
    elsets, message = iridium_cosmos()
    trade = av.trade_space(cdm.encounter(message), 10.0, leads_orbits=[0.5, 1.0, 2.0])
    assert trade.pc0 is not None and trade.pc0 > av.RED_PC and trade.minimum
    found = av.secondary_conjunctions(elsets[IRIDIUM], [elsets[COSMOS]], message.tca_utc, trade.minimum,
                                      threshold_km=5.0, after_tca_s=600.0)
    assert set(found) == {b.label for b in trade.minimum}
    for burn in trade.minimum:
        (moved,) = [s for s in found[burn.label] if abs(s.tca_utc - message.tca_utc) < np.timedelta64(60, "s")]
        assert moved.secondary_id == COSMOS and not moved.new and moved.miss_before_km < 1.0
        # SGP4 of the adjusted element set against the trade space's two-body + J2 displacement: within 5 m
        assert moved.miss_km * 1000.0 == pytest.approx(burn.miss_m, abs=5.0)


@pytest.mark.shared
def test_the_avoid_command_prints_the_table_and_writes_the_plot(tmp_path: Path):
    from typer.testing import CliRunner

    from kompas.cli import app

    need(CARA / "cdm" / f"{METOP}.cdm")
    png = tmp_path / "trade.png"
    result = CliRunner().invoke(app, ["space", "avoid", "--cdm", str(CARA / "cdm" / f"{METOP}.cdm"), "-o", str(png),
                                      "--leads", "0.5:2.5:1"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith(("grid,", "minimum,"))]
    assert sum(line.startswith("grid,") for line in lines) == 2 * 3 * 39
    assert sorted(line.split(",")[1] for line in lines if line.startswith("minimum,")) == [
        "+along-track", "+radial", "-along-track", "-radial"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # whole orbits ahead a radial burn returns the primary to where it was (the closed form's sin and 1 - cos vanish)
    whole = CliRunner().invoke(app, ["space", "avoid", "--cdm", str(CARA / "cdm" / f"{METOP}.cdm"), "--leads",
                                     "1:3:1", "--max-dv", "0.1"])
    assert whole.exit_code == 0 and [line.split(",")[1] for line in whole.stdout.splitlines()
                                     if line.startswith("minimum,")] == ["+along-track", "-along-track"]
    bad = tmp_path / "bad.cdm"
    bad.write_text((CARA / "cdm" / f"{METOP}.cdm").read_text().replace("CR_R", "XX_R", 1))
    refused = CliRunner().invoke(app, ["space", "avoid", "--cdm", str(bad)])
    assert refused.exit_code == 2 and "covariance" in refused.output and "Traceback" not in refused.output


def test_leads_before_the_earliest_possible_burn_are_left_out():
    """Review finding C1: no burn is offered before the data it is planned on (or before now)."""
    r, v = 7.0e6, 7546.0  # m, m/s: a crossing at 7000 km
    cov = np.diag([1e4, 1e4, 1e4, 1.0, 1.0, 1.0])
    enc = Encounter(np.array([r, 0, 0, 0, v, 0]), np.array([r + 100.0, 0, 0, 0, 0, v]), cov, cov)
    full = av.trade_space(enc, 10.0)
    period = full.period_s
    cut = av.trade_space(enc, 10.0, max_lead_s=1.6 * period)
    assert cut.leads_orbits.tolist() == [x for x in av.DEFAULT_LEADS_ORBITS if x <= 1.6] == [0.5, 0.75, 1.0, 1.25, 1.5]
    assert cut.pc.shape == (2, 5, full.sizes_m_s.size)
    same = full.pc[:, :5, :]  # the same values where Pc matters (the integrator's steps differ slightly)
    assert np.allclose(cut.pc[same > 1e-12], same[same > 1e-12], rtol=1e-3)
    assert np.allclose(cut.miss_m, full.miss_m[:, :5, :], rtol=1e-6)
    assert all(b.lead_orbits <= 1.6 for b in cut.minimum)
    with pytest.raises(ValueError, match="no burn time of the grid"):
        av.trade_space(enc, 10.0, max_lead_s=0.4 * period)


def test_the_earliest_burn_is_the_data_time_or_now_when_tca_is_ahead():
    from kompas.services.avoidance import earliest_burn_utc

    t = lambda text: np.datetime64(text, "ns")  # noqa: E731
    tca, epochs = t("2026-05-08T12:00:00"), [t("2026-05-07T06:00:00"), t("2026-05-07T09:30:00")]
    assert earliest_burn_utc(tca, epochs, t("2026-05-07T08:00:00")) == t("2026-05-07T09:30:00")  # data time
    assert earliest_burn_utc(tca, epochs, t("2026-05-08T02:00:00")) == t("2026-05-08T02:00:00")  # now, TCA ahead
    assert earliest_burn_utc(tca, epochs, t("2026-12-01T00:00:00")) == t("2026-05-07T09:30:00")  # after the fact
    assert earliest_burn_utc(tca, [], t("2026-05-08T02:00:00")) is None
