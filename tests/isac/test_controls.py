"""ENISA's Space Threat Landscape control framework: counts against ../shared/data/space-threats/PROVENANCE.md
(read from its text), the two spellings of one threat cluster, clusters filled from the control view, the shipped
CC BY sample equal to an extract of the workbook, and precise rejections of rows that cannot be read."""

from __future__ import annotations

import json
import re

import pytest

from kompas.files import packaged
from kompas.isac.controls import (
    INTERFERENCE_THREATS,
    SAMPLE,
    SAMPLE_THREATS,
    library_to_json,
    parse_library_json,
    parse_workbook,
    parse_workbook_bytes,
)
from kompas.isac.load import load_library
from kompas.isac.model import INTERFERENCE_TYPES
from tests.isac.conftest import PROVENANCE, need


@pytest.mark.shared
def test_counts_match_provenance(workbook) -> None:
    text = need(PROVENANCE).read_text()
    controls, clusters = (int(n) for n in re.search(r"(\d+) controls in (\d+) clusters", text).groups())
    rows, threats = (int(n.replace(",", "")) for n in re.search(r"([\d,]+) threat.control rows covering (\d+) "
                                                                 r"threats", text).groups())
    labels, real = (int(n) for n in re.search(r"There are (\d+) threat-cluster labels.*?so (\d+) real clusters",
                                              text, re.S).groups())
    assert (controls, clusters, rows, threats, labels, real) == (125, 18, 648, 58, 10, 9)  # the text read right
    assert len(workbook.controls) == controls and len(workbook.clusters()) == clusters
    assert workbook.rows == rows and len(workbook.threats) == threats
    assert len(workbook.threat_clusters(as_written=True)) == labels and len(workbook.threat_clusters()) == real
    assert workbook.rejections == []


@pytest.mark.shared
def test_one_cluster_spelled_two_ways_and_clusters_from_the_control_view(workbook) -> None:
    spelled = {t.cluster_as_written for t in workbook.threats.values() if t.cluster == "Unintentional damage"}
    assert spelled == {"Unintention damage", "Unintentional damage"}
    assert sum(t.cluster == "Unintentional damage" for t in workbook.threats.values()) == 3 + 1
    assert "8 threat-view rows without a control cluster" in " ".join(workbook.notes)
    [manoeuvre] = [c for c in workbook.controls_for("Damage/Destruction of segment assets") if c.name ==
                   "Maneuverability"]
    assert manoeuvre.cluster == "Defence capabilities"
    assert [c.name for c in workbook.controls_for("Jamming")][:2] == ["Transmission security",
                                                                      "Cryptography & Crypto Key Management"]
    assert len(workbook.controls_for("Jamming")) == 6 and len(workbook.controls_for("Spoofing")) == 7
    for kind in INTERFERENCE_TYPES:  # every threat Kompas maps an interference type to is one ENISA lists
        assert all(t in workbook.threat_controls for t in INTERFERENCE_THREATS[kind]), kind
        assert workbook.for_interference(kind)


@pytest.mark.shared
def test_the_shipped_sample_is_an_unchanged_extract(workbook) -> None:
    shipped = json.loads(packaged(SAMPLE).read_text())
    assert shipped == library_to_json(workbook, SAMPLE_THREATS)
    assert "CC BY 4.0" in shipped["licence"] and "ENISA" in shipped["attribution"] and shipped["changes"]


def test_the_sample_works_without_shared() -> None:
    lib = load_library()
    assert set(lib.threat_controls) == set(SAMPLE_THREATS)
    assert [c.id for c in lib.controls_for("Jamming")] == ["27", "35", "89", "91", "119", "121"]
    pairs = lib.for_interference("unknown-emi")  # EMI's one control, then jamming's (each control once)
    assert pairs[0] == ("Electromagnetic interference", lib.controls["120"])
    assert len(pairs) == len({c.id for _, c in pairs}) == 7
    assert lib.for_interference("space-weather") == []  # not in the sample


def test_rows_that_cannot_be_read_are_rejected_with_their_row() -> None:
    header = (None, "#", "Control cluster", "Control title", "Control", "Control description",
              "Reference frameworks", "Lifecycle phase", "Segment", "Threats addressed")
    controls = [(None,) * 10, header,
                (None, "1", "Testing", "Illustrative control", "Do it.", "Really.", "ISO27k\nSPARTA", "All",
                 "Ground\nSpace", "Jamming; Spoofing"),
                (None, "2", "Testing", None, "", "", "", "", "", ""),
                (None, "3", "Testing", "illustrative   CONTROL", "", "", "", "", "", "")]
    threats = [(None,) * 10, (None, "Threat cluster", "Threat", "Control title", "Control", "Control description",
                              "Control cluster", "Reference frameworks", "Lifecycle phase", "Segment"),
               (None, "Nefarious activity/abuse", "Jamming", "Illustrative control", "", "", "", "", "", ""),
               (None, None, None, "Illustrative  control", "", "", "", "", "", ""),
               (None, None, "Spoofing", "No such control", "", "", "", "", "", "")]
    lib = parse_workbook(controls, threats, "wb.xlsx")
    assert [(r.line, r.field) for r in lib.rejections] == [(4, "Control title"), (5, "#"), (5, "Control title")]
    assert lib.controls["1"].frameworks == ("ISO27k", "SPARTA") and lib.controls["1"].threats == ("Jamming",
                                                                                                  "Spoofing")
    assert lib.threat_controls == {"Jamming": ("1",)}  # row 4 forward-filled to Jamming, one control once
    assert lib.rows == 2 and lib.threats["Jamming"].cluster == "Nefarious activity/abuse"
    with pytest.raises(ValueError, match="no header row"):
        parse_workbook([(None, "x")], threats, "wb.xlsx")
    with pytest.raises(ValueError, match="not an XLSX workbook"):
        parse_workbook_bytes(b"not a zip", "wb.xlsx")
    with pytest.raises(ValueError, match="names control 9"):
        parse_library_json('{"controls": [], "threats": [{"name": "Jamming", "cluster": "x", '
                           '"cluster_as_written": "x", "controls": ["9"]}]}', "x.json")
