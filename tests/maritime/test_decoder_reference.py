"""Kompas's AIS decoding against the decoder reference sets in ../shared/data/maritime/decoder_reference, and the
sentence and message counts PROVENANCE.md gives for the raw NMEA samples.

- GPSD (``gpsd_sample.aivdm`` and GPSD's expected JSON ``gpsd_sample.aivdm.js.chk``, one object per message) and
  libais (``libais_typeexamples.nmea`` and ``libais_typeexamples.json``, one object per line): every field Kompas keeps
  is compared. Positions (types 1, 2, 3, 18, 19, 27): latitude and longitude within 1e-4 degrees, speed and course
  within 0.05 (AIS's "not available" values, speed 102.3, course 360, heading 511 and for type 27 speed 63 and
  course 511, are NaN in Kompas), heading and navigational status exactly. Static reports (types 5, 19, 24): name,
  call sign, IMO, ship type and dimensions exactly, draught within 0.05 m, destination exactly.
- GPSD reports a type 24 once both its parts have arrived, as one object; Kompas keeps part A (name) and part B
  (call sign, type, dimensions) as separate static reports: both are compared against the one object.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pytest

from kompas.maritime.model import NO_STATUS, Ingest, Positions, StaticReport
from tests.maritime.conftest import need, nmea_file

pytestmark = pytest.mark.shared

GPSD = "decoder_reference/gpsd_sample.aivdm"
LIBAIS = "decoder_reference/libais_typeexamples.nmea"
POSITION_TYPES = (1, 2, 3, 18, 19, 27)
DEG_TOL = 1e-4  #: degrees, latitude and longitude
KN_TOL = 0.05  #: knots and degrees, speed and course (0.1 resolution in AIS, float32 in libais's JSON)


def expected_objects(sub: str) -> list[dict[str, Any]]:
    """The reference decode: one JSON object per line."""
    return [json.loads(line) for line in need(sub).read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def gpsd() -> Ingest:
    return nmea_file(GPSD)


@pytest.fixture(scope="module")
def libais() -> Ingest:
    return nmea_file(LIBAIS)


def _close(got: float, want: float, tol: float) -> bool:
    return abs(got - want) <= tol


def check_position(want: dict[str, Any], fixes: Positions, i: int, where: str) -> None:
    """Kompas's position row ``i`` against one reference object (AIS "not available" -> NaN in Kompas)."""
    kind = int(want["type"])
    assert int(fixes.msg_type[i]) == kind and int(fixes.mmsi[i]) == int(want["mmsi"]), where
    assert _close(float(fixes.lat[i]), float(want["lat"]), DEG_TOL), (where, "lat", fixes.lat[i], want["lat"])
    assert _close(float(fixes.lon[i]), float(want["lon"]), DEG_TOL), (where, "lon", fixes.lon[i], want["lon"])
    speed_na, course_na = (63.0, 511.0) if kind == 27 else (102.3, 360.0)
    for name, column, na in (("speed", fixes.sog, speed_na), ("course", fixes.cog, course_na)):
        value = float(want[name])
        if value >= na - 1e-6:
            assert math.isnan(column[i]), (where, name, "not available must be NaN", column[i])
        else:
            assert _close(float(column[i]), value, KN_TOL), (where, name, column[i], value)
    heading = want.get("heading")
    if heading is None or int(heading) == 511:
        assert math.isnan(fixes.heading[i]), (where, "heading not available must be NaN", fixes.heading[i])
    else:
        assert float(fixes.heading[i]) == float(heading), (where, "heading", fixes.heading[i], heading)
    status = want.get("status")
    assert int(fixes.status[i]) == (NO_STATUS if status is None else int(status)), (where, "status", fixes.status[i])


#: reference key -> StaticReport attribute (draught compared within 0.05 m, the rest exactly)
STATIC_FIELDS = {"shipname": "name", "callsign": "callsign", "imo": "imo", "shiptype": "ship_type",
                 "to_bow": "to_bow", "to_stern": "to_stern", "to_port": "to_port", "to_starboard": "to_starboard",
                 "draught": "draught", "destination": "destination"}


def check_static(want: dict[str, Any], report: StaticReport, keys: tuple[str, ...], where: str) -> None:
    """The ``keys`` of one reference object that ``report`` carries."""
    assert report.mmsi == int(want["mmsi"]), where
    for key in keys:
        if key not in want:
            continue
        got = getattr(report, STATIC_FIELDS[key])
        value = want[key]
        if key == "draught":
            assert _close(float(got), float(value), KN_TOL), (where, key, got, value)
        elif key == "imo":
            assert got == int(value), (where, key, got, value)
        else:
            assert got == (value.strip() if isinstance(value, str) else value), (where, key, got, value)


# --- GPSD ------------------------------------------------------------------------------------------------------


