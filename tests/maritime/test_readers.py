"""The AIS readers: raw NMEA (:func:`parse_nmea`), CSV exports (:func:`parse_table`) and the MID registry.

Bad input is reported precisely (source, line, field, reason) and the good lines around it go through; AIS's "not
available" values are blanked and counted, never used as numbers. Sentences are encoded with pyais (the decoder
Kompas reads through), so every expected value is known by construction.
"""

from __future__ import annotations

import calendar
import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.maritime.detect import detect
from kompas.maritime.model import NO_STATUS, STATUS_NA, Ingest
from kompas.maritime.nmea import MAX_LINE, parse_nmea
from kompas.maritime.registry import Flag, flag_of, imo_valid, station
from kompas.maritime.tables import parse_table
from kompas.maritime.tracks import build_tracks
from tests.maritime.conftest import csv_file, nmea_file
from tests.maritime.synthetic import encode, sentence, tag_block

SRC = "feed.nmea"


def one(**fields: int | float) -> str:
    """A single-sentence message (pyais encodes; a type 1 position at 60 N 25.5 E, 6 kn, unless told otherwise)."""
    (line,) = encode(**fields)
    return line


def parse(lines: list[str]) -> Ingest:
    return parse_nmea(lines, SRC)


def rejected_at(ingest: Ingest, line: int) -> list[tuple[str, str, str]]:
    """(source, field, reason) of the rejections of ``line``."""
    return [(r.source, r.field, r.reason) for r in ingest.rejections if r.line == line]


# --- raw NMEA: what is rejected, and what goes through -----------------------------------------------------------


def test_checksum_failure_is_reported_and_the_lines_around_go_through() -> None:
    good = one(mmsi=230000001)
    body, star, checksum = one(mmsi=230000002).rpartition("*")
    corrupted = body[:20] + ("A" if body[20] != "A" else "B") + body[21:] + star + checksum
    ingest = parse([good, corrupted, one(mmsi=230000003)])
    assert ingest.positions.line.tolist() == [1, 3]
    assert ingest.positions.mmsi.tolist() == [230000001, 230000003]
    ((source, field, reason),) = rejected_at(ingest, 2)
    assert (source, field) == (SRC, "checksum") and "checksum mismatch" in reason
    assert ingest.rejections[0].value.startswith("!AIVDO,1,1,,A,"), "the offending sentence is quoted"


def test_empty_payload_is_reported() -> None:
    ingest = parse([sentence("AIVDM,1,1,,A,,0"), one()])
    assert rejected_at(ingest, 1) == [(SRC, "payload", "empty payload")]
    assert ingest.positions.line.tolist() == [2]


def test_incomplete_multipart_message_is_reported_at_its_first_part() -> None:
    first, _second = encode(type=5, mmsi=219165000, shipname="LOTUS", seq_id=3)
    ingest = parse([first, one()])
    ((source, field, reason),) = rejected_at(ingest, 1)
    assert (source, field) == (SRC, "fragment") and "incomplete: 1 of 2 parts" in reason
    assert ingest.positions.line.tolist() == [2] and not ingest.statics


def test_out_of_order_fragment_is_reported_and_the_message_after_it_decodes() -> None:
    first, second = encode(type=5, mmsi=219165000, shipname="LOTUS", callsign="OZAB2", imo=9297137, seq_id=4)
    ingest = parse([second, first, second])
    ((source, field, reason),) = rejected_at(ingest, 1)
    assert (source, field) == (SRC, "fragment") and "part 2 of 2 without the parts before it" in reason
    (static,) = ingest.statics
    assert (static.name, static.callsign, static.imo, static.line) == ("LOTUS", "OZAB2", 9297137, 3)


def test_multipart_static_report_is_joined() -> None:
    lines = encode(type=5, mmsi=219165000, shipname="LOTUS", callsign="OZAB2", imo=9297137, ship_type=89, to_bow=70,
                   to_stern=17, to_port=6, to_starboard=8, draught=5.5, destination="SKAGEN", seq_id=2)
    (static,) = parse(lines).statics
    assert (static.name, static.callsign, static.imo, static.ship_type, static.length_m, static.beam_m,
            static.draught, static.destination, static.line) == ("LOTUS", "OZAB2", 9297137, 89, 87, 14, 5.5,
                                                                 "SKAGEN", 2)


