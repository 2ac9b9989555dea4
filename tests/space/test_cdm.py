"""CCSDS CDM reading and writing: KVN and XML round trips on CARA's real messages and on Kompas's own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kompas.space import cdm
from kompas.space.screening import screen
from kompas.space.tle import parse_tle

CARA_CDMS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cara" / "cdm"
DATA = Path(__file__).resolve().parents[1] / "data"


def _cara_files() -> list[Path]:
    return sorted(CARA_CDMS.glob("*.cdm")) if CARA_CDMS.is_dir() else []


@pytest.mark.shared
@pytest.mark.parametrize("path", _cara_files() or [pytest.param(None, marks=pytest.mark.skip("no ../shared"))])
def test_cara_cdm_round_trips_through_kvn_and_xml(path):
    original = cdm.parse_kvn(path.read_text(), str(path))
    assert original.state(0).shape == (6,) and original.covariance_rtn(1).shape == (6, 6)
    again = cdm.parse_kvn(cdm.write_kvn(original))
    assert again == original
    via_xml = cdm.parse_xml(cdm.write_xml(original))
    assert via_xml == original
    assert cdm.parse(cdm.write_xml(original)) == original


def test_a_screened_conjunction_becomes_a_cdm_flagged_as_default_covariance():
    elsets = parse_tle((DATA / "iridium33_cosmos2251_2009-02-09.tle").read_text(), "iridium-cosmos")[0]
    c = screen(elsets, np.datetime64("2009-02-10T16:00", "ns"), 7200.0, 5.0).conjunctions[0]
    message = cdm.from_conjunction(c, created_utc=np.datetime64("2009-02-10T12:00", "ns"), hbr_m=10.0,
                                   ages_days=(0.9, 1.2))
    text = cdm.write_kvn(message)
    assert "default element-set uncertainty model" in text and "COVARIANCE_METHOD" in text
    back = cdm.parse_kvn(text)
    assert back == message == cdm.parse_xml(cdm.write_xml(message))
    assert back.hard_body_radius_m() == 10.0
    assert float(back.relative.get("MISS_DISTANCE")) == pytest.approx(c.miss_km * 1000, abs=1e-3)
    assert np.allclose(back.state(0), c.primary_state, atol=1e-9)
    assert back.covariance_rtn(0)[1, 1] == pytest.approx((500 + 1000 * 0.9) ** 2)


@pytest.mark.parametrize("text,field", [
    ("CREATION_DATE = 2020-01-01T00:00:00\n", "CCSDS_CDM_VERS"),
    ("CCSDS_CDM_VERS = 1.0\nTCA = 2020-01-01T00:00:00\nOBJECT = OBJECT3\n", "OBJECT"),
    ("CCSDS_CDM_VERS = 1.0\nthis is not kvn\n", "line"),
])
def test_malformed_cdms_are_reported_with_the_field(text, field):
    with pytest.raises(cdm.CDMError) as caught:
        cdm.parse_kvn(text, "bad.cdm")
    assert caught.value.rejection.field == field and str(caught.value).startswith("bad.cdm:")


def test_a_tca_in_the_ccsds_day_of_year_form_is_read() -> None:
    """CCSDS 301.0-B-4 ASCII time code B (``YYYY-DDDThh:mm:ss``), as in CARA's density-decorrelation CDMs."""
    from kompas.times import parse_ccsds_time_utc

    assert parse_ccsds_time_utc("2018-231T05:18:32.104") == np.datetime64("2018-08-19T05:18:32.104", "ns")
    assert parse_ccsds_time_utc("2020-366T23:59:59Z") == np.datetime64("2020-12-31T23:59:59", "ns")
    assert parse_ccsds_time_utc("2026-05-05T01:02:03") == np.datetime64("2026-05-05T01:02:03", "ns")
    for bad in ("2019-366T00:00:00", "2019-000T00:00:00", "2019-231X"):
        with pytest.raises(ValueError):
            parse_ccsds_time_utc(bad)
