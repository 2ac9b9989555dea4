"""Space-segment enrichment on the shipped sample catalogue (CelesTrak active, 2026-05-05): element sets before and
after, orbit regimes, the sub-satellite point against astropy's own TEME -> ITRS -> WGS-84 chain (an independent
implementation; agreement within 1e-5 degree and 1 m), and neighbours against the reference sgp4 code directly."""

from __future__ import annotations

from dataclasses import replace

import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import ITRS, TEME, CartesianRepresentation
from astropy.time import Time

from kompas.isac.enrich import element_sets_around, enrich, enrich_report
from kompas.isac.model import IsacReport, Satellite, report_id
from kompas.space.propagation import satrec
from kompas.space.tle import parse_tle
from kompas.times import parse_time_utc
from tests.conftest import SAMPLE_TLE

REGIMES = {900: "LEO", 32275: "MEO", 27438: "GEO", 45608: "HEO"}  # CALSPHERE 1, GLONASS-M, IS-905, Tundra


@pytest.fixture(scope="module")
def catalogue():
    elsets, rejected = parse_tle(SAMPLE_TLE.read_text(), "sample", parse_time_utc("2026-05-06T00:00:00Z"))
    assert rejected == []
    return {e.norad_id: e for e in elsets}


def test_sets_before_and_after(catalogue) -> None:
    base = catalogue[900]
    sets = [replace(base, epoch_utc=base.epoch_utc + np.timedelta64(h, "h")) for h in (-48, -2, 0, 5, 30)]
    before, after = element_sets_around(sets + [catalogue[27438]], 900, base.epoch_utc)
    assert before is sets[2] and after is sets[3]  # a set at exactly the time counts as before
    before, after = element_sets_around(sets, 900, base.epoch_utc - np.timedelta64(3, "D"))
    assert before is None and after is sets[0]


def _astropy_subpoint(elset, when: np.datetime64) -> tuple[float, float, float]:
    time = Time(str(when), scale="utc")
    _, r, _ = satrec(elset).sgp4(time.jd1, time.jd2)
    itrs = TEME(CartesianRepresentation(np.array(r) * u.km), obstime=time).transform_to(ITRS(obstime=time))
    where = itrs.earth_location.geodetic
    return float(where.lat.deg), float(where.lon.deg), float(where.height.to_value(u.km))


def test_regime_and_sub_satellite_point_against_astropy(catalogue) -> None:
    when = catalogue[900].epoch_utc + np.timedelta64(3600, "s")
    results = enrich(list(REGIMES), when, catalogue.values())
    assert [r.regime for r in results] == list(REGIMES.values())
    for result in results:
        elset = catalogue[result.norad_id]
        lat, lon, height = _astropy_subpoint(elset, when)
        assert result.subpoint_lat_deg == pytest.approx(lat, abs=1e-5)
        assert result.subpoint_lon_deg == pytest.approx(lon, abs=1e-5)
        assert result.subpoint_height_km == pytest.approx(height, abs=1e-3)
        if elset.epoch_utc <= when:  # the set before the time is used; failing that, the one after (IS-905 here)
            assert result.before is elset and result.after is None
        else:
            assert result.before is None and result.after is elset
        age_days = float((when - elset.epoch_utc) / np.timedelta64(1, "s")) / 86400
        assert result.set_age_days == pytest.approx(age_days, abs=1e-6)


def test_neighbours_against_the_reference_sgp4(catalogue) -> None:
    target = catalogue[900]
    when = target.epoch_utc + np.timedelta64(600, "s")
    [result] = enrich([900], when, catalogue.values(), catalogue.values(), radius_km=2000.0)
    time = Time(str(when), scale="utc")

    def position(elset) -> np.ndarray:
        error, r, _ = satrec(elset).sgp4(time.jd1, time.jd2)
        return np.array(r) if error == 0 else np.full(3, np.inf)

    here = position(target)
    expected = sorted((round(float(np.linalg.norm(position(e) - here)), 3), n) for n, e in catalogue.items()
                      if n != 900 and np.linalg.norm(position(e) - here) <= 2000.0)
    assert expected, "the test needs objects within 2,000 km"
    assert [(n.distance_km, n.norad_id) for n in result.neighbours] == expected


def test_unknown_and_obfuscated_objects(catalogue) -> None:
    [missing] = enrich([99999], "2026-05-05T12:00:00Z", catalogue.values())
    assert missing.regime is None and "no element set" in missing.note
    report = IsacReport(report_id("enrich"), "Illustrative report", "2026-05-05T12:00:00Z", "unknown-emi",
                        satellites=(Satellite(900),), norad_ids_obfuscated=True)
    assert enrich_report(report, catalogue.values()) == []
    [found] = enrich_report(replace(report, norad_ids_obfuscated=False), catalogue.values())
    assert found.norad_id == 900 and found.regime == "LEO"