@pytest.mark.parametrize(("lat", "lon", "field", "reason"), [
    (91.0, 181.0, "lat", "position not available (AIS sends 91/181)"),
    (91.0, 25.5, "lat", "position not available (AIS sends 91/181)"),
    (60.0, 181.0, "lon", "position not available (AIS sends 91/181)"),
    (-95.0, 25.5, "lat", "impossible position"),
    (95.0, 25.5, "lat", "impossible position"),
    (60.0, -185.0, "lon", "impossible position"),
    (0.0, 0.0, "lat", "position 0,0 is a receiver default, not a position"),
])
def test_impossible_or_unavailable_positions_are_reported_and_kept_out(lat: float, lon: float, field: str,
                                                                      reason: str) -> None:
    ingest = parse([one(lat=lat, lon=lon), one(mmsi=230000009)])
    assert rejected_at(ingest, 1) == [(SRC, field, reason)]
    assert ingest.positions.mmsi.tolist() == [230000009]
    if "not available" in reason:
        assert ingest.counts["position not available"] == 1


def test_not_available_speed_course_heading_are_blanked_and_counted() -> None:
    ingest = parse([one(speed=102.3), one(speed=102.2), one(heading=511), one(course=360), one()])
    fixes = ingest.positions
    assert len(fixes) == 5 and not ingest.rejections, "a blanked field does not reject the position"
    assert math.isnan(fixes.sog[0]) and fixes.sog[1] == pytest.approx(102.2), "102.2 means 102.2 kn or more"
    assert math.isnan(fixes.heading[2]) and math.isnan(fixes.cog[3])
    assert fixes.sog[4] == pytest.approx(6.0) and fixes.cog[4] == pytest.approx(90.0) and fixes.heading[4] == 90.0
    assert (ingest.counts["sog not available"], ingest.counts["heading not available"],
            ingest.counts["cog not available"]) == (1, 1, 1)


def test_status_not_defined_is_counted_and_class_b_has_none() -> None:
    ingest = parse([one(status=15), one(type=18, mmsi=230000005)])
    assert ingest.positions.status.tolist() == [STATUS_NA, NO_STATUS]
    assert ingest.counts["status not defined"] == 1


def test_tag_block_time_in_seconds_and_milliseconds() -> None:
    ingest = parse([tag_block("s:rBaltic,c:1635731887") + one(mmsi=230000001),
                    tag_block("s:rBaltic,c:1635731887123") + one(mmsi=230000002),
                    one(mmsi=230000003)])
    assert ingest.positions.t[0] == 1635731887.0
    assert ingest.positions.t[1] == pytest.approx(1635731887.123, abs=1e-6)
    assert math.isnan(ingest.positions.t[2]), "a sentence without a time has none (not the previous line's)"
    assert not ingest.rejections


def test_tag_block_with_a_bad_checksum_is_reported_and_its_sentence_kept_untimed() -> None:
    block = tag_block("s:rBaltic,c:1635731887")
    broken = block[:-3] + ("00" if block[-3:-1] != "00" else "11") + "\\"
    ingest = parse([broken + one()])
    assert rejected_at(ingest, 1) == [(SRC, "tag block", "tag block checksum mismatch")]
    assert len(ingest.positions) == 1 and math.isnan(ingest.positions.t[0])


def test_tag_block_on_its_own_line_then_gatehouse_header_give_the_time() -> None:
    """The Danish Maritime Authority's layout: ``\\si:AISD*3F\\``, a ``$PGHP`` header, then the sentence."""
    header = sentence("PGHP,1,2014,9,28,16,0,4,684,219,21,992190921,1,14", start="$")
    ingest = parse([tag_block("si:AISD"), header, one(), one()])
    expected = calendar.timegm((2014, 9, 28, 16, 0, 4)) + 0.684
    assert ingest.positions.t[0] == pytest.approx(expected, abs=1e-6)
    assert math.isnan(ingest.positions.t[1]), "a $PGHP header times the one sentence after it"
    assert not ingest.rejections


def test_gatehouse_header_with_bad_checksum_or_date_is_reported() -> None:
    good = sentence("PGHP,1,2014,9,28,16,0,4,684,219,21,992190921,1,14", start="$")
    wrong_sum = good[:-2] + ("00" if good[-2:] != "00" else "11")
    bad_date = sentence("PGHP,1,2014,13,28,16,0,4,684,219,21,992190921,1,14", start="$")
    ingest = parse([wrong_sum, one(), bad_date, one()])
    assert rejected_at(ingest, 1) == [(SRC, "$PGHP", "$PGHP checksum mismatch")]
    assert rejected_at(ingest, 3) == [(SRC, "$PGHP", "$PGHP time fields are not a valid date and time")]
    assert len(ingest.positions) == 2 and np.isnan(ingest.positions.t).all()