def test_gpsd_every_kept_field_matches_gpsd(gpsd: Ingest) -> None:
    """Match by (type, MMSI) in order: the n-th Kompas record of a (type, MMSI) is GPSD's n-th object of it."""
    objects = expected_objects(GPSD + ".js.chk")
    fixes = gpsd.positions
    mine: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in np.argsort(fixes.line, kind="stable"):
        mine[(int(fixes.msg_type[i]), int(fixes.mmsi[i]))].append(int(i))
    statics: dict[tuple[int, int], list[StaticReport]] = defaultdict(list)
    for report in sorted(gpsd.statics, key=lambda s: s.line):
        statics[(report.msg_type, report.mmsi)].append(report)
    theirs: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for obj in objects:
        theirs[(int(obj["type"]), int(obj["mmsi"]))].append(obj)

    compared = {"positions": 0, "type 5": 0, "type 19": 0, "type 24": 0}
    for (kind, mmsi), wanted in theirs.items():
        if kind in POSITION_TYPES:
            rows = mine.get((kind, mmsi), [])
            assert len(rows) == len(wanted), f"type {kind} MMSI {mmsi}: Kompas {len(rows)}, GPSD {len(wanted)}"
            for row, want in zip(rows, wanted, strict=True):
                check_position(want, fixes, row, f"{GPSD}:{fixes.line[row]}")
                compared["positions"] += 1
        if kind in (5, 19):
            reports = statics.get((kind, mmsi), [])
            assert len(reports) == len(wanted), f"type {kind} MMSI {mmsi}: Kompas {len(reports)}, GPSD {len(wanted)}"
            for report, want in zip(reports, wanted, strict=True):
                check_static(want, report, tuple(STATIC_FIELDS), f"{GPSD}:{report.line}")
                compared[f"type {kind}"] += 1
        if kind == 24:
            reports = statics.get((24, mmsi), [])
            for want in wanted:
                part_a = [r for r in reports if r.name == want["shipname"]]
                part_b = [r for r in reports if r.callsign == want["callsign"]]
                assert part_a and part_b, f"type 24 MMSI {mmsi}: parts A and B of {want} not both in Kompas"
                check_static(want, part_a[0], ("shipname",), f"{GPSD}:{part_a[0].line}")
                check_static(want, part_b[-1], ("callsign", "shiptype", "to_bow", "to_stern", "to_port",
                                                "to_starboard"), f"{GPSD}:{part_b[-1].line}")
                compared["type 24"] += 1
    # GPSD's file holds 12 position reports of the kept types, three type 5, one type 19 and two complete type 24
    assert compared == {"positions": 12, "type 5": 3, "type 19": 1, "type 24": 2}, compared
    assert len(fixes) == 12, "no position Kompas keeps beyond GPSD's"


def test_gpsd_message_types_as_gpsd_counts_them(gpsd: Ingest) -> None:
    """Every message GPSD decodes Kompas decodes too (counted per type), except type 24, which GPSD reports once per
    pair of parts (Kompas counts the seven parts: two complete pairs, one part B repeated, two lone parts)."""
    gpsd_types = Counter(int(obj["type"]) for obj in expected_objects(GPSD + ".js.chk"))
    kompas_types = {int(key.split()[1]): n for key, n in gpsd.counts.items() if key.startswith("type ")}
    assert sum(gpsd_types.values()) == 97
    assert {k: n for k, n in kompas_types.items() if k != 24} == {k: n for k, n in gpsd_types.items() if k != 24}
    assert kompas_types[24] == 7 and gpsd_types[24] == 2


def test_gpsd_invalid_sentences_are_reported_with_their_line(gpsd: Ingest) -> None:
    """GPSD's "invalid packet" section: line 978 is a fragment without its leading ``!`` (GPSD: "That fragment misses
    part 1, yields nothing"); Kompas reports it. Lines 1080-1081 end in a literal ``\\x0d\\x0a`` after the checksum:
    text after the checksum is not the sentence's, so Kompas decodes them (as GPSD does)."""
    rejected = {r.line: r for r in gpsd.rejections}
    assert 978 in rejected and rejected[978].field == "line" and rejected[978].source == GPSD
    assert "not an AIS sentence" in rejected[978].reason
    assert set(rejected) == {978}, sorted(rejected)
    assert gpsd.counts["lines"] == len(need(GPSD).read_bytes().splitlines())


def test_gpsd_type_21_with_text_after_the_checksum_decodes_as_gpsd(gpsd: Ingest) -> None:
    gpsd_types = Counter(int(obj["type"]) for obj in expected_objects(GPSD + ".js.chk"))
    assert gpsd.counts.get("type 21", 0) == gpsd_types[21] == 2


# --- libais ----------------------------------------------------------------------------------------------------


