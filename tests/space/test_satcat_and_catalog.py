"""SATCAT metadata and the catalogue's per-object history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from kompas.space.catalog import Added, Catalog
from kompas.space.satcat import parse_satcat
from kompas.space.tle import parse_tle

NOW = np.datetime64("2026-11-23T00:00:00", "ns")
HEADER = ("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,"
          "PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE")


def test_satcat_rows_both_date_styles_and_bad_rows():
    text = "\n".join([HEADER,
                      "ARYABHATA,1975-033A,7752,PAY,D,IND,4/19/1975,KYMSC,2/11/1992,87.46,50.62,152,145,2.215,,EA,IMP",
                      "ISS (ZARYA),1998-067A,25544,PAY,+,ISS,1998-11-20,TYMSC,,92.9,51.6,421,417,399.05,,EA,ORB",
                      "BAD,2000-001A,x12,PAY,,US,2000-01-01,,,,,,,,,,",
                      "ODD,2000-001B,12345,SPACESHIP,,US,13/40/2000,,,,,,,-1,,,"])
    infos, rej = parse_satcat(text, "satcat.csv")
    assert [i.norad_id for i in infos] == [7752, 25544]
    assert infos[0].launch_date == date(1975, 4, 19) and infos[0].decay_date == date(1992, 2, 11)
    assert infos[1].owner == "ISS" and infos[1].rcs_m2 == 399.05 and infos[1].decay_date is None
    assert [(r.line, r.field) for r in rej] == [(4, "NORAD_CAT_ID"), (5, "OBJECT_TYPE"), (5, "LAUNCH_DATE"),
                                                (5, "RCS")]


def test_shared_satcat_subset(shared_space):
    infos, rej = parse_satcat((shared_space / "satcat-subset-india_2025-12-19.csv").read_text(), "s")
    assert rej == [] and len(infos) == 766
    kinds = {k: sum(i.object_type == k for i in infos) for k in ("PAY", "R/B", "DEB")}
    assert kinds == {"PAY": 159, "R/B": 79, "DEB": 528}  # PROVENANCE.md


def test_history_sorted_repeats_and_revisions(sample_text):
    elsets, _ = parse_tle(sample_text, "s", NOW)
    first = elsets[0]
    older = replace(first, epoch_utc=first.epoch_utc - np.timedelta64(1, "D"), mean_anomaly_deg=10.0)
    revised = replace(first, eccentricity=first.eccentricity + 1e-7)
    catalog = Catalog()
    assert catalog.add(first) is Added.NEW
    assert catalog.add(older) is Added.NEW
    assert catalog.add(first) is Added.REPEAT
    assert catalog.add(revised) is Added.REVISED
    history = catalog[first.norad_id].history
    assert [e.epoch_utc for e in history] == [older.epoch_utc, first.epoch_utc]
    assert history[-1].eccentricity == revised.eccentricity
    obj = catalog[first.norad_id]
    assert obj.at(first.epoch_utc - np.timedelta64(1, "h")) is history[0]
    assert obj.at(first.epoch_utc + np.timedelta64(1, "h")) is history[1]
    assert obj.at(older.epoch_utc - np.timedelta64(9, "D")) is history[0]
    assert obj.info.name == first.name