def test_uscg_receiver_suffix_time() -> None:
    """libais's typeexamples line 2: the first 10-digit field after the receiver (``r...``) is the receive time."""
    line = ("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30,d-080,S2118,t050056.00,T56.4837741,r003669946,"
            "1325394060,1325394001")
    ingest = parse([line])
    assert ingest.positions.t.tolist() == [1325394060.0]
    assert ingest.positions.mmsi.tolist() == [367033650]


def test_mssis_suffix_time() -> None:
    """The MSSIS relay's suffix: a Unix time right after the checksum (the DMA's FRIO file has 20 such lines)."""
    ingest = parse([tag_block("si:MSSIS"), "!BSVDM,1,1,,A,1815:?Pt0rPkvRlQ54KsQphh0<2?,0*6A,1411920506"])
    assert ingest.positions.t.tolist() == [1411920506.0]


def test_overlong_line_is_refused() -> None:
    long_line = one() + "," + "x" * MAX_LINE
    ingest = parse([long_line, one()])
    ((source, field, reason),) = rejected_at(ingest, 1)
    assert (source, field) == (SRC, "line") and f"line of {len(long_line)} characters" in reason
    assert ingest.positions.line.tolist() == [2]


def test_non_ais_lines_rejected_other_nmea_counted_comments_and_blanks_skipped() -> None:
    gps_fix = sentence("GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000", start="$")
    lines: list[str | bytes] = ["# a comment", "", "   ", "IamNotAnAisMessage1111", gps_fix,
                                "$GPGGA,184353.07,1929.045,S*00", one(), b"garbage \xff"]
    ingest = parse_nmea(lines, SRC)  # text and bytes both read
    assert ingest.counts["lines"] == 8 and ingest.counts["comments"] == 1
    assert ingest.counts["other NMEA sentences"] == 1
    assert sorted(r.line for r in ingest.rejections) == [4, 6, 8]
    assert all(r.field == "line" and r.source == SRC for r in ingest.rejections)
    assert ingest.positions.line.tolist() == [7]


def test_other_dollar_sentences_in_a_real_file_are_counted() -> None:
    """The DMA's 2013 sample: 973 other NMEA sentences (967 base-station status '$PSTT', 6 '$PFEC'), none rejected."""
    ingest = nmea_file("dma_aisabnormal_events/ais-sample_2013-11-12.txt.gz")
    assert ingest.counts["other NMEA sentences"] == 973
    assert not ingest.rejections


# --- property: never raises, every line used or reported -------------------------------------------------------

#: Valid single-sentence position reports (types 1 and 18), each with a distinct MMSI.
VALID = [one(mmsi=230000100 + k, lat=59.0 + k / 10, lon=20.0 + k / 10) for k in range(5)] + [
    one(type=18, mmsi=230000200, lat=58.5, lon=19.5)]
JUNK_START = "!$\\#"


def _corrupt(line: str) -> str:
    body, star, checksum = line.rpartition("*")
    return body[:-3] + ("0" if body[-3] != "0" else "1") + body[-2:] + star + checksum


def _junk(text: str) -> bool:
    """Text that is not blank and cannot open a sentence, a tag block, a header or a comment, as the reader sees it
    (ASCII whitespace stripped; a non-ASCII character is read as '?')."""
    seen = text.encode("ascii", "replace").strip()
    return bool(seen) and seen[:1].decode() not in JUNK_START