def test_libais_every_kept_field_matches_libais(libais: Ingest) -> None:
    """One sentence per line and one object per line: line n is object n."""
    objects = expected_objects(LIBAIS.replace(".nmea", ".json"))
    assert len(objects) == 26
    fixes = libais.positions
    row_of = {int(line): i for i, line in enumerate(fixes.line)}
    static_of = {s.line: s for s in libais.statics}
    rejected = {r.line: r for r in libais.rejections}
    compared = Counter[str]()
    for line, want in enumerate(objects, 1):
        kind = int(want["type"])
        where = f"{LIBAIS}:{line}"
        if kind in POSITION_TYPES:
            if line in row_of:
                check_position(want, fixes, row_of[line], where)
                compared["positions"] += 1
            else:
                # the test vectors of types 27 (lon 200.2) and 2 (lat -101.5) are no positions: reported, not used
                rejection = rejected[line]
                assert rejection.reason == "impossible position", str(rejection)
                assert rejection.field == ("lat" if abs(float(want["lat"])) > 90 else "lon"), str(rejection)
                assert abs(float(want["lat"])) > 90 or abs(float(want["lon"])) > 180, want
                compared["impossible positions"] += 1
        if kind in (5, 24):
            check_static(want, static_of[line], tuple(STATIC_FIELDS), where)
            compared[f"type {kind}"] += 1
    assert compared == {"positions": 3, "impossible positions": 2, "type 5": 1, "type 24": 1}, compared
    assert set(rejected) == {11, 21}, sorted(rejected)


def test_libais_every_message_decodes(libais: Ingest) -> None:
    objects = expected_objects(LIBAIS.replace(".nmea", ".json"))
    kompas_types = {int(key.split()[1]): n for key, n in libais.counts.items() if key.startswith("type ")}
    assert libais.counts["sentences"] == libais.counts["messages"] == 26
    assert kompas_types == dict(Counter(int(obj["type"]) for obj in objects))


# --- counts in PROVENANCE.md -----------------------------------------------------------------------------------

#: file -> (sentences, messages), as PROVENANCE.md states them (counted there with pyais 3.3.1)
PROVENANCE_COUNTS = {
    "pyais_samples/tests_nmea_data_sample.txt": (898, 778),
    "dma_aislib/stream_example.txt": (4_500, 4_051),
    "dma_aislib/replay_dump.txt": (51, 50),
    "dma_aisabnormal_events/ais-sample_2013-11-12.txt.gz": (26_146, 26_077),
    "dma_aisabnormal_events/538004030_drift_1.ais": (5_475, 5_252),
    "dma_aisabnormal_events/212123000_drift_1.ais": (3_692, 3_130),
    "dma_aisabnormal_events/219165000_ssc_1.ais": (89, 80),
    "aisdb_testdata/test_data_20211101.nm4": (997, 979),
    LIBAIS: (26, 26),
}


@pytest.mark.parametrize("sub", sorted(PROVENANCE_COUNTS))
def test_sentences_and_messages_as_provenance_counts_them(sub: str) -> None:
    ingest = nmea_file(sub)
    sentences, messages = PROVENANCE_COUNTS[sub]
    assert (ingest.counts["sentences"], ingest.counts["messages"]) == (sentences, messages), ingest.counts
    assert len(ingest.positions) > 0


def test_pyais_sample_rejections_as_pyais_reports_them() -> None:
    """pyais's own test expects MissingPayloadException for the 100 empty payloads; 20 messages lack their second
    part. Every sentence is a message, an empty payload or an incomplete first part: nothing is left over."""
    sub = "pyais_samples/tests_nmea_data_sample.txt"
    ingest = nmea_file(sub)
    empty = [r for r in ingest.rejections if r.field == "payload" and r.reason == "empty payload"]
    incomplete = [r for r in ingest.rejections if r.field == "fragment" and "incomplete" in r.reason]
    assert (len(empty), len(incomplete)) == (100, 20)
    assert ingest.counts["sentences"] == ingest.counts["messages"] + len(empty) + len(incomplete)
    lines = need(sub).read_bytes().splitlines()
    for rejection in empty + incomplete:
        assert rejection.source == sub
        assert lines[rejection.line - 1].decode().startswith("!AIVDM"), rejection  # the line named is that sentence
    # the file has no receive times: every position is reported as untimed by the track builder, not guessed
    assert np.isnan(ingest.positions.t).all()


def test_aisdb_nm4_types_and_times_as_provenance() -> None:
    ingest = nmea_file("aisdb_testdata/test_data_20211101.nm4")
    counts = ingest.counts
    assert [counts[f"type {k}"] for k in (1, 27, 3, 18, 24, 5, 21)] == [608, 127, 104, 74, 24, 18, 11]
    t = ingest.positions.t
    # tag block c: times, 2021-11-01 01:58:07 -> 01:59:06 UTC
    assert (np.nanmin(t), np.nanmax(t)) == (1635731887.0, 1635731946.0)
    assert not np.isnan(t).any()


def test_dma_stream_gatehouse_times_as_provenance() -> None:
    ingest = nmea_file("dma_aislib/stream_example.txt")
    t = ingest.positions.t
    assert not np.isnan(t).any(), "every sentence follows a $PGHP header"
    # 2010-06-11 11:46:10 -> 11:46:38 UTC (with the header's milliseconds)
    assert 1276256770.0 <= np.min(t) < 1276256771.0 and 1276256798.0 <= np.max(t) < 1276256799.0
    # the 23 position reports at 91/181: 22 reported as not available, one (MMSI 0) reported for its MMSI first
    unavailable = [r for r in ingest.rejections if "not available" in r.reason]
    assert len(unavailable) == ingest.counts["position not available"] == 22
    assert {r.value for r in ingest.rejections if r.field == "mmsi"} == {"0"}
