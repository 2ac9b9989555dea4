"""The SATIS use cases (the Space ISAC's "RF EMI to STIX Notional Mapping", OASIS SATIS TC contribution, read from
../shared only) as the ISAC's round-trip examples: the notional-format reader gives each use case's NORAD ids,
UTC start and stop, band, SPARTA ids and places as the document states them (exact, the values are text; GPS times
converted with GPS - UTC = 18 s, IERS Bulletin C since 2017-01-01); use case 4 (a CISA narrative) is rejected with
its line; each report goes through a STIX 2.1 bundle the OASIS validator accepts and comes back equal."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from stix2validator import ValidationOptions, validate_instance

from kompas.constants import MU_WGS84_KM3_S2
from kompas.isac.load import load_library
from kompas.isac.stix import export_stix, import_stix

pytestmark = pytest.mark.shared


def _by_norad(satis, norad: int):
    found = [r for r in satis.reports if norad in r.norad_ids]
    assert len(found) == 1, [r.title for r in satis.reports]
    return found[0]


def test_four_use_cases_are_read_and_the_narrative_one_is_rejected_with_its_line(satis) -> None:
    assert [r.source.rsplit("#", 1)[1] for r in satis.reports] == ["use-case-1", "use-case-2", "use-case-3",
                                                                    "use-case-5"]
    assert len(satis.rejections) == 1
    rejected = satis.rejections[0]
    assert rejected.source.endswith("#use-case-4") and rejected.line == 497 and rejected.field == "TITLE"
    assert "notional reporting format" in rejected.reason


def test_use_case_5_smos(satis) -> None:
    smos = _by_norad(satis, 36036)
    assert smos.title == "SMOS Unknown Anomaly_8 Mar 2025"
    assert [(s.norad_id, s.name) for s in smos.satellites] == [(36036, "SMOS")]
    assert (smos.start_utc, smos.stop_utc) == ("2025-03-08T19:28:25.000000000Z", "2025-03-08T20:00:00.000000000Z")
    assert smos.band is not None and smos.band.letter == "L"
    assert (smos.band.low_mhz, smos.band.high_mhz) == (1400.0, 1400.0)
    assert smos.sparta_ids == ("IMP-0002", "IMP-0003")
    assert smos.impact_level == "denial"  # IMP-0003 Denial is the more severe of the two
    assert smos.interference == "unknown-emi" and smos.post_event_status == "operational"
    assert smos.payload_impact == "Unlocked, out of parameter, not functional"
    [place] = smos.locations  # "Brazil: - 17.75 Lat, 335.36 Long" in the proof-of-concept section
    assert (place.lat_deg, place.lon_deg, place.kind, place.norad_id) == (-17.75, -24.64, "sub-satellite", 36036)
    assert not smos.norad_ids_obfuscated
    assert any("smos_instruments--weekly--20250303" in url for url in smos.references)


def test_use_case_1_gps_times_and_ecef_state(satis) -> None:
    report = _by_norad(satis, 12345)
    assert report.satellites[0].name == "Polaris 99" and report.constellation == "Polaris"
    # 10:07:31.11476802 GPS and 10:07:46.48721785 GPS: UTC = GPS - 18 s
    assert report.start_utc == "2025-01-05T10:07:13.114768020Z"
    assert report.stop_utc == "2025-01-05T10:07:28.487217850Z"
    assert report.band is not None and (report.band.low_mhz, report.band.high_mhz, report.band.letter) == \
        (9500.0, 9800.0, "X")
    assert report.sensor_fov_deg == 0.7 and report.impact_level == "none"
    assert report.norad_ids_obfuscated  # member data is obfuscated (the document's introduction)
    state = report.state_start
    assert state is not None and state.velocity_km_s is not None
    assert state.time_utc == "2025-01-05T10:07:12.399842000Z"  # "2025-01-05T10:07:30.399842000" GPS
    assert state.position_km[0] == pytest.approx(3709.827938272481, abs=1e-9)
    # metres -> km checked by physics: |r| is a LEO radius and |v| within 3 % of the circular speed there
    radius = math.dist(state.position_km, (0, 0, 0))
    assert 6378 + 400 < radius < 6378 + 800
    circular = math.sqrt(MU_WGS84_KM3_S2 / radius)
    assert math.dist(state.velocity_km_s, (0, 0, 0)) == pytest.approx(circular, rel=0.03)
    assert len(report.pointing) == 1 and report.pointing[0].time_utc == "2025-01-05T10:07:19.999846000Z"


def test_use_case_2_keeps_its_date_as_written_and_warns(satis) -> None:
    report = _by_norad(satis, 123456)
    assert report.start_utc.startswith("2024-01-03T06:39:34.03561945")  # DATE 2024-1-03, 06:39:52.03561945 GPS
    assert report.state_end is not None and report.state_end.time_utc.startswith("2025-01-03T06:40:12.4")
    [warning] = [w for w in satis.warnings if w.source.endswith("#use-case-2")]
    assert (warning.line, warning.field, warning.value) == (267, "DATE", "2024-1-03")
    assert "366 days" in warning.reason


def test_use_case_3_is_one_report_with_eleven_places_on_three_satellites(satis) -> None:
    report = _by_norad(satis, 234567)
    assert [(s.norad_id, s.name) for s in report.satellites] == [(234567, "Hydra 1"), (345678, "Hydra 2"),
                                                                 (456789, "Hydra 3")]
    assert [loc.norad_id for loc in report.locations] == [234567] * 4 + [345678] * 4 + [456789] * 3
    assert (report.locations[0].lat_deg, report.locations[0].lon_deg) == (33.398438, 46.286224)
    assert report.locations[10].label == "RF EMI Incident 11"
    assert (report.start_utc, report.stop_utc) == ("2025-03-02T00:00:00.000000000Z", "2025-03-08T23:59:59.000000000Z")
    assert (report.interference, report.segment, report.link) == ("jamming", "link", "downlink")
    assert report.sparta_ids == ("EX-0016", "IMP-0004") and report.impact_level == "degradation"
    assert report.band is None  # "WAVELENGTH/FREQUENCY: not disclosed"
    assert any(w.field == "Initial Start Date" and w.line == 453 for w in satis.warnings)


def test_every_use_case_goes_through_a_valid_stix_bundle_and_back(satis, vocabulary) -> None:
    bundle = export_stix(satis.reports, vocabulary, load_library())
    result = validate_instance(json.loads(json.dumps(bundle)), ValidationOptions(version="2.1"))
    assert result.is_valid, result.errors
    incidents = [o for o in bundle["objects"] if o["type"] == "incident"]
    assert len(incidents) == 1 + 1 + 11 + 1  # use case 3: "11x Incident objects", as SATIS maps it
    satellites = [o for o in bundle["objects"] if o["type"] == "identity" and o.get("identity_class") == "system"]
    assert sorted(o["x_kompas_norad_id"] for o in satellites) == [12345, 36036, 123456, 234567, 345678, 456789]
    back = import_stix(bundle, "bundle")
    assert back.rejections == []
    # anonymous contributions: the reporter and the marking's originators do not travel (none were set here)
    assert back.reports == [replace(r, reporter="", marking=r.shared_marking) for r in satis.reports]