TEXT_CHARS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n")
LINES = st.one_of(
    st.tuples(st.just("valid"), st.sampled_from(VALID)),
    st.tuples(st.just("corrupt"), st.sampled_from(VALID).map(_corrupt)),
    st.tuples(st.just("junk"), st.text(TEXT_CHARS, max_size=120).filter(_junk)),
    st.tuples(st.just("any"), st.text(max_size=200)),
    st.tuples(st.just("comment"), st.text(TEXT_CHARS, max_size=40).map(lambda s: "#" + s)),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_parse_nmea_never_raises_and_accounts_for_every_line(drawn: list[tuple[str, str]]) -> None:
    lines = [text for _, text in drawn]
    ingest = parse_nmea(lines, "fuzz")
    assert ingest.counts.get("lines", 0) == len(lines)
    used = set(ingest.positions.line.tolist()) | {s.line for s in ingest.statics}
    rejected: dict[int, set[str]] = {}
    for r in ingest.rejections:
        assert r.source == "fuzz" and 1 <= r.line <= len(lines) and r.reason
        rejected.setdefault(r.line, set()).add(r.field)
    for number, (kind, text) in enumerate(drawn, 1):
        if kind == "valid":
            assert number in used and number not in rejected, (number, text)
        elif kind == "corrupt":
            assert rejected.get(number) == {"checksum"} and number not in used, (number, text)
        elif kind == "junk":
            assert number in rejected and number not in used, (number, text)
        elif kind == "comment":
            assert number not in rejected and number not in used, (number, text)
        elif kind == "any" and _junk(text):
            # any other text is used or reported (a line opening with ! $ \ or # may be a header, a fragment
            # waiting for its siblings or a comment, none of which is a record of its own)
            assert number in used or number in rejected, (number, text)


# --- CSV ------------------------------------------------------------------------------------------------------

DMA_HEADER = ("# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,"
              "Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,"
              "Data source type,A,B,C,D")
DMA_ROWS = [
    # 2: good, full static columns
    "05/10/2014 16:08:39,Class A,219165000,54.459200,15.935900,At anchor,0.0,0.1,201.3,311,9297137,OZAB2,LOTUS,"
    "Tanker,,14,87,GPS,5.5,SKAGEN,06/10/2014 08:00:00,AIS,70,17,6,8",
    # 3: good, heading not sent (DMA writes an empty cell), status unknown
    "05/10/2014 16:08:49,Class A,219165000,54.459210,15.935910,Unknown value,,0.0,200.1,,Unknown,,,Undefined,,,,"
    "GPS,,,,AIS,,,,",
    # 4: base station (a coast station's MMSI)
    "05/10/2014 16:08:50,Base Station,2190064,56.716570,11.519047,Unknown value,,,,,Unknown,Unknown,,Undefined,,,,"
    "GPS,,Unknown,,AIS,,,,",
    # 5: bad time (month 13)
    "05/13/2014 16:09:00,Class A,219165000,54.459220,15.935920,At anchor,0.0,0.1,201.3,311,,,,,,,,GPS,,,,AIS,,,,",
    # 6: latitude not a number
    "05/10/2014 16:09:10,Class A,219165000,fifty-four,15.935920,At anchor,0.0,0.1,201.3,311,,,,,,,,GPS,,,,AIS,,,,",
    # 7: latitude 91 ("not available")
    "05/10/2014 16:09:20,Class A,219165000,91.000000,181.000000,At anchor,0.0,0.1,201.3,311,,,,,,,,GPS,,,,AIS,,,,",
    # 8: a field short
    "05/10/2014 16:09:30,Class A,219165000,54.459230,15.935930,At anchor,0.0,0.1,201.3,311,,,,,,,,GPS,,,,AIS,,,",
    # 9: MMSI not a number
    "05/10/2014 16:09:40,Class A,21916500X,54.459240,15.935940,At anchor,0.0,0.1,201.3,311,,,,,,,,GPS,,,,AIS,,,,",
    # 10: good, under way, SOG 102.3 (not available)
    "05/10/2014 16:09:50,Class A,219000001,55.000000,12.000000,Under way using engine,0.0,102.3,90.0,90,,,,,,,,"
    "GPS,,,,AIS,,,,",
    # 11: navigational status not a status
    "05/10/2014 16:10:00,Class A,219000001,55.000100,12.000100,Sailing backwards,0.0,10.0,90.0,90,,,,,,,,GPS,,,,"
    "AIS,,,,",
]


def test_dma_csv_good_rows_go_through_bad_rows_are_reported() -> None:
    ingest = parse_table(io.StringIO("\n".join([DMA_HEADER, *DMA_ROWS]) + "\n"), "aisdk.csv")
    fixes = ingest.positions
    assert fixes.line.tolist() == [2, 3, 4, 10]
    assert fixes.t[0] == calendar.timegm((2014, 10, 5, 16, 8, 39)), "dd/mm/yyyy HH:MM:SS, UTC"
    assert fixes.status.tolist() == [1, STATUS_NA, STATUS_NA, 0], "status words read"
    assert fixes.heading[0] == 311.0 and math.isnan(fixes.heading[1])
    assert math.isnan(fixes.sog[3]) and ingest.counts["sog not available"] == 1
    assert fixes.mmsi.tolist() == [219165000, 219165000, 2190064, 219000001]
    reported = {r.line: (r.source, r.field) for r in ingest.rejections}
    assert reported == {5: ("aisdk.csv", "time"), 6: ("aisdk.csv", "lat"), 7: ("aisdk.csv", "lat"),
                        8: ("aisdk.csv", ""), 9: ("aisdk.csv", "mmsi"), 11: ("aisdk.csv", "status")}
    reasons = {r.line: r.reason for r in ingest.rejections}
    assert "not a time" in reasons[5] and reasons[6] == "not a number" and "not available" in reasons[7]
    assert "25 fields where the header has 26" in reasons[8]
    lotus = [s for s in ingest.statics if s.mmsi == 219165000]
    assert (lotus[0].name, lotus[0].callsign, lotus[0].imo, lotus[0].to_bow, lotus[0].to_stern, lotus[0].to_port,
            lotus[0].to_starboard, lotus[0].draught, lotus[0].destination) == ("LOTUS", "OZAB2", 9297137, 70, 17, 6,
                                                                               8, 5.5, "SKAGEN")
    built = build_tracks(ingest)
    kinds = {t.mmsi: t.vessel.station for t in built.tracks}
    assert kinds == {219165000: "ship", 2190064: "coast", 219000001: "ship"}


#: The Danish Maritime Authority's status words (aisdk files) that are not ITU's own spelling.
DMA_STATUS_WORDS = {"Restricted maneuverability": 3, "Reserved for future amendment [HSC]": 9,
                    "Reserved for future amendment [WIG]": 10, "Reserved for future use": 13, "AIS-SART": 14,
                    "AIS-SART (active)": 14}


def test_dma_status_words_are_read() -> None:
    rows = [f"05/10/2014 16:0{k}:00,Class A,219000001,55.0,12.0{k},{word},0.0,2.0,90.0,90,,,,,,,,GPS,,,,AIS,,,,"
            for k, word in enumerate(DMA_STATUS_WORDS)]
    ingest = parse_table(io.StringIO("\n".join([DMA_HEADER, *rows]) + "\n"), "aisdk.csv")
    assert [str(r) for r in ingest.rejections] == []
    assert ingest.positions.status.tolist() == list(DMA_STATUS_WORDS.values())


def test_dma_ship_type_words_are_read() -> None:
    ingest = parse_table(io.StringIO("\n".join([DMA_HEADER, DMA_ROWS[0]]) + "\n"), "aisdk.csv")
    (lotus,) = ingest.statics
    assert 80 <= lotus.ship_type <= 89, "'Tanker' is ITU type 80-89"


def test_dma_unknown_placeholders_are_not_values() -> None:
    ingest = parse_table(io.StringIO("\n".join([DMA_HEADER, DMA_ROWS[2]]) + "\n"), "aisdk.csv")
    assert [(s.callsign, s.destination) for s in ingest.statics if s.callsign or s.destination] == []


@pytest.mark.shared
def test_noaa_marinecadastre_file() -> None:
    sub = "aisdb_testdata/test_data_noaa_20230101.csv"
    ingest = csv_file(sub)
    fixes = ingest.positions
    assert ingest.counts["rows"] == len(fixes) == 1000 and not ingest.rejections
    assert len(set(fixes.mmsi.tolist())) == 1000
    assert (fixes.t.min(), fixes.t.max()) == (calendar.timegm((2023, 1, 11, 0, 0, 0)),
                                              calendar.timegm((2023, 1, 11, 23, 59, 1)))
    assert fixes.lat.min() >= 17.59 and fixes.lat.max() <= 49.52 and -157.89 <= fixes.lon.min() <= -157.87
    # heading 511, course 360 and speed 102.3 written out as numbers by NOAA: blanked and counted
    assert int(np.isnan(fixes.heading).sum()) == ingest.counts["heading not available"] == 426
    assert int(np.isnan(fixes.cog).sum()) == ingest.counts["cog not available"] == 90
    assert int(np.isnan(fixes.sog).sum()) == ingest.counts["sog not available"] == 4
    assert int((fixes.status == NO_STATUS).sum()) == 46, "an empty Status cell is 'not sent'"
    naisha = next(s for s in ingest.statics if s.mmsi == 636021061)
    assert (naisha.name, naisha.callsign, naisha.imo, naisha.ship_type, naisha.length_m, naisha.beam_m,
            naisha.draught) == ("MSC NAISHA III", "5LCB4", 9307839, 70, 208, 30, 8.0)
    assert not ingest.anonymous


@pytest.mark.shared
def test_satellite_provider_csv_types_counted_statics_joined() -> None:
    sub = "aisdb_testdata/test_data_20210701.csv"
    ingest = csv_file(sub)
    counts = ingest.counts
    assert counts["rows"] == 2498
    # PROVENANCE.md: 1 x1,062, 27 x978, 3 x206, 18 x85, 19 x41, 24 x33, 5 x31; one type 18 row has MMSI 0
    assert [counts[f"type {k}"] for k in (1, 27, 3, 18, 19, 24, 5)] == [1062, 978, 206, 84, 41, 33, 31]
    assert sum(n for key, n in counts.items() if key.startswith("type ")) + 1 == 2498
    reported = [(r.field, r.reason) for r in ingest.rejections]
    assert reported.count(("mmsi", "not an MMSI or vessel id (1 to 9 digits)")) == 1
    assert reported.count(("lat", "position not available (empty, or AIS's 91/181)")) == 11 == len(reported) - 1
    # every position-type row is a position or a reported "not available"; static rows carry none
    assert len(ingest.positions) + 11 == sum(counts[f"type {k}"] for k in (1, 3, 18, 19, 27))
    assert set(ingest.positions.msg_type.tolist()) == {1, 3, 18, 19, 27}
    assert sorted({s.msg_type for s in ingest.statics}) == [5, 19, 24]
    assert len(ingest.statics) == 105
    built = build_tracks(ingest)
    named = [t for t in built.tracks if t.vessel.name]
    assert len(named) >= 40, "type 5/19/24 names joined to tracks"
    assert ingest.positions.t.min() >= calendar.timegm((2021, 7, 1, 0, 0, 41))
    assert ingest.positions.t.max() < calendar.timegm((2021, 7, 2, 0, 0, 0))


@pytest.mark.shared
def test_ever_given_csv_anonymous_ids() -> None:
    ingest = csv_file("evergiven_suez_2021/boat-positions.csv")
    assert ingest.counts["rows"] == len(ingest.positions) == 22287 and not ingest.rejections
    assert ingest.anonymous, "ID is the source's own vessel id, not an MMSI"
    assert len(set(ingest.positions.mmsi.tolist())) == 256
    assert ingest.positions.t.min() == calendar.timegm((2021, 3, 20, 0, 0, 0))
    assert ingest.positions.t.max() == calendar.timegm((2021, 3, 24, 12, 52, 0))
    built = build_tracks(ingest)
    assert {t.vessel.station for t in built.tracks} == {"unknown"}
    assert all(t.vessel.flag is None for t in built.tracks)
    assert detect(built, only=("identity",)) == [], "anonymous ids are not checked as MMSIs"


# --- registry -------------------------------------------------------------------------------------------------


def test_every_mid_gets_a_country(mid_flags: dict[int, Flag]) -> None:
    assert len(mid_flags) == 289
    assert [f for f in mid_flags.values() if len(f.country) != 2] == []
    assert (mid_flags[219].country, mid_flags[236].country, mid_flags[538].country) == ("DK", "GI", "MH")
    assert {mid: mid_flags[mid].country for mid in (211, 230, 265, 273, 351, 412, 636)} == {
        211: "DE", 230: "FI", 265: "SE", 273: "RU", 351: "PA", 412: "CN", 636: "LR"}
    flag = flag_of(219165000, mid_flags)
    assert flag is not None and flag.country == "DK"
    coast = flag_of(2190064, mid_flags)
    assert coast is not None and coast.country == "DK", "a coast station's MID is digits 3-5"
    assert flag_of(970123456, mid_flags) is None and flag_of(200000001, mid_flags) is None


@pytest.mark.parametrize(("mmsi", "kind", "mid"), [
    (219165000, "ship", 219), (538004030, "ship", 538), (2190064, "coast", 219), (21912345, "group", 219),
    (111219500, "sar aircraft", 219), (982191234, "craft", 219), (992191234, "aid to navigation", 219),
    (970123456, "sart", 0), (972123456, "mob", 0), (974123456, "epirb", 0), (0, "invalid", 0),
    (123456789, "invalid", 0), (812345678, "invalid", 0), (1_000_000_000, "invalid", 0)])
def test_station_kinds(mmsi: int, kind: str, mid: int) -> None:
    assert station(mmsi) == (kind, mid)


@pytest.mark.parametrize(("imo", "valid"), [
    (9297137, True), (9596985, True), (9390305, True),  # LOTUS, FRIO, STOC MARCIA (their type 5 reports)
    (9297138, False), (9596984, False), (939030, False), (0, False), (19390305, False)])
def test_imo_check_digit(imo: int, valid: bool) -> None:
    assert imo_valid(imo) is valid
